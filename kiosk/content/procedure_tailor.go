package content

import (
	"errors"

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
// counts; an unknown fee never does).
func (t *Tailored) OnlineCheaper() bool {
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
