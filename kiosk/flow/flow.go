// Package flow is the guided-question engine of the procedures assistant. A
// flow is data: questions with touchable answers, each answer leading to the
// next question or to an end (a case of a procedure, another procedure, or
// "ask the staff"). The package walks a person's answers to their end, lints a
// flow for the mistakes that would strand a resident (dead ends, unreachable
// questions, cycles, answers leading nowhere) and draws a flow for the content
// team as Mermaid or Graphviz.
package flow

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"tramso/kiosk/lang"
)

// Text is resident-visible text by language code (see lang.Text: a plain
// YAML string is the Vietnamese text, which other languages fall back to).
type Text = lang.Text

// Flow is one guided interview.
type Flow struct {
	ID        string     `yaml:"id" json:"id"`
	Start     string     `yaml:"start" json:"start"` // id of the first question
	Questions []Question `yaml:"questions" json:"questions"`
}

// Question is one screen: a question and its answers.
type Question struct {
	ID      string   `yaml:"id" json:"id"`
	Text    Text     `yaml:"text" json:"text"`
	Help    Text     `yaml:"help,omitempty" json:"help,omitempty"`
	Audio   string   `yaml:"audio,omitempty" json:"audio,omitempty"` // media path of the narration
	Answers []Answer `yaml:"answers" json:"answers"`
	// SameAs names a question that asks the same thing on another branch
	// (a flow branches only on answers, so one question may need a copy per
	// branch). Unanswered, this one takes that one's answer: a person who
	// changes an earlier answer is not asked again what they already said.
	SameAs string `yaml:"same_as,omitempty" json:"same_as,omitempty"`
}

// answerOf is the answer given to q, or to the question it is the same as.
func (f *Flow) answerOf(q *Question, answers map[string]string) (string, bool) {
	if aid, ok := answers[q.ID]; ok {
		return aid, true
	}
	aid, ok := answers[q.SameAs]
	return aid, ok && q.SameAs != ""
}

// Answer is one touchable answer. Exactly one of Next, Case, Procedure and
// AskStaff says where it leads.
type Answer struct {
	ID        string   `yaml:"id" json:"id"`
	Text      Text     `yaml:"text" json:"text"`
	Tags      []string `yaml:"tags,omitempty" json:"tags,omitempty"` // facts this answer establishes (on_time, exempt…)
	Next      string   `yaml:"next,omitempty" json:"next,omitempty"`
	Case      string   `yaml:"case,omitempty" json:"case,omitempty"`
	Procedure string   `yaml:"procedure,omitempty" json:"procedure,omitempty"` // hand over to that procedure's flow
	AskStaff  bool     `yaml:"ask_staff,omitempty" json:"ask_staff,omitempty"`
	// Channel is the way of filing the answer chooses (in_person, online…),
	// on an answer that hands over to a procedure: "Đến xã" means the
	// procedure's result leads with filing at the office.
	Channel string `yaml:"channel,omitempty" json:"channel,omitempty"`
}

// Question returns the question with id, or nil.
func (f *Flow) Question(id string) *Question {
	for i := range f.Questions {
		if f.Questions[i].ID == id {
			return &f.Questions[i]
		}
	}
	return nil
}

// Answer returns the answer with id, or nil.
func (q *Question) Answer(id string) *Answer {
	for i := range q.Answers {
		if q.Answers[i].ID == id {
			return &q.Answers[i]
		}
	}
	return nil
}

// ends reports how many destinations the answer names.
func (a *Answer) ends() int {
	n := 0
	for _, set := range []bool{a.Next != "", a.Case != "", a.Procedure != "", a.AskStaff} {
		if set {
			n++
		}
	}
	return n
}

// Step is one answered question on the path taken.
type Step struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// Result is where a person's answers lead.
type Result struct {
	Path []Step `json:"path"`
	// Next is the next unanswered question; empty when Done.
	Next string `json:"next,omitempty"`
	Done bool   `json:"done"`
	// The end reached, when Done: one of these is set.
	Case      string   `json:"case,omitempty"`
	Procedure string   `json:"procedure,omitempty"`
	AskStaff  bool     `json:"ask_staff,omitempty"`
	Tags      []string `json:"tags,omitempty"` // every tag on the path, sorted, unique
}

// Has reports whether the path set tag.
func (r Result) Has(tag string) bool {
	i := sort.SearchStrings(r.Tags, tag)
	return i < len(r.Tags) && r.Tags[i] == tag
}

// Errors of Walk. They mean the answers (or an unlinted flow) cannot be
// followed; the assistant then fails closed and sends the person to staff.
var (
	ErrUnknownQuestion = errors.New("flow: question does not exist")
	ErrUnknownAnswer   = errors.New("flow: answer is not one of the question's answers")
	ErrBroken          = errors.New("flow: answer leads nowhere")
	ErrCycle           = errors.New("flow: questions loop back on themselves")
)

// Walk follows answers (question id → answer id) from the start question. It
// stops at the first unanswered question (Done false, Next set) or at an end.
// Answers to questions off the path are ignored, so a person who changes an
// earlier answer keeps the rest of what they said where it still applies —
// including a question's answer on another branch (Question.SameAs).
// Walk never loops: a path longer than the number of questions is ErrCycle.
func (f *Flow) Walk(answers map[string]string) (Result, error) {
	var r Result
	tags := map[string]bool{}
	id := f.Start
	for steps := 0; ; steps++ {
		if steps > len(f.Questions) {
			return r, fmt.Errorf("%w (flow %q)", ErrCycle, f.ID)
		}
		q := f.Question(id)
		if q == nil {
			return r, fmt.Errorf("%w: %q in flow %q", ErrUnknownQuestion, id, f.ID)
		}
		aid, ok := f.answerOf(q, answers)
		if !ok {
			r.Next = id
			r.Tags = sortedKeys(tags)
			return r, nil
		}
		a := q.Answer(aid)
		if a == nil {
			return r, fmt.Errorf("%w: %q for question %q in flow %q", ErrUnknownAnswer, aid, id, f.ID)
		}
		r.Path = append(r.Path, Step{Question: id, Answer: aid})
		for _, t := range a.Tags {
			tags[t] = true
		}
		if a.ends() != 1 {
			return r, fmt.Errorf("%w: answer %q of question %q in flow %q", ErrBroken, aid, id, f.ID)
		}
		if a.Next != "" {
			id = a.Next
			continue
		}
		r.Done, r.Case, r.Procedure, r.AskStaff = true, a.Case, a.Procedure, a.AskStaff
		r.Tags = sortedKeys(tags)
		return r, nil
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Ends lists the ends a flow can reach, for the content linter and the
// diagrams: "case:<id>", "procedure:<code>", "ask_staff".
func (f *Flow) Ends() []string {
	seen := map[string]bool{}
	for _, q := range f.Questions {
		for _, a := range q.Answers {
			if e := endName(&a); e != "" {
				seen[e] = true
			}
		}
	}
	return sortedKeys(seen)
}

func endName(a *Answer) string {
	switch {
	case a.Next != "":
		return ""
	case a.Case != "":
		return "case:" + a.Case
	case a.Procedure != "":
		return "procedure:" + a.Procedure
	case a.AskStaff:
		return "ask_staff"
	}
	return ""
}

// label is a one-line Vietnamese label for diagrams.
func label(t Text, fallback string) string {
	s := strings.Join(strings.Fields(t.Vi()), " ")
	if s == "" {
		return fallback
	}
	return s
}
