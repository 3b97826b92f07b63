// Package store owns the kiosk's SQLite database: opening it in WAL mode, the lock
// that keeps a second kiosk off the same data directory, and the schema migrations.
// Domain packages keep their SQL in files of this package named for their concern.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"modernc.org/sqlite" // also registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// kioskMigrations are the kiosk's own: the hub keeps its schema in its own file.
var kioskMigrations, _ = fs.Sub(migrations, "migrations")

// FileName is the database file inside the data directory.
const FileName = "tramso.db"

// ErrLocked means another process already holds the data directory.
var ErrLocked = errors.New("another Trạm Số process is already using this data directory")

// Store is an open kiosk database and the lock on its data directory.
type Store struct {
	DB   *sql.DB
	Dir  string
	lock *os.File
	// GaveBackReserve: the disk was full, and the database opened only
	// once the reserve file was removed (room.go). The kiosk says so.
	GaveBackReserve bool
	// SetAside is where a damaged database was moved before a new one was
	// started ("" when none was): the kiosk says so, and the file stays for
	// a technician.
	SetAside string
	// ReadOnly: the data directory's file system is read-only
	// (OpenOrReadOnly, readonly.go); DB takes no writes.
	ReadOnly bool
	// Unreadable is why the database could not be read on a read-only
	// disk; DB is then an empty one in memory.
	Unreadable error
	// Behind names the migrations a database on a read-only disk lacks: it
	// was written by an older version, and cannot be brought up to date
	// until the disk takes writes again (openReadOnly).
	Behind []string
}

// Open takes the data directory's lock, opens (or creates) the database in WAL
// mode and applies every migration not yet applied.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dir, err)
	}
	lock, err := LockDir(dir)
	if err != nil {
		return nil, err
	}
	if err := privateFiles(dir); err != nil {
		lock.Close()
		return nil, err
	}
	st := &Store{Dir: dir, lock: lock}
	if err := st.open(); err != nil {
		lock.Close()
		return nil, err
	}
	return st, nil
}

// OpenOrReadOnly is Open for the kiosk itself: on a data directory whose
// file system is read-only it opens the store read-only (readonly.go)
// rather than fail. Tools that mean to write use Open, and are refused.
func OpenOrReadOnly(dir string) (*Store, error) {
	if !IsReadOnlyFS(dir) {
		st, err := Open(dir)
		if !errors.Is(err, syscall.EROFS) {
			return st, err
		}
	}
	lock, err := lockDirReadOnly(dir)
	if err != nil {
		return nil, err
	}
	st := &Store{Dir: dir, lock: lock, ReadOnly: true}
	st.openReadOnly()
	return st, nil
}

// open opens and migrates the database; on a full disk it gives back the
// reserve file and tries once more.
func (st *Store) open() error {
	err := st.openOnce()
	if IsDiskFull(err) && giveBackReserve(st.Dir) {
		st.GaveBackReserve = true
		err = st.openOnce()
	}
	if IsDiskFull(err) {
		return diskFullError(st.Dir, err)
	}
	if isDamaged(err) {
		// A database that is no database any more (cut short, overwritten)
		// must not keep residents from the kiosk: it is set aside, whole,
		// and a new one started. What it held (usage figures, the hub
		// enrollment, which content was trusted) starts again; the content
		// on disk is taken back where its signature still verifies
		// (pack.Store.Serve).
		aside, merr := setAside(st.Dir, time.Now())
		if merr != nil {
			return fmt.Errorf("%w (and it could not be set aside: %v)", err, merr)
		}
		st.SetAside = aside
		err = st.openOnce()
	}
	return err
}

// isDamaged reports whether err means the database file is not a database
// any more, as opposed to one the disk or the system cannot reach.
func isDamaged(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	c := se.Code() & 0xff
	return c == sqlite3.SQLITE_CORRUPT || c == sqlite3.SQLITE_NOTADB
}

