package studio

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"tramso/kiosk/content"
	"tramso/kiosk/pack"
)

// TestEveryLintMessageIsVietnamese reads the lint code of kiosk/content,
// kiosk/flow and kiosk/pack for the formats of its problems and says each
// one, with made-up values, through ProblemText: every one must come out in
// Vietnamese, whole. A new lint message needs its line in problemFormats.
func TestEveryLintMessageIsVietnamese(t *testing.T) {
	formats := lintFormats(t, "../content", "../flow", "../pack")
	// The catalogue check's errors become problems whole (Message: err.Error()).
	formats = append(formats, errorfFormats(t, "../pack/catalogue.go")...)
	// So do a YAML file's: missing, or not valid (the parser's words follow).
	formats = append(formats, errorfFormats(t, "../content/pack.go")...)
	if len(formats) < 100 {
		t.Fatalf("found only %d lint formats; the scan is broken", len(formats))
	}
	for _, f := range formats {
		if f == "%s" || f == "%v" {
			continue // a message passed on: read when it is made
		}
		// A %q prints a string, an empty one, or a list ([]string): the
		// closed sets' "is not one of" printed ["hand_in" "show"] and was
		// shown in English (outside QA, finding 8).
		for _, q := range []string{`"x"`, `""`, `["x" "y"]`} {
			if q == `""` && !strings.Contains(f, "%q") || q == `["x" "y"]` && !strings.HasSuffix(f, "one of %q") {
				continue
			}
			msg := sample(f, q)
			if q == `["x" "y"]` { // the set only
				msg = strings.TrimSuffix(sample(f, `"x"`), `"x"`) + q
			}
			got := ProblemText(msg)
			if got == msg || strings.Contains(got, "%!") || strings.ContainsFunc(got, unicode.IsLower) && !startsUpper(got) {
				t.Errorf("%q is said %q", msg, got)
			}
		}
	}
}

// TestClosedSetProblemsAreVietnamese lints a real procedure whose closed
// sets (a document's action, a fee's kind, a time's unit, a channel) hold
// nothing or a wrong code: each problem is said in Vietnamese, the codes by
// their words, and an empty one as a choice still to make.
func TestClosedSetProblemsAreVietnamese(t *testing.T) {
	const p = "procedures/chung-thuc-chu-ky.yaml"
	src := fstest.MapFS{}
	err := fs.WalkDir(content.Starter(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(content.Starter(), name)
		src[name] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	body := string(src[p].Data)
	for old, new := range map[string]string{
		"        action: hand_in\n": "        action: \"\"\n",
		"  - kind: amount\n":        "  - kind: \"\"\n",
		"  unit: same_day\n":        "  unit: weekly\n",
		"  - kind: in_person\n":     "  - kind: \"\"\n",
	} {
		if !strings.Contains(body, old) {
			t.Fatalf("%s lacks %q", p, old)
		}
		body = strings.Replace(body, old, new, 1)
	}
	src[p] = &fstest.MapFile{Data: []byte(body)}
	want := []struct{ field, starts string }{
		{".action", "Chưa chọn; hãy chọn một trong “nộp”, “chỉ đưa xem”"},
		{"fees[1].kind", "Chưa chọn; hãy chọn một trong “miễn phí”, “một số tiền”"},
		{"time.unit", `"weekly" không phải một trong các giá trị “ngay khi nộp đủ giấy tờ”, “trong ngày”`},
		{"channels[1].kind", "Chưa chọn; hãy chọn một trong “nộp trực tiếp”, “qua bưu điện”"},
	}
	seen := 0
	for _, pr := range pack.LintSource(src) {
		if pr.File != p || !strings.Contains(pr.Message, "is not one of") {
			continue
		}
		seen++
		got := ProblemText(pr.Message)
		i := slices.IndexFunc(want, func(w struct{ field, starts string }) bool { return strings.HasSuffix(pr.Field, w.field) })
		if i < 0 || !strings.HasPrefix(got, want[i].starts) || strings.Contains(got, "is not") || strings.Contains(got, "_") {
			t.Errorf("%s: %q is said %q", pr.Field, pr.Message, got)
		}
	}
	if seen != len(want) {
		t.Fatalf("%d closed-set problems, want %d", seen, len(want))
	}
}

// TestCatalogueProblemsAreVietnamese: a pack's i18n files checked for real
// (pack.LintSource) give problems the studio says in Vietnamese.
func TestCatalogueProblemsAreVietnamese(t *testing.T) {
	src := fstest.MapFS{
		"i18n/shell.json":     {Data: []byte(`{}`)},
		"i18n/fr/shell.json":  {Data: []byte(`{}`)},
		"i18n/rad/shell.json": {Data: []byte(`[1]`)},
		"i18n/mng/shell.json": {Data: []byte(`{"shell": {"n": 3}}`)},
	}
	var seen int
	for _, p := range pack.LintSource(src) {
		if !strings.HasPrefix(p.File, "i18n/") {
			continue
		}
		seen++
		if got := ProblemText(p.Message); got == p.Message {
			t.Errorf("%s: %q is not said in Vietnamese", p.File, p.Message)
		}
	}
	if seen != 4 {
		t.Fatalf("%d catalogue problems, want 4", seen)
	}
}

// TestProblemTextSaysWhere: the places a lesson's message starts with are
// said too, and the values are kept.
func TestProblemTextSaysWhere(t *testing.T) {
	for msg, want := range map[string]string{
		`lesson qr-payment: step 3: practice: element 2 (text): a text cannot be tapped, so it cannot be the correct target`: `Bài qr-payment: bước 3: màn hình thực hành: thành phần 2 (chữ): chữ không chạm vào được, nên không thể là chỗ chạm đúng`,
		`lesson vneid-login: step 2: vi text is 260 characters; keep it to at most 160 (one action, short sentences)`:        `Bài vneid-login: bước 2: lời (tiếng Việt) dài 260 ký tự; hãy giữ tối đa 160 (mỗi bước một việc, câu ngắn)`,
		`flow "khai-sinh": answer "late" of question "age" leads nowhere: question "nope" does not exist`:                    `Sơ đồ câu hỏi "khai-sinh": câu trả lời "late" của câu hỏi "age" dẫn tới câu hỏi "nope", nhưng không có câu hỏi này`,
		`unit "working_day" needs an amount`:               `Đơn vị “ngày làm việc” cần ghi số`,
		`only kind amount carries an amount (kind "free")`: `Chỉ loại “một số tiền” mới ghi số tiền (loại đang chọn: “miễn phí”)`,
		`unknown procedure code "1.999999"`:                `Không có mã thủ tục "1.999999"`,
		`media file tutorials/x/1.svg is missing`:          `Không có tệp tutorials/x/1.svg`,
		`yaml: line 3: did not find expected key`:          `Viết chưa đúng cách (YAML): dòng 4 (thụt đầu dòng chưa thẳng hàng): did not find expected key`,
		`a message no format makes`:                        `a message no format makes`,
	} {
		if got := ProblemText(msg); got != want {
			t.Errorf("ProblemText(%q)\n got %q\nwant %q", msg, got, want)
		}
	}
}

// startsUpper: the first letter is a capital (a quoted value may come first).
func startsUpper(s string) bool {
	i := strings.IndexFunc(s, unicode.IsLetter)
	return i < 0 || unicode.IsUpper([]rune(s[i:])[0]) || s[0] == '"'
}

// sample fills a format's verbs with values; a place prefix ("flow %q: %s")
// gets a message to wrap.
func sample(format, q string) string {
	if strings.HasSuffix(format, ": %s") {
		format = strings.TrimSuffix(format, "%s") + "no start question"
	}
	return verb.ReplaceAllStringFunc(format, func(v string) string {
		switch v[len(v)-1] {
		case 'd':
			return "7"
		case 'q':
			return q
		}
		return "x"
	})
}

// lintFormats are the string literals given as the message of a problem:
// the format of an add(…) call (the first argument whose text has a space or
// a verb, after any `where+` prefix) and a Problem's Message.
func lintFormats(t *testing.T, dirs ...string) []string {
	t.Helper()
	seen := map[string]bool{}
	var out []string
	keep := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.CallExpr:
					if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "add" {
						if s, ok := message(x.Args); ok {
							keep(s)
						}
					}
				case *ast.KeyValueExpr:
					if k, ok := x.Key.(*ast.Ident); ok && k.Name == "Message" {
						if s, ok := message([]ast.Expr{x.Value}); ok {
							keep(s)
						}
					}
				}
				return true
			})
		}
	}
	return out
}

