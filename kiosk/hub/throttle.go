package hub

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Guessing limits. Failures are counted per (account, address) so that a
// stranger guessing the province's password locks out only themselves, with
// a higher ceiling per address so that one machine cannot try every account.
// Enrollment codes have their own throttle: a flood of wrong passwords never
// stops a commune from enrolling its kiosk, nor the other way round.
const (
	guessWindow      = 15 * time.Minute
	loginPerAccount  = 10 // failures per (account, address) in a window
	loginPerAddress  = 50 // failures per address, whatever the account
	enrollPerAddress = 20 // wrong enrollment codes per address
)

// throttle counts failed guesses per key in the database (guess_tallies),
// so that every hub on one database shares the count: an attacker spreading
// guesses over several hubs gets no more tries than against one. An attempt
// reserves its place before the slow check (bcrypt, a database lookup) and
// gives it back only when it turns out not to be a wrong guess, so guesses
// sent in parallel, to one hub or several, are counted as they start: no
// more than the ceiling ever reach the check.
type throttle struct {
	db   *sql.DB
	kind string // "login", "enroll": each throttle counts apart
	log  *slog.Logger
}

// ceiling is the most failures key may have in a window.
type ceiling struct {
	key string
	max int
}

// attempt is one reserved try. Release gives the place back (the guess was
// right, or was not a guess); Keep leaves it counted. Release after Keep, or
// twice, does nothing, so `defer a.Release()` is safe.
type attempt struct {
	t      *throttle
	keys   []string // tally keys reserved
	window []string // the window each was reserved in: a place is given back to that window only
	mu     sync.Mutex
	done   bool
}

// refusal says why an attempt was not allowed.
type refusal struct {
	until time.Time
	first bool // the first refusal of this window (worth an audit entry)
}

// tallyKey names a ceiling in guess_tallies: hashed, since a key holds what
// a stranger typed (PostgreSQL text cannot hold NUL or invalid UTF-8).
func (t *throttle) tallyKey(c ceiling) string { return hashHex(t.kind + "\x00" + c.key) }

// reserve counts an attempt against every ceiling, or refuses it if one is
// reached. Check and count happen in one transaction, each ceiling in one
// conditional upsert, so that concurrent attempts on any hub never both take
// the last place.
func (t *throttle) reserve(ctx context.Context, now time.Time, cs ...ceiling) (*attempt, *refusal, error) {
	stamp := now.UTC().Format(time.RFC3339)
	end := now.Add(guessWindow).UTC().Format(time.RFC3339)
	a := &attempt{t: t}
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	for _, c := range cs {
		key := t.tallyKey(c)
		var window string
		err := tx.QueryRowContext(ctx, reserveSQL, key, end, stamp, c.max).Scan(&window)
		if errors.Is(err, sql.ErrNoRows) { // the ceiling is reached: count nothing
			tx.Rollback()
			why, err := t.refuse(ctx, key)
			return nil, why, err
		}
		if err != nil {
			return nil, nil, fmt.Errorf("reserve a %s attempt: %w", t.kind, err)
		}
		a.keys, a.window = append(a.keys, key), append(a.window, window)
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, fmt.Errorf("reserve a %s attempt: %w", t.kind, err)
	}
	return a, nil, nil
}

// reserveSQL counts one failure against a ceiling ($1 its key, $2 the end
// of a window starting now, $3 now, $4 its maximum) unless the ceiling is
// reached; a finished window starts again. It returns the window's end, or
// no row when the attempt must be refused.
const reserveSQL = `INSERT INTO guess_tallies(tally_key, window_end, failures, refused) VALUES ($1, $2, 1, 0)
	ON CONFLICT (tally_key) DO UPDATE SET
		failures = CASE WHEN guess_tallies.window_end <= $3 THEN 1 ELSE guess_tallies.failures + 1 END,
		refused = CASE WHEN guess_tallies.window_end <= $3 THEN 0 ELSE guess_tallies.refused END,
		window_end = CASE WHEN guess_tallies.window_end <= $3 THEN excluded.window_end ELSE guess_tallies.window_end END
	WHERE guess_tallies.window_end <= $3 OR guess_tallies.failures < $4
	RETURNING window_end`

