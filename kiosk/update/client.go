// Package update is the kiosk's update client. It dials out to the province
// hub over a websocket (which works behind NAT), authenticates with the
// device token from enrollment, pings to keep the link honest, reports its
// status, and is told when a newer content generation exists. It then fetches
// the signed manifest, downloads only the blobs it lacks over plain HTTP
// Range requests (resuming where a cut transfer stopped), and hands them to
// kiosk/pack, which verifies, stages and switches content atomically. If the
// new content does not load, the client rolls back by itself.
//
// Pushes are a speed-up, not a requirement: the client also polls, so an
// announcement lost on a bad rural link only delays an update.
//
// Blobs travel over plain HTTP beside the socket rather than as websocket
// frames: the socket then only ever carries tiny frames, so a 40 MB download
// on 3G never sits in front of a ping or an announcement; a cut transfer
// resumes with a Range request for exactly the bytes missing; the bandwidth
// cap applies in one place; and immutable, hash-named blobs can be served by
// any HTTP cache or object store.
package update

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"reflect"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
)

// Options configure a client. Packs and Store are required; without Hubs
// and a token the client only offers local rollback.
type Options struct {
	// Hubs are the province's hub addresses (ws(s):// or http(s)://,
	// config.Hub.Addresses): one hub or a load balancer, or several hubs that
	// share one database. The client talks to one at a time and moves to the
	// next when its connection fails.
	Hubs       []string
	Token      string
	Keys       []ed25519.PublicKey // pinned province keys
	Packs      *pack.Store
	Store      *store.Store
	Live       *content.Live // checked after a switch: the new generation must be what is served
	AppVersion string
	Window     config.DailyWindow
	RateBytes  int64 // download cap in bytes per second; 0: none
	ChunkSize  int64 // bytes per Range request (default 256 KiB): the most a cut link wastes
	// Usage returns the anonymous daily totals to upload (nil: none).
	Usage func(ctx context.Context) ([]store.UsageTotal, error)
	// Sound returns the kiosk's sound, sent to the hub on connecting and
	// after each SoundChanged (nil: not sent).
	Sound func() store.SoundOff
	Log   *slog.Logger

	MinBackoff, MaxBackoff time.Duration // reconnect delays (default 1 s .. 5 min)
	// Stall is how long a transfer (a poll, a manifest, a blob range) may
	// make no progress before it is cut and resumed later (default 30 s): a
	// hub or link that stops sending must not freeze updates until the
	// server gives up. For a blob range, progress in each such window is
	// MinRate's worth of bytes, not any byte (slow.go).
	Stall time.Duration
	// MinRate is, in bytes per second averaged over each Stall window, the
	// least a blob range must bring not to be cut (default DefaultMinRate);
	// a trickle is a stall too.
	MinRate int64
	// DocRate sets the total time of a small document (poll, manifest,
	// signature): Stall, plus its largest allowed size at DocRate (default
	// DefaultDocRate).
	DocRate    int64
	Heartbeat  time.Duration // until the hub says otherwise (default 30 s)
	Poll       time.Duration // until the hub says otherwise (default 15 min)
	HTTPClient *http.Client
	// TLS is for a hub whose certificate comes from the province's own CA
	// (nil: the system's roots). It applies to the websocket and to downloads.
	TLS *tls.Config
}

