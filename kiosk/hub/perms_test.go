package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestFilesPrivateWhateverTheUmask: the database (with its -wal and -shm)
// and every blob are 0600 even under umask 0, and an existing database that
// was readable by others is made private on open. SQLite only (it gives a
// Dir and no Database, so runTestHub keeps it there): on PostgreSQL the
// hub keeps no files.
func TestFilesPrivateWhateverTheUmask(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, DBFile), nil, 0o666); err != nil {
		t.Fatal(err)
	}
	pub, priv := provinceKey(t)
	h, _ := startTestHub(t, Options{Dir: dir, ProvinceKeys: []ed25519.PublicKey{pub}})
	if _, err := h.Publish(context.Background(), bytes.NewReader(buildPack(t, 1_764_800_000, priv)), PublishOptions{Stage: StageTest, By: "test"}); err != nil {
		t.Fatal(err)
	}
	var checked int
	for _, name := range []string{DBFile, DBFile + "-wal", DBFile + "-shm"} {
		checkMode(t, filepath.Join(dir, name), 0o600)
		checked++
	}
	err := filepath.WalkDir(filepath.Join(dir, "blobs"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		checkMode(t, p, 0o600)
		checked++
		return nil
	})
	if err != nil || checked < 10 {
		t.Fatalf("checked %d files: %v", checked, err)
	}
}

func checkMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != want {
		t.Errorf("%s is %v, want %v", filepath.Base(path), got, want)
	}
}
