package cli

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tramso/kiosk/config"
	"tramso/kiosk/pack"
)

// keyPair makes a province key pair in dir and returns its files and id.
func keyPair(t *testing.T, dir string) (key, pub, id string) {
	t.Helper()
	mustRun(t, "keygen", "--out", dir)
	key, pub = filepath.Join(dir, "province.key"), filepath.Join(dir, "province.pub")
	return key, pub, pack.KeyID(mustPub(t, pub))
}

func pinnedKeyIDs(t *testing.T, cfgPath string) []string {
	t.Helper()
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, k := range cfg.Keys() {
		out = append(out, pack.KeyID(k))
	}
	return out
}

// TestPinKeyForAUSBCommune: a commune with no link gets a USB stick with a
// pack and province.pub, and the key id on paper. Before pin-key the kiosk
// refuses the pack (no key pinned) and the only way was editing YAML by hand.
func TestPinKeyForAUSBCommune(t *testing.T) {
	tmp := t.TempDir()
	key, pub, id := keyPair(t, filepath.Join(tmp, "keys"))
	src, file, data := filepath.Join(tmp, "src"), filepath.Join(tmp, "p.tspack"), filepath.Join(tmp, "data")
	mustRun(t, "pack", "export-starter", "--out", src)
	mustRun(t, "pack", "build", "--src", src, "--key", key, "--out", file)
	cfgPath := filepath.Join(tmp, "config.yaml")
	const orig = "# Nhà văn hóa Ea Tu\ncommune:\n  name: Xã Ea Tu # the name residents see\n"
	if err := os.WriteFile(cfgPath, []byte(orig), 0o640); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := tramso(t, "pack", "apply", "--data", data, "--create-data", "--config", cfgPath, file); code != 1 ||
		!strings.Contains(errOut, "pins no province key") {
		t.Fatalf("apply before pinning: exit %d: %s", code, errOut)
	}

	out := mustRun(t, "pin-key", "--config", cfgPath, "--key-id", id, pub)
	if !strings.Contains(out, "pinned key id "+id) || !strings.Contains(out, "restart the kiosk") {
		t.Fatalf("pin-key says:\n%s", out)
	}
	if got := pinnedKeyIDs(t, cfgPath); !slices.Equal(got, []string{id}) {
		t.Fatalf("pinned %v, want [%s]", got, id)
	}
	body, _ := os.ReadFile(cfgPath)
	for _, keep := range []string{"# Nhà văn hóa Ea Tu", "name: Xã Ea Tu # the name residents see"} {
		if !strings.Contains(string(body), keep) {
			t.Errorf("pin-key lost %q:\n%s", keep, body)
		}
	}
	if st, _ := os.Stat(cfgPath); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", st.Mode().Perm())
	}
	mustRun(t, "pack", "apply", "--data", data, "--create-data", "--config", cfgPath, file)

	// The same key again changes nothing.
	if out := mustRun(t, "pin-key", "--config", cfgPath, "--key-id", id, pub); !strings.Contains(out, "nothing to change") {
		t.Fatalf("pinning a pinned key again: %s", out)
	}
}

