package hub

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/pgtest"
	"tramso/kiosk/testlog"
)

// Two hubs on one PostgreSQL database, each with its own HTTP server, as
// two processes behind a load balancer would run: what one hub does, the
// other must act on. (Helper E's process tests do the same with real
// processes and SIGKILL.)

// twoHubs opens two running hubs on one fresh PostgreSQL database.
func twoHubs(t *testing.T, opts Options) (a, b *Hub, srvA, srvB *httptest.Server) {
	t.Helper()
	opts.Database = pgtest.DSN(t)
	a, srvA = startTestHub(t, opts)
	b, srvB = startTestHub(t, opts)
	for _, h := range []*Hub{a, b} {
		if _, ok := h.broker.(*PGBroker); !ok {
			t.Fatalf("a hub on PostgreSQL has broker %T, want the PGBroker", h.broker)
		}
	}
	return a, b, srvA, srvB
}

func TestTwoHubsAnnounceWithinTwoSeconds(t *testing.T) {
	a, b, srvA, _ := twoHubs(t, Options{})
	_, token := newDevice(t, b)
	ws := dial(t, srvA, token)
	readWelcome(t, ws)
	for i, gen := range []int64{1764000001, 1764000002, 1764000003} {
		start := time.Now()
		publishEmpty(t, b, gen, StageEveryone)
		if got := readAnnounce(t, ws); got != gen {
			t.Fatalf("announcement %d: generation %d, want %d", i, got, gen)
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Fatalf("a pack published through hub B reached hub A's kiosk after %v; want within 2 s", took)
		}
	}
	// A command (`tramso hub publish --db …`) opens the database, publishes and
	// exits: its transaction's trigger tells the running hubs.
	cli, err := Open(Options{Dir: t.TempDir(), Database: a.opts.Database, Log: testlog.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	publishEmpty(t, cli, 1764000004, StageEveryone)
	cli.Close()
	if got := readAnnounce(t, ws); got != 1764000004 || time.Since(start) > 2*time.Second {
		t.Fatalf("published by a command: generation %d after %v", got, time.Since(start))
	}
}

func TestTwoHubsRevokeClosesTheOtherHubsSocket(t *testing.T) {
	_, b, srvA, _ := twoHubs(t, Options{})
	id, token := newDevice(t, b)
	ws := dial(t, srvA, token)
	readWelcome(t, ws)
	if err := b.Revoke(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	m := readMessage(t, ws)
	if bye, ok := m.Body.(*hubproto.Bye); !ok || bye.Reason != "revoked" {
		t.Fatalf("after revoking on hub B, hub A's kiosk got %+v; want a bye for revocation", m)
	}
	_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, _, err := ws.ReadMessage(); err == nil {
		t.Fatal("the revoked kiosk's socket stays open")
	}
}

func TestTwoHubsWaveChangeReachesTheOtherHub(t *testing.T) {
	_, b, srvA, _ := twoHubs(t, Options{})
	id, token := newDevice(t, b)
	publishEmpty(t, b, 1764000010, StageTest)
	ws := dial(t, srvA, token)
	if w := readWelcome(t, ws); w.TargetGeneration != 0 {
		t.Fatalf("a kiosk outside the test group is offered %d", w.TargetGeneration)
	}
	if err := b.SetWave(context.Background(), id, WaveTest); err != nil {
		t.Fatal(err)
	}
	if got := readAnnounce(t, ws); got != 1764000010 {
		t.Fatalf("after joining the test group on hub B: announced %d", got)
	}
}

// Guesses spread over two hubs count as guesses on one.
func TestTwoHubsShareGuessLimits(t *testing.T) {
	a, b, _, _ := twoHubs(t, Options{})
	if err := a.CreateAdmin(context.Background(), "tinh", testPassword); err != nil {
		t.Fatal(err)
	}
	hubs := []http.Handler{a.Handler(), b.Handler()}
	const stranger = "203.0.113.7"
	for i := range loginPerAccount {
		if code := loginFrom(t, hubs[i%2], stranger, "tinh", fmt.Sprint("đoán ", i)); code != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, code)
		}
	}
	for i, hd := range hubs {
		if code := loginFrom(t, hd, stranger, "tinh", testPassword); code != http.StatusTooManyRequests {
			t.Fatalf("hub %d after %d wrong passwords spread over two hubs: %d, want 429", i, loginPerAccount, code)
		}
	}
	for i := range enrollPerAddress {
		if code := enrollFrom(hubs[i%2], stranger, fmt.Sprintf("AAAA-BBBB-%04d", i)); code != http.StatusForbidden {
			t.Fatalf("wrong code %d: %d", i, code)
		}
	}
	good, _ := a.CreateCode(context.Background(), "Ea Kao", "test")
	for i, hd := range hubs {
		if code := enrollFrom(hd, stranger, good); code != http.StatusTooManyRequests {
			t.Fatalf("hub %d after %d wrong codes spread over two hubs: %d, want 429", i, enrollPerAddress, code)
		}
	}
	if code := enrollFrom(hubs[1], "198.51.100.20", good); code != http.StatusOK {
		t.Fatalf("enrolment from another address: %d", code)
	}
}

// A device token used on both hubs gets one rate.
func TestTwoHubsShareDeviceLimits(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	_, b, srvA, srvB := twoHubs(t, Options{Now: func() time.Time { return now }})
	_, token := newDevice(t, b)
	good := `[{"day":"2026-11-26","metric":"sessions","key":"","count":1}]`
	urls := []string{srvA.URL, srvB.URL}
	for i := range int(usageRate.burst) {
		if code, msg := postUsage(t, urls[i%2], token, good); code != http.StatusOK {
			t.Fatalf("upload %d: %d %s", i, code, msg)
		}
	}
	for i, u := range urls {
		if code, _ := postUsage(t, u, token, good); code != http.StatusTooManyRequests {
			t.Fatalf("hub %d after the burst was spent on two hubs: %d, want 429", i, code)
		}
	}
}

// enrollRace spends one code from many goroutines on hubs and reports how
// many enrollments succeeded; every other must be ErrBadCode.
func enrollRace(t *testing.T, hubs []*Hub, perHub int) int {
	t.Helper()
	code, err := hubs[0].CreateCode(context.Background(), "Ea Kao", "test")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	won := 0
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, h := range hubs {
		for range perHub {
			wg.Go(func() {
				<-start
				_, err := h.Enroll(context.Background(), code, "")
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won++
				case !errors.Is(err, ErrBadCode):
					t.Errorf("enroll: %v; want success or ErrBadCode", err)
				}
			})
		}
	}
	close(start)
	wg.Wait()
	return won
}

