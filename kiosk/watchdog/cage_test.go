//go:build cage

// The real kiosk session: the desktop binary (WebKitGTK window) inside cage,
// as on an installed kiosk. Needs a desktop build and cage, so it has its own
// build tag; build/linux/test-package.sh runs it:
//
//	TRAMSO_DESKTOP_BIN=build/bin/tramso go test -tags cage -run Cage ./kiosk/watchdog/
package watchdog

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"tramso/kiosk/cagetest"
)

// TestCageFrozenWebViewGetsTheKioskRestarted runs the desktop kiosk in a
// headless cage session under a stand-in for systemd. The page in WebKit
// pings, so READY=1 and then WATCHDOG=1 arrive; freezing WebKit's web process
// (SIGSTOP: its JavaScript main loop stops dead) stops WATCHDOG=1. The
// stand-in then does what systemd does — kill the session, start it again —
// and the new session reports READY=1 again.
func TestCageFrozenWebViewGetsTheKioskRestarted(t *testing.T) {
	bin := os.Getenv("TRAMSO_DESKTOP_BIN")
	if bin == "" {
		t.Fatal("set TRAMSO_DESKTOP_BIN to a desktop build of tramso (build/package.sh makes build/bin/tramso)")
	}
	if !filepath.IsAbs(bin) { // relative to the repository, where the command runs
		bin = filepath.Join("..", "..", bin)
	}
	bin, _ = filepath.Abs(bin)
	if _, err := os.Stat(bin); err != nil {
		t.Fatal(err)
	}
	cage, err := exec.LookPath("cage")
	if err != nil {
		t.Fatal("this test needs cage and xwayland (apt-get install cage xwayland)")
	}
	dir := cagetest.Dir(t)
	sock := filepath.Join(dir, "notify")
	msgs := notifySocket(t, sock)
	os.Chmod(sock, 0o777) // the session runs as an unprivileged user
	const timeout = 6 * time.Second

	session := startCage(t, cage, bin, dir, sock, timeout)
	expect(t, msgs, "READY=1")
	for i := 0; i < 3; i++ {
		expect(t, msgs, "WATCHDOG=1")
	}
	web := webProcess(t, session.Process.Pid)
	if err := syscall.Kill(web, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	if !quietFor(msgs, timeout, 90*time.Second) {
		t.Fatal("WATCHDOG=1 kept coming after WebKit's web process froze")
	}

	cagetest.Stop(session) // systemd: watchdog timeout → kill the whole session
	startCage(t, cage, bin, dir, sock, timeout)
	expect(t, msgs, "READY=1")
	expect(t, msgs, "WATCHDOG=1")
}

func startCage(t *testing.T, cage, bin, dir, sock string, timeout time.Duration) *exec.Cmd {
	t.Helper()
	data := filepath.Join(dir, "data")
	os.MkdirAll(data, 0o777)
	os.Chmod(data, 0o777)
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, []byte("commune: {name: Ea Kao}\n"), 0o644)
	env := []string{"PATH=/usr/bin:/bin", "HOME=" + data,
		"NOTIFY_SOCKET=" + sock, fmt.Sprintf("WATCHDOG_USEC=%d", timeout.Microseconds())}
	cmd := cagetest.Command(t, cage, dir, env, bin, "--data", data, "--config", cfg)
	out, _ := os.Create(filepath.Join(dir, "cage.log"))
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cagetest.Stop(cmd)
		if t.Failed() {
			log, _ := os.ReadFile(out.Name())
			t.Logf("cage session log:\n%s", log[max(0, len(log)-3000):])
		}
	})
	return cmd
}

// webProcess finds WebKit's web process among the session's descendants.
func webProcess(t *testing.T, root int) int {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		for _, pid := range descendants(root) {
			if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); strings.HasPrefix(string(comm), "WebKitWebProces") {
				return pid
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("no WebKitWebProcess in the session")
	return 0
}

func descendants(root int) []int {
	parent := map[int]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// The parent pid is the second field after the ")" that ends the name.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) > 1 {
			parent[pid], _ = strconv.Atoi(fields[1])
		}
	}
	var out []int
	for pid := range parent {
		for p := parent[pid]; p > 1; p = parent[p] {
			if p == root {
				out = append(out, pid)
				break
			}
		}
	}
	return out
}
