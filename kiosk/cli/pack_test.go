package cli

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
)

// tramso runs the command line in-process and returns exit status and output.
func tramso(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(args, Env{Stdout: &out, Stderr: &errOut})
	return code, out.String(), errOut.String()
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := tramso(t, args...)
	if code != 0 {
		t.Fatalf("tramso %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func TestKeygen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	out := mustRun(t, "keygen", "--out", dir)
	info, err := os.Stat(filepath.Join(dir, "province.key"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("province.key mode %v, %v", info.Mode(), err)
	}
	pub, err := pack.ReadPublicKey(filepath.Join(dir, "province.pub"))
	if err != nil {
		t.Fatal(err)
	}
	priv, err := pack.ReadPrivateKey(filepath.Join(dir, "province.key"))
	if err != nil || !priv.Public().(ed25519.PublicKey).Equal(pub) {
		t.Fatalf("key pair does not match: %v", err)
	}
	if !strings.Contains(out, strings.TrimSpace(pack.EncodePublicKey(pub))) || !strings.Contains(out, "--key-id "+pack.KeyID(pub)) {
		t.Fatalf("keygen does not print the key to pin and its id for enrollment:\n%s", out)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "province.key"))
	code, _, errOut := tramso(t, "keygen", "--out", dir)
	after, _ := os.ReadFile(filepath.Join(dir, "province.key"))
	if code != 1 || !strings.Contains(errOut, "refusing to overwrite") || !bytes.Equal(before, after) {
		t.Fatalf("second keygen: exit %d, %s", code, errOut)
	}
	if code, _, _ := tramso(t, "keygen"); code != 2 {
		t.Fatalf("keygen without --out: exit %d", code)
	}
}

// TestPackRoundTrip: keygen → export-starter → lint → build → verify → apply,
// then the kiosk's data folder serves the pack.
func TestPackRoundTrip(t *testing.T) {
	tmp := t.TempDir()
	keys, src, data := filepath.Join(tmp, "keys"), filepath.Join(tmp, "src"), filepath.Join(tmp, "data")
	key, pub := filepath.Join(keys, "province.key"), filepath.Join(keys, "province.pub")
	mustRun(t, "keygen", "--out", keys)
	mustRun(t, "pack", "export-starter", "--out", src)
	if out := mustRun(t, "pack", "lint", "--src", src); !strings.Contains(out, "no problems") {
		t.Fatalf("lint: %s", out)
	}
	file1, file2 := filepath.Join(tmp, "one.tspack"), filepath.Join(tmp, "two.tspack")
	mustRun(t, "pack", "build", "--src", src, "--key", key, "--out", file1)
	mustRun(t, "pack", "build", "--src", src, "--key", key, "--out", file2, "--generation", "9999999999", "--generation-ahead")
	if out := mustRun(t, "pack", "verify", "--pub", pub, file1); !strings.HasPrefix(out, "ok: ") {
		t.Fatalf("verify: %s", out)
	}
	cfg := pinConfig(t, pub)
	mustRun(t, "pack", "apply", "--data", data, "--create-data", "--config", cfg, file1)
	// The same pack again (the same stick plugged in twice) is no refusal
	// (outside QA s26, finding 4).
	code, out, errOut := tramso(t, "pack", "apply", "--data", data, "--config", cfg, "--pub", pub, file1)
	if code != 0 || !regexp.MustCompile(`^generation \d+ "[^"]+" is already installed in .*, nothing to do\n$`).MatchString(out) {
		t.Fatalf("the same pack again: exit %d: %q %s", code, out, errOut)
	}
	mustRun(t, "pack", "apply", "--data", data, "--config", cfg, "--pub", pub, file2)
	// The first pack after a newer one: staff's old stick, said calmly; not applied.
	code, _, errOut = tramso(t, "pack", "apply", "--data", data, "--config", cfg, "--pub", pub, file1)
	if code != 1 || !strings.Contains(errOut, "not_newer") || !strings.Contains(errOut, "keeps its current content, nothing to do") ||
		strings.Contains(errOut, "rollback") {
		t.Fatalf("an older pack: exit %d: %s", code, errOut)
	}

	st, err := store.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	packs, err := pack.OpenStore(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	live, err := packs.Serve(context.Background(), nil, []ed25519.PublicKey{mustPub(t, pub)})
	if err != nil {
		t.Fatal(err)
	}
	if got := live.Get(); got.Source != content.SourcePack || got.Pack.Meta.Generation != 9999999999 {
		t.Fatalf("kiosk serves %s generation %d", got.Source, got.Pack.Meta.Generation)
	}
	state, _ := st.ContentState(context.Background())
	if state.Previous < 2 || state.Previous >= 9999999999 {
		t.Fatalf("state %+v: the default generation should be the build time", state)
	}
}

func TestPackVerifyRefuses(t *testing.T) {
	tmp := t.TempDir()
	mustRun(t, "keygen", "--out", filepath.Join(tmp, "a"))
	mustRun(t, "keygen", "--out", filepath.Join(tmp, "b"))
	src, file := filepath.Join(tmp, "src"), filepath.Join(tmp, "p.tspack")
	mustRun(t, "pack", "export-starter", "--out", src)
	mustRun(t, "pack", "build", "--src", src, "--key", filepath.Join(tmp, "a", "province.key"), "--out", file)
	code, _, errOut := tramso(t, "pack", "verify", "--pub", filepath.Join(tmp, "b", "province.pub"), file)
	if code != 1 || !strings.Contains(errOut, "unknown_key") {
		t.Fatalf("verify with another key: exit %d: %s", code, errOut)
	}
}

// TestPackApplyWhileKioskRuns: with a kiosk on the data folder, pack apply
// hands the pack to it; the kiosk applies it with its own pinned keys.
func TestPackApplyWhileKioskRuns(t *testing.T) {
	tmp := t.TempDir()
	mustRun(t, "keygen", "--out", tmp)
	src, data := filepath.Join(tmp, "src"), filepath.Join(tmp, "data")
	pub := filepath.Join(tmp, "province.pub")
	mustRun(t, "pack", "export-starter", "--out", src)
	build := func(gen string) string {
		file := filepath.Join(tmp, gen+".tspack")
		mustRun(t, "pack", "build", "--src", src, "--key", filepath.Join(tmp, "province.key"), "--out", file, "--generation", gen)
		return file
	}
	running, err := store.Open(data) // holds the data folder's lock, as a running kiosk does
	if err != nil {
		t.Fatal(err)
	}
	defer running.Close()
	packs, err := pack.OpenStore(context.Background(), running)
	if err != nil {
		t.Fatal(err)
	}
	key, err := pack.ReadPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}

	// A kiosk that does not take the pack (yet): the command says so and leaves it queued.
	cfg := pinConfig(t, pub)
	code, _, errOut := tramso(t, "pack", "apply", "--data", data, "--config", cfg, "--wait", "300ms", build("100"))
	if code != 1 || !strings.Contains(errOut, "has not answered") {
		t.Fatalf("apply to a kiosk that does not answer: exit %d: %s", code, errOut)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go packs.WatchInbox(ctx, []ed25519.PublicKey{key}, 50*time.Millisecond)
	out := mustRun(t, "pack", "apply", "--data", data, "--config", cfg, build("200"))
	if !strings.Contains(out, "the running kiosk applied generation 200") {
		t.Fatalf("apply to a running kiosk: %s", out)
	}
	code, _, errOut = tramso(t, "pack", "apply", "--data", data, "--config", cfg, "--pub", pub, build("150"))
	if code != 1 || !strings.Contains(errOut, "refused") || !strings.Contains(errOut, "not_newer") ||
		!strings.Contains(errOut, "keeps its current content, nothing to do") {
		t.Fatalf("older pack to a running kiosk: exit %d: %s", code, errOut)
	}
	state, _ := running.ContentState(context.Background())
	if state.Current != 200 || state.Previous != 100 {
		t.Fatalf("state %+v: want the queued 100, then 200", state)
	}
	// The installed pack again: nothing to do, and staff see no refusal
	// for it (outside QA s26, finding 4); the older one stays refused.
	out = mustRun(t, "pack", "apply", "--data", data, "--config", cfg, filepath.Join(tmp, "200.tspack"))
	if !strings.Contains(out, `the running kiosk already has generation 200 "`) || !strings.HasSuffix(out, "installed, nothing to do\n") {
		t.Fatalf("the installed pack again: %s", out)
	}
	refused, _ := running.RecentContentRejections(context.Background(), 10)
	if len(refused) != 1 || refused[0].Generation != 150 || refused[0].Kind != string(pack.KindNotNewer) {
		t.Fatalf("refusals recorded: %+v; want only the older pack's", refused)
	}
	// Only the answer nobody waited for is left (dropped after a day).
	if left, _ := filepath.Glob(filepath.Join(pack.InboxDir(data), "*")); len(left) != 1 || !strings.HasSuffix(left[0], ".result") {
		t.Fatalf("inbox keeps %v", left)
	}
}

func TestPackLintNamesProblems(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	mustRun(t, "pack", "export-starter", "--out", src)
	os.WriteFile(filepath.Join(src, "pack.yaml"), []byte("schema: 1\ngeneration: 1\ntitle: x\ncolour: red\n"), 0o644)
	os.Symlink("/etc/passwd", filepath.Join(src, "media", "passwd.svg"))
	code, _, errOut := tramso(t, "pack", "lint", "--src", src)
	if code != 1 || !strings.Contains(errOut, "pack.yaml") || !strings.Contains(errOut, "media/passwd.svg: is not a regular file") {
		t.Fatalf("lint of a broken source: exit %d:\n%s", code, errOut)
	}
	if code, _, _ := tramso(t, "pack", "build", "--src", src, "--key", "nope", "--out", "x", "--generation", "1"); code != 2 {
		t.Fatalf("build --generation 1: exit %d", code)
	}
}

func TestPackLintDiagram(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	mustRun(t, "pack", "export-starter", "--out", src)
	p, err := content.Load(content.Starter())
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut := tramso(t, "pack", "lint", "--src", src, "--diagram", "no-such-flow")
	if code != 1 || !strings.Contains(errOut, `no flow "no-such-flow"`) {
		t.Fatalf("unknown flow: exit %d: %s", code, errOut)
	}
	flows := p.Flows()
	if len(flows) == 0 {
		return // the starter has no flow to draw yet
	}
	for _, format := range []string{"mermaid", "dot"} {
		out := mustRun(t, "pack", "lint", "--src", src, "--diagram", flows[0].Flow.ID, "--format", format)
		if !strings.Contains(out, map[string]string{"mermaid": "flowchart", "dot": "digraph"}[format]) {
			t.Fatalf("%s diagram:\n%s", format, out)
		}
	}
}

// speech-path names where a recorded line goes, for texts given as arguments
// or one per line on stdin (blank lines skipped), and refuses an unknown language.
func TestPackSpeechPath(t *testing.T) {
	var out, errOut bytes.Buffer
	code := Main([]string{"pack", "speech-path", "Bạn muốn làm gì?"}, Env{Stdout: &out, Stderr: &errOut})
	if code != 0 || out.String() != "media/speech/vi/189b07ceb97de9ff.ogg\tBạn muốn làm gì?\n" {
		t.Fatalf("exit %d, out %q, err %q", code, out.String(), errOut.String())
	}
	out.Reset()
	code = Main([]string{"pack", "speech-path", "--lang", "en"}, Env{Stdin: strings.NewReader("Search\n\n  Home \n"), Stdout: &out, Stderr: &errOut})
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if code != 0 || len(lines) != 2 || !strings.HasPrefix(lines[0], "media/speech/en/") || !strings.HasSuffix(lines[1], "\tHome") {
		t.Fatalf("stdin: exit %d, out %q", code, out.String())
	}
	if code := Main([]string{"pack", "speech-path", "--lang", "fr", "x"}, Env{Stdout: &out, Stderr: &errOut}); code != 2 {
		t.Fatalf("unknown language: exit %d, want 2", code)
	}
}

// pinConfig writes a kiosk config that pins the key in the province.pub file.
func pinConfig(t *testing.T, pubFiles ...string) string {
	t.Helper()
	var keys []string
	for _, f := range pubFiles {
		k, err := pack.ReadPublicKey(f)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, strconv.Quote(strings.TrimSpace(pack.EncodePublicKey(k))))
	}
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("hub:\n  province_keys: ["+strings.Join(keys, ", ")+"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPackApplyTrustsOnlyPinnedKeys: attack 3 — with the kiosk stopped, a
// USB stick carrying its own province.pub and a pack signed by that key
// installed foreign content. Now the config's pinned keys decide; --pub only
// narrows them; and a kiosk whose config pins nothing takes nothing.
func TestPackApplyTrustsOnlyPinnedKeys(t *testing.T) {
	tmp := t.TempDir()
	real, rogue := filepath.Join(tmp, "real"), filepath.Join(tmp, "rogue")
	mustRun(t, "keygen", "--out", real)
	mustRun(t, "keygen", "--out", rogue)
	src, data := filepath.Join(tmp, "src"), filepath.Join(tmp, "data")
	if err := os.Mkdir(data, 0o750); err != nil { // the kiosk's folder, as the package makes it
		t.Fatal(err)
	}
	mustRun(t, "pack", "export-starter", "--out", src)
	foreign := filepath.Join(tmp, "foreign.tspack")
	mustRun(t, "pack", "build", "--src", src, "--key", filepath.Join(rogue, "province.key"), "--out", foreign)
	pinned := pinConfig(t, filepath.Join(real, "province.pub"))
	empty := filepath.Join(tmp, "empty.yaml")
	os.WriteFile(empty, []byte("commune:\n  name: Ea Kao\n"), 0o600)

	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"the stick's own key", []string{"--config", pinned, "--pub", filepath.Join(rogue, "province.pub")}, "not pinned"},
		{"the pinned keys", []string{"--config", pinned}, "unknown_key"},
		{"a config that pins nothing", []string{"--config", empty, "--pub", filepath.Join(rogue, "province.pub")}, "pins no province key"},
	} {
		args := append(append([]string{"pack", "apply", "--data", data}, c.args...), foreign)
		code, _, errOut := tramso(t, args...)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, %s; want a refusal naming %q", c.name, code, errOut, c.want)
		}
	}
	st, err := store.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if state, _ := st.ContentState(context.Background()); state.Current != 0 || state.Highest != 0 {
		t.Fatalf("foreign content installed: %+v", state)
	}
}

func mustPub(t *testing.T, path string) ed25519.PublicKey {
	t.Helper()
	k, err := pack.ReadPublicKey(path)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestPackApplyAsRootHandsOver: `tramso pack apply` run as root (the
// README's USB steps) on a kiosk's folder, the kiosk stopped, leaves nothing
// the kiosk's user cannot read: every file and folder goes to the folder's
// owner.
func TestPackApplyAsRootHandsOver(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("handing files over needs root: run the test command (build/scripts/test.sh) as root")
	}
	tmp := t.TempDir()
	keys, src, data := filepath.Join(tmp, "keys"), filepath.Join(tmp, "src"), filepath.Join(tmp, "data")
	mustRun(t, "keygen", "--out", keys)
	mustRun(t, "pack", "export-starter", "--out", src)
	file := filepath.Join(tmp, "p.tspack")
	mustRun(t, "pack", "build", "--src", src, "--key", filepath.Join(keys, "province.key"), "--out", file)
	const kioskUID, kioskGID = 65534, 65534 // nobody: the kiosk's user stands in
	if err := os.Mkdir(data, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(data, kioskUID, kioskGID); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "pack", "apply", "--data", data, "--config", pinConfig(t, filepath.Join(keys, "province.pub")), file)

	var rootOwned []string
	filepath.WalkDir(data, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err == nil && info.Sys().(*syscall.Stat_t).Uid != kioskUID {
			rootOwned = append(rootOwned, strings.TrimPrefix(path, data))
		}
		return nil
	})
	if len(rootOwned) > 0 {
		t.Fatalf("left to root, unreadable to the kiosk: %v", rootOwned[:min(5, len(rootOwned))])
	}
}

// A --title longer than a manifest holds is refused, naming the limit, not
// cut short without a word (outside QA: a long title was silently clipped).
func TestPackBuildRefusesAnOverlongTitle(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "keygen", "--out", filepath.Join(dir, "keys"))
	src := filepath.Join(dir, "src")
	mustRun(t, "pack", "export-starter", "--out", src)
	out := filepath.Join(dir, "p.tspack")
	title := strings.Repeat("Lệ phí ", 40)
	exit, _, errOut := tramso(t, "pack", "build", "--src", src, "--key", filepath.Join(dir, "keys", "province.key"), "--out", out, "--title", title)
	if exit != 2 || !strings.Contains(errOut, "--title is ") || !strings.Contains(errOut, "at most 200") {
		t.Fatalf("an overlong title: exit %d, %s", exit, errOut)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a pack was written")
	}
}

