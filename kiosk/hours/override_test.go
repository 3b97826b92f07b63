package hours

import (
	"strings"
	"testing"
	"time"
)

func TestAtWithOverride(t *testing.T) {
	week := Week{}
	for d := time.Monday; d <= time.Friday; d++ {
		week[d] = []Span{{7*60 + 30, 11*60 + 30}, {13*60 + 30, 17 * 60}}
	}
	s := Schedule{Week: week, Loc: Vietnam}
	// 2026-11-23 is a Monday.
	at := func(day string, hh, mm int) time.Time {
		d, _ := time.ParseInLocation("2006-01-02", day, Vietnam)
		return d.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
	}
	f := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.Format("Mon 15:04")
	}
	cases := []struct {
		name                   string
		now                    time.Time
		o                      Override
		open                   bool
		closes, opens, closedS string
	}{
		{"none", at("2026-11-23", 20, 0), Override{}, false, "-", "Tue 07:30", "Mon 17:00"},
		{"opened for the evening", at("2026-11-23", 20, 0),
			Override{Open: true, From: at("2026-11-23", 19, 50), Until: at("2026-11-23", 21, 0)}, true, "Mon 21:00", "-", "-"},
		{"the evening ended by itself", at("2026-11-23", 21, 5),
			Override{Open: true, From: at("2026-11-23", 19, 50), Until: at("2026-11-23", 21, 0)}, false, "-", "Tue 07:30", "Mon 21:00"},
		{"opened early, joins the morning", at("2026-11-23", 7, 0),
			Override{Open: true, From: at("2026-11-23", 6, 50), Until: at("2026-11-23", 8, 0)}, true, "Mon 11:30", "-", "-"},
		{"a Sunday meeting", at("2026-11-29", 8, 0),
			Override{Open: true, From: at("2026-11-29", 7, 45), Until: at("2026-11-29", 11, 0)}, true, "Sun 11:00", "-", "-"},
		{"closed for today at 14:00", at("2026-11-23", 14, 10),
			Override{From: at("2026-11-23", 14, 0), Until: at("2026-11-24", 7, 30)}, false, "-", "Tue 07:30", "Mon 14:00"},
		{"closed for today, next morning", at("2026-11-24", 7, 30),
			Override{From: at("2026-11-23", 14, 0), Until: at("2026-11-24", 7, 30)}, true, "Tue 11:30", "-", "-"},
		{"closed for Tết: a morning inside", at("2026-11-24", 9, 0),
			Override{From: at("2026-11-23", 16, 0), Until: at("2026-11-25", 7, 30)}, false, "-", "Wed 07:30", "Mon 16:00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := s.AtWith(c.now, c.o)
			if st.Open != c.open || f(st.ClosesAt) != c.closes || f(st.OpensAt) != c.opens || f(st.ClosedSince) != c.closedS {
				t.Errorf("open %v closes %s opens %s closed since %s; want %v %s %s %s",
					st.Open, f(st.ClosesAt), f(st.OpensAt), f(st.ClosedSince), c.open, c.closes, c.opens, c.closedS)
			}
			if len(st.Today) != len(week[c.now.Weekday()]) {
				t.Errorf("today = %v: an override does not change the week's hours", st.Today)
			}
		})
	}
	if got, want := s.AtWith(at("2026-11-23", 9, 0), Override{}), s.At(at("2026-11-23", 9, 0)); got.Open != want.Open || !got.ClosesAt.Equal(want.ClosesAt) {
		t.Errorf("no override: %+v, At says %+v", got, want)
	}
}

func TestAtWithOverrideAlwaysOpen(t *testing.T) {
	s := Schedule{Always: true, Loc: Vietnam}
	now := time.Date(2027, 2, 6, 10, 0, 0, 0, Vietnam)
	o := Override{From: now.Add(-time.Hour), Until: time.Date(2027, 2, 7, 0, 0, 0, 0, Vietnam)}
	if st := s.AtWith(now, o); st.Open || !st.OpensAt.Equal(o.Until) || !st.ClosedSince.Equal(o.From) {
		t.Errorf("closed for today: %+v", st)
	}
	if st := s.AtWith(o.Until, o); !st.Open {
		t.Errorf("after the closing: %+v", st)
	}
}

