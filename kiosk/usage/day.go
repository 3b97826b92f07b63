package usage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"time"

	"tramso/kiosk/store"
)

// day adds up one calendar day's raw events into its totals. It is the one
// definition of every metric: roll-ups, days not yet rolled up, and today's
// live figures are all counted by it.
type day struct {
	name     string // YYYY-MM-DD
	start    int64  // its first minute
	end      int64  // the next day's first minute
	sessions map[totalKey]map[int64]struct{}
	seconds  map[totalKey]int64
}

type totalKey struct {
	metric, key string
	step        int
}

func newDay(midnight time.Time) *day {
	return &day{name: dayString(midnight), start: minuteOf(midnight), end: minuteOf(midnight.AddDate(0, 0, 1)),
		sessions: map[totalKey]map[int64]struct{}{}, seconds: map[totalKey]int64{}}
}

func (d *day) count(k totalKey, session int64) {
	set := d.sessions[k]
	if set == nil {
		set = map[int64]struct{}{}
		d.sessions[k] = set
	}
	set[session] = struct{}{}
}

// add counts one event. Every count is of distinct sessions, so a resident
// who goes back and forth over a step counts once.
func (d *day) add(r store.UsageRow) {
	switch r.Type {
	case SessionStarted:
		d.count(totalKey{metric: "sessions"}, r.Session)
		d.count(totalKey{metric: "sessions_by_hour", key: fmt.Sprintf("%02d", min(max((r.Minute-d.start)/60, 0), 23))}, r.Session)
	case SessionEnded:
		k := totalKey{metric: "sessions_ended"}
		d.count(k, r.Session)
		d.seconds[k] += r.Value
	case Search:
		d.count(totalKey{metric: Search, key: r.Detail}, r.Session)
		if r.Item != "" {
			d.count(totalKey{metric: "search_chosen", key: r.Item}, r.Session)
		}
	default:
		d.count(totalKey{metric: r.Type, key: r.Item + r.Detail, step: r.Step}, r.Session)
	}
	switch r.Type {
	case StaffCalled:
		d.count(totalKey{metric: "sessions_assisted"}, r.Session)
	case AudioUsed:
		d.count(totalKey{metric: "sessions_audio"}, r.Session)
	}
}

// totals lists the day's totals in metric, key, step order.
func (d *day) totals() []Total {
	out := make([]Total, 0, len(d.sessions))
	for k, set := range d.sessions {
		out = append(out, Total{Day: d.name, Metric: k.metric, Key: k.key, Step: k.step, Count: int64(len(set)), Seconds: d.seconds[k]})
	}
	slices.SortFunc(out, compareTotals)
	return out
}

// dayFromEvents counts the raw events of the day starting at midnight.
func dayFromEvents(ctx context.Context, db *sql.DB, midnight time.Time) (*day, error) {
	d := newDay(midnight)
	err := store.UsageEvents(ctx, db, d.start, d.end, d.add)
	return d, err
}

// liveDay keeps today's totals up to date as batches are committed, so the
// staff figures for today never re-read the day's events. It is filled from
// the database on first use and whenever the day changes.
type liveDay struct {
	mu  sync.Mutex
	day *day // nil until loaded
}

// added counts committed rows; a row of another day drops the live figures,
// to be reloaded from the database on next use.
func (lv *liveDay) added(rows []store.UsageRow) {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	if lv.day == nil {
		return
	}
	for _, r := range rows {
		if r.Minute < lv.day.start || r.Minute >= lv.day.end {
			lv.day = nil
			return
		}
		lv.day.add(r)
	}
}

// todayTotals returns today's totals, loading them from the database when the
// live figures are missing or of another day.
func (l *Log) todayTotals(ctx context.Context, today time.Time) ([]Total, error) {
	l.live.mu.Lock()
	if d := l.live.day; d != nil && d.name == dayString(today) {
		defer l.live.mu.Unlock()
		return d.totals(), nil
	}
	l.live.mu.Unlock()
	// Hold off the writer while reading, so that no batch is both read here
	// and added as it commits.
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	d, err := dayFromEvents(ctx, l.db, today)
	if err != nil {
		return nil, err
	}
	l.live.mu.Lock()
	l.live.day = d
	l.live.mu.Unlock()
	return d.totals(), nil
}
