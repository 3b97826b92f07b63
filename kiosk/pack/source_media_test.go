package pack

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"tramso/kiosk/content"
)

// badMedia are files an import brought that the studio's upload form
// refuses (outside QA): lint must name each, referred to or not.
var badMedia = map[string]struct {
	data []byte
	want string
}{
	"media/a/big.png":     {append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 20<<20)...), "is 20 MB, more than the 4 MB allowed for one PNG picture"},
	"media/a/script.svg":  {[]byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), `contains "<script"`},
	"media/a/outside.svg": {[]byte(`<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.com/a.png"/></svg>`), `contains "href=\"https://"`},
	"media/a/text.png":    {[]byte("a note, not a picture"), "holds no PNG picture, whatever its name says"},
	"media/a/text.ogg":    {[]byte("ID3 an mp3 called ogg"), "holds no Ogg sound, whatever its name says"},
	"media/a/huge.svg":    {append([]byte("<svg>"), make([]byte, 3<<20)...), "is 3 MB, more than the 2 MB allowed for one SVG drawing"},
}

// Every file of media/ is held to the upload form's rules
// (content.MediaProblem), and the starter passes them.
func TestLintSourceChecksEveryMediaFile(t *testing.T) {
	src := starterMapFS(t)
	if probs := LintSource(src); len(probs) > 0 {
		t.Fatalf("the starter has problems: %v", probs)
	}
	for p, f := range badMedia {
		src[p] = &fstest.MapFile{Data: f.data}
	}
	got := map[string]string{}
	for _, p := range LintSource(src) {
		got[p.File] += p.Message + "\n"
	}
	for p, f := range badMedia {
		if !strings.Contains(got[p], f.want) {
			t.Errorf("%s: %q, want %q", p, got[p], f.want)
		}
	}
	if len(got) != len(badMedia) {
		t.Errorf("problems of other files: %v", got)
	}
}

func starterMapFS(t *testing.T) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(content.Starter(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(content.Starter(), p)
		out[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
