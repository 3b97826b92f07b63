package cli

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tramso/kiosk/config"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
)

// enrolledKiosk enrolls a new kiosk with h, confirming h's key by its id.
func enrolledKiosk(t *testing.T, h *enrollHub) (data, cfgPath string) {
	t.Helper()
	dir := t.TempDir()
	data, cfgPath = filepath.Join(dir, "data"), filepath.Join(dir, "config.yaml")
	writeDoctorConfig(t, cfgPath, commentedConfig)
	if code, out, errOut := runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", h.code(t), "--key-id", h.KeyID,
		"--data", data, "--config", cfgPath); code != 0 {
		t.Fatalf("enroll: exit %d: %s%s", code, out, errOut)
	}
	return data, cfgPath
}

// TestEnrollNeedsTheProvincesKeyID: without --key-id a non-interactive run
// refuses before spending the code; a key id the hub does not offer pins
// nothing and stores nothing.
func TestEnrollNeedsTheProvincesKeyID(t *testing.T) {
	h := startEnrollHub(t)
	dir := t.TempDir()
	data, cfgPath := filepath.Join(dir, "data"), filepath.Join(dir, "config.yaml")
	writeDoctorConfig(t, cfgPath, commentedConfig)
	code := h.code(t)
	exit, out, errOut := runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", code, "--data", data, "--config", cfgPath)
	if exit != 2 || !strings.Contains(errOut, "needs --key-id") {
		t.Fatalf("without --key-id: exit %d: %s%s", exit, out, errOut)
	}
	exit, out, errOut = runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", code, "--key-id", "0123456789abcdef", "--data", data, "--config", cfgPath)
	if exit != 1 || !strings.Contains(errOut, "may not be the province's hub") || !strings.Contains(errOut, h.KeyID) {
		t.Fatalf("wrong key id: exit %d: %s%s", exit, out, errOut)
	}
	if raw, _ := os.ReadFile(cfgPath); string(raw) != commentedConfig {
		t.Errorf("a refused enrollment changed the config:\n%s", raw)
	}
	if st, err := store.Open(data); err == nil {
		if _, ok, _ := store.LoadCredentials(t.Context(), st.DB); ok {
			t.Error("a refused enrollment stored credentials")
		}
		st.Close()
	}
	if exit, _, errOut := runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", "0", "--key-id", "XYZ", "--data", data, "--config", cfgPath); exit != 2 ||
		!strings.Contains(errOut, "not a key id") {
		t.Fatalf("malformed key id: exit %d: %s", exit, errOut)
	}
}

// TestEnrollConfirmsOnATerminal: without --key-id, a person at a terminal
// sees the key ids and must say yes.
func TestEnrollConfirmsOnATerminal(t *testing.T) {
	old := isTerminal
	isTerminal = func(io.Reader) bool { return true }
	t.Cleanup(func() { isTerminal = old })
	h := startEnrollHub(t)
	for _, c := range []struct {
		answer string
		exit   int
	}{{"n\n", 1}, {"yes\n", 0}} {
		dir := t.TempDir()
		cfgPath := filepath.Join(dir, "config.yaml")
		var out, errOut strings.Builder
		exit := Main([]string{"enroll", "--create-data", "--hub", h.URL, "--code", h.code(t), "--data", filepath.Join(dir, "data"), "--config", cfgPath, "--create-config"},
			Env{Stdin: strings.NewReader(c.answer), Stdout: &out, Stderr: &errOut})
		if exit != c.exit || !strings.Contains(out.String(), "key id "+h.KeyID) {
			t.Fatalf("answer %q: exit %d (want %d): %s%s", c.answer, exit, c.exit, out.String(), errOut.String())
		}
		cfg, _ := config.LoadOrDefault(cfgPath, false)
		if pinnedKeys := len(cfg.Hub.ProvinceKeys); (c.exit == 0) != (pinnedKeys == 1) {
			t.Fatalf("answer %q: %d key(s) pinned", c.answer, pinnedKeys)
		}
	}
}

