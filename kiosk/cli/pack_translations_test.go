package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// trCLI runs the command line with the frontend's catalogues as the
// binary's assets (the built dist carries the same i18n folder).
func trCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(args, Env{Assets: os.DirFS("../../frontend/src"), Stdout: &out, Stderr: &errOut})
	return code, out.String(), errOut.String()
}

// exportStarterPO writes the starter pack to a source folder and exports its
// Ê Đê PO file; it returns both paths and the file.
func exportStarterPO(t *testing.T) (src, po string, b []byte) {
	t.Helper()
	tmp := t.TempDir()
	src, po = filepath.Join(tmp, "src"), filepath.Join(tmp, "rad.po")
	mustRun(t, "pack", "export-starter", "--out", src)
	if code, out, errOut := trCLI(t, "pack", "translations", "export", "--src", src, "--lang", "rad", "--out", po); code != 0 {
		t.Fatalf("export: exit %d\n%s%s", code, out, errOut)
	}
	b, err := os.ReadFile(po)
	if err != nil {
		t.Fatal(err)
	}
	return src, po, b
}

func TestPackTranslationsExportImportStatus(t *testing.T) {
	src, po, b := exportStarterPO(t)
	// Translate one line the way a translator's tool would: only its msgstr.
	text := strings.Replace(string(b), "msgctxt \"shell:shell.home.learn\"\nmsgid \"Học kỹ năng số\"\nmsgstr \"\"",
		"msgctxt \"shell:shell.home.learn\"\nmsgid \"Học kỹ năng số\"\nmsgstr \"Hriăm čŏ\"", 1)
	if text == string(b) {
		t.Fatalf("no shell:shell.home.learn entry in\n%.2000s", b)
	}
	if err := os.WriteFile(po, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := trCLI(t, "pack", "translations", "import", "--src", src, "--lang", "rad", po); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	cat, err := os.ReadFile(filepath.Join(src, "i18n", "rad", "shell.json"))
	if err != nil || !strings.Contains(string(cat), `"learn": "Hriăm čŏ"`) {
		t.Fatalf("pack catalogue: %v\n%s", err, cat)
	}
	mustRun(t, "pack", "lint", "--src", src)
	code, out, errOut := trCLI(t, "pack", "translations", "status", "--src", src)
	if code != 0 || !regexp.MustCompile(`(?m)^rad +2/\d+ `).MatchString(out) {
		t.Fatalf("status: exit %d\n%s%s", code, out, errOut)
	}
}

func TestPackTranslationsImportRefusalNamesFileAndLine(t *testing.T) {
	src, po, b := exportStarterPO(t)
	old := "msgid \"{n} bài học\"\nmsgstr \"\""
	i := strings.Index(string(b), old)
	if i < 0 {
		t.Fatal("no {n} bài học entry")
	}
	line := strings.Count(string(b[:i]), "\n") + 2 // the msgstr line
	text := strings.Replace(string(b), old, "msgid \"{n} bài học\"\nmsgstr \"bài học\"", 1)
	os.WriteFile(po, []byte(text), 0o644)
	code, _, errOut := trCLI(t, "pack", "translations", "import", "--src", src, "--lang", "rad", po)
	want := "rad.po:line " + strconv.Itoa(line) + " (shell:shell.home.learn_count): placeholders [{n}]"
	if code != 1 || !strings.Contains(errOut, want) || !strings.Contains(errOut, "nothing was changed") {
		t.Fatalf("exit %d, stderr:\n%s\nwant %q", code, errOut, want)
	}
	if _, err := os.Stat(filepath.Join(src, "i18n")); !os.IsNotExist(err) {
		t.Errorf("a refused import wrote the catalogue: %v", err)
	}
}

func TestPackTranslationsBadUsage(t *testing.T) {
	for _, args := range [][]string{
		{"pack", "translations"},
		{"pack", "translations", "frob"},
		{"pack", "translations", "export", "--lang", "rad", "--out", "x.po"},
		{"pack", "translations", "export", "--src", ".", "--lang", "vi", "--out", "x.po"},
		{"pack", "translations", "import", "--src", ".", "--lang", "rad"},
	} {
		if code, _, errOut := trCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
	}
	if code, _, errOut := tramso(t, "pack", "translations", "status", "--src", "."); code != 1 || !strings.Contains(errOut, "no frontend") {
		t.Errorf("without assets: exit %d, %s", code, errOut)
	}
}
