package api

import (
	"net/http"
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
	// BlankAfterSeconds lets the screen rest this long after closing time.
	BlankAfterSeconds int `json:"blank_after_seconds"`
}

// hours tells the screen whether the kiosk is open, and when it opens next,
// so that outside opening hours it shows a "closed" notice and then rests.
func (s *Server) hours(w http.ResponseWriter, r *http.Request) {
	httpjson.Write(w, http.StatusOK, s.hoursAt(time.Now()))
}

func (s *Server) hoursAt(now time.Time) hoursAnswer {
	sched := s.Config.Hours()
	st := sched.At(now)
	blankAfter := time.Duration(s.Config.Schedule.ClosedBlankAfterMinutes) * time.Minute
	ans := hoursAnswer{
		Scheduled:         !sched.Always,
		Open:              st.Open,
		Now:               now.In(sched.Loc),
		Today:             spanStrings(st.Today),
		Week:              map[string][]string{},
		ClosesAt:          timePtr(st.ClosesAt),
		OpensAt:           timePtr(st.OpensAt),
		BlankAfterSeconds: int(blankAfter.Seconds()),
	}
	// A kiosk that has never been open this fortnight rests at once.
	ans.Blank = !st.Open && (st.ClosedSince.IsZero() || now.Sub(st.ClosedSince) >= blankAfter)
	if !sched.Always {
		for i, day := range hours.Days {
			ans.Week[day] = spanStrings(sched.Week[i])
		}
	}
	return ans
}

func spanStrings(spans []hours.Span) []string {
	out := make([]string, 0, len(spans))
	for _, sp := range spans {
		out = append(out, sp.String())
	}
	return out
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
