package hub

import (
	"context"
	"database/sql"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Presence is shared through the database, so that every hub's fleet page
// shows the same truth whichever hub a kiosk talks to:
//
//   - devices.connected_hub names the hub process holding the kiosk's
//     websocket (NULL: none). A hub claims its new connections and releases
//     the ones that went in its live-state flush, once per FlushEvery, not
//     per connection or heartbeat. A release is conditional on the claim
//     still being its own, so a kiosk that already moved stays claimed.
//   - hubs has a row per running hub process, refreshed every Heartbeat; a
//     row unrefreshed for staleBeats heartbeats is a hub that died, and any
//     hub's flush releases its kiosks.
//   - devices.presence is the last online/offline event written. "online"
//     is written when a hub claims a kiosk that was not online; "offline"
//     only when a kiosk has stayed unclaimed for offlineGrace flushes, and
//     stamped with the time it left. A kiosk moving from hub A to hub B
//     (A restarted or died, or the load balancer moved it) is back long
//     before that, so its history does not flap; each transition is one
//     conditional UPDATE, so two hubs never both write it.
//
// Online (Device.Online) is "a hub holds its websocket", read from the
// database after this hub's own flush.
const (
	staleBeats   = 3 // a hub silent this many heartbeats is gone, like a kiosk
	offlineGrace = 5 // flushes a kiosk may be unclaimed before it is offline
)

// presence is this hub's side of it.
type presence struct {
	flushing   sync.Mutex // one presence flush at a time (Run's, and Devices')
	mu         sync.Mutex
	hubID      string
	claimed    map[string]*conn // the connections claimed at the last flush
	beat       time.Time        // when this hub's row was last refreshed
	registered bool             // the row was written once: missing now means another hub declared us dead
	pruned     time.Time        // when old rows were last deleted
}

// Device history is kept for eventRetention and pruned at most every
// pruneEvery: a kiosk on a bad link may connect and drop many times a day.
const (
	eventRetention = 180 * 24 * time.Hour
	pruneEvery     = time.Hour
)

// newHubID names this hub process in the database: its host, for people
// reading the table, and a random part, new at every start.
func newHubID() string {
	host, _ := os.Hostname()
	if len(host) > 40 {
		host = host[:40]
	}
	return host + "-" + randomString(8)
}

// duePrune says whether old rows should be deleted now.
func (p *presence) duePrune(now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now.Sub(p.pruned) < pruneEvery {
		return false
	}
	p.pruned = now
	return true
}

// changes returns the connections to claim and the devices to release since
// the last committed flush. A kiosk that reconnected (a new conn) is claimed
// again: in between it may have been on another hub.
func (p *presence) changes(conns []*conn) (came []*conn, left []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := make(map[string]bool, len(conns))
	for _, c := range conns {
		now[c.id] = true
		if p.claimed[c.id] != c {
			came = append(came, c)
		}
	}
	for id := range p.claimed {
		if !now[id] {
			left = append(left, id)
		}
	}
	return came, left
}

// committed records what the flush wrote.
func (p *presence) committed(conns []*conn, beat time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.claimed = make(map[string]*conn, len(conns))
	for _, c := range conns {
		p.claimed[c.id] = c
	}
	if !beat.IsZero() {
		p.beat, p.registered = beat, true
	}
}

func (p *presence) isRegistered() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.registered
}

func (p *presence) dueBeat(now time.Time, every time.Duration) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return now.Sub(p.beat) >= every
}

// recordPresence writes this hub's claims and releases, refreshes its row,
// and writes the online/offline events that are due; now and then it
// forgets old history. Claims and releases are sorted by device id, so two
// hubs' flushes lock rows in one order.
func (h *Hub) recordPresence(ctx context.Context) error {
	p := &h.presence
	p.flushing.Lock()
	defer p.flushing.Unlock()
	now := h.now()
	if p.duePrune(now) {
		if err := h.prune(ctx, now); err != nil {
			return err
		}
	}
	conns := h.conns.snapshot()
	came, left := p.changes(conns)
	// A process with no kiosk (a CLI command listing devices) never needs a row.
	beat := p.dueBeat(now, h.opts.Heartbeat) && (len(conns) > 0 || p.isRegistered())
	if beat || len(came)+len(left) > 0 {
		if err := h.writePresence(ctx, now, beat, conns, came, left); err != nil {
			return err
		}
	}
	return h.sweepPresence(ctx, now)
}

