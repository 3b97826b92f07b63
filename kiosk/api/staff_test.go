package api

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/pack"
	"tramso/kiosk/staffpin"
	"tramso/kiosk/store"
	"tramso/kiosk/testdisk"
)

// recordingWindow stands in for the desktop window, which needs a display.
// It keeps the full-screen state its actions set.
type recordingWindow struct {
	mu    sync.Mutex
	calls []string
	full  bool
}

func (w *recordingWindow) record(c string) { w.mu.Lock(); w.calls = append(w.calls, c); w.mu.Unlock() }
func (w *recordingWindow) Fullscreen()     { w.record("fullscreen"); w.set(true) }
func (w *recordingWindow) Unfullscreen()   { w.record("unfullscreen"); w.set(false) }
func (w *recordingWindow) set(full bool)   { w.mu.Lock(); w.full = full; w.mu.Unlock() }
func (w *recordingWindow) IsFullscreen() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.full
}
func (w *recordingWindow) Quit()  { w.record("quit") }
func (w *recordingWindow) Renew() { w.record("renew") }

// staffServer serves the API with a real store and, unless pin is "", a PIN.
func staffServer(t *testing.T, pin string, win Window) (*httptest.Server, *store.Store) {
	t.Helper()
	s := staffAPI(t, pin, win)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv, s.Store
}

