package update_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tramso/kiosk/update"
)

// Hubs that answer but send too slowly (outside QA s25, finding 1): a
// manifest trickled a byte at a time kept a kiosk "downloading 0 B / 0 B"
// for as long as the hub liked, next to a healthy second hub.

// pacedWriter sends what a handler writes n bytes at a time, gap apart,
// flushed: a link or a hub that trickles. It stops when the kiosk hangs up.
type pacedWriter struct {
	http.ResponseWriter
	ctx context.Context
	n   int
	gap time.Duration
}

func (p pacedWriter) Write(b []byte) (int, error) {
	done := 0
	for len(b) > 0 {
		k := min(p.n, len(b))
		m, err := p.ResponseWriter.Write(b[:k])
		done += m
		if err != nil {
			return done, err
		}
		http.NewResponseController(p.ResponseWriter).Flush()
		b = b[k:]
		if len(b) == 0 {
			break
		}
		select {
		case <-p.ctx.Done():
			return done, p.ctx.Err()
		case <-time.After(p.gap):
		}
	}
	return done, nil
}

func paced(w http.ResponseWriter, r *http.Request, n int, gap time.Duration) pacedWriter {
	return pacedWriter{ResponseWriter: w, ctx: r.Context(), n: n, gap: gap}
}

// slowFast are the limits of these tests: a window of 300 ms, a manifest
// (at most 1 MiB) given 1.3 s in all, and a blob floor of minRate.
func slowFast(minRate int64) func(*update.Options) {
	return func(o *update.Options) {
		o.Stall = 300 * time.Millisecond
		o.DocRate = 1 << 20
		o.MinRate = minRate
		o.ChunkSize = 64 << 10
	}
}

// TestTricklingManifestMovesToTheOtherHub: the hub a kiosk is connected to
// answers the manifest a byte every 20 ms, forever, while its websocket
// stays healthy. The kiosk gives the manifest up within its time limit,
// counts it as that hub's fault, moves to the other hub and applies the
// pack from there.
func TestTricklingManifestMovesToTheOtherHub(t *testing.T) {
	key := newKey(t)
	var hostile atomic.Pointer[liveHub]
	var trickled atomic.Int64 // how long the last trickled manifest ran before the kiosk hung up
	wrap := func(h *liveHub, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if hostile.Load() != h || !strings.HasSuffix(r.URL.Path, "/manifest.json") {
				next.ServeHTTP(w, r)
				return
			}
			start := time.Now()
			next.ServeHTTP(paced(w, r, 1, 20*time.Millisecond), r)
			trickled.Store(int64(time.Since(start)))
		})
	}
	a, b := startHubPair(t, key, wrap)
	var logs logBuffer
	k := startKioskWith(t, enrollAt(t, a), func(o *update.Options) {
		slowFast(update.DefaultMinRate)(o)
		o.Hubs = []string{a.URL, b.URL}
		o.Log = logs.logger()
	})
	on, other := usingHub(t, k, a, b)
	hostile.Store(on)
	other.publish(t, buildPack(t, key, 3400, nil))
	eventually(t, "the kiosk leaves the trickling hub and applies the pack from the other", func() bool { return k.generation() == 3400 })

	if s := k.client.Status(); s.HubURL != other.URL {
		t.Fatalf("staff status names %s, not the hub in use %s", s.HubURL, other.URL)
	}
	// 1.3 s allowed: not cut early by the window (a byte every 20 ms is
	// progress for a document), not let run on either.
	if d := time.Duration(trickled.Load()); d < 900*time.Millisecond || d > 10*time.Second {
		t.Fatalf("the trickled manifest ran %v before the kiosk gave it up; its limit is 1.3 s", d)
	}
	if log := logs.String(); !strings.Contains(log, "sends too slowly") || !strings.Contains(log, "next="+other.URL) {
		t.Fatalf("the log does not say the kiosk left the slow hub for %s:\n%s", other.URL, log)
	}
}

// TestTricklingManifestIsToldToStaff: with one hub, a trickled manifest is
// given up too, and staff see why in their words (hub_too_slow), while the
// kiosk stays connected (there is no other hub to move to); once the hub
// behaves, the pack comes.
func TestTricklingManifestIsToldToStaff(t *testing.T) {
	key := newKey(t)
	h := startFakeHub(t, goodPack(t, key, 9100))
	h.set(func(h *fakeHub) {
		good := h.files
		h.files = func(w http.ResponseWriter, r *http.Request, name string) {
			good(paced(w, r, 1, 20*time.Millisecond), r, name)
		}
	})
	watch := newPanicWatch()
	k := kioskOn(t, h, key, func(o *update.Options) {
		fast(watch, time.Second)(o)
		slowFast(update.DefaultMinRate)(o)
	})
	eventually(t, "staff are told the hub sends too slowly", func() bool {
		s := k.client.Status()
		// The error stays on show while the kiosk tries again.
		return s.ErrorKind == update.ErrorKindHubTooSlow && strings.Contains(s.LastError, "too slowly")
	})
	if s := k.client.Status(); !s.Connected || s.Progress.Total != 0 {
		t.Fatalf("status %+v: want still connected to its only hub, and no download under way", s)
	}
	h.behaveWell()
	eventually(t, "the pack comes once the hub behaves", func() bool { return k.generation() == 9100 })
	watch.check(t)
}

