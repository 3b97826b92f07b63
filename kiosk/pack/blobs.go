package pack

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
)

// blobPath is where a verified blob lives; only verified bytes are ever
// renamed there, so a blob present with the right size is trusted.
func (s *Store) blobPath(sha string) string { return filepath.Join(s.dir, "blobs", sha) }

// HasBlob says whether the store holds f's content.
func (s *Store) HasBlob(f File) bool {
	if !validHash(f.SHA256) {
		return false
	}
	info, err := os.Stat(s.blobPath(f.SHA256))
	return err == nil && info.Mode().IsRegular() && info.Size() == f.Size
}

// Missing returns the distinct blobs of m the store does not hold: what an
// update must transfer.
func (s *Store) Missing(m *Manifest) []File {
	var out []File
	for _, f := range m.Blobs() {
		if !s.HasBlob(f) {
			out = append(out, f)
		}
	}
	return out
}

// PutBlob stores the whole of f's content from r, checking size and sha256
// before it becomes visible. A mismatch is a *Rejection and stores nothing.
func (s *Store) PutBlob(f File, r io.Reader) error {
	if s.HasBlob(f) {
		return nil
	}
	w, err := s.openBlob(f, true)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, io.LimitReader(r, f.Size+1)); err != nil {
		w.discard()
		return err
	}
	if err := w.Commit(); err != nil {
		w.discard()
		return err
	}
	return nil
}

// Partial is how much of f an earlier download left in blobs/<sha>.partial.
func (s *Store) Partial(f File) int64 {
	if !validHash(f.SHA256) {
		return 0
	}
	info, err := os.Stat(s.blobPath(f.SHA256) + ".partial")
	if err != nil {
		return 0
	}
	return min(info.Size(), f.Size)
}

// ResumeBlob opens blobs/<sha>.partial for appending: Offset says how many
// bytes a cut transfer already brought, so only the rest is fetched.
func (s *Store) ResumeBlob(f File) (*BlobWriter, error) {
	if s.HasBlob(f) {
		return &BlobWriter{f: f, n: f.Size, done: true}, nil
	}
	return s.openBlob(f, false)
}

// BlobWriter receives one blob, possibly over several attempts.
type BlobWriter struct {
	s    *Store
	f    File
	file *os.File
	h    hash.Hash
	n    int64
	done bool // the store already held the blob
}

func (s *Store) openBlob(f File, fresh bool) (*BlobWriter, error) {
	if !validHash(f.SHA256) || f.Size < 0 || f.Size > MaxFileSize {
		return nil, reject(KindBadManifest, 0, "blob %q of %d bytes is not a valid manifest entry", f.SHA256, f.Size)
	}
	flags := os.O_CREATE | os.O_RDWR
	if fresh {
		flags |= os.O_TRUNC
	}
	file, err := os.OpenFile(s.blobPath(f.SHA256)+".partial", flags, 0o640)
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", f.SHA256, err)
	}
	w := &BlobWriter{s: s, f: f, file: file, h: sha256.New()}
	// Hash what an earlier attempt left, so the final check covers all of it.
	n, err := io.Copy(w.h, io.LimitReader(file, f.Size+1))
	if err != nil {
		file.Close()
		return nil, fmt.Errorf("read partial blob %s: %w", f.SHA256, err)
	}
	if n > f.Size { // not a prefix of this blob: start again
		if err := restart(w); err != nil {
			return nil, err
		}
		n = 0
	}
	w.n = n
	return w, nil
}

func restart(w *BlobWriter) error {
	if err := w.file.Truncate(0); err != nil {
		w.file.Close()
		return err
	}
	if _, err := w.file.Seek(0, io.SeekStart); err != nil {
		w.file.Close()
		return err
	}
	w.h.Reset()
	return nil
}

// Offset is how many bytes of the blob are already held.
func (w *BlobWriter) Offset() int64 { return w.n }

// Write appends to the partial blob; bytes past the manifest's size are refused.
func (w *BlobWriter) Write(p []byte) (int, error) {
	if w.done {
		return 0, errors.New("blob is already complete")
	}
	over := false
	if room := w.f.Size - w.n; int64(len(p)) > room {
		p, over = p[:room], true
	}
	n, err := w.file.Write(p)
	w.h.Write(p[:n])
	w.n += int64(n)
	if err != nil {
		return n, err
	}
	if over {
		return n, reject(KindSizeMismatch, 0, "%s is longer than the %d bytes the manifest says", w.f.Path, w.f.Size)
	}
	return n, nil
}

// Commit checks the whole blob and makes it part of the store. A short blob
// stays partial (resume later); a wrong hash deletes it and is a *Rejection.
func (w *BlobWriter) Commit() error {
	if w.done {
		return nil
	}
	if w.n < w.f.Size {
		return reject(KindSizeMismatch, 0, "%s: have %d of %d bytes", w.f.Path, w.n, w.f.Size)
	}
	if got := hex.EncodeToString(w.h.Sum(nil)); got != w.f.SHA256 {
		w.discard()
		return reject(KindHashMismatch, 0, "%s has sha256 %s, the manifest says %s", w.f.Path, got, w.f.SHA256)
	}
	if err := w.file.Sync(); err != nil {
		w.file.Close()
		return err
	}
	// Read-only, and never readable by other users: a kiosk's content is
	// the province's, and its data folder is the kiosk's alone.
	if err := w.file.Chmod(0o440); err != nil {
		w.file.Close()
		return err
	}
	if err := w.file.Close(); err != nil {
		return err
	}
	w.done = true
	// The bytes are synced; the name need not be: a blob whose rename a power
	// cut undoes is simply fetched again, and an applied generation holds its
	// own synced links to the same data.
	final := w.s.blobPath(w.f.SHA256)
	if err := os.Rename(final+".partial", final); err != nil {
		return fmt.Errorf("store blob %s: %w", w.f.SHA256, err)
	}
	return nil
}

// Close keeps whatever was written for a later ResumeBlob.
func (w *BlobWriter) Close() error {
	if w.done || w.file == nil {
		return nil
	}
	w.done = true
	return w.file.Close()
}

func (w *BlobWriter) discard() {
	if w.file != nil {
		w.file.Close()
		os.Remove(w.s.blobPath(w.f.SHA256) + ".partial")
	}
	w.done = true
}

// syncDir makes a rename or link in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func newHash() hash.Hash { return sha256.New() }
