package update_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tramso/kiosk/hub"
	"tramso/kiosk/testlog"
	"tramso/kiosk/update"
)

// Several hubs, one fleet. Until the hubs share PostgreSQL, two hub.Open on
// one data directory stand for them: one SQLite file in WAL mode (each hub
// its own connections to it) and one blob folder, with one broker between
// the two so that a pack published on either is announced by both.

// liveHub is a real hub on 127.0.0.1 whose process can die: kill closes its
// listener and every connection it accepted, the kiosks' websockets
// included, as a crash or a pulled cable would; the database stays with the
// other hub.
type liveHub struct {
	*hub.Hub
	URL       string // ws://127.0.0.1:port/ws, as a kiosk's config names it
	ln        *killableListener
	blobBytes atomic.Int64 // blob bytes this hub sent, for wraps that count them
}

// startHubPair starts hubs A and B on one data directory and one broker.
// wrap, if not nil, goes in front of each hub's handler.
func startHubPair(t testing.TB, key ed25519.PrivateKey, wrap func(*liveHub, http.Handler) http.Handler) (a, b *liveHub) {
	dir, broker := t.TempDir(), hub.NewLocalBroker()
	return startLiveHub(t, dir, broker, key, wrap), startLiveHub(t, dir, broker, key, wrap)
}

