//go:build smoke

package app

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkWindowDay is a kiosk's day, shortened: residents one after
// another in one window, each walking the route of BenchmarkWindowBudget
// (read aloud from the attract screen on, so every screen is spoken) and
// leaving; the session ends by idle and the window goes back to the attract
// screen, as between two residents. It reports, never fails:
//
//   - day-MiB: the tree's PSS back on the attract screen after the last resident;
//
//   - per-resident-MiB: how much that grew per resident after the first
//     (memory a kiosk would not get back until its daily restart);
//
//   - dead-taps: taps that changed nothing, over the day. A whole walk of
//     them is a frozen window (with $TRAMSO_SCREENSHOTS the screen each met
//     is kept). WebKitGTK froze this way within six residents before
//     lib/audio.svelte.ts let go of cut-short lines only once they had started;
//
//   - freezes: pages the window found frozen and loaded again (app/pagelife.go),
//     and silenced: whether one froze while a line played, which turns the
//     kiosk's sound off (kiosk/sound). A day at the kiosk wants both at 0.
//
//     TRAMSO_DESKTOP_BIN=… TRAMSO_BENCH_RESIDENTS=8 go test -tags smoke -run '^$' \
//     -bench WindowDay -benchtime 1x -timeout 60m ./app/
//
// A resident takes ~95 s (the walk, then the idle warning of a config with
// the shortest allowed waits: 15 s quiet, 30 s warning).
func BenchmarkWindowDay(b *testing.B) {
	residents := max(envCount("TRAMSO_BENCH_RESIDENTS", 8), 2)
	bin, env, walk, display := windowBench(b)
	x, err := dialX(display)
	if err != nil {
		b.Fatalf("connect to X: %v", err)
	}
	defer x.Close()
	cfg := filepath.Join(b.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte("idle:\n  quiet_seconds: 15\n  warning_seconds: 30\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	welcome := x.inside(walk.Welcome)
	before := frameHash(grabOrFail(b, x, welcome))
	cmd, logPath, start := startBenchKiosk(b, bin, display, env, "--config", cfg)
	defer stopKiosk(b, cmd)
	waitForText(b, x, welcome, before, start)
	time.Sleep(8 * time.Second)
	p := treePSS(b, cmd.Process.Pid)
	// Printed as it goes, not with b.Logf: a benchmark's log is cut at ten lines.
	fmt.Fprintf(os.Stderr, "attract: %.1f MiB %v\n", p.mib(), p.byName)

	var first, last float64
	dead := 0
	for r := 1; r <= residents; r++ {
		d := tapThrough(b, x, display, walk.Taps, fmt.Sprintf("-resident%02d", r))
		dead += d
		backOnAttract(logPath, r)
		p = treePSS(b, cmd.Process.Pid)
		fmt.Fprintf(os.Stderr, "resident %d: %d taps changed nothing; back on the attract screen %.1f MiB %v\n", r, d, p.mib(), p.byName)
		if r == 1 {
			first = p.mib()
		}
		last = p.mib()
	}
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(last, "day-MiB")
	b.ReportMetric((last-first)/float64(residents-1), "per-resident-MiB")
	b.ReportMetric(float64(dead), "dead-taps")
	// A day of reading aloud must neither freeze the page nor silence the
	// kiosk (kiosk/sound), which a freeze while a line plays would.
	journal, _ := os.ReadFile(logPath)
	b.ReportMetric(float64(bytes.Count(journal, []byte("the page stopped answering"))), "freezes")
	b.ReportMetric(float64(bytes.Count(journal, []byte("the page froze while a line was playing"))), "silenced")
}

// backOnAttract waits for the r-th resident's session to end by idle and the
// window to load the fresh page (its r+1-th "window ready"), then for it to
// settle. The session ends 15 s quiet and 30 s of warning after the last
// narration, which the walk's last screen (search results read aloud) makes
// long or short: a fixed wait measured some residents before their page was
// renewed, and the next one's first taps then met the renewal.
func backOnAttract(logPath string, r int) {
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		journal, _ := os.ReadFile(logPath)
		if bytes.Count(journal, []byte(`msg="window ready"`)) > r {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	time.Sleep(8 * time.Second) // as on the attract screen at start
}
