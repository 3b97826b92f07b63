package content

import (
	"strings"
	"testing"
	"testing/fstest"
)

const testCourse = `platform_url: https://binhdanhocvuso.gov.vn
modules:
  - {id: identity, title: {vi: Định danh, en: Identity}}
  - {id: payment, title: Thanh toán số}
summary_title: "Bài đã học ngày {date}"
resume_text: "Mã học tiếp: {code}"
`

const testLesson = `id: lesson-a
module: identity
minutes: 5
cover: tutorials/a/cover.svg
title: {vi: Bài A, en: Lesson A}
description: Mô tả ngắn.
learnt: [Điều thứ nhất.]
steps:
  - text: {vi: Chạm vào nút xanh., en: Tap the blue button.}
    hint: Nút ở dưới.
    illustration: tutorials/a/1.svg
    narration: {vi: tutorials/a/1.vi.mp3}
  - text: Chạm nút Gửi.
    hint: Nút Gửi màu xanh.
    practice:
      hint: Tìm nút Gửi.
      right: Đúng rồi!
      elements:
        - kind: status
        - {kind: title, text: Ứng dụng}
        - {kind: button, text: Hủy, hint: Chưa đúng.}
        - {kind: button, text: Gửi, correct: true}
checks:
  - question: Nút nào?
    answers:
      - {text: Gửi, correct: true}
      - {text: Hủy}
`

const testSVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>`

// testPack is a small valid pack; edit replaces text in the lesson file.
func testPack(edits ...string) fstest.MapFS {
	lesson := testLesson
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(lesson, edits[i]) {
			panic("test edit does not apply: " + edits[i])
		}
		lesson = strings.Replace(lesson, edits[i], edits[i+1], 1)
	}
	return fstest.MapFS{
		"pack.yaml":                        {Data: []byte("schema: 1\ngeneration: 3\ntitle: Thử\n")},
		"tutorials/course.yaml":            {Data: []byte(testCourse)},
		"tutorials/a.yaml":                 {Data: []byte(lesson)},
		"media/tutorials/a/cover.svg":      {Data: []byte(testSVG)},
		"media/tutorials/a/1.svg":          {Data: []byte(testSVG)},
		"media/tutorials/a/1.vi.mp3":       {Data: []byte("ID3")},
		"media/tutorials/a/evil.svg":       {Data: []byte(`<svg><script>alert(1)</script></svg>`)},
		"media/tutorials/a/onload.svg":     {Data: []byte(`<svg onload="x()"></svg>`)},
		"media/tutorials/a/not-an-svg.svg": {Data: []byte("hello")},
	}
}

func TestValidLesson(t *testing.T) {
	p, err := Load(testPack())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tutorials) != 1 || len(p.Tutorials[0].Steps) != 2 || p.Course == nil {
		t.Fatalf("loaded %+v", p.Tutorials)
	}
	if s, lang := p.Tutorials[0].Title.In("en"); s != "Lesson A" || lang != "en" {
		t.Errorf("title in en = %q (%s)", s, lang)
	}
	if s, lang := p.Tutorials[0].Description.In("rad"); s != "Mô tả ngắn." || lang != "vi" {
		t.Errorf("description in rad = %q (%s); want the Vietnamese fallback", s, lang)
	}
}

// Each broken lesson is rejected with a message naming the file, the lesson
// and (inside a step) the step number.
func TestBrokenLessons(t *testing.T) {
	cases := []struct {
		name  string
		edits []string
		want  []string // substrings of one problem line
	}{
		{"missing illustration", []string{"tutorials/a/1.svg", "tutorials/a/gone.svg"},
			[]string{"tutorials/a.yaml", "steps[1].illustration", "lesson lesson-a", "media/tutorials/a/gone.svg is missing"}},
		{"missing cover", []string{"tutorials/a/cover.svg", "tutorials/a/nocover.png"},
			[]string{"cover", "lesson lesson-a", "media/tutorials/a/nocover.png is missing"}},
		{"missing narration", []string{"1.vi.mp3", "1.vi.ogg"},
			[]string{"steps[1].narration.vi", "lesson lesson-a", "is missing"}},
		{"empty steps", []string{testLesson[strings.Index(testLesson, "steps:"):strings.Index(testLesson, "checks:")], "steps: []\n"},
			[]string{"tutorials/a.yaml", "steps", "lesson lesson-a: has no steps"}},
		{"practice without a correct target", []string{"{kind: button, text: Gửi, correct: true}", "{kind: button, text: Gửi}"},
			[]string{"steps[2].practice", "lesson lesson-a", "step 2: practice: has no correct target"}},
		{"correct target that cannot be tapped", []string{"{kind: title, text: Ứng dụng}", "{kind: title, text: Ứng dụng, correct: true}"},
			[]string{"steps[2].practice.elements[2].correct", "step 2", "cannot be tapped"}},
		{"unknown element kind", []string{"kind: status", "kind: slider"},
			[]string{"steps[2].practice.elements[1].kind", "step 2", "unknown kind"}},
		{"practice with no elements", []string{"- kind: status\n        - {kind: title, text: Ứng dụng}\n        - {kind: button, text: Hủy, hint: Chưa đúng.}\n        - {kind: button, text: Gửi, correct: true}\n", "[]\n"},
			[]string{"steps[2].practice.elements", "step 2: practice: has no elements"}},
		{"illustration and practice", []string{"    practice:\n", "    illustration: tutorials/a/1.svg\n    practice:\n"},
			[]string{"steps[2].illustration", "step 2: has both"}},
		{"neither illustration nor practice", []string{"    illustration: tutorials/a/1.svg\n", ""},
			[]string{"steps[1].illustration", "step 1: needs an illustration or a practice screen"}},
		{"unknown module", []string{"module: identity", "module: farming"},
			[]string{"module", "lesson lesson-a: unknown module \"farming\""}},
		{"module with no name in the course", []string{"module: identity", "module: work-business"},
			[]string{"module", "has no name in tutorials/course.yaml"}},
		{"check question with no correct answer", []string{"{text: Gửi, correct: true}", "{text: Gửi}"},
			[]string{"checks[1].answers", "check question 1: has no correct answer"}},
		{"check question with one answer", []string{"      - {text: Hủy}\n", ""},
			[]string{"checks[1].answers", "needs at least 2 answers"}},
		{"missing step text", []string{"  - text: Chạm nút Gửi.\n", "  - title: Gửi\n"},
			[]string{"steps[2].text", "step 2: text is required"}},
		{"missing hint", []string{"    hint: Nút ở dưới.\n", ""},
			[]string{"steps[1].hint", "step 1: hint is required"}},
		{"translation without Vietnamese", []string{"text: {vi: Chạm vào nút xanh., en: Tap the blue button.}", "text: {en: Tap the blue button.}"},
			[]string{"steps[1].text", "Vietnamese text (vi) is required"}},
		{"unknown language", []string{"en: Lesson A", "fr: Leçon A"},
			[]string{"title", "language \"fr\" is not one of"}},
		{"sentence too long", []string{"Chạm nút Gửi.", strings.Repeat("chạm ", 30) + "nút."},
			[]string{"steps[2].text", "step 2: vi sentence has 31 words"}},
		{"script in an SVG", []string{"tutorials/a/1.svg", "tutorials/a/evil.svg"},
			[]string{"steps[1].illustration", "<script"}},
		{"event handler in an SVG", []string{"tutorials/a/1.svg", "tutorials/a/onload.svg"},
			[]string{"steps[1].illustration", "onload"}},
		{"file that is not an SVG", []string{"tutorials/a/1.svg", "tutorials/a/not-an-svg.svg"},
			[]string{"steps[1].illustration", "is not an SVG drawing"}},
		{"audio as an illustration", []string{"illustration: tutorials/a/1.svg", "illustration: tutorials/a/1.vi.mp3"},
			[]string{"steps[1].illustration", "must be one of .svg"}},
		{"path outside media", []string{"tutorials/a/1.svg", "../pack.yaml"},
			[]string{"steps[1].illustration", "must be relative to media/"}},
		{"bad id", []string{"id: lesson-a", "id: Lesson A"},
			[]string{"id", "must be 2-40 lower-case"}},
		{"bad minutes", []string{"minutes: 5", "minutes: 0"},
			[]string{"minutes", "estimated minutes must be 1 to 60"}},
		{"unknown field", []string{"minutes: 5", "minutes: 5\nduration: 5"},
			[]string{"tutorials/a.yaml", "field duration not found"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			probs := Lint(testPack(c.edits...))
			if len(probs) == 0 {
				t.Fatal("no problem reported")
			}
			for _, p := range probs {
				if containsAll(p.String(), c.want) {
					return
				}
			}
			t.Errorf("no problem mentions all of %q; got:\n%s", c.want, probs.Error())
		})
	}
}

func TestDuplicateIDs(t *testing.T) {
	fsys := testPack()
	fsys["tutorials/b.yaml"] = fsys["tutorials/a.yaml"]
	probs := Lint(fsys)
	if len(probs) != 1 || !containsAll(probs[0].String(), []string{"tutorials/b.yaml", "id \"lesson-a\" is already used by tutorials/a.yaml"}) {
		t.Errorf("want one duplicate-id problem; got %v", probs)
	}
}

func TestCourseFileProblems(t *testing.T) {
	cases := []struct {
		name   string
		course string
		want   string
	}{
		{"missing", "", "tutorials/course.yaml: file is missing"},
		{"unknown module", strings.Replace(testCourse, "id: payment", "id: farming", 1), "modules[2].id: unknown module \"farming\""},
		{"bad platform url", strings.Replace(testCourse, "https://binhdanhocvuso.gov.vn", "binhdanhocvuso.gov.vn", 1), "platform_url: must be an https://"},
		{"resume text without code", strings.Replace(testCourse, "{code}", "", 1), "resume_text.vi: must contain {code}"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := testPack()
			if c.course == "" {
				delete(fsys, "tutorials/course.yaml")
			} else {
				fsys["tutorials/course.yaml"] = &fstest.MapFile{Data: []byte(c.course)}
			}
			probs := Lint(fsys)
			if !strings.Contains(probs.Error(), c.want) {
				t.Errorf("want %q; got %v", c.want, probs)
			}
		})
	}
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
