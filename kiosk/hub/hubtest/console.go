package hubtest

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Console is a province officer logged in to the hub's console, as a
// browser would be: a cookie jar, the CSRF token of the login form, an
// Origin header on the post.
type Console struct {
	t      testing.TB
	url    string
	client *http.Client
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// Console makes an admin account on the hub and logs in with it.
func (s *Server) Console(t testing.TB) *Console {
	t.Helper()
	const user, password = "tinh", "mật khẩu đủ dài"
	if err := s.CreateAdmin(context.Background(), user, password); err != nil {
		t.Fatalf("console admin: %v", err)
	}
	jar, _ := cookiejar.New(nil)
	c := &Console{t: t, url: s.URL, client: &http.Client{Jar: jar, Transport: s.HTTP.Client().Transport}}
	m := csrfRe.FindStringSubmatch(c.Get("/admin/login"))
	if m == nil {
		t.Fatal("the login form has no CSRF token")
	}
	form := url.Values{"csrf": {m[1]}, "username": {user}, "password": {password}}
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/admin/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.URL)
	resp, err := c.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("console login: %s", resp.Status)
	}
	return c
}

// Get fetches a console page (or export) and fails the test unless it is 200.
func (c *Console) Get(path string) string {
	c.t.Helper()
	resp, err := c.client.Get(c.url + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		c.t.Fatalf("GET %s: %s %v\n%.500s", path, resp.Status, err, b)
	}
	return string(b)
}
