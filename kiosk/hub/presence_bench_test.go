package hub

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tramso/kiosk/pgtest"
)

// BenchmarkPresenceFlush measures the presence part of a live-state flush
// at fleet scale (TRAMSO_BENCH_KIOSKS, default 10,000), on both databases:
// "fleet-connects" is the flush after the whole fleet connected at once
// (each kiosk claimed, an online event each), "quiet" a flush when nothing
// changed (the sweeps only: what every hub pays every FlushEvery).
//
//	go test ./kiosk/hub -run '^$' -bench PresenceFlush -benchtime 3x
func BenchmarkPresenceFlush(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			opts := Options{Dir: b.TempDir(), FlushEvery: time.Hour} // Run's own flush stays out of the way
			if db == "postgres" {
				opts.Database = pgtest.DSN(b)
			}
			benchPresence(b, runTestHub(b, opts), benchKiosks())
		})
	}
}

func benchPresence(b *testing.B, h *Hub, n int) {
	ctx := context.Background()
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		if _, err := tx.ExecContext(ctx, `INSERT INTO devices(id, token_hash, name, enrolled_at) VALUES ($1, '', '', '')`,
			fmt.Sprintf("k%06d", i)); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	var connects, quiet time.Duration
	for b.Loop() {
		b.StopTimer()
		if _, err := h.DB.ExecContext(ctx, `UPDATE devices SET presence = '', connected_hub = NULL`); err != nil {
			b.Fatal(err)
		}
		h.presence.committed(nil, time.Time{})
		h.conns.mu.Lock()
		for i := range n {
			id := fmt.Sprintf("k%06d", i)
			h.conns.m[id] = &conn{id: id}
		}
		h.conns.mu.Unlock()
		b.StartTimer()
		start := time.Now()
		if err := h.recordPresence(ctx); err != nil {
			b.Fatal(err)
		}
		connects += time.Since(start)
		start = time.Now()
		if err := h.recordPresence(ctx); err != nil {
			b.Fatal(err)
		}
		quiet += time.Since(start)
		b.StopTimer()
		h.conns.mu.Lock()
		clear(h.conns.m)
		h.conns.mu.Unlock()
		b.StartTimer()
	}
	b.ReportMetric(float64(connects.Milliseconds())/float64(b.N), "ms/fleet-connects-flush")
	b.ReportMetric(float64(quiet.Microseconds())/1000/float64(b.N), "ms/quiet-flush")
	b.ReportMetric(float64(n), "kiosks")
}
