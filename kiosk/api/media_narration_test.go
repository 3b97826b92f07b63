package api

import (
	"net/http"
	"testing"

	"tramso/kiosk/config"
)

// The starter's placeholder narration and idle question are served as audio.
func TestStarterNarrationServedAsAudio(t *testing.T) {
	srv, _ := starterServer(t, config.Default())
	for _, p := range []string{
		"/api/media/narration/tutorials/phone-touch/1.vi.ogg",
		"/api/media/narration/tutorials/phone-touch/1.en.ogg",
		"/api/media/shell/vi/idle-warning.ogg",
		"/api/media/shell/en/idle-warning.ogg",
	} {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "audio/ogg" || resp.ContentLength < 1000 {
			t.Errorf("%s: status %d, type %q, %d bytes", p, resp.StatusCode, resp.Header.Get("Content-Type"), resp.ContentLength)
		}
	}
}
