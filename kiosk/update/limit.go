package update

import (
	"context"
	"io"
	"sync"
	"time"
)

// bucket is a token bucket of bytes per second: the kiosk shares a weak
// link with the cultural house, so downloads may be capped.
type bucket struct {
	mu     sync.Mutex
	rate   float64 // bytes per second; 0 = no cap
	burst  float64
	tokens float64
	last   time.Time
}

func newBucket(bytesPerSecond int64) *bucket {
	b := &bucket{rate: float64(bytesPerSecond), last: time.Now()}
	b.burst = max(b.rate/4, 4096) // a quarter second of traffic at most in one go
	b.tokens = b.burst
	return b
}

// take waits until n bytes may pass (n is at most the burst).
func (b *bucket) take(ctx context.Context, n int) error {
	if b == nil || b.rate <= 0 {
		return nil
	}
	b.mu.Lock()
	now := time.Now()
	b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	b.tokens -= float64(n)
	wait := time.Duration(0)
	if b.tokens < 0 {
		wait = time.Duration(-b.tokens / b.rate * float64(time.Second))
	}
	b.mu.Unlock()
	if wait == 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// limitedReader reads through the bucket.
type limitedReader struct {
	ctx context.Context
	r   io.Reader
	b   *bucket
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.b != nil && l.b.rate > 0 && len(p) > int(l.b.burst) {
		p = p[:int(l.b.burst)]
	}
	n, err := l.r.Read(p)
	if n > 0 {
		if werr := l.b.take(l.ctx, n); werr != nil {
			return n, werr
		}
	}
	return n, err
}
