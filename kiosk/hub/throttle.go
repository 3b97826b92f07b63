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
//
// An admin may lift an account's block (liftAccount): it forgives that
// account's wrong guesses, on its own ceilings and on the addresses' ones,
// and nothing else. Guesses at other names still hold an address's ceiling,
// which only its window ends: fifty wrong passwords from one machine across
// names is someone trying them all.
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

// ceiling is the most failures key may have in a window. An account's
// ceiling at an address names the account too, so that its tallies can be
// found, shown and lifted without knowing the addresses.
type ceiling struct {
	key     string
	account string // the account's ceiling at the address in key; "" for key's own
	address string // kept beside the hashed key for the console (enrollment only; "" keeps nothing)
	max     int
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
	until   time.Time
	first   bool // the first refusal of this window (worth an audit entry)
	account bool // the account's own ceiling was reached (an admin can lift it), not the address's
}

// tallyKey names a ceiling in guess_tallies: hashed, since a key holds what
// a stranger typed (PostgreSQL text cannot hold NUL or invalid UTF-8). An
// account's ceiling at an address is the account's prefix followed by the
// address's own tally key, so that one account's tallies share a prefix and
// each leads to its address's tally.
func (t *throttle) tallyKey(c ceiling) string {
	key := hashHex(t.kind + "\x00" + c.key)
	if c.account != "" {
		return t.accountPrefix(c.account) + key
	}
	return key
}

