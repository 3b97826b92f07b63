package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"tramso/kiosk/pgtest"
)

// blobStore is one BlobStore under test, and the chunk size its boundary
// cases are cut around (DirBlobs has none; it gets PGBlobs' default).
type blobStore struct {
	name  string
	chunk int
	open  func(t testing.TB) BlobStore
}

// blobStores are every BlobStore the hub can run on: the blob tests run
// against each.
var blobStores = []blobStore{
	{"dir", DefaultChunkSize, func(t testing.TB) BlobStore { return &DirBlobs{Dir: t.TempDir()} }},
	{"postgres", DefaultChunkSize, func(t testing.TB) BlobStore { return newTestPGBlobs(pgtestDB(t), 0) }},
	{"postgres-small-chunks", 1000, func(t testing.TB) BlobStore { return newTestPGBlobs(pgtestDB(t), 1000) }},
}

// pgtestDB opens a fresh PostgreSQL database with the hub's schema.
func pgtestDB(t testing.TB) *sql.DB {
	t.Helper()
	db := openPG(t, pgtest.DSN(t))
	if err := migrate(context.Background(), db, Postgres); err != nil {
		t.Fatal(err)
	}
	return db
}

func newTestPGBlobs(db *sql.DB, chunk int) *PGBlobs {
	p := NewPGBlobs(db)
	p.chunkSize = chunk
	return p
}

func randomBlob(r *rand.Rand, n int) ([]byte, string) {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:])
}

func readBlob(t testing.TB, s BlobStore, sha string) []byte {
	t.Helper()
	f, size, _, err := s.Open(context.Background(), sha)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(b)) != size {
		t.Fatalf("read %d bytes of a blob of %d", len(b), size)
	}
	return b
}

func assertAbsent(t testing.TB, s BlobStore, sha string) {
	t.Helper()
	if ok, err := s.Has(context.Background(), sha); ok || err != nil {
		t.Fatalf("Has(%.8s) = %v, %v; want false", sha, ok, err)
	}
	if _, _, _, err := s.Open(context.Background(), sha); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Open(%.8s): %v; want not exist", sha, err)
	}
}

// TestBlobStoreSizes stores blobs around the chunk size (none, one chunk
// exactly, one byte over, several) and reads each back whole.
func TestBlobStoreSizes(t *testing.T) {
	for _, bs := range blobStores {
		t.Run(bs.name, func(t *testing.T) {
			s, c := bs.open(t), bs.chunk
			rng := rand.New(rand.NewPCG(1, 2))
			for _, size := range []int{0, 1, c - 1, c, c + 1, 3*c + 7} {
				blob, sha := randomBlob(rng, size)
				assertAbsent(t, s, sha)
				if err := s.Put(context.Background(), sha, int64(size), bytes.NewReader(blob)); err != nil {
					t.Fatalf("put %d bytes: %v", size, err)
				}
				if ok, err := s.Has(context.Background(), sha); !ok || err != nil {
					t.Fatalf("Has after put of %d bytes: %v %v", size, ok, err)
				}
				if got := readBlob(t, s, sha); !bytes.Equal(got, blob) {
					t.Fatalf("%d bytes stored, %d different read back", size, len(got))
				}
				if p, ok := s.(*PGBlobs); ok {
					if got, want := countRows(t, p.DB, `SELECT count(*) FROM blob_chunks WHERE sha = $1`, sha), (size+c-1)/c; got != want {
						t.Errorf("%d bytes in %d chunks, want %d", size, got, want)
					}
				}
			}
		})
	}
}

