package watchdog

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// notifySocket is a tiny stand-in for systemd's notify socket: a real
// unixgram socket whose datagrams arrive on the returned channel.
func notifySocket(t *testing.T, name string) <-chan string {
	t.Helper()
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	msgs := make(chan string, 1024)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				close(msgs)
				return
			}
			msgs <- string(buf[:n])
		}
	}()
	t.Cleanup(func() { conn.Close() })
	return msgs
}

// next waits for the next message, failing the test after a generous while.
func next(t *testing.T, msgs <-chan string) string {
	t.Helper()
	select {
	case m := <-msgs:
		return m
	case <-time.After(30 * time.Second):
		t.Fatal("no sd_notify message within 30 s")
		return ""
	}
}

// quietFor waits until no WATCHDOG=1 has arrived for d, within limit.
func quietFor(msgs <-chan string, d, limit time.Duration) bool {
	deadline := time.After(limit)
	for {
		select {
		case m := <-msgs:
			if m != "WATCHDOG=1" {
				return false
			}
		case <-time.After(d):
			return true
		case <-deadline:
			return false
		}
	}
}

func TestNotifyPathAndAbstractSockets(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "notify")
	abstract := "@tramso-test-" + filepath.Base(dir)
	for _, tt := range []struct{ socket, listen string }{
		{path, path},
		{abstract, "\x00" + abstract[1:]},
	} {
		msgs := notifySocket(t, tt.listen)
		if err := (Notifier{Socket: tt.socket}).Notify("READY=1"); err != nil {
			t.Fatalf("Notify via %q: %v", tt.socket, err)
		}
		if m := next(t, msgs); m != "READY=1" {
			t.Errorf("got %q", m)
		}
	}
}

func TestNotifyWithoutSystemdDoesNothing(t *testing.T) {
	if err := (Notifier{}).Notify("READY=1"); err != nil {
		t.Fatal(err)
	}
	if err := (Notifier{Socket: "relative"}).Notify("READY=1"); err == nil {
		t.Fatal("a relative NOTIFY_SOCKET must be an error")
	}
}

func TestInterval(t *testing.T) {
	for _, tt := range []struct {
		env  string
		want time.Duration
		ok   bool
	}{
		{"", 0, true},
		{"60000000", time.Minute, true},
		{"0", 0, false},
		{"soon", 0, false},
	} {
		t.Setenv("WATCHDOG_USEC", tt.env)
		got, err := Interval()
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("WATCHDOG_USEC=%q: %v, %v", tt.env, got, err)
		}
	}
}

func TestPingEveryFitsTwiceInTheWindow(t *testing.T) {
	for _, timeout := range []time.Duration{0, time.Second, time.Minute, time.Hour} {
		w := &Watchdog{Timeout: timeout}
		every := w.PingEvery()
		if timeout > 0 && every*2 > timeout/2 {
			t.Errorf("timeout %v: ping every %v does not fit twice in %v", timeout, every, timeout/2)
		}
		// The desktop window takes a page silent for a few pings as frozen.
		if every <= 0 || every > MaxPingEvery {
			t.Errorf("timeout %v: ping every %v, want at most %v", timeout, every, MaxPingEvery)
		}
	}
}

func TestLastPing(t *testing.T) {
	w := &Watchdog{}
	if !w.LastPing().IsZero() {
		t.Fatal("a last ping before any ping")
	}
	before := time.Now()
	w.Ping()
	if last := w.LastPing(); last.Before(before) || time.Since(last) > time.Minute {
		t.Fatalf("last ping %v, pinged at %v", last, before)
	}
}

// TestWatchdogFollowsThePings: READY=1 waits for the first ping, WATCHDOG=1
// flows while pings arrive and stops when they stop, STOPPING=1 at the end.
func TestWatchdogFollowsThePings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify")
	msgs := notifySocket(t, path)
	w := &Watchdog{Notifier: Notifier{Socket: path}, Timeout: 800 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()

	if !quietFor(msgs, 2*w.Timeout, 30*time.Second) {
		t.Fatal("nothing may be sent before the page's first ping")
	}
	stopPinging := make(chan struct{})
	go func() {
		for {
			select {
			case <-stopPinging:
				return
			case <-time.After(w.PingEvery()):
				w.Ping()
			}
		}
	}()
	w.Ping()
	if m := next(t, msgs); m != "READY=1" {
		t.Fatalf("first message %q, want READY=1", m)
	}
	for i := 0; i < 3; i++ {
		if m := next(t, msgs); m != "WATCHDOG=1" {
			t.Fatalf("message %q while pinging, want WATCHDOG=1", m)
		}
	}
	close(stopPinging)
	if !quietFor(msgs, 2*w.Timeout, 60*time.Second) {
		t.Fatal("WATCHDOG=1 kept coming after the pings stopped")
	}
	cancel()
	<-done
	if m := next(t, msgs); m != "STOPPING=1" {
		t.Fatalf("last message %q, want STOPPING=1", m)
	}
	if strings.Contains(<-drain(msgs), "WATCHDOG") {
		t.Fatal("WATCHDOG=1 after STOPPING=1")
	}
}

func drain(msgs <-chan string) <-chan string {
	out := make(chan string, 1)
	var all []string
	for {
		select {
		case m := <-msgs:
			all = append(all, m)
		default:
			out <- strings.Join(all, "\n")
			return out
		}
	}
}
