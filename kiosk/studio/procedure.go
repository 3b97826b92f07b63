package studio

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"tramso/kiosk/content"
	"tramso/kiosk/flow"
)

// DiffProcedure lists what changed from before to after, in the order of the
// procedure's fields (content.Procedure) and of its lists; before is the
// approved procedure, which a fee that looks like a slip is compared with.
func DiffProcedure(before, after *content.Procedure) []Change {
	return DiffProcedureSince(before, before, after)
}

// DiffProcedureSince is DiffProcedure of one save of a change: what changed
// since the save before, with fees doubted against approved (nil: none) —
// the procedure as kiosks have it — not against that save: 2.000 → 22.000 →
// 2.000.000 is a thousand times what residents are told to pay, which a
// comparison with 22.000 called ninety (outside QA, finding 14).
func DiffProcedureSince(approved, before, after *content.Procedure) []Change {
	if approved == nil {
		approved = &content.Procedure{}
	}
	d := &differ{}
	w := conditionWords(&after.Flow, &before.Flow)
	var s scope
	d.value(s, "code", "code", before.Code, after.Code)
	d.set(s, "related_codes", "related_codes", before.RelatedCodes, after.RelatedCodes)
	d.value(s, "name", "name", quote(before.Name), quote(after.Name))
	d.text(s, "plain_name", "plain_name", before.PlainName, after.PlainName)
	d.text(s, "summary", "summary", before.Summary, after.Summary)
	d.value(s, "field", "field", before.Field, after.Field)
	d.value(s, "level", "level", quote(before.Level), quote(after.Level))
	d.value(s, "agency", "agency", quote(before.Agency), quote(after.Agency))
	d.value(s, "office", "office", before.Office, after.Office)
	d.set(s, "aliases", "aliases", before.Aliases, after.Aliases)
	texts(d, s, "conditions", "conditions", before.Conditions, after.Conditions)
	list(d, s, "documents", "documents", before.Documents, after.Documents, documentItem(w))
	list(d, s, "cases", "cases", before.Cases, after.Cases, caseItem(w))
	list(d, s, "fees", "fees", before.Fees, after.Fees, feeItem(w))
	doubtFees(d, approved.Fees, after.Fees)
	texts(d, s, "exemptions", "exemptions", before.Exemptions, after.Exemptions)
	d.duration(s, "time", "time", &before.Time, &after.Time)
	list(d, s, "deadline", "deadline", before.Deadline, after.Deadline, deadlineItem(w))
	texts(d, s, "steps", "steps", before.Steps, after.Steps)
	list(d, s, "channels", "channels", before.Channels, after.Channels, channelItem)
	d.text(s, "result", "result", before.Result, after.Result)
	list(d, s, "legal_basis", "legal_basis", before.LegalBasis, after.LegalBasis, basisItem)
	d.value(s, "decision", "decision", quote(before.Decision), quote(after.Decision))
	d.value(s, "portal_keyword", "portal_keyword", quote(before.PortalKeyword), quote(after.PortalKeyword))
	list(d, s, "sources", "sources", before.Sources, after.Sources, sourceItem)
	d.value(s, "verified_on", "verified_on", before.VerifiedOn.Display(), after.VerifiedOn.Display())
	d.value(s, "live_check", "live_check", liveCheck(before.LiveCheck), liveCheck(after.LiveCheck))
	d.value(s, "valid_until", "valid_until", before.ValidUntil.Display(), after.ValidUntil.Display())
	d.value(s, "evidence", "evidence", before.Evidence, after.Evidence)
	texts(d, s, "notes", "notes", before.Notes, after.Notes)
	diffFlow(d, s, "", &before.Flow, &after.Flow)
	return d.out
}

