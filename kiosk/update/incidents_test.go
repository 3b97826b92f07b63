package update_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/hub"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/store"
	"tramso/kiosk/testlog"
	"tramso/kiosk/update"
)

// unsent counts the incidents the kiosk still has to send.
func (k *kiosk) unsent(t *testing.T) int {
	t.Helper()
	batch, err := k.st.UnsentIncidents(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(batch)
}

// The hub hears of the window's incidents kept while it could not (on
// connecting), as they happen, and many at once in several batches; the
// kiosk marks them sent only once the hub took them.
func TestHubHearsTheWindowsIncidents(t *testing.T) {
	key := newKey(t)
	h := startHub(t, key, nil)
	creds := enroll(t, h, "")
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// The window froze before the client connected (offline, or starting).
	at := time.Now().Add(-time.Hour)
	if err := st.AddIncident(ctx, at, hubproto.IncidentFroze); err != nil {
		t.Fatal(err)
	}
	st.Close()

	k := startKioskIn(t, dir, creds, nil)
	eventually(t, "the hub has the incident from before it connected", func() bool { return h.Incidents(t, k.id) == 1 })
	eventually(t, "the kiosk marks it sent", func() bool { return k.unsent(t) == 0 })

	for i := range hubproto.MaxIncidents + 10 {
		if err := k.st.AddIncident(ctx, at.Add(time.Duration(i+1)*time.Second), hubproto.IncidentCrashed); err != nil {
			t.Fatal(err)
		}
	}
	k.client.IncidentsChanged()
	eventually(t, "the hub has them all, in two batches", func() bool { return h.Incidents(t, k.id) == hubproto.MaxIncidents+11 })
	eventually(t, "the kiosk marks them sent", func() bool { return k.unsent(t) == 0 })
}

// A hub that predates incidents answers 404: the kiosk says so once, keeps
// them for a hub that takes them, and goes on taking content.
func TestOlderHubWithoutIncidents(t *testing.T) {
	key := newKey(t)
	h := startHub(t, key, withoutRoute("/api/device/incidents"))
	var log testlog.Buffer
	k := startKiosk(t, h, func(o *update.Options) { o.Log = slog.New(slog.NewTextHandler(&log, nil)) })
	if err := k.st.AddIncident(context.Background(), time.Now(), hubproto.IncidentCrashed); err != nil {
		t.Fatal(err)
	}
	k.client.IncidentsChanged()
	eventually(t, "the kiosk notes the older hub", func() bool { return strings.Contains(log.String(), "does not take the window's incidents") })
	k.client.IncidentsChanged() // not sent again on this connection
	h.publish(t, buildPack(t, key, 7, nil), hub.StageEveryone)
	eventually(t, "the kiosk takes content from the older hub", func() bool { return k.generation() == 7 })
	if n := strings.Count(log.String(), "does not take the window's incidents"); n != 1 {
		t.Errorf("said %d times, want once:\n%s", n, log.String())
	}
	if k.unsent(t) != 1 {
		t.Errorf("the incident is no longer kept for a hub that takes it")
	}
	if strings.Contains(log.String(), "level=ERROR") {
		t.Errorf("errors logged against an older hub:\n%s", log.String())
	}
}
