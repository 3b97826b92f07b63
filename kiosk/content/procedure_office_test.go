package content

import (
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/hours"
)

// phaseAt picks the phase the card's clock is in at t, as the card does.
func (o Office) phaseAt(t time.Time) (OfficePhase, bool) {
	var p OfficePhase
	found := false
	for _, ph := range o.Phases {
		if !ph.From.After(t) {
			p, found = ph, true
		}
	}
	return p, found
}

// says is a phase as one short line: "over, opens tomorrow morning mon 07:30",
// "closing at 11:30, then lunch".
func (p OfficePhase) says() string {
	switch {
	case p.Closes != nil:
		return fmt.Sprintf("%s at %s, then %s", p.State, p.Closes.Time, p.Closes.Then)
	case p.Opens == nil:
		return p.State
	}
	return fmt.Sprintf("%s, opens %s %s %s %s", p.State, p.Opens.When, p.Opens.Part, p.Opens.Day, p.Opens.Time)
}

func TestOfficePhases(t *testing.T) {
	weekdays := []string{"T2-T6 07:30-11:30, 13:30-17:00"}
	withSaturday := []string{"Mon-Fri 07:30-11:30,13:30-17:00", "Sat 07:30-11:30"}
	technician := []string{"T2-T6 7h30-11h30, 13h30-17h", "T7 7h30-11h"}
	// 2026-12-07 is a Monday; the card reads the kiosk's clock in Vietnam.
	at := func(day int, hm string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", fmt.Sprintf("2026-12-%02d %s", day, hm), hours.Vietnam)
		if err != nil {
			panic(err)
		}
		return t
	}
	tests := []struct {
		name  string
		hours []string
		now   time.Time // when the view is made
		look  time.Time // when the card looks (the same day)
		today string
		want  string
	}{
		{"before opening", weekdays, at(9, "06:30"), at(9, "06:30"), "07:30-11:30, 13:30-17:00", "before, opens today morning wed 07:30"},
		{"open", weekdays, at(9, "06:30"), at(9, "10:00"), "07:30-11:30, 13:30-17:00", "open"},
		{"a break", weekdays, at(9, "12:15"), at(9, "12:15"), "07:30-11:30, 13:30-17:00", "break, opens today afternoon wed 13:30"},
		{"open again", weekdays, at(9, "12:15"), at(9, "15:46"), "07:30-11:30, 13:30-17:00", "open"},
		{"over, tomorrow morning", weekdays, at(9, "17:46"), at(9, "17:46"), "07:30-11:30, 13:30-17:00", "over, opens tomorrow morning thu 07:30"},
		{"over at the minute it closes", weekdays, at(9, "09:00"), at(9, "17:00"), "07:30-11:30, 13:30-17:00", "over, opens tomorrow morning thu 07:30"},
		{"friday 17:30, opens on Monday", weekdays, at(11, "17:30"), at(11, "17:30"), "07:30-11:30, 13:30-17:00", "over, opens day morning mon 07:30"},
		{"friday 17:30, Saturday morning next", withSaturday, at(11, "17:30"), at(11, "17:30"), "07:30-11:30, 13:30-17:00", "over, opens tomorrow morning sat 07:30"},
		{"saturday with morning hours, open", withSaturday, at(12, "08:00"), at(12, "08:00"), "07:30-11:30", "open"},
		{"saturday with morning hours, over", withSaturday, at(12, "11:45"), at(12, "11:45"), "07:30-11:30", "over, opens day morning mon 07:30"},
		{"saturday closed", weekdays, at(12, "09:00"), at(12, "09:00"), "", "closed_day, opens day morning mon 07:30"},
		{"sunday closed", withSaturday, at(13, "09:00"), at(13, "23:59"), "", "closed_day, opens tomorrow morning mon 07:30"},
		{"monday only, over: next week", []string{"Thứ Hai 13:30-17:00"}, at(7, "17:30"), at(7, "17:30"), "13:30-17:00", "over, opens next_week afternoon mon 13:30"},
		{"afternoon only, before", []string{"Thứ Hai–Thứ Sáu 13:30–17:00"}, at(7, "08:00"), at(7, "08:00"), "13:30-17:00", "before, opens today afternoon mon 13:30"},
		{"lines out of order", []string{"T2-T6 13:30-17:00, 7h30-11h30"}, at(8, "12:00"), at(8, "12:00"), "07:30-11:30, 13:30-17:00", "break, opens today afternoon tue 13:30"},
		{"an evening opening", []string{"CN 18:00-21:00"}, at(12, "10:00"), at(12, "10:00"), "", "closed_day, opens tomorrow evening sun 18:00"},
		// The technician's lines (outside QA s26): "17h" and "Thứ 2 - Thứ 6:"
		// were not read, and the card showed the lines as typed.
		{"hours without minutes", technician, at(9, "12:00"), at(9, "12:00"), "07:30-11:30, 13:30-17:00", "break, opens today afternoon wed 13:30"},
		{"hours without minutes, over", technician, at(9, "12:00"), at(9, "17:00"), "07:30-11:30, 13:30-17:00", "over, opens tomorrow morning thu 07:30"},
		{"saturday until 11h", technician, at(12, "08:00"), at(12, "10:14"), "07:30-11:00", "open"},
		{"saturday after 11h", technician, at(12, "08:00"), at(12, "11:00"), "07:30-11:00", "over, opens day morning mon 07:30"},
		{"Thứ 2 - Thứ 6:", []string{"Thứ 2 - Thứ 6: 7h-11h30, 13h30-17h"}, at(11, "17:30"), at(11, "17:30"), "07:00-11:30, 13:30-17:00", "over, opens day morning mon 07:00"},
		{"T2 - T6 with en dashes", []string{"T2 – T6: 7h30 – 11h30, 13h30 – 17h"}, at(7, "06:00"), at(7, "06:00"), "07:30-11:30, 13:30-17:00", "before, opens today morning mon 07:30"},
		{"a day off written", []string{"T2-T6 7h30-17h", "T7-CN: nghỉ"}, at(12, "09:00"), at(12, "09:00"), "", "closed_day, opens day morning mon 07:30"},
		// Review s26: yesterday's span to 24:00 ended at today's midnight;
		// this morning is before today's opening, not a break.
		{"the day after a span to 24:00", []string{"T2-T6 18:00-24:00"}, at(8, "09:00"), at(8, "09:00"), "18:00-24:00", "before, opens today evening tue 18:00"},
		// Outside testers s27: "7h30" on the card beside the kiosk's "13:30";
		// today is said in the kiosk's form, whatever the line typed.
		{"today in the kiosk's form", technician, at(9, "06:00"), at(9, "06:00"), "07:30-11:30, 13:30-17:00", "before, opens today morning wed 07:30"},
		// Outside testers s27: nothing said as the office was about to
		// close. In the last ClosingSoon (45 min) of an opening the phase
		// says when it closes and what follows.
		{"45 minutes before lunch", weekdays, at(9, "06:30"), at(9, "10:45"), "07:30-11:30, 13:30-17:00", "closing at 11:30, then lunch"},
		{"a minute before lunch", weekdays, at(9, "06:30"), at(9, "11:29"), "07:30-11:30, 13:30-17:00", "closing at 11:30, then lunch"},
		{"46 minutes before lunch, open", weekdays, at(9, "06:30"), at(9, "10:44"), "07:30-11:30, 13:30-17:00", "open"},
		{"before the end of the day", weekdays, at(9, "06:30"), at(9, "16:40"), "07:30-11:30, 13:30-17:00", "closing at 17:00, then over"},
		{"saturday until 11h, closing", technician, at(12, "08:00"), at(12, "10:15"), "07:30-11:00", "closing at 11:00, then over"},
		{"a short opening is closing from its start", []string{"T2-T6 07:30-08:00, 13:30-17:00"}, at(9, "06:30"), at(9, "07:30"), "07:30-08:00, 13:30-17:00", "closing at 08:00, then break"},
		{"a day to midnight", []string{"T2-T6 18:00-24:00"}, at(9, "06:30"), at(9, "23:30"), "18:00-24:00", "closing at 24:00, then over"},
		{"a night running on into the next day is not closing", []string{"T2-CN 18:00-24:00", "T2-CN 00:00-06:00"}, at(9, "06:30"), at(9, "23:30"), "00:00-06:00, 18:00-24:00", "open"},
		// A range past Sunday wraps ("T7-T2": Saturday to Monday), rather
		// than covering no day and calling the office closed every day.
		{"a range past Sunday, Monday", []string{"T7-T2 07:30-11:30"}, at(7, "08:00"), at(7, "08:00"), "07:30-11:30", "open"},
		{"a range past Sunday, Wednesday", []string{"T7-T2 07:30-11:30"}, at(9, "08:00"), at(9, "08:00"), "", "closed_day, opens day morning sat 07:30"},
	}
	for _, tc := range tests {
		o := ResolveOffice([]config.Office{{ID: "pvhcc", Name: "UBND", Hours: tc.hours}}, "pvhcc", tc.now)
		if !o.TodayKnown || o.Today != tc.today {
			t.Errorf("%s: today %q known %v, want %q", tc.name, o.Today, o.TodayKnown, tc.today)
		}
		p, ok := o.phaseAt(tc.look)
		if !ok || p.says() != tc.want {
			t.Errorf("%s: at %s says %q, want %q (phases %+v)", tc.name, tc.look.Format("Mon 15:04"), p.says(), tc.want, o.Phases)
		}
	}
}

