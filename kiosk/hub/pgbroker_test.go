package hub

import (
	"context"
	"database/sql"
	"log/slog"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/pgtest"
	"tramso/kiosk/testlog"
)

// testBroker is a PGBroker on a fresh migrated database, subscribed until
// the test ends, with its first event (the catch-up) already read.
func testBroker(t *testing.T) (*PGBroker, <-chan Event, *sql.DB, *testlog.Buffer) {
	t.Helper()
	dsn := pgtest.DSN(t)
	db, err := openPostgres(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	logs := &testlog.Buffer{}
	b := NewPGBroker(dsn, db, slog.New(slog.NewTextHandler(logs, nil)))
	b.minBackoff, b.maxBackoff = 20*time.Millisecond, 200*time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	events := b.Subscribe(ctx)
	t.Cleanup(func() {
		cancel()
		for range events { // the channel closes once the listener has stopped
		}
	})
	wantEvent(t, events, Event{Kind: EventRollout}, "the catch-up after connecting")
	return b, events, db, logs
}

func wantEvent(t *testing.T, events <-chan Event, want Event, what string) {
	t.Helper()
	select {
	case ev, ok := <-events:
		if !ok || ev != want {
			t.Fatalf("%s: got %+v (open %v), want %+v", what, ev, ok, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: no event", what)
	}
}

func wantNoEvent(t *testing.T, events <-chan Event, what string) {
	t.Helper()
	select {
	case ev := <-events:
		t.Fatalf("%s: unexpected event %+v", what, ev)
	case <-time.After(300 * time.Millisecond):
	}
}

func TestPGBrokerPublishReachesEverySubscriber(t *testing.T) {
	b, events, db, _ := testBroker(t)
	other := NewPGBroker(b.dsn, db, b.log)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	theirs := other.Subscribe(ctx)
	wantEvent(t, theirs, Event{Kind: EventRollout}, "the second listener's catch-up")
	ev := Event{Kind: EventRevoked, DeviceID: "kabc"}
	if err := b.Publish(ctx, ev); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, events, ev, "the publisher's own listener")
	wantEvent(t, theirs, ev, "another listener")
}

// Anyone who can connect may notify the channel: what is not an event is
// logged and dropped, and the listener carries on.
func TestPGBrokerDropsMalformedPayloads(t *testing.T) {
	b, events, db, logs := testBroker(t)
	for _, payload := range []string{
		"garbage",
		`{"kind":"revoked"}`,
		`{"kind":"revoked","device_id":"` + strings.Repeat("k", 65) + `"}`,
		`{"kind":"rollout","device_id":"k1"}`,
		`{"kind":"explode"}`,
		`{"kind":"rollout","extra":1}`,
		`{"kind":"rollout","kind":"revoked"}`,
		`{"kind":"rollout"} {"kind":"rollout"}`,
		`[]`, `null`, ``,
	} {
		if _, err := db.Exec(`SELECT pg_notify($1, $2)`, PGChannel, payload); err != nil {
			t.Fatal(err)
		}
	}
	ev := Event{Kind: EventWave, DeviceID: "k2"}
	if err := b.Publish(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, events, ev, "the first well-formed event after the garbage")
	if n := strings.Count(logs.String(), "dropped a malformed notification"); n != 11 {
		t.Fatalf("%d malformed notifications logged, want 11:\n%s", n, logs)
	}
}

// The listening connection dies: the broker reconnects, delivers a catch-up
// EventRollout (what was notified in the gap is lost) and listens again.
func TestPGBrokerReconnects(t *testing.T) {
	b, events, db, logs := testBroker(t)
	var killed int
	if err := db.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = 'tramso hub events' AND datname = current_database()`).Scan(&killed); err != nil || killed != 1 {
		t.Fatalf("terminated %d listening connections (%v), want 1", killed, err)
	}
	wantEvent(t, events, Event{Kind: EventRollout}, "the catch-up after reconnecting")
	ev := Event{Kind: EventRevoked, DeviceID: "k3"}
	if err := b.Publish(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, events, ev, "an event after reconnecting")
	if !strings.Contains(logs.String(), "reconnecting") {
		t.Fatalf("the lost connection is not logged:\n%s", logs)
	}
}

// A transaction that bumps fleet_version notifies when, and only if, it
// commits: a hub's publish, or `tramso hub publish` from another process.
func TestFleetVersionTriggerNotifiesOnCommit(t *testing.T) {
	_, events, db, _ := testBroker(t)
	bump := func(commit bool) {
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if err := bumpFleetVersion(context.Background(), tx); err != nil {
			t.Fatal(err)
		}
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	bump(false)
	wantNoEvent(t, events, "a rolled-back change")
	bump(true)
	wantEvent(t, events, Event{Kind: EventRollout}, "a committed change")
}
