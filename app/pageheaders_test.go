package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// In the window, Wails' asset server serves the page and its files, not the
// station's handler: the middleware gives them the page's content security
// policy, and sends /api/ to the station's handler.
func TestWindowPageHeaders(t *testing.T) {
	var served string
	station := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { served = "station" })
	assets := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { served = "assets" })
	h := apiFirst(station)(assets)
	for path, want := range map[string]string{"/": "assets", "/assets/index.js": "assets", "/api/alive": "station"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if served != want {
			t.Errorf("%s: served by %s, want %s", path, served, want)
		}
		csp := rec.Header().Get("Content-Security-Policy")
		if want == "assets" && (!strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'")) {
			t.Errorf("%s: Content-Security-Policy %q", path, csp)
		}
	}
}
