package hub

import (
	"context"
	"database/sql"
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
		h.log.Error("record online/offline events", "err", err)
	}
	pending := h.live.take()
	if len(pending) == 0 {
		return
	}
	if err := h.writeLive(ctx, pending); err != nil {
		h.log.Error("write device state", "devices", len(pending), "err", err)
	}
}

func (h *Hub) writeLive(ctx context.Context, pending map[string]*deviceLive) error {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	seen, err := tx.PrepareContext(ctx, `UPDATE devices SET last_seen = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	status, err := tx.PrepareContext(ctx, `UPDATE devices SET last_seen = ?, generation = ?, target = ?,
		app_version = ?, state = ?, free_disk = ?, last_error = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	for id, d := range pending {
		at := d.lastSeen.UTC().Format(time.RFC3339)
		if s := d.status; s != nil {
			if err := h.noteStatus(ctx, tx, id, s.Generation, s.LastError); err != nil {
				return err
			}
			_, err = status.ExecContext(ctx, at, s.Generation, s.TargetGeneration, s.AppVersion, s.State,
				s.FreeDisk, s.LastError, id)
		} else {
			_, err = seen.ExecContext(ctx, at, id)
		}
		if err != nil {
			return err
		}
		if err := writeRefusal(ctx, tx, id, d.refusal); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func writeRefusal(ctx context.Context, tx *sql.Tx, id string, r *refusalSeen) error {
	if r == nil {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE devices SET last_refusal_outcome = ?, last_refusal = ?,
		last_refusal_generation = ?, last_refusal_at = ? WHERE id = ?`,
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
	if !h.reportLimit.take(c.id, now) {
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
	if _, err := tx.ExecContext(ctx, `INSERT INTO reports(device_id, generation, outcome, error, at) VALUES (?, ?, ?, ?, ?)`,
		id, r.Generation, r.Outcome, r.Error, h.stamp()); err != nil {
		return err
	}
	applied := r.Outcome == hubproto.OutcomeApplied
	if _, err := tx.ExecContext(ctx, `DELETE FROM reports WHERE device_id = ? AND (outcome = 'applied') = ? AND id <
		(SELECT min(id) FROM (SELECT id FROM reports WHERE device_id = ? AND (outcome = 'applied') = ? ORDER BY id DESC LIMIT ?))`,
		id, applied, id, applied, keepReports); err != nil {
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
		FROM reports WHERE ? = '' OR device_id = ?)
		SELECT device_id, generation, outcome, error, at FROM ranked
		WHERE ? <> '' OR n <= ? OR (k = 1 AND outcome <> 'applied')
		ORDER BY id DESC LIMIT ?`, id, id, id, reportsPerDevice, limit)
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
