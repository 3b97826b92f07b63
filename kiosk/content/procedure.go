package content

import (
	"io/fs"
	"net/url"
	"slices"
	"time"

	"tramso/kiosk/flow"
)

// Procedure is one administrative procedure, with the fields of Vietnam's
// national database of administrative procedures (CSDLQG về TTHC) plus what the
// kiosk needs: a plain name, aliases residents use, the office that receives
// files, a guided flow and the provenance of every fact.
type Procedure struct {
	Code         string     `yaml:"code" json:"code"`                                       // mã thủ tục, e.g. 1.001193
	RelatedCodes []string   `yaml:"related_codes,omitempty" json:"related_codes,omitempty"` // variants (mobile, combined…)
	Name         string     `yaml:"name" json:"name"`                                       // official name (tên thủ tục)
	PlainName    Text       `yaml:"plain_name" json:"plain_name"`
	Summary      Text       `yaml:"summary" json:"summary"` // one line: who needs it
	Field        string     `yaml:"field" json:"field"`     // lĩnh vực id, see life-events.yaml fields
	Level        string     `yaml:"level" json:"level"`     // cấp thực hiện
	Agency       string     `yaml:"agency" json:"agency"`   // cơ quan thực hiện (deciding agency)
	Office       string     `yaml:"office" json:"office"`   // receiving office id in the commune overlay
	Aliases      []string   `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	Conditions   []Text     `yaml:"conditions,omitempty" json:"conditions,omitempty"`
	Documents    []Document `yaml:"documents,omitempty" json:"documents,omitempty"` // for every case
	Cases        []Case     `yaml:"cases" json:"cases"`
	Fees         []Fee      `yaml:"fees" json:"fees"`
	Exemptions   []Text     `yaml:"exemptions,omitempty" json:"exemptions,omitempty"`
	Time         Duration   `yaml:"time" json:"time"`
	// Deadline is by when the person must file (hạn đăng ký: "within 60
	// days of the birth"), as rules: the first whose flow tags all hold
	// applies; none means no deadline to tell this person.
	Deadline   []Deadline `yaml:"deadline,omitempty" json:"deadline,omitempty"`
	Steps      []Text     `yaml:"steps" json:"steps"`
	Channels   []Channel  `yaml:"channels" json:"channels"`
	Result     Text       `yaml:"result" json:"result"`
	LegalBasis []Basis    `yaml:"legal_basis" json:"legal_basis"`
	Decision   string     `yaml:"decision,omitempty" json:"decision,omitempty"` // quyết định công bố
	// PortalKeyword is what the national portal's search is given; the code
	// when empty.
	PortalKeyword string   `yaml:"portal_keyword,omitempty" json:"portal_keyword,omitempty"`
	Sources       []Source `yaml:"sources" json:"sources"`
	// VerifiedOn is the day the facts were compiled from Sources (stored
	// copies of public pages). It is not a check against the live national
	// record: that is LiveCheck, absent until someone makes it.
	VerifiedOn Date       `yaml:"verified_on" json:"verified_on"`
	LiveCheck  *LiveCheck `yaml:"live_check,omitempty" json:"live_check,omitempty"`
	ValidUntil Date       `yaml:"valid_until,omitempty" json:"valid_until,omitempty"`
	Evidence   string     `yaml:"evidence" json:"evidence"` // S, S2 or B: the weakest label among the facts
	Notes      []Text     `yaml:"notes,omitempty" json:"notes,omitempty"`
	Flow       flow.Flow  `yaml:"flow" json:"-"`

	file string // where it was loaded from, for problems
}

// Case is one trường hợp of a procedure, with its own documents.
type Case struct {
	ID        string     `yaml:"id" json:"id"`
	Name      Text       `yaml:"name" json:"name"`
	Code      string     `yaml:"code,omitempty" json:"code,omitempty"` // when the case is filed under its own code
	Documents []Document `yaml:"documents,omitempty" json:"documents,omitempty"`
	Time      *Duration  `yaml:"time,omitempty" json:"time,omitempty"` // overrides the procedure's time
	Notes     []Text     `yaml:"notes,omitempty" json:"notes,omitempty"`
}

// Document is one paper of the file (thành phần hồ sơ).
type Document struct {
	Name        Text     `yaml:"name" json:"name"`
	Short       Text     `yaml:"short,omitempty" json:"short,omitempty"` // abbreviation for the phone checklist
	Originals   int      `yaml:"originals" json:"originals"`
	Copies      int      `yaml:"copies" json:"copies"`
	Form        string   `yaml:"form,omitempty" json:"form,omitempty"`               // form code (CT01…)
	Action      string   `yaml:"action" json:"action"`                               // hand_in | show
	Replaceable bool     `yaml:"replaceable,omitempty" json:"replaceable,omitempty"` // state-held data may replace it
	If          []string `yaml:"if,omitempty" json:"-"`                              // flow tags that must all be set
	Note        Text     `yaml:"note,omitempty" json:"note,omitempty"`
}

// Document actions.
const (
	HandIn = "hand_in"
	Show   = "show"
)

// Fee is one fee rule. The first rule whose tags all hold and whose channel
// matches applies; no rule means no data, and the assistant says to ask.
type Fee struct {
	If       []string `yaml:"if,omitempty" json:"-"`
	Channel  string   `yaml:"channel,omitempty" json:"channel,omitempty"` // "" = every channel
	Kind     string   `yaml:"kind" json:"kind"`                           // free | amount | province | unknown
	Amount   int64    `yaml:"amount,omitempty" json:"amount,omitempty"`   // đồng, for kind amount
	Per      Text     `yaml:"per,omitempty" json:"per,omitempty"`
	Note     Text     `yaml:"note,omitempty" json:"note,omitempty"`
	Basis    string   `yaml:"basis,omitempty" json:"basis,omitempty"`
	Evidence string   `yaml:"evidence,omitempty" json:"evidence,omitempty"`
}

// Fee kinds. Province means the HĐND tỉnh sets an amount the pack does not
// know: the commune office will tell the resident. Nothing is ever guessed.
const (
	FeeFree     = "free"
	FeeAmount   = "amount"
	FeeProvince = "province"
	FeeUnknown  = "unknown"
)

// Duration is a processing time (thời hạn giải quyết).
type Duration struct {
	Amount   int    `yaml:"amount,omitempty" json:"amount,omitempty"`
	Unit     string `yaml:"unit" json:"unit"` // working_day | day | hour | immediate | unknown
	Note     Text   `yaml:"note,omitempty" json:"note,omitempty"`
	Evidence string `yaml:"evidence,omitempty" json:"evidence,omitempty"`
}

// Stated reports whether the data gives the time; "unknown" leaves it to the staff.
func (d Duration) Stated() bool { return d.Unit != "unknown" && d.Unit != "" }

// Deadline is one deadline rule: Text applies when every tag of If is set.
type Deadline struct {
	If   []string `yaml:"if,omitempty" json:"-"`
	Text Text     `yaml:"text" json:"text"`
}

// FeeRule returns the fee rule written for exactly these tags, for any
// channel (nil if none): the studio and its tests find a rule by what it is
// for, not by its place in the list.
func (pr *Procedure) FeeRule(tags ...string) *Fee {
	for i := range pr.Fees {
		if f := &pr.Fees[i]; f.Channel == "" && slices.Equal(f.If, tags) {
			return f
		}
	}
	return nil
}

// OnlineOnly says whether the procedure is filed only over the internet
// (the national portal or VNeID): no office takes the papers, so the result
// says where to file online and gives the office only as where to ask.
func (pr *Procedure) OnlineOnly() bool {
	for _, c := range pr.Channels {
		if c.Kind != "online" && c.Kind != "vneid" {
			return false
		}
	}
	return len(pr.Channels) > 0
}

// Channel is one way to file (cách thức thực hiện).
type Channel struct {
	Kind string `yaml:"kind" json:"kind"` // in_person | post | online | vneid
	Note Text   `yaml:"note,omitempty" json:"note,omitempty"`
}

// Basis is one legal document the facts rest on.
type Basis struct {
	Document string `yaml:"document" json:"document"`
	Articles string `yaml:"articles,omitempty" json:"articles,omitempty"`
}

// Source is where the facts were read, with the evidence label of
// PROCEDURES.md (S primary, S2 secondary, B unconfirmed), what it says and
// the day it was read.
type Source struct {
	URL      string `yaml:"url" json:"url"`
	Evidence string `yaml:"evidence" json:"evidence"`
	Note     string `yaml:"note,omitempty" json:"note,omitempty"`
	ReadOn   Date   `yaml:"read_on,omitempty" json:"read_on,omitempty"`
}

// LiveCheck records that a person compared the facts with the live record on
// the national public-service portal and the province's publication decision
// (Quyết định công bố), when, and who: the kiosk says "checked" only then.
type LiveCheck struct {
	On      Date   `yaml:"on" json:"on"`
	By      string `yaml:"by" json:"by"`           // name and office of who checked
	Against string `yaml:"against" json:"against"` // what was compared: the portal record, the decision number
}

// NationalCode reports whether Code is a national procedure code (and not
// the slug of a linked service).
func (p *Procedure) NationalCode() bool { return codePattern.MatchString(p.Code) }

// PortalURL is the procedure's search page on the national public-service
// portal (the documented route since the 2025 rebuild).
func (p *Procedure) PortalURL() string {
	kw := p.PortalKeyword
	if kw == "" {
		kw = p.Code
	}
	return portalSearch(kw)
}

// PortalURL is the portal's search page for what this person files: the
// case's own code when it has one (a birth together with recognition of the
// father is filed as 1.000689, not the procedure's 1.001193), else the
// procedure's search (Procedure.PortalURL).
func (t *Tailored) PortalURL() string {
	if t.Case != nil && t.Case.Code != "" {
		return portalSearch(t.Case.Code)
	}
	return t.Procedure.PortalURL()
}

func portalSearch(keyword string) string {
	return "https://dichvucong.gov.vn/tim-kiem-thu-tuc-hanh-chinh?keyword=" + url.QueryEscape(keyword)
}

// Case returns the case with id, or nil.
func (p *Procedure) Case(id string) *Case {
	for i := range p.Cases {
		if p.Cases[i].ID == id {
			return &p.Cases[i]
		}
	}
	return nil
}

// Procedure returns the procedure with code, or nil.
func (p *Pack) Procedure(code string) *Procedure {
	for i := range p.Procedures {
		if p.Procedures[i].Code == code {
			return &p.Procedures[i]
		}
	}
	return nil
}

// Flow returns the flow with id — a procedure's or a life event's — or nil.
// `tramso pack lint` draws it with flow.Diagram(pack.Flow(id), "mermaid").
func (p *Pack) Flow(id string) *flow.Flow {
	for i := range p.Procedures {
		if p.Procedures[i].Flow.ID == id {
			return &p.Procedures[i].Flow
		}
	}
	for i := range p.LifeEvents {
		if f := p.LifeEvents[i].Flow; f != nil && f.ID == id {
			return f
		}
	}
	return nil
}

// Flows lists every flow of the pack with the file it came from.
func (p *Pack) Flows() []FlowRef {
	var out []FlowRef
	for i := range p.Procedures {
		out = append(out, FlowRef{File: p.Procedures[i].file, Flow: &p.Procedures[i].Flow})
	}
	for i := range p.LifeEvents {
		if f := p.LifeEvents[i].Flow; f != nil {
			out = append(out, FlowRef{File: lifeEventsFile, Flow: f})
		}
	}
	return out
}

// FlowRef is a flow and the pack file that defines it.
type FlowRef struct {
	File string
	Flow *flow.Flow
}

func loadProcedures(fsys fs.FS, p *Pack, probs *Problems) {
	for _, name := range yamlFiles(fsys, "procedures") {
		var pr Procedure
		if err := decodeYAML(fsys, name, &pr); err != nil {
			probs.add(name, "", "%v", err)
			continue
		}
		pr.file = name
		p.Procedures = append(p.Procedures, pr)
	}
	loadAssistant(fsys, p, probs)
	checkProcedures(p, probs)
	checkFlowAudio(fsys, p, probs)
}

// checkFlowAudio reports a question whose narration is not an audio file of
// media/, which the screen would otherwise offer and fail to play.
func checkFlowAudio(fsys fs.FS, p *Pack, probs *Problems) {
	for _, ref := range p.Flows() {
		for _, q := range ref.Flow.Questions {
			if q.Audio == "" {
				continue
			}
			if problem := mediaProblem(fsys, q.Audio, audioExts); problem != "" {
				probs.add(ref.File, "flow.questions["+q.ID+"].audio", "flow %q: %s", ref.Flow.ID, problem)
			}
		}
	}
}

// Date is a calendar day written 2006-01-02.
type Date string

// Time parses the day; ok is false for an empty or malformed date.
func (d Date) Time() (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, string(d))
	return t, err == nil
}

// Display writes the day as Vietnamese readers expect: 27/11/2026.
func (d Date) Display() string { return d.In("vi") }

// In writes the day as a reader of lang expects: 27/11/2026 in Vietnamese
// and in the languages read beside it (Ê Đê, M'nông); "27 Nov 2026" in
// English, where 04/12/2026 reads as the 12th of April (outside QA s28).
func (d Date) In(lang string) string {
	t, ok := d.Time()
	switch {
	case !ok:
		return ""
	case lang == "en":
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

// Inspect reads a pack as far as it can and returns it with every problem
// found, for tools (`tramso pack lint`) that draw the flows of a pack that
// does not load yet: flow.Diagram(pack.Flow(id), "mermaid"). The kiosk itself
// only ever uses Load.
func Inspect(fsys fs.FS) (*Pack, Problems) { return load(fsys) }
