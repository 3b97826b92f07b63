package hub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"time"

	"tramso/kiosk/httpjson"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/store"
	"tramso/kiosk/usage"
)

// target is GET /api/device/target: the poll fallback for kiosks whose push
// was lost (or whose websocket cannot stay up).
func (h *Hub) target(w http.ResponseWriter, r *http.Request, d Device) {
	h.live.seen(d.ID, h.now())
	httpjson.Write(w, http.StatusOK, map[string]int64{"generation": h.targetFor(d.Wave)})
}

// serveManifest is GET /packs/{generation}/manifest.json and …/manifest.sig.
func (h *Hub) serveManifest(w http.ResponseWriter, r *http.Request, d Device) {
	gen, err := strconv.ParseInt(r.PathValue("generation"), 10, 64)
	if err != nil || hubproto.CheckGeneration(gen) != nil {
		httpjson.Error(w, http.StatusBadRequest, "bad_generation", "bad generation")
		return
	}
	col := map[string]string{"manifest.json": "manifest", "manifest.sig": "signatures"}[r.PathValue("file")]
	if col == "" {
		httpjson.Error(w, http.StatusNotFound, "no_such_file", "no such pack file")
		return
	}
	var body []byte
	// col is one of two fixed column names, never user text.
	if err := h.DB.QueryRowContext(r.Context(), `SELECT `+col+` FROM packs WHERE generation = $1`, gen).Scan(&body); err != nil {
		httpjson.Error(w, http.StatusNotFound, "no_such_generation", "no such generation")
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// serveBlob is GET /blobs/{sha256}, with Range: a kiosk whose link dropped
// asks for the rest of the blob, not the whole of it again.
func (h *Hub) serveBlob(w http.ResponseWriter, r *http.Request, d Device) {
	sha := r.PathValue("sha")
	f, _, mod, err := h.blobs.Open(r.Context(), sha)
	if errors.Is(err, os.ErrNotExist) {
		httpjson.Error(w, http.StatusNotFound, "no_such_blob", "no such blob")
		return
	} else if err != nil {
		h.log.Error("open blob", "sha", sha, "err", err)
		httpjson.Error(w, http.StatusInternalServerError, codeInternal, "cannot read blob")
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	// The name is the hash, so the bytes never change: If-Range with this
	// ETag always holds, and caches may keep it for good.
	w.Header().Set("ETag", `"`+sha+`"`)
	w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	http.ServeContent(&countingWriter{ResponseWriter: w, n: &h.BytesServed}, r, "", mod, f)
}

type countingWriter struct {
	http.ResponseWriter
	n interface{ Add(int64) int64 }
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer.
func (c *countingWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// Usage upload bounds. A kiosk sends the last 8 days every 6 hours, a few
// hundred totals; these leave room for a big content pack and a week offline.
const (
	maxUsageBody = 2 << 20
	maxUsageRows = 5000
	maxUsageDays = 31
)

// dayRe is a calendar day as kiosks and the console write it.
var dayRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// uploadUsage is POST /api/device/usage: a JSON array of daily totals (see
// kiosk/usage). Each day sent replaces what the hub held for that kiosk and
// day; days in the future or older than the hub keeps are skipped, and the
// answer (hubproto.UsageAnswer) says which. An upload that stores a total
// also records when (devices.usage_stored_at: the usage page's "Số liệu đến
// lúc"); one refused, or whose every day was skipped, leaves it as it was.
func (h *Hub) uploadUsage(w http.ResponseWriter, r *http.Request, d Device) {
	if !h.withinRate(w, r, &h.usageLimit, d, 300, "usage uploaded too often; a kiosk sends it every 6 hours") {
		return
	}
	var totals []store.UsageTotal
	if !httpjson.Decode(w, r, maxUsageBody, &totals) {
		return
	}
	kept, skipped, oldest, err := h.checkUsage(totals)
	if err != nil {
		status, code := http.StatusBadRequest, "bad_usage"
		if errors.Is(err, errTooManyTotals) {
			status, code = http.StatusRequestEntityTooLarge, httpjson.CodeTooLarge
		}
		httpjson.Error(w, status, code, err.Error())
		return
	}
	if err := h.storeUsage(r.Context(), d.ID, kept, oldest, h.stamp()); err != nil {
		h.log.Error("store usage", "device", d.ID, "err", err)
		httpjson.Error(w, http.StatusInternalServerError, codeInternal, "cannot store usage")
		return
	}
	h.live.seen(d.ID, h.now())
	httpjson.Write(w, http.StatusOK, hubproto.UsageAnswer{Stored: len(kept), Skipped: skipped})
}

var errTooManyTotals = fmt.Errorf("at most %d totals over %d days in one upload", maxUsageRows, maxUsageDays)

// checkUsage checks every total against the usage catalogue: a malformed
// one refuses the upload. Of well-formed totals it keeps those of calendar
// days the hub accepts (in the province, within the retention, not in the
// future) and names the other days as skipped. It returns the oldest day the
// hub keeps.
func (h *Hub) checkUsage(totals []store.UsageTotal) (kept []store.UsageTotal, skipped []hubproto.SkippedDay, oldest string, err error) {
	if len(totals) > maxUsageRows {
		return nil, nil, "", errTooManyTotals
	}
	today := h.now().In(h.opts.Location)
	newest := today.Format(time.DateOnly)
	oldest = today.AddDate(0, 0, -h.opts.UsageRetentionDays).Format(time.DateOnly)
	days := map[string]bool{}
	for i, t := range totals {
		day, err := time.Parse(time.DateOnly, t.Day)
		if !dayRe.MatchString(t.Day) || err != nil || day.Format(time.DateOnly) != t.Day {
			return nil, nil, "", fmt.Errorf("total %d: day must be a date, YYYY-MM-DD", i)
		}
		if err := usage.CheckTotal(t); err != nil {
			return nil, nil, "", fmt.Errorf("total %d: %w", i, err)
		}
		reason := skipReason(t.Day, newest, oldest)
		if reason == "" {
			kept = append(kept, t)
		} else if !days[t.Day] {
			skipped = append(skipped, hubproto.SkippedDay{Day: t.Day, Reason: reason})
		}
		days[t.Day] = true
	}
	if len(days) > maxUsageDays {
		return nil, nil, "", errTooManyTotals
	}
	return kept, skipped, oldest, nil
}

// skipReason says why the hub does not store day ("" when it does): newest
// is today in the province, oldest the first day it keeps.
func skipReason(day, newest, oldest string) string {
	switch {
	case day > newest:
		return hubproto.SkippedFuture
	case day < oldest:
		return hubproto.SkippedTooOld
	}
	return ""
}

// storeUsage replaces the device's totals of the days sent, drops its days
// older than the retention and, when it stores a total, records at as the
// time the device's figures were last stored.
func (h *Hub) storeUsage(ctx context.Context, id string, totals []store.UsageTotal, oldest, at string) error {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM usage_totals WHERE device_id = $1 AND day < $2`, id, oldest); err != nil {
		return err
	}
	days := map[string]bool{}
	for _, t := range totals {
		if !days[t.Day] {
			days[t.Day] = true
			if _, err := tx.ExecContext(ctx, `DELETE FROM usage_totals WHERE device_id = $1 AND day = $2`, id, t.Day); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO usage_totals(device_id, day, metric, key, step, count, seconds)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (device_id, day, metric, key, step)
			DO UPDATE SET count = excluded.count, seconds = excluded.seconds`,
			id, t.Day, t.Metric, t.Key, t.Step, t.Count, t.Seconds); err != nil {
			return err
		}
	}
	if len(totals) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE devices SET usage_stored_at = $1 WHERE id = $2`, at, id); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// UsageRow is one stored daily total with its kiosk.
type UsageRow struct {
	DeviceID, Name, Commune string
	store.UsageTotal
}

// Usage lists stored totals for days from..to (YYYY-MM-DD, inclusive).
func (h *Hub) Usage(ctx context.Context, from, to string) ([]UsageRow, error) {
	rows, err := h.DB.QueryContext(ctx, `SELECT u.device_id, d.name, d.commune, u.day, u.metric, u.key, u.step, u.count, u.seconds
		FROM usage_totals u JOIN devices d ON d.id = u.device_id
		WHERE u.day BETWEEN $1 AND $2 ORDER BY u.day, d.commune, d.name, u.metric, u.key, u.step`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []UsageRow
	for rows.Next() {
		var u UsageRow
		if err := rows.Scan(&u.DeviceID, &u.Name, &u.Commune, &u.Day, &u.Metric, &u.Key, &u.Step, &u.Count, &u.Seconds); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
