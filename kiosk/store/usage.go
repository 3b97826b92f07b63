package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// UsageRow is one anonymous usage event as stored in usage_events. The usage
// package decides what goes into each column; see migrations/0002_usage.sql.
type UsageRow struct {
	Minute  int64 // Unix time / 60, UTC
	Session int64
	Type    string
	Item    string
	Detail  string
	Step    int
	Value   int64
}

// UsageTotal is one row of the daily totals: how many sessions (or events, for
// events_dropped) did something on a day. It is also the hub's payload.
type UsageTotal struct {
	Day     string `json:"day"`
	Metric  string `json:"metric"`
	Key     string `json:"key,omitempty"`
	Step    int    `json:"step,omitempty"`
	Count   int64  `json:"count"`
	Seconds int64  `json:"seconds,omitempty"`
}

// MetricDropped counts events the kiosk dropped instead of writing. It is
// written as drops happen, not by the roll-up, so a roll-up keeps it.
const MetricDropped = "events_dropped"

// metaRolledThrough is the meta key holding the last day rolled up.
const metaRolledThrough = "usage.rolled_through"

// usageChunk rows go into one INSERT: far fewer calls into SQLite than one
// statement per row, which is what makes ingest fast.
const usageChunk = 128

var insertUsageChunk = insertUsageSQL(usageChunk)

func insertUsageSQL(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO usage_events(minute, session, type, item, detail, step, value) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?)")
	}
	return b.String()
}

// WriteUsage stores a batch of events and adds dropped to the day's
// events_dropped total, all in one transaction: a crash keeps all or none.
func WriteUsage(ctx context.Context, db *sql.DB, rows []UsageRow, dropDay string, dropped int64) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("write usage: %w", err)
	}
	defer tx.Rollback()
	if err := insertUsage(ctx, tx, rows); err != nil {
		return fmt.Errorf("write usage: %w", err)
	}
	if dropped > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO usage_daily(day, metric, key, step, count) VALUES (?, ?, '', 0, ?)
			ON CONFLICT(day, metric, key, step) DO UPDATE SET count = count + excluded.count`,
			dropDay, MetricDropped, dropped); err != nil {
			return fmt.Errorf("write usage drops: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("write usage: %w", err)
	}
	return nil
}

func insertUsage(ctx context.Context, tx *sql.Tx, rows []UsageRow) error {
	args := make([]any, 0, 7*usageChunk)
	var chunk *sql.Stmt
	for len(rows) > 0 {
		n := min(len(rows), usageChunk)
		args = args[:0]
		for _, r := range rows[:n] {
			args = append(args, r.Minute, r.Session, r.Type, r.Item, r.Detail, r.Step, r.Value)
		}
		var err error
		if n == usageChunk {
			if chunk == nil {
				if chunk, err = tx.PrepareContext(ctx, insertUsageChunk); err != nil {
					return err
				}
				defer chunk.Close()
			}
			_, err = chunk.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, insertUsageSQL(n), args...)
		}
		if err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// UsageEvents calls fn with every raw event of minutes start (inclusive) to
// end (exclusive).
//
// Events are written in time order, so a day's rows sit together: the minute
// index gives the first and last rowid of the range, and the table is read
// straight through between them (the minute test keeps it exact even if the
// clock was ever set back), instead of one index lookup per row.
func UsageEvents(ctx context.Context, db *sql.DB, start, end int64, fn func(UsageRow)) error {
	rows, err := db.QueryContext(ctx, `SELECT minute, session, type, item, detail, step, value FROM usage_events
		WHERE rowid BETWEEN (SELECT min(rowid) FROM usage_events WHERE minute >= ?1 AND minute < ?2)
		                AND (SELECT max(rowid) FROM usage_events WHERE minute >= ?1 AND minute < ?2)
		  AND minute >= ?1 AND minute < ?2`, start, end)
	if err != nil {
		return fmt.Errorf("read usage events: %w", err)
	}
	defer rows.Close()
	var r UsageRow
	for rows.Next() {
		if err := rows.Scan(&r.Minute, &r.Session, &r.Type, &r.Item, &r.Detail, &r.Step, &r.Value); err != nil {
			return fmt.Errorf("read usage events: %w", err)
		}
		fn(r)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read usage events: %w", err)
	}
	return nil
}

// ReplaceUsageDay stores totals as day's daily totals, replacing any (but
// the drop count, which was counted as drops happened), and records day as
// rolled up, in one transaction.
func ReplaceUsageDay(ctx context.Context, db *sql.DB, day string, totals []UsageTotal) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("roll up usage of %s: %w", day, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM usage_daily WHERE day = ? AND metric <> ?`, day, MetricDropped); err != nil {
		return fmt.Errorf("roll up usage of %s: %w", day, err)
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO usage_daily(day, metric, key, step, count, seconds) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("roll up usage of %s: %w", day, err)
	}
	defer ins.Close()
	for _, t := range totals {
		if t.Metric == MetricDropped {
			continue
		}
		if _, err := ins.ExecContext(ctx, day, t.Metric, t.Key, t.Step, t.Count, t.Seconds); err != nil {
			return fmt.Errorf("roll up usage of %s: %w", day, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, metaRolledThrough, day); err != nil {
		return fmt.Errorf("roll up usage of %s: %w", day, err)
	}
	return tx.Commit()
}

// UsageRolledThrough returns the last day rolled up ("YYYY-MM-DD"), or "".
func UsageRolledThrough(ctx context.Context, db *sql.DB) (string, error) {
	var day string
	err := db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaRolledThrough).Scan(&day)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("usage roll-up state: %w", err)
	}
	return day, nil
}