func countRows(t testing.TB, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBlobStoreRefusesMismatch: bytes that are not the blob they claim to be
// (short, long, one byte changed) are refused and leave nothing behind, and a
// bad Put of a stored blob leaves the stored one whole.
func TestBlobStoreRefusesMismatch(t *testing.T) {
	for _, bs := range blobStores {
		t.Run(bs.name, func(t *testing.T) {
			s, c := bs.open(t), bs.chunk
			blob, sha := randomBlob(rand.New(rand.NewPCG(3, 4)), 2*c+5)
			changed := bytes.Clone(blob)
			changed[len(changed)-1] ^= 1
			bad := []struct {
				name string
				size int64
				body []byte
			}{
				{"short", int64(len(blob)), blob[:len(blob)-1]},
				{"long", int64(len(blob)), append(bytes.Clone(blob), 0)},
				{"declared short", int64(len(blob) - 1), blob},
				{"declared long", int64(len(blob) + 1), blob},
				{"one byte changed", int64(len(blob)), changed},
				{"negative size", -1, nil},
			}
			for _, b := range bad {
				err := s.Put(context.Background(), sha, b.size, bytes.NewReader(b.body))
				if !errors.Is(err, ErrBlobMismatch) {
					t.Fatalf("%s: %v, want ErrBlobMismatch", b.name, err)
				}
				assertAbsent(t, s, sha)
			}
			if p, ok := s.(*PGBlobs); ok {
				if n := countRows(t, p.DB, `SELECT count(*) FROM blob_chunks`); n != 0 {
					t.Fatalf("%d chunks left by refused blobs", n)
				}
			}
			if err := s.Put(context.Background(), "not-a-sha", 0, bytes.NewReader(nil)); err == nil {
				t.Fatal("stored a blob under a name that is not a sha256")
			}
			if err := s.Put(context.Background(), sha, int64(len(blob)), bytes.NewReader(blob)); err != nil {
				t.Fatal(err)
			}
			if err := s.Put(context.Background(), sha, int64(len(blob)), bytes.NewReader(changed)); !errors.Is(err, ErrBlobMismatch) {
				t.Fatalf("bad bytes for a stored blob: %v", err)
			}
			if err := s.Put(context.Background(), sha, int64(len(blob)), bytes.NewReader(blob)); err != nil {
				t.Fatalf("storing a stored blob again: %v", err)
			}
			if !bytes.Equal(readBlob(t, s, sha), blob) {
				t.Fatal("stored blob changed")
			}
		})
	}
}

// TestBlobStoreSeek checks random seeks and reads against bytes.Reader.
func TestBlobStoreSeek(t *testing.T) {
	for _, bs := range blobStores {
		t.Run(bs.name, func(t *testing.T) {
			s, c := bs.open(t), bs.chunk
			rng := rand.New(rand.NewPCG(5, 6))
			blob, sha := randomBlob(rng, 4*c+123)
			if err := s.Put(context.Background(), sha, int64(len(blob)), bytes.NewReader(blob)); err != nil {
				t.Fatal(err)
			}
			f, _, _, err := s.Open(context.Background(), sha)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			want := bytes.NewReader(blob)
			size := int64(len(blob))
			for i := range 200 {
				whence := rng.IntN(3)
				var off int64
				switch whence {
				case io.SeekStart:
					off = rng.Int64N(size + 10)
				case io.SeekCurrent:
					off = rng.Int64N(2*int64(c)) - int64(c)
				case io.SeekEnd:
					off = -rng.Int64N(size + 1)
				}
				wantPos, wantErr := want.Seek(off, whence)
				gotPos, gotErr := f.Seek(off, whence)
				if (wantErr == nil) != (gotErr == nil) || (wantErr == nil && gotPos != wantPos) {
					t.Fatalf("op %d: Seek(%d, %d) = %d, %v; want %d, %v", i, off, whence, gotPos, gotErr, wantPos, wantErr)
				}
				if gotErr != nil {
					continue // both refused a negative position and kept the old one
				}
				n := rng.IntN(2*c + 1)
				wantBuf, gotBuf := make([]byte, n), make([]byte, n)
				wn, werr := io.ReadFull(want, wantBuf)
				gn, gerr := io.ReadFull(f, gotBuf)
				if wn != gn || werr != gerr || !bytes.Equal(wantBuf[:wn], gotBuf[:gn]) {
					t.Fatalf("op %d: read %d at %d: got %d, %v; want %d, %v", i, n, wantPos, gn, gerr, wn, werr)
				}
			}
			if _, err := f.Seek(0, 7); err == nil {
				t.Fatal("seek with a bad whence")
			}
		})
	}
}

// TestBlobsServedWithRangeTail: a Range request for the last bytes of a blob
// of many chunks is answered through the hub's own handler, and PGBlobs reads
// only the last chunk for it.
func TestBlobsServedWithRangeTail(t *testing.T) {
	for _, bs := range blobStores {
		t.Run(bs.name, func(t *testing.T) {
			s, c := bs.open(t), bs.chunk
			h, srv := startTestHub(t, Options{Blobs: s})
			_, token := newDevice(t, h)
			blob, sha := randomBlob(rand.New(rand.NewPCG(7, 8)), 3*c+c/2)
			if err := h.Blobs().Put(context.Background(), sha, int64(len(blob)), bytes.NewReader(blob)); err != nil {
				t.Fatal(err)
			}
			p, isPG := s.(*PGBlobs)
			var before int64
			if isPG {
				before = p.ChunksRead.Load()
			}
			resp, body := deviceGet(t, srv.URL+"/blobs/"+sha, token, "bytes=-100")
			wantRange := fmt.Sprintf("bytes %d-%d/%d", len(blob)-100, len(blob)-1, len(blob))
			if resp.StatusCode != 206 || resp.Header.Get("Content-Range") != wantRange || !bytes.Equal(body, blob[len(blob)-100:]) {
				t.Fatalf("tail: %d %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Range"), len(body))
			}
			if isPG {
				if n := p.ChunksRead.Load() - before; n != 1 {
					t.Fatalf("the last 100 bytes read %d chunks, want 1", n)
				}
			}
			// The whole blob reads each chunk once.
			if isPG {
				before = p.ChunksRead.Load()
			}
			if resp, body := deviceGet(t, srv.URL+"/blobs/"+sha, token, ""); resp.StatusCode != 200 || !bytes.Equal(body, blob) {
				t.Fatalf("whole blob: %d, %d bytes", resp.StatusCode, len(body))
			}
			if isPG {
				if n := p.ChunksRead.Load() - before; n != 4 {
					t.Fatalf("the whole blob read %d chunks, want 4", n)
				}
			}
			// A range across a chunk boundary is stitched from both.
			from, to := c-10, c+9
			resp, body = deviceGet(t, srv.URL+"/blobs/"+sha, token, fmt.Sprintf("bytes=%d-%d", from, to))
			if resp.StatusCode != 206 || !bytes.Equal(body, blob[from:to+1]) {
				t.Fatalf("boundary range: %d, %d bytes", resp.StatusCode, len(body))
			}
		})
	}
}