// Status is what staff mode shows.
type Status struct {
	State            string   `json:"state"` // hubproto.State*, or "offline"/"not_enrolled"
	Progress         Progress `json:"progress"`
	Generation       int64    `json:"generation"`
	TargetGeneration int64    `json:"target_generation"`
	LastSync         string   `json:"last_sync"`
	LastError        string   `json:"last_error"`
	HubURL           string   `json:"hub_url"` // the hub in use, or being tried
	Enrolled         bool     `json:"enrolled"`
	Connected        bool     `json:"connected"`
	// ConnectProblem says why the last attempt to reach the hub failed, so
	// staff see more than "offline": untrusted_ca (the hub's certificate is
	// from a CA the kiosk does not trust: hub.ca_file), tls (another
	// certificate problem), tls_time (the certificate is expired or not yet
	// valid by this kiosk's clock), unreachable, duplicate (another machine
	// uses this kiosk's enrollment: ConnectDuplicate; said while connected
	// too), or other. "" once connected.
	ConnectProblem string `json:"connect_problem,omitempty"`
	ConnectError   string `json:"connect_error,omitempty"` // the error itself, for staff to pass on
	// ErrorKind names what LastError is about where staff can be told in
	// their words: "disk_full" (no room for the download, or a write that
	// met a full disk), "content_broken" (the current content does not load
	// from disk and is being fetched again: repair.go), "content_untrusted"
	// (no key the kiosk pins signed the current content; it shows older
	// content until the hub offers a generation a pinned key signed:
	// repair.go), "hub_behind" (the hub offers an older generation than the
	// kiosk has), "hub_unreachable" (a download the network cut, or the
	// kiosk cut for bringing too little; it resumes), "hub_too_slow" (the hub
	// answered but sent too slowly: slow.go; with several hubs the kiosk
	// moved to the next). "" otherwise, or once an update succeeds.
	ErrorKind string `json:"error_kind,omitempty"`
	// ClockSkewSeconds is how far the kiosk's clock was ahead of the hub's
	// (negative: behind) at the last welcome, when by more than
	// clockSkewLimit; staff are asked to set it (clock.go).
	ClockSkewSeconds int64 `json:"clock_skew_seconds,omitempty"`
	// ClockCheckedAt is when that comparison was made (RFC 3339), by the
	// hub's clock, the right one: it stays while the hub cannot be reached,
	// so staff see how old the measurement is; "" before any welcome.
	ClockCheckedAt string `json:"clock_checked_at,omitempty"`
}

// Progress counts bytes of the current download.
type Progress struct {
	Done  int64 `json:"done"`
	Total int64 `json:"total"`
}

// Client is the update client. Its zero value is not usable; call New.
type Client struct {
	opts   Options
	log    *slog.Logger
	bucket *bucket
	http   *http.Client

	mu        sync.Mutex
	st        Status
	hub       int   // index in opts.Hubs of the hub in use: the socket and every download go there
	rejected  int64 // a generation refused (pack defect, failed check): not retried until the target moves
	failures  int   // transient failures in a row, for the retry delay
	usageSent time.Time
	heartbeat time.Duration
	poll      time.Duration
	polled    time.Time   // the last poll the hub answered (heardAt)
	outbox    chan []byte // status chatter for the hub while connected; may be dropped
	// rejectedError and rejectedKind are the error staff see for rejected.
	// The three are kept in the database (keepRefusal), so a restart
	// neither fetches the refused generation again nor clears its error as
	// "up to date"; refusalMu makes those writes one at a time, each of
	// the state at its time, so the last written is the latest.
	rejectedError, rejectedKind string
	refusalMu                   sync.Mutex
	// repairAfter holds back the next repair of broken content after a
	// failed one (repair.go), as failures hold back a retry.
	repairAfter time.Time
	// slowCuts counts the hub in use's transfers cut in a row for bringing
	// too little (slow.go).
	slowCuts int
	// drop ends the connection in progress, or the dial that starts it, so
	// that Run moves to the next hub (nil between connections: hubFault).
	drop context.CancelCauseFunc
	// behindTarget is the hub's target last found older than this kiosk's
	// content (hubBehind): logged once, not every round.
	behindTarget int64
	// unmendableGen is the current generation last found signed by no
	// pinned key, or refused by this release's rules (unmendable): logged
	// once, not every round.
	unmendableGen int64
	// hubTakesShown: the hub of this connection takes the shown generation
	// and the error kind in statuses (hubproto.FeatureStatusShown).
	hubTakesShown bool
	// hubTakesPinned: it takes the ids of the keys this kiosk pins, keyIDs
	// (hubproto.FeaturePinnedKeys).
	hubTakesPinned bool
	keyIDs         []string
	// replaced holds when the hub replaced this kiosk's connection by
	// another with its token, within replacedWindow (duplicate.go);
	// duplicateLogged: the ERROR saying so has been written.
	replaced        []time.Time
	duplicateLogged bool

	// Reports of what became of a generation must reach the hub: they wait
	// here, across reconnections, until a connection has written them.
	reportsMu    sync.Mutex
	reports      []pendingReport
	reportSeq    uint64
	reportsReady chan struct{} // cap 1: reports has something to write
	soundChanged chan struct{} // cap 1: the kiosk's sound changed (SoundChanged)
	// cap 1: the window recorded an incident (IncidentsChanged)
	incidentsChanged chan struct{}

	wake   chan struct{} // something may need doing: a new target, "update now", a poll
	forced bool          // "update now": ignore the download window once
	now    chan struct{} // closed (and replaced) by "update now": ends a backoff wait
	abort  func(error)   // cuts the transfer in progress (nil: none)

	statusMu   sync.Mutex
	lastStatus hubproto.Status // the last status queued for the hub, and when
	lastSentAt time.Time
}

