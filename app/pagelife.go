package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/sound"
	"tramso/kiosk/watchdog"
)

// The page's life in the window. WebKit runs the page in a web process of
// its own; three things end it, and the window loads the page again each time:
//
//   - A resident's session ended (the page asks: POST /api/window/renew).
//     The web process keeps memory a page cannot give back (glibc arenas of
//     GStreamer's threads: ~6 MiB a resident, BenchmarkWindowDay), and it
//     may still hold what the last resident typed or was told. Each resident
//     gets a fresh one, as the first resident of the day does.
//   - It crashed, or WebKit killed it for its memory. Wails v2 left the window
//     blank until systemd's watchdog restarted the whole kiosk a minute later.
//     One reload brings the page back in about a second; a page that crashes
//     again soon after is left blank, so that its silent heartbeat gets the
//     kiosk restarted rather than reloaded for ever.
//   - It froze: its heartbeat (POST /api/alive) stopped. A sound device that
//     stops taking sound does it: WebKit asks GStreamer where a playing line
//     is on the page's own thread, and the answer waits for the device's
//     blocked write for good (gdb; app/hung_speaker_test.go). The resident
//     faced a dead screen until systemd restarted the kiosk, and never, run
//     by hand. The window ends the frozen web process after frozenAfter, and
//     the page loads again as after a crash, under the same limit.

// endReason is WebKit's WebKitWebProcessTerminationReason.
type endReason int

const (
	endCrashed endReason = iota
	endMemory
	endRenewed
	// endFrozen is the kiosk's own: the window ended a page that stopped
	// pinging (WebKit reports it as ended by the API, as a renewal).
	endFrozen endReason = 100
)

func (r endReason) String() string {
	switch r {
	case endCrashed:
		return "crashed"
	case endMemory:
		return "exceeded its memory limit"
	case endRenewed:
		return "renewed after a session"
	case endFrozen:
		return "froze"
	}
	return "unknown"
}

// incident is how a web process that ended by itself is recorded.
func (r endReason) incident() string {
	if r == endMemory {
		return hubproto.IncidentMemory
	}
	return hubproto.IncidentCrashed
}

const (
	// renewGap: a page renewed less than this ago is not renewed again, so
	// that a page that asked by mistake on every load cannot reload for ever.
	renewGap = 30 * time.Second
	// crashGap: a second crash this soon after a reload is left to the watchdog.
	crashGap = time.Minute
	// frozenAfter: a page that has not pinged for this long is frozen. It
	// pings every watchdog.MaxPingEvery at most, so four pings were missed;
	// a page at work blocks its thread for tenths of a second, not seconds.
	// systemd (WatchdogSec=60s) has not given up on the kiosk yet.
	frozenAfter = 4 * watchdog.MaxPingEvery
)

type pageLife struct {
	mu      sync.Mutex
	log     *slog.Logger
	renewed time.Time // last renewal asked for
	crashed time.Time // last crash or freeze reloaded
	loaded  time.Time // last time the page was loaded again
	ending  bool      // a frozen page's web process is being ended
	left    bool      // a frozen page was left to the watchdog (logged once)
	// record keeps an incident for staff and the province
	// (Station.WindowIncident; nil: not kept). It is called on a goroutine
	// of its own: it writes to the database, and ended runs on GTK's thread.
	record func(kind string, at time.Time)
}

// note records an incident of kind at now; p.mu is held.
func (p *pageLife) note(kind string, now time.Time) {
	if p.record != nil {
		go p.record(kind, now)
	}
}

// life is the window's page; the web process's signal reaches it through cgo,
// which has no other way in.
var life = &pageLife{log: slog.Default()}

// renew reports whether the page may be renewed now, and notes it.
func (p *pageLife) renew(now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.renewed.IsZero() && now.Sub(p.renewed) < renewGap {
		p.log.Info("page not renewed: renewed moments ago", "ago", now.Sub(p.renewed).Round(time.Millisecond))
		return false
	}
	p.renewed = now
	return true
}

// ended is told that the web process ended, and says whether to load the
// page again.
func (p *pageLife) ended(reason endReason, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if reason == endRenewed && p.ending {
		reason = endFrozen
	}
	p.ending = false
	switch reason {
	case endRenewed:
		p.log.Info("web process ended", "reason", reason.String())
	case endFrozen: // counted as a crash when it was found (frozen)
		p.log.Error("web process ended; loading the page again", "reason", reason.String())
	default:
		p.note(reason.incident(), now)
		if !p.crashed.IsZero() && now.Sub(p.crashed) < crashGap {
			p.log.Error("web process ended again soon after a reload; the page stays blank and the watchdog restarts the kiosk",
				"reason", reason.String(), "since_reload", now.Sub(p.crashed).Round(time.Second))
			return false
		}
		p.crashed = now
		p.log.Error("web process ended; loading the page again", "reason", reason.String())
	}
	p.loaded = now
	return true
}

// freeze is what pageLife.frozen makes of the page's silence.
type freeze int

const (
	answering  freeze = iota // pinging, or not yet started
	freezeEnd                // frozen: end its web process (the page loads again)
	freezeLeft               // frozen again soon after a reload: left to the watchdog
)

// frozen is asked every second with the page's last ping. A page silent for
// frozenAfter is frozen: freezeEnd, noted, and its web process should be
// ended (the page then loads again, see ended). One that froze again within
// crashGap of a reload is left to the watchdog: freezeLeft, said once for
// that freeze. A page that never pinged has not started: systemd's start
// timeout deals with it.
func (p *pageLife) frozen(lastPing, now time.Time) freeze {
	p.mu.Lock()
	defer p.mu.Unlock()
	if lastPing.IsZero() || p.ending {
		return answering
	}
	silent := now.Sub(later(lastPing, p.loaded))
	if silent < frozenAfter {
		p.left = false
		return answering
	}
	if !p.crashed.IsZero() && now.Sub(p.crashed) < crashGap {
		if p.left {
			return answering
		}
		p.log.Error("the page froze again soon after a reload; it stays as it is and the watchdog restarts the kiosk",
			"silent", silent.Round(time.Second), "since_reload", now.Sub(p.crashed).Round(time.Second))
		p.left = true
		p.note(hubproto.IncidentStuck, now)
		return freezeLeft
	}
	p.crashed, p.ending = now, true
	p.note(hubproto.IncidentFroze, now)
	p.log.Error("the page stopped answering; ending its web process", "silent", silent.Round(time.Second))
	return freezeEnd
}

// watchHeartbeat ends the page's web process when the page stops pinging
// (pageLife.frozen), until ctx ends. A page that froze while a line was
// playing first turns the kiosk's sound off (kiosk/sound), so that the page
// loaded again, or the kiosk systemd restarts, does not play into the hung
// device too.
func watchHeartbeat(ctx context.Context, wd *watchdog.Watchdog, snd *sound.Switch) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			v := life.frozen(wd.LastPing(), now)
			if v != answering {
				snd.Froze(ctx, now)
			}
			if v == freezeEnd {
				endWebProcess()
			}
		}
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
