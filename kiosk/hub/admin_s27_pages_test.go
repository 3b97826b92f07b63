package hub

import (
	"strings"
	"testing"
)

// Small wording on Gói nội dung and Mã đăng ký (outside QA s27, findings
// 10 and 14): how to pull a bad pack, a rollback command whose placeholder
// is not an underscore through an accent, and key ids compared with a
// command the page has not shown yet.
func TestPacksAndCodesWording(t *testing.T) {
	h, a, _, _ := keyedHub(t) // Mã đăng ký speaks of key ids only when the hub has a key
	_, page := a.get("/admin/packs")
	if strings.Contains(page, "bad-pack-help") {
		t.Error("the bad-pack help shows with no pack published")
	}
	publishEmpty(t, h, 600, StageEveryone)
	_, page = a.get("/admin/packs")
	for _, want := range []string{`data-testid="bad-pack-help"><strong>Gói sai?</strong> Bấm <strong>Tạm dừng</strong>`,
		`<strong>Quay lại nội dung này</strong>`, `--to <var>số thế hệ</var>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the packs page lacks %q", want)
		}
	}
	if strings.Contains(page, "THẾ_HỆ") {
		t.Error("the packs page still writes THẾ_HỆ")
	}
	_, page = a.get("/admin/codes")
	if strings.Contains(page, "với lệnh trên") || !strings.Contains(page, "hiện ở đầu trang sau khi bấm “Tạo mã mới”") {
		t.Errorf("the codes page points at a command it has not shown:\n%.3000s", page)
	}
}
