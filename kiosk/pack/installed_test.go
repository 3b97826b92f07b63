package pack

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// The pack in use, plugged in again, is "already installed": no refusal
// for staff, whether applied offline or handed to the running kiosk
// (outside QA s26, finding 4). Another manifest of that generation, or the
// same pack once a newer one is in, is still refused.
func TestSamePackAgainIsAlreadyInstalled(t *testing.T) {
	ctx := context.Background()
	k, src := appliedA(t)
	fileA, smA := buildPack(t, src, genA) // reproducible: the same bytes as applied

	_, err := k.packs.ApplyFile(ctx, fileA, pinned, "usb")
	var installed *AlreadyInstalledError
	if !errors.As(err, &installed) || installed.Generation != genA || installed.Title != smA.Manifest.Title {
		t.Fatalf("the same pack again: %v, want already installed", err)
	}
	if _, ok := AsRejection(err); ok {
		t.Fatalf("already installed is a refusal: %v", err)
	}
	ticket, err := Enqueue(k.dir, fileA)
	if err != nil {
		t.Fatal(err)
	}
	k.packs.ProcessInbox(ctx, pinned)
	res, err := WaitResult(ctx, k.dir, ticket)
	if err != nil || !res.AlreadyInstalled || res.Error != "" || res.Kind != "" || res.Generation != genA || res.Title != smA.Manifest.Title {
		t.Fatalf("handed to the running kiosk: %+v, %v", res, err)
	}
	k.shows(t, genA)
	if status, _ := k.packs.Status(ctx); len(status.Rejections) != 0 {
		t.Fatalf("staff see %+v for the pack in use", status.Rejections)
	}

	other, _ := buildPack(t, sourceDir(t, map[string]string{"media/test/a.svg": svg(99)}), genA)
	if _, err := k.packs.ApplyFile(ctx, other, pinned, "usb"); !isKind(err, KindConflict) {
		t.Fatalf("another manifest of the generation in use: %v", err)
	}
	fileB, _ := buildPack(t, src, genB)
	if _, err := k.packs.ApplyFile(ctx, fileB, pinned, "usb"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.packs.ApplyFile(ctx, fileA, pinned, "usb"); !isKind(err, KindNotNewer) {
		t.Fatalf("A after B: %v, want not_newer", err)
	}
	if status, _ := k.packs.Status(ctx); len(status.Rejections) != 2 {
		t.Fatalf("staff see %+v, want the conflict and the replay", status.Rejections)
	}
}

// With the kiosk stopped (`tramso pack apply` on its folder), "already
// installed" needs the generation whole on disk: one damaged is not it.
func TestSamePackAgainOffline(t *testing.T) {
	ctx := context.Background()
	k, src := appliedA(t)
	fileA, _ := buildPack(t, src, genA)
	offline, err := OpenStore(ctx, k.st) // no Serve: as the CLI opens it
	if err != nil {
		t.Fatal(err)
	}
	var installed *AlreadyInstalledError
	if _, err := offline.ApplyFile(ctx, fileA, pinned, "usb"); !errors.As(err, &installed) {
		t.Fatalf("offline, the same pack again: %v", err)
	}
	damage(t, filepath.Join(generationDir(k, genA), "files", "media", "test", "a.svg"))
	if _, err := offline.ApplyFile(ctx, fileA, pinned, "usb"); errors.As(err, &installed) {
		t.Fatalf("offline, over a damaged copy: %v, want it not called installed", err)
	}
}

// A kiosk that pins no province key refuses every pack unknown_key; staff
// are told the key was not set up, not that a foreign key signed it, and
// the refusal names the generation the manifest gives, so that it reads as
// settled once that generation (or a later one) is installed with the key
// pinned (outside QA s26, finding 4).
func TestRefusalWithNoKeyPinnedIsSettledByTheInstall(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := sourceDir(t, map[string]string{"media/test/a.svg": svg(1)})
	fileA, _ := buildPack(t, src, genA)
	fileB, _ := buildPack(t, src, genB)
	bare := openKioskPinning(t, dir)
	for _, f := range []string{fileA, fileB} {
		if _, err := bare.packs.ApplyFile(ctx, f, nil, "usb"); !isKind(err, KindUnknownKey) {
			t.Fatalf("no key pinned: %v", err)
		}
	}
	foreign, _ := buildPack(t, src, genB+1, otherKey)
	if _, err := bare.packs.ApplyFile(ctx, foreign, pinned, "usb"); !isKind(err, KindUnknownKey) {
		t.Fatalf("a foreign key: %v", err)
	}
	status, err := bare.packs.Status(ctx)
	if err != nil || len(status.Rejections) != 3 {
		t.Fatalf("%+v, %v", status.Rejections, err)
	}
	want := []struct {
		gen   int64
		noKey bool
	}{{0, false}, {genB, true}, {genA, true}} // newest first; a foreign pack's claims are not repeated
	for i, r := range status.Rejections {
		if r.Generation != want[i].gen || r.NoKeyPinned != want[i].noKey || r.InstalledLater {
			t.Errorf("refusal %d: %+v, want generation %d, no key pinned %v, not settled", i, r, want[i].gen, want[i].noKey)
		}
	}

	bare.st.Close()
	time.Sleep(1100 * time.Millisecond) // the store keeps times to the second
	// Restarted with the key pinned.
	k := openKioskPinning(t, dir, pinned...)
	if _, err := k.packs.ApplyFile(ctx, fileA, pinned, "usb"); err != nil {
		t.Fatal(err)
	}
	status, _ = k.packs.Status(ctx)
	settled := []bool{false, false, true} // B waits for B or later
	for i, r := range status.Rejections {
		if r.InstalledLater != settled[i] {
			t.Errorf("after A: refusal %d (generation %d) settled %v, want %v", i, r.Generation, r.InstalledLater, settled[i])
		}
	}
	later, _ := buildPack(t, src, genB+5)
	if _, err := k.packs.ApplyFile(ctx, later, pinned, "usb"); err != nil {
		t.Fatal(err)
	}
	status, _ = k.packs.Status(ctx)
	settled = []bool{false, true, true} // a foreign key's refusal never is
	for i, r := range status.Rejections {
		if r.InstalledLater != settled[i] {
			t.Errorf("after a later one: refusal %d (generation %d) settled %v, want %v", i, r.Generation, r.InstalledLater, settled[i])
		}
	}
}

// A pack refused for room says what to free, never "needs 0 MB" (outside QA
// s26, finding 10), and staff get the number.
func TestNoRoomSaysWhatToFree(t *testing.T) {
	const MB = 1 << 20
	for _, c := range []struct {
		err  NoRoomError
		want string
		free int64
	}{
		{NoRoomError{Generation: 7, Need: 0, Free: 24 * MB},
			"not enough disk space for generation 7: 24 MB are free and the kiosk must keep 32 MB free: free at least 8 MB more", 8},
		{NoRoomError{Generation: 7, Need: 5 * MB, Free: 24 * MB},
			"not enough disk space for generation 7: its new files take 5 MB, 24 MB are free and the kiosk must keep 32 MB free: free at least 13 MB more", 13},
		{NoRoomError{Need: 100, Free: 32*MB - 10},
			"not enough disk space for this pack: its new files take 1 MB, 31 MB are free and the kiosk must keep 32 MB free: free at least 1 MB more", 1},
	} {
		got := c.err.Error()
		if got != c.want {
			t.Errorf("%+v:\n got %q\nwant %q", c.err, got, c.want)
		}
		if n := freeMoreMB(diskFullDetail + got); n != c.free {
			t.Errorf("%q: staff are told to free %d MB, want %d", got, n, c.free)
		}
	}
}