func startLiveHub(t testing.TB, dir string, broker hub.Broker, key ed25519.PrivateKey, wrap func(*liveHub, http.Handler) http.Handler) *liveHub {
	t.Helper()
	h, err := hub.Open(hub.Options{Dir: dir, Broker: broker, InsecureHTTP: true, Log: testlog.Quiet(),
		ProvinceKeys: []ed25519.PublicKey{key.Public().(ed25519.PublicKey)},
		Heartbeat:    5 * time.Second, Poll: 10 * time.Second, FlushEvery: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lh := &liveHub{Hub: h, URL: "ws://" + inner.Addr().String() + "/ws", ln: &killableListener{Listener: inner}}
	var handler http.Handler = h.Handler()
	if wrap != nil {
		handler = wrap(lh, handler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Run(ctx); close(done) }()
	srv := &http.Server{Handler: handler, ErrorLog: log.New(os.Stderr, "", 0)}
	go srv.Serve(lh.ln)
	t.Cleanup(func() {
		lh.ln.kill()
		cancel()
		<-done
		srv.Close()
		h.Close()
	})
	return lh
}

func (h *liveHub) publish(t testing.TB, file []byte) {
	t.Helper()
	if _, err := h.Publish(context.Background(), bytes.NewReader(file), hub.PublishOptions{Stage: hub.StageEveryone, By: "test"}); err != nil {
		t.Fatalf("publish: %v", err)
	}
}

// killableListener remembers what it accepted, so that kill can cut it all.
type killableListener struct {
	net.Listener
	mu    sync.Mutex
	conns []net.Conn
	dead  bool
}

func (l *killableListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.dead {
		c.Close()
		return nil, net.ErrClosed
	}
	l.conns = append(l.conns, c)
	return c, nil
}

func (l *killableListener) kill() {
	l.mu.Lock()
	l.dead = true
	conns := l.conns
	l.conns = nil
	l.mu.Unlock()
	l.Listener.Close()
	for _, c := range conns {
		c.Close()
	}
}

// logBuffer collects a kiosk's log, to read which hub it says it moved to.
type logBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(b, nil)) }

func enrollAt(t testing.TB, hubs ...*liveHub) update.Credentials {
	t.Helper()
	code, err := hubs[0].CreateCode(context.Background(), "Ea Kao", "test")
	if err != nil {
		t.Fatal(err)
	}
	urls := make([]string, len(hubs))
	for i, h := range hubs {
		urls[i] = h.URL
	}
	creds, err := update.EnrollFirst(context.Background(), urls, code, "", nil)
	if err != nil {
		t.Fatalf("enroll: %v", err)
	}
	return creds
}

// usingHub returns the hub of pair the kiosk is connected to, and the other.
func usingHub(t testing.TB, k *kiosk, pair ...*liveHub) (on, other *liveHub) {
	t.Helper()
	eventually(t, "the kiosk connects to a hub", func() bool {
		s := k.client.Status()
		return s.Connected && (s.HubURL == pair[0].URL && pair[0].Connected() == 1 || s.HubURL == pair[1].URL && pair[1].Connected() == 1)
	})
	if k.client.Status().HubURL == pair[0].URL {
		return pair[0], pair[1]
	}
	return pair[1], pair[0]
}

// TestKioskMovesToTheOtherHub: a kiosk configured with hubs A and B gets a
// pack published through the hub it is not connected to (the two share one
// fleet); when its hub dies mid-session it moves to the other, says so in its
// log and its staff status, and keeps updating.
func TestKioskMovesToTheOtherHub(t *testing.T) {
	key := newKey(t)
	a, b := startHubPair(t, key, nil)
	var logs logBuffer
	k := startKioskWith(t, enrollAt(t, a), func(o *update.Options) {
		o.Hubs = []string{a.URL, b.URL}
		o.Log = logs.logger()
	})
	on, other := usingHub(t, k, a, b)

	other.publish(t, buildPack(t, key, 3100, nil))
	eventually(t, "a pack published through the other hub reaches the kiosk", func() bool { return k.generation() == 3100 })

	on.ln.kill()
	eventually(t, "the kiosk moves to the hub that is up", func() bool {
		s := k.client.Status()
		return s.Connected && s.HubURL == other.URL && other.Connected() == 1
	})
	if want := "next=" + other.URL; !strings.Contains(logs.String(), "moving to the next hub") || !strings.Contains(logs.String(), want) {
		t.Errorf("the log does not say the kiosk moved to %s:\n%s", other.URL, logs.String())
	}
	other.publish(t, buildPack(t, key, 3101, nil))
	eventually(t, "the kiosk keeps updating from the other hub", func() bool { return k.generation() == 3101 })
}

// TestDeadHubIsPassedOver: with hub A down from the start, enrollment asks
// B, and the kiosk converges on what B publishes, wherever in the list it
// starts.
func TestDeadHubIsPassedOver(t *testing.T) {
	key := newKey(t)
	a, b := startHubPair(t, key, nil)
	code, err := a.CreateCode(context.Background(), "Ea Kao", "test")
	if err != nil {
		t.Fatal(err)
	}
	a.ln.kill()
	creds, err := update.EnrollFirst(context.Background(), []string{a.URL, b.URL}, code, "", nil)
	if err != nil {
		t.Fatalf("enroll with A down: %v", err)
	}
	k := startKioskWith(t, creds, func(o *update.Options) { o.Hubs = []string{a.URL, b.URL} })
	b.publish(t, buildPack(t, key, 3200, nil))
	eventually(t, "the kiosk converges through B", func() bool { return k.generation() == 3200 })
	if s := k.client.Status(); s.HubURL != b.URL {
		t.Fatalf("staff status names %s, not the hub in use %s", s.HubURL, b.URL)
	}
}

// dyingHubs kills the first hub that sends more than after bytes of blobs,
// in the middle of a response, and counts the blob bytes each hub sent.
type dyingHubs struct {
	after  int64
	killed atomic.Pointer[liveHub]
}

func (d *dyingHubs) wrap(h *liveHub, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/blobs/") {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&dyingWriter{ResponseWriter: w, h: h, d: d}, r)
	})
}

type dyingWriter struct {
	http.ResponseWriter
	h *liveHub
	d *dyingHubs
}

func (w *dyingWriter) Write(p []byte) (int, error) {
	left := w.d.after - w.h.blobBytes.Load()
	if int64(len(p)) <= left || w.d.killed.Load() != nil {
		n, err := w.ResponseWriter.Write(p)
		w.h.blobBytes.Add(int64(n))
		return n, err
	}
	n, _ := w.ResponseWriter.Write(p[:max(left, 0)])
	w.h.blobBytes.Add(int64(n))
	http.NewResponseController(w.ResponseWriter).Flush()
	if w.d.killed.CompareAndSwap(nil, w.h) {
		w.h.ln.kill()
	}
	panic(http.ErrAbortHandler)
}

