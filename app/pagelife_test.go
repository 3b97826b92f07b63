package app

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func testLife() (*pageLife, *bytes.Buffer) {
	var out bytes.Buffer
	return &pageLife{log: slog.New(slog.NewTextHandler(&out, nil))}, &out
}

func TestRenewedPageLoadsAgain(t *testing.T) {
	p, _ := testLife()
	t0 := time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)
	if !p.renew(t0) || !p.ended(endRenewed, t0.Add(time.Second)) {
		t.Fatal("a first renewal is refused, or its page not loaded again")
	}
	if p.renew(t0.Add(renewGap - time.Second)) {
		t.Error("renewed twice within renewGap: a page asking on every load would reload for ever")
	}
	if !p.renew(t0.Add(renewGap + time.Second)) {
		t.Error("the next resident's renewal is refused")
	}
}

func TestCrashedPageLoadsAgainOnce(t *testing.T) {
	p, log := testLife()
	t0 := time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)
	if !p.ended(endCrashed, t0) {
		t.Fatal("a crashed page is not loaded again")
	}
	if p.ended(endMemory, t0.Add(crashGap-time.Second)) {
		t.Error("a page that ended again soon after is reloaded: a crash loop would feed the watchdog for ever")
	}
	// Renewals are not crashes: they never count towards the loop.
	if !p.ended(endRenewed, t0.Add(2*time.Second)) {
		t.Error("a renewal soon after a crash is not loaded")
	}
	if !p.ended(endCrashed, t0.Add(crashGap+time.Second)) {
		t.Error("a crash long after the last one is not reloaded")
	}
	for _, want := range []string{`reason=crashed`, `reason="exceeded its memory limit"`, "watchdog restarts the kiosk"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
}