// staffAPI is staffServer's API, not yet served.
func staffAPI(t *testing.T, pin string, win Window) *Server {
	t.Helper()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := config.Default()
	if pin != "" {
		cfg.Staff.PINHash, err = staffpin.HashWith(pin, staffpin.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
		if err != nil {
			t.Fatal(err)
		}
	}
	s := &Server{Config: cfg, Store: st, Content: content.NewLive(&content.Pack{}, content.SourceEmbedded)}
	if win != nil {
		s.Window = win
	}
	return s
}

// staffLogin opens staff mode with the PIN and returns its token.
func staffLogin(t *testing.T, srv *httptest.Server, pin string) string {
	t.Helper()
	code, out := staffCall(t, srv, "POST", "/api/staff/login", "", `{"pin":"`+pin+`"}`)
	token, _ := out["token"].(string)
	if code != http.StatusOK || token == "" {
		t.Fatalf("staff login: %d %v", code, out)
	}
	return token
}

func staffCall(t *testing.T, srv *httptest.Server, method, path, token, body string) (int, map[string]any) {
	t.Helper()
	var header []string
	if token != "" {
		header = []string{StaffTokenHeader, token}
	}
	code, raw := call(t, srv, method, path, body, header...)
	out := map[string]any{}
	_ = json.Unmarshal(raw, &out)
	return code, out
}

func TestStaffLoginAndLockout(t *testing.T) {
	srv, st := staffServer(t, "258025", nil)
	code, status := staffCall(t, srv, "GET", "/api/staff/status", "", "")
	if code != 200 || status["configured"] != true || status["tries_left"] != float64(5) {
		t.Fatalf("status: %d %v", code, status)
	}
	for i := 4; i >= 1; i-- {
		code, out := staffCall(t, srv, "POST", "/api/staff/login", "", `{"pin":"111111"}`)
		if code != http.StatusUnauthorized || out["tries_left"] != float64(i) {
			t.Fatalf("wrong PIN: %d %v, want 401 with %d tries left", code, out, i)
		}
	}
	code, out := staffCall(t, srv, "POST", "/api/staff/login", "", `{"pin":"111111"}`)
	// The pad counts the lock down from the seconds the server gives: the
	// desktop window's WebKit read locked_until's nanoseconds as another time.
	if code != http.StatusLocked || out["locked_until"] == nil || out["locked_seconds"] != float64(30) {
		t.Fatalf("fifth wrong PIN: %d %v, want 423 with locked_until and 30 locked_seconds", code, out)
	}
	if code, out := staffCall(t, srv, "GET", "/api/staff/status", "", ""); code != http.StatusOK || out["locked"] != true ||
		out["locked_seconds"].(float64) < 29 || out["locked_seconds"].(float64) > 30 {
		t.Fatalf("status while locked: %d %v, want 29–30 locked_seconds", code, out)
	}
	code, _ = staffCall(t, srv, "POST", "/api/staff/login", "", `{"pin":"258025"}`)
	if code != http.StatusLocked {
		t.Fatalf("right PIN while locked: %d, want 423", code)
	}
	lock, err := store.LoadStaffLockout(context.Background(), st.DB)
	if err != nil || lock.Failures != 5 || lock.LockedUntil.IsZero() {
		t.Fatalf("stored lockout %+v, %v", lock, err)
	}
}

func TestStaffSessionGuardsEndpoints(t *testing.T) {
	win := &recordingWindow{}
	srv, st := staffServer(t, "258025", win)
	for _, tc := range []struct{ method, path, body string }{
		{"POST", "/api/staff/ping", `{}`},
		{"POST", "/api/staff/log", `{"action":"end_session"}`},
		{"POST", "/api/staff/window", `{"action":"fullscreen"}`},
		{"POST", "/api/staff/logout", `{}`},
	} {
		if code, _ := staffCall(t, srv, tc.method, tc.path, "", tc.body); code != http.StatusUnauthorized {
			t.Errorf("%s %s without a token: %d, want 401", tc.method, tc.path, code)
		}
		if code, _ := staffCall(t, srv, tc.method, tc.path, "forged", tc.body); code != http.StatusUnauthorized {
			t.Errorf("%s %s with a forged token: %d, want 401", tc.method, tc.path, code)
		}
	}
	code, out := staffCall(t, srv, "POST", "/api/staff/login", "", `{"pin":"258025"}`)
	token, _ := out["token"].(string)
	if code != 200 || len(token) != 64 || out["idle_seconds"] != float64(120) {
		t.Fatalf("login: %d %v", code, out)
	}
	for _, tc := range []struct {
		path, body string
		want       int
	}{
		{"/api/staff/ping", `{}`, 200},
		{"/api/staff/log", `{"action":"end_session"}`, 200},
		{"/api/staff/log", `{"action":"Nguyễn Văn A typed this"}`, 400},
		{"/api/staff/log", `{"action":"end_session","who":"x"}`, 400},
		{"/api/staff/window", `{"action":"fullscreen"}`, 200},
		{"/api/staff/window", `{"action":"unfullscreen"}`, 200},
		{"/api/staff/window", `{"action":"reboot"}`, 400},
	} {
		if code, out := staffCall(t, srv, "POST", tc.path, token, tc.body); code != tc.want {
			t.Errorf("POST %s %s: %d %v, want %d", tc.path, tc.body, code, out, tc.want)
		}
	}
	if got := strings.Join(win.calls, ","); got != "fullscreen,unfullscreen" {
		t.Errorf("window calls %q", got)
	}
	if code, _ := staffCall(t, srv, "POST", "/api/staff/logout", token, `{}`); code != 200 {
		t.Fatalf("logout: %d", code)
	}
	if code, _ := staffCall(t, srv, "POST", "/api/staff/ping", token, `{}`); code != http.StatusUnauthorized {
		t.Fatalf("ping after logout: %d, want 401", code)
	}
	actions, err := store.StaffActions(context.Background(), st.DB, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range actions {
		got = append(got, a.Action)
	}
	want := "staff mode closed|left full screen|entered full screen|ended the resident's session|staff mode opened"
	if strings.Join(got, "|") != want {
		t.Fatalf("audit trail %q, want %q", strings.Join(got, "|"), want)
	}
}

func TestStaffWindowInBrowserMode(t *testing.T) {
	srv, _ := staffServer(t, "258025", nil)
	_, out := staffCall(t, srv, "POST", "/api/staff/login", "", `{"pin":"258025"}`)
	token, _ := out["token"].(string)
	code, out := staffCall(t, srv, "POST", "/api/staff/window", token, `{"action":"quit"}`)
	if code != http.StatusNotImplemented || !strings.Contains(out["error"].(string), "browser mode") {
		t.Fatalf("window in browser mode: %d %v, want 501 with a clear message", code, out)
	}
}

// The page asks for a fresh web process after each resident; no PIN is
// needed (the page alone reaches the API in the window), and browser mode,
// which has no window, says so.
func TestWindowRenew(t *testing.T) {
	win := &recordingWindow{}
	srv, _ := staffServer(t, "258025", win)
	if code, out := staffCall(t, srv, "POST", "/api/window/renew", "", `{}`); code != http.StatusOK || out["ok"] != true {
		t.Fatalf("renew: %d %v", code, out)
	}
	if code, _ := staffCall(t, srv, "GET", "/api/window/renew", "", ""); code < 400 {
		t.Errorf("GET renews (%d): only POST may", code)
	}
	if got := strings.Join(win.calls, ","); got != "renew" {
		t.Errorf("window calls %q, want renew once", got)
	}
	browser, _ := staffServer(t, "258025", nil)
	if code, out := staffCall(t, browser, "POST", "/api/window/renew", "", `{}`); code != http.StatusNotImplemented || !strings.Contains(out["error"].(string), "browser mode") {
		t.Fatalf("renew in browser mode: %d %v, want 501 with a clear message", code, out)
	}
}

func TestStaffWithoutPIN(t *testing.T) {
	srv, _ := staffServer(t, "", nil)
	code, out := staffCall(t, srv, "GET", "/api/staff/status", "", "")
	if code != 200 || out["configured"] != false {
		t.Fatalf("status: %d %v", code, out)
	}
	code, out = staffCall(t, srv, "POST", "/api/staff/login", "", `{"pin":"123456"}`)
	if code != http.StatusConflict || !strings.Contains(out["error"].(string), "tramso staff-pin") {
		t.Fatalf("login without a PIN: %d %v, want 409 naming tramso staff-pin", code, out)
	}
}

// The staff status tells a filling disk (store.Store.Room): on an 8 MiB data
// disk the front page hears disk_low, with the megabytes left.
func TestStaffStatusSaysTheDiskIsLow(t *testing.T) {
	a := staffAPI(t, "", nil)
	st, err := store.Open(testdisk.Mount(t, "8m"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a.Store = st
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	code, out := staffCall(t, srv, "GET", "/api/staff/status", "", "")
	if mb, _ := out["disk_free_mb"].(float64); code != http.StatusOK || out["disk_low"] != true || mb < 1 || mb > 8 {
		t.Fatalf("staff status on an 8 MiB disk: %d %v", code, out)
	}
}

// The staff status tells a kiosk that pins no province key, which refuses
// every pack, a USB one too (outside QA s26, finding 5).
func TestStaffStatusSaysNoProvinceKey(t *testing.T) {
	key, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, keys := range [][]string{nil, {strings.TrimSpace(pack.EncodePublicKey(key))}} {
		a := staffAPI(t, "", nil)
		a.Config.Hub.ProvinceKeys = keys
		srv := httptest.NewServer(a.Handler())
		code, out := staffCall(t, srv, "GET", "/api/staff/status", "", "")
		srv.Close()
		if code != http.StatusOK || out["no_province_key"] != (len(keys) == 0) {
			t.Errorf("%d key(s) pinned: %d %v", len(keys), code, out)
		}
	}
}

// Parallel PIN tries are checked one at a time (argon2id takes 64 MiB each,
// outside QA s25): one that cannot wait its turn is answered 429 pin_busy,
// with Retry-After. The right PIN, so that no lockout cuts the burst short.
func TestParallelPINTriesBusy(t *testing.T) {
	s := staffAPI(t, "", nil)
	var err error
	slow := staffpin.Params{Memory: 64 << 10, Time: 8, Threads: 1, SaltLen: 16, KeyLen: 32} // about a second a check
	if s.Config.Staff.PINHash, err = staffpin.HashWith("258025", slow); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	const tries = 12
	type answer struct {
		status      int
		code, retry string
	}
	answers := make(chan answer, tries)
	for range tries {
		go func() {
			req, _ := http.NewRequest("POST", srv.URL+"/api/staff/login", strings.NewReader(`{"pin":"258025"}`))
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				answers <- answer{code: err.Error()}
				return
			}
			defer res.Body.Close()
			var body struct{ Code string }
			_ = json.NewDecoder(res.Body).Decode(&body)
			answers <- answer{res.StatusCode, body.Code, res.Header.Get("Retry-After")}
		}()
	}
	busy, in := 0, 0
	for range tries {
		switch a := <-answers; {
		case a.status == http.StatusOK:
			in++
		case a.status == http.StatusTooManyRequests && a.code == codePINBusy && a.retry != "":
			busy++
		default:
			t.Errorf("answered %+v, want 200, or 429 pin_busy with Retry-After", a)
		}
	}
	if busy == 0 || in == 0 {
		t.Fatalf("%d tries at once: %d logged in, %d answered busy", tries, in, busy)
	}
}
