// Package hours knows when a kiosk is open to residents: it parses the weekly
// opening hours from the config ("07:30-11:30,13:30-17:00" per day) and says,
// for a moment in time, whether the kiosk is open, until when, and when it
// opens next. Outside the hours the screen shows a "closed" notice and rests.
package hours

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Days are the config's day keys, in time.Weekday order (Sunday first).
var Days = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// Span is one opening on one day, in minutes after midnight; To may be 24:00.
type Span struct{ From, To int }

// String renders the span as "07:30-11:30".
func (s Span) String() string { return clock(s.From) + "-" + clock(s.To) }

func clock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// Clock renders minutes after midnight as the kiosk says a time: "07:30",
// and "24:00" for the end of a day rather than the next day's "00:00".
func Clock(min int) string { return clock(min) }

// Strings are spans as "07:30-11:30" each (Span.String), never nil: a
// screen reads a list, empty on a day off.
func Strings(spans []Span) []string {
	out := make([]string, 0, len(spans))
	for _, sp := range spans {
		out = append(out, sp.String())
	}
	return out
}

// ParseClock reads a time of day (00:00..24:00) into minutes after
// midnight: "07:30", and as people in Vietnam also write it, "7:30", "7h30"
// and "7h" (a slip in the hours took the whole kiosk down at its next start,
// outside QA).
func ParseClock(s string) (int, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	sep := ":"
	if !strings.Contains(t, ":") {
		sep = "h"
	}
	h, m, ok := strings.Cut(t, sep)
	if sep == "h" && ok && m == "" {
		m = "00"
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(h) < 1 || len(h) > 2 || len(m) != 2 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) || hh < 0 || mm < 0 {
		return 0, fmt.Errorf("%q is not a time like 07:30", s)
	}
	return hh*60 + mm, nil
}

// closedWords mean closed all day: a commune's technician may write the
// day off in Vietnamese, as the office's own notice says it.
var closedWords = []string{"", "closed", "đóng cửa", "đóng", "nghỉ"}

// closed reports whether s is one of closedWords: any case, any Unicode form.
func closed(s string) bool {
	s = norm.NFC.String(strings.TrimSpace(s))
	return slices.ContainsFunc(closedWords, func(w string) bool { return strings.EqualFold(s, w) })
}

// ParseDay reads one day's hours: "07:30-11:30,13:30-17:00", and as people
// write them, "7h30 – 11h30, 13h30-17h" (ParseSpan). An empty string,
// "closed", "đóng cửa", "đóng" or "nghỉ" means closed all day. Spans must be
// in order and not overlap.
func ParseDay(s string) ([]Span, error) {
	if closed(s) {
		return nil, nil
	}
	var spans []Span
	for _, part := range splitRanges(s) {
		sp, err := ParseSpan(part)
		if err != nil {
			return nil, err
		}
		if n := len(spans); n > 0 && sp.From < spans[n-1].To {
			return nil, fmt.Errorf("%q overlaps or comes before %s; list the ranges in order", strings.TrimSpace(part), spans[n-1])
		}
		spans = append(spans, sp)
	}
	return spans, nil
}

// splitRanges cuts "07:30-11:30, 13:30-17:00" at its commas; a semicolon,
// or "và" as many communes' notices write it ("7h30-11h30 và 13h30-17h"),
// is taken as the comma.
func splitRanges(s string) []string {
	s = andWord.ReplaceAllString(norm.NFC.String(s), ",")
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' })
}

var andWord = regexp.MustCompile(`(?i)\s+và\s+`)

// ParseSpan reads one opening: "07:30-11:30", "7h30 - 11h30", "7h–17h" (an
// en dash, as word processors and the example config write it) or "từ 7h30
// đến 11h30".
func ParseSpan(s string) (Span, error) {
	part := strings.TrimSpace(s)
	if marks(part) > 1 {
		return Span{}, fmt.Errorf("%q holds two ranges: put a comma between them, as in 7h30-11h30, 13h30-17h", part)
	}
	from, to, ok := cutRange(part)
	if !ok {
		if strings.ContainsFunc(part, unicode.IsDigit) {
			return Span{}, fmt.Errorf("%q is not a range like 07:30-11:30", part)
		}
		// A word: most likely a day off written some other way.
		return Span{}, fmt.Errorf("%q is not a range like 07:30-11:30 (a day off: closed)", part)
	}
	f, err := ParseClock(from)
	if err != nil {
		return Span{}, err
	}
	t, err := ParseClock(to)
	if err != nil {
		return Span{}, err
	}
	if t <= f {
		return Span{}, fmt.Errorf("%q ends before it starts", part)
	}
	return Span{f, t}, nil
}

