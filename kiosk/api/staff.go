package api

// Staff mode's API, and requireStaff, the guard for every staff endpoint.
//
// For other features' staff endpoints, wrap the handler when registering it:
//
//	s.handle("GET /api/staff/usage", s.requireStaff(s.staffUsage))
//
// requireStaff answers 401 {"error": …, "code": "staff_closed"} unless the
// request carries a live staff session token in the X-Staff-Token header (the
// frontend's api.ts sends it while staff mode is open). Each accepted request keeps the session alive;
// it ends after idle.staff_seconds without one. To record what staff did, call
// s.staffLog(r, "what happened") — what and when (to the minute), never
// resident data.
//
// Endpoints:
//
//	GET  /api/staff/status  {configured, locked, locked_until?, locked_seconds?, tries_left, read_only,
//	                         config_broken, database_set_aside, hub_dropped, disk_low, disk_free_mb, no_province_key}
//	POST /api/staff/login   {pin} → {token, idle_seconds} | 401 wrong_pin (tries_left) | 423 pin_locked (locked_until, locked_seconds) | 409 pin_not_set
//	                         | 429 pin_busy (another PIN is being checked: one at a time, staff.BusyWait)
//	POST /api/staff/logout  (staff) ends the session
//	POST /api/staff/ping    (staff) keeps the session alive while staff read the panel
//	POST /api/staff/log     (staff) {action} one of staffLogActions
//	POST /api/staff/window  (staff) {action: fullscreen|unfullscreen|quit} → 501 no_window in browser mode
//	GET  /api/staff/window  (staff) the window's incidents (incidents.go)
//	GET  /api/staff/usb, POST /api/staff/usb/install  (staff) packs on a USB stick (staff_usb.go)

import (
	"errors"
	"net/http"
	"time"

	"tramso/kiosk/httpjson"
	"tramso/kiosk/pack"
	"tramso/kiosk/staff"
)

// StaffTokenHeader carries the staff session token.
const StaffTokenHeader = "X-Staff-Token"

// staffLogActions are the actions the staff panel may log by name; the log
// holds these fixed phrases, so nothing a resident typed can reach it.
var staffLogActions = map[string]string{
	"end_session":     "ended the resident's session",
	"open_insights":   "opened the usage figures",
	"return_to_kiosk": "returned to the kiosk",
}

func (s *Server) staffRoutes() {
	s.guard = staff.NewGuard(s.Store.DB, s.Config.Staff.PINHash, time.Duration(s.Config.Idle.StaffSeconds)*time.Second)
	s.handle("GET /api/staff/status", s.staffStatus)
	s.handle("POST /api/staff/login", s.staffLogin)
	s.handle("POST /api/staff/logout", s.requireStaff(s.staffLogout))
	s.handle("POST /api/staff/ping", s.requireStaff(s.staffPing))
	s.handle("POST /api/staff/log", s.requireStaff(s.staffLogAction))
	s.handle("POST /api/staff/window", s.requireStaff(s.staffWindow))
	s.handle("GET /api/staff/window", s.requireStaff(s.staffWindowState))
	s.staffUSBRoutes() // packs on a USB stick (staff_usb.go)
}

// requireStaff lets the request through only with a live staff session.
func (s *Server) requireStaff(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.guard == nil || !s.guard.Check(r.Header.Get(StaffTokenHeader)) {
			httpjson.Error(w, http.StatusUnauthorized, codeStaffClosed, "staff mode is closed: open it with the staff PIN")
			return
		}
		// The open panel asks every few seconds: a visit it is helping
		// stays open meanwhile.
		if s.Usage != nil {
			s.Usage.StaffAtWork()
		}
		h(w, r)
	}
}

// staffLog records a staff action; a failure to log is reported, not fatal.
// A read-only disk takes no record: the action goes to the process's log
// instead, not an ERROR per action for a state logged once at start.
func (s *Server) staffLog(r *http.Request, action string) {
	if s.Store.ReadOnly {
		s.Log.Info("staff action, not recorded: the disk is read-only", "action", action)
		return
	}
	if err := s.guard.Log(r.Context(), action); err != nil {
		s.Log.Error("staff action log", "action", action, "err", err)
	}
}

// staffStatusAnswer is the PIN pad's status, whether the kiosk's disk is
// read-only (store.Store.ReadOnly) and whether it runs on the last config
// that started because the config does not load: the staff panel's front
// page says so. Only yes or no: the error itself is in the log.
type staffStatusAnswer struct {
	staff.Status
	ReadOnly         bool `json:"read_only"`
	ConfigBroken     bool `json:"config_broken"`
	DatabaseSetAside bool `json:"database_set_aside"`
	HubDropped       bool `json:"hub_dropped"`
	// DiskLow: the data directory's disk has less than lowDisk free
	// (DiskFreeMB): updates need room, and so do the usage figures (outside
	// QA: only a failed update said so).
	DiskLow    bool  `json:"disk_low"`
	DiskFreeMB int64 `json:"disk_free_mb"`
	// NoProvinceKey: the kiosk runs pinning no province key
	// (hub.province_keys), so it refuses every pack, a USB one too: the
	// update card must not say USB still works (outside QA s26, finding 5).
	NoProvinceKey bool `json:"no_province_key"`
}

