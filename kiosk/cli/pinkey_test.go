package cli

import (
	"crypto/ed25519"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
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

	// The kiosk's content, signed by the old key alone: the drop warns
	// that it will not be trusted after the restart (outside QA R6).
	src, data := filepath.Join(tmp, "src"), filepath.Join(tmp, "data")
	mustRun(t, "pack", "export-starter", "--out", src)
	shown := filepath.Join(tmp, "shown.tspack")
	mustRun(t, "pack", "build", "--src", src, "--key", oldKey, "--out", shown, "--generation", "100")
	mustRun(t, "pack", "apply", "--data", data, "--create-data", "--config", cfgPath, shown)
	code, out, errOut := tramso(t, "pin-key", "--config", cfgPath, "--data", data, "--drop", oldID)
	if code != 0 || !strings.Contains(out, "dropped key id "+oldID) {
		t.Fatalf("drop: exit %d: %s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "warning: the content this kiosk has (generation 100) is signed by no key it pins now") {
		t.Fatalf("the drop does not warn that the content shown loses its key: %q", errOut)
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

	file := filepath.Join(tmp, "old.tspack")
	mustRun(t, "pack", "build", "--src", src, "--key", oldKey, "--out", file, "--generation", "101")
	if code, _, errOut := tramso(t, "pack", "apply", "--data", data, "--config", cfgPath, file); code != 1 ||
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

// TestPinKeyAsPeopleGiveIt: a key id read over the phone in capitals and
// groups, a province.pub saved by Notepad (a byte-order mark first), and a
// config that is a link all work (outside QA R10, R11).
func TestPinKeyAsPeopleGiveIt(t *testing.T) {
	tmp := t.TempDir()
	_, pub, id := keyPair(t, filepath.Join(tmp, "keys"))
	raw, _ := os.ReadFile(pub)
	notepad := filepath.Join(tmp, "notepad.pub")
	if err := os.WriteFile(notepad, append([]byte("\ufeff"), raw...), 0o644); err != nil {
		t.Fatal(err)
	}
	real := filepath.Join(tmp, "managed.yaml")
	writeDoctorConfig(t, real, "commune:\n  name: Xã Ea Tu\n")
	link := filepath.Join(tmp, "config.yaml")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	spoken := strings.ToUpper(id[:4] + " " + id[4:8] + " " + id[8:12] + " " + id[12:])
	mustRun(t, "pin-key", "--config", link, "--key-id", spoken, notepad)
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the config link became a file: %v", err)
	}
	if got := pinnedKeyIDs(t, real); !slices.Equal(got, []string{id}) {
		t.Fatalf("the link's target pins %v, want [%s]", got, id)
	}
}

// TestHubKeyFileHoldsBothKeysOfARotation: DATA/province.pub (or any --pub)
// may hold one key per line, so that every hub command reads both keys
// during a rotation (outside QA R2, R3: a second --pub replaced
// DATA/province.pub, and `hub rollback --key NEW` failed).
func TestHubKeyFileHoldsBothKeysOfARotation(t *testing.T) {
	tmp := t.TempDir()
	_, oldPub, _ := keyPair(t, filepath.Join(tmp, "old"))
	newKey, newPub, _ := keyPair(t, filepath.Join(tmp, "new"))
	oldRaw, _ := os.ReadFile(oldPub)
	newRaw, _ := os.ReadFile(newPub)
	both := filepath.Join(tmp, "province.pub")
	if err := os.WriteFile(both, []byte("# old key, until the rotation ends\n"+string(oldRaw)+"\n"+string(newRaw)), 0o644); err != nil {
		t.Fatal(err)
	}
	src, file := filepath.Join(tmp, "src"), filepath.Join(tmp, "new.tspack")
	mustRun(t, "pack", "export-starter", "--out", src)
	mustRun(t, "pack", "build", "--src", src, "--key", newKey, "--out", file)
	if out := mustRun(t, "pack", "verify", "--pub", both, file); !strings.HasPrefix(out, "ok: ") {
		t.Fatalf("verify with both keys: %s", out)
	}
	bad := filepath.Join(tmp, "bad.pub")
	if err := os.WriteFile(bad, append(oldRaw, []byte("not a key\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := tramso(t, "pack", "verify", "--pub", bad, file); code != 1 || !strings.Contains(errOut, "line 2") {
		t.Fatalf("a bad second line: exit %d: %s", code, errOut)
	}
}

// TestPackApplyToAKioskNotRestarted: pin-key changed the config, the kiosk
// was not restarted: the command's own check takes the pack, the running
// kiosk (still on its old keys) refuses it, and the technician is told to
// restart it (outside QA R8: only "refused … unknown_key").
func TestPackApplyToAKioskNotRestarted(t *testing.T) {
	tmp := t.TempDir()
	_, oldPub, _ := keyPair(t, filepath.Join(tmp, "old"))
	newKey, newPub, newID := keyPair(t, filepath.Join(tmp, "new"))
	src, data := filepath.Join(tmp, "src"), filepath.Join(tmp, "data")
	mustRun(t, "pack", "export-starter", "--out", src)
	file := filepath.Join(tmp, "new.tspack")
	mustRun(t, "pack", "build", "--src", src, "--key", newKey, "--out", file, "--generation", "100")
	running, err := store.Open(data) // the kiosk, started while it pinned the old key only
	if err != nil {
		t.Fatal(err)
	}
	defer running.Close()
	packs, err := pack.OpenStore(t.Context(), running)
	if err != nil {
		t.Fatal(err)
	}
	go packs.WatchInbox(t.Context(), []ed25519.PublicKey{mustPub(t, oldPub)}, 50*time.Millisecond)

	cfgPath := filepath.Join(tmp, "config.yaml")
	mustRun(t, "pin-key", "--config", cfgPath, "--create-config", "--key-id", newID, newPub)
	code, _, errOut := tramso(t, "pack", "apply", "--data", data, "--config", cfgPath, file)
	if code != 1 || !strings.Contains(errOut, "unknown_key") || !strings.Contains(errOut, "restart it") {
		t.Fatalf("a kiosk not restarted after pin-key: exit %d: %s", code, errOut)
	}
}

// TestPinKeyKeepsTheListsComments: a drop keeps the other keys' lines with
// their comments, and the list its block style (outside QA R9).
func TestPinKeyKeepsTheListsComments(t *testing.T) {
	tmp := t.TempDir()
	_, oldPub, oldID := keyPair(t, filepath.Join(tmp, "old"))
	_, newPub, newID := keyPair(t, filepath.Join(tmp, "new"))
	oldRaw, _ := os.ReadFile(oldPub)
	newRaw, _ := os.ReadFile(newPub)
	cfgPath := filepath.Join(tmp, "config.yaml")
	writeDoctorConfig(t, cfgPath, "hub:\n  province_keys:\n    - \""+strings.TrimSpace(string(oldRaw))+"\" # the 2025 key\n"+
		"    - \""+strings.TrimSpace(string(newRaw))+"\" # the 2027 key, from March\n")
	mustRun(t, "pin-key", "--config", cfgPath, "--drop", oldID)
	body, _ := os.ReadFile(cfgPath)
	if !strings.Contains(string(body), "    - \""+strings.TrimSpace(string(newRaw))+"\" # the 2027 key, from March\n") {
		t.Fatalf("the kept key lost its line or comment:\n%s", body)
	}
	if got := pinnedKeyIDs(t, cfgPath); !slices.Equal(got, []string{newID}) {
		t.Fatalf("pinned %v", got)
	}
}
