package content

import (
	"errors"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/flow"
)

// The procedures as the screens show them: every text resolved into one
// language, the office resolved against this commune. "fallback" lists the
// fields of an object shown in Vietnamese because no translation exists, so
// the screen can mark them. These are the JSON answers of the kiosk API
// (kiosk/api/procedures.go).

// FieldView is a field of administrative work (hộ tịch, cư trú…) and its procedures.
type FieldView struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Icon       string   `json:"icon,omitempty"`
	Procedures []string `json:"procedures"`
}

// LifeEventView is a life event (a birth, a marriage…) and the procedures it may need.
type LifeEventView struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Summary    string   `json:"summary,omitempty"`
	Icon       string   `json:"icon,omitempty"`
	Procedures []string `json:"procedures"`
	Flow       string   `json:"flow,omitempty"` // id of the flow that helps choose
}

// ProcedureItem is a procedure in the lists.
type ProcedureItem struct {
	Code         string `json:"code"`
	NationalCode bool   `json:"national_code"`
	Title        string `json:"title"`
	Name         string `json:"name"`
	Summary      string `json:"summary"`
	Field        string `json:"field"`
	Office       string `json:"office"`
}

// ProcedureListView is the three ways into the assistant: fields, life events and the procedures.
type ProcedureListView struct {
	Lang       string          `json:"lang"`
	Fields     []FieldView     `json:"fields"`
	LifeEvents []LifeEventView `json:"life_events"`
	Procedures []ProcedureItem `json:"procedures"`
	Fallback   []string        `json:"fallback,omitempty"`
}

// DocumentView is a document to bring.
type DocumentView struct {
	Name        string `json:"name"`
	Short       string `json:"short,omitempty"`
	Originals   int    `json:"originals"`
	Copies      int    `json:"copies"`
	Form        string `json:"form,omitempty"`
	Action      string `json:"action"` // hand_in | show
	Replaceable bool   `json:"replaceable"`
	Note        string `json:"note,omitempty"`
}

// FeeView is a fee, for one way of filing or the one this person pays.
type FeeView struct {
	Channel    string `json:"channel,omitempty"`
	Kind       string `json:"kind"` // free | amount | province | unknown
	Amount     int64  `json:"amount,omitempty"`
	AmountText string `json:"amount_text,omitempty"`
	Per        string `json:"per,omitempty"`
	Note       string `json:"note,omitempty"`
	Basis      string `json:"basis,omitempty"`
}

// DurationView is how long the procedure takes.
type DurationView struct {
	Unit   string `json:"unit"`
	Amount int    `json:"amount,omitempty"`
	Note   string `json:"note,omitempty"`
}

// ChannelView is a way of filing (in person, by post, online…).
type ChannelView struct {
	Kind string `json:"kind"`
	Note string `json:"note,omitempty"`
}

// CaseView is one case of a procedure (the situation the answers lead to).
type CaseView struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Code string `json:"code,omitempty"`
}

// Provenance says where the facts come from and how fresh they are.
type Provenance struct {
	LegalBasis []Basis      `json:"legal_basis"`
	Decision   string       `json:"decision,omitempty"`
	Sources    []SourceView `json:"sources"`
	CompiledOn string       `json:"compiled_on"` // in the view's language (Date.In): facts compiled from Sources
	// Checked is set only when a person compared the facts with the live
	// national record and the province's decision; until then the screen
	// says the facts were compiled, not checked.
	Checked    *CheckedView `json:"checked,omitempty"`
	ValidUntil string       `json:"valid_until,omitempty"` // in the view's language (Date.In)
	// Expired: today is past ValidUntil, so the facts may have changed; the
	// screen says so and sends the person to the staff to confirm.
	Expired  bool   `json:"expired"`
	Evidence string `json:"evidence"`
}

// SourceView is where the facts were read.
type SourceView struct {
	URL      string `json:"url"`
	Evidence string `json:"evidence"` // S | S2 | B
	// Kind is what the source is, which the screen labels it by: official
	// (S on a state site) | direct (S elsewhere) | secondary | unconfirmed
	// (Source.Kind).
	Kind   string `json:"kind"`
	ReadOn string `json:"read_on,omitempty"` // in the view's language (Date.In)
}

