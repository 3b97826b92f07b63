package station

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"tramso/kiosk/hours"
)

// steppedClock shows each of its times to one reading, in order, then
// stays on the last: the loop sees every step whatever the machine's speed.
type steppedClock struct {
	mu    sync.Mutex
	times []time.Time
}

func (c *steppedClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.times[0]
	if len(c.times) > 1 {
		c.times = c.times[1:]
	}
	return t
}

// drained reports whether the last time has been reached.
func (c *steppedClock) drained() bool { c.mu.Lock(); defer c.mu.Unlock(); return len(c.times) == 1 }

func TestDailyRestartFollowsTheWallClock(t *testing.T) {
	vn := hours.Vietnam
	day := func(hh, mm int) time.Time { return time.Date(2026, 11, 23, hh, mm, 0, 0, vn) }
	cases := []struct {
		name    string
		start   time.Time
		moves   []time.Time // wall clock after start, in order
		restart bool
	}{
		{"restarts at 17:30", day(17, 0), []time.Time{day(17, 29), day(17, 30)}, true},
		{"not before", day(17, 0), []time.Time{day(17, 29)}, false},
		{"started after 17:30 waits for tomorrow", day(17, 31), []time.Time{day(23, 0)}, false},
		// A kiosk booted with a dead clock battery, then corrected by NTP.
		{"a clock corrected by days reschedules", time.Date(2020, 1, 1, 8, 0, 0, 0, vn), []time.Time{day(9, 0)}, false},
		{"and then restarts at the right time", time.Date(2020, 1, 1, 8, 0, 0, 0, vn), []time.Time{day(9, 0), day(17, 30)}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clock := &steppedClock{times: append([]time.Time{c.start}, c.moves...)}
			restarted := make(chan struct{}, 1)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			go func() {
				dailyRestart(ctx, log, 17*60+30, vn, clock.now, func() { restarted <- struct{}{} }, time.Millisecond)
				close(done)
			}()
			if c.restart {
				select {
				case <-restarted:
				case <-time.After(30 * time.Second):
					t.Fatal("no restart")
				}
				<-done
				cancel()
				return
			}
			for !clock.drained() {
				time.Sleep(time.Millisecond)
			}
			time.Sleep(10 * time.Millisecond) // one more look at the last time
			cancel()
			<-done
			select {
			case <-restarted:
				t.Fatal("restarted, but should not have")
			default:
			}
		})
	}
}
