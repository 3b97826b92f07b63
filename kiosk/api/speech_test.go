package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/speech"
)

// speechServer is starterServer for expressions: just the server.
func speechServer(t *testing.T, cfg config.Config) *httptest.Server {
	srv, _ := starterServer(t, cfg)
	return srv
}

func speechPath(lang, text string) string {
	return "/api/speech?" + url.Values{"lang": {lang}, "text": {text}}.Encode()
}

func get(t *testing.T, srv *httptest.Server, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	return do(t, srv, http.MethodGet, path, "", header...)
}

func TestSpeechServesWAV(t *testing.T) {
	srv, _ := starterServer(t, config.Default())
	for _, c := range []struct{ lang, text string }{
		{"vi", "Trung tâm Phục vụ hành chính công xã Ea Kao, thôn 1."},
		{"en", "Bring your identity card."},
		{"vi", "-w /tmp/x && rm -rf ~"}, // read out, like any text
		{"", "Xin chào"},                // no lang is Vietnamese, as on every endpoint
	} {
		res, body := get(t, srv, speechPath(c.lang, c.text))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s %q: status %d: %s", c.lang, c.text, res.StatusCode, body)
		}
		if ct := res.Header.Get("Content-Type"); ct != "audio/wav" {
			t.Errorf("Content-Type %q", ct)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
		if res.Header.Get("Accept-Ranges") != "bytes" {
			t.Errorf("Accept-Ranges %q: the player needs Range requests", res.Header.Get("Accept-Ranges"))
		}
		f, err := speech.ParseWAV(body)
		if err != nil || f.Duration() <= 0 || int(res.ContentLength) != len(body) {
			t.Errorf("%s: not a WAV with sound (%v, %+v, Content-Length %d of %d)", c.lang, err, f, res.ContentLength, len(body))
		}
	}
}

// TestSpeechRange: WebKit's GStreamer player asks for byte ranges; each
// answer must be the matching part of the whole file.
func TestSpeechRange(t *testing.T) {
	srv, _ := starterServer(t, config.Default())
	path := speechPath("vi", "Xin chào bà con.")
	_, whole := get(t, srv, path)
	cases := []struct {
		rng        string
		start, end int // inclusive
	}{
		{"bytes=0-1", 0, 1},
		{"bytes=0-43", 0, 43},
		{"bytes=100-", 100, len(whole) - 1},
		{"bytes=-10", len(whole) - 10, len(whole) - 1},
	}
	for _, c := range cases {
		res, body := get(t, srv, path, "Range", c.rng)
		if res.StatusCode != http.StatusPartialContent {
			t.Fatalf("%s: status %d", c.rng, res.StatusCode)
		}
		want := fmt.Sprintf("bytes %d-%d/%d", c.start, c.end, len(whole))
		if got := res.Header.Get("Content-Range"); got != want {
			t.Errorf("%s: Content-Range %q, want %q", c.rng, got, want)
		}
		if string(body) != string(whole[c.start:c.end+1]) {
			t.Errorf("%s: body is not that part of the file", c.rng)
		}
	}
	res, _ := get(t, srv, path, "Range", fmt.Sprintf("bytes=%d-", len(whole)+10))
	if res.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("range past the end: status %d", res.StatusCode)
	}
}