// CheckedView is a person's check of the facts against the live record.
type CheckedView struct {
	On      string `json:"on"` // in the view's language (Date.In)
	By      string `json:"by"`
	Against string `json:"against"`
}

// ProcedureView is one procedure's record, with its office resolved against this commune.
type ProcedureView struct {
	Lang         string        `json:"lang"`
	Code         string        `json:"code"`
	NationalCode bool          `json:"national_code"`
	Title        string        `json:"title"`
	Name         string        `json:"name"`
	Summary      string        `json:"summary"`
	Field        FieldView     `json:"field"`
	Level        string        `json:"level"`
	Agency       string        `json:"agency"`
	Office       Office        `json:"office"`
	Conditions   []string      `json:"conditions"`
	Cases        []CaseView    `json:"cases"`
	Time         DurationView  `json:"time"`
	Exemptions   []string      `json:"exemptions"`
	Steps        []string      `json:"steps"`
	Channels     []ChannelView `json:"channels"`
	Result       string        `json:"result"`
	Notes        []string      `json:"notes"`
	Flow         string        `json:"flow"`
	PortalURL    string        `json:"portal_url"`
	Provenance
	Fallback []string `json:"fallback,omitempty"`
}

// FlowAnswerView is one answer to a flow question.
type FlowAnswerView struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Next      string `json:"next,omitempty"`
	End       bool   `json:"end"` // the answer ends the flow (a case, a procedure or the staff)
	Procedure string `json:"procedure,omitempty"`
	AskStaff  bool   `json:"ask_staff,omitempty"`
	Channel   string `json:"channel,omitempty"` // the way of filing this answer chooses
}

// FlowQuestionView is one question of a flow.
type FlowQuestionView struct {
	ID      string           `json:"id"`
	Text    string           `json:"text"`
	Help    string           `json:"help,omitempty"`
	Audio   string           `json:"audio,omitempty"`
	Answers []FlowAnswerView `json:"answers"`
	SameAs  string           `json:"same_as,omitempty"` // unanswered, it takes that question's answer (flow.Question.SameAs)
}

// FlowView is a flow for the screens to ask one question at a time.
type FlowView struct {
	Lang      string             `json:"lang"`
	ID        string             `json:"id"`
	Start     string             `json:"start"`
	Procedure string             `json:"procedure,omitempty"` // the procedure the flow belongs to
	LifeEvent string             `json:"life_event,omitempty"`
	Questions []FlowQuestionView `json:"questions"`
	Fallback  []string           `json:"fallback,omitempty"`
}

// ReviewLine is one answer given, for the check-your-answers screen.
type ReviewLine struct {
	Question     string `json:"question"`
	QuestionText string `json:"question_text"`
	Answer       string `json:"answer"`
	AnswerText   string `json:"answer_text"`
}

// ResultView is a procedure tailored to the answers given.
type ResultView struct {
	Lang         string       `json:"lang"`
	Status       string       `json:"status"`
	Next         string       `json:"next,omitempty"`
	Code         string       `json:"code"`
	NationalCode bool         `json:"national_code"`
	Title        string       `json:"title"`
	Review       []ReviewLine `json:"review"`
	Office       Office       `json:"office"`
	Case         *CaseView    `json:"case,omitempty"`
	// Situation is the case line: what the answers changed, then the case
	// ("Đã quá hạn đăng ký; Có Giấy chứng sinh"), as the take-home list
	// says it (Tailored.Situation).
	Situation     string         `json:"situation,omitempty"`
	Documents     []DocumentView `json:"documents,omitempty"`
	Fee           *FeeView       `json:"fee,omitempty"`      // the fee this person pays at the office
	FeeRule       string         `json:"fee_rule,omitempty"` // the rule it follows for these answers, on the card (Tailored.FeeRule)
	Fees          []FeeView      `json:"fees,omitempty"`     // per channel
	OnlineCheaper bool           `json:"online_cheaper"`
	Exemptions    []string       `json:"exemptions,omitempty"`
	Exempt        bool           `json:"exempt,omitempty"` // answered being in a group that pays no fee: bring what shows it
	Time          *DurationView  `json:"time,omitempty"`
	TimeNote      string         `json:"time_note,omitempty"` // its condition, on the card (Tailored.TimeNote)
	Deadline      string         `json:"deadline,omitempty"`  // by when this person must file
	OnlineOnly    bool           `json:"online_only"`         // filed only online: the office is where to ask, not to go
	Channel       string         `json:"channel,omitempty"`   // the way of filing chosen before the questions
	Channels      []ChannelView  `json:"channels,omitempty"`  // the chosen one first
	Steps         []string       `json:"steps,omitempty"`
	Result        string         `json:"result,omitempty"`
	// Notes are the "Lưu ý" to show, as the screen shows them
	// (Tailored.Notes(OnScreen)): the screen decides none itself.
	Notes       []string `json:"notes,omitempty"`
	Checklist   string   `json:"checklist,omitempty"`
	ChecklistQR string   `json:"checklist_qr,omitempty"` // data: URL
	PortalURL   string   `json:"portal_url"`
	PortalQR    string   `json:"portal_qr"`
	Provenance
	Fallback []string `json:"fallback,omitempty"`
}