// blobLog records the Range requests a hub received for its big blob.
type blobLog struct {
	mu    sync.Mutex
	froms []int64
	cut   int // answers the kiosk hung up on before their end
}

func (l *blobLog) note(from int64, whole bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.froms = append(l.froms, from)
	if !whole {
		l.cut++
	}
}

func (l *blobLog) get() (froms []int64, cut int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]int64(nil), l.froms...), l.cut
}

// paceBigBlob makes h serve its big blob n bytes every gap (the others at
// once), logging each request.
func paceBigBlob(h *fakeHub, n int, gap time.Duration) *blobLog {
	l := &blobLog{}
	h.set(func(h *fakeHub) {
		h.blob = func(w http.ResponseWriter, r *http.Request, data []byte) {
			if len(data) < 200<<10 {
				serveRange(w, r, data)
				return
			}
			from, to, _ := parseRange(r.Header.Get("Range"), int64(len(data)))
			pw := paced(w, r, n, gap)
			serveRange(pw, r, data)
			l.note(from, r.Context().Err() == nil && to >= from)
		}
	})
	return l
}

// TestTricklingBlobIsCutAndCounted: a hub that sends a blob at 128 B every
// 20 ms (6.4 KB/s, a byte never far behind the last) stays below the floor
// (here 256 KiB/s, 77 KiB per 300 ms window): each range is cut, resumed
// from the bytes kept, and after three cuts in a row the hub counts as at
// fault; staff see hub_too_slow. Under the old rule (any byte is progress)
// nothing was cut.
func TestTricklingBlobIsCutAndCounted(t *testing.T) {
	key := newKey(t)
	h := startFakeHub(t, goodPack(t, key, 9101))
	l := paceBigBlob(h, 128, 20*time.Millisecond)
	watch := newPanicWatch()
	k := kioskOn(t, h, key, func(o *update.Options) {
		fast(watch, time.Second)(o)
		slowFast(256 << 10)(o)
	})
	eventually(t, "three trickled ranges are cut and the hub is at fault", func() bool {
		s := k.client.Status()
		return s.ErrorKind == update.ErrorKindHubTooSlow && strings.Contains(s.LastError, "transfers in a row were cut")
	})
	// The hub notices a hang-up after the kiosk has moved on.
	eventually(t, "the hub saw three ranges cut", func() bool { _, cut := l.get(); return cut >= 3 })
	froms, _ := l.get()
	if len(froms) < 2 || froms[1] <= froms[0] {
		t.Fatalf("the range after a cut began at %v: want it to resume past the bytes kept", froms)
	}
	h.behaveWell()
	eventually(t, "the pack comes once the hub sends at speed", func() bool { return k.generation() == 9101 })
	watch.check(t)
}

// TestSlowSteadyBlobCompletes: a slow but steady link, 4 KiB every 20 ms
// (at most 200 KiB/s, a few times the floor of 32 KiB/s set here even on a
// loaded machine), is never cut: the floor is for hubs that all but stopped,
// not for rural links.
func TestSlowSteadyBlobCompletes(t *testing.T) {
	key := newKey(t)
	p := goodPack(t, key, 9102)
	h := startFakeHub(t, p)
	l := paceBigBlob(h, 4<<10, 20*time.Millisecond)
	watch := newPanicWatch()
	k := kioskOn(t, h, key, func(o *update.Options) {
		fast(watch, time.Second)(o)
		slowFast(32 << 10)(o)
	})
	eventually(t, "the slow pack is applied", func() bool { return k.generation() == 9102 })
	// Requests, not hang-ups, are counted: a kiosk may close a connection
	// once it has a whole range.
	froms, _ := l.get()
	const chunk = 64 << 10
	if want := (300<<10 + chunk - 1) / chunk; len(froms) != want {
		t.Fatalf("big blob: %d requests (from %v); want %d, none cut and resumed", len(froms), froms, want)
	}
	if s := k.client.Status(); s.LastError != "" {
		t.Fatalf("last error %q after a slow but steady download", s.LastError)
	}
	for i, f := range froms {
		if f != int64(i*chunk) {
			t.Fatalf("request %d began at %d, want %d: a range was cut and resumed (%v)", i, f, i*chunk, froms)
		}
	}
	watch.check(t)
}

