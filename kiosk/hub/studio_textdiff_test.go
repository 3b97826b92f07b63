package hub

import (
	"strings"
	"testing"
)

// A file without a form reads as the lines that changed, in order.
func TestTextChanges(t *testing.T) {
	before := "modules:\n  - id: a\n    title: Một\n  - id: b\nplatform_url: https://x\n"
	after := "modules:\n  - id: a\n    title: Hai\n  - id: b\n  - id: c\nplatform_url: https://x\n"
	var got []string
	for _, c := range textChanges([]byte(before), []byte(after)) {
		got = append(got, c.String())
	}
	want := []string{`Dòng 3:     title: Một →     title: Hai`, `Dòng 5: thêm   - id: c`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if c := textChanges(nil, []byte("a\n")); len(c) != 1 || c[0].Op != "added" {
		t.Fatalf("new file: %+v", c)
	}
	if c := textChanges([]byte("a\nb\n"), []byte("a\nb\n")); len(c) != 0 {
		t.Fatalf("same text: %+v", c)
	}
}
