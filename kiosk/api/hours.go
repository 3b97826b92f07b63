package api

import (
	"context"
	"net/http"
	"sync"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/hours"
	"tramso/kiosk/httpjson"
)

type hoursAnswer struct {
	Scheduled bool                `json:"scheduled"` // false: no opening hours set, always open
	Open      bool                `json:"open"`
	Blank     bool                `json:"blank"` // closed long enough that the screen should rest
	Now       time.Time           `json:"now"`
	Today     []string            `json:"today"` // "07:30-11:30"…; empty when closed all day
	Week      map[string][]string `json:"week"`  // mon..sun → spans
	ClosesAt  *time.Time          `json:"closes_at,omitempty"`
	OpensAt   *time.Time          `json:"opens_at,omitempty"`
	// ClosedSince is when the kiosk closed, while it is closed: the end of
	// its last opening, or when staff closed it.
	ClosedSince *time.Time `json:"closed_since,omitempty"`
	// BlankAfterSeconds lets the screen rest this long after closing time,
	// after the kiosk started, or after staff closed it.
	BlankAfterSeconds int `json:"blank_after_seconds"`
	// Override is staff's exception to the hours while it is in force
	// (staff_hours.go); absent otherwise.
	Override *hoursOverride `json:"override,omitempty"`
	// Office is where a resident can go while the kiosk is closed (the
	// closed notice shows it); absent when the config names no office.
	Office *ClosedOffice `json:"office,omitempty"`
}

// ClosedOffice is the commune office the closed notice sends a resident
// to: the public-administration service centre that receives residents
// (mainOffice). Its hours are read as the procedures' office card reads
// them (content.ResolveOffice), in Vietnam, so the two never disagree.
// (Exported so that the TypeScript contract names it by itself.)
type ClosedOffice struct {
	Name    string `json:"name"`
	Address string `json:"address,omitempty"`
	Phone   string `json:"phone,omitempty"`
	// Today is today's hours in the kiosk's form ("07:30-11:30,
	// 13:30-17:00"), empty on a day the office is closed; TodayKnown is
	// false when the kiosk could not read them, and TodayTyped is then
	// today's line as the commune typed it, if any.
	Today      string `json:"today"`
	TodayKnown bool   `json:"today_known"`
	TodayTyped string `json:"today_typed,omitempty"`
	// Phases say how the office stands from each moment of today on
	// (midnight first), so that the notice turns "open" and "closed" on
	// time between polls; none when today's hours are not known.
	Phases []ClosedOfficePhase `json:"phases,omitempty"`
}

// ClosedOfficePhase is how the office stands from From until the next phase.
type ClosedOfficePhase struct {
	From time.Time `json:"from"`
	Open bool      `json:"open"`
	// Until is when an open office closes next ("11:30", "17:00").
	Until string `json:"until,omitempty"`
	// Opens is when a closed office opens again, when the kiosk can tell.
	Opens *ClosedOfficeOpening `json:"opens,omitempty"`
}

// ClosedOfficeOpening is when the office opens again, said from its phase's
// day as the notice says the kiosk's own reopening (closed.reopens_…).
type ClosedOfficeOpening struct {
	When string `json:"when"` // today, tomorrow, day (later this week) or next_week (content.ReopeningWhens)
	Day  string `json:"day"`  // mon…sun
	Time string `json:"time"` // "07:30"
}

// hoursOverride is staff's exception to the hours, as the screens see it.
type hoursOverride struct {
	Open  bool      `json:"open"` // opened outside the hours; false: closed
	From  time.Time `json:"from"`
	Until time.Time `json:"until"` // when the usual hours rule again
}

// hoursState is what the opening hours need beyond the config.
type hoursState struct {
	now func() time.Time // the kiosk's clock; tests set it before Handler

	// set holds one staff change at a time from reading the override in
	// force to setting the next, so the store and memory cannot disagree.
	set sync.Mutex
	mu  sync.Mutex
	// noticeFrom is when the handler was built (the kiosk's start) or
	// staff last changed the hours: the closed notice shows from then.
	noticeFrom time.Time
	override   hours.Override // kept in the store (staff_hours.go), read at start
}