// accountPrefix starts the tally key of every ceiling of account.
func (t *throttle) accountPrefix(account string) string {
	return hashHex(t.kind+"\x00account\x00"+account) + "."
}

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
		err := tx.QueryRowContext(ctx, reserveSQL, key, end, stamp, c.max, storable(c.address)).Scan(&window)
		if errors.Is(err, sql.ErrNoRows) { // the ceiling is reached: count nothing
			tx.Rollback()
			why, err := t.refuse(ctx, key)
			if why != nil {
				why.account = c.account != ""
			}
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
// of a window starting now, $3 now, $4 its maximum, $5 the address to show)
// unless the ceiling is reached; a finished window starts again. It returns
// the window's end, or no row when the attempt must be refused.
const reserveSQL = `INSERT INTO guess_tallies(tally_key, window_end, failures, refused, address) VALUES ($1, $2, 1, 0, $5)
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

// left says, after the attempt was kept, how many more failures its
// ceilings (cs, as reserved) allow in their windows: the fewest of any
// ceiling, whether that ceiling is an account's own (else its address's),
// and when its window ends. The count is per name typed, whether or not an
// account has it, so it tells a guesser nothing the refusal would not.
func (a *attempt) left(ctx context.Context, now time.Time, cs []ceiling) (n int, account bool, until time.Time, err error) {
	n = -1
	for i, key := range a.keys {
		var failures int
		var window string
		if err := a.t.db.QueryRowContext(ctx, `SELECT failures, window_end FROM guess_tallies WHERE tally_key = $1`, key).
			Scan(&failures, &window); err != nil {
			return 0, false, time.Time{}, fmt.Errorf("read a %s tally: %w", a.t.kind, err)
		}
		end, _ := time.Parse(time.RFC3339, window)
		if !end.After(now) {
			continue // a window that has ended counts nothing any more
		}
		if l := max(cs[i].max-failures, 0); n < 0 || l < n {
			n, account, until = l, cs[i].account != "", end
		}
	}
	return n, account, until, nil
}

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

// loginCeilings are the ceilings a password guess at account from addr
// counts against. The name is trimmed as checkPassword trims it: " tinh"
// and "tinh" open the same account, so they share its count.
func loginCeilings(account, addr string) []ceiling {
	address := "address\x00" + addr
	return []ceiling{
		{key: address, account: strings.TrimSpace(account), max: loginPerAccount},
		{key: address, max: loginPerAddress},
	}
}

// LoginBlock is what wrong passwords have done to one console account: the
// addresses from which its logins are refused now, because its own ceiling
// there is reached.
type LoginBlock struct {
	Addresses int
	Until     time.Time // when the last of those blocks ends
}

// add counts one address's block, ending at until.
func (b *LoginBlock) add(until time.Time) {
	b.Addresses++
	if until.After(b.Until) {
		b.Until = until
	}
}

// accountBlocks finds which of accounts have reached their ceiling (max)
// at some address, in a window still open at now.
func (t *throttle) accountBlocks(ctx context.Context, now time.Time, max int, accounts []string) (map[string]LoginBlock, error) {
	byPrefix := make(map[string]string, len(accounts))
	for _, a := range accounts {
		byPrefix[t.accountPrefix(a)] = a
	}
	rows, err := t.db.QueryContext(ctx, `SELECT tally_key, window_end FROM guess_tallies
		WHERE tally_key LIKE '%.%' AND window_end > $1 AND failures >= $2`, now.UTC().Format(time.RFC3339), max)
	if err != nil {
		return nil, fmt.Errorf("read %s blocks: %w", t.kind, err)
	}
	defer rows.Close()
	out := map[string]LoginBlock{}
	for rows.Next() {
		var key, window string
		if err := rows.Scan(&key, &window); err != nil {
			return nil, err
		}
		prefix, _, _ := strings.Cut(key, ".")
		account, ok := byPrefix[prefix+"."]
		if !ok {
			continue
		}
		until, _ := time.Parse(time.RFC3339, window)
		b := out[account]
		b.add(until)
		out[account] = b
	}
	return out, rows.Err()
}

// LoginLift is what lifting an account's login block did.
type LoginLift struct {
	Lifted LoginBlock // the addresses the account was refused from, now open to it
	Forgot int        // wrong guesses at the account forgotten, in open windows
}

// liftAccount forgets every wrong guess at account, on its own ceilings
// (blocked at max each) and on the addresses' ones, in every hub sharing the
// database. Guesses at other names stay counted. Each of the account's
// guesses counted on its address too, so no address it was guessed from
// stays at its ceiling.
func (t *throttle) liftAccount(ctx context.Context, now time.Time, account string, max int) (LoginLift, error) {
	var res LoginLift
	stamp := now.UTC().Format(time.RFC3339)
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	// Deleted and returned in one statement: a guess counted meanwhile is
	// either forgotten with the rest or still counted, never lost halfway.
	rows, err := tx.QueryContext(ctx, `DELETE FROM guess_tallies WHERE tally_key LIKE $1
		RETURNING tally_key, window_end, failures`, t.accountPrefix(account)+"%")
	if err != nil {
		return res, fmt.Errorf("lift the %s block of %s: %w", t.kind, account, err)
	}
	type forgotten struct {
		address  string
		failures int
	}
	var gone []forgotten
	for rows.Next() {
		var key, window string
		var failures int
		if err := rows.Scan(&key, &window, &failures); err != nil {
			rows.Close()
			return res, err
		}
		if window <= stamp {
			continue // a finished window counts nothing
		}
		if failures >= max {
			until, _ := time.Parse(time.RFC3339, window)
			res.Lifted.add(until)
		}
		res.Forgot += failures
		_, address, _ := strings.Cut(key, ".")
		gone = append(gone, forgotten{address, failures})
	}
	if err := rows.Err(); err != nil {
		return res, err
	}
	rows.Close()
	for _, g := range gone {
		if _, err := tx.ExecContext(ctx, `UPDATE guess_tallies
			SET failures = CASE WHEN failures > $2 THEN failures - $2 ELSE 0 END
			WHERE tally_key = $1 AND window_end > $3`, g.address, g.failures, stamp); err != nil {
			return res, fmt.Errorf("lift the %s block of %s: %w", t.kind, account, err)
		}
	}
	return res, tx.Commit()
}

// enrollCeilings are the ceilings a code typed from addr counts against.
// The address is kept as is beside its tally, so that the codes page can
// say which address is blocked and an admin can lift it (enrollBlocks).
func enrollCeilings(addr string) []ceiling {
	return []ceiling{{key: addr, address: addr, max: enrollPerAddress}}
}

// EnrollBlock is one address from which enrollment is refused now: too many
// wrong codes were typed from it.
type EnrollBlock struct {
	Tally   string // its tally's key: what the codes page's lift names
	Address string
	Until   time.Time
}

// enrollBlocks are the addresses at their ceiling in a window still open
// at now, the blocks ending soonest first. Only enrollment tallies keep an
// address.
func (t *throttle) enrollBlocks(ctx context.Context, now time.Time) ([]EnrollBlock, error) {
	rows, err := t.db.QueryContext(ctx, `SELECT tally_key, address, window_end FROM guess_tallies
		WHERE address != '' AND window_end > $1 AND failures >= $2 ORDER BY window_end, address`,
		now.UTC().Format(time.RFC3339), enrollPerAddress)
	if err != nil {
		return nil, fmt.Errorf("read %s blocks: %w", t.kind, err)
	}
	defer rows.Close()
	var out []EnrollBlock
	for rows.Next() {
		var b EnrollBlock
		var window string
		if err := rows.Scan(&b.Tally, &b.Address, &window); err != nil {
			return nil, err
		}
		b.Until, _ = time.Parse(time.RFC3339, window)
		out = append(out, b)
	}
	return out, rows.Err()
}

// liftAddress forgets the wrong codes counted against one enrollment tally
// (an EnrollBlock's Tally), in every hub sharing the database. The lift says
// what it did as a login lift does: the address it opened (none when it was
// not blocked) and the wrong codes forgotten.
func (t *throttle) liftAddress(ctx context.Context, now time.Time, tally string) (address string, lift LoginLift, err error) {
	var window string
	var failures int
	err = t.db.QueryRowContext(ctx, `DELETE FROM guess_tallies WHERE tally_key = $1 AND address != ''
		RETURNING address, window_end, failures`, tally).Scan(&address, &window, &failures)
	if errors.Is(err, sql.ErrNoRows) {
		return "", lift, nil // the window ended, or another admin lifted it first
	}
	if err != nil {
		return "", lift, fmt.Errorf("lift the %s block: %w", t.kind, err)
	}
	if window <= now.UTC().Format(time.RFC3339) {
		return address, lift, nil // a finished window counts nothing
	}
	if failures >= enrollPerAddress {
		until, _ := time.Parse(time.RFC3339, window)
		lift.Lifted.add(until)
	}
	lift.Forgot = failures
	return address, lift, nil
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

// tryGuess reserves an attempt at a password or a code, or says why it is
// refused. A refused one is logged (and the first refusal of a window audited) here, so every caller
// records the same way.
//
// A database that cannot count refuses the guess too (logged as an error,
// and a refusal with no end): nobody gains tries by overloading it.
func (h *Hub) tryGuess(r *http.Request, t *throttle, action, account string, cs []ceiling) (*attempt, *refusal) {
	try, why, err := t.reserve(r.Context(), h.now(), cs...)
	if err != nil {
		h.log.Error("count an attempt; refused", "action", action, "err", err)
		return nil, &refusal{}
	}
	if why == nil {
		return try, nil
	}
	h.log.Warn("attempt refused: too many failures", "action", action, "account", account, "account_ceiling", why.account,
		"remote", h.clientAddr(r), "until", why.until.Format(time.RFC3339))
	// Each refusal is logged, only the first of a window audited: a flood of
	// refused guesses must not flood the database too.
	if why.first {
		detail := "đến " + h.formatExact(why.until)
		if !why.account && account != "" {
			detail = "mọi tên đăng nhập từ địa chỉ này, " + detail
		}
		h.audit(r, account, action+"_throttled", detail)
	}
	return nil, why
}

// guessFailed records a wrong password or enrollment code: in the log, and in
// the audit log staff read.
func (h *Hub) guessFailed(r *http.Request, action, account, detail string) {
	h.log.Warn("failed attempt", "action", action, "account", account, "remote", h.clientAddr(r), "detail", detail)
	h.audit(r, account, action+"_failed", detail)
}
