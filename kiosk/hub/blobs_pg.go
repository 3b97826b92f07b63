package hub

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"
)

// DefaultChunkSize is how PGBlobs cuts a blob: 256 KiB, the size of the
// Range requests kiosks download in (kiosk/update's ChunkSize), so that one
// such request reads one chunk (two when a resumed download is not aligned)
// and no more: with 1 MiB chunks each request fetched 1 MiB to send 256 KiB,
// and served a third as fast (BenchmarkServeBlob). It is also what one open
// blob holds in memory while a slow kiosk drains its response. Any BYTEA
// over 2 KB is TOASTed out of line, so smaller chunks cost no space; and the
// round trip per chunk (well under a millisecond on a LAN) stays small next
// to sending 256 KiB.
const DefaultChunkSize = 256 << 10

// PGBlobs keeps blobs in PostgreSQL (tables blobs and blob_chunks, migration
// postgres/0005_blobs.sql), so every hub sharing the database serves every
// blob. Reads fetch only the chunks they touch, so a Range request for a
// blob's tail reads its last chunk, not the blob.
type PGBlobs struct {
	DB        *sql.DB
	chunkSize int // DefaultChunkSize when 0; tests cut smaller to cross boundaries

	// ChunksRead counts chunks fetched to serve reads (tests use it to prove
	// that a Range request reads only the chunks it covers).
	ChunksRead atomic.Int64
}

// NewPGBlobs returns the blob store in db, a PostgreSQL database migrated
// with the hub's migrations.
func NewPGBlobs(db *sql.DB) *PGBlobs { return &PGBlobs{DB: db} }

func (p *PGBlobs) chunk() int {
	if p.chunkSize > 0 {
		return p.chunkSize
	}
	return DefaultChunkSize
}

// Open implements BlobStore.
func (p *PGBlobs) Open(ctx context.Context, sha string) (io.ReadSeekCloser, int64, time.Time, error) {
	if !isSHA256(sha) {
		return nil, 0, time.Time{}, fmt.Errorf("blob %.70q: %w", sha, os.ErrNotExist)
	}
	b := &pgBlob{ctx: ctx, db: p.DB, sha: sha, loaded: -1, reads: &p.ChunksRead}
	var created string
	err := p.DB.QueryRowContext(ctx, `SELECT size, chunk_size, created_at FROM blobs WHERE sha = $1`, sha).
		Scan(&b.size, &b.chunk, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, time.Time{}, fmt.Errorf("blob %s: %w", sha, os.ErrNotExist)
	} else if err != nil {
		return nil, 0, time.Time{}, fmt.Errorf("open blob %s: %w", sha, err)
	}
	mod, err := time.Parse(time.RFC3339, created)
	if err != nil {
		return nil, 0, time.Time{}, fmt.Errorf("open blob %s: created_at: %w", sha, err)
	}
	return b, b.size, mod, nil
}

