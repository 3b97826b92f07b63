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

// The console plays a file of media/ as sound by kiosk/content's one table
// of media kinds: an .m4a, which kiosks refuse, had a player of its own list.
func TestMediaLinkAsksTheMediaTable(t *testing.T) {
	for p, sound := range map[string]bool{
		"media/narration/a.ogg": true, "media/narration/a.MP3": true, "media/narration/a.m4a": false,
		"media/tutorials/x/1.svg": false,
	} {
		if url, audio := mediaLink("approved", p); url == "" || audio != sound {
			t.Errorf("mediaLink(%q) = %q, %v; want sound %v", p, url, audio, sound)
		}
	}
	if url, _ := mediaLink("approved", "search.yaml"); url != "" {
		t.Errorf("search.yaml has a media link %q", url)
	}
}
