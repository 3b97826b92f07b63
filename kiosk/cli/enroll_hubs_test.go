package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tramso/kiosk/config"
)

// TestEnrollWithSeveralHubs: `--hub` given per hub (or as a comma list)
// enrolls through the first hub that answers, a hub that is down included in
// the list, and writes them all to hub.urls. Enrolling again through some of
// those hubs moves nothing and keeps the list; naming a hub the kiosk does
// not use yet is a move and needs --replace, refused before the code is spent.
func TestEnrollWithSeveralHubs(t *testing.T) {
	h := startEnrollHub(t)
	live := strings.Replace(h.URL, "http://", "ws://", 1) + "/ws"
	down, other := "ws://"+closedPort(t)+"/ws", "ws://"+closedPort(t)+"/ws"
	dir := t.TempDir()
	cfgPath, data := filepath.Join(dir, "config.yaml"), filepath.Join(dir, "data")
	writeDoctorConfig(t, cfgPath, commentedConfig)
	enroll := func(code string, args ...string) (int, string, string) {
		return runCLI(t, append([]string{"enroll", "--create-data", "--code", code, "--key-id", h.KeyID, "--data", data, "--config", cfgPath}, args...)...)
	}
	hubsNow := func() []string {
		t.Helper()
		cfg, err := config.Load(cfgPath)
		if err != nil {
			raw, _ := os.ReadFile(cfgPath)
			t.Fatalf("written config does not load: %v\n%s", err, raw)
		}
		if cfg.Hub.URL != "" && len(cfg.Hub.URLs) > 0 {
			t.Fatalf("both hub.url and hub.urls written: %+v", cfg.Hub)
		}
		return cfg.Hub.Addresses("")
	}

	if code, out, errOut := enroll(h.code(t), "--hub", down, "--hub", h.URL); code != 0 {
		t.Fatalf("first hub down: exit %d: %s%s", code, out, errOut)
	}
	if got := hubsNow(); !slices.Equal(got, []string{down, live}) {
		t.Fatalf("hub.urls = %q, want %q", got, []string{down, live})
	}
	if dev := storedDevice(t, data); dev.DeviceID == "" {
		t.Fatal("no device stored")
	}

	code, out, errOut := enroll(h.code(t), "--hub", h.URL)
	if code != 0 || !strings.Contains(out, "unchanged") {
		t.Fatalf("through one of its hubs: exit %d: %s%s", code, out, errOut)
	}
	if got := hubsNow(); !slices.Equal(got, []string{down, live}) {
		t.Fatalf("enrolling through one of its hubs changed hub.urls to %q", got)
	}

	moving := h.code(t)
	code, out, errOut = enroll(moving, "--hub", h.URL+","+other)
	if code != 1 || !strings.Contains(errOut, "would move it to another hub") {
		t.Fatalf("a new hub without --replace: exit %d: %s%s", code, out, errOut)
	}
	code, out, errOut = enroll(moving, "--hub", h.URL+","+other, "--replace")
	if code != 0 || !strings.Contains(out, "MOVED") {
		t.Fatalf("with --replace (the refused run must not have spent the code): exit %d: %s%s", code, out, errOut)
	}
	if got := hubsNow(); !slices.Equal(got, []string{live, other}) {
		t.Fatalf("hub.urls = %q, want %q", got, []string{live, other})
	}

	if code, out, errOut := enroll(h.code(t), "--hub", h.URL, "--replace"); code != 0 {
		t.Fatalf("back to one hub: exit %d: %s%s", code, out, errOut)
	}
	if got := hubsNow(); !slices.Equal(got, []string{live}) {
		t.Fatalf("one hub again: %q, want hub.url %s alone", got, live)
	}
}

func TestEnrollRefusesAHubGivenTwice(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	writeDoctorConfig(t, cfgPath, commentedConfig)
	code, out, errOut := runCLI(t, "enroll", "--create-data", "--hub", "wss://a.example/ws,https://A.example", "--code", "X", "--key-id", "0123456789abcdef",
		"--data", filepath.Join(dir, "data"), "--config", cfgPath)
	if code != 2 || !strings.Contains(errOut, "given twice") {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
}
