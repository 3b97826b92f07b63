package update_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tramso/kiosk/hub"
	"tramso/kiosk/hub/hubtest"
	"tramso/kiosk/pack"
	"tramso/kiosk/testlog"
	"tramso/kiosk/update"
)

// rotation is a province in the middle of a key rotation: a real hub that
// pins the old and the new key, counting what kiosks fetch from it, and a
// kiosk that applied generation 3200 (signed by both keys) and then 3201
// (signed by the old key alone), restarted with a config that pins only
// the new key (outside QA, Q12).
type rotation struct {
	hub            *testHub
	oldKey, newKey ed25519.PrivateKey
	kiosk          *kiosk
	dir            string // the kiosk's data directory
	log            *testlog.Buffer
	// polls counts the kiosk's polls of its target; refetches its fetches
	// of generation 3201's manifest after the restart.
	polls, refetches atomic.Int64
	restarted        atomic.Bool
}

func startRotation(t *testing.T) *rotation {
	t.Helper()
	r := &rotation{oldKey: newKey(t), newKey: newKey(t), log: &testlog.Buffer{}}
	count := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if r.restarted.Load() {
				switch req.URL.Path {
				case "/api/device/target":
					r.polls.Add(1)
				case "/packs/3201/manifest.json":
					r.refetches.Add(1)
				}
			}
			next.ServeHTTP(w, req)
		})
	}
	r.hub = &testHub{hubtest.Start(t, hubtest.Options{Wrap: count, Hub: hub.Options{
		ProvinceKeys: []ed25519.PublicKey{public(r.oldKey), public(r.newKey)},
		Heartbeat:    5 * time.Second, Poll: 10 * time.Second, FlushEvery: 50 * time.Millisecond}})}
	creds := enroll(t, r.hub, "")
	r.dir = t.TempDir()
	first := startKioskIn(t, r.dir, creds, nil)
	r.hub.publish(t, signedBy(t, 3200, r.oldKey, r.newKey), hub.StageEveryone)
	eventually(t, "the kiosk takes 3200", func() bool { return first.generation() == 3200 })
	r.hub.publish(t, signedBy(t, 3201, r.oldKey), hub.StageEveryone)
	eventually(t, "the kiosk takes 3201", func() bool { return first.generation() == 3201 })
	first.stop()
	r.restarted.Store(true)
	r.kiosk = startKioskPinning(t, r.dir, creds, []ed25519.PublicKey{public(r.newKey)}, func(o *update.Options) {
		o.Log = slog.New(slog.NewTextHandler(r.log, nil))
	})
	return r
}

