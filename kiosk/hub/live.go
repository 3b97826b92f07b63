package hub

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"tramso/kiosk/hubproto"
)

// liveState holds what connected kiosks said since the last flush. Heartbeats
// and statuses from thousands of kiosks land here, in memory, and reach
// SQLite in one transaction every FlushEvery, not one write per message.
type liveState struct {
	mu sync.Mutex
	m  map[string]*deviceLive
}

type deviceLive struct {
	lastSeen time.Time
	status   *hubproto.Status // nil: only seen, no new status
	refusal  *refusalSeen     // nil: no refusal reported since the last flush
}

// refusalSeen is the last report that was not "applied".
type refusalSeen struct {
	report hubproto.Report
	at     time.Time
}

func (l *liveState) seen(id string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.get(id).lastSeen = now
}

func (l *liveState) status(id string, s hubproto.Status, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	d := l.get(id)
	d.lastSeen, d.status = now, &s
}

// refused keeps the device's latest refusal for its row. It costs no write
// of its own, so it is kept even when the report itself is over the limit.
func (l *liveState) refused(id string, r hubproto.Report, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	d := l.get(id)
	d.lastSeen, d.refusal = now, &refusalSeen{report: r, at: now}
}

// get returns the device's entry, creating it; l.mu is held.
func (l *liveState) get(id string) *deviceLive {
	d := l.m[id]
	if d == nil {
		d = &deviceLive{}
		l.m[id] = d
	}
	return d
}

// take empties the state and returns it.
func (l *liveState) take() map[string]*deviceLive {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := l.m
	l.m = make(map[string]*deviceLive, len(m))
	return m
}

// flushLive writes the live state to the database in one transaction.
func (h *Hub) flushLive(ctx context.Context) {
	if err := h.recordPresence(ctx); err != nil {
		h.presenceErrs.fail(h.log, time.Now(), "record online/offline events", "err", err)
	} else {
		h.presenceErrs.ok(h.log, "online/offline events recorded again")
	}
	pending := h.live.take()
	if len(pending) == 0 {
		return
	}
	if err := h.writeLive(ctx, pending); err != nil {
		h.liveErrs.fail(h.log, time.Now(), "write device state", "devices", len(pending), "err", err)
	} else {
		h.liveErrs.ok(h.log, "device state written again")
	}
}

func (h *Hub) writeLive(ctx context.Context, pending map[string]*deviceLive) error {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ids := slices.Sorted(maps.Keys(pending))
	if err := h.lockDevices(ctx, tx, ids); err != nil {
		return err
	}
	seen := map[string][]string{} // last_seen → devices only seen (heartbeats)
	var statuses []statusRow
	for _, id := range ids {
		d := pending[id]
		at := d.lastSeen.UTC().Format(time.RFC3339)
		if d.status != nil {
			statuses = append(statuses, statusRow{id: id, at: at, s: d.status})
		} else {
			seen[at] = append(seen[at], id)
		}
		if err := writeRefusal(ctx, tx, id, d.refusal); err != nil {
			return err
		}
	}
	if err := h.writeStatuses(ctx, tx, statuses); err != nil {
		return err
	}
	if err := writeSeen(ctx, tx, seen); err != nil {
		return err
	}
	return tx.Commit()
}

// statusRow is a device's latest status, to write.
type statusRow struct {
	id, at string
	s      *hubproto.Status
}

// statusBatch is how many statuses one statement writes (14 parameters
// each, within SQLite's 32,766 and PostgreSQL's 65,535).
const statusBatch = 200

