package hub

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/testlog"
)

// A failure on every flush is written once, then once every few minutes
// with a count, and its end once: not a line every 2 s on a full disk.
func TestRepeatedFailureLoggedOnce(t *testing.T) {
	var out testlog.Buffer
	log := slog.New(slog.NewTextHandler(&out, nil))
	var r repeatLog
	start := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	for i := range 150 { // 150 flushes 2 s apart: 5 minutes
		r.fail(log, start.Add(time.Duration(i)*2*time.Second), "write device state", "err", "database or disk is full (13)")
	}
	if n := strings.Count(out.String(), "write device state"); n != 1 {
		t.Fatalf("%d lines in 5 minutes, want 1:\n%s", n, out.String())
	}
	r.fail(log, start.Add(repeatEvery+time.Second), "write device state", "err", "database or disk is full (13)")
	if !strings.Contains(out.String(), "times_since_last_logged=150") {
		t.Fatalf("the reminder does not count what it left out:\n%s", out.String())
	}
	r.ok(log, "device state written again")
	r.ok(log, "device state written again")
	if n := strings.Count(out.String(), "written again"); n != 1 {
		t.Fatalf("the end of the failure logged %d times:\n%s", n, out.String())
	}
}
