package hub

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// A step added to a lesson is listed field by field, in every language, on
// the change page the reviewer approves from and in the save notice, as an
// edit of an existing step is: the reviewer approved an Ê Đê line nobody
// saw when only the step's Vietnamese text was shown (outside QA).
func TestStudioAddedItemListsEveryField(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	duyet := loginAs(t, h, srv, "duyet", RoleReviewer)
	const page = "/admin/content/files/tutorials/scam-spotting.yaml"
	body := mustPost(t, lan, page, url.Values{"action": {"open"}, "into": {"new"}, "title": {"Thêm bước"}}, http.StatusOK)
	vals := formOf(t, body)
	vals.Set("op", "add:steps")
	vals = formOf(t, mustPost(t, lan, page, vals, http.StatusOK))
	n := 0
	for vals.Has("steps." + strconv.Itoa(n) + ".text.vi") {
		n++
	}
	step := "steps." + strconv.Itoa(n-1) + "."
	for name, v := range map[string]string{
		"title.vi": "Đường link lạ", "title.en": "A strange link", "title.rad": "TIÊU ĐỀ Ê ĐÊ",
		"text.vi": "Tin nhắn có đường link lạ, đừng bấm.", "text.en": "A message with a strange link: do not tap.", "text.rad": "LỜI Ê ĐÊ",
		"hint.vi": "Hỏi người thân trước khi bấm.", "illustration": "tutorials/scam-spotting/link.svg",
	} {
		vals.Set(step+name, v)
	}
	body = html.UnescapeString(mustPost(t, lan, page, vals, http.StatusOK))
	label := "Bước " + strconv.Itoa(n)
	want := []string{
		label + ` — tiêu đề: thêm "Đường link lạ"`,
		label + ` — tiêu đề (tiếng Anh): thêm "A strange link"`,
		label + ` — tiêu đề (tiếng Ê Đê): thêm "TIÊU ĐỀ Ê ĐÊ"`,
		label + ` — lời (tiếng Ê Đê): thêm "LỜI Ê ĐÊ"`,
		label + ` — gợi ý: thêm "Hỏi người thân trước khi bấm."`,
		label + ` — hình: thêm tutorials/scam-spotting/link.svg`,
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("the save notice lacks %q: %.3000s", w, body)
		}
	}
	cs, err := h.Changes(context.Background(), 10, StateDraft)
	if err != nil || len(cs) == 0 {
		t.Fatalf("no change: %v", err)
	}
	_, body = duyet.get("/admin/content/changes/" + strconv.FormatInt(cs[0].ID, 10))
	body = html.UnescapeString(body)
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("the change page lacks %q: %.3000s", w, body)
		}
	}
}

// Two authors on one procedure: author 2 changes the summary and the late
// fee and saves; author 1, on the older form, changes the summary and adds
// a note to that fee. The form comes back with author 2's fee merged in;
// the page names it, in words, and marks its box, so author 1 does not save
// over a colleague's fee unseen (outside QA: only the summary was flagged).
func TestStudioMergedFieldsAreNamed(t *testing.T) {
	lan, late, one, two := twoForms(t)

	two.Set("summary.vi", "TÓM TẮT CỦA NGƯỜI 2")
	two.Set("fees."+late+".amount", "55000")
	mustPost(t, lan, khaiSinhPage, two, http.StatusOK)
	one.Set("summary.vi", "TÓM TẮT CỦA NGƯỜI 1")
	one.Set("fees."+late+".note.vi", "Nộp tại bộ phận một cửa.")
	body := html.UnescapeString(mustPost(t, lan, khaiSinhPage, one, http.StatusConflict))

	if !strings.Contains(body, "Những ô lấy từ bản kia") || !strings.Contains(body, "50.000 đ → 55.000 đ") {
		t.Errorf("the message does not name the fee taken from the other save: %.3000s", body)
	}
	amount := "fees." + late + ".amount"
	marked := regexp.MustCompile(`id="e-` + regexp.QuoteMeta(amount) + `-\d+">Lấy từ bản lưu ở nơi khác[^<]*“50000”`)
	if !marked.MatchString(body) {
		t.Errorf("the fee box is not marked as taken from the other save: %.3000s", body)
	}
	again := formOf(t, body)
	if again.Get(amount) != "55000" || again.Get("summary.vi") != "TÓM TẮT CỦA NGƯỜI 1" {
		t.Errorf("the form shown again: fee %q, summary %q", again.Get(amount), again.Get("summary.vi"))
	}
	if strings.Contains(body, `id="e-fees.`+late+`.note.vi-0">Lấy từ`) {
		t.Errorf("the author's own note is marked as taken from the other save")
	}
}

// Two authors on one procedure, on different fields: the later save merges
// and is kept, and its page says what the other save changed — the fee a
// colleague set — not only what this author typed (outside QA: a merged-in
// fee was never shown to the author who saved over it).
func TestStudioMergedSaveNamesTheOtherSide(t *testing.T) {
	lan, late, one, two := twoForms(t)

	two.Set("fees."+late+".amount", "55000")
	mustPost(t, lan, khaiSinhPage, two, http.StatusOK)
	one.Set("summary.vi", "TÓM TẮT CỦA NGƯỜI 1")
	body := html.UnescapeString(mustPost(t, lan, khaiSinhPage, one, http.StatusOK))
	theirs := regexp.MustCompile(`(?s)data-testid="merged-theirs">(.*?)</p>`).FindStringSubmatch(body)
	if !strings.Contains(body, "đã gộp cả hai") || theirs == nil || !strings.Contains(theirs[1], "50.000 đ → 55.000 đ") ||
		strings.Contains(theirs[1], "TÓM TẮT CỦA NGƯỜI 1") {
		t.Errorf("the merged save does not say what the other save changed: %.4000s", body)
	}
}

const khaiSinhPage = "/admin/content/files/" + khaiSinh

// twoForms opens khai-sinh with a late fee of 50.000 đ saved, and gives the
// form twice, as two authors (or tabs) hold it, with the late fee's index.
func twoForms(t *testing.T) (lan *admin, late string, one, two url.Values) {
	t.Helper()
	_, lan, _, body := openKhaiSinh(t, "Hai người sửa")
	vals := formOf(t, body)
	late = feeIndex(t, vals, "late")
	vals.Set("fees."+late+".kind", "amount")
	vals.Set("fees."+late+".amount", "50000")
	body = mustPost(t, lan, khaiSinhPage, vals, http.StatusOK)
	return lan, late, formOf(t, body), formOf(t, body)
}
