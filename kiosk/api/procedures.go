package api

import (
	"errors"
	"net/http"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/flow"
	"tramso/kiosk/qr"
)

// officeClock is the kiosk clock, for today's opening hours (tests replace it).
var officeClock = time.Now

// QR sizes in pixels: large enough to scan from arm's length off the screen.
const (
	checklistQRSize = 480
	portalQRSize    = 360
)

type fieldJSON struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Icon       string   `json:"icon,omitempty"`
	Procedures []string `json:"procedures"`
}

type lifeEventJSON struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Summary    string   `json:"summary,omitempty"`
	Icon       string   `json:"icon,omitempty"`
	Procedures []string `json:"procedures"`
	Flow       string   `json:"flow,omitempty"` // id of the flow that helps choose
}

type procedureItem struct {
	Code         string `json:"code"`
	NationalCode bool   `json:"national_code"`
	Title        string `json:"title"`
	Name         string `json:"name"`
	Summary      string `json:"summary"`
	Field        string `json:"field"`
	Office       string `json:"office"`
}

type procedureList struct {
	Lang       string          `json:"lang"`
	Fields     []fieldJSON     `json:"fields"`
	LifeEvents []lifeEventJSON `json:"life_events"`
	Procedures []procedureItem `json:"procedures"`
	Fallback   []string        `json:"fallback,omitempty"`
}

// procedures lists the procedures with the life events and fields that group
// them: the three ways into the assistant.
func (s *Server) procedures(w http.ResponseWriter, r *http.Request) {
	lang, ok := queryLang(w, r)
	if !ok {
		return
	}
	pack := s.Content.Get().Pack
	l := &content.Localizer{Lang: lang}
	out := procedureList{Lang: l.Lang, Fields: []fieldJSON{}, LifeEvents: []lifeEventJSON{}, Procedures: []procedureItem{}}
	if pack.Assistant != nil {
		for _, f := range pack.Assistant.Fields {
			fj := fieldJSON{ID: f.ID, Title: l.Get("fields."+f.ID, f.Title), Icon: f.Icon, Procedures: []string{}}
			for _, p := range pack.Procedures {
				if p.Field == f.ID {
					fj.Procedures = append(fj.Procedures, p.Code)
				}
			}
			out.Fields = append(out.Fields, fj)
		}
	}
	for _, le := range pack.LifeEvents {
		lj := lifeEventJSON{ID: le.ID, Title: l.Get("life_events."+le.ID, le.Title), Summary: l.Get("life_events."+le.ID+".summary", le.Summary),
			Icon: le.Icon, Procedures: le.Procedures}
		if le.Flow != nil {
			lj.Flow = le.Flow.ID
		}
		out.LifeEvents = append(out.LifeEvents, lj)
	}
	for _, p := range pack.Procedures {
		out.Procedures = append(out.Procedures, procedureItem{Code: p.Code, NationalCode: p.NationalCode(),
			Title: l.Get(p.Code+".plain_name", p.PlainName), Name: p.Name, Summary: l.Get(p.Code+".summary", p.Summary),
			Field: p.Field, Office: p.Office})
	}
	out.Fallback = l.Fallback()
	writeJSON(w, http.StatusOK, out)
}

type documentJSON struct {
	Name        string `json:"name"`
	Short       string `json:"short,omitempty"`
	Originals   int    `json:"originals"`
	Copies      int    `json:"copies"`
	Form        string `json:"form,omitempty"`
	Action      string `json:"action"` // hand_in | show
	Replaceable bool   `json:"replaceable"`
	Note        string `json:"note,omitempty"`
}

type feeJSON struct {
	Channel    string `json:"channel,omitempty"`
	Kind       string `json:"kind"` // free | amount | province | unknown
	Amount     int64  `json:"amount,omitempty"`
	AmountText string `json:"amount_text,omitempty"`
	Per        string `json:"per,omitempty"`
	Note       string `json:"note,omitempty"`
	Basis      string `json:"basis,omitempty"`
}

type timeJSON struct {
	Unit   string `json:"unit"`
	Amount int    `json:"amount,omitempty"`
	Note   string `json:"note,omitempty"`
}

type channelJSON struct {
	Kind string `json:"kind"`
	Note string `json:"note,omitempty"`
}

type caseJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Code string `json:"code,omitempty"`
}