// progressEvery is how often a transfer's progress alone is told to the
// hub: a pack of hundreds of files would otherwise send a status per chunk,
// which the hub rightly takes for a flood.
const progressEvery = time.Second

// New builds a client. It reads the sync state kept in the database.
func New(opts Options) *Client {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = 256 << 10
	}
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = time.Second
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 5 * time.Minute
	}
	if opts.Heartbeat <= 0 {
		opts.Heartbeat = 30 * time.Second
	}
	if opts.Poll <= 0 {
		opts.Poll = 15 * time.Minute
	}
	if opts.Stall <= 0 {
		opts.Stall = DefaultStall
	}
	if opts.MinRate <= 0 {
		opts.MinRate = DefaultMinRate
	}
	if opts.DocRate <= 0 {
		opts.DocRate = DefaultDocRate
	}
	c := &Client{opts: opts, log: opts.Log, bucket: newBucket(opts.RateBytes), wake: make(chan struct{}, 1),
		heartbeat: opts.Heartbeat, poll: opts.Poll, outbox: make(chan []byte, 16), now: make(chan struct{}),
		reportsReady: make(chan struct{}, 1), soundChanged: make(chan struct{}, 1),
		incidentsChanged: make(chan struct{}, 1), keyIDs: pinnedKeyIDs(opts.Keys, opts.Log)}
	c.http = opts.HTTPClient
	if c.http == nil {
		c.http = &http.Client{Transport: &http.Transport{
			Proxy: http.ProxyFromEnvironment, ResponseHeaderTimeout: 30 * time.Second, TLSClientConfig: opts.TLS,
			IdleConnTimeout: 90 * time.Second, MaxIdleConnsPerHost: 2,
		}}
	}
	if len(opts.Hubs) > 0 {
		// A random start spreads a fleet with one list over all its hubs.
		c.hub = rand.IntN(len(opts.Hubs))
	}
	c.st = Status{State: "not_enrolled", HubURL: c.hubAddress(), Enrolled: c.Enabled()}
	if c.Enabled() {
		c.st.State = "offline"
	}
	if u, err := store.LoadUpdateState(context.Background(), opts.Store.DB); err == nil {
		c.st.LastSync, c.st.LastError = u.LastSync, u.LastError
	}
	highest := int64(0)
	if s, err := opts.Packs.State(context.Background()); err == nil {
		highest = s.Highest
	}
	if r, err := store.LoadUpdateRefusal(context.Background(), opts.Store.DB); err == nil && r.Generation != 0 && r.Under == c.refusalUnder() && r.Generation >= highest {
		// The refusal stands as it stood before the restart: the hub's
		// target was the refused generation (a different one in the
		// welcome clears it), it failed, and staff see why.
		c.rejected, c.rejectedError, c.rejectedKind = r.Generation, r.Error, r.ErrorKind
		c.st.TargetGeneration, c.st.LastError, c.st.ErrorKind = r.Generation, r.Error, r.ErrorKind
		if c.Enabled() {
			c.st.State = hubproto.StateFailed
		}
	}
	if s, err := opts.Packs.State(context.Background()); err == nil {
		c.st.Generation = s.Current
	}
	return c
}

// Enabled reports whether the client has a hub to talk to.
func (c *Client) Enabled() bool { return len(c.opts.Hubs) > 0 && c.opts.Token != "" }

// hubAddress is the address of the hub in use ("" when there is none).
// Callers hold c.mu, or run before the client starts.
func (c *Client) hubAddress() string {
	if len(c.opts.Hubs) == 0 {
		return ""
	}
	return c.opts.Hubs[c.hub]
}

