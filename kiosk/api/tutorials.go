package api

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/qr"
	"tramso/kiosk/resume"
)

// Every text below is resolved into the requested language; "fallback" lists
// the fields of that object that were shown in Vietnamese instead because no
// translation exists, so the UI can mark them.

type tutModuleJSON struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Fallback    []string `json:"fallback,omitempty"`
}

// tutHeadJSON is what the catalogue card and the lesson both say about a
// lesson; embedded, its fields sit in the JSON object as if written out.
type tutHeadJSON struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Module      string `json:"module"`
	ModuleTitle string `json:"module_title"`
	Description string `json:"description"`
	Minutes     int    `json:"minutes"`
	Cover       string `json:"cover"`
}

type tutCardJSON struct {
	tutHeadJSON
	Steps    int      `json:"steps"`
	Checks   int      `json:"checks"`
	Practice bool     `json:"practice"` // has at least one practice screen
	Fallback []string `json:"fallback,omitempty"`
}

type tutCatalogueJSON struct {
	Lang        string          `json:"lang"`
	PlatformURL string          `json:"platform_url"`
	Modules     []tutModuleJSON `json:"modules"`
	Tutorials   []tutCardJSON   `json:"tutorials"`
}

type tutElementJSON struct {
	Kind     string `json:"kind"`
	Text     string `json:"text,omitempty"`
	Label    string `json:"label,omitempty"`
	Value    string `json:"value,omitempty"`
	Style    string `json:"style,omitempty"`
	Tappable bool   `json:"tappable"`
	Correct  bool   `json:"correct"`
	Hint     string `json:"hint,omitempty"`
}

type tutPracticeJSON struct {
	Elements []tutElementJSON `json:"elements"`
	Hint     string           `json:"hint"`
	Right    string           `json:"right"`
}

type tutStepJSON struct {
	N             int              `json:"n"`
	Title         string           `json:"title,omitempty"`
	Text          string           `json:"text"`
	Hint          string           `json:"hint"`
	Illustration  string           `json:"illustration,omitempty"`
	Practice      *tutPracticeJSON `json:"practice,omitempty"`
	Narration     string           `json:"narration,omitempty"`
	NarrationLang string           `json:"narration_lang,omitempty"`
	Fallback      []string         `json:"fallback,omitempty"`
}

type tutAnswerJSON struct {
	Text    string `json:"text"`
	Correct bool   `json:"correct"`
}

type tutCheckJSON struct {
	Question string          `json:"question"`
	Answers  []tutAnswerJSON `json:"answers"`
	Hint     string          `json:"hint,omitempty"`
	Explain  string          `json:"explain,omitempty"`
	Fallback []string        `json:"fallback,omitempty"`
}

type tutLessonJSON struct {
	Lang string `json:"lang"`
	tutHeadJSON
	Learnt   []string       `json:"learnt"`
	Steps    []tutStepJSON  `json:"steps"`
	Checks   []tutCheckJSON `json:"checks"`
	Sources  []string       `json:"sources,omitempty"`
	Fallback []string       `json:"fallback,omitempty"`
	// Generation is the content version the lesson belongs to.
	Generation int64 `json:"generation"`
}

func tutMediaURL(rel string) string {
	if rel == "" {
		return ""
	}
	return "/api/media/" + rel
}

// tutorials lists the lessons for the catalogue, in module order.
func (s *Server) tutorials(w http.ResponseWriter, r *http.Request) {
	lang, ok := queryLang(w, r)
	if !ok {
		return
	}
	pack := s.Content.Get().Pack
	out := tutCatalogueJSON{Lang: lang, Modules: []tutModuleJSON{}, Tutorials: []tutCardJSON{}}
	if pack.Course != nil {
		out.PlatformURL = pack.Course.PlatformURL
		for _, id := range content.ModuleIDs {
			m := pack.Course.Module(id)
			if m == nil || !slices.ContainsFunc(pack.Tutorials, func(t content.Tutorial) bool { return t.Module == id }) {
				continue
			}
			loc := content.Localizer{Lang: lang}
			mj := tutModuleJSON{ID: m.ID, Title: loc.Get("title", m.Title), Description: loc.Get("description", m.Description)}
			mj.Fallback = loc.Fallback()
			out.Modules = append(out.Modules, mj)
		}
	}
	for i := range pack.Tutorials {
		t := &pack.Tutorials[i]
		loc := content.Localizer{Lang: lang}
		sj := tutCardJSON{tutHeadJSON: tutHead(pack, t, &loc), Steps: len(t.Steps), Checks: len(t.Checks)}
		for _, st := range t.Steps {
			sj.Practice = sj.Practice || st.Practice != nil
		}
		sj.Fallback = loc.Fallback()
		out.Tutorials = append(out.Tutorials, sj)
	}
	writeJSON(w, http.StatusOK, out)
}

