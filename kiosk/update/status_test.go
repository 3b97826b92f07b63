package update

import (
	"testing"
	"time"

	"tramso/kiosk/hubproto"
)

// TestStatusProgressIsPaced: a download of hundreds of chunks tells the hub
// its progress about once a second, never once per chunk (the hub closes a
// connection that sends frames faster than a kiosk does), while any other
// change of state goes out at once.
func TestStatusProgressIsPaced(t *testing.T) {
	c := &Client{}
	start := time.Unix(1_780_000_000, 0)
	st := hubproto.Status{Generation: 3000, TargetGeneration: 3001, State: hubproto.StateDownloading, BytesTotal: 1 << 20}
	sent := 0
	for i := range 1000 { // 1,000 chunks in 2 s
		st.BytesDone = int64(i) << 10
		if c.statusDue(st, start.Add(time.Duration(i)*2*time.Millisecond)) {
			sent++
		}
	}
	if sent < 2 || sent > 3 {
		t.Fatalf("%d progress frames for 1,000 chunks in 2 s; want one a second", sent)
	}
	st.State = hubproto.StateApplying
	if !c.statusDue(st, start.Add(2*time.Second+time.Millisecond)) {
		t.Fatal("a new state was held back")
	}
	if c.statusDue(st, start.Add(2*time.Second+2*time.Millisecond)) {
		t.Fatal("the same status was sent twice at once")
	}
	c.forgetStatus()
	if !c.statusDue(st, start.Add(2*time.Second+3*time.Millisecond)) {
		t.Fatal("a new connection did not get the status")
	}
}
