package content

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"tramso/kiosk/qr"
)

// MaxChecklist is the most bytes the take-away checklist may carry: all one
// QR code of version 22 holds (qr.MaxBytes), which the result screen draws
// 410 CSS px wide, 3.6 px a module. A denser code is too fine for an old
// phone camera to read off a screen.
const MaxChecklist = qr.MaxBytes

// Dong writes an amount in đồng as a reader of lang expects: "20,000 đ" in
// English, where "3.000" reads as three; "20.000 đ" in Vietnamese and in
// the languages read beside it (Ê Đê, M'nông), as their texts write it.
func Dong(amount int64, lang string) string {
	mark := byte('.')
	if lang == "en" {
		mark = ','
	}
	s := strconv.FormatInt(amount, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(mark)
		}
		b.WriteRune(r)
	}
	return b.String() + " đ"
}

// MainFee is the fee the person will most likely pay: on the channel they
// chose, else in person when that channel exists, else the first channel's.
// Nil means no data.
func (t *Tailored) MainFee() *Fee {
	for _, want := range []string{t.Channel, "in_person"} {
		for _, cf := range t.Fees {
			if want != "" && cf.Channel == want {
				return cf.Fee
			}
		}
	}
	if len(t.Fees) > 0 {
		return t.Fees[0].Fee
	}
	return nil
}

// OnlineFee is the fee for filing online, or nil.
func (t *Tailored) OnlineFee() *Fee {
	for _, cf := range t.Fees {
		if cf.Channel == "online" || cf.Channel == "vneid" {
			return cf.Fee
		}
	}
	return nil
}

// Checklist writes the tailored checklist as short plain text for a QR code
// (plain text, so a phone shows it with no network), in lang (falling back
// to Vietnamese), never longer than MaxChecklist bytes. It says what the
// result screen's card says, in the screen's words: the person's case as
// their answers made it (Situation), the papers by the short names the card
// uses (Nộp / Chỉ đưa xem) with their form (Mẫu CT01) and what to know
// about each (the "Về giấy tờ" notes: "Không có bản photo thì cán bộ chụp
// giúp"), the fee with the rule it follows for these answers (FeeRule), the
// processing time ("Cán bộ sẽ cho bạn biết" when the data has none) with its
// condition (TimeNote), what the person receives, the deadline to file, where
// to go and when it is open (the card's lines, Office.HoursIn), the next
// steps, the notes under "Lưu ý" (Notes), and when the facts were compiled,
// not yet compared with the national portal. It shortens step by step
// (checklistLevels): the steps but the last come out first, being mostly
// "bring the papers above", then what is received, the notes, the compiled
// date, the papers' notes, the case line and last the address; it cuts
// whole lines only as a last resort, ending with "…". The fee rule and the
// time's condition are never shortened away: they are what the answers
// changed (outside QA: a late registration's fee, the 3rd page's price and
// the days a verification adds went missing from the phone copy; s28: "no
// marital-status certificate needed", "no photocopy? the office makes one"
// and the "not yet compared" caveat were on the screen only).
func (t *Tailored) Checklist(w Wording, lang string, o Office) string {
	var text string
	for level := 0; level < checklistLevels; level++ {
		text = t.checklist(w, lang, o, level)
		if len(text) <= MaxChecklist {
			return text
		}
	}
	return cutLines(text, MaxChecklist)
}

// checklistLevels is how many ways Checklist shortens the list before it
// cuts lines: 0 says everything; 1 drops the next steps but the last; 2
// what is received; 3 the notes under "Lưu ý"; 4 the compiled date with its
// "not yet compared" caveat; 5 the papers' notes and the line on proving an
// exemption; 6 the case line; 7 the office's address (its name stays).
const checklistLevels = 8

// cutLines keeps the whole lines of s that fit in n bytes, and a last line
// "…": the phone copy may end early, never in the middle of a sentence, and
// says it goes on (on the kiosk's screen).
func cutLines(s string, n int) string {
	const more = "\n…"
	if len(s) <= n {
		return s
	}
	s = cutUTF8(s, n-len(more))
	if i := strings.LastIndexByte(s, '\n'); i > 0 {
		s = s[:i]
	}
	return s + more
}

