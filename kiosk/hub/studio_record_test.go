package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"tramso/kiosk/oggopus"
	"tramso/kiosk/speech"
	"tramso/kiosk/translate"
)

// recordHub is a hub whose kiosk frontend is the source tree's, for its
// shell catalogues (frontend/src/i18n, as the built dist carries them).
func recordHub(t *testing.T) (*Hub, *admin, *admin) {
	t.Helper()
	h, srv := startTestHub(t, Options{Frontend: os.DirFS("../../frontend/src")})
	return h, loginAs(t, h, srv, "lan", RoleEditor), loginAs(t, h, srv, "xem", RoleViewer)
}

// sendRecording posts a recording of line ctxt (shown as text) as the
// page's script does, and returns the status and the JSON's message.
func sendRecording(t *testing.T, a *admin, lng string, change int64, ctxt, text string, audio []byte) (int, string) {
	t.Helper()
	fields := map[string]string{"csrf": a.csrf("/admin/content/"), "change": strconv.FormatInt(change, 10), "ctxt": ctxt, "text": text}
	code, body := a.postFile("/admin/content/record/"+lng, fields, "audio", "ghi-am.webm", audio)
	var answer struct {
		OK      bool
		Message string
	}
	if code != http.StatusForbidden {
		if err := json.Unmarshal([]byte(body), &answer); err != nil || answer.OK != (code == http.StatusOK) {
			t.Fatalf("answer %d %.300s: %v", code, body, err)
		}
	}
	return code, answer.Message
}

