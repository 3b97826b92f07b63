package hub

import (
	"context"
	"crypto/ed25519"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
)

const (
	phoneTouch      = "tutorials/phone-touch.yaml"
	phoneTouchTitle = "Làm quen điện thoại cảm ứng"
	phoneStep1Ogg   = "narration/tutorials/phone-touch/1.vi.ogg"
	phoneStep1Old   = "Vuốt từ dưới lên để mở khóa."
	phoneStep1New   = "Vuốt từ dưới lên để mở khóa nhé."
)

// formOldNarration is the content form's "Lời đọc cũ" warning ("" when the
// form has none).
func formOldNarration(page string) string {
	_, w, ok := strings.Cut(page, `data-testid="old-narration"`)
	if !ok {
		return ""
	}
	w, _, _ = strings.Cut(w, "</div>")
	return w
}

// reviewOldNarration is the change page's "Lời đọc cũ" warning ("" when
// the page has none).
func reviewOldNarration(page string) string {
	_, w, ok := strings.Cut(page, `data-testid="review-old-narration"`)
	if !ok {
		return ""
	}
	w, _, _ = strings.Cut(w, "</div>")
	return w
}

// Outside QA s29, finding 1: an editor adds " nhé" to step 1 of
// phone-touch, keeping its narration (the form says "Lời đọc cũ"); it is
// approved and published, then the console rolls back to the pack before.
// The approved content is then as recorded again, with no warning; but the
// change reopened ("Mở lại thay đổi này") has the edited text with the old
// recording and must say so again, on its form and on its page, and so
// must a brand-new change making the same edit. Before, the rollback's
// system change recorded "the file reads the edited text" and that row
// cleared the warning for good.
func TestS29NarrationOldAfterRollbackAndReopen(t *testing.T) {
	pub, priv := provinceKey(t)
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, SigningKey: priv})
	ctx := context.Background()
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	duyet := loginAs(t, h, srv, "duyet", RoleReviewer)
	good := buildStudioPack(t, h, priv)()

	form := func(change int64) string {
		_, body := lan.get("/admin/content/files/" + phoneTouch + "?change=" + strconv.FormatInt(change, 10))
		return formOldNarration(body)
	}
	saysOld := func(w string) bool {
		return strings.Contains(w, "Bước 1") && strings.Contains(w, phoneStep1Ogg) &&
			strings.Contains(w, phoneStep1Old+`</span>”, chữ bây giờ là`) && strings.Contains(w, phoneStep1New)
	}

	id := mustOpen(t, h, "Bài điện thoại: thêm chữ nhé", "lan")
	mustSave(t, h, id, phoneTouch, edited(t, h, phoneTouch, phoneStep1Old, phoneStep1New), "lan")
	if w := form(id); !saysOld(w) {
		t.Fatalf("fixture: the form does not flag step 1's narration: %q", w)
	}
	approveWithSources(t, h, id, "lan", "hoa")
	buildStudioPack(t, h, priv)()
	rollBack(t, h, priv, good)

	// The approved content is back to the words the recording reads.
	if !strings.Contains(string(approvedBytes(t, h, phoneTouch)), phoneStep1Old) {
		t.Fatal("fixture: the rollback did not bring step 1's old text back")
	}
	if _, body := lan.get("/admin/content/files/" + phoneTouch); formOldNarration(body) != "" {
		t.Fatalf("rolled back to the recorded words, the approved content still flags the narration: %q", formOldNarration(body))
	}

	// Reopened: the edit is back, over the same recording.
	_, body := lan.post(changeURL(id), url.Values{"csrf": {lan.csrf(changeURL(id))}, "action": {"reopen"}}, srv.URL)
	if !strings.Contains(body, "Đã mở lại thành thay đổi mới") {
		t.Fatalf("reopen: %s", snippetAround(body, "error"))
	}
	open, err := h.Changes(ctx, 10, StateDraft)
	if err != nil || len(open) != 1 {
		t.Fatalf("the reopened change: %+v %v", open, err)
	}
	re := open[0].ID
	if !strings.Contains(string(changeBytes(t, h, re, phoneTouch)), phoneStep1New) {
		t.Fatal("fixture: the reopened change does not carry the edit")
	}
	if w := form(re); !saysOld(w) {
		t.Fatalf("the reopened change's form does not flag step 1's narration: %q", w)
	}
	mustPropose(t, h, re, "lan")
	_, body = duyet.get(changeURL(re))
	if w := reviewOldNarration(body); !strings.Contains(w, phoneTouchTitle) || !strings.Contains(w, "bước 1") ||
		!strings.Contains(w, phoneStep1Ogg) || !strings.Contains(w, phoneStep1Old) {
		t.Fatalf("the reopened change's page does not warn the reviewer: %q", w)
	}

	// A new change making the same edit on the approved content.
	fresh := mustOpen(t, h, "Thêm chữ nhé lần nữa", "lan")
	mustSave(t, h, fresh, phoneTouch, edited(t, h, phoneTouch, phoneStep1Old, phoneStep1New), "lan")
	if w := form(fresh); !saysOld(w) {
		t.Fatalf("a new change with the same edit does not flag step 1's narration: %q", w)
	}

	// The step's English, made from the old words, is as out of date.
	const line = "lesson:phone-touch:steps[0].text"
	if isStale(t, h, ctx, 0, line) || !isStale(t, h, ctx, re, line) || !isStale(t, h, ctx, fresh, line) {
		t.Fatalf("the English of step 1: stale in the approved content %v (want false), in the reopened change %v, in the new one %v (want true)",
			isStale(t, h, ctx, 0, line), isStale(t, h, ctx, re, line), isStale(t, h, ctx, fresh, line))
	}
}

