package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// loginFrom logs in through the handler as a browser at addr would.
func loginFrom(t *testing.T, hd http.Handler, addr, user, password string) int {
	return loginPage(t, hd, addr, user, password).Code
}

func loginPage(t *testing.T, hd http.Handler, addr, user, password string) *httptest.ResponseRecorder {
	t.Helper()
	get := httptest.NewRequest(http.MethodGet, "/admin/login", nil)
	get.RemoteAddr = addr + ":40000"
	rec := httptest.NewRecorder()
	hd.ServeHTTP(rec, get)
	m := csrfRe.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("no login form: %d", rec.Code)
	}
	form := url.Values{"csrf": {m[1]}, "username": {user}, "password": {password}}
	post := httptest.NewRequest(http.MethodPost, "/admin/login", strings.NewReader(form.Encode()))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	post.RemoteAddr = addr + ":40001"
	for _, c := range rec.Result().Cookies() {
		post.AddCookie(c)
	}
	rec = httptest.NewRecorder()
	hd.ServeHTTP(rec, post)
	return rec
}

func enrollFrom(hd http.Handler, addr, code string) int {
	body, _ := json.Marshal(enrollRequest{Code: code, Name: "Kiosk"})
	req := httptest.NewRequest(http.MethodPost, "/api/enroll", strings.NewReader(string(body)))
	req.RemoteAddr = addr + ":40002"
	rec := httptest.NewRecorder()
	hd.ServeHTTP(rec, req)
	return rec.Code
}

func throttledHub(t *testing.T) (*Hub, http.Handler) {
	h, _ := startTestHub(t, Options{})
	if err := h.CreateAdmin(context.Background(), "tinh", testPassword); err != nil {
		t.Fatal(err)
	}
	return h, h.Handler()
}

func TestStrangerCannotLockOutTheAdmin(t *testing.T) {
	h, hd := throttledHub(t)
	const stranger, office = "203.0.113.7", "198.51.100.20"
	for i := range loginPerAccount {
		if code := loginFrom(t, hd, stranger, "tinh", "đoán sai lần thứ "+fmt.Sprint(i)); code != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, code)
		}
	}
	rec := loginPage(t, hd, stranger, "tinh", testPassword)
	vietnamese(t, "throttled login", rec.Code, http.StatusTooManyRequests, rec.Body.String(), "Đã nhập sai quá nhiều lần", `action="/admin/login"`)
	if code := loginFrom(t, hd, office, "tinh", testPassword); code != http.StatusSeeOther {
		t.Fatalf("the real admin from the office is locked out: %d", code)
	}
	// Enrollment has its own count: the stranger's wrong passwords stop no kiosk.
	code, _ := h.CreateCode(context.Background(), "Ea Kao", "test")
	if got := enrollFrom(hd, stranger, code); got != http.StatusOK {
		t.Fatalf("enrollment after a login lock-out: %d", got)
	}
	entries, _ := h.Audit(context.Background(), 0, 100)
	var failed, throttled int
	for _, e := range entries {
		switch {
		case e.Action == "login_failed" && e.Remote == stranger:
			failed++
		case e.Action == "login_throttled" && e.Remote == stranger:
			throttled++
		}
	}
	if failed != loginPerAccount || throttled != 1 {
		t.Fatalf("audit: %d failed logins and %d throttle entries from the stranger, want %d and 1", failed, throttled, loginPerAccount)
	}
}

// One address trying many accounts meets the address's ceiling. (Checked on
// the throttle itself: end to end, each attempt costs a bcrypt.)
func TestAddressCeilingAcrossAccounts(t *testing.T) {
	th := testThrottle(t)
	now := time.Now()
	refused := 0
	for i := range loginPerAddress + 5 {
		if a, why := reserveOK(t, th, now, loginCeilings(fmt.Sprint("ten-", i), "203.0.113.8")...); why != nil {
			refused++
		} else {
			a.Keep()
		}
	}
	if refused != 5 {
		t.Fatalf("one address tried %d accounts: %d refused, want 5", loginPerAddress+5, refused)
	}
	if _, why := reserveOK(t, th, now, loginCeilings("ten-0", "203.0.113.9")...); why != nil {
		t.Fatal("another address was refused")
	}
}