type provenanceJSON struct {
	LegalBasis []content.Basis `json:"legal_basis"`
	Decision   string          `json:"decision,omitempty"`
	Sources    []sourceJSON    `json:"sources"`
	CompiledOn string          `json:"compiled_on"` // dd/mm/yyyy: facts compiled from Sources
	// Checked is set only when a person compared the facts with the live
	// national record and the province's decision; until then the screen
	// says the facts were compiled, not checked.
	Checked    *checkedJSON `json:"checked,omitempty"`
	ValidUntil string       `json:"valid_until,omitempty"` // dd/mm/yyyy
	// Expired: today is past ValidUntil, so the facts may have changed; the
	// screen says so and sends the person to the staff to confirm.
	Expired  bool   `json:"expired"`
	Evidence string `json:"evidence"`
}

type sourceJSON struct {
	URL      string `json:"url"`
	Evidence string `json:"evidence"`          // S | S2 | B
	ReadOn   string `json:"read_on,omitempty"` // dd/mm/yyyy
}

type checkedJSON struct {
	On      string `json:"on"` // dd/mm/yyyy
	By      string `json:"by"`
	Against string `json:"against"`
}

type procedureJSON struct {
	Lang         string         `json:"lang"`
	Code         string         `json:"code"`
	NationalCode bool           `json:"national_code"`
	Title        string         `json:"title"`
	Name         string         `json:"name"`
	Summary      string         `json:"summary"`
	Field        fieldJSON      `json:"field"`
	Level        string         `json:"level"`
	Agency       string         `json:"agency"`
	Office       content.Office `json:"office"`
	Conditions   []string       `json:"conditions"`
	Cases        []caseJSON     `json:"cases"`
	Time         timeJSON       `json:"time"`
	Exemptions   []string       `json:"exemptions"`
	Steps        []string       `json:"steps"`
	Channels     []channelJSON  `json:"channels"`
	Result       string         `json:"result"`
	Notes        []string       `json:"notes"`
	Flow         string         `json:"flow"`
	PortalURL    string         `json:"portal_url"`
	provenanceJSON
	Fallback []string `json:"fallback,omitempty"`
}

// procedureOf finds the procedure named by {code} in the current pack; when
// there is none it answers 404 and returns a nil procedure.
func (s *Server) procedureOf(w http.ResponseWriter, r *http.Request) (*content.Pack, *content.Procedure) {
	pack := s.Content.Get().Pack
	p := pack.Procedure(r.PathValue("code"))
	if p == nil {
		writeError(w, http.StatusNotFound, "no such procedure: "+r.PathValue("code"))
	}
	return pack, p
}

// procedure answers one procedure's record, in ?lang=, with its office
// resolved against this commune.
func (s *Server) procedure(w http.ResponseWriter, r *http.Request) {
	lang, ok := queryLang(w, r)
	if !ok {
		return
	}
	pack, p := s.procedureOf(w, r)
	if p == nil {
		return
	}
	l := &content.Localizer{Lang: lang}
	out := procedureJSON{Lang: l.Lang, Code: p.Code, NationalCode: p.NationalCode(), Title: l.Get("plain_name", p.PlainName),
		Name: p.Name, Summary: l.Get("summary", p.Summary), Level: p.Level, Agency: p.Agency,
		Office:     content.ResolveOffice(s.Config.Commune.Offices, p.Office, officeClock()),
		Conditions: localTexts(l, "conditions", p.Conditions), Time: timeOf(l, p.Time), Exemptions: localTexts(l, "exemptions", p.Exemptions),
		Steps: localTexts(l, "steps", p.Steps), Channels: channels(l, p.Channels), Result: l.Get("result", p.Result),
		Notes: localTexts(l, "notes", p.Notes), Flow: p.Flow.ID, PortalURL: p.PortalURL(), provenanceJSON: provenance(p)}
	out.Field = fieldJSON{ID: p.Field, Procedures: []string{}}
	if f := pack.Assistant.Field(p.Field); f != nil {
		out.Field.Title, out.Field.Icon = l.Get("field", f.Title), f.Icon
	}
	out.Cases = []caseJSON{}
	for _, c := range p.Cases {
		out.Cases = append(out.Cases, caseJSON{ID: c.ID, Name: l.Get("cases."+c.ID, c.Name), Code: c.Code})
	}
	out.Fallback = l.Fallback()
	writeJSON(w, http.StatusOK, out)
}

func localTexts(l *content.Localizer, field string, ts []content.Text) []string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, l.Get(field, t))
	}
	return out
}

func timeOf(l *content.Localizer, d content.Duration) timeJSON {
	return timeJSON{Unit: d.Unit, Amount: d.Amount, Note: l.Get("time.note", d.Note)}
}

func channels(l *content.Localizer, chs []content.Channel) []channelJSON {
	out := make([]channelJSON, 0, len(chs))
	for _, c := range chs {
		out = append(out, channelJSON{Kind: c.Kind, Note: l.Get("channels."+c.Kind, c.Note)})
	}
	return out
}

