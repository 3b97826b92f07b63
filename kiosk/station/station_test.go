package station

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func openTest(t *testing.T) *Station {
	t.Helper()
	dir := t.TempDir()
	st, err := Open(Options{DataDir: dir, ConfigPath: filepath.Join(dir, "absent.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestHealthThroughTheHandler(t *testing.T) {
	st := openTest(t)
	assets := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Trạm Số</title>")}}
	srv := httptest.NewServer(st.Handler(assets))
	defer srv.Close()

	res, err := http.Get(srv.URL + "/api/health")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var h struct {
		Status     string `json:"status"`
		AppVersion string `json:"app_version"`
		Content    struct {
			Version int64  `json:"version"`
			Source  string `json:"source"`
		} `json:"content"`
	}
	if err := json.NewDecoder(res.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	if h.Status != "ok" || h.AppVersion == "" || h.Content.Version < 1 || h.Content.Source != "embedded" {
		t.Fatalf("health = %+v", h)
	}
}

func TestUIRoutesAndAPIErrors(t *testing.T) {
	st := openTest(t)
	assets := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Trạm Số</title>")}}
	srv := httptest.NewServer(st.Handler(assets))
	defer srv.Close()

	// A UI route that is not a file gets the app, so a reload keeps working.
	res, err := http.Get(srv.URL + "/tutorials/vneid")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Fatalf("UI route: %d, CSP %q", res.StatusCode, res.Header.Get("Content-Security-Policy"))
	}

	// An unknown API path is a JSON 404 with a message, not the app.
	res, err = http.Get(srv.URL + "/api/nope")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var e struct{ Error string }
	json.NewDecoder(res.Body).Decode(&e)
	if res.StatusCode != 404 || !strings.Contains(res.Header.Get("Content-Type"), "json") || e.Error == "" {
		t.Fatalf("unknown API: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), e.Error)
	}
}
