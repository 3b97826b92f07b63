package api

import (
	"encoding/json"
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
				if c.status == 400 && (!strings.Contains(out.Error, "lang") || !strings.Contains(out.Error, "vi, en, rad, mng")) {
					t.Errorf("error %q must name the parameter and the known codes", out.Error)
				}
			})
		}
	}
}

// The kiosk tells the chooser which untranslated languages its set-up
// offers anyway (config offer_untranslated); none by default.
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
	}
}
