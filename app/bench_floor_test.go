//go:build smoke

package app

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkWindowFloor measures build/floor, the smallest Wails v2 window
// (one heading in the machine's font, no kiosk code), exactly as
// BenchmarkWindowBudget measures the kiosk's start: same display, window
// manager, environment (build/linux/tramso.default) and niceness. Its
// figures are the floor under DESIGN.md's window budget on this machine:
// what Wails and WebKitGTK cost before the kiosk adds anything. It reports
// text-ms, shown-ms, attract-MiB and attract-cpu-% (medians of
// TRAMSO_BENCH_RUNS, default 5) and never fails:
//
//	go test -tags smoke -run '^$' -bench WindowFloor -benchtime 1x ./app/
func BenchmarkWindowFloor(b *testing.B) {
	runs := envCount("TRAMSO_BENCH_RUNS", 5)
	bin := buildFloor(b)
	env := kioskEnv(b)
	b.Logf("niceness %q; load average before: %s", benchNice(), loadAvg())
	display := startX(b)
	x, err := dialX(display)
	if err != nil {
		b.Fatalf("connect to X: %v", err)
	}
	defer x.Close()
	// build/floor/page puts its heading in the attract screen's welcome box.
	heading := x.inside(box{X: 514, Y: 64, W: 892, H: 85})

	var starts startFigures
	for i := 0; i < runs; i++ {
		frame := ""
		if i == 0 {
			frame = "bench-floor-first-text.png"
		}
		r := floorRun(b, x, bin, display, env, heading, frame)
		b.Logf("run %d: text %d ms (shown %d ms), attract %.1f MiB %v (CPU %.0f%% of a core)",
			i+1, r.textMs, r.shownMs, r.attract.mib(), r.attract.byName, r.idleCPU)
		starts.add(r)
	}
	starts.report(b)
}

func floorRun(b *testing.B, x *xGrabber, bin, display string, env []string, heading area, frame string) runResult {
	before := frameHash(grabOrFail(b, x, heading))
	cmd, _, start := startBenchKiosk(b, bin, display, env)
	defer stopKiosk(b, cmd)
	return measureStart(b, x, cmd.Process.Pid, heading, before, start, frame)
}

// buildFloor builds build/floor as the kiosk's desktop binary is built
// (tags and flags of build/scripts/lib.sh's build_desktop).
func buildFloor(b *testing.B) string {
	bin := filepath.Join(b.TempDir(), "floor")
	cmd := exec.Command("go", "build", "-tags", "desktop,production,webkit2_41", "-ldflags", "-w -s", "-o", bin, "../build/floor")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("build build/floor: %v\n%s", err, out)
	}
	return bin
}
