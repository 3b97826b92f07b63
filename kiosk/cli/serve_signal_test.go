package cli

import (
	"context"
	"io"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"
)

// SIGTERM lets a request in flight finish, stops the server and the
// background work, and only then returns.
func TestServeUntilSignal(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	inFlight, release := make(chan struct{}), make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(inFlight)
		<-release
		io.WriteString(w, "finished")
	})}
	working, workEnded := make(chan struct{}), false
	returned := make(chan error, 1)
	go func() {
		returned <- serveUntilSignal(srv, func() error { return srv.Serve(ln) }, func(ctx context.Context) {
			close(working) // the signal handler is in place by now
			<-ctx.Done()
			time.Sleep(50 * time.Millisecond) // a job that takes a moment to stop
			workEnded = true
		})
	}()
	<-working
	answer := make(chan string, 1)
	go func() {
		res, err := http.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			answer <- err.Error()
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		answer <- string(b)
	}()
	<-inFlight
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if !refusesWithin(ln.Addr().String(), 5*time.Second) {
		t.Error("the server still takes new connections after SIGTERM")
	}
	close(release)
	if got := <-answer; got != "finished" {
		t.Errorf("the request in flight got %q", got)
	}
	if err := <-returned; err != nil {
		t.Errorf("returned %v", err)
	}
	if !workEnded {
		t.Error("returned before the background work ended")
	}
}

// A server that cannot serve ends the work too and says why.
func TestServeUntilSignalServerFails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	srv := &http.Server{}
	stopped := false
	err = serveUntilSignal(srv, func() error { return srv.Serve(ln) }, func(ctx context.Context) {
		<-ctx.Done()
		stopped = true
	})
	if err == nil || !stopped {
		t.Fatalf("err %v, work stopped %v", err, stopped)
	}
}

// refusesWithin reports whether addr stops taking connections within d.
func refusesWithin(addr string, d time.Duration) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return true
		}
		c.Close()
	}
	return false
}