// gatedReader gives the first n bytes of r, then waits for release: a Put
// held open half way.
type gatedReader struct {
	r       io.Reader
	n       int
	reached chan struct{} // closed when the first n bytes are given
	release chan struct{}
	once    sync.Once
}

func newGatedReader(b []byte, n int) *gatedReader {
	return &gatedReader{r: bytes.NewReader(b), n: n, reached: make(chan struct{}), release: make(chan struct{})}
}

func (g *gatedReader) Read(p []byte) (int, error) {
	if g.n == 0 {
		g.once.Do(func() { close(g.reached) })
		<-g.release
		return g.r.Read(p)
	}
	k, err := g.r.Read(p[:min(len(p), g.n)])
	g.n -= k
	return k, err
}

// TestPGBlobsTwoHubsPutTogether: two hubs (two *sql.DB on one database)
// store the same blob at once. The second waits for the first; both succeed
// and the blob is stored once, whole. Nothing is visible while the first is
// half way, and if the first's bytes turn out bad, the second's are stored.
func TestPGBlobsTwoHubsPutTogether(t *testing.T) {
	for _, firstBad := range []bool{false, true} {
		t.Run(fmt.Sprintf("first bad %v", firstBad), func(t *testing.T) {
			dsn := pgtest.DSN(t)
			a, b := openPG(t, dsn), openPG(t, dsn)
			if err := migrate(context.Background(), a, Postgres); err != nil {
				t.Fatal(err)
			}
			const chunk = 1000
			hubA, hubB := newTestPGBlobs(a, chunk), newTestPGBlobs(b, chunk)
			blob, sha := randomBlob(rand.New(rand.NewPCG(9, 10)), 5*chunk+17)
			first := bytes.Clone(blob)
			if firstBad {
				first[len(first)-1] ^= 1
			}
			gate := newGatedReader(first, 2*chunk+3)
			errA, errB := make(chan error, 1), make(chan error, 1)
			go func() { errA <- hubA.Put(context.Background(), sha, int64(len(blob)), gate) }()
			<-gate.reached
			assertAbsent(t, hubB, sha) // two chunks are written, uncommitted
			go func() { errB <- hubB.Put(context.Background(), sha, int64(len(blob)), bytes.NewReader(blob)) }()
			eventually(t, "hub B waits for hub A's row", func() bool {
				return countRows(t, a, `SELECT count(*) FROM pg_stat_activity
					WHERE datname = current_database() AND wait_event_type = 'Lock'`) == 1
			})
			close(gate.release)
			if err := <-errA; firstBad != errors.Is(err, ErrBlobMismatch) || (!firstBad && err != nil) {
				t.Fatalf("hub A: %v", err)
			}
			if err := <-errB; err != nil {
				t.Fatalf("hub B: %v", err)
			}
			for _, s := range []*PGBlobs{hubA, hubB} {
				if !bytes.Equal(readBlob(t, s, sha), blob) {
					t.Fatal("the blob is not whole")
				}
			}
			if n := countRows(t, a, `SELECT count(*) FROM blob_chunks`); n != 6 {
				t.Fatalf("%d chunks stored, want 6", n)
			}
		})
	}
}

