// Package station assembles a running kiosk from its parts — config, database,
// content, API — the same way for the desktop window and for `tramso serve`.
package station

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"tramso/kiosk/api"
	"tramso/kiosk/buildinfo"
	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/store"
)

// Options say where the kiosk keeps its data and finds its config.
type Options struct {
	DataDir        string
	ConfigPath     string
	ConfigExplicit bool // --config was given: a missing file is an error
	Log            *slog.Logger
}

// Station is an open kiosk.
type Station struct {
	Config  config.Config
	Store   *store.Store
	Content *content.Live
	API     *api.Server
	Log     *slog.Logger
}

// Open loads the config, opens the database (refusing a second instance) and
// loads the content.
func Open(opts Options) (*Station, error) {
	log := opts.Log
	if log == nil {
		log = slog.Default()
	}
	cfg, err := config.LoadOrDefault(opts.ConfigPath, opts.ConfigExplicit)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(opts.DataDir)
	if err != nil {
		return nil, err
	}
	live, err := loadContent(log)
	if err != nil {
		st.Close()
		return nil, err
	}
	s := &Station{Config: cfg, Store: st, Content: live, Log: log}
	s.API = &api.Server{Version: buildinfo.AppVersion(), Config: cfg, Store: st, Content: live}
	return s, nil
}

// loadContent serves the embedded starter pack. A broken starter is a build
// defect, not a field condition, so it stops the kiosk with the problems listed.
func loadContent(log *slog.Logger) (*content.Live, error) {
	pack, err := content.Load(content.Starter())
	if err != nil {
		return nil, fmt.Errorf("embedded starter content: %w", err)
	}
	log.Info("content loaded", "source", content.SourceEmbedded, "generation", pack.Meta.Generation,
		"tutorials", len(pack.Tutorials), "procedures", len(pack.Procedures))
	return content.NewLive(pack, content.SourceEmbedded), nil
}

// Run starts the station's background work and returns when ctx ends.
func (s *Station) Run(ctx context.Context) error {
	<-ctx.Done()
	return nil
}

// Close releases the database and its lock.
func (s *Station) Close() error { return s.Store.Close() }

// Handler serves the UI from assets and the API under /api/. Unknown paths
// that are not files get index.html, so the UI's own routes survive a reload.
func (s *Station) Handler(assets fs.FS) http.Handler {
	apiHandler := s.API.Handler()
	files := http.FileServerFS(assets)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(w)
		if strings.HasPrefix(r.URL.Path, "/api/") {
			apiHandler.ServeHTTP(w, r)
			return
		}
		if r.URL.Path != "/" && !exists(assets, strings.TrimPrefix(r.URL.Path, "/")) {
			r = r.Clone(r.Context())
			r.URL.Path = "/"
		}
		files.ServeHTTP(w, r)
	})
}

// setSecurityHeaders keeps the page from loading anything that is not ours:
// the kiosk never navigates away, and a QR code is how links leave it.
func setSecurityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "+
		"style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}

func exists(fsys fs.FS, name string) bool {
	if !fs.ValidPath(name) {
		return false
	}
	st, err := fs.Stat(fsys, name)
	return err == nil && !st.IsDir()
}
