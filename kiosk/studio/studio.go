// Package studio is the pure logic of the province content studio (issue 16),
// the part that needs no hub, database or browser: what changed between two
// versions of a procedure, a life event or a lesson, said in Vietnamese words
// province staff read ("Lệ phí khi "Đã quá 60 ngày": "hỏi cán bộ" → 8.000 đ"),
// and which of those changes are facts (fee, time, document, legal basis,
// office, deadline) a reviewer may approve only with a source and the date it
// was read. The console's history and review screens are built on it.
//
// Every label and value word comes from the catalogue (catalogue.go), so the
// wording is one table to review; the order of changes follows the content's
// own order, so the same two versions always give the same list.
package studio

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"tramso/kiosk/lang"
)

// Op is what happened to a field or an item of a list.
type Op string

// Ops.
const (
	Added   Op = "added"
	Removed Op = "removed"
	Changed Op = "changed"
)

// Change is one difference between two versions, as a reviewer reads it.
type Change struct {
	// Key says where, stably enough to attach a source to it during a review:
	// "fees[late].value", "cases[nhan-cha].documents[Giấy chứng sinh…]".
	Key string `json:"key"`
	// Field is the catalogue entry the change belongs to ("documents.originals").
	Field string `json:"field"`
	Label string `json:"label"` // Vietnamese: `Giấy tờ "Tờ khai…" — số bản chính`
	// Item names the list item the change is in, or adds or removes whole,
	// as staff call it (`Giấy tờ "Tờ khai…"`, `Trường hợp "…" — Giấy tờ
	// "…"`); "" for a field of the file itself. The change page asks for a
	// source per item, under this name.
	Item   string `json:"item,omitempty"`
	Op     Op     `json:"op"`     // added, removed or changed
	Before string `json:"before"` // as shown: texts in quotes, amounts and counts bare
	After  string `json:"after"`
	// Fact marks a change of what residents are told to do or pay: issue 16
	// allows its approval only with a source (URL or document number) and
	// the date it was read (RequireSources).
	Fact bool `json:"fact"`
	// Doubt says, when set, why the new value looks like a slip worth a
	// second look (a fee ten times the old one): a warning for the editor
	// and the reviewer, never a refusal, since the law may say just that.
	Doubt string `json:"doubt,omitempty"`
}

// maxShown bounds a value in the one-line summary; Before and After keep
// the whole text for the review screen.
const maxShown = 120

// String is the change in one line: `Label: before → after`, `Label: thêm
// after`, `Label: bỏ before`.
func (c Change) String() string {
	switch c.Op {
	case Added:
		return c.Label + ": " + words.add + " " + clip(c.After) + c.doubtSuffix()
	case Removed:
		return c.Label + ": " + words.remove + " " + clip(c.Before)
	}
	before, after := fromDifference(c.Before, c.After)
	return c.Label + ": " + clip(before) + " → " + clip(after) + c.doubtSuffix()
}

// doubtSuffix is the change's doubt as the end of its line.
func (c Change) doubtSuffix() string {
	if c.Doubt == "" {
		return ""
	}
	return " (" + words.doubt + ": " + c.Doubt + ")"
}

// fromDifference drops the long beginning two values share, so that the
// clipped line still shows what differs: a practice screen or a long note
// edited near its end.
func fromDifference(before, after string) (string, string) {
	b, a := []rune(before), []rune(after)
	same := 0
	for same < len(b) && same < len(a) && b[same] == a[same] {
		same++
	}
	const context = 30
	if same <= 2*context || (len(b) <= maxShown && len(a) <= maxShown) {
		return before, after
	}
	return "…" + string(b[same-context:]), "…" + string(a[same-context:])
}

// Summary is the changes one per line, for a version's history entry.
func Summary(changes []Change) string {
	lines := make([]string, len(changes))
	for i, c := range changes {
		lines[i] = c.String()
	}
	return strings.Join(lines, "\n")
}

// Facts returns the fact changes among changes.
func Facts(changes []Change) []Change {
	var out []Change
	for _, c := range changes {
		if c.Fact {
			out = append(out, c)
		}
	}
	return out
}

// clip shortens s to maxShown letters; a quoted text keeps its closing
// quote, so that the reader sees where the old value ends and the new begins.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= maxShown {
		return s
	}
	if q := `"`; len(s) > 2 && strings.HasPrefix(s, q) && strings.HasSuffix(s, q) {
		r := []rune(s[1 : len(s)-1])
		return q + string(r[:maxShown-3]) + "…" + q
	}
	r := []rune(s)
	return string(r[:maxShown-1]) + "…"
}

