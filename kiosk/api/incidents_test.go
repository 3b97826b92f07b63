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

// The window card says whether the window fills the screen, as the window
// says it now: after staff leave full screen, it says so (outside QA s24:
// both "Vào" and "Thoát toàn màn hình" with no state). In browser mode there
// is no window and no state.
func TestStaffSeeTheWindowsState(t *testing.T) {
	if _, ok := staffGetWindow(t, nil)["fullscreen"]; ok {
		t.Error("browser mode: a full-screen state with no window")
	}
	win := &recordingWindow{full: true}
	a := staffAPI(t, "258025", win)
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	token := staffLogin(t, srv, "258025")
	for _, step := range []struct {
		action string
		want   bool
	}{{"", true}, {"unfullscreen", false}, {"fullscreen", true}} {
		if step.action != "" {
			if code, out := staffCall(t, srv, "POST", "/api/staff/window", token, `{"action":"`+step.action+`"}`); code != 200 {
				t.Fatalf("%s: %d %v", step.action, code, out)
			}
		}
		code, got := staffCall(t, srv, "GET", "/api/staff/window", token, "")
		if full, ok := got["fullscreen"].(bool); code != 200 || !ok || full != step.want {
			t.Errorf("after %q: %d %v, want fullscreen %v", step.action, code, got, step.want)
		}
	}
}

func staffGetWindow(t *testing.T, win Window) map[string]any {
	t.Helper()
	a := staffAPI(t, "258025", win)
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	code, got := staffCall(t, srv, "GET", "/api/staff/window", staffLogin(t, srv, "258025"), "")
	if code != 200 {
		t.Fatalf("GET /api/staff/window: %d %v", code, got)
	}
	return got
}
