package content

import (
	"errors"
	"slices"

	"tramso/kiosk/flow"
)

// Tailored is a procedure fitted to one person's answers: the documents, fees
// and time that apply to them. It is computed from data only; where the data
// has no answer the field says so (a nil fee, AskStaff) and nothing is guessed.
type Tailored struct {
	Procedure *Procedure
	Walk      flow.Result
	Case      *Case
	Documents []Document
	Fees      []ChannelFee // one per channel of the procedure, in its order
	Time      Duration
	// Deadline is by when this person must file, or nil when none applies.
	Deadline *Text
	// Channel is the way of filing the person already chose (Choose), or ""
	// when they did not: the result then leads with the office.
	Channel string
	// AskStaff is set when the answers cannot be followed or the flow sends
	// the person to staff; Reason says why, for logs (never shown raw).
	AskStaff bool
	Reason   string
}

// ChannelFee is the fee on one channel; Fee is nil when no rule applies,
// which the assistant shows as "no data, ask the staff".
type ChannelFee struct {
	Channel string
	Fee     *Fee
}

// ErrIncomplete means the answers stop before the end of the flow; Walk.Next
// is the question to ask.
var ErrIncomplete = errors.New("the answers do not reach the end of the flow yet")

// Tailor walks the procedure's flow with answers and fits the procedure to
// the case and tags reached. Unknown answers or a broken flow give a result
// with AskStaff set (fail closed), never an error the resident would see.
func (p *Procedure) Tailor(answers map[string]string) (Tailored, error) {
	t := Tailored{Procedure: p}
	r, err := p.Flow.Walk(answers)
	t.Walk = r
	switch {
	case err != nil:
		t.AskStaff, t.Reason = true, err.Error()
		return t, nil
	case !r.Done:
		return t, ErrIncomplete
	case r.AskStaff:
		t.AskStaff, t.Reason = true, "the flow sends this situation to staff"
		return t, nil
	case r.Procedure != "":
		t.AskStaff, t.Reason = true, "a procedure flow may not hand over to another procedure"
		return t, nil
	}
	t.Case = p.Case(r.Case)
	if t.Case == nil {
		t.AskStaff, t.Reason = true, "case "+r.Case+" does not exist"
		return t, nil
	}
	t.Documents = applicable(append(append([]Document(nil), p.Documents...), t.Case.Documents...), r)
	t.Time = p.Time
	if t.Case.Time != nil {
		t.Time = *t.Case.Time
	}
	for _, ch := range p.Channels {
		t.Fees = append(t.Fees, ChannelFee{Channel: ch.Kind, Fee: p.feeFor(feeChannel(ch.Kind), r)})
	}
	for i := range p.Deadline {
		if holds(p.Deadline[i].If, r) {
			t.Deadline = &p.Deadline[i].Text
			break
		}
	}
	return t, nil
}

// applicable keeps the documents whose tags all hold.
func applicable(docs []Document, r flow.Result) []Document {
	out := docs[:0]
	for _, d := range docs {
		if holds(d.If, r) {
			out = append(out, d)
		}
	}
	return out
}

func holds(tags []string, r flow.Result) bool {
	for _, t := range tags {
		if !r.Has(t) {
			return false
		}
	}
	return true
}

// feeChannel maps a filing channel to the fee schedule it pays: VNeID filing
// goes through the online public services, so it pays the online fee.
func feeChannel(kind string) string {
	if kind == "vneid" {
		return "online"
	}
	return kind
}

// feeFor returns the first fee rule for channel whose tags hold, or nil.
func (p *Procedure) feeFor(channel string, r flow.Result) *Fee {
	for i := range p.Fees {
		f := &p.Fees[i]
		if (f.Channel == "" || f.Channel == channel) && holds(f.If, r) {
			return f
		}
	}
	return nil
}

// OnlineCheaper reports whether filing online costs less than in person,
// comparing only known amounts (a free online fee against a charged one
// counts; an unknown fee never does). A person who already chose how to
// file is not told: the other ways stay in the details.
func (t *Tailored) OnlineCheaper() bool {
	if t.Channel != "" {
		return false
	}
	var inPerson, online *Fee
	for _, cf := range t.Fees {
		switch cf.Channel {
		case "in_person":
			inPerson = cf.Fee
		case "online", "vneid":
			if online == nil {
				online = cf.Fee
			}
		}
	}
	if inPerson == nil || online == nil {
		return false
	}
	known := func(f *Fee) (int64, bool) {
		switch f.Kind {
		case FeeFree:
			return 0, true
		case FeeAmount:
			return f.Amount, true
		}
		return 0, false
	}
	a, ok1 := known(inPerson)
	b, ok2 := known(online)
	return ok1 && ok2 && b < a
}

// TagExempt is the flow tag of an answer saying the person is in a group
// that pays no fee (hộ nghèo, người khuyết tật…).
const TagExempt = "exempt"

// TagExemptUnsure tags the answer "Không rõ" to that question: the person
// does not know whether a group fits them (is my commune "đặc biệt khó
// khăn"?), so the result lists the groups beside the fee.
const TagExemptUnsure = "exempt_unsure"

// Choose records the way of filing the person chose before the questions
// ("Đến xã làm giấy khai sinh" on a life event). A kind the procedure does
// not offer is ignored, so a stale choice never names a way that is not there.
func (t *Tailored) Choose(kind string) {
	for _, ch := range t.Procedure.Channels {
		if ch.Kind == kind {
			t.Channel = kind
			return
		}
	}
}

// Channels are the procedure's ways of filing, the chosen one first; the
// others keep the procedure's order.
func (t *Tailored) Channels() []Channel {
	out := make([]Channel, 0, len(t.Procedure.Channels))
	for _, ch := range t.Procedure.Channels {
		if ch.Kind == t.Channel {
			out = append(out, ch)
		}
	}
	for _, ch := range t.Procedure.Channels {
		if ch.Kind != t.Channel {
			out = append(out, ch)
		}
	}
	return out
}

// Exemptions are the groups that pay no fee, worth telling this person only
// when the fee is not already free and they have not already answered
// whether they belong to one: a person who answered "Không" has heard the
// list and said no; one who answered "Không rõ" is shown it again, to check
// with the staff.
func (t *Tailored) Exemptions() []Text {
	if f := t.MainFee(); f != nil && f.Kind == FeeFree {
		return nil
	}
	for _, st := range t.Walk.Path {
		q := t.Procedure.Flow.Question(st.Question)
		if q == nil || !asksExemption(q) {
			continue
		}
		if a := q.Answer(st.Answer); a == nil || !slices.Contains(a.Tags, TagExemptUnsure) {
			return nil
		}
	}
	return t.Procedure.Exemptions
}

// asksExemption: whether q asks if the person is in a group that pays no fee.
// ClaimsExemption reports whether the person answered that they are in a
// group that pays no fee: the office will want to see that they are (outside
// QA: "Miễn phí" was promised and no proof of it listed).
func (t *Tailored) ClaimsExemption() bool {
	for _, st := range t.Walk.Path {
		q := t.Procedure.Flow.Question(st.Question)
		if q == nil {
			continue
		}
		if a := q.Answer(st.Answer); a != nil && slices.Contains(a.Tags, TagExempt) {
			return true
		}
	}
	return false
}

func asksExemption(q *flow.Question) bool {
	for _, a := range q.Answers {
		if slices.Contains(a.Tags, TagExempt) {
			return true
		}
	}
	return false
}
