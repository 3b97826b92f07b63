package hub

import (
	"context"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"tramso/kiosk/content"
	"tramso/kiosk/studio/form"
	"tramso/kiosk/studio/form/formtest"
)

// The studio's item pages through real sessions, posting back exactly what
// the rendered form holds, as a browser would: an editor opens khai-sinh in
// a change, changes the late fee, saves a version with its summary in
// words; a list button shows the form again without saving; a typo saves
// nothing; a viewer may read but not save; history restores an old
// version; a new procedure starts with its problems beside the fields; a
// text file saves as text; media uploads are checked.
func TestStudioFilePages(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	ctx := context.Background()
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	xem := loginAs(t, h, srv, "xem", RoleViewer)
	const page = "/admin/content/files/" + khaiSinh

	code, body := xem.get("/admin/content/")
	for _, want := range []string{"Làm giấy khai sinh cho bé", "mã 1.001193", "Bài học", "nội dung đã duyệt", "học phần Định danh và an toàn dữ liệu cá nhân"} {
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Fatalf("the index lacks %q: %d %.1500s", want, code, body)
		}
	}
	code, body = xem.get(page)
	if code != http.StatusOK || !strings.Contains(body, "<fieldset class=\"studio-body\" disabled>") || strings.Contains(body, "Sửa tệp này") {
		t.Fatalf("a viewer's file page is not read-only: %d %.500s", code, body)
	}
	// An answer hands over to a procedure chosen by name from the content's own.
	code, body = xem.get("/admin/content/files/life-events.yaml")
	if code != http.StatusOK || !strings.Contains(body, `.procedure" name="`) || !strings.Contains(body, `<option value="1.001193" selected>1.001193: Làm giấy khai sinh cho bé</option>`) {
		t.Fatalf("life-events.yaml has no select of procedures: %d %.500s", code, body)
	}

	// "Sửa tệp này" opens a change named for the work and shows the form in it.
	body = mustPost(t, lan, page, url.Values{"action": {"open"}, "into": {"new"}, "title": {"Lệ phí khai sinh quá hạn"}}, http.StatusOK)
	cs, _ := h.Changes(ctx, 10, StateDraft)
	if len(cs) != 1 || cs[0].Title != "Lệ phí khai sinh quá hạn" {
		t.Fatalf("changes: %+v", cs)
	}
	change := cs[0].ID
	vals := formOf(t, body)
	late := feeIndex(t, vals, "late")
	vals.Set("fees."+late+".kind", "amount")
	vals.Set("fees."+late+".amount", "8.000")
	body = mustPost(t, lan, page, vals, http.StatusOK)
	if !strings.Contains(body, `data-testid="saved"`) || !strings.Contains(body, "8.000 đ") {
		t.Fatalf("no saved summary: %.3000s", body)
	}
	vs, _ := h.ChangeVersions(ctx, change)
	if len(vs) != 1 || !strings.Contains(vs[0].Summary, "Đã quá 60 ngày") || vs[0].Author != "lan" {
		t.Fatalf("versions: %+v", vs)
	}

	// A list button: the form again, one document more, nothing saved.
	vals = formOf(t, body)
	vals.Set("op", "add:documents")
	body = mustPost(t, lan, page, vals, http.StatusOK)
	if got := formOf(t, body).Get("len:documents"); got != "3" {
		t.Fatalf("after add, len:documents = %q", got)
	}
	if vs, _ := h.ChangeVersions(ctx, change); len(vs) != 1 {
		t.Fatalf("a list button saved: %d versions", len(vs))
	}
	// A typo: the form again with what was typed, nothing saved.
	vals = formOf(t, body)
	vals.Del("op")
	vals.Set("fees."+late+".amount", "8 nghìn")
	body = mustPost(t, lan, page, vals, http.StatusBadRequest)
	if !strings.Contains(body, "8 nghìn") || !strings.Contains(body, "Chưa lưu gì") {
		t.Fatalf("typo page: %.2000s", body)
	}
	if vs, _ := h.ChangeVersions(ctx, change); len(vs) != 1 {
		t.Fatalf("a typo saved: %d versions", len(vs))
	}
	// A viewer cannot save, even with the form in hand.
	vals.Set("csrf", xem.csrf(page))
	if code, _ := xem.post(page, vals, srv.URL); code != http.StatusForbidden {
		t.Fatalf("a viewer saves: %d", code)
	}

	// History: the approved seed and the change's version; restore the seed
	// into the same change.
	code, body = xem.get("/admin/content/history/" + khaiSinh)
	if code != http.StatusOK || strings.Count(body, `data-testid="version-`) != 2 {
		t.Fatalf("history: %d %.2000s", code, body)
	}
	seed, _ := h.FileHistory(ctx, khaiSinh)
	mustPost(t, lan, "/admin/content/history/"+khaiSinh, url.Values{"version": {strconv.FormatInt(seed[len(seed)-1].ID, 10)}, "into": {strconv.FormatInt(change, 10)}}, http.StatusOK)
	tree, _ := h.ChangeTree(ctx, change)
	approved, _ := h.ApprovedTree(ctx)
	if tree[khaiSinh].SHA256 != approved[khaiSinh].SHA256 {
		t.Fatal("restore did not bring back the approved bytes")
	}

	// A new procedure: saved nearly empty, its problems beside the fields.
	body = mustPost(t, lan, "/admin/content/new", url.Values{"kind": {"procedure"}, "id": {"cap-the-bhyt"}, "into": {strconv.FormatInt(change, 10)}}, http.StatusOK)
	if !strings.Contains(body, "sf-problem") || !strings.Contains(body, "Kiosk chưa nhận được tệp này") {
		t.Fatalf("a new procedure shows no problems: %.2000s", body)
	}
	// In Vietnamese (lint says "at least one step is required").
	if !regexp.MustCompile(`<p class="sf-problem" role="alert" id="e-[^"]*">Cần ít nhất một bước</p>`).MatchString(body) || strings.Contains(body, "is required") {
		t.Fatalf("a new procedure's problems are not in Vietnamese: %.4000s", body)
	}
	mustPost(t, lan, "/admin/content/new", url.Values{"kind": {"procedure"}, "id": {"../x"}, "into": {strconv.FormatInt(change, 10)}}, http.StatusBadRequest)

	// A file without a form, as text; the text form names its base too.
	textForm := func() url.Values {
		_, page := lan.get("/admin/content/files/search.yaml?change=" + strconv.FormatInt(change, 10))
		return formOf(t, page)
	}
	vals = textForm()
	vals.Set("text", "synonyms: {}\r\n")
	body = mustPost(t, lan, "/admin/content/files/search.yaml", vals, http.StatusOK)
	if !strings.Contains(body, `data-testid="saved"`) {
		t.Fatalf("text save: %.1000s", body)
	}
	if got := fileBytes(t, h, change, "search.yaml"); got != "synonyms: {}\n" {
		t.Fatalf("search.yaml saved as %q", got)
	}
	// Its problems are listed, there being no fields to show them beside.
	vals = textForm()
	vals.Set("text", "synonyms:\n  - phrases: {vi: [khai sinh]}\n    procedures: [\"9.999999\"]\n")
	body = mustPost(t, lan, "/admin/content/files/search.yaml", vals, http.StatusOK)
	if !strings.Contains(body, `<li class="err"><code>synonyms[1].procedures[1]</code>: Không có mã thủ tục &#34;9.999999&#34;</li>`) {
		t.Fatalf("search.yaml's problem is not listed in Vietnamese: %.4000s", body)
	}
}