func TestClosedForToday(t *testing.T) {
	week := Week{}
	week[time.Monday] = []Span{{7*60 + 30, 11*60 + 30}, {13*60 + 30, 17 * 60}}
	week[time.Tuesday] = []Span{{18 * 60, 24 * 60}} // an evening running into Wednesday
	week[time.Wednesday] = []Span{{0, 2 * 60}, {7 * 60, 9 * 60}}
	s := Schedule{Week: week, Loc: Vietnam}
	cases := []struct {
		now  time.Time
		want string
	}{
		{time.Date(2026, 11, 23, 9, 0, 0, 0, Vietnam), "2026-11-24 18:00"},  // Monday morning: the afternoon too
		{time.Date(2026, 11, 23, 1, 0, 0, 0, Vietnam), "2026-11-24 18:00"},  // before today's first opening
		{time.Date(2026, 11, 24, 19, 0, 0, 0, Vietnam), "2026-11-25 07:00"}, // the night to 02:00 with it
		{time.Date(2026, 11, 26, 9, 0, 0, 0, Vietnam), "2026-11-30 07:30"},  // Thursday: the next Monday
		// Past midnight in Tuesday's night opening: that night closes, not
		// Wednesday's morning too (it said "Mở cửa lại Thứ Hai").
		{time.Date(2026, 11, 25, 1, 0, 0, 0, Vietnam), "2026-11-25 07:00"},
		{time.Date(2026, 11, 25, 3, 0, 0, 0, Vietnam), "2026-11-30 07:30"}, // the night is over: Wednesday is today
	}
	for _, c := range cases {
		if got := s.ClosedForToday(c.now, Override{}).Format("2006-01-02 15:04"); got != c.want {
			t.Errorf("ClosedForToday(%s) = %s, want %s", c.now.Format("Mon 15:04"), got, c.want)
		}
	}
	// The closed notice after that night's closing names Wednesday 07:00.
	night := s.Close(time.Date(2026, 11, 25, 1, 0, 0, 0, Vietnam), Override{})
	if st := s.AtWith(time.Date(2026, 11, 25, 2, 30, 0, 0, Vietnam), night); st.Open || st.OpensAt.Format("Mon 15:04") != "Wed 07:00" {
		t.Errorf("closed at 01:00 in the night's opening: %+v, want closed, opening Wed 07:00", st)
	}
	// Open around the clock on weekdays: Wednesday closes until Thursday,
	// not until the week's openings, joined, end (review s27).
	var roundTheClock Week
	for d := time.Monday; d <= time.Friday; d++ {
		roundTheClock[d] = []Span{{0, 24 * 60}}
	}
	if got := (Schedule{Week: roundTheClock, Loc: Vietnam}).ClosedForToday(time.Date(2026, 11, 25, 10, 0, 0, 0, Vietnam), Override{}); got.Format("2006-01-02 15:04") != "2026-11-26 00:00" {
		t.Errorf("round the clock, Wednesday 10:00: until %s, want Thursday 00:00", got.Format("2006-01-02 15:04"))
	}
	if got := (Schedule{Always: true, Loc: Vietnam}).ClosedForToday(time.Date(2027, 2, 6, 10, 0, 0, 0, Vietnam), Override{}); got.Format("2006-01-02 15:04") != "2027-02-07 00:00" {
		t.Errorf("always open: %s", got)
	}
}