func TestSpeechErrors(t *testing.T) {
	off := config.Default()
	off.Speech.Engine = config.SpeechOff
	missing := config.Default()
	missing.Speech.Engine = "/nonexistent/espeak-ng"
	on, _ := starterServer(t, config.Default())
	cases := []struct {
		name   string
		srv    *httptest.Server
		path   string
		status int
		says   string
	}{
		{"unknown lang", on, speechPath("fr", "Bonjour"), 400, "query parameter lang must be one of vi, en, rad, mng"},
		{"no text", on, "/api/speech?lang=vi", 400, "text is missing"},
		{"empty text", on, speechPath("vi", "  "), 400, "empty"},
		{"too long", on, speechPath("vi", strings.Repeat("ă", speech.MaxRunes+1)), 400, "more than 1000"},
		{"control character", on, speechPath("vi", "Xin\x1bchào"), 400, "control character"},
		{"invalid UTF-8", on, "/api/speech?lang=vi&text=%E0o", 400, "UTF-8"},
		{"no voice for Ê Đê", on, speechPath("rad", "Ih mơ̆ng"), 404, "no voice for rad"},
		{"speech off", speechServer(t, off), speechPath("vi", "Xin chào"), 503, "off"},
		{"engine missing", speechServer(t, missing), speechPath("vi", "Xin chào"), 503, "not installed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, raw := call(t, c.srv, http.MethodGet, c.path, "")
			if code != c.status {
				t.Fatalf("status %d, want %d: %s", code, c.status, raw)
			}
			var answer map[string]string
			if err := json.Unmarshal(raw, &answer); err != nil {
				t.Fatalf("not a JSON error: %s", raw)
			}
			if !strings.Contains(answer["error"], c.says) {
				t.Errorf("error %q does not say %q", answer["error"], c.says)
			}
		})
	}
}

