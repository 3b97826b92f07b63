package api

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
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

// A range of a big media file on disk is served without reading the rest:
// a media player asks for a video in many pieces, and a whole read for each
// would fill the window process's memory. A folder named like a file is not
// media.
func TestMediaRangeReadsOnlyItsRange(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "media", "folder.ogg"), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "media", "video.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	const size = 40 << 20
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	f.Close()
	srv, live := starterServer(t, config.Default())
	live.Set(&content.Pack{Files: os.DirFS(dir)}, content.SourcePack)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	resp, part := do(t, srv, http.MethodGet, "/api/media/video.mp4", "", "Range", "bytes=1000-1099")
	runtime.ReadMemStats(&after)
	if resp.StatusCode != http.StatusPartialContent || len(part) != 100 || resp.Header.Get("Content-Range") != fmt.Sprintf("bytes 1000-1099/%d", size) {
		t.Fatalf("status %d, %d bytes, Content-Range %q", resp.StatusCode, len(part), resp.Header.Get("Content-Range"))
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("serving 100 bytes of a %d MiB file allocated %d KiB", size>>20, grew>>10)
	}

	if code, _ := call(t, srv, http.MethodGet, "/api/media/folder.ogg", ""); code != http.StatusNotFound {
		t.Errorf("a folder named folder.ogg: status %d, want 404", code)
	}
}