// What staff may do with the hours, through a weekday (2026-11-23 is a
// Monday; 2026-11-29 a Sunday, closed).
func TestChoicesAt(t *testing.T) {
	week := Week{}
	for d := time.Monday; d <= time.Friday; d++ {
		week[d] = []Span{{7*60 + 30, 11*60 + 30}, {13*60 + 30, 17 * 60}}
	}
	s := Schedule{Week: week, Loc: Vietnam}
	at := func(d, hh, mm int) time.Time { return time.Date(2026, 11, d, hh, mm, 0, 0, Vietnam) }
	closedAtNoon := Override{From: at(23, 12, 0), Until: at(24, 7, 30)}
	cases := []struct {
		name     string
		now      time.Time
		o        Override
		canClose bool
		open     string
	}{
		{"before opening: close the whole day", at(23, 6, 45), Override{}, true, "08:00 09:00 10:00 11:00 12:00 13:00 14:00 15:00 16:00 17:00 18:00 19:00 20:00 21:00"},
		{"at lunch: a funeral closes the afternoon", at(23, 11, 59), Override{}, true, "13:00 14:00 15:00 16:00 17:00 18:00 19:00 20:00 21:00"},
		{"open: stay open longer for an evening class", at(23, 16, 0), Override{}, true, "18:00 19:00 20:00 21:00"},
		{"open until 17:00, late afternoon", at(23, 16, 30), Override{}, true, "18:00 19:00 20:00 21:00"},
		{"closed at lunch by staff: nothing more to close, and no opening over the closing", at(23, 12, 10), closedAtNoon, false, ""},
		{"after closing time", at(23, 18, 0), Override{}, false, "19:00 20:00 21:00"},
		{"evening, three at least", at(23, 18, 16), Override{}, false, "20:00 21:00 22:00"},
		{"late evening", at(23, 22, 3), Override{}, false, "23:00 00:00 01:00"},
		{"a Sunday morning", at(29, 7, 42), Override{}, false, "09:00 10:00 11:00 12:00 13:00 14:00 15:00 16:00 17:00 18:00 19:00 20:00 21:00"},
		{"opened until 20:00 by staff: later still", at(23, 18, 30), Override{Open: true, From: at(23, 18, 0), Until: at(23, 20, 0)}, true, "21:00 22:00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := s.ChoicesAt(c.now, c.o)
			var open []string
			for _, u := range got.OpenUntil {
				open = append(open, u.Format("15:04"))
			}
			if got.CanClose != c.canClose || strings.Join(open, " ") != c.open {
				t.Errorf("can close %v, open until %v; want %v, %s", got.CanClose, open, c.canClose, c.open)
			}
		})
	}
	if got := s.ChoicesAt(at(23, 11, 59), Override{}).CloseUntil; !got.Equal(at(24, 7, 30)) {
		t.Errorf("closed at lunch until %s, want Tuesday 07:30", got)
	}
	// Without opening hours: close for today, and nothing to open until.
	always := Schedule{Always: true, Loc: Vietnam}
	if got := always.ChoicesAt(at(23, 23, 15), Override{}); !got.CanClose || len(got.OpenUntil) != 0 {
		t.Errorf("always open: %+v", got)
	}
	closed := Override{From: at(23, 12, 0), Until: at(24, 0, 0)}
	if got := always.ChoicesAt(at(23, 12, 5), closed); got.CanClose || len(got.OpenUntil) != 0 {
		t.Errorf("always open, closed for today: %+v, want only the way back", got)
	}
}