// hoursRoutes notes the kiosk's start and reads staff's override, then
// registers the opening hours' endpoints.
func (s *Server) hoursRoutes() {
	if s.hrs.now == nil {
		s.hrs.now = time.Now
	}
	s.hrs.noticeFrom = s.hrs.now()
	if o, err := s.Store.LoadHoursOverride(context.Background()); err != nil {
		s.Log.Warn("opening hours: staff's override is not read; the usual hours rule", "err", err)
	} else {
		s.hrs.override = o
	}
	s.handle("GET /api/hours", s.hours)
	s.staffHoursRoutes()
}

// hours tells the screen whether the kiosk is open, and when it opens next,
// so that outside opening hours it shows a "closed" notice and then rests.
func (s *Server) hours(w http.ResponseWriter, r *http.Request) {
	httpjson.Write(w, http.StatusOK, s.hoursAt(s.hrs.now()))
}

func (s *Server) hoursAt(now time.Time) hoursAnswer {
	s.hrs.mu.Lock()
	o, noticeFrom := s.hrs.override, s.hrs.noticeFrom
	s.hrs.mu.Unlock()
	sched := s.Config.Hours()
	st := sched.AtWith(now, o)
	blankAfter := time.Duration(s.Config.Schedule.ClosedBlankAfterMinutes) * time.Minute
	ans := hoursAnswer{
		Scheduled:         !sched.Always,
		Open:              st.Open,
		Now:               now.In(sched.Loc),
		Today:             hours.Strings(st.Today),
		Week:              map[string][]string{},
		ClosesAt:          timePtr(st.ClosesAt),
		OpensAt:           timePtr(st.OpensAt),
		BlankAfterSeconds: int(blankAfter.Seconds()),
	}
	if !st.Open && !st.ClosedSince.IsZero() {
		ans.ClosedSince = timePtr(st.ClosedSince.In(sched.Loc))
	}
	if o.Active(now) {
		ans.Override = &hoursOverride{Open: o.Open, From: o.From.In(sched.Loc), Until: o.Until.In(sched.Loc)}
	}
	// The closed notice shows for blankAfter before the screen rests: after
	// closing time, after the kiosk started and after staff changed the
	// hours, so that a kiosk installed or restarted in the evening shows its
	// notice, not a black screen (outside QA s26: it read as a failed install).
	since := st.ClosedSince
	if noticeFrom.After(since) {
		since = noticeFrom
	}
	ans.Blank = !st.Open && now.Sub(since) >= blankAfter
	ans.Office = closedOffice(s.Config.Commune.Offices, now)
	if !sched.Always {
		for i, day := range hours.Days {
			ans.Week[day] = hours.Strings(sched.Week[i])
		}
	}
	return ans
}

// mainOffice is the office that receives residents: the one with id
// "pvhcc" (the public-administration service centre, as config.example and
// the starter procedures name it), else the first the config lists.
func mainOffice(offices []config.Office) (config.Office, bool) {
	for _, o := range offices {
		if o.ID == "pvhcc" {
			return o, true
		}
	}
	if len(offices) == 0 {
		return config.Office{}, false
	}
	return offices[0], true
}

// closedOffice is the main office as it stands today at now; nil without one.
func closedOffice(offices []config.Office, now time.Time) *ClosedOffice {
	main, ok := mainOffice(offices)
	if !ok {
		return nil
	}
	o := content.ResolveOffice(offices, main.ID, now)
	out := &ClosedOffice{Name: o.Name, Address: o.Address, Phone: o.Phone, Today: o.Today, TodayKnown: o.TodayKnown, TodayTyped: o.TodayTyped}
	for i, p := range o.Phases {
		ph := ClosedOfficePhase{From: p.From}
		if p.Opens != nil {
			ph.Opens = &ClosedOfficeOpening{When: p.Opens.When, Day: p.Opens.Day, Time: p.Opens.Time}
		}
		switch p.State {
		case content.OfficeOpen, content.OfficeClosing:
			ph.Open = true
			// An open phase is followed by the one "closing" soon before
			// closing time, which knows the time.
			for _, q := range o.Phases[i:] {
				if q.Closes != nil {
					ph.Until = q.Closes.Time
					break
				}
			}
		}
		out.Phases = append(out.Phases, ph)
	}
	return out
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
