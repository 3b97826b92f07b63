package app

import (
	"bytes"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/hubproto"
)

func testLife() (*pageLife, *bytes.Buffer) {
	var out bytes.Buffer
	return &pageLife{log: slog.New(slog.NewTextHandler(&out, nil))}, &out
}

// recordIncidents has p's incidents sent to the channel returned.
func recordIncidents(p *pageLife) <-chan string {
	kinds := make(chan string, 16)
	p.record = func(kind string, _ time.Time) { kinds <- kind }
	return kinds
}

// wantIncidents checks the kinds recorded, in any order (each is recorded
// on a goroutine of its own), and that nothing else was.
func wantIncidents(t *testing.T, kinds <-chan string, want ...string) {
	t.Helper()
	var got []string
	for range want {
		select {
		case k := <-kinds:
			got = append(got, k)
		case <-time.After(5 * time.Second):
			t.Fatalf("incidents %q recorded, want %q", got, want)
		}
	}
	select {
	case k := <-kinds:
		got = append(got, k)
	case <-time.After(50 * time.Millisecond):
	}
	slices.Sort(got)
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		t.Errorf("incidents %q recorded, want %q", got, want)
	}
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
	incidents := recordIncidents(p)
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
	// Each crash is kept for staff and the province, the renewal is not.
	wantIncidents(t, incidents, hubproto.IncidentCrashed, hubproto.IncidentMemory, hubproto.IncidentCrashed)
}

func TestFrozenPageLoadsAgainOnce(t *testing.T) {
	p, log := testLife()
	incidents := recordIncidents(p)
	t0 := time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)
	if p.frozen(time.Time{}, t0.Add(time.Hour)) != answering {
		t.Fatal("a page that never pinged is taken as frozen: it has not started")
	}
	if p.frozen(t0, t0.Add(frozenAfter-time.Second)) != answering {
		t.Fatal("frozen before frozenAfter")
	}
	t1 := t0.Add(frozenAfter)
	if p.frozen(t0, t1) != freezeEnd {
		t.Fatal("a page silent for frozenAfter is not ended")
	}
	if p.frozen(t0, t1.Add(time.Second)) != answering {
		t.Error("asked to end the page again while its web process is ending")
	}
	// WebKit reports the web process ended by the API, as a renewal.
	if !p.ended(endRenewed, t1.Add(time.Second)) || !strings.Contains(log.String(), "reason=froze") {
		t.Fatalf("the frozen page is not loaded again, or not logged as frozen:\n%s", log.String())
	}
	// The new page has frozenAfter to ping, from its load.
	if p.frozen(t0, t1.Add(frozenAfter)) != answering {
		t.Error("the reloaded page is taken as frozen before it had frozenAfter to ping")
	}
	// A second freeze soon after is left to the watchdog, logged once.
	t2 := t1.Add(time.Second + frozenAfter)
	if v := p.frozen(t0, t2); v != freezeLeft {
		t.Errorf("a page that froze again soon after its reload: %d, want freezeLeft (a loop if ended)", v)
	}
	if p.frozen(t0, t2.Add(time.Second)) != answering {
		t.Error("the freeze left to the watchdog is reported again each second")
	}
	if n := strings.Count(log.String(), "froze again soon after a reload"); n != 1 {
		t.Errorf("%d log lines for the second freeze, want 1:\n%s", n, log.String())
	}
	// A freeze counts as a crash: a crash soon after is left blank.
	if p.ended(endCrashed, t2) {
		t.Error("a crash soon after a freeze's reload is loaded again")
	}
	// Pings again: no longer frozen; much later a freeze is ended again.
	if p.frozen(t2, t2.Add(time.Second)) != answering {
		t.Error("a pinging page is taken as frozen")
	}
	t3 := t1.Add(crashGap + frozenAfter)
	if p.frozen(t2, t3) != freezeEnd {
		t.Error("a freeze long after the last one is not ended")
	}
	if !p.ended(endRenewed, t3.Add(time.Second)) || strings.Count(log.String(), "reason=froze") != 2 {
		t.Errorf("the second frozen page is not loaded again, or not logged:\n%s", log.String())
	}
	// Each freeze once (its web process's end is not another), the one left
	// to the watchdog as stuck, and the crash.
	wantIncidents(t, incidents, hubproto.IncidentFroze, hubproto.IncidentStuck, hubproto.IncidentCrashed, hubproto.IncidentFroze)
}