// The same when the edit came with a new recording (B) and a later edit
// (C) kept it: rolled back to the pack before both, the approved content
// has the first recording again with the words it reads (A) and must not be
// flagged; the rollback puts the first file back as a new version, and what
// a recording reads is told by its bytes, not by that version. A new edit
// over the first recording is flagged with A.
func TestS29NarrationRollbackOfARecording(t *testing.T) {
	pub, priv := provinceKey(t)
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, SigningKey: priv})
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	good := buildStudioPack(t, h, priv)()
	const third = "Vuốt nhẹ từ dưới lên để mở khóa nhé."

	one := mustOpen(t, h, "Sửa chữ và ghi âm lại", "lan")
	mustSave(t, h, one, phoneTouch, edited(t, h, phoneTouch, phoneStep1Old, phoneStep1New), "lan")
	mustSave(t, h, one, "media/"+phoneStep1Ogg, opusOgg(t, 12), "lan")
	approveWithSources(t, h, one, "lan", "hoa")
	if _, body := lan.get("/admin/content/files/" + phoneTouch); formOldNarration(body) != "" {
		t.Fatalf("fixture: re-recorded with the edit, the approved content is flagged: %q", formOldNarration(body))
	}
	buildStudioPack(t, h, priv)()

	approvedEdit(t, h, "Sửa chữ lần hai", "lan", phoneTouch, phoneStep1New, third)
	if _, body := lan.get("/admin/content/files/" + phoneTouch); !strings.Contains(formOldNarration(body), phoneStep1New+`</span>”, chữ bây giờ là`) {
		t.Fatalf("fixture: the second edit is not flagged as reading %q: %q", phoneStep1New, formOldNarration(body))
	}
	buildStudioPack(t, h, priv)()
	rollBack(t, h, priv, good)

	if !strings.Contains(string(approvedBytes(t, h, phoneTouch)), phoneStep1Old) {
		t.Fatal("fixture: the rollback did not bring step 1's first text back")
	}
	if _, body := lan.get("/admin/content/files/" + phoneTouch); formOldNarration(body) != "" {
		t.Fatalf("rolled back to the first recording and its words, the approved content is flagged: %q", formOldNarration(body))
	}

	// A new edit over the first recording is flagged with the words it reads.
	fresh := mustOpen(t, h, "Sửa chữ lần ba", "lan")
	mustSave(t, h, fresh, phoneTouch, edited(t, h, phoneTouch, phoneStep1Old, third), "lan")
	_, body := lan.get("/admin/content/files/" + phoneTouch + "?change=" + strconv.FormatInt(fresh, 10))
	if w := formOldNarration(body); !strings.Contains(w, phoneStep1Old+`</span>”, chữ bây giờ là`) || !strings.Contains(w, third) {
		t.Fatalf("a new edit over the first recording is not flagged as reading %q: %q", phoneStep1Old, w)
	}
}

