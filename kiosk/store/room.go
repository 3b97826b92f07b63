package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// A full disk must not keep the kiosk from starting. SQLite needs a few
// kilobytes to open a WAL database that was closed cleanly (its -shm file),
// so on a disk filled to the last byte a kiosk that ran fine yesterday
// would not start again (outside QA: after a clean stop, "disk I/O error",
// a dark screen and a restart every 5 s). The kiosk keeps a reserve file in
// its data directory while there is room for one, and gives it back when
// the database cannot open for want of space.
const (
	reserveName = "tramso.reserve"
	reserveSize = 8 << 20
	// smallReserve is kept while the disk has less than four reserves to
	// spare: still far more than the -shm file (32 KB) a start needs
	// (outside QA: a kiosk already short of space when it got this version
	// kept no reserve, and did not start again once the disk filled).
	smallReserve = 1 << 20
)

// reserveFor is the reserve a disk with free bytes to spare can afford
// (0: none); a reserve never takes more than a quarter of what is free.
func reserveFor(free int64) int64 {
	switch {
	case free >= 4*reserveSize:
		return reserveSize
	case free >= 4*smallReserve:
		return smallReserve
	}
	return 0
}

// IsDiskFull reports whether err means the disk has no room left: the
// system's ENOSPC, SQLite's SQLITE_FULL, or its -shm file that could not
// grow.
func IsDiskFull(err error) bool {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.Code()&0xff == sqlite3.SQLITE_FULL || se.Code() == sqlite3.SQLITE_IOERR_SHMSIZE
}

// FreeBytes is the room left for the kiosk on the file system holding dir
// (0 when it cannot be told).
func FreeBytes(dir string) int64 {
	var st syscall.Statfs_t
	if syscall.Statfs(dir, &st) != nil {
		return 0
	}
	return int64(st.Bavail) * int64(st.Bsize)
}

// Room is the room left for the kiosk on its data directory's disk, as the
// staff panel tells it; ok is false where there is none to tell: a store in
// memory has no disk, and a read-only one takes nothing more whatever it has.
func (st *Store) Room() (free int64, ok bool) {
	if st.ReadOnly || st.Dir == "" {
		return 0, false
	}
	return FreeBytes(st.Dir), true
}

// giveBackReserve removes the reserve file; it reports whether there was one.
func giveBackReserve(dir string) bool {
	return os.Remove(filepath.Join(dir, reserveName)) == nil
}

// KeepReserve writes the reserve file when it is missing, or grows a small
// one, when the disk has room to spare for it (four times its size), so it
// never takes the last of a filling disk. Real bytes, not a sparse file: a
// hole gives nothing back. The kiosk calls it once started; tools that open
// the store do not.
func (st *Store) KeepReserve() {
	dir := st.Dir
	path := filepath.Join(dir, reserveName)
	var have int64
	if info, err := os.Stat(path); err == nil {
		have = info.Size()
	}
	size := reserveFor(FreeBytes(dir) + have)
	if size <= have {
		return
	}
	f, err := os.OpenFile(path+".tmp", os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	_, werr := f.Write(make([]byte, size))
	if cerr := f.Close(); werr != nil || cerr != nil {
		os.Remove(path + ".tmp")
		return
	}
	if os.Rename(path+".tmp", path) != nil {
		os.Remove(path + ".tmp")
	}
}

// diskFullError says in words a technician can act on that the data
// directory's disk is full, and how full.
func diskFullError(dir string, err error) error {
	return fmt.Errorf("the disk holding %s is full (%d MB free): free some space (old logs, downloads), then start the kiosk again: %w",
		dir, FreeBytes(dir)>>20, err)
}
