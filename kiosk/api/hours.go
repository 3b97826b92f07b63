package api

import (
	"context"
	"net/http"
	"sync"
	"time"

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
	if !sched.Always {
		for i, day := range hours.Days {
			ans.Week[day] = hours.Strings(sched.Week[i])
		}
	}
	return ans
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
