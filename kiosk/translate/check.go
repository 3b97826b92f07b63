package translate

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// fontcover.txt is the character set of the kiosk's font
// (frontend/src/fonts/NotoSans-*.woff2, both weights cover the same), as
// fontconfig prints it. Regenerate it when the font changes:
//
//	fc-query --format '%{charset}' frontend/src/fonts/NotoSans-400.woff2 > kiosk/translate/fontcover.txt
//
//go:embed fontcover.txt
var fontCover string

type runeRange struct{ lo, hi rune }

var covered = parseCover(fontCover)

func parseCover(s string) []runeRange {
	var out []runeRange
	for _, f := range strings.Fields(s) {
		lo, hi, ok := strings.Cut(f, "-")
		if !ok {
			hi = lo
		}
		a, err1 := strconv.ParseUint(lo, 16, 32)
		b, err2 := strconv.ParseUint(hi, 16, 32)
		if err1 != nil || err2 != nil {
			panic("translate: bad fontcover.txt entry " + f)
		}
		out = append(out, runeRange{rune(a), rune(b)})
	}
	return out
}

// Covered reports whether the kiosk's font has a glyph for r. Line breaks
// are not drawn and always pass.
func Covered(r rune) bool {
	if r == '\n' {
		return true
	}
	for _, rr := range covered {
		if r >= rr.lo && r <= rr.hi {
			return true
		}
	}
	return false
}

// Problem is one reason a PO file is refused, at its line.
type Problem struct {
	Line int
	Ctxt string
	Msg  string // in English, for the CLI
	Kind Kind
	// What the kind needs to be worded again: the placeholders of the
	// source (KindPlaceholder), the translation's length and its budget
	// (KindBudget), the character (KindGlyph).
	Placeholders   []string
	Length, Budget int
	Char           rune
}

// Kind is what a problem is about, for a caller that words problems in its
// own language (the hub's console, in Vietnamese beside each line).
type Kind int

// The kinds of problem.
const (
	KindOther       Kind = iota
	KindLanguage         // the file is for another language
	KindDuplicate        // a msgctxt twice
	KindUnknown          // a msgctxt the pack does not have
	KindSource           // the Vietnamese changed since export
	KindPlaceholder      // a placeholder lost, renamed or added
	KindBudget           // longer than the length budget
	KindGlyph            // a character the kiosk's font cannot draw
)

func (p Problem) String() string {
	if p.Ctxt == "" {
		return fmt.Sprintf("line %d: %s", p.Line, p.Msg)
	}
	return fmt.Sprintf("line %d (%s): %s", p.Line, p.Ctxt, p.Msg)
}

// Problems is every problem of a PO file; as an error it lists them all.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return fmt.Sprintf("%d problem(s); nothing was changed:\n  %s", len(ps), strings.Join(lines, "\n  "))
}

// check reports what is wrong with one translated entry of unit u.
func check(e Entry, u Unit) []Problem {
	var probs []Problem
	if e.ID != u.Source {
		probs = append(probs, Problem{Kind: KindSource, Msg: "the Vietnamese source (msgid) has changed since export; export again and translate the new text"})
	}
	want := placeholder.FindAllString(u.Source, -1)
	got := placeholder.FindAllString(e.Str, -1)
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(want, got) {
		probs = append(probs, Problem{Kind: KindPlaceholder, Placeholders: want,
			Msg: fmt.Sprintf("placeholders %v must be kept exactly (found %v)", want, got)})
	}
	if n := len([]rune(e.Str)); n > u.Budget() {
		probs = append(probs, Problem{Kind: KindBudget, Length: n, Budget: u.Budget(),
			Msg: fmt.Sprintf("is %d characters; the length budget is %d", n, u.Budget())})
	}
	var missing []rune
	for _, r := range e.Str {
		if !Covered(r) && !slices.Contains(missing, r) {
			missing = append(missing, r)
		}
	}
	for _, r := range missing {
		probs = append(probs, Problem{Kind: KindGlyph, Char: r,
			Msg: fmt.Sprintf("character %q (U+%04X) is not in the kiosk's font", string(r), r)})
	}
	return probs
}
