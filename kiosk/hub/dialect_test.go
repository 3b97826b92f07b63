package hub

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
	"tramso/kiosk/pgtest"
)

// TestLoginNameOfAnyBytes: a login form's user name is whatever the client
// sent. One with a NUL byte or bytes that are not UTF-8 (which PostgreSQL's
// TEXT refuses, and SQLite stores) is a wrong login like any other on both
// databases: answered 401, counted, and in the audit log, never a 500 that
// leaves no trace.
func TestLoginNameOfAnyBytes(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	if err := h.CreateAdmin(context.Background(), "tinh", "mật khẩu đủ dài"); err != nil {
		t.Fatal(err)
	}
	names := []string{"tinh\x00", "ti\xffnh"}
	for _, name := range names {
		if code := newAdmin(t, srv).login(name, "mật khẩu đủ dài"); code != http.StatusUnauthorized {
			t.Errorf("login as %q: %d, want 401", name, code)
		}
	}
	log, err := h.Audit(context.Background(), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, e := range log {
		if e.Action == "login_failed" {
			failed++
		}
	}
	if failed != len(names) {
		t.Fatalf("audit log %+v: want %d failed logins", log, len(names))
	}
	// A name pasted with a space around it is still the name.
	if code := newAdmin(t, srv).login(" tinh\t", "mật khẩu đủ dài"); code != http.StatusOK {
		t.Errorf("login as \" tinh\\t\": %d, want 200", code)
	}
}

// TestPackLabelsReadBuildTime: the console names a pack by the build time in
// its stored manifest, read by SQL that each database spells its own way
// (manifestCreated); a manifest without one shows none, and neither does a
// generation numbered by hand, whose "created" reads as 1970.
func TestPackLabelsReadBuildTime(t *testing.T) {
	h := runTestHub(t, Options{})
	ctx := context.Background()
	for _, p := range []struct {
		gen int64
		raw string
	}{
		{500, `{"generation":500,"title":"Tháng 12","created":"2026-11-30T03:04:05Z"}`},
		{501, `{"generation":501}`},
		{4101, `{"generation":4101,"created":"1970-01-01T01:08:21Z"}`},
	} {
		if err := h.PublishManifest(ctx, []byte(p.raw), []byte("{}"), &pack.Manifest{Generation: p.gen},
			PublishOptions{Stage: StageTest, By: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	labels, err := h.packLabels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := labels[500].Built.ISO; !strings.HasPrefix(got, "2026-11-30T") {
		t.Errorf("generation 500 built %+v, want 2026-11-30T03:04:05Z", labels[500].Built)
	}
	for _, gen := range []int64{501, 4101} {
		if got := labels[gen].Built; got != (timeView{}) {
			t.Errorf("generation %d has no build time, shows %+v", gen, got)
		}
	}
}

// TestTwoHubsFlushSameDevicesTogether: two hubs on one PostgreSQL flushing
// live state for the same devices at once (a kiosk that moved from one to
// the other is pending on both) never deadlock, which would lose a whole
// flush: each locks its rows in id order first (lockDevices). One hub has a
// status for the devices the other only saw, and the other way round, so
// their writes touch the rows in opposite orders.
func TestTwoHubsFlushSameDevicesTogether(t *testing.T) {
	a, b := twoHubsOnePostgres(t)
	ids := deviceIDs(300)
	enroll(t, a, ids)
	for round := range 10 {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for n, h := range []*Hub{a, b} {
			for i, id := range ids {
				if i%2 == n {
					h.live.status(id, hubproto.Status{Generation: int64(round), State: hubproto.StateIdle}, time.Now())
				} else {
					h.live.seen(id, time.Now())
				}
			}
			wg.Go(func() { errs[n] = h.writeLive(context.Background(), h.live.take()) })
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
}

// TestTwoHubsPublishTogether: the same generation published through two
// hubs at once is published once, and the other publisher is told it is not
// newer (not a database error): a publish rechecks inside its transaction,
// after the fleet version's row lock has made it wait for the other.
func TestTwoHubsPublishTogether(t *testing.T) {
	dsn := pgtest.DSN(t)
	hubs := []*Hub{runTestHub(t, Options{Database: dsn}), runTestHub(t, Options{Database: dsn})}
	for round := range 20 {
		gen := int64(1000 + round)
		raw := []byte(fmt.Sprintf(`{"generation":%d}`, gen))
		errs := make([]error, len(hubs))
		var wg sync.WaitGroup
		for i, h := range hubs {
			wg.Go(func() {
				errs[i] = h.PublishManifest(context.Background(), raw, []byte("{}"), &pack.Manifest{Generation: gen},
					PublishOptions{Stage: StageEveryone, By: "test"})
			})
		}
		wg.Wait()
		published := 0
		for _, err := range errs {
			if err == nil {
				published++
			} else if !strings.Contains(err.Error(), "not newer") {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if published != 1 {
			t.Fatalf("round %d: published %d times: %v", round, published, errs)
		}
	}
}

// TestStatusHistoryInOneFlush: a flush of several kiosks' statuses (one
// statement for all of them on PostgreSQL, one per kiosk on SQLite) records
// in each kiosk's history the change of generation, from what the database
// held, and an error only when it is new.
func TestStatusHistoryInOneFlush(t *testing.T) {
	h := runTestHub(t, Options{FlushEvery: time.Hour})
	ctx := context.Background()
	var ids []string
	for range 3 {
		id, _ := newDevice(t, h)
		ids = append(ids, id)
	}
	for _, s := range []hubproto.Status{
		{Generation: 600, AppVersion: "1.4.0", State: hubproto.StateFailed, LastError: "đĩa đầy"},
		{Generation: 700, AppVersion: "1.4.0", State: hubproto.StateFailed, LastError: "đĩa đầy"},
		{Generation: 700, AppVersion: "1.4.0", State: hubproto.StateIdle, LastError: ""},
	} {
		for _, id := range ids {
			h.live.status(id, s, time.Now())
		}
		if err := h.writeLive(ctx, h.live.take()); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range ids {
		got := historyLines(t, h, id)
		slices.Sort(got)
		want := []string{eventKinds["error"] + "|đĩa đầy", eventKinds["generation"] + "|600 → 700",
			eventKinds["generation"] + "|chưa báo → 600"}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("device %s history %q, want %q", id, got, want)
		}
	}
}

// TestDescribeDatabase: what logs and errors call a database, never with
// its password.
func TestDescribeDatabase(t *testing.T) {
	for dsn, want := range map[string]string{
		"": "sqlite",
		"postgres://hub:pw-1@db1.tinh.example:5432/tramso_hub?sslmode=verify-full": "postgres://db1.tinh.example:5432/tramso_hub",
		"postgresql:///tramso_hub?host=/run/postgresql&password=pw-2":              "postgresql:///run/postgresql/tramso_hub",
		"hub.db":             "(not a URL)",
		"mysql://u:pw-3@x/y": "mysql://x/y",
	} {
		if got := DescribeDatabase(dsn); got != want || strings.Contains(got, "pw-") {
			t.Errorf("DescribeDatabase(%q) = %q, want %q", dsn, got, want)
		}
	}
}

// TestTwoHubsSweepWhileClaiming: one hub's sweep (kiosks left unclaimed go
// offline) and another's flush claiming the same kiosks, at once, on one
// PostgreSQL, never deadlock (which would lose both a sweep and a flush).
// The sweep's UPDATE visits rows in its index's order, which is not id
// order when devices were enrolled in another order; so both lock the rows
// in id order first.
func TestTwoHubsSweepWhileClaiming(t *testing.T) {
	a, b := twoHubsOnePostgres(t)
	ids := deviceIDs(300)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	enroll(t, a, ids) // in shuffled order: the index is not in id order
	conns := make([]*conn, len(ids))
	for i, id := range ids {
		conns[i] = &conn{id: id}
	}
	now := time.Now()
	left := now.Add(-24 * time.Hour).UTC().Format(time.RFC3339) // past offlineGrace flushes
	for round := range 8 {
		// Every kiosk online, held by no hub, left a day ago: due to go offline.
		if _, err := a.DB.Exec(`UPDATE devices SET presence = 'online', connected_hub = NULL, left_at = $1`, left); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Go(func() { errs[0] = a.sweepPresence(context.Background(), now) })
		wg.Go(func() { errs[1] = b.writePresence(context.Background(), now, false, conns, conns, nil) })
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
}

// twoHubsOnePostgres runs two hubs on one new PostgreSQL database, flushing
// only when a test asks.
func twoHubsOnePostgres(t *testing.T) (a, b *Hub) {
	dsn := pgtest.DSN(t)
	return runTestHub(t, Options{Database: dsn, FlushEvery: time.Hour}), runTestHub(t, Options{Database: dsn, FlushEvery: time.Hour})
}

// deviceIDs is n device ids in id order.
func deviceIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("k%05d", i)
	}
	return ids
}

// enroll inserts the devices, in the order given.
func enroll(t *testing.T, h *Hub, ids []string) {
	for _, id := range ids {
		if _, err := h.DB.Exec(`INSERT INTO devices(id, token_hash, name, enrolled_at) VALUES ($1, 'x', $1, $2)`,
			id, h.stamp()); err != nil {
			t.Fatal(err)
		}
	}
}
