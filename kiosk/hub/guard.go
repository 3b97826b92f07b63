package hub

import (
	"io"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

// guard is the boundary of every HTTP request: it bounds how long the peer
// may take to send its body (and to read the answer), and turns a panic into
// a log line and a dropped connection, so that nothing a peer sends takes the
// hub down or holds a connection open for free.
func (h *Hub) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				h.logPanic(v, "path", r.URL.Path, "remote", r.RemoteAddr)
				panic(http.ErrAbortHandler) // net/http closes the connection quietly
			}
		}()
		h.setDeadlines(w, r)
		next.ServeHTTP(w, r)
	})
}

// logPanic records a recovered panic with its stack. http.ErrAbortHandler is
// a deliberate abort, not a fault, and is passed on.
func (h *Hub) logPanic(v any, args ...any) {
	if v == http.ErrAbortHandler {
		panic(v)
	}
	h.recovered.Add(1)
	h.log.Error("recovered from a panic; the peer is dropped",
		append(args, "panic", v, "stack", string(debug.Stack()))...)
}

// uploadPath is the console's pack upload (admin.go): a pack may be hundreds
// of megabytes on a slow office link, so it is bounded by progress, not by
// BodyTimeout.
const uploadPath = "/admin/packs"

// Upload bounds: the deadline moves on by BodyTimeout for each uploadStep
// bytes received (a peer must keep sending at least that much per window),
// and an upload never lasts longer than maxUploadTime.
const (
	uploadStep    = 64 << 10
	maxUploadTime = time.Hour
)

// blobWriteTimeout bounds serving one blob request: kiosks ask for 256 KiB
// ranges, throttled to as little as a few KB/s by hub.download_kbps.
const blobWriteTimeout = 10 * time.Minute

func (h *Hub) setDeadlines(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	now := time.Now()
	// The websocket's reader sets its own deadlines after the upgrade.
	_ = rc.SetReadDeadline(now.Add(h.opts.BodyTimeout))
	if r.Method == http.MethodPost && r.URL.Path == uploadPath {
		r.Body = &uploadBody{ReadCloser: r.Body, rc: rc, idle: h.opts.BodyTimeout, end: now.Add(maxUploadTime)}
	}
	write := 2 * time.Minute
	if strings.HasPrefix(r.URL.Path, "/blobs/") {
		write = blobWriteTimeout
	}
	_ = rc.SetWriteDeadline(now.Add(write))
}

// uploadBody moves the read deadline on while an upload makes progress.
type uploadBody struct {
	io.ReadCloser
	rc      *http.ResponseController
	idle    time.Duration
	end     time.Time
	pending int // bytes received since the deadline last moved
}

func (b *uploadBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.pending += n
	if b.pending >= uploadStep {
		b.pending = 0
		next := time.Now().Add(b.idle)
		if next.After(b.end) {
			next = b.end
		}
		_ = b.rc.SetReadDeadline(next)
	}
	return n, err
}
