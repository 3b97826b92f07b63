package api

// Staff's exception to the opening hours: open the kiosk to residents
// outside its hours until a chosen time (an evening class, a Sunday
// meeting), or close it for today until its next opening (a funeral), and go back
// to the usual hours. Kept in the store, so it survives a restart; it ends by
// itself at its time. GET /api/hours and the closed notice honour it.
//
//	GET  /api/staff/hours  (staff) → {hours, open_choices, can_close, close_until}
//	POST /api/staff/hours  (staff) {action: open, until} | {action: close} | {action: usual} → the same, once saved
//	                       | 400 bad_staff_action (an unknown action, or until missing or passed)
//	                       | 400 hours_not_offered (until is not one of open_choices now; close while can_close is false)
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

// openUntilOffered answers 400 unless until is one of the times the card
// offers now, o in force (hours.Schedule.Offers, which still takes a time
// offered a minute ago): the API takes what the card offers and nothing
// else, so no client opens the kiosk until 03:17 or for a day. A time that
// has passed keeps its own code: the card's choices were old.
func (s *Server) openUntilOffered(w http.ResponseWriter, now time.Time, o hours.Override, until *time.Time) bool {
	if until == nil || !until.After(now) {
		httpjson.Error(w, http.StatusBadRequest, codeBadStaffAction, "open needs until: a time still to come, one of open_choices")
		return false
	}
	if !s.Config.Hours().Offers(now, o, *until) {
		httpjson.Error(w, http.StatusBadRequest, codeHoursNotOffered, "until "+until.Format(time.RFC3339)+" is not one of the times offered now (open_choices)")
		return false
	}
	return true
}

func (s *Server) staffSetHours(w http.ResponseWriter, r *http.Request) {
	var req staffHoursRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	s.hrs.set.Lock()
	defer s.hrs.set.Unlock()
	// Whole seconds, as the store keeps them: after a restart the kiosk
	// says the same times it said before.
	now := s.hrs.now().Truncate(time.Second)
	sched := s.Config.Hours()
	s.hrs.mu.Lock()
	cur := s.hrs.override
	s.hrs.mu.Unlock()
	var o hours.Override
	var phrase string
	switch req.Action {
	case hoursOpen:
		if !s.openUntilOffered(w, now, cur, req.Until) {
			return
		}
		o = sched.Open(now, cur, *req.Until)
		phrase = "opened the kiosk to residents until " + o.Until.In(sched.Loc).Format("2006-01-02 15:04")
	case hoursClose:
		// Only when the card offers it: a second tap, or a card left open,
		// would move when the kiosk closed (review s27).
		if !sched.ChoicesAt(now, cur).CanClose {
			httpjson.Error(w, http.StatusBadRequest, codeHoursNotOffered, "nothing to close: the kiosk is closed and today has no opening ahead (can_close is false)")
			return
		}
		o = sched.Close(now, cur)
		phrase = "closed the kiosk for today, until " + o.Until.In(sched.Loc).Format("2006-01-02 15:04")
	case hoursUsual:
		o = cur.Usual(now)
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