// tutHead resolves t's card fields into loc's language, recording fallbacks in loc.
func tutHead(pack *content.Pack, t *content.Tutorial, loc *content.Localizer) tutHeadJSON {
	return tutHeadJSON{
		ID: t.ID, Module: t.Module, Minutes: t.Minutes, Cover: tutMediaURL(t.Cover),
		Title: loc.Get("title", t.Title), Description: loc.Get("description", t.Description),
		ModuleTitle: tutModuleTitle(pack, t.Module, loc.Lang),
	}
}

func tutModuleTitle(pack *content.Pack, id, lang string) string {
	if m := pack.Course.Module(id); m != nil {
		s, _ := m.Title.In(lang)
		return s
	}
	return id
}

// tutorial answers one lesson, everything the player needs.
func (s *Server) tutorial(w http.ResponseWriter, r *http.Request) {
	lang, ok := queryLang(w, r)
	if !ok {
		return
	}
	pack := s.Content.Get().Pack
	t, _, found := pack.Tutorial(r.PathValue("id"))
	if !found {
		writeError(w, http.StatusNotFound, "no such lesson: "+r.PathValue("id"))
		return
	}
	loc := content.Localizer{Lang: lang}
	out := tutLessonJSON{
		Lang: lang, tutHeadJSON: tutHead(pack, t, &loc), Sources: t.Sources,
		Learnt: []string{}, Steps: []tutStepJSON{}, Checks: []tutCheckJSON{}, Generation: pack.Meta.Generation,
	}
	for _, l := range t.Learnt {
		out.Learnt = append(out.Learnt, loc.Get("learnt", l))
	}
	out.Fallback = tutCompact(loc.Fallback())
	for i, st := range t.Steps {
		out.Steps = append(out.Steps, tutStepView(i+1, st, lang))
	}
	for _, c := range t.Checks {
		out.Checks = append(out.Checks, tutCheckView(c, lang))
	}
	writeJSON(w, http.StatusOK, out)
}

func tutStepView(n int, st content.Step, lang string) tutStepJSON {
	loc := content.Localizer{Lang: lang}
	sj := tutStepJSON{N: n, Title: loc.Get("title", st.Title), Text: loc.Get("text", st.Text),
		Hint: loc.Get("hint", st.Hint), Illustration: tutMediaURL(st.Illustration)}
	if st.Practice != nil {
		sj.Practice = tutPracticeView(st.Practice, &loc)
	}
	if audio, got := content.Text(st.Narration).In(lang); audio != "" {
		sj.Narration, sj.NarrationLang = tutMediaURL(audio), got
		if got != lang {
			loc.Get("narration", content.Text{"vi": audio})
		}
	}
	sj.Fallback = tutCompact(loc.Fallback())
	return sj
}

func tutPracticeView(p *content.Practice, loc *content.Localizer) *tutPracticeJSON {
	pj := &tutPracticeJSON{Hint: loc.Get("practice", p.Hint), Right: loc.Get("practice", p.Right)}
	for _, e := range p.Elements {
		pj.Elements = append(pj.Elements, tutElementJSON{
			Kind: e.Kind, Style: e.Style, Correct: e.Correct, Tappable: content.Tappable(e.Kind),
			Text: loc.Get("practice", e.Text), Label: loc.Get("practice", e.Label),
			Value: loc.Get("practice", e.Value), Hint: loc.Get("practice", e.Hint),
		})
	}
	return pj
}

func tutCheckView(c content.Check, lang string) tutCheckJSON {
	loc := content.Localizer{Lang: lang}
	cj := tutCheckJSON{Question: loc.Get("question", c.Question), Hint: loc.Get("hint", c.Hint), Explain: loc.Get("explain", c.Explain)}
	for _, a := range c.Answers {
		cj.Answers = append(cj.Answers, tutAnswerJSON{Text: loc.Get("answers", a.Text), Correct: a.Correct})
	}
	cj.Fallback = tutCompact(loc.Fallback())
	return cj
}