// messageLike is a message, not a field name like "related_codes[%d]".
// errorfFormats are the formats of the fmt.Errorf calls in one file.
func errorfFormats(t *testing.T, name string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Errorf" && len(call.Args) > 0 {
				if s, ok := lastLiteral(call.Args[0]); ok {
					out = append(out, s)
				}
			}
		}
		return true
	})
	if len(out) == 0 {
		t.Fatalf("no fmt.Errorf in %s: the scan is broken", name)
	}
	return out
}

var messageLike = regexp.MustCompile(`\s|^%[sv]$`)

// message is the first argument that reads as a message: a literal, a
// prefix + literal, or fmt.Sprintf(literal, …).
func message(args []ast.Expr) (string, bool) {
	for _, a := range args {
		if call, ok := a.(*ast.CallExpr); ok {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(call.Args) > 0 {
				a = call.Args[0]
			}
		}
		if s, ok := lastLiteral(a); ok && messageLike.MatchString(s) {
			return s, true
		}
	}
	return "", false
}

func lastLiteral(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			s, err := strconv.Unquote(x.Value)
			return s, err == nil
		}
	case *ast.BinaryExpr:
		return lastLiteral(x.Y)
	}
	return "", false
}

// TestListsPrintedWithVKeepTheirValues: a list printed with %v ("[vi en]")
// is not a list of codes to say in words; it is kept whole, never emptied
// (a review of s24: "không thuộc các ngôn ngữ " with the list gone).
func TestListsPrintedWithVKeepTheirValues(t *testing.T) {
	for _, v := range []string{"[vi en]", `["vi" en]`, "[]x", `["hand_in"`} {
		if list, ok := quotedList(v); ok {
			t.Errorf("quotedList(%q) = %q, want no list", v, list)
		}
	}
	if list, ok := quotedList(`["hand_in" "show"]`); !ok || strings.Join(list, ", ") != "“nộp”, “chỉ đưa xem”" {
		t.Errorf("a %%q list: %q, %v", list, ok)
	}
	for _, msg := range []string{
		`pack.yaml: languages: language "fr" is not one of [vi en rad mng]`,
		`life-events.yaml: checklist.x: unknown checklist word (known: [bring hand_in show])`,
	} {
		if got := ProblemText(msg); !strings.Contains(got, "[vi en rad mng]") && !strings.Contains(got, "[bring hand_in show]") {
			t.Errorf("%s\n→ %s: the list is gone", msg, got)
		}
	}
}
