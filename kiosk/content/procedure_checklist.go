package content

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxChecklist is the most bytes the take-away checklist may carry: a QR code
// with more is too dense for an old phone camera to read off a screen.
const MaxChecklist = 600

// Dong writes an amount in đồng as Vietnamese readers expect: 20.000 đ.
func Dong(amount int64) string {
	s := strconv.FormatInt(amount, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String() + " đ"
}

// MainFee is the fee the person will most likely pay: in person when that
// channel exists, else the first channel's. Nil means no data.
func (t *Tailored) MainFee() *Fee {
	for _, cf := range t.Fees {
		if cf.Channel == "in_person" {
			return cf.Fee
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

// Checklist writes the tailored checklist as short plain text for a QR code,
// in lang (falling back to Vietnamese), never longer than MaxChecklist bytes.
// where is the office line (name, address) or "" when no office is known.
// It shortens step by step — short document names, no address, no date —
// and cuts only as a last resort.
func (t *Tailored) Checklist(w Wording, lang, where string) string {
	var text string
	for level := 0; level < 4; level++ {
		text = t.checklist(w, lang, where, level)
		if len(text) <= MaxChecklist {
			return text
		}
	}
	return cutUTF8(text, MaxChecklist)
}

func (t *Tailored) checklist(w Wording, lang, where string, level int) string {
	word := func(k string) string { return w.In(k, lang) }
	in := func(x Text) string { s, _ := x.In(lang); return s }
	var b strings.Builder
	title := in(t.Procedure.PlainName)
	if t.Procedure.NationalCode() {
		title += " (" + t.Procedure.Code + ")"
	}
	b.WriteString(title + "\n" + word("bring") + ":\n")
	for _, d := range t.Documents {
		name := in(d.Name)
		if level >= 1 && len(d.Short) > 0 {
			name = in(d.Short)
		}
		if d.Copies > 0 {
			name += fmt.Sprintf(" (%d %s)", d.Copies, word("copy"))
		} else if d.Originals > 1 {
			name += fmt.Sprintf(" (%d %s)", d.Originals, word("original"))
		}
		action := word("hand_in")
		if d.Action == Show {
			action = word("show")
		}
		b.WriteString("- " + name + ": " + action + "\n")
	}
	b.WriteString(word("fee") + ": " + t.feeText(w, lang) + "\n")
	b.WriteString(word("time") + ": " + t.timeText(w, lang) + "\n")
	if where == "" {
		where = word("ask_staff")
	} else if level >= 2 {
		where, _, _ = strings.Cut(where, ",")
	}
	b.WriteString(word("where") + ": " + where + "\n")
	if level < 3 {
		b.WriteString(word("verified") + " " + t.Procedure.VerifiedOn.Display())
	}
	return strings.TrimRight(b.String(), "\n")
}

// FeeLine is one fee as words: "Miễn phí", "20.000 đ/lần đăng ký", "cán bộ xã
// sẽ báo mức phí" or "chưa có dữ liệu, hỏi cán bộ".
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
	s := Dong(f.Amount)
	if per, _ := f.Per.In(lang); per != "" {
		s += "/" + per
	}
	return s
}

func (t *Tailored) feeText(w Wording, lang string) string {
	s := FeeLine(t.MainFee(), w, lang)
	if t.OnlineCheaper() {
		s += "; " + w.In("online", lang) + ": " + FeeLine(t.OnlineFee(), w, lang)
	}
	return s
}

func (t *Tailored) timeText(w Wording, lang string) string {
	word := func(k string) string { return w.In(k, lang) }
	switch d := t.Time; d.Unit {
	case "working_day", "day", "hour":
		return fmt.Sprintf("%d %s", d.Amount, word(d.Unit))
	case "immediate", "same_day":
		return word(d.Unit)
	}
	return word("ask_staff")
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