func TestStudioMediaUpload(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	ctx := context.Background()
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	c, err := h.OpenChange(ctx, "Hình mới", "lan")
	if err != nil {
		t.Fatal(err)
	}
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	for _, tc := range []struct {
		name, folder string
		body         []byte
		status       int
		want         string
	}{
		{"hinh.png", "media/tutorials/x", png, http.StatusOK, "media/tutorials/x/hinh.png"},
		{"hinh.svg", "media/tutorials/x", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), http.StatusBadRequest, "mã chạy"},
		{"hinh.png", "media/tutorials/x", []byte("GIF89a not a png"), http.StatusBadRequest, "không phải ảnh PNG"},
		{"hinh.gif", "media/tutorials/x", []byte("GIF89a"), http.StatusBadRequest, "Chỉ nhận hình SVG"},
		{"to.png", "media/tutorials/x", append(png, make([]byte, 5<<20)...), http.StatusBadRequest, "quá lớn"},
		{"hinh.png", "../etc", png, http.StatusBadRequest, "Tên tệp không hợp lệ"},
	} {
		code, body := upload(t, lan, c.ID, tc.folder, tc.name, tc.body)
		if code != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s in %s: %d, want %d and %q: %.600s", tc.name, tc.folder, code, tc.status, tc.want, body)
		}
	}
	vs, _ := h.ChangeVersions(ctx, c.ID)
	if len(vs) != 1 || vs[0].Path != "media/tutorials/x/hinh.png" {
		t.Fatalf("versions after uploads: %+v", vs)
	}
	// Its page shows the picture, served by the change's preview, and
	// refuses to save text over it.
	id := strconv.FormatInt(c.ID, 10)
	code, body := lan.get("/admin/content/files/media/tutorials/x/hinh.png?change=" + id)
	if src := PreviewPrefix + id + "/api/media/tutorials/x/hinh.png"; code != http.StatusOK || !strings.Contains(body, `<img class="studio-media" src="`+src) {
		t.Fatalf("media page: %d %.1500s", code, body)
	}
	code, body = lan.get(PreviewPrefix + id + "/api/media/tutorials/x/hinh.png")
	if code != http.StatusOK || body != string(png) {
		t.Fatalf("the preview serves the picture: %d %q", code, body[:min(len(body), 80)])
	}
	mustPost(t, lan, "/admin/content/files/media/tutorials/x/hinh.png", url.Values{"change": {id}, "text": {"not a png"}}, http.StatusConflict)
}