// Result statuses.
const (
	ResultOK         = "ok"
	ResultAskStaff   = "ask_staff"  // fail closed: no data for this situation
	ResultIncomplete = "incomplete" // answer Next first
)

// ResultStatuses are the values of ResultView.Status.
var ResultStatuses = []string{ResultOK, ResultAskStaff, ResultIncomplete}

// Here is what a procedure's view needs from the kiosk it shows on: the
// commune's offices (config) and the time, for today's opening hours and
// whether the facts have expired.
type Here struct {
	Offices []config.Office
	Now     time.Time
}

// ProcedureList is the procedures with the life events and fields that
// group them, in lang.
func (p *Pack) ProcedureList(lang string) ProcedureListView {
	l := &Localizer{Lang: lang}
	out := ProcedureListView{Lang: l.Lang, Fields: []FieldView{}, LifeEvents: []LifeEventView{}, Procedures: []ProcedureItem{}}
	if p.Assistant != nil {
		for _, f := range p.Assistant.Fields {
			fv := FieldView{ID: f.ID, Title: l.Get("fields."+f.ID, f.Title), Icon: f.Icon, Procedures: []string{}}
			for _, pr := range p.Procedures {
				if pr.Field == f.ID {
					fv.Procedures = append(fv.Procedures, pr.Code)
				}
			}
			out.Fields = append(out.Fields, fv)
		}
	}
	for _, le := range p.LifeEvents {
		lv := LifeEventView{ID: le.ID, Title: l.Get("life_events."+le.ID, le.Title), Summary: l.Get("life_events."+le.ID+".summary", le.Summary),
			Icon: le.Icon, Procedures: le.Procedures}
		if le.Flow != nil {
			lv.Flow = le.Flow.ID
		}
		out.LifeEvents = append(out.LifeEvents, lv)
	}
	for _, pr := range p.Procedures {
		out.Procedures = append(out.Procedures, ProcedureItem{Code: pr.Code, NationalCode: pr.NationalCode(),
			Title: l.Get(pr.Code+".plain_name", pr.PlainName), Name: pr.Name, Summary: l.Get(pr.Code+".summary", pr.Summary),
			Field: pr.Field, Office: pr.Office})
	}
	out.Fallback = l.Fallback()
	return out
}

// ProcedureView is procedure code's record in lang, with its office
// resolved here; false when the pack has no such procedure.
func (p *Pack) ProcedureView(code, lang string, here Here) (ProcedureView, bool) {
	pr := p.Procedure(code)
	if pr == nil {
		return ProcedureView{}, false
	}
	l := &Localizer{Lang: lang}
	out := ProcedureView{Lang: l.Lang, Code: pr.Code, NationalCode: pr.NationalCode(), Title: l.Get("plain_name", pr.PlainName),
		Name: pr.Name, Summary: l.Get("summary", pr.Summary), Level: pr.Level, Agency: pr.Agency,
		Office:     ResolveOffice(here.Offices, pr.Office, here.Now).In(p.wording(), l.Lang),
		Conditions: localTexts(l, "conditions", pr.Conditions), Time: durationView(l, pr.Time), Exemptions: localTexts(l, "exemptions", pr.Exemptions),
		Steps: localTexts(l, "steps", pr.Steps), Channels: channelViews(l, pr.Channels), Result: l.Get("result", pr.Result),
		Notes: localTexts(l, "notes", pr.Notes), Flow: pr.Flow.ID, PortalURL: pr.PortalURL(), Provenance: provenanceOf(pr, here.Now, l.Lang)}
	out.Field = FieldView{ID: pr.Field, Procedures: []string{}}
	if f := p.Assistant.Field(pr.Field); f != nil {
		out.Field.Title, out.Field.Icon = l.Get("field", f.Title), f.Icon
	}
	out.Cases = []CaseView{}
	for _, c := range pr.Cases {
		out.Cases = append(out.Cases, CaseView{ID: c.ID, Name: l.Get("cases."+c.ID, c.Name), Code: c.Code})
	}
	out.Fallback = l.Fallback()
	return out, true
}