func TestTwoHubsSpendACodeOnce(t *testing.T) {
	a, b, _, _ := twoHubs(t, Options{})
	const rounds = 5
	for round := range rounds {
		if won := enrollRace(t, []*Hub{a, b}, 12); won != 1 {
			t.Fatalf("round %d: one code raced on two hubs enrolled %d devices", round, won)
		}
	}
	var n int
	if err := a.DB.QueryRow(`SELECT count(*) FROM devices`).Scan(&n); err != nil || n != rounds {
		t.Fatalf("%d devices (%v) after %d codes", n, err, rounds)
	}
}

// The same race on one hub, on whichever database the suite runs.
func TestSpendACodeOnce(t *testing.T) {
	h := runTestHub(t, Options{})
	if won := enrollRace(t, []*Hub{h}, 16); won != 1 {
		t.Fatalf("one code raced on one hub enrolled %d devices", won)
	}
}

// presenceEvents counts a device's online and offline events.
func presenceEvents(t *testing.T, h *Hub, id string) (online, offline int) {
	t.Helper()
	hist, err := h.History(context.Background(), id, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range hist {
		switch e.What {
		case eventKinds["online"]:
			online++
		case eventKinds["offline"]:
			offline++
		}
	}
	return online, offline
}

func onlineOn(t *testing.T, h *Hub, id string) bool {
	t.Helper()
	return deviceByID(t, h, id).Online
}

// A kiosk on hub A is online on hub B's fleet page; moving from A to B
// writes no offline/online pair; leaving for good writes one offline.
func TestTwoHubsSharePresence(t *testing.T) {
	flush := 200 * time.Millisecond // the grace is offlineGrace flushes: 1 s
	a, b, srvA, srvB := twoHubs(t, Options{FlushEvery: flush})
	id, token := newDevice(t, a)
	ws := dial(t, srvA, token)
	readWelcome(t, ws)
	eventually(t, "the kiosk on hub A is online on hub B", func() bool { return onlineOn(t, b, id) })

	ws.Close() // the kiosk moves to hub B at once, as after hub A's restart
	ws = dial(t, srvB, token)
	readWelcome(t, ws)
	eventually(t, "hub A has released it", func() bool { return a.Connected() == 0 })
	time.Sleep(3 * offlineGrace * flush)
	if !onlineOn(t, a, id) || !onlineOn(t, b, id) {
		t.Fatal("the kiosk on hub B is not online on both hubs")
	}
	if on, off := presenceEvents(t, a, id); on != 1 || off != 0 {
		t.Fatalf("moving between hubs wrote %d online and %d offline events; want 1 and 0", on, off)
	}

	ws.Close()
	eventually(t, "the kiosk that left is offline on hub A", func() bool { return !onlineOn(t, a, id) })
	eventually(t, "one offline event", func() bool { _, off := presenceEvents(t, b, id); return off == 1 })
	time.Sleep(3 * offlineGrace * flush)
	if on, off := presenceEvents(t, b, id); on != 1 || off != 1 {
		t.Fatalf("after leaving: %d online and %d offline events; want 1 and 1", on, off)
	}
}

// A hub that died without a word (its row stale) has its kiosks released by
// any other hub, and their offline events carry the time it was last heard.
func TestDeadHubsKiosksGoOffline(t *testing.T) {
	h := runTestHub(t, Options{})
	id, _ := newDevice(t, h)
	ctx := context.Background()
	lastHeard := h.now().Add(-time.Hour).UTC().Format(time.RFC3339)
	mustExec(t, h.DB, `INSERT INTO hubs(id, seen_at) VALUES ('ghost', $1)`, lastHeard)
	mustExec(t, h.DB, `UPDATE devices SET connected_hub = 'ghost', presence = 'online' WHERE id = $1`, id)
	eventually(t, "the dead hub's kiosk goes offline", func() bool {
		_, off := presenceEvents(t, h, id)
		return off == 1
	})
	hist, _ := h.History(ctx, id, 10)
	if hist[0].At != lastHeard || onlineOn(t, h, id) {
		t.Fatalf("offline at %s (want %s, when its hub was last heard), online %v", hist[0].At, lastHeard, onlineOn(t, h, id))
	}
	var left int
	if err := h.DB.QueryRow(`SELECT count(*) FROM hubs WHERE id = 'ghost'`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("the dead hub's row: %d (%v)", left, err)
	}
}

func mustExec(t *testing.T, db *sql.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatal(err)
	}
}

