package hours

import (
	"fmt"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"
	"unicode" // TestVietnam compares with the real zone
)

func TestParseDay(t *testing.T) {
	tests := []struct {
		in      string
		want    string // spans joined by ","
		problem string // part of the error, "" for none
	}{
		{"07:30-11:30,13:30-17:00", "07:30-11:30,13:30-17:00", ""},
		{" 07:30 - 11:30 ", "07:30-11:30", ""},
		{"", "", ""},
		{"closed", "", ""},
		{"Đóng cửa", "", ""},
		{"đo\u0301ng cư\u0309a", "", ""}, // the same words typed decomposed (NFD)
		{"nghỉ", "", ""},
		{"nghỉ trưa", "", "not a range like 07:30-11:30 (a day off: closed)"},
		{"18:00-24:00", "18:00-24:00", ""},
		{"7:30-11:30", "07:30-11:30", ""},
		{"7h30-11h30; 13h30-17h", "07:30-11:30,13:30-17:00", ""},
		{"07H30-11H30", "07:30-11:30", ""},
		{"730-1130", "", "not a time like 07:30"},
		{"7:3-11:30", "", "not a time like 07:30"},
		{"h30-11:30", "", "not a time like 07:30"},
		{"107:30-11:30", "", "not a time like 07:30"},
		{"07:30", "", "not a range"},
		{"11:30-07:30", "", "ends before it starts"},
		{"07:30-11:30,11:00-12:00", "", "overlaps"},
		{"13:30-17:00,07:30-11:30", "", "overlaps or comes before"},
		{"07:60-08:00", "", "not a time"},
		{"24:30-25:00", "", "not a time"},
		// As the technician typed them (outside QA s26): an en dash, as the
		// example config writes office hours, spaces, hours without minutes.
		{"7h30–11h30", "07:30-11:30", ""},
		{"7h30 – 11h30, 13h30 – 17h", "07:30-11:30,13:30-17:00", ""},
		{"7h30-11h30, 13h30-17h", "07:30-11:30,13:30-17:00", ""},
		{"7h-11h", "07:00-11:00", ""},
		{"7h30—11h30", "07:30-11:30", ""},
		{"từ 7h30 đến 11h30", "07:30-11:30", ""},
		{"đóng", "", ""},
		{"Đóng", "", ""},
		{"7h30~11h30", "", `"7h30~11h30" is not a range like 07:30-11:30`},
		{"11h30 13h30-17h", "", `"11h30 13h30" is not a time like 07:30`},
		{"7h30-11h30 13h30-17h", "", `"7h30-11h30 13h30-17h" holds two ranges: put a comma between them`},
	}
	for _, tt := range tests {
		spans, err := ParseDay(tt.in)
		if tt.problem != "" {
			if err == nil || !strings.Contains(err.Error(), tt.problem) {
				t.Errorf("ParseDay(%q) error = %v, want %q", tt.in, err, tt.problem)
			} else if times := strings.ContainsFunc(tt.in, unicode.IsDigit); times == strings.Contains(err.Error(), "a day off") {
				// The day-off hint is for a word, never for a mistyped range.
				t.Errorf("ParseDay(%q) error = %v: the day-off hint only for a word", tt.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseDay(%q): %v", tt.in, err)
			continue
		}
		var got []string
		for _, s := range spans {
			got = append(got, s.String())
		}
		if strings.Join(got, ",") != tt.want {
			t.Errorf("ParseDay(%q) = %v, want %s", tt.in, got, tt.want)
		}
	}
}

func weekdays(spec string) Week {
	var w Week
	spans, err := ParseDay(spec)
	if err != nil {
		panic(err)
	}
	for d := time.Monday; d <= time.Friday; d++ {
		w[d] = spans
	}
	return w
}

func TestScheduleAt(t *testing.T) {
	loc := Vietnam
	office := Schedule{Week: weekdays("07:30-11:30,13:30-17:00"), Loc: loc}
	at := func(day, hm string) time.Time { // day: 2026-11-23 is a Monday
		t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hm, loc)
		if err != nil {
			panic(err)
		}
		return t
	}
	tests := []struct {
		name          string
		sched         Schedule
		now           time.Time
		open          bool
		closes, opens time.Time
		closedSince   time.Time
		todaySpans    int
	}{
		{"morning", office, at("2026-11-23", "08:00"), true, at("2026-11-23", "11:30"), time.Time{}, time.Time{}, 2},
		{"lunch", office, at("2026-11-23", "12:00"), false, time.Time{}, at("2026-11-23", "13:30"), at("2026-11-23", "11:30"), 2},
		{"at opening minute", office, at("2026-11-23", "13:30"), true, at("2026-11-23", "17:00"), time.Time{}, time.Time{}, 2},
		{"at closing minute", office, at("2026-11-23", "17:00"), false, time.Time{}, at("2026-11-24", "07:30"), at("2026-11-23", "17:00"), 2},
		{"friday night to monday", office, at("2026-11-28", "09:00"), false, time.Time{}, at("2026-11-30", "07:30"), at("2026-11-27", "17:00"), 0},
		{"always", Schedule{Always: true}, at("2026-11-29", "03:00"), true, time.Time{}, time.Time{}, time.Time{}, 0},
		{"never open", Schedule{Loc: loc}, at("2026-11-29", "03:00"), false, time.Time{}, time.Time{}, time.Time{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := tt.sched.At(tt.now)
			if st.Open != tt.open || !st.ClosesAt.Equal(tt.closes) || !st.OpensAt.Equal(tt.opens) ||
				!st.ClosedSince.Equal(tt.closedSince) || len(st.Today) != tt.todaySpans {
				t.Errorf("At(%v) = %+v", tt.now, st)
			}
		})
	}
}

func TestScheduleJoinsMidnight(t *testing.T) {
	loc := time.UTC
	var w Week
	w[time.Monday], _ = ParseDay("20:00-24:00")
	w[time.Tuesday], _ = ParseDay("00:00-02:00")
	now := time.Date(2026, 11, 23, 23, 0, 0, 0, loc)
	st := Schedule{Week: w, Loc: loc}.At(now)
	if want := time.Date(2026, 11, 24, 2, 0, 0, 0, loc); !st.Open || !st.ClosesAt.Equal(want) {
		t.Fatalf("At = %+v, want open until %v", st, want)
	}
}

func TestNextClock(t *testing.T) {
	loc := Vietnam
	now := time.Date(2026, 11, 23, 17, 29, 0, 0, loc)
	if got, want := NextClock(now, 17*60+30, loc), now.Add(time.Minute); !got.Equal(want) {
		t.Errorf("NextClock before = %v, want %v", got, want)
	}
	now = time.Date(2026, 11, 23, 17, 30, 0, 0, loc)
	if got, want := NextClock(now, 17*60+30, loc), now.AddDate(0, 0, 1); !got.Equal(want) {
		t.Errorf("NextClock at = %v, want %v", got, want)
	}
	// A clock in UTC still restarts at 17:30 Vietnam time.
	utc := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	if got := NextClock(utc, 17*60+30, loc); got.UTC().Hour() != 10 || got.UTC().Minute() != 30 {
		t.Errorf("NextClock from UTC = %v", got.UTC())
	}
}

func TestLoadZoneDefaultAlwaysWorks(t *testing.T) {
	t.Setenv("ZONEINFO", t.TempDir()) // no tz database here
	loc, err := LoadZone(DefaultZone)
	if err != nil {
		t.Fatal(err)
	}
	if _, off := time.Date(2026, 6, 1, 0, 0, 0, 0, loc).Zone(); off != 7*3600 {
		t.Errorf("offset %d, want +7h", off)
	}
}

// Vietnam needs no tz database and agrees with it: UTC+7 on every day of
// the year, so midnight UTC is 07:00 in Vietnam.
func TestVietnam(t *testing.T) {
	for _, month := range []time.Month{time.January, time.April, time.July, time.October} {
		at := time.Date(2026, month, 1, 0, 0, 0, 0, time.UTC).In(Vietnam)
		if at.Hour() != 7 || at.Day() != 1 {
			t.Errorf("%v in Vietnam = %v, want 07:00 the same day", month, at)
		}
		tz, err := time.LoadLocation(DefaultZone) // from time/tzdata if the machine has none
		if err != nil {
			t.Fatal(err)
		}
		if _, off := at.In(tz).Zone(); off != 7*3600 {
			t.Errorf("%s offset in %v = %d, want +7h", DefaultZone, month, off)
		}
	}
}

// TestParseLine reads office hours lines as offices write them, the
// technician's own typings among them (outside QA s26: "17h", "7h" and
// "Thứ 2 - Thứ 6:" were not read, and the card lost "Hôm nay mở cửa").
func TestParseLine(t *testing.T) {
	tests := []struct {
		in       string
		from, to time.Weekday
		spans    string // joined by ","
		written  string // joined by "|"
		problem  string
	}{
		{"T2-T6 7h30-11h30, 13h30-17h", time.Monday, time.Friday, "07:30-11:30,13:30-17:00", "7h30-11h30|13h30-17h", ""},
		{"T7 7h30-11h", time.Saturday, time.Saturday, "07:30-11:00", "7h30-11h", ""},
		{"Thứ 2 - Thứ 6: 7h-11h30, 13h30-17h", time.Monday, time.Friday, "07:00-11:30,13:30-17:00", "7h-11h30|13h30-17h", ""},
		{"T2 - T6 07:30 - 11:30", time.Monday, time.Friday, "07:30-11:30", "07:30 - 11:30", ""},
		{"T2–T6: 7h30–11h30; 13h30–17h", time.Monday, time.Friday, "07:30-11:30,13:30-17:00", "7h30–11h30|13h30–17h", ""},
		{"Thứ Hai–Thứ Sáu 07:00–11:30, 13:30–17:00", time.Monday, time.Friday, "07:00-11:30,13:30-17:00", "07:00–11:30|13:30–17:00", ""},
		{"thứ hai - thứ sáu 7h-17h", time.Monday, time.Friday, "07:00-17:00", "7h-17h", ""},
		{"Từ Thứ 2 đến Thứ 6: 7h30 đến 11h30", time.Monday, time.Friday, "07:30-11:30", "7h30 đến 11h30", ""},
		{"Mon-Fri 07:30-11:30,13:30-17:00", time.Monday, time.Friday, "07:30-11:30,13:30-17:00", "07:30-11:30|13:30-17:00", ""},
		{"T2-CN 7h-21h", time.Monday, time.Sunday, "07:00-21:00", "7h-21h", ""},
		// "và" between the ranges, as many notices write it (outside QA s26).
		{"T2 - T6: 7h30 - 11h30 và 13h30 - 17h00", time.Monday, time.Friday, "07:30-11:30,13:30-17:00", "7h30 - 11h30|13h30 - 17h00", ""},
		{"Thứ 6: 13h30-17h", time.Friday, time.Friday, "13:30-17:00", "13h30-17h", ""},
		// "từ" before the times, and no space after the days' colon (review s27).
		{"T2-T6 từ 7h30 đến 11h30", time.Monday, time.Friday, "07:30-11:30", "từ 7h30 đến 11h30", ""},
		{"T2-T6: từ 7h30 đến 11h30, từ 13h30 đến 17h", time.Monday, time.Friday, "07:30-11:30,13:30-17:00", "từ 7h30 đến 11h30|từ 13h30 đến 17h", ""},
		{"Thứ 2 - Thứ 6:07h30-11h30", time.Monday, time.Friday, "07:30-11:30", "07h30-11h30", ""},
		{"T7:7h30-11h30", time.Saturday, time.Saturday, "07:30-11:30", "7h30-11h30", ""},
		{"CN: nghỉ", time.Sunday, time.Sunday, "", "", ""},
		{"T7-CN đóng cửa", time.Saturday, time.Sunday, "", "", ""},
		{"Giờ hành chính", 0, 0, "", "", "has no times"},
		{"Ngày lễ: nghỉ", 0, 0, "", "", `"Ngày lễ" are not days`},
		{"7h30-11h30", 0, 0, "", "", "names no days"},
		{"T2-T6 17h", 0, 0, "", "", `"17h" is not a range`},
		{"T2-T6 17:00-07:30", 0, 0, "", "", "ends before it starts"},
		{"T8 7h-11h", 0, 0, "", "", `"T8" are not days`},
	}
	for _, tt := range tests {
		l, err := ParseLine(tt.in)
		if tt.problem != "" {
			if err == nil || !strings.Contains(err.Error(), tt.problem) {
				t.Errorf("ParseLine(%q) error = %v, want %q", tt.in, err, tt.problem)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseLine(%q): %v", tt.in, err)
			continue
		}
		var spans []string
		for _, s := range l.Spans {
			spans = append(spans, s.String())
		}
		if l.From != tt.from || l.To != tt.to || strings.Join(spans, ",") != tt.spans || strings.Join(l.Written, "|") != tt.written {
			t.Errorf("ParseLine(%q) = %v-%v %v %q, want %v-%v %s %q", tt.in, l.From, l.To, spans, l.Written, tt.from, tt.to, tt.spans, tt.written)
		}
	}
}

// Both fields read the same times: a range an office line takes, the
// opening hours take too, and the other way round.
func TestOneReaderForBothFields(t *testing.T) {
	for _, times := range []string{"7h30-11h30, 13h30-17h", "7h30–11h30", "07:30 - 11:30", "7h-17h", "7:30-11:30; 13:30-17:00"} {
		day, err := ParseDay(times)
		if err != nil {
			t.Errorf("ParseDay(%q): %v", times, err)
			continue
		}
		l, err := ParseLine("T2-T6 " + times)
		if err != nil {
			t.Errorf("ParseLine(%q): %v", "T2-T6 "+times, err)
			continue
		}
		if fmt.Sprint(day) != fmt.Sprint(l.Spans) {
			t.Errorf("%q: opening hours read %v, an office line %v", times, day, l.Spans)
		}
	}
}

// days writes days as "mon-fri,sat" for a test's table.
func days(ranges []DayRange) string {
	var out []string
	for _, r := range ranges {
		if r.From == r.To {
			out = append(out, Days[r.From])
		} else {
			out = append(out, Days[r.From]+"-"+Days[r.To])
		}
	}
	return strings.Join(out, ",")
}

// A line that names a list of days is read (it was shown as typed, and the
// line-form hint told people to write the first and the last day): each
// day or run of days as the list names it. A list the kiosk cannot read
// whole, or that names a day twice, is not read: no day of it is guessed.
func TestParseListLine(t *testing.T) {
	tests := []struct {
		in      string
		days    string // days(l.Days)
		spans   string // joined by ","
		problem string
		run     string // days(l.Run()), "" when not one
	}{
		{"T7, CN: 07:30-11:30", "sat,sun", "07:30-11:30", "", "sat-sun"},
		{"Thứ 2, Thứ 4, Thứ 6: 7h30-11h30", "mon,wed,fri", "07:30-11:30", "", ""},
		{"Thứ Bảy và Chủ nhật: 7h-11h", "sat,sun", "07:00-11:00", "", "sat-sun"},
		{"Thứ Bảy và Chủ nhật: nghỉ", "sat,sun", "", "", "sat-sun"},
		{"Thu\u031b\u0301 Ba\u0309y va\u0300 Chu\u0309 nha\u0323\u0302t: 7h-11h", "sat,sun", "07:00-11:00", "", "sat-sun"}, // typed decomposed (NFD)
		{"T2-T6, T7: 7h30-11h30", "mon-fri,sat", "07:30-11:30", "", "mon-sat"},
		{"T2 - T4, T6 7h-17h", "mon-wed,fri", "07:00-17:00", "", ""},
		{"Thứ 2 - Thứ 6, Thứ 7: 7h30-11h30, 13h30-17h", "mon-fri,sat", "07:30-11:30,13:30-17:00", "", "mon-sat"},
		{"Thứ 2, 4, 6: 7h30-11h30", "mon,wed,fri", "07:30-11:30", "", ""},
		{"T2,T4,T6:07:30-11:30", "mon,wed,fri", "07:30-11:30", "", ""},
		{"Thứ 3, Thứ 5:07h30-11h30", "tue,thu", "07:30-11:30", "", ""},
		{"T7 và CN 7h-11h và 13h-17h", "sat,sun", "07:00-11:00,13:00-17:00", "", "sat-sun"},
		{"Mon, Wed & Fri 08:00-12:00", "mon,wed,fri", "08:00-12:00", "", ""},
		{"Sat and Sun: closed", "sat,sun", "", "", "sat-sun"},
		{"T2-T6, T7-CN: 7h-17h", "mon-fri,sat-sun", "07:00-17:00", "", "mon-sun"},
		{"T7, CN đóng cửa", "sat,sun", "", "", "sat-sun"},
		{"từ T2 đến T6, T7: từ 7h30 đến 11h30", "mon-fri,sat", "07:30-11:30", "", "mon-sat"},
		// One day or run, as before.
		{"T2-T6 7h30-11h30, 13h30-17h", "mon-fri", "07:30-11:30,13:30-17:00", "", "mon-fri"},
		{"CN: nghỉ", "sun", "", "", "sun"},
		// Not read: a day named twice, a part that is not days.
		{"T2-T6, T6: 7h-11h", "", "", `"T2-T6, T6" names a day twice ("T2-T6" and "T6")`, ""},
		{"T2, T2: 7h-11h", "", "", "names a day twice", ""},
		{"T6-T2, T2 7h-11h", "", "", "names a day twice", ""},
		{"T7, CN, ngày lễ: 7h-11h", "", "", `"ngày lễ" are not days`, ""},
		{"T7, CN,: 7h-11h", "", "", `"T7, CN," are not days`, ""},
		{"T7,, CN: 7h-11h", "", "", `"T7,, CN" are not days`, ""},
		{"T2, 4, 6: 7h-11h", "", "", `"4" are not days`, ""},
		{"Thứ 2, 8: 7h-11h", "", "", `"8" are not days`, ""},
		{"Sáng T2, T4: 7h-11h", "", "", `"Sáng T2" are not days`, ""},
		{"T2, T4 7h-11h 13h-17h", "", "", "holds two ranges", ""},
		{"T2, T4: sáng 7h30 đến trưa", "", "", `"T4: sáng" are not days`, ""},
	}
	for _, tt := range tests {
		l, err := ParseListLine(tt.in)
		if tt.problem != "" {
			if err == nil || !strings.Contains(err.Error(), tt.problem) {
				t.Errorf("ParseListLine(%q) error = %v, want %q", tt.in, err, tt.problem)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseListLine(%q): %v", tt.in, err)
			continue
		}
		if r, ok := l.Run(); ok != (tt.run != "") || (ok && days([]DayRange{r}) != tt.run) {
			t.Errorf("ParseListLine(%q).Run() = %v %v, want %q", tt.in, r, ok, tt.run)
		}
		if got := days(l.Days); got != tt.days || fmt.Sprint(Strings(l.Spans)) != fmt.Sprint(strings.FieldsFunc(tt.spans, func(r rune) bool { return r == ',' })) {
			t.Errorf("ParseListLine(%q) = %s %v, want %s %s", tt.in, got, Strings(l.Spans), tt.days, tt.spans)
		}
	}
}

// ParseLine, which the office card reads a line with, takes a list whose
// days follow one another as their run; days apart are not one Line.
func TestParseLineList(t *testing.T) {
	tests := []struct {
		in       string
		from, to time.Weekday
		problem  string
	}{
		{"T7, CN: 07:30-11:30", time.Saturday, time.Sunday, ""},
		{"Thứ Bảy và Chủ nhật: nghỉ", time.Saturday, time.Sunday, ""},
		{"T2-T6, T7: 7h30-11h30", time.Monday, time.Saturday, ""},
		{"CN, T2: 7h-11h", time.Sunday, time.Monday, ""},
		{"T6, T7, CN, T2: 7h-11h", time.Friday, time.Monday, ""},
		{"T2-T6, T7-CN: 7h-17h", time.Monday, time.Sunday, ""},
		{"Thứ 2, Thứ 4, Thứ 6: 7h30-11h30", 0, 0, `"Thứ 2, Thứ 4, Thứ 6" are not days like T2-T6`},
		{"T6, T2: 7h-11h", 0, 0, "are not days"},
		{"T2-T6, T6: 7h-11h", 0, 0, "names a day twice"},
	}
	for _, tt := range tests {
		l, err := ParseLine(tt.in)
		if tt.problem != "" {
			if err == nil || !strings.Contains(err.Error(), tt.problem) {
				t.Errorf("ParseLine(%q) error = %v, want %q", tt.in, err, tt.problem)
			}
			continue
		}
		if err != nil || l.From != tt.from || l.To != tt.to {
			t.Errorf("ParseLine(%q) = %v-%v, %v; want %v-%v", tt.in, l.From, l.To, err, tt.from, tt.to)
		}
		for d := time.Sunday; d <= time.Saturday; d++ {
			if ll, _ := ParseListLine(tt.in); l.Covers(d) != ll.Covers(d) {
				t.Errorf("ParseLine(%q) covers %v: %v, the list %v", tt.in, d, l.Covers(d), ll.Covers(d))
			}
		}
	}
}

// The days of a line whose times are not read are still read when they
// are a list: the card shows the line as typed on those days.
func TestListLineDays(t *testing.T) {
	for in, want := range map[string]string{
		"T2, T4: sáng 7h30 đến trưa":     "mon,wed",
		"Thứ Bảy và Chủ nhật: theo lịch": "sat,sun",
		"T2-T6, T7 7h30":                 "mon-fri,sat",
		"Ngày lễ, Tết: nghỉ":             "",
		"T2, T2: sáng":                   "",
		"Giờ hành chính":                 "",
	} {
		got, ok := ListLineDays(in)
		if days(got) != want || ok != (want != "") {
			t.Errorf("ListLineDays(%q) = %s %v, want %q", in, days(got), ok, want)
		}
	}
	// LineDays, for one run.
	if from, to, ok := LineDays("T7, CN: sáng"); !ok || from != time.Saturday || to != time.Sunday {
		t.Errorf("LineDays(T7, CN) = %v-%v %v", from, to, ok)
	}
	if _, _, ok := LineDays("T2, T4: sáng"); ok {
		t.Error("LineDays(T2, T4): days apart are not one run")
	}
}

// An office's lines read together: a day two lines name must mean one
// thing, or the later line is not read; lines that add up are read.
func TestReadLines(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []string // each line: "read mon-fri" / "unread mon-fri: problem" ("unread -" when its days are not read)
	}{
		{"a list beside a run", []string{"T2-T6: 7h30-11h30, 13h30-17h", "T7, CN: 7h30-11h30"},
			[]string{"read mon-fri", "read sat,sun"}},
		{"a morning and an afternoon", []string{"T2-T7 7h30-11h30", "T2-T6 13h30-17h"},
			[]string{"read mon-sat", "read mon-fri"}},
		{"an evening added on some days", []string{"T2-T6 7h30-11h30, 13h30-17h", "Thứ 2, Thứ 4, Thứ 6: 17h-19h"},
			[]string{"read mon-fri", "read mon,wed,fri"}},
		{"a day off twice", []string{"T7-CN: nghỉ", "CN: đóng cửa"},
			[]string{"read sat-sun", "read sun"}},
		{"Friday's afternoon: open or not?", []string{"T2-T6 7h30-17h", "T6 7h30-11h30"},
			[]string{"read mon-fri", `unread fri: a day it names has other times on the line "T2-T6 7h30-17h"`}},
		{"a day off that another line opens", []string{"T2-CN 7h-17h", "CN: nghỉ"},
			[]string{"read mon-sun", `unread sun: other times on the line "T2-CN 7h-17h"`}},
		{"a day opened that another line calls off", []string{"CN: nghỉ", "T7, CN: 7h-11h"},
			[]string{"read sun", `unread sat,sun: other times on the line "CN: nghỉ"`}},
		{"the line it overlaps is named", []string{"T2-T6 7h30-11h30", "T2-T6 13h30-17h", "T6 14h-16h"},
			[]string{"read mon-fri", "read mon-fri", `unread fri: other times on the line "T2-T6 13h30-17h"`}},
		{"an unread line sets nothing", []string{"T2, T4: sáng 7h30 đến trưa", "T2-T6 7h-17h"},
			[]string{"unread mon,wed: are not days", "read mon-fri"}},
		{"a line unread for a twice-named day sets nothing", []string{"T2-T6 7h30-17h", "T6 7h30-11h30", "T6 7h30-11h30"},
			[]string{"read mon-fri", `unread fri: on the line "T2-T6 7h30-17h"`, `unread fri: on the line "T2-T6 7h30-17h"`}},
		{"days not read", []string{"Giờ hành chính", "T2-T6, T6 7h-11h"},
			[]string{"unread -: has no times", "unread -: names a day twice"}},
	}
	for _, tc := range tests {
		got := ReadLines(tc.lines)
		if len(got) != len(tc.lines) {
			t.Fatalf("%s: %d reads for %d lines", tc.name, len(got), len(tc.lines))
		}
		for i, r := range got {
			d := days(r.Line.Days)
			if d == "" {
				d = "-"
			}
			if r.Typed != strings.TrimSpace(tc.lines[i]) {
				t.Errorf("%s: line %d typed %q", tc.name, i, r.Typed)
			}
			want, problem, _ := strings.Cut(tc.want[i], ": ")
			switch {
			case r.Err == nil && want != "read "+d:
				t.Errorf("%s: line %d read %s, want %s", tc.name, i, d, tc.want[i])
			case r.Err != nil && (want != "unread "+d || !strings.Contains(r.Err.Error(), problem)):
				t.Errorf("%s: line %d unread %s: %v; want %s", tc.name, i, d, r.Err, tc.want[i])
			case r.Err != nil && r.Line.Spans != nil:
				t.Errorf("%s: line %d unread, yet spans %v", tc.name, i, r.Line.Spans)
			}
		}
	}
}

// Whatever is typed, a line ParseLine reads is read alike as a list, and a
// list read names no day twice.
func FuzzParseListLine(f *testing.F) {
	for _, s := range []string{"T7, CN: 07:30-11:30", "Thứ 2, 4, 6: 7h30-11h30", "Thứ Bảy và Chủ nhật: nghỉ", "T2-T6, T7 7h-17h", "T6-T2, T2 7h-11h", "Thứ 6:07h30-11h30", "CN: nghỉ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ll, err := ParseListLine(s)
		if err == nil {
			n := 0
			for _, r := range ll.Days {
				for d := time.Sunday; d <= time.Saturday; d++ {
					if r.Covers(d) {
						n++
					}
				}
			}
			var covered int
			for d := time.Sunday; d <= time.Saturday; d++ {
				if ll.Covers(d) {
					covered++
				}
			}
			if n != covered {
				t.Errorf("ParseListLine(%q) names a day twice: %v", s, ll.Days)
			}
		}
		l, lerr := ParseLine(s)
		if lerr != nil {
			return
		}
		if err != nil {
			t.Fatalf("ParseLine(%q) reads it, ParseListLine does not: %v", s, err)
		}
		for d := time.Sunday; d <= time.Saturday; d++ {
			if l.Covers(d) != ll.Covers(d) {
				t.Errorf("ParseLine(%q) covers %v: %v, the list %v", s, d, l.Covers(d), ll.Covers(d))
			}
		}
	})
}
