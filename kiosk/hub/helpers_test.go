package hub

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
	"tramso/kiosk/pgtest"
	"tramso/kiosk/testlog"
)

// testDatabase is the Options.Database for a test's hub: "" (SQLite in its
// data directory), or with TRAMSO_HUB_TEST_DB=postgres a fresh PostgreSQL
// database (build/scripts/test.sh runs the suite both ways). hubtest.Database
// is the same for other packages' tests (this package cannot import it).
func testDatabase(t testing.TB) string {
	t.Helper()
	switch v := os.Getenv("TRAMSO_HUB_TEST_DB"); v {
	case "", "sqlite":
		return ""
	case "postgres":
		return pgtest.DSN(t)
	default:
		t.Fatalf("TRAMSO_HUB_TEST_DB=%q: want sqlite or postgres", v)
		return ""
	}
}

// runTestHub opens a hub and runs it until the test ends. A test that gives
// a Dir and no Database checks SQLite's own files: it stays on SQLite.
func runTestHub(t testing.TB, opts Options) *Hub {
	t.Helper()
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
		if opts.Database == "" {
			opts.Database = testDatabase(t)
		}
	}
	opts.InsecureHTTP = true
	if opts.Log == nil {
		opts.Log = testlog.Quiet()
	}
	if opts.FlushEvery == 0 {
		opts.FlushEvery = 50 * time.Millisecond
	}
	h, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Run(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		<-done
		h.Close()
	})
	return h
}

// startTestHub runs a hub on 127.0.0.1 until the test ends.
func startTestHub(t testing.TB, opts Options) (*Hub, *httptest.Server) {
	t.Helper()
	h := runTestHub(t, opts)
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	return h, srv
}

// newDevice enrolls a device and returns its token.
func newDevice(t testing.TB, h *Hub) (string, string) {
	t.Helper()
	ctx := context.Background()
	code, err := h.CreateCode(ctx, "Ea Kao", "test")
	if err != nil {
		t.Fatal(err)
	}
	e, err := h.Enroll(ctx, code, "")
	if err != nil {
		t.Fatal(err)
	}
	return e.DeviceID, e.Token
}

func wsURLOf(srv *httptest.Server) string { return "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws" }

func dial(t testing.TB, srv *httptest.Server, token string) *websocket.Conn {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(wsURLOf(srv), http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

// publishEmpty publishes a manifest with no files: enough to move targets.
func publishEmpty(t testing.TB, h *Hub, gen int64, stage int) {
	t.Helper()
	raw := []byte(`{"generation":` + strconv.FormatInt(gen, 10) + `}`)
	if err := h.PublishManifest(context.Background(), raw, []byte("{}"), &pack.Manifest{Generation: gen},
		PublishOptions{Stage: stage, By: "test"}); err != nil {
		t.Fatal(err)
	}
}

// ackLoop is a well-behaved kiosk: it acknowledges every announcement.
func ackLoop(ws *websocket.Conn) {
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		m, err := hubproto.Decode(data)
		if err != nil {
			continue
		}
		if a, ok := m.Body.(*hubproto.Announce); ok {
			if ws.WriteMessage(websocket.TextMessage, hubproto.MustEncode(&hubproto.Ack{Generation: a.Generation})) != nil {
				return
			}
		}
	}
}

func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func readWelcome(t *testing.T, ws *websocket.Conn) *hubproto.Welcome {
	t.Helper()
	m := readMessage(t, ws)
	w, ok := m.Body.(*hubproto.Welcome)
	if !ok {
		t.Fatalf("first message %+v", m)
	}
	return w
}

func readAnnounce(t *testing.T, ws *websocket.Conn) int64 {
	t.Helper()
	m := readMessage(t, ws)
	a, ok := m.Body.(*hubproto.Announce)
	if !ok {
		t.Fatalf("want an announcement, got %+v", m)
	}
	return a.Generation
}

func readMessage(t *testing.T, ws *websocket.Conn) hubproto.Message {
	t.Helper()
	_ = ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	_, data, err := ws.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	m, err := hubproto.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// historyLines is a kiosk's history as "what|detail" lines, newest first.
func historyLines(t testing.TB, h *Hub, id string) []string {
	t.Helper()
	hist, err := h.History(context.Background(), id, 20)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range hist {
		lines = append(lines, e.What+"|"+e.Detail)
	}
	return lines
}
