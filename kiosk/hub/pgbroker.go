package hub

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/strictjson"
)

// PGChannel is the PostgreSQL notification channel hubs share. The
// fleet_version trigger (migrations/postgres/0006_shared_limits.sql) sends
// on it too, so it must not change alone.
const PGChannel = "tramso_hub"

// PGBroker fans events out to every hub on one PostgreSQL database with
// LISTEN/NOTIFY. Publish is pg_notify through the hub's pool; each
// Subscribe holds one connection of its own (pgx, outside the pool: LISTEN
// belongs to a session) waiting for notifications.
//
// Notifications are not stored: those sent while a listener reconnects are
// lost. After every (re)connection the listener therefore delivers an
// EventRollout, which makes the hub reload its rollouts from the database,
// announce what changed and close revoked kiosks' connections; and the hub
// still polls fleet_version every 2 s (Hub.Run) as the last safety net.
type PGBroker struct {
	dsn string
	db  *sql.DB
	log *slog.Logger

	// minBackoff and maxBackoff bound the wait before reconnecting
	// (capped exponential, full jitter); ping is how long the listener
	// waits in silence before checking its connection is still alive.
	minBackoff, maxBackoff, ping time.Duration
}

// NewPGBroker returns a broker on the database at dsn; db is the hub's pool
// on the same database, for Publish.
func NewPGBroker(dsn string, db *sql.DB, log *slog.Logger) *PGBroker {
	return &PGBroker{dsn: dsn, db: db, log: log,
		minBackoff: 500 * time.Millisecond, maxBackoff: 30 * time.Second, ping: 30 * time.Second}
}

// Publish implements Broker. The notification goes out when the statement
// commits (at once: it runs on its own); every listening hub receives it,
// this one included.
func (b *PGBroker) Publish(ctx context.Context, ev Event) error {
	payload, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	if _, err := b.db.ExecContext(ctx, `SELECT pg_notify($1, $2)`, PGChannel, string(payload)); err != nil {
		return fmt.Errorf("publish hub event %s: %w", ev.Kind, err)
	}
	return nil
}

// Subscribe implements Broker: it listens until ctx ends, reconnecting with
// backoff whenever the connection fails.
func (b *PGBroker) Subscribe(ctx context.Context) <-chan Event {
	out := make(chan Event, 64)
	go b.listen(ctx, out)
	return out
}

func (b *PGBroker) listen(ctx context.Context, out chan<- Event) {
	defer close(out)
	failures := 0
	for ctx.Err() == nil {
		err := b.session(ctx, out, &failures)
		if ctx.Err() != nil {
			return
		}
		delay := b.backoff(failures)
		failures++
		b.log.Warn("hub events: lost the PostgreSQL listening connection; reconnecting",
			"database", DescribeDatabase(b.dsn), "err", scrub(err, b.dsn), "in", delay.Round(time.Millisecond))
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
	}
}

// session is one listening connection: LISTEN, the catch-up EventRollout,
// then every notification until the connection fails or ctx ends.
func (b *PGBroker) session(ctx context.Context, out chan<- Event, failures *int) error {
	conn, err := b.connect(ctx)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{PGChannel}.Sanitize()); err != nil {
		return err
	}
	if *failures > 0 {
		b.log.Info("hub events: listening again", "database", DescribeDatabase(b.dsn))
	}
	*failures = 0
	// Whatever was notified before LISTEN took effect is lost: catch up.
	if !deliver(ctx, out, Event{Kind: EventRollout}) {
		return ctx.Err()
	}
	for {
		n, err := b.wait(ctx, conn)
		if err != nil {
			return err
		}
		if n == nil || n.Channel != PGChannel {
			continue
		}
		ev, err := decodeEvent(n.Payload)
		if err != nil {
			b.log.Warn("hub events: dropped a malformed notification", "err", err, "payload", hubproto.Clip(n.Payload, 200))
			continue
		}
		if !deliver(ctx, out, ev) {
			return ctx.Err()
		}
	}
}

// wait returns the next notification, or nil after b.ping of silence once
// a round trip has shown the connection alive: a connection cut without a
// word (a dead network path) would otherwise wait forever.
func (b *PGBroker) wait(ctx context.Context, conn *pgx.Conn) (*pgconn.Notification, error) {
	waitCtx, cancel := context.WithTimeout(ctx, b.ping)
	n, err := conn.WaitForNotification(waitCtx)
	cancel()
	if err == nil {
		return n, nil
	}
	if ctx.Err() != nil || !errors.Is(waitCtx.Err(), context.DeadlineExceeded) {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return nil, conn.Ping(pingCtx)
}

func (b *PGBroker) connect(ctx context.Context) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(b.dsn)
	if err != nil {
		return nil, err
	}
	cfg.RuntimeParams["application_name"] = "tramso hub events"
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	return pgx.ConnectConfig(ctx, cfg)
}

func (b *PGBroker) backoff(failures int) time.Duration {
	d := b.minBackoff << min(failures, 16)
	if d > b.maxBackoff || d <= 0 {
		d = b.maxBackoff
	}
	return b.minBackoff/2 + rand.N(d)
}

// deliver hands ev to the hub, waiting if it is busy (a revocation must not
// be dropped); it reports false when ctx ended first.
func deliver(ctx context.Context, out chan<- Event, ev Event) bool {
	select {
	case out <- ev:
		return true
	case <-ctx.Done():
		return false
	}
}

// decodeEvent reads a notification's payload. Anyone who can connect to the
// database can notify the channel, so the payload is checked like any
// message from outside: strict JSON, a known kind, a device id where one
// belongs.
func decodeEvent(payload string) (Event, error) {
	var ev Event
	if err := strictjson.Unmarshal([]byte(payload), &ev); err != nil {
		return Event{}, err
	}
	switch ev.Kind {
	case EventRollout:
		if ev.DeviceID != "" {
			return Event{}, errors.New("a rollout event names no device")
		}
	case EventRevoked, EventWave:
		if ev.DeviceID == "" || len(ev.DeviceID) > 64 {
			return Event{}, fmt.Errorf("a %s event needs a device id of 1 to 64 bytes", ev.Kind)
		}
	default:
		return Event{}, fmt.Errorf("unknown kind %q", hubproto.Clip(ev.Kind, 40))
	}
	return ev, nil
}
