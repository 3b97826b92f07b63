package hub

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"tramso/kiosk/hubproto"
)

// eventKinds name a kiosk's status changes as staff read them.
var eventKinds = map[string]string{
	"online":     "Kết nối với máy chủ",
	"offline":    "Mất kết nối",
	"generation": "Đổi nội dung",
	"went_back":  "Quay lại nội dung trước (làm tại kiosk)",
	"error":      "Báo lỗi",
	"sound":      "Âm thanh",
	"window":     "Sự cố màn hình",
	"renamed":    "Đổi tên",
	"commune":    "Đổi xã",
	"wave":       "Đổi nhóm triển khai",
	"revoked":    "Bị thu hồi",
	"shared":     "Hai máy dùng chung một đăng ký",
}

// execer is a database or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (h *Hub) deviceEvent(ctx context.Context, db execer, id, kind, detail, by string) error {
	_, err := db.ExecContext(ctx, `INSERT INTO device_events(device_id, at, kind, detail, by) VALUES ($1, $2, $3, $4, $5)`,
		id, h.stamp(), kind, hubproto.Clip(detail, 500), by)
	return err
}

// noteStatus records, inside the flush's transaction, what a status changes
// for history: a new generation, a new error. It runs before the status is
// written, comparing with what the database still holds. noteStatuses is
// the same for many devices at once.
func noteStatus(ctx context.Context, tx *sql.Tx, id string, gen int64, lastError, at string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO device_events(device_id, at, kind, detail)
		SELECT id, $1, `+generationKind("$4")+`, `+generationFrom+` || ' → ' || $2
		FROM devices WHERE id = $3 AND generation != $4`,
		at, generationText(gen), id, gen); err != nil { // text for text: PostgreSQL converts neither way
		return err
	}
	if lastError == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO device_events(device_id, at, kind, detail)
		SELECT id, $1, 'error', $2 FROM devices WHERE id = $3 AND last_error != $4`, at, hubproto.Clip(lastError, 500), id, lastError)
	return err
}

// generationKind is a generation event's kind, in SQL over the devices row
// before the status is written, next being the new generation. Generations
// only grow at the hub, even a rollback (publish.go signs the old content
// anew), so a kiosk whose generation falls went back at the kiosk: staff's
// "Quay lại bản trước".
func generationKind(next string) string {
	return `CASE WHEN ` + next + ` < generation THEN 'went_back' ELSE 'generation' END`
}

// generationFrom is the event's "from" side, in SQL over the same row.
const (
	generationFrom = `CASE WHEN app_version = '' THEN 'chưa báo' WHEN generation = 0 THEN '` + builtinText +
		`' ELSE CAST(generation AS TEXT) END`
	builtinText = "nội dung có sẵn"
)

// generationText is a generation as history shows it: 0 is the content
// built into the app.
func generationText(gen int64) string {
	if gen == 0 {
		return builtinText
	}
	return strconv.FormatInt(gen, 10)
}

// noteStatuses records, inside the flush's transaction, what statuses
// change for history: a new generation, a new error. It runs before the
// statuses are written, comparing with what the database still holds; rows
// is statusRows' VALUES list, args its parameters.
func noteStatuses(ctx context.Context, tx *sql.Tx, rows string, args []any) error {
	// 0: the kiosk has not reported yet. v.column8 is the generation as
	// text: PostgreSQL concatenates no number to text. CROSS JOIN makes
	// SQLite look each device up by id rather than scan the VALUES for each
	// device; PostgreSQL plans it as any join.
	if _, err := tx.ExecContext(ctx, `INSERT INTO device_events(device_id, at, kind, detail)
		SELECT d.id, v.column9, `+generationKind("v.column3")+`, `+generationFrom+` || ' → ' || v.column8
		FROM (VALUES `+rows+`) AS v CROSS JOIN devices d
		WHERE d.id = v.column1 AND d.generation != v.column3 ORDER BY d.id`, args...); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO device_events(device_id, at, kind, detail)
		SELECT d.id, v.column9, 'error', v.column10
		FROM (VALUES `+rows+`) AS v CROSS JOIN devices d
		WHERE d.id = v.column1 AND v.column7 <> '' AND d.last_error != v.column7 ORDER BY d.id`, args...)
	return err
}

// noteEdits records what staff changed on a device (before → after).
func (h *Hub) noteEdits(ctx context.Context, before, after Device, by string) error {
	for _, c := range deviceEdits(before, after) {
		if err := h.deviceEvent(ctx, h.DB, after.ID, c.kind, c.old+" → "+c.new, by); err != nil {
			return err
		}
	}
	return nil
}

// deviceEdit is one field an edit changed, with its label in the console.
type deviceEdit struct{ kind, label, old, new string }

// deviceEdits are the fields that differ between before and after.
func deviceEdits(before, after Device) []deviceEdit {
	var out []deviceEdit
	for _, c := range []deviceEdit{
		{"renamed", "tên", before.Name, after.Name},
		{"commune", "xã", before.Commune, after.Commune},
		{"wave", "nhóm", waveLabel(before.Wave), waveLabel(after.Wave)},
	} {
		if c.old != c.new {
			out = append(out, c)
		}
	}
	return out
}

// describeEdits is the audit log's line for an edit: the device as it is
// now, then each change ("Nhà văn hoá thôn 3 (id): tên: A → B; nhóm: …").
func describeEdits(before, after Device) string {
	line := after.Name + " (" + after.ID + ")"
	var parts []string
	for _, c := range deviceEdits(before, after) {
		parts = append(parts, c.label+": "+c.old+" → "+c.new)
	}
	if len(parts) == 0 {
		return line + ": không đổi gì"
	}
	return line + ": " + strings.Join(parts, "; ")
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
		WHERE device_id = $1 ORDER BY id DESC LIMIT $2`, id, limit)
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
