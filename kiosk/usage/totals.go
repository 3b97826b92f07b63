package usage

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"tramso/kiosk/store"
)

// Total is one anonymous daily total: how many sessions did something on a
// day (events, for events_dropped). A []Total, as JSON, is the payload the
// hub collects and what `tramso usage export --format json` prints.
type Total = store.UsageTotal

// maxDays bounds every walk over calendar days (export ranges, catching up on
// roll-ups after a wrong clock): ten years is more than any kiosk keeps.
const maxDays = 3660

// DailyTotals returns the daily totals for the calendar days from..to
// inclusive (days in from's location; clock time ignored), sorted by day,
// metric, key and step, leaving out every row whose count is below threshold.
// Days already rolled up are read from the daily table; later days are
// computed from the raw events, read-only. Today's totals are partial until
// the day ends.
func DailyTotals(ctx context.Context, db *sql.DB, from, to time.Time, threshold int) ([]Total, error) {
	return keptTotals(ctx, db, from, to, func(t Total) bool { return t.Count >= int64(threshold) })
}

// HubTotals are the daily totals a kiosk sends its province hub: those of
// DailyTotals, and each day's count of visits (sessions) whatever it is.
// How many people used the kiosk says nothing about what any of them did,
// and the province needs it to find the kiosks few people use; a small count
// of one procedure, hour or language could point at a person in a small
// commune, so those stay on the kiosk.
func HubTotals(ctx context.Context, db *sql.DB, from, to time.Time, threshold int) ([]Total, error) {
	return keptTotals(ctx, db, from, to, func(t Total) bool {
		return t.Count >= int64(threshold) || t.Metric == "sessions"
	})
}

// keptTotals are the totals of days from..to (in from's location) that keep.
func keptTotals(ctx context.Context, db *sql.DB, from, to time.Time, keep func(Total) bool) ([]Total, error) {
	all, err := totals(ctx, db, midnight(from), midnight(to.In(from.Location())))
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, t := range all {
		if keep(t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// totals gathers the unsuppressed totals of days from..to (midnights).
func totals(ctx context.Context, db *sql.DB, from, to time.Time) ([]Total, error) {
	if to.Before(from) {
		return nil, fmt.Errorf("usage totals: the end day %s is before the start day %s", dayString(to), dayString(from))
	}
	if to.Sub(from) > maxDays*24*time.Hour {
		return nil, fmt.Errorf("usage totals: at most %d days at once", maxDays)
	}
	through, err := store.UsageRolledThrough(ctx, db)
	if err != nil {
		return nil, err
	}
	out, err := store.UsageDaily(ctx, db, dayString(from), dayString(to))
	if err != nil {
		return nil, err
	}
	if first := nextDay(through, from.Location()); first.After(from) {
		from = first
	}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		counted, err := dayFromEvents(ctx, db, d)
		if err != nil {
			return nil, err
		}
		out = append(out, counted.totals()...)
	}
	slices.SortFunc(out, compareTotals)
	return out, nil
}

// sums adds up the totals of days from..to (midnights) by metric, key and
// step: SQL sums the rolled-up days; days not yet rolled up, up to countTo,
// are counted from their events. With metrics, only those.
func sums(ctx context.Context, db *sql.DB, from, to, countTo time.Time, metrics ...string) ([]Total, error) {
	through, err := store.UsageRolledThrough(ctx, db)
	if err != nil {
		return nil, err
	}
	// Days not rolled up hold only their drop count in the daily table, so
	// summing the whole range counts nothing twice.
	out, err := store.UsageDailySums(ctx, db, dayString(from), dayString(to), metrics...)
	if err != nil {
		return nil, err
	}
	if first := nextDay(through, from.Location()); first.After(from) {
		from = first
	}
	for d := from; !d.After(countTo) && !d.After(to); d = d.AddDate(0, 0, 1) {
		counted, err := dayFromEvents(ctx, db, d)
		if err != nil {
			return nil, err
		}
		for _, t := range counted.totals() {
			if len(metrics) == 0 || slices.Contains(metrics, t.Metric) {
				t.Day = ""
				out = append(out, t)
			}
		}
	}
	return out, nil
}

func compareTotals(a, b Total) int {
	if c := strings.Compare(a.Day, b.Day); c != 0 {
		return c
	}
	if c := strings.Compare(a.Metric, b.Metric); c != 0 {
		return c
	}
	if c := strings.Compare(a.Key, b.Key); c != 0 {
		return c
	}
	return a.Step - b.Step
}

// maintain rolls up every finished day not yet rolled up, then prunes the raw
// events older than retentionDays. Days are only pruned once rolled up, and
// rolled-up days are never computed again, so pruning loses no totals.
func maintain(ctx context.Context, db *sql.DB, now time.Time, loc *time.Location, retentionDays int) error {
	today := midnight(now.In(loc))
	through, err := store.UsageRolledThrough(ctx, db)
	if err != nil {
		return err
	}
	next := nextDay(through, loc)
	if through == "" {
		first, ok, err := store.FirstUsageMinute(ctx, db)
		if err != nil || !ok {
			return err
		}
		next = midnight(time.Unix(first*60, 0).In(loc))
	}
	if earliest := today.AddDate(0, 0, -maxDays); next.Before(earliest) {
		next = earliest
	}
	for d := next; d.Before(today); d = d.AddDate(0, 0, 1) {
		counted, err := dayFromEvents(ctx, db, d)
		if err != nil {
			return err
		}
		if err := store.ReplaceUsageDay(ctx, db, counted.name, counted.totals()); err != nil {
			return err
		}
	}
	_, err = store.PruneUsage(ctx, db, minuteOf(today.AddDate(0, 0, -retentionDays)))
	return err
}

// midnight is the start of t's calendar day in t's location.
func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

func dayString(t time.Time) string { return t.Format(time.DateOnly) }

func dayOf(t time.Time, loc *time.Location) string { return dayString(t.In(loc)) }

// nextDay is the midnight after day ("YYYY-MM-DD"); the zero time for "".
func nextDay(day string, loc *time.Location) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, day, loc)
	if err != nil {
		return time.Time{}
	}
	return t.AddDate(0, 0, 1)
}

// WriteCSV writes totals as CSV with a header line.
func WriteCSV(w io.Writer, totals []Total) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"day", "metric", "key", "step", "count", "seconds"})
	for _, t := range totals {
		_ = cw.Write([]string{t.Day, t.Metric, t.Key, strconv.Itoa(t.Step),
			strconv.FormatInt(t.Count, 10), strconv.FormatInt(t.Seconds, 10)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes totals as the hub's JSON payload (an array, [] when empty).
func WriteJSON(w io.Writer, totals []Total) error {
	if totals == nil {
		totals = []Total{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(totals)
}
