package update_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gorilla/websocket"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
	"tramso/kiosk/update"
)

// signedPack is a real signed pack taken apart as a hub serves it.
type signedPack struct {
	gen      int64
	manifest *pack.Manifest
	raw, sig []byte
	blobs    map[string][]byte
}

func takeApart(t testing.TB, key ed25519.PrivateKey, file []byte) *signedPack {
	t.Helper()
	r, err := pack.NewReader(bytes.NewReader(file), []ed25519.PublicKey{key.Public().(ed25519.PublicKey)})
	if err != nil {
		t.Fatal(err)
	}
	sm := r.Signed()
	p := &signedPack{gen: sm.Manifest.Generation, manifest: sm.Manifest, raw: sm.Raw, sig: sm.Sig, blobs: map[string][]byte{}}
	for {
		f, body, err := r.Next()
		if errors.Is(err, io.EOF) {
			return p
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		p.blobs[f.SHA256] = b
	}
}

// fakeHub is a hub on 127.0.0.1 written for attacks: a real HTTP and
// websocket server whose every answer a test decides. By default it behaves
// like a good hub serving one pack; a test overrides single endpoints.
type fakeHub struct {
	srv  *httptest.Server
	pack *signedPack

	mu      sync.Mutex
	target  func(w http.ResponseWriter, r *http.Request)
	welcome func(ws *websocket.Conn)
	files   func(w http.ResponseWriter, r *http.Request, name string)
	blob    func(w http.ResponseWriter, r *http.Request, data []byte)
	sockets map[*websocket.Conn]bool
	frames  []string // what kiosks sent over the websocket, in order

	polls, dials, fileRequests, blobRequests atomic.Int64
}

func startFakeHub(t testing.TB, p *signedPack) *fakeHub {
	h := &fakeHub{pack: p, sockets: map[*websocket.Conn]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/device/target", func(w http.ResponseWriter, r *http.Request) {
		h.polls.Add(1)
		h.handler().target(w, r)
	})
	mux.HandleFunc("GET /ws", h.serveWS)
	mux.HandleFunc("GET /packs/{gen}/{name}", func(w http.ResponseWriter, r *http.Request) {
		h.fileRequests.Add(1)
		h.handler().files(w, r, r.PathValue("name"))
	})
	mux.HandleFunc("GET /blobs/{sha}", func(w http.ResponseWriter, r *http.Request) {
		h.blobRequests.Add(1)
		data, ok := p.blobs[r.PathValue("sha")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h.handler().blob(w, r, data)
	})
	mux.HandleFunc("POST /api/device/usage", func(w http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body) })
	h.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		h.dropSockets()
		h.srv.CloseClientConnections()
		h.srv.Close()
	})
	h.behaveWell()
	return h
}

// handler returns the current behaviour under the lock.
func (h *fakeHub) handler() *fakeHub {
	h.mu.Lock()
	defer h.mu.Unlock()
	return &fakeHub{target: h.target, welcome: h.welcome, files: h.files, blob: h.blob}
}

// behaveWell makes every endpoint answer as a real hub would.
func (h *fakeHub) behaveWell() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.target = func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"generation":%d}`, h.pack.gen)
	}
	h.welcome = func(ws *websocket.Conn) { sendWelcome(ws, h.pack.gen) }
	h.files = func(w http.ResponseWriter, r *http.Request, name string) {
		if r.PathValue("gen") != strconv.FormatInt(h.pack.gen, 10) {
			http.NotFound(w, r)
			return
		}
		switch name {
		case "manifest.json":
			w.Write(h.pack.raw)
		case "manifest.sig":
			w.Write(h.pack.sig)
		default:
			http.NotFound(w, r)
		}
	}
	h.blob = serveRange
}

func (h *fakeHub) set(change func(h *fakeHub)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	change(h)
}

func sendWelcome(ws *websocket.Conn, target int64) {
	frame, _ := hubproto.Encode(&hubproto.Welcome{DeviceID: "d1", HeartbeatSeconds: 5, PollSeconds: 10, TargetGeneration: target})
	ws.WriteMessage(websocket.TextMessage, frame)
}

var upgrader = websocket.Upgrader{}

func (h *fakeHub) serveWS(w http.ResponseWriter, r *http.Request) {
	h.dials.Add(1)
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	h.mu.Lock()
	h.sockets[ws] = true
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.sockets, ws)
		h.mu.Unlock()
		ws.Close()
	}()
	h.handler().welcome(ws)
	for { // read until the kiosk or the test hangs up; answer pings
		_, frame, err := ws.ReadMessage()
		if err != nil {
			return
		}
		h.mu.Lock()
		h.frames = append(h.frames, string(frame))
		h.mu.Unlock()
	}
}

// received is every frame kiosks sent so far.
func (h *fakeHub) received() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.frames...)
}

// dropSockets hangs up on every connected kiosk.
func (h *fakeHub) dropSockets() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ws := range h.sockets {
		ws.Close()
	}
}

// serveRange answers a Range request for data as the real hub does.
func serveRange(w http.ResponseWriter, r *http.Request, data []byte) {
	from, to, ok := parseRange(r.Header.Get("Range"), int64(len(data)))
	if !ok {
		w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
		return
	}
	w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", from, to, len(data)))
	w.Header().Set("Content-Length", strconv.FormatInt(to-from+1, 10))
	w.WriteHeader(http.StatusPartialContent)
	w.Write(data[from : to+1])
}

func parseRange(h string, size int64) (int64, int64, bool) {
	spec, ok := strings.CutPrefix(h, "bytes=")
	a, b, ok2 := strings.Cut(spec, "-")
	from, err1 := strconv.ParseInt(a, 10, 64)
	to, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || !ok2 || err1 != nil || err2 != nil || from < 0 || to < from || to >= size {
		return 0, 0, false
	}
	return from, to, true
}

// stall holds a request open without answering until the kiosk gives up.
func stall(w http.ResponseWriter, r *http.Request) {
	http.NewResponseController(w).Flush()
	<-r.Context().Done()
}

// stallMidBody starts a correct Range answer, sends n bytes and then nothing
// more, with the connection open.
func stallMidBody(w http.ResponseWriter, r *http.Request, data []byte, n int64) {
	from, to, ok := parseRange(r.Header.Get("Range"), int64(len(data)))
	if !ok {
		w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
		return
	}
	w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", from, to, len(data)))
	w.WriteHeader(http.StatusPartialContent)
	w.Write(data[from : from+min(n, to-from)])
	stall(w, r)
}

// hangUp drops the connection without an answer (a reset).
func hangUp(w http.ResponseWriter, r *http.Request) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		if tc, ok := conn.(interface{ SetLinger(int) error }); ok {
			tc.SetLinger(0) // RST, not FIN
		}
		conn.Close()
	}
}

// kioskOn runs a kiosk (real store and content) against the fake hub.
func kioskOn(t testing.TB, h *fakeHub, key ed25519.PrivateKey, tweak func(*update.Options)) *kiosk {
	t.Helper()
	return startKioskWith(t, fakeCreds(h, key), tweak)
}

func fakeCreds(h *fakeHub, key ed25519.PrivateKey) update.Credentials {
	return update.Credentials{DeviceID: "d1", Token: "d1.secret", HubURL: h.srv.URL,
		ProvinceKeys: []string{strings.TrimSpace(pack.EncodePublicKey(key.Public().(ed25519.PublicKey)))}}
}
