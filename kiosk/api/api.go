// Package api is the kiosk's one HTTP JSON API under /api/. The same handler is
// served by Wails' asset server in the desktop window and by net/http in
// `tramso serve`, so the UI and the tests see exactly the same thing. Handlers
// parse, call the domain packages and respond; no logic lives here.
package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/speech"
	"tramso/kiosk/staff"
	"tramso/kiosk/store"
	"tramso/kiosk/usage"
)

// Window is what the desktop shell can do to its own window. It is nil in
// browser mode, where those actions do not exist.
type Window interface {
	Fullscreen()
	Unfullscreen()
	Quit()
}

// Server holds what the handlers need.
type Server struct {
	Version string
	Config  config.Config
	Store   *store.Store
	Content *content.Live
	Window  Window
	Alive   Pinger     // the watchdog; nil when none
	Usage   *usage.Log // anonymous usage log; nil when not running
	Update  Updater    // the content update client; nil when none

	Speech *speech.Engine // the kiosk's own voice (speech.go); nil: off

	mux   *http.ServeMux
	guard *staff.Guard // staff PIN and sessions (staff.go)
}

// New builds the API handler. Call it once, after filling the fields.
func (s *Server) Handler() http.Handler {
	if s.mux == nil {
		s.mux = http.NewServeMux()
		s.routes()
	}
	return s
}

func (s *Server) routes() {
	s.handle("GET /api/health", s.health)
	s.handle("GET /api/kiosk", s.kioskInfo)
	s.handle("GET /api/media/{path...}", s.media)
	s.handle("GET /api/qr", s.qrImage)
	s.handle("GET /api/speech", s.speak)
	s.handle("GET /api/procedures", s.procedures)
	s.handle("GET /api/procedures/{code}", s.procedure)
	s.handle("POST /api/procedures/{code}/result", s.procedureResult)
	s.handle("GET /api/flows/{id}", s.flowByID)
	s.handle("GET /api/search", s.searchAll)
	s.handle("POST /api/alive", s.alive)
	s.handle("GET /api/hours", s.hours)
	s.handle("GET /api/tutorials", s.tutorials)
	s.handle("GET /api/tutorials/{id}", s.tutorial)
	s.handle("POST /api/tutorials/summary", s.tutorialSummary)
	s.handle("POST /api/resume", s.resumeCreate)
	s.handle("GET /api/resume/{code}", s.resumeLookup)
	s.handle("POST /api/sessions", s.sessionStart)
	s.handle("POST /api/events", s.usageEvents)
	s.handle("GET /api/staff/usage", s.requireStaff(s.staffUsage))
	s.updateRoutes()
	s.staffRoutes()
	s.contentRoutes()
	s.handle("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such API endpoint: "+r.Method+" "+r.URL.Path)
	})
}

func (s *Server) handle(pattern string, h http.HandlerFunc) { s.mux.HandleFunc(pattern, h) }

// ServeHTTP adds the headers every API answer carries, then routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	s.mux.ServeHTTP(w, r)
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// writeError answers {"error": message} with the status code.
func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]string{"error": message})
}

// maxBody bounds every request body: the UI never sends more than a few KB.
const maxBody = 64 << 10

// decodeJSON reads a JSON request body into v, refusing unknown fields,
// oversized bodies and trailing data, and writes the error answer itself.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		writeError(w, http.StatusUnsupportedMediaType, "send JSON (Content-Type: application/json)")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "request body is too large")
		} else {
			writeError(w, http.StatusBadRequest, "request body is not valid JSON for this endpoint: "+err.Error())
		}
		return false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		writeError(w, http.StatusBadRequest, "request body has data after the JSON value")
		return false
	}
	return true
}