// A weekday's phases begin at midnight and change only at an opening or a
// closing; a closed day is one phase; the times are in Vietnam whatever the
// zone of the clock the kiosk was given.
func TestOfficePhaseBoundaries(t *testing.T) {
	o := ResolveOffice([]config.Office{{ID: "x", Hours: []string{"Mon-Fri 07:30-11:30,13:30-17:00"}}}, "x",
		time.Date(2026, 12, 9, 3, 0, 0, 0, time.UTC)) // 10:00 on a Wednesday in Vietnam
	var got []string
	for _, p := range o.Phases {
		got = append(got, p.From.Format("15:04 -07:00 ")+p.State)
	}
	want := "[00:00 +07:00 before 07:30 +07:00 open 10:45 +07:00 closing 11:30 +07:00 break 13:30 +07:00 open 16:15 +07:00 closing 17:00 +07:00 over]"
	if fmt.Sprint(got) != want {
		t.Errorf("phases = %v, want %s", got, want)
	}
	sun := ResolveOffice([]config.Office{{ID: "x", Hours: []string{"Mon-Fri 07:30-11:30,13:30-17:00"}}}, "x",
		time.Date(2026, 12, 13, 9, 0, 0, 0, hours.Vietnam))
	if len(sun.Phases) != 1 || sun.Phases[0].says() != "closed_day, opens tomorrow morning mon 07:30" {
		t.Errorf("sunday phases = %+v", sun.Phases)
	}
	// Late at night in UTC is already the next morning in Vietnam.
	late := ResolveOffice([]config.Office{{ID: "x", Hours: []string{"Mon-Fri 07:30-11:30,13:30-17:00"}}}, "x",
		time.Date(2026, 12, 11, 23, 0, 0, 0, time.UTC)) // Saturday 06:00 in Vietnam
	if late.Today != "" || len(late.Phases) != 1 || late.Phases[0].State != OfficeClosedDay {
		t.Errorf("saturday morning in Vietnam = %q %+v", late.Today, late.Phases)
	}
}

