package pack

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"tramso/kiosk/testdisk"
)

// appliedAB is a kiosk that applied A then B from pack files; B has a file
// A has not (media/test/b.svg); src is B's source folder.
func appliedAB(t *testing.T) (*kiosk, string) {
	t.Helper()
	k, _ := appliedA(t)
	src := sourceDir(t, map[string]string{"media/test/a.svg": svg(1), "media/test/same.svg": svg(1), "media/test/b.svg": svg(2)})
	fileB, _ := buildPack(t, src, genB)
	if _, err := k.packs.ApplyFile(context.Background(), fileB, pinned, "usb"); err != nil {
		t.Fatal(err)
	}
	return k, src
}

func generationDir(k *kiosk, gen int64) string {
	return filepath.Join(k.dir, "content", "generations", strconv.FormatInt(gen, 10))
}

// damage changes one byte of a file, keeping its size.
func damage(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt([]byte("!"), 3); err != nil {
		t.Fatal(err)
	}
}

// TestRollbackRefusedOntoLostPrevious: staff's "roll back" onto a generation
// whose files are gone is refused and changes nothing (outside QA: it
// answered success, showed the starter and declined the current content).
func TestRollbackRefusedOntoLostPrevious(t *testing.T) {
	k, _ := appliedAB(t)
	if err := os.RemoveAll(generationDir(k, genA)); err != nil {
		t.Fatal(err)
	}
	state, err := k.packs.Rollback(context.Background())
	if !errors.Is(err, ErrPreviousNotWhole) {
		t.Fatalf("rollback = %+v, %v; want ErrPreviousNotWhole", state, err)
	}
	k.shows(t, genB)
	if now, _ := k.packs.State(context.Background()); now.Current != genB || now.Previous != genA {
		t.Fatalf("state after the refusal = %+v", now)
	}
}

// TestFallbackSkipsDamagedPrevious: when the current generation is lost and
// the previous one is damaged too, the starter shows, not the damaged files;
// the current generation is marked for repair.
func TestFallbackSkipsDamagedPrevious(t *testing.T) {
	k, _ := appliedAB(t)
	k.st.Close()
	if err := os.RemoveAll(generationDir(k, genB)); err != nil {
		t.Fatal(err)
	}
	damage(t, filepath.Join(generationDir(k, genA), "files", "media", "test", "a.svg"))
	again := openKiosk(t, k.dir)
	if got := again.live.Get(); got.Source != "embedded" {
		t.Fatalf("serving %s generation %d, want the starter", got.Source, got.Pack.Meta.Generation)
	}
	wantBroken(t, again, genB)
}

// wantBroken checks that the kiosk marks gen as the generation to repair.
func wantBroken(t *testing.T, k *kiosk, gen int64) {
	t.Helper()
	if k.packs.Broken() != gen {
		t.Fatalf("broken = %d, want %d (%s)", k.packs.Broken(), gen, k.packs.BrokenBecause())
	}
}

// TestAuditFindsSameSizeDamage: the audit reads every file; a damaged one
// is removed with its blob and the kiosk falls back to the previous
// generation, the current one marked for repair.
func TestAuditFindsSameSizeDamage(t *testing.T) {
	k, _ := appliedAB(t)
	if err := k.packs.Audit(context.Background()); err != nil {
		t.Fatalf("audit of whole content: %v", err)
	}
	path := filepath.Join(generationDir(k, genB), "files", "media", "test", "b.svg")
	damage(t, path)
	if err := k.packs.Audit(context.Background()); err == nil {
		t.Fatal("the audit did not see the damage")
	}
	if got := k.live.Get(); got.Pack.Meta.Generation != genA {
		t.Fatalf("serving generation %d, want the previous one %d", got.Pack.Meta.Generation, genA)
	}
	wantBroken(t, k, genB)
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the damaged file is still there: %v", err)
	}
}

// TestRepairTakesOnlyTheTrustedManifest: a repair lays out the broken
// generation only from the manifest the kiosk applied, not another one
// signed for the same generation.
func TestRepairTakesOnlyTheTrustedManifest(t *testing.T) {
	k, src := appliedAB(t)
	k.st.Close()
	if err := os.RemoveAll(generationDir(k, genB)); err != nil {
		t.Fatal(err)
	}
	again := openKiosk(t, k.dir)
	other := sourceDir(t, map[string]string{"media/test/other.svg": svg(7)})
	_, forged := buildPack(t, other, genB)
	if err := again.packs.Repair(context.Background(), forged); err == nil {
		t.Fatal("repaired from another manifest of the same generation")
	}
	_, right := buildPack(t, src, genB)
	if err := again.packs.Repair(context.Background(), right); err != nil {
		t.Fatalf("repair with the applied manifest: %v", err)
	}
	again.shows(t, genB)
	if err := again.packs.Repair(context.Background(), right); !errors.Is(err, ErrNotBroken) {
		t.Fatalf("a second repair = %v, want ErrNotBroken", err)
	}
}

