package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"tramso/kiosk/studio"
)

const chuKy = "procedures/chung-thuc-chu-ky.yaml"

// approveWithSources proposes a change, gives a source for each fact
// change it lacks one for, and approves it as reviewer.
func approveWithSources(t *testing.T, h *Hub, id int64, author, reviewer string) {
	t.Helper()
	ctx := context.Background()
	mustPropose(t, h, id, author)
	r, err := h.ChangeReview(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Files {
		for _, m := range f.Missing {
			src := studio.Source{Key: m.Change.Key, Ref: "https://thuvienphapluat.vn/", ReadOn: "2026-12-04"}
			if err := h.AddSource(ctx, id, f.Path, src, author); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := h.Approve(ctx, id, reviewer); err != nil {
		t.Fatal(err)
	}
}

// approvedEdit opens a change by author replacing old with new in path and
// has hoa approve it.
func approvedEdit(t *testing.T, h *Hub, title, author, path, old, new string) int64 {
	t.Helper()
	id := mustOpen(t, h, title, author)
	mustSave(t, h, id, path, edited(t, h, path, old, new), author)
	approveWithSources(t, h, id, author, "hoa")
	return id
}

// rollBack sends every kiosk back to generation to, as the console does,
// and lets the studio follow what was published.
func rollBack(t *testing.T, h *Hub, priv ed25519.PrivateKey, to int64) {
	t.Helper()
	if _, err := h.Rollback(context.Background(), to, priv, PublishOptions{Stage: StageEveryone, By: "tinh"}); err != nil {
		t.Fatal(err)
	}
	if err := h.followPublished(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// feeThenTimeRolledBack is review s28's case: A (the fee) then C (the time
// note, made on A) approved, published in one pack, and rolled back together
// to the pack before them.
func feeThenTimeRolledBack(t *testing.T, h *Hub, priv ed25519.PrivateKey) (a, c int64) {
	t.Helper()
	good := buildStudioPack(t, h, priv)()
	a = approvedEdit(t, h, "Lệ phí 12.000", "lan", chuKy, "amount: 10000", "amount: 12000")
	c = approvedEdit(t, h, "Giờ nộp 16 giờ", "minh", chuKy, "Nộp sau 15 giờ", "Nộp sau 16 giờ")
	buildStudioPack(t, h, priv)()
	rollBack(t, h, priv, good)
	return a, c
}

const banSao = "procedures/ban-sao-trich-luc.yaml"

// twoFilesThenOneRevertedRolledBack is review s28's other case: A edits two
// files; D, approved later, takes A's edit out of the second again on
// purpose; the console rolls back to the pack before A, which changes only
// the first file.
func twoFilesThenOneRevertedRolledBack(t *testing.T, h *Hub, priv ed25519.PrivateKey) (a int64) {
	t.Helper()
	good := buildStudioPack(t, h, priv)()
	a = mustOpen(t, h, "Lệ phí hai thủ tục", "lan")
	mustSave(t, h, a, chuKy, edited(t, h, chuKy, "amount: 10000", "amount: 12000"), "lan")
	mustSave(t, h, a, banSao, edited(t, h, banSao, "amount: 8000", "amount: 9000"), "lan")
	approveWithSources(t, h, a, "lan", "hoa")
	buildStudioPack(t, h, priv)()
	approvedEdit(t, h, "Trả lệ phí bản sao về 8.000", "minh", banSao, "amount: 9000", "amount: 8000")
	rollBack(t, h, priv, good)
	return a
}

// Two editors change the same fee in two changes (outside QA s27, finding
// 6): the one approved second is stale. Its page shows, beside its fee
// line, the fee now approved; "Làm lại trên bản mới nhất" merges what only
// one side changed (the other's step, this one's time note), and leaves
// the fee both changed to the editor, on the file's form: the editor's
// amount in the box, the approved one beside it in đồng. Saved, the change
// stands on the newest approval and can be approved.
func TestS28StaleChangeRebasesOntoTheNewestApproval(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	ctx := context.Background()
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	hoa := loginAs(t, h, srv, "hoa", RoleReviewer)

	mine := mustOpen(t, h, "Lệ phí 12.000", "lan")
	b := edited(t, h, chuKy, "amount: 10000", "amount: 12000")
	b = bytes.Replace(b, []byte("Nộp sau 15 giờ"), []byte("Nộp sau 16 giờ"), 1)
	mustSave(t, h, mine, chuKy, b, "lan")
	theirs := mustOpen(t, h, "Lệ phí 15.000", "minh")
	b = edited(t, h, chuKy, "amount: 10000", "amount: 15000")
	b = bytes.Replace(b, []byte("Nộp phí, nhận lại giấy."), []byte("Nộp phí rồi nhận lại giấy."), 1)
	mustSave(t, h, theirs, chuKy, b, "minh")
	approveWithSources(t, h, theirs, "minh", "hoa")
	mustPropose(t, h, mine, "lan")

	// The reviewer sees the approved value beside the stale edit.
	page := changeURL(mine)
	_, body := hoa.get(page)
	if !strings.Contains(body, "10.000 đ / trường hợp → 12.000 đ / trường hợp") ||
		!strings.Contains(body, "(bản đang dùng: 15.000 đ / trường hợp)") {
		t.Fatalf("the stale fee line does not show the approved value: %s", snippetAround(body, "Lệ phí"))
	}
	if !strings.Contains(body, "Làm lại trên bản mới nhất") {
		t.Fatal("the reviewer is not told what the editor can do")
	}
	if err := h.SendBack(ctx, mine, "hoa", "Đã có lệ phí mới"); err != nil {
		t.Fatal(err)
	}

	// One click: the step (theirs) and the time note (mine) are merged, the
	// fee is left to the editor.
	_, body = lan.get(page)
	if !strings.Contains(body, `value="rebase"`) {
		t.Fatalf("no rebase button on the returned change: %s", snippetAround(body, "Các tệp thay đổi"))
	}
	// The file's own page offers it too.
	_, body = lan.get("/admin/content/files/" + chuKy + "?change=" + strconv.FormatInt(mine, 10))
	if !strings.Contains(body, `data-testid="carry-link"`) {
		t.Fatalf("the stale file's page does not offer to carry the edit over: %s", snippetAround(body, "Đã có bản duyệt mới hơn"))
	}
	href := between(between(body, `<p><a class="button" href="`, `data-testid="carry-link"`), "", `"`)
	if _, carried := lan.get(strings.ReplaceAll(href, "&amp;", "&")); !strings.Contains(carried, `data-testid="carry"`) || !strings.Contains(carried, "“15.000 đ”") {
		t.Fatalf("the file page's link (%s) does not lead to the carried form: %s", href, snippetAround(carried, "Làm lại"))
	}
	_, body = lan.post(page, url.Values{"csrf": {lan.csrf(page)}, "action": {"rebase"}}, srv.URL)
	if !strings.Contains(body, `data-testid="carry-files"`) || !strings.Contains(body, "carry=") {
		t.Fatalf("the fee both changed is not left to the editor: %s", snippetAround(body, "carry"))
	}
	link := between(body, `<a href="/admin/content/files/`+chuKy, `"`)
	_, body = lan.get("/admin/content/files/" + chuKy + strings.ReplaceAll(link, "&amp;", "&"))
	if !strings.Contains(body, `data-testid="carry"`) || !strings.Contains(body, "thành: “15.000 đ”") {
		t.Fatalf("the carry form does not mark the fee with the approved amount in đồng: %s", snippetAround(body, "Bản đang dùng"))
	}
	vals := formOf(t, body)
	if vals.Get("fees.0.amount") != "12000" && vals.Get("fees.0.amount") != "12.000" {
		t.Fatalf("the box lost what the editor typed: %q", vals.Get("fees.0.amount"))
	}
	if vals.Get("onto") == "" {
		t.Fatal("the carry form does not say which approval it stands on")
	}
	// The editor keeps their amount: saved, the file has both sides' other edits.
	vals.Set("csrf", lan.csrf(page))
	lan.post("/admin/content/files/"+chuKy, vals, srv.URL)
	got := changeBytes(t, h, mine, chuKy)
	for _, want := range []string{"amount: 12000", "Nộp sau 16 giờ", "Nộp phí rồi nhận lại giấy."} {
		if !strings.Contains(string(got), want) {
			t.Errorf("the rebased file lacks %q", want)
		}
	}
	r, err := h.ChangeReview(ctx, mine)
	if err != nil {
		t.Fatal(err)
	}
	if r.HasStale() {
		t.Fatal("the change is still stale after the carried save")
	}
	if len(r.Files) != 1 || !strings.Contains(changeLines(r.Files[0]), "15.000 đ / trường hợp → 12.000 đ / trường hợp") {
		t.Fatalf("the review does not compare with the newest approval: %s", changeLines(r.Files[0]))
	}
	approveWithSources(t, h, mine, "lan", "hoa")
}

// A change with no field changed on both sides is merged and saved in one
// click, and can then be approved.
func TestS28RebaseWithoutConflictSaves(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	mine := mustOpen(t, h, "Giờ nộp", "lan")
	mustSave(t, h, mine, chuKy, edited(t, h, chuKy, "Nộp sau 15 giờ", "Nộp sau 16 giờ"), "lan")
	theirs := mustOpen(t, h, "Lệ phí", "minh")
	mustSave(t, h, theirs, chuKy, edited(t, h, chuKy, "amount: 10000", "amount: 15000"), "minh")
	approveWithSources(t, h, theirs, "minh", "hoa")

	page := changeURL(mine)
	_, body := lan.post(page, url.Values{"csrf": {lan.csrf(page)}, "action": {"rebase"}}, srv.URL)
	if !strings.Contains(body, "Đã làm lại trên bản mới nhất") || strings.Contains(body, `data-testid="carry-needed"`) {
		t.Fatalf("the rebase did not merge at once: %s", snippetAround(body, "Các tệp thay đổi"))
	}
	got := string(changeBytes(t, h, mine, chuKy))
	if !strings.Contains(got, "amount: 15000") || !strings.Contains(got, "Nộp sau 16 giờ") {
		t.Fatalf("the merge lost a side:\n%s", got)
	}
	approveWithSources(t, h, mine, "lan", "hoa")
	if a := string(approvedBytes(t, h, chuKy)); !strings.Contains(a, "amount: 15000") || !strings.Contains(a, "Nộp sau 16 giờ") {
		t.Fatal("the approved file lacks one side")
	}
}

// A change a rollback undid (outside QA s27, finding 7) is marked so in
// the list and on its page, and "Mở lại thay đổi này" opens a new change
// carrying its edits onto the approved file now.
func TestS28RolledBackChangeIsMarkedAndReopens(t *testing.T) {
	pub, priv := provinceKey(t)
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, SigningKey: priv})
	ctx := context.Background()
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	good := buildStudioPack(t, h, priv)()

	id := mustOpen(t, h, "Giờ 16 và lệ phí", "lan")
	b := edited(t, h, chuKy, "amount: 10000", "amount: 100000")
	b = bytes.Replace(b, []byte("Nộp sau 15 giờ"), []byte("Nộp sau 16 giờ"), 1)
	mustSave(t, h, id, chuKy, b, "lan")
	approveWithSources(t, h, id, "lan", "hoa")
	publish := buildStudioPack(t, h, priv)

	// The fee ten times the old one is said again on the pack waiting for
	// its signature, and before it is signed here and sent to everyone.
	quan := loginAs(t, h, srv, "quan", RoleAdmin)
	_, body := quan.get("/admin/packs")
	doubts := between(body, `data-testid="pending-doubts"`, "</div>")
	if !strings.Contains(doubts, "gấp 10 lần") || !strings.Contains(doubts, "10.000 đ / trường hợp → 100.000 đ / trường hợp") {
		t.Fatalf("the pending pack does not repeat the fee warning: %s", snippetAround(body, "chờ ký"))
	}
	pending, err := h.PendingPacks(ctx)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending: %+v %v", pending, err)
	}
	path := "/admin/packs/pending/" + strconv.FormatInt(pending[0].Generation, 10)
	_, body = quan.post(path, url.Values{"csrf": {quan.csrf("/admin/packs")}, "action": {"sign-here"}, "stage": {"everyone"}}, srv.URL)
	if !strings.Contains(body, `data-testid="pending-doubts"`) || !strings.Contains(body, "gấp 10 lần") {
		t.Fatalf("the confirmation before signing here does not repeat the fee warning: %s", snippetAround(body, "Máy chủ sẽ ký"))
	}
	publish()

	_, body = lan.get("/admin/content/changes")
	if strings.Contains(body, "Đã bị quay lại") {
		t.Fatal("marked undone before any rollback")
	}
	rb, err := h.Rollback(ctx, good, priv, PublishOptions{Stage: StageEveryone, By: "tinh"})
	if err != nil {
		t.Fatal(err)
	}
	_, body = lan.get("/admin/content/changes")
	row := between(body, `data-testid="change-`+strconv.FormatInt(id, 10)+`"`, "</li>")
	if !strings.Contains(row, "Đã bị quay lại (gói thế hệ "+strconv.FormatInt(rb, 10)+")") || strings.Contains(row, "Đã duyệt") {
		t.Fatalf("the list does not mark the undone change: %s", row)
	}
	_, body = lan.get(changeURL(id))
	if !strings.Contains(body, `data-testid="undone"`) || !strings.Contains(body, "Mở lại thay đổi này") {
		t.Fatalf("the change page does not say it was undone: %s", snippetAround(body, "quay lại"))
	}

	_, body = lan.post(changeURL(id), url.Values{"csrf": {lan.csrf(changeURL(id))}, "action": {"reopen"}}, srv.URL)
	if !strings.Contains(body, "Đã mở lại thành thay đổi mới") {
		t.Fatalf("reopen: %s", snippetAround(body, "error"))
	}
	open, err := h.Changes(ctx, 10, StateDraft)
	if err != nil || len(open) != 1 || !strings.HasPrefix(open[0].Title, "Làm lại: Giờ 16") {
		t.Fatalf("the reopened change: %+v %v", open, err)
	}
	got := string(changeBytes(t, h, open[0].ID, chuKy))
	if !strings.Contains(got, "amount: 100000") || !strings.Contains(got, "Nộp sau 16 giờ") {
		t.Fatalf("the reopened change does not carry the edits:\n%s", got)
	}
	_, body = lan.get(changeURL(id))
	if !strings.Contains(between(body, `data-testid="reopened-as"`, "</p>"), "thay đổi #"+strconv.FormatInt(open[0].ID, 10)) {
		t.Fatalf("the undone change does not name the change it was reopened as: %s", snippetAround(body, "quay lại"))
	}
	r, err := h.ChangeReview(ctx, open[0].ID)
	if err != nil || r.HasStale() {
		t.Fatalf("the reopened change is stale (%v)", err)
	}
	if len(r.Files) != 1 || len(r.Files[0].Missing) != 0 {
		t.Fatalf("the reopened change lacks the sources its edits were approved on: %+v", r.Files)
	}
}

// changeBytes is path as change shows it.
func changeBytes(t *testing.T, h *Hub, change int64, path string) []byte {
	t.Helper()
	b, err := h.currentBytes(context.Background(), change, path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func changeLines(f FileReview) string {
	var out []string
	for _, c := range f.Changes {
		out = append(out, c.String())
	}
	return strings.Join(out, "\n")
}

// between is what follows start in s up to end ("" without start).
func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return s
}

// snippetAround is a part of a page around what a failure is about.
func snippetAround(s, near string) string {
	i := strings.Index(s, near)
	if i < 0 {
		i = 0
	}
	return s[max(0, i-600):min(len(s), i+1500)]
}
