//go:build !desktop

package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/hub"
	"tramso/kiosk/hub/hubtest"
)

// tryLogin logs in to the console at base as a browser would, and returns
// the answer's status and page.
func tryLogin(t *testing.T, base, user, password string) (int, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	a := &adminClient{client: &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	form := url.Values{"csrf": {a.csrf(t, base+"/admin/login")}, "username": {user}, "password": {password}}
	req, _ := http.NewRequest(http.MethodPost, base+"/admin/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	resp, err := a.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestHubAdminUserLiftsLoginBlock: the outside tester's case. After too many
// wrong passwords the right one is refused, saying an admin can lift the
// block; `hub admin-user` setting a new password lifts it on the running
// hub at once, says so, and logs it.
func TestHubAdminUserLiftsLoginBlock(t *testing.T) {
	tmp, db := t.TempDir(), hubtest.Database(t)
	t.Setenv(HubDBEnv, db)
	mustRun(t, "keygen", "--out", filepath.Join(tmp, "keys"))
	data := filepath.Join(tmp, "hub")
	p := startTramsoEnv(t, "hub", "", nil, "hub", "--addr", "127.0.0.1:0", "--data", data, "--pub", filepath.Join(tmp, "keys", "province.pub"))
	m, _ := p.await(t, "serving line", servingRe, 0)
	base := m[1]

	const first, second = "ReviewPass123", "mật khẩu mới đủ dài"
	runTramso(t, first+"\n", "hub", "admin-user", "--data", data, "--user", "duyet", "--role", "reviewer")
	for i := range 10 {
		if code, _ := tryLogin(t, base, "duyet", fmt.Sprint("sai lần ", i)); code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i, code)
		}
	}
	code, body := tryLogin(t, base, "duyet", first)
	if code != http.StatusTooManyRequests || !strings.Contains(body, "nhờ người quản trị của tỉnh mở chặn trong trang Tài khoản") {
		t.Fatalf("the right password after 10 wrong ones: %d\n%.1500s", code, body)
	}

	out := runTramso(t, second+"\n", "hub", "admin-user", "--data", data, "--user", "duyet")
	if !strings.Contains(out, "account duyet can now log in at /admin/") ||
		!strings.Contains(out, "lifted its login block") || !strings.Contains(out, "from 1 address(es)") {
		t.Fatalf("admin-user on a blocked account says:\n%s", out)
	}
	if code, body := tryLogin(t, base, "duyet", second); code != http.StatusSeeOther {
		t.Fatalf("login with the new password after admin-user: %d\n%.1500s", code, body)
	}
	// Nothing left to lift: nothing said about it.
	if out := runTramso(t, second+"\n", "hub", "admin-user", "--data", data, "--user", "duyet"); strings.Contains(out, "block") {
		t.Fatalf("admin-user on an open account speaks of a block:\n%s", out)
	}

	h, err := hub.Open(hub.Options{Dir: data, Database: db})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	entries, err := h.Audit(context.Background(), 0, 100)
	var lifts []string
	for _, e := range entries {
		if e.Action == "user_login_unblocked" {
			lifts = append(lifts, e.User+" "+e.Remote+" "+e.Detail)
		}
	}
	if err != nil || len(lifts) != 1 || !strings.HasPrefix(lifts[0], "cli:") ||
		!strings.Contains(lifts[0], hub.CLIAddress+" duyet: bị chặn từ 1 địa chỉ") {
		t.Fatalf("audit of the lift: %q, %v", lifts, err)
	}
}
