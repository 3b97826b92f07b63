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

// timeStart finds where the times of a line may begin: a time ("7h",
// "07:30", "7h30"), or "từ" before one, after a space or the colon that ends
// the days. The first whose words before it are days is where they begin:
// in "Thứ 6:07h30-11h30" the "6:07" is not (review s27).
var timeStart = regexp.MustCompile(`(?i)(?:^|[\s:])((?:từ\s+)?\d{1,2}(?::\d{2}|h))`)

// ParseLine reads one office hours line: the days, then the times, as the
// offices write them on their notices: "T2-T6 07:30-11:30, 13:30-17:00",
// "T2 - T6: 7h-11h30, 13h30-17h", "Thứ 2 - Thứ 6: 7h30–11h30",
// "Thứ Hai–Thứ Sáu 07:00–11:30", "Mon-Fri 07:30-11:30", "T7 7h30-11h";
// "CN: nghỉ" is a day off. The spans are each read as ParseSpan reads them,
// in any order.
func ParseLine(s string) (Line, error) {
	days, times, err := cutDays(s)
	if err != nil {
		return Line{}, err
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

// cutDays splits a line into its days and its times: "T2-T6 từ 7h30 đến
// 11h30" into "T2-T6" and "từ 7h30 đến 11h30"; "CN: nghỉ" into "CN" and "".
func cutDays(s string) (days, times string, err error) {
	line := norm.NFC.String(strings.TrimSpace(s))
	// Candidates may overlap ("6:07" and ":07h30"): each search starts just
	// after the last one's beginning.
	for at := 0; at < len(line); {
		m := timeStart.FindStringSubmatchIndex(line[at:])
		if m == nil {
			break
		}
		start := at + m[2]
		if d := trimDays(line[:start]); d != "" {
			if _, _, err := ParseDays(d); err == nil {
				return d, line[start:], nil
			}
		}
		at += m[0] + 1
	}
	if d, rest, ok := cutLast(line); ok && closed(rest) {
		days = trimDays(d) // "CN: nghỉ", "T7-CN đóng cửa"
	} else if m := timeStart.FindStringSubmatchIndex(line); m != nil {
		days, times = trimDays(line[:m[2]]), line[m[2]:] // days ParseLine names as not days
	} else {
		return "", "", errors.New("has no times like 7h30-11h30")
	}
	if days == "" {
		return "", "", errors.New("names no days before the times")
	}
	return days, times, nil
}

// trimDays is the days of a line without the colon that ends them.
func trimDays(s string) string {
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), ":"))
}

// LineDays reads only the days of a line ParseLine cannot read, so that a
// slip in its times ("T7: sáng 7h30 đến trưa") still tells which days the
// line is about: on those days the office card shows it as typed and claims
// nothing, while the other days are read from the other lines. The days are
// what comes before the times, or else before the first colon. ok is false
// when the days cannot be read either ("Ngày lễ: nghỉ", "Giờ hành chính").
func LineDays(s string) (from, to time.Weekday, ok bool) {
	if days, _, err := cutDays(s); err == nil {
		if from, to, err := ParseDays(days); err == nil {
			return from, to, true
		}
	}
	if days, _, found := strings.Cut(norm.NFC.String(s), ":"); found {
		if from, to, err := ParseDays(days); err == nil {
			return from, to, true
		}
	}
	return 0, 0, false
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