func TestKioskVoices(t *testing.T) {
	off := config.Default()
	off.Speech.Engine = config.SpeechOff
	missing := config.Default()
	missing.Speech.Engine = "/nonexistent/espeak-ng"
	south := config.Default()
	south.Speech.Voices = map[string]string{"vi": "vi-vn-x-south"}
	cases := []struct {
		name string
		cfg  config.Config
		want string
	}{
		{"defaults", config.Default(), `["vi","en"]`},
		{"southern voice only", south, `["vi"]`},
		{"off", off, `[]`},
		{"engine missing", missing, `[]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var answer map[string]json.RawMessage
			if code := callJSON(t, speechServer(t, c.cfg), http.MethodGet, "/api/kiosk", "", &answer); code != 200 {
				t.Fatalf("status %d", code)
			}
			if got := string(answer["voices"]); got != c.want {
				t.Fatalf("voices = %s, want %s", got, c.want)
			}
		})
	}
	// A server built without a voice (Speech nil) has none to offer.
	if v := (*speech.Engine)(nil).Voices(); v == nil || len(v) != 0 {
		t.Fatalf("no engine: voices = %#v, want an empty list", v)
	}
}

// withRecordings is a pack's files plus recorded lines under media/speech/.
type withRecordings struct {
	fs.FS
	speech fstest.MapFS
}

func (w withRecordings) Open(name string) (fs.File, error) {
	if strings.HasPrefix(name, "media/speech") {
		return w.speech.Open(name)
	}
	return w.FS.Open(name)
}

// The pack's recording of a line wins over the synthetic voice, for that
// exact text (spaces aside) in that language, even in a language with no
// voice and with the voice off; every other line is still spoken.
func TestSpeechPlaysRecordedLines(t *testing.T) {
	recording, err := fs.ReadFile(content.Starter(), "media/shell/vi/idle-warning.ogg")
	if err != nil {
		t.Fatal(err)
	}
	files := fstest.MapFS{}
	for _, l := range []struct{ lang, text string }{{"vi", "Bạn muốn làm gì?"}, {"rad", "Ih čiăng ngă hơget?"}} {
		p, err := speech.RecordingPath(l.lang, l.text)
		if err != nil {
			t.Fatal(err)
		}
		files[p] = &fstest.MapFile{Data: recording}
	}
	off := config.Default()
	off.Speech.Engine = config.SpeechOff
	cases := []struct {
		name       string
		cfg        config.Config
		lang, text string
		status     int
		from       string // X-Tramso-Speech
	}{
		{"recorded line", config.Default(), "vi", "Bạn muốn làm gì?", 200, "recording"},
		{"same line, other spacing", config.Default(), "vi", "  Bạn muốn\tlàm gì? ", 200, "recording"},
		{"same text, other language", config.Default(), "en", "Bạn muốn làm gì?", 200, "voice"},
		{"another line", config.Default(), "vi", "Tìm kiếm", 200, "voice"},
		{"recorded, no voice for the language", config.Default(), "rad", "Ih čiăng ngă hơget?", 200, "recording"},
		{"not recorded, no voice for the language", config.Default(), "rad", "Mnuih", 404, ""},
		{"recorded, speech off", off, "vi", "Bạn muốn làm gì?", 200, "recording"},
		{"not recorded, speech off", off, "vi", "Tìm kiếm", 503, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv, live := starterServer(t, c.cfg)
			pack := *live.Get().Pack
			pack.Files = withRecordings{pack.Files, files}
			live.Set(&pack, content.SourceEmbedded)
			res, body := get(t, srv, speechPath(c.lang, c.text))
			if res.StatusCode != c.status || res.Header.Get("X-Tramso-Speech") != c.from {
				t.Fatalf("status %d from %q, want %d from %q: %.200s", res.StatusCode, res.Header.Get("X-Tramso-Speech"), c.status, c.from, body)
			}
			if c.from == "recording" && (res.Header.Get("Content-Type") != "audio/ogg" || !bytes.Equal(body, recording)) {
				t.Fatalf("not the recording: %s, %d bytes", res.Header.Get("Content-Type"), len(body))
			}
			var answer map[string]json.RawMessage
			callJSON(t, srv, http.MethodGet, "/api/kiosk", "", &answer)
			if got := string(answer["recorded"]); got != `["vi","rad"]` {
				t.Fatalf("/api/kiosk recorded = %s, want [\"vi\",\"rad\"]", got)
			}
		})
	}
}

// recorded_only=1 (the attract screen's question) answers a pack's recording
// of the line and nothing else: no synthetic voice, 404 no_recording, even
// for a line the voice could say. The pack is a real one in a folder.
func TestSpeechRecordedOnly(t *testing.T) {
	srv, live := starterServer(t, config.Default())
	recording, err := fs.ReadFile(content.Starter(), "media/shell/vi/idle-warning.ogg")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, content.Starter()); err != nil {
		t.Fatal(err)
	}
	invite := "Chạm vào màn hình để bắt đầu"
	p, err := speech.RecordingPath("vi", invite)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, p), recording, 0o644); err != nil {
		t.Fatal(err)
	}
	pack, err := content.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	live.Set(pack, content.SourceEmbedded)
	only := func(lang, text string) string { return speechPath(lang, text) + "&recorded_only=1" }

	res, body := get(t, srv, only("vi", invite))
	if res.StatusCode != 200 || res.Header.Get("X-Tramso-Speech") != "recording" || !bytes.Equal(body, recording) {
		t.Fatalf("recorded line: status %d from %q, %d bytes", res.StatusCode, res.Header.Get("X-Tramso-Speech"), len(body))
	}
	for _, c := range []struct{ lang, text string }{{"vi", "Tìm kiếm"}, {"en", invite}, {"rad", invite}} {
		res, body := get(t, srv, only(c.lang, c.text))
		var e struct{ Code string }
		json.Unmarshal(body, &e)
		if res.StatusCode != 404 || e.Code != codeNoRecording || res.Header.Get("X-Tramso-Speech") != "" {
			t.Fatalf("%s %q: status %d code %q from %q, want 404 %s", c.lang, c.text, res.StatusCode, e.Code, res.Header.Get("X-Tramso-Speech"), codeNoRecording)
		}
	}
	// Without the parameter the same unrecorded line is still spoken.
	if res, _ := get(t, srv, speechPath("vi", "Tìm kiếm")); res.StatusCode != 200 || res.Header.Get("X-Tramso-Speech") != "voice" {
		t.Fatalf("plain request: status %d from %q", res.StatusCode, res.Header.Get("X-Tramso-Speech"))
	}
	var answer map[string]json.RawMessage
	callJSON(t, srv, http.MethodGet, "/api/kiosk", "", &answer)
	if got := string(answer["attract_voice_minutes"]); got != "10" {
		t.Fatalf("/api/kiosk attract_voice_minutes = %s, want the default 10", got)
	}
}