// rangeMarks are what people put between the two times of a range: a
// hyphen, an en or em dash, or "đến" ("từ 7h30 đến 11h30").
var rangeMarks = []string{"-", "–", "—", "đến"}

// marks counts the range marks in s.
func marks(s string) int {
	s = strings.ToLower(norm.NFC.String(s))
	n := 0
	for _, mark := range rangeMarks {
		n += strings.Count(s, mark)
	}
	return n
}

// cutRange splits a range at its mark, dropping a leading "từ".
func cutRange(s string) (from, to string, ok bool) {
	s = strings.ToLower(norm.NFC.String(s))
	s = strings.TrimSpace(strings.TrimPrefix(s, "từ "))
	for _, mark := range rangeMarks {
		if from, to, ok = strings.Cut(s, mark); ok {
			return from, to, true
		}
	}
	return "", "", false
}

// Week holds each day's spans, indexed by time.Weekday.
type Week [7][]Span

// Schedule is a week of opening hours in a time zone. With Always set the
// kiosk is always open (no hours configured).
type Schedule struct {
	Always bool
	Week   Week
	Loc    *time.Location
}

// Status is the schedule seen at one moment.
type Status struct {
	Open        bool
	Today       []Span
	ClosesAt    time.Time // when open: the end of the current opening
	OpensAt     time.Time // when closed: the next opening (zero if none this fortnight)
	ClosedSince time.Time // when closed: the end of the last opening (zero if none)
}

type interval struct{ from, to time.Time }

// At says whether the kiosk is open at now, and around it.
func (s Schedule) At(now time.Time) Status {
	if s.Always {
		return Status{Open: true}
	}
	loc := s.zone()
	now = now.In(loc)
	return statusAt(now, s.Week[now.Weekday()], s.intervals(now, loc))
}

// intervals lists the openings from a week before to a week after now,
// joining those that touch (a night shift running past midnight).
func (s Schedule) intervals(now time.Time, loc *time.Location) []interval {
	y, m, d := now.Date()
	var all []interval
	for off := -7; off <= 7; off++ {
		day := time.Date(y, m, d+off, 0, 0, 0, 0, loc)
		for _, sp := range s.Week[day.Weekday()] {
			all = append(all, interval{
				from: time.Date(y, m, d+off, 0, sp.From, 0, 0, loc),
				to:   time.Date(y, m, d+off, 0, sp.To, 0, 0, loc),
			})
		}
	}
	return join(all)
}

// NextClock returns the first moment after now at the wall-clock time min
// (minutes after midnight) in loc: when the daily restart is due.
func NextClock(now time.Time, min int, loc *time.Location) time.Time {
	now = now.In(loc)
	y, m, d := now.Date()
	t := time.Date(y, m, d, 0, min, 0, 0, loc)
	if !t.After(now) {
		t = time.Date(y, m, d+1, 0, min, 0, 0, loc)
	}
	return t
}

// DefaultZone is Vietnam's time zone; kiosks are often installed with the
// clock's zone left at UTC, so the config names the zone rather than trust it.
const DefaultZone = "Asia/Ho_Chi_Minh"

// Vietnam is DefaultZone as a fixed UTC+7: Vietnam has kept that offset all
// year since 1975, so it needs no tz database and gives the same calendar day
// on every machine whatever its clock's zone says. Whatever counts days in
// Vietnam (a resume code's day, a lesson summary's date, the hub console's
// times) uses it.
var Vietnam = time.FixedZone("ICT", 7*3600)

// LoadZone loads a time zone by name. The default zone works on a machine
// without the tz database too: it is Vietnam.
func LoadZone(name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if err != nil && name == DefaultZone {
		return Vietnam, nil
	}
	return loc, err
}
