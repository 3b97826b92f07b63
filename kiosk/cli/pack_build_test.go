//go:build !desktop

package cli

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPackBuildSaysNoDateForAHandNumberedGeneration is the upgrade tester's
// finding 7: `pack build --generation 1000003` printed "created 1970-01-12…",
// which looks like a broken clock. A generation numbered by hand stands for
// no time, and the line says so; a default build still gives its date. The
// manifest is as before.
func TestPackBuildSaysNoDateForAHandNumberedGeneration(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "keygen", "--out", filepath.Join(dir, "keys"))
	src := filepath.Join(dir, "src")
	mustRun(t, "pack", "export-starter", "--out", src)
	key := filepath.Join(dir, "keys", "province.key")

	out := mustRun(t, "pack", "build", "--src", src, "--key", key, "--out", filepath.Join(dir, "hand.tspack"), "--generation", "1000003")
	if strings.Contains(out, "1970") || strings.Contains(out, "created") || !strings.Contains(out, "generation 1000003") ||
		!strings.Contains(out, "numbered by hand, so no build date") {
		t.Fatalf("a hand-numbered build: %s", out)
	}
	out = mustRun(t, "pack", "build", "--src", src, "--out", filepath.Join(dir, "unsigned.tspack"), "--generation", "1000004")
	if strings.Contains(out, "1970") || !strings.Contains(out, "numbered by hand") {
		t.Fatalf("a hand-numbered unsigned build: %s", out)
	}
	out = mustRun(t, "pack", "build", "--src", src, "--key", key, "--out", filepath.Join(dir, "default.tspack"))
	if !regexp.MustCompile(`, created 20\d\d-\d\d-\d\d \d\d:\d\d:\d\dZ, `).MatchString(out) {
		t.Fatalf("a default build: %s", out)
	}
}
