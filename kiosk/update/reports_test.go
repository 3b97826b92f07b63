package update

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"tramso/kiosk/hubproto"
)

// TestReportsOutliveASlowLink: status chatter may be dropped when the link
// is slow, but a report of what became of a generation is not. With the
// chatter queue full and the first connection dead, the refusal reaches the
// hub on the next connection, ahead of the chatter queued before it.
func TestReportsOutliveASlowLink(t *testing.T) {
	c := &Client{log: slog.New(slog.DiscardHandler), heartbeat: time.Minute,
		outbox: make(chan []byte, 16), reportsReady: make(chan struct{}, 1)}
	for i := range 40 { // more than the outbox holds
		c.send(&hubproto.Status{Generation: 3000, TargetGeneration: 3001, State: hubproto.StateDownloading, BytesDone: int64(i), BytesTotal: 1 << 20})
	}
	if len(c.outbox) != cap(c.outbox) {
		t.Fatalf("%d statuses in the outbox, want it full", len(c.outbox))
	}
	c.report(hubproto.Report{Generation: 3001, Outcome: hubproto.OutcomeRejected, Error: "signature: no pinned key signed it"})

	frames := make(chan hubproto.Message, 64)
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				return
			}
			m, err := hubproto.Decode(data)
			if err != nil {
				t.Errorf("kiosk sent a frame the hub cannot read: %v", err)
				return
			}
			frames <- m
		}
	}))
	defer hub.Close()
	dial := func() *websocket.Conn {
		ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(hub.URL, "http"), nil)
		if err != nil {
			t.Fatal(err)
		}
		return ws
	}

	// The first connection is cut before the writer writes anything.
	dead := dial()
	dead.UnderlyingConn().Close()
	c.writer(context.Background(), dead) // returns at the first failed write
	if len(c.reports) != 1 {
		t.Fatalf("after a failed write %d reports wait, want the one", len(c.reports))
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); c.writer(ctx, dial()) }()
	defer func() { cancel(); <-done }()

	first := next(t, frames)
	rep, ok := first.Body.(*hubproto.Report)
	if !ok || rep.Generation != 3001 || rep.Outcome != hubproto.OutcomeRejected || !strings.Contains(rep.Error, "signature") {
		t.Fatalf("first frame on the new connection is %s %+v, want the refusal of 3001", first.Type, first.Body)
	}
	// Then the chatter that fitted in the outbox; the report is not sent twice.
	for range 16 {
		if m := next(t, frames); m.Type != "status" {
			t.Fatalf("after the report came a %s frame, want the queued statuses", m.Type)
		}
	}
	c.reportsMu.Lock()
	left := len(c.reports)
	c.reportsMu.Unlock()
	if left != 0 {
		t.Fatalf("%d reports still wait after a good connection wrote them", left)
	}
}

func next(t *testing.T, frames <-chan hubproto.Message) hubproto.Message {
	t.Helper()
	select {
	case m := <-frames:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("the hub received nothing for 10 s")
		return hubproto.Message{}
	}
}
