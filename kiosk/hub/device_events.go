package hub

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"

	"tramso/kiosk/hubproto"
)

// eventKinds name a kiosk's status changes as staff read them.
var eventKinds = map[string]string{
	"online":     "Kết nối với máy chủ",
	"offline":    "Mất kết nối",
	"generation": "Đổi nội dung",
	"error":      "Báo lỗi",
	"renamed":    "Đổi tên",
	"commune":    "Đổi xã",
	"wave":       "Đổi nhóm triển khai",
	"revoked":    "Bị thu hồi",
}

// execer is a database or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (h *Hub) deviceEvent(ctx context.Context, db execer, id, kind, detail, by string) error {
	_, err := db.ExecContext(ctx, `INSERT INTO device_events(device_id, at, kind, detail, by) VALUES (?, ?, ?, ?, ?)`,
		id, h.stamp(), kind, hubproto.Clip(detail, 500), by)
	return err
}

// presence remembers which kiosks were connected at the last flush. Online
// and offline events are found by comparing the connected set at each flush
// rather than written by the websocket code, so that a fleet reconnecting
// at once costs a few batched transactions, not a write per connection.
type presence struct {
	mu     sync.Mutex
	online map[string]bool
	pruned time.Time // when old events were last deleted
}

// Device history is kept for eventRetention and pruned at most every
// pruneEvery: a kiosk on a bad link may connect and drop many times a day.
const (
	eventRetention = 180 * 24 * time.Hour
	pruneEvery     = time.Hour
)

// duePrune says whether old events should be deleted now.
func (p *presence) duePrune(now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now.Sub(p.pruned) < pruneEvery {
		return false
	}
	p.pruned = now
	return true
}

// changes returns who connected and who left since the last call.
func (p *presence) changes(now []string) (came, left []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	next := make(map[string]bool, len(now))
	for _, id := range now {
		next[id] = true
		if !p.online[id] {
			came = append(came, id)
		}
	}
	for id := range p.online {
		if !next[id] {
			left = append(left, id)
		}
	}
	p.online = next
	return came, left
}

// recordPresence writes online/offline events for connections that came or
// went since the last flush, and now and then forgets old events.
func (h *Hub) recordPresence(ctx context.Context) error {
	if now := h.now(); h.presence.duePrune(now) {
		cutoff := now.Add(-eventRetention).Format(time.RFC3339)
		if _, err := h.DB.ExecContext(ctx, `DELETE FROM device_events WHERE at < ?`, cutoff); err != nil {
			return err
		}
	}
	conns := h.conns.snapshot()
	ids := make([]string, len(conns))
	for i, c := range conns {
		ids[i] = c.id
	}
	came, left := h.presence.changes(ids)
	if len(came)+len(left) == 0 {
		return nil
	}
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for kind, ids := range map[string][]string{"online": came, "offline": left} {
		for _, id := range ids {
			if err := h.deviceEvent(ctx, tx, id, kind, "", ""); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// noteStatus records, inside the flush's transaction, what a status changes
// for history: a new generation, a new error. It runs before the status is
// written, comparing with what the database still holds.
func (h *Hub) noteStatus(ctx context.Context, tx *sql.Tx, id string, gen int64, lastError string) error {
	at := h.stamp()
	if _, err := tx.ExecContext(ctx, `INSERT INTO device_events(device_id, at, kind, detail)
		SELECT id, ?, 'generation', CASE generation WHEN 0 THEN 'chưa có' ELSE generation END || ' → ' || ?
		FROM devices WHERE id = ? AND generation != ?`, // 0: the kiosk has not reported yet
		at, gen, id, gen); err != nil {
		return err
	}
	if lastError == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO device_events(device_id, at, kind, detail)
		SELECT id, ?, 'error', ? FROM devices WHERE id = ? AND last_error != ?`, at, hubproto.Clip(lastError, 500), id, lastError)
	return err
}

// noteEdits records what staff changed on a device (before → after).
func (h *Hub) noteEdits(ctx context.Context, before, after Device, by string) error {
	changes := []struct{ kind, old, new string }{
		{"renamed", before.Name, after.Name},
		{"commune", before.Commune, after.Commune},
		{"wave", waveLabel(before.Wave), waveLabel(after.Wave)},
	}
	for _, c := range changes {
		if c.old == c.new {
			continue
		}
		if err := h.deviceEvent(ctx, h.DB, after.ID, c.kind, c.old+" → "+c.new, by); err != nil {
			return err
		}
	}
	return nil
}

// waveLabel names a device's rollout group as staff read it.
func waveLabel(w sql.NullInt64) string {
	switch {
	case !w.Valid:
		return "mọi người"
	case w.Int64 == WaveTest:
		return "thử nghiệm"
	}
	return "đợt " + strconv.FormatInt(w.Int64, 10)
}

// HistoryEntry is one line of a kiosk's history: a status change or a report.
type HistoryEntry struct {
	At     string
	What   string
	Detail string
	By     string
}

// reportOutcomes name the outcomes of a kiosk's reports.
var reportOutcomes = map[string]string{
	"applied":     "Đã áp dụng nội dung",
	"rejected":    "Từ chối gói (không hợp lệ)",
	"failed":      "Cập nhật thất bại, sẽ thử lại",
	"rolled_back": "Nội dung mới lỗi, đã quay lại bản trước",
}

// History lists a kiosk's latest status changes and reports, newest first.
func (h *Hub) History(ctx context.Context, id string, limit int) ([]HistoryEntry, error) {
	rows, err := h.DB.QueryContext(ctx, `SELECT at, kind, detail, by FROM device_events
		WHERE device_id = ? ORDER BY id DESC LIMIT ?`, id, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []HistoryEntry
	for rows.Next() {
		var e HistoryEntry
		var kind string
		if err := rows.Scan(&e.At, &kind, &e.Detail, &e.By); err != nil {
			return nil, err
		}
		e.What = labelOr(eventKinds, kind)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	reports, err := h.Reports(ctx, id, limit)
	if err != nil {
		return nil, err
	}
	for _, r := range reports {
		out = append(out, HistoryEntry{At: r.At, What: labelOr(reportOutcomes, r.Outcome),
			Detail: joinDetail(fmt.Sprintf("thế hệ %d", r.Generation), r.Error)})
	}
	// RFC 3339 UTC stamps sort as text; stable keeps same-second events in order.
	sort.SliceStable(out, func(i, j int) bool { return out[i].At > out[j].At })
	return out[:min(len(out), limit)], nil
}

// labelOr is m[key], or key itself when the hub has no label for it.
func labelOr(m map[string]string, key string) string {
	if l, ok := m[key]; ok {
		return l
	}
	return key
}

func joinDetail(a, b string) string {
	if b == "" {
		return a
	}
	return a + ": " + b
}
