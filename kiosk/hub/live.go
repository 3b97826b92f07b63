package hub

import (
	"context"
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
}

func (l *liveState) seen(id string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	d := l.m[id]
	if d == nil {
		d = &deviceLive{}
		l.m[id] = d
	}
	d.lastSeen = now
}

func (l *liveState) status(id string, s hubproto.Status, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.m[id] = &deviceLive{lastSeen: now, status: &s}
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
			_, err = status.ExecContext(ctx, at, s.Generation, s.TargetGeneration, s.AppVersion, s.State,
				s.FreeDisk, s.LastError, id)
		} else {
			_, err = seen.ExecContext(ctx, at, id)
		}
		if err != nil {
			return err
		}
	}
	return tx.Commit()
}

// recordReport keeps a kiosk's report of an applied or refused generation.
func (h *Hub) recordReport(ctx context.Context, id string, r hubproto.Report) error {
	_, err := h.DB.ExecContext(ctx, `INSERT INTO reports(device_id, generation, outcome, error, at) VALUES (?, ?, ?, ?, ?)`,
		id, r.Generation, r.Outcome, r.Error, h.stamp())
	return err
}

// Report is one report from a kiosk.
type Report struct {
	DeviceID   string
	Generation int64
	Outcome    string
	Error      string
	At         string
}

// Reports returns the latest reports, newest first (all devices when id is "").
func (h *Hub) Reports(ctx context.Context, id string, limit int) ([]Report, error) {
	rows, err := h.DB.QueryContext(ctx, `SELECT device_id, generation, outcome, error, at FROM reports
		WHERE ? = '' OR device_id = ? ORDER BY id DESC LIMIT ?`, id, id, limit)
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