// Hours that cannot be read, or none at all, give no phases: the card shows
// the lines as written and guesses nothing.
func TestOfficePhasesUnread(t *testing.T) {
	now := time.Date(2026, 12, 9, 10, 0, 0, 0, hours.Vietnam) // a Wednesday
	for _, lines := range [][]string{
		nil,
		{"Giờ hành chính"},
		{"T2-T6 17:00-07:30"}, // ends before it starts
		{"T2-T6 07:30-25:00"},
		// A line whose days are not read may mean today: Wednesday is
		// covered by no line the kiosk read.
		{"T7 07:30-11:30", "Ngày thường: 7h30-17h"},
	} {
		o := ResolveOffice([]config.Office{{ID: "x", Name: "UBND", Hours: lines}}, "x", now)
		if o.TodayKnown || o.Today != "" || o.Phases != nil || !o.Known {
			t.Errorf("%q: today %q known %v phases %+v", lines, o.Today, o.TodayKnown, o.Phases)
		}
	}
}

// Outside testers s27: one line the kiosk could not read made the card show
// every line as typed and drop today's phases. Each line is read on its
// own: the lines read give today's phases and are said in the kiosk's form;
// the line not read is kept as typed; on a day that line names, today is
// shown as typed and nothing is claimed.
func TestOfficeOneLineUnread(t *testing.T) {
	lines := []string{"T2-T6: 7h30-11h30, 13h30-17h", "T7: sáng 7h30 đến trưa", "Ngày lễ: nghỉ"}
	at := func(day int, hm string) time.Time {
		t, _ := time.ParseInLocation("2006-01-02 15:04", fmt.Sprintf("2026-12-%02d %s", day, hm), hours.Vietnam)
		return t
	}
	wantLines := []OfficeLine{{From: "mon", To: "fri", Spans: []string{"07:30-11:30", "13:30-17:00"}, Read: []hours.Span{{From: 450, To: 690}, {From: 810, To: 1020}}}, {Typed: "T7: sáng 7h30 đến trưa"}, {Typed: "Ngày lễ: nghỉ"}}
	tests := []struct {
		name        string
		now, look   time.Time
		today       string
		known       bool
		typed, says string
	}{
		{"a weekday is read", at(9, "12:00"), at(9, "12:00"), "07:30-11:30, 13:30-17:00", true, "", "break, opens today afternoon wed 13:30"},
		{"a weekday's closing", at(9, "12:00"), at(9, "16:30"), "07:30-11:30, 13:30-17:00", true, "", "closing at 17:00, then over"},
		// Friday evening: Saturday's line is not read, and the office may
		// open then: the card does not send the resident on to Monday.
		{"friday evening before an unread saturday", at(11, "17:30"), at(11, "17:30"), "07:30-11:30, 13:30-17:00", true, "", "over"},
		{"saturday is the line not read", at(12, "09:00"), at(12, "09:00"), "", false, "T7: sáng 7h30 đến trưa", ""},
		// Sunday: no line names it, but "Ngày lễ" names no day the kiosk
		// can read: it may mean any day, so Sunday is not called closed.
		{"sunday, under a line whose days are not read", at(13, "09:00"), at(13, "09:00"), "", false, "", ""},
	}
	for _, tc := range tests {
		o := ResolveOffice([]config.Office{{ID: "x", Name: "UBND", Hours: lines}}, "x", tc.now)
		if fmt.Sprint(o.Lines) != fmt.Sprint(wantLines) {
			t.Errorf("%s: lines %+v, want %+v", tc.name, o.Lines, wantLines)
		}
		if o.Today != tc.today || o.TodayKnown != tc.known || o.TodayTyped != tc.typed {
			t.Errorf("%s: today %q known %v typed %q", tc.name, o.Today, o.TodayKnown, o.TodayTyped)
		}
		p, ok := o.phaseAt(tc.look)
		if (tc.says == "") != !ok || (ok && p.says() != tc.says) {
			t.Errorf("%s: says %q (%v), want %q", tc.name, p.says(), ok, tc.says)
		}
	}
	// Only the days a line names are taken from it: every other day is
	// read, and one no line covers is a day off.
	o := ResolveOffice([]config.Office{{ID: "x", Hours: []string{"T2-T6 7h30-11h30", "T7: sáng 7h30 đến trưa"}}}, "x", at(13, "09:00"))
	if !o.TodayKnown || len(o.Phases) != 1 || o.Phases[0].says() != "closed_day, opens tomorrow morning mon 07:30" {
		t.Errorf("sunday beside an unread saturday: %+v", o)
	}
}