// currentHub is the hub the socket, the poll and every download use. A
// transfer cut when that hub died resumes from the next one: blobs are
// content-addressed, so every hub of the province serves the same bytes.
func (c *Client) currentHub() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hubAddress()
}

// nextHub moves to the next hub of the list, round robin, after the
// connection to the current one failed; it reports whether there was
// another to move to.
func (c *Client) nextHub() (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.opts.Hubs) < 2 {
		return c.hubAddress(), false
	}
	c.hub = (c.hub + 1) % len(c.opts.Hubs)
	c.st.HubURL = c.hubAddress()
	c.slowCuts = 0
	return c.st.HubURL, true
}

// Status returns a snapshot for staff mode.
func (c *Client) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st
}

// DefaultStall is how long a transfer may make no progress before it is cut.
const DefaultStall = 30 * time.Second

// UpdateNow asks the client to check and update at once, inside the download
// window or not, and to retry a generation it refused before. It ends a
// reconnect wait and cuts a transfer in progress (which resumes where it
// stopped), so a stalled hub never leaves the button doing nothing.
func (c *Client) UpdateNow() {
	c.mu.Lock()
	c.forced = true
	retry := c.forgetRefusal()
	close(c.now)
	c.now = make(chan struct{})
	abort := c.abort
	c.mu.Unlock()
	if retry {
		c.keepRefusal(context.Background())
	}
	if abort != nil {
		abort(errUpdateNow)
	}
	c.poke()
}

var errUpdateNow = errors.New("staff asked to update now: transfer restarted")

// nowSignal is closed by the next UpdateNow.
func (c *Client) nowSignal() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// ContentDamaged tells the client that the current content was found
// damaged on disk (pack.Store.Audit): it fetches it again without waiting
// for its next round.
func (c *Client) ContentDamaged() { c.poke() }

func (c *Client) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// Rollback returns to the previous content generation (staff's "roll back")
// and tells the hub.
func (c *Client) Rollback(ctx context.Context) (Status, error) {
	state, err := c.opts.Packs.Rollback(ctx)
	if err != nil {
		return c.Status(), fmt.Errorf("roll back: %w", err)
	}
	c.update(func(s *Status) { s.Generation = state.Current })
	c.log.Info("staff rolled content back", "generation", state.Current)
	return c.Status(), nil
}

// update changes the status and, if connected, tells the hub.
func (c *Client) update(change func(*Status)) {
	c.mu.Lock()
	change(&c.st)
	s := c.st
	c.mu.Unlock()
	c.sendStatus(s)
}

func (c *Client) sendStatus(s Status) {
	if !s.Connected {
		return
	}
	state := s.State
	switch state {
	case "offline", "not_enrolled":
		state = hubproto.StateIdle
	}
	total := max(s.Progress.Total, 0)
	done := min(max(s.Progress.Done, 0), total)
	msg := hubproto.Status{Generation: s.Generation, TargetGeneration: s.TargetGeneration,
		AppVersion: versionString(c.opts.AppVersion), State: state, BytesDone: done, BytesTotal: total,
		LastError: hubproto.CleanText(s.LastError)}
	shown, pinned := c.hubTakes()
	if shown {
		msg.ShownGeneration, msg.ErrorKind = c.shownGeneration(s.Generation), s.ErrorKind
	}
	if pinned {
		msg.PinnedKeys = c.keyIDs
	}
	if !c.statusDue(msg, time.Now()) {
		return
	}
	msg.FreeDisk = store.FreeBytes(c.opts.Store.Dir)
	c.send(&msg)
}

// shownGeneration is the generation residents see when it is not applied,
// the one the kiosk applied (0 when it is): the province must see that a
// kiosk whose current content does not load shows older content (outside
// QA: the console named a generation no resident could see).
func (c *Client) shownGeneration(applied int64) int64 {
	if c.opts.Live == nil || applied == 0 {
		return 0 // nothing applied: the starter is what the kiosk should show
	}
	cur := c.opts.Live.Get()
	if cur == nil || cur.Pack == nil {
		return 0
	}
	shown := cur.Pack.Meta.Generation
	if cur.Source == content.SourceEmbedded {
		shown = hubproto.MinGeneration
	}
	if shown == applied {
		return 0
	}
	return shown
}

