package studio

import (
	"tramso/kiosk/content"
	"tramso/kiosk/flow"
)

// DiffLifeEvent lists what changed in a life event: its words, the
// procedures it offers and the questions that help choose one.
func DiffLifeEvent(before, after *content.LifeEvent) []Change {
	d := &differ{}
	var s scope
	d.value(s, "id", "life.id", before.ID, after.ID)
	d.text(s, "title", "life.title", before.Title, after.Title)
	d.text(s, "summary", "life.summary", before.Summary, after.Summary)
	d.value(s, "icon", "life.icon", before.Icon, after.Icon)
	d.set(s, "words", "life.words", before.Words, after.Words)
	d.set(s, "procedures", "life.procedures", before.Procedures, after.Procedures)
	diffFlow(d, s, "life.", before.Flow, after.Flow)
	return d.out
}

// diffFlow compares two question flows; nil is a flow with no questions.
// The catalogue entries are those of "flow." under prefix: a procedure's
// answers decide its fee, document and deadline rules, a life event's only
// which procedure is shown.
func diffFlow(d *differ, s scope, prefix string, before, after *flow.Flow) {
	if before == nil {
		before = &flow.Flow{}
	}
	if after == nil {
		after = &flow.Flow{}
	}
	d.value(s, "flow.start", prefix+"flow.start", before.Start, after.Start)
	list(d, s, "flow.questions", prefix+"flow.questions", before.Questions, after.Questions, questionItem(prefix))
}

func questionItem(prefix string) item[flow.Question] {
	return item[flow.Question]{
		id:   func(q flow.Question) string { return q.ID },
		name: func(q flow.Question) string { return quote(q.Text.Vi()) },
		show: func(q flow.Question) string { return quote(q.Text.Vi()) },
		inner: func(d *differ, s scope, a, b flow.Question) {
			d.text(s, "text", prefix+"flow.questions.text", a.Text, b.Text)
			d.text(s, "help", prefix+"flow.questions.help", a.Help, b.Help)
			d.value(s, "audio", prefix+"flow.questions.audio", a.Audio, b.Audio)
			list(d, s, "answers", prefix+"flow.answers", a.Answers, b.Answers, answerItem(prefix))
		},
	}
}

func answerItem(prefix string) item[flow.Answer] {
	return item[flow.Answer]{
		id:   func(a flow.Answer) string { return a.ID },
		name: func(a flow.Answer) string { return quote(a.Text.Vi()) },
		show: func(a flow.Answer) string { return quote(a.Text.Vi()) + " → " + target(a) },
		inner: func(d *differ, s scope, a, b flow.Answer) {
			d.text(s, "text", prefix+"flow.answers.text", a.Text, b.Text)
			d.set(s, "tags", prefix+"flow.answers.tags", a.Tags, b.Tags)
			d.value(s, "target", prefix+"flow.answers.target", target(a), target(b))
		},
	}
}

// target is where an answer leads, in words.
func target(a flow.Answer) string {
	out := ""
	switch {
	case a.AskStaff:
		out = words.askStaff
	case a.Case != "":
		out = words.toCase + " " + a.Case
	case a.Procedure != "":
		out = words.toProcedure + " " + a.Procedure
	case a.Next != "":
		out = words.toQuestion + " " + a.Next
	}
	if a.Channel != "" {
		out += ", " + wordOr(words.channels, a.Channel)
	}
	return out
}
