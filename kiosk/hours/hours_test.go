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
