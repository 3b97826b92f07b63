package hub

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tramso/kiosk/studio/form/formtest"
)

// postFrom posts vals as a browser would from a page of site ("same-origin",
// "cross-site"), which says so in Sec-Fetch-Site.
func (a *admin) postFrom(path string, vals url.Values, site string) (int, string) {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+path, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", site)
	if site == "same-origin" {
		req.Header.Set("Origin", a.srv.URL)
	} else {
		req.Header.Set("Origin", "https://example.net")
	}
	resp, err := a.client.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// postForm posts the first form of class on page back where it goes, as a
// browser would when its button is pressed.
func (a *admin) postForm(page, class, action string) (int, string) {
	a.t.Helper()
	vals, err := formtest.Post(page, class)
	if err != nil || len(vals) == 0 {
		a.t.Fatalf("no %q form on the page (%v): %.1500s", class, err, page)
	}
	return a.postFrom(action, vals, "same-origin")
}

// An editor's session ends while they type (their password was changed on
// another machine); their "Lưu" then keeps what they typed through the
// login, and one press after it saves it, checked as any save. A wrong
// password on the way loses nothing. A form posted from another site is
// never carried; a form whose token is from an ended session, posted in a
// new one (a logout and login in another tab), is offered again at once.
func TestTypedWorkOutlivesTheSession(t *testing.T) {
	h, lan, change, body := openKhaiSinh(t, "Lệ phí quá hạn")
	ctx := context.Background()
	const page = "/admin/content/files/" + khaiSinh
	typed := formOf(t, body)
	typed.Set("fees."+feeIndex(t, typed, "late")+".amount", "8.000")
	long := ""
	for k, v := range typed {
		if strings.Contains(v[0], "\r\n") {
			long = k
			break
		}
	}
	if long == "" {
		t.Fatal("khai-sinh's form has no multi-line text to carry")
	}
	typed.Set(long, typed.Get(long)+"\r\nDòng gõ thêm, có “ngoặc” & <dấu>.")

	// The password changed elsewhere: every session of lan's ends.
	if err := h.CreateAdmin(ctx, "lan", "mật khẩu mới đủ dài"); err != nil {
		t.Fatal(err)
	}
	code, login := lan.postFrom(page, typed, "cross-site")
	if code != http.StatusUnauthorized || strings.Contains(login, carryField) {
		t.Fatalf("a form from another site was carried: %d %.800s", code, login)
	}
	code, login = lan.postFrom(page, typed, "same-origin")
	if code != http.StatusUnauthorized || !strings.Contains(login, "chưa được làm") || !strings.Contains(login, "lưu “Làm giấy khai sinh cho bé”") {
		t.Fatalf("the login page does not say the save was not done: %d %.1500s", code, login)
	}
	if vs, _ := h.ChangeVersions(ctx, change); len(vs) != 0 {
		t.Fatalf("saved without a session: %+v", vs)
	}

	// A wrong password: the login page again, still holding the work.
	vals, err := formtest.Post(login, "login")
	if err != nil {
		t.Fatal(err)
	}
	vals.Set("username", " lan ")
	vals.Set("password", testPassword) // the old one
	code, login = lan.postFrom("/admin/login", vals, "same-origin")
	if code != http.StatusUnauthorized || !strings.Contains(login, "Sai tên đăng nhập") || !strings.Contains(login, carryField+long) || !strings.Contains(login, "Làm giấy khai sinh cho bé") {
		t.Fatalf("a wrong password lost the carried work: %d %.1500s", code, login)
	}
	vals, _ = formtest.Post(login, "login")
	vals.Set("password", "mật khẩu mới đủ dài")
	code, resend := lan.postFrom("/admin/login", vals, "same-origin")
	if code != http.StatusOK || !strings.Contains(resend, "Gửi lại") || !strings.Contains(resend, `href="`+page+`?change=`) {
		t.Fatalf("after the login, no offer to send the work again: %d %.1500s", code, resend)
	}
	if vs, _ := h.ChangeVersions(ctx, change); len(vs) != 0 {
		t.Fatalf("the login saved without the officer's press: %+v", vs)
	}
	code, saved := lan.postForm(resend, "resend", page)
	if code != http.StatusOK || !strings.Contains(saved, `data-testid="saved"`) {
		t.Fatalf("sending again did not save: %d %.1500s", code, saved)
	}
	file := fileBytes(t, h, change, khaiSinh)
	if !strings.Contains(file, "8000") || !strings.Contains(file, "Dòng gõ thêm, có “ngoặc” & <dấu>.") {
		t.Fatalf("the saved file lacks what was typed:\n%s", file)
	}

	// A logout and a login in another tab: this tab's token is an ended
	// session's. The work is offered again in the new session at once.
	typed = formOf(t, saved)
	typed.Set("fees."+feeIndex(t, typed, "late")+".amount", "9.000")
	other := newAdmin(t, lan.srv)
	other.client.Jar = lan.client.Jar
	if code := other.login("lan", "mật khẩu mới đủ dài"); code != http.StatusOK {
		t.Fatalf("second login: %d", code)
	}
	code, resend = lan.postFrom(page, typed, "same-origin")
	if code != http.StatusOK || !strings.Contains(resend, "Gửi lại") {
		t.Fatalf("an old tab's token was not offered again: %d %.1500s", code, resend)
	}
	if code, saved = lan.postForm(resend, "resend", page); code != http.StatusOK || !strings.Contains(fileBytes(t, h, change, khaiSinh), "9000") {
		t.Fatalf("the old tab's work was not saved: %d %.1500s", code, saved)
	}
}

// Where a carried form goes comes back from the browser: only the console's
// own typing pages are taken, never another site or another page.
func TestCarriedGoesOnlyWhereTypingIs(t *testing.T) {
	for to, want := range map[string]bool{
		"/admin/content/files/procedures/khai-sinh.yaml?change=3": true,
		"/admin/content/translate/ede":                            true,
		"/admin/content/changes/4/review":                         true,
		"https://example.net/admin/content/files/x":               false,
		"//example.net/admin/content/files/x":                     false,
		"/admin/content/files/../../users":                        false,
		"/admin/users":                                            false,
		"/admin/password":                                         false,
		"":                                                        false,
	} {
		c := carriedIn(url.Values{carryTo: {to}, carryField + "csrf": {"old"}, carryField + "x": {"1"}})
		if (c != nil) != want {
			t.Errorf("carry to %q: got %+v, want carried %v", to, c, want)
			continue
		}
		if c != nil && (len(c.Fields) != 1 || c.Fields[0] != (formField{"x", "1"})) {
			t.Errorf("carry to %q: fields %+v, want only x (never an old token)", to, c.Fields)
		}
	}
}

// A link into the console followed without a session (from a message, a
// bookmark, a tab left overnight) leads through the login to that page;
// a next page that is another site, or the login itself, leads to the fleet.
func TestLoginGoesOnToThePageAskedFor(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	if err := h.AddAdminUser(context.Background(), "lan", testPassword, RoleEditor); err != nil {
		t.Fatal(err)
	}
	a := newAdmin(t, srv)
	const want = "/admin/content/files/procedures/khai-sinh.yaml?change=1"
	code, login := a.get(want)
	if code != http.StatusOK || !strings.Contains(login, `name="next" value="`+want+`"`) {
		t.Fatalf("the login page does not hold the page asked for: %d %.1500s", code, login)
	}
	vals, err := formtest.Post(login, "login")
	if err != nil {
		t.Fatal(err)
	}
	vals.Set("username", "lan")
	vals.Set("password", testPassword)
	a.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/admin/login", strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", srv.URL)
	resp, err := a.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != want {
		t.Fatalf("after the login: %d to %q, want %q", resp.StatusCode, got, want)
	}
	for raw, to := range map[string]string{
		want:                           want,
		"":                             "/admin/",
		"https://example.net/admin/":   "/admin/",
		"//example.net/admin/":         "/admin/",
		"/admin/../metrics":            "/admin/",
		"/admin/login?next=/admin/":    "/admin/",
		"/admin/logout":                "/admin/",
		"/other":                       "/admin/",
		"/admin/usage?from=2026-01-01": "/admin/usage?from=2026-01-01",
	} {
		if got := nextPage(raw); got != to {
			t.Errorf("nextPage(%q) = %q, want %q", raw, got, to)
		}
	}
}
