package hub

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// The review side of the console, through real sessions of four accounts:
// an editor opens a change and proposes it; a viewer reads it but cannot
// comment; the editor cannot approve; the reviewer is refused until a
// source backs the fee, cannot send back without a reason, then approves;
// the admin assembles the pack, which waits on the packs page; the tree
// exports, and an import with a path outside the folder is refused.
func TestStudioReviewPages(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	ctx := context.Background()
	tinh := loginAs(t, h, srv, "tinh", RoleAdmin)
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	hoa := loginAs(t, h, srv, "hoa", RoleReviewer)
	xem := loginAs(t, h, srv, "xem", RoleViewer)
	post := func(a *admin, path string, form url.Values) (int, string) {
		t.Helper()
		form.Set("csrf", a.csrf("/admin/content/changes"))
		return a.post(path, form, srv.URL)
	}

	if code, body := post(lan, "/admin/content/changes", url.Values{"title": {"Lệ phí khai sinh quá hạn"}}); code != http.StatusOK ||
		!strings.Contains(body, "Đã mở thay đổi mới.") {
		t.Fatalf("open: %d %.500s", code, body)
	}
	cs, _ := h.Changes(ctx, 10, StateDraft)
	if len(cs) != 1 || cs[0].Author != "lan" {
		t.Fatalf("changes: %+v", cs)
	}
	id := cs[0].ID
	page := changeURL(id)
	mustSave(t, h, id, khaiSinh, edited(t, h, khaiSinh, lateFeeOld, lateFeeNew), "lan")

	code, body := xem.get(page)
	for _, want := range []string{"8.000 đ", "cần nguồn", "Còn thiếu nguồn", "Không có lỗi", khaiSinh} {
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Fatalf("the change page lacks %q: %d %.2000s", want, code, body)
		}
	}
	if strings.Contains(body, "media-new") || strings.Contains(body, "<img") {
		t.Fatalf("a change to a YAML file shows a picture: %.3000s", body)
	}
	if strings.Contains(body, `value="propose"`) || strings.Contains(body, `/review"`) {
		t.Fatal("a viewer is offered to propose or review")
	}
	if code, _ := post(xem, page, url.Values{"action": {"comment"}, "body": {"Hay"}}); code != http.StatusForbidden {
		t.Fatalf("a viewer comments: %d", code)
	}
	if code, body := post(lan, page, url.Values{"action": {"propose"}}); code != http.StatusOK || !strings.Contains(body, "Đã gửi duyệt.") {
		t.Fatalf("propose: %d %.500s", code, body)
	}
	if code, _ := post(lan, page+"/review", url.Values{"action": {"approve"}}); code != http.StatusForbidden {
		t.Fatalf("an editor approves: %d", code)
	}
	if code, body := post(hoa, page+"/review", url.Values{"action": {"approve"}}); code != http.StatusBadRequest ||
		!strings.Contains(body, ErrUnsourced.Msg) {
		t.Fatalf("approve without a source: %d %.1000s", code, body)
	}
	if code, body := post(hoa, page+"/review", url.Values{"action": {"send-back"}}); code != http.StatusBadRequest ||
		!strings.Contains(body, ErrNeedComment.Msg) {
		t.Fatalf("send back without a reason: %d %.1000s", code, body)
	}
	r, _ := h.ChangeReview(ctx, id)
	src := url.Values{"action": {"source"}, "path": {khaiSinh}, "key": {r.Files[0].Missing[0].Change.Key},
		"ref": {"Nghị quyết 12/2025/NQ-HĐND"}, "read_on": {"2099-01-01"}}
	if code, body := post(lan, page, src); code != http.StatusBadRequest || !strings.Contains(body, ErrFutureSource.Msg) ||
		!strings.Contains(body, "Còn thiếu nguồn") {
		t.Fatalf("a source read in 2099: %d %.1000s", code, body)
	}
	src.Set("read_on", "2026-12-04")
	if code, body := post(lan, page, src); code != http.StatusOK || !strings.Contains(body, "Đã thêm nguồn.") ||
		strings.Contains(body, "Còn thiếu nguồn") {
		t.Fatalf("source: %d %.1000s", code, body)
	} else if strings.Contains(body, "cần nguồn") || !strings.Contains(body, "đã có nguồn") ||
		!strings.Contains(body, "— Lệ phí khi &#34;Đã quá 60 ngày&#34;: Nghị quyết 12/2025/NQ-HĐND") || strings.Contains(body, "— fees[") {
		// Staff read each line and source by its name, not a key such as fees[late].
		t.Fatalf("a sourced change does not read as sourced, by name: %.3000s", body)
	}
	if code, body := post(hoa, page+"/review", url.Values{"action": {"approve"}}); code != http.StatusOK ||
		!strings.Contains(body, "Đã duyệt") {
		t.Fatalf("approve: %d %.1000s", code, body)
	}
	if code, _ := post(lan, "/admin/content/publish", url.Values{}); code != http.StatusForbidden {
		t.Fatalf("an editor assembles: %d", code)
	}
	if code, body := post(tinh, "/admin/content/publish", url.Values{}); code != http.StatusOK ||
		!strings.Contains(body, "Đã nhận gói chưa ký") {
		t.Fatalf("assemble: %d %.1000s", code, body)
	}
	if ps, _ := h.PendingPacks(ctx); len(ps) != 1 || ps[0].UploadedBy != "tinh" {
		t.Fatalf("pending after assembling: %+v", ps)
	}
	checkAudit(t, h, "content_approved hoa", "content_assembled tinh")

	// The export holds the approved fee; an import with ../ is refused.
	resp, err := xem.client.Get(srv.URL + "/admin/content/export.tar.gz")
	if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/gzip" {
		t.Fatalf("export: %v %v", resp, err)
	}
	exported := readTarGz(t, resp.Body)
	resp.Body.Close()
	if !bytes.Contains(exported[khaiSinh], []byte(lateFeeNew)) || len(exported) < 100 {
		t.Fatalf("export: %d files", len(exported))
	}
	bad := tarGz(t, []string{"pack.yaml", "../x.yaml"}, map[string][]byte{"pack.yaml": exported["pack.yaml"], "../x.yaml": {}})
	fields := map[string]string{"csrf": lan.csrf("/admin/content/changes"), "title": "Nhập", "remove_missing": "yes"}
	if code, body := lan.postFile("/admin/content/import", fields, "tree", "x.tar.gz", bad); code != http.StatusBadRequest ||
		!strings.Contains(body, ErrBadPath.Msg) {
		t.Fatalf("import ../x.yaml: %d %.1000s", code, body)
	}
	if code, _ := xem.postFile("/admin/content/import", fields, "tree", "x.tar.gz", bad); code != http.StatusForbidden {
		t.Fatalf("a viewer imports: %d", code)
	}
	if code, body := lan.postFile("/admin/content/import", fields, "tree", "x.tar.gz", exportWith(t, exported, "search.yaml")); code != http.StatusOK ||
		!strings.Contains(body, studioNotices["imported"]) || !strings.Contains(body, "xoá tệp") {
		t.Fatalf("import: %d %.1000s", code, body)
	}
	if code, body := xem.get("/admin/content/changes"); code != http.StatusOK || !strings.Contains(body, "Lệ phí khai sinh quá hạn") ||
		!strings.Contains(body, "Nhập") {
		t.Fatalf("list: %d %.1000s", code, body)
	}
	if code, _ := xem.get("/admin/content/changes/" + strconv.FormatInt(id+100, 10)); code != http.StatusNotFound {
		t.Fatalf("a change that does not exist: %d", code)
	}
}

