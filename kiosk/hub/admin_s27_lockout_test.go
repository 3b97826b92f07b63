package hub

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// loginMessage is the error the login page shows after a refused login.
func loginMessage(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)role="alert"[^>]*>\s*(?:<p>)?(.*?)</`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no error on the login page:\n%.1500s", body)
	}
	return html.UnescapeString(strings.TrimSpace(m[1]))
}

// Wrong passwords count down before the block (outside QA s27, finding 9):
// the first ones say only that the name or password is wrong, the last two
// say how many tries are left and what happens after, and the one that
// uses up the last try says the block has started. A name no account has
// gets exactly the same words, so the countdown tells a guesser nothing.
func TestLoginCountsDownTheLastTries(t *testing.T) {
	_, hd := throttledHub(t)
	for _, c := range []struct{ addr, user string }{{"203.0.113.60", "tinh"}, {"203.0.113.61", "khongco"}} {
		var got []string
		for i := range loginPerAccount {
			rec := loginPage(t, hd, c.addr, c.user, fmt.Sprint("sai ", i))
			if rec.Code != http.StatusUnauthorized {
				t.Fatalf("%s: wrong password %d: %d", c.user, i+1, rec.Code)
			}
			got = append(got, loginMessage(t, rec.Body.String()))
		}
		plain := "Sai tên đăng nhập hoặc mật khẩu."
		for i, msg := range got[:loginPerAccount-warnTries-1] {
			if msg != plain {
				t.Errorf("%s: attempt %d says %q, want only %q", c.user, i+1, msg, plain)
			}
		}
		for i, left := range []int{2, 1} {
			msg := got[loginPerAccount-3+i]
			want := fmt.Sprintf(`^Sai tên đăng nhập hoặc mật khẩu\. Còn %d lần thử, sau đó tài khoản này bị chặn đăng nhập từ máy này đến \d\d/\d\d/\d{4} \d\d:\d\d\.$`, left)
			if !regexp.MustCompile(want).MatchString(msg) {
				t.Errorf("%s: attempt %d says %q, want %d tries left", c.user, loginPerAccount-2+i, msg, left)
			}
		}
		if last := got[loginPerAccount-1]; !strings.Contains(last, "Đã hết số lần thử: tài khoản này bị chặn đăng nhập từ máy này đến ") ||
			!strings.Contains(last, "mở chặn trong trang Tài khoản") {
			t.Errorf("%s: the last try says %q", c.user, last)
		}
		// The next is refused as before, even with the right password.
		if code := loginFrom(t, hd, c.addr, c.user, testPassword); code != http.StatusTooManyRequests {
			t.Errorf("%s: after the last try: %d", c.user, code)
		}
		t.Logf("%s: %q / %q / %q", c.user, got[loginPerAccount-3], got[loginPerAccount-2], got[loginPerAccount-1])
	}
}

// Spread over many names, it is the machine's own ceiling that runs out:
// the countdown then says the machine is blocked for every name.
func TestLoginCountdownNamesTheMachineWhenItsCeilingIsNearer(t *testing.T) {
	_, hd := throttledHub(t)
	const addr = "203.0.113.62"
	var msg string
	for i := range loginPerAddress - 1 {
		user := fmt.Sprint("ten", i/(loginPerAccount-warnTries-1)) // never near one name's own ceiling
		rec := loginPage(t, hd, addr, user, "sai")
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, rec.Code)
		}
		msg = loginMessage(t, rec.Body.String())
	}
	if !regexp.MustCompile(`Còn 1 lần thử, sau đó máy này bị chặn đăng nhập với mọi tên đăng nhập đến \d\d/\d\d/\d{4} \d\d:\d\d\.$`).MatchString(msg) {
		t.Fatalf("one try left on the machine: %q", msg)
	}
}