// TestUSBPackThatCannotBeAppliedLeavesATrace: a pack handed to the running
// kiosk fails for the kiosk's own reason (its disk has no inodes left). The
// technician's terminal gets the error; the kiosk's staff mode lists it too,
// as not applied rather than refused (outside QA: no trace at all).
func TestUSBPackThatCannotBeAppliedLeavesATrace(t *testing.T) {
	dir := testdisk.Mount(t, "64m")
	k := openKiosk(t, dir)
	src := sourceDir(t, map[string]string{"media/test/b.svg": svg(2)})
	file, _ := buildPack(t, src, genB)
	ticket, err := Enqueue(k.dir, file)
	if err != nil {
		t.Fatal(err)
	}
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil {
		t.Fatal(err)
	}
	used := fs.Files - fs.Ffree
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT, fmt.Sprintf("nr_inodes=%d", used+4)); err != nil {
		t.Fatal(err)
	}
	k.packs.ProcessInbox(context.Background(), pinned)
	// The answer for the terminal may not fit either (no inode for it):
	// staff mode is then the only place that says what happened.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if res, err := WaitResult(ctx, k.dir, ticket); err == nil && (res.Kind != "" || !strings.Contains(res.Error, "no space left on device")) {
		t.Fatalf("answer = %+v; want a failure that is no refusal", res)
	}
	k.shows(t, 0)
	status, err := k.packs.Status(context.Background())
	if err != nil || len(status.Rejections) != 1 || status.Rejections[0].Kind != string(KindNotApplied) ||
		!strings.Contains(status.Rejections[0].Detail, "no space left on device") {
		t.Fatalf("staff see %+v, %v", status.Rejections, err)
	}
}

// appliedByAnEarlierRelease is a kiosk that applied A and then, as an
// earlier release whose content rules took it, generation B, whose
// pack.yaml names a field this release does not know; it is then opened
// again, as after an upgrade.
func appliedByAnEarlierRelease(t *testing.T) *kiosk {
	t.Helper()
	ctx := context.Background()
	k, _ := appliedA(t)
	files := starterFiles(t)
	files["pack.yaml"] += "edition: 2\n" // a field of that release's
	list, blobs := filesOf(files)
	path := craftPack(t, manifestOf(genB, list), blobs, provinceKey)
	if _, err := k.packs.ApplyFile(ctx, path, pinned, "usb"); err == nil {
		t.Fatal("this release applied a pack its rules refuse")
	}
	// What the earlier release did: the blobs stored, the generation laid
	// out and made current, with no load check of this release's.
	k.packs.mu.Lock()
	sm, err := k.packs.importFile(ctx, path, pinned)
	if err == nil {
		err = os.MkdirAll(generationDir(k, genB), 0o750)
	}
	if err == nil {
		err = k.packs.stage(generationDir(k, genB), sm)
	}
	k.packs.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.st.SwitchContent(ctx, genB, sm.Digest, "usb"); err != nil {
		t.Fatal(err)
	}
	k.st.Close()
	return openKiosk(t, k.dir)
}

// TestAPackThisReleaseCannotReadIsNotCalledDamaged: after an upgrade, a
// current generation whose every file is as the province signed it, but
// which this release's content rules refuse, is told apart from lost or
// damaged files (outside QA s23: staff, the console and doctor said "lost or
// damaged on disk" and the kiosk fetched it again for ever). A damaged file
// in the same generation is still damage.
func TestAPackThisReleaseCannotReadIsNotCalledDamaged(t *testing.T) {
	k := appliedByAnEarlierRelease(t)
	if got := k.live.Get().Pack.Meta.Generation; got != genA {
		t.Fatalf("shows generation %d, want the previous one, %d", got, genA)
	}
	if k.packs.Broken() != genB || !k.packs.Unreadable() || k.packs.Untrusted() {
		t.Fatalf("broken %d, kind %q; want generation %d, unreadable", k.packs.Broken(), k.packs.BrokenKind(), genB)
	}
	status, err := k.packs.Status(context.Background())
	if err != nil || status.FallbackKind != FallbackUnreadable || !strings.Contains(status.Fallback, "edition") {
		t.Fatalf("staff status %+v, %v; want the unreadable kind and the field named", status, err)
	}
	in, err := Inspect(context.Background(), k.st, pinned)
	if err != nil || !in.Unreadable || in.Untrusted || in.Shown != genA {
		t.Fatalf("doctor's inspection %+v, %v", in, err)
	}
	// A content schema newer than this release reads (a kiosk downgraded)
	// is the same: whole files, refused by this release.
	if kind := k.packs.brokenBecause(genB, reject(KindUnknownSchema, genB, "content schema 2 is not supported")); kind != FallbackUnreadable {
		t.Fatalf("a newer content schema: kind %q, want %q", kind, FallbackUnreadable)
	}

	k.st.Close()
	damage(t, filepath.Join(generationDir(k, genB), "files", "life-events.yaml"))
	again := openKiosk(t, k.dir)
	if again.packs.Broken() != genB || again.packs.BrokenKind() != "" {
		t.Fatalf("a damaged file: broken %d, kind %q; want lost or damaged (\"\")", again.packs.Broken(), again.packs.BrokenKind())
	}
}

// TestRollbackOntoAPackThisReleaseCannotRead: staff's "roll back" onto a
// previous generation this release cannot read is refused as such, not as
// lost or damaged files (outside QA s23), and changes nothing.
func TestRollbackOntoAPackThisReleaseCannotRead(t *testing.T) {
	k := appliedByAnEarlierRelease(t)
	src := sourceDir(t, map[string]string{"media/test/c.svg": svg(3)})
	fileC, _ := buildPack(t, src, genB+1)
	if _, err := k.packs.ApplyFile(context.Background(), fileC, pinned, "usb"); err != nil {
		t.Fatal(err)
	}
	state, err := k.packs.Rollback(context.Background())
	if !errors.Is(err, ErrPreviousUnreadable) || errors.Is(err, ErrPreviousNotWhole) {
		t.Fatalf("rollback = %+v, %v; want ErrPreviousUnreadable", state, err)
	}
	k.shows(t, genB+1)
}
