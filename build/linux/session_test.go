// Package linux holds the Linux packaging (unit, session script, nfpm);
// its tests run the shell scripts the package installs.
package linux

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// standInCage plays cage for kiosk-session: it records what it was given,
// leaves the staff-quit marker as the app would when STANDIN_QUIT=1, then
// ends the way STANDIN_END says (an exit status, or "kill" for a crash by
// signal). cage 0.1.4 itself exits 0 whatever its client does.
const standInCage = `#!/bin/sh
printf '%s\n' "$*" >"$STANDIN_LOG"
printf 'marker=%s\n' "$TRAMSO_QUIT_MARKER" >>"$STANDIN_LOG"
if [ "${STANDIN_QUIT:-}" = 1 ]; then echo "staff quit" >"$TRAMSO_QUIT_MARKER"; fi
case "$STANDIN_END" in
kill) kill -KILL $$ ;;
*) exit "$STANDIN_END" ;;
esac
`

// TestKioskSessionStaffQuit runs the real kiosk-session with a stand-in cage
// first on PATH: a staff quit (the marker) ends it with 75, which the unit
// does not restart on; every other end keeps its status, so systemd restarts.
func TestKioskSessionStaffQuit(t *testing.T) {
	script, err := filepath.Abs("kiosk-session")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name       string
		staleMark  bool   // a marker left from before the session started
		quit       bool   // the app leaves the marker (staff quit)
		end        string // how the stand-in cage ends
		wantStatus int
	}{
		{"staff quit: stays stopped", false, true, "0", 75},
		{"staff quit, cage complains on the way out: still a staff quit", false, true, "1", 75},
		{"app closed by SIGTERM or the daily restart: restart", false, false, "0", 0},
		{"crash: restart", false, false, "1", 1},
		{"cage killed: restart", false, false, "kill", 137},
		{"an old marker does not turn a crash into a quit", true, false, "0", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			bin, run := filepath.Join(dir, "bin"), filepath.Join(dir, "run")
			for _, d := range []string{bin, run} {
				if err := os.Mkdir(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(bin, "cage"), []byte(standInCage), 0o755); err != nil {
				t.Fatal(err)
			}
			marker := filepath.Join(run, "staff-quit")
			if c.staleMark {
				if err := os.WriteFile(marker, []byte("old\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			log := filepath.Join(dir, "cage.log")
			quit := "0"
			if c.quit {
				quit = "1"
			}
			cmd := exec.Command(script)
			cmd.Env = []string{
				"PATH=" + bin + ":/usr/bin:/bin",
				"RUNTIME_DIRECTORY=" + run, // what systemd sets for RuntimeDirectory=tramso
				"CAGE_ARGS=-r", "TRAMSO_ARGS=--verbose",
				"STANDIN_LOG=" + log, "STANDIN_QUIT=" + quit, "STANDIN_END=" + c.end,
			}
			out, err := cmd.CombinedOutput()
			status := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				status = exit.ExitCode()
			} else if err != nil {
				t.Fatalf("kiosk-session did not run: %v\n%s", err, out)
			}
			if status != c.wantStatus {
				t.Errorf("exit status %d, want %d; output:\n%s", status, c.wantStatus, out)
			}
			if _, err := os.Stat(marker); !os.IsNotExist(err) {
				t.Errorf("the marker is still there after the session (%v): the next start would be taken for a quit", err)
			}
			got, err := os.ReadFile(log)
			if err != nil {
				t.Fatalf("the stand-in cage never ran: %v\n%s", err, out)
			}
			want := "-d -r -- /usr/bin/tramso --data /var/lib/tramso --config /etc/tramso/config.yaml --verbose\n" +
				"marker=" + marker + "\n"
			if string(got) != want {
				t.Errorf("cage got:\n%s\nwant:\n%s", got, want)
			}
			if c.wantStatus == 75 && !strings.Contains(string(out), "systemctl start tramso-kiosk") {
				t.Errorf("a staff quit should say in the journal how to start the kiosk again; output:\n%s", out)
			}
		})
	}
}