// mustPost posts vals (with the page's CSRF token) and follows the
// redirect, failing unless the final status is want.
func mustPost(t *testing.T, a *admin, path string, vals url.Values, want int) string {
	t.Helper()
	vals.Set("csrf", a.csrf("/admin/content/"))
	code, body := a.post(path, vals, a.srv.URL)
	if code != want {
		t.Fatalf("POST %s: %d, want %d: %.1500s", path, code, want, body)
	}
	return body
}

func upload(t *testing.T, a *admin, change int64, folder, name string, data []byte) (int, string) {
	t.Helper()
	fields := map[string]string{"csrf": a.csrf("/admin/content/"), "change": strconv.FormatInt(change, 10), "folder": folder}
	return a.postFile("/admin/content/media", fields, "file", name, data)
}

// formOf is what the page's studio form would post.
func formOf(t *testing.T, page string) url.Values {
	t.Helper()
	vals, err := formtest.Post(page, "studio-form")
	if err != nil || len(vals) == 0 {
		t.Fatalf("no studio form on the page (%v): %.500s", err, page)
	}
	return vals
}

// feeIndex is the form index of the fee rule applying when tag is set.
func feeIndex(t *testing.T, vals url.Values, tag string) string {
	t.Helper()
	for k, v := range vals {
		if strings.HasPrefix(k, "fees.") && strings.HasSuffix(k, ".if") && slices.Equal(slices.DeleteFunc(slices.Clone(v), func(s string) bool { return s == "" }), []string{tag}) {
			return strings.TrimSuffix(strings.TrimPrefix(k, "fees."), ".if")
		}
	}
	t.Fatalf("no fee rule for %q in %v", tag, vals)
	return ""
}

