package content

import (
	"strings"
	"testing"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/hours"
)

// Review s28: two lines that give Friday different hours. hours.ReadLines
// leaves the later line unread ("not read rather than one of them
// guessed"), yet on Friday the card's "today" shows that one line as typed
// and nothing of the other: with the lines in this order a resident reads
// "T2-T6 7h30-17h" on a Friday the office closes at 11:30 by its own first
// line. Both lines name Friday: both must be shown, or neither claimed.
func TestOfficeTodayShowsBothLinesThatDisagree(t *testing.T) {
	friday := time.Date(2026, 12, 11, 9, 0, 0, 0, hours.Vietnam)
	for _, lines := range [][]string{
		{"T6 7h30-11h30", "T2-T6 7h30-17h"},
		{"T2-T6 7h30-17h", "T6 7h30-11h30"},
	} {
		o := ResolveOffice([]config.Office{{ID: "x", Name: "UBND xã", Hours: lines}}, "x", friday)
		if o.TodayKnown {
			t.Errorf("%q: Friday claimed known: %q", lines, o.Today)
			continue
		}
		for _, l := range lines {
			if !strings.Contains(o.TodayTyped, l) {
				t.Errorf("%q: on Friday the card says today %q, leaving out %q, which names Friday too", lines, o.TodayTyped, l)
			}
		}
	}
}