// Has implements BlobStore.
func (p *PGBlobs) Has(ctx context.Context, sha string) (bool, error) {
	if !isSHA256(sha) {
		return false, nil
	}
	var ok bool
	err := p.DB.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM blobs WHERE sha = $1)`, sha).Scan(&ok)
	return ok, err
}

// Put implements BlobStore. The blob's row and chunks are written in one
// transaction that commits only once size and hash have checked out. A blob
// already stored (another hub put the same pack) is not written again: the
// first writer's row lock makes a concurrent second Put wait, then find the
// row and only check its bytes, as DirBlobs does.
func (p *PGBlobs) Put(ctx context.Context, sha string, size int64, r io.Reader) error {
	if !isSHA256(sha) {
		return fmt.Errorf("blob %.70q: not a sha256", sha)
	}
	if size < 0 {
		return fmt.Errorf("store blob %s: %w", sha, ErrBlobMismatch)
	}
	if err := p.put(ctx, sha, size, r); err != nil {
		return fmt.Errorf("store blob %s: %w", sha, err)
	}
	return nil
}

func (p *PGBlobs) put(ctx context.Context, sha string, size int64, r io.Reader) error {
	tx, err := p.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO blobs (sha, size, chunk_size, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (sha) DO NOTHING`,
		sha, size, p.chunk(), time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return err
	}
	fresh, err := res.RowsAffected()
	if err != nil {
		return err
	}
	write := func(int64, []byte) error { return nil }
	if fresh == 1 {
		write = func(n int64, data []byte) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO blob_chunks (sha, n, data) VALUES ($1, $2, $3)`, sha, n, data)
			return err
		}
	}
	if err := p.copyChunks(sha, size, r, write); err != nil {
		return err
	}
	return tx.Commit()
}

// copyChunks reads r in chunks into write, holding one chunk in memory, and
// fails with ErrBlobMismatch as soon as r runs past size or, at its end, if
// its size or hash is not the blob's.
func (p *PGBlobs) copyChunks(sha string, size int64, r io.Reader, write func(n int64, data []byte) error) error {
	hash := sha256.New()
	bufLen := p.chunk()
	if size < int64(bufLen) {
		bufLen = int(size) + 1 // room for one byte too many, or it would go unseen
	}
	buf := make([]byte, bufLen)
	lr := io.LimitReader(r, size+1)
	var total int64
	for n := int64(0); ; n++ {
		k, err := io.ReadFull(lr, buf)
		total += int64(k)
		if total > size {
			return ErrBlobMismatch
		}
		if k > 0 {
			hash.Write(buf[:k])
			if err := write(n, buf[:k]); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		} else if err != nil {
			return err
		}
	}
	if total != size || hex.EncodeToString(hash.Sum(nil)) != sha {
		return ErrBlobMismatch
	}
	return nil
}

// pgBlob reads one blob, fetching the chunk under the read position when a
// read needs it and keeping only that one.
type pgBlob struct {
	ctx         context.Context
	db          *sql.DB
	sha         string
	size, chunk int64
	off         int64
	buf         []byte // the bytes of chunk number loaded
	loaded      int64  // -1 before the first read
	reads       *atomic.Int64
	closed      bool
}

func (b *pgBlob) Read(p []byte) (int, error) {
	if b.closed {
		return 0, os.ErrClosed
	}
	if b.off >= b.size {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	n := b.off / b.chunk
	if n != b.loaded {
		if err := b.load(n); err != nil {
			return 0, err
		}
	}
	k := copy(p, b.buf[b.off-n*b.chunk:])
	b.off += int64(k)
	return k, nil
}

// load fetches chunk n into buf. The driver's copy is scanned as RawBytes
// and copied into buf, so an open blob keeps one chunk-sized buffer.
func (b *pgBlob) load(n int64) error {
	rows, err := b.db.QueryContext(b.ctx, `SELECT data FROM blob_chunks WHERE sha = $1 AND n = $2`, b.sha, n)
	if err != nil {
		return fmt.Errorf("read blob %s: %w", b.sha, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read blob %s: %w", b.sha, err)
		}
		return fmt.Errorf("read blob %s: chunk %d is missing", b.sha, n)
	}
	var data sql.RawBytes
	if err := rows.Scan(&data); err != nil {
		return fmt.Errorf("read blob %s: %w", b.sha, err)
	}
	if want := min(b.chunk, b.size-n*b.chunk); int64(len(data)) != want {
		return fmt.Errorf("read blob %s: chunk %d has %d bytes, want %d", b.sha, n, len(data), want)
	}
	b.buf = append(b.buf[:0], data...)
	b.loaded = n
	b.reads.Add(1)
	return rows.Close()
}

func (b *pgBlob) Seek(offset int64, whence int) (int64, error) {
	if b.closed {
		return 0, os.ErrClosed
	}
	abs := offset
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		abs += b.off
	case io.SeekEnd:
		abs += b.size
	default:
		return 0, fmt.Errorf("seek blob %s: bad whence %d", b.sha, whence)
	}
	if abs < 0 {
		return 0, fmt.Errorf("seek blob %s: negative position %d", b.sha, abs)
	}
	b.off = abs
	return abs, nil
}

func (b *pgBlob) Close() error {
	b.closed, b.buf = true, nil
	return nil
}
