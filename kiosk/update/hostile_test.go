package update_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
	"tramso/kiosk/testlog"
	"tramso/kiosk/update"
)

// panicWatch is a log handler that counts what the client's recover caught:
// a recovered panic is a defect a test must see, not a silent retry.
type panicWatch struct {
	slog.Handler
	panics *atomic.Int64
	last   *atomic.Value
}

func newPanicWatch() *panicWatch {
	return &panicWatch{Handler: testlog.Quiet().Handler(), panics: new(atomic.Int64), last: new(atomic.Value)}
}

func (p *panicWatch) Handle(ctx context.Context, r slog.Record) error {
	if strings.Contains(r.Message, "panic") {
		p.panics.Add(1)
		var b strings.Builder
		r.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&b, "%s=%v ", a.Key, a.Value); return true })
		p.last.Store(r.Message + ": " + b.String())
	}
	return p.Handler.Handle(ctx, r)
}

func (p *panicWatch) WithAttrs(as []slog.Attr) slog.Handler {
	return &panicWatch{Handler: p.Handler.WithAttrs(as), panics: p.panics, last: p.last}
}

func (p *panicWatch) check(t testing.TB) {
	t.Helper()
	if n := p.panics.Load(); n > 0 {
		t.Fatalf("the update client panicked %d time(s): %v", n, p.last.Load())
	}
}

// fast makes a kiosk's client retry and give up on stalls quickly.
func fast(watch *panicWatch, stallAfter time.Duration) func(*update.Options) {
	return func(o *update.Options) {
		o.Log = slog.New(watch)
		o.MinBackoff, o.MaxBackoff = 10*time.Millisecond, 100*time.Millisecond
		o.Stall = stallAfter
		o.ChunkSize = 64 << 10
	}
}

// goodPack is the pack the fake hubs serve: the starter plus a file of
// several chunks.
func goodPack(t testing.TB, key ed25519.PrivateKey, gen int64) *signedPack {
	return takeApart(t, key, buildPack(t, key, gen, map[string][]byte{"media/extra/big.ogg": randomBytes(300 << 10)}))
}

