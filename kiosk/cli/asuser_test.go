package cli

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The kiosk's user is played by nobody: these tests run as root (the README's
// test command) and start processes as nobody, so that "cannot read" is what
// the kernel says, not what a test assumes.
const nobodyUID, nobodyGID = 65534, 65534

// nobodyDir is a temporary directory nobody may enter (t.TempDir's are 0700).
func nobodyDir(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatal("playing the kiosk's user needs root: run the test command (build/scripts/test.sh) as root")
	}
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// asNobody is cmd run as nobody:nogroup, with no other group.
func asNobody(cmd *exec.Cmd) *exec.Cmd {
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobodyUID, Gid: nobodyGID, Groups: []uint32{}}}
	return cmd
}

// tramsoAsNobody runs `tramso args…` as nobody, to its end, and returns its
// exit status and output. The test binary is copied where nobody may run it.
func tramsoAsNobody(t *testing.T, stdin string, args ...string) (int, string) {
	t.Helper()
	bin := filepath.Join(nobodyDir(t), "tramso")
	copyFile(t, os.Args[0], bin, 0o755)
	raw, _ := json.Marshal(args)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // a kiosk that starts after all would run on
	defer cancel()
	cmd := asNobody(exec.CommandContext(ctx, bin, "-test.run=^$"))
	cmd.Env = append(os.Environ(), cliProcessEnv+"="+string(raw), "HOME=/nonexistent")
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if _, exited := err.(*exec.ExitError); err != nil && !exited {
		t.Fatalf("run tramso %s as nobody: %v", strings.Join(args, " "), err)
	}
	return cmd.ProcessState.ExitCode(), string(out)
}

// copyFile copies from to a new file to with mode.
func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// chownTest gives path to uid:gid, failing the test if it cannot.
func chownTest(t *testing.T, path string, uid, gid int) {
	t.Helper()
	if err := os.Chown(path, uid, gid); err != nil {
		t.Fatal(err)
	}
}
