package api

// Staff mode's API, and requireStaff, the guard for every staff endpoint.
//
// For other features' staff endpoints, wrap the handler when registering it:
//
//	s.handle("GET /api/staff/usage", s.requireStaff(s.staffUsage))
//
// requireStaff answers 401 {"error": …} unless the request carries a live
// staff session token in the X-Staff-Token header (the frontend's api.ts sends
// it while staff mode is open). Each accepted request keeps the session alive;
// it ends after idle.staff_seconds without one. To record what staff did, call
// s.staffLog(r, "what happened") — what and when (to the minute), never
// resident data.
//
// Endpoints:
//
//	GET  /api/staff/status  {configured, locked, locked_until?, tries_left}
//	POST /api/staff/login   {pin} → {token, idle_seconds} | 401 wrong (tries_left) | 423 locked (locked_until) | 409 no PIN set
//	POST /api/staff/logout  (staff) ends the session
//	POST /api/staff/ping    (staff) keeps the session alive while staff read the panel
//	POST /api/staff/log     (staff) {action} one of staffLogActions
//	POST /api/staff/window  (staff) {action: fullscreen|unfullscreen|quit} → 501 in browser mode

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

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
}

// requireStaff lets the request through only with a live staff session.
func (s *Server) requireStaff(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.guard == nil || !s.guard.Check(r.Header.Get(StaffTokenHeader)) {
			writeError(w, http.StatusUnauthorized, "staff mode is closed: open it with the staff PIN")
			return
		}
		h(w, r)
	}
}

// staffLog records a staff action; a failure to log is reported, not fatal.
func (s *Server) staffLog(r *http.Request, action string) {
	if err := s.guard.Log(r.Context(), action); err != nil {
		slog.Error("staff action log", "action", action, "err", err)
	}
}

func (s *Server) staffStatus(w http.ResponseWriter, r *http.Request) {
	st, err := s.guard.Status(r.Context())
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) staffLogin(w http.ResponseWriter, r *http.Request) {
	var req struct {
		PIN string `json:"pin"`
	}
	if !decodeJSON(w, r, &req) {
		return
	}
	token, err := s.guard.Login(r.Context(), req.PIN)
	var wrong *staff.WrongPINError
	var locked *staff.LockedError
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, map[string]any{
			"token":        token,
			"idle_seconds": int(s.guard.IdleTimeout() / time.Second),
		})
	case errors.Is(err, staff.ErrNotConfigured):
		writeError(w, http.StatusConflict, err.Error())
	case errors.As(err, &wrong):
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": err.Error(), "tries_left": wrong.TriesLeft})
	case errors.As(err, &locked):
		writeJSON(w, http.StatusLocked, map[string]any{"error": err.Error(), "locked_until": locked.Until.UTC()})
	default:
		writeError(w, http.StatusInternalServerError, err.Error())
	}
}

func (s *Server) staffLogout(w http.ResponseWriter, r *http.Request) {
	s.guard.Logout(r.Context(), r.Header.Get(StaffTokenHeader))
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

func (s *Server) staffPing(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

func (s *Server) staffLogAction(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Action string `json:"action"`
	}
	if !decodeJSON(w, r, &req) {
		return
	}
	phrase, ok := staffLogActions[req.Action]
	if !ok {
		writeError(w, http.StatusBadRequest, "unknown staff action "+quoteShort(req.Action))
		return
	}
	s.staffLog(r, phrase)
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// staffWindow is POST /api/staff/window: full screen on/off and quit, which
// only the desktop window can do.
func (s *Server) staffWindow(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Action string `json:"action"`
	}
	if !decodeJSON(w, r, &req) {
		return
	}
	actions := map[string]struct {
		phrase string
		do     func(Window)
	}{
		"fullscreen":   {"entered full screen", Window.Fullscreen},
		"unfullscreen": {"left full screen", Window.Unfullscreen},
		"quit":         {"quit the app", Window.Quit},
	}
	a, ok := actions[req.Action]
	if !ok {
		writeError(w, http.StatusBadRequest, "action must be fullscreen, unfullscreen or quit, not "+quoteShort(req.Action))
		return
	}
	if s.Window == nil {
		writeError(w, http.StatusNotImplemented, "window actions exist only in the desktop kiosk window, not in browser mode (tramso serve)")
		return
	}
	s.staffLog(r, a.phrase)
	if req.Action == "quit" {
		// Answer first: quitting ends the process that would answer.
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
		go a.do(s.Window)
		return
	}
	a.do(s.Window)
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// quoteShort quotes a client-sent value for an error message, cut short.
func quoteShort(v string) string {
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	return `"` + v + `"`
}
