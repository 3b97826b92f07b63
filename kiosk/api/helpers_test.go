package api

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/speech"
	"tramso/kiosk/store"
)

// starterServer serves the API on 127.0.0.1 with cfg, a real database in a
// temporary folder, the real embedded starter content and the kiosk's voice
// made from cfg.Speech (the real espeak-ng unless cfg says otherwise).
func starterServer(t *testing.T, cfg config.Config) (*httptest.Server, *content.Live) {
	t.Helper()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pack, err := content.Load(content.Starter())
	if err != nil {
		t.Fatal(err)
	}
	live := content.NewLive(pack, content.SourceEmbedded)
	srv := httptest.NewServer((&Server{Config: cfg, Store: st, Content: live, Speech: speech.New(cfg.Speech)}).Handler())
	t.Cleanup(srv.Close)
	return srv, live
}

// call sends a request, with a JSON body when body is not empty and the
// headers given as name, value pairs, and returns the status and the answer.
func call(t *testing.T, srv *httptest.Server, method, path, body string, header ...string) (int, []byte) {
	t.Helper()
	res, raw := do(t, srv, method, path, body, header...)
	return res.StatusCode, raw
}

// do is call with the whole response (its headers), the body already read.
func do(t *testing.T, srv *httptest.Server, method, path, body string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" || changesState(method) { // as the page sends every change (api.ts)
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return res, raw
}

// callJSON sends a request and decodes the JSON answer into out (unless nil).
func callJSON(t *testing.T, srv *httptest.Server, method, path, body string, out any) int {
	t.Helper()
	code, raw := call(t, srv, method, path, body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
	return code
}