func documentItem(w conditions) item[content.Document] {
	return item[content.Document]{
		id:   func(x content.Document) string { return x.Name.Vi() },
		name: func(x content.Document) string { return quote(x.Name.Vi()) },
		show: func(x content.Document) string {
			var parts []string
			if x.Originals > 0 {
				parts = append(parts, strconv.Itoa(x.Originals)+" "+words.original)
			}
			if x.Copies > 0 {
				parts = append(parts, strconv.Itoa(x.Copies)+" "+words.copy)
			}
			if x.Action != "" { // none chosen yet (lint asks for it) leaves no ", " behind
				parts = append(parts, wordOr(words.actions, x.Action))
			}
			if len(x.If) > 0 {
				parts = append(parts, w.when(x.If, ""))
			}
			if len(parts) == 0 {
				return quote(x.Name.Vi())
			}
			return quote(x.Name.Vi()) + " (" + strings.Join(parts, ", ") + ")"
		},
		inner: func(d *differ, s scope, a, b content.Document) {
			d.text(s, "name", "documents.name", a.Name, b.Name)
			d.text(s, "short", "documents.short", a.Short, b.Short)
			d.value(s, "originals", "documents.originals", strconv.Itoa(a.Originals), strconv.Itoa(b.Originals))
			d.value(s, "copies", "documents.copies", strconv.Itoa(a.Copies), strconv.Itoa(b.Copies))
			d.value(s, "form", "documents.form", a.Form, b.Form)
			d.value(s, "action", "documents.action", wordOr(words.actions, a.Action), wordOr(words.actions, b.Action))
			d.value(s, "replaceable", "documents.replaceable", yesNo(a.Replaceable), yesNo(b.Replaceable))
			d.value(s, "if", "documents.if", w.when(a.If, ""), w.when(b.If, ""))
			d.text(s, "note", "documents.note", a.Note, b.Note)
		},
	}
}

func caseItem(w conditions) item[content.Case] {
	return item[content.Case]{
		id:   func(x content.Case) string { return x.ID },
		name: func(x content.Case) string { return quote(x.Name.Vi()) },
		show: func(x content.Case) string {
			return quote(x.Name.Vi()) + " (" + strconv.Itoa(len(x.Documents)) + " giấy tờ)"
		},
		inner: func(d *differ, s scope, a, b content.Case) {
			d.text(s, "name", "cases.name", a.Name, b.Name)
			d.value(s, "code", "cases.code", a.Code, b.Code)
			list(d, s, "documents", "documents", a.Documents, b.Documents, documentItem(w))
			d.duration(s, "time", "cases.time", a.Time, b.Time)
			texts(d, s, "notes", "cases.notes", a.Notes, b.Notes)
		},
	}
}

func feeItem(w conditions) item[content.Fee] {
	id := func(x content.Fee) string { return ruleID(x.If, x.Channel) }
	return item[content.Fee]{
		id:   id,
		name: func(x content.Fee) string { return w.when(x.If, x.Channel) },
		show: func(x content.Fee) string { return feeValue(x) + " " + w.when(x.If, x.Channel) },
		inner: func(d *differ, s scope, a, b content.Fee) {
			d.value(s, "if", "fees.if", w.when(a.If, a.Channel), w.when(b.If, b.Channel))
			d.value(s, "value", "fees.value", feeValue(a), feeValue(b))
			d.text(s, "note", "fees.note", a.Note, b.Note)
			d.value(s, "basis", "fees.basis", quote(a.Basis), quote(b.Basis))
			d.value(s, "evidence", "fees.evidence", a.Evidence, b.Evidence)
		},
	}
}

// likelyFee is the most a fee at the commune is likely to be: the
// starter's highest is 20.000 đ, and no commune fee in PROCEDURES.md comes
// near a million. Above it, or ten times the old amount, a value is more
// likely a slip of the zero key ("80.000" for "8.000") than the law.
const likelyFee = 1_000_000

// doubtFees marks each new or changed fee amount that looks like a slip,
// compared with the approved rule for the same case.
func doubtFees(d *differ, approved, after []content.Fee) {
	old := feesByCase(approved)
	for _, f := range after {
		id := ruleID(f.If, f.Channel)
		if why := feeDoubt(old[id], f); why != "" {
			for i := range d.out {
				if k := d.out[i].Key; k == "fees["+id+"].value" || k == "fees["+id+"]" {
					d.out[i].Doubt = why
				}
			}
		}
		was, ok := old[id]
		if why := noteDoubt(was, ok, f); why != "" {
			doubtLine(d.out, []string{"fees[" + id + "].value", "fees[" + id + "].note", "fees[" + id + "]"}, why)
		}
	}
}

