package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pack lint holds every media file to the studio's upload rules: a text
// file called .png that a lesson shows, and a 20 MB PNG, are problems.
func TestPackLintChecksMediaByContent(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	mustRun(t, "pack", "export-starter", "--out", src)
	lesson := filepath.Join(src, "tutorials", "dvc-find-procedure.yaml")
	yaml, err := os.ReadFile(lesson)
	if err != nil {
		t.Fatal(err)
	}
	yaml = bytes.Replace(yaml, []byte("tutorials/dvc-find-procedure/1-open.svg"), []byte("tutorials/dvc-find-procedure/gia.png"), 1)
	os.WriteFile(lesson, yaml, 0o644)
	dir := filepath.Join(src, "media", "tutorials", "dvc-find-procedure")
	os.WriteFile(filepath.Join(dir, "gia.png"), []byte("a note, not a picture"), 0o644)
	os.WriteFile(filepath.Join(dir, "lon.png"), append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 20<<20)...), 0o644)
	code, _, errOut := tramso(t, "pack", "lint", "--src", src)
	for _, want := range []string{
		"media/tutorials/dvc-find-procedure/gia.png: holds no PNG picture, whatever its name says",
		"media/tutorials/dvc-find-procedure/lon.png: is 20 MB, more than the 4 MB allowed for one PNG picture",
	} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("lint: exit %d, want 1 and %q:\n%s", code, want, errOut)
		}
	}
}
