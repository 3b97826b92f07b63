package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"tramso/kiosk/hubproto"
)

// Staff see the window's incidents of the last 7 days, oldest first, and
// nothing older; only with the PIN.
func TestStaffSeeTheWindowsIncidents(t *testing.T) {
	a := staffAPI(t, "258025", nil)
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	if code, _ := staffCall(t, srv, "GET", "/api/staff/window", "", ""); code != http.StatusUnauthorized {
		t.Errorf("GET /api/staff/window without staff: %d, want 401", code)
	}
	token := staffLogin(t, srv, "258025")
	code, got := staffCall(t, srv, "GET", "/api/staff/window", token, "")
	if list, ok := got["incidents"].([]any); code != 200 || !ok || len(list) != 0 {
		t.Fatalf("no incidents yet: %d %v, want an empty list", code, got)
	}
	now := time.Now().Truncate(time.Second)
	for _, in := range []struct {
		at   time.Time
		kind string
	}{{now.AddDate(0, 0, -9), hubproto.IncidentMemory}, {now.Add(-time.Hour), hubproto.IncidentFroze}, {now, hubproto.IncidentStuck}} {
		if err := a.Store.AddIncident(context.Background(), in.at, in.kind); err != nil {
			t.Fatal(err)
		}
	}
	code, got = staffCall(t, srv, "GET", "/api/staff/window", token, "")
	list, _ := got["incidents"].([]any)
	if code != 200 || len(list) != 2 {
		t.Fatalf("GET /api/staff/window: %d %v, want the 2 of the last 7 days", code, got)
	}
	first, last := list[0].(map[string]any), list[1].(map[string]any)
	if first["kind"] != "froze" || last["kind"] != "stuck" || last["at"] != now.UTC().Format(time.RFC3339) {
		t.Errorf("incidents %v, want froze then stuck at %s", list, now.UTC().Format(time.RFC3339))
	}
}