func localTexts(l *Localizer, field string, ts []Text) []string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, l.Get(field, t))
	}
	return out
}

func durationView(l *Localizer, d Duration) DurationView {
	return DurationView{Unit: d.Unit, Amount: d.Amount, Note: l.Get("time.note", d.Note)}
}

func channelViews(l *Localizer, chs []Channel) []ChannelView {
	out := make([]ChannelView, 0, len(chs))
	for _, c := range chs {
		out = append(out, ChannelView{Kind: c.Kind, Note: l.Get("channels."+c.Kind, c.Note)})
	}
	return out
}

// provenanceOf is where pr's facts come from, its days written for lang.
func provenanceOf(pr *Procedure, now time.Time, lang string) Provenance {
	until, ok := pr.ValidUntil.Time()
	out := Provenance{LegalBasis: pr.LegalBasis, Decision: pr.Decision, Sources: []SourceView{},
		CompiledOn: pr.VerifiedOn.In(lang), ValidUntil: pr.ValidUntil.In(lang), Evidence: pr.Evidence,
		Expired: ok && !now.Before(until)}
	for _, src := range pr.Sources {
		out.Sources = append(out.Sources, SourceView{URL: src.URL, Evidence: src.Evidence, Kind: src.Kind(), ReadOn: src.ReadOn.In(lang)})
	}
	if lc := pr.LiveCheck; lc != nil {
		out.Checked = &CheckedView{On: lc.On.In(lang), By: lc.By, Against: lc.Against}
	}
	return out
}

// FlowView is flow id (a procedure's or a life event's) in lang, for the
// screens to ask one question at a time; false when there is no such flow.
func (p *Pack) FlowView(id, lang string) (FlowView, bool) {
	f := p.Flow(id)
	if f == nil {
		return FlowView{}, false
	}
	l := &Localizer{Lang: lang}
	out := FlowView{Lang: l.Lang, ID: f.ID, Start: f.Start, Questions: []FlowQuestionView{}}
	for _, pr := range p.Procedures {
		if pr.Flow.ID == id {
			out.Procedure = pr.Code
		}
	}
	for _, le := range p.LifeEvents {
		if le.Flow != nil && le.Flow.ID == id {
			out.LifeEvent = le.ID
		}
	}
	for _, q := range f.Questions {
		qv := FlowQuestionView{ID: q.ID, Text: l.Get(q.ID, q.Text), Help: l.Get(q.ID+".help", q.Help), Audio: q.Audio, SameAs: q.SameAs}
		for _, a := range q.Answers {
			qv.Answers = append(qv.Answers, FlowAnswerView{ID: a.ID, Text: l.Get(q.ID+"."+a.ID, a.Text),
				Next: a.Next, End: a.Next == "", Procedure: a.Procedure, AskStaff: a.AskStaff, Channel: a.Channel})
		}
		out.Questions = append(out.Questions, qv)
	}
	out.Fallback = l.Fallback()
	return out, true
}

