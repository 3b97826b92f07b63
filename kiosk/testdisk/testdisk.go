// Package testdisk gives tests a small file system of their own that really
// fills: a full disk is met as a kiosk meets it, ENOSPC from the kernel.
package testdisk

import (
	"errors"
	"os"
	"syscall"
	"testing"
)

// Mount mounts a tmpfs of size ("48m") on a new directory for the test and
// unmounts it after. Mounting needs root, which the test command has; a
// test that cannot mount fails rather than skip and look green.
func Mount(t testing.TB, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatal("mounting a small file system needs root: run the test command (build/scripts/test.sh) as root")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size+",mode=0700"); err != nil {
		t.Fatalf("mount a %s tmpfs: %v", size, err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// Resize grows or shrinks the tmpfs Mount made: space freed, as a
// technician would free it.
func Resize(t testing.TB, dir, size string) {
	t.Helper()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT, "size="+size); err != nil {
		t.Fatalf("resize the tmpfs to %s: %v", size, err)
	}
}

// RemountReadOnly makes the tmpfs Mount made read-only, as the kernel
// makes an ext4 file system read-only after disk errors (errors=remount-ro).
// The kernel refuses while a file there is open for writing: close what
// the test opened first.
func RemountReadOnly(t testing.TB, dir string) {
	t.Helper()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Fatalf("remount %s read-only: %v", dir, err)
	}
}

// Fill writes a file in dir until the disk is full, to the last byte.
func Fill(t testing.TB, dir string) {
	t.Helper()
	f, err := os.CreateTemp(dir, "filler")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, n := range []int{64 << 10, 1} {
		chunk := make([]byte, n)
		for {
			_, err := f.Write(chunk)
			if errors.Is(err, syscall.ENOSPC) {
				break
			}
			if err != nil {
				t.Fatalf("fill the disk: %v", err)
			}
		}
	}
}
