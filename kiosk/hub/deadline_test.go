package hub

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// startServedHub runs a hub behind its own Server (the deadlines `tramso hub`
// uses) on a real 127.0.0.1 listener.
func startServedHub(t testing.TB, opts Options) (*Hub, string) {
	t.Helper()
	h := runTestHub(t, opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := h.Server()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return h, ln.Addr().String()
}

// closedBy waits until the server closes conn, reading (and discarding) what
// it answers. It fails only if the connection is still open after bound,
// which is far above the deadlines under test: never a timing race.
func closedBy(conn net.Conn, bound time.Duration) error {
	_ = conn.SetReadDeadline(time.Now().Add(bound))
	_, err := io.Copy(io.Discard, conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("still open after %v", bound)
	}
	return nil // EOF or reset: the server closed it
}

// TestSlowConnectionsCutOff is attack 7: 50 unauthenticated connections that
// send half a request, or a body a few bytes at a time, or nothing, are all
// closed by the hub within its deadlines while it goes on serving.
func TestSlowConnectionsCutOff(t *testing.T) {
	_, addr := startServedHub(t, Options{HeaderTimeout: 300 * time.Millisecond, BodyTimeout: 600 * time.Millisecond})
	slow := []string{
		"", // connects and says nothing
		"GET /api/health HTTP/1.1\r\nHost: hub\r\n", // headers never end
		"POST /api/enroll HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{\"co",
		"POST /api/device/usage HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer kx.y\r\nContent-Length: 100000\r\n\r\n[",
		"POST /admin/packs HTTP/1.1\r\nHost: hub\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 300000000\r\n\r\n--x\r\n",
	}
	const n = 50
	conns := make([]net.Conn, n)
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := io.WriteString(c, slow[i%len(slow)]); err != nil {
			t.Fatal(err)
		}
		conns[i] = c
	}
	// Keep trickling a byte a second into the bodies: a deadline on the
	// whole body, not on silence, is what cuts these off.
	stop := make(chan struct{})
	defer close(stop)
	for i, c := range conns {
		if i%len(slow) >= 2 {
			go trickle(c, stop)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := closedBy(c, 20*time.Second); err != nil {
				errs <- fmt.Errorf("connection %d (%.40q): %w", i, slow[i%len(slow)], err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	resp, err := http.Get("http://" + addr + "/api/health")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the hub stopped serving: %v %v", resp, err)
	}
	resp.Body.Close()
}

func trickle(c net.Conn, stop chan struct{}) {
	tick := time.NewTicker(time.Second / 4)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			if _, err := c.Write([]byte("a")); err != nil {
				return
			}
		}
	}
}

// TestUploadStaysOpenWhileItMoves: the pack upload route is bounded by
// progress, not by BodyTimeout: a body that keeps arriving in good time is
// read to the end however long it takes in all.
func TestUploadStaysOpenWhileItMoves(t *testing.T) {
	const size = 20 * uploadStep
	body := &pacedReader{left: size, chunk: uploadStep / 2, every: 100 * time.Millisecond}
	h := runTestHub(t, Options{BodyTimeout: 2 * time.Second})
	got := make(chan int64, 1)
	srv := &http.Server{Handler: h.guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		got <- n
	}))}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodPost, "http://"+ln.Addr().String()+uploadPath, body)
	req.ContentLength = body.left
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n := <-got; n != size {
		t.Fatalf("read %d of %d bytes: the upload was cut while moving", n, size)
	}
}

// pacedReader sends chunk bytes every interval: 4 s in all, twice the
// BodyTimeout, with a pause of a tenth of it between chunks.
type pacedReader struct {
	left  int64
	chunk int
	every time.Duration
}

func (p *pacedReader) Read(b []byte) (int, error) {
	if p.left == 0 {
		return 0, io.EOF
	}
	time.Sleep(p.every)
	n := min(len(b), p.chunk, int(p.left))
	p.left -= int64(n)
	return n, nil
}