// TestCutDownloadResumesFromTheOtherHub: the hub a kiosk downloads from dies
// in the middle of a blob; the kiosk moves to the other hub and asks it only
// for the bytes it lacks (blobs are content-addressed, the same on every
// hub): the cut costs at most the chunk in flight.
func TestCutDownloadResumesFromTheOtherHub(t *testing.T) {
	const chunk = 64 << 10
	key := newKey(t)
	d := &dyingHubs{after: 5 * chunk}
	a, b := startHubPair(t, key, d.wrap)
	k := startKioskWith(t, enrollAt(t, a), func(o *update.Options) {
		o.Hubs = []string{a.URL, b.URL}
		o.ChunkSize = chunk
	})
	on, other := usingHub(t, k, a, b)
	file := buildPack(t, key, 3300, map[string][]byte{"media/extra/big.ogg": randomBytes(900 << 10)})
	other.publish(t, file)
	eventually(t, "the kiosk applies the pack despite its hub dying", func() bool { return k.generation() == 3300 })

	if d.killed.Load() != on {
		t.Fatalf("the hub the kiosk downloaded from was not the one cut (killed %v)", d.killed.Load())
	}
	need := manifestOf(t, key, file).TotalSize()
	sent := on.blobBytes.Load() + other.blobBytes.Load()
	if on.blobBytes.Load() == 0 || other.blobBytes.Load() == 0 || sent < need || sent > need+chunk {
		t.Fatalf("blob bytes: %d from the dead hub, %d from the other, %d needed: want both to send, at most %d in all",
			on.blobBytes.Load(), other.blobBytes.Load(), need, need+chunk)
	}
	if s := k.client.Status(); s.HubURL != other.URL {
		t.Fatalf("staff status names %s, not the hub in use %s", s.HubURL, other.URL)
	}
}

type dial struct {
	hub string
	at  time.Time
}

type dialLog struct {
	mu    sync.Mutex
	dials []dial
}

// note records c if it is a websocket dial (the client also polls over
// HTTP), then hangs up.
func (d *dialLog) note(c net.Conn, hub string) {
	at := time.Now()
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, _ := bufio.NewReader(c).ReadString('\n')
	if !strings.HasPrefix(line, "GET /ws ") {
		return
	}
	d.mu.Lock()
	d.dials = append(d.dials, dial{hub, at})
	d.mu.Unlock()
}

func (d *dialLog) list() []dial {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]dial(nil), d.dials...)
}

// startDropListener stands for a hub that is down but still takes
// connections (a process stuck at start-up, a proxy with no backend): it
// accepts and hangs up at once, noting which hub was dialled when.
func startDropListener(t testing.TB, name string, dials *dialLog) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go dials.note(c, name)
		}
	}()
	return "ws://" + ln.Addr().String() + "/ws"
}

// TestRetriesWalkTheHubsWithBackoff: with every hub down, the kiosk tries
// them in turn (round robin) and waits its jittered backoff between any two
// attempts, moving to another hub or not: a province whose hubs are all down
// is not dialled in a tight loop. Lower bounds only: a slow machine makes the
// gaps longer, never shorter.
func TestRetriesWalkTheHubsWithBackoff(t *testing.T) {
	const lo = 100 * time.Millisecond
	dials := &dialLog{}
	hubs := []string{startDropListener(t, "A", dials), startDropListener(t, "B", dials)}
	k := startKioskWith(t, update.Credentials{HubURL: hubs[0], Token: "d1.t"}, func(o *update.Options) {
		o.Hubs = hubs
		o.MinBackoff, o.MaxBackoff = lo, 4*lo
	})
	eventually(t, "eight attempts", func() bool { return len(dials.list()) >= 8 })
	k.stop()
	got := dials.list()
	for i := 1; i < len(got); i++ {
		if got[i].hub == got[i-1].hub {
			t.Errorf("attempt %d went to hub %s again; want the next hub", i, got[i].hub)
		}
		if gap := got[i].at.Sub(got[i-1].at); gap < lo/2 {
			t.Errorf("attempt %d came %v after the one before; the backoff never waits less than %v", i, gap, lo/2)
		}
	}
}