// writeStatuses writes statuses, and what they change to history. On
// PostgreSQL, where each statement is a round trip, a batch per statement:
// UPDATE … FROM (VALUES …), whose columns both databases name column1,
// column2…. SQLite, in process, goes row by row: there the batched
// statements run several times slower (BenchmarkWriteLive, both ways).
func (h *Hub) writeStatuses(ctx context.Context, tx *sql.Tx, statuses []statusRow) error {
	stamp := h.stamp()
	if h.dialect == SQLite {
		return writeStatusRows(ctx, tx, statuses, stamp)
	}
	for chunk := range slices.Chunk(statuses, statusBatch) {
		rows, args := statusValues(chunk, stamp)
		if err := noteStatuses(ctx, tx, rows, args); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE devices SET last_seen = v.column2, generation = v.column3,
			highest_generation = GREATEST(devices.highest_generation, v.column3), target = v.column4, app_version = v.column5, state = v.column6, last_error = v.column7,
			free_disk = v.column11, shown_generation = v.column12, error_kind = v.column13, pinned_keys = v.column14
			FROM (VALUES `+rows+`) AS v WHERE devices.id = v.column1`, args...); err != nil {
			return err
		}
	}
	return nil
}

// writeStatusRows is writeStatuses one device at a time.
func writeStatusRows(ctx context.Context, tx *sql.Tx, statuses []statusRow, stamp string) error {
	update, err := tx.PrepareContext(ctx, `UPDATE devices SET last_seen = $1, generation = $2,
		highest_generation = max(highest_generation, $2), target = $3,
		app_version = $4, state = $5, free_disk = $6, last_error = $7, shown_generation = $8, error_kind = $9,
		pinned_keys = $10 WHERE id = $11`)
	if err != nil {
		return err
	}
	defer update.Close()
	for _, r := range statuses {
		s := r.s
		if err := noteStatus(ctx, tx, r.id, s.Generation, s.LastError, stamp); err != nil {
			return err
		}
		if _, err := update.ExecContext(ctx, r.at, s.Generation, s.TargetGeneration, s.AppVersion, s.State,
			s.FreeDisk, s.LastError, s.ShownGeneration, s.ErrorKind, pinnedColumn(s), r.id); err != nil {
			return err
		}
	}
	return nil
}

// statusValues is the VALUES list of statuses and its parameters: id,
// last_seen, generation, target, app_version, state, last_error, the
// generation as text, the history's time, the error as history keeps it,
// free_disk, shown_generation, error_kind, pinned_keys. Numbers are cast:
// PostgreSQL types a VALUES parameter text unless told.
func statusValues(statuses []statusRow, stamp string) (string, []any) {
	var b strings.Builder
	args := make([]any, 0, 14*len(statuses))
	for i, r := range statuses {
		if i > 0 {
			b.WriteString(", ")
		}
		n := len(args)
		fmt.Fprintf(&b, "($%d, $%d, CAST($%d AS BIGINT), CAST($%d AS BIGINT), $%d, $%d, $%d, $%d, $%d, $%d, CAST($%d AS BIGINT), CAST($%d AS BIGINT), $%d, $%d)",
			n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8, n+9, n+10, n+11, n+12, n+13, n+14)
		s := r.s
		args = append(args, r.id, r.at, s.Generation, s.TargetGeneration, s.AppVersion, s.State, s.LastError,
			generationText(s.Generation), stamp, hubproto.Clip(s.LastError, 500), s.FreeDisk, s.ShownGeneration, s.ErrorKind, pinnedColumn(s))
	}
	return b.String(), args
}

// liveBatch is how many devices one statement of writeLive names: a
// round trip to PostgreSQL per heartbeat would make a flush of 10,000
// kiosks take seconds, and SQLite allows 32,766 parameters.
const liveBatch = 500

// lockDevices locks the rows of the devices a flush writes, in id order,
// before it writes any (PostgreSQL; SQLite has one writer at a time). Two
// hubs on one database may both hold a device that moved between them;
// rows locked in one order by every hub cannot deadlock, whatever order
// the batched UPDATEs then touch them in.
func (h *Hub) lockDevices(ctx context.Context, tx *sql.Tx, ids []string) error {
	for chunk := range slices.Chunk(ids, liveBatch) {
		if err := h.lockDevicesWhere(ctx, tx, `id IN (`+placeholders(1, len(chunk))+`)`, anys(chunk)...); err != nil {
			return err
		}
	}
	return nil
}

// lockDevicesWhere locks the devices rows that match where, in id order
// (PostgreSQL; SQLite has one writer at a time): every statement that
// changes devices rows in a transaction of several locks them this way first.
func (h *Hub) lockDevicesWhere(ctx context.Context, tx *sql.Tx, where string, args ...any) error {
	if h.dialect != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT id FROM devices WHERE `+where+` ORDER BY id FOR UPDATE`, args...)
	return err
}

