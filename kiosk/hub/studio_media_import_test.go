package hub

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// An import is held to the upload form's rules for media (outside QA: a
// 20 MB PNG, an SVG with a script or an outside picture, and text called
// .png came in through an import, and the change said "Không có lỗi"):
// the change's page names each file and what is wrong with it, in
// Vietnamese, and the change cannot be approved.
func TestStudioImportShowsMediaProblems(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	files := map[string][]byte{
		"media/tutorials/x/lon.png":     append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 20<<20)...),
		"media/tutorials/x/ma.svg":      []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		"media/tutorials/x/ngoai.svg":   []byte(`<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.com/a.png"/></svg>`),
		"media/tutorials/x/gia.png":     []byte("a note, not a picture"),
		"media/tutorials/x/loi-doc.ogg": []byte("not a sound"),
	}
	fields := map[string]string{"csrf": lan.csrf("/admin/content/changes"), "title": "Hình từ git"}
	code, body := lan.postFile("/admin/content/import", fields, "tree", "x.tar.gz", tarGz(t, slices.Sorted(maps.Keys(files)), files))
	if code != http.StatusOK || strings.Contains(body, "Không có lỗi") {
		t.Fatalf("import: %d %.2000s", code, body)
	}
	for _, want := range []string{
		"lon.png</code>: Nặng 20 MB, quá lớn cho một ảnh PNG: tối đa 4 MB",
		"ma.svg</code>: Có &#34;&lt;script&#34;: hình minh hoạ không được có mã chạy",
		"ngoai.svg</code>: Có &#34;href=\\&#34;https://&#34;: hình minh hoạ",
		"gia.png</code>: Không phải ảnh PNG như đuôi tệp nói: có thể tệp chỉ bị đổi tên. Hãy mở tệp gốc",
		"lưu lại ở cỡ nhỏ hơn", // what to do, not only what is wrong
		"loi-doc.ogg</code>: Không phải âm thanh Ogg như đuôi tệp nói",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the change's page lacks %q", want)
		}
	}
	cs, err := h.Changes(context.Background(), 10, StateDraft)
	if err != nil || len(cs) != 1 {
		t.Fatalf("changes: %v %v", cs, err)
	}
	if r, err := h.ChangeReview(context.Background(), cs[0].ID); err != nil || len(r.Problems) != len(files) {
		t.Fatalf("change %s: problems %v, %v", strconv.FormatInt(cs[0].ID, 10), r.Problems, err)
	}
}
