// Package staff guards staff mode: the lockout after repeated wrong PINs,
// kept in the database so that a restart does not reset it; the staff
// sessions (random tokens, in memory, ending when unused); and the audit
// trail of what staff did. The PIN itself is package staffpin.
package staff

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"tramso/kiosk/hours"
	"tramso/kiosk/staffpin"
	"tramso/kiosk/store"
)

// MaxTries wrong PINs in a row lock PIN entry: for FirstLockout the first
// time, then twice as long after each further round of wrong PINs, up to
// MaxLockout, until a right PIN. The count survives restarts (it is in the
// database), so pulling the plug does not reset it.
//
// MaxLockout weighs a guesser against a child: anyone at the screen can
// press wrong PINs and lock the staff out for as long as it lasts (outside
// QA: an hour). Five minutes still leaves a 6-digit PIN (a million) at 1,440
// guesses a day, two years on average, standing at a staffed public screen.
const (
	MaxTries     = 5
	FirstLockout = 30 * time.Second
	MaxLockout   = 5 * time.Minute
)

// LockoutAfter is how long PIN entry locks at the n-th lockout in a row (n ≥ 1).
func LockoutAfter(n int) time.Duration {
	d := FirstLockout
	for i := 1; i < n && d < MaxLockout; i++ {
		d *= 2
	}
	return min(d, MaxLockout)
}

// ErrBusy means another PIN was being checked for longer than BusyWait:
// only one is checked at a time. Staff at the pad never meet it; a flood of
// tries does.
var ErrBusy = errors.New("another staff PIN is being checked; try again in a moment")

// BusyWait is how long a login waits for the PIN check before it: long
// enough for one or two honest tries queued behind each other (a check
// takes a fraction of a second), short enough that a flood of tries does
// not pile up waiting requests.
const BusyWait = 2 * time.Second

// ErrNotConfigured means no staff PIN is set in the config.
var ErrNotConfigured = errors.New("no staff PIN is set on this kiosk; set one with `tramso staff-pin`")

// WrongPINError is a wrong PIN; TriesLeft more are allowed before the lockout.
type WrongPINError struct{ TriesLeft int }

func (e *WrongPINError) Error() string {
	return fmt.Sprintf("wrong PIN; %d tries left before staff mode locks", e.TriesLeft)
}

// LockedError means PIN entry is locked until Until, Seconds from now.
type LockedError struct {
	Until   time.Time
	Seconds int
}

// Error names the time on Vietnam's clock, as staff read it on the wall:
// kiosks are often installed with the machine's zone left at UTC.
func (e *LockedError) Error() string {
	return "too many wrong PINs; staff mode is locked until " + e.Until.In(hours.Vietnam).Format("15:04") + " (Vietnam time)"
}

