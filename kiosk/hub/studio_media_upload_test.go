package hub

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// An upload says where the file went and what to write in the form's
// "Hình" or "Lời đọc" to use it: the path from media/ (outside QA: "Đã tải
// tệp lên." alone left an officer guessing).
func TestStudioMediaUploadSaysWhatToWrite(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	c, err := h.OpenChange(context.Background(), "Hình mới", "lan")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, field string }{
		{"anh-dung.png", "Hình"},
		{"buoc-1.vi.ogg", "Lời đọc"},
	} {
		body := map[string][]byte{"anh-dung.png": []byte("\x89PNG\r\n\x1a\n\x00"), "buoc-1.vi.ogg": []byte("OggS\x00")}[tc.name]
		code, page := upload(t, lan, c.ID, "media/tutorials/scam-spotting/", tc.name, body)
		want := "Tệp đã vào <code>media/tutorials/scam-spotting/" + tc.name + "</code> trong thay đổi này. Để dùng, ghi vào ô “" +
			tc.field + "” của biểu mẫu: <code>tutorials/scam-spotting/" + tc.name + "</code>"
		if code != http.StatusOK || !strings.Contains(page, want) {
			t.Errorf("upload %s: %d, want %q: %.3000s", tc.name, code, want, page)
		}
	}
}