// A form that names no version of its file to stand on (a page from before
// an upgrade, or tampered with) is refused, never saved blind; one whose
// file was removed from the change since is refused, keeps what was typed,
// and brings the file back when saved again.
func TestStudioSaveStaleOrRemoved(t *testing.T) {
	h, lan, change, body := openKhaiSinh(t, "Cũ")
	ctx := context.Background()
	const page = "/admin/content/files/" + khaiSinh
	typed := formOf(t, body)
	ketHon, err := fs.ReadFile(content.Starter(), "procedures/ket-hon.yaml")
	if err != nil {
		t.Fatal(err)
	}
	other, err := h.SaveFile(ctx, change, "procedures/ket-hon.yaml", []byte(strings.Replace(string(ketHon), "Đăng ký kết hôn", "Kết hôn", 1)), "lan")
	if err != nil {
		t.Fatal(err)
	}
	before := fileBytes(t, h, change, khaiSinh)
	for _, base := range []string{"abc", "", "-1", "99999999999999999999", strconv.FormatInt(other.ID, 10), "999999999"} {
		f := formOf(t, body)
		f.Set("base", base)
		f.Set("plain_name.vi", "TÊN GÕ TRÊN TRANG CŨ")
		got := mustPost(t, lan, page, f, http.StatusBadRequest)
		if !strings.Contains(got, "không cho biết nó được mở từ phiên bản nào") || !strings.Contains(got, "TÊN GÕ TRÊN TRANG CŨ") {
			t.Errorf("base %q: not refused as a stale form, or the typing lost: %.1500s", base, got)
		}
		if fileBytes(t, h, change, khaiSinh) != before {
			t.Fatalf("base %q: saved blind", base)
		}
	}

	if _, err := h.RemoveFile(ctx, change, khaiSinh, "lan"); err != nil {
		t.Fatal(err)
	}
	typed.Set("summary.vi", "TÓM TẮT GÕ SAU KHI TỆP BỊ XOÁ")
	body = mustPost(t, lan, page, typed, http.StatusConflict)
	if !strings.Contains(body, "đã được đánh dấu xoá trong thay đổi này") || !strings.Contains(body, "TÓM TẮT GÕ SAU KHI TỆP BỊ XOÁ") {
		t.Fatalf("a save over a removal does not say so, or lost the typing: %.1500s", body)
	}
	mustPost(t, lan, page, formOf(t, body), http.StatusOK)
	got := fileBytes(t, h, change, khaiSinh)
	if !strings.Contains(got, "TÓM TẮT GÕ SAU KHI TỆP BỊ XOÁ") {
		t.Fatalf("saving again did not bring the file back:\n%.400s", got)
	}
	// Whole, from the form: it decodes as the procedure, every part there.
	v, err := form.Decode(khaiSinh, []byte(got))
	if err != nil {
		t.Fatal(err)
	}
	if pr := v.(*content.Procedure); pr.Code != "1.001193" || len(pr.Flow.Questions) == 0 || len(pr.Steps) == 0 || pr.PlainName["vi"] != "Làm giấy khai sinh cho bé" {
		t.Errorf("the file came back incomplete: code %q, %d questions, %d steps, name %q", pr.Code, len(pr.Flow.Questions), len(pr.Steps), pr.PlainName["vi"])
	}
}

// openKhaiSinh opens a change named title on khai-sinh.yaml as an editor:
// the hub, the editor, the change and the file's page in it.
func openKhaiSinh(t *testing.T, title string) (*Hub, *admin, int64, string) {
	t.Helper()
	h, srv := startTestHub(t, Options{})
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	body := mustPost(t, lan, "/admin/content/files/"+khaiSinh, url.Values{"action": {"open"}, "into": {"new"}, "title": {title}}, http.StatusOK)
	cs, err := h.Changes(context.Background(), 10, StateDraft)
	if err != nil || len(cs) == 0 {
		t.Fatalf("no change opened: %v", err)
	}
	return h, lan, cs[0].ID, body
}