func (t *Tailored) checklist(w Wording, lang string, o Office, level int) string {
	word := func(k string) string { return w.In(k, lang) }
	in := func(x Text) string { s, _ := x.In(lang); return s }
	var b strings.Builder
	title := in(t.Procedure.PlainName)
	if code := t.FilingCode(); code != "" {
		title += " (" + code + ")"
	}
	online := t.Procedure.OnlineOnly()
	b.WriteString(title + "\n")
	if sit := t.Situation(w, lang); sit != "" && word("case") != "" && level < 6 {
		b.WriteString(word("case") + ": " + sit + "\n")
	}
	if online {
		b.WriteString(w.In("prepare", lang) + ":\n")
	} else {
		b.WriteString(word("bring") + ":\n")
	}
	for _, d := range t.Documents {
		name := in(d.Name)
		if len(d.Short) > 0 {
			name = in(d.Short)
		}
		if f := w.In("form", lang); d.Form != "" && f != "" {
			name += " (" + f + " " + d.Form + ")"
		}
		if d.Copies > 0 {
			name += " (" + count(w, lang, d.Copies, "copy", "copies") + ")"
		} else if d.Originals > 1 {
			name += " (" + count(w, lang, d.Originals, "original", "originals") + ")"
		}
		action := word("hand_in")
		if d.Action == Show {
			action = word("show")
		}
		b.WriteString("- " + name + ": " + action)
		if note := strings.TrimSpace(in(d.Note)); note != "" && level < 5 {
			b.WriteString(". " + note)
		}
		b.WriteString("\n")
	}
	b.WriteString(word("fee") + ": " + t.feeText(w, lang) + "\n")
	if maybe := w.In("maybe_exempt", lang); maybe != "" && len(t.Exemptions()) > 0 {
		b.WriteString(maybe + "\n")
	}
	// The screen says it too: on a long list it goes with the papers' notes.
	if proof := w.In("exempt_proof", lang); proof != "" && t.ClaimsExemption() && level < 5 {
		b.WriteString(proof + "\n")
	}
	b.WriteString(word("time") + ": " + t.timeText(w, lang))
	if note := in(t.TimeNote()); note != "" {
		b.WriteString(" (" + strings.TrimSuffix(strings.TrimSpace(note), ".") + ")")
	}
	b.WriteString("\n")
	// What the person leaves with, as the card says it ("Bạn sẽ nhận
	// được"): dropped before the steps are (outside QA s24: the phone copy
	// did not say it).
	if result := in(t.Procedure.Result); result != "" && level < 2 {
		b.WriteString(word("result") + ": " + strings.TrimSpace(result) + "\n")
	}
	if t.Deadline != nil {
		b.WriteString(word("deadline") + ": " + in(*t.Deadline) + "\n")
	}
	where := o.Line()
	if where == "" {
		where = word("ask_staff")
	} else if level >= 7 {
		where = o.Name
	}
	if online {
		// Filed on the portal or VNeID: the office is where to ask for help.
		var ways []string
		for _, c := range t.Procedure.Channels {
			ways = append(ways, w.In(c.Kind, lang))
		}
		b.WriteString(word("where") + ": " + strings.Join(ways, "; ") + "\n")
		b.WriteString(w.In("help", lang) + ": " + where + "\n")
	} else {
		b.WriteString(word("where") + ": " + where + "\n")
	}
	// The hours as the card says them ("Thứ Hai–Thứ Sáu: 07:30–11:30,
	// 13:30–17:00"), a line the kiosk could not read as typed: the phone
	// copy and the screen use one style of time (outside testers s27).
	if o.Known && len(o.Hours) > 0 {
		b.WriteString(word("hours") + ": " + o.HoursIn(w, lang) + "\n")
	}
	if steps := t.Procedure.Steps; len(steps) > 0 {
		b.WriteString(word("steps") + ":\n")
		for i, s := range steps {
			// Shorter, the last step only: it says what to check on leaving.
			if level < 1 || i == len(steps)-1 {
				fmt.Fprintf(&b, "%d. %s\n", i+1, in(s))
			}
		}
	}
	if notes := t.Notes(TakeHome); len(notes) > 0 && level < 3 && word("notes") != "" {
		b.WriteString(word("notes") + ":\n")
		for _, n := range notes {
			b.WriteString("- " + strings.TrimSpace(in(n)) + "\n")
		}
	}
	if level < 4 {
		b.WriteString(word("verified") + " " + t.Procedure.VerifiedOn.In(lang))
		// As the screen says it ("Xem căn cứ"): compiled from the sources,
		// not yet compared with the live record.
		if unchecked := word("unchecked"); t.Procedure.LiveCheck == nil && unchecked != "" {
			b.WriteString(". " + unchecked)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// count writes n papers as lang says it: "2 bản chính", "1 copy", "2
// copies" (the plural word when the pack has one; outside QA s28: "(2
// original)").
func count(w Wording, lang string, n int, one, many string) string {
	word := w.In(one, lang)
	if p := w.In(many, lang); n != 1 && p != "" {
		word = p
	}
	return fmt.Sprintf("%d %s", n, word)
}

// NotesFor is where the result's "Lưu ý" notes are shown: the result
// screen or the take-home list (Tailored.Notes).
type NotesFor int

const (
	OnScreen NotesFor = iota // the result screen's "Lưu ý" (ResultView.Notes)
	TakeHome                 // the take-home list's (Checklist)
)

// Notes are the result's "Lưu ý", decided here for the screen and the
// take-home list alike (the API sends the screen's; the screen shows them
// as sent): the fee's note when the card does not already tell it as the
// fee's rule, the time's note when the card does not tell it as the time's
// condition, then the procedure's notes and the case's (outside QA s28:
// "Chưa đối chiếu…" and the residence note were on the screen only).
//
// They differ by one note, on purpose: a free fee's note ("Miễn lệ phí…")
// is on the screen, where it is the only place that says why the fee reads
// "Miễn phí", and not in the take-home list, where it would only say again
// what "Lệ phí: Miễn phí" says, in the bytes of a QR code (MaxChecklist).
func (t *Tailored) Notes(where NotesFor) []Text {
	var out []Text
	f := t.MainFee()
	if f != nil && t.FeeRule() == nil && len(f.Note) > 0 && (where == OnScreen || f.Kind != FeeFree) {
		out = append(out, f.Note)
	}
	if t.TimeNote() == nil && len(t.Time.Note) > 0 {
		out = append(out, t.Time.Note)
	}
	out = append(out, t.Procedure.Notes...)
	if t.Case != nil {
		out = append(out, t.Case.Notes...)
	}
	return out
}

// Situation is the person's case as their answers made it, for the case
// line of the card and the take-home list ("Trường hợp của bạn: Đã quá hạn
// đăng ký; Có Giấy chứng sinh"): what they answered that changes the result
// — each flow tag on their path the pack names with a checklist word
// "tag_<tag>", in the order answered — then the case reached. The case's
// name alone left out a late registration the resident had chosen (outside
// QA s28).
func (t *Tailored) Situation(w Wording, lang string) string {
	var parts []string
	seen := map[string]bool{}
	for _, st := range t.Walk.Path {
		q := t.Procedure.Flow.Question(st.Question)
		if q == nil {
			continue
		}
		a := q.Answer(st.Answer)
		if a == nil {
			continue
		}
		for _, tag := range a.Tags {
			if s := w.In("tag_"+tag, lang); s != "" && !seen[tag] {
				seen[tag] = true
				parts = append(parts, s)
			}
		}
	}
	if t.Case != nil {
		if name, _ := t.Case.Name.In(lang); name != "" {
			parts = append(parts, name)
		}
	}
	return strings.Join(parts, "; ")
}

// FilingCode is the national code this person files under: the case's own
// code when it has one (a birth together with recognition of the father is
// 1.000689, not 1.001193), else the procedure's, or "" for a linked service
// with no national code. The take-home list names it, for whoever files
// online by code.
func (t *Tailored) FilingCode() string {
	if t.Case != nil && t.Case.Code != "" {
		return t.Case.Code
	}
	if t.Procedure.NationalCode() {
		return t.Procedure.Code
	}
	return ""
}

// FeeLine is one fee as words in lang: "Miễn phí", "20.000 đ/lần đăng ký"
// (the amount as lang writes it, Dong), "cán bộ xã sẽ báo mức phí" or "chưa
// có dữ liệu, hỏi cán bộ".
func FeeLine(f *Fee, w Wording, lang string) string {
	word := func(k string) string { return w.In(k, lang) }
	switch {
	case f == nil || f.Kind == FeeUnknown:
		return word("unknown")
	case f.Kind == FeeFree:
		return word("free")
	case f.Kind == FeeProvince:
		return word("ask_office")
	}
	s := Dong(f.Amount, lang)
	if per, _ := f.Per.In(lang); per != "" {
		s += "/" + per
	}
	return s
}

func (t *Tailored) feeText(w Wording, lang string) string {
	f := t.MainFee()
	s := FeeLine(f, w, lang)
	if rule, _ := t.FeeRule().In(lang); rule != "" {
		if f.Kind == FeeProvince {
			// The rule says who sets the fee ("mức lệ phí do HĐND tỉnh…
			// quy định"): the general words would say it twice.
			s = w.In("office_tells", lang)
		}
		s = strings.TrimSuffix(s, ".") + ". " + strings.TrimSuffix(strings.TrimSpace(rule), ".")
	}
	if t.OnlineCheaper() {
		s += "; " + w.In("online", lang) + ": " + FeeLine(t.OnlineFee(), w, lang)
	}
	return s
}

// FeeRule is the rule the fee this person pays follows, as the data words it
// for the rule chosen by their answers: why a fee is charged at all (a late
// registration: "Đăng ký quá hạn: mức lệ phí do HĐND tỉnh Đắk Lắk quy
// định", PROCEDURES.md §2.1, §2.2) or how it grows ("Từ trang thứ 3:
// 1.000 đ/trang; tối đa 200.000 đ/bản", §2.7). It is part of the price, so
// the card and the take-home list both tell it. Nothing for a free fee: its
// note only says again why nothing is paid.
func (t *Tailored) FeeRule() Text {
	if f := t.MainFee(); f != nil && (f.Kind == FeeAmount || f.Kind == FeeProvince) {
		return f.Note
	}
	return nil
}

// timeText is the processing time in words.
func (t *Tailored) timeText(w Wording, lang string) string {
	switch d := t.Time; {
	case !d.Stated():
		return w.In("time_unknown", lang)
	case d.Unit == "immediate" || d.Unit == "same_day":
		return w.In(d.Unit, lang)
	default:
		return fmt.Sprintf("%d %s", d.Amount, w.In(d.Unit, lang))
	}
}

// TimeNote is the condition of a stated processing time ("Nộp sau 15 giờ
// thì nhận trong ngày làm việc tiếp theo"; for a birth naming the father,
// "Nếu cần xác minh: thêm không quá 05 ngày làm việc", PROCEDURES.md §2.5),
// from the case the answers reached when it has its own time. The card and
// the take-home list tell it beside the time: without it "3 ngày làm việc"
// promises too little. Nothing when the time is the staff's to tell: the note
// would only say so again.
func (t *Tailored) TimeNote() Text {
	if !t.Time.Stated() {
		return nil
	}
	return t.Time.Note
}

// cutUTF8 cuts s to at most n bytes on a character boundary.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// In is the checklist word key in lang, falling back to Vietnamese.
func (w Wording) In(key, lang string) string {
	s, _ := w[key].In(lang)
	return s
}
