package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestScheduleNamesTheBadField(t *testing.T) {
	cases := []struct {
		name, yaml, field string
	}{
		{"not a day", "schedule:\n  opening_hours: {monday: \"07:30-11:30\"}\n", "schedule.opening_hours.monday"},
		{"bad range", "schedule:\n  opening_hours: {mon: \"07:30-11:30\", tue: \"17:00-07:00\"}\n", "schedule.opening_hours.tue"},
		{"bad time", "schedule:\n  opening_hours: {wed: \"7.30-11.30\"}\n", "schedule.opening_hours.wed"},
		{"blank too long", "schedule:\n  closed_blank_after_minutes: 5000\n", "schedule.closed_blank_after_minutes"},
		{"blank negative", "schedule:\n  closed_blank_after_minutes: -3\n", "schedule.closed_blank_after_minutes"},
		{"restart not a time", "schedule:\n  daily_restart: \"5pm\"\n", "schedule.daily_restart"},
		{"restart at 24:00", "schedule:\n  daily_restart: \"24:00\"\n", "schedule.daily_restart"},
		{"unknown zone", "schedule:\n  timezone: Mars/Olympus\n", "schedule.timezone"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(c.yaml))
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != c.field {
				t.Fatalf("want a FieldError naming %s, got %v", c.field, err)
			}
		})
	}
}

func TestScheduleDefaultsAlwaysOpen(t *testing.T) {
	c, err := Parse(strings.NewReader("commune: {name: Ea Kao}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Schedule.ClosedBlankAfterMinutes != 30 || c.Schedule.Timezone != "Asia/Ho_Chi_Minh" {
		t.Errorf("defaults = %+v", c.Schedule)
	}
	if h := c.Hours(); !h.Always || !h.At(time.Now()).Open {
		t.Errorf("no opening hours must mean always open, got %+v", h)
	}
	if _, ok := c.DailyRestartMinute(); ok {
		t.Error("no daily_restart must mean no restart")
	}
}

func TestScheduleHours(t *testing.T) {
	c, err := Parse(strings.NewReader(`
schedule:
  opening_hours:
    mon: "07:30-11:30,13:30-17:00"
    sat: "07:30-11:30"
    sun: closed
  closed_blank_after_minutes: 10
  daily_restart: "17:30"
`))
	if err != nil {
		t.Fatal(err)
	}
	h := c.Hours()
	if h.Always || len(h.Week[time.Monday]) != 2 || len(h.Week[time.Saturday]) != 1 ||
		len(h.Week[time.Sunday]) != 0 || len(h.Week[time.Tuesday]) != 0 {
		t.Errorf("Hours() = %+v", h)
	}
	// 08:00 in Vietnam on Monday 2026-11-23 is 01:00 UTC: open, whatever the machine's zone.
	if st := h.At(time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)); !st.Open {
		t.Errorf("Monday 08:00 +07 should be open: %+v", st)
	}
	if m, ok := c.DailyRestartMinute(); !ok || m != 17*60+30 {
		t.Errorf("DailyRestartMinute = %d, %v", m, ok)
	}
}

// TestScheduleAsTyped: the technician's own typings (outside QA s26). What
// an office hours line takes, opening_hours takes; what it refuses is said
// with its line, and a one-string week or a "T2-T6" key with the
// day-by-day form.
func TestScheduleAsTyped(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       string // the error, "" when accepted
	}{
		{"hours without minutes", "schedule:\n  opening_hours:\n    mon: \"7h30-11h30, 13h30-17h\"\n", ""},
		{"an en dash", "schedule:\n  opening_hours:\n    wed: \"7h30–11h30\"\n", ""},
		{"spaces around en dashes", "schedule:\n  opening_hours:\n    fri: \"7h30 – 11h30, 13h30 – 17h\"\n", ""},
		{"a day off: đóng", "schedule:\n  opening_hours:\n    mon: \"7h-17h\"\n    sun: \"đóng\"\n", ""},
		{"a day off: Đóng cửa", "schedule:\n  opening_hours:\n    mon: \"7h-17h\"\n    sun: Đóng cửa\n", ""},
		{"no comma between ranges", "commune:\n  name: X\nschedule:\n  opening_hours:\n    mon: \"7h30-11h30 13h30-17h\"\n",
			`schedule.opening_hours.mon: "7h30-11h30 13h30-17h" holds two ranges: put a comma between them, as in 7h30-11h30, 13h30-17h (line 5)`},
		{"a word", "schedule:\n  opening_hours:\n    sat: nghỉ trưa\n",
			`schedule.opening_hours.sat: "nghỉ trưa" is not a range like 07:30-11:30 (a day off: closed) (line 3)`},
		{"a dash problem has no day-off hint", "schedule:\n  opening_hours:\n    sat: \"7h30~11h30\"\n",
			`schedule.opening_hours.sat: "7h30~11h30" is not a range like 07:30-11:30 (line 3)`},
		{"ends before it starts", "schedule:\n  opening_hours:\n\n    tue: \"17h-7h\"\n",
			`schedule.opening_hours.tue: "17h-7h" ends before it starts (line 4)`},
		{"T2-T6 as a key", "schedule:\n  opening_hours:\n    T2-T6: \"7h30-17h\"\n",
			`schedule.opening_hours.T2-T6: "T2-T6" is not a day; use sun, mon, tue, wed, thu, fri, sat, each on its own line: mon: "7h30-11h30, 13h30-17h", tue: …, fri: …, sat: "7h30-11h30"; a day not listed is closed (line 3)`},
		{"one string for the week", "schedule:\n  opening_hours: \"T2-T6 7h30-17h\"\n",
			`schedule.opening_hours: "T2-T6 7..." is not a section: write each day on its own line below it, mon: "7h30-11h30, 13h30-17h", tue: …, fri: …, sat: "7h30-11h30"; a day not listed is closed (line 2)`},
		{"daily restart", "\nschedule:\n  daily_restart: \"5pm\"\n", `schedule.daily_restart: "5pm" is not a time like 17:30 (line 3)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(c.yaml))
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.want != "" && (err == nil || err.Error() != c.want):
				t.Fatalf("error = %v\nwant    %s", err, c.want)
			}
		})
	}
}