// lowDisk is the free space under which staff are told the disk is filling:
// twice what a pack leaves free (pack.RoomToSpare).
const lowDisk = 2 * pack.RoomToSpare

func (s *Server) staffStatus(w http.ResponseWriter, r *http.Request) {
	a := staffStatusAnswer{Status: s.guard.Status(r.Context()), ReadOnly: s.Store.ReadOnly, ConfigBroken: s.ConfigBroken,
		DatabaseSetAside: s.DatabaseSetAside, HubDropped: s.HubDropped, NoProvinceKey: len(s.Config.Keys()) == 0}
	if free, ok := s.Store.Room(); ok {
		a.DiskLow, a.DiskFreeMB = free < lowDisk, free>>20
	}
	httpjson.Write(w, http.StatusOK, a)
}

type staffLoginRequest struct {
	PIN string `json:"pin"`
}

type staffLoginAnswer struct {
	Token       string `json:"token"`
	IdleSeconds int    `json:"idle_seconds"`
}

// wrongPINAnswer and pinLockedAnswer are error answers that say more.
type wrongPINAnswer struct {
	httpjson.ErrorBody
	TriesLeft int `json:"tries_left"`
}

type pinLockedAnswer struct {
	httpjson.ErrorBody
	LockedUntil   time.Time `json:"locked_until"`
	LockedSeconds int       `json:"locked_seconds"` // what the pad counts down (staff.Status)
}

// okAnswer is the answer of an action that has nothing to say but done.
type okAnswer struct {
	OK bool `json:"ok"`
}

func (s *Server) staffLogin(w http.ResponseWriter, r *http.Request) {
	var req staffLoginRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	token, err := s.guard.Login(r.Context(), req.PIN)
	var wrong *staff.WrongPINError
	var locked *staff.LockedError
	switch {
	case err == nil:
		httpjson.Write(w, http.StatusOK, staffLoginAnswer{Token: token, IdleSeconds: int(s.guard.IdleTimeout() / time.Second)})
	case errors.Is(err, staff.ErrNotConfigured):
		httpjson.Error(w, http.StatusConflict, codePINNotSet, err.Error())
	case errors.Is(err, staff.ErrBusy):
		w.Header().Set("Retry-After", "1")
		httpjson.Error(w, http.StatusTooManyRequests, codePINBusy, err.Error())
	case errors.As(err, &wrong):
		httpjson.Write(w, http.StatusUnauthorized, wrongPINAnswer{httpjson.ErrorBody{Error: err.Error(), Code: codeWrongPIN}, wrong.TriesLeft})
	case errors.As(err, &locked):
		httpjson.Write(w, http.StatusLocked, pinLockedAnswer{httpjson.ErrorBody{Error: err.Error(), Code: codePINLocked}, locked.Until.UTC(), locked.Seconds})
	default:
		httpjson.Error(w, http.StatusInternalServerError, codeInternal, err.Error())
	}
}

func (s *Server) staffLogout(w http.ResponseWriter, r *http.Request) {
	s.guard.Logout(r.Context(), r.Header.Get(StaffTokenHeader))
	httpjson.Write(w, http.StatusOK, okAnswer{OK: true})
}

func (s *Server) staffPing(w http.ResponseWriter, r *http.Request) {
	httpjson.Write(w, http.StatusOK, okAnswer{OK: true})
}

// staffActionRequest names a staff action: one of staffLogActions, or of
// windowActions.
type staffActionRequest struct {
	Action string `json:"action"`
}

func (s *Server) staffLogAction(w http.ResponseWriter, r *http.Request) {
	var req staffActionRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	phrase, ok := staffLogActions[req.Action]
	if !ok {
		httpjson.Error(w, http.StatusBadRequest, codeBadStaffAction, "unknown staff action "+quoteShort(req.Action))
		return
	}
	s.staffLog(r, phrase)
	httpjson.Write(w, http.StatusOK, okAnswer{OK: true})
}

// windowActions are what staff may do to the desktop window, with the
// phrase the staff log records.
var windowActions = map[string]struct {
	phrase string
	do     func(Window)
}{
	"fullscreen":   {"entered full screen", Window.Fullscreen},
	"unfullscreen": {"left full screen", Window.Unfullscreen},
	"quit":         {"quit the app", Window.Quit},
}

// staffWindow is POST /api/staff/window: full screen on/off and quit, which
// only the desktop window can do.
func (s *Server) staffWindow(w http.ResponseWriter, r *http.Request) {
	var req staffActionRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	a, ok := windowActions[req.Action]
	if !ok {
		httpjson.Error(w, http.StatusBadRequest, codeBadStaffAction, "action must be fullscreen, unfullscreen or quit, not "+quoteShort(req.Action))
		return
	}
	if s.Window == nil {
		httpjson.Error(w, http.StatusNotImplemented, codeNoWindow, "window actions exist only in the desktop kiosk window, not in browser mode (tramso serve)")
		return
	}
	s.staffLog(r, a.phrase)
	if req.Action == "quit" {
		// Answer first: quitting ends the process that would answer.
		httpjson.Write(w, http.StatusOK, okAnswer{OK: true})
		go a.do(s.Window)
		return
	}
	a.do(s.Window)
	httpjson.Write(w, http.StatusOK, okAnswer{OK: true})
}

// quoteShort quotes a client-sent value for an error message, cut short.
func quoteShort(v string) string {
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	return `"` + v + `"`
}