// Status is what the PIN pad needs to know before asking.
type Status struct {
	Configured  bool      `json:"configured"`
	Locked      bool      `json:"locked"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
	// LockedSeconds is how long the lock has left, whole seconds rounded
	// up: the pad counts it down and opens itself at 0, with no clock of its
	// own to trust or timestamp to parse.
	LockedSeconds int `json:"locked_seconds,omitempty"`
	TriesLeft     int `json:"tries_left"`
}

// SecondsLeft is how long from now until the lock ends, rounded up.
func SecondsLeft(until, now time.Time) int {
	return int(max(0, (until.Sub(now)+time.Second-1)/time.Second))
}

// Guard checks PINs and keeps staff sessions. It is safe for concurrent use.
type Guard struct {
	db   *sql.DB
	hash string
	idle time.Duration
	Now  func() time.Time // the clock; tests replace it
	mu   sync.Mutex       // guards the fields below; never held while a PIN is checked
	// checking is held by the one login whose PIN is being checked: a login
	// reads the count, checks and counts under it, so parallel guesses are
	// counted one by one; and each check takes argon2id's 64 MiB, so
	// parallel tries do not multiply it (outside QA s25: 35 → 226 MB RSS).
	checking chan struct{}
	session  map[string]time.Time
	// mem is the lockout as last decided here. The database keeps it
	// across restarts; when it cannot be written or read (a full disk, a
	// damaged file) the count goes on here: PIN entry still locks, it fails
	// closed, never open (outside QA: on a full disk every wrong PIN was a
	// 500 and none counted).
	mem store.StaffLockout
	// unsaved, unread: the last save, the last read failed. Each said once,
	// not at every PIN or status poll: on a read-only disk every save fails
	// for as long as the kiosk runs, and an older database there has no
	// column to read.
	unsaved, unread bool
}

// NewGuard guards staff mode with the PIN hash from the config ("" = no PIN);
// a staff session ends after idle without a request.
func NewGuard(db *sql.DB, pinHash string, idle time.Duration) *Guard {
	return &Guard{db: db, hash: pinHash, idle: idle, Now: time.Now, session: map[string]time.Time{},
		checking: make(chan struct{}, 1)}
}

// Configured reports whether a PIN is set.
func (g *Guard) Configured() bool { return g.hash != "" }

// IdleTimeout is how long a staff session lasts without a request.
func (g *Guard) IdleTimeout() time.Duration { return g.idle }

// Status reports whether a PIN is set, whether entry is locked and how many
// tries are left.
func (g *Guard) Status(ctx context.Context) Status {
	g.mu.Lock()
	defer g.mu.Unlock()
	l := g.lockout(ctx)
	st := Status{Configured: g.Configured(), TriesLeft: MaxTries - l.Failures}
	if g.Now().Before(l.LockedUntil) {
		st.Locked, st.LockedUntil, st.TriesLeft = true, l.LockedUntil.UTC(), 0
		st.LockedSeconds = SecondsLeft(l.LockedUntil, g.Now())
	}
	return st
}

// lockout reads the stored state, or the one in memory where that is
// stricter (a write that failed) or the store cannot be read; a lock that
// has run out gives a new round of tries, and the next lockout is longer.
func (g *Guard) lockout(ctx context.Context) store.StaffLockout {
	l, err := store.LoadStaffLockout(ctx, g.db)
	if err != nil && !g.unread {
		slog.Warn("staff PIN tries counted in memory only", "err", err)
	}
	g.unread = err != nil
	if err != nil {
		l = g.mem
	} else if stricter(g.mem, l) {
		l = g.mem
	}
	if !l.LockedUntil.IsZero() && !g.Now().Before(l.LockedUntil) {
		l = store.StaffLockout{Lockouts: l.Lockouts}
	}
	return l
}

// stricter reports whether lockout a allows fewer tries than b. The store
// keeps times to the second.
func stricter(a, b store.StaffLockout) bool {
	if d := a.LockedUntil.Sub(b.LockedUntil); d >= time.Second || d <= -time.Second {
		return d > 0
	}
	if a.Lockouts != b.Lockouts {
		return a.Lockouts > b.Lockouts
	}
	return a.Failures > b.Failures
}

// remember keeps l in memory and stores it; a store that cannot take it is
// logged, and memory still counts (see mem).
func (g *Guard) remember(ctx context.Context, l store.StaffLockout) {
	g.mem = l
	err := store.SaveStaffLockout(ctx, g.db, l)
	if err != nil && !g.unsaved {
		slog.Warn("staff PIN tries counted in memory only", "err", err)
	}
	g.unsaved = err != nil
}

// Login checks pin and opens a staff session, returning its token. Errors:
// ErrNotConfigured, ErrBusy, *LockedError, *WrongPINError, or a storage error.
func (g *Guard) Login(ctx context.Context, pin string) (string, error) {
	if !g.Configured() {
		return "", ErrNotConfigured
	}
	wait := time.NewTimer(BusyWait)
	defer wait.Stop()
	select {
	case g.checking <- struct{}{}:
		defer func() { <-g.checking }()
	case <-wait.C:
		return "", ErrBusy
	case <-ctx.Done():
		return "", ctx.Err()
	}
	g.mu.Lock()
	l := g.lockout(ctx)
	g.mu.Unlock()
	now := g.Now()
	if now.Before(l.LockedUntil) {
		return "", &LockedError{Until: l.LockedUntil, Seconds: SecondsLeft(l.LockedUntil, now)}
	}
	ok, err := g.verify(pin)
	if err != nil {
		return "", err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if !ok {
		l.Failures++
		action := "staff PIN wrong"
		if l.Failures >= MaxTries {
			l.Lockouts++
			l.LockedUntil = now.Add(LockoutAfter(l.Lockouts))
			action = fmt.Sprintf("staff PIN locked for %v after repeated wrong PINs", LockoutAfter(l.Lockouts))
		}
		g.remember(ctx, l)
		_ = store.LogStaffAction(ctx, g.db, now, action)
		if !l.LockedUntil.IsZero() {
			return "", &LockedError{Until: l.LockedUntil, Seconds: SecondsLeft(l.LockedUntil, now)}
		}
		return "", &WrongPINError{TriesLeft: MaxTries - l.Failures}
	}
	// A reset the store cannot take leaves its count standing: stricter, not
	// looser, until it can be written.
	g.remember(ctx, store.StaffLockout{})
	token, err := newToken()
	if err != nil {
		return "", err
	}
	g.session[token] = now
	g.prune(now)
	_ = store.LogStaffAction(ctx, g.db, now, "staff mode opened")
	return token, nil
}

// verify checks pin against the hash, then hands argon2id's memory back to
// the system at once: the Go heap would otherwise keep the 64 MiB of the
// last check (or two) on a kiosk whose window needs the memory.
func (g *Guard) verify(pin string) (bool, error) {
	ok, err := staffpin.Verify(g.hash, pin)
	debug.FreeOSMemory()
	return ok, err
}

// Check reports whether token is a live staff session, and keeps it alive.
func (g *Guard) Check(token string) bool {
	if token == "" {
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.Now()
	last, ok := g.session[token]
	if !ok || now.Sub(last) > g.idle {
		delete(g.session, token)
		return false
	}
	g.session[token] = now
	return true
}

// Logout ends a staff session.
func (g *Guard) Logout(ctx context.Context, token string) {
	g.mu.Lock()
	_, ok := g.session[token]
	delete(g.session, token)
	g.mu.Unlock()
	if ok {
		_ = store.LogStaffAction(ctx, g.db, g.Now(), "staff mode closed")
	}
}

// Log records a staff action (what, and when to the minute).
func (g *Guard) Log(ctx context.Context, action string) error {
	return store.LogStaffAction(ctx, g.db, g.Now(), action)
}

// prune forgets sessions that ran out; called with mu held.
func (g *Guard) prune(now time.Time) {
	for t, last := range g.session {
		if now.Sub(last) > g.idle {
			delete(g.session, t)
		}
	}
}

func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("staff token: %w", err)
	}
	return hex.EncodeToString(b), nil
}