// statusDue says whether msg is worth a frame: any change but progress is,
// progress alone once per progressEvery.
func (c *Client) statusDue(msg hubproto.Status, now time.Time) bool {
	c.statusMu.Lock()
	defer c.statusMu.Unlock()
	last := c.lastStatus
	last.BytesDone, last.FreeDisk = msg.BytesDone, 0
	// DeepEqual: PinnedKeys, a slice, keeps == from comparing statuses.
	if reflect.DeepEqual(last, msg) && now.Sub(c.lastSentAt) < progressEvery {
		return false
	}
	c.lastStatus, c.lastSentAt = msg, now
	return true
}

// forgetStatus makes the next status go out whatever it says: a new
// connection starts with one.
func (c *Client) forgetStatus() {
	c.statusMu.Lock()
	c.lastStatus, c.lastSentAt = hubproto.Status{}, time.Time{}
	c.statusMu.Unlock()
}

// send queues a message for the hub. Values in it may come from the hub, a
// pack or the database, so one that does not encode is logged and dropped:
// never a panic.
func (c *Client) send(body any) {
	frame, err := hubproto.Encode(body)
	if err != nil {
		c.log.Error("message for the hub not sent", "type", fmt.Sprintf("%T", body), "err", err)
		return
	}
	c.queue(frame)
}

func (c *Client) queue(frame []byte) {
	select {
	case c.outbox <- frame:
	default: // the link is too slow for status chatter; the next status replaces it anyway
	}
}

// pendingReport is a report frame waiting for a connection to write it.
type pendingReport struct {
	seq   uint64
	frame []byte
}

// maxPendingReports bounds the reports kept for a hub that never answers: a
// kiosk reports once per generation it applies or refuses, so reaching it
// means hundreds of generations without one good connection.
const maxPendingReports = 64

// report queues what became of a generation (applied, refused, failed,
// rolled back). Unlike status chatter it is never dropped for a slow link:
// it waits until a connection has written it, before any later chatter, so
// the province sees why a kiosk refused a pack even after a cut.
func (c *Client) report(r hubproto.Report) {
	frame, err := hubproto.Encode(&r)
	if err != nil {
		c.log.Error("report for the hub not sent", "generation", r.Generation, "err", err)
		return
	}
	c.reportsMu.Lock()
	if len(c.reports) == maxPendingReports {
		c.log.Warn("too many reports waiting for the hub; the oldest is dropped")
		c.reports = c.reports[1:]
	}
	c.reportSeq++
	c.reports = append(c.reports, pendingReport{seq: c.reportSeq, frame: frame})
	c.reportsMu.Unlock()
	select {
	case c.reportsReady <- struct{}{}:
	default: // already signalled
	}
}

// writeReports writes every waiting report, oldest first. A report leaves
// the queue only once written; on an error the rest wait for the next
// connection.
func (c *Client) writeReports(ws *websocket.Conn) error {
	for {
		c.reportsMu.Lock()
		if len(c.reports) == 0 {
			c.reportsMu.Unlock()
			return nil
		}
		next := c.reports[0]
		c.reportsMu.Unlock()
		_ = ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if err := ws.WriteMessage(websocket.TextMessage, next.frame); err != nil {
			return err
		}
		c.reportsMu.Lock()
		// By seq, not position: a writer of an older connection may still be
		// finishing, and must not take out a report it did not write.
		c.reports = slices.DeleteFunc(c.reports, func(p pendingReport) bool { return p.seq == next.seq })
		c.reportsMu.Unlock()
	}
}

