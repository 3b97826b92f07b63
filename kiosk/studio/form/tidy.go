package form

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// tidy is text as an officer typed or pasted it, made what a kiosk shows
// plainly. Text copied from Word, PDFs and web portals carries what no one
// sees: decomposed Vietnamese (NFD, which compares unequal to the same
// words typed), no-break spaces and tabs, runs of spaces, and invisible
// characters (zero-width spaces, bidi marks, soft hyphens). The console shows
// an invisible character as "�" (admin.go's neutralise), and a form saved
// from that "�" would put it in front of residents. So: NFC, every space one
// plain space, no invisible or control characters; line breaks stay.
func tidy(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if isTidy(s) {
		return s
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case unicode.IsSpace(r):
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, norm.NFC.String(s))
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}

// isTidy reports whether tidy would leave s as it is: the common case,
// checked without building a copy.
func isTidy(s string) bool {
	prev := '\n'
	for _, r := range s {
		switch {
		case r == '\n':
			if prev == ' ' {
				return false
			}
		case r == ' ':
			if prev == ' ' || prev == '\n' {
				return false
			}
		case unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			return false
		}
		prev = r
	}
	return prev != ' ' && norm.NFC.IsNormalString(s)
}
