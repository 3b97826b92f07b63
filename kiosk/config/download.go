package config

import (
	"fmt"
	"strings"
	"time"
)

// DailyWindow is a time of day range, "HH:MM-HH:MM", that may wrap midnight
// ("22:00-06:00"), in a time zone (In; the time's own zone until then). The
// zero value is always open.
type DailyWindow struct {
	from, to int // minutes after midnight; equal: always open
	loc      *time.Location
}

// In returns the window read in loc.
func (w DailyWindow) In(loc *time.Location) DailyWindow {
	w.loc = loc
	return w
}

// DownloadWindow is hub.download_window in the province's hours
// (schedule.timezone), like every other hour the kiosk keeps: a kiosk whose
// clock was installed in UTC read "22:00-06:00" as 05:00-13:00 in Đắk Lắk,
// downloading over a metered link while the commune was open (outside QA).
// Validate has checked it.
func (c *Config) DownloadWindow() DailyWindow {
	w, _ := ParseDailyWindow(c.Hub.DownloadWindow)
	return w.In(c.Location())
}

// ParseDailyWindow reads "HH:MM-HH:MM"; "" is always open.
func ParseDailyWindow(s string) (DailyWindow, error) {
	if s == "" {
		return DailyWindow{}, nil
	}
	a, b, ok := strings.Cut(s, "-")
	from, err1 := clockMinutes(a)
	to, err2 := clockMinutes(b)
	if !ok || err1 != nil || err2 != nil {
		return DailyWindow{}, fmt.Errorf("%q is not HH:MM-HH:MM", s)
	}
	return DailyWindow{from: from, to: to}, nil
}

func clockMinutes(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Open reports whether t falls inside the window.
func (w DailyWindow) Open(t time.Time) bool {
	if w.from == w.to {
		return true
	}
	if w.loc != nil {
		t = t.In(w.loc)
	}
	m := t.Hour()*60 + t.Minute()
	if w.from < w.to {
		return m >= w.from && m < w.to
	}
	return m >= w.from || m < w.to
}

// maxDownloadKbps is 1 Gbit/s: anything above is a typo.
const maxDownloadKbps = 1_000_000

// validateDownload checks hub.download_window and hub.download_kbps.
func (c *Config) validateDownload() error {
	if _, err := ParseDailyWindow(c.Hub.DownloadWindow); err != nil {
		return &FieldError{"hub.download_window", err.Error() + " (e.g. 22:00-06:00; empty: any time)"}
	}
	if c.Hub.DownloadKbps < 0 || c.Hub.DownloadKbps > maxDownloadKbps {
		return &FieldError{"hub.download_kbps", fmt.Sprintf("%d is outside 0..%d (0: no cap)", c.Hub.DownloadKbps, maxDownloadKbps)}
	}
	if s := c.Hub.StallSeconds; s != 0 && (s < minStallSeconds || s > maxStallSeconds) {
		return &FieldError{"hub.stall_seconds", fmt.Sprintf("%d is outside %d..%d (0: the default, 30)", s, minStallSeconds, maxStallSeconds)}
	}
	return nil
}

// A transfer that makes no progress for hub.stall_seconds is cut and resumed
// (for a blob, progress is at least 1 KiB/s over the window: kiosk/update's
// slow.go): shorter than 5 s would cut a slow but live 3G link, longer than 10 min
// would leave "update now" the only way out of a stall.
const (
	minStallSeconds = 5
	maxStallSeconds = 600
)

// Stall is how long a transfer from the hub may make no progress (0: the
// update client's default).
func (c *Config) Stall() time.Duration { return time.Duration(c.Hub.StallSeconds) * time.Second }