// writeSeen sets last_seen of the devices only seen since the last flush,
// one UPDATE per second and batch: heartbeats come in bursts that share
// their second.
func writeSeen(ctx context.Context, tx *sql.Tx, seen map[string][]string) error {
	for _, at := range slices.Sorted(maps.Keys(seen)) {
		for chunk := range slices.Chunk(seen[at], liveBatch) {
			args := append([]any{at}, anys(chunk)...)
			if _, err := tx.ExecContext(ctx, `UPDATE devices SET last_seen = $1 WHERE id IN (`+
				placeholders(2, len(chunk))+`)`, args...); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeRefusal(ctx context.Context, tx *sql.Tx, id string, r *refusalSeen) error {
	if r == nil {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE devices SET last_refusal_outcome = $1, last_refusal = $2,
		last_refusal_generation = $3, last_refusal_at = $4 WHERE id = $5`,
		r.report.Outcome, r.report.Error, r.report.Generation, r.at.UTC().Format(time.RFC3339), id)
	return err
}

// report handles a kiosk's report. A refusal always reaches the device's
// row; the report itself is stored only when it differs from the last one
// stored on this connection and within the device's rate, so a
// device token cannot fill the disk or push other kiosks' reports out of
// the fleet page.
func (h *Hub) report(ctx context.Context, c *conn, r hubproto.Report, now time.Time) {
	if r.Outcome != hubproto.OutcomeApplied {
		h.live.refused(c.id, r, now)
	}
	if r == c.lastStored {
		return // a retry of the same attempt tells nothing new: it spends none of the device's rate
	}
	ok, err := h.reportLimit.take(ctx, c.id, now)
	if err != nil {
		h.log.Error("report not stored", "device", c.id, "err", err)
		return
	}
	if !ok {
		if c.reportsDropped++; c.reportsDropped == 1 {
			h.log.Warn("kiosk reports faster than its limit; reports dropped (its last refusal is kept)", "device", c.id)
		}
		return
	}
	c.reportsDropped, c.lastStored = 0, r
	if err := h.recordReport(ctx, c.id, r); err != nil {
		h.log.Error("record report", "device", c.id, "err", err)
	}
}

// recordReport keeps a kiosk's report of an applied or refused generation,
// and only the newest keepReports per device of its kind (applied, or a
// problem): successes never push a refusal out, nor the other way round.
func (h *Hub) recordReport(ctx context.Context, id string, r hubproto.Report) error {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO reports(device_id, generation, outcome, error, at) VALUES ($1, $2, $3, $4, $5)`,
		id, r.Generation, r.Outcome, r.Error, h.stamp()); err != nil {
		return err
	}
	applied := r.Outcome == hubproto.OutcomeApplied
	// The derived table needs its name (AS newest) on PostgreSQL.
	if _, err := tx.ExecContext(ctx, `DELETE FROM reports WHERE device_id = $1 AND (outcome = 'applied') = $2 AND id <
		(SELECT min(id) FROM (SELECT id FROM reports WHERE device_id = $1 AND (outcome = 'applied') = $2
			ORDER BY id DESC LIMIT $3) AS newest)`,
		id, applied, keepReports); err != nil {
		return err
	}
	return tx.Commit()
}

// Report is one report from a kiosk.
type Report struct {
	DeviceID   string
	Generation int64
	Outcome    string
	Error      string
	At         string
}

// reportsPerDevice is how many of one device's reports the fleet-wide list
// shows (plus its latest refusal), so a chatty kiosk never hides the others.
const reportsPerDevice = 3

// Reports returns the latest reports, newest first: one device's, or, when
// id is "", every device's latest few and latest refusal.
func (h *Hub) Reports(ctx context.Context, id string, limit int) ([]Report, error) {
	rows, err := h.DB.QueryContext(ctx, `WITH ranked AS (
		SELECT id, device_id, generation, outcome, error, at,
			row_number() OVER (PARTITION BY device_id ORDER BY id DESC) AS n,
			row_number() OVER (PARTITION BY device_id, outcome = 'applied' ORDER BY id DESC) AS k
		FROM reports WHERE $1 = '' OR device_id = $1)
		SELECT device_id, generation, outcome, error, at FROM ranked
		WHERE $1 <> '' OR n <= $2 OR (k = 1 AND outcome <> 'applied')
		ORDER BY id DESC LIMIT $3`, id, reportsPerDevice, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Report
	for rows.Next() {
		var r Report
		if err := rows.Scan(&r.DeviceID, &r.Generation, &r.Outcome, &r.Error, &r.At); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// pinnedColumn is s's pinned key ids as devices.pinned_keys holds them:
// space-separated, "" when the kiosk did not say. Every status overwrites
// it, so a kiosk moved back to a version that does not say is "not said".
func pinnedColumn(s *hubproto.Status) string {
	return strings.Join(s.PinnedKeys, " ")
}
