package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tramso/kiosk/testdisk"
)

// A kiosk stopped cleanly on a disk that then fills to the last byte starts
// again, on the room its reserve file kept, and says the disk is full; with
// no reserve left the error says so in words, not "disk I/O error".
func TestOpenOnAFullDisk(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(testdisk.Mount(t, "48m"), "data")
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st.KeepReserve()
	if _, err := os.Stat(filepath.Join(dir, reserveName)); err != nil {
		t.Fatalf("no reserve file after KeepReserve: %v", err)
	}
	if err := st.Close(); err != nil { // clean: SQLite removes -wal and -shm
		t.Fatal(err)
	}
	testdisk.Fill(t, dir)

	st, err = Open(dir)
	if err != nil {
		t.Fatalf("open on a full disk with a reserve: %v", err)
	}
	if !st.GaveBackReserve {
		t.Error("opened on a full disk without giving back the reserve: the test did not fill the disk")
	}
	if _, err := st.ContentState(ctx); err != nil {
		t.Errorf("read after opening on the reserve: %v", err)
	}
	st.KeepReserve() // at most a quarter of what the reserve gave
	if info, err := os.Stat(filepath.Join(dir, reserveName)); err == nil && info.Size() > smallReserve {
		t.Errorf("KeepReserve took %d bytes back of the %d the reserve gave", info.Size(), reserveSize)
	}
	st.Close()

	// Full again, and again: each start gives back what reserve is left,
	// until none is; then the error says the disk is full.
	for range 2 {
		testdisk.Fill(t, dir)
		if st, err = Open(dir); err != nil {
			break
		}
		st.KeepReserve()
		st.Close()
	}
	testdisk.Fill(t, dir)
	_, err = Open(dir)
	if err == nil || !strings.Contains(err.Error(), "is full (0 MB free)") || !IsDiskFull(err) {
		t.Fatalf("open on a full disk with no reserve: %v, want an error saying the disk is full", err)
	}
}

// A database file that is no database any more (overwritten, cut short) is
// set aside whole, for a technician, and a new one started: the kiosk
// starts instead of stopping with "file is not a database".
func TestDamagedDatabaseSetAside(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	garbage := []byte("this is not a database, whatever its name says")
	f, err := os.OpenFile(filepath.Join(dir, FileName), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt(garbage, 0)
	f.Close()

	st, err = Open(dir)
	if err != nil {
		t.Fatalf("open after the file was overwritten: %v", err)
	}
	defer st.Close()
	if !strings.HasPrefix(filepath.Base(st.SetAside), FileName+".damaged-") {
		t.Fatalf("set aside as %q", st.SetAside)
	}
	kept, err := os.ReadFile(st.SetAside)
	if err != nil || !strings.HasPrefix(string(kept), string(garbage)) {
		t.Fatalf("the damaged file was not kept as it was: %v", err)
	}
	if _, err := st.ContentState(context.Background()); err != nil {
		t.Fatalf("the new database: %v", err)
	}
}

// TestSmallReserveOnAShortDisk: a kiosk that first runs with less than 32 MB
// free keeps a small reserve, enough to start again once the disk fills,
// and a full reserve once room is freed.
func TestSmallReserveOnAShortDisk(t *testing.T) {
	mount := testdisk.Mount(t, "20m")
	dir := filepath.Join(mount, "data")
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	filler := filepath.Join(mount, "filler")
	if err := os.WriteFile(filler, make([]byte, 8<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	st.KeepReserve()
	if info, err := os.Stat(filepath.Join(dir, reserveName)); err != nil || info.Size() != smallReserve {
		t.Fatalf("reserve on a disk with %d MB free: %v, %v", FreeBytes(dir)>>20, info, err)
	}
	st.Close()
	testdisk.Fill(t, dir)
	st, err = Open(dir)
	if err != nil || !st.GaveBackReserve {
		t.Fatalf("open on a full disk with a small reserve: %v (gave back %v)", err, st != nil && st.GaveBackReserve)
	}
	st.Close()

	// Room freed, as a technician frees it: the reserve grows to full size.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	for _, e := range mustReadDir(t, dir) {
		if strings.HasPrefix(e, "filler") {
			os.Remove(filepath.Join(dir, e))
		}
	}
	testdisk.Resize(t, mount, "64m")
	st, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.KeepReserve()
	if info, err := os.Stat(filepath.Join(dir, reserveName)); err != nil || info.Size() != reserveSize {
		t.Fatalf("reserve once room was freed: %v, %v", info, err)
	}
}

func mustReadDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// Room tells the room left on the data directory's disk where there is any
// to tell: not for a store in memory, nor on a read-only disk.
func TestRoom(t *testing.T) {
	dir := testdisk.Mount(t, "8m")
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if free, ok := st.Room(); !ok || free <= 0 || free > 8<<20 || free != FreeBytes(dir) {
		t.Errorf("Room on an 8 MiB disk: %d, %v", free, ok)
	}
	st.Close()
	testdisk.RemountReadOnly(t, dir)
	if st, err = OpenOrReadOnly(dir); err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if free, ok := st.Room(); ok {
		t.Errorf("Room on a read-only disk: %d, want none", free)
	}
	mem, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	if free, ok := mem.Room(); ok {
		t.Errorf("Room of a store in memory: %d, want none", free)
	}
}
