// Package hub is the province's server: it enrolls kiosks, keeps the fleet's
// state, publishes signed content packs with a staged rollout, serves their
// manifests and blobs over HTTP (with Range, so cut transfers resume), holds
// the kiosks' websockets to announce new generations at once, and gives the
// province's staff a small server-rendered admin.
//
// A hub keeps its state in one SQLite file (one hub process per province) or
// in PostgreSQL, which several stateless hubs share (Options.Database). Its
// SQL is written once for both (db.go says how); fleet_version is the change
// counter every hub watches. Fan-out (Broker) and blob storage (BlobStore)
// sit behind small interfaces: in-process or LISTEN/NOTIFY, files or the
// database.
package hub

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"tramso/kiosk/buildinfo"
	"tramso/kiosk/hours"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
)

// Options configure a hub. Dir is required on SQLite; the rest have defaults.
type Options struct {
	// Database is where the hub keeps its state: "" for SQLite, the file
	// hub.db in Dir (one hub), or a postgres:// (postgresql://) URL that any
	// number of hubs share. The URL may carry a password: it is never logged.
	Database     string
	Dir          string              // data directory: hub.db (SQLite), blobs/ (with DirBlobs)
	ProvinceKeys []ed25519.PublicKey // packs must verify under one of them; sent to enrolling kiosks
	SigningKey   ed25519.PrivateKey  // optional: lets the admin roll back (re-sign old content)
	PublicURL    string              // the kiosks' websocket URL (wss://hub.example/ws); default from the request
	InsecureHTTP bool                // admin cookies without Secure: only for a hub on loopback
	TrustProxy   bool                // behind a reverse proxy: the client is the last X-Forwarded-For entry
	Log          *slog.Logger        //
	Blobs        BlobStore           // default: files under Dir/blobs (see defaultBlobs)
	Broker       Broker              // default: LISTEN/NOTIFY on PostgreSQL (PGBroker), else in-process
	Heartbeat    time.Duration       // how often kiosks ping (default 30 s)
	Poll         time.Duration       // how often kiosks poll anyway (default 15 min)
	FlushEvery   time.Duration       // how often live device state is written to SQLite (default 2 s)
	Now          func() time.Time    // clock, for tests
	// Version is this hub's release, which the console compares the
	// kiosks' with during an upgrade (default buildinfo.AppVersion()).
	Version string

	// HeaderTimeout bounds reading a request's headers and BodyTimeout its
	// body (defaults 10 s and 30 s); a pack upload instead stays open while
	// it makes progress (see uploadBody). Nobody holds a connection for free.
	HeaderTimeout, BodyTimeout time.Duration
	// Location is the province's time zone: usage days are its calendar
	// days, and the console shows times in it (default hours.Vietnam).
	Location *time.Location
	// UsageRetentionDays is how far back a kiosk may upload usage (default
	// 180, the kiosk's own usage.retention_days default).
	UsageRetentionDays int
	// Frontend is the kiosk's built frontend (frontend/dist), which the
	// console's preview serves over draft content (preview.go); nil: the
	// preview says it has none.
	Frontend fs.FS
}

// Hub is an open hub.
type Hub struct {
	opts    Options
	DB      *sql.DB
	dialect Dialect
	blobs   BlobStore
	broker  Broker
	log     *slog.Logger

	conns    registry
	live     liveState
	rollouts atomic.Pointer[[]rollout]
	fleetVer atomic.Int64
	keyIDs   []string // of opts.ProvinceKeys (admin_keys.go)
	acks     sync.Map // generation → *atomic.Int64, for the scale benchmark and the fleet page
	// readChecked: generation → whether this release's kiosks cannot read
	// it (unreadable), checked once: a generation's content never changes.
	readChecked sync.Map
	logins      throttle // wrong passwords, per (account, address) and per address
	enrolls     throttle // wrong enrollment codes, per address
	presence    presence // which kiosks this hub claimed at the last flush (presence.go)
	// The flush's failures, logged once and then every few minutes (repeatlog.go).
	presenceErrs, liveErrs repeatLog
	upgrader               websocket.Upgrader
	writers                chan *conn    // connections with frames to send, for the writer pool
	closed                 chan struct{} // closed by Close: stops the writer pool

	// Per-device limits: a device token in the wrong hands can neither
	// flood the database with reports nor rewrite usage at will.
	reportLimit   deviceBuckets
	usageLimit    deviceBuckets
	soundLimit    deviceBuckets
	incidentLimit deviceBuckets
	recovered     atomic.Int64 // panics caught at a peer's boundary: always a bug to fix (the fuzz tests count them)
	preview       preview      // the kiosk over draft content, for the console (preview.go)

	// Connections replaced lately, per device (shared_enrollment.go).
	shared sharedEnrollments

	// BytesServed counts blob bytes sent to kiosks (tests use it to prove resumption).
	BytesServed atomic.Int64
}

// DBFile is the hub's database inside its data directory.
const DBFile = "hub.db"