// quote shows a content text as quoted words.
func quote(s string) string {
	if s == "" {
		return ""
	}
	return `"` + s + `"`
}

// scope is where a differ is inside a document: the key prefix and the label
// parts so far (`Trường hợp "Có Giấy chứng sinh"`).
type scope struct {
	key   string
	label []string
}

// in is the scope of one item of a list, named by its key and its label.
func (s scope) in(key, label string) scope {
	parts := append(append([]string{}, s.label...), label)
	return scope{key: join(s.key, key), label: parts}
}

// differ collects changes in the order they are found.
type differ struct {
	out []Change
}

// emit records a change of field in scope s; key is appended to the scope's
// key and suffix to the field's label. An empty before is an addition, an
// empty after a removal.
func (d *differ) emit(s scope, key, field, suffix, before, after string, fact bool) {
	if before == after {
		return
	}
	op := Changed
	switch {
	case before == "":
		op = Added
	case after == "":
		op = Removed
	}
	parts := s.label
	if l := catalogue[field].label + suffix; l != "" {
		parts = append(append([]string{}, parts...), l)
	}
	d.out = append(d.out, Change{Key: join(s.key, key), Field: field, Label: capital(strings.Join(parts, " — ")),
		Item: capital(strings.Join(s.label, " — ")), Op: op, Before: before, After: after, Fact: fact})
}

// value compares one scalar field, already shown as words.
func (d *differ) value(s scope, key, field, before, after string) {
	d.emit(s, key, field, "", before, after, catalogue[field].fact)
}

// text compares a text in every language, Vietnamese first. A translation
// is never a fact change: it is checked against the Vietnamese, not a law.
func (d *differ) text(s scope, key, field string, before, after lang.Text) {
	for _, l := range languages(before, after) {
		if l == "vi" {
			n := len(d.out)
			d.emit(s, key, field, "", quote(before[l]), quote(after[l]), catalogue[field].fact)
			if len(d.out) > n && before[l] != "" && after[l] != "" {
				d.out[n].Doubt = untranslated(before, after)
			}
			continue
		}
		d.emit(s, key+"@"+l, field, " ("+languageName(l)+")", quote(before[l]), quote(after[l]), false)
	}
}

// untranslated names the translations a reworded Vietnamese text left as
// they were: they may now say the old thing (a fee note changed to a fixed
// amount while the English still says the province sets it).
func untranslated(before, after lang.Text) string {
	var stale []string
	for _, l := range languages(before, after) {
		if l != "vi" && after[l] != "" && after[l] == before[l] {
			stale = append(stale, languageName(l))
		}
	}
	if len(stale) == 0 {
		return ""
	}
	return "bản " + strings.Join(stale, ", ") + " chưa sửa theo"
}

// set compares two lists of words whose order does not matter (aliases,
// tags): each word added or removed is a change.
func (d *differ) set(s scope, key, field string, before, after []string) {
	for _, w := range before {
		if !slices.Contains(after, w) {
			d.value(s, key+"["+w+"]", field, quote(w), "")
		}
	}
	for _, w := range after {
		if !slices.Contains(before, w) {
			d.value(s, key+"["+w+"]", field, "", quote(w))
		}
	}
}

// join appends a key to a scope's key: a name after a dot, an index as is.
func join(prefix, key string) string {
	if prefix == "" || key == "" || strings.HasPrefix(key, "[") || strings.HasPrefix(key, "@") {
		return prefix + key
	}
	return prefix + "." + key
}

// languages lists the languages either text is written in: Vietnamese, then
// the kiosk's languages in their order, then any other code, sorted.
func languages(a, b lang.Text) []string {
	var out, rest []string
	for _, l := range lang.Known {
		if a[l] != "" || b[l] != "" {
			out = append(out, l)
		}
	}
	for _, t := range []lang.Text{a, b} {
		for l := range t {
			if !lang.IsKnown(l) && !slices.Contains(rest, l) {
				rest = append(rest, l)
			}
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// capital starts a label with a capital letter: nested labels are lower case
// in the catalogue, and a field of a case reads `Trường hợp "…" — lưu ý`.
func capital(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