// TestPackApplySaysWhatToDo: a --config typo names the path to check, and a
// technician without root on the kiosk's folder (root:tramso 0750 on a kiosk)
// is told to run the same command with sudo — not only "permission denied"
// (outside QA R13).
func TestPackApplySaysWhatToDo(t *testing.T) {
	dir := nobodyDir(t)
	keys, src, data := filepath.Join(dir, "keys"), filepath.Join(dir, "src"), filepath.Join(dir, "data")
	mustRun(t, "keygen", "--out", keys)
	mustRun(t, "pack", "export-starter", "--out", src)
	file := filepath.Join(dir, "p.tspack")
	mustRun(t, "pack", "build", "--src", src, "--key", filepath.Join(keys, "province.key"), "--out", file)
	cfg := pinConfig(t, filepath.Join(keys, "province.pub"))

	code, _, errOut := tramso(t, "pack", "apply", "--data", data, "--create-data", "--config", cfg+".typo", file)
	if code != 1 || !strings.Contains(errOut, "Check the path given with --config") {
		t.Fatalf("config typo: exit %d: %s", code, errOut)
	}

	if err := os.Mkdir(data, 0o750); err != nil { // root's, as the kiosk's user's would be to anyone else
		t.Fatal(err)
	}
	for _, f := range []string{cfg, file} {
		if err := os.Chmod(f, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(t, cfg, filepath.Join(dir, "config.yaml"), 0o644)
	cfg = filepath.Join(dir, "config.yaml")
	code, out := tramsoAsNobody(t, "", "pack", "apply", "--config", cfg, "--data", data, file)
	if want := "sudo tramso pack apply --config " + cfg + " --data " + data + " " + file; code != 1 || !strings.Contains(out, want) {
		t.Fatalf("without root: exit %d, want 1 saying %q:\n%s", code, want, out)
	}
}
