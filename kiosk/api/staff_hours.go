package api

// Staff's exception to the opening hours: open the kiosk to residents
// outside its hours until a chosen time (an evening class, a Sunday
// meeting), or close it for today until its next opening (Tết), and go back
// to the usual hours. Kept in the store, so it survives a restart; it ends by
// itself at its time. GET /api/hours and the closed notice honour it.
//
//	GET  /api/staff/hours  (staff) → {hours, open_choices, can_close, close_until}
//	POST /api/staff/hours  (staff) {action: open, until} | {action: close} | {action: usual} → the same, once saved
//	                       | 400 bad_staff_action (an unknown action, or until not within a day from now)
//	                       | 409 read_only (the disk takes no writes)

import (
	"fmt"
	"net/http"
	"time"

	"tramso/kiosk/hours"
	"tramso/kiosk/httpjson"
)

type staffHoursAnswer struct {
	Hours hoursAnswer `json:"hours"`
	// OpenChoices are the times staff may open the kiosk until, soonest
	// first; while it is open, those after it closes (hours.Choices).
	OpenChoices []time.Time `json:"open_choices"`
	// CanClose: the kiosk is open, or today still has an opening ahead.
	CanClose bool `json:"can_close"`
	// CloseUntil is when the kiosk opens again if closed for today.
	CloseUntil time.Time `json:"close_until"`
}

// Staff's actions on the hours.
const (
	hoursOpen  = "open"
	hoursClose = "close"
	hoursUsual = "usual"
)

type staffHoursRequest struct {
	Action string     `json:"action"`
	Until  *time.Time `json:"until,omitempty"` // open: one of open_choices
}

// maxOpenFor bounds an opening staff set: the kiosk does not stay open
// for days because of one tap.
const maxOpenFor = 24 * time.Hour

func (s *Server) staffHoursRoutes() {
	s.handle("GET /api/staff/hours", s.requireStaff(s.staffHours))
	s.handle("POST /api/staff/hours", s.requireStaff(s.staffSetHours))
}

func (s *Server) staffHours(w http.ResponseWriter, r *http.Request) {
	httpjson.Write(w, http.StatusOK, s.staffHoursAt(s.hrs.now()))
}

func (s *Server) staffHoursAt(now time.Time) staffHoursAnswer {
	s.hrs.mu.Lock()
	o := s.hrs.override
	s.hrs.mu.Unlock()
	c := s.Config.Hours().ChoicesAt(now, o)
	// [], not null: the screen reads a list, empty without opening hours.
	choices := append([]time.Time{}, c.OpenUntil...)
	return staffHoursAnswer{Hours: s.hoursAt(now), OpenChoices: choices, CanClose: c.CanClose, CloseUntil: c.CloseUntil}
}

func (s *Server) staffSetHours(w http.ResponseWriter, r *http.Request) {
	var req staffHoursRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	now := s.hrs.now()
	sched := s.Config.Hours()
	var o hours.Override
	var phrase string
	switch req.Action {
	case hoursOpen:
		if req.Until == nil || !req.Until.After(now) || req.Until.Sub(now) > maxOpenFor {
			httpjson.Error(w, http.StatusBadRequest, codeBadStaffAction, "open needs until: a time within a day from now")
			return
		}
		o = hours.Override{Open: true, From: now, Until: *req.Until}
		phrase = "opened the kiosk to residents until " + o.Until.In(sched.Loc).Format("2006-01-02 15:04")
	case hoursClose:
		o = hours.Override{From: now, Until: sched.ClosedForToday(now)}
		phrase = "closed the kiosk for today, until " + o.Until.In(sched.Loc).Format("2006-01-02 15:04")
	case hoursUsual:
		phrase = "returned the kiosk to its usual opening hours"
	default:
		httpjson.Error(w, http.StatusBadRequest, codeBadStaffAction, "action must be open, close or usual, not "+quoteShort(req.Action))
		return
	}
	// Kept only in memory, it would be lost at the next restart without a
	// word: refused instead, as the sound switch does.
	if s.Store.ReadOnly {
		httpjson.Error(w, http.StatusConflict, codeReadOnly, "the opening hours cannot be changed: the kiosk's disk is read-only")
		return
	}
	if err := s.Store.SaveHoursOverride(r.Context(), o); err != nil {
		httpjson.Error(w, http.StatusInternalServerError, codeInternal, fmt.Sprintf("the opening hours could not be changed: %v", err))
		return
	}
	s.hrs.mu.Lock()
	s.hrs.override, s.hrs.noticeFrom = o, now
	s.hrs.mu.Unlock()
	s.staffLog(r, phrase)
	httpjson.Write(w, http.StatusOK, s.staffHoursAt(now))
}