// ResultView tailors procedure pr to the answers given and the way of filing
// chosen before the questions ("" for none), in lang. It fails closed: answers
// it cannot follow, or a situation the data does not cover, give status
// ask_staff with no fee, time or documents at all. The QR codes are left for
// the caller to draw.
func (p *Pack) ResultView(pr *Procedure, answers map[string]string, channel, lang string, here Here) (ResultView, error) {
	l := &Localizer{Lang: lang}
	t, err := pr.Tailor(answers)
	t.Choose(channel)
	out := ResultView{Lang: l.Lang, Code: pr.Code, NationalCode: pr.NationalCode(), Title: l.Get("plain_name", pr.PlainName),
		Review: reviewLines(l, &pr.Flow, t.Walk.Path), Office: ResolveOffice(here.Offices, pr.Office, here.Now).In(p.wording(), l.Lang),
		PortalURL: pr.PortalURL(), Provenance: provenanceOf(pr, here.Now, l.Lang)}
	switch {
	case errors.Is(err, ErrIncomplete):
		out.Status, out.Next = ResultIncomplete, t.Walk.Next
	case err != nil:
		return ResultView{}, err
	case t.AskStaff:
		out.Status = ResultAskStaff
	default:
		out.Status = ResultOK
		p.fillResult(&out, l, &t)
	}
	out.Fallback = l.Fallback()
	return out, nil
}

func (p *Pack) fillResult(out *ResultView, l *Localizer, t *Tailored) {
	pr := t.Procedure
	out.Case = &CaseView{ID: t.Case.ID, Name: l.Get("case", t.Case.Name), Code: t.Case.Code}
	out.PortalURL = t.PortalURL() // the case's own code when it has one
	for _, d := range t.Documents {
		out.Documents = append(out.Documents, DocumentView{Name: l.Get("documents", d.Name), Short: l.Get("documents.short", d.Short),
			Originals: d.Originals, Copies: d.Copies, Form: d.Form, Action: d.Action, Replaceable: d.Replaceable, Note: l.Get("documents.note", d.Note)})
	}
	for _, cf := range t.Fees {
		out.Fees = append(out.Fees, feeView(l, cf.Channel, cf.Fee))
	}
	main := feeView(l, "", t.MainFee())
	out.Fee = &main
	out.FeeRule = l.Get("fee.note", t.FeeRule())
	out.OnlineCheaper = t.OnlineCheaper()
	out.Exempt = t.ClaimsExemption()
	if ex := t.Exemptions(); len(ex) > 0 {
		out.Exemptions = localTexts(l, "exemptions", ex)
	}
	dv := durationView(l, t.Time)
	out.Time = &dv
	out.TimeNote = l.Get("time.note", t.TimeNote())
	if t.Deadline != nil {
		out.Deadline = l.Get("deadline", *t.Deadline)
	}
	out.Channel = t.Channel
	out.Channels = channelViews(l, t.Channels())
	out.OnlineOnly = pr.OnlineOnly()
	out.Steps = localTexts(l, "steps", pr.Steps)
	out.Result = l.Get("result", pr.Result)
	out.Notes = localTexts(l, "notes", t.Notes(OnScreen))
	if p.Assistant != nil {
		out.Situation = t.Situation(p.Assistant.Checklist, l.Lang)
		out.Checklist = t.Checklist(p.Assistant.Checklist, l.Lang, out.Office)
	}
}

// wording is the pack's checklist words (its life-events.yaml), this
// release's own for a pack with none: the words the office's lines are said
// in, on the card as in the take-home list.
func (p *Pack) wording() Wording {
	if p.Assistant != nil {
		return p.Assistant.Checklist
	}
	return builtInWording()
}

// feeView describes a fee; a nil fee (no rule applies) is kind unknown.
func feeView(l *Localizer, channel string, f *Fee) FeeView {
	if f == nil {
		return FeeView{Channel: channel, Kind: FeeUnknown}
	}
	fv := FeeView{Channel: channel, Kind: f.Kind, Per: l.Get("fee.per", f.Per), Note: l.Get("fee.note", f.Note), Basis: f.Basis}
	if f.Kind == FeeAmount {
		fv.Amount, fv.AmountText = f.Amount, Dong(f.Amount, l.Lang)
	}
	return fv
}

// reviewLines lists the answers on the path, for the check-your-answers screen.
func reviewLines(l *Localizer, f *flow.Flow, path []flow.Step) []ReviewLine {
	out := []ReviewLine{}
	for _, st := range path {
		q := f.Question(st.Question)
		a := q.Answer(st.Answer)
		out = append(out, ReviewLine{Question: q.ID, QuestionText: l.Get(q.ID, q.Text),
			Answer: a.ID, AnswerText: l.Get(q.ID+"."+a.ID, a.Text)})
	}
	return out
}
