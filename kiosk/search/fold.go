package search

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// letters that carry no decomposition but must still fold: Vietnamese đ,
// and the Ê Đê / M'nông ƀ and č (see PROCEDURES.md §4).
var extraFold = map[rune]rune{
	'đ': 'd', 'Đ': 'd',
	'ƀ': 'b', 'Ƀ': 'b',
	'č': 'c', 'Č': 'c',
}

// Fold turns text into the form the index compares: lower case, no marks
// (NFD then drop combining marks), đ→d, ƀ→b, č→c, and y→i so that the spelling
// variants kí/ký, lí/lý, mĩ/mỹ meet. Anything that is not a letter or digit
// becomes a space.
func Fold(s string) string { return normalize(s, true) }

// toneKey is a word as its tones spell it: Fold's form with the marks kept
// (NFC). "mật" and "mất" are one folded word and two tone keys: a password
// is not a death.
func toneKey(s string) string { return norm.NFC.String(normalize(s, false)) }

// normalize is s in lower case, y as i, anything but letters and digits as
// spaces; fold drops the marks too (and đ, ƀ, č become d, b, c).
func normalize(s string, fold bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			if fold {
				continue
			}
		case fold && extraFold[r] != 0:
			r = extraFold[r]
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
		default:
			r = ' '
		}
		if r == 'y' {
			r = 'i'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// toneWords splits s into tone keys, word for word with tokens(s).
func toneWords(s string) []string { return strings.Fields(toneKey(s)) }

// toned reports whether a word carries a mark its folded form drops.
func toned(w string) bool { return w != Fold(w) }

// tokens folds s and splits it into words.
func tokens(s string) []string { return strings.Fields(Fold(s)) }

// osa1 reports whether a and b are within one edit: one letter inserted,
// deleted or replaced, or two neighbours swapped.
func osa1(a, b string) bool {
	if a == b {
		return true
	}
	la, lb := len(a), len(b)
	switch {
	case la == lb:
		i := 0
		for i < la && a[i] == b[i] {
			i++
		}
		if a[i+1:] == b[i+1:] {
			return true // one replaced
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] // swapped
	case la == lb+1:
		return oneDeleted(a, b)
	case lb == la+1:
		return oneDeleted(b, a)
	}
	return false
}

// oneDeleted reports whether short is long with one letter removed.
func oneDeleted(long, short string) bool {
	i := 0
	for i < len(short) && long[i] == short[i] {
		i++
	}
	return long[i+1:] == short[i:]
}

// deletions lists s with each one letter removed (s is folded ASCII).
func deletions(s string) []string {
	out := make([]string, 0, len(s))
	for i := range len(s) {
		out = append(out, s[:i]+s[i+1:])
	}
	return out
}
