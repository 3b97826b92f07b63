// Package cagetest runs a program inside a headless cage session for tests
// and benchmarks, as build/linux/kiosk-session runs the kiosk on a real one:
// a Wayland client of cage, with the session's environment. There is no
// screen here, so cage uses its headless backend and software renderer. cage
// refuses to run as root, and the tests run as root in CI: the session then
// runs as the unprivileged user nobody, as the service runs as tramso.
package cagetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

const nobody = 65534

// Dir is a temporary directory the session's user may use.
func Dir(t testing.TB) string {
	dir := t.TempDir()
	os.Chmod(filepath.Dir(dir), 0o755) // the test's own parent directory
	os.Chmod(dir, 0o777)
	return dir
}

// Command is client run as cage's only client, in dir (from Dir), with env
// and the session's variables. It runs in a process group of its own: Stop
// ends the whole session, as systemd ends the unit's control group.
func Command(t testing.TB, cage, dir string, env []string, client ...string) *exec.Cmd {
	runtime, err := os.MkdirTemp(dir, "run-")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(cage, append([]string{"-d", "--"}, client...)...)
	cmd.Dir = dir
	cmd.Env = append(append([]string{}, env...), "XDG_RUNTIME_DIR="+runtime,
		"WLR_BACKENDS=headless", "WLR_LIBINPUT_NO_DEVICES=1", "WLR_RENDERER=pixman",
		// build/linux/kiosk-session and tramso.default:
		"XDG_SESSION_TYPE=wayland", "GDK_BACKEND=wayland", "WEBKIT_DISABLE_DMABUF_RENDERER=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if os.Geteuid() == 0 {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: nobody, Gid: nobody}
		os.Chown(runtime, nobody, nobody)
	}
	os.Chmod(runtime, 0o700)
	return cmd
}

// Stop kills the session started from Command (cage, its client and the
// client's children) and waits for cage.
func Stop(cmd *exec.Cmd) {
	if cmd.Process == nil || cmd.ProcessState != nil {
		return
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Wait()
}