func (h *Hub) writePresence(ctx context.Context, now time.Time, beat bool, conns, came []*conn, left []string) error {
	p := &h.presence
	stamp := now.UTC().Format(time.RFC3339)
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if beat {
		res, err := tx.ExecContext(ctx, `UPDATE hubs SET seen_at = $1 WHERE id = $2`, stamp, p.hubID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO hubs(id, seen_at) VALUES ($1, $2)`, p.hubID, stamp); err != nil {
				return err
			}
			if p.isRegistered() { // another hub took us for dead and released our kiosks: claim them all again
				h.log.Warn("this hub was taken for dead by another (no heartbeat written for a while); claiming its kiosks again")
				came = conns
			}
		}
	}
	ids := make([]string, len(came))
	for i, c := range came {
		ids[i] = c.id
	}
	slices.Sort(ids)
	slices.Sort(left)
	// The conditional UPDATEs below touch rows in whatever order the plan
	// takes; locking them first in id order, as the live-state flush does,
	// keeps two hubs' flushes from deadlocking over a kiosk that moved.
	if err := h.lockDevices(ctx, tx, slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(ids), left...))))); err != nil {
		return err
	}
	if err := h.claim(ctx, tx, ids, stamp); err != nil {
		return err
	}
	for chunk := range slices.Chunk(left, presenceBatch) {
		args := append([]any{stamp, p.hubID}, anys(chunk)...)
		if _, err := tx.ExecContext(ctx, `UPDATE devices SET connected_hub = NULL, left_at = $1
			WHERE connected_hub = $2 AND id IN (`+placeholders(3, len(chunk))+`)`, args...); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	var beatAt time.Time
	if beat {
		beatAt = now
	}
	p.committed(conns, beatAt)
	return nil
}

// presenceBatch is how many devices one statement claims or releases: a
// fleet reconnecting at once costs a few statements per thousand kiosks,
// far below both databases' limits on parameters.
const presenceBatch = 500

// claim records that this hub holds the devices' websockets (ids sorted),
// and writes "online" for those that were not online already: moving
// between hubs, a kiosk stays online. The conditional UPDATE decides which
// flip, so two hubs claiming one kiosk at once write one event.
func (h *Hub) claim(ctx context.Context, tx *sql.Tx, ids []string, stamp string) error {
	for chunk := range slices.Chunk(ids, presenceBatch) {
		in := placeholders(1, len(chunk))
		flipped, err := readStrings(tx.QueryContext(ctx, `UPDATE devices SET presence = 'online'
			WHERE presence <> 'online' AND id IN (`+in+`) RETURNING id`, anys(chunk)...))
		if err != nil {
			return err
		}
		if len(flipped) > 0 {
			args := []any{stamp}
			for _, row := range flipped {
				args = append(args, row[0])
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO device_events(device_id, at, kind)
				SELECT id, $1, 'online' FROM devices WHERE id IN (`+placeholders(2, len(flipped))+`) ORDER BY id`, args...); err != nil {
				return err
			}
		}
		args := append([]any{h.presence.hubID}, anys(chunk)...)
		if _, err := tx.ExecContext(ctx, `UPDATE devices SET connected_hub = $1, left_at = NULL
			WHERE id IN (`+placeholders(2, len(chunk))+`)`, args...); err != nil {
			return err
		}
	}
	return nil
}

// placeholders is "$from, $from+1, …", n of them.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(from+i))
	}
	return b.String()
}

