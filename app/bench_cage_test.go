//go:build smoke

package app

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"tramso/kiosk/cagetest"
)

// BenchmarkWindowCage measures the window's memory where a kiosk runs it:
// a Wayland client of cage (build/linux/kiosk-session), not an X client of
// Xvfb as in BenchmarkWindowBudget. cage runs headless with its software
// renderer (this machine has no screen) as the user nobody (it refuses
// root), with the session's environment. For build/floor and for the kiosk
// it reports attract-MiB: PSS summed over the client's process tree (the
// compositor left out, as Xvfb is), 10 s after start with the first screen
// left alone (the kiosk's text shows at ~1.3 s: 8 s after text, as the X
// benchmarks read it). Medians of TRAMSO_BENCH_RUNS (default 5):
//
//	go test -tags smoke -run '^$' -bench WindowCage -benchtime 1x ./app/
func BenchmarkWindowCage(b *testing.B) {
	cage, err := exec.LookPath("cage")
	if err != nil {
		b.Fatal("this benchmark needs cage (apt-get install cage)")
	}
	runs := envCount("TRAMSO_BENCH_RUNS", 5)
	env := kioskEnv(b)
	floor := buildFloor(b)
	os.Chmod(filepath.Dir(floor), 0o755) // for nobody
	os.Chmod(filepath.Dir(filepath.Dir(floor)), 0o755)
	windows := []struct{ name, bin string }{{"floor", floor}, {"kiosk", desktopBin(b)}}
	for _, w := range windows {
		b.Run(w.name, func(b *testing.B) {
			var attract []float64
			for i := 0; i < runs; i++ {
				p := cageRun(b, cage, w.bin, env)
				b.Logf("run %d: attract %.1f MiB %v (%d other processes map WebKit)", i+1, p.mib(), p.byName, p.others)
				attract = append(attract, p.mib())
			}
			b.ReportMetric(median(attract), "attract-MiB")
		})
	}
}

// cageRun starts bin as cage's client on a fresh data directory and home,
// and returns the client tree's PSS 10 s later.
func cageRun(b *testing.B, cage, bin string, env []string) pss {
	dir, home := cagetest.Dir(b), silentHome(b)
	os.Chmod(home, 0o777) // ALSA writes what the attract screen says here
	env = append(slices.Clone(env), "HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_CACHE_HOME="+filepath.Join(dir, "cache"))
	cmd := cagetest.Command(b, cage, dir, env, bin, "--data", filepath.Join(dir, "data"))
	log, err := os.Create(filepath.Join(dir, "cage.log"))
	if err != nil {
		b.Fatal(err)
	}
	defer log.Close()
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer cagetest.Stop(cmd)
	time.Sleep(10 * time.Second)
	client := cageClient(cmd.Process.Pid)
	if client == 0 {
		out, _ := os.ReadFile(log.Name())
		b.Fatalf("cage has no client 10 s after start:\n%s", out)
	}
	return treePSS(b, client)
}

// cageClient is the pid of cage's child, 0 when none.
func cageClient(cage int) int {
	for pid := range processTree(cage) {
		if f := statFields("/proc/" + strconv.Itoa(pid) + "/stat"); len(f) > 1 && f[1] == strconv.Itoa(cage) {
			return pid
		}
	}
	return 0
}