// TestPinKeyTrustsOnlyTheProvincesID: the stick is not trusted for the key
// it carries. Every refusal leaves the config as it was.
func TestPinKeyTrustsOnlyTheProvincesID(t *testing.T) {
	tmp := t.TempDir()
	key, pub, id := keyPair(t, filepath.Join(tmp, "real"))
	_, rogue, rogueID := keyPair(t, filepath.Join(tmp, "rogue"))
	cfgPath := filepath.Join(tmp, "config.yaml")
	const orig = "commune:\n  name: Xã Ea Tu\n"
	if err := os.WriteFile(cfgPath, []byte(orig), 0o640); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		exit int
		says string
	}{
		{"someone else's key on the stick", []string{"--key-id", id, rogue}, 1, "not the key id " + id},
		{"a second file the ids do not name", []string{"--key-id", id, pub, rogue}, 1, "key id " + rogueID + " is not among"},
		{"no id, not at a terminal", []string{pub}, 2, "needs --key-id"},
		{"a malformed id", []string{"--key-id", "XYZ", pub}, 2, "not a key id"},
		{"the private key", []string{"--key-id", id, key}, 1, "never copy province.key to a kiosk"},
		{"a missing file", []string{"--key-id", id, filepath.Join(tmp, "nope.pub")}, 1, "no such file"},
		{"a flag after the file", []string{pub, "--key-id", id}, 2, "give the flags first"},
		{"nothing to do", nil, 2, "needs a province.pub"},
		{"dropping a key not pinned", []string{"--drop", id}, 1, "pins no key with that id"},
	} {
		code, out, errOut := tramso(t, append([]string{"pin-key", "--config", cfgPath}, c.args...)...)
		if code != c.exit || !strings.Contains(errOut, c.says) {
			t.Errorf("%s: exit %d (want %d), stderr should say %q:\n%s%s", c.name, code, c.exit, c.says, out, errOut)
		}
		if body, _ := os.ReadFile(cfgPath); string(body) != orig {
			t.Fatalf("%s: config changed to:\n%s", c.name, body)
		}
	}
}

// TestPinKeyConfirmsOnATerminal: without --key-id a person at the terminal
// sees the id and must say yes, as enroll asks.
func TestPinKeyConfirmsOnATerminal(t *testing.T) {
	old := isTerminal
	isTerminal = func(io.Reader) bool { return true }
	t.Cleanup(func() { isTerminal = old })
	tmp := t.TempDir()
	_, pub, id := keyPair(t, filepath.Join(tmp, "keys"))
	for _, c := range []struct {
		answer string
		exit   int
		pinned int
	}{{"\n", 1, 0}, {"y\n", 0, 1}} {
		cfgPath := filepath.Join(t.TempDir(), "config.yaml")
		var out, errOut strings.Builder
		exit := Main([]string{"pin-key", "--config", cfgPath, "--create-config", pub}, Env{Stdin: strings.NewReader(c.answer), Stdout: &out, Stderr: &errOut})
		if exit != c.exit || !strings.Contains(out.String(), "key id "+id) || !strings.Contains(out.String(), "not from the stick") {
			t.Fatalf("answer %q: exit %d (want %d): %s%s", c.answer, exit, c.exit, out.String(), errOut.String())
		}
		cfg, _ := config.LoadOrDefault(cfgPath, false)
		if len(cfg.Hub.ProvinceKeys) != c.pinned {
			t.Fatalf("answer %q: %d key(s) pinned, want %d", c.answer, len(cfg.Hub.ProvinceKeys), c.pinned)
		}
	}
}

// TestPinKeyRotation: README's rotation on a USB-only kiosk — pin the new
// key beside the old, later drop the old one; the last key cannot be
// dropped, and after the drop a pack signed only by the old key is refused.
func TestPinKeyRotation(t *testing.T) {
	tmp := t.TempDir()
	oldKey, oldPub, oldID := keyPair(t, filepath.Join(tmp, "old"))
	_, newPub, newID := keyPair(t, filepath.Join(tmp, "new"))
	cfgPath := filepath.Join(tmp, "config.yaml")
	mustRun(t, "pin-key", "--config", cfgPath, "--create-config", "--key-id", oldID, oldPub)
	mustRun(t, "pin-key", "--config", cfgPath, "--key-id", newID, newPub)
	if got := pinnedKeyIDs(t, cfgPath); !slices.Equal(got, []string{oldID, newID}) {
		t.Fatalf("after adding the new key: %v", got)
	}

	out := mustRun(t, "pin-key", "--config", cfgPath, "--drop", oldID)
	if !strings.Contains(out, "dropped key id "+oldID) {
		t.Fatalf("drop says: %s", out)
	}
	if got := pinnedKeyIDs(t, cfgPath); !slices.Equal(got, []string{newID}) {
		t.Fatalf("after dropping the old key: %v", got)
	}
	before, _ := os.ReadFile(cfgPath)
	if code, _, errOut := tramso(t, "pin-key", "--config", cfgPath, "--drop", newID); code != 1 || !strings.Contains(errOut, "would pin no province key") {
		t.Fatalf("dropping the last key: exit %d: %s", code, errOut)
	}
	if after, _ := os.ReadFile(cfgPath); string(after) != string(before) {
		t.Fatalf("a refused drop changed the config:\n%s", after)
	}

	src, file := filepath.Join(tmp, "src"), filepath.Join(tmp, "old.tspack")
	mustRun(t, "pack", "export-starter", "--out", src)
	mustRun(t, "pack", "build", "--src", src, "--key", oldKey, "--out", file)
	if code, _, errOut := tramso(t, "pack", "apply", "--data", filepath.Join(tmp, "data"), "--create-data", "--config", cfgPath, file); code != 1 ||
		!strings.Contains(errOut, "unknown_key") {
		t.Fatalf("a pack signed only by the dropped key: exit %d: %s", code, errOut)
	}
}

