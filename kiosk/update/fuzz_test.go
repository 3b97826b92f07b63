package update_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
	"tramso/kiosk/update"
)

// script turns fuzz bytes into a hostile hub's choices. When the bytes run
// out every choice is 0, which is the good answer, so each run ends with a
// hub that behaves (and the kiosk may then take the good pack).
type script struct {
	mu sync.Mutex
	b  []byte
}

func (s *script) pick(n int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.b) == 0 {
		return 0
	}
	v := int(s.b[0]) % n
	s.b = s.b[1:]
	return v
}

func (s *script) int64() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var buf [8]byte
	n := copy(buf[:], s.b)
	s.b = s.b[n:]
	return int64(binary.BigEndian.Uint64(buf[:]))
}

// fuzzWorld is built once per process: the province key, a kiosk data
// folder that has applied generation base, the good pack the hub offers and
// manifests signed by the province key that a kiosk must still refuse.
type fuzzWorld struct {
	key, rogue     ed25519.PrivateKey
	template       string
	base           int64
	good           *signedPack
	hugeRaw        []byte // validly signed, generation above the range
	hugeSig        []byte
	dupRaw, dupSig []byte // validly signed, "generation" given twice
	rogueSig       []byte // the good manifest signed by another key
}

var (
	worldOnce sync.Once
	world     *fuzzWorld
)

func theWorld(t testing.TB) *fuzzWorld {
	worldOnce.Do(func() { world = buildWorld(t) })
	if world == nil {
		t.Fatal("fuzz world could not be built")
	}
	return world
}

func buildWorld(t testing.TB) *fuzzWorld {
	w := &fuzzWorld{key: newKey(t), rogue: newKey(t), base: 8000}
	w.good = goodPack(t, w.key, 8001)
	w.template = prepareKiosk(t, w.key, buildPack(t, w.key, w.base, map[string][]byte{"media/extra/base.ogg": randomBytes(10 << 10)}))
	sign := func(raw []byte, k ed25519.PrivateKey) []byte {
		sig, err := pack.Sign(raw, k)
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
	m := *w.good.manifest
	m.Generation = hubproto.MaxGeneration + 1
	raw, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	w.hugeRaw, w.hugeSig = raw, sign(raw, w.key)
	gen := []byte(`"generation":` + strconv.FormatInt(w.good.gen, 10))
	w.dupRaw = bytes.Replace(w.good.raw, gen, append(append([]byte{}, gen...), `,"generation":1`...), 1)
	w.dupSig = sign(w.dupRaw, w.key)
	w.rogueSig = sign(w.good.raw, w.rogue)
	return w
}

// prepareKiosk applies file to a new data folder and closes it.
func prepareKiosk(t testing.TB, key ed25519.PrivateKey, file []byte) string {
	dir, err := os.MkdirTemp("", "tramso-fuzz-kiosk-")
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	packs, err := pack.OpenStore(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "base.tspack")
	if err := os.WriteFile(path, file, 0o600); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(path)
	if _, err := packs.ApplyFile(context.Background(), path, []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}, "usb"); err != nil {
		t.Fatal(err)
	}
	return dir
}

func copyTree(t testing.TB, src, dst string) {
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o750)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o640)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, in)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// hostile makes every endpoint of h follow the script.
func (w *fuzzWorld) hostile(h *fakeHub, s *script) {
	h.set(func(h *fakeHub) {
		h.target = func(rw http.ResponseWriter, r *http.Request) { w.target(rw, r, s) }
		h.welcome = func(ws *websocket.Conn) { w.socket(ws, s) }
		h.files = func(rw http.ResponseWriter, r *http.Request, name string) { w.files(rw, r, name, s) }
		h.blob = func(rw http.ResponseWriter, r *http.Request, data []byte) { w.blob(rw, r, data, s) }
	})
}

