package form

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"tramso/kiosk/hubproto"
)

// tidy is text as an officer typed or pasted it, made what a kiosk shows
// plainly. Text copied from Word, PDFs and web portals carries what no one
// sees: decomposed Vietnamese (NFD, which compares unequal to the same
// words typed), no-break spaces and tabs, runs of spaces, and invisible
// characters (zero-width spaces, bidi marks, soft hyphens). The console shows
// an invisible character as "�" (hubproto.Invisible), and a form saved from
// that "�" would put it in front of residents. So: NFC, every space one
// plain space, no invisible characters; line breaks stay.
func tidy(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case unicode.IsSpace(r):
			return ' '
		case hubproto.Invisible(r):
			return -1
		}
		return r
	}, norm.NFC.String(strings.ReplaceAll(s, "\r\n", "\n")))
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}