// TestReEnrollNeverWidensTrust reproduces attack 4: re-enrolling with a
// rogue hub added the rogue's key next to the province's and moved hub.url,
// and the kiosk then applied the rogue's packs. Now a move needs --replace,
// a key is pinned only when its id was confirmed, and adding one next to the
// pinned keys needs --replace too; every refusal leaves the config as it was.
func TestReEnrollNeverWidensTrust(t *testing.T) {
	real := startEnrollHub(t)
	rogue := startEnrollHub(t)
	data, cfgPath := enrolledKiosk(t, real)
	before, _ := os.ReadFile(cfgPath)
	device := storedDevice(t, data)

	refuse := func(name, want string, args ...string) {
		t.Helper()
		args = append(append([]string{"enroll", "--create-data"}, args...), "--data", data, "--config", cfgPath)
		exit, out, errOut := runCLI(t, args...)
		if exit != 1 || !strings.Contains(errOut, want) {
			t.Fatalf("%s: exit %d, want a refusal saying %q:\n%s%s", name, exit, want, out, errOut)
		}
		if now, _ := os.ReadFile(cfgPath); string(now) != string(before) {
			t.Fatalf("%s: the config changed:\n%s", name, now)
		}
	}
	refuse("rogue hub, the real key id", "would move it", "--hub", rogue.URL, "--code", rogue.code(t), "--key-id", real.KeyID)
	refuse("rogue hub, its own key id", "would move it", "--hub", rogue.URL, "--code", rogue.code(t), "--key-id", rogue.KeyID)
	refuse("rogue hub with --replace", "may not be the province's hub",
		"--hub", rogue.URL, "--code", rogue.code(t), "--key-id", real.KeyID, "--replace")
	if dev := storedDevice(t, data); dev.DeviceID != device.DeviceID || dev.HubURL != device.HubURL {
		t.Fatalf("the stored enrollment changed: %+v", dev)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil || len(cfg.Hub.ProvinceKeys) != 1 || cfg.Hub.ProvinceKeys[0] != real.Key {
		t.Fatalf("pinned keys %v (%v), want only the province's", cfg.Hub.ProvinceKeys, err)
	}
}

// TestReEnrollWithANewProvinceKey: the province's own hub offering a second
// key adds nothing unless confirmed and --replace; then it says what changed.
func TestReEnrollWithANewProvinceKey(t *testing.T) {
	next, _, _ := ed25519.GenerateKey(rand.Reader)
	h := serveEnrollHub(t, false, next)
	data, cfgPath := enrolledKiosk(t, h)
	nextID := pack.KeyID(next)
	exit, out, errOut := runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", h.code(t), "--key-id", h.KeyID, "--data", data, "--config", cfgPath)
	if exit != 0 || !strings.Contains(out, "not confirmed, not pinned: "+nextID) || !strings.Contains(out, "hub.url:       unchanged") {
		t.Fatalf("re-enroll, old key id: exit %d: %s%s", exit, out, errOut)
	}
	exit, _, errOut = runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", h.code(t), "--key-id", nextID, "--data", data, "--config", cfgPath)
	if exit != 1 || !strings.Contains(errOut, "would be added") {
		t.Fatalf("new key without --replace: exit %d: %s", exit, errOut)
	}
	exit, out, errOut = runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", h.code(t), "--key-id", nextID, "--replace", "--data", data, "--config", cfgPath)
	if exit != 0 || !strings.Contains(out, "newly pinned: "+nextID) || !strings.Contains(out, "REMOVED: "+h.KeyID) {
		t.Fatalf("new key with --replace: exit %d: %s%s", exit, out, errOut)
	}
	cfg, _ := config.Load(cfgPath)
	if want := base64.StdEncoding.EncodeToString(next); len(cfg.Hub.ProvinceKeys) != 1 || cfg.Hub.ProvinceKeys[0] != want {
		t.Fatalf("pinned %v, want only the new key", cfg.Hub.ProvinceKeys)
	}
	if dev := storedDevice(t, data); len(dev.ProvinceKeys) != 1 || dev.ProvinceKeys[0] != cfg.Hub.ProvinceKeys[0] {
		t.Fatalf("stored enrollment keys %v", dev.ProvinceKeys)
	}
}