// Outside QA s29, finding 2: the reviewer opening a change that rewords a
// narrated step is told that the recording reads the old words, naming the
// lesson, the step and the file, with "Ghi âm lại" while the change is
// open; as a warning: the change can still be approved. A change to a
// lesson that leaves every narrated text alone, and the same change once
// the step is recorded again, show no such warning.
func TestS29ReviewPageWarnsOfOldNarration(t *testing.T) {
	h, srv := startTestHub(t, Options{Frontend: os.DirFS("../../frontend/src")})
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	duyet := loginAs(t, h, srv, "duyet", RoleReviewer)

	id := mustOpen(t, h, "Sửa chữ bài Zalo", "lan")
	mustSave(t, h, id, zaloSafe, edited(t, h, zaloSafe, zaloStep2Old, zaloStep2New), "lan")
	_, body := lan.get(changeURL(id))
	if w := reviewOldNarration(body); !strings.Contains(w, `href="/admin/content/record/vi?change=`+strconv.FormatInt(id, 10)+`&amp;group=file%3A`+url.QueryEscape(zaloSafe)+`"`) {
		t.Fatalf("the warning does not link the recording page of the open change: %q", w)
	}
	mustPropose(t, h, id, "lan")
	_, body = duyet.get(changeURL(id))
	w := reviewOldNarration(body)
	for _, want := range []string{"Lời đọc cũ: cần ghi âm lại", "Bài “", "bước 2", zaloStep2Ogg, zaloStep2Old, zaloStep2New, "tiếng Việt"} {
		if !strings.Contains(w, want) {
			t.Fatalf("the review page's warning lacks %q: %q\n%s", want, w, snippetAround(body, "Bản dịch cần dịch lại"))
		}
	}
	if strings.Contains(w, "bước 1 ") || strings.Contains(w, "/1.vi.ogg") {
		t.Fatalf("step 1, whose text is unchanged, is named: %q", w)
	}
	if !strings.Contains(body, `value="approve"`) {
		t.Fatal("the warning blocks approval; the narrator may record after")
	}

	// The same edit with the step recorded again: no warning.
	rec := mustOpen(t, h, "Sửa chữ và ghi âm", "lan")
	mustSave(t, h, rec, zaloSafe, edited(t, h, zaloSafe, zaloStep2Old, zaloStep2New), "lan")
	if code, msg := sendRecording(t, lan, "vi", rec, zaloStep2, textOfStep2(t, h, rec), opusOgg(t, 10)); code != http.StatusOK {
		t.Fatalf("recording refused: %d %s", code, msg)
	}
	if _, body = duyet.get(changeURL(rec)); strings.Contains(body, "review-old-narration") {
		t.Fatalf("recorded again, the page still warns: %q", reviewOldNarration(body))
	}

	// A lesson edit away from the narrated texts: no warning.
	other := mustOpen(t, h, "Sửa tiêu đề bài", "lan")
	mustSave(t, h, other, phoneTouch, edited(t, h, phoneTouch, "Nút nguồn thường ở cạnh phải của máy.", "Nút nguồn thường ở cạnh phải."), "lan")
	if _, body = duyet.get(changeURL(other)); strings.Contains(body, "review-old-narration") {
		t.Fatalf("a change that leaves narrated texts alone warns: %q", reviewOldNarration(body))
	}
}
