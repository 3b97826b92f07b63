package update_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"tramso/kiosk/hub"
	"tramso/kiosk/update"
)

// cutter cuts blob responses at random points: the link of a kiosk on a
// weak rural 3G connection. It counts every blob byte that left the hub.
type cutter struct {
	mu     sync.Mutex
	cuts   int // cuts still to make
	made   atomic.Int64
	served atomic.Int64
	rng    *rand.Rand
	chunk  int
}

func (c *cutter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/blobs/") {
			next.ServeHTTP(w, r)
			return
		}
		c.mu.Lock()
		limit := -1
		if c.cuts > 0 && c.rng.IntN(2) == 0 {
			c.cuts--
			limit = c.rng.IntN(c.chunk)
		}
		c.mu.Unlock()
		next.ServeHTTP(&cutWriter{ResponseWriter: w, left: limit, c: c}, r)
	})
}

type cutWriter struct {
	http.ResponseWriter
	left int // bytes still allowed before the cut; -1: no cut
	c    *cutter
}

func (w *cutWriter) Write(p []byte) (int, error) {
	if w.left >= 0 && len(p) > w.left {
		n, _ := w.ResponseWriter.Write(p[:w.left])
		w.c.served.Add(int64(n))
		w.c.made.Add(1)
		http.NewResponseController(w.ResponseWriter).Flush()
		panic(http.ErrAbortHandler) // drop the connection mid-body
	}
	if w.left >= 0 {
		w.left -= len(p)
	}
	n, err := w.ResponseWriter.Write(p)
	w.c.served.Add(int64(n))
	return n, err
}

// TestCutTransfersResume: blob downloads cut at random points resume where
// they stopped; each cut costs at most one chunk of re-download.
func TestCutTransfersResume(t *testing.T) {
	const chunk = 64 << 10
	for seed := uint64(1); seed <= 3; seed++ {
		key := newKey(t)
		c := &cutter{cuts: 12, rng: rand.New(rand.NewPCG(seed, 7)), chunk: chunk}
		h := startHub(t, key, c.wrap)
		k := startKiosk(t, h, func(o *update.Options) { o.ChunkSize = chunk })
		big := randomBytes(900<<10 + int(seed)*1000)
		small := randomBytes(70 << 10)
		const gen = 2000
		file := buildPack(t, key, gen, map[string][]byte{"media/extra/big.ogg": big, "media/extra/small.ogg": small})
		h.publish(t, file, hub.StageEveryone)
		eventually(t, "the kiosk applies the pack despite the cuts", func() bool { return k.generation() == gen })

		cuts := c.made.Load()
		if cuts == 0 {
			t.Fatalf("seed %d: the link was never cut; the test proves nothing", seed)
		}
		need := manifestOf(t, key, file).TotalSize() // a new kiosk holds no blob yet
		if got, most := c.served.Load(), need+cuts*chunk; got < need || got > most {
			t.Errorf("seed %d: %d blob bytes served for %d needed with %d cuts; want at most %d", seed, got, need, cuts, most)
		}
		t.Logf("seed %d: %d cuts, %d bytes served for %d needed (%.3f×)", seed, cuts, c.served.Load(), need,
			float64(c.served.Load())/float64(need))
	}
}

// TestTornPartialFetchedAgain: a partial download that a power cut left
// with wrong bytes (a torn write) fails its hash when complete; the kiosk
// fetches that file once more from the start and applies the pack, with no
// refusal for staff or the province.
func TestTornPartialFetchedAgain(t *testing.T) {
	key := newKey(t)
	h := startHub(t, key, nil)
	big := randomBytes(600 << 10)
	const gen = 2100
	h.publish(t, buildPack(t, key, gen, map[string][]byte{"media/extra/big.ogg": big}), hub.StageEveryone)

	dir := t.TempDir()
	sum := sha256.Sum256(big)
	blobs := filepath.Join(dir, "content", "blobs")
	if err := os.MkdirAll(blobs, 0o750); err != nil {
		t.Fatal(err)
	}
	torn := append([]byte(nil), big[:300<<10]...)
	clear(torn[len(torn)-70_000:]) // the last sectors written never reached the disk
	if err := os.WriteFile(filepath.Join(blobs, hex.EncodeToString(sum[:])+".partial"), torn, 0o640); err != nil {
		t.Fatal(err)
	}

	k := startKioskIn(t, dir, enroll(t, h, ""), nil)
	eventually(t, "the pack is applied despite the torn partial", func() bool { return k.generation() == gen })
	status, err := k.packs.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(status.Rejections) != 0 {
		t.Errorf("a torn download was counted as the pack's fault: %+v", status.Rejections)
	}
}
