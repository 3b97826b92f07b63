package pack

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/store"
	"tramso/kiosk/testdisk"
)

// fillTo writes a file in dir until the disk has about left bytes free.
func fillTo(t *testing.T, dir string, left int64) {
	t.Helper()
	size := store.FreeBytes(dir) - left
	if size <= 0 {
		t.Fatalf("the disk has only %d bytes free", store.FreeBytes(dir))
	}
	if err := os.WriteFile(filepath.Join(dir, "filler"), make([]byte, size), 0o600); err != nil {
		t.Fatal(err)
	}
}

// A USB pack on a nearly full disk is refused before a byte of it is
// copied, as a hub download is (outside QA s25: it was copied until the disk
// was full, then refused in English only). The running kiosk tells staff
// it is the disk, in their words (StaffRejection.DiskFull); `tramso pack
// apply` is told before it copies the pack into the inbox.
func TestUSBPackOnANearlyFullDisk(t *testing.T) {
	ctx := context.Background()
	dir := testdisk.Mount(t, "64m")
	k := openKiosk(t, dir)
	src := sourceDir(t, map[string]string{"media/test/b.svg": svg(2)})
	file, _ := buildPack(t, src, genB)
	ticket, err := Enqueue(k.dir, file) // handed over while there was room
	if err != nil {
		t.Fatal(err)
	}
	fillTo(t, dir, RoomToSpare/2) // the pack itself would still fit

	k.packs.ProcessInbox(ctx, pinned)
	wait, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	res, err := WaitResult(wait, k.dir, ticket)
	if err != nil || res.Kind != "" || !strings.Contains(res.Error, "not enough disk space for generation") {
		t.Fatalf("answer %+v, %v; want no room, which is no refusal of the pack", res, err)
	}
	k.shows(t, 0)
	if left, _ := filepath.Glob(filepath.Join(dir, "blobs", "*")); len(left) > 0 {
		t.Errorf("copied before the check: %v", left)
	}
	status, err := k.packs.Status(ctx)
	if err != nil || len(status.Rejections) != 1 {
		t.Fatalf("staff see %+v, %v", status.Rejections, err)
	}
	if r := status.Rejections[0]; r.Kind != string(KindNotApplied) || !r.DiskFull || r.InstalledLater {
		t.Errorf("staff see %+v; want not applied for want of disk space", r)
	}
	// What to free, which the staff panel repeats (outside QA s26, finding 10).
	if r := status.Rejections[0]; r.FreeMB < RoomToSpare/2>>20 || !strings.Contains(r.Detail, "free at least") {
		t.Errorf("staff see %+v; want how much to free (about %d MB)", r, RoomToSpare/2>>20)
	}

	_, err = Enqueue(k.dir, file)
	var noRoom *NoRoomError
	if !errors.As(err, &noRoom) {
		t.Fatalf("handing over on a nearly full disk: %v, want a NoRoomError", err)
	}
	if copies, _ := filepath.Glob(filepath.Join(InboxDir(k.dir), "*")); len(copies) > 0 {
		t.Errorf("the inbox took a copy: %v", copies)
	}

	// Space freed: the same pack applies, and the refusal reads as settled.
	os.Remove(filepath.Join(dir, "filler"))
	time.Sleep(1100 * time.Millisecond) // the store keeps times to the second
	if _, err := k.packs.ApplyFile(ctx, file, pinned, "usb"); err != nil {
		t.Fatal(err)
	}
	k.shows(t, genB)
	status, _ = k.packs.Status(ctx)
	if len(status.Rejections) != 1 || !status.Rejections[0].InstalledLater {
		t.Errorf("after the install staff see %+v", status.Rejections)
	}
}

// A refusal of a generation the kiosk went on to install is marked as such
// (outside QA s25, finding 5: "refused" under the version in use); a refusal
// of one never installed, or of a replay after the install, is not.
func TestRefusalOfAGenerationInstalledLater(t *testing.T) {
	ctx := context.Background()
	k, _ := appliedA(t)
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	for _, r := range []store.ContentRejection{
		{At: past, Source: "hub", Generation: genA, Kind: string(KindHashMismatch), Detail: "a.svg: sha256 differs"},
		{At: past, Source: "hub", Generation: genB, Kind: string(KindBadSignature), Detail: "no pinned key verifies"},
		{At: future, Source: "usb", Generation: genA, Kind: string(KindNotNewer), Detail: "replay"},
		{At: past, Source: "usb", Kind: string(KindBadPackFile), Detail: "not a tar"},
	} {
		if err := k.st.RecordContentRejection(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	status, err := k.packs.Status(ctx)
	if err != nil || len(status.Rejections) != 4 {
		t.Fatalf("%+v, %v", status.Rejections, err)
	}
	got := map[string]bool{}
	for _, r := range status.Rejections {
		got[r.Kind] = r.InstalledLater
	}
	want := map[string]bool{string(KindHashMismatch): true, string(KindBadSignature): false,
		string(KindNotNewer): false, string(KindBadPackFile): false}
	for kind, later := range want {
		if got[kind] != later {
			t.Errorf("%s: installed later %v, want %v", kind, got[kind], later)
		}
	}
}
