package hub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// BlobStore holds pack files by their sha256. The hub serves them with HTTP
// Range, so Open returns something seekable. A hub on SQLite uses DirBlobs;
// hubs sharing PostgreSQL use PGBlobs, so any of them serves any blob. An
// S3-compatible bucket could sit behind this interface too (ranged GETs map
// one to one).
type BlobStore interface {
	// Open returns the blob, its size and modification time, or an error
	// wrapping os.ErrNotExist.
	Open(ctx context.Context, sha string) (io.ReadSeekCloser, int64, time.Time, error)
	// Put stores r as the blob sha, checking size and hash before it becomes visible.
	Put(ctx context.Context, sha string, size int64, r io.Reader) error
	// Has reports whether the blob is stored.
	Has(ctx context.Context, sha string) (bool, error)
}

// Blobs is the hub's blob store.
func (h *Hub) Blobs() BlobStore { return h.blobs }

// ErrBlobMismatch means uploaded bytes did not match their declared hash or size.
var ErrBlobMismatch = errors.New("blob does not match its hash or size")

// DirBlobs keeps blobs as files Dir/ab/abcdef…, two-level so no folder grows huge.
type DirBlobs struct{ Dir string }

func (d *DirBlobs) path(sha string) string { return filepath.Join(d.Dir, sha[:2], sha) }

// Open implements BlobStore.
func (d *DirBlobs) Open(_ context.Context, sha string) (io.ReadSeekCloser, int64, time.Time, error) {
	if !isSHA256(sha) {
		return nil, 0, time.Time{}, fmt.Errorf("blob %.70q: %w", sha, os.ErrNotExist)
	}
	f, err := os.Open(d.path(sha))
	if err != nil {
		return nil, 0, time.Time{}, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, time.Time{}, err
	}
	return f, st.Size(), st.ModTime(), nil
}

// Has implements BlobStore.
func (d *DirBlobs) Has(_ context.Context, sha string) (bool, error) {
	if !isSHA256(sha) {
		return false, nil
	}
	_, err := os.Stat(d.path(sha))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Put implements BlobStore: write to a temporary file, check, fsync, rename.
func (d *DirBlobs) Put(_ context.Context, sha string, size int64, r io.Reader) error {
	if !isSHA256(sha) {
		return fmt.Errorf("blob %.70q: not a sha256", sha)
	}
	dst := d.path(sha)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	// CreateTemp makes the file 0600 whatever the umask, and the rename
	// keeps it: blobs are readable by the hub's user only.
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	hash := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, hash), io.LimitReader(r, size+1))
	if err != nil {
		return fmt.Errorf("store blob %s: %w", sha, err)
	}
	if n != size || hex.EncodeToString(hash.Sum(nil)) != sha {
		return fmt.Errorf("store blob %s: %w", sha, ErrBlobMismatch)
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