func TestParallelGuessesAreAllCounted(t *testing.T) {
	h, hd := throttledHub(t)
	const guesses = 120
	codes := make([]int, guesses)
	var wg sync.WaitGroup
	for i := range guesses {
		wg.Go(func() { codes[i] = loginFrom(t, hd, "203.0.113.9", "tinh", fmt.Sprint("đoán song song ", i)) })
	}
	wg.Wait()
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	// Every guess that reached bcrypt answered 401; the rest were refused first.
	if count[http.StatusUnauthorized] > loginPerAccount || count[http.StatusUnauthorized]+count[http.StatusTooManyRequests] != guesses {
		t.Fatalf("%d parallel guesses: %v; at most %d may be checked", guesses, count, loginPerAccount)
	}
	entries, _ := h.Audit(context.Background(), 0, 200)
	failed := 0
	for _, e := range entries {
		if e.Action == "login_failed" {
			failed++
		}
	}
	if failed != count[http.StatusUnauthorized] {
		t.Fatalf("%d failed logins audited, %d answered", failed, count[http.StatusUnauthorized])
	}
}

func TestEnrollmentThrottledOnItsOwn(t *testing.T) {
	h, hd := throttledHub(t)
	const kiosk = "203.0.113.10"
	for i := range enrollPerAddress {
		if code := enrollFrom(hd, kiosk, fmt.Sprintf("AAAA-BBBB-%04d", i)); code != http.StatusForbidden {
			t.Fatalf("wrong code %d: %d", i, code)
		}
	}
	good, _ := h.CreateCode(context.Background(), "Ea Kao", "test")
	if code := enrollFrom(hd, kiosk, good); code != http.StatusTooManyRequests {
		t.Fatalf("enrollment after %d wrong codes: %d", enrollPerAddress, code)
	}
	if code := enrollFrom(hd, "203.0.113.11", good); code != http.StatusOK {
		t.Fatalf("enrollment from another address: %d", code)
	}
	if code := loginFrom(t, hd, kiosk, "tinh", testPassword); code != http.StatusSeeOther {
		t.Fatalf("login from an address throttled for enrollment: %d", code)
	}
}

// testThrottle is a throttle on a test hub's database.
func testThrottle(t *testing.T) *throttle {
	h := runTestHub(t, Options{})
	return &throttle{db: h.DB, kind: "test", log: h.log}
}

// reserveOK is th.reserve, failing the test on a database error.
func reserveOK(t *testing.T, th *throttle, now time.Time, cs ...ceiling) (*attempt, *refusal) {
	t.Helper()
	a, why, err := th.reserve(context.Background(), now, cs...)
	if err != nil {
		t.Fatal(err)
	}
	return a, why
}

func TestThrottleWindowAndRelease(t *testing.T) {
	th := testThrottle(t)
	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	cs := []ceiling{{key: "k", max: 2}}
	a, _ := reserveOK(t, th, now, cs...)
	b, _ := reserveOK(t, th, now, cs...)
	if _, why := reserveOK(t, th, now, cs...); why == nil || !why.first {
		t.Fatal("a third attempt in flight was not refused")
	}
	a.Release()
	a.Release() // twice gives back one place only
	b.Keep()
	b.Release()
	if _, why := reserveOK(t, th, now, cs...); why != nil {
		t.Fatal("a released place was not given back")
	}
	if _, why := reserveOK(t, th, now, cs...); why == nil || why.first {
		t.Fatal("the ceiling did not hold, or a second refusal was reported as the first")
	}
	if _, why := reserveOK(t, th, now.Add(guessWindow), cs...); why != nil {
		t.Fatal("the window did not end")
	}
}

func TestClientAddr(t *testing.T) {
	for _, c := range []struct {
		remote, fwd string
		proxy       bool
		want        string
	}{
		{"192.0.2.1:5000", "", false, "192.0.2.1"},
		{"192.0.2.1:5000", "10.9.9.9", false, "192.0.2.1"},
		{"127.0.0.1:5000", "6.6.6.6, 192.0.2.7", true, "192.0.2.7"},
		{"[2001:db8:1:2:3:4:5:6]:5000", "", false, "2001:db8:1:2::/64"},
	} {
		h := &Hub{opts: Options{TrustProxy: c.proxy}}
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = c.remote
		if c.fwd != "" {
			r.Header.Set("X-Forwarded-For", c.fwd)
		}
		if got := h.clientAddr(r); got != c.want {
			t.Errorf("%s %q proxy=%v: %q, want %q", c.remote, c.fwd, c.proxy, got, c.want)
		}
	}
}
