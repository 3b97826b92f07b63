package hub

import (
	"log/slog"
	"sync"
	"time"
)

// repeatLog logs a failure that repeats on every flush (a full disk, a
// database gone away) once, then once every repeatEvery with how many times
// it happened since, and once more when it stops. Logged every 2 s, the same
// line ate what was left of a full disk (outside QA).
type repeatLog struct {
	mu      sync.Mutex
	failing bool
	logged  time.Time // when the failure was last written
	since   int       // failures since then
}

const repeatEvery = 5 * time.Minute

// fail records one failure, writing it when it starts and every repeatEvery.
func (r *repeatLog) fail(log *slog.Logger, now time.Time, msg string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.since++
	if r.failing && now.Sub(r.logged) < repeatEvery {
		return
	}
	if r.failing {
		args = append(args, "times_since_last_logged", r.since)
	}
	log.Error(msg, args...)
	r.failing, r.logged, r.since = true, now, 0
}

// ok records a success, writing once that a failure is over.
func (r *repeatLog) ok(log *slog.Logger, msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failing {
		log.Info(msg, "failures_not_logged", r.since)
	}
	r.failing, r.since = false, 0
}
