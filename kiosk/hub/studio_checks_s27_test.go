package hub

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The content team's finding 1 (outside QA s27): every "Bỏ" on a
// procedure's documents, then "Lưu phiên bản", saved as "Không có lỗi", and
// residents got an empty "Giấy tờ cần mang". It is now an error beside
// "Giấy tờ" in the form and under "Lỗi nội dung" of the change, which a
// reviewer cannot approve; and the four removed documents are four items to
// source, each by its name (finding 12).
func TestStudioChecksProcedureWithoutDocuments(t *testing.T) {
	const p = "procedures/tam-tru.yaml"
	h, lan, change, body := openFile(t, p, "Bỏ giấy tờ tạm trú")
	page := "/admin/content/files/" + p
	vals := formOf(t, body)
	n := vals.Get("len:documents")
	if n != "4" {
		t.Fatalf("tam-tru has %s documents, the test removes 4", n)
	}
	for range 4 {
		vals.Set("op", "remove:documents.0")
		vals = formOf(t, mustPost(t, lan, page, vals, http.StatusOK))
	}
	vals.Del("op")
	body = mustPost(t, lan, page, vals, http.StatusOK)
	const want = "Thủ tục này chưa có giấy tờ nào: người dân sẽ thấy danh sách trống. Hãy thêm ít nhất một giấy tờ."
	for name, b := range map[string]string{"after the save": body, "reloaded": get(t, lan, fmt.Sprintf("%s?change=%d", page, change))} {
		i := strings.Index(b, `<fieldset class="sf-list" id="f-documents"><legend>Giấy tờ`)
		if i < 0 {
			t.Fatalf("%s: no Giấy tờ list on the form", name)
		}
		if end := strings.Index(b[i:], `<input type="hidden" name="len:documents"`); end < 0 ||
			!strings.Contains(b[i:i+end], `<p class="sf-problem" role="alert" id="e-documents-0">`+want+`</p>`) {
			t.Errorf("%s: the Giấy tờ list does not say %q: %.600s", name, want, b[i:])
		}
	}

	hoa := loginAs(t, h, lan.srv, "hoa", RoleReviewer)
	cp := changeURL(change)
	body = get(t, hoa, cp)
	if strings.Contains(body, "Không có lỗi") || !strings.Contains(body, want) {
		t.Fatalf("the change page does not list the error: %.3000s", body)
	}
	// Each removed document is its own item, named.
	missing := body[strings.Index(body, "Còn thiếu nguồn"):]
	for _, doc := range []string{"Tờ khai thay đổi thông tin cư trú", "Giấy tờ chứng minh chỗ ở hợp pháp", "Giấy tờ chứng minh thuộc diện được miễn lệ phí"} {
		if !strings.Contains(missing, "<strong>Giấy tờ &#34;"+html.EscapeString(doc)) {
			t.Errorf("Còn thiếu nguồn does not name %q: %.3000s", doc, missing)
		}
	}
	if strings.Contains(missing, "<strong>Giấy tờ</strong>") {
		t.Errorf("a removed document is grouped under a bare “Giấy tờ”")
	}

	ctx := context.Background()
	r, err := h.ChangeReview(ctx, change)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range r.Files[0].MissingItems() {
		mustPost(t, lan, cp, url.Values{"action": {"source"}, "path": {p}, "key": {it.Key}, "ref": {"https://dichvucong.gov.vn/"}, "read_on": {"2026-12-04"}}, http.StatusOK)
	}
	mustPost(t, lan, cp, url.Values{"action": {"propose"}}, http.StatusOK)
	body = mustPost(t, hoa, cp+"/review", url.Values{"action": {"approve"}}, http.StatusBadRequest)
	if !strings.Contains(body, ErrLintProblems.Msg) {
		t.Fatalf("approving a procedure without documents: %.1500s", body)
	}
}

// Finding 8: an emptied amount reads "(chưa ghi số tiền)" in the version's
// summary, not "0 đ / bản" as if free; "3000đ" typed then gets one message,
// with an example in đồng, not also the saved value's "cần ghi số tiền".
func TestStudioChecksFeeWithoutAnAmount(t *testing.T) {
	const p = "procedures/ban-sao-trich-luc.yaml" // 8.000 đ a copy
	_, lan, change, body := openFile(t, p, "Lệ phí bản sao")
	page := "/admin/content/files/" + p
	vals := formOf(t, body)
	vals.Set("fees.0.amount", "")
	body = mustPost(t, lan, page, vals, http.StatusOK)
	if !strings.Contains(body, "8.000 đ / bản → (chưa ghi số tiền)") || strings.Contains(body, "→ 0 đ") {
		t.Fatalf("the emptied amount's summary: %.3000s", body)
	}
	if field := fieldAround(body, `id="f-fees.0.amount"`); !strings.Contains(field, "cần ghi số tiền") {
		t.Fatalf("the emptied amount is not said to need one: %s", field)
	}

	vals = formOf(t, get(t, lan, fmt.Sprintf("%s?change=%d", page, change)))
	vals.Set("fees.0.amount", "3000đ")
	body = mustPost(t, lan, page, vals, http.StatusBadRequest)
	field := fieldAround(body, `id="f-fees.0.amount"`)
	const want = "Ô “Số tiền (đồng)” (Lệ phí 1) phải là một số nguyên không âm: số đồng viết bằng chữ số, ví dụ 8.000, không phải “3000đ”."
	if n := strings.Count(field, `class="sf-problem"`); n != 1 || !strings.Contains(field, want) {
		t.Fatalf("“3000đ”: %d problems beside the amount, want one saying %q: %s", n, want, field)
	}
}