// Run keeps the client connected and up to date until ctx ends.
func (c *Client) Run(ctx context.Context) error {
	if !c.Enabled() {
		return errors.New("update client: not enrolled with a hub")
	}
	var syncing sync.WaitGroup
	syncing.Add(1)
	go func() { defer syncing.Done(); c.syncLoop(ctx) }()
	defer syncing.Wait() // the caller may close the store once Run returns
	attempt := 0
	for ctx.Err() == nil {
		started := time.Now()
		sctx, cut := context.WithCancelCause(ctx)
		c.setDrop(cut)
		err := c.safeSession(sctx)
		if cause := context.Cause(sctx); errors.Is(cause, errTooSlow) {
			err = cause // hubFault left this hub: say why, not "use of closed connection"
		}
		dup := errors.Is(err, errReplaced) && c.noteReplaced(time.Now())
		// Taken before the status says "not connected": an "update now"
		// pressed from then on must end the wait below, not be spent on a
		// signal nobody waits for.
		now := c.nowSignal()
		c.update(func(s *Status) {
			s.Connected = false
			// A hub left for sending too slowly was reachable: the error
			// kind of the download says what went wrong.
			if err != nil && ctx.Err() == nil && !errors.Is(err, errTooSlow) {
				s.ConnectProblem, s.ConnectError = connectProblem(err), hubproto.Clip(err.Error(), 300)
			}
			if dup {
				s.ConnectProblem, s.ConnectError = ConnectDuplicate, duplicateMeaning
			}
		})
		if ctx.Err() != nil {
			break
		}
		if time.Since(started) > time.Minute {
			attempt = 0
		}
		// One backoff for the whole list: a province whose hubs are all
		// down sees each kiosk dial no faster than with one hub.
		delay := backoff(attempt, c.opts.MinBackoff, c.opts.MaxBackoff)
		attempt++
		if errors.Is(err, errRevoked) || dup {
			// A duplicate waits long too: the two machines then hold the
			// connection in turns, rather than knocking each other off.
			delay = c.opts.MaxBackoff
		}
		c.moveOn(err, delay)
		c.setDrop(nil)
		cut(nil)
		sleep(ctx, delay, now)
	}
	return nil
}

// moveOn points the next attempt at the next hub of the list, round robin,
// and logs which hub failed and which one the kiosk tries next.
func (c *Client) moveOn(err error, delay time.Duration) {
	failed := c.currentHub()
	next, moved := c.nextHub()
	if !moved {
		c.log.Warn("hub connection lost; will retry", "hub", failed, "err", err, "in", delay.Round(time.Millisecond))
		return
	}
	c.log.Warn("hub connection lost; moving to the next hub", "hub", failed, "err", err,
		"next", next, "in", delay.Round(time.Millisecond))
}

// safeSession is one connection, behind the boundary where nothing the hub
// sends may take the kiosk down: a panic is logged, the hub dropped, and Run
// reconnects after its backoff.
func (c *Client) safeSession(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errPanic, r)
			c.log.Error("update client recovered from a panic; dropping the hub connection", "panic", r, "stack", string(debug.Stack()))
		}
	}()
	return c.session(ctx)
}

var errPanic = errors.New("internal error while talking to the hub")

// safely runs fn, logging a panic instead of ending the process; it reports
// whether fn panicked.
func (c *Client) safely(what string, fn func()) (panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			panicked = true
			c.log.Error("update client recovered from a panic", "in", what, "panic", r, "stack", string(debug.Stack()))
		}
	}()
	fn()
	return false
}

// backoff is capped exponential with full jitter: a hub restart must not be
// met by every kiosk of the province reconnecting in the same second.
func backoff(attempt int, lo, hi time.Duration) time.Duration {
	d := lo << min(attempt, 20)
	if d > hi || d <= 0 {
		d = hi
	}
	return lo/2 + rand.N(d)
}

// sleep waits d, or until ctx ends or interrupt closes ("update now").
func sleep(ctx context.Context, d time.Duration, interrupt <-chan struct{}) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	case <-interrupt:
	}
}

var errRevoked = errors.New("the hub revoked this kiosk")

// connectProblem sorts a failed connection into what staff can act on.
func connectProblem(err error) string {
	var unknownCA x509.UnknownAuthorityError
	var certErr *tls.CertificateVerificationError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var netErr net.Error
	var opErr *net.OpError
	switch {
	case errors.Is(err, errRevoked):
		return "revoked"
	case errors.As(err, &unknownCA):
		return "untrusted_ca"
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		// Expired or not yet valid by this kiosk's clock: when one kiosk of
		// many says so, its clock is the usual culprit, the commune's to fix.
		return "tls_time"
	case errors.As(err, &certErr), errors.As(err, &hostErr), errors.As(err, &invalid):
		return "tls"
	case errors.As(err, &opErr), errors.As(err, &netErr):
		return "unreachable"
	}
	return "other"
}