// refuse counts a refused attempt against the ceiling that was reached; the
// first refusal of a window is the one worth auditing.
func (t *throttle) refuse(ctx context.Context, key string) (*refusal, error) {
	var n int
	var window string
	err := t.db.QueryRowContext(ctx, `UPDATE guess_tallies SET refused = refused + 1 WHERE tally_key = $1
		RETURNING refused, window_end`, key).Scan(&n, &window)
	if err != nil {
		return nil, fmt.Errorf("count a refused %s attempt: %w", t.kind, err)
	}
	until, _ := time.Parse(time.RFC3339, window)
	return &refusal{until: until, first: n == 1}, nil
}

// Release gives the attempt's place back, in the window it was taken from
// (a window that has ended since has nothing to give back).
func (a *attempt) Release() {
	if !a.finish() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i, key := range a.keys {
		if _, err := a.t.db.ExecContext(ctx, `UPDATE guess_tallies SET failures = failures - 1
			WHERE tally_key = $1 AND window_end = $2 AND failures > 0`, key, a.window[i]); err != nil {
			a.t.log.Error("give back a reserved attempt", "kind", a.t.kind, "err", err)
		}
	}
}

// Keep leaves the attempt counted as a failure.
func (a *attempt) Keep() { a.finish() }

// finish marks the attempt settled; it reports whether it was not already.
func (a *attempt) finish() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	first := !a.done
	a.done = true
	return first
}

// sweepGuesses forgets finished windows, so the table follows the number of
// recent guessers, not every address ever seen.
func sweepGuesses(ctx context.Context, db execer, now time.Time) error {
	_, err := db.ExecContext(ctx, `DELETE FROM guess_tallies WHERE window_end <= $1`, now.UTC().Format(time.RFC3339))
	return err
}

func loginCeilings(account, addr string) []ceiling {
	return []ceiling{
		{key: "account\x00" + account + "\x00" + addr, max: loginPerAccount},
		{key: "address\x00" + addr, max: loginPerAddress},
	}
}

func enrollCeilings(addr string) []ceiling {
	return []ceiling{{key: addr, max: enrollPerAddress}}
}

// clientAddr is who is asking: the connection's address, or with TrustProxy
// the address the proxy in front of the hub saw (the last X-Forwarded-For
// entry: the one our proxy added, which a client cannot forge). An IPv6
// client is counted by its /64, since one home or phone holds all of those.
func (h *Hub) clientAddr(r *http.Request) string {
	addr := r.RemoteAddr
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	if h.opts.TrustProxy {
		if fwd := r.Header.Values("X-Forwarded-For"); len(fwd) > 0 {
			parts := strings.Split(fwd[len(fwd)-1], ",")
			addr = strings.TrimSpace(parts[len(parts)-1])
		}
	}
	ip := net.ParseIP(addr)
	if ip == nil {
		return addr
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return ip.String()
}

// reserveGuess reserves an attempt at a password or a code. A refused one is
// logged (and the first refusal of a window audited) here, so every caller
// records the same way.
//
// A database that cannot count refuses the guess too (logged as an error):
// nobody gains tries by overloading it.
func (h *Hub) reserveGuess(r *http.Request, t *throttle, action, account string, cs []ceiling) (*attempt, bool) {
	try, why, err := t.reserve(r.Context(), h.now(), cs...)
	if err != nil {
		h.log.Error("count an attempt; refused", "action", action, "err", err)
		return nil, false
	}
	if why == nil {
		return try, true
	}
	h.log.Warn("attempt refused: too many failures", "action", action, "account", account,
		"remote", h.clientAddr(r), "until", why.until.Format(time.RFC3339))
	// Each refusal is logged, only the first of a window audited: a flood of
	// refused guesses must not flood the database too.
	if why.first {
		h.audit(r, account, action+"_throttled", "đến "+h.formatExact(why.until))
	}
	return nil, false
}

// guessFailed records a wrong password or enrollment code: in the log, and in
// the audit log staff read.
func (h *Hub) guessFailed(r *http.Request, action, account, detail string) {
	h.log.Warn("failed attempt", "action", action, "account", account, "remote", h.clientAddr(r), "detail", detail)
	h.audit(r, account, action+"_failed", detail)
}