// FirstUsageMinute returns the minute of the oldest raw event kept, if any.
func FirstUsageMinute(ctx context.Context, db *sql.DB) (int64, bool, error) {
	var m sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT min(minute) FROM usage_events`).Scan(&m); err != nil {
		return 0, false, fmt.Errorf("oldest usage event: %w", err)
	}
	return m.Int64, m.Valid, nil
}

// UsageDaily returns the stored daily totals of days from..to inclusive
// ("YYYY-MM-DD"), in day, metric, key, step order.
func UsageDaily(ctx context.Context, db *sql.DB, from, to string) ([]UsageTotal, error) {
	rows, err := db.QueryContext(ctx, `SELECT day, metric, key, step, count, seconds FROM usage_daily
		WHERE day >= ? AND day <= ? ORDER BY day, metric, key, step`, from, to)
	if err != nil {
		return nil, fmt.Errorf("usage daily totals: %w", err)
	}
	defer rows.Close()
	var out []UsageTotal
	for rows.Next() {
		var t UsageTotal
		if err := rows.Scan(&t.Day, &t.Metric, &t.Key, &t.Step, &t.Count, &t.Seconds); err != nil {
			return nil, fmt.Errorf("usage daily totals: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("usage daily totals: %w", err)
	}
	return out, nil
}

// UsageDailySums adds up the stored daily totals of days from..to inclusive
// by metric, key and step (Day is left empty). With metrics, only those.
func UsageDailySums(ctx context.Context, db *sql.DB, from, to string, metrics ...string) ([]UsageTotal, error) {
	q := `SELECT metric, key, step, sum(count), sum(seconds) FROM usage_daily WHERE day >= ? AND day <= ?`
	args := []any{from, to}
	if len(metrics) > 0 {
		q += ` AND metric IN (?` + strings.Repeat(`, ?`, len(metrics)-1) + `)`
		for _, m := range metrics {
			args = append(args, m)
		}
	}
	rows, err := db.QueryContext(ctx, q+` GROUP BY metric, key, step`, args...)
	if err != nil {
		return nil, fmt.Errorf("usage sums: %w", err)
	}
	defer rows.Close()
	var out []UsageTotal
	for rows.Next() {
		var t UsageTotal
		if err := rows.Scan(&t.Metric, &t.Key, &t.Step, &t.Count, &t.Seconds); err != nil {
			return nil, fmt.Errorf("usage sums: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("usage sums: %w", err)
	}
	return out, nil
}

// PruneUsage deletes raw events older than minute and reports how many went.
func PruneUsage(ctx context.Context, db *sql.DB, before int64) (int64, error) {
	res, err := db.ExecContext(ctx, `DELETE FROM usage_events WHERE minute < ?`, before)
	if err != nil {
		return 0, fmt.Errorf("prune usage events: %w", err)
	}
	return res.RowsAffected()
}

// IsStorageFailure reports whether err means the database cannot take writes
// for now — disk full, read-only, I/O error, corruption — as opposed to a
// mistake in one statement. Callers stop writing rather than retry in a loop.
func IsStorageFailure(err error) bool {
	switch primaryCode(err) {
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CORRUPT,
		sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
		return true
	}
	return false
}

// IsBusy reports whether err means another connection held the database's
// lock past the busy timeout (a technician's sqlite3 session, a backup): a
// state that passes, so callers keep what they meant to write and try again.
func IsBusy(err error) bool {
	c := primaryCode(err)
	return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
}

// primaryCode is SQLite's primary result code in err (the low byte of an
// extended one), or 0 (SQLITE_OK) when err is no SQLite error.
func primaryCode(err error) int {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return 0
	}
	return se.Code() & 0xff
}
