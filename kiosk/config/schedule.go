package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"tramso/kiosk/hours"
)

// Schedule says when the kiosk is open to residents. With no opening_hours
// the kiosk is always open; with them, a day not listed is closed.
//
//	schedule:
//	  opening_hours: {mon: "07:30-11:30,13:30-17:00", sat: "07:30-11:30"}
//	  closed_blank_after_minutes: 30
//	  daily_restart: "17:30"
type Schedule struct {
	OpeningHours            map[string]string `yaml:"opening_hours"`              // mon..sun → "HH:MM-HH:MM,…"; "closed" or absent = closed
	ClosedBlankAfterMinutes int               `yaml:"closed_blank_after_minutes"` // the closed notice blanks the screen after this long
	DailyRestart            string            `yaml:"daily_restart"`              // "HH:MM": restart the kiosk every day (optional)
	Timezone                string            `yaml:"timezone"`                   // IANA zone the hours are in
}

func (s *Schedule) applyDefaults() {
	if s.ClosedBlankAfterMinutes == 0 {
		s.ClosedBlankAfterMinutes = 30
	}
	if s.Timezone == "" {
		s.Timezone = hours.DefaultZone
	}
}

func (c *Config) validateSchedule() error {
	s := c.Schedule
	if _, err := hours.LoadZone(s.Timezone); err != nil {
		return &FieldError{"schedule.timezone", fmt.Sprintf("%q is not a time zone like %s", s.Timezone, hours.DefaultZone)}
	}
	// In order, so the first problem reported is the same every run.
	for _, day := range slices.Sorted(maps.Keys(s.OpeningHours)) {
		field := "schedule.opening_hours." + day
		if dayIndex(day) < 0 {
			return &FieldError{field, fmt.Sprintf("%q is not a day; use ", day) + strings.Join(hours.Days[:], ", ") + ", each on its own line: " + DayByDay}
		}
		if _, err := hours.ParseDay(s.OpeningHours[day]); err != nil {
			return &FieldError{field, err.Error()}
		}
	}
	if s.ClosedBlankAfterMinutes < 1 || s.ClosedBlankAfterMinutes > 1440 {
		return &FieldError{"schedule.closed_blank_after_minutes", fmt.Sprintf("%d is outside 1..1440", s.ClosedBlankAfterMinutes)}
	}
	if s.DailyRestart != "" {
		if m, err := hours.ParseClock(s.DailyRestart); err != nil || m >= 24*60 {
			return &FieldError{"schedule.daily_restart", fmt.Sprintf("%q is not a time like 17:30", s.DailyRestart)}
		}
	}
	return nil
}

// DayByDay is how opening_hours is written, for a message: a technician
// used to the office's "T2-T6 7h30-17h" writes it as one line or one key.
const DayByDay = `mon: "7h30-11h30, 13h30-17h", tue: …, fri: …, sat: "7h30-11h30"; a day not listed is closed`

func dayIndex(day string) int {
	for i, d := range hours.Days {
		if d == day {
			return i
		}
	}
	return -1
}

// Location is the kiosk's own time zone (schedule.timezone): opening hours,
// and the days and hours of the usage figures, are counted in it, whatever
// zone the machine's clock was installed with.
func (c *Config) Location() *time.Location {
	loc, err := hours.LoadZone(c.Schedule.Timezone)
	if err != nil {
		loc, _ = hours.LoadZone(hours.DefaultZone)
	}
	return loc
}

// Hours returns the opening hours as a schedule. Validate has checked them.
func (c *Config) Hours() hours.Schedule {
	sched := hours.Schedule{Always: len(c.Schedule.OpeningHours) == 0, Loc: c.Location()}
	for day, spec := range c.Schedule.OpeningHours {
		if i := dayIndex(day); i >= 0 {
			sched.Week[i], _ = hours.ParseDay(spec)
		}
	}
	return sched
}

// DailyRestartMinute returns the daily restart time in minutes after
// midnight, and false when none is set.
func (c *Config) DailyRestartMinute() (int, bool) {
	if c.Schedule.DailyRestart == "" {
		return 0, false
	}
	m, err := hours.ParseClock(c.Schedule.DailyRestart)
	return m, err == nil
}