// session is one websocket connection: dial, welcome, then read announcements
// while a writer sends pings, acks and statuses.
func (c *Client) session(ctx context.Context) error {
	u, err := wsURL(c.currentHub())
	if err != nil {
		return err
	}
	dialer := websocket.Dialer{HandshakeTimeout: 20 * time.Second, ReadBufferSize: 1024, WriteBufferSize: 1024,
		Proxy: http.ProxyFromEnvironment, TLSClientConfig: c.opts.TLS}
	hdr := http.Header{"Authorization": {"Bearer " + c.opts.Token}}
	ws, resp, err := dialer.DialContext(ctx, u, hdr)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusUnauthorized {
			c.update(func(s *Status) { s.LastError = "the hub does not accept this kiosk's token (revoked or not enrolled)" })
			return errRevoked
		}
		return fmt.Errorf("dial %s: %w", u, err)
	}
	defer ws.Close()
	ws.SetReadLimit(hubproto.MaxMessageSize)
	c.learnFeatures(resp.Header.Get(hubproto.FeaturesHeader))
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { <-sctx.Done(); ws.Close() }()

	if err := c.welcome(ws); err != nil {
		return err
	}
	c.log.Info("connected to the hub", "hub", u)
	dup := c.duplicate(time.Now())
	c.update(func(s *Status) {
		s.Connected = true
		s.ConnectProblem, s.ConnectError = "", ""
		if dup {
			s.ConnectProblem, s.ConnectError = ConnectDuplicate, duplicateMeaning
		}
		if s.State == "offline" {
			s.State = hubproto.StateIdle
		}
	})
	c.poke()
	go c.safely("hub writer", func() { c.writer(sctx, ws) })
	if c.usageDue() {
		go c.safely("usage upload", func() { c.uploadUsage(sctx) })
	}
	if c.opts.Sound != nil {
		go c.safely("sound state", func() { c.keepReporting(sctx, "the sound state", c.soundChanged, c.putSound) })
	}
	go c.safely("window incidents", func() { c.keepReporting(sctx, "the window's incidents", c.incidentsChanged, c.sendIncidents) })
	c.forwardRejections(sctx)
	return c.read(sctx, ws)
}

func (c *Client) welcome(ws *websocket.Conn) error {
	_ = ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	m, err := readMessage(ws)
	if err != nil {
		return fmt.Errorf("welcome: %w", err)
	}
	w, ok := m.Body.(*hubproto.Welcome)
	if !ok {
		return fmt.Errorf("welcome: the hub sent %s first", m.Type)
	}
	c.mu.Lock()
	c.heartbeat = time.Duration(w.HeartbeatSeconds) * time.Second
	c.poll = time.Duration(w.PollSeconds) * time.Second
	c.mu.Unlock()
	c.checkClock(w.ServerTime)
	c.setTarget(w.TargetGeneration)
	return nil
}

func readMessage(ws *websocket.Conn) (hubproto.Message, error) {
	typ, data, err := ws.ReadMessage()
	if err != nil {
		return hubproto.Message{}, err
	}
	if typ != websocket.TextMessage {
		return hubproto.Message{}, errors.New("binary frame from the hub")
	}
	return hubproto.Decode(data)
}

// read handles the hub's messages. A malformed one is logged and dropped: the
// hub is trusted to tell us when to look, never what to install.
func (c *Client) read(ctx context.Context, ws *websocket.Conn) error {
	idle := 3 * c.heartbeatEvery()
	_ = ws.SetReadDeadline(time.Now().Add(idle))
	ws.SetPongHandler(func(string) error { return ws.SetReadDeadline(time.Now().Add(idle)) })
	for {
		m, err := readMessage(ws)
		if isProtocolError(err) {
			c.log.Warn("hub sent a message this kiosk does not understand; ignored", "err", err)
			continue
		}
		if err != nil {
			return err
		}
		_ = ws.SetReadDeadline(time.Now().Add(idle))
		switch b := m.Body.(type) {
		case *hubproto.Announce:
			c.send(&hubproto.Ack{Generation: b.Generation})
			c.setTarget(b.Generation)
		case *hubproto.Bye:
			switch b.Reason {
			case "revoked":
				return errRevoked
			case "replaced":
				return errReplaced
			}
			return fmt.Errorf("the hub closed the connection: %s", b.Reason)
		default:
			c.log.Warn("hub sent an unexpected message; ignored", "type", m.Type)
		}
	}
}

