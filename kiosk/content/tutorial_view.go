package content

import (
	"slices"
	"strings"
	"time"
)

// The tutorials as the screens show them: every text resolved into one
// language. "fallback" lists the fields of an object that are shown in
// Vietnamese because no translation exists, so the screen can mark them.
// These are the JSON answers of the kiosk API (kiosk/api/tutorials.go).

// ModuleView is a module heading of the catalogue.
type ModuleView struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Fallback    []string `json:"fallback,omitempty"`
}

// LessonHead is what the catalogue card and the lesson both say about a
// lesson; embedded, its fields sit in the JSON object as if written out.
type LessonHead struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Module      string `json:"module"`
	ModuleTitle string `json:"module_title"`
	Description string `json:"description"`
	Minutes     int    `json:"minutes"`
	Cover       string `json:"cover"`
}

// LessonCard is a lesson in the catalogue.
type LessonCard struct {
	LessonHead
	Steps    int      `json:"steps"`
	Checks   int      `json:"checks"`
	Practice bool     `json:"practice"` // has at least one practice screen
	Fallback []string `json:"fallback,omitempty"`
}

// CatalogueView is the lessons, in module order.
type CatalogueView struct {
	Lang        string       `json:"lang"`
	PlatformURL string       `json:"platform_url"`
	Modules     []ModuleView `json:"modules"`
	Tutorials   []LessonCard `json:"tutorials"`
}

// ElementView is one element of a practice screen.
type ElementView struct {
	Kind     string `json:"kind"`
	Text     string `json:"text,omitempty"`
	Label    string `json:"label,omitempty"`
	Value    string `json:"value,omitempty"`
	Style    string `json:"style,omitempty"`
	Tappable bool   `json:"tappable"`
	Correct  bool   `json:"correct"`
	Hint     string `json:"hint,omitempty"`
}

// PracticeView is a practice screen: a safe imitation to tap on.
type PracticeView struct {
	Elements []ElementView `json:"elements"`
	Hint     string        `json:"hint"`
	Right    string        `json:"right"`
}

// StepView is one step of a lesson.
type StepView struct {
	N             int           `json:"n"`
	Title         string        `json:"title,omitempty"`
	Text          string        `json:"text"`
	Hint          string        `json:"hint"`
	Illustration  string        `json:"illustration,omitempty"`
	Practice      *PracticeView `json:"practice,omitempty"`
	Narration     string        `json:"narration,omitempty"`
	NarrationLang string        `json:"narration_lang,omitempty"`
	Fallback      []string      `json:"fallback,omitempty"`
}

// AnswerView is one answer of a check question.
type AnswerView struct {
	Text    string `json:"text"`
	Correct bool   `json:"correct"`
}

// CheckView is a check question at the end of a lesson.
type CheckView struct {
	Question string       `json:"question"`
	Answers  []AnswerView `json:"answers"`
	Hint     string       `json:"hint,omitempty"`
	Explain  string       `json:"explain,omitempty"`
	Fallback []string     `json:"fallback,omitempty"`
}

// LessonView is one lesson, everything the player needs.
type LessonView struct {
	Lang string `json:"lang"`
	LessonHead
	Learnt   []string    `json:"learnt"`
	Steps    []StepView  `json:"steps"`
	Checks   []CheckView `json:"checks"`
	Sources  []string    `json:"sources,omitempty"`
	Fallback []string    `json:"fallback,omitempty"`
	// Generation is the content version the lesson belongs to.
	Generation int64 `json:"generation"`
}

// MediaURL is where the kiosk API serves a file of the pack's media/
// folder; "" stays "" (no picture). It is relative to the page, like every
// URL of the frontend, so the hub's preview can serve the kiosk below a prefix.
func MediaURL(rel string) string {
	if rel == "" {
		return ""
	}
	return "api/media/" + rel
}

// Catalogue lists the lessons in lang, with the modules that have any.
func (p *Pack) Catalogue(lang string) CatalogueView {
	out := CatalogueView{Lang: lang, Modules: []ModuleView{}, Tutorials: []LessonCard{}}
	if p.Course != nil {
		out.PlatformURL = p.Course.PlatformURL
		for _, id := range ModuleIDs {
			m := p.Course.Module(id)
			if m == nil || !slices.ContainsFunc(p.Tutorials, func(t Tutorial) bool { return t.Module == id }) {
				continue
			}
			loc := Localizer{Lang: lang}
			mv := ModuleView{ID: m.ID, Title: loc.Get("title", m.Title), Description: loc.Get("description", m.Description)}
			mv.Fallback = loc.Fallback()
			out.Modules = append(out.Modules, mv)
		}
	}
	for i := range p.Tutorials {
		t := &p.Tutorials[i]
		loc := Localizer{Lang: lang}
		card := LessonCard{LessonHead: p.lessonHead(t, &loc), Steps: len(t.Steps), Checks: len(t.Checks)}
		for _, st := range t.Steps {
			card.Practice = card.Practice || st.Practice != nil
		}
		card.Fallback = loc.Fallback()
		out.Tutorials = append(out.Tutorials, card)
	}
	return out
}

