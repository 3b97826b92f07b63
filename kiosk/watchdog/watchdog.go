package watchdog

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Watchdog keeps systemd informed while the page keeps pinging.
//
// READY=1 is sent on the page's first ping, not when the process starts: a
// kiosk whose window never shows a working page has not started, and systemd
// restarts it when TimeoutStartSec= runs out. After that, WATCHDOG=1 is sent
// every Timeout/4 as long as the last ping is younger than Timeout/2; once the
// page stops pinging, systemd hears nothing and kills and restarts the kiosk
// after Timeout.
type Watchdog struct {
	Notifier Notifier
	Timeout  time.Duration // systemd's WatchdogSec; 0 = no watchdog, READY/STOPPING only
	Log      *slog.Logger

	mu    sync.Mutex
	last  time.Time // last ping from the page
	ready bool
	beat  chan struct{}
}

// New returns the watchdog systemd asked for through the environment.
func New(log *slog.Logger) (*Watchdog, error) {
	timeout, err := Interval()
	if err != nil {
		return nil, err
	}
	return &Watchdog{Notifier: FromEnv(), Timeout: timeout, Log: log}, nil
}

// Ping records that the page is alive. It is what POST /api/alive calls.
func (w *Watchdog) Ping() {
	w.mu.Lock()
	w.last = time.Now()
	first := !w.ready
	w.ready = true
	beat := w.beatChan()
	w.mu.Unlock()
	if first {
		select {
		case beat <- struct{}{}:
		default:
		}
	}
}

// beatChan wakes Run for the first ping so READY=1 goes out at once. Callers hold mu.
func (w *Watchdog) beatChan() chan struct{} {
	if w.beat == nil {
		w.beat = make(chan struct{}, 1)
	}
	return w.beat
}

// MaxPingEvery is the longest the page waits between two pings, watchdog or
// not: the desktop window also listens, and ends a page that has been silent
// for a few of them (app/pagelife.go). A ping is one small local request.
const MaxPingEvery = 5 * time.Second

// PingEvery is how often the page should ping: often enough that two pings
// fit in the window that keeps WATCHDOG=1 going.
func (w *Watchdog) PingEvery() time.Duration {
	if w.Timeout <= 0 {
		return MaxPingEvery
	}
	return min(max(w.Timeout/6, 250*time.Millisecond), MaxPingEvery)
}

// LastPing is when the page last pinged; zero before its first ping.
func (w *Watchdog) LastPing() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last
}

// alive reports whether the page pinged within half the watchdog timeout.
func (w *Watchdog) alive(now time.Time) (ready, alive bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ready, w.ready && now.Sub(w.last) <= w.Timeout/2
}

// Run notifies systemd until ctx ends, then sends STOPPING=1.
func (w *Watchdog) Run(ctx context.Context) {
	if !w.Notifier.Enabled() {
		<-ctx.Done()
		return
	}
	w.mu.Lock()
	beat := w.beatChan()
	w.mu.Unlock()
	var tick <-chan time.Time
	if w.Timeout > 0 {
		t := time.NewTicker(w.Timeout / 4)
		defer t.Stop()
		tick = t.C
	}
	sentReady, frozen := false, false
	for {
		select {
		case <-ctx.Done():
			w.send("STOPPING=1")
			return
		case <-beat:
		case <-tick:
		}
		ready, alive := w.alive(time.Now())
		if ready && !sentReady {
			w.send("READY=1")
			sentReady = true
		}
		switch {
		case w.Timeout <= 0 || !ready:
		case alive:
			w.send("WATCHDOG=1")
			frozen = false
		case !frozen:
			frozen = true
			w.logger().Warn("the page stopped pinging /api/alive; withholding WATCHDOG=1 so systemd restarts the kiosk",
				"watchdog", w.Timeout)
		}
	}
}

func (w *Watchdog) send(state string) {
	if err := w.Notifier.Notify(state); err != nil {
		w.logger().Warn("watchdog", "err", err)
	}
}

func (w *Watchdog) logger() *slog.Logger {
	if w.Log == nil {
		return slog.Default()
	}
	return w.Log
}
