package content

import (
	"slices"
	"strings"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/hours"
)

// Office is where a procedure's files are received, resolved against the
// commune's overlay in the kiosk config. Known is false when the commune has
// not configured the office: the screen then says "ask the staff" and never
// shows an address it does not have.
type Office struct {
	ID      string   `json:"id"`
	Known   bool     `json:"known"`
	Name    string   `json:"name,omitempty"`
	Address string   `json:"address,omitempty"`
	Phone   string   `json:"phone,omitempty"`
	Hours   []string `json:"hours,omitempty"`
	// Today is today's opening hours as the lines write them ("07:30-11:30,
	// 13:30-17:00"); TodayKnown is false when the hours could not be read,
	// and Today is empty on a day the office is closed.
	Today      string `json:"today"`
	TodayKnown bool   `json:"today_known"`
	// Phases say how today's hours stand, from the start of today (in
	// Vietnam) on: the card shows the phase its clock is in, so it stays
	// right while the screen is open without reading hours itself. None
	// when TodayKnown is false.
	Phases []OfficePhase `json:"phases,omitempty"`
}

// OfficePhase is how the office's hours stand from a moment until the next
// phase: open, not open yet today, on a break, over for today, or a day the
// office is closed.
type OfficePhase struct {
	From  time.Time `json:"from"`
	State string    `json:"state"` // one of OfficeStates
	// Opens is when the office opens next, whenever it is not open.
	Opens *Reopening `json:"opens,omitempty"`
}

// The values of OfficePhase.State.
const (
	OfficeOpen      = "open"
	OfficeBefore    = "before"     // opens later today, not opened yet
	OfficeBreak     = "break"      // opened today and opens again today
	OfficeOver      = "over"       // opened today, no more today
	OfficeClosedDay = "closed_day" // not open at all today
)

// OfficeStates are the values of OfficePhase.State.
var OfficeStates = []string{OfficeOpen, OfficeBefore, OfficeBreak, OfficeOver, OfficeClosedDay}

// ReopeningWhens are the values of Reopening.When, DayParts of Reopening.Part.
var (
	ReopeningWhens = []string{"today", "tomorrow", "day", "next_week"}
	DayParts       = []string{"morning", "afternoon", "evening"}
)

// Reopening is when a closed office opens next, as a resident is told it:
// "Thứ Hai, 07:30", "sáng mai, 07:30".
type Reopening struct {
	At   time.Time `json:"at"`
	Day  string    `json:"day"`  // mon…sun (hours.Days)
	Time string    `json:"time"` // "07:30"
	// When is today, tomorrow, day (a later day this week) or next_week (today's
	// weekday a week on, which "Thứ Hai" alone would read as today).
	When string `json:"when"`
	// Part is the part of the day, for "sáng mai": morning (before noon),
	// afternoon (before 18:00) or evening.
	Part string `json:"part"`
}

// ResolveOffice finds office id in the overlay and works out how its hours
// stand today, in Vietnam.
func ResolveOffice(offices []config.Office, id string, now time.Time) Office {
	for _, o := range offices {
		if o.ID != id {
			continue
		}
		out := Office{ID: id, Known: true, Name: o.Name, Address: o.Address, Phone: o.Phone, Hours: o.Hours}
		if h, ok := readHours(o.Hours); ok {
			now = now.In(hours.Vietnam)
			out.Today, out.TodayKnown = strings.Join(h.written[now.Weekday()], ", "), true
			out.Phases = h.phases(now)
		}
		return out
	}
	return Office{ID: id}
}

// Line is the office as one line for the checklist: "name, address, phone".
func (o Office) Line() string {
	if !o.Known {
		return ""
	}
	parts := []string{o.Name}
	for _, s := range []string{o.Address, o.Phone} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// officeHours are an office's hour lines read once (hours.ParseLine): each
// day's spans for the schedule, and as the lines write them for the card.
type officeHours struct {
	week    hours.Week
	written [7][]string
}

// readHours reads an office's hour lines. ok is false when a line cannot be
// read, so the screen shows the lines as written instead of guessing.
// `tramso doctor` names such a line, read by the same hours.ParseLine.
func readHours(lines []string) (h officeHours, ok bool) {
	if len(lines) == 0 {
		return h, false
	}
	for _, line := range lines {
		l, err := hours.ParseLine(line)
		if err != nil {
			return h, false
		}
		for d := time.Sunday; d <= time.Saturday; d++ {
			if l.Covers(d) {
				h.written[d] = append(h.written[d], l.Written...)
				h.week[d] = append(h.week[d], l.Spans...)
			}
		}
	}
	for _, spans := range h.week {
		slices.SortFunc(spans, func(a, b hours.Span) int { return a.From - b.From })
	}
	return h, true
}

// phases are the phases of the day of now, from its midnight: one at each
// opening and closing, each as hours.Schedule sees it at its start.
func (h officeHours) phases(now time.Time) []OfficePhase {
	sched := hours.Schedule{Week: h.week, Loc: hours.Vietnam}
	y, m, d := now.Date()
	at := []int{0}
	for _, sp := range h.week[now.Weekday()] {
		at = append(at, sp.From, sp.To)
	}
	var out []OfficePhase
	for _, min := range at {
		from := time.Date(y, m, d, 0, min, 0, 0, hours.Vietnam)
		if min >= 24*60 || (len(out) > 0 && !from.After(out[len(out)-1].From)) {
			continue
		}
		p := phaseAt(sched, from)
		if n := len(out); n > 0 && out[n-1].State == p.State && reopensAt(out[n-1]).Equal(reopensAt(p)) {
			continue
		}
		out = append(out, p)
	}
	return out
}

func reopensAt(p OfficePhase) time.Time {
	if p.Opens == nil {
		return time.Time{}
	}
	return p.Opens.At
}

// phaseAt is how the office stands at now (in sched's zone).
func phaseAt(sched hours.Schedule, now time.Time) OfficePhase {
	st := sched.At(now)
	p := OfficePhase{From: now}
	today := func(t time.Time) bool { return !t.IsZero() && sameDay(t, now) }
	// Closed since a span of today: yesterday's span that ran to 24:00
	// ended at today's midnight, and does not make today's morning a break.
	y, m, d := now.Date()
	closedToday := st.ClosedSince.After(time.Date(y, m, d, 0, 0, 0, 0, now.Location()))
	switch {
	case st.Open:
		p.State = OfficeOpen
	case len(st.Today) == 0:
		p.State = OfficeClosedDay
	case today(st.OpensAt) && closedToday:
		p.State = OfficeBreak
	case today(st.OpensAt):
		p.State = OfficeBefore
	default:
		p.State = OfficeOver
	}
	if !st.Open && !st.OpensAt.IsZero() {
		p.Opens = reopening(now, st.OpensAt)
	}
	return p
}

// reopening tells opening time at as seen at now.
func reopening(now, at time.Time) *Reopening {
	r := &Reopening{At: at, Day: hours.Days[at.Weekday()], Time: at.Format("15:04"), When: "day", Part: "evening"}
	switch {
	case sameDay(at, now):
		r.When = "today"
	case sameDay(at, now.AddDate(0, 0, 1)):
		r.When = "tomorrow"
	case at.Weekday() == now.Weekday():
		r.When = "next_week"
	}
	switch {
	case at.Hour() < 12:
		r.Part = "morning"
	case at.Hour() < 18:
		r.Part = "afternoon"
	}
	return r
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