// Lesson is lesson id in lang; false when the pack has no such lesson.
func (p *Pack) Lesson(id, lang string) (LessonView, bool) {
	t, _, found := p.Tutorial(id)
	if !found {
		return LessonView{}, false
	}
	loc := Localizer{Lang: lang}
	out := LessonView{
		Lang: lang, LessonHead: p.lessonHead(t, &loc), Sources: t.Sources,
		Learnt: []string{}, Steps: []StepView{}, Checks: []CheckView{}, Generation: p.Meta.Generation,
	}
	for _, l := range t.Learnt {
		out.Learnt = append(out.Learnt, loc.Get("learnt", l))
	}
	out.Fallback = compactFields(loc.Fallback())
	for i, st := range t.Steps {
		out.Steps = append(out.Steps, stepView(i+1, st, lang))
	}
	for _, c := range t.Checks {
		out.Checks = append(out.Checks, checkView(c, lang))
	}
	return out, true
}

// lessonHead resolves t's card fields into loc's language, recording fallbacks in loc.
func (p *Pack) lessonHead(t *Tutorial, loc *Localizer) LessonHead {
	return LessonHead{
		ID: t.ID, Module: t.Module, Minutes: t.Minutes, Cover: MediaURL(t.Cover),
		Title: loc.Get("title", t.Title), Description: loc.Get("description", t.Description),
		ModuleTitle: p.moduleTitle(t.Module, loc),
	}
}

func (p *Pack) moduleTitle(id string, loc *Localizer) string {
	if m := p.Course.Module(id); m != nil {
		return loc.Get("module_title", m.Title)
	}
	return id
}

func stepView(n int, st Step, lang string) StepView {
	loc := Localizer{Lang: lang}
	sv := StepView{N: n, Title: loc.Get("title", st.Title), Text: loc.Get("text", st.Text),
		Hint: loc.Get("hint", st.Hint), Illustration: MediaURL(st.Illustration)}
	if st.Practice != nil {
		sv.Practice = practiceView(st.Practice, &loc)
	}
	if audio, got := Text(st.Narration).In(lang); audio != "" {
		sv.Narration, sv.NarrationLang = MediaURL(audio), got
		if got != lang {
			loc.Get("narration", Text{"vi": audio})
		}
	}
	sv.Fallback = compactFields(loc.Fallback())
	return sv
}

func practiceView(p *Practice, loc *Localizer) *PracticeView {
	pv := &PracticeView{Hint: loc.Get("practice", p.Hint), Right: loc.Get("practice", p.Right)}
	for _, e := range p.Elements {
		pv.Elements = append(pv.Elements, ElementView{
			Kind: e.Kind, Style: e.Style, Correct: e.Correct, Tappable: Tappable(e.Kind),
			Text: loc.Get("practice", e.Text), Label: loc.Get("practice", e.Label),
			Value: loc.Get("practice", e.Value), Hint: loc.Get("practice", e.Hint),
		})
	}
	return pv
}

func checkView(c Check, lang string) CheckView {
	loc := Localizer{Lang: lang}
	cv := CheckView{Question: loc.Get("question", c.Question), Hint: loc.Get("hint", c.Hint), Explain: loc.Get("explain", c.Explain)}
	for _, a := range c.Answers {
		cv.Answers = append(cv.Answers, AnswerView{Text: loc.Get("answers", a.Text), Correct: a.Correct})
	}
	cv.Fallback = compactFields(loc.Fallback())
	return cv
}

// compactFields drops repeated field names (many texts of a practice screen
// report as one "practice" field).
func compactFields(fields []string) []string {
	var out []string
	for _, f := range fields {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// ResumeText is what a "Tiếp tục sau" QR code says for lesson t in lang: the
// course's template with the code (as displayed), the lesson's title and the
// last day the code works (dd/mm/yyyy) filled in.
func (p *Pack) ResumeText(t *Tutorial, lang, code string, lastDay time.Time) string {
	title, _ := t.Title.In(lang)
	tmpl, _ := p.Course.ResumeText.In(lang)
	return strings.NewReplacer("{code}", code, "{lesson}", title, "{date}", lastDay.Format("02/01/2006")).Replace(tmpl)
}