// readStrings reads every row of text columns and closes the rows (those of
// an UPDATE … RETURNING must be read before the transaction runs anything
// else).
func readStrings(rows *sql.Rows, err error) ([][]string, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]string
	for rows.Next() {
		row := make([]string, len(cols))
		dest := make([]any, len(cols))
		for i := range row {
			dest[i] = &row[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// sweepPresence releases the kiosks of hubs that died and writes "offline"
// for kiosks unclaimed past the grace. Any hub may do it; each row changes
// once, whichever hub's UPDATE gets it. Both statements find their rows by
// the devices_by_presence index: the few kiosks online with no hub, the
// kiosks of one dead hub.
func (h *Hub) sweepPresence(ctx context.Context, now time.Time) error {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Stamps have whole seconds: "<" makes the grace at least what it says.
	cutoff := now.Add(-offlineGrace * h.opts.FlushEvery).UTC().Format(time.RFC3339)
	dead, err := h.deleteDeadHubs(ctx, tx, now)
	if err != nil {
		return err
	}
	if err := h.lockSwept(ctx, tx, cutoff, dead); err != nil {
		return err
	}
	if err := h.releaseKiosksOf(ctx, tx, dead); err != nil {
		return err
	}
	offline, err := readStrings(tx.QueryContext(ctx, `UPDATE devices SET presence = 'offline'
		WHERE presence = 'online' AND connected_hub IS NULL AND coalesce(left_at, '') < $1
		RETURNING id, coalesce(left_at, '')`, cutoff))
	if err != nil {
		return err
	}
	for _, row := range offline {
		id, at := row[0], row[1]
		if at == "" {
			at = now.UTC().Format(time.RFC3339)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO device_events(device_id, at, kind) VALUES ($1, $2, 'offline')`,
			id, at); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// deleteDeadHubs deletes the rows of hubs silent for staleBeats heartbeats
// and returns them (id, last seen). The DELETE comes first: a hub that was
// only slow finds its row gone at its next heartbeat and claims its kiosks
// again.
func (h *Hub) deleteDeadHubs(ctx context.Context, tx *sql.Tx, now time.Time) ([][]string, error) {
	stale := now.Add(-staleBeats * h.opts.Heartbeat).UTC().Format(time.RFC3339)
	return readStrings(tx.QueryContext(ctx, `DELETE FROM hubs WHERE seen_at < $1 AND id <> $2 RETURNING id, seen_at`,
		stale, h.presence.hubID))
}

// releaseKiosksOf releases the kiosks of dead hubs, as left when their hub
// was last heard of.
func (h *Hub) releaseKiosksOf(ctx context.Context, tx *sql.Tx, dead [][]string) error {
	for _, row := range dead {
		id, seen := row[0], row[1]
		h.log.Warn("a hub stopped writing its heartbeat; its kiosks are released", "hub", id, "last_seen", seen)
		if _, err := tx.ExecContext(ctx, `UPDATE devices SET connected_hub = NULL, left_at = $1
			WHERE presence = 'online' AND connected_hub = $2`, seen, id); err != nil {
			return err
		}
	}
	return nil
}

// lockSwept locks every row the sweep may change: the kiosks of the dead
// hubs, and those unclaimed since before cutoff. The sweep's UPDATEs visit
// rows in their index's order, and another hub's flush may be claiming the
// same kiosks (lockDevices): locked first, in id order, the two cannot
// deadlock.
func (h *Hub) lockSwept(ctx context.Context, tx *sql.Tx, cutoff string, dead [][]string) error {
	where := `connected_hub IS NULL AND coalesce(left_at, '') < $1`
	args := []any{cutoff}
	for _, row := range dead {
		args = append(args, row[0])
	}
	if len(dead) > 0 {
		where = `(` + where + `) OR connected_hub IN (` + placeholders(2, len(dead)) + `)`
	}
	return h.lockDevicesWhere(ctx, tx, `presence = 'online' AND (`+where+`)`, args...)
}

// leavePresence releases this hub's kiosks and row when it shuts down, so
// that other hubs need not wait for its row to go stale; kiosks that come
// back (to another hub, or to this one restarted) within the grace were
// never offline.
func (h *Hub) leavePresence(ctx context.Context) {
	stamp := h.stamp()
	if _, err := h.DB.ExecContext(ctx, `UPDATE devices SET connected_hub = NULL, left_at = $1
		WHERE presence = 'online' AND connected_hub = $2`, stamp, h.presence.hubID); err != nil {
		h.log.Error("release this hub's kiosks", "err", err)
	}
	if _, err := h.DB.ExecContext(ctx, `DELETE FROM hubs WHERE id = $1`, h.presence.hubID); err != nil {
		h.log.Error("remove this hub's row", "err", err)
	}
}

// prune forgets old history and finished guess windows, and releases kiosks
// claimed by a hub whose row is gone (it died in the instant between a
// sweep and its own claim); it is a scan, so it runs at most every
// pruneEvery.
func (h *Hub) prune(ctx context.Context, now time.Time) error {
	cutoff := now.Add(-eventRetention).UTC().Format(time.RFC3339)
	if _, err := h.DB.ExecContext(ctx, `DELETE FROM device_events WHERE at < $1`, cutoff); err != nil {
		return err
	}
	if _, err := h.DB.ExecContext(ctx, `DELETE FROM device_incidents WHERE counted_at < $1`, cutoff); err != nil {
		return err
	}
	if err := sweepGuesses(ctx, h.DB, now); err != nil {
		return err
	}
	_, err := h.DB.ExecContext(ctx, `UPDATE devices SET connected_hub = NULL, left_at = $1
		WHERE connected_hub IS NOT NULL AND connected_hub NOT IN (SELECT id FROM hubs)`, now.UTC().Format(time.RFC3339))
	return err
}
