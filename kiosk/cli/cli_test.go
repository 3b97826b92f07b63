package cli

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"tramso/kiosk/station"
)

// runCLI runs the command line in-process and returns its exit status and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{
		Assets: fstest.MapFS{"index.html": {Data: []byte("<html></html>")}},
		Desktop: func(ctx context.Context, st *station.Station, assets fs.FS, opts DesktopOptions) error {
			return nil
		},
		Stdin:  strings.NewReader(""), // not a terminal: nothing is ever confirmed by accident
		Stdout: &out, Stderr: &errOut,
	}
	code := Main(args, env)
	return code, out.String(), errOut.String()
}

func TestHelpExplainsEveryCommand(t *testing.T) {
	code, out, _ := runCLI(t, "--help")
	if code != 0 {
		t.Fatalf("--help exit %d", code)
	}
	for _, c := range commands() {
		if !strings.Contains(out, c.name) {
			t.Errorf("tramso --help does not list %q", c.name)
		}
		code, out, errOut := runCLI(t, c.name, "--help")
		if code != 0 || !strings.Contains(out, "Usage: tramso "+c.name) {
			t.Errorf("tramso %s --help: exit %d\n%s%s", c.name, code, out, errOut)
		}
	}
}

func TestBadUsageExitsTwo(t *testing.T) {
	cases := [][]string{
		{"frobnicate"},
		{"serve", "--bogus"},
		{"serve", "--addr", "no-port"},
		{"--nonsense"},
		{"version", "extra"},
	}
	for _, args := range cases {
		code, _, errOut := runCLI(t, args...)
		if code != 2 || !strings.Contains(errOut, "tramso") {
			t.Errorf("tramso %s: exit %d, stderr %q; want exit 2 and a message", strings.Join(args, " "), code, errOut)
		}
	}
}

func TestBadConfigNamesTheField(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	os.WriteFile(cfg, []byte("idle:\n  warning_seconds: 5\n"), 0o600)
	code, _, errOut := runCLI(t, "--data", t.TempDir(), "--config", cfg)
	if code != 1 || !strings.Contains(errOut, "idle.warning_seconds") {
		t.Fatalf("bad config: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "--data", t.TempDir(), "--config", filepath.Join(t.TempDir(), "missing.yaml"))
	if code != 1 || !strings.Contains(errOut, "missing.yaml") {
		t.Fatalf("missing explicit config: exit %d, stderr %q", code, errOut)
	}
}

func TestSecondInstanceRefused(t *testing.T) {
	data := t.TempDir()
	st, err := station.Open(station.Options{DataDir: data, ConfigPath: filepath.Join(data, "none.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	code, _, errOut := runCLI(t, "--data", data)
	if code != 1 || !strings.Contains(errOut, "already using this data directory") {
		t.Fatalf("second instance: exit %d, stderr %q", code, errOut)
	}
}

func TestDesktopRunsWithDefaults(t *testing.T) {
	code, _, errOut := runCLI(t, "--windowed", "--data", t.TempDir(), "--config", writeConfig(t, "commune:\n  name: Xã Thử\n"))
	if code != 0 {
		t.Fatalf("kiosk with a good config: exit %d, %s", code, errOut)
	}
}

func writeConfig(t *testing.T, body string) string {
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
