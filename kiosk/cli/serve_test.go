package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"tramso/kiosk/station"
	"tramso/kiosk/testlog"
)

// TestServeCutsSlowClients: a slow-loris client that dribbles its headers,
// or a body, is cut off by the server `tramso serve` builds; 50 of them do
// not hold the server, which still answers a normal request.
func TestServeCutsSlowClients(t *testing.T) {
	if serveTimeouts.header <= 0 || serveTimeouts.read <= 0 || serveTimeouts.idle <= 0 {
		t.Fatalf("tramso serve runs without a timeout: %+v", serveTimeouts)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		fmt.Fprint(w, "ok")
	}), timeouts{header: 300 * time.Millisecond, read: 600 * time.Millisecond, idle: time.Second})
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	slow := []string{
		"GET / HTTP/1.1\r\nHost: kiosk\r\nX-Slow: ",                                    // headers never end
		"POST /api/x HTTP/1.1\r\nHost: kiosk\r\nContent-Length: 100000\r\n\r\n{\"a\":", // body never ends
	}
	cut := make(chan time.Duration, 50)
	for i := 0; i < 50; i++ {
		go func(start string) { cut <- slowLoris(t, ln.Addr().String(), start) }(slow[i%2])
	}
	for i := 0; i < 50; i++ {
		if d := <-cut; d > 5*time.Second {
			t.Fatalf("a slow client held its connection for %v", d)
		}
	}
	resp, err := http.Get("http://" + ln.Addr().String() + "/")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("a normal request after the attack: %v", err)
	}
	resp.Body.Close()
}

// slowLoris sends start, then one byte every 50 ms, and returns how long
// the server kept the connection (at most 10 s).
func slowLoris(t *testing.T, addr, start string) time.Duration {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Error(err)
		return 0
	}
	defer conn.Close()
	began := time.Now()
	if _, err := io.WriteString(conn, start); err != nil {
		return time.Since(began)
	}
	closed := make(chan struct{})
	go func() { // the server's answer (a 408, or nothing) ends with the connection
		io.Copy(io.Discard, bufio.NewReader(conn))
		close(closed)
	}()
	for time.Since(began) < 10*time.Second {
		select {
		case <-closed:
			return time.Since(began)
		case <-time.After(50 * time.Millisecond):
		}
		if _, err := io.WriteString(conn, strings.Repeat("x", 1)); err != nil {
			<-closed
			return time.Since(began)
		}
	}
	return time.Since(began)
}

// TestABinaryWithoutScreensRefusesToStart: built before the frontend (dist
// holding only its .gitkeep), `tramso serve` and the window refuse to start,
// saying to build the frontend first, instead of serving a file listing
// where residents expect the attract screen (outside QA R16).
func TestABinaryWithoutScreensRefusesToStart(t *testing.T) {
	tmp := t.TempDir()
	for _, args := range [][]string{
		{"serve", "--addr", "127.0.0.1:0"},
		{"--windowed"},
	} {
		var out, errOut testlog.Buffer
		args = append(args, "--data", tmp)
		exited := make(chan int, 1)
		go func() {
			exited <- Main(args, Env{Assets: fstest.MapFS{".gitkeep": {}}, Stdout: &out, Stderr: &errOut,
				Desktop: func(context.Context, *station.Station, fs.FS, DesktopOptions) error {
					t.Error("the window opened with no screens")
					return nil
				}})
		}()
		var code int
		select {
		case code = <-exited:
		case <-time.After(10 * time.Second): // a server that started serves until a signal
			t.Fatalf("%s started with no screens: %s", args[0], out.String())
		}
		if code != 1 || !strings.Contains(errOut.String(), "build the frontend first") {
			t.Errorf("%s: exit %d, want 1 saying to build the frontend: %s%s", args[0], code, out.String(), errOut.String())
		}
	}
}
