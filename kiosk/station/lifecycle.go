package station

import (
	"context"
	"log/slog"
	"os"
	"syscall"
	"time"

	"tramso/kiosk/hours"
	"tramso/kiosk/watchdog"
)

// newWatchdog builds the watchdog systemd asked for. A malformed
// $WATCHDOG_USEC is logged and the watchdog left off rather than keeping the
// kiosk from starting; READY and STOPPING still go out.
func newWatchdog(log *slog.Logger) *watchdog.Watchdog {
	wd, err := watchdog.New(log)
	if err != nil {
		log.Warn("watchdog disabled", "err", err)
		return &watchdog.Watchdog{Notifier: watchdog.FromEnv(), Log: log}
	}
	return wd
}

// startLifecycle starts what keeps a kiosk healthy over months: the systemd
// watchdog and the optional daily restart. The same in both modes.
func (s *Station) startLifecycle(ctx context.Context) {
	go s.Watchdog.Run(ctx)
	if minute, ok := s.Config.DailyRestartMinute(); ok {
		if !supervised() {
			s.Log.Warn("schedule.daily_restart is set, but this kiosk was not started by systemd, " +
				"so nothing would start it again; not restarting")
			return
		}
		go dailyRestart(ctx, s.Log, minute, s.Config.Hours().Loc, time.Now, stopSelf, time.Minute)
	}
}

// supervised reports whether systemd started this process (and so restarts it).
func supervised() bool { return os.Getenv("INVOCATION_ID") != "" || os.Getenv("NOTIFY_SOCKET") != "" }

// stopSelf asks this process to stop the way systemd would, so the desktop
// window and `serve` both shut down through their usual clean path; the
// service's Restart=always brings the kiosk back.
func stopSelf() { _ = syscall.Kill(os.Getpid(), syscall.SIGTERM) }

// dailyRestart calls restart once the wall clock passes the next minute
// (minutes after midnight in loc). It follows the wall clock, not a timer, so
// that a clock set right by NTP after boot still restarts at the right hour;
// a jump far past the restart time (a wrong clock corrected) reschedules
// instead of restarting at once.
func dailyRestart(ctx context.Context, log *slog.Logger, minute int, loc *time.Location,
	now func() time.Time, restart func(), every time.Duration) {
	at := hours.NextClock(now(), minute, loc)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n := now()
		switch {
		case n.Before(at):
		case n.Sub(at) > time.Hour:
			at = hours.NextClock(n, minute, loc)
		default:
			log.Info("daily restart: stopping so that systemd starts the kiosk afresh", "time", n.In(loc).Format("15:04"))
			restart()
			return
		}
	}
}