// tutCompact drops repeated field names (many texts of a practice screen report
// as one "practice" field).
func tutCompact(fields []string) []string {
	var out []string
	for _, f := range fields {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

type tutSummaryRequest struct {
	Lessons []string `json:"lessons"`
	Lang    string   `json:"lang"`
}

type tutQrAnswer struct {
	Text string `json:"text"`
	QR   string `json:"qr"` // data: URL of a PNG
}

// tutQrSize is big enough to scan off a kiosk screen at arm's length.
const tutQrSize = 360

// tutorialSummary makes the take-home summary of lessons finished today.
func (s *Server) tutorialSummary(w http.ResponseWriter, r *http.Request) {
	var req tutSummaryRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	lang := req.Lang
	if lang == "" {
		lang = "vi"
	} else if !slices.Contains(config.KnownLanguages, lang) {
		writeError(w, http.StatusBadRequest, "lang must be one of "+strings.Join(config.KnownLanguages, ", "))
		return
	}
	text, err := s.Content.Get().Pack.TutorialSummary(req.Lessons, lang, time.Now().In(tutVietnamTime))
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	png, err := qr.DataURL(text, tutQrSize)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, tutQrAnswer{Text: text, QR: png})
}

var tutVietnamTime = time.FixedZone("ICT", 7*3600)

type tutResumeRequest struct {
	Tutorial string `json:"tutorial"`
	Step     int    `json:"step"`
	Lang     string `json:"lang"`
}

type tutResumeAnswer struct {
	Code    string `json:"code"`    // 8 characters, as typed
	Display string `json:"display"` // grouped for reading aloud: ABCD-EFGH
	Expires string `json:"expires"` // last day it works, YYYY-MM-DD (Vietnam)
	Text    string `json:"text"`    // what the QR code says
	QR      string `json:"qr"`      // data: URL of a PNG
}

// resumeCreate makes a "Tiếp tục sau" code for a lesson and step.
func (s *Server) resumeCreate(w http.ResponseWriter, r *http.Request) {
	var req tutResumeRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	lang := req.Lang
	if lang == "" || !slices.Contains(config.KnownLanguages, lang) {
		lang = "vi"
	}
	pack := s.Content.Get().Pack
	t, idx, ok := pack.Tutorial(req.Tutorial)
	if !ok {
		writeError(w, http.StatusNotFound, "no such lesson: "+req.Tutorial)
		return
	}
	if req.Step < 1 || req.Step > len(t.Steps) {
		writeError(w, http.StatusBadRequest, "step must be from 1 to the lesson's step count")
		return
	}
	now := time.Now()
	code, err := resume.Encode(resume.Point{Lesson: idx, Step: req.Step}, pack.Meta.Generation, resume.Day(now))
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	last := resume.LastDay(now)
	title, _ := t.Title.In(lang)
	tmpl, _ := pack.Course.ResumeText.In(lang)
	text := strings.NewReplacer("{code}", resume.Format(code), "{lesson}", title,
		"{date}", last.Format("02/01/2006")).Replace(tmpl)
	png, err := qr.DataURL(text, tutQrSize)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, tutResumeAnswer{Code: code, Display: resume.Format(code),
		Expires: last.Format("2006-01-02"), Text: text, QR: png})
}

type tutResumeFound struct {
	Tutorial string `json:"tutorial"`
	Step     int    `json:"step"`
}

type tutResumeError struct {
	Error string `json:"error"`
	// Reason is one of malformed, typo, unknown, expired, other_version; the
	// UI words each for the resident.
	Reason string `json:"reason"`
}

// resumeLookup turns a typed code back into a lesson and step.
func (s *Server) resumeLookup(w http.ResponseWriter, r *http.Request) {
	pack := s.Content.Get().Pack
	p, err := resume.Decode(r.PathValue("code"), pack.Meta.Generation, resume.Day(time.Now()))
	switch {
	case errors.Is(err, resume.ErrMalformed):
		writeJSON(w, http.StatusBadRequest, tutResumeError{err.Error(), "malformed"})
		return
	case errors.Is(err, resume.ErrTypo):
		writeJSON(w, http.StatusNotFound, tutResumeError{err.Error(), "typo"})
		return
	case errors.Is(err, resume.ErrExpired):
		writeJSON(w, http.StatusGone, tutResumeError{err.Error(), "expired"})
		return
	case errors.Is(err, resume.ErrOtherVersion):
		writeJSON(w, http.StatusGone, tutResumeError{err.Error(), "other_version"})
		return
	case err != nil:
		writeJSON(w, http.StatusBadRequest, tutResumeError{err.Error(), "malformed"})
		return
	}
	if p.Lesson >= len(pack.Tutorials) || p.Step > len(pack.Tutorials[p.Lesson].Steps) {
		writeJSON(w, http.StatusNotFound, tutResumeError{"no lesson matches this code", "unknown"})
		return
	}
	writeJSON(w, http.StatusOK, tutResumeFound{Tutorial: pack.Tutorials[p.Lesson].ID, Step: p.Step})
}