// attackOne is attack 1's hub: the poll names a generation above 2^53 and
// every manifest download fails with an error full of control characters.
func attackOne(h *fakeHub) {
	h.target = func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"generation":%d}`, int64(1<<53)+7)
	}
	h.files = func(w http.ResponseWriter, r *http.Request, name string) {
		http.Error(w, "disk on fire\x00\x1b[31m\r\n", http.StatusInternalServerError)
	}
}

// TestHostileHubCannotCrashKiosk reproduces attack 1: a hub answers the poll
// with a generation above 2^53 and fails every manifest download with an
// error full of control characters. The kiosk used to panic about a second
// after every start. Now it logs, keeps polling, and takes the real pack as
// soon as the hub behaves.
func TestHostileHubCannotCrashKiosk(t *testing.T) {
	key := newKey(t)
	h := startFakeHub(t, goodPack(t, key, 9000))
	h.set(func(h *fakeHub) {
		attackOne(h)
		h.welcome = func(ws *websocket.Conn) {
			sendWelcome(ws, 0)
			// An announce no Encode would write: the protocol refuses it.
			ws.WriteMessage(websocket.TextMessage, []byte(`{"v":1,"type":"announce","body":{"generation":9007199254740993}}`))
		}
	})
	watch := newPanicWatch()
	k := kioskOn(t, h, key, fast(watch, time.Second))
	for i := 0; i < 5; i++ { // every "update now" polls again
		before := h.polls.Load()
		k.client.UpdateNow()
		eventually(t, "the kiosk polls again", func() bool { return h.polls.Load() > before })
	}
	watch.check(t)
	if st := k.client.Status(); st.TargetGeneration != 0 || k.generation() != 1 {
		t.Fatalf("the hostile target was taken: %+v, serving %d", st, k.generation())
	}
	h.behaveWell()
	h.dropSockets()
	k.client.UpdateNow()
	eventually(t, "the kiosk takes the real pack once the hub behaves", func() bool { return k.generation() == 9000 })
	watch.check(t)
}

// stallBigBlobOnce makes h stall once in the middle of the pack's big blob
// (with later, past its first chunk) and serve it well afterwards. It counts
// the stalls and records where the first request after the stall began.
func stallBigBlobOnce(h *fakeHub, later bool) (stalls, resumedAt *atomic.Int64) {
	stalls, resumedAt = new(atomic.Int64), new(atomic.Int64)
	h.set(func(h *fakeHub) {
		h.blob = func(w http.ResponseWriter, r *http.Request, data []byte) {
			from, _, _ := parseRange(r.Header.Get("Range"), int64(len(data)))
			big := len(data) > 200<<10
			if big && (from > 0 || !later) && stalls.Add(1) == 1 {
				stallMidBody(w, r, data, 1000)
				return
			}
			if big && stalls.Load() > 0 && resumedAt.Load() == 0 {
				resumedAt.Store(from)
			}
			serveRange(w, r, data)
		}
	})
	return stalls, resumedAt
}

// TestStalledTransferIsCutAndResumed reproduces attack 8: a hub that stops
// sending in the middle of a blob. The client cuts the transfer after
// Options.Stall without progress and resumes it with a Range request from
// where it stopped.
func TestStalledTransferIsCutAndResumed(t *testing.T) {
	key := newKey(t)
	h := startFakeHub(t, goodPack(t, key, 9001))
	stalled, resumedAt := stallBigBlobOnce(h, true)
	watch := newPanicWatch()
	k := kioskOn(t, h, key, fast(watch, 300*time.Millisecond))
	eventually(t, "the stalled pack is applied", func() bool { return k.generation() == 9001 })
	watch.check(t)
	if stalled.Load() == 0 || resumedAt.Load() == 0 {
		t.Fatalf("no stall was cut and resumed (stalls %d, resumed at byte %d)", stalled.Load(), resumedAt.Load())
	}
}

// TestUpdateNowCutsAStall: with a long stall limit, staff's "update now"
// cuts the stalled transfer at once instead of doing nothing.
func TestUpdateNowCutsAStall(t *testing.T) {
	key := newKey(t)
	h := startFakeHub(t, goodPack(t, key, 9002))
	stalls, _ := stallBigBlobOnce(h, false)
	watch := newPanicWatch()
	k := kioskOn(t, h, key, fast(watch, time.Hour))
	eventually(t, "the transfer stalls", func() bool {
		return stalls.Load() == 1 && k.client.Status().State == hubproto.StateDownloading
	})
	k.client.UpdateNow()
	eventually(t, "the pack is applied after update now", func() bool { return k.generation() == 9002 })
	watch.check(t)
}

// TestUpdateNowEndsBackoff: a kiosk waiting out a long reconnect backoff
// reconnects at once when staff press "update now".
func TestUpdateNowEndsBackoff(t *testing.T) {
	key := newKey(t)
	h := startFakeHub(t, goodPack(t, key, 9003))
	watch := newPanicWatch()
	k := kioskOn(t, h, key, func(o *update.Options) {
		fast(watch, time.Second)(o)
		o.MinBackoff, o.MaxBackoff = time.Hour, 2*time.Hour
	})
	eventually(t, "connected", func() bool { return k.client.Status().Connected })
	h.dropSockets()
	eventually(t, "the kiosk notices", func() bool { return !k.client.Status().Connected })
	dials := h.dials.Load()
	k.client.UpdateNow()
	eventually(t, "reconnected within the hour's backoff", func() bool { return h.dials.Load() > dials && k.client.Status().Connected })
	watch.check(t)
}

// TestPanicInsideClientIsContained: a panic at a connection boundary (here
// in the usage upload, run for each connection) is logged, and the kiosk
// goes on updating.
func TestPanicInsideClientIsContained(t *testing.T) {
	key := newKey(t)
	h := startFakeHub(t, goodPack(t, key, 9004))
	watch := newPanicWatch()
	k := kioskOn(t, h, key, func(o *update.Options) {
		fast(watch, time.Second)(o)
		o.Usage = func(context.Context) ([]store.UsageTotal, error) { panic("usage totals exploded") }
	})
	eventually(t, "the pack is applied", func() bool { return k.generation() == 9004 })
	eventually(t, "the panic was logged", func() bool { return watch.panics.Load() > 0 })
}

// TestEnrollRefusesHostileAnswers: an enrollment answer is printed to the
// person enrolling and stored; a hub cannot slip terminal escapes, a
// duplicate key or a key that is not one into it.
func TestEnrollRefusesHostileAnswers(t *testing.T) {
	key := strings.TrimSpace(pack.EncodePublicKey(newKey(t).Public().(ed25519.PublicKey)))
	good := `{"device_id":"d1","token":"d1.s","province_keys":["` + key + `"],"hub_url":"ws://127.0.0.1:1/ws","name":"Ea Kao"}`
	for name, answer := range map[string]string{
		"escape in the device id": strings.Replace(good, `"d1"`, `"d1\u001b[2J"`, 1),
		"escape in the name":      strings.Replace(good, `"Ea Kao"`, `"Ea\u001b]0;pwned\u0007"`, 1),
		"duplicate key":           strings.Replace(good, `"name"`, `"province_keys":[],"name"`, 1),
		"not a key":               strings.Replace(good, key, "AAAA", 1),
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, answer) }))
		_, err := update.Enroll(context.Background(), srv.URL, "CODE", "", nil)
		srv.Close()
		if err == nil {
			t.Errorf("%s: the answer was accepted", name)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, good) }))
	defer srv.Close()
	if _, err := update.Enroll(context.Background(), srv.URL, "CODE", "", nil); err != nil {
		t.Fatalf("the good answer: %v", err)
	}
}
