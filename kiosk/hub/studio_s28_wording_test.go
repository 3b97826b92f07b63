package hub

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A fee amount both tabs changed is said, in the conflict notice under the
// box, as money: "3.000 đ", not "3000" (outside QA s27, finding 14).
func TestS28ConflictNoteSaysAmountsInDong(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	page := "/admin/content/files/" + chuKy
	body := mustPost(t, lan, page, url.Values{"action": {"open"}, "into": {"new"}, "title": {"Lệ phí"}}, http.StatusOK)
	tabA, tabB := formOf(t, body), formOf(t, body)
	tabA.Set("fees.0.amount", "3000")
	mustPost(t, lan, page, tabA, http.StatusOK)
	tabB.Set("fees.0.amount", "3100")
	body = mustPost(t, lan, page, tabB, http.StatusConflict)
	if !strings.Contains(body, "Bản lưu ở nơi khác cũng sửa ô này, thành: “3.000 đ”") {
		t.Fatalf("the conflict notice does not say the amount in đồng: %s", snippetAround(body, "Bản lưu ở nơi khác cũng sửa ô này"))
	}
}

// The recording page names each kiosk screen in Vietnamese, the
// catalogue's key only in small type after it.
func TestS28RecordPageNamesScreens(t *testing.T) {
	_, lan, _ := recordHub(t)
	_, body := lan.get("/admin/content/record/rad")
	for _, want := range []string{
		`Màn hình ngoài giờ — báo sắp hết giờ <small class="screen-key">Màn hình kiosk: closed · closing</small>`,
		`Hỏi thủ tục — căn cứ pháp lý và ngày đối chiếu <small class="screen-key">Màn hình kiosk: procedures · basis</small>`,
		`Khung chung của kiosk — trang chủ <small`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the recording page lacks %q: %s", want, snippetAround(body, "Màn hình và tệp"))
		}
	}
}