// opusOgg is an Ogg Opus file of n packets of 120 ms (n × 0.12 s).
func opusOgg(t *testing.T, n int) []byte {
	t.Helper()
	head := append([]byte("OpusHead"), 1, 1, 0, 0, 0x80, 0xbb, 0, 0, 0, 0, 0)
	var audio [][]byte
	for range n {
		audio = append(audio, []byte{31<<3 | 3, 6, 0, 0, 0, 0, 0, 0})
	}
	b, err := oggopus.Write(head, audio, "test")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// An editor records the home screen's question in Vietnamese through real
// sessions: the upload (Chromium's WebM) is saved as Ogg Opus at the
// line's speech path in the change, the change's kiosk preview plays it
// for that text, and the page's coverage agrees with `pack translations
// status`. Garbage, a recording too long or too short, a line with no
// translation or retranslated since, and a viewer are refused.
func TestRecordStudio(t *testing.T) {
	h, lan, xem := recordHub(t)
	ctx := context.Background()
	const ctxt, text = "shell:shell.home.title", "Bạn muốn làm gì?"

	code, body := xem.get("/admin/content/record/vi")
	if code != http.StatusOK || !strings.Contains(body, "Màn hình kiosk: shell · home") || !strings.Contains(body, "Đã ghi âm <strong>0</strong>") {
		t.Fatalf("the list of screens: %d %.2000s", code, body)
	}
	if code, _ := xem.get("/admin/content/record/fr"); code != http.StatusNotFound {
		t.Fatalf("an unknown language: %d", code)
	}
	// Recording needs a change: "Ghi âm vào thay đổi này" opens one.
	mustPost(t, lan, "/admin/content/record/vi", url.Values{"action": {"open"}, "into": {"new"}, "group": {"shell:shell.home"}}, http.StatusOK)
	cs, _ := h.Changes(ctx, 10, StateDraft)
	if len(cs) != 1 || cs[0].Title != "Ghi âm Tiếng Việt" {
		t.Fatalf("changes: %+v", cs)
	}
	change := cs[0].ID
	page := fmt.Sprintf("/admin/content/record/vi?change=%d&group=shell%%3Ashell.home", change)
	code, body, hdr := lan.request("GET", page, "", "")
	if code != http.StatusOK || !strings.Contains(body, `data-text="`+text+`"`) || !strings.Contains(body, `src="/admin/static/record.js"`) {
		t.Fatalf("the shell's lines: %d %.2000s", code, body)
	}
	if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "media-src 'self' blob:") || strings.Contains(csp, "unsafe") {
		t.Fatalf("recording page policy %q", csp)
	}
	if _, _, hdr := lan.request("GET", "/admin/content/", "", ""); strings.Contains(hdr.Get("Content-Security-Policy"), "script-src") {
		t.Fatal("another console page allows script")
	}
	if code, body := xem.get(page); code != http.StatusOK || strings.Contains(body, "record.js") || strings.Contains(body, `class="recorder"`) {
		t.Fatalf("a viewer gets the recorder: %d", code)
	}

	webm, err := os.ReadFile("../oggopus/testdata/chromium-156.webm")
	if err != nil {
		t.Fatal(err)
	}
	refusals := []struct {
		name, lng, ctxt, text string
		audio                 []byte
		says                  string
	}{
		{"garbage", "vi", ctxt, text, []byte("không phải âm thanh"), "không phải bản ghi âm Ogg Opus"},
		{"cut short", "vi", ctxt, text, webm[:len(webm)/2], "không phải âm thanh Opus"},
		{"too long", "vi", ctxt, text, opusOgg(t, 510), "quá 60 giây"},
		{"too short", "vi", ctxt, text, opusOgg(t, 1), "quá ngắn"},
		{"too big", "vi", ctxt, text, make([]byte, maxRecording+1), "quá lớn"},
		{"untranslated", "rad", ctxt, text, webm, "chưa có bản dịch Tiếng Ê Đê"},
		{"retranslated", "vi", ctxt, "Bạn cần gì?", webm, "vừa được sửa"},
		{"no such line", "vi", "shell:shell.nope", text, webm, "Không có dòng này"},
		{"placeholder", "vi", "shell:shell.home.learn_count", "{n} bài học", webm, "tự điền"},
	}
	for _, c := range refusals {
		if code, msg := sendRecording(t, lan, c.lng, change, c.ctxt, c.text, c.audio); code != http.StatusBadRequest || !strings.Contains(msg, c.says) {
			t.Errorf("%s: %d %q, want 400 saying %q", c.name, code, msg, c.says)
		}
	}
	if code, _ := sendRecording(t, xem, "vi", change, ctxt, text, webm); code != http.StatusForbidden {
		t.Fatalf("a viewer records: %d", code)
	}
	if vs, _ := h.ChangeVersions(ctx, change); len(vs) != 0 {
		t.Fatalf("refused recordings saved: %+v", vs)
	}

	if code, msg := sendRecording(t, lan, "vi", change, ctxt, text, webm); code != http.StatusOK || msg != "Đã lưu" {
		t.Fatalf("a good recording: %d %q", code, msg)
	}
	want, _ := speech.RecordingPath("vi", text)
	saved := fileBytes(t, h, change, want)
	if info, err := oggopus.Check([]byte(saved)); err != nil || info.Duration < 1e9 {
		t.Fatalf("saved at %s: %v %+v", want, err, info)
	}
	vs, _ := h.ChangeVersions(ctx, change)
	if len(vs) != 1 || vs[0].Author != "lan" {
		t.Fatalf("versions %+v", vs)
	}
	// A recording blocks nothing in review: the pack's lint takes it.
	if rv, err := h.ChangeReview(ctx, change); err != nil || len(rv.Problems) > 0 {
		t.Fatalf("review of the recording: %v %v", err, rv.Problems)
	}
	// The kiosk, previewing the change, plays it for that line.
	code, got, hdr := xem.request("GET", fmt.Sprintf("%s%d/api/speech?lang=vi&recorded_only=1&text=%s", PreviewPrefix, change, url.QueryEscape(text)), "", "")
	if code != http.StatusOK || hdr.Get("X-Tramso-Speech") != "recording" || got != saved {
		t.Fatalf("the preview's speech: %d %q, %d bytes", code, hdr.Get("X-Tramso-Speech"), len(got))
	}

	// Coverage: the page and `pack translations status` count alike.
	tree, _ := h.ChangeTree(ctx, change)
	status, err := translate.Status(os.DirFS("../../frontend/src"), h.TreeFS(ctx, tree))
	if err != nil {
		t.Fatal(err)
	}
	rec := status[0].Recorded
	if status[0].Lang != "vi" || rec.Done != 1 {
		t.Fatalf("status %+v", status[0])
	}
	code, body = xem.get(fmt.Sprintf("/admin/content/record/vi?change=%d", change))
	if cov := fmt.Sprintf("Đã ghi âm <strong>%d</strong> trên %d dòng", rec.Done, rec.Total); code != http.StatusOK || !strings.Contains(body, cov) {
		t.Fatalf("the page does not say %q: %.1500s", cov, body)
	}

	// An Ogg Opus upload (as Firefox records) replaces it, as sent.
	ogg := opusOgg(t, 20)
	if code, msg := sendRecording(t, lan, "vi", change, ctxt, text, ogg); code != http.StatusOK {
		t.Fatalf("an Ogg recording: %d %q", code, msg)
	}
	if fileBytes(t, h, change, want) != string(ogg) {
		t.Fatal("the Ogg upload was not saved as sent")
	}

	// The reviewer hears it on the change's page; a new line has no older take.
	code, body = xem.get(fmt.Sprintf("/admin/content/changes/%d", change))
	src := fmt.Sprintf("%s%d/api/%s", PreviewPrefix, change, want)
	if code != http.StatusOK || !strings.Contains(body, `<audio controls preload="none" src="`+src+`" data-testid="media-new">`) || strings.Contains(body, "media-old") {
		t.Fatalf("the change page does not play %s: %d %.3000s", src, code, body)
	}
	if code, got, _ := xem.request("GET", src, "", ""); code != http.StatusOK || got != string(ogg) {
		t.Fatalf("the player's address: %d, %d bytes", code, len(got))
	}
}
