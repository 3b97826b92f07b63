package hub

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// feeChangeProposed has lan change the fee of chuKy (10.000 → 12.000) in a
// change, give it a source through the change page when withSource, and
// send it for review; it returns the change and the fee item's key.
func feeChangeProposed(t *testing.T, h *Hub, lan *admin, withSource bool) (int64, string) {
	t.Helper()
	ctx := context.Background()
	id := mustOpen(t, h, "Lệ phí 12.000", "lan")
	mustSave(t, h, id, chuKy, edited(t, h, chuKy, "amount: 10000", "amount: 12000"), "lan")
	r, err := h.ChangeReview(ctx, id)
	if err != nil || len(r.Files) != 1 || len(r.Files[0].MissingItems()) != 1 {
		t.Fatalf("setup: review %+v %v", r, err)
	}
	key := r.Files[0].MissingItems()[0].Key
	page := changeURL(id)
	if withSource {
		code, body := lan.post(page, url.Values{"csrf": {lan.csrf(page)}, "action": {"source"}, "path": {chuKy},
			"key": {key}, "ref": {"https://vbpl.vn/van-ban-281"}, "read_on": {"2026-12-04"}}, lan.srv.URL)
		if code != http.StatusOK || !strings.Contains(body, "Đã thêm nguồn.") {
			t.Fatalf("editor's source: %d %s", code, snippetAround(body, "error"))
		}
	}
	if code, body := lan.post(page, url.Values{"csrf": {lan.csrf(page)}, "action": {"propose"}}, lan.srv.URL); code != http.StatusOK {
		t.Fatalf("propose: %d %s", code, snippetAround(body, "error"))
	}
	return id, key
}

// auditHas says whether the newest audit entries hold action with a detail
// containing each of words.
func auditHas(t *testing.T, h *Hub, action string, words ...string) bool {
	t.Helper()
	es, err := h.Audit(context.Background(), 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Action != action {
			continue
		}
		all := true
		for _, w := range words {
			all = all && strings.Contains(e.Detail, w)
		}
		if all {
			return true
		}
	}
	return false
}

// Outside QA s29, finding 3: on a change waiting for review, the reviewer
// removed the editor's source, added their own (example.com) and approved
// alone; nothing told the editor, and neither the conversation nor the
// audit log had a word of it. Now each source added or removed is a line
// of "Trao đổi và quyết định" and of the audit log, and the reviewer who
// gave a source cannot approve the change: another reviewer can.
func TestS29ReviewerSwapsTheEditorsSourceAndCannotApprove(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	ctx := context.Background()
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	hoa := loginAs(t, h, srv, "hoa", RoleReviewer)
	id, key := feeChangeProposed(t, h, lan, true)
	page := changeURL(id)

	srcs, err := h.Sources(ctx, id)
	if err != nil || len(srcs) != 1 {
		t.Fatalf("setup: sources %+v %v", srcs, err)
	}
	code, body := hoa.post(page, url.Values{"csrf": {hoa.csrf(page)}, "action": {"unsource"},
		"source": {strconv.FormatInt(srcs[0].ID, 10)}}, srv.URL)
	if code != http.StatusOK || !strings.Contains(body, "Đã bỏ nguồn.") {
		t.Fatalf("reviewer removes the source: %d %s", code, snippetAround(body, "error"))
	}
	code, body = hoa.post(page, url.Values{"csrf": {hoa.csrf(page)}, "action": {"source"}, "path": {chuKy},
		"key": {key}, "ref": {"https://example.com/tu-tim"}, "read_on": {"2026-12-05"}}, srv.URL)
	if code != http.StatusOK || !strings.Contains(body, "Đã thêm nguồn.") {
		t.Fatalf("reviewer adds a source: %d %s", code, snippetAround(body, "error"))
	}

	// The reviewer's page says why it cannot approve, and offers no button.
	_, body = hoa.get(page)
	review := between(body, "<h2>Duyệt</h2>", "</form>")
	if !strings.Contains(review, "Bạn đã ghi nguồn cho thay đổi này (“https://example.com/tu-tim”) nên không duyệt được nó") ||
		strings.Contains(review, `value="approve"`) {
		t.Errorf("the review section does not refuse the reviewer's own source: %s", review)
	}
	if !strings.Contains(review, "Trả lại cho người soạn") {
		t.Errorf("the reviewer can no longer send the change back: %s", review)
	}
	code, body = hoa.post(page+"/review", url.Values{"csrf": {hoa.csrf(page)}, "action": {"approve"}}, srv.URL)
	if code != http.StatusBadRequest || !strings.Contains(body, "không duyệt được nó") {
		t.Errorf("approve by the reviewer who gave the source: %d %s", code, snippetAround(body, "error"))
	}
	if err := h.Approve(ctx, id, "hoa"); !errors.Is(err, ErrSourcedBy) {
		t.Errorf("Approve by hoa = %v, want ErrSourcedBy", err)
	}
	if c, _ := h.GetChange(ctx, id); c == nil || c.State != StateProposed {
		t.Fatalf("the change left review: %+v", c)
	}

	// The editor reads both in the conversation, with who did them.
	_, body = lan.get(page)
	history := between(body, "<h2>Trao đổi và quyết định</h2>", "</ol>")
	for _, want := range []string{
		"<strong>Bỏ nguồn</strong> — hoa", "https://vbpl.vn/van-ban-281, đọc ngày 04/12/2026 (nguồn do lan ghi)",
		"<strong>Thêm nguồn</strong> — hoa", "https://example.com/tu-tim, đọc ngày 05/12/2026",
	} {
		if !strings.Contains(history, want) {
			t.Errorf("the conversation lacks %q: %s", want, history)
		}
	}
	if !auditHas(t, h, "content_source_removed", "#"+strconv.FormatInt(id, 10), "https://vbpl.vn/van-ban-281") ||
		!auditHas(t, h, "content_source_added", "#"+strconv.FormatInt(id, 10), "https://example.com/tu-tim") ||
		!auditHas(t, h, "content_source_added", "https://vbpl.vn/van-ban-281") {
		t.Error("the audit log does not record each source added and removed")
	}
	_, body = loginAs(t, h, srv, "quan", RoleAdmin).get("/admin/audit")
	if !strings.Contains(body, "Bỏ nguồn của thay đổi nội dung") || !strings.Contains(body, "Thêm nguồn cho thay đổi nội dung") {
		t.Errorf("the audit page does not name the source actions: %s", snippetAround(body, "<table"))
	}

	// A second reviewer checks the reviewer's source, and approves.
	if err := h.Approve(ctx, id, "minh"); err != nil {
		t.Errorf("another reviewer cannot approve: %v", err)
	}
}

