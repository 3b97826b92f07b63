package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"tramso/kiosk/config"
	"tramso/kiosk/pack"
	"tramso/kiosk/staffpin"
	"tramso/kiosk/store"
	"tramso/kiosk/update"
)

// TestStaffUpdateEndpoints: the update endpoints need the staff PIN, and
// answer from a real (not enrolled) update client and content store.
func TestStaffUpdateEndpoints(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	packs, err := pack.OpenStore(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	live, err := packs.Serve(ctx, nil, nil) // no key pinned: nothing is applied here
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Staff.PINHash, err = staffpin.HashWith("258025", staffpin.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Config: cfg, Store: st, Content: live,
		Update: update.New(update.Options{Packs: packs, Store: st, Live: live})}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)

	for _, c := range []struct{ method, path string }{
		{"GET", "/api/staff/update"}, {"POST", "/api/staff/update/now"}, {"POST", "/api/staff/update/rollback"},
	} {
		if code, _ := staffCall(t, srv, c.method, c.path, "", ""); code != http.StatusUnauthorized {
			t.Errorf("%s %s without staff mode: %d", c.method, c.path, code)
		}
	}
	_, login := staffCall(t, srv, "POST", "/api/staff/login", "", `{"pin":"258025"}`)
	token, _ := login["token"].(string)
	code, status := staffCall(t, srv, "GET", "/api/staff/update", token, "")
	if code != http.StatusOK || status["state"] != "not_enrolled" || status["enrolled"] != false {
		t.Fatalf("status: %d %v", code, status)
	}
	if code, body := staffCall(t, srv, "POST", "/api/staff/update/now", token, ""); code != http.StatusConflict {
		t.Fatalf("update now when not enrolled: %d %v", code, body)
	}
	if code, body := staffCall(t, srv, "POST", "/api/staff/update/rollback", token, ""); code != http.StatusConflict {
		t.Fatalf("roll back with nothing to roll back to: %d %v", code, body)
	}
}