// The lines are said in one form, the kiosk's, with the pack's day names
// (its checklist words); a line not read, as typed. A language the pack
// gives them in says them in it (a translator's Ê Đê), one it does not
// falls back to Vietnamese.
func TestOfficeLineSay(t *testing.T) {
	o := ResolveOffice([]config.Office{{ID: "x", Hours: []string{
		"T2-T6: 13h30-17h, 7h30-11h30", "Thứ bảy 7h-11h", "CN: nghỉ", "Tết: nghỉ từ 28 tháng Chạp",
	}}}, "x", time.Date(2026, 12, 9, 10, 0, 0, 0, hours.Vietnam))
	w := maps.Clone(starterProcedures(t).Assistant.Checklist)
	for _, k := range []string{"day_mon", "day_fri", "day_sat", "day_sun", "day_off"} {
		w[k] = maps.Clone(w[k])
		w[k]["rad"] = "rad:" + k // stands for the translator's word
	}
	for lang, want := range map[string]string{
		"vi":  "Thứ Hai–Thứ Sáu: 07:30–11:30, 13:30–17:00; Thứ Bảy: 07:00–11:00; Chủ nhật: nghỉ; Tết: nghỉ từ 28 tháng Chạp",
		"en":  "Monday–Friday: 07:30–11:30, 13:30–17:00; Saturday: 07:00–11:00; Sunday: closed; Tết: nghỉ từ 28 tháng Chạp",
		"rad": "rad:day_mon–rad:day_fri: 07:30–11:30, 13:30–17:00; rad:day_sat: 07:00–11:00; rad:day_sun: rad:day_off; Tết: nghỉ từ 28 tháng Chạp",
		"mng": "Thứ Hai–Thứ Sáu: 07:30–11:30, 13:30–17:00; Thứ Bảy: 07:00–11:00; Chủ nhật: nghỉ; Tết: nghỉ từ 28 tháng Chạp",
	} {
		if got := o.HoursIn(w, lang); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
		// The API sends the same lines, each said (the card shows them as sent).
		var said []string
		for _, l := range o.In(w, lang).Lines {
			said = append(said, l.Said)
		}
		if got := strings.Join(said, "; "); got != want {
			t.Errorf("%s: lines said %q, want %q", lang, got, want)
		}
	}
	// The API still sends a read line's spans as hours writes them.
	if got := fmt.Sprint(o.Lines[0].Spans); got != "[07:30-11:30 13:30-17:00]" {
		t.Errorf("spans sent %s", got)
	}
}

