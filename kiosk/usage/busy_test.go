package usage

import (
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/store"
	"tramso/kiosk/testlog"
)

// lockDatabase holds BEGIN EXCLUSIVE on the kiosk's database file from a
// second connection, as a technician's sqlite3 session does, until the
// returned func commits.
func lockDatabase(t *testing.T, dir string) (unlock func()) {
	t.Helper()
	other, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), `BEGIN EXCLUSIVE`); err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := conn.ExecContext(context.Background(), `COMMIT`); err != nil {
			t.Fatal(err)
		}
		conn.Close()
	}
}

// busyStore opens a real kiosk database whose writes give up on a lock after
// 50 ms rather than the kiosk's 5 s, so the test tries many flushes quickly.
func busyStore(t *testing.T) *store.Store {
	st := openStore(t)
	st.DB.SetMaxOpenConns(1) // busy_timeout is per connection
	if _, err := st.DB.Exec(`PRAGMA busy_timeout = 50`); err != nil {
		t.Fatal(err)
	}
	return st
}

// A database locked for a while by another program loses no events: they
// wait in memory and are written once it is free; the lock is logged once
// and its end once, not a line per flush (outside QA F19).
func TestBusyDatabaseKeepsEvents(t *testing.T) {
	st := busyStore(t)
	var out testlog.Buffer
	clk := &clock{t: time.Date(2026, 11, 27, 9, 30, 0, 0, vn)}
	l := newTestLog(t, st.DB, clk, Options{Log: slog.New(slog.NewTextHandler(&out, nil))})
	unlock := lockDatabase(t, st.Dir)

	s := l.StartSession()
	for range 10 { // ten flushes while locked: a lock of 50 s at the kiosk's 5 s busy timeout
		submit(t, l, Event{Type: AudioUsed, Session: s})
		flush(t, l)
	}
	state := l.State()
	if state.Dropped != 0 || state.Written != 0 || !state.Enabled || !strings.Contains(state.Warning, "busy") {
		t.Fatalf("while locked: state %+v, want nothing dropped or written, logging on, a warning that the database is busy", state)
	}
	if n := strings.Count(out.String(), "level=WARN"); n != 1 {
		t.Fatalf("%d warnings for one lock, want 1:\n%s", n, out.String())
	}

	unlock()
	flush(t, l)
	if got := l.State(); got.Dropped != 0 || got.Written != 11 || got.Warning != "" {
		t.Fatalf("after the lock: state %+v, want the 11 events written and no warning", got)
	}
	if n := count(t, st.DB, `SELECT count(*) FROM usage_events`); n != 11 {
		t.Fatalf("%d events stored, want 11 (a session start and 10 events)", n)
	}
	if !strings.Contains(out.String(), "database is free again") {
		t.Fatalf("the end of the lock is not logged:\n%s", out.String())
	}
}

// What waits for a busy database is bounded (QueueSize rows): beyond it,
// events are dropped and counted, and the count is stored once it is free.
func TestBusyDatabaseBound(t *testing.T) {
	st := busyStore(t)
	clk := &clock{t: time.Date(2026, 11, 27, 9, 30, 0, 0, vn)}
	l := newTestLog(t, st.DB, clk, Options{QueueSize: 8})
	unlock := lockDatabase(t, st.Dir)

	s := l.StartSession()
	for range 4 {
		submit(t, l, repeat(Event{Type: AudioUsed, Session: s}, 4)...)
		flush(t, l)
	}
	if got := l.State(); got.Dropped != 17-8 || got.Written != 0 {
		t.Fatalf("while locked: state %+v, want 8 of 17 events kept and 9 dropped", got)
	}
	unlock()
	flush(t, l)
	if got := l.State(); got.Written != 8 || got.Dropped != 9 {
		t.Fatalf("after the lock: state %+v, want the 8 kept events written", got)
	}
	if n := count(t, st.DB, `SELECT count(*) FROM usage_events`); n != 8 {
		t.Fatalf("%d events stored, want 8", n)
	}
	if n := count(t, st.DB, `SELECT count FROM usage_daily WHERE day = '2026-11-27' AND metric = 'events_dropped'`); n != 9 {
		t.Fatalf("%d drops stored, want 9", n)
	}
}
