package form

import (
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"testing/fstest"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"

	"tramso/kiosk/content"
	"tramso/kiosk/studio"
	"tramso/kiosk/studio/form/formtest"
)

// starterFiles are every file of the embedded starter content that has a
// form, with its bytes.
func starterFiles(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := fs.WalkDir(content.Starter(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !Editable(p) {
			return err
		}
		data, err := fs.ReadFile(content.Starter(), p)
		out[p] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func decodeStarter(t testing.TB, p string) any {
	t.Helper()
	data, err := fs.ReadFile(content.Starter(), p)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Decode(p, data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// fresh is a zero value of v's type: nothing of the file but what is posted.
func fresh(v any) any { return reflect.New(valueOf(v).Type()).Interface() }

var langs = []string{"vi", "en", "rad", "mng"}

// post is what a browser sends for the rendered form: every input and
// textarea, a checkbox only when checked, a select's chosen option.
func post(t testing.TB, body string) url.Values {
	t.Helper()
	vals, err := formtest.Post("<form>"+body+"</form>", "")
	if err != nil {
		t.Fatal(err)
	}
	return vals
}

// TestStarterFormsLoseNothing: for every starter procedure, lesson, the
// course and life-events.yaml, the rendered form posted back onto a zero
// value gives the file's value again, and so onto a fresh decode.
func TestStarterFormsLoseNothing(t *testing.T) {
	files := starterFiles(t)
	kinds := map[string]int{}
	for p := range files {
		kinds[path.Dir(p)+"/"+reflect.TypeOf(decodeStarter(t, p)).Elem().Name()]++
	}
	if kinds["procedures/Procedure"] < 10 || kinds["tutorials/Tutorial"] < 10 || kinds["tutorials/Course"] != 1 || kinds["./Assistant"] != 1 {
		t.Fatalf("starter files found: %v", kinds)
	}
	for p := range files {
		t.Run(p, func(t *testing.T) {
			orig := decodeStarter(t, p)
			body := string(Render(Build(orig, Options{Languages: langs})))
			vals := post(t, body)
			for _, onto := range []any{fresh(orig), decodeStarter(t, p)} {
				op, err := Apply(onto, vals)
				if err != nil || op.Kind != "" {
					t.Fatalf("Apply: %v %v", op, err)
				}
				if !Equal(onto, orig) {
					t.Fatalf("the form lost something:\n got %+v\nwant %+v", onto, orig)
				}
			}
		})
	}
}

// TestEveryFieldIsLabelled: every field of every starter form has a
// Vietnamese label from the catalogue, and the HTML has a label for every
// input, no script and no inline style.
func TestEveryFieldIsLabelled(t *testing.T) {
	for p := range starterFiles(t) {
		root := Build(decodeStarter(t, p), Options{Languages: langs})
		var check func(n *Node)
		check = func(n *Node) {
			if n != root && (n.Label == "" || !n.labelled) {
				t.Errorf("%s: %s (%s) has no catalogue label: %q", p, n.Name, n.Kind, n.Label)
			}
			for _, c := range n.Children {
				check(c)
			}
		}
		check(root)
		body := string(Render(root))
		for _, bad := range []string{"<script", "style=", "onclick", "javascript:"} {
			if strings.Contains(strings.ToLower(body), bad) {
				t.Errorf("%s: the form has %q", p, bad)
			}
		}
		checkLabels(t, p, body)
	}
}

// checkLabels finds a <label for> for every visible input, select and
// textarea, and unique ids.
func checkLabels(t *testing.T, p, body string) {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	fors, ids := map[string]bool{}, map[string]bool{}
	var controls []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if id := formtest.Attr(n, "id"); id != "" {
				if ids[id] {
					t.Errorf("%s: id %q twice", p, id)
				}
				ids[id] = true
			}
			switch {
			case n.Data == "label":
				fors[formtest.Attr(n, "for")] = true
			case n.Data == "input" && formtest.Attr(n, "type") == "hidden":
			case n.Data == "input" || n.Data == "select" || n.Data == "textarea":
				controls = append(controls, formtest.Attr(n, "id"))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if len(controls) == 0 {
		t.Fatalf("%s: no inputs", p)
	}
	for _, id := range controls {
		if id == "" || !fors[id] {
			t.Errorf("%s: input %q has no label", p, id)
		}
	}
}

func TestAddAndRemoveItems(t *testing.T) {
	const p = "procedures/khai-sinh.yaml"
	orig := decodeStarter(t, p).(*content.Procedure)
	vals := post(t, string(Render(Build(orig, Options{Languages: langs}))))

	do := func(op string) (*content.Procedure, Op) {
		t.Helper()
		v := decodeStarter(t, p).(*content.Procedure)
		vals.Set("op", op)
		got, err := Apply(v, vals)
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		return v, got
	}
	v, op := do("add:documents")
	if len(v.Documents) != len(orig.Documents)+1 || op != (Op{Kind: "add", Path: "documents.2"}) {
		t.Fatalf("add: %d documents, %+v", len(v.Documents), op)
	}
	// The new item shows, focused, and saves as posted.
	body := string(Render(Build(v, Options{Languages: langs, Focus: op.Path})))
	if !strings.Contains(body, `id="f-documents.2.name.vi" name="documents.2.name.vi" value="" lang="vi" autofocus>`) {
		t.Fatal("the added document's first input is not there, focused")
	}
	again := post(t, body)
	again.Set("documents.2.name.vi", "Sổ hộ khẩu")
	again.Set("documents.2.originals", "1")
	w := decodeStarter(t, p).(*content.Procedure)
	if _, err := Apply(w, again); err != nil || len(w.Documents) != 3 || w.Documents[2].Name.Vi() != "Sổ hộ khẩu" || w.Documents[2].Originals != 1 {
		t.Fatalf("saving the added document: %v %+v", err, w.Documents)
	}

	v, _ = do("remove:documents.0")
	if len(v.Documents) != 1 || !Equal(v.Documents[0], orig.Documents[1]) {
		t.Fatalf("remove: %+v", v.Documents)
	}
	v, _ = do("remove:cases.3.documents.2")
	if len(v.Cases[3].Documents) != 3 || !Equal(v.Cases[3].Documents[2], orig.Cases[3].Documents[3]) {
		t.Fatalf("remove a case's document: %+v", v.Cases[3].Documents)
	}
	v, _ = do("add:cases.0.time")
	if v.Cases[0].Time == nil || !strings.Contains(string(Render(Build(v, Options{}))), `name="has:cases.0.time" value="1"`) {
		t.Fatal("adding a case's own time")
	}
	v, _ = do("remove:cases.3.time")
	if v.Cases[3].Time != nil {
		t.Fatal("removing a case's own time")
	}
	v, _ = do("add:flow.questions.0.answers")
	if len(v.Flow.Questions[0].Answers) != 4 {
		t.Fatal("adding an answer to a flow question")
	}
	if _, err := Apply(decodeStarter(t, "procedures/khai-sinh.yaml"), url.Values{"op": {"refresh"}}); err == nil {
		t.Fatal("an unknown button is taken")
	}
	vals.Set("aliases", "khai sinh\r\n\r\n  làm giấy khai sinh  \r\n")
	v, _ = do("")
	if !reflect.DeepEqual(v.Aliases, []string{"khai sinh", "làm giấy khai sinh"}) {
		t.Fatalf("aliases from lines: %q", v.Aliases)
	}
	for _, bad := range []string{"add:nothing", "remove:documents.9", "explode:documents", "add:code", "up:documents.0", "down:documents.1", "up:code"} {
		vals.Set("op", bad)
		if _, err := Apply(decodeStarter(t, p), vals); err == nil {
			t.Errorf("op %q accepted", bad)
		}
	}
}

// TestMoveItems: "Lên trên" and "Xuống dưới" put a list item one place up or
// down, with what was typed in it; the first has no "up", the last no "down".
func TestMoveItems(t *testing.T) {
	const p = "procedures/khai-sinh.yaml"
	orig := decodeStarter(t, p).(*content.Procedure)
	body := string(Render(Build(orig, Options{Languages: langs})))
	for _, want := range []string{`value="down:documents.0"`, `value="up:documents.1"`, `value="down:cases.3.documents.2"`} {
		if !strings.Contains(body, want) {
			t.Errorf("no button %s", want)
		}
	}
	for _, never := range []string{`value="up:documents.0"`, `value="down:documents.1"`, `value="up:code"`} {
		if strings.Contains(body, never) {
			t.Errorf("a button %s", never)
		}
	}
	vals := post(t, body)
	vals.Set("documents.1.name.vi", "Giấy chứng sinh (bản gốc)") // typed, then moved
	vals.Set("op", "up:documents.1")
	v := decodeStarter(t, p).(*content.Procedure)
	op, err := Apply(v, vals)
	if err != nil || op != (Op{Kind: "up", Path: "documents.0"}) {
		t.Fatalf("up: %v %+v", err, op)
	}
	if v.Documents[0].Name.Vi() != "Giấy chứng sinh (bản gốc)" || !Equal(v.Documents[1], orig.Documents[0]) {
		t.Fatalf("after up: %+v", v.Documents)
	}
	vals.Set("op", "down:cases.3.documents.0")
	w := decodeStarter(t, p).(*content.Procedure)
	if op, err := Apply(w, vals); err != nil || op.Path != "cases.3.documents.1" ||
		!Equal(w.Cases[3].Documents[1], orig.Cases[3].Documents[0]) || !Equal(w.Cases[3].Documents[0], orig.Cases[3].Documents[1]) {
		t.Fatalf("down a case's document: %v %+v", err, op)
	}
	// The moved item shows focused in its new place.
	body = string(Render(Build(v, Options{Languages: langs, Focus: op.Path})))
	if !strings.Contains(body, `id="f-documents.0.name.vi" name="documents.0.name.vi" rows="2" lang="vi" autofocus>`+"\nGiấy chứng sinh (bản gốc)</textarea>") {
		t.Fatal("the moved document is not shown focused at its new place")
	}
}

// TestNumberTypoChangesNothing: "1o" for a number is refused with a message
// naming the field in Vietnamese, and the rest of the post is not applied.
func TestNumberTypoChangesNothing(t *testing.T) {
	const p = "procedures/khai-sinh.yaml"
	v := decodeStarter(t, p)
	vals := post(t, string(Render(Build(v, Options{Languages: langs}))))
	vals.Set("name", "Tên mới")
	vals.Set("cases.3.documents.1.originals", "1o")
	_, err := Apply(v, vals)
	var errs Errors
	if !asErrors(err, &errs) || len(errs) != 1 {
		t.Fatalf("Apply: %v", err)
	}
	want := "Ô “Số bản chính” (Trường hợp 4, Giấy tờ 2) phải là một số nguyên không âm, ví dụ 2, không phải “1o”."
	if errs[0].Message != want || errs[0].Name != "cases.3.documents.1.originals" {
		t.Fatalf("error %+v\nwant %s", errs[0], want)
	}
	if !Equal(v, decodeStarter(t, p)) {
		t.Fatal("a refused post changed the value")
	}
	// Shown again: the typed value, the error beside it.
	body := string(Render(Build(v, Options{Languages: langs, Values: vals, Errors: errs})))
	if !strings.Contains(body, `value="1o" inputmode="numeric" class="sf-num" aria-invalid="true" aria-describedby="e-cases.3.documents.1.originals-0" autofocus><p class="sf-problem" role="alert" id="e-cases.3.documents.1.originals-0">Ô “Số bản chính”`) ||
		!strings.Contains(body, `name="name" value="Tên mới"`) {
		t.Fatal("the refused form is not shown again with its values, the error beside the field, read with it and focused")
	}
	// Nor is a number below zero (a QA pass saved a fee of -100).
	vals.Set("cases.3.documents.1.originals", "-1")
	if _, err := Apply(v, vals); !asErrors(err, &errs) || len(errs) != 1 || !strings.Contains(errs[0].Message, "không phải “-1”") {
		t.Fatalf("a negative number: %v", err)
	}
	// Vietnamese thousands dots are a number.
	vals.Set("cases.3.documents.1.originals", "1")
	vals.Set("fees.0.amount", "8.000")
	if _, err := Apply(v, vals); err != nil || v.(*content.Procedure).Fees[0].Amount != 8000 {
		t.Fatalf("8.000: %v", err)
	}
}

func asErrors(err error, out *Errors) bool {
	es, ok := err.(Errors)
	*out = es
	return ok
}

// TestProblemsBesideTheirField uses the field formats content and flow
// write: 1-based items, flow items by id or 0-based.
func TestProblemsBesideTheirField(t *testing.T) {
	v := decodeStarter(t, "procedures/khai-sinh.yaml")
	probs := []content.Problem{
		{Field: "documents[2].name", Message: "P1"},
		{Field: "flow.questions[age].audio", Message: "P2"},
		{Field: "cases[4].documents[3].note", Message: "P3"},
		{Field: "flow.questions[paper].answers[witness].case", Message: "P4"},
		{Field: "flow.questions[1].answers[0].id", Message: "P5"},
		{Field: "cases[4].time.unit", Message: "P6"},
		{Field: "fees[9].kind", Message: "P7"},
		{Field: "nonsense", Message: "P8"},
		{Field: "", Message: "P9"},
		{Field: "plain_name.en", Message: "P10"},
	}
	root := Build(v, Options{Languages: langs, Problems: probs})
	want := map[string]string{
		"P1": "documents.1.name", "P2": "flow.questions.0.audio", "P3": "cases.3.documents.2.note",
		"P4": "flow.questions.5.answers.1.case", "P5": "flow.questions.1.answers.0.id",
		"P6": "cases.3.time.unit", "P7": "fees", "P8": "", "P9": "", "P10": "plain_name.en",
	}
	found := map[string]string{}
	var walk func(*Node)
	walk = func(n *Node) {
		for _, m := range n.Problems {
			found[m] = n.Name
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(root)
	if !reflect.DeepEqual(found, want) {
		t.Fatalf("problems at\n%v\nwant\n%v", found, want)
	}
	body := string(Render(root))
	if !strings.Contains(body, "name=\"documents.1.name.vi\" rows=\"2\" lang=\"vi\">\nGiấy tờ tùy thân có ảnh của người đi đăng ký (căn cước, CCCD, hộ chiếu…)</textarea>") {
		t.Fatal("document 2's name input is missing")
	}
	i := strings.Index(body, `id="f-documents.1.name"`)
	j := strings.Index(body, `<p class="sf-problem" role="alert" id="e-documents.1.name-0">P1</p>`)
	k := strings.Index(body, `id="f-documents.1.short"`)
	if i < 0 || j < i || j > k {
		t.Fatal("P1 is not drawn inside document 2's name")
	}
	if !strings.Contains(body, `aria-hidden="true">Lưu phiên bản</button><div class="sf-top" id="f-problems"><p class="sf-problem" role="alert" id="e--0">P8</p>`) {
		t.Fatal("unmatched problems are not at the top")
	}
}

// TestProblemOnAPresentPart: a problem of a whole optional part that is
// there (a step's practice screen with no right target) is drawn at the
// part's start; it was kept on its node and drawn nowhere, while the page
// counted it (outside QA, 2026-12-06).
func TestProblemOnAPresentPart(t *testing.T) {
	v := decodeStarter(t, "tutorials/vneid-activate.yaml")
	root := Build(v, Options{Languages: langs, Problems: []content.Problem{{Field: "steps[1].practice", Message: "PX"}}})
	if n := byName(root, "steps.0.practice"); n == nil || !slices.Contains(n.Problems, "PX") {
		t.Fatalf("the problem is not on the practice screen's node")
	}
	body := string(Render(root))
	i := strings.Index(body, `name="has:steps.0.practice" value="1">`)
	j := strings.Index(body, `<p class="sf-problem" role="alert" id="e-steps.0.practice-0">PX</p>`)
	if i < 0 || j < i || j > strings.Index(body, `name="has:steps.1.practice"`) {
		t.Fatalf("the problem is not drawn in step 1's practice screen (at %d, part at %d)", j, i)
	}
}

// TestEscaping: content with markup is shown as text, never as HTML.
func TestEscaping(t *testing.T) {
	v := decodeStarter(t, "procedures/khai-sinh.yaml").(*content.Procedure)
	v.Name = `<script>alert(1)</script>" onfocus="x`
	v.Notes[0]["vi"] = "</textarea><script>x</script>"
	body := string(Render(Build(v, Options{Languages: langs})))
	if strings.Contains(body, "<script") || strings.Contains(body, `" onfocus="x`) || strings.Count(body, "</textarea>") != strings.Count(body, "<textarea") {
		t.Fatal("content is not escaped")
	}
	back := fresh(v)
	if _, err := Apply(back, post(t, body)); err != nil || !Equal(back, v) {
		t.Fatalf("escaped content does not come back: %v", err)
	}
}

// TestPastedTextIsTidied: text pasted from Word or a PDF (no-break spaces,
// tabs, runs of spaces, a zero-width space, decomposed Vietnamese) is saved
// as plain text; one already stored with an invisible character is shown,
// and saved back, without it — the console draws it as "�" (outside QA,
// 2026-12-06: a "�" reached the kiosk preview).
func TestPastedTextIsTidied(t *testing.T) {
	v := decodeStarter(t, "procedures/khai-sinh.yaml").(*content.Procedure)
	vals := post(t, string(Render(Build(v, Options{Languages: langs}))))
	vals.Set("documents.0.note.vi", "  Tờ khai\u00a0đăng ký\t\tkhai sinh \u200b(bản  chính)\r\n\r\n  ")
	vals.Set("documents.0.short.vi", norm.NFD.String("Tờ khai"))
	if _, err := Apply(v, vals); err != nil {
		t.Fatal(err)
	}
	if got := v.Documents[0].Note["vi"]; got != "Tờ khai đăng ký khai sinh (bản chính)" {
		t.Errorf("note saved as %q", got)
	}
	if got := v.Documents[0].Short["vi"]; got != "Tờ khai" {
		t.Errorf("short name saved as %q, want NFC", got)
	}
	v.Documents[0].Note["vi"] = "hai dòng\u200b\nthứ hai\u202e"
	body := string(Render(Build(v, Options{Languages: langs})))
	if strings.ContainsAny(body, "\u200b\u202e") || !strings.Contains(body, "hai dòng\nthứ hai") {
		t.Error("the form shows an invisible character, or lost a line break")
	}
	if _, err := Apply(v, post(t, body)); err != nil || v.Documents[0].Note["vi"] != "hai dòng\nthứ hai" {
		t.Errorf("saved back as %q (%v)", v.Documents[0].Note["vi"], err)
	}
}

// TestSelectsOfferClosedSets: a document's action, a fee's kind and an
// answer's next question are selects with Vietnamese words.
func TestSelectsOfferClosedSets(t *testing.T) {
	body := string(Render(Build(decodeStarter(t, "procedures/khai-sinh.yaml"), Options{Languages: langs})))
	for _, want := range []string{
		`<select id="f-documents.1.action" name="documents.1.action"><option value="hand_in">nộp</option><option value="show" selected>chỉ đưa xem</option></select>`,
		`<option value="province" selected>tỉnh quy định (hỏi cán bộ)</option>`,
		`<legend>Lệ phí 5: tỉnh quy định (hỏi cán bộ) (khi &#34;Đã quá 60 ngày&#34;)</legend>`, // the tag in the answer that sets it
		`<option value="parents" selected>parents: Cha mẹ của bé đã đăng ký kết hôn chưa?</option>`,
		`<option value="lam-chung" selected>lam-chung: Không có Giấy chứng sinh, có người`,
		`<span class="sf-fact">cần nguồn</span>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %s", want)
		}
	}
	body = string(Render(Build(decodeStarter(t, "tutorials/qr-payment.yaml"), Options{Languages: langs})))
	if !strings.Contains(body, `<option value="payment" selected>Thanh toán số</option>`) || !strings.Contains(body, `<option value="muted" selected>chữ nhạt</option>`) {
		t.Error("a lesson's module is not a select")
	}
}

// BenchmarkBuildRenderKhaiSinh is the edit page's cost for the largest
// starter procedure in the kiosk's four languages.
func BenchmarkBuildRenderKhaiSinh(b *testing.B) {
	v := decodeStarter(b, "procedures/khai-sinh.yaml")
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(Render(Build(v, Options{Languages: langs})))
	}
	b.ReportMetric(float64(n), "html-bytes")
}

func BenchmarkBuildKhaiSinh(b *testing.B) {
	v := decodeStarter(b, "procedures/khai-sinh.yaml")
	b.ReportAllocs()
	for b.Loop() {
		Build(v, Options{Languages: langs})
	}
}

// TestRealLintProblemsFindTheirField breaks khai-sinh.yaml the ways an
// editor might and checks that every problem content's own checks report
// lands on a field, not at the top.
func TestRealLintProblemsFindTheirField(t *testing.T) {
	const p = "procedures/khai-sinh.yaml"
	v := decodeStarter(t, p).(*content.Procedure)
	lateFee(t, v).Kind = "amount"                          // and no amount
	v.Documents[1].Action = "hand-in"                      // not one of the set
	v.Flow.Questions[1].Answers[0].Next = "nowhere"        // leads nowhere
	v.Cases[2].Documents[0].Name = content.Text{"en": "x"} // no Vietnamese
	v.Sources[0].URL = "not a url"
	data, err := EncodeYAML(nil, v)
	if err != nil {
		t.Fatal(err)
	}
	fsys := overlay{FS: content.Starter(), name: p, data: data}
	_, probs := content.Inspect(fsys)
	var mine []content.Problem
	for _, pr := range probs {
		if pr.File == p {
			mine = append(mine, pr)
		}
	}
	if len(mine) < 5 {
		t.Fatalf("expected the broken file's problems, got %v", mine)
	}
	root := Build(v, Options{Languages: langs, Problems: mine})
	if len(root.Problems) != 0 {
		t.Fatalf("problems that found no field: %v", root.Problems)
	}
	for _, want := range []string{"fees.4.amount", "documents.1.action", "flow.questions.1.answers.0.next", "cases.2.documents.0.name", "sources.0.url"} {
		if n := byName(root, want); n == nil || len(n.Problems) == 0 {
			t.Errorf("no problem beside %s (problems: %v)", want, mine)
		}
	}
}

// overlay is a file system with one file replaced.
type overlay struct {
	fs.FS
	name string
	data []byte
}

func (o overlay) Open(name string) (fs.File, error) {
	if name != o.name {
		return o.FS.Open(name)
	}
	return fstest.MapFS{name: {Data: o.data}}.Open(name)
}

// TestProblemFieldsOfEveryKind: the field formats of lessons, the course
// and life-events.yaml, as content writes them.
func TestProblemFieldsOfEveryKind(t *testing.T) {
	for _, c := range []struct{ file, field, want string }{
		{"tutorials/qr-payment.yaml", "steps[1].practice.elements[2].kind", "steps.0.practice.elements.1.kind"},
		{"tutorials/qr-payment.yaml", "steps[2].narration.vi", "steps.1.narration.vi"},
		{"tutorials/qr-payment.yaml", "checks[1].answers[2].text", "checks.0.answers.1.text"},
		{"tutorials/course.yaml", "modules[2].id", "modules.1.id"},
		{"tutorials/course.yaml", "resume_text.en", "resume_text.en"},
		{"life-events.yaml", "life_events[1].flow.questions[how].answers[office].channel", "life_events.0.flow.questions.0.answers.0.channel"},
		{"life-events.yaml", "life_events[2].procedures[1]", "life_events.1.procedures"},
		{"life-events.yaml", "fields[3].icon", "fields.2.icon"},
		{"life-events.yaml", "checklist.bring", "checklist.bring"},
	} {
		root := Build(decodeStarter(t, c.file), Options{Problems: []content.Problem{{Field: c.field, Message: "X"}}})
		if n := byName(root, c.want); n == nil || len(n.Problems) != 1 {
			t.Errorf("%s %s: not beside %s", c.file, c.field, c.want)
		}
	}
}

// TestAnswerProcedureIsASelect: where an answer hands over to a procedure,
// the editor picks it from the pack's procedures by name; a code the pack
// lacks stays shown (lint names it) and is not lost.
func TestAnswerProcedureIsASelect(t *testing.T) {
	pk, err := content.Load(content.Starter())
	if err != nil {
		t.Fatal(err)
	}
	v := decodeStarter(t, "life-events.yaml")
	body := string(Render(Build(v, Options{Languages: langs, Procedures: ProcedureChoices(pk.Procedures)})))
	want := regexp.MustCompile(`<select id="f-life_events\.0\.flow\.questions\.\d+\.answers\.\d+\.procedure" name="[^"]+"><option value="">\(không chọn\)</option>(<option value="[^"]+"( selected)?>[^<]+</option>)+</select>`)
	sel := want.FindString(body)
	if sel == "" {
		t.Fatalf("no select of procedures for an answer: %.3000s", body)
	}
	if !strings.Contains(sel, " selected>") {
		t.Fatalf("the answer's procedure is not selected: %s", sel)
	}
	if !strings.Contains(body, `<option value="1.001193" selected>1.001193: `) {
		t.Fatal("the birth answer's procedure (1.001193) is not selected by name")
	}
	back := fresh(v)
	if _, err := Apply(back, post(t, body)); err != nil || !Equal(back, v) {
		t.Fatalf("the file does not come back from the form with selects: %v", err)
	}
	if strings.Count(sel, "<option") != len(pk.Procedures)+1 {
		t.Fatalf("%d options for %d procedures: %s", strings.Count(sel, "<option"), len(pk.Procedures), sel)
	}

	// A code the pack does not have is kept, marked (life-events.yaml hands
	// the birth over to 1.001193).
	var others []content.Procedure
	for _, p := range pk.Procedures {
		if p.Code != "1.001193" {
			others = append(others, p)
		}
	}
	body = string(Render(Build(v, Options{Languages: langs, Procedures: ProcedureChoices(others)})))
	if !strings.Contains(body, `<option value="1.001193" selected>1.001193 (không có trong danh sách)</option>`) {
		t.Fatal("a procedure the pack lacks is lost from the form")
	}

	// Without the pack's procedures the field stays free text.
	body = string(Render(Build(v, Options{Languages: langs})))
	if strings.Contains(body, `<select id="f-life_events.0.flow.questions.0.answers.0.procedure"`) {
		t.Fatal("a select without the list of procedures")
	}
}

// lateFee is the birth registration's fee rule for a late filing alone.
func lateFee(t *testing.T, p *content.Procedure) *content.Fee {
	t.Helper()
	f := p.FeeRule("late")
	if f == nil {
		t.Fatal("no fee rule for [late]")
	}
	return f
}

// TestRuleTagsAreTicked: a rule's "Áp dụng khi" is a box for each answer
// that sets a tag, named by the answer, not a list of codes to type
// (outside QA: officers had to know "late" or "nhan_cha"). Ticking one
// adds its tag, unticking all makes the rule apply to every case, and a
// tag no answer sets any more stays, ticked and said so.
func TestRuleTagsAreTicked(t *testing.T) {
	v := decodeStarter(t, "procedures/khai-sinh.yaml").(*content.Procedure)
	v.Fees[4].If = []string{"late", "gone"}
	root := Build(v, Options{Languages: langs})
	n := byName(root, "fees.4.if")
	if n == nil || n.Kind != Tags {
		t.Fatalf("fees.4.if is %+v, want a set of boxes", n)
	}
	var labels []string
	for _, c := range n.Choices {
		labels = append(labels, fmt.Sprintf("%v %s", c.Selected, c.Label))
	}
	want := []string{`true "Đã quá 60 ngày"`, `true "gone" (không câu trả lời nào đặt)`, `false "Chưa quá 60 ngày"`}
	if len(labels) < 4 || !slices.Equal(labels[:3], want) {
		t.Fatalf("boxes %q, want first %q", labels, want)
	}
	body := string(Render(root))
	vals := post(t, body)
	vals["fees.4.if"] = []string{"", "late", "exempt"} // "gone" unticked, "exempt" ticked
	vals["fees.3.if"] = []string{""}                   // every box of the on-time rule unticked
	back := fresh(v)
	if _, err := Apply(back, vals); err != nil {
		t.Fatal(err)
	}
	fees := back.(*content.Procedure).Fees
	if !slices.Equal(fees[4].If, []string{"late", "exempt"}) || len(fees[3].If) != 0 {
		t.Fatalf("after ticking: %q and %q", fees[4].If, fees[3].If)
	}
}

// TestAnEmptiedAmountStaysEmpty: an amount box emptied and saved shows
// empty again, for lint to say an amount is needed, not "0" as if the fee
// were 0 đ (outside QA); a count where 0 means something (copies) still
// shows 0.
func TestAnEmptiedAmountStaysEmpty(t *testing.T) {
	const p = "procedures/ban-sao-trich-luc.yaml" // 8.000 đ a copy
	v := decodeStarter(t, p)
	vals := post(t, string(Render(Build(v, Options{Languages: langs}))))
	vals.Set("fees.0.amount", "")
	if _, err := Apply(v, vals); err != nil {
		t.Fatal(err)
	}
	body := string(Render(Build(v, Options{Languages: langs})))
	if !strings.Contains(body, `name="fees.0.amount" value="" inputmode="numeric"`) {
		t.Errorf("the emptied amount is not shown empty:\n%s", snippet(body, `name="fees.0.amount"`))
	}
	if !strings.Contains(body, `name="documents.0.copies" value="0" inputmode="numeric"`) {
		t.Errorf("no copies is not shown as 0:\n%s", snippet(body, `name="documents.0.copies"`))
	}
}

// snippet is body around the first at.
func snippet(body, at string) string {
	i := strings.Index(body, at)
	if i < 0 {
		return "(" + at + " not found)"
	}
	return body[max(0, i-80):min(len(body), i+200)]
}

// TestANewStepsWordsAreBoxesOfLines: a step just added has several-line
// boxes for its words and hint, as steps saved before have, and a one-line
// box for its title (outside QA: a pasted paragraph lost its line breaks
// in a one-line box until the first save).
func TestANewStepsWordsAreBoxesOfLines(t *testing.T) {
	const p = "tutorials/scam-spotting.yaml"
	v := decodeStarter(t, p)
	vals := post(t, string(Render(Build(v, Options{Languages: langs}))))
	vals.Set("op", "add:steps")
	op, err := Apply(v, vals)
	if err != nil {
		t.Fatal(err)
	}
	body := string(Render(Build(v, Options{Languages: langs, Focus: op.Path})))
	for _, want := range []string{`<textarea id="f-` + op.Path + `.text.vi"`, `<textarea id="f-` + op.Path + `.hint.vi"`, `<input id="f-` + op.Path + `.title.vi"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the new step lacks %s:\n%s", want, snippet(body, op.Path+".text.vi"))
		}
	}
}

// TestRuleTagsWithoutAnswersToChoose: a procedure whose answers set no tag
// showed its rules' "Áp dụng khi" as a box of codes to type (outside QA,
// finding 14: Chứng thực chữ ký). It says the rule applies in every case;
// a tag the rule already has stays, ticked, to untick.
func TestRuleTagsWithoutAnswersToChoose(t *testing.T) {
	v := decodeStarter(t, "procedures/chung-thuc-chu-ky.yaml").(*content.Procedure)
	if len(studio.FlowTags(&v.Flow)) != 0 {
		t.Fatal("an answer of chung-thuc-chu-ky sets a tag now: choose another procedure")
	}
	root := Build(v, Options{Languages: langs})
	n := byName(root, "fees.0.if")
	if n == nil || n.Kind != Tags || len(n.Choices) != 0 {
		t.Fatalf("fees.0.if is %+v, want boxes, none to choose", n)
	}
	body := string(Render(root))
	if strings.Contains(body, `name="fees.0.if">`) || !strings.Contains(body, "Mọi trường hợp: chưa câu trả lời nào của thủ tục đặt điều kiện") {
		t.Fatalf("fees.0.if:\n%s", snippet(body, `id="f-fees.0.if"`))
	}
	v.Fees[0].If = []string{"old"}
	n = byName(Build(v, Options{Languages: langs}), "fees.0.if")
	if len(n.Choices) != 1 || !n.Choices[0].Selected || n.Choices[0].Label != `"old" (không câu trả lời nào đặt)` {
		t.Fatalf("a tag no answer sets: %+v", n.Choices)
	}
	vals := post(t, string(Render(Build(v, Options{Languages: langs}))))
	vals["fees.0.if"] = []string{""}
	back := fresh(v)
	if _, err := Apply(back, vals); err != nil {
		t.Fatal(err)
	}
	if got := back.(*content.Procedure).Fees[0].If; len(got) != 0 {
		t.Fatalf("unticked, the rule keeps %q", got)
	}
}