// TestPinKeyWithoutRootSaysSudo: the installed config is root's; a
// technician who forgot sudo is told the whole command to run again.
func TestPinKeyWithoutRootSaysSudo(t *testing.T) {
	dir := nobodyDir(t)
	_, pub, id := keyPair(t, filepath.Join(dir, "keys"))
	path := filepath.Join(dir, "config.yaml")
	const orig = "commune:\n  name: Xã Ea Tu\n"
	writeDoctorConfig(t, path, orig)
	code, out := tramsoAsNobody(t, "", "pin-key", "--config", path, "--key-id", id, pub)
	if code != 1 || !strings.Contains(out, "sudo tramso pin-key --config "+path+" --key-id "+id+" "+pub) {
		t.Fatalf("exit %d, want 1 saying to run it again with sudo:\n%s", code, out)
	}
	if body, _ := os.ReadFile(path); string(body) != orig {
		t.Fatalf("config changed to %q", body)
	}
}

// TestDevNullIsNoTerminal: a script or a unit started with /dev/null as its
// input (a character device, as a terminal is) was asked to confirm keys
// nobody could answer; it is told to give --key-id instead.
func TestDevNullIsNoTerminal(t *testing.T) {
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	_, pub, _ := keyPair(t, filepath.Join(t.TempDir(), "keys"))
	var out, errOut strings.Builder
	code := Main([]string{"pin-key", "--config", filepath.Join(t.TempDir(), "config.yaml"), pub}, Env{Stdin: null, Stdout: &out, Stderr: &errOut})
	if code != 2 || !strings.Contains(errOut.String(), "needs --key-id") {
		t.Fatalf("stdin /dev/null: exit %d, want 2 asking for --key-id:\n%s%s", code, out.String(), errOut.String())
	}
}

// TestOpenPrivateKeyWarns: a province.key others may read (copied with cp
// -r, or onto a FAT stick) still signs, with a warning saying how to close
// it; a 0600 key signs without one.
func TestOpenPrivateKeyWarns(t *testing.T) {
	tmp := t.TempDir()
	key, _, _ := keyPair(t, filepath.Join(tmp, "keys"))
	src := filepath.Join(tmp, "src")
	mustRun(t, "pack", "export-starter", "--out", src)
	build := func(out string) string {
		code, _, errOut := tramso(t, "pack", "build", "--src", src, "--key", key, "--out", filepath.Join(tmp, out))
		if code != 0 {
			t.Fatalf("pack build: exit %d: %s", code, errOut)
		}
		return errOut
	}
	if errOut := build("closed.tspack"); strings.Contains(errOut, "warning") {
		t.Fatalf("a 0600 key warned: %s", errOut)
	}
	if err := os.Chmod(key, 0o644); err != nil {
		t.Fatal(err)
	}
	if errOut := build("open.tspack"); !strings.Contains(errOut, "mode 0644") || !strings.Contains(errOut, "chmod 600 "+key) {
		t.Fatalf("a 0644 key did not warn: %q", errOut)
	}
}
