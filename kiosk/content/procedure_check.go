package content

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"tramso/kiosk/flow"
)

// codePattern is a national procedure code: 1.001193, 2.000815…
var codePattern = regexp.MustCompile(`^[0-9]\.[0-9]{6}$`)

// slugPattern names a service with no single national code (a linked service
// that bundles several procedures); it is never shown as a code.
var slugPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{2,40}$`)

// The closed lists a procedure's fields are checked against. The exported
// ones are also the value types of the screens (kiosk/api/contract.go).
var (
	DocActions   = []string{HandIn, Show}
	FeeKinds     = []string{FeeFree, FeeAmount, FeeProvince, FeeUnknown}
	feeChannels  = []string{"", "in_person", "post", "online"}
	ChannelKinds = []string{"in_person", "post", "online", "vneid"}
	TimeUnits    = []string{"immediate", "same_day", "working_day", "day", "hour", "unknown"}
	evidences    = []string{"S", "S2", "B"}
)

// FeeChannels is the closed list of a fee rule's channel ("" is every
// channel), for the studio's forms; a copy, so callers cannot change lint.
func FeeChannels() []string { return append([]string(nil), feeChannels...) }

// Evidences is the closed list of evidence labels (PROCEDURES.md: S
// primary, S2 secondary, B unconfirmed), for the studio's forms.
func Evidences() []string { return append([]string(nil), evidences...) }

// procChecker validates one procedure file; messages name the file and field.
type procChecker struct {
	probs *Problems
	file  string
}

func (c procChecker) add(field, format string, args ...any) {
	c.probs.add(c.file, field, format, args...)
}

// text checks a text a resident reads, and keeps it within what the
// result screen and the take-home checklist can show: a pasted page of
// law in a document's name would push everything else off the screen.
func (c procChecker) text(field string, t Text, required bool) {
	checkText(t, c.probs, c.file, field, required)
	c.short(field, t, textCeiling(field))
}

// The most characters in a procedure's texts. A name or a short label is
// one line, anything else a short paragraph (the starter's longest: 132
// and 222). plain_name, result and summary are read at a glance on the
// list and the result card (the starter's longest: 68 and 133).
const (
	maxPlainName = 100
	maxSummary   = 300
	maxLabel     = 200
	maxParagraph = 600
)

// textCeiling is the most characters the text at field may have.
func textCeiling(field string) int {
	switch {
	case field == "plain_name" || field == "result":
		return maxPlainName
	case field == "summary":
		return maxSummary
	case strings.HasSuffix(field, ".name") || strings.HasSuffix(field, ".short") || strings.HasSuffix(field, ".per"):
		return maxLabel
	}
	return maxParagraph
}

func (c procChecker) short(field string, t Text, max int) {
	tooLong(t, max, func(format string, args ...any) { c.add(field, format, args...) })
}

func (c procChecker) oneOf(field, v string, allowed []string) {
	if !slices.Contains(allowed, v) {
		c.add(field, "%q is not one of %q", v, allowed)
	}
}

// checkProcedures validates every procedure, the life events and the flows,
// including that flow ids are unique across the pack.
func checkProcedures(p *Pack, probs *Problems) {
	codes := map[string]bool{}
	for i := range p.Procedures {
		pr := &p.Procedures[i]
		c := procChecker{probs: probs, file: pr.file}
		if codes[pr.Code] {
			c.add("code", "code %q is used by another procedure", pr.Code)
		}
		codes[pr.Code] = true
	}
	for i := range p.Procedures {
		procChecker{probs: probs, file: p.Procedures[i].file}.procedure(&p.Procedures[i], p, codes)
	}
	for i := range p.LifeEvents {
		checkLifeEvent(probs, i, &p.LifeEvents[i], codes)
	}
	for _, ref := range p.Flows() {
		answerChannels(probs, ref.File, ref.Flow, p)
	}
	flows := map[string]string{}
	for _, ref := range p.Flows() {
		if first, dup := flows[ref.Flow.ID]; dup && ref.Flow.ID != "" {
			probs.add(ref.File, "flow.id", "flow id %q is already used in %s", ref.Flow.ID, first)
		}
		flows[ref.Flow.ID] = ref.File
	}
}

func (c procChecker) procedure(pr *Procedure, p *Pack, codes map[string]bool) {
	if !codePattern.MatchString(pr.Code) && !slugPattern.MatchString(pr.Code) {
		c.add("code", "%q is not a national procedure code like 1.001193 (or, for a linked service with no code, a slug like lien-thong-khai-sinh)", pr.Code)
	}
	for i, rc := range pr.RelatedCodes {
		if !codePattern.MatchString(rc) {
			c.add(fmt.Sprintf("related_codes[%d]", i+1), "%q is not a procedure code", rc)
		}
	}
	required := map[string]string{"name": pr.Name, "level": pr.Level, "agency": pr.Agency, "office": pr.Office}
	for _, field := range sortedKeys(required) {
		if strings.TrimSpace(required[field]) == "" {
			c.add(field, "is required")
		}
	}
	c.text("plain_name", pr.PlainName, true)
	c.text("summary", pr.Summary, true)
	c.text("result", pr.Result, true)
	if n := utf8.RuneCountInString(pr.Name); n > maxLabel {
		c.add("name", "is %d characters; keep it to at most %d", n, maxLabel)
	}
	if p.Assistant != nil && p.Assistant.Field(pr.Field) == nil {
		c.add("field", "field %q is not listed in %s", pr.Field, lifeEventsFile)
	}
	for i, t := range pr.Conditions {
		c.text(fmt.Sprintf("conditions[%d]", i+1), t, true)
	}
	for i, t := range pr.Exemptions {
		c.text(fmt.Sprintf("exemptions[%d]", i+1), t, true)
	}
	for i, t := range pr.Notes {
		c.text(fmt.Sprintf("notes[%d]", i+1), t, true)
	}
	if len(pr.Steps) == 0 {
		c.add("steps", "at least one step is required")
	}
	for i, t := range pr.Steps {
		c.text(fmt.Sprintf("steps[%d]", i+1), t, true)
	}
	tags := flowTags(&pr.Flow)
	c.documents("documents", pr.Documents, tags)
	c.cases(pr, tags)
	c.somethingToBring(pr)
	c.fees(pr, tags)
	c.duration("time", &pr.Time)
	for i, d := range pr.Deadline {
		f := fmt.Sprintf("deadline[%d]", i+1)
		c.text(f+".text", d.Text, true)
		c.tagsSet(f+".if", d.If, tags)
	}
	c.channels(pr.Channels)
	c.provenance(pr)
	c.flow(pr, codes)
}

func (c procChecker) documents(field string, docs []Document, tags flowTagSet) {
	for i, d := range docs {
		f := fmt.Sprintf("%s[%d]", field, i+1)
		c.text(f+".name", d.Name, true)
		c.text(f+".short", d.Short, false)
		c.text(f+".note", d.Note, false)
		c.oneOf(f+".action", d.Action, DocActions)
		if d.Originals < 0 || d.Copies < 0 || d.Originals > 20 || d.Copies > 20 {
			c.add(f, "originals and copies must be 0..20")
		}
		c.tagsSet(f+".if", d.If, tags)
	}
}

// somethingToBring checks that every resident who reaches a case is told at
// least one paper to bring: the result card and the take-home QR otherwise
// show "Giấy tờ cần mang" over nothing (outside QA s27, finding 1). The
// schema has no way to say that no paper is needed, so none is never right.
func (c procChecker) somethingToBring(pr *Procedure) {
	if len(pr.Documents) == 0 && !slices.ContainsFunc(pr.Cases, func(cs Case) bool { return len(cs.Documents) > 0 }) {
		c.add("documents", "no document is listed: residents would get an empty list of papers to bring; add at least one")
		return
	}
	reported := map[string]bool{}
	eachPath(&pr.Flow, func(answers map[string]string) {
		t, err := pr.Tailor(answers)
		if err != nil || t.AskStaff || t.Case == nil || len(t.Documents) > 0 || reported[t.Case.ID] {
			return
		}
		reported[t.Case.ID] = true
		i := slices.IndexFunc(pr.Cases, func(cs Case) bool { return cs.ID == t.Case.ID })
		c.add(fmt.Sprintf("cases[%d].documents", i+1), "case %q: no document applies after the answers %q: residents would get an empty list of papers to bring; add at least one",
			t.Case.Name.Vi(), answerWords(&pr.Flow, t.Walk.Path))
	})
}

// maxSteps bounds the walk over every path of answers: the starter's
// largest flow takes a few hundred steps, and a draft that loops or a
// fuzzed flow must not take forever (review s27: 18 looping questions ran
// for minutes when only the ends were counted).
const maxSteps = 1 << 14

// eachPath calls visit with every set of answers that takes a resident
// from f's start to an end, as the kiosk asks them: a question the same as
// one answered before is not asked again (flow.Question.SameAs). A broken
// or looping flow, which flow.Lint reports, is walked as far as it goes:
// a question already on the path is not asked again, and the walk stops
// after maxSteps questions in all.
func eachPath(f *flow.Flow, visit func(answers map[string]string)) {
	steps := 0
	var walk func(id string, answers map[string]string)
	walk = func(id string, answers map[string]string) {
		q := f.Question(id)
		if q == nil || steps >= maxSteps {
			return
		}
		if _, asked := answers[q.ID]; asked {
			return // a loop
		}
		steps++
		choices := q.Answers
		if aid, ok := answers[q.SameAs]; ok && q.SameAs != "" {
			if a := q.Answer(aid); a != nil {
				choices = []flow.Answer{*a}
			}
		}
		for _, a := range choices {
			next := maps.Clone(answers)
			next[q.ID] = a.ID
			if a.Next != "" {
				walk(a.Next, next)
				continue
			}
			visit(next)
		}
	}
	walk(f.Start, map[string]string{})
}

// answerWords are the Vietnamese answers of a path, as the resident touched
// them, a bare "Có" or "Không" with its question: "Đã quá 60 ngày → Có cha
// mẹ đã kết hôn? — Có".
func answerWords(f *flow.Flow, path []flow.Step) string {
	var out []string
	for _, st := range path {
		q := f.Question(st.Question)
		if q == nil || q.Answer(st.Answer) == nil {
			continue
		}
		a := strings.TrimSpace(q.Answer(st.Answer).Text.Vi())
		if len(strings.Fields(a)) <= 2 {
			a = strings.TrimSpace(q.Text.Vi()) + " — " + a
		}
		out = append(out, a)
	}
	return strings.Join(out, " → ")
}

func (c procChecker) tagsSet(field string, want []string, tags flowTagSet) {
	for i, t := range want {
		if _, ok := tags[t]; !ok {
			c.add(field, "tag %q is never set by the flow, so this can never apply", t)
			continue
		}
		for _, u := range want[i+1:] {
			if tags.exclusive(t, u) {
				c.add(field, "tags %q and %q are set by different answers to one question, so this can never apply", t, u)
			}
		}
	}
}

func (c procChecker) cases(pr *Procedure, tags flowTagSet) {
	if len(pr.Cases) == 0 {
		c.add("cases", "at least one case is required")
	}
	seen := map[string]bool{}
	ends := map[string]bool{}
	for _, e := range pr.Flow.Ends() {
		ends[e] = true
	}
	for i := range pr.Cases {
		cs := &pr.Cases[i]
		f := fmt.Sprintf("cases[%d]", i+1)
		if cs.ID == "" || seen[cs.ID] {
			c.add(f+".id", "missing or repeated case id %q", cs.ID)
		}
		seen[cs.ID] = true
		c.text(f+".name", cs.Name, true)
		if cs.Code != "" && !codePattern.MatchString(cs.Code) {
			c.add(f+".code", "%q is not a procedure code", cs.Code)
		}
		c.documents(f+".documents", cs.Documents, tags)
		if cs.Time != nil {
			c.duration(f+".time", cs.Time)
		}
		if !ends["case:"+cs.ID] {
			c.add(f+".id", "case %q is never reached by the flow", cs.ID)
		}
	}
}

func (c procChecker) fees(pr *Procedure, tags flowTagSet) {
	if len(pr.Fees) == 0 {
		c.add("fees", "at least one fee rule is required (kind: unknown says there is no data)")
	}
	for i, fe := range pr.Fees {
		f := fmt.Sprintf("fees[%d]", i+1)
		c.oneOf(f+".kind", fe.Kind, FeeKinds)
		c.oneOf(f+".channel", fe.Channel, feeChannels)
		switch {
		case fe.Kind == FeeAmount && fe.Amount <= 0:
			c.add(f+".amount", "an amount in đồng is required for kind amount")
		case fe.Kind != FeeAmount && fe.Amount != 0:
			c.add(f+".amount", "only kind amount carries an amount (kind %q)", fe.Kind)
		}
		if fe.Kind == FeeAmount && fe.Evidence == "" {
			c.add(f+".evidence", "an amount needs its evidence label (S, S2 or B)")
		}
		if fe.Evidence != "" {
			c.oneOf(f+".evidence", fe.Evidence, evidences)
		}
		c.text(f+".per", fe.Per, false)
		c.text(f+".note", fe.Note, false)
		c.tagsSet(f+".if", fe.If, tags)
	}
}

func (c procChecker) duration(field string, d *Duration) {
	c.oneOf(field+".unit", d.Unit, TimeUnits)
	switch d.Unit {
	case "working_day", "day", "hour":
		if d.Amount <= 0 {
			c.add(field+".amount", "unit %q needs an amount", d.Unit)
		}
		if d.Evidence == "" {
			c.add(field+".evidence", "a processing time needs its evidence label (S, S2 or B)")
		}
	default:
		if d.Amount != 0 {
			c.add(field+".amount", "unit %q takes no amount", d.Unit)
		}
	}
	if d.Evidence != "" {
		c.oneOf(field+".evidence", d.Evidence, evidences)
	}
	c.text(field+".note", d.Note, false)
}

func (c procChecker) channels(chs []Channel) {
	if len(chs) == 0 {
		c.add("channels", "at least one channel is required")
	}
	seen := map[string]bool{}
	for i, ch := range chs {
		f := fmt.Sprintf("channels[%d]", i+1)
		c.oneOf(f+".kind", ch.Kind, ChannelKinds)
		if seen[ch.Kind] {
			c.add(f+".kind", "channel %q is listed twice", ch.Kind)
		}
		seen[ch.Kind] = true
		c.text(f+".note", ch.Note, false)
		if vi, _ := ch.Note.In("vi"); restates(vi, channelWords[ch.Kind]) {
			c.probs.advise(c.file, f+".note", "the note repeats the way of filing (%q), which the screen already names before it; say only what is added", channelWords[ch.Kind])
		}
	}
}

// channelWords are what the screen's label for each way of filing already
// says ("Nộp qua Cổng Dịch vụ công quốc gia"); a note that says it again is
// read twice, as "…: Trên Cổng Dịch vụ công quốc gia; …" was.
var channelWords = map[string][]string{
	"in_person": {"nộp trực tiếp", "đến nộp"},
	"post":      {"bưu điện", "bưu chính"},
	"online":    {"cổng dịch vụ công", "qua mạng", "trực tuyến"},
	"vneid":     {"vneid"},
}

// restates reports whether note contains one of words, ignoring case.
func restates(note string, words []string) bool {
	note = strings.ToLower(note)
	for _, w := range words {
		if strings.Contains(note, w) {
			return true
		}
	}
	return false
}

// answerChannels checks the ways of filing that answers choose: only an
// answer handing over to a procedure chooses one, and it must be one that
// procedure offers.
func answerChannels(probs *Problems, file string, f *flow.Flow, p *Pack) {
	for _, q := range f.Questions {
		for _, a := range q.Answers {
			if a.Channel == "" {
				continue
			}
			field := "flow.questions[" + q.ID + "].answers[" + a.ID + "].channel"
			target := p.Procedure(a.Procedure)
			switch {
			case a.Procedure == "":
				probs.add(file, field, "only an answer that hands over to a procedure chooses a way of filing")
			case target != nil && !offers(target, a.Channel):
				probs.add(file, field, "procedure %s is not filed %q", a.Procedure, a.Channel)
			}
		}
	}
}

func offers(pr *Procedure, kind string) bool {
	for _, ch := range pr.Channels {
		if ch.Kind == kind {
			return true
		}
	}
	return false
}

func (c procChecker) provenance(pr *Procedure) {
	if len(pr.LegalBasis) == 0 {
		c.add("legal_basis", "at least one legal document is required")
	}
	for i, b := range pr.LegalBasis {
		if strings.TrimSpace(b.Document) == "" {
			c.add(fmt.Sprintf("legal_basis[%d].document", i+1), "is required")
		}
	}
	if len(pr.Sources) == 0 {
		c.add("sources", "at least one source is required")
	}
	for i, s := range pr.Sources {
		f := fmt.Sprintf("sources[%d]", i+1)
		if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			c.add(f+".url", "%q is not a web address", s.URL)
		}
		c.oneOf(f+".evidence", s.Evidence, evidences)
		if why := s.Obsolete(); why != "" {
			c.add(f+".url", "%s", why)
		}
		if _, ok := s.ReadOn.Time(); s.ReadOn != "" && !ok {
			c.add(f+".read_on", "%q is not a date like 2026-12-04", s.ReadOn)
		}
	}
	c.oneOf("evidence", pr.Evidence, evidences)
	verified, ok := pr.VerifiedOn.Time()
	if !ok {
		c.add("verified_on", "%q is not a date like 2026-11-27", pr.VerifiedOn)
	}
	c.liveCheck(pr.LiveCheck, verified, ok)
	if pr.ValidUntil != "" {
		until, ok2 := pr.ValidUntil.Time()
		switch {
		case !ok2:
			c.add("valid_until", "%q is not a date like 2027-03-01", pr.ValidUntil)
		case ok && !until.After(verified):
			c.add("valid_until", "%s is not after verified_on %s", pr.ValidUntil, pr.VerifiedOn)
		}
	}
}

// liveCheck validates the record of a check against the live sources: a day
// no earlier than the facts were compiled, who checked and against what.
func (c procChecker) liveCheck(lc *LiveCheck, compiled time.Time, compiledOK bool) {
	if lc == nil {
		return
	}
	on, ok := lc.On.Time()
	switch {
	case !ok:
		c.add("live_check.on", "%q is not a date like 2027-01-15", lc.On)
	case compiledOK && on.Before(compiled):
		c.add("live_check.on", "%s is before verified_on, the day the facts were compiled", lc.On)
	}
	if strings.TrimSpace(lc.By) == "" {
		c.add("live_check.by", "say who checked (name and office)")
	}
	if strings.TrimSpace(lc.Against) == "" {
		c.add("live_check.against", "say what was compared (the portal record, the province's decision)")
	}
}

// flow lints the procedure's flow against its cases and the pack's codes.
func (c procChecker) flow(pr *Procedure, codes map[string]bool) {
	cases := map[string]bool{}
	for _, cs := range pr.Cases {
		cases[cs.ID] = true
	}
	for _, prob := range flow.Lint(&pr.Flow, flow.Targets{Cases: cases, Procedures: codes}) {
		c.add("flow."+prob.Field, "%s", prob.Message)
	}
	flowTexts(c.probs, c.file, "flow", &pr.Flow)
}

// flowTexts checks the languages of a flow's texts.
func flowTexts(probs *Problems, file, field string, f *flow.Flow) {
	for _, q := range f.Questions {
		qf := field + ".questions[" + q.ID + "]"
		checkText(q.Text, probs, file, qf+".text", false)
		checkText(q.Help, probs, file, qf+".help", false)
		for _, a := range q.Answers {
			checkText(a.Text, probs, file, qf+".answers["+a.ID+"].text", false)
		}
	}
}

// flowTagSet is every tag some answer of a flow sets, with the answers
// (question/answer) that set it.
type flowTagSet map[string][]string

// flowTags is every tag some answer of f sets.
func flowTags(f *flow.Flow) flowTagSet {
	tags := flowTagSet{}
	for _, q := range f.Questions {
		for _, a := range q.Answers {
			for _, t := range a.Tags {
				tags[t] = append(tags[t], q.ID+"/"+a.ID)
			}
		}
	}
	return tags
}

// exclusive says whether a rule needing both t and u can never apply:
// every answer that sets either is an answer of one and the same question,
// and none sets both. A resident picks one answer of a question ("Chưa quá
// 60 ngày" or "Đã quá 60 ngày"), and the studio's boxes let both be ticked.
func (s flowTagSet) exclusive(t, u string) bool {
	question := ""
	for _, qa := range append(slices.Clone(s[t]), s[u]...) {
		q, _, _ := strings.Cut(qa, "/")
		if question != "" && q != question {
			return false
		}
		question = q
	}
	for _, qa := range s[t] {
		if slices.Contains(s[u], qa) {
			return false
		}
	}
	return question != ""
}

func checkLifeEvent(probs *Problems, i int, le *LifeEvent, codes map[string]bool) {
	field := fmt.Sprintf("life_events[%d]", i+1)
	if le.ID == "" {
		probs.add(lifeEventsFile, field+".id", "is required")
	}
	checkText(le.Title, probs, lifeEventsFile, field+".title", true)
	checkText(le.Summary, probs, lifeEventsFile, field+".summary", false)
	if len(le.Procedures) == 0 {
		probs.add(lifeEventsFile, field+".procedures", "a life event needs at least one procedure")
	}
	for j, code := range le.Procedures {
		if !codes[code] {
			probs.add(lifeEventsFile, fmt.Sprintf("%s.procedures[%d]", field, j+1), "procedure %q is not in the pack", code)
		}
	}
	if le.Flow == nil {
		return
	}
	// A life event's flow chooses a procedure; it has no cases of its own.
	for _, prob := range flow.Lint(le.Flow, flow.Targets{Cases: map[string]bool{}, Procedures: codes}) {
		probs.add(lifeEventsFile, field+".flow."+prob.Field, "%s", prob.Message)
	}
	flowTexts(probs, lifeEventsFile, field+".flow", le.Flow)
}
