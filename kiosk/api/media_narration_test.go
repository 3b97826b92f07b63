package api

import (
	"bytes"
	"fmt"
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

// Media players fetch narration in ranges (WebKit's GStreamer source does,
// and seeking needs it): a range is answered with just those bytes.
func TestMediaAnswersRanges(t *testing.T) {
	srv, _ := starterServer(t, config.Default())
	const path = "/api/media/shell/vi/idle-warning.ogg"
	_, all := do(t, srv, http.MethodGet, path, "")
	resp, part := do(t, srv, http.MethodGet, path, "", "Range", "bytes=100-199")
	want := fmt.Sprintf("bytes 100-199/%d", len(all))
	if resp.StatusCode != http.StatusPartialContent || resp.Header.Get("Content-Range") != want || !bytes.Equal(part, all[100:200]) {
		t.Errorf("status %d, Content-Range %q (want %q), %d bytes", resp.StatusCode, resp.Header.Get("Content-Range"), want, len(part))
	}
	if resp.Header.Get("Content-Type") != "audio/ogg" {
		t.Errorf("type %q", resp.Header.Get("Content-Type"))
	}
}
