package hub

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Lifting a login block: the refused login says who can lift it, an admin
// lifts it on Tài khoản for one account, and every hub on the database
// honours the lift at once.

// blockAccount types loginPerAccount wrong passwords for user from addr, and
// checks the right one is then refused, saying who can lift the block.
func blockAccount(t *testing.T, hd http.Handler, addr, user, password string) {
	t.Helper()
	for i := range loginPerAccount {
		if code := loginFrom(t, hd, addr, user, fmt.Sprint("đoán sai ", i)); code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d for %s: %d", i, user, code)
		}
	}
	rec := loginPage(t, hd, addr, user, password)
	vietnamese(t, "blocked login of "+user, rec.Code, http.StatusTooManyRequests, rec.Body.String(),
		"nhờ người quản trị của tỉnh mở chặn trong trang Tài khoản", `action="/admin/login"`)
}

// secondHub opens another running hub on h's database (its SQLite file, or
// its PostgreSQL database), as a second hub process would.
func secondHub(t *testing.T, h *Hub) *Hub {
	if h.opts.Database == "" {
		return runTestHub(t, Options{Dir: h.opts.Dir})
	}
	return runTestHub(t, Options{Database: h.opts.Database})
}

// userRowOf is the users page's row for name.
func userRowOf(t *testing.T, body, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)data-testid="user-` + regexp.QuoteMeta(name) + `">.*?</tr>`).FindString(body)
	if m == "" {
		t.Fatalf("no row for %s on the users page:\n%.2000s", name, body)
	}
	return m
}

func TestLockedLoginSaysWhenAndWhoLiftsIt(t *testing.T) {
	h, hd := throttledHub(t)
	start := h.now()
	blockAccount(t, hd, "203.0.113.40", "tinh", testPassword)
	body := loginPage(t, hd, "203.0.113.40", "tinh", testPassword).Body.String()
	// The block ends with its window: said as a time, not "15 minutes" from now.
	until := regexp.MustCompile(`bị chặn đăng nhập từ máy này đến (\d\d/\d\d/\d{4} \d\d:\d\d)`).FindStringSubmatch(body)
	if until == nil {
		t.Fatalf("the refusal does not say until when:\n%.1500s", body)
	}
	end, err := time.ParseInLocation(exactLayout, until[1], h.opts.Location)
	if err != nil || end.Before(start.Add(guessWindow-2*time.Minute)) || end.After(h.now().Add(guessWindow)) {
		t.Fatalf("blocked until %s (%v), want about %s", until[1], err, h.formatExact(start.Add(guessWindow)))
	}
	if strings.Contains(body, "15 phút") || strings.Contains(body, "người quản trị máy chủ") {
		t.Fatalf("the refusal still sends the user to the server's technician:\n%.1500s", body)
	}
}

func TestAdminLiftsALoginBlockForEveryHub(t *testing.T) {
	ctx := context.Background()
	h, srv, a := loggedIn(t)
	for name, role := range map[string]Role{"duyet": RoleReviewer, "xem": RoleViewer} {
		if err := h.AddAdminUser(ctx, name, testPassword, role); err != nil {
			t.Fatal(err)
		}
	}
	// duyet mistypes on hub B; the admin works on hub A.
	other := secondHub(t, h).Handler()
	const desk, stranger = "203.0.113.41", "198.51.100.41"
	blockAccount(t, other, desk, "duyet", testPassword)
	blockAccount(t, other, desk, "xem", testPassword) // a block of another account, which must stay

	_, body := a.get("/admin/users")
	row := userRowOf(t, body, "duyet")
	for _, want := range []string{"bị chặn đăng nhập", "từ 1 địa chỉ", `value="unblock"`, "Mở chặn đăng nhập", `name="csrf"`} {
		if !strings.Contains(row, want) {
			t.Fatalf("duyet's row lacks %q:\n%s", want, row)
		}
	}
	if row := userRowOf(t, body, "tinh"); strings.Contains(row, "unblock") || strings.Contains(row, "bị chặn") {
		t.Fatalf("an account nobody guessed at shows a block:\n%s", row)
	}

	// Without the page's token, or from a viewer, nothing is lifted.
	if code, _ := a.post("/admin/users/duyet", url.Values{"action": {"unblock"}}, srv.URL); code != http.StatusForbidden {
		t.Fatalf("unblock without the CSRF token: %d", code)
	}
	viewer := newAdmin(t, srv)
	if code := viewer.login("xem", testPassword); code != http.StatusOK {
		t.Fatalf("viewer login from the office: %d", code)
	}
	if code, _ := viewer.post("/admin/users/duyet", url.Values{"csrf": {viewer.csrf("/admin/")}, "action": {"unblock"}}, srv.URL); code != http.StatusForbidden {
		t.Fatalf("a viewer lifting a block: %d", code)
	}
	if code := loginFrom(t, other, desk, "duyet", testPassword); code != http.StatusTooManyRequests {
		t.Fatalf("the block went without an admin lifting it: %d", code)
	}

	code, body := a.post("/admin/users/duyet", url.Values{"csrf": {a.csrf("/admin/users")}, "action": {"unblock"}}, srv.URL)
	if code != http.StatusOK || !strings.Contains(body, "Đã mở chặn đăng nhập") || strings.Contains(userRowOf(t, body, "duyet"), "bị chặn") {
		t.Fatalf("unblock: %d\n%.2000s", code, body)
	}
	if !strings.Contains(userRowOf(t, body, "xem"), "bị chặn đăng nhập") {
		t.Fatal("lifting duyet's block lifted xem's too")
	}
	if code := loginFrom(t, other, desk, "duyet", testPassword); code != http.StatusSeeOther {
		t.Fatalf("duyet's login on the other hub after the lift: %d", code)
	}
	if code := loginFrom(t, other, desk, "xem", testPassword); code != http.StatusTooManyRequests {
		t.Fatalf("xem's login after lifting duyet's block only: %d", code)
	}

	entries, _ := h.Audit(ctx, 0, 200)
	var lifts []string
	for _, e := range entries {
		if e.Action == "user_login_unblocked" {
			lifts = append(lifts, e.User+" "+e.Detail+" "+e.Label)
		}
	}
	if len(lifts) != 1 || !strings.HasPrefix(lifts[0], "tinh duyet: bị chặn từ 1 địa chỉ") || !strings.Contains(lifts[0], "Mở chặn đăng nhập") {
		t.Fatalf("audit of the lift: %q", lifts)
	}

	// A lift forgives; it does not open the door to guessing.
	blockAccount(t, other, stranger, "duyet", testPassword)
}

// A lift forgives the account's guesses on its address's count too, and no
// one else's: the address still stops a machine trying every name.
func TestLiftKeepsTheAddressCeiling(t *testing.T) {
	th := testThrottle(t)
	now := time.Now()
	const addr = "203.0.113.42"
	guess := func(name string, n int) {
		t.Helper()
		for i := range n {
			a, why := reserveOK(t, th, now, loginCeilings(name, addr)...)
			if why != nil {
				t.Fatalf("guess %d at %s refused", i, name)
			}
			a.Keep()
		}
	}
	guess("duyet", loginPerAccount)
	for i := range (loginPerAddress - loginPerAccount) / loginPerAccount {
		guess(fmt.Sprint("ten-", i), loginPerAccount)
	}
	if _, why := reserveOK(t, th, now, loginCeilings("lan", addr)...); why == nil || why.account {
		t.Fatalf("the address ceiling did not hold: %+v", why)
	}
	if _, why := reserveOK(t, th, now, loginCeilings("duyet", addr)...); why == nil || !why.account {
		t.Fatalf("duyet's own ceiling did not hold: %+v", why)
	}
	lift, err := th.liftAccount(context.Background(), now, "duyet", loginPerAccount)
	if err != nil || lift.Lifted.Addresses != 1 || lift.Forgot != loginPerAccount {
		t.Fatalf("lift: %+v, %v", lift, err)
	}
	// duyet's guesses are forgiven everywhere; the others' still count.
	guess("duyet", loginPerAccount)
	if _, why := reserveOK(t, th, now, loginCeilings("lan", addr)...); why == nil || why.account {
		t.Fatalf("after the lift, the address ceiling did not hold: %+v", why)
	}
	if _, why := reserveOK(t, th, now, loginCeilings("ten-0", addr)...); why == nil {
		t.Fatal("lifting duyet's block lifted ten-0's")
	}
}