func provenance(p *content.Procedure) provenanceJSON {
	until, ok := p.ValidUntil.Time()
	out := provenanceJSON{LegalBasis: p.LegalBasis, Decision: p.Decision, Sources: []sourceJSON{},
		CompiledOn: p.VerifiedOn.Display(), ValidUntil: p.ValidUntil.Display(), Evidence: p.Evidence,
		Expired: ok && !officeClock().Before(until)}
	for _, src := range p.Sources {
		out.Sources = append(out.Sources, sourceJSON{URL: src.URL, Evidence: src.Evidence, ReadOn: src.ReadOn.Display()})
	}
	if lc := p.LiveCheck; lc != nil {
		out.Checked = &checkedJSON{On: lc.On.Display(), By: lc.By, Against: lc.Against}
	}
	return out
}

type flowAnswerJSON struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Next      string `json:"next,omitempty"`
	End       bool   `json:"end"` // the answer ends the flow (a case, a procedure or the staff)
	Procedure string `json:"procedure,omitempty"`
	AskStaff  bool   `json:"ask_staff,omitempty"`
}

type flowQuestionJSON struct {
	ID      string           `json:"id"`
	Text    string           `json:"text"`
	Help    string           `json:"help,omitempty"`
	Audio   string           `json:"audio,omitempty"`
	Answers []flowAnswerJSON `json:"answers"`
}

type flowJSON struct {
	Lang      string             `json:"lang"`
	ID        string             `json:"id"`
	Start     string             `json:"start"`
	Procedure string             `json:"procedure,omitempty"` // the procedure the flow belongs to
	LifeEvent string             `json:"life_event,omitempty"`
	Questions []flowQuestionJSON `json:"questions"`
	Fallback  []string           `json:"fallback,omitempty"`
}

// flowByID answers a flow (a procedure's or a life event's) for the screens
// to ask one question at a time; the answers go back to procedureResult.
func (s *Server) flowByID(w http.ResponseWriter, r *http.Request) {
	lang, ok := queryLang(w, r)
	if !ok {
		return
	}
	pack := s.Content.Get().Pack
	id := r.PathValue("id")
	f := pack.Flow(id)
	if f == nil {
		writeError(w, http.StatusNotFound, "no such flow: "+id)
		return
	}
	l := &content.Localizer{Lang: lang}
	out := flowJSON{Lang: l.Lang, ID: f.ID, Start: f.Start, Questions: []flowQuestionJSON{}}
	for _, p := range pack.Procedures {
		if p.Flow.ID == id {
			out.Procedure = p.Code
		}
	}
	for _, le := range pack.LifeEvents {
		if le.Flow != nil && le.Flow.ID == id {
			out.LifeEvent = le.ID
		}
	}
	for _, q := range f.Questions {
		qj := flowQuestionJSON{ID: q.ID, Text: l.Get(q.ID, q.Text), Help: l.Get(q.ID+".help", q.Help), Audio: q.Audio}
		for _, a := range q.Answers {
			qj.Answers = append(qj.Answers, flowAnswerJSON{ID: a.ID, Text: l.Get(q.ID+"."+a.ID, a.Text),
				Next: a.Next, End: a.Next == "", Procedure: a.Procedure, AskStaff: a.AskStaff})
		}
		out.Questions = append(out.Questions, qj)
	}
	out.Fallback = l.Fallback()
	writeJSON(w, http.StatusOK, out)
}

type resultRequest struct {
	Answers map[string]string `json:"answers"`
}

type reviewJSON struct {
	Question     string `json:"question"`
	QuestionText string `json:"question_text"`
	Answer       string `json:"answer"`
	AnswerText   string `json:"answer_text"`
}

// Result statuses.
const (
	statusOK         = "ok"
	statusAskStaff   = "ask_staff"  // fail closed: no data for this situation
	statusIncomplete = "incomplete" // answer Next first
)

type resultJSON struct {
	Lang          string         `json:"lang"`
	Status        string         `json:"status"`
	Next          string         `json:"next,omitempty"`
	Code          string         `json:"code"`
	NationalCode  bool           `json:"national_code"`
	Title         string         `json:"title"`
	Review        []reviewJSON   `json:"review"`
	Office        content.Office `json:"office"`
	Case          *caseJSON      `json:"case,omitempty"`
	Documents     []documentJSON `json:"documents,omitempty"`
	Fee           *feeJSON       `json:"fee,omitempty"`  // the fee this person pays at the office
	Fees          []feeJSON      `json:"fees,omitempty"` // per channel
	OnlineCheaper bool           `json:"online_cheaper"`
	Exemptions    []string       `json:"exemptions,omitempty"`
	Time          *timeJSON      `json:"time,omitempty"`
	Channels      []channelJSON  `json:"channels,omitempty"`
	Steps         []string       `json:"steps,omitempty"`
	Result        string         `json:"result,omitempty"`
	Notes         []string       `json:"notes,omitempty"`
	Checklist     string         `json:"checklist,omitempty"`
	ChecklistQR   string         `json:"checklist_qr,omitempty"` // data: URL
	PortalURL     string         `json:"portal_url"`
	PortalQR      string         `json:"portal_qr"`
	provenanceJSON
	Fallback []string `json:"fallback,omitempty"`
}

