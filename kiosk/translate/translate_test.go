package translate

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"tramso/kiosk/content"
	"tramso/kiosk/pack"
)

// shellFS is the frontend's own catalogues, the layout the binary's dist copies.
var shellFS = os.DirFS("../../frontend/src")

// starterDir writes the embedded starter pack to a temporary source folder.
func starterDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "src")
	if err := os.CopyFS(dir, content.Starter()); err != nil {
		t.Fatal(err)
	}
	return dir
}

func exportPO(t *testing.T, dir, lng string) *File {
	t.Helper()
	units, err := Collect(shellFS, os.DirFS(dir), lng)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := PO(units, lng).Write(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestPORoundTripKeepsQuotesEscapesAndLines(t *testing.T) {
	in := &File{Header: []string{"Language: rad", "Content-Type: text/plain; charset=UTF-8"}, Entries: []Entry{
		{Ctxt: "a", ID: `say "hi" \ back`, Str: "tab\there", Comments: []string{"where"}},
		{Ctxt: "b", ID: "line one\nline two\n", Str: "dòng một\ndòng hai", Fuzzy: true},
		{Ctxt: "c", ID: "ơ̆ ư̆ ĕ ŏ č ñ", Str: ""},
	}}
	var buf bytes.Buffer
	if err := in.Write(&buf); err != nil {
		t.Fatal(err)
	}
	out, err := Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if out.HeaderValue("language") != "rad" || len(out.Entries) != 3 {
		t.Fatalf("header %v, %d entries:\n%s", out.Header, len(out.Entries), buf.String())
	}
	for i, e := range out.Entries {
		w := in.Entries[i]
		if e.Ctxt != w.Ctxt || e.ID != w.ID || e.Str != w.Str || e.Fuzzy != w.Fuzzy {
			t.Errorf("entry %d: got %+v, want %+v", i, e, w)
		}
	}
	if out.Entries[1].Line != 12 || out.Entries[1].StrLine != 16 {
		t.Errorf("entry b at lines %d, %d, want 12, 16:\n%s", out.Entries[1].Line, out.Entries[1].StrLine, buf.String())
	}
}

func TestParseRefusesBrokenSyntaxNamingTheLine(t *testing.T) {
	_, err := Parse(strings.NewReader("msgid \"\"\nmsgstr \"\"\n\nmsgctxt \"x\"\nmsgid \"a\nmsgstr \"b\"\n"))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 5 {
		t.Fatalf("got %v, want a problem at line 5", err)
	}
}

// A file saved in a legacy Vietnamese encoding is refused, naming the line,
// rather than read as "Hru�"; so is one whose header names another charset.
func TestParseRefusesAFileThatIsNotUTF8(t *testing.T) {
	latin1 := "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\nmsgctxt \"x\"\nmsgid \"a\"\nmsgstr \"Hru\xea\"\n"
	_, err := Parse(strings.NewReader(latin1))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 7 || !strings.Contains(pe.Msg, "not UTF-8") {
		t.Fatalf("got %v, want a problem at line 7 saying the file is not UTF-8", err)
	}
	cp1258 := "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=CP1258\\n\"\n\nmsgctxt \"x\"\nmsgid \"a\"\nmsgstr \"b\"\n"
	if _, err := Parse(strings.NewReader(cp1258)); !errors.As(err, &pe) || !strings.Contains(pe.Msg, "charset=CP1258") {
		t.Fatalf("got %v, want the header's charset refused", err)
	}
	utf := strings.Replace(latin1, "Hru\xea", "Hruê", 1)
	if f, err := Parse(strings.NewReader(utf)); err != nil || f.Entries[0].Str != "Hruê" {
		t.Fatalf("the same file in UTF-8: %v", err)
	}
}

func TestExportNamesEveryLineStably(t *testing.T) {
	dir := starterDir(t)
	f := exportPO(t, dir, "rad")
	byCtxt := map[string]Entry{}
	for _, e := range f.Entries {
		if _, dup := byCtxt[e.Ctxt]; dup {
			t.Errorf("msgctxt %q twice", e.Ctxt)
		}
		byCtxt[e.Ctxt] = e
	}
	for ctxt, vi := range map[string]string{
		"shell:shell.home.learn":                "Học kỹ năng số",
		"procedure:1.001193:documents[1].short": "Căn cước",
		"shell:shell.home.learn_count":          "{n} bài học",
		"procedure:1.001193:cases[0].name":      "Có Giấy chứng sinh",
	} {
		if e, ok := byCtxt[ctxt]; !ok || e.ID != vi {
			t.Errorf("%s: got %q, want msgid %q", ctxt, e.ID, vi)
		}
	}
	if e := byCtxt["shell:shell.lang.self"]; e.Str != "Êđê" {
		t.Errorf("the existing translation is not the msgstr: %q", e.Str)
	}
	if e := byCtxt["shell:shell.home.learn_count"]; !strings.Contains(strings.Join(e.Comments, "\n"), "{n}") {
		t.Errorf("no placeholder comment: %v", e.Comments)
	}
	var lessons, procs int
	for c := range byCtxt {
		lessons += b2i(strings.HasPrefix(c, "lesson:"))
		procs += b2i(strings.HasPrefix(c, "procedure:"))
	}
	if lessons < 100 || procs < 100 {
		t.Errorf("only %d lesson and %d procedure lines", lessons, procs)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestExportPassesMsgfmtCheck(t *testing.T) {
	dir := starterDir(t)
	units, err := Collect(shellFS, os.DirFS(dir), "rad")
	if err != nil {
		t.Fatal(err)
	}
	for i := range units { // translated lines too, with a multi-line one
		units[i].Trans = "[rad] " + units[i].Source
	}
	units[0].Trans = "một\nhai"
	var buf bytes.Buffer
	if err := PO(units, "rad").Write(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "rad.po")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("msgfmt", "--check", "-o", os.DevNull, path).CombinedOutput()
	if err != nil {
		t.Fatalf("msgfmt --check: %v\n%s", err, out)
	}
}

// fill translates every entry with a test fixture text.
func fill(f *File) {
	for i := range f.Entries {
		f.Entries[i].Str = "[rad] " + f.Entries[i].ID
	}
}

func TestImportWritesContentAndShellAndExportReadsThemBack(t *testing.T) {
	dir := starterDir(t)
	f := exportPO(t, dir, "rad")
	fill(f)
	for i, e := range f.Entries {
		if e.Ctxt == "shell:shell.home.learn" {
			f.Entries[i].Str = "Hriăm mnơ̆ng ñu čŏ" // breve letters the font must cover
		}
		if e.Ctxt == "shell:shell.home.title" {
			f.Entries[i].Fuzzy, f.Entries[i].Str = true, "not sure yet"
		}
	}
	n, err := Import(shellFS, dir, "rad", f)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(f.Entries)-1 {
		t.Errorf("wrote %d lines of %d (one fuzzy)", n, len(f.Entries))
	}
	if probs := pack.LintSource(os.DirFS(dir)); len(probs) > 0 {
		t.Fatalf("the imported folder does not lint: %v", probs)
	}
	again := exportPO(t, dir, "rad")
	got := map[string]string{}
	for _, e := range again.Entries {
		got[e.Ctxt] = e.Str
	}
	for ctxt, want := range map[string]string{
		"shell:shell.home.learn":                "Hriăm mnơ̆ng ñu čŏ",
		"shell:shell.home.title":                "",
		"procedure:1.001193:documents[1].short": "[rad] Căn cước",
		"shell:shell.lang.self":                 "[rad] Tiếng Việt",
	} {
		if got[ctxt] != want {
			t.Errorf("%s after import: %q, want %q", ctxt, got[ctxt], want)
		}
	}
	p, err := content.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := p.Procedure("1.001193").PlainName.In("rad"); s != "[rad] Làm giấy khai sinh cho bé" {
		t.Errorf("the kiosk reads %q", s)
	}
	st, err := Status(shellFS, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range st {
		if c.Lang == "rad" && (c.Shell.Done != c.Shell.Total-1 || c.Procedures.Done != c.Procedures.Total) {
			t.Errorf("status: %+v", c)
		}
	}
}

// snapshot reads every file of dir, to show an import changed nothing.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(filepath.Join(dir, p))
			out[p] = string(b)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestImportRefusesABadFileNamingTheLineAndChangesNothing(t *testing.T) {
	for _, tc := range []struct {
		name, ctxt, str, want string
	}{
		{"placeholder", "shell:shell.home.learn_count", "bài học", "placeholders [{n}] must be kept"},
		{"renamed placeholder", "shell:shell.home.learn_count", "{count} bài", "placeholders [{n}] must be kept"},
		{"glyph", "shell:shell.home.learn", "Học ☃", `character "☃" (U+2603) is not in the kiosk's font`},
		{"cjk glyph", "procedure:1.001193:plain_name", "giấy 紙", `U+7D19`},
		{"budget", "shell:shell.home.learn", strings.Repeat("a", 40), "length budget is 34"},
		{"source changed", "shell:shell.home.learn", "", "msgid"},
		{"unknown", "shell:shell.home.nothing", "x", "unknown msgctxt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := starterDir(t)
			before := snapshot(t, dir)
			f := exportPO(t, dir, "rad")
			fill(f)
			line := 0
			for i, e := range f.Entries {
				if tc.name == "unknown" && e.Ctxt == "shell:shell.home.learn" {
					f.Entries[i].Ctxt = tc.ctxt
				}
				if e.Ctxt == tc.ctxt || (tc.name == "unknown" && f.Entries[i].Ctxt == tc.ctxt) {
					line = e.StrLine
					if tc.name == "unknown" {
						line = e.Line
					}
					if tc.str != "" {
						f.Entries[i].Str = tc.str
					}
					if tc.name == "source changed" {
						f.Entries[i].ID = "Học kỹ năng số mới"
					}
				}
			}
			if line == 0 {
				t.Fatalf("no entry %s", tc.ctxt)
			}
			_, err := Import(shellFS, dir, "rad", f)
			var probs Problems
			if !errors.As(err, &probs) || len(probs) != 1 {
				t.Fatalf("got %v, want one problem", err)
			}
			if probs[0].Line != line || !strings.Contains(probs[0].String(), tc.want) {
				t.Errorf("got %q, want line %d and %q", probs[0], line, tc.want)
			}
			after := snapshot(t, dir)
			if len(after) != len(before) {
				t.Fatalf("%d files before, %d after", len(before), len(after))
			}
			for p, b := range before {
				if after[p] != b {
					t.Errorf("%s changed", p)
				}
			}
		})
	}
}

func TestImportRefusesAnEntryTwice(t *testing.T) {
	dir := starterDir(t)
	f := exportPO(t, dir, "rad")
	f.Entries = append(f.Entries, f.Entries[3])
	f.Entries[len(f.Entries)-1].Line = 99999
	_, err := Import(shellFS, dir, "rad", f)
	var probs Problems
	if !errors.As(err, &probs) || len(probs) != 1 || probs[0].Line != 99999 || !strings.Contains(probs[0].Msg, "same msgctxt") {
		t.Fatalf("got %v", err)
	}
}

func TestImportRefusesAnotherLanguagesFile(t *testing.T) {
	dir := starterDir(t)
	f := exportPO(t, dir, "mng")
	if _, err := Import(shellFS, dir, "rad", f); err == nil || !strings.Contains(err.Error(), `"mng"`) {
		t.Fatalf("got %v", err)
	}
}

func TestFontCoversEdeAndMnongLetters(t *testing.T) {
	for _, r := range "ăĕĭŏŭơư\u0306čñĂĔĬŎŬČÑêđôƀ" {
		if !Covered(r) {
			t.Errorf("%q (U+%04X) is not covered", r, r)
		}
	}
	for _, r := range "☃紙" {
		if Covered(r) {
			t.Errorf("%q is covered, but the font has no such glyph", r)
		}
	}
}

// fontcover.txt must be what the kiosk's font covers today (both weights).
func TestFontCoverIsTheFonts(t *testing.T) {
	for _, w := range []string{"400", "700"} {
		out, err := exec.Command("fc-query", "--format", "%{charset}", "../../frontend/src/fonts/NotoSans-"+w+".woff2").Output()
		if err != nil {
			t.Fatalf("fc-query: %v", err)
		}
		if strings.TrimSpace(string(out)) != strings.TrimSpace(fontCover) {
			t.Errorf("NotoSans-%s covers\n%s\nbut fontcover.txt says\n%s\nregenerate it (see check.go)", w, out, fontCover)
		}
	}
}

// A translation typed with letters and marks apart (NFD, as some keyboards
// send them) is written in one form, NFC, as the kiosk's own text is.
func TestImportWritesOneUnicodeForm(t *testing.T) {
	dir := starterDir(t)
	f := exportPO(t, dir, "rad")
	const whole = "Hriăm mơ̆ng ñu čŏ Đắk"
	for i, e := range f.Entries {
		if e.Ctxt == "shell:shell.home.learn" {
			f.Entries[i].Str = norm.NFD.String(whole)
		}
	}
	if norm.NFD.String(whole) == whole {
		t.Fatal("the test text has no decomposed form")
	}
	if _, err := Import(shellFS, dir, "rad", f); err != nil {
		t.Fatal(err)
	}
	for _, e := range exportPO(t, dir, "rad").Entries {
		if e.Ctxt == "shell:shell.home.learn" && e.Str != norm.NFC.String(whole) {
			t.Fatalf("written as %+q, want the NFC %+q", e.Str, norm.NFC.String(whole))
		}
	}
}
