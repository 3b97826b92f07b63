package hours

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Line is one line of an office's hours as the config writes it, read:
// "T2-T6 7h30-11h30, 13h30-17h" is Monday to Friday, two spans.
type Line struct {
	From, To time.Weekday // the days it covers, Monday counted first
	Spans    []Span       // in the line's own order
	Written  []string     // each span as the line writes it, for the card
}

// Covers reports whether day is in From..To, counting Monday first so that
// "Mon-Sun" and "T2-CN" cover the week; a range that runs past Sunday
// ("T7-T2": Saturday, Sunday, Monday) wraps rather than covering nothing.
func (l Line) Covers(day time.Weekday) bool {
	idx := func(d time.Weekday) int { return (int(d) + 6) % 7 }
	if idx(l.From) > idx(l.To) {
		return idx(day) >= idx(l.From) || idx(day) <= idx(l.To)
	}
	return idx(l.From) <= idx(day) && idx(day) <= idx(l.To)
}

// LineForm is how to write an office hours line, for a message.
const LineForm = `"T2-T6 7h30-11h30, 13h30-17h" (the days: T2…T7 and CN, Thứ Hai…Chủ nhật or Mon…Sun, one day or the first and the last; then the times)`

// firstTime finds where the times of a line begin: a time ("7h", "07:30",
// "7h30") after a space or the colon that ends the days; "Thứ 6:" is a day.
var firstTime = regexp.MustCompile(`(?i)(?:^|[\s:])(\d{1,2}(?::\d{2}|h))`)

// ParseLine reads one office hours line: the days, then the times, as the
// offices write them on their notices: "T2-T6 07:30-11:30, 13:30-17:00",
// "T2 - T6: 7h-11h30, 13h30-17h", "Thứ 2 - Thứ 6: 7h30–11h30",
// "Thứ Hai–Thứ Sáu 07:00–11:30", "Mon-Fri 07:30-11:30", "T7 7h30-11h";
// "CN: nghỉ" is a day off. The spans are each read as ParseSpan reads them,
// in any order.
func ParseLine(s string) (Line, error) {
	line := norm.NFC.String(strings.TrimSpace(s))
	days, times := "", ""
	if m := firstTime.FindStringSubmatchIndex(line); m != nil {
		days, times = line[:m[2]], line[m[2]:]
	} else if d, rest, ok := cutLast(line); ok && closed(rest) {
		days = d // "CN: nghỉ", "T7-CN đóng cửa"
	} else {
		return Line{}, errors.New("has no times like 7h30-11h30")
	}
	days = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(days), ":"))
	if days == "" {
		return Line{}, errors.New("names no days before the times")
	}
	from, to, err := ParseDays(days)
	if err != nil {
		return Line{}, err
	}
	l := Line{From: from, To: to}
	for _, part := range splitRanges(times) {
		sp, err := ParseSpan(part)
		if err != nil {
			return Line{}, err
		}
		l.Spans = append(l.Spans, sp)
		l.Written = append(l.Written, strings.TrimSpace(part))
	}
	return l, nil
}

// cutLast splits "T7-CN: nghỉ" into its days and its last words, at the
// colon or else the last space.
func cutLast(s string) (days, rest string, ok bool) {
	if d, r, ok := strings.Cut(s, ":"); ok {
		return d, r, true
	}
	for _, w := range closedWords[1:] {
		if len(s) > len(w) && strings.EqualFold(s[len(s)-len(w):], w) {
			return s[:len(s)-len(w)], w, true
		}
	}
	return "", "", false
}

// dayNames are the day names of office hours lines, lower case.
var dayNames = map[string]time.Weekday{
	"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday,
	"fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday,
	"t2": time.Monday, "t3": time.Tuesday, "t4": time.Wednesday, "t5": time.Thursday,
	"t6": time.Friday, "t7": time.Saturday, "cn": time.Sunday,
	"thứ hai": time.Monday, "thứ ba": time.Tuesday, "thứ tư": time.Wednesday, "thứ năm": time.Thursday,
	"thứ sáu": time.Friday, "thứ bảy": time.Saturday, "chủ nhật": time.Sunday,
	"thứ 2": time.Monday, "thứ 3": time.Tuesday, "thứ 4": time.Wednesday, "thứ 5": time.Thursday,
	"thứ 6": time.Friday, "thứ 7": time.Saturday,
}

// ParseDays reads the days of a line: one day ("T7", "Thứ Bảy", "CN") or the
// first and the last ("T2-T6", "T2 - T6", "Thứ 2 – Thứ 6", "từ Thứ Hai đến
// Thứ Sáu", "Mon-Fri").
func ParseDays(s string) (from, to time.Weekday, err error) {
	first, last, ok := cutRange(s)
	if !ok {
		first = strings.TrimPrefix(strings.ToLower(norm.NFC.String(strings.TrimSpace(s))), "từ ")
		last = first
	}
	from, ok1 := dayOf(first)
	to, ok2 := dayOf(last)
	if !ok1 || !ok2 {
		return 0, 0, fmt.Errorf("%q are not days like T2-T6, Thứ Hai–Thứ Sáu or T7", strings.TrimSpace(s))
	}
	return from, to, nil
}

// dayOf reads one day name: any case, any Unicode form, spaces as typed.
func dayOf(s string) (time.Weekday, bool) {
	d, ok := dayNames[strings.Join(strings.Fields(strings.ToLower(norm.NFC.String(s))), " ")]
	return d, ok
}
