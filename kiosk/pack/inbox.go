package pack

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/store"
)

// The inbox hands a pack file to a running kiosk. `tramso pack apply` cannot
// take the data folder's lock while the kiosk runs, so it drops the file in
// DATA/inbox/<ticket>.tspack; the kiosk applies it with its own pinned keys
// (config hub.province_keys) and answers in DATA/inbox/<ticket>.result.
const (
	inboxName    = "inbox"
	inboxPack    = ".tspack"
	inboxResult  = ".result"
	inboxPartial = ".tmp"
	inboxMaxAge  = 24 * time.Hour // unclaimed answers and broken copies are dropped after this
)

// InboxResult is the kiosk's answer about one pack handed to it.
type InboxResult struct {
	Generation int64  `json:"generation,omitempty"`
	Title      string `json:"title,omitempty"`
	Kind       Kind   `json:"kind,omitempty"`  // the rejection kind, if refused
	Error      string `json:"error,omitempty"` // empty: applied, or already installed
	// AlreadyInstalled: the pack is the generation in use, byte for byte
	// (AlreadyInstalledError); nothing was done and nothing recorded.
	AlreadyInstalled bool `json:"already_installed,omitempty"`
	// DiskFull: not applied for want of disk space (DiskFull), no fault of
	// the pack; FreeMB, when known, is how many megabytes to free first.
	DiskFull bool  `json:"disk_full,omitempty"`
	FreeMB   int64 `json:"free_mb,omitempty"`
}

// InboxDir is where a kiosk on dataDir takes pack files from.
func InboxDir(dataDir string) string { return filepath.Join(dataDir, inboxName) }

// Enqueue copies file into the inbox of the kiosk running on dataDir and
// returns the ticket to wait on. The copy appears under its final name only
// once complete, so the kiosk never reads half a file.
func Enqueue(dataDir, file string) (string, error) {
	dir := InboxDir(dataDir)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	ticket := hex.EncodeToString(b[:])
	in, err := os.Open(file)
	if err != nil {
		return "", err
	}
	defer in.Close()
	if err := checkPackFileSize(in); err != nil {
		return "", err
	}
	// Room for the copy here; the kiosk then checks room for the files it
	// lacks before it takes them out (checkRoom), so a pack whose files it
	// mostly holds already is not refused for the size of the whole.
	if info, err := in.Stat(); err == nil {
		if err := CheckRoom(dir, 0, info.Size()); err != nil {
			return "", err
		}
	}
	tmp := filepath.Join(dir, ticket+inboxPartial)
	if err := createFile(tmp, in, 0o640, true); err != nil {
		os.Remove(tmp)
		return "", err
	}
	giveToInboxOwner(dir, tmp)
	if err := os.Rename(tmp, filepath.Join(dir, ticket+inboxPack)); err != nil {
		os.Remove(tmp)
		return "", err
	}
	return ticket, nil
}

// giveToInboxOwner hands a file root queued to the user the kiosk runs as
// (who owns the inbox), so that the file need not be readable by everyone.
func giveToInboxOwner(dir, path string) {
	if os.Geteuid() != 0 {
		return
	}
	info, err := os.Stat(dir)
	if err != nil {
		return
	}
	if sys, ok := info.Sys().(*syscall.Stat_t); ok {
		_ = os.Chown(path, int(sys.Uid), int(sys.Gid))
	}
}

// WaitResult waits until the kiosk has answered about ticket, or ctx ends.
func WaitResult(ctx context.Context, dataDir, ticket string) (InboxResult, error) {
	path := filepath.Join(InboxDir(dataDir), ticket+inboxResult)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		data, err := os.ReadFile(path)
		if err == nil {
			var res InboxResult
			if err := json.Unmarshal(data, &res); err != nil {
				return res, fmt.Errorf("the kiosk's answer %s is not valid: %v", path, err)
			}
			os.Remove(path)
			return res, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return InboxResult{}, err
		}
		select {
		case <-ctx.Done():
			return InboxResult{}, ctx.Err()
		case <-tick.C:
		}
	}
}

// WatchInbox applies the pack files handed to this kiosk until ctx ends,
// looking every interval.
func (s *Store) WatchInbox(ctx context.Context, keys []ed25519.PublicKey, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		s.ProcessInbox(ctx, keys)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// ProcessInbox applies every pack file waiting in the inbox, in name order,
// answers each, and drops stale leftovers.
func (s *Store) ProcessInbox(ctx context.Context, keys []ed25519.PublicKey) {
	dir := InboxDir(s.db.Dir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		ticket, isPack := strings.CutSuffix(name, inboxPack)
		path := filepath.Join(dir, name)
		switch {
		case isPack && validTicket(ticket) && e.Type().IsRegular():
			res := s.applyInbox(ctx, path, keys)
			if err := writeResult(filepath.Join(dir, ticket+inboxResult), res); err != nil {
				s.log.Error("answer inbox pack", "ticket", ticket, "err", err)
			}
			os.Remove(path)
		case strings.HasSuffix(name, inboxResult) || strings.HasSuffix(name, inboxPartial):
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > inboxMaxAge {
				os.Remove(path)
			}
		}
	}
}

func (s *Store) applyInbox(ctx context.Context, path string, keys []ed25519.PublicKey) InboxResult {
	sm, err := s.ApplyFile(ctx, path, keys, "usb")
	if installed := (*AlreadyInstalledError)(nil); errors.As(err, &installed) {
		return InboxResult{Generation: installed.Generation, Title: installed.Title, AlreadyInstalled: true}
	}
	if err != nil {
		res := InboxResult{Error: err.Error()}
		if r, ok := AsRejection(err); ok {
			res.Kind, res.Generation = r.Kind, r.Generation
		} else {
			s.notApplied(ctx, err)
			res.DiskFull = DiskFull(err)
			if noRoom := (*NoRoomError)(nil); errors.As(err, &noRoom) {
				res.Generation, res.FreeMB = noRoom.Generation, noRoom.ToFree()>>20
			}
		}
		return res
	}
	return InboxResult{Generation: sm.Manifest.Generation, Title: sm.Manifest.Title}
}

// notApplied leaves a trace of a USB pack that failed for the kiosk's own
// reasons: the technician's terminal may be gone by then (outside QA: the
// kiosk's log and staff mode said nothing).
func (s *Store) notApplied(ctx context.Context, err error) {
	s.log.Error("a pack handed over by `tramso pack apply` could not be applied; the content in use stays", "err", err)
	detail := err.Error()
	if DiskFull(err) {
		detail = diskFullDetail + detail
	}
	var gen int64 // named where known, so that a later install marks it settled
	if noRoom := (*NoRoomError)(nil); errors.As(err, &noRoom) {
		gen = noRoom.Generation
	}
	if rerr := s.db.RecordContentRejection(ctx, store.ContentRejection{Source: "usb", Generation: gen, Kind: string(KindNotApplied),
		Detail: hubproto.Clip(detail, 500)}); rerr != nil {
		s.log.Error("record content rejection", "err", rerr)
	}
}

// diskFullDetail begins the detail of a pack not applied for want of disk
// space, which staff are told in their own words (StaffRejection.DiskFull).
const diskFullDetail = "disk full: "

func validTicket(t string) bool {
	_, err := hex.DecodeString(t)
	return err == nil && len(t) == 16
}

func writeResult(path string, res InboxResult) error {
	data, err := json.Marshal(res)
	if err != nil {
		return err
	}
	tmp := path + inboxPartial
	os.Remove(tmp)
	if err := createFile(tmp, bytes.NewReader(data), 0o640, true); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
