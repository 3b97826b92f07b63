package content

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"tramso/kiosk/lang"
)

// Tutorial is one lesson: a few steps, one action each, then optional check
// questions that gate completion. Authored as tutorials/<id>.yaml:
//
//	id: qr-payment                  # 2-40 of a-z 0-9 -
//	module: payment                 # one of ModuleIDs, named in tutorials/course.yaml
//	minutes: 7
//	cover: tutorials/qr-payment/cover.svg      # media paths are relative to media/
//	title: {vi: Thanh toán bằng mã QR, en: Paying by QR code}   # any text: a string (vi) or per language
//	description: …
//	learnt: [ … ]                   # what the resident can now do
//	sources: [ … ]                  # where the facts come from
//	steps:
//	  - title: …                    # optional heading
//	    text: …                     # one action, short sentences (checked)
//	    hint: …
//	    illustration: tutorials/qr-payment/2-scan.svg   # or practice: (below), never both
//	    narration: {vi: tutorials/qr-payment/2.vi.mp3}  # optional, per language
//	  - text: …
//	    hint: …
//	    practice:
//	      hint: …                   # after a wrong tap
//	      right: …                  # after the right tap
//	      elements:                 # kinds: status title text input button item bubble link
//	        - {kind: title, text: Xác nhận chuyển tiền, style: back}
//	        - {kind: button, text: Xác nhận, hint: "…"}
//	        - {kind: button, text: Hủy, correct: true}
//	checks:
//	  - question: …
//	    answers: [{text: …, correct: true}, {text: …}]
//	    hint: …                     # after a wrong answer
//	    explain: …                  # after the right one
type Tutorial struct {
	ID          string   `yaml:"id"`
	Module      string   `yaml:"module"`
	Order       int      `yaml:"order"` // position inside its module; ties keep file order
	Minutes     int      `yaml:"minutes"`
	Cover       string   `yaml:"cover"` // media path, relative to media/
	Title       Text     `yaml:"title"`
	Description Text     `yaml:"description"`
	Learnt      []Text   `yaml:"learnt"` // what the resident can now do, shown at the end and in the summary
	Sources     []string `yaml:"sources"`
	Steps       []Step   `yaml:"steps"`
	Checks      []Check  `yaml:"checks"`

	File string `yaml:"-"` // where it was authored, for messages
}

// Step is one screen of a lesson: one action in short sentences, shown with an
// illustration or a practice screen (exactly one of the two).
type Step struct {
	Title        Text      `yaml:"title"` // optional short heading, e.g. "Ở đâu hỏi thêm"
	Text         Text      `yaml:"text"`
	Hint         Text      `yaml:"hint"`
	Illustration string    `yaml:"illustration"` // media path
	Practice     *Practice `yaml:"practice"`
	Narration    Narration `yaml:"narration"` // language → media path of the audio
}

// Narration maps a language to the media path of that language's audio.
type Narration map[string]string

// Check is a question at the end of a lesson. Any correct answer passes it;
// a wrong one shows the hint and the learner tries again, as often as needed.
type Check struct {
	Question Text     `yaml:"question"`
	Answers  []Answer `yaml:"answers"`
	Hint     Text     `yaml:"hint"`    // after a wrong answer
	Explain  Text     `yaml:"explain"` // after the right answer
}

// Answer is one choice of a check question.
type Answer struct {
	Text    Text `yaml:"text"`
	Correct bool `yaml:"correct"`
}

// Limits that keep lessons readable at a grade-4 level and codes small.
const (
	MaxSteps        = 40 // resume codes carry the step in 6 bits
	MaxTutorials    = 500
	maxStepRunes    = 260
	maxSentenceWord = 22
	maxTitleRunes   = 60
	maxMinutes      = 60
)

var tutorialIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,39}$`)

// courseFile holds the module names and the texts of the summary and resume
// codes; it sits beside the lessons but is not one.
const courseFile = "tutorials/course.yaml"

func loadTutorials(fsys fs.FS, p *Pack, probs *Problems) {
	course := loadCourse(fsys, probs)
	p.Course = course
	seen := map[string]string{}
	for _, name := range yamlFiles(fsys, "tutorials") {
		if name == courseFile {
			continue
		}
		var t Tutorial
		if err := decodeYAML(fsys, name, &t); err != nil {
			probs.add(name, "", "%v", err)
			continue
		}
		t.File = name
		c := lessonChecker{fsys: fsys, probs: probs, file: name, id: t.ID}
		c.tutorial(&t, course)
		if first, dup := seen[t.ID]; dup && t.ID != "" {
			c.add("id", "id %q is already used by %s", t.ID, first)
		}
		seen[t.ID] = name
		p.Tutorials = append(p.Tutorials, t)
	}
	if len(p.Tutorials) > MaxTutorials {
		probs.add("tutorials", "", "%d lessons, more than the %d a resume code can address", len(p.Tutorials), MaxTutorials)
	}
	sortTutorials(p.Tutorials)
}

// sortTutorials orders lessons as the catalogue shows them: by module (the
// campaign's order), then by their order field, then by file name.
func sortTutorials(ts []Tutorial) {
	sort.SliceStable(ts, func(i, j int) bool {
		mi, mj := moduleIndex(ts[i].Module), moduleIndex(ts[j].Module)
		if mi != mj {
			return mi < mj
		}
		if ts[i].Order != ts[j].Order {
			return ts[i].Order < ts[j].Order
		}
		return ts[i].File < ts[j].File
	})
}

// Tutorial returns the lesson with id and its index in the pack's order.
func (p *Pack) Tutorial(id string) (*Tutorial, int, bool) {
	for i := range p.Tutorials {
		if p.Tutorials[i].ID == id {
			return &p.Tutorials[i], i, true
		}
	}
	return nil, -1, false
}

// lessonChecker validates one lesson file; every message names the file, the
// lesson id and, inside a step, the step number as the learner sees it (from 1).
type lessonChecker struct {
	fsys  fs.FS
	probs *Problems
	file  string
	id    string
}

func (c lessonChecker) add(field, format string, args ...any) {
	prefix := "lesson " + c.id
	if c.id == "" {
		prefix = "lesson"
	}
	c.probs.add(c.file, field, prefix+": "+format, args...)
}

func (c lessonChecker) text(field string, t Text, required bool) {
	var sub Problems
	checkText(t, &sub, c.file, field, required)
	for _, p := range sub {
		c.add(p.Field, "%s", p.Message)
	}
}

func (c lessonChecker) tutorial(t *Tutorial, course *Course) {
	if !tutorialIDPattern.MatchString(t.ID) {
		c.add("id", "id %q must be 2-40 lower-case letters, digits or dashes", t.ID)
	}
	switch {
	case t.Module == "":
		c.add("module", "module is required (one of %s)", strings.Join(ModuleIDs, ", "))
	case moduleIndex(t.Module) < 0:
		c.add("module", "unknown module %q (one of %s)", t.Module, strings.Join(ModuleIDs, ", "))
	case course != nil && course.module(t.Module) == nil:
		c.add("module", "module %q has no name in %s", t.Module, courseFile)
	}
	if t.Minutes < 1 || t.Minutes > maxMinutes {
		c.add("minutes", "estimated minutes must be 1 to %d, not %d", maxMinutes, t.Minutes)
	}
	c.text("title", t.Title, true)
	c.short("title", t.Title, maxTitleRunes)
	c.text("description", t.Description, true)
	for i, l := range t.Learnt {
		c.text(fmt.Sprintf("learnt[%d]", i), l, true)
	}
	c.media("cover", t.Cover, imageExts, true)
	if len(t.Steps) == 0 {
		c.add("steps", "has no steps; a lesson needs at least one")
	}
	if len(t.Steps) > MaxSteps {
		c.add("steps", "has %d steps, more than %d", len(t.Steps), MaxSteps)
	}
	for i := range t.Steps {
		c.step(i+1, &t.Steps[i])
	}
	for i := range t.Checks {
		c.check(i+1, &t.Checks[i])
	}
}

func (c lessonChecker) step(n int, s *Step) {
	f := func(name string) string { return fmt.Sprintf("steps[%d].%s", n, name) }
	where := fmt.Sprintf("step %d: ", n)
	if len(s.Text) == 0 {
		c.add(f("text"), where+"text is required")
	} else {
		c.text(f("text"), s.Text, true)
		c.readable(f("text"), where, s.Text)
	}
	c.text(f("title"), s.Title, false)
	c.short(f("title"), s.Title, maxTitleRunes)
	if len(s.Hint) == 0 {
		c.add(f("hint"), where+"hint is required (shown when the learner asks for help)")
	} else {
		c.text(f("hint"), s.Hint, true)
	}
	switch {
	case s.Illustration == "" && s.Practice == nil:
		c.add(f("illustration"), where+"needs an illustration or a practice screen")
	case s.Illustration != "" && s.Practice != nil:
		c.add(f("illustration"), where+"has both an illustration and a practice screen; keep one")
	case s.Illustration != "":
		c.media(f("illustration"), s.Illustration, imageExts, true)
	default:
		c.practice(n, s.Practice)
	}
	for _, l := range sortedKeys(s.Narration) {
		field := f("narration." + l)
		if !lang.IsKnown(l) {
			c.add(field, where+"narration language %q is not one of %v", l, lang.Known)
			continue
		}
		c.media(field, s.Narration[l], audioExts, true)
	}
}

// readable keeps step texts within plain-language limits: short overall, and
// no sentence longer than a breath.
func (c lessonChecker) readable(field, where string, t Text) {
	for _, lang := range sortedKeys(t) {
		s := t[lang]
		if n := utf8.RuneCountInString(s); n > maxStepRunes {
			c.add(field, where+"%s text is %d characters; keep it to at most %d (one action, short sentences)", lang, n, maxStepRunes)
		}
		for _, sentence := range splitSentences(s) {
			if w := len(strings.Fields(sentence)); w > maxSentenceWord {
				c.add(field, where+"%s sentence has %d words, more than %d: %q", lang, w, maxSentenceWord, sentence)
			}
		}
	}
}

func (c lessonChecker) short(field string, t Text, max int) {
	tooLong(t, max, func(format string, args ...any) { c.add(field, format, args...) })
}

// tooLong tells add of each language of t over max characters.
func tooLong(t Text, max int, add func(format string, args ...any)) {
	for _, lang := range sortedKeys(t) {
		if n := utf8.RuneCountInString(t[lang]); n > max {
			add("%s text is %d characters; keep it to at most %d", lang, n, max)
		}
	}
}

func (c lessonChecker) check(n int, q *Check) {
	f := func(name string) string { return fmt.Sprintf("checks[%d].%s", n, name) }
	where := fmt.Sprintf("check question %d: ", n)
	if len(q.Question) == 0 {
		c.add(f("question"), where+"question is required")
	} else {
		c.text(f("question"), q.Question, true)
	}
	c.text(f("hint"), q.Hint, false)
	c.text(f("explain"), q.Explain, false)
	if len(q.Answers) < 2 {
		c.add(f("answers"), where+"needs at least 2 answers, has %d", len(q.Answers))
	}
	correct := 0
	for i, a := range q.Answers {
		c.text(fmt.Sprintf("checks[%d].answers[%d].text", n, i+1), a.Text, true)
		if a.Correct {
			correct++
		}
	}
	if correct == 0 {
		c.add(f("answers"), where+"has no correct answer; mark one with correct: true")
	}
}

// media checks that rel names a file under media/ of an allowed kind. SVGs
// must be plain drawings: no scripts, no event handlers, no outside links.
func (c lessonChecker) media(field, rel string, exts []string, required bool) {
	if rel == "" {
		if required {
			c.add(field, "media file is required")
		}
		return
	}
	if problem := mediaProblem(c.fsys, rel, exts); problem != "" {
		c.add(field, "%s", problem)
	}
}

// mediaProblem says what is wrong with rel as a media file of one of exts,
// or "" when it is a safe file of media/.
func mediaProblem(fsys fs.FS, rel string, exts []string) string {
	full := path.Join("media", rel)
	if !fs.ValidPath(rel) || strings.Contains(rel, "\\") || strings.HasPrefix(rel, "media/") {
		return fmt.Sprintf("media path %q must be relative to media/ (like tutorials/x/1.svg)", rel)
	}
	ext := strings.ToLower(path.Ext(rel))
	if !slices.Contains(exts, ext) {
		return fmt.Sprintf("media file %q must be one of %s", rel, strings.Join(exts, " "))
	}
	if ext != ".svg" {
		// Only a drawing's bytes are checked; stat, not read, the rest: the
		// starter's narration is 3.4 MB of the binary, and reading it at every
		// start faulted it all into the window process's memory.
		if info, err := fs.Stat(fsys, full); err != nil || !info.Mode().IsRegular() {
			return fmt.Sprintf("media file %s is missing", full)
		}
		return ""
	}
	body, err := fs.ReadFile(fsys, full)
	if err != nil {
		return fmt.Sprintf("media file %s is missing", full)
	}
	if problem := UnsafeSVG(body); problem != "" {
		return fmt.Sprintf("media file %s: %s", full, problem)
	}
	return ""
}

// ValidID says whether id may name a lesson: the studio names new lessons
// and procedures' files by the same rule.
func ValidID(id string) bool { return tutorialIDPattern.MatchString(id) }

func splitSentences(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '!' || r == '?' || r == '\n' })
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
