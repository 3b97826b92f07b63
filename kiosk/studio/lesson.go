package studio

import (
	"strconv"
	"strings"

	"tramso/kiosk/content"
	"tramso/kiosk/lang"
)

// DiffLesson lists what changed in a lesson: its texts, steps, practice
// screens and check questions. Nothing in a lesson is a fact change in the
// sense of issue 16; its sources are still shown when they change.
func DiffLesson(before, after *content.Tutorial) []Change {
	d := &differ{}
	var s scope
	d.value(s, "module", "lesson.module", before.Module, after.Module)
	d.value(s, "order", "lesson.order", number(before.Order), number(after.Order))
	d.value(s, "minutes", "lesson.minutes", number(before.Minutes), number(after.Minutes))
	d.value(s, "cover", "lesson.cover", before.Cover, after.Cover)
	d.text(s, "title", "lesson.title", before.Title, after.Title)
	d.text(s, "description", "lesson.description", before.Description, after.Description)
	texts(d, s, "learnt", "lesson.learnt", before.Learnt, after.Learnt)
	d.set(s, "sources", "lesson.sources", before.Sources, after.Sources)
	list(d, s, "steps", "lesson.steps", numbered(before.Steps), numbered(after.Steps), stepItem)
	list(d, s, "checks", "lesson.checks", numbered(before.Checks), numbered(after.Checks), checkItem)
	return d.out
}

// nth is an item of a list with its place (from 1), for lists whose items
// have no name but their number ("Bước 3").
type nth[T any] struct {
	n int
	v T
}

func numbered[T any](items []T) []nth[T] {
	out := make([]nth[T], len(items))
	for i, x := range items {
		out[i] = nth[T]{i + 1, x}
	}
	return out
}

var stepItem = item[nth[content.Step]]{
	id:   func(x nth[content.Step]) string { return x.v.Text.Vi() },
	name: func(x nth[content.Step]) string { return strconv.Itoa(x.n) },
	show: func(x nth[content.Step]) string {
		return words.step + " " + strconv.Itoa(x.n) + " " + quote(x.v.Text.Vi())
	},
	inner: func(d *differ, s scope, a, b nth[content.Step]) {
		d.text(s, "title", "lesson.steps.title", a.v.Title, b.v.Title)
		d.text(s, "text", "lesson.steps.text", a.v.Text, b.v.Text)
		d.text(s, "hint", "lesson.steps.hint", a.v.Hint, b.v.Hint)
		d.value(s, "illustration", "lesson.steps.illustration", a.v.Illustration, b.v.Illustration)
		d.text(s, "narration", "lesson.steps.narration", lang.Text(a.v.Narration), lang.Text(b.v.Narration))
		d.value(s, "practice", "lesson.steps.practice", practice(a.v.Practice), practice(b.v.Practice))
	},
}

var checkItem = item[nth[content.Check]]{
	id:   func(x nth[content.Check]) string { return x.v.Question.Vi() },
	name: func(x nth[content.Check]) string { return strconv.Itoa(x.n) },
	show: func(x nth[content.Check]) string {
		return words.check + " " + strconv.Itoa(x.n) + " " + quote(x.v.Question.Vi())
	},
	inner: func(d *differ, s scope, a, b nth[content.Check]) {
		d.text(s, "question", "lesson.checks.question", a.v.Question, b.v.Question)
		d.value(s, "answers", "lesson.checks.answers", answers(a.v.Answers), answers(b.v.Answers))
		d.text(s, "hint", "lesson.checks.hint", a.v.Hint, b.v.Hint)
		d.text(s, "explain", "lesson.checks.explain", a.v.Explain, b.v.Explain)
	},
}

// practice shows a practice screen as the words on it, the right target
// marked ✓ and each element's hint after it, so any edit shows.
func practice(p *content.Practice) string {
	if p == nil {
		return ""
	}
	var parts []string
	for _, e := range p.Elements {
		w := e.Kind
		if t := e.Text.Vi(); t != "" {
			w += " " + quote(t)
		}
		if e.Correct {
			w += " ✓"
		}
		for _, extra := range []string{e.Label.Vi(), e.Value.Vi(), e.Style, e.Hint.Vi()} {
			if extra != "" {
				w += " [" + extra + "]"
			}
		}
		parts = append(parts, w)
	}
	parts = append(parts, "sai: "+quote(p.Hint.Vi()), "đúng: "+quote(p.Right.Vi()))
	return strings.Join(parts, " | ")
}

// answers shows a check's answers, the right ones marked ✓.
func answers(as []content.Answer) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = quote(a.Text.Vi())
		if a.Correct {
			parts[i] += " ✓"
		}
	}
	return strings.Join(parts, " / ")
}

func number(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
