package app

import (
	"log/slog"
	"sync"
	"time"
)

// The page's life in the window. WebKit runs the page in a web process of
// its own; two things end it, and the window loads the page again each time:
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

// endReason is WebKit's WebKitWebProcessTerminationReason.
type endReason int

const (
	endCrashed endReason = iota
	endMemory
	endRenewed
)

func (r endReason) String() string {
	switch r {
	case endCrashed:
		return "crashed"
	case endMemory:
		return "exceeded its memory limit"
	case endRenewed:
		return "renewed after a session"
	}
	return "unknown"
}

const (
	// renewGap: a page renewed less than this ago is not renewed again, so
	// that a page that asked by mistake on every load cannot reload for ever.
	renewGap = 30 * time.Second
	// crashGap: a second crash this soon after a reload is left to the watchdog.
	crashGap = time.Minute
)

type pageLife struct {
	mu      sync.Mutex
	log     *slog.Logger
	renewed time.Time // last renewal asked for
	crashed time.Time // last crash reloaded
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
	if reason == endRenewed {
		p.log.Info("web process ended", "reason", reason.String())
		return true
	}
	if !p.crashed.IsZero() && now.Sub(p.crashed) < crashGap {
		p.log.Error("web process ended again soon after a reload; the page stays blank and the watchdog restarts the kiosk",
			"reason", reason.String(), "since_reload", now.Sub(p.crashed).Round(time.Second))
		return false
	}
	p.crashed = now
	p.log.Error("web process ended; loading the page again", "reason", reason.String())
	return true
}