// SetAsideFiles lists the damaged databases the kiosk set aside in dir,
// oldest first: kept for a technician, who removes them once done.
func SetAsideFiles(dir string) []string {
	aside, _ := filepath.Glob(filepath.Join(dir, FileName) + ".damaged-*[0-9]")
	return aside
}

// setAside renames the database and its -wal and -shm to
// tramso.db.damaged-TIME(-wal, -shm).
func setAside(dir string, now time.Time) (string, error) {
	base := filepath.Join(dir, FileName)
	aside := base + ".damaged-" + now.UTC().Format("20060102-150405")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Rename(base+suffix, aside+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	return aside, privateFiles(dir)
}

func (st *Store) openOnce() error {
	db, err := OpenDB(filepath.Join(st.Dir, FileName))
	if err != nil {
		return err
	}
	if err := Migrate(context.Background(), db, kioskMigrations); err != nil {
		db.Close()
		return err
	}
	st.DB = db
	return nil
}

// OpenMemory opens a database with the kiosk's schema that lives in memory
// only, with no data directory and no lock: for a kiosk API that must not
// keep anything (the hub's preview of draft content). Close forgets it.
func OpenMemory() (*Store, error) {
	db, err := sql.Open("sqlite", "file::memory:?_pragma=foreign_keys(1)")
	if err != nil {
		return nil, fmt.Errorf("open database in memory: %w", err)
	}
	// Each connection to ":memory:" is a database of its own: keep one.
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	if err := Migrate(context.Background(), db, kioskMigrations); err != nil {
		db.Close()
		return nil, err
	}
	return &Store{DB: db}, nil
}

// OpenDB opens a SQLite file with the pragmas every connection needs. It takes no
// lock and applies no migration; tools that inspect a database use it directly.
func OpenDB(path string) (*sql.DB, error) {
	dsn := "file:" + uriPath(path) + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

// privateFiles makes the database private to the kiosk whatever the umask:
// SQLite creates its -wal and -shm files with the database file's mode, so
// creating that file 0600 first covers all three; files an older version
// left readable by others are narrowed to 0640 at most.
func privateFiles(dir string) error {
	path := filepath.Join(dir, FileName)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	f.Close()
	for _, name := range []string{FileName, FileName + "-wal", FileName + "-shm", "tramso.lock"} {
		p := filepath.Join(dir, name)
		info, err := os.Stat(p)
		if err != nil {
			continue // -wal and -shm exist only while open
		}
		if mode := info.Mode().Perm(); mode&^0o640 != 0 {
			if err := os.Chmod(p, mode&0o640); err != nil {
				return fmt.Errorf("make %s private: %w", p, err)
			}
		}
	}
	return nil
}

// uriPath escapes what a SQLite URI filename would take as the start of its
// query or fragment: a data folder named "a#1" must not open the database "a".
func uriPath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// Close closes the database and releases the directory lock.
func (s *Store) Close() error {
	err := s.DB.Close()
	if s.lock != nil {
		s.lock.Close()
	}
	return err
}

// LockDir takes an exclusive, non-blocking flock on DIR/tramso.lock: one
// process serves from a data directory, the kiosk's or a hub's. The kernel
// drops it when the process dies, so a crash never leaves a stale lock
// behind. Another holder is ErrLocked.
func LockDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, "tramso.lock"), os.O_CREATE|os.O_RDWR, 0o640)
	if err != nil {
		return nil, fmt.Errorf("lock data directory %s: %w", dir, err)
	}
	return flockOrRefuse(f, dir)
}

// flockOrRefuse takes an exclusive, non-blocking flock on f, the lock of
// dir; it closes f when another process holds it.
func flockOrRefuse(f *os.File, dir string) (*os.File, error) {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w (%s)", ErrLocked, dir)
		}
		return nil, fmt.Errorf("lock data directory %s: %w", dir, err)
	}
	return f, nil
}
