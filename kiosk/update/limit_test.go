package update

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"
)

func TestBackoffIsCappedAndJittered(t *testing.T) {
	lo, hi := time.Second, time.Minute
	seen := map[time.Duration]bool{}
	for attempt := 0; attempt < 40; attempt++ {
		for i := 0; i < 20; i++ {
			d := backoff(attempt, lo, hi)
			if d < lo/2 || d >= lo/2+hi {
				t.Fatalf("attempt %d: %v outside [%v, %v)", attempt, d, lo/2, lo/2+hi)
			}
			if ceiling := lo/2 + lo<<min(attempt, 20); attempt < 6 && d >= ceiling {
				t.Fatalf("attempt %d: %v not below %v", attempt, d, ceiling)
			}
			seen[d] = true
		}
	}
	if len(seen) < 100 {
		t.Fatalf("only %d distinct delays: no jitter", len(seen))
	}
}

// TestBucketCapsRate: reading through a 100 KB/s bucket cannot beat it. A
// lower bound only: a slow machine makes it slower, never faster.
func TestBucketCapsRate(t *testing.T) {
	const rate, size = 100_000, 60_000
	b := newBucket(rate)
	start := time.Now()
	n, err := io.Copy(io.Discard, &limitedReader{ctx: context.Background(), r: bytes.NewReader(make([]byte, size)), b: b})
	if err != nil || n != size {
		t.Fatal(n, err)
	}
	// The first burst (a quarter second's worth) is free.
	if min := time.Duration(float64(size-rate/4) / rate * float64(time.Second)); time.Since(start) < min {
		t.Fatalf("%d bytes in %v at %d B/s: want at least %v", size, time.Since(start), rate, min)
	}
	if err := (&bucket{}).take(context.Background(), 1<<30); err != nil {
		t.Fatal("an unlimited bucket waited")
	}
}

func TestHubURLs(t *testing.T) {
	cases := []struct{ in, base, ws string }{
		{"wss://hub.example/ws", "https://hub.example", "wss://hub.example/ws"},
		{"https://hub.example/", "https://hub.example", "wss://hub.example/ws"},
		{"ws://127.0.0.1:8090/ws", "http://127.0.0.1:8090", "ws://127.0.0.1:8090/ws"},
		{"http://localhost:8090", "http://localhost:8090", "ws://localhost:8090/ws"},
		{"wss://tinh.example/tramso/ws", "https://tinh.example/tramso", "wss://tinh.example/tramso/ws"},
	}
	for _, c := range cases {
		base, err := httpBase(c.in)
		ws, err2 := wsURL(c.in)
		if err != nil || err2 != nil || base != c.base || ws != c.ws {
			t.Errorf("%s: base %q ws %q (%v %v)", c.in, base, ws, err, err2)
		}
	}
	for _, bad := range []string{"ws://hub.example/ws", "http://10.0.0.1/", "ftp://hub.example"} {
		if _, err := httpBase(bad); err == nil {
			t.Errorf("%s accepted: plain text to a real network", bad)
		}
	}
}
