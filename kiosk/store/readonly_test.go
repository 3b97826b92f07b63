package store

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	"tramso/kiosk/testdisk"
)

// A data directory whose file system turned read-only (ext4
// errors=remount-ro) opens read-only with what the database holds, whether
// the last run stopped cleanly (no -wal, no -shm, none can be made) or was
// cut off (its last commits only in the -wal); a write is refused as a
// storage failure, and nothing is created on the disk.
func TestOpenOnAReadOnlyDisk(t *testing.T) {
	for _, stop := range []string{"clean", "power cut"} {
		t.Run(stop, func(t *testing.T) {
			ctx := context.Background()
			dir := readOnlyDataDir(t, stop == "power cut")
			before := names(t, dir)

			st, err := OpenOrReadOnly(dir)
			if err != nil {
				t.Fatalf("open a read-only data directory: %v", err)
			}
			defer st.Close()
			if !st.ReadOnly || st.Unreadable != nil || st.Behind != nil {
				t.Fatalf("ReadOnly %v, Unreadable %v, Behind %v", st.ReadOnly, st.Unreadable, st.Behind)
			}
			state, err := st.ContentState(ctx)
			if err != nil || state.Current != 42 {
				t.Fatalf("content state %+v, %v: want generation 42", state, err)
			}
			err = WriteUsage(ctx, st.DB, []UsageRow{{Minute: 2, Session: 1, Type: "session_started"}}, "2026-12-06", 0)
			if err == nil || !IsStorageFailure(err) {
				t.Errorf("a write on the read-only database: %v, want a storage failure", err)
			}
			if after := names(t, dir); after != before {
				t.Errorf("files changed on a read-only disk: %q → %q", before, after)
			}
		})
	}
}

// Two kiosks cannot share a read-only data directory either, whether an
// earlier run left tramso.lock there or not; and a tool that means to write
// (store.Open) is refused with the system's words.
func TestReadOnlyLock(t *testing.T) {
	for _, withLockFile := range []bool{true, false} {
		dir := readOnlyDataDir(t, !withLockFile) // the power-cut copy has no tramso.lock
		if _, err := os.Stat(filepath.Join(dir, "tramso.lock")); (err == nil) != withLockFile {
			t.Fatalf("tramso.lock there: %v, want %v", err == nil, withLockFile)
		}
		first, err := OpenOrReadOnly(dir)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := OpenOrReadOnly(dir); !errors.Is(err, ErrLocked) {
			t.Errorf("lock file %v: a second kiosk on the directory: %v, want ErrLocked", withLockFile, err)
		}
		first.Close()
		second, err := OpenOrReadOnly(dir)
		if err != nil {
			t.Fatalf("lock file %v: not released on close: %v", withLockFile, err)
		}
		second.Close()
		if _, err := Open(dir); !errors.Is(err, syscall.EROFS) {
			t.Errorf("store.Open on a read-only disk: %v, want read-only file system", err)
		}
	}
}

// With no database to read, the kiosk runs on an empty one in memory and
// says why: it then serves the starter content.
func TestReadOnlyDiskWithoutDatabase(t *testing.T) {
	disk := testdisk.Mount(t, "8m")
	testdisk.RemountReadOnly(t, disk)
	st, err := OpenOrReadOnly(disk)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if !st.ReadOnly || st.Unreadable == nil {
		t.Fatalf("ReadOnly %v, Unreadable %v: want both", st.ReadOnly, st.Unreadable)
	}
	if state, err := st.ContentState(context.Background()); err != nil || state.Current != 0 {
		t.Fatalf("content state %+v, %v: want the starter's", state, err)
	}
}

// A database an older version wrote (its schema without the newest
// migrations), met on a read-only disk where it cannot be migrated: it opens
// read-only with what it holds, and Behind names what it lacks.
func TestReadOnlyDiskWithAnOlderSchema(t *testing.T) {
	disk := testdisk.Mount(t, "8m")
	ctx := context.Background()
	const last = "0005_staff" // the schema as the version before the lockout counts left it
	older, newer := fstest.MapFS{}, []string(nil)
	files, _ := fs.Glob(kioskMigrations, "*.sql")
	for _, f := range files {
		if f > last+".sql" {
			newer = append(newer, strings.TrimSuffix(f, ".sql"))
			continue
		}
		body, _ := fs.ReadFile(kioskMigrations, f)
		older[f] = &fstest.MapFile{Data: body}
	}
	db, err := OpenDB(filepath.Join(disk, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, db, older); err != nil {
		t.Fatal(err)
	}
	// Generation 42 seen and applied as the older release wrote it (no
	// applied_source column).
	for _, q := range []string{
		`INSERT INTO content_generations(generation, manifest_sha256, key_id, created, title, seen_at, applied_at)
			VALUES (42, 'd42', 'k', '', '', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z')`,
		`UPDATE content_state SET current_generation = 42, highest_generation = 42 WHERE id = 1`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	testdisk.RemountReadOnly(t, disk)

	st, err := OpenOrReadOnly(disk)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if !slices.Equal(st.Behind, newer) || len(newer) < 2 || st.Unreadable != nil {
		t.Fatalf("Behind %v (want %v), Unreadable %v", st.Behind, newer, st.Unreadable)
	}
	if state, err := st.ContentState(ctx); err != nil || state.Current != 42 {
		t.Fatalf("content state %+v, %v: want generation 42", state, err)
	}
	// Staff mode reads the applied pack's row; how it came is not known.
	if g, ok, err := st.ContentGeneration(ctx, 42); err != nil || !ok || g.AppliedAt == "" || g.AppliedVia != "" {
		t.Fatalf("generation 42: %+v, %v, %v", g, ok, err)
	}
}

// readOnlyDataDir makes a data directory whose content state is generation
// 42 on a tmpfs, then remounts it read-only. cut copies the database files
// while the database is still open, as a power cut leaves them, with the
// switch to 42 in the -wal only; otherwise the store is closed cleanly there.
func readOnlyDataDir(t *testing.T, cut bool) string {
	t.Helper()
	disk := testdisk.Mount(t, "16m")
	src := disk
	if cut {
		src = t.TempDir()
	}
	st, err := Open(src)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := st.SeeContentGeneration(ctx, ContentGeneration{Generation: 42, Digest: "d42"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SwitchContent(ctx, 42, "d42", "usb"); err != nil {
		t.Fatal(err)
	}
	if cut {
		for _, name := range []string{FileName, FileName + "-wal", FileName + "-shm"} {
			copyFile(t, filepath.Join(src, name), filepath.Join(disk, name))
		}
		if info, err := os.Stat(filepath.Join(disk, FileName+"-wal")); err != nil || info.Size() == 0 {
			t.Fatalf("the copy has no -wal to read: %v", err)
		}
	}
	st.Close()
	testdisk.RemountReadOnly(t, disk)
	return disk
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// names lists dir's files with their sizes and times, to see that nothing
// changed.
func names(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := ""
	for _, e := range entries {
		info, _ := e.Info()
		s += e.Name() + ":" + strconv.FormatInt(info.Size(), 10) + ":" + info.ModTime().String() + ";"
	}
	return s
}
