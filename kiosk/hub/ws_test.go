package hub

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"tramso/kiosk/hubproto"
)

func TestWelcomeAndStatus(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	id, token := newDevice(t, h)
	publishEmpty(t, h, 5, StageEveryone)
	ws := dial(t, srv, token)
	if w := readWelcome(t, ws); w.DeviceID != id || w.TargetGeneration != 5 {
		t.Fatalf("welcome %+v", w)
	}
	st := hubproto.Status{Generation: 5, AppVersion: "1.2.3", State: hubproto.StateIdle, FreeDisk: 42, LastError: "x"}
	if err := ws.WriteMessage(websocket.TextMessage, hubproto.MustEncode(&st)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "status stored", func() bool {
		devs, err := h.Devices(context.Background())
		return err == nil && len(devs) == 1 && devs[0].Generation == 5 && devs[0].FreeDisk == 42 && devs[0].AppVersion == "1.2.3"
	})
}

func TestUnauthenticatedDialRefused(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	id, _ := newDevice(t, h)
	for _, auth := range []string{"", "Bearer nonsense", "Bearer " + id + ".wrongsecret", "Basic abc"} {
		_, resp, err := websocket.DefaultDialer.Dial(wsURLOf(srv), http.Header{"Authorization": {auth}})
		if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("auth %q: err %v, resp %v; want 401", auth, err, resp)
		}
	}
}

// TestHostileClientsDoNotDelayOthers: kiosks that never read, send garbage,
// oversized or binary frames, or stall mid-handshake neither stop nor hold up
// the announcements to well-behaved kiosks; the misbehaving ones are cut off.
func TestHostileClientsDoNotDelayOthers(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	const good = 30
	for i := 0; i < good; i++ {
		_, token := newDevice(t, h)
		go ackLoop(dial(t, srv, token))
	}

	// A kiosk that never reads, with the smallest receive buffer the kernel allows.
	_, silentToken := newDevice(t, h)
	silent := dial(t, srv, silentToken)
	silent.UnderlyingConn().(*net.TCPConn).SetReadBuffer(1)

	// Kiosks that misbehave on the socket: each must be disconnected.
	hostile := map[string]func(*websocket.Conn) error{
		"garbage":   func(ws *websocket.Conn) error { return ws.WriteMessage(websocket.TextMessage, []byte("rm -rf /")) },
		"oversized": func(ws *websocket.Conn) error { return ws.WriteMessage(websocket.TextMessage, make([]byte, 1<<20)) },
		"binary":    func(ws *websocket.Conn) error { return ws.WriteMessage(websocket.BinaryMessage, []byte{0, 1, 2}) },
		"unknown type": func(ws *websocket.Conn) error {
			return ws.WriteMessage(websocket.TextMessage, []byte(`{"v":1,"type":"exec","body":{}}`))
		},
		"hub message": func(ws *websocket.Conn) error {
			return ws.WriteMessage(websocket.TextMessage, hubproto.MustEncode(&hubproto.Announce{Generation: 9}))
		},
	}
	closed := make(chan string, len(hostile))
	for name, misbehave := range hostile {
		_, token := newDevice(t, h)
		ws := dial(t, srv, token)
		if err := misbehave(ws); err != nil {
			closed <- name // the hub hung up while the frame was still being sent
			continue
		}
		go func(name string, ws *websocket.Conn) {
			ws.SetReadDeadline(time.Now().Add(20 * time.Second))
			for {
				if _, _, err := ws.ReadMessage(); err != nil {
					closed <- name
					return
				}
			}
		}(name, ws)
	}
	// A client that stalls halfway through its HTTP request.
	raw, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	bufio.NewWriter(raw).WriteString("GET /ws HTTP/1.1\r\nHost: x\r\n")

	// A burst of generations: every good kiosk must see the last one.
	const first, last = 100, 400
	for g := int64(first); g <= last; g++ {
		publishEmpty(t, h, g, StageEveryone)
	}
	eventually(t, "every good kiosk acknowledged the last generation", func() bool { return h.Acks(last) >= good })
	for range hostile {
		select {
		case name := <-closed:
			t.Logf("hub cut off the %s client", name)
		case <-time.After(20 * time.Second):
			t.Fatal("a misbehaving client was not disconnected")
		}
	}
}

// TestSilentKioskDropped: a kiosk that stops pinging is dropped after three
// heartbeats; one that pings stays. (Parallel: it waits ~15 s.)
func TestSilentKioskDropped(t *testing.T) {
	t.Parallel()
	h, srv := startTestHub(t, Options{Heartbeat: 5 * time.Second})
	_, silentToken := newDevice(t, h)
	_, livelyToken := newDevice(t, h)
	silent, lively := dial(t, srv, silentToken), dial(t, srv, livelyToken)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Second):
				lively.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second))
			}
		}
	}()
	go func() {
		for { // the lively kiosk must read for its pong handler to run
			if _, _, err := lively.ReadMessage(); err != nil {
				return
			}
		}
	}()
	silent.SetReadDeadline(time.Now().Add(25 * time.Second))
	for {
		_, _, err := silent.ReadMessage()
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatal("the hub kept a kiosk that sent nothing for 25 s")
		}
		if err != nil {
			break // the hub hung up
		}
	}
	eventually(t, "only the lively kiosk connected", func() bool { return h.Connected() == 1 })
}

// TestAnnouncementsCoalesce: while a kiosk's writer is busy, a burst of
// announcements waits as one frame, the newest, behind the frames queued
// before it; the kiosk is never dropped for the burst.
func TestAnnouncementsCoalesce(t *testing.T) {
	c := &conn{busy: true} // a writer is draining: nothing starts one
	c.send([]byte("welcome"))
	for g := 1; g <= 3*maxQueued; g++ {
		c.announce([]byte("announce " + strconv.Itoa(g)))
	}
	c.send([]byte("other"))
	c.announce([]byte("announce last"))
	got := make([]string, len(c.queue))
	for i, f := range c.queue {
		got[i] = string(f)
	}
	if want := []string{"welcome", "announce last", "other"}; c.closed || !slices.Equal(got, want) {
		t.Fatalf("queue %q (closed %v), want %q", got, c.closed, want)
	}
}
