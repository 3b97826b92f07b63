package hours

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Line is one line of an office's hours as the config writes it, read:
// "T2-T6 7h30-11h30, 13h30-17h" is Monday to Friday, two spans. Its days
// are one run (ParseLine); ListLine takes a list of them.
type Line struct {
	From, To time.Weekday // the days it covers, Monday counted first
	Spans    []Span       // in the line's own order
	Written  []string     // each span as the line writes it, for the card
}

// Covers reports whether day is in From..To (DayRange.Covers).
func (l Line) Covers(day time.Weekday) bool { return DayRange{l.From, l.To}.Covers(day) }

// DayRange is one day ("T7": Saturday to Saturday) or a run of days from
// the first to the last ("T2-T6"), as a line names them.
type DayRange struct{ From, To time.Weekday }

// Covers reports whether day is in From..To, counting Monday first so that
// "Mon-Sun" and "T2-CN" cover the week; a range that runs past Sunday
// ("T7-T2": Saturday, Sunday, Monday) wraps rather than covering nothing.
func (r DayRange) Covers(day time.Weekday) bool {
	idx := func(d time.Weekday) int { return (int(d) + 6) % 7 }
	if idx(r.From) > idx(r.To) {
		return idx(day) >= idx(r.From) || idx(day) <= idx(r.To)
	}
	return idx(r.From) <= idx(day) && idx(day) <= idx(r.To)
}

// ListLine is one line of an office's hours read with its days as a list:
// "T2-T6, T7: 7h30-11h30" is Monday to Friday, then Saturday, one span.
type ListLine struct {
	Days    []DayRange // as the line names them, in its order
	Spans   []Span     // in the line's own order
	Written []string   // each span as the line writes it, for the card
}

// Covers reports whether one of the line's days is day.
func (l ListLine) Covers(day time.Weekday) bool {
	return slices.ContainsFunc(l.Days, func(r DayRange) bool { return r.Covers(day) })
}

// Run is the line's days as one run, when they follow one another: "T7, CN"
// is Saturday to Sunday, "T2-T6, T7" Monday to Saturday; "Thứ 2, Thứ 4" is
// not one.
func (l ListLine) Run() (DayRange, bool) { return oneRun(l.Days) }

// LineForm is how to write an office hours line, for a message.
const LineForm = `"T2-T6 7h30-11h30, 13h30-17h" (the days: T2…T7 and CN, Thứ Hai…Chủ nhật or Mon…Sun; one day, the first and the last, or a list such as "T7, CN" or "Thứ 2, Thứ 4, Thứ 6", each day once; then the times)`

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
// in any order. A list of days is read when its days follow one another
// ("T7, CN" is Saturday to Sunday, "T2-T6, T7" Monday to Saturday); days
// apart ("Thứ 2, Thứ 4, Thứ 6") are not one Line: ParseListLine reads them.
func ParseLine(s string) (Line, error) {
	l, days, err := parseListLine(s)
	if err != nil {
		return Line{}, err
	}
	r, ok := l.Run()
	if !ok {
		return Line{}, notDays(days)
	}
	return Line{From: r.From, To: r.To, Spans: l.Spans, Written: l.Written}, nil
}

// ParseListLine reads one office hours line as ParseLine does, its days a
// list as ParseDayList reads it: "T7, CN: 07:30-11:30", "Thứ 2, Thứ 4, Thứ
// 6: 7h30-11h30", "Thứ Bảy và Chủ nhật: nghỉ", "T2-T6, T7 7h30-11h30". A
// list it cannot read whole, or that names a day twice, is not read: no day
// of it is guessed.
func ParseListLine(s string) (ListLine, error) {
	l, _, err := parseListLine(s)
	return l, err
}

