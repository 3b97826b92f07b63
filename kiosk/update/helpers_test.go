package update_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io/fs"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/hub"
	"tramso/kiosk/hub/hubtest"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
	"tramso/kiosk/testlog"
	"tramso/kiosk/update"
)

func newKey(t testing.TB) ed25519.PrivateKey {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

// source is the starter content plus extra files, as a pack source folder.
func source(t testing.TB, extra map[string][]byte) fs.FS {
	m := fstest.MapFS{}
	err := fs.WalkDir(content.Starter(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(content.Starter(), p)
		m[p] = &fstest.MapFile{Data: b, Mode: 0o644}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for p, b := range extra {
		m[p] = &fstest.MapFile{Data: asSound(p, b), Mode: 0o644}
	}
	return m
}

// oggMark begins every Ogg file: pack lint checks a media file by its
// bytes, so a test's stand-in for a narration line starts with it.
const oggMark = "OggS"

// asSound makes b, a test's stand-in for the file p, pass for a sound of
// its name; readFile takes the mark off again.
func asSound(p string, b []byte) []byte {
	if strings.HasSuffix(p, ".ogg") && !bytes.HasPrefix(b, []byte(oggMark)) {
		return append([]byte(oggMark), b...)
	}
	return b
}

// buildPack builds a signed pack file of the starter plus extra files.
func buildPack(t testing.TB, key ed25519.PrivateKey, gen int64, extra map[string][]byte) []byte {
	var buf bytes.Buffer
	if _, err := pack.Build(source(t, extra), pack.BuildOptions{Generation: gen, Keys: []ed25519.PrivateKey{key}}, &buf); err != nil {
		t.Fatalf("build pack %d: %v", gen, err)
	}
	return buf.Bytes()
}

// manifestOf reads the verified manifest of a pack file.
func manifestOf(t testing.TB, key ed25519.PrivateKey, file []byte) *pack.Manifest {
	r, err := pack.NewReader(bytes.NewReader(file), []ed25519.PublicKey{key.Public().(ed25519.PublicKey)})
	if err != nil {
		t.Fatal(err)
	}
	return r.Signed().Manifest
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// testHub is a real hub on 127.0.0.1.
type testHub struct{ *hubtest.Server }

func startHub(t testing.TB, key ed25519.PrivateKey, wrap func(http.Handler) http.Handler) *testHub {
	return serveHub(t, key, false, wrap)
}

// startTLSHub serves the hub over HTTPS/WSS with httptest's certificate,
// which no system trusts: it stands for a province's own CA (CAFile).
func startTLSHub(t testing.TB, key ed25519.PrivateKey) *testHub {
	return serveHub(t, key, true, nil)
}

func serveHub(t testing.TB, key ed25519.PrivateKey, overTLS bool, wrap func(http.Handler) http.Handler) *testHub {
	return &testHub{hubtest.Start(t, hubtest.Options{TLS: overTLS, Wrap: wrap, Hub: hub.Options{
		ProvinceKeys: []ed25519.PublicKey{key.Public().(ed25519.PublicKey)},
		Heartbeat:    5 * time.Second, Poll: 10 * time.Second, FlushEvery: 50 * time.Millisecond}})}
}

// withoutRoute stands for a hub from before path: it answers 404 there.
func withoutRoute(path string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == path {
				http.NotFound(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func (h *testHub) publish(t testing.TB, file []byte, stage int) {
	t.Helper()
	if _, err := h.Publish(context.Background(), bytes.NewReader(file), hub.PublishOptions{Stage: stage, By: "test"}); err != nil {
		t.Fatalf("publish: %v", err)
	}
}

// kiosk is a real kiosk data directory with its content store and update client.
type kiosk struct {
	st     *store.Store
	packs  *pack.Store
	live   *content.Live
	client *update.Client
	id     string
	cancel context.CancelFunc
	done   chan struct{}
}

func enroll(t testing.TB, h *testHub, name string) update.Credentials {
	t.Helper()
	code, err := h.CreateCode(context.Background(), "Ea Kao", "test")
	if err != nil {
		t.Fatal(err)
	}
	creds, err := update.Enroll(context.Background(), h.URL, code, name, nil)
	if err != nil {
		t.Fatalf("enroll: %v", err)
	}
	return creds
}

// startKiosk enrolls a new kiosk with h and runs its update client.
func startKiosk(t testing.TB, h *testHub, tweak func(*update.Options)) *kiosk {
	t.Helper()
	return startKioskWith(t, enroll(t, h, ""), tweak)
}

// startKioskWith runs a kiosk with the given credentials.
func startKioskWith(t testing.TB, creds update.Credentials, tweak func(*update.Options)) *kiosk {
	t.Helper()
	return startKioskIn(t, t.TempDir(), creds, tweak)
}

// startKioskIn runs a kiosk on the data directory dir (new or prepared).
func startKioskIn(t testing.TB, dir string, creds update.Credentials, tweak func(*update.Options)) *kiosk {
	t.Helper()
	return startKioskPinning(t, dir, creds, pinnedKeys(t, creds), tweak)
}

// startKioskPinning is startKioskIn with the province keys pinned given:
// a config edited after enrollment (a key rotation).
func startKioskPinning(t testing.TB, dir string, creds update.Credentials, keys []ed25519.PublicKey, tweak func(*update.Options)) *kiosk {
	t.Helper()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := store.SaveCredentials(ctx, st.DB, creds.Store()); err != nil {
		t.Fatal(err)
	}
	packs, err := pack.OpenStore(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	live, err := packs.Serve(ctx, testlog.Quiet(), keys)
	if err != nil {
		t.Fatal(err)
	}
	opts := update.Options{Hubs: []string{creds.HubURL}, Token: creds.Token, Keys: keys, Packs: packs, Store: st, Live: live,
		AppVersion: "test-1.0", Log: testlog.Quiet(), MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}
	if tweak != nil {
		tweak(&opts)
	}
	k := &kiosk{st: st, packs: packs, live: live, client: update.New(opts), id: creds.DeviceID, done: make(chan struct{})}
	runCtx, cancel := context.WithCancel(ctx)
	k.cancel = cancel
	go func() { k.client.Run(runCtx); close(k.done) }()
	t.Cleanup(k.stop)
	return k
}

// pinnedKeys are the keys the hub gave at enrollment, as the tests' kiosks pin them.
func pinnedKeys(t testing.TB, creds update.Credentials) []ed25519.PublicKey {
	var keys []ed25519.PublicKey
	for _, k := range creds.ProvinceKeys {
		pk, err := config.ParseKey(k)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, pk)
	}
	return keys
}

func (k *kiosk) stop() {
	if k.cancel == nil {
		return
	}
	k.cancel()
	<-k.done
	k.cancel = nil
	k.st.Close()
}

func (k *kiosk) generation() int64 { return k.live.Get().Pack.Meta.Generation }

// eventually polls cond until it holds or the test's patience (30 s, generous
// for a loaded 2-core machine) runs out. It asserts an outcome, not a speed.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// readFile reads a file of the content the kiosk serves.
func readFile(k *kiosk, name string) ([]byte, error) {
	b, err := fs.ReadFile(k.live.Get().Pack.Files, name)
	return bytes.TrimPrefix(b, []byte(oggMark)), err
}
