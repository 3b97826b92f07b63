package pack

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"tramso/kiosk/store"
)

// RoomToSpare is the disk space a pack leaves free once its files are in:
// the database, its journal and the system's own logs need room after it
// (outside QA: an update that did not fit filled the disk to the last byte,
// and every other write on the kiosk failed from then on).
const RoomToSpare = 32 << 20

// NoRoomError refuses a pack the disk has no room for, before a byte of it
// is written. The content in use stays. It is no Rejection: the pack is
// fine, the kiosk is short of space.
type NoRoomError struct{ Generation, Need, Free int64 }

func (e *NoRoomError) Error() string {
	what := "this pack"
	if e.Generation > 0 {
		what = fmt.Sprintf("generation %d", e.Generation)
	}
	// What to free, not what the pack "needs": a pack whose files the kiosk
	// mostly holds needs next to nothing, and "needs 0 MB" beside a refusal
	// read as a contradiction (outside QA s26, finding 10).
	files := ""
	if e.Need > 0 {
		files = fmt.Sprintf("its new files take %d MB, ", mb(e.Need))
	}
	return fmt.Sprintf("not enough disk space for %s: %s%d MB are free and the kiosk must keep %d MB free: "+freeMoreFormat,
		what, files, e.Free>>20, RoomToSpare>>20, e.ToFree()>>20)
}

// ToFree is how many bytes to free before the pack fits, in whole megabytes
// rounded up.
func (e *NoRoomError) ToFree() int64 {
	short := max(e.Need+RoomToSpare-e.Free, 1)
	return mb(short) << 20
}

// freeMoreFormat ends a NoRoomError's text; freeMoreRE reads the number
// back from a recorded refusal, for staff's words (StaffRejection.FreeMB).
const freeMoreFormat = "free at least %d MB more"

var freeMoreRE = regexp.MustCompile(`free at least (\d+) MB more`)

// freeMoreMB is the megabytes to free that a refusal's detail names; 0 if none.
func freeMoreMB(detail string) int64 {
	m := freeMoreRE.FindStringSubmatch(detail)
	if m == nil {
		return 0
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

// DiskFull reports whether err is a pack refused for room (NoRoomError) or
// a write that met a full disk: the kiosk's lack, not the pack's fault.
func DiskFull(err error) bool {
	var noRoom *NoRoomError
	return errors.As(err, &noRoom) || store.IsDiskFull(err)
}

// mb rounds bytes up to whole megabytes.
func mb(n int64) int64 { return (n + 1<<20 - 1) >> 20 }

// CheckRoom returns a *NoRoomError when the disk holding dir cannot take
// need more bytes for generation gen (0: not known yet) and still keep
// RoomToSpare free. Every way a pack arrives checks it first: the hub's
// download, a USB pack handed to the running kiosk and one applied offline.
func CheckRoom(dir string, gen, need int64) error {
	if free := store.FreeBytes(dir); need+RoomToSpare > free {
		return &NoRoomError{Generation: gen, Need: need, Free: free}
	}
	return nil
}

// checkRoom is CheckRoom for the files of sm this kiosk does not hold yet.
// A store with no disk (in memory) or a read-only one has nothing to check:
// the latter refuses the write itself.
func (s *Store) checkRoom(sm *Signed) error {
	if _, ok := s.db.Room(); !ok {
		return nil
	}
	var need int64
	for _, f := range s.Missing(sm.Manifest) {
		need += f.Size
	}
	return CheckRoom(s.db.Dir, sm.Manifest.Generation, need)
}