// parseListLine is ParseListLine, with the days as the line writes them.
func parseListLine(s string) (ListLine, string, error) {
	days, times, err := cutDays(s)
	if err != nil {
		return ListLine{}, "", err
	}
	ranges, err := ParseDayList(days)
	if err != nil {
		return ListLine{}, "", err
	}
	l := ListLine{Days: ranges}
	for _, part := range splitRanges(times) {
		sp, err := ParseSpan(part)
		if err != nil {
			return ListLine{}, "", err
		}
		l.Spans = append(l.Spans, sp)
		l.Written = append(l.Written, strings.TrimSpace(part))
	}
	return l, days, nil
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
			if _, err := ParseDayList(d); err == nil {
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
// when the days cannot be read either ("Ngày lễ: nghỉ", "Giờ hành chính"),
// or are not one run ("T2, T4: sáng"): ListLineDays reads those.
func LineDays(s string) (from, to time.Weekday, ok bool) {
	days, ok := ListLineDays(s)
	if !ok {
		return 0, 0, false
	}
	r, ok := oneRun(days)
	return r.From, r.To, ok
}

// ListLineDays is LineDays for a line whose days are a list
// (ParseDayList): "T2, T4, T6: sáng 7h30 đến trưa" is about Monday,
// Wednesday and Friday.
func ListLineDays(s string) ([]DayRange, bool) {
	if days, _, err := cutDays(s); err == nil {
		if ranges, err := ParseDayList(days); err == nil {
			return ranges, true
		}
	}
	if days, _, found := strings.Cut(norm.NFC.String(s), ":"); found {
		if ranges, err := ParseDayList(days); err == nil {
			return ranges, true
		}
	}
	return nil, false
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
		return 0, 0, notDays(s)
	}
	return from, to, nil
}

func notDays(s string) error {
	return fmt.Errorf("%q are not days like T2-T6, Thứ Hai–Thứ Sáu or T7", strings.TrimSpace(s))
}

// dayListMark is what people put between the days of a list: a comma, "và"
// or "and", "&".
var dayListMark = regexp.MustCompile(`(?i)\s*[,&]\s*|\s+(?:và|and)\s+`)

// ParseDayList reads the days of a line as a list of days and runs of
// days, each as ParseDays reads it: "T7, CN", "Thứ 2, Thứ 4, Thứ 6",
// "Thứ Bảy và Chủ nhật", "T2-T6, T7", "Mon, Wed & Fri"; after a "Thứ", a
// number alone is the next "Thứ": "Thứ 2, 4, 6". One day or run alone is
// read as ParseDays reads it. Each part must be days, and no day named
// twice ("T2-T6, T6" is a slip: which times did the office mean?).
func ParseDayList(s string) ([]DayRange, error) {
	s = norm.NFC.String(strings.TrimSpace(s))
	parts := dayListMark.Split(s, -1)
	if len(parts) == 1 {
		from, to, err := ParseDays(s)
		if err != nil {
			return nil, err
		}
		return []DayRange{{from, to}}, nil
	}
	var out []DayRange
	var named [7]string // the part that names each day
	thu := false        // the part before named its day "Thứ N"
	for _, part := range parts {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, notDays(s) // "T7, CN,": a part left out
		}
		if n, err := strconv.Atoi(part); err == nil && thu && n >= 2 && n <= 7 {
			part = "thứ " + part
		}
		from, to, err := ParseDays(part)
		if err != nil {
			return nil, err
		}
		r := DayRange{from, to}
		for d := time.Sunday; d <= time.Saturday; d++ {
			if !r.Covers(d) {
				continue
			}
			if named[d] != "" {
				return nil, fmt.Errorf("%q names a day twice (%q and %q)", s, named[d], part)
			}
			named[d] = part
		}
		thu = thuNumber.MatchString(part)
		out = append(out, r)
	}
	return out, nil
}

// thuNumber is a day written "Thứ 2" (to "Thứ 7"), as a list's first part.
var thuNumber = regexp.MustCompile(`(?i)^thứ\s*[2-7]$`)

// oneRun is days as one run, when they follow one another: "T7, CN" is
// Saturday to Sunday; the whole week is Monday to Sunday.
func oneRun(days []DayRange) (DayRange, bool) {
	if len(days) == 1 {
		return days[0], true
	}
	covered := func(d time.Weekday) bool {
		return slices.ContainsFunc(days, func(r DayRange) bool { return r.Covers(d) })
	}
	var run DayRange
	starts := 0
	for d := time.Sunday; d <= time.Saturday; d++ {
		if covered(d) && !covered((d+6)%7) {
			run.From, starts = d, starts+1
		}
		if covered(d) && !covered((d+1)%7) {
			run.To = d
		}
	}
	switch starts {
	case 0: // every day
		return DayRange{time.Monday, time.Sunday}, true
	case 1:
		return run, true
	}
	return DayRange{}, false
}

// dayOf reads one day name: any case, any Unicode form, spaces as typed.
func dayOf(s string) (time.Weekday, bool) {
	d, ok := dayNames[strings.Join(strings.Fields(strings.ToLower(norm.NFC.String(s))), " ")]
	return d, ok
}

// Read is one of an office's hours lines as ReadLines reads it.
type Read struct {
	Typed string // the line as typed, without the spaces around it
	// Line is the line read; when Err is set, only its days, when they can
	// be read (ListLineDays): on them the card shows the line as typed.
	Line ListLine
	Err  error // why the line is not read
}

// ReadLines reads an office's hours lines, each on its own
// (ParseListLine): one line not read leaves the others read. A day two
// lines name must mean one thing: a line that gives a day times
// overlapping those an earlier line gives it ("T2-T6 7h30-17h" then "T6
// 7h30-11h30": is Friday afternoon open?), or calls off a day an earlier
// line opens, or opens one it calls off, is not read rather than one of
// them guessed. Lines that add to each other, a morning and an afternoon
// ("T2-T7 7h30-11h30" and "T2-T6 13h30-17h"), are both read.
func ReadLines(lines []string) []Read {
	out := make([]Read, len(lines))
	type given struct {
		line  int
		spans []Span
	}
	var days [7][]given // what the lines read so far give each day
	for i, s := range lines {
		r := Read{Typed: strings.TrimSpace(s)}
		r.Line, r.Err = ParseListLine(s)
		if r.Err != nil {
			r.Line = ListLine{}
			r.Line.Days, _ = ListLineDays(s)
			out[i] = r
			continue
		}
		for d := time.Sunday; d <= time.Saturday && r.Err == nil; d++ {
			if !r.Line.Covers(d) {
				continue
			}
			for _, g := range days[d] {
				if (len(g.spans) == 0) != (len(r.Line.Spans) == 0) || overlap(g.spans, r.Line.Spans) {
					r.Err = fmt.Errorf("a day it names has other times on the line %q: name each day on one line, or give it times that do not overlap", out[g.line].Typed)
					r.Line = ListLine{Days: r.Line.Days}
					break
				}
			}
		}
		if r.Err == nil {
			for d := time.Sunday; d <= time.Saturday; d++ {
				if r.Line.Covers(d) {
					days[d] = append(days[d], given{i, r.Line.Spans})
				}
			}
		}
		out[i] = r
	}
	return out
}

// overlap reports whether a span of a and one of b share a minute.
func overlap(a, b []Span) bool {
	for _, x := range a {
		for _, y := range b {
			if x.From < y.To && y.From < x.To {
				return true
			}
		}
	}
	return false
}