// Outside QA s29, finding 3, the other run: the editor gave no source, the
// reviewer supplied the only one and approved. Now the approval is refused
// to that reviewer; once sent back, the editor replaces the reviewer's
// source with one of their own, and the reviewer may approve.
func TestS29ReviewerSuppliesTheOnlySourceAndCannotApprove(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	ctx := context.Background()
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	hoa := loginAs(t, h, srv, "hoa", RoleReviewer)
	id, key := feeChangeProposed(t, h, lan, false)
	page := changeURL(id)
	_, body := hoa.get(page)
	if !strings.Contains(body, `data-testid="reviewer-source-hint"`) {
		t.Errorf("the reviewer is not told what giving a source does: %s", snippetAround(body, "Nguồn đã ghi"))
	}
	code, body := hoa.post(page, url.Values{"csrf": {hoa.csrf(page)}, "action": {"source"}, "path": {chuKy},
		"key": {key}, "ref": {"https://example.com/tu-tim"}, "read_on": {"2026-12-05"}}, srv.URL)
	if code != http.StatusOK {
		t.Fatalf("reviewer adds a source: %d %s", code, snippetAround(body, "error"))
	}
	if err := h.Approve(ctx, id, "hoa"); !errors.Is(err, ErrSourcedBy) {
		t.Fatalf("Approve by the reviewer who gave the only source = %v, want ErrSourcedBy", err)
	}
	if err := h.SendBack(ctx, id, "hoa", "Hãy ghi nguồn chính thức."); err != nil {
		t.Fatal(err)
	}
	srcs, _ := h.Sources(ctx, id)
	if _, err := h.TakeBackSource(ctx, id, srcs[0].ID, "lan"); err != nil {
		t.Fatal(err)
	}
	code, body = lan.post(page, url.Values{"csrf": {lan.csrf(page)}, "action": {"source"}, "path": {chuKy},
		"key": {key}, "ref": {"https://vbpl.vn/van-ban-281"}, "read_on": {"2026-12-05"}}, srv.URL)
	if code != http.StatusOK {
		t.Fatalf("editor's source: %d %s", code, snippetAround(body, "error"))
	}
	mustPropose(t, h, id, "lan")
	if err := h.Approve(ctx, id, "hoa"); err != nil {
		t.Errorf("the editor's own source, checked by the reviewer: %v", err)
	}
}

// Outside QA s29, finding 7: the day a source was read reads as the console
// writes days (04/12/2026), not as ISO (2026-12-04).
func TestS29SourceDayReadsAsTheConsoleWritesDays(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	id, _ := feeChangeProposed(t, h, lan, true)
	_, body := lan.get(changeURL(id))
	sources := between(body, "<h2>Nguồn đã ghi</h2>", "</ul>")
	if !strings.Contains(sources, "đọc ngày 04/12/2026") || strings.Contains(sources, "2026-12-04") {
		t.Errorf("the source's day is not written dd/mm/yyyy: %s", sources)
	}
}