// TestPGHubsServeEachOthersBlobs: hubs on PostgreSQL keep blobs in it by
// default, so a pack published on one hub is served whole by another.
func TestPGHubsServeEachOthersBlobs(t *testing.T) {
	dsn := pgtest.DSN(t)
	pub, priv := provinceKey(t)
	keys := []ed25519.PublicKey{pub}
	a, _ := startTestHub(t, Options{Database: dsn, ProvinceKeys: keys})
	b, srvB := startTestHub(t, Options{Database: dsn, ProvinceKeys: keys})
	if _, ok := b.Blobs().(*PGBlobs); !ok {
		t.Fatalf("a hub on PostgreSQL keeps blobs in %T", b.Blobs())
	}
	sm, err := a.Publish(context.Background(), bytes.NewReader(buildPack(t, 1_764_800_000, priv)), PublishOptions{Stage: StageTest, By: "test"})
	if err != nil {
		t.Fatal(err)
	}
	_, token := newDevice(t, a)
	files := sm.Manifest.Blobs()
	if len(files) < 10 {
		t.Fatalf("the pack has %d blobs", len(files))
	}
	for _, f := range files {
		resp, body := deviceGet(t, srvB.URL+"/blobs/"+f.SHA256, token, "")
		sum := sha256.Sum256(body)
		if resp.StatusCode != http.StatusOK || int64(len(body)) != f.Size || hex.EncodeToString(sum[:]) != f.SHA256 {
			t.Fatalf("%s from the other hub: %d, %d bytes", f.Path, resp.StatusCode, len(body))
		}
	}
}

