package update_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/hub"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
	"tramso/kiosk/testlog"
	"tramso/kiosk/update"
)

// TestPollingWhenPushesAreLost: with the websocket refused (a proxy that
// drops upgrades, say), the kiosk still converges by polling.
func TestPollingWhenPushesAreLost(t *testing.T) {
	key := newKey(t)
	noSocket := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/ws" {
				http.Error(w, "no websockets here", http.StatusBadGateway)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	h := startHub(t, key, noSocket)
	k := startKiosk(t, h, func(o *update.Options) { o.Poll = 100 * time.Millisecond })
	h.publish(t, buildPack(t, key, 4000, nil), hub.StageEveryone)
	eventually(t, "the kiosk converges by polling alone", func() bool { return k.generation() == 4000 })
	if k.client.Status().Connected {
		t.Fatal("the websocket was supposed to be refused")
	}
}

// TestDownloadWindowAndUpdateNow: outside its download window the kiosk
// waits; staff's "update now" fetches at once.
func TestDownloadWindowAndUpdateNow(t *testing.T) {
	key := newKey(t)
	h := startHub(t, key, nil)
	later := time.Now().Add(2 * time.Hour)
	closed, err := config.ParseDailyWindow(later.Format("15:04") + "-" + later.Add(time.Hour).Format("15:04"))
	if err != nil {
		t.Fatal(err)
	}
	k := startKiosk(t, h, func(o *update.Options) { o.Window = closed })
	h.publish(t, buildPack(t, key, 5000, nil), hub.StageEveryone)
	eventually(t, "the kiosk knows of the new generation and waits", func() bool {
		st := k.client.Status()
		return st.TargetGeneration == 5000 && st.State == "waiting"
	})
	if k.generation() == 5000 {
		t.Fatal("downloaded outside the window")
	}
	k.client.UpdateNow()
	eventually(t, "update now ignores the window", func() bool { return k.generation() == 5000 })
}

// TestBandwidthCap: a capped kiosk takes at least size/cap to download. (A
// lower bound only: a slow machine can only make it slower.)
func TestBandwidthCap(t *testing.T) {
	key := newKey(t)
	h := startHub(t, key, nil)
	file := buildPack(t, key, 6000, nil)
	size := manifestOf(t, key, file).TotalSize()
	const rate = 2 << 20 // bytes per second
	k := startKiosk(t, h, func(o *update.Options) { o.RateBytes = rate })
	start := time.Now()
	h.publish(t, file, hub.StageEveryone)
	eventually(t, "capped kiosk converges", func() bool { return k.generation() == 6000 })
	if min := time.Duration(float64(size-rate/4) / rate * float64(time.Second)); time.Since(start) < min {
		t.Fatalf("%d bytes in %v: faster than the %d B/s cap allows (%v)", size, time.Since(start), rate, min)
	}
}

// TestFleetRollback: the province rolls back by publishing the old content
// under a new generation; kiosks move forward onto it.
func TestFleetRollback(t *testing.T) {
	key := newKey(t)
	h := startHub(t, key, nil)
	k := startKiosk(t, h, nil)
	h.publish(t, buildPack(t, key, 7000, map[string][]byte{"media/extra/v.ogg": []byte("one")}), hub.StageEveryone)
	eventually(t, "first", func() bool { return k.generation() == 7000 })
	h.publish(t, buildPack(t, key, 7001, map[string][]byte{"media/extra/v.ogg": []byte("two")}), hub.StageEveryone)
	eventually(t, "second", func() bool { return k.generation() == 7001 })
	gen, err := h.Rollback(context.Background(), 7000, key, hub.PublishOptions{Stage: hub.StageEveryone, By: "test"})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the kiosk takes the rollback generation", func() bool { return k.client.Status().Generation == gen })
	b, err := readFile(k, "media/extra/v.ogg")
	if err != nil || string(b) != "one" {
		t.Fatalf("after rollback the kiosk serves %q (%v), want the first content", b, err)
	}
}

