package hub

import (
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
	loginPerAccount  = 10   // failures per (account, address) in a window
	loginPerAddress  = 50   // failures per address, whatever the account
	enrollPerAddress = 20   // wrong enrollment codes per address
	throttleSweepMin = 4096 // tallies held before finished windows are swept
)

// throttle counts failed guesses per key. An attempt reserves its place
// before the slow check (bcrypt, a database lookup) and gives it back only
// when it turns out not to be a wrong guess, so guesses sent in parallel are
// counted as they start: no more than the ceiling ever reach the check.
type throttle struct {
	mu        sync.Mutex
	tallies   map[string]*tally
	sweepSize int // sweep expired tallies when the map grows past this
}

type tally struct {
	n       int
	until   time.Time // the window ends; the count starts again
	refused int       // attempts refused in this window
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
	t       *throttle
	tallies []*tally
	done    bool
}

// refusal says why an attempt was not allowed.
type refusal struct {
	until time.Time
	first bool // the first refusal of this window (worth an audit entry)
}

// reserve counts an attempt against every ceiling, or refuses it if one is
// reached. Check and count happen under one lock.
func (t *throttle) reserve(now time.Time, cs ...ceiling) (*attempt, *refusal) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tallies == nil {
		t.tallies = map[string]*tally{}
	}
	t.sweep(now)
	ts := make([]*tally, len(cs))
	for i, c := range cs {
		ts[i] = t.current(now, c.key)
		if ts[i].n >= c.max {
			ts[i].refused++
			return nil, &refusal{until: ts[i].until, first: ts[i].refused == 1}
		}
	}
	for _, tl := range ts {
		tl.n++
	}
	return &attempt{t: t, tallies: ts}, nil
}

// current returns key's tally for this window, starting a new one if needed.
func (t *throttle) current(now time.Time, key string) *tally {
	tl := t.tallies[key]
	if tl == nil || !now.Before(tl.until) {
		tl = &tally{until: now.Add(guessWindow)}
		t.tallies[key] = tl
	}
	return tl
}

// sweep forgets finished windows once the map has grown, so memory follows
// the number of recent guessers, not every address ever seen.
func (t *throttle) sweep(now time.Time) {
	if len(t.tallies) < max(t.sweepSize, throttleSweepMin) {
		return
	}
	for k, tl := range t.tallies {
		if !now.Before(tl.until) {
			delete(t.tallies, k)
		}
	}
	t.sweepSize = 2 * len(t.tallies)
}

// Release gives the attempt's place back.
func (a *attempt) Release() {
	a.t.mu.Lock()
	defer a.t.mu.Unlock()
	if a.done {
		return
	}
	a.done = true
	for _, tl := range a.tallies {
		if tl.n > 0 {
			tl.n--
		}
	}
}

// Keep leaves the attempt counted as a failure.
func (a *attempt) Keep() {
	a.t.mu.Lock()
	defer a.t.mu.Unlock()
	a.done = true
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
func (h *Hub) reserveGuess(r *http.Request, t *throttle, action, account string, cs []ceiling) (*attempt, bool) {
	try, why := t.reserve(h.now(), cs...)
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
