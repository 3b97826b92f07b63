package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"tramso/kiosk/config"
)

// Every content endpoint reads ?lang= the same way: missing is Vietnamese, a
// known code is answered in that language, anything else is a 400 that names
// the parameter.
func TestQueryLangOneRule(t *testing.T) {
	srv, _ := procServer(t)
	endpoints := []struct{ method, path, body string }{
		{"GET", "/api/tutorials", ""},
		{"GET", "/api/tutorials/vneid-activate", ""},
		{"GET", "/api/procedures", ""},
		{"GET", "/api/procedures/1.001193", ""},
		{"GET", "/api/flows/khai-sinh", ""},
		{"POST", "/api/procedures/1.001193/result", `{"answers":{"age":"on-time","parents":"married","paper":"yes"}}`},
		{"GET", "/api/search?q=sinh", ""}, // its answer names no language
	}
	cases := []struct {
		query    string
		status   int
		wantLang string // the answer's "lang" when status is 200
	}{
		{"", 200, "vi"},
		{"lang=", 200, "vi"},
		{"lang=vi", 200, "vi"},
		{"lang=en", 200, "en"},
		{"lang=rad", 200, "rad"},
		{"lang=mng", 200, "mng"},
		{"lang=xx", 400, ""},
		{"lang=EN", 400, ""},
		{"lang=vi-VN", 400, ""},
		{"lang=%20vi", 400, ""},
	}
	for _, e := range endpoints {
		for _, c := range cases {
			url := e.path
			if c.query != "" {
				url += map[bool]string{false: "?", true: "&"}[strings.Contains(url, "?")] + c.query
			}
			t.Run(e.method+" "+url, func(t *testing.T) {
				code, raw := call(t, srv, e.method, url, e.body)
				var out struct {
					Lang  string `json:"lang"`
					Error string `json:"error"`
					Code  string `json:"code"`
				}
				if err := json.Unmarshal(raw, &out); err != nil {
					t.Fatalf("status %d, not JSON: %s", code, raw)
				}
				if code != c.status {
					t.Fatalf("status %d, want %d: %s", code, c.status, raw)
				}
				if c.status == 200 && !strings.HasPrefix(e.path, "/api/search") && out.Lang != c.wantLang {
					t.Errorf("answered in %q, want %q", out.Lang, c.wantLang)
				}
				if c.status == 400 && (out.Code != codeUnknownLang || !strings.Contains(out.Error, "query parameter lang") ||
					!strings.Contains(out.Error, "vi, en, rad, mng")) {
					t.Errorf("error %q must name the parameter and the known codes", out.Error)
				}
			})
		}
	}
}

// A body's "lang" follows the same rule as ?lang=: missing or empty is
// Vietnamese, a known code is itself, anything else is a 400 with the code
// unknown_lang that names the field. The resume code once took "fr" as
// Vietnamese without a word.
func TestBodyLangOneRule(t *testing.T) {
	srv, _ := starterServer(t, config.Default())
	endpoints := []struct{ path, body string }{
		{"/api/tutorials/summary", `{"lessons":["qr-payment"]%s}`},
		{"/api/resume", `{"tutorial":"qr-payment","step":1%s}`},
	}
	cases := []struct {
		field  string
		status int
	}{
		{``, 200},
		{`,"lang":""`, 200},
		{`,"lang":"vi"`, 200},
		{`,"lang":"en"`, 200},
		{`,"lang":"mng"`, 200},
		{`,"lang":"fr"`, 400},
		{`,"lang":"EN"`, 400},
	}
	for _, e := range endpoints {
		for _, c := range cases {
			body := fmt.Sprintf(e.body, c.field)
			var out struct{ Error, Code string }
			code := callJSON(t, srv, "POST", e.path, body, &out)
			if code != c.status {
				t.Errorf("%s %s: status %d, want %d (%+v)", e.path, body, code, c.status, out)
				continue
			}
			if c.status == 400 && (out.Code != codeUnknownLang || !strings.Contains(out.Error, `body field "lang"`) ||
				!strings.Contains(out.Error, "vi, en, rad, mng")) {
				t.Errorf("%s %s: error %+v must have code %s and name the field and the known codes", e.path, body, out, codeUnknownLang)
			}
		}
	}
}

// The kiosk tells the chooser which untranslated languages its set-up
// offers anyway (config offer_untranslated; none by default) and how much of
// a language must be translated to be offered (offer_threshold; all of it).
func TestKioskOffersUntranslated(t *testing.T) {
	for _, forced := range [][]string{nil, {"rad"}} {
		cfg := config.Default()
		cfg.Languages = []string{"vi", "en", "rad", "mng"}
		cfg.OfferUntranslated = forced
		srv, _ := starterServer(t, cfg)
		var answer kioskAnswer
		callJSON(t, srv, "GET", "/api/kiosk", "", &answer)
		if strings.Join(answer.OfferUntranslated, ",") != strings.Join(forced, ",") || answer.OfferUntranslated == nil {
			t.Errorf("offer_untranslated = %#v, want %v", answer.OfferUntranslated, forced)
		}
		if answer.OfferThreshold != 100 {
			t.Errorf("offer_threshold = %d, want the default 100", answer.OfferThreshold)
		}
	}
	cfg, err := config.Parse(strings.NewReader("offer_threshold: 80\n"))
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := starterServer(t, cfg)
	var answer kioskAnswer
	callJSON(t, srv, "GET", "/api/kiosk", "", &answer)
	if answer.OfferThreshold != 80 {
		t.Errorf("offer_threshold = %d, want 80 as configured", answer.OfferThreshold)
	}
}