func public(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

// signedBy builds a pack of generation gen (with a file of its own) signed
// by keys.
func signedBy(t *testing.T, gen int64, keys ...ed25519.PrivateKey) []byte {
	t.Helper()
	var buf bytes.Buffer
	extra := map[string][]byte{"media/extra/v.ogg": []byte("generation " + time.Now().String())}
	if _, err := pack.Build(source(t, extra), pack.BuildOptions{Generation: gen, Keys: keys}, &buf); err != nil {
		t.Fatalf("build pack %d: %v", gen, err)
	}
	return buf.Bytes()
}

// rounds makes the kiosk's update loop run n more rounds, and waits for
// them: "update now" polls the hub once per round, and a round decides what
// to do about its content after its poll.
func (r *rotation) rounds(t *testing.T, n int) {
	t.Helper()
	for range n {
		before := r.polls.Load()
		r.kiosk.client.UpdateNow()
		eventually(t, "the kiosk polls for update now", func() bool { return r.polls.Load() > before })
	}
}

// TestUntrustedCurrentNotFetchedAgain: the kiosk shows 3200, which a key it
// pins signed; it does not take 3201 for damaged content and fetch it again
// and again (the hub would send the same bytes); staff and the hub are told
// that it shows 3200 because 3201 is signed by no pinned key; and the next
// generation signed by the new key is applied.
func TestUntrustedCurrentNotFetchedAgain(t *testing.T) {
	r := startRotation(t)
	k := r.kiosk
	if k.generation() != 3200 {
		t.Fatalf("the kiosk shows %d, want 3200 (its previous generation, signed by a pinned key)", k.generation())
	}
	eventually(t, "staff are told the current content is untrusted", func() bool {
		s := k.client.Status()
		return s.Generation == 3201 && s.ErrorKind == update.ErrorKindUntrusted && strings.Contains(s.LastError, "generation 3200")
	})
	eventually(t, "the hub knows the kiosk shows 3200", func() bool {
		d := r.hub.Device(t, k.id)
		return d.Generation == 3201 && d.Shown == 3200 && d.ErrorKind == update.ErrorKindUntrusted
	})
	before := k.client.Status().LastSync
	time.Sleep(1100 * time.Millisecond) // LastSync counts seconds
	r.rounds(t, 3)
	if n := r.refetches.Load(); n != 0 {
		t.Fatalf("the kiosk fetched generation 3201 again %d time(s): the same bytes fail the same way", n)
	}
	// Waiting for a newer generation, it still reaches its hub, and staff
	// see when (outside QA s23: "Đồng bộ lần cuối" stood still).
	if s := k.client.Status(); s.LastSync <= before || s.ErrorKind != update.ErrorKindUntrusted {
		t.Fatalf("last sync %q (before the rounds %q), error kind %q; want a later sync and the error kept", s.LastSync, before, s.ErrorKind)
	}
	logged := r.log.String()
	if n := strings.Count(logged, "fetching it again"); n != 0 {
		t.Fatalf("the kiosk tried to repair untrusted content %d time(s):\n%s", n, logged)
	}
	if n := strings.Count(logged, "signed by no key this kiosk pins"); n != 1 {
		t.Fatalf("the untrusted content was logged %d times, want once:\n%s", n, logged)
	}

	r.hub.publish(t, signedBy(t, 3202, r.newKey), hub.StageEveryone)
	eventually(t, "the kiosk applies the generation signed by the new key", func() bool { return k.generation() == 3202 })
	eventually(t, "staff see it up to date", func() bool {
		s := k.client.Status()
		return s.Generation == 3202 && s.State == "idle" && s.ErrorKind == "" && s.LastError == ""
	})
	eventually(t, "the hub sees the kiosk show what it applied", func() bool {
		d := r.hub.Device(t, k.id)
		return d.Generation == 3202 && d.Shown == 0 && d.ErrorKind == "" && d.LastError == ""
	})
	if n := r.refetches.Load(); n != 0 {
		t.Fatalf("the kiosk fetched generation 3201 again %d time(s)", n)
	}
}

// TestUntrustedCurrentRolledBack: staff's "roll back" from the untrusted
// generation makes the shown one current, and the error goes.
func TestUntrustedCurrentRolledBack(t *testing.T) {
	r := startRotation(t)
	k := r.kiosk
	eventually(t, "the hub knows the kiosk shows 3200", func() bool { return r.hub.Device(t, k.id).Shown == 3200 })
	st, err := k.client.Rollback(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Generation != 3200 || k.generation() != 3200 || k.packs.Broken() != 0 {
		t.Fatalf("after roll back: status %d, serving %d, broken %d", st.Generation, k.generation(), k.packs.Broken())
	}
	r.rounds(t, 1)
	eventually(t, "staff and the hub see 3200, shown and current, without an error", func() bool {
		s, d := k.client.Status(), r.hub.Device(t, k.id)
		return s.ErrorKind == "" && s.LastError == "" && d.Generation == 3200 && d.Shown == 0 && d.ErrorKind == ""
	})
}

// TestUntrustedStatusForAnOlderHub: a hub that does not say it takes the
// shown generation (one from before it) never gets it, nor the error
// kind: it refuses a status with a field it does not know and would close
// the connection. It still reads why in last_error.
func TestUntrustedStatusForAnOlderHub(t *testing.T) {
	r := startRotation(t)
	eventually(t, "the kiosk shows 3200", func() bool { return r.hub.Device(t, r.kiosk.id).Shown == 3200 })
	r.kiosk.stop()
	older := startFakeHub(t, takeApart(t, r.newKey, signedBy(t, 3200, r.newKey)))
	k := startKioskPinning(t, r.dir, fakeCreds(older, r.newKey), []ed25519.PublicKey{public(r.newKey)}, nil)
	said := func() string { return strings.Join(older.received(), "\n") }
	eventually(t, "the older hub hears why", func() bool { return strings.Contains(said(), "not signed by any key this kiosk pins") })
	if k.generation() != 3200 || strings.Contains(said(), "shown_generation") || strings.Contains(said(), "error_kind") {
		t.Fatalf("showing %d, the kiosk sent an older hub:\n%s", k.generation(), said())
	}
}