// A reviewer who saved in a change is refused its approval on the page.
func TestStudioReviewerCannotApproveOwn(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	hoa := loginAs(t, h, srv, "hoa", RoleReviewer)
	id := mustOpen(t, h, "Sửa khoá học", "lan")
	mustSave(t, h, id, "tutorials/course.yaml", append(approvedBytes(t, h, "tutorials/course.yaml"), "# x\n"...), "hoa")
	mustPropose(t, h, id, "lan")
	code, body := hoa.get(changeURL(id))
	if code != http.StatusOK || !strings.Contains(body, "không tự duyệt được") || strings.Contains(body, `value="approve"`) {
		t.Fatalf("own change's page: %d %.1000s", code, body)
	}
	form := url.Values{"csrf": {hoa.csrf("/admin/content/changes")}, "action": {"approve"}}
	if code, body := hoa.post(changeURL(id)+"/review", form, srv.URL); code != http.StatusBadRequest || !strings.Contains(body, ErrOwnChange.Msg) {
		t.Fatalf("approving one's own: %d %.1000s", code, body)
	}
	checkAudit(t, h, "content_approve_refused hoa")
}

// checkAudit wants each "action user" in the audit log.
func checkAudit(t *testing.T, h *Hub, want ...string) {
	t.Helper()
	entries, err := h.Audit(context.Background(), 0, 200)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, e := range entries {
		have[e.Action+" "+e.User] = true
	}
	for _, w := range want {
		if !have[w] {
			t.Errorf("audit lacks %q", w)
		}
	}
}

func readTarGz(t *testing.T, r io.Reader) map[string][]byte {
	t.Helper()
	zr, err := gzip.NewReader(r)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	out := map[string][]byte{}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out[hdr.Name], _ = io.ReadAll(tr)
	}
}

// exportWith is a tar.gz of files without the one named.
func exportWith(t *testing.T, files map[string][]byte, without string) []byte {
	var names []string
	for n := range files {
		if n != without {
			names = append(names, n)
		}
	}
	return tarGz(t, names, files)
}
