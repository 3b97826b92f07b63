// Package station assembles a running kiosk from its parts — config, database,
// content, API — the same way for the desktop window and for `tramso serve`.
package station

import (
	"context"
	"crypto/ed25519"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"tramso/kiosk/api"
	"tramso/kiosk/buildinfo"
	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/pack"
	"tramso/kiosk/sound"
	"tramso/kiosk/speech"
	"tramso/kiosk/store"
	"tramso/kiosk/update"
	"tramso/kiosk/usage"
	"tramso/kiosk/watchdog"
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
	Config   config.Config
	Store    *store.Store
	Content  *content.Live
	Packs    *pack.Store // applied content packs: the update client applies through it
	API      *api.Server
	Watchdog *watchdog.Watchdog // fed by the page's pings; tells systemd the UI is alive
	Usage    *usage.Log         // anonymous usage log: the API queues, Run writes
	Update   *update.Client     // content updates from the province hub
	Sound    *sound.Switch      // off after the page froze on the sound device
	Log      *slog.Logger

	incidentsNotKept atomic.Bool // an incident met the read-only disk (incidentNotKept)
}

// Open loads the config, opens the database (refusing a second instance) and
// loads the content.
func Open(opts Options) (*Station, error) {
	log := opts.Log
	if log == nil {
		log = slog.Default()
	}
	cfg, configBroken, err := loadConfig(opts, log)
	if err != nil {
		return nil, err
	}
	st, err := store.OpenOrReadOnly(opts.DataDir)
	if err != nil {
		return nil, err
	}
	if configBroken == nil {
		keepLastGood(opts, st, log)
	}
	if st.ReadOnly {
		logReadOnly(log, st)
	}
	if st.SetAside != "" {
		log.Error("the kiosk's database was damaged: it was set aside and a new one started; usage figures and the hub enrollment "+
			"start again (enroll the kiosk again with tramso enroll), content on disk is taken back where its signature verifies",
			"set_aside", st.SetAside)
	}
	if st.GaveBackReserve {
		log.Error("the disk is full: the kiosk gave back its reserve space to start; free some space soon",
			"dir", opts.DataDir, "free_mb", store.FreeBytes(opts.DataDir)>>20)
	} else if !st.ReadOnly {
		st.KeepReserve()
	}
	packs, live, err := loadContent(log, st, cfg.Keys())
	if err != nil {
		st.Close()
		return nil, err
	}
	s := &Station{Config: cfg, Store: st, Content: live, Packs: packs, Log: log}
	s.API = &api.Server{Version: buildinfo.AppVersion(), Config: cfg, Store: st, Content: live, Log: log,
		ConfigBroken: configBroken != nil, DatabaseSetAside: len(store.SetAsideFiles(st.Dir)) > 0}
	s.API.Speech = speech.New(cfg.Speech) // reads screens without a recording aloud
	if why := s.API.Speech.Why(); why != "" {
		log.Warn("the kiosk's voice is off: screens without a recording cannot be heard", "why", why)
	}
	s.Usage = newUsageLog(cfg, st, live, log)
	s.API.Usage = s.Usage
	s.Sound = sound.Open(context.Background(), st, log)
	s.API.Sound = s.Sound
	s.Watchdog = newWatchdog(log)
	s.API.Alive = s.Watchdog
	s.Update = newUpdateClient(cfg, st, packs, live, s.Sound, log)
	s.Sound.OnChange(s.Update.SoundChanged)
	s.API.Update = s.Update
	s.API.HubDropped = hubDropped(cfg, st)
	return s, nil
}

// loadContent serves the applied content pack, or the embedded starter when
// there is none, it does not load or no pinned key verifies it (pack.Store.Serve logs and keeps why). A
// broken starter is a build defect, not a field condition: it stops the kiosk.
func loadContent(log *slog.Logger, st *store.Store, keys []ed25519.PublicKey) (*pack.Store, *content.Live, error) {
	ctx := context.Background()
	packs, err := pack.OpenStore(ctx, st)
	if err != nil {
		return nil, nil, err
	}
	live, err := packs.Serve(ctx, log, keys)
	return packs, live, err
}

// Run starts the station's background work and returns when ctx ends.
func (s *Station) Run(ctx context.Context) {
	s.startLifecycle(ctx)
	s.startUsage(ctx)
	s.startUpdate(ctx)
	if !s.Store.ReadOnly { // nothing can be dropped in the inbox of a read-only disk
		go s.Packs.WatchInbox(ctx, s.Config.Keys(), 3*time.Second) // `tramso pack apply` while the kiosk runs
	}
	go s.Packs.AuditAfter(ctx, auditDelay, func(error) { s.Update.ContentDamaged() })
	<-ctx.Done()
}

// auditDelay is how long after start the kiosk reads its content whole to
// check every hash (pack.Store.Audit): well after the first screen, which
// must not wait for it.
const auditDelay = 30 * time.Second

// Close writes the queued usage events, then releases the database and its lock.
func (s *Station) Close() error {
	s.Usage.Close()
	return s.Store.Close()
}

// Handler serves the UI from assets and the API under /api/. Unknown paths
// that are not files get index.html, so the UI's own routes survive a reload.
func (s *Station) Handler(assets fs.FS) http.Handler {
	s.API.Screens = assets // their catalogues decide which languages are offered
	apiHandler := s.API.Handler()
	files := http.FileServerFS(assets)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api.PageHeaders(w.Header(), "'none'")
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

func exists(fsys fs.FS, name string) bool {
	if !fs.ValidPath(name) {
		return false
	}
	st, err := fs.Stat(fsys, name)
	return err == nil && !st.IsDir()
}
