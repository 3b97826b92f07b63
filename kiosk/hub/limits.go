package hub

import (
	"sync"
	"time"
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

// deviceBuckets holds one bucket per device, so reconnecting does not refill
// it. Only enrolled devices get one, so the map is as big as the fleet.
type deviceBuckets struct {
	rate rate
	mu   sync.Mutex
	m    map[string]*bucket
}

func (d *deviceBuckets) take(id string, now time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.m == nil {
		d.m = map[string]*bucket{}
	}
	b := d.m[id]
	if b == nil {
		b = &bucket{}
		d.m[id] = b
	}
	return b.take(now, d.rate)
}

// Limits on what one device may send. A kiosk reports once per attempt at a
// generation (retries back off to minutes), sends a status on each change
// and a usage upload every 6 hours.
var (
	// frameRate bounds all frames on one websocket, pings included: a
	// download sends a status per chunk, a few a second at most.
	frameRate = rate{perSecond: 20, burst: 400}
	// reportRate bounds stored reports per device.
	reportRate = rate{perSecond: 1.0 / 30, burst: 10}
	// usageRate bounds usage uploads per device.
	usageRate = rate{perSecond: 1.0 / 300, burst: 12}
)

// keepReports is how many reports the hub keeps per device and kind
// (applied, or a problem): a flood of one kind never evicts the other.
const keepReports = 50