// isProtocolError is a frame that arrived whole but did not decode: a newer
// hub, or a broken one. The connection itself is fine.
func isProtocolError(err error) bool {
	return errors.Is(err, hubproto.ErrInvalid) || errors.Is(err, hubproto.ErrType) || errors.Is(err, hubproto.ErrVersion)
}

func (c *Client) heartbeatEvery() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.heartbeat
}

// writer is the only goroutine that writes data frames; pings go through
// WriteControl. Frames are tiny, so a ping is never stuck behind a transfer —
// transfers do not use this socket at all.
func (c *Client) writer(ctx context.Context, ws *websocket.Conn) {
	c.forgetStatus()
	c.sendStatus(c.Status())
	ping := time.NewTicker(c.heartbeatEvery())
	defer ping.Stop()
	for {
		// Reports first: the hub stores one as it reads it, and the status
		// queued after it may already show the generation it is about.
		if err := c.writeReports(ws); err != nil {
			ws.Close()
			return
		}
		select {
		case <-ctx.Done():
			_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""),
				time.Now().Add(time.Second))
			return
		case <-c.reportsReady: // written at the top of the loop
		case <-ping.C:
			if err := ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(10*time.Second)); err != nil {
				ws.Close()
				return
			}
		case frame := <-c.outbox:
			_ = ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if err := ws.WriteMessage(websocket.TextMessage, frame); err != nil {
				ws.Close()
				return
			}
		}
	}
}

// setTarget records the generation the hub wants this kiosk to have.
func (c *Client) setTarget(gen int64) {
	c.mu.Lock()
	changed := gen != c.st.TargetGeneration
	c.st.TargetGeneration = gen
	cleared := changed && gen != c.rejected && c.forgetRefusal()
	c.mu.Unlock()
	if cleared {
		c.keepRefusal(context.Background())
	}
	c.poke()
}

// forgetRefusal ends the refusal of a generation (the target moved, or
// staff asked again) and reports whether there was one, to keepRefusal
// then. Callers hold c.mu.
func (c *Client) forgetRefusal() bool {
	had := c.rejected != 0
	c.rejected, c.rejectedError, c.rejectedKind = 0, "", ""
	return had
}

// keepRefusal writes the refused generation as it stands now (none, once
// forgotten) to the database, for the next start.
func (c *Client) keepRefusal(ctx context.Context) {
	c.refusalMu.Lock()
	defer c.refusalMu.Unlock()
	c.mu.Lock()
	r := store.UpdateRefusal{Generation: c.rejected, Error: c.rejectedError, ErrorKind: c.rejectedKind}
	if r.Generation != 0 {
		r.Under = c.refusalUnder()
	}
	c.mu.Unlock()
	if err := store.SaveUpdateRefusal(ctx, c.opts.Store.DB, r); err != nil {
		c.log.Warn("keep the refused generation for the next start", "generation", r.Generation, "err", err)
	}
}

// refusalUnder names what decided a refusal besides the pack: this
// release and the keys it pins.
func (c *Client) refusalUnder() string {
	return versionString(c.opts.AppVersion) + " " + strings.Join(c.keyIDs, ",")
}

// forwardRejections tells the hub about packs this kiosk refused (from the
// hub or from a USB stick) that it has not reported yet.
func (c *Client) forwardRejections(ctx context.Context) {
	if !c.Status().Connected {
		return // the next connection sends them
	}
	rs, err := c.opts.Store.UnreportedContentRejections(ctx, 50)
	if err != nil || len(rs) == 0 {
		return
	}
	for _, r := range rs {
		if r.Kind == string(pack.KindNotApplied) {
			continue // the kiosk's own failure, not the pack's: staff see it
		}
		gen := r.Generation
		if hubproto.CheckGeneration(gen) != nil {
			gen = 0 // a refusal recorded before the range was enforced
		}
		c.report(hubproto.Report{Generation: gen, Outcome: hubproto.OutcomeRejected, Error: hubproto.CleanText(r.Kind + ": " + r.Detail)})
	}
	if err := c.opts.Store.MarkContentRejectionsReported(ctx, rs[len(rs)-1].ID); err != nil {
		c.log.Warn("mark rejections reported", "err", err)
	}
}