// Finding 5: a fee changed under the approved "Ngày tổng hợp thông tin"
// says, on the change page and beside the date in the form, that the day
// may need to be today; the form sets it in one press; the reminder never
// stands in the way of an approval.
func TestStudioChecksCompiledDateReminder(t *testing.T) {
	const p = "procedures/ban-sao-trich-luc.yaml" // verified_on 2026-11-27
	h, lan, change, body := openFile(t, p, "Lệ phí bản sao 10.000")
	if strings.Contains(body, "sf-today") {
		t.Fatal("the approved file is reminded of its date")
	}
	page := "/admin/content/files/" + p
	vals := formOf(t, body)
	vals.Set("fees.0.amount", "10.000")
	body = mustPost(t, lan, page, vals, http.StatusOK)
	const reminder = "Ngày tổng hợp thông tin vẫn là 27/11/2026 dù thay đổi này sửa lệ phí: nếu đã đối chiếu lại với nguồn, hãy sửa thành ngày hôm nay"
	field := dateField(body)
	if !strings.Contains(field, reminder) || !strings.Contains(field, `value="today:verified_on"`) {
		t.Fatalf("the date field does not remind and offer today: %s", field)
	}
	hoa := loginAs(t, h, lan.srv, "hoa", RoleReviewer)
	cp := changeURL(change)
	if b := get(t, hoa, cp); !strings.Contains(b, `data-testid="compiled-reminder"`) || !strings.Contains(b, reminder) {
		t.Fatalf("the change page does not remind: %.3000s", b)
	}

	// Approved as it is: a reminder, not a blocker.
	r, err := h.ChangeReview(context.Background(), change)
	if err != nil {
		t.Fatal(err)
	}
	mustPost(t, lan, cp, url.Values{"action": {"source"}, "path": {p}, "key": {r.Files[0].MissingItems()[0].Key}, "ref": {"85/2019/TT-BTC"}, "read_on": {"2026-12-04"}}, http.StatusOK)
	mustPost(t, lan, cp, url.Values{"action": {"propose"}}, http.StatusOK)
	if b := mustPost(t, hoa, cp+"/review", url.Values{"action": {"approve"}}, http.StatusOK); !strings.Contains(b, "Đã duyệt") {
		t.Fatalf("approve: %.1500s", b)
	}

	// Another change: "Sửa thành hôm nay" sets the day, and the reminder goes.
	body = mustPost(t, lan, page, url.Values{"action": {"open"}, "into": {"new"}, "title": {"Lệ phí 12.000"}}, http.StatusOK)
	vals = formOf(t, body)
	vals.Set("fees.0.amount", "12.000")
	vals = formOf(t, mustPost(t, lan, page, vals, http.StatusOK))
	vals.Set("op", "today:verified_on")
	body = mustPost(t, lan, page, vals, http.StatusOK)
	today := time.Now().UTC().Add(7 * time.Hour).Format(time.DateOnly)
	if field := dateField(body); !strings.Contains(field, `value="`+today+`"`) || strings.Contains(field, "sf-warning") {
		t.Fatalf("after Sửa thành hôm nay: %s", field)
	}
	vals = formOf(t, body)
	vals.Del("op")
	body = mustPost(t, lan, page, vals, http.StatusOK)
	if strings.Contains(body, "sf-today") || strings.Contains(body, "Ngày tổng hợp thông tin vẫn là") {
		t.Fatalf("the reminder stays after the day was set: %s", dateField(body))
	}
}

// dateField is the form's verified_on field: its input, the button under it
// and its warnings, up to the next field.
func dateField(page string) string {
	i := strings.Index(page, `<label for="f-verified_on">`)
	if i < 0 {
		return ""
	}
	end := strings.Index(page[i+1:], `<label for=`)
	if end < 0 {
		return page[i:]
	}
	return page[i : i+1+end]
}