// TestCutBlobIsToldAsTheNetworks (outside QA s25, finding 6): a blob range
// cut for no progress shows staff the Vietnamese lead of a network error
// (hub_unreachable), not the kiosk's English alone. The range resumed after
// the cut comes slowly (above the floor), so the error is on show a while.
func TestCutBlobIsToldAsTheNetworks(t *testing.T) {
	key := newKey(t)
	h := startFakeHub(t, goodPack(t, key, 9103))
	var stalled atomic.Bool
	h.set(func(h *fakeHub) {
		h.blob = func(w http.ResponseWriter, r *http.Request, data []byte) {
			from, _, _ := parseRange(r.Header.Get("Range"), int64(len(data)))
			switch {
			case len(data) < 200<<10 || from == 0:
				serveRange(w, r, data)
			case stalled.CompareAndSwap(false, true):
				stallMidBody(w, r, data, 1000)
			default:
				serveRange(paced(w, r, 4<<10, 20*time.Millisecond), r, data)
			}
		}
	})
	watch := newPanicWatch()
	k := kioskOn(t, h, key, fast(watch, 300*time.Millisecond))
	eventually(t, "the cut is shown as the network's", func() bool {
		s := k.client.Status()
		return s.ErrorKind == update.ErrorKindHubUnreachable && strings.Contains(s.LastError, "no progress")
	})
	eventually(t, "the pack is applied", func() bool { return k.generation() == 9103 })
	watch.check(t)
}

// TestTricklingBlobMovesToTheOtherHub: the hub a kiosk downloads from
// trickles every blob; after three cuts in a row the kiosk leaves it for
// the other hub, which sends the rest (resumed, not from byte 0).
func TestTricklingBlobMovesToTheOtherHub(t *testing.T) {
	key := newKey(t)
	var hostile atomic.Pointer[liveHub]
	wrap := func(h *liveHub, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasPrefix(r.URL.Path, "/blobs/") {
				next.ServeHTTP(w, r)
				return
			}
			cw := &countingWriter{ResponseWriter: w, h: h}
			if hostile.Load() == h {
				next.ServeHTTP(paced(cw, r, 128, 20*time.Millisecond), r)
				return
			}
			next.ServeHTTP(cw, r)
		})
	}
	a, b := startHubPair(t, key, wrap)
	var logs logBuffer
	k := startKioskWith(t, enrollAt(t, a), func(o *update.Options) {
		slowFast(256 << 10)(o)
		o.Hubs = []string{a.URL, b.URL}
		o.Log = logs.logger()
	})
	on, other := usingHub(t, k, a, b)
	hostile.Store(on)
	file := buildPack(t, key, 3401, map[string][]byte{"media/extra/big.ogg": randomBytes(900 << 10)})
	other.publish(t, file)
	eventually(t, "the kiosk leaves the trickling hub and applies the pack from the other", func() bool { return k.generation() == 3401 })

	if s := k.client.Status(); s.HubURL != other.URL {
		t.Fatalf("staff status names %s, not the hub in use %s", s.HubURL, other.URL)
	}
	need := manifestOf(t, key, file).TotalSize()
	if on.blobBytes.Load() == 0 || other.blobBytes.Load() >= need {
		t.Fatalf("blob bytes: %d from the slow hub, %d from the other, %d needed: want the bytes kept from the slow hub used",
			on.blobBytes.Load(), other.blobBytes.Load(), need)
	}
	if log := logs.String(); !strings.Contains(log, "transfers in a row were cut") || !strings.Contains(log, "next="+other.URL) {
		t.Fatalf("the log does not say the kiosk left the slow hub for %s:\n%s", other.URL, log)
	}
}

// countingWriter counts the blob bytes a live hub sent.
type countingWriter struct {
	http.ResponseWriter
	h *liveHub
}

func (w *countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.h.blobBytes.Add(int64(n))
	return n, err
}

// Unwrap lets a pacedWriter flush through it.
func (w *countingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// TestUnansweredRangesAreTheNetworks (review s25, bug 1): a hub whose blob
// ranges get no answer at all (no headers: a link dropping packets looks
// the same) is cut as often as a trickling one, but told as the network's
// (hub_unreachable, which the console does not count as a fault), never as
// a hub that "still answers but sends too slowly".
func TestUnansweredRangesAreTheNetworks(t *testing.T) {
	key := newKey(t)
	h := startFakeHub(t, goodPack(t, key, 9104))
	var asked atomic.Int32
	h.set(func(h *fakeHub) {
		h.blob = func(w http.ResponseWriter, r *http.Request, data []byte) {
			if len(data) < 200<<10 {
				serveRange(w, r, data)
				return
			}
			asked.Add(1)
			<-r.Context().Done() // no headers, ever
		}
	})
	watch := newPanicWatch()
	k := kioskOn(t, h, key, func(o *update.Options) {
		fast(watch, time.Second)(o)
		slowFast(32 << 10)(o)
	})
	var kinds []string
	eventually(t, "three unanswered ranges", func() bool {
		s := k.client.Status()
		if s.ErrorKind != "" && !slices.Contains(kinds, s.ErrorKind) {
			kinds = append(kinds, s.ErrorKind)
		}
		return asked.Load() > 3 && s.ErrorKind == update.ErrorKindHubUnreachable && strings.Contains(s.LastError, "no answer")
	})
	if slices.Contains(kinds, update.ErrorKindHubTooSlow) {
		t.Fatalf("an unanswered range was told as a slow hub: kinds seen %v", kinds)
	}
	h.behaveWell()
	eventually(t, "the pack comes once the hub answers", func() bool { return k.generation() == 9104 })
	watch.check(t)
}