// TestStaffRollback: staff's "roll back" returns to the previous generation.
func TestStaffRollback(t *testing.T) {
	key := newKey(t)
	h := startHub(t, key, nil)
	k := startKiosk(t, h, nil)
	h.publish(t, buildPack(t, key, 8000, nil), hub.StageEveryone)
	eventually(t, "first", func() bool { return k.generation() == 8000 })
	h.publish(t, buildPack(t, key, 8001, nil), hub.StageEveryone)
	eventually(t, "second", func() bool { return k.generation() == 8001 })
	st, err := k.client.Rollback(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Generation != 8000 || k.generation() != 8000 {
		t.Fatalf("after staff rollback: status %d, serving %d", st.Generation, k.generation())
	}
	// The hub still wants 8001; the kiosk stays on 8000 without refusing
	// 8001 as a replay, until something newer is published.
	k.client.UpdateNow()
	h.publish(t, buildPack(t, key, 8002, nil), hub.StageEveryone)
	eventually(t, "a newer generation after the rollback", func() bool { return k.generation() == 8002 })
	if rs, _ := k.st.RecentContentRejections(context.Background(), 10); len(rs) != 0 {
		t.Fatalf("rollback led to refusals: %+v", rs)
	}
}

// TestRefusalNotSettledByAFailedCheck: a generation the kiosk refused,
// then installed but took back at once because it failed its check (no
// tutorials and no procedures), never ran: staff mode does not read the
// refusal as settled by the install ("installed_later"), while a refusal
// of a generation installed to run is. On the kiosk's own SQLite file.
func TestRefusalNotSettledByAFailedCheck(t *testing.T) {
	key := newKey(t)
	h := startHub(t, key, nil)
	k := startKiosk(t, h, nil)
	ctx := context.Background()
	h.publish(t, buildPack(t, key, 8100, nil), hub.StageEveryone)
	eventually(t, "first", func() bool { return k.generation() == 8100 })
	earlier := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	for _, gen := range []int64{8101, 8102} { // refused once, a transfer cut short
		if err := k.st.RecordContentRejection(ctx, store.ContentRejection{At: earlier, Source: "hub", Generation: gen,
			Kind: string(pack.KindHashMismatch), Detail: "a.svg: sha256 differs"}); err != nil {
			t.Fatal(err)
		}
	}

	var empty bytes.Buffer
	files := fstest.MapFS{"pack.yaml": {Data: []byte("schema: 1\ngeneration: 1\ntitle: \"Trống\"\n")}}
	if _, err := pack.Build(files, pack.BuildOptions{Generation: 8101, Keys: []ed25519.PrivateKey{key}}, &empty); err != nil {
		t.Fatal(err)
	}
	h.publish(t, empty.Bytes(), hub.StageEveryone)
	eventually(t, "the failed check", func() bool {
		return strings.Contains(k.client.Status().LastError, "the new content did not load")
	})
	if k.generation() != 8100 {
		t.Fatalf("serving %d after the failed check, want 8100 back", k.generation())
	}
	h.publish(t, buildPack(t, key, 8102, nil), hub.StageEveryone)
	eventually(t, "a generation that runs", func() bool { return k.generation() == 8102 })

	status, err := k.packs.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	settled := map[int64]bool{}
	for _, r := range status.Rejections {
		settled[r.Generation] = r.InstalledLater
	}
	if len(settled) != 2 || settled[8101] || !settled[8102] {
		t.Fatalf("installed later: %v; want 8101 (taken back for its check) not, 8102 (it runs) yes", settled)
	}
}

// TestUsageTotalsUploaded: on connecting, the kiosk sends its anonymous daily
// totals, and the hub keeps them per kiosk and day.
func TestUsageTotalsUploaded(t *testing.T) {
	key := newKey(t)
	h := startHub(t, key, nil)
	k := startKiosk(t, h, func(o *update.Options) {
		o.Usage = func(context.Context) ([]store.UsageTotal, error) {
			return []store.UsageTotal{{Day: "2026-11-26", Metric: "sessions", Count: 42},
				{Day: "2026-11-26", Metric: "tutorial_opened", Key: "vneid-kich-hoat", Count: 12}}, nil
		}
	})
	eventually(t, "usage totals on the hub", func() bool {
		rows, err := h.Usage(context.Background(), "2026-11-01", "2026-11-30")
		return err == nil && len(rows) == 2 && rows[0].DeviceID == k.id
	})
}

// TestUsageUploadWithAFutureDay: a kiosk whose clock ran ahead has a day the
// hub calls the future. The hub stores the good days and names the bad one;
// the kiosk logs which (outside QA: one bad day refused the whole upload).
func TestUsageUploadWithAFutureDay(t *testing.T) {
	key := newKey(t)
	h := startHub(t, key, nil)
	var out testlog.Buffer
	today := time.Now().Format(time.DateOnly)
	k := startKiosk(t, h, func(o *update.Options) {
		o.Log = slog.New(slog.NewTextHandler(&out, nil))
		o.Usage = func(context.Context) ([]store.UsageTotal, error) {
			return []store.UsageTotal{{Day: today, Metric: "sessions", Count: 3}, {Day: "2099-01-01", Metric: "sessions", Count: 1}}, nil
		}
	})
	eventually(t, "the good day on the hub", func() bool {
		rows, err := h.Usage(context.Background(), today, today)
		return err == nil && len(rows) == 1 && rows[0].DeviceID == k.id
	})
	eventually(t, "the kiosk logs the skipped day", func() bool {
		return strings.Contains(out.String(), "did not store some days") && strings.Contains(out.String(), "2099-01-01")
	})
}