// doubtLine adds why to the doubt of the first line of out whose key is
// one of keys, in that order of preference; a doubt the line has already
// stays last ("…; bản tiếng Anh chưa sửa theo" is read by its end).
func doubtLine(out []Change, keys []string, why string) {
	for _, k := range keys {
		i := slices.IndexFunc(out, func(c Change) bool { return c.Key == k })
		if i < 0 {
			continue
		}
		if out[i].Doubt != "" {
			why += "; " + out[i].Doubt
		}
		out[i].Doubt = why
		return
	}
}

// noteAmount finds an amount in đồng written in a note: "8.000 đồng",
// "15.000đ", "9 000 VNĐ". The unit must end the word ("đ/bản" counts, "đã"
// does not).
var noteAmount = regexp.MustCompile(`(\d{1,3}(?:[.,\x{00A0} ]\d{3})+|\d+)\s?(?:đồng|đ|VNĐ|VND|vnđ|vnd)(?:$|[^\p{L}])`)

// noteAmounts are the distinct amounts in đồng a note names, in order.
func noteAmounts(note string) []int64 {
	var out []int64
	for _, m := range noteAmount.FindAllStringSubmatch(note, -1) {
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, m[1])
		n, err := strconv.ParseInt(digits, 10, 64)
		if err == nil && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// noteDoubt says why a fee's Vietnamese note looks left behind by its
// amount, or "": the note names exactly one amount in đồng and it is not
// the fee's (the amount corrected, the note not: outside QA s29, finding
// 5). A note naming several amounts (a late fee, a fee per page) is not
// judged, nor a fee whose amount and note are both as approved (had: the
// approved procedure has a rule for the same case, approved).
func noteDoubt(approved content.Fee, had bool, after content.Fee) string {
	if after.Kind != content.FeeAmount || after.Amount <= 0 {
		return ""
	}
	if had && approved.Kind == after.Kind && approved.Amount == after.Amount && approved.Note.Vi() == after.Note.Vi() {
		return ""
	}
	named := noteAmounts(after.Note.Vi())
	if len(named) != 1 || named[0] == after.Amount {
		return ""
	}
	return "ghi chú ghi " + dong(named[0]) + " nhưng mức lệ phí là " + dong(after.Amount) +
		": sửa cho khớp (nếu ghi chú nói về một khoản khác, giữ nguyên)"
}

// FeeDoubts are the doubts about after's fee amounts, as a form shows them
// beside each amount ("fees[2].amount", numbered from 1 as lint does): a
// fee that looks like a slip compared with the approved rule for the same
// case (approved nil: none, so by its size alone), or whose note names
// another amount (noteDoubt). A fee as approved is not
// doubted again: the approval had its source. A fee, document, time or
// legal basis changed under the approved verified_on adds the reminder to
// update that day (CompiledReminder), beside it.
func FeeDoubts(approved, after *content.Procedure) []content.Problem {
	return append(feeDoubts(approved, after), compiledDoubt(approved, after)...)
}

func feeDoubts(approved, after *content.Procedure) []content.Problem {
	var old map[string]content.Fee
	if approved != nil {
		old = feesByCase(approved.Fees)
	}
	var out []content.Problem
	for i, f := range after.Fees {
		was, ok := old[ruleID(f.If, f.Channel)]
		field := "fees[" + strconv.Itoa(i+1) + "].amount"
		if why := noteDoubt(was, ok, f); why != "" {
			out = append(out, content.Problem{Field: field, Message: why})
		}
		if ok && was.Kind == f.Kind && was.Amount == f.Amount {
			continue
		}
		if why := feeDoubt(was, f); why != "" {
			out = append(out, content.Problem{Field: field, Message: why})
		}
	}
	return out
}

// feesByCase keys fees by the case their rule applies to (ruleID).
func feesByCase(fees []content.Fee) map[string]content.Fee {
	out := make(map[string]content.Fee, len(fees))
	for _, f := range fees {
		out[ruleID(f.If, f.Channel)] = f
	}
	return out
}

// feeDoubt says why after's amount looks like a slip, or "": it names the
// approved amount it compares with, so that the editor does not take it for
// the save before.
func feeDoubt(approved, after content.Fee) string {
	if after.Kind != content.FeeAmount {
		return ""
	}
	switch {
	case approved.Kind == content.FeeAmount && approved.Amount > 0 && after.Amount >= 10*approved.Amount:
		return "gấp " + strconv.FormatInt(after.Amount/approved.Amount, 10) + " lần mức đã duyệt (" + dong(approved.Amount) + "), kiểm tra số chữ số 0"
	case after.Amount > likelyFee:
		return "trên " + dong(likelyFee) + ", cao bất thường với lệ phí ở xã, kiểm tra số chữ số 0"
	}
	return ""
}

// ruleID keys a fee or deadline rule by when it applies: "late",
// "exempt+late|online", "*" for every case.
func ruleID(tags []string, channel string) string {
	id := strings.Join(tags, "+")
	if channel != "" {
		id += "|" + channel
	}
	if id == "" {
		return "*"
	}
	return id
}

// feeValue is what the resident is told to pay.
func feeValue(f content.Fee) string {
	if f.Kind != content.FeeAmount {
		return wordOr(words.feeKinds, f.Kind)
	}
	if f.Amount <= 0 { // lint asks for it; "0 đ" would read as free
		return words.noAmount
	}
	if per := f.Per.Vi(); per != "" {
		return dong(f.Amount) + " / " + per
	}
	return dong(f.Amount)
}

func deadlineItem(w conditions) item[content.Deadline] {
	return item[content.Deadline]{
		id:   func(x content.Deadline) string { return ruleID(x.If, "") },
		name: func(x content.Deadline) string { return w.when(x.If, "") },
		show: func(x content.Deadline) string { return quote(x.Text.Vi()) + " " + w.when(x.If, "") },
		inner: func(d *differ, s scope, a, b content.Deadline) {
			d.value(s, "if", "deadline.if", w.when(a.If, ""), w.when(b.If, ""))
			d.text(s, "text", "deadline.text", a.Text, b.Text)
		},
	}
}

var channelItem = item[content.Channel]{
	id:   func(x content.Channel) string { return x.Kind },
	name: func(x content.Channel) string { return wordOr(words.channels, x.Kind) },
	show: func(x content.Channel) string {
		if note := x.Note.Vi(); note != "" {
			return wordOr(words.channels, x.Kind) + " (" + quote(note) + ")"
		}
		return wordOr(words.channels, x.Kind)
	},
	inner: func(d *differ, s scope, a, b content.Channel) {
		d.text(s, "note", "channels.note", a.Note, b.Note)
	},
}

var basisItem = item[content.Basis]{
	id:   func(x content.Basis) string { return x.Document },
	name: func(x content.Basis) string { return quote(x.Document) },
	show: func(x content.Basis) string {
		if x.Articles != "" {
			return quote(x.Document) + " (" + x.Articles + ")"
		}
		return quote(x.Document)
	},
	inner: func(d *differ, s scope, a, b content.Basis) {
		d.value(s, "document", "legal_basis.document", quote(a.Document), quote(b.Document))
		d.value(s, "articles", "legal_basis.articles", quote(a.Articles), quote(b.Articles))
	},
}

var sourceItem = item[content.Source]{
	id:   func(x content.Source) string { return x.URL },
	name: func(x content.Source) string { return x.URL },
	show: func(x content.Source) string {
		if x.ReadOn != "" {
			return x.URL + " (" + x.ReadOn.Display() + ")"
		}
		return x.URL
	},
	inner: func(d *differ, s scope, a, b content.Source) {
		d.value(s, "url", "sources.url", a.URL, b.URL)
		d.value(s, "evidence", "sources.evidence", a.Evidence, b.Evidence)
		d.value(s, "note", "sources.note", quote(a.Note), quote(b.Note))
		d.value(s, "read_on", "sources.read_on", a.ReadOn.Display(), b.ReadOn.Display())
	},
}

// duration compares processing times; nil (a case without its own time)
// is the procedure's. With the same unit only the number changes, as in
// `Thời hạn giải quyết: 1 → 3 ngày làm việc`.
func (d *differ) duration(s scope, key, field string, a, b *content.Duration) {
	before, after := durationValue(a), durationValue(b)
	if a != nil && b != nil && a.Unit == b.Unit && a.Amount > 0 && b.Amount > 0 && a.Amount != b.Amount {
		before = strconv.Itoa(a.Amount)
	}
	d.value(s, key, field, before, after)
	if a == nil || b == nil {
		return
	}
	d.text(s, join(key, "note"), "time.note", a.Note, b.Note)
	d.value(s, join(key, "evidence"), "time.evidence", a.Evidence, b.Evidence)
}

func durationValue(t *content.Duration) string {
	if t == nil {
		return words.sameAsProcedure
	}
	unit := wordOr(words.timeUnits, t.Unit)
	if t.Amount > 0 {
		unit = strconv.Itoa(t.Amount) + " " + unit
	}
	if note := t.Note.Vi(); note != "" && t.Amount == 0 && t.Unit == "unknown" {
		unit += " (" + quote(note) + ")"
	}
	return unit
}

func liveCheck(c *content.LiveCheck) string {
	if c == nil {
		return ""
	}
	return c.On.Display() + ", " + c.By + ", " + quote(c.Against)
}

// conditions names the flow tags that fee, document and deadline rules
// depend on by the answer that sets them, as the resident saw it.
type conditions map[string]string

// conditionWords reads the tags of the flows, the first flow first: the new
// version's words, the old one's for a tag the new flow no longer sets.
func conditionWords(flows ...*flow.Flow) conditions {
	c := conditions{}
	for _, f := range flows {
		if f == nil {
			continue
		}
		for _, q := range f.Questions {
			for _, a := range q.Answers {
				for _, t := range a.Tags {
					if _, ok := c[t]; !ok {
						c[t] = answerWords(q, a)
					}
				}
			}
		}
	}
	return c
}

// Tag is a flow tag and the answer that sets it, in words, as a rule's
// "Áp dụng khi" offers it.
type Tag struct{ Code, Words string }

// FlowTags are the tags f's answers set, in the order a resident meets
// them, each once, with the words of the first answer that sets it.
func FlowTags(f *flow.Flow) []Tag {
	c := conditionWords(f)
	var out []Tag
	seen := map[string]bool{}
	for _, q := range f.Questions {
		for _, a := range q.Answers {
			for _, t := range a.Tags {
				if !seen[t] {
					seen[t] = true
					out = append(out, Tag{Code: t, Words: c[t]})
				}
			}
		}
	}
	return out
}

// ConditionOf says a rule's flow tags in the words of the answers of f that
// set them — `khi "Đã quá 60 ngày"` — as the change summary does, for the
// studio's forms.
func ConditionOf(f *flow.Flow) func(tags []string) string {
	c := conditionWords(f)
	return func(tags []string) string { return c.when(tags, "") }
}

// answerWords is an answer as the resident chose it; a bare "Có" or
// "Không" is shown with its question.
func answerWords(q flow.Question, a flow.Answer) string {
	if len(strings.Fields(a.Text.Vi())) <= 2 {
		return quote(strings.TrimSpace(q.Text.Vi()) + " — " + a.Text.Vi())
	}
	return quote(a.Text.Vi())
}

// when is a rule's condition in words: `khi "Đã quá 60 ngày", qua mạng`.
func (c conditions) when(tags []string, channel string) string {
	var parts []string
	for _, t := range tags {
		if w, ok := c[t]; ok {
			parts = append(parts, w)
		} else {
			parts = append(parts, quote(t))
		}
	}
	out := ""
	if len(parts) > 0 {
		out = words.when + " " + strings.Join(parts, " "+words.and+" ")
	}
	if channel != "" {
		if out != "" {
			out += ", "
		}
		out += wordOr(words.channels, channel)
	}
	if out == "" {
		return "(" + words.always + ")"
	}
	return out
}
