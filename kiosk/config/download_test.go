package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDownloadFields(t *testing.T) {
	cases := []struct {
		yaml  string
		field string // "" = valid
	}{
		{"hub:\n  download_window: 22:00-06:00\n  download_kbps: 512\n", ""},
		{"hub:\n  download_window: \"\"\n", ""},
		{"hub:\n  download_window: 22-6\n", "hub.download_window"},
		{"hub:\n  download_window: 25:00-06:00\n", "hub.download_window"},
		{"hub:\n  download_kbps: -1\n", "hub.download_kbps"},
		{"hub:\n  download_kbps: 2000000\n", "hub.download_kbps"},
		{"hub:\n  stall_seconds: 30\n", ""},
		{"hub:\n  stall_seconds: 1\n", "hub.stall_seconds"},
		{"hub:\n  stall_seconds: 86400\n", "hub.stall_seconds"},
	}
	for _, c := range cases {
		_, err := Parse(strings.NewReader(c.yaml))
		var fe *FieldError
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%q: %v", c.yaml, err)
		case c.field != "" && (!errors.As(err, &fe) || fe.Field != c.field):
			t.Errorf("%q: error %v, want one naming %s", c.yaml, err, c.field)
		}
	}
}

func TestDailyWindowOpen(t *testing.T) {
	at := func(hm string) time.Time { v, _ := time.Parse("15:04", hm); return v }
	cases := []struct {
		window, at string
		open       bool
	}{
		{"", "12:00", true},
		{"22:00-06:00", "23:30", true},
		{"22:00-06:00", "05:59", true},
		{"22:00-06:00", "06:00", false},
		{"22:00-06:00", "12:00", false},
		{"12:00-13:00", "12:30", true},
		{"12:00-13:00", "13:00", false},
	}
	for _, c := range cases {
		w, err := ParseDailyWindow(c.window)
		if err != nil {
			t.Fatal(err)
		}
		if got := w.Open(at(c.at)); got != c.open {
			t.Errorf("%q at %s: open %v, want %v", c.window, c.at, got, c.open)
		}
	}
}

// The window is the province's hours, whatever zone the machine's clock was
// installed with: at 20:25 UTC it is 03:25 in Đắk Lắk, inside "03:00-04:00"
// and outside "20:00-21:00" (outside QA: a kiosk on UTC did the reverse).
func TestDownloadWindowInTheProvinceZone(t *testing.T) {
	at := time.Date(2026, 12, 6, 20, 25, 0, 0, time.UTC)
	for window, open := range map[string]bool{"03:00-04:00": true, "20:00-21:00": false, "22:00-06:00": true} {
		c := Default()
		c.Hub.DownloadWindow = window
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
		if got := c.DownloadWindow().Open(at); got != open {
			t.Errorf("%q at 03:25 in Đắk Lắk (20:25 UTC): open %v, want %v", window, got, open)
		}
	}
}