// A hub that another took for dead (its row deleted, its kiosks released)
// claims its kiosks again at its next heartbeat.
func TestHubTakenForDeadClaimsAgain(t *testing.T) {
	h, srv := startTestHub(t, Options{Heartbeat: 5 * time.Second})
	id, token := newDevice(t, h)
	ws := dial(t, srv, token)
	readWelcome(t, ws)
	eventually(t, "online", func() bool { return onlineOn(t, h, id) })
	mustExec(t, h.DB, `DELETE FROM hubs`)
	mustExec(t, h.DB, `UPDATE devices SET connected_hub = NULL`)
	if onlineOn(t, h, id) {
		t.Fatal("a released kiosk is online before its hub's heartbeat")
	}
	eventually(t, "claimed again", func() bool { return onlineOn(t, h, id) })
}

// A wave change or a revocation whose event never came (a broker was
// reconnecting) is repaired by the next rollout event.
func TestLostDeviceEventsRepairedByTheNextRollout(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	moved, movedToken := newDevice(t, h)
	revoked, revokedToken := newDevice(t, h)
	wsMoved, wsRevoked := dial(t, srv, movedToken), dial(t, srv, revokedToken)
	readWelcome(t, wsMoved)
	readWelcome(t, wsRevoked)
	// What SetWave and Revoke write, without their events.
	mustExec(t, h.DB, `UPDATE devices SET wave = 0 WHERE id = $1`, moved)
	mustExec(t, h.DB, `UPDATE devices SET revoked_at = $1 WHERE id = $2`, h.stamp(), revoked)
	publishEmpty(t, h, 1764000020, StageTest)
	if got := readAnnounce(t, wsMoved); got != 1764000020 {
		t.Fatalf("the kiosk moved to the test group was announced %d", got)
	}
	m := readMessage(t, wsRevoked)
	if bye, ok := m.Body.(*hubproto.Bye); !ok || bye.Reason != "revoked" {
		t.Fatalf("the revoked kiosk got %+v; want a bye for revocation", m)
	}
}