// Staff's actions one after another (review s27): each keeps what the one
// before it means for the past, so the resident's band names when the kiosk
// really closed, and none opens what staff closed.
func TestStaffActionsInARow(t *testing.T) {
	week := Week{}
	for d := time.Monday; d <= time.Friday; d++ {
		week[d] = []Span{{7*60 + 30, 11*60 + 30}, {13*60 + 30, 17 * 60}}
	}
	s := Schedule{Week: week, Loc: Vietnam}
	at := func(d, hh, mm int) time.Time { return time.Date(2026, 11, d, hh, mm, 0, 0, Vietnam) }
	f := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.Format("Mon 15:04")
	}

	// Monday 16:00: open until 21:00 for an evening class; the class ends
	// at 19:00 and staff close for today.
	evening := s.Open(at(23, 16, 0), Override{}, at(23, 21, 0))
	closed := s.Close(at(23, 19, 0), evening)
	if st := s.AtWith(at(23, 19, 5), closed); st.Open || f(st.ClosedSince) != "Mon 19:00" || f(st.OpensAt) != "Tue 07:30" {
		t.Errorf("evening class closed at 19:00: %+v, want closed since Mon 19:00, opens Tue 07:30", st)
	}
	// …and then go back to the usual hours: still closed since 19:00.
	if st := s.AtWith(at(23, 19, 10), closed.Usual(at(23, 19, 10))); st.Open || f(st.ClosedSince) != "Mon 19:00" {
		t.Errorf("usual after the closing: %+v, want closed since Mon 19:00", st)
	}

	// Sunday: a meeting opened 07:45 until 11:00 ends at 10:30.
	meeting := s.Open(at(29, 7, 45), Override{}, at(29, 11, 0))
	if st := s.AtWith(at(29, 10, 35), meeting.Usual(at(29, 10, 30))); st.Open || f(st.ClosedSince) != "Sun 10:30" {
		t.Errorf("Sunday meeting ended at 10:30: %+v, want closed since Sun 10:30", st)
	}

	// Staying open longer keeps when the opening began.
	if o := s.Open(at(23, 19, 0), evening, at(23, 22, 0)); !o.From.Equal(at(23, 16, 0)) || !o.Until.Equal(at(23, 22, 0)) {
		t.Errorf("open longer: %+v, want from Mon 16:00 until 22:00", o)
	}

	// A funeral: closed at 10:00; the card offers no opening over it.
	funeral := s.Close(at(23, 10, 0), Override{})
	if c := s.ChoicesAt(at(23, 10, 5), funeral); len(c.OpenUntil) != 0 || c.CanClose {
		t.Errorf("while closed by staff: %+v, want only the way back", c)
	}
	if st := s.AtWith(at(23, 14, 0), funeral); st.Open {
		t.Errorf("the afternoon of the funeral: %+v, want closed", st)
	}
	if st := s.AtWith(at(23, 14, 0), funeral.Usual(at(23, 13, 0))); !st.Open {
		t.Errorf("back to the usual hours at 13:00: %+v, want open at 14:00", st)
	}

	// Opened until 01:00, closed at 00:20: Monday closes, Tuesday opens as usual.
	late := s.Open(at(23, 22, 3), Override{}, at(24, 1, 0))
	night := s.Close(at(24, 0, 20), late)
	if !night.Until.Equal(at(24, 7, 30)) {
		t.Errorf("closed at 00:20 after an evening opening until %s, want Tue 07:30", f(night.Until))
	}
	if st := s.AtWith(at(24, 9, 0), night); !st.Open {
		t.Errorf("Tuesday 09:00 after the night's closing: %+v, want open", st)
	}
	// Closed at 10:00 for a funeral, back to the usual hours at lunch:
	// closed since 10:00 on the band, the afternoon open as usual.
	lunch := funeral.Usual(at(23, 12, 0))
	if st := s.AtWith(at(23, 12, 0), lunch); st.Open || f(st.ClosedSince) != "Mon 10:00" || f(st.OpensAt) != "Mon 13:30" {
		t.Errorf("usual at 12:00 after closing at 10:00: %+v, want closed since Mon 10:00, opens Mon 13:30", st)
	}
	// A second close while closed keeps when the kiosk closed.
	if st := s.AtWith(at(23, 10, 6), s.Close(at(23, 10, 5), funeral)); f(st.ClosedSince) != "Mon 10:00" {
		t.Errorf("closed twice: closed since %s, want Mon 10:00", f(st.ClosedSince))
	}

	// Without staff's opening, 00:20 is Tuesday: closed until Wednesday.
	if got := s.ClosedForToday(at(24, 0, 20), Override{}); !got.Equal(at(25, 7, 30)) {
		t.Errorf("closed at 00:20 with no opening in force until %s, want Wed 07:30", f(got))
	}
}

