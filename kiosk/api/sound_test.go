package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/sound"
	"tramso/kiosk/store"
	"tramso/kiosk/testdisk"
)

// The heartbeat says whether a line plays; a freeze then silences the kiosk,
// the page learns it from GET /api/kiosk, and staff see why and turn sound on.
func TestSoundOffAfterAFreezeAndBackOn(t *testing.T) {
	a := staffAPI(t, "258025", nil)
	starter, err := content.Load(content.Starter())
	if err != nil {
		t.Fatal(err)
	}
	a.Content = content.NewLive(starter, content.SourceEmbedded)
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	s, st := a.Sound, a.Store
	for _, body := range []string{`{"sound":"yes"}`, `{"sound":true,"volume":1}`} {
		if code, _ := staffCall(t, srv, "POST", "/api/alive", "", body); code != http.StatusBadRequest {
			t.Errorf("POST /api/alive %s: %d, want 400", body, code)
		}
	}
	if code, _ := staffCall(t, srv, "POST", "/api/alive", "", `{"sound":true}`); code != 200 {
		t.Fatalf("alive: %d", code)
	}
	if !s.Froze(context.Background(), time.Date(2026, 12, 5, 3, 42, 7, 0, time.UTC)) {
		t.Fatal("a freeze after a ping that said a line played left sound on")
	}
	if _, k := staffCall(t, srv, "GET", "/api/kiosk", "", ""); k["sound_off"] != true {
		t.Fatalf("GET /api/kiosk after the freeze: sound_off %v", k["sound_off"])
	}

	for _, m := range []string{"GET", "POST"} {
		if code, _ := staffCall(t, srv, m, "/api/staff/sound", "", `{"on":true}`); code != http.StatusUnauthorized {
			t.Errorf("%s /api/staff/sound without staff: %d, want 401", m, code)
		}
	}
	token := staffLogin(t, srv, "258025")
	code, got := staffCall(t, srv, "GET", "/api/staff/sound", token, "")
	if code != 200 || got["on"] != false || got["reason"] != sound.ReasonFroze || got["since"] != "2026-12-05T03:42:07Z" {
		t.Fatalf("GET /api/staff/sound: %d %v", code, got)
	}
	if code, _ := staffCall(t, srv, "POST", "/api/staff/sound", token, `{"on":"yes"}`); code != http.StatusBadRequest {
		t.Errorf("a malformed switch: %d, want 400", code)
	}
	code, got = staffCall(t, srv, "POST", "/api/staff/sound", token, `{"on":true}`)
	if code != 200 || got["on"] != true || got["reason"] != "" || got["since"] != "" {
		t.Fatalf("turned on: %d %v", code, got)
	}
	if _, k := staffCall(t, srv, "GET", "/api/kiosk", "", ""); k["sound_off"] != false {
		t.Fatalf("GET /api/kiosk after staff turned sound on: sound_off %v", k["sound_off"])
	}
	code, got = staffCall(t, srv, "POST", "/api/staff/sound", token, `{"on":false}`)
	if code != 200 || got["on"] != false || got["reason"] != sound.ReasonStaff {
		t.Fatalf("turned off: %d %v", code, got)
	}
	actions, err := store.StaffActions(context.Background(), st.DB, 10)
	if err != nil || len(actions) < 3 || actions[0].Action != "turned sound off" || actions[1].Action != "turned sound on" {
		t.Fatalf("audit trail %+v, %v", actions, err)
	}
}

// On a read-only disk (store.OpenOrReadOnly) staff cannot switch the sound,
// since the switch changes only once saved: the answer says read_only, which
// the staff panel words, rather than a 500 as if the kiosk had failed; the
// sound stays as it was.
func TestSoundSwitchOnAReadOnlyDisk(t *testing.T) {
	a := staffAPI(t, "258025", nil)
	dir := testdisk.Mount(t, "8m")
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	testdisk.RemountReadOnly(t, dir)
	if st, err = store.OpenOrReadOnly(dir); err != nil || !st.ReadOnly {
		t.Fatalf("open read-only: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	a.Store = st
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	token := staffLogin(t, srv, "258025")
	code, got := staffCall(t, srv, "POST", "/api/staff/sound", token, `{"on":false}`)
	if code != http.StatusConflict || got["code"] != codeReadOnly {
		t.Fatalf("sound off on a read-only disk: %d %v, want 409 %s", code, got, codeReadOnly)
	}
	if code, got := staffCall(t, srv, "GET", "/api/staff/sound", token, ""); code != 200 || got["on"] != true {
		t.Fatalf("after the refusal: %d %v, want sound on", code, got)
	}
}
