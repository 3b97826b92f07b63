package hub

import (
	"context"
	"errors"
	"net/http"
	"os"
	"regexp"
	"strconv"

	"tramso/kiosk/store"
)

// target is GET /api/device/target: the poll fallback for kiosks whose push
// was lost (or whose websocket cannot stay up).
func (h *Hub) target(w http.ResponseWriter, r *http.Request, d Device) {
	h.live.seen(d.ID, h.now())
	writeJSON(w, http.StatusOK, map[string]int64{"generation": h.targetFor(d.Wave)})
}

// serveManifest is GET /packs/{generation}/manifest.json and …/manifest.sig.
func (h *Hub) serveManifest(w http.ResponseWriter, r *http.Request, d Device) {
	gen, err := strconv.ParseInt(r.PathValue("generation"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad generation")
		return
	}
	col := map[string]string{"manifest.json": "manifest", "manifest.sig": "signatures"}[r.PathValue("file")]
	if col == "" {
		writeError(w, http.StatusNotFound, "no such pack file")
		return
	}
	var body []byte
	// col is one of two fixed column names, never user text.
	if err := h.DB.QueryRowContext(r.Context(), `SELECT `+col+` FROM packs WHERE generation = ?`, gen).Scan(&body); err != nil {
		writeError(w, http.StatusNotFound, "no such generation")
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
		writeError(w, http.StatusNotFound, "no such blob")
		return
	} else if err != nil {
		h.log.Error("open blob", "sha", sha, "err", err)
		writeError(w, http.StatusInternalServerError, "cannot read blob")
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

// maxUsageBody bounds one upload: a kiosk sends at most a few days at a time.
const maxUsageBody = 2 << 20

var (
	dayRe    = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	metricRe = regexp.MustCompile(`^[a-z_]{1,40}$`)
)

// uploadUsage is POST /api/device/usage: a JSON array of daily totals (see
// kiosk/usage). Each day sent replaces what the hub held for that kiosk and day.
func (h *Hub) uploadUsage(w http.ResponseWriter, r *http.Request, d Device) {
	var totals []store.UsageTotal
	if err := decodeStrict(http.MaxBytesReader(w, r.Body, maxUsageBody), &totals); err != nil {
		writeError(w, http.StatusBadRequest, "body must be a JSON array of daily totals: "+err.Error())
		return
	}
	for i, t := range totals {
		if !dayRe.MatchString(t.Day) || !metricRe.MatchString(t.Metric) || len(t.Key) > 120 ||
			checkLabel("key", t.Key) != nil || t.Step < 0 || t.Step > 1000 || t.Count < 0 || t.Seconds < 0 {
			writeError(w, http.StatusBadRequest, "total "+strconv.Itoa(i)+" is not valid")
			return
		}
	}
	if err := h.storeUsage(r.Context(), d.ID, totals); err != nil {
		h.log.Error("store usage", "device", d.ID, "err", err)
		writeError(w, http.StatusInternalServerError, "cannot store usage")
		return
	}
	h.live.seen(d.ID, h.now())
	writeJSON(w, http.StatusOK, map[string]int{"stored": len(totals)})
}

func (h *Hub) storeUsage(ctx context.Context, id string, totals []store.UsageTotal) error {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	days := map[string]bool{}
	for _, t := range totals {
		if !days[t.Day] {
			days[t.Day] = true
			if _, err := tx.ExecContext(ctx, `DELETE FROM usage_totals WHERE device_id = ? AND day = ?`, id, t.Day); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO usage_totals(device_id, day, metric, key, step, count, seconds)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET count = excluded.count, seconds = excluded.seconds`,
			id, t.Day, t.Metric, t.Key, t.Step, t.Count, t.Seconds); err != nil {
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
		WHERE u.day BETWEEN ? AND ? ORDER BY u.day, d.commune, d.name, u.metric, u.key, u.step`, from, to)
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