func (w *fuzzWorld) target(rw http.ResponseWriter, r *http.Request, s *script) {
	switch s.pick(9) {
	case 0:
		fmt.Fprintf(rw, `{"generation":%d}`, w.good.gen)
	case 1:
		fmt.Fprintf(rw, `{"generation":%d}`, hubproto.MaxGeneration+1+int64(s.pick(1000)))
	case 2:
		fmt.Fprint(rw, `{"generation":-5}`)
	case 3:
		fmt.Fprint(rw, `{"gen`)
	case 4:
		http.Error(rw, "\x00\x07\x1b[2J\xff", http.StatusInternalServerError)
	case 5:
		stall(rw, r)
	case 6:
		hangUp(rw, r)
	case 7:
		fmt.Fprintf(rw, `{"generation":%d,"generation":%d}`, w.good.gen, hubproto.MaxGeneration+9)
	case 8:
		fmt.Fprintf(rw, `{"generation":%d}`, s.int64())
	}
}

// socket plays the hub's side of the websocket.
func (w *fuzzWorld) socket(ws *websocket.Conn, s *script) {
	switch s.pick(6) {
	case 0:
		sendWelcome(ws, w.good.gen)
	case 1:
		ws.WriteMessage(websocket.TextMessage, []byte(`{"v":1,"type":"welcome","body":{"device_id":"d1","heartbeat_seconds":5,"poll_seconds":10,"target_generation":9223372036854775807}}`))
	case 2:
		ws.WriteMessage(websocket.TextMessage, []byte("\xff{not json"))
	case 3:
		ws.WriteMessage(websocket.BinaryMessage, []byte{0, 1, 2})
	case 4:
		ws.Close()
		return
	case 5:
		return // no welcome at all: the kiosk gives up waiting
	}
	for n := s.pick(5); n > 0; n-- {
		var frame []byte
		switch s.pick(6) {
		case 0:
			frame = []byte(fmt.Sprintf(`{"v":1,"type":"announce","body":{"generation":%d}}`, s.int64()))
		case 1:
			frame = []byte(fmt.Sprintf(`{"v":1,"type":"announce","body":{"generation":%d}}`, w.good.gen))
		case 2:
			frame = []byte(`{"v":1,"type":"bye","body":{"reason":"shutdown"}}`)
		case 3:
			frame = []byte(`{"v":1,"type":"announce","body":{"generation":5,"generation":6}}`)
		case 4:
			frame = bytes.Repeat([]byte("x"), hubproto.MaxMessageSize+10)
		case 5:
			frame = []byte(`{"v":1,"type":"welcome","body":{}}`)
		}
		if ws.WriteMessage(websocket.TextMessage, frame) != nil {
			return
		}
	}
}

func (w *fuzzWorld) files(rw http.ResponseWriter, r *http.Request, name string, s *script) {
	if name == "manifest.sig" {
		w.signature(rw, r, s)
		return
	}
	switch s.pick(9) {
	case 0:
		rw.Write(w.good.raw)
	case 1:
		rw.Write([]byte(`{"format":"tramso-pack"`))
	case 2:
		rw.Write(w.hugeRaw)
	case 3:
		rw.Write(w.dupRaw)
	case 4:
		stall(rw, r)
	case 5:
		hangUp(rw, r)
	case 6:
		rw.Write(bytes.Repeat([]byte(" "), pack.MaxManifestSize+100))
	case 7:
		http.NotFound(rw, r)
	case 8:
		rw.Write(append(append([]byte{}, w.good.raw...), "{}"...))
	}
}

func (w *fuzzWorld) signature(rw http.ResponseWriter, r *http.Request, s *script) {
	switch s.pick(7) {
	case 0:
		rw.Write(w.good.sig)
	case 1:
		rw.Write([]byte(`{"signatures":[{"keyid":"x","sig":"AAAA"}],"signatures":[]}`))
	case 2:
		rw.Write(w.rogueSig)
	case 3:
		stall(rw, r)
	case 4:
		hangUp(rw, r)
	case 5:
		rw.Write(w.hugeSig)
	case 6:
		rw.Write(w.dupSig)
	}
}

func (w *fuzzWorld) blob(rw http.ResponseWriter, r *http.Request, data []byte, s *script) {
	switch s.pick(8) {
	case 0:
		serveRange(rw, r, data)
	case 1:
		bad := bytes.Clone(data)
		for i := range bad {
			bad[i] ^= 0x5a
		}
		serveRange(rw, r, bad)
	case 2:
		rw.Header().Set("Content-Range", "bytes 0-0/1")
		rw.WriteHeader(http.StatusPartialContent)
		rw.Write(data[:1])
	case 3:
		rw.Write(data)
	case 4:
		stallMidBody(rw, r, data, int64(s.pick(4096)))
	case 5:
		hangUp(rw, r)
	case 6:
		serveRange(rw, r, append(bytes.Clone(data), data...)) // a blob twice as long as the manifest says
	case 7:
		rw.Header().Set("Content-Range", r.Header.Get("Range"))
		rw.WriteHeader(http.StatusPartialContent)
		rw.Write(data[:min(len(data), 10)]) // then the handler ends: a short body
	}
}