func openPG(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkServeBlob serves a 64 MiB blob over the hub's HTTP handler on
// loopback from each store, whole and as kiosks fetch it (Range requests of
// 256 KiB, kiosk/update's ChunkSize); PostgreSQL with two chunk sizes, to
// show what DefaultChunkSize costs or saves. db-bytes/served is how many
// bytes PGBlobs fetched from the database per byte sent.
//
//	go test ./kiosk/hub -run '^$' -bench ServeBlob -benchtime 5x
func BenchmarkServeBlob(b *testing.B) {
	stores := []struct {
		name  string
		chunk int
		open  func(b *testing.B, chunk int) BlobStore
	}{
		{"dir", 0, func(b *testing.B, _ int) BlobStore { return &DirBlobs{Dir: b.TempDir()} }},
		{"postgres-256KiB", 256 << 10, func(b *testing.B, c int) BlobStore { return newTestPGBlobs(pgtestDB(b), c) }},
		{"postgres-1MiB", 1 << 20, func(b *testing.B, c int) BlobStore { return newTestPGBlobs(pgtestDB(b), c) }},
	}
	blob, sha := randomBlob(rand.New(rand.NewPCG(11, 12)), 64<<20)
	for _, st := range stores {
		s := st.open(b, st.chunk)
		h, srv := startTestHub(b, Options{Blobs: s})
		_, token := newDevice(b, h)
		if err := s.Put(context.Background(), sha, int64(len(blob)), bytes.NewReader(blob)); err != nil {
			b.Fatal(err)
		}
		for _, rangeSize := range []int{len(blob), 256 << 10} {
			name := st.name + "/whole"
			if rangeSize < len(blob) {
				name = st.name + "/ranges-256KiB"
			}
			b.Run(name, func(b *testing.B) {
				b.SetBytes(int64(len(blob)))
				b.ReportAllocs()
				p, isPG := s.(*PGBlobs)
				var chunks int64
				for b.Loop() {
					if isPG {
						p.ChunksRead.Store(0)
					}
					for from := 0; from < len(blob); from += rangeSize {
						getRange(b, srv.URL+"/blobs/"+sha, token, from, min(from+rangeSize, len(blob))-1)
					}
					if isPG {
						chunks += p.ChunksRead.Load()
					}
				}
				if isPG {
					b.ReportMetric(float64(chunks)*float64(st.chunk)/float64(len(blob))/float64(b.N), "db-bytes/served")
				}
			})
		}
	}
}

// getRange fetches bytes from..to of url, as a kiosk does, and discards them.
func getRange(b *testing.B, url, token string, from, to int) {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", from, to))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || n != int64(to-from+1) {
		b.Fatalf("range %d-%d: %d bytes: %v", from, to, n, err)
	}
}

// BenchmarkPutBlob stores a 64 MiB blob in each store (the blob is removed
// again outside the timer), showing the upload side's speed and memory.
//
//	go test ./kiosk/hub -run '^$' -bench PutBlob -benchtime 5x
func BenchmarkPutBlob(b *testing.B) {
	blob, sha := randomBlob(rand.New(rand.NewPCG(13, 14)), 64<<20)
	b.Run("dir", func(b *testing.B) {
		s := &DirBlobs{Dir: b.TempDir()}
		benchmarkPut(b, s, sha, blob, func() error { return os.Remove(s.path(sha)) })
	})
	b.Run("postgres", func(b *testing.B) {
		s := NewPGBlobs(pgtestDB(b))
		benchmarkPut(b, s, sha, blob, func() error {
			_, err := s.DB.Exec(`DELETE FROM blobs WHERE sha = $1`, sha)
			return err
		})
	})
}

func benchmarkPut(b *testing.B, s BlobStore, sha string, blob []byte, remove func() error) {
	b.SetBytes(int64(len(blob)))
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Put(context.Background(), sha, int64(len(blob)), bytes.NewReader(blob)); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := remove(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
