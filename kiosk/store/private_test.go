package store

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestDatabaseFilesPrivate: with a umask that allows everything, the
// database and its -wal and -shm files are the kiosk's alone, and files an
// older version left world-readable are narrowed.
func TestDatabaseFilesPrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetMeta(context.Background(), "k", "v"); err != nil { // the WAL now exists
		t.Fatal(err)
	}
	for _, name := range []string{FileName, FileName + "-wal", FileName + "-shm", "tramso.lock"} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm()&^0o640 != 0 {
			t.Errorf("%s is %v under umask 0", name, info.Mode().Perm())
		}
	}
	s.Close()

	os.Chmod(filepath.Join(dir, FileName), 0o666) // as an older version left it
	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if info, _ := os.Stat(filepath.Join(dir, FileName)); info.Mode().Perm() != 0o640 {
		t.Errorf("an old world-writable database is %v after open, want 0640", info.Mode().Perm())
	}
}

// TestOpenDataDirWithURICharacters: a data folder whose name holds '#' or
// '?' opens its own database, not one cut at that character (SQLite reads
// the path as a URI).
func TestOpenDataDirWithURICharacters(t *testing.T) {
	base := t.TempDir()
	for i, name := range []string{"kiosk#1", "kiosk#2", "k?x=1", "k%20"} {
		dir := filepath.Join(base, name)
		s, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetMeta(context.Background(), "which", name); err != nil {
			t.Fatal(err)
		}
		s.Close()
		if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
			t.Fatalf("%d: the database is not in %s: %v", i, dir, err)
		}
	}
	for _, name := range []string{"kiosk#1", "kiosk#2", "k?x=1", "k%20"} {
		s, err := Open(filepath.Join(base, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Meta(context.Background(), "which")
		s.Close()
		if err != nil || got != name {
			t.Errorf("%s reads %q (%v)", name, got, err)
		}
	}
	if entries, _ := os.ReadDir(base); len(entries) != 4 {
		t.Errorf("stray files beside the data folders: %v", entries)
	}
}
