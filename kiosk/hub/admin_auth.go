package hub

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Admin session cookie and lifetime.
const (
	sessionCookie   = "tramso_session"
	loginCookie     = "tramso_login" // double-submit CSRF token for the login form
	sessionLifetime = 12 * time.Hour
	minPassword     = 10
)

// CreateAdmin adds a province staff login, or sets a new password for an
// existing one.
func (h *Hub) CreateAdmin(ctx context.Context, username, password string) error {
	if username == "" || len(username) > 64 || strings.ContainsAny(username, " \t\r\n") || !utf8.ValidString(username) {
		return errors.New("admin user name: 1 to 64 characters, no spaces")
	}
	if utf8.RuneCountInString(password) < minPassword || len(password) > 72 {
		return fmt.Errorf("admin password: %d to 72 bytes, at least %d characters", minPassword, minPassword)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	_, err = h.DB.ExecContext(ctx, `INSERT INTO admins(username, password_hash, created_at) VALUES (?, ?, ?)
		ON CONFLICT(username) DO UPDATE SET password_hash = excluded.password_hash`, username, string(hash), h.stamp())
	return err
}

// session is a logged-in admin.
type session struct {
	User string
	CSRF string
}

// login checks a password and opens a session, returning the cookie value.
func (h *Hub) login(ctx context.Context, username, password string) (string, error) {
	var id int64
	var hash string
	err := h.DB.QueryRowContext(ctx, `SELECT id, password_hash FROM admins WHERE username = ?`, username).Scan(&id, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		// Spend the same time as a real check, so a name's existence does not show.
		_ = bcrypt.CompareHashAndPassword([]byte("$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z6GJe7S1vMQHzJX5HgBvyP5e"), []byte(password))
		return "", errors.New("wrong user name or password")
	} else if err != nil {
		return "", err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return "", errors.New("wrong user name or password")
	}
	token := randomString(43)
	_, err = h.DB.ExecContext(ctx, `INSERT INTO admin_sessions(token_hash, admin_id, csrf, expires_at) VALUES (?, ?, ?, ?)`,
		hashHex(token), id, randomString(32), h.now().Add(sessionLifetime).Format(time.RFC3339))
	if err != nil {
		return "", err
	}
	_, _ = h.DB.ExecContext(ctx, `DELETE FROM admin_sessions WHERE expires_at < ?`, h.stamp())
	return token, nil
}

func (h *Hub) session(r *http.Request) (session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return session{}, false
	}
	var s session
	err = h.DB.QueryRowContext(r.Context(), `SELECT a.username, s.csrf FROM admin_sessions s JOIN admins a ON a.id = s.admin_id
		WHERE s.token_hash = ? AND s.expires_at > ?`, hashHex(c.Value), h.stamp()).Scan(&s.User, &s.CSRF)
	return s, err == nil
}

func (h *Hub) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/admin", MaxAge: maxAge,
		HttpOnly: true, Secure: !h.opts.InsecureHTTP, SameSite: http.SameSiteStrictMode})
}

// sameOrigin refuses a form posted from another site. SameSite cookies and
// the CSRF token already stop that; this is the belt to their braces.
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || origin == "null" {
		return origin == "" // no Origin: an old browser or a tool; the token still guards
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}

func tokensEqual(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// adminOnly admits logged-in staff; a POST must carry the session's CSRF
// token and come from this site.
func (h *Hub) adminOnly(next func(http.ResponseWriter, *http.Request, session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, ok := h.session(r)
		if !ok {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
				return
			}
			http.Error(w, "not logged in", http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPost {
			if !sameOrigin(r) || !tokensEqual(r.PostFormValue("csrf"), s.CSRF) {
				http.Error(w, "this form has expired or did not come from this site; reload the page", http.StatusForbidden)
				return
			}
		}
		next(w, r, s)
	}
}

func (h *Hub) loginPage(w http.ResponseWriter, r *http.Request) {
	token := randomString(32)
	h.setCookie(w, loginCookie, token, 3600)
	h.render(w, http.StatusOK, "login", page{Title: "Đăng nhập", CSRF: token})
}

func (h *Hub) loginPost(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(loginCookie)
	if err != nil || !sameOrigin(r) || !tokensEqual(r.PostFormValue("csrf"), c.Value) {
		http.Error(w, "this form has expired; reload the page", http.StatusForbidden)
		return
	}
	if !h.limiter.allow(h.now()) {
		http.Error(w, "too many failed attempts; wait a minute", http.StatusTooManyRequests)
		return
	}
	token, err := h.login(r.Context(), r.PostFormValue("username"), r.PostFormValue("password"))
	if err != nil {
		h.limiter.fail(h.now())
		fresh := randomString(32)
		h.setCookie(w, loginCookie, fresh, 3600)
		h.render(w, http.StatusUnauthorized, "login", page{Title: "Đăng nhập", CSRF: fresh, Error: "Sai tên đăng nhập hoặc mật khẩu."})
		return
	}
	h.setCookie(w, loginCookie, "", -1)
	h.setCookie(w, sessionCookie, token, int(sessionLifetime/time.Second))
	http.Redirect(w, r, "/admin/", http.StatusSeeOther)
}

func (h *Hub) logout(w http.ResponseWriter, r *http.Request, s session) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		_, _ = h.DB.ExecContext(r.Context(), `DELETE FROM admin_sessions WHERE token_hash = ?`, hashHex(c.Value))
	}
	h.setCookie(w, sessionCookie, "", -1)
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
}
