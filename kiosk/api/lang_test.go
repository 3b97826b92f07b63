package api

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/store"
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

// The kiosk gives the page the languages it offers (translate.Offers
// decides), labels those offered only because offer_untranslated names them,
// and tells staff the configured ones not offered with their share. It counts
// once per content: the same answer until a content update, whose pack
// catalogues then lift Ê Đê over the threshold.
func TestKioskOffersLanguages(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	starter, err := content.Load(content.Starter())
	if err != nil {
		t.Fatal(err)
	}
	live := content.NewLive(starter, content.SourceEmbedded)
	screens := fstest.MapFS{
		"index.html":          {Data: []byte("<html></html>")},
		"i18n/vi/shell.json":  {Data: []byte(`{"lang": {"self": "Tiếng Việt"}, "home": {"a": "A", "b": "B", "c": "C", "d": "D"}}`)},
		"i18n/en/shell.json":  {Data: []byte(`{"lang": {"self": "English"}, "home": {"a": "A", "b": "B", "c": "C", "d": "D"}}`)},
		"i18n/rad/shell.json": {Data: []byte(`{"lang": {"self": "Êđê"}, "home": {"a": "R"}}`)},
	}
	cfg := config.Default()
	cfg.Languages = []string{"vi", "en", "rad", "mng"}
	cfg.OfferUntranslated = []string{"mng"}
	cfg.OfferThreshold = 75
	srv := httptest.NewServer((&Server{Config: cfg, Store: st, Content: live, Screens: screens}).Handler())
	t.Cleanup(srv.Close)

	get := func() string {
		var a kioskAnswer
		callJSON(t, srv, "GET", "/api/kiosk", "", &a)
		b, _ := json.Marshal(map[string]any{"offered": a.Offered, "partly": a.PartlyTranslated, "not": a.NotOffered, "threshold": a.OfferThreshold})
		return string(b)
	}
	const before = `{"not":[{"lang":"rad","percent":25}],"offered":["vi","en","mng"],"partly":["mng"],"threshold":75}`
	if got := get(); got != before {
		t.Fatalf("GET /api/kiosk = %s\nwant %s", got, before)
	}
	// Counted once per content, not per request: the screens a binary
	// carries never change under it, so a change here shows only after a
	// content update.
	screens["i18n/mng/shell.json"] = &fstest.MapFile{Data: []byte(`{"home": {"a": "M", "b": "M", "c": "M", "d": "M"}}`)}
	if got := get(); got != before {
		t.Fatalf("GET /api/kiosk again, same content = %s\nwant %s", got, before)
	}
	update := *starter
	update.Files = fstest.MapFS{"i18n/rad/shell.json": {Data: []byte(`{"home": {"b": "R", "c": "R"}}`)}}
	live.Set(&update, content.SourcePack)
	const after = `{"not":[],"offered":["vi","en","rad","mng"],"partly":[],"threshold":75}`
	if got := get(); got != after {
		t.Fatalf("GET /api/kiosk after the update = %s\nwant %s", got, after)
	}
}

// Without screens to count (the hub's preview), the kiosk offers what the
// config asks for: Vietnamese and offer_untranslated's, none labelled.
func TestKioskOffersUnmeasured(t *testing.T) {
	cfg := config.Default()
	cfg.Languages = []string{"vi", "en", "rad", "mng"}
	cfg.OfferUntranslated = []string{"rad", "en"}
	srv, _ := starterServer(t, cfg)
	var a kioskAnswer
	callJSON(t, srv, "GET", "/api/kiosk", "", &a)
	if strings.Join(a.Offered, ",") != "vi,en,rad" || a.PartlyTranslated == nil || len(a.PartlyTranslated) > 0 || a.NotOffered == nil || len(a.NotOffered) > 0 {
		t.Errorf("offered %#v, partly %#v, not offered %#v; want vi,en,rad and two empty lists", a.Offered, a.PartlyTranslated, a.NotOffered)
	}
}
