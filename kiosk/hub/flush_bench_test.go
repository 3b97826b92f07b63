package hub

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tramso/kiosk/hubproto"
)

// BenchmarkWriteLive measures one flush of live state for 10,000 kiosks:
// heartbeats only, then a status from each (as after an announcement). On
// PostgreSQL (TRAMSO_HUB_TEST_DB=postgres) every statement is a round trip,
// which is why writeLive batches.
//
//	go test ./kiosk/hub -run '^$' -bench WriteLive -benchtime 5x
func BenchmarkWriteLive(b *testing.B) {
	h := runTestHub(b, Options{FlushEvery: time.Hour})
	const kiosks = 10000
	ids := make([]string, kiosks)
	tx, err := h.DB.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for i := range ids {
		ids[i] = fmt.Sprintf("k%05d", i)
		if _, err := tx.Exec(`INSERT INTO devices(id, token_hash, name, enrolled_at) VALUES ($1, 'x', $1, $2)`,
			ids[i], h.stamp()); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	for _, kind := range []string{"seen", "status"} {
		b.Run(kind, func(b *testing.B) {
			for n := range b.N {
				b.StopTimer()
				for _, id := range ids {
					if kind == "seen" {
						h.live.seen(id, time.Now())
					} else {
						h.live.status(id, hubproto.Status{Generation: int64(n + 1), State: hubproto.StateIdle}, time.Now())
					}
				}
				pending := h.live.take()
				b.StartTimer()
				if err := h.writeLive(context.Background(), pending); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
