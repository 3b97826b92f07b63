package update_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tramso/kiosk/hub"
	"tramso/kiosk/store"
	"tramso/kiosk/testdisk"
	"tramso/kiosk/update"
)

// TestNoRoomNoDownload: a pack the disk has no room for (with pack.RoomToSpare
// left over) is refused before a byte is written, in words staff are given
// as update.ErrorKindDiskFull; the content in use stays, and once space is
// freed the kiosk takes the pack by itself (outside QA: such a download
// filled the disk to the last byte, and then nothing else on the kiosk
// could write).
func TestNoRoomNoDownload(t *testing.T) {
	disk := testdisk.Mount(t, "64m")
	key := newKey(t)
	h := startHub(t, key, nil)
	k := startKioskIn(t, filepath.Join(disk, "data"), enroll(t, h, ""), nil)
	before := k.generation()
	free := store.FreeBytes(disk)

	const gen = 3000
	// 42 MB in sounds of 14 (a sound may be 16 MB at most).
	h.publish(t, buildPack(t, key, gen, map[string][]byte{"media/extra/big1.ogg": randomBytes(14 << 20),
		"media/extra/big2.ogg": randomBytes(14 << 20), "media/extra/big3.ogg": randomBytes(14 << 20)}), hub.StageEveryone)
	eventually(t, "the kiosk refuses the download for want of room", func() bool {
		s := k.client.Status()
		return s.State == "failed" && s.ErrorKind == update.ErrorKindDiskFull
	})
	s := k.client.Status()
	if !strings.Contains(s.LastError, "not enough disk space for generation 3000") {
		t.Errorf("last error %q", s.LastError)
	}
	if k.generation() != before {
		t.Errorf("serving %d, want %d still", k.generation(), before)
	}
	if got := store.FreeBytes(disk); got < free-(1<<20) {
		t.Errorf("free space went from %d to %d: the refused download wrote", free, got)
	}
	partial, _ := filepath.Glob(filepath.Join(disk, "data", "content", "blobs", "*.partial"))
	if len(partial) != 0 {
		t.Errorf("partial downloads left: %v", partial)
	}
	if !strings.Contains(s.LastError, "MB are free") {
		t.Errorf("last error does not say how much is free: %q", s.LastError)
	}

	testdisk.Resize(t, disk, "256m")
	eventually(t, "the kiosk takes the pack once there is room", func() bool { return k.generation() == gen })
	// The content switches before the client records the update as done.
	eventually(t, "the disk-full error is cleared once the update is done", func() bool {
		s := k.client.Status()
		return s.ErrorKind == "" && s.LastError == "" && s.Generation == gen
	})
	if _, err := os.Stat(filepath.Join(disk, "data", "tramso.db")); err != nil {
		t.Fatal(err)
	}
}
