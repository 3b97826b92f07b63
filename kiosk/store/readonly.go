package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// A data directory on a file system the kernel made read-only (ext4's
// errors=remount-ro after disk errors: the classic end of a bad power cut
// on a commune PC) must not keep residents from the kiosk, since everything
// it serves can still be read (outside QA: the kiosk exited, "open
// tramso.lock: read-only file system"). Open then takes a lock that needs
// no writing and opens the database read-only; Store.ReadOnly tells the
// kiosk to write nothing (usage figures, the reserve file, updates) until
// the disk has been checked.

// stRdonly is ST_RDONLY in statfs(2)'s f_flags.
const stRdonly = 0x1

// IsReadOnlyFS reports whether dir is on a file system mounted read-only.
func IsReadOnlyFS(dir string) bool {
	var st syscall.Statfs_t
	return syscall.Statfs(dir, &st) == nil && st.Flags&stRdonly != 0
}

// ReadOnlyAdvice is what a technician should do about a read-only data
// directory; the kiosk's log and `tramso doctor` both give it.
const ReadOnlyAdvice = "the disk is probably failing or was damaged by a power cut: " +
	"look at `dmesg` for disk errors, check the file system (fsck) and restart the machine"

// lockDirReadOnly takes lockDir's lock without creating anything: on
// tramso.lock where an earlier run left one (a kiosk still running since
// before the disk turned read-only holds that one), else on the directory
// itself. flock needs no write access to the file it locks.
func lockDirReadOnly(dir string) (*os.File, error) {
	f, err := os.Open(filepath.Join(dir, "tramso.lock"))
	if errors.Is(err, fs.ErrNotExist) {
		f, err = os.Open(dir)
	}
	if err != nil {
		return nil, fmt.Errorf("lock data directory %s: %w", dir, err)
	}
	return flockOrRefuse(f, dir)
}

// openReadOnly opens the database without writing a byte. With no database
// to read (none yet, or one SQLite cannot open) the kiosk runs on an empty
// one in memory: it has recorded nothing, so it shows the starter content.
func (st *Store) openReadOnly() {
	path := filepath.Join(st.Dir, FileName)
	db, err := openDBReadOnly(path)
	if err == nil {
		st.DB = db
		st.Behind = unapplied(context.Background(), db, kioskMigrations)
		return
	}
	mem, merr := OpenMemory()
	if merr != nil {
		// OpenMemory fails only on a broken build (its migrations).
		panic(merr)
	}
	st.DB, st.Unreadable = mem.DB, err
}

// openDBReadOnly opens path read-only. After a power cut the -wal and -shm
// files are still there and hold the last commits: mode=ro reads them
// (SQLite ≥ 3.22). After a clean stop they are gone, and SQLite cannot
// create the -shm a WAL database needs on a read-only disk; the database
// file then holds everything, and immutable=1 reads it with no -shm at all.
func openDBReadOnly(path string) (*sql.DB, error) {
	const pragmas = "&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)"
	var firstErr error
	for _, mode := range []string{"mode=ro", "immutable=1"} {
		db, err := sql.Open("sqlite", "file:"+uriPath(path)+"?"+mode+pragmas)
		if err == nil {
			err = readable(db)
		}
		if err == nil {
			return db, nil
		}
		if db != nil {
			db.Close()
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, fmt.Errorf("open database %s read-only: %w", path, firstErr)
}

// unapplied lists the migrations in fsys that db has not recorded, without
// writing: a database an older version wrote, met on a read-only disk, where
// Migrate cannot run; the tables and columns they add are missing. One whose
// record cannot be read counts as missing.
func unapplied(ctx context.Context, db *sql.DB, fsys fs.FS) []string {
	files, _ := fs.Glob(fsys, "*.sql") // the pattern is valid
	var missing []string
	for _, f := range files {
		name := strings.TrimSuffix(f, ".sql")
		var n int
		err := db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, name).Scan(&n)
		if err != nil || n == 0 {
			missing = append(missing, name)
		}
	}
	return missing
}

// NewerMigrations names the migrations recorded in the kiosk database db that
// this release does not have: a newer release has used it. It writes nothing
// (doctor asks it of a kiosk's live database).
func NewerMigrations(ctx context.Context, db *sql.DB) ([]string, error) {
	var tables int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&tables); err != nil || tables == 0 {
		return nil, err
	}
	known, err := fileNames(kioskMigrations)
	if err != nil {
		return nil, err
	}
	return unknownMigrations(ctx, db, known)
}

// readable checks that db opens and its schema reads: SQLite opens lazily,
// so a bare Ping would not meet a file it cannot use.
func readable(db *sql.DB) error {
	var n int
	return db.QueryRowContext(context.Background(), `SELECT count(*) FROM schema_migrations`).Scan(&n)
}
