package hub

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

const (
	zaloSafe     = "tutorials/zalo-safe.yaml"
	zaloStep2    = "lesson:zalo-safe:steps[1].text"
	zaloStep2Ogg = "narration/tutorials/zalo-safe/2.vi.ogg"
	zaloStep2Old = "Người khác cầm máy bạn cũng không mở được Zalo."
	zaloStep2New = "Người khác cầm máy của bạn cũng không mở được Zalo."
)

// A narrated step's text fixed in a change: its narration reads the old
// words, said on the content form and the recording page of that change
// (not of the approved content, whose text is as recorded); a new
// recording from the recording page replaces the step's own file, and the
// warning goes. Approved without a new recording, the approved content has
// the old narration; an upload at the file's path clears it.
func TestStaleNarrationNeedsRecording(t *testing.T) {
	h, lan, xem := recordHub(t)
	ctx := context.Background()
	id := mustOpen(t, h, "Sửa chữ bài Zalo", "lan")
	mustSave(t, h, id, zaloSafe, edited(t, h, zaloSafe, zaloStep2Old, zaloStep2New), "lan")
	change := "change=" + strconv.FormatInt(id, 10)
	group := "&group=" + url.QueryEscape("file:"+zaloSafe)

	_, body := xem.get("/admin/content/files/" + zaloSafe + "?" + change)
	if !strings.Contains(body, `data-testid="old-narration"`) || !strings.Contains(body, "Lời đọc cũ: ghi âm trước khi sửa chữ") ||
		!strings.Contains(body, "Bước 2") || !strings.Contains(body, zaloStep2Ogg) || !strings.Contains(body, zaloStep2Old) {
		t.Fatalf("the content form does not flag step 2's narration: %.6000s", body)
	}
	if strings.Contains(body, "narration/tutorials/zalo-safe/1.vi.ogg</code>: <span") {
		t.Fatal("step 1, whose text is unchanged, is flagged")
	}
	if _, body = xem.get("/admin/content/files/" + zaloSafe); strings.Contains(body, `data-testid="old-narration"`) {
		t.Fatal("the approved content, whose text is as recorded, flags the narration")
	}
	_, body = xem.get("/admin/content/record/vi?" + change)
	if !strings.Contains(body, `data-testid="old-narrations"`) {
		t.Fatalf("the recording page's list does not flag the lesson: %.4000s", body)
	}
	_, body = lan.get("/admin/content/record/vi?" + change + group)
	line := recordLineHTML(t, body, zaloStep2)
	if !strings.Contains(line, "lời đọc cũ: ghi âm trước khi sửa chữ") || !strings.Contains(line, zaloStep2Old) || !strings.Contains(line, `class="recorder"`) {
		t.Fatalf("the recording page does not offer to record step 2 again: %s", line)
	}

	if code, _ := xem.get(PreviewPrefix + strconv.FormatInt(id, 10) + "/api/media/" + zaloStep2Ogg); code != http.StatusOK ||
		!strings.Contains(line, `src="`+PreviewPrefix+strconv.FormatInt(id, 10)+"/api/media/"+zaloStep2Ogg+`"`) {
		t.Fatalf("the line does not play the step's narration through the preview: %d %s", code, line)
	}

	// A new recording replaces the step's own narration file.
	if code, msg := sendRecording(t, lan, "vi", id, zaloStep2, textOfStep2(t, h, id), opusOgg(t, 10)); code != http.StatusOK {
		t.Fatalf("recording refused: %d %s", code, msg)
	}
	if got := fileBytes(t, h, id, "media/"+zaloStep2Ogg); !strings.HasPrefix(got, "OggS") || len(got) > 2000 {
		t.Fatalf("the narration file was not replaced by the recording (%d bytes)", len(got))
	}
	if _, body = xem.get("/admin/content/files/" + zaloSafe + "?" + change); strings.Contains(body, `data-testid="old-narration"`) {
		t.Fatal("re-recorded, the narration is still old")
	}
	_, body = lan.get("/admin/content/record/vi?" + change + group)
	if strings.Contains(recordLineHTML(t, body, zaloStep2), "lời đọc cũ") {
		t.Fatal("re-recorded, the recording page still flags the narration")
	}

	// Approved with the text alone: the approved content's narration is old
	// until a file is uploaded over it.
	other := mustOpen(t, h, "Chỉ sửa chữ", "lan")
	mustSave(t, h, other, zaloSafe, edited(t, h, zaloSafe, zaloStep2Old, zaloStep2New), "lan")
	mustPropose(t, h, other, "lan")
	if err := h.Approve(ctx, other, "hoa"); err != nil {
		t.Fatal(err)
	}
	if _, body = xem.get("/admin/content/files/" + zaloSafe); !strings.Contains(body, `data-testid="old-narration"`) {
		t.Fatal("approved, the approved content does not flag the narration")
	}
	up := mustOpen(t, h, "Tải lời đọc mới", "lan")
	mustSave(t, h, up, "media/"+zaloStep2Ogg, opusOgg(t, 12), "lan")
	if _, body = xem.get("/admin/content/files/" + zaloSafe + "?change=" + strconv.FormatInt(up, 10)); strings.Contains(body, `data-testid="old-narration"`) {
		t.Fatal("a file uploaded over the narration does not clear it")
	}
	// The change with the old file and the new text that lost to "other"
	// still has its own new recording; the approved content still the old.
	if _, body = xem.get("/admin/content/files/" + zaloSafe); !strings.Contains(body, `data-testid="old-narration"`) {
		t.Fatal("an upload in a change not yet approved clears the approved content's warning")
	}
}

