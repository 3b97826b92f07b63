package pack

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"tramso/kiosk/content"
	"tramso/kiosk/hubproto"
)

// TestStartReverifiesSignature: attack 3's aftermath — a generation signed by
// a key the kiosk's config does not pin (installed by the old `pack apply
// --pub`, or pinned once and dropped since) is not served at the next start:
// the starter is, staff mode says why, and the next real pack applies.
func TestStartReverifiesSignature(t *testing.T) {
	k := openKiosk(t, t.TempDir())
	src := sourceDir(t, map[string]string{"media/test/foreign.svg": svg(3)})
	foreign, _ := buildPack(t, src, genA, otherKey)
	// The old USB path: trust whatever key the stick brought.
	if _, err := k.packs.ApplyFile(context.Background(), foreign, []ed25519.PublicKey{pub(otherKey)}, "usb"); err != nil {
		t.Fatal(err)
	}
	k.st.Close()

	again := openKioskPinning(t, k.dir, pub(provinceKey))
	if got := again.live.Get(); got.Source != content.SourceEmbedded {
		t.Fatalf("serving %s generation %d signed by an unpinned key", got.Source, got.Pack.Meta.Generation)
	}
	status, err := again.packs.Status(context.Background())
	if err != nil || !strings.Contains(status.Fallback, "signature does not verify") || status.State.Current != genA {
		t.Fatalf("staff status does not say why: %+v, %v", status, err)
	}
	real, _ := buildPack(t, sourceDir(t, nil), genB)
	if _, err := again.packs.ApplyFile(context.Background(), real, pinned, "usb"); err != nil {
		t.Fatalf("the next real pack: %v", err)
	}
	again.shows(t, genB)
	if status, _ := again.packs.Status(context.Background()); status.Fallback != "" {
		t.Fatalf("fallback still reported: %q", status.Fallback)
	}
	again.st.Close()
	openKioskPinning(t, k.dir, pub(provinceKey)).shows(t, genB) // and it stays after a restart
}

// TestOutOfRangeGenerationRecovery: attack 2's aftermath — a kiosk that took
// a pack above 2^53-1 before the range was enforced forgets it at start,
// serves the previous generation and applies the next valid pack.
func TestOutOfRangeGenerationRecovery(t *testing.T) {
	k, _ := appliedA(t)
	ctx := context.Background()
	fileB, _ := buildPack(t, sourceDir(t, nil), genB)
	if _, err := k.packs.ApplyFile(ctx, fileB, pinned, "usb"); err != nil {
		t.Fatal(err)
	}
	// Make B what such a kiosk holds: a generation in nanoseconds.
	const huge = 1764260000123456789
	db := k.st.DB
	for _, q := range []string{
		`UPDATE content_generations SET generation = ` + strconv.Itoa(huge) + ` WHERE generation = ` + strconv.Itoa(genB),
		`UPDATE content_state SET current_generation = ` + strconv.Itoa(huge) + `, highest_generation = ` + strconv.Itoa(huge),
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	gens := filepath.Join(k.packs.Dir(), "generations")
	if err := os.Rename(filepath.Join(gens, strconv.Itoa(genB)), filepath.Join(gens, strconv.Itoa(huge))); err != nil {
		t.Fatal(err)
	}
	k.st.Close()

	again := openKioskPinning(t, k.dir, pub(provinceKey))
	again.shows(t, genA)
	state, _ := again.packs.State(ctx)
	if state.Highest != genA {
		t.Fatalf("highest %d after recovery, want %d", state.Highest, genA)
	}
	if _, err := os.Stat(filepath.Join(gens, strconv.Itoa(huge))); !os.IsNotExist(err) {
		t.Fatalf("the out-of-range generation's folder is kept: %v", err)
	}
	status, _ := again.packs.Status(ctx)
	if len(status.Rejections) == 0 || !strings.Contains(status.Rejections[0].Detail, strconv.Itoa(huge)) {
		t.Fatalf("staff mode is not told: %+v", status.Rejections)
	}
	next, _ := buildPack(t, sourceDir(t, nil), genA+1)
	if _, err := again.packs.ApplyFile(ctx, next, pinned, "usb"); err != nil {
		t.Fatalf("the next valid pack: %v", err)
	}
	again.shows(t, genA+1)
}

// TestBuildAndApplyRefuseOutOfRange: the range holds at both ends of a
// pack's life, with a clear error and no panic.
func TestBuildAndApplyRefuseOutOfRange(t *testing.T) {
	src := sourceDir(t, nil)
	var buf bytes.Buffer
	if _, err := Build(os.DirFS(src), BuildOptions{Generation: hubproto.MaxGeneration + 1, Keys: []ed25519.PrivateKey{provinceKey}}, &buf); err == nil {
		t.Fatal("built a pack above the range")
	}
	files, blobs := filesOf(starterFiles(t))
	k := openKiosk(t, t.TempDir())
	file := craftPack(t, manifestOf(hubproto.MaxGeneration+1, files), blobs, provinceKey)
	_, err := k.packs.ApplyFile(context.Background(), file, pinned, "usb")
	if r, ok := AsRejection(err); !ok || r.Kind != KindBadManifest {
		t.Fatalf("applied: %v", err)
	}
	k.shows(t, 0)
	top := craftPack(t, manifestOf(hubproto.MaxGeneration, files), blobs, provinceKey)
	if _, err := k.packs.ApplyFile(context.Background(), top, pinned, "usb"); err != nil {
		t.Fatalf("the top of the range: %v", err)
	}
	k.shows(t, hubproto.MaxGeneration)
}

// TestSignedDuplicateKeysRefused: a validly signed manifest that names a key
// twice is refused whole; encoding/json would have taken the last value.
func TestSignedDuplicateKeysRefused(t *testing.T) {
	files, blobs := filesOf(starterFiles(t))
	raw := marshal(t, manifestOf(genB, files))
	gen := []byte(`"generation":` + strconv.Itoa(genB))
	raw = bytes.Replace(raw, gen, append(append([]byte{}, gen...), []byte(`,"generation":`+strconv.Itoa(genA))...), 1)
	k := openKiosk(t, t.TempDir())
	_, err := k.packs.ApplyFile(context.Background(), craftRaw(t, raw, files, blobs, provinceKey), pinned, "usb")
	if r, ok := AsRejection(err); !ok || r.Kind != KindBadManifest || !strings.Contains(r.Detail, "duplicate key") {
		t.Fatalf("err = %v, want a bad_manifest refusal naming the duplicate key", err)
	}
	k.shows(t, 0)
}

// TestContentFilesPrivate: under a umask that allows everything, no file the
// content store or the inbox writes is readable by other users.
func TestContentFilesPrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	k, _ := appliedA(t)
	ticket, err := Enqueue(k.dir, mustBuild(t, genB))
	if err != nil {
		t.Fatal(err)
	}
	k.packs.ProcessInbox(context.Background(), pinned)
	if res, err := WaitResult(context.Background(), k.dir, ticket); err != nil || res.Error != "" {
		t.Fatalf("inbox apply: %+v, %v", res, err)
	}
	Enqueue(k.dir, mustBuild(t, genB+1)) // left queued: its file is checked too
	n := 0
	err = filepath.WalkDir(k.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Mode().Perm()&0o007 != 0 {
			t.Errorf("%s is %v: readable by others", p, info.Mode().Perm())
		}
		n++
		return nil
	})
	if err != nil || n < 10 {
		t.Fatalf("walked %d files: %v", n, err)
	}
}

func mustBuild(t *testing.T, gen int64) string {
	path, _ := buildPack(t, sourceDir(t, nil), gen)
	return path
}