// Open opens (or creates) the hub's database and blob store.
func Open(opts Options) (*Hub, error) {
	opts.setDefaults()
	db, dialect, err := openDatabase(opts)
	if err != nil {
		return nil, fmt.Errorf("hub: %w", err)
	}
	h := &Hub{opts: opts, DB: db, dialect: dialect, blobs: opts.Blobs, broker: opts.Broker, log: opts.Log,
		keyIDs: pack.KeyIDs(opts.ProvinceKeys)}
	if h.blobs == nil {
		if h.blobs, err = h.defaultBlobs(); err != nil {
			db.Close()
			return nil, fmt.Errorf("hub: %w", err)
		}
	}
	h.share()
	if h.broker == nil {
		h.broker = NewLocalBroker()
	}
	h.conns.m = map[string]*conn{}
	h.live.m = map[string]*deviceLive{}
	h.upgrader = newUpgrader()
	h.preview.tree = h.studioTree
	h.closed = make(chan struct{})
	h.startWriters()
	if err := h.reloadRollouts(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	h.reportIgnoredGenerations(context.Background())
	return h, nil
}

// defaultBlobs is the blob store when Options.Blobs gives none: on
// PostgreSQL the database itself, so that every hub serves every blob
// (blobs_pg.go); on SQLite files under Dir/blobs.
func (h *Hub) defaultBlobs() (BlobStore, error) {
	if h.dialect == Postgres {
		return NewPGBlobs(h.DB), nil
	}
	if h.opts.Dir == "" {
		return nil, errors.New("no data directory for blobs")
	}
	return &DirBlobs{Dir: filepath.Join(h.opts.Dir, "blobs")}, nil
}

// openDB opens the hub's SQLite database, readable by the hub's user only whatever
// the umask: it holds device token hashes and admin sessions. SQLite gives
// the -wal and -shm files the database file's mode; they are checked too.
func openDB(path string) (*sql.DB, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	f.Close()
	if err := privateFiles(path); err != nil {
		return nil, err
	}
	db, err := store.OpenDB(path)
	if err != nil {
		return nil, err
	}
	if err := migrate(context.Background(), db, SQLite); err != nil {
		db.Close()
		return nil, err
	}
	if err := privateFiles(path); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// privateFiles makes the database and its WAL files mode 0600 (those that exist).
func privateFiles(path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("make %s private: %w", p, err)
		}
	}
	return nil
}

func (o *Options) setDefaults() {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Version == "" {
		o.Version = buildinfo.AppVersion()
	}
	// The protocol bounds both (hubproto.Welcome): 5 s..1 h and 10 s..1 day.
	if o.Heartbeat == 0 {
		o.Heartbeat = 30 * time.Second
	}
	o.Heartbeat = min(max(o.Heartbeat, 5*time.Second), time.Hour)
	if o.Poll == 0 {
		o.Poll = 15 * time.Minute
	}
	o.Poll = min(max(o.Poll, 10*time.Second), 24*time.Hour)
	if o.FlushEvery == 0 {
		o.FlushEvery = 2 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.HeaderTimeout <= 0 {
		o.HeaderTimeout = 10 * time.Second
	}
	if o.BodyTimeout <= 0 {
		o.BodyTimeout = 30 * time.Second
	}
	if o.Location == nil {
		o.Location = hours.Vietnam
	}
	if o.UsageRetentionDays <= 0 {
		o.UsageRetentionDays = 180
	}
}

// Run does the hub's background work until ctx ends: it follows the broker
// (and, as a fallback, the database) for rollout changes and writes live
// device state to the database in batches.
func (h *Hub) Run(ctx context.Context) {
	events := h.broker.Subscribe(ctx)
	flush := time.NewTicker(h.opts.FlushEvery)
	defer flush.Stop()
	watch := time.NewTicker(2 * time.Second)
	defer watch.Stop()
	for {
		select {
		case <-ctx.Done():
			h.flushLive(context.Background())
			h.conns.closeAll("shutdown")
			h.leavePresence(context.Background())
			return
		case ev, ok := <-events:
			if !ok {
				events = nil // the broker is gone; the database watch carries on
				continue
			}
			h.handleEvent(ctx, ev)
		case <-watch.C:
			h.checkFleetVersion(ctx)
		case <-flush.C:
			h.flushLive(ctx)
		}
	}
}

// Close closes the database. Call it after Run has returned.
func (h *Hub) Close() error {
	close(h.closed)
	h.preview.close()
	return h.DB.Close()
}

func (h *Hub) now() time.Time { return h.opts.Now().UTC() }

func (h *Hub) stamp() string { return h.now().Format(time.RFC3339) }

// Error codes the hub answers with in more than one place (see httpjson.Error).
const (
	codeInternal     = "internal"
	codeUnauthorized = "unauthorized"
	codeTooOften     = "too_often"
)

// Handler serves the kiosks' endpoints and the admin.
func (h *Hub) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/health", h.health)
	mux.HandleFunc("POST /api/enroll", h.enroll)
	mux.HandleFunc("GET /api/keys", h.offerKeys) // hubproto.Keys
	mux.HandleFunc("GET /ws", h.serveWS)
	mux.HandleFunc("GET /api/device/target", h.deviceOnly(h.target))
	mux.HandleFunc("POST /api/device/usage", h.deviceOnly(h.uploadUsage))
	mux.HandleFunc("PUT /api/device/sound", h.deviceOnly(h.putSound))
	mux.HandleFunc("POST /api/device/incidents", h.deviceOnly(h.postIncidents))
	mux.HandleFunc("GET /packs/{generation}/{file}", h.deviceOnly(h.serveManifest))
	mux.HandleFunc("GET /blobs/{sha}", h.deviceOnly(h.serveBlob))
	h.adminRoutes(mux)
	return h.guard(mux)
}

// Server is an HTTP server for Handler with the hub's deadlines: headers
// within HeaderTimeout, idle keep-alive connections closed after two
// minutes; bodies are bounded per request by guard.
func (h *Hub) Server() *http.Server {
	return &http.Server{
		Handler:           h.Handler(),
		ReadHeaderTimeout: h.opts.HeaderTimeout,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(h.log.Handler(), slog.LevelWarn),
	}
}