// The office's day words are the pack's alone: the result screen's
// catalogues hold none, so the card cannot say a line or a day otherwise
// than the take-home list (a pack's Ê Đê day names reached the list, while
// the card said them from its own catalogue).
func TestOfficeDayWordsOnlyInThePack(t *testing.T) {
	cats, err := filepath.Glob(filepath.Join("..", "..", "frontend", "src", "i18n", "*", "procedures.json"))
	if err != nil || len(cats) < 2 {
		t.Fatalf("catalogues %v: %v", cats, err)
	}
	for _, file := range cats {
		screen := screenWords(t, filepath.Base(filepath.Dir(file)))
		for _, day := range append(hours.Days[:], "off") {
			if s, ok := screen["day_"+day]; ok {
				t.Errorf("%s says result.day_%s %q: the kiosk sends the office's days said (Office.In)", file, day, s)
			}
		}
	}
}

// A day with a line the kiosk cannot read is shown as typed, claiming
// nothing; the day before must not claim it either: no "Mở lại: sáng mai,
// 07:30" on Friday for a Saturday whose own line says otherwise (review s27).
func TestOfficeReopensNotOnAnUnreadDay(t *testing.T) {
	offices := []config.Office{{ID: "ubnd", Name: "UBND", Hours: []string{"T2-T7 7h30-11h30", "T7: sáng 7h30 đến trưa"}}}
	if sat := ResolveOffice(offices, "ubnd", time.Date(2026, 11, 28, 9, 0, 0, 0, hours.Vietnam)); sat.TodayKnown || sat.TodayTyped == "" {
		t.Fatalf("Saturday: %+v, want today as typed", sat)
	}
	fri := ResolveOffice(offices, "ubnd", time.Date(2026, 11, 27, 12, 0, 0, 0, hours.Vietnam))
	if last := fri.Phases[len(fri.Phases)-1]; last.State != OfficeOver || last.Opens != nil {
		t.Fatalf("Friday 12:00: %s, opens %+v; want over, with no reopening claimed", last.State, last.Opens)
	}
	// Thursday evening still says Friday morning: that day is read.
	thu := ResolveOffice(offices, "ubnd", time.Date(2026, 11, 26, 12, 0, 0, 0, hours.Vietnam))
	if last := thu.Phases[len(thu.Phases)-1]; last.Opens == nil || last.Opens.Day != "fri" {
		t.Fatalf("Thursday 12:00: opens %+v, want Friday", last.Opens)
	}
}
