package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// kioskDataOf makes a data directory owned by the kiosk's user (nobody) and
// a config that user reads, as the package lays them out.
func kioskDataOf(t *testing.T) (data, cfg string) {
	t.Helper()
	dir := nobodyDir(t)
	data, cfg = filepath.Join(dir, "data"), filepath.Join(dir, "config.yaml")
	if err := os.Mkdir(data, 0o750); err != nil {
		t.Fatal(err)
	}
	chownTest(t, data, nobodyUID, nobodyGID)
	writeDoctorConfig(t, cfg, "commune:\n  name: Ea Kao\n")
	chownTest(t, cfg, 0, nobodyGID)
	return data, cfg
}

// TestServeAsRootRefusesTheKioskUsersData: root running the kiosk on the
// service's data directory would leave root's files there, on which the
// service then stops (outside QA, s20); it is refused, naming the user.
func TestServeAsRootRefusesTheKioskUsersData(t *testing.T) {
	data, cfg := kioskDataOf(t)
	p := startTramso(t, "tramso serve", "", "serve", "--addr", "127.0.0.1:0", "--data", data, "--config", cfg)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("root's kiosk started on nobody's data directory:\n%s", p.out.String())
	}
	out := p.out.String()
	if code := p.cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(out, "belongs to user nobody") ||
		!strings.Contains(out, "sudo -u nobody tramso serve --data "+data) {
		t.Fatalf("exit %d, want 1 naming the user and how to run as them:\n%s", code, out)
	}
	if left, _ := os.ReadDir(data); len(left) > 0 {
		t.Fatalf("root left %d entries in the kiosk's data directory, the first %s", len(left), left[0].Name())
	}
}

// TestKioskStartNamesRootsFiles: the kiosk's user meets a folder root left in
// its data directory; the error names it, its owner, and the chown.
func TestKioskStartNamesRootsFiles(t *testing.T) {
	data, cfg := kioskDataOf(t)
	if err := os.Mkdir(filepath.Join(data, "content"), 0o750); err != nil { // root's, as `sudo tramso serve` left it
		t.Fatal(err)
	}
	code, out := tramsoAsNobody(t, "", "serve", "--addr", "127.0.0.1:0", "--data", data, "--config", cfg)
	if code != 1 || !strings.Contains(out, "permission denied") || !strings.Contains(out, "content (root)") ||
		!strings.Contains(out, "sudo chown -R nobody:nogroup "+data) {
		t.Fatalf("exit %d, want 1 naming content (root) and the chown:\n%s", code, out)
	}
}

// TestDataTypoIsRefused: a mistyped --data (outside QA: /var/lib/trams0) made
// a new, empty kiosk folder or hub and reported success; now it is refused
// unless --create-data asks for a new one.
func TestDataTypoIsRefused(t *testing.T) {
	t.Setenv(HubDBEnv, "")
	missing := filepath.Join(t.TempDir(), "dta")
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	writeDoctorConfig(t, cfg, "commune:\n  name: Ea Kao\n")
	for _, c := range []struct {
		name, usual string
		args        []string
	}{
		{"pack apply", "/var/lib/tramso", []string{"pack", "apply", "--data", missing, "--config", cfg, "pack.tspack"}},
		{"hub admin-user", "/var/lib/tramso-hub", []string{"hub", "admin-user", "--data", missing, "--user", "tinh"}},
	} {
		code, _, errOut := runCLI(t, c.args...)
		if code != 1 || !strings.Contains(errOut, "the data directory "+missing+" does not exist") ||
			!strings.Contains(errOut, "usually "+c.usual) || !strings.Contains(errOut, "--create-data") {
			t.Errorf("%s: exit %d, want 1 naming the path, the usual one and --create-data:\n%s", c.name, code, errOut)
		}
		if _, err := os.Stat(missing); !os.IsNotExist(err) {
			t.Fatalf("%s made %s: %v", c.name, missing, err)
		}
	}
}
