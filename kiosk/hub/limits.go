package hub

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"tramso/kiosk/httpjson"
)

// bucket is a token bucket: burst tokens at most, refilled at rate per
// second. A kiosk's normal traffic stays far below every bucket; a device
// token in the wrong hands cannot turn the hub's disk or log into its own.
type bucket struct {
	tokens float64
	last   time.Time
}

// rate is how fast a bucket refills and how much it holds.
type rate struct {
	perSecond float64
	burst     float64
}

// take spends one token if there is one.
func (b *bucket) take(now time.Time, r rate) bool {
	if b.last.IsZero() {
		b.tokens = r.burst
	} else if d := now.Sub(b.last).Seconds(); d > 0 {
		b.tokens = min(r.burst, b.tokens+d*r.perSecond)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// deviceBuckets holds one bucket per device in the database
// (device_buckets), so reconnecting does not refill it, and neither does
// talking to another hub: a device token is one kiosk, on one hub at a time,
// but a stolen one could use every hub of the province at once. The cost is
// one conditional upsert per report or usage upload, both of which write to
// the database anyway (a report is stored once per attempt at a generation,
// usage every 6 hours); only enrolled devices get a row, so the table is as
// big as the fleet. The frame limit on a websocket stays in memory
// (conn.received): it guards one connection, and costs no write per frame.
type deviceBuckets struct {
	db   *sql.DB
	kind string // "report", "usage"
	rate rate
}

// take spends one of device id's tokens if it has one.
func (d *deviceBuckets) take(ctx context.Context, id string, now time.Time) (bool, error) {
	var left float64
	err := d.db.QueryRowContext(ctx, takeSQL, id, d.kind, d.rate.burst, now.UnixMilli(), d.rate.perSecond/1000).Scan(&left)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("%s limit of device %s: %w", d.kind, id, err)
	}
	return true, nil
}

// takeSQL is bucket.take in one statement ($1 device, $2 kind, $3 burst, $4
// now in unix milliseconds, $5 refill per millisecond): a new bucket starts
// full; otherwise it refills for the time since the last take, up to the
// burst, and gives a token if it holds one. No row comes back when it is
// empty (and then nothing changes: refilling later from the same last take
// gives the same tokens). The casts fix the parameters' types for PostgreSQL.
const takeSQL = `INSERT INTO device_buckets(device_id, kind, tokens, last_ms)
	VALUES ($1, $2, CAST($3 AS DOUBLE PRECISION) - 1, CAST($4 AS BIGINT))
	ON CONFLICT (device_id, kind) DO UPDATE SET
		tokens = CASE WHEN ` + refilled + ` > CAST($3 AS DOUBLE PRECISION) THEN CAST($3 AS DOUBLE PRECISION)
			ELSE ` + refilled + ` END - 1,
		last_ms = CAST($4 AS BIGINT)
	WHERE ` + refilled + ` >= 1
	RETURNING tokens`

const refilled = `(device_buckets.tokens + (CASE WHEN CAST($4 AS BIGINT) > device_buckets.last_ms
	THEN CAST($4 AS BIGINT) - device_buckets.last_ms ELSE 0 END) * CAST($5 AS DOUBLE PRECISION))`

// Limits on what one device may send. A kiosk reports once per attempt at a
// generation (retries back off to minutes), sends a status on each change,
// a usage upload every 6 hours and its sound state on connecting and when it
// changes.
var (
	// frameRate bounds all frames on one websocket, pings included: a
	// download sends a status per chunk, a few a second at most.
	frameRate = rate{perSecond: 20, burst: 400}
	// reportRate bounds stored reports per device.
	reportRate = rate{perSecond: 1.0 / 30, burst: 10}
	// usageRate bounds usage uploads per device.
	usageRate = rate{perSecond: 1.0 / 300, burst: 12}
	// soundRate bounds sound states per device: one on connecting and one
	// per change (the page froze, staff turned sound on or off).
	soundRate = rate{perSecond: 1.0 / 60, burst: 10}
	// incidentRate bounds batches of window incidents per device: one on
	// connecting and one per incident, which the window allows once a
	// minute before it leaves the kiosk to systemd.
	incidentRate = rate{perSecond: 1.0 / 60, burst: 10}
)

// keepReports is how many reports the hub keeps per device and kind
// (applied, or a problem): a flood of one kind never evicts the other.
const keepReports = 50

// withinRate spends one of device d's tokens in b, or answers why not: 429 with
// Retry-After (seconds) and tooOften when b is empty, 500 when it cannot be
// read.
func (h *Hub) withinRate(w http.ResponseWriter, r *http.Request, b *deviceBuckets, d Device, retryAfter int, tooOften string) bool {
	ok, err := b.take(r.Context(), d.ID, h.now())
	if err != nil {
		h.log.Error("device rate unreadable; request refused", "device", d.ID, "kind", b.kind, "err", err)
		httpjson.Error(w, http.StatusInternalServerError, codeInternal, "cannot check the device's rate")
		return false
	}
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		httpjson.Error(w, http.StatusTooManyRequests, codeTooOften, tooOften)
	}
	return ok
}
