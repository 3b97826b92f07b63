package api

import (
	"net/http"
	"time"

	"tramso/kiosk/httpjson"
)

// Pinger is the watchdog as the API sees it: the page's heartbeat goes in,
// and the page learns how often to send it.
type Pinger interface {
	Ping()
	PingEvery() time.Duration
}

// aliveRequest is what the page says with each heartbeat.
type aliveRequest struct {
	// Sound: a line is playing (or asked to play). The page also pings as
	// each line is asked for, before any sound reaches the device, so that
	// if the device freezes the page its last word says so (kiosk/sound).
	Sound bool `json:"sound"`
}

type aliveAnswer struct {
	PingEveryMS int64 `json:"ping_every_ms"`
}

// alive is the page's heartbeat. Its arrival, not the process's, is what keeps
// systemd's watchdog fed, so a frozen page gets the kiosk restarted.
func (s *Server) alive(w http.ResponseWriter, r *http.Request) {
	var req aliveRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	s.Sound.Heard(req.Sound)
	every := 15 * time.Second
	if s.Alive != nil {
		s.Alive.Ping()
		every = s.Alive.PingEvery()
	}
	httpjson.Write(w, http.StatusOK, aliveAnswer{PingEveryMS: every.Milliseconds()})
}

// renewWindow is POST /api/window/renew: a resident's session has ended and
// the page is back on the attract screen, so the window may start it again
// in a fresh web process (app/pagelife.go). It answers before the page goes.
func (s *Server) renewWindow(w http.ResponseWriter, r *http.Request) {
	if s.Window == nil {
		httpjson.Error(w, http.StatusNotImplemented, codeNoWindow, "only the desktop kiosk window renews its page, not browser mode (tramso serve)")
		return
	}
	httpjson.Write(w, http.StatusOK, okAnswer{OK: true})
	s.Window.Renew()
}
