package flow

import (
	"fmt"
	"slices"
	"strings"
)

// Problem is one thing wrong with a flow. Field is a path inside the flow
// ("questions[age].answers[late].next") so the content team finds it at once;
// Message names the flow and the question in words.
type Problem struct {
	Field   string
	Message string
}

func (p Problem) String() string { return p.Field + ": " + p.Message }

// Targets are the ends a flow may name, known to the caller (the content
// pack): nil sets are not checked.
type Targets struct {
	Cases      map[string]bool // case ids of the procedure that owns the flow
	Procedures map[string]bool // procedure codes in the pack
}

// Lint returns every problem in f: missing ids or texts, duplicate ids, dead
// ends (a question with no answers), answers leading nowhere (no destination,
// several, or one that does not exist), a same_as naming no question with
// the same answers, unreachable questions and cycles.
// A flow with no problems always ends: every path reaches a case, a
// procedure or the staff.
func Lint(f *Flow, t Targets) []Problem {
	l := &linter{f: f, t: t}
	l.ids()
	l.answers()
	l.sameAs()
	if f.Question(f.Start) != nil {
		l.reach()
	}
	l.cycles()
	return l.probs
}

type linter struct {
	f     *Flow
	t     Targets
	probs []Problem
}

func (l *linter) add(field, format string, args ...any) {
	l.probs = append(l.probs, Problem{Field: field, Message: fmt.Sprintf("flow %q: ", l.f.ID) + fmt.Sprintf(format, args...)})
}

func qField(q *Question, i int) string {
	if q.ID != "" {
		return "questions[" + q.ID + "]"
	}
	return fmt.Sprintf("questions[%d]", i)
}

func (l *linter) ids() {
	f := l.f
	if strings.TrimSpace(f.ID) == "" {
		l.add("id", "flow has no id")
	}
	if len(f.Questions) == 0 {
		l.add("questions", "flow has no questions")
		return
	}
	if f.Start == "" {
		l.add("start", "no start question")
	} else if f.Question(f.Start) == nil {
		l.add("start", "start question %q does not exist", f.Start)
	}
	seen := map[string]bool{}
	for i := range f.Questions {
		q := &f.Questions[i]
		field := qField(q, i)
		switch {
		case q.ID == "":
			l.add(field+".id", "question %d has no id", i+1)
		case seen[q.ID]:
			l.add(field+".id", "question %q is defined twice", q.ID)
		}
		seen[q.ID] = true
		if q.Text.Vi() == "" {
			l.add(field+".text", "question %q has no Vietnamese text", q.ID)
		}
	}
}

func (l *linter) answers() {
	for i := range l.f.Questions {
		q := &l.f.Questions[i]
		field := qField(q, i)
		if len(q.Answers) == 0 {
			l.add(field+".answers", "question %q is a dead end: it has no answers", q.ID)
			continue
		}
		seen := map[string]bool{}
		for j := range q.Answers {
			a := &q.Answers[j]
			af := fmt.Sprintf("%s.answers[%d]", field, j)
			if a.ID != "" {
				af = field + ".answers[" + a.ID + "]"
			}
			switch {
			case a.ID == "":
				l.add(af+".id", "answer %d of question %q has no id", j+1, q.ID)
			case seen[a.ID]:
				l.add(af+".id", "question %q has answer %q twice", q.ID, a.ID)
			}
			seen[a.ID] = true
			if a.Text.Vi() == "" {
				l.add(af+".text", "answer %q of question %q has no Vietnamese text", a.ID, q.ID)
			}
			l.target(q, a, af)
		}
	}
}

// sameAs checks that a question's same_as names another question whose
// answers have the same ids: its answer is taken as this one's.
func (l *linter) sameAs() {
	for i := range l.f.Questions {
		q := &l.f.Questions[i]
		if q.SameAs == "" {
			continue
		}
		field := qField(q, i) + ".same_as"
		twin := l.f.Question(q.SameAs)
		switch {
		case q.SameAs == q.ID:
			l.add(field, "question %q is the same as itself", q.ID)
		case twin == nil:
			l.add(field, "question %q is the same as %q, which does not exist", q.ID, q.SameAs)
		case !slices.Equal(answerIDs(q), answerIDs(twin)):
			l.add(field, "question %q is the same as %q, but their answers differ (%v, %v)", q.ID, q.SameAs, answerIDs(q), answerIDs(twin))
		}
	}
}

func answerIDs(q *Question) []string {
	ids := make([]string, len(q.Answers))
	for i, a := range q.Answers {
		ids[i] = a.ID
	}
	slices.Sort(ids)
	return ids
}

// target checks that an answer leads to exactly one place that exists.
func (l *linter) target(q *Question, a *Answer, af string) {
	switch n := a.ends(); {
	case n == 0:
		l.add(af, "answer %q of question %q leads nowhere: set next, case, procedure or ask_staff", a.ID, q.ID)
		return
	case n > 1:
		l.add(af, "answer %q of question %q leads to %d places; set only one of next, case, procedure, ask_staff", a.ID, q.ID, n)
		return
	}
	switch {
	case a.Next != "" && l.f.Question(a.Next) == nil:
		l.add(af+".next", "answer %q of question %q leads nowhere: question %q does not exist", a.ID, q.ID, a.Next)
	case a.Case != "" && l.t.Cases != nil && !l.t.Cases[a.Case]:
		l.add(af+".case", "answer %q of question %q leads nowhere: case %q does not exist", a.ID, q.ID, a.Case)
	case a.Procedure != "" && l.t.Procedures != nil && !l.t.Procedures[a.Procedure]:
		l.add(af+".procedure", "answer %q of question %q leads nowhere: procedure %q does not exist", a.ID, q.ID, a.Procedure)
	}
}

// reach reports questions that no path from the start can show.
func (l *linter) reach() {
	seen := map[string]bool{}
	var visit func(id string)
	visit = func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		q := l.f.Question(id)
		if q == nil {
			return
		}
		for _, a := range q.Answers {
			if a.Next != "" {
				visit(a.Next)
			}
		}
	}
	visit(l.f.Start)
	for i := range l.f.Questions {
		if q := &l.f.Questions[i]; !seen[q.ID] {
			l.add(qField(q, i), "question %q is unreachable: no answer leads to it from the start %q", q.ID, l.f.Start)
		}
	}
}

// cycles reports every answer that leads back to a question already on the
// path (a back edge of a depth-first search), naming the loop.
func (l *linter) cycles() {
	const (
		unseen = iota
		onPath
		finished
	)
	state := map[string]int{}
	var path []string
	var visit func(id string)
	visit = func(id string) {
		q := l.f.Question(id)
		if q == nil {
			state[id] = finished
			return
		}
		state[id] = onPath
		path = append(path, id)
		for _, a := range q.Answers {
			if a.Next == "" {
				continue
			}
			switch state[a.Next] {
			case onPath:
				loop := append(loopFrom(path, a.Next), a.Next)
				l.add("questions["+id+"].answers["+a.ID+"].next", "answer %q of question %q makes a cycle: %s", a.ID, id, strings.Join(loop, " → "))
			case unseen:
				visit(a.Next)
			}
		}
		path = path[:len(path)-1]
		state[id] = finished
	}
	for i := range l.f.Questions {
		if id := l.f.Questions[i].ID; state[id] == unseen {
			visit(id)
		}
	}
}

func loopFrom(path []string, id string) []string {
	for i, p := range path {
		if p == id {
			return append([]string(nil), path[i:]...)
		}
	}
	return nil
}