func fileBytes(t *testing.T, h *Hub, change int64, p string) string {
	t.Helper()
	tree, err := h.ChangeTree(context.Background(), change)
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.blobBytes(context.Background(), tree[p].SHA256)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Two tabs (or two colleagues) on one file: the later save, made on the
// older version, is merged with the earlier one part by part. Edits to
// different parts are both kept; a part both edited is not saved over: the
// form comes back holding both sides' other edits and this tab's words
// there, marked, and saving it again is then a choice made knowingly.
func TestStudioSaveOverANewerVersion(t *testing.T) {
	h, lan, change, body := openKhaiSinh(t, "Hai thẻ")
	const page = "/admin/content/files/" + khaiSinh
	tabA, tabB := formOf(t, body), formOf(t, body)
	if tabA.Get("base") == "" {
		t.Fatal("the form names no base")
	}

	// Different parts: merged, both kept, and the page says so.
	tabA.Set("summary.vi", "TÓM TẮT DO THẺ A SỬA")
	body = mustPost(t, lan, page, tabA, http.StatusOK)
	tabA = formOf(t, body)
	tabB.Set("plain_name.vi", "TÊN DO THẺ B SỬA")
	body = mustPost(t, lan, page, tabB, http.StatusOK)
	if !strings.Contains(body, "đã gộp cả hai") {
		t.Errorf("a merged save does not say so: %.2000s", body)
	}
	if got := fileBytes(t, h, change, khaiSinh); !strings.Contains(got, "TÓM TẮT DO THẺ A SỬA") || !strings.Contains(got, "TÊN DO THẺ B SỬA") {
		t.Fatalf("the merge lost an edit:\n%.600s", got)
	}

	// The same part: refused, the other tab's save stands.
	tabA.Set("plain_name.vi", "TÊN DO THẺ A SỬA")
	tabA.Set("summary.en", "Summary typed in tab A")
	body = mustPost(t, lan, page, tabA, http.StatusConflict)
	if !strings.Contains(body, "cũng sửa những ô được đánh dấu") || !strings.Contains(body, "Bản lưu ở nơi khác cũng sửa ô này, thành: “TÊN DO THẺ B SỬA”") {
		t.Fatalf("the refused save does not say why: %.3000s", body)
	}
	again := formOf(t, body)
	if again.Get("plain_name.vi") != "TÊN DO THẺ A SỬA" || again.Get("summary.en") != "Summary typed in tab A" || again.Get("summary.vi") != "TÓM TẮT DO THẺ A SỬA" {
		t.Errorf("the form shown again lost an edit: name %q, summary %q / %q", again.Get("plain_name.vi"), again.Get("summary.vi"), again.Get("summary.en"))
	}
	if got := fileBytes(t, h, change, khaiSinh); !strings.Contains(got, "TÊN DO THẺ B SỬA") || strings.Contains(got, "TÊN DO THẺ A SỬA") {
		t.Fatalf("tab B's save was undone:\n%.600s", got)
	}
	// Saved again from the page that said so: on purpose, over the newer one.
	body = mustPost(t, lan, page, again, http.StatusOK)
	if got := fileBytes(t, h, change, khaiSinh); !strings.Contains(got, "TÊN DO THẺ A SỬA") || !strings.Contains(got, "Summary typed in tab A") {
		t.Fatalf("the second save did not go through:\n%.600s", got)
	}
	// A tab with nothing of its own, saved after another's save: nothing to
	// keep, and no empty version in the history (outside QA, 2026-12-06).
	idle, busy := formOf(t, body), formOf(t, body)
	busy.Set("summary.vi", "TÓM TẮT DO THẺ C SỬA")
	mustPost(t, lan, page, busy, http.StatusOK)
	before, _ := h.ChangeVersions(context.Background(), change)
	body = mustPost(t, lan, page, idle, http.StatusOK)
	after, _ := h.ChangeVersions(context.Background(), change)
	if !strings.Contains(body, "Không có gì thay đổi nên không lưu phiên bản mới") || len(after) != len(before) {
		t.Fatalf("an idle tab saved %d versions: %.1500s", len(after)-len(before), body)
	}
}

// A change that edits a file another change has been approved for since
// says so on the file's form, where the editor works, not only on the
// change page (outside QA, 2026-12-06).
func TestStaleSaidOnTheForm(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	ctx := context.Background()
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	const lesson = "tutorials/course.yaml"
	a, b := mustOpen(t, h, "A", "lan"), mustOpen(t, h, "B", "mai")
	mustSave(t, h, a, lesson, append(approvedBytes(t, h, lesson), "# A\n"...), "lan")
	mustSave(t, h, b, lesson, append(approvedBytes(t, h, lesson), "# B\n"...), "mai")
	page := "/admin/content/files/" + lesson + "?change=" + strconv.FormatInt(b, 10)
	if _, body := lan.get(page); strings.Contains(body, `data-testid="stale"`) {
		t.Fatal("a change no one has overtaken reads as stale")
	}
	mustPropose(t, h, a, "lan")
	if err := h.Approve(ctx, a, "hoa"); err != nil {
		t.Fatal(err)
	}
	if code, body := lan.get(page); code != http.StatusOK || !strings.Contains(body, `data-testid="stale"`) || !strings.Contains(body, "Đã có bản duyệt mới hơn") {
		t.Fatalf("the overtaken change's form does not say so: %d %.2000s", code, body)
	}
}

// "Sửa tệp này" with no name for the change names it by what the file
// holds, never by its path: the change's title becomes the next pack's name
// that commune staff read on the kiosk (outside QA).
func TestChangeNamedByWhatTheFileHolds(t *testing.T) {
	h, _, _, _ := openKhaiSinh(t, "")
	cs, err := h.Changes(context.Background(), 10, StateDraft)
	if err != nil || len(cs) != 1 || cs[0].Title != "Sửa: Làm giấy khai sinh cho bé" {
		t.Fatalf("changes: %+v, %v", cs, err)
	}
}