// The text of step 2 as the change's recording page shows it.
func textOfStep2(t *testing.T, h *Hub, change int64) string {
	t.Helper()
	b := fileBytes(t, h, change, zaloSafe)
	i := strings.Index(b, "Đặt Mã khóa Zalo.")
	if i < 0 {
		t.Fatalf("no step 2 in %s", b)
	}
	line, _, _ := strings.Cut(b[i:], "\n")
	return line
}

// recordLineHTML is the markup of line ctxt on a recording page.
func recordLineHTML(t *testing.T, page, ctxt string) string {
	t.Helper()
	i := strings.Index(page, `data-ctxt="`+ctxt+`"`)
	if i < 0 {
		t.Fatalf("no line %s: %.3000s", ctxt, page)
	}
	line, _, _ := strings.Cut(page[i:], "</li>")
	return line
}

// An edit undone: step 2's text approved A→B keeping its narration (old in
// the approved content), then a change rewords it back B→A: the text is
// again what the file reads, so the change does not flag it. A change that
// rewords it B→C instead flags it with what the file reads, A (the text it
// was recorded for), not B (the text it was merely kept with).
func TestStaleNarrationEditUndone(t *testing.T) {
	h, _, xem := recordHub(t)
	ctx := context.Background()
	const zaloStep2Other = "Người khác cầm điện thoại của bạn cũng không mở được Zalo."
	// was is the end of the warning's "bản ghi đọc" text, warning the
	// form's warning ("" when none).
	was := func(text string) string { return text + `</span>”, chữ bây giờ là` }
	warning := func(page string) string {
		_, w, _ := strings.Cut(page, `data-testid="old-narration"`)
		w, _, _ = strings.Cut(w, "</div>")
		return w
	}

	a := mustOpen(t, h, "Sửa", "lan")
	mustSave(t, h, a, zaloSafe, edited(t, h, zaloSafe, zaloStep2Old, zaloStep2New), "lan")
	mustPropose(t, h, a, "lan")
	if err := h.Approve(ctx, a, "hoa"); err != nil {
		t.Fatal(err)
	}
	if _, body := xem.get("/admin/content/files/" + zaloSafe); !strings.Contains(warning(body), was(zaloStep2Old)) {
		t.Fatalf("fixture: the approved content does not flag the narration as reading %q: %q", zaloStep2Old, warning(body))
	}

	undo := mustOpen(t, h, "Hoàn tác", "lan")
	mustSave(t, h, undo, zaloSafe, edited(t, h, zaloSafe, zaloStep2New, zaloStep2Old), "lan")
	if _, body := xem.get("/admin/content/files/" + zaloSafe + "?change=" + strconv.FormatInt(undo, 10)); warning(body) != "" {
		t.Fatalf("the text reverted to what the file reads, still flagged old: %q", warning(body))
	}

	again := mustOpen(t, h, "Sửa lần nữa", "lan")
	mustSave(t, h, again, zaloSafe, edited(t, h, zaloSafe, zaloStep2New, zaloStep2Other), "lan")
	if _, body := xem.get("/admin/content/files/" + zaloSafe + "?change=" + strconv.FormatInt(again, 10)); !strings.Contains(warning(body), was(zaloStep2Old)) {
		t.Fatalf("reworded a second time, the narration is not flagged as reading %q: %q", zaloStep2Old, warning(body))
	}
}