// hostileRun runs a kiosk that has applied w.base against a hub following
// the script for d, then checks that nothing good was lost: the kiosk serves
// the base or the good pack, complete and verified; it never recorded a
// generation the hub made up; and the client never panicked.
func hostileRun(t *testing.T, w *fuzzWorld, s *script, d time.Duration) {
	h := startFakeHub(t, w.good)
	w.hostile(h, s)
	dir := t.TempDir()
	copyTree(t, w.template, dir)
	watch := newPanicWatch()
	k := startKioskIn(t, dir, fakeCreds(h, w.key), func(o *update.Options) {
		fast(watch, 100*time.Millisecond)(o)
		o.MinBackoff, o.MaxBackoff = 5*time.Millisecond, 50*time.Millisecond
	})
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) && k.generation() != w.good.gen {
		if s.pick(4) == 1 {
			k.client.UpdateNow() // staff pressing the button mid-attack
		}
		time.Sleep(20 * time.Millisecond)
	}
	k.cancel()
	<-k.done
	k.cancel = nil
	defer k.st.Close()
	watch.check(t)
	checkNothingLost(t, w, k)
}

func checkNothingLost(t *testing.T, w *fuzzWorld, k *kiosk) {
	ctx := context.Background()
	state, err := k.packs.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	good := func(g int64) bool { return g == w.base || g == w.good.gen }
	if !good(state.Current) || !good(state.Highest) || !good(k.generation()) {
		t.Fatalf("state %+v, serving %d: want %d or %d", state, k.generation(), w.base, w.good.gen)
	}
	p, _, err := k.packs.LoadCurrent(ctx)
	if err != nil || p.Meta.Generation != state.Current {
		t.Fatalf("the current generation %d does not load and verify: %v", state.Current, err)
	}
	var foreign int
	if err := k.st.DB.QueryRow(`SELECT count(*) FROM content_generations WHERE generation NOT IN (?, ?)`,
		w.base, w.good.gen).Scan(&foreign); err != nil || foreign != 0 {
		t.Fatalf("%d generation(s) the hub made up were recorded as seen (%v)", foreign, err)
	}
	if st := k.client.Status(); st.TargetGeneration != 0 && hubproto.CheckGeneration(st.TargetGeneration) != nil {
		t.Fatalf("the client holds an out-of-range target %d", st.TargetGeneration)
	}
}

// FuzzHostileHub: a kiosk's update client against a hub on 127.0.0.1 that
// answers polls, the websocket, manifests, signatures and blobs with
// whatever the fuzzer picks — lies, out-of-range generations, duplicate
// keys, wrong bytes, stalls and resets — and staff pressing "update now" in
// between. The process must stay up and nothing good may be lost. The seeds
// run as a normal test with `go test`.
func FuzzHostileHub(f *testing.F) {
	for _, seed := range [][]byte{
		{},        // a good hub: the pack applies
		{1, 0, 4}, // attack 1: poll above 2^53, the manifest fails
		{8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, // poll: -1 as int64 bits
		{0, 6, 4, 3, 0, 5, 4, 2},                            // frames: announce random, oversized, duplicate keys
		{0, 0, 2, 5},                                        // a validly signed manifest above the range
		{0, 0, 3, 6},                                        // a validly signed manifest with a duplicate key
		{0, 0, 0, 2},                                        // the good manifest signed by a key not pinned
		{0, 0, 0, 0, 4, 200, 5, 1, 7, 3, 2, 6},              // blobs: stall, reset, wrong bytes…
		{5, 5, 4, 3, 6, 5, 4},                               // stalls and resets everywhere
	} {
		f.Add(seed)
	}
	w := theWorld(f) // built once, outside the fuzzer's 10 s budget per input
	f.Fuzz(func(t *testing.T, b []byte) {
		hostileRun(t, w, &script{b: bytes.Clone(b)}, 700*time.Millisecond)
	})
}
