package hub

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// openFile opens a change on p from its page, as an editor does, and
// returns the editor, the change and the page in it.
func openFile(t *testing.T, p, title string) (*Hub, *admin, int64, string) {
	t.Helper()
	h, srv := startTestHub(t, Options{})
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	body := mustPost(t, lan, "/admin/content/files/"+p, url.Values{"action": {"open"}, "into": {"new"}, "title": {title}}, http.StatusOK)
	cs, err := h.Changes(context.Background(), 10, StateDraft)
	if err != nil || len(cs) == 0 {
		t.Fatalf("no change opened: %v", err)
	}
	return h, lan, cs[0].ID, body
}

// A document added in the form starts handed in ("nộp"), so that naming it
// and saving is enough; one saved with no action at all (a file from git)
// says so beside the field in Vietnamese, with the choice still to make,
// not `"" is not one of ["hand_in" "show"]` (outside QA, finding 8).
func TestStudioNewDocumentStartsHandedIn(t *testing.T) {
	const p = "procedures/chung-thuc-chu-ky.yaml"
	h, lan, change, body := openFile(t, p, "Thêm giấy tờ")
	page := "/admin/content/files/" + p
	vals := formOf(t, body)
	n := vals.Get("len:documents")
	vals.Set("op", "add:documents")
	body = mustPost(t, lan, page, vals, http.StatusOK)
	vals = formOf(t, body)
	if got := vals.Get("documents." + n + ".action"); got != "hand_in" {
		t.Fatalf("a new document's action starts %q, want hand_in", got)
	}
	vals.Del("op")
	vals.Set("documents."+n+".name.vi", "Giấy tờ cần chứng thực chữ ký")
	vals.Set("documents."+n+".originals", "1")
	body = mustPost(t, lan, page, vals, http.StatusOK)
	if !strings.Contains(body, `thêm &#34;Giấy tờ cần chứng thực chữ ký&#34; (1 bản chính, nộp)`) || strings.Contains(body, "is not one of") {
		t.Fatalf("saving the new document: %.3000s", body)
	}

	// A document whose action is empty in the file.
	saved := fileBytes(t, h, change, p)
	if !strings.Contains(saved, "action: hand_in\n") {
		t.Fatalf("saved file lacks an action:\n%s", saved)
	}
	mustSave(t, h, change, p, []byte(strings.Replace(saved, "action: hand_in\n", "action: \"\"\n", 1)), "lan")
	code, body := lan.get(fmt.Sprintf("%s?change=%d", page, change))
	for _, want := range []string{
		"Chưa chọn; hãy chọn một trong “nộp”, “chỉ đưa xem”",
		`<option value="" selected>(chưa chọn)</option>`,
	} {
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("a document with no action: the page lacks %q", want)
		}
	}
	if strings.Contains(body, "is not one of") || strings.Contains(body, "không có trong danh sách") {
		t.Errorf("a document with no action is said in English or as a value missing from the list: %.3000s", body)
	}
}

// A fee that looks like a slip is said beside its amount, as a warning and
// not inside the green "Đã lưu" box, and again whenever the page is opened,
// compared with the approved fee (outside QA, finding 10). The approved
// content's own fees are not doubted.
func TestStudioFeeDoubtBesideTheAmount(t *testing.T) {
	const p = "procedures/ban-sao-trich-luc.yaml" // 8.000 đ a copy
	h, lan, change, body := openFile(t, p, "Lệ phí bản sao")
	if strings.Contains(body, "sf-warning") {
		t.Fatalf("the approved fee is doubted: %.2000s", body)
	}
	const doubt = "gấp 12500 lần mức đã duyệt (8.000 đ), kiểm tra số chữ số 0"
	page := "/admin/content/files/" + p
	vals := formOf(t, body)
	vals.Set("fees.0.amount", "100000000")
	body = mustPost(t, lan, page, vals, http.StatusOK)
	for name, b := range map[string]string{"after the save": body, "reloaded": get(t, lan, fmt.Sprintf("%s?change=%d", page, change))} {
		field := fieldAround(b, `id="f-fees.0.amount"`)
		if !strings.Contains(field, `class="sf-warning"`) || !strings.Contains(field, doubt) ||
			!strings.Contains(field, `aria-describedby="w-fees.0.amount-0"`) {
			t.Errorf("%s: the fee's amount field does not say %q: %s", name, doubt, field)
		}
	}
	// Back to the approved amount: no warning.
	mustSave(t, h, change, p, approvedBytes(t, h, p), "lan")
	if b := get(t, lan, fmt.Sprintf("%s?change=%d", page, change)); strings.Contains(b, "sf-warning") {
		t.Errorf("the approved amount again is still doubted")
	}
}

func get(t *testing.T, a *admin, path string) string {
	t.Helper()
	code, body := a.get(path)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d %.500s", path, code, body)
	}
	return body
}

// fieldAround is the field of a studio form with the given attribute: its
// <div class="sf-field…"> and what it holds.
func fieldAround(page, attr string) string {
	i := strings.Index(page, attr)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(page[:i], `<div class="sf-field`)
	end := strings.Index(page[i:], "</div>")
	if start < 0 || end < 0 {
		return ""
	}
	return page[start : i+end]
}

// A broken file imported says where it is broken in Vietnamese, on the
// line an editor shows: the parser said "line 1" of a file whose line 2
// opens "{" and never closes it (outside QA, finding 13).
func TestStudioImportOfBrokenYAMLNamesItsLine(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	ctx := context.Background()
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	const broken = "procedures/chung-thuc-chu-ky.yaml"
	bad := "code: \"2.000884\"\nplain_name: {vi: \"abc\"\n  fees: [\n" // the tester's file
	c, err := h.ImportTree(ctx, bytes.NewReader(tarGz(t, []string{broken}, map[string][]byte{broken: []byte(bad)})), "Hỏng", "lan", false)
	if err != nil {
		t.Fatal(err)
	}
	body := get(t, lan, fmt.Sprintf("/admin/content/changes/%d", c.ID))
	for _, want := range []string{
		"Không đọc được tệp để so sánh: bản này viết chưa đúng cách (YAML), dòng 2 (dấu “{” mở mà chưa đóng bằng “}”, hoặc thiếu dấu phẩy): did not find expected &#39;,&#39; or &#39;}&#39;",
		"Viết chưa đúng cách (YAML): dòng 2 (dấu “{” mở",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the change page lacks %q", want)
		}
	}
	if strings.Contains(body, "line 1") || strings.Contains(body, "yaml: line") {
		t.Errorf("the change page says the parser's line or prefix: %.4000s", body)
	}
	body = get(t, lan, fmt.Sprintf("/admin/content/files/%s?change=%d", broken, c.ID))
	if !strings.Contains(body, "dòng 2 (dấu “{” mở") || strings.Contains(body, "line 1") {
		t.Errorf("the file's page does not say line 2: %.4000s", body)
	}
}