// A closing read back from the store comes in UTC; what the kiosk says is in
// its own zone, which the page reads as written (review s27: "Mở cửa lại lúc
// 17:00 hôm nay" for midnight).
func TestOverrideTimesInTheKiosksZone(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, Vietnam)
	stored := Override{From: now.Add(-time.Hour).UTC(), Until: time.Date(2026, 11, 24, 0, 0, 0, 0, Vietnam).UTC()}
	st := Schedule{Always: true, Loc: Vietnam}.AtWith(now.UTC(), stored)
	if got := st.OpensAt.Format(time.RFC3339); got != "2026-11-24T00:00:00+07:00" {
		t.Errorf("opens at %s, want 2026-11-24T00:00:00+07:00", got)
	}
	if got := st.ClosedSince.Format(time.RFC3339); got != "2026-11-23T09:00:00+07:00" {
		t.Errorf("closed since %s, want 2026-11-23T09:00:00+07:00", got)
	}
}

// A time the card offered a minute ago is still taken: at 10:15 the first
// choice is 11:00, 45 minutes away; a tap read at 10:16 still opens until
// 11:00, one at 10:17 is refused, and so is a time never offered.
func TestOffersAMinuteLate(t *testing.T) {
	week := Week{}
	for d := time.Monday; d <= time.Friday; d++ {
		week[d] = []Span{{7*60 + 30, 11*60 + 30}, {13*60 + 30, 17 * 60}}
	}
	s := Schedule{Week: week, Loc: Vietnam}
	at := func(d, hh, mm int) time.Time { return time.Date(2026, 11, d, hh, mm, 0, 0, Vietnam) }
	closed := Override{From: at(29, 9, 0), Until: at(30, 7, 30)}
	cases := []struct {
		name  string
		now   time.Time
		o     Override
		until time.Time
		taken bool
	}{
		{"offered now", at(29, 10, 15), Override{}, at(29, 11, 0), true},
		{"offered a minute ago", at(29, 10, 16), Override{}, at(29, 11, 0), true},
		{"offered two minutes ago", at(29, 10, 17), Override{}, at(29, 11, 0), false},
		{"offered now, later", at(29, 10, 17), Override{}, at(29, 12, 0), true},
		{"never offered: not a whole hour", at(29, 10, 16), Override{}, at(29, 11, 30), false},
		{"never offered: past 21:00", at(29, 10, 16), Override{}, at(29, 22, 0), false},
		{"never offered: tomorrow", at(29, 10, 16), Override{}, at(30, 11, 0), false},
		{"never offered: passed", at(29, 10, 16), Override{}, at(29, 10, 0), false},
		// A weekday's afternoon: open until 17:00, so only after it.
		{"open: before it closes", at(23, 15, 0), Override{}, at(23, 17, 0), false},
		{"open: after it closes", at(23, 15, 0), Override{}, at(23, 18, 0), true},
		// Staff's closing in force: nothing, not even a minute ago's.
		{"under staff's closing", at(29, 10, 16), closed, at(29, 12, 0), false},
	}
	for _, c := range cases {
		if got := s.Offers(c.now, c.o, c.until); got != c.taken {
			t.Errorf("%s: Offers(%s, until %s) = %v, want %v", c.name, c.now.Format("Mon 15:04"), c.until.Format("Mon 15:04"), got, c.taken)
		}
	}
	if (Schedule{Always: true, Loc: Vietnam}).Offers(at(29, 10, 15), Override{}, at(29, 12, 0)) {
		t.Error("a kiosk without opening hours offers no opening")
	}
	// The minute's grace does not outlive a closing that began within it.
	if s.Offers(at(29, 10, 16), Override{From: at(29, 10, 15).Add(30 * time.Second), Until: at(30, 7, 30)}, at(29, 11, 0)) {
		t.Error("closed by staff half a minute ago: a time offered before it is not taken")
	}
}