// procedureResult tailors a procedure to the answers given. It fails closed:
// answers it cannot follow, or a situation the data does not cover, give
// status ask_staff with no fee, time or documents at all.
func (s *Server) procedureResult(w http.ResponseWriter, r *http.Request) {
	lang, ok := queryLang(w, r)
	if !ok {
		return
	}
	pack, p := s.procedureOf(w, r)
	if p == nil {
		return
	}
	var req resultRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	l := &content.Localizer{Lang: lang}
	t, err := p.Tailor(req.Answers)
	out := resultJSON{Lang: l.Lang, Code: p.Code, NationalCode: p.NationalCode(), Title: l.Get("plain_name", p.PlainName),
		Review: review(l, &p.Flow, t.Walk.Path), Office: content.ResolveOffice(s.Config.Commune.Offices, p.Office, officeClock()),
		PortalURL: p.PortalURL(), provenanceJSON: provenance(p)}
	out.PortalQR, _ = qr.DataURL(out.PortalURL, portalQRSize)
	switch {
	case errors.Is(err, content.ErrIncomplete):
		out.Status, out.Next = statusIncomplete, t.Walk.Next
	case err != nil:
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	case t.AskStaff:
		out.Status = statusAskStaff
	default:
		out.Status = statusOK
		s.fillResult(&out, l, &t, pack)
	}
	out.Fallback = l.Fallback()
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) fillResult(out *resultJSON, l *content.Localizer, t *content.Tailored, pack *content.Pack) {
	p := t.Procedure
	out.Case = &caseJSON{ID: t.Case.ID, Name: l.Get("case", t.Case.Name), Code: t.Case.Code}
	for _, d := range t.Documents {
		out.Documents = append(out.Documents, documentJSON{Name: l.Get("documents", d.Name), Short: l.Get("documents.short", d.Short),
			Originals: d.Originals, Copies: d.Copies, Form: d.Form, Action: d.Action, Replaceable: d.Replaceable, Note: l.Get("documents.note", d.Note)})
	}
	for _, cf := range t.Fees {
		out.Fees = append(out.Fees, feeOf(l, cf.Channel, cf.Fee))
	}
	main := feeOf(l, "", t.MainFee())
	out.Fee = &main
	out.OnlineCheaper = t.OnlineCheaper()
	out.Exemptions = localTexts(l, "exemptions", p.Exemptions)
	tj := timeOf(l, t.Time)
	out.Time = &tj
	out.Channels = channels(l, p.Channels)
	out.Steps = localTexts(l, "steps", p.Steps)
	out.Result = l.Get("result", p.Result)
	out.Notes = append(localTexts(l, "notes", p.Notes), localTexts(l, "case.notes", t.Case.Notes)...)
	if pack.Assistant != nil {
		out.Checklist = t.Checklist(pack.Assistant.Checklist, l.Lang, out.Office.Line())
		out.ChecklistQR, _ = qr.DataURL(out.Checklist, checklistQRSize)
	}
}

// feeOf describes a fee; a nil fee (no rule applies) is kind unknown.
func feeOf(l *content.Localizer, channel string, f *content.Fee) feeJSON {
	if f == nil {
		return feeJSON{Channel: channel, Kind: content.FeeUnknown}
	}
	fj := feeJSON{Channel: channel, Kind: f.Kind, Per: l.Get("fee.per", f.Per), Note: l.Get("fee.note", f.Note), Basis: f.Basis}
	if f.Kind == content.FeeAmount {
		fj.Amount, fj.AmountText = f.Amount, content.Dong(f.Amount)
	}
	return fj
}

// review lists the answers on the path, for the check-your-answers screen.
func review(l *content.Localizer, f *flow.Flow, path []flow.Step) []reviewJSON {
	out := []reviewJSON{}
	for _, st := range path {
		q := f.Question(st.Question)
		a := q.Answer(st.Answer)
		out = append(out, reviewJSON{Question: q.ID, QuestionText: l.Get(q.ID, q.Text),
			Answer: a.ID, AnswerText: l.Get(q.ID+"."+a.ID, a.Text)})
	}
	return out
}
