package usage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"tramso/kiosk/lang"
	"tramso/kiosk/store"
)

// Options tune a Log. The zero value of every field means its default.
type Options struct {
	Catalog        Catalog        // the current content's ids and titles (LiveCatalog)
	Languages      []string       // languages the UI may report; default lang.Known
	Location       *time.Location // whose calendar days and hours; default time.Local
	RetentionDays  int            // raw events kept this long; default 180
	SessionTimeout time.Duration  // a session quiet this long has ended; default 30 min
	QueueSize      int            // events waiting to be written; beyond, drop; default 16384
	BatchSize      int            // write at once when this many wait; default 1000
	FlushEvery     time.Duration  // write what waits at least this often; default 200 ms
	MaintainEvery  time.Duration  // roll up and prune this often (and at start); default 1 h
	RetryEvery     time.Duration  // after a storage failure, try again this often; default 5 min
	MaxSessions    int            // open sessions at once; default 64
	Log            *slog.Logger
	Now            func() time.Time
	OnFlush        func(written int64) // called after each committed batch (tests)

	// ReadOnly: the kiosk's disk is read-only (store.Store.ReadOnly). The
	// log writes nothing and never tries: every event is dropped and
	// counted, and State says why.
	ReadOnly bool
}

func (o *Options) defaults() {
	if o.Languages == nil {
		o.Languages = lang.Known
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	setDefault(&o.RetentionDays, 180)
	setDefault(&o.SessionTimeout, 30*time.Minute)
	setDefault(&o.QueueSize, 16384)
	setDefault(&o.BatchSize, 1000)
	setDefault(&o.FlushEvery, 200*time.Millisecond)
	setDefault(&o.MaintainEvery, time.Hour)
	setDefault(&o.RetryEvery, 5*time.Minute)
	setDefault(&o.MaxSessions, 64)
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// MaxBatch is the most events one POST /api/events may carry.
const MaxBatch = 100

// Log is the usage log of one kiosk. Submit and StartSession never wait for
// the database: they validate and hand events to a bounded queue, which Run
// writes in batches. Create it with New, run it with Run, stop it with Close.
type Log struct {
	db       *sql.DB
	opts     Options
	queue    chan store.UsageRow
	flushReq chan chan struct{}
	stop     chan struct{}
	done     chan struct{}
	sessions *sessions
	writeMu  sync.Mutex       // one writer at a time: Run, or Flush/Close when Run is not running
	live     liveDay          // today's totals, kept as batches commit
	held     []store.UsageRow // rows a busy database did not take, written first next time (under writeMu)

	pastMu  sync.Mutex
	pastKey string // the day and roll-up state past was read for
	past    past   // the days before today, for the insights

	written      atomic.Int64
	dropped      atomic.Int64
	pendingDrops atomic.Int64 // dropped but not yet added to the day's events_dropped

	mu         sync.Mutex
	phase      int // idle, running, closed
	disabled   bool
	disabledAt time.Time
	warning    string
	diskFull   bool
	busyTries  int // writes refused by a busy database since it was last free
}

const (
	phaseIdle = iota
	phaseRunning
	phaseClosed
)

// New makes a log writing to db (the kiosk store's database).
func New(db *sql.DB, opts Options) *Log {
	opts.defaults()
	return &Log{
		db:       db,
		opts:     opts,
		queue:    make(chan store.UsageRow, opts.QueueSize),
		flushReq: make(chan chan struct{}),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
		sessions: newSessions(opts.MaxSessions),
		disabled: opts.ReadOnly,
	}
}

func (l *Log) catalog() Catalog {
	if l.opts.Catalog == nil {
		return emptyCatalog{}
	}
	return l.opts.Catalog
}

type emptyCatalog struct{}

func (emptyCatalog) Tutorial(string) (string, bool)  { return "", false }
func (emptyCatalog) Procedure(string) (string, bool) { return "", false }

// ErrUnknownSession means an event names a session that this kiosk did not
// issue or has ended: the UI should start a new one.
var ErrUnknownSession = errors.New("session is not open on this kiosk: start a new one")

// StartSession opens a session, records session_started and returns its id.
func (l *Log) StartSession() string {
	now := l.opts.Now()
	id, evicted := l.sessions.start(now)
	for _, e := range evicted {
		l.enqueue(l.endRow(e, now))
	}
	l.enqueue(store.UsageRow{Minute: minuteOf(now), Session: id, Type: SessionStarted})
	return formatSession(id)
}

// StaffAtWork says staff are working at the screen, their panel open: a
// visit under way is still going, though the resident's screens send
// nothing meanwhile. Without it the kiosk closed a visit for quiet while
// staff helped (after quiet + warning + 2 minutes), stored it as long as
// its last resident event, and refused its end (outside QA, 2026-12-06).
func (l *Log) StaffAtWork() { l.sessions.touchAll(l.opts.Now()) }

// Submit validates a batch of events from the UI and queues them. A batch is
// taken whole or refused whole: the first bad event is reported as a
// *ValidationError (wrapping ErrUnknownSession for a session that is not
// open). Accepted events may still be dropped (counted) if the queue is full.
func (l *Log) Submit(events []Event) error {
	if len(events) == 0 || len(events) > MaxBatch {
		return &ValidationError{Index: 0, Msg: fmt.Sprintf("send 1 to %d events", MaxBatch)}
	}
	cat, langs := l.catalog(), l.opts.Languages
	ids := make([]int64, len(events))
	for i := range events {
		if err := events[i].check(cat, langs); err != nil {
			return &ValidationError{Index: i, Msg: err.Error()}
		}
		id, ok := parseSession(events[i].Session)
		if !ok || !l.sessions.isOpen(id) {
			return &ValidationError{Index: i, Msg: ErrUnknownSession.Error(), err: ErrUnknownSession}
		}
		ids[i] = id
	}
	now := l.opts.Now()
	for i := range events {
		if events[i].Type == SessionEnded {
			if e, ok := l.sessions.end(ids[i], now); ok {
				l.enqueue(l.endRow(e, now))
			}
			continue
		}
		// A session ended earlier in this batch takes no more events.
		if l.sessions.touch(ids[i], now) {
			l.enqueue(events[i].row(minuteOf(now), ids[i]))
		}
	}
	return nil
}

func (l *Log) endRow(e endedSession, now time.Time) store.UsageRow {
	return store.UsageRow{Minute: minuteOf(now), Session: e.id, Type: SessionEnded, Value: int64(e.dur / time.Second)}
}

// enqueue hands a row to the writer without ever waiting: when the queue is
// full or logging is off, the row is dropped and counted.
func (l *Log) enqueue(r store.UsageRow) bool {
	l.mu.Lock()
	off := l.disabled || l.phase == phaseClosed
	l.mu.Unlock()
	if !off {
		select {
		case l.queue <- r:
			return true
		default:
		}
	}
	l.drop(1)
	return false
}

func (l *Log) drop(n int64) {
	l.dropped.Add(n)
	l.pendingDrops.Add(n)
}

// Run writes queued events until ctx ends or Close is called, then writes
// what is left. It rolls up and prunes at start and every MaintainEvery.
func (l *Log) Run(ctx context.Context) error {
	l.mu.Lock()
	if l.phase != phaseIdle {
		l.mu.Unlock()
		return errors.New("usage log: already running or closed")
	}
	l.phase = phaseRunning
	l.mu.Unlock()
	defer close(l.done)
	l.maintain()
	flush := time.NewTicker(l.opts.FlushEvery)
	defer flush.Stop()
	maint := time.NewTicker(l.opts.MaintainEvery)
	defer maint.Stop()
	sweep := time.NewTicker(time.Minute)
	defer sweep.Stop()
	batch := make([]store.UsageRow, 0, l.opts.BatchSize)
	for {
		select {
		case r := <-l.queue:
			if batch = append(batch, r); len(batch) >= l.opts.BatchSize {
				batch = l.write(batch)
			}
		case <-flush.C:
			batch = l.write(batch)
		case reply := <-l.flushReq:
			batch = l.write(l.drain(batch))
			close(reply)
		case <-sweep.C:
			l.expireSessions()
		case <-maint.C:
			batch = l.write(batch)
			l.maintain()
		case <-ctx.Done():
			l.write(l.drain(batch))
			return nil
		case <-l.stop:
			l.write(l.drain(batch))
			return nil
		}
	}
}

// expireSessions records the end of sessions that went quiet.
func (l *Log) expireSessions() {
	now := l.opts.Now()
	for _, e := range l.sessions.expire(now, l.opts.SessionTimeout) {
		l.enqueue(l.endRow(e, now))
	}
}

// drain moves everything queued into batch, writing full batches on the way.
func (l *Log) drain(batch []store.UsageRow) []store.UsageRow {
	for {
		select {
		case r := <-l.queue:
			if batch = append(batch, r); len(batch) >= l.opts.BatchSize {
				batch = l.write(batch)
			}
		default:
			return batch
		}
	}
}

// Flush returns once every event queued before the call is committed,
// dropped (the database fails) or held for the next write (it is busy).
// Staff insights and tests use it.
func (l *Log) Flush(ctx context.Context) error {
	l.mu.Lock()
	running := l.phase == phaseRunning
	l.mu.Unlock()
	if running {
		reply := make(chan struct{})
		select {
		case l.flushReq <- reply:
			select {
			case <-reply:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		case <-l.done:
			// Run has stopped: write what is left here.
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	l.write(l.drain(nil))
	return nil
}

// Close ends the open sessions, stops Run and writes everything queued. The
// log takes no events afterwards (they are counted as dropped).
func (l *Log) Close() error {
	ended := l.sessions.endAll()
	now := l.opts.Now()
	for _, e := range ended {
		l.enqueue(l.endRow(e, now))
	}
	l.mu.Lock()
	wasRunning := l.phase == phaseRunning
	l.phase = phaseClosed
	l.mu.Unlock()
	if wasRunning {
		select {
		case <-l.done:
		default:
			close(l.stop)
			<-l.done
		}
	}
	l.write(l.drain(nil))
	l.loseHeld()
	return nil
}

// write commits the rows held from a busy database, then batch (and the
// drops counted since the last write), in one transaction, and returns batch
// emptied for reuse.
func (l *Log) write(batch []store.UsageRow) []store.UsageRow {
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	if len(batch) == 0 && len(l.held) == 0 && l.pendingDrops.Load() == 0 {
		return batch
	}
	now := l.opts.Now()
	rows := batch
	if len(l.held) > 0 {
		rows = append(l.held, batch...)
	}
	l.held = nil
	if !l.mayWrite(now) {
		l.drop(int64(len(rows)))
		return batch[:0]
	}
	drops := l.pendingDrops.Swap(0)
	err := store.WriteUsage(context.Background(), l.db, rows, dayOf(now, l.opts.Location), drops)
	if err != nil {
		l.pendingDrops.Add(drops)
		if store.IsBusy(err) {
			l.hold(rows)
		} else {
			l.drop(int64(len(rows)))
		}
		l.fail(err, now)
		return batch[:0]
	}
	total := l.written.Add(int64(len(rows)))
	l.live.added(rows)
	l.recovered()
	if l.opts.OnFlush != nil {
		l.opts.OnFlush(total)
	}
	return batch[:0]
}

// hold keeps rows that a busy database refused for the next write. A lock
// is held for seconds or minutes (a technician's sqlite3 session, a copy of
// the file), so the rows are worth keeping; but a lock that never ends must
// not grow the kiosk's memory without limit. The bound is QueueSize rows,
// the queue's own budget again (about 2 MB at the default 16384): at the pace
// of one resident at a screen that is hours of use. Rows past it are
// dropped and counted, as a full queue does.
func (l *Log) hold(rows []store.UsageRow) {
	keep := min(len(rows), l.opts.QueueSize)
	l.held = append([]store.UsageRow(nil), rows[:keep]...)
	l.drop(int64(len(rows) - keep))
}

// loseHeld counts as dropped the rows still held when the log closes: the
// database stayed busy to the end.
func (l *Log) loseHeld() {
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	if len(l.held) > 0 {
		l.opts.Log.Warn("usage log: closing while the database is busy; events not written", "events", len(l.held))
		l.drop(int64(len(l.held)))
		l.held = nil
	}
}

// mayWrite is false while logging is disabled, except once every RetryEvery,
// when a write is tried again (a full disk may have been cleaned).
func (l *Log) mayWrite(now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.disabled {
		return true
	}
	if l.opts.ReadOnly {
		return false
	}
	if now.Sub(l.disabledAt) < l.opts.RetryEvery {
		return false
	}
	l.disabledAt = now
	return true
}

// fail records a write failure. A storage failure (full, read-only, I/O)
// disables logging — events are then dropped at once rather than queued — so
// the kiosk keeps working; staff see the warning in the insights.
func (l *Log) fail(err error, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	at := now.In(l.opts.Location).Format("2006-01-02 15:04")
	if store.IsStorageFailure(err) {
		if !l.disabled {
			l.opts.Log.Warn("usage log disabled: the database cannot take writes", "err", err)
		}
		l.disabled, l.disabledAt = true, now
		l.diskFull = store.IsDiskFull(err)
		l.warning = fmt.Sprintf("usage logging is off since %s: %v", at, err)
		return
	}
	if store.IsBusy(err) {
		l.busy(err, at)
		return
	}
	l.opts.Log.Warn("usage log: write failed", "err", err)
	l.warning = fmt.Sprintf("a usage write failed at %s: %v", at, err)
}

// busy records a write refused by a locked database. Tried at every flush,
// it was a WARN every 5 s (the busy timeout) for as long as the lock lasted;
// it is logged once here, and its end once in recovered. Called with l.mu held.
func (l *Log) busy(err error, at string) {
	if l.busyTries == 0 {
		l.opts.Log.Warn("usage log: the database is locked by another program; events wait in memory", "err", err)
		l.warning = fmt.Sprintf("the database has been busy since %s; events wait in memory: %v", at, err)
	}
	l.busyTries++
}

func (l *Log) recovered() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.disabled {
		l.opts.Log.Info("usage log enabled again: the database takes writes")
	}
	if l.busyTries > 0 {
		l.opts.Log.Info("usage log: the database is free again; waiting events written", "busy_tries", l.busyTries)
	}
	l.disabled, l.warning, l.diskFull, l.busyTries = false, "", false, 0
}

// State is the log's health, shown in staff mode.
type State struct {
	Enabled       bool   `json:"enabled"`
	Warning       string `json:"warning,omitempty"`
	DiskFull      bool   `json:"disk_full,omitempty"` // off because the disk is full: staff are told so in words
	ReadOnly      bool   `json:"read_only,omitempty"` // off because the disk is read-only: staff are told so in words
	Queued        int    `json:"queued"`
	Written       int64  `json:"written"` // events written since the kiosk started
	Dropped       int64  `json:"dropped"` // events dropped since the kiosk started
	RetentionDays int    `json:"retention_days"`
}

// State reports whether logging works and what it has done since start.
func (l *Log) State() State {
	l.mu.Lock()
	defer l.mu.Unlock()
	return State{
		Enabled:       !l.disabled,
		Warning:       l.warning,
		DiskFull:      l.diskFull,
		ReadOnly:      l.opts.ReadOnly,
		Queued:        len(l.queue),
		Written:       l.written.Load(),
		Dropped:       l.dropped.Load(),
		RetentionDays: l.opts.RetentionDays,
	}
}

// maintain rolls up finished days and prunes old raw events.
func (l *Log) maintain() {
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	now := l.opts.Now()
	if !l.mayWrite(now) {
		return
	}
	if err := maintain(context.Background(), l.db, now, l.opts.Location, l.opts.RetentionDays); err != nil {
		l.fail(err, now)
	}
}

func minuteOf(t time.Time) int64 { return t.Unix() / 60 }
