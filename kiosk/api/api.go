// Package api is the kiosk's one HTTP JSON API under /api/. The same handler is
// served by Wails' asset server in the desktop window and by net/http in
// `tramso serve`, so the UI and the tests see exactly the same thing. Handlers
// parse, call the domain packages and respond; no logic lives here.
package api

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/httpjson"
	"tramso/kiosk/sound"
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
	// IsFullscreen says whether the window fills the screen now, for the
	// staff panel to offer the one action that changes it.
	IsFullscreen() bool
	Quit()
	// Renew starts the page again in a fresh web process, between residents.
	Renew()
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

	// Screens are the page's files (the binary's frontend/dist): their
	// catalogues count how far each language is translated (health.go).
	// nil: the languages offer_untranslated names are offered, unmeasured.
	Screens fs.FS

	Speech *speech.Engine // the kiosk's own voice (speech.go); nil: off
	Sound  *sound.Switch  // sound on or off (sound.go); nil: Handler opens one on Store
	Log    *slog.Logger   // failures a person must look into; nil: slog.Default()
	// ConfigBroken: the config file does not load and the kiosk runs on the
	// last config it started on (kiosk/station lastgood.go); staff are told.
	ConfigBroken bool
	// DatabaseSetAside: a damaged database was set aside (kiosk/store) and
	// is still there for a technician: usage figures and the enrollment
	// started again, which staff are told until the file is removed.
	DatabaseSetAside bool
	// HubDropped: the database holds an enrollment with a hub the config no
	// longer names, so the kiosk does not connect (kiosk/station).
	HubDropped bool
	// Origins are the origins of the kiosk's own page ("http://127.0.0.1:8080",
	// ServedOrigins): a request for another Host (DNS rebinding) or from a
	// page of another Origin is refused (crosssite.go). Empty where no
	// browser can reach the handler but the kiosk's own page or a server
	// that checks for itself: the desktop window's asset server has no port
	// (WebKitGTK's requests through it carry Host "wails", no Origin and no
	// Sec-Fetch-Site: seen in the window tests), and the hub's preview
	// checks its console's origin.
	Origins []string

	mux   *http.ServeMux
	guard *staff.Guard // staff PIN and sessions (staff.go)
	hrs   hoursState   // the clock, the start and staff's override (hours.go)
	offer offerCache   // the languages offered, per content (health.go)
}

// Handler builds the API handler. Call it once, after filling the fields.
func (s *Server) Handler() http.Handler {
	if s.Log == nil {
		s.Log = slog.Default()
	}
	if s.Sound == nil { // tests, the studio's preview: a switch of their own
		s.Sound = sound.Open(context.Background(), s.Store, s.Log)
	}
	if s.mux == nil {
		s.mux = http.NewServeMux()
		s.routes()
	}
	return s
}

func (s *Server) routes() {
	s.handle("GET /api/health", s.health)
	s.handle("GET /api/kiosk", s.kioskInfo)
	s.handle("GET /api/catalogues", s.catalogues)
	s.handle("GET /api/media/{path...}", s.media)
	s.handle("GET /api/qr", s.qrImage)
	s.handle("GET /api/speech", s.speak)
	s.handle("GET /api/procedures", s.procedures)
	s.handle("GET /api/procedures/{code}", s.procedure)
	s.handle("POST /api/procedures/{code}/result", s.procedureResult)
	s.handle("GET /api/flows/{id}", s.flowByID)
	s.handle("GET /api/search", s.searchAll)
	s.handle("POST /api/alive", s.alive)
	s.handle("POST /api/window/renew", s.renewWindow)
	s.hoursRoutes()
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
	s.soundRoutes()
	s.contentRoutes()
	s.handle("/api/", func(w http.ResponseWriter, r *http.Request) {
		httpjson.Error(w, http.StatusNotFound, codeNoEndpoint, "no such API endpoint: "+r.Method+" "+r.URL.Path)
	})
}

func (s *Server) handle(pattern string, h http.HandlerFunc) { s.mux.HandleFunc(pattern, h) }

// ServeHTTP adds the headers every API answer carries, then routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if s.refuseForeign(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// maxBody bounds every request body: the UI never sends more than a few KB.
const maxBody = 64 << 10

// decodeJSON reads a JSON request body into v strictly and, when it cannot,
// answers the error itself.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	return httpjson.Decode(w, r, maxBody, v)
}
