package hub

import (
	"cmp"
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/unicode/norm"

	"tramso/kiosk/hubproto"
)

// Admin session cookie and lifetime.
const (
	sessionCookie   = "tramso_session"
	loginCookie     = "tramso_login" // double-submit CSRF token for the login form
	sessionLifetime = 12 * time.Hour
	minPassword     = 10
)

// CreateAdmin adds a province staff login with the admin role, or sets a
// new password for an existing one (keeping its role). A new password ends
// the user's sessions: it is set from the command line when a password was
// forgotten or may have leaked.
func (h *Hub) CreateAdmin(ctx context.Context, username, password string) error {
	return h.SetAdminUser(ctx, username, password, "")
}

// SetAdminUser is CreateAdmin with a role: "" makes a new account an admin
// and keeps an existing account's role; any other role is given to the
// account. A role change that would leave the hub without an admin is
// refused (errLastAdmin) before the password is touched.
func (h *Hub) SetAdminUser(ctx context.Context, username, password string, role Role) error {
	username, password = typed(username), typed(password)
	hash, err := checkedHash(username, password)
	if err != nil {
		return err
	}
	if role != "" {
		if err := h.SetRole(ctx, username, role); err != nil && !errors.Is(err, errNoSuchUser) {
			return err
		}
	}
	_, err = h.DB.ExecContext(ctx, `INSERT INTO admins(username, password_hash, created_at, role) VALUES ($1, $2, $3, $4)
		ON CONFLICT(username) DO UPDATE SET password_hash = excluded.password_hash`, username, hash, h.stamp(), string(cmp.Or(role, RoleAdmin)))
	if err != nil {
		return err
	}
	_, err = h.DB.ExecContext(ctx, `DELETE FROM admin_sessions WHERE admin_id = (SELECT id FROM admins WHERE username = $1)`, username)
	return err
}

// checkedHash applies the rules for a user name and a password, and hashes
// the password.
func checkedHash(username, password string) (string, error) {
	if !usernameFits(username) {
		return "", errors.New("admin user name: 1 to 64 characters, no spaces")
	}
	if !passwordFits(password) {
		return "", fmt.Errorf("admin password: %d to 72 bytes, at least %d characters", minPassword, minPassword)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	return string(hash), err
}

// typed is a user name or password as stored and compared: NFC. Vietnamese
// keyboards set to "Unicode tổ hợp", and macOS, send "ễ" as e + two marks;
// the same word must name the same account and open it.
func typed(s string) string { return norm.NFC.String(s) }

// passwordProblem says, in Vietnamese, why a new password does not fit, or "".
// bcrypt reads 72 bytes, and a letter with its marks takes 2 or 3 of them.
func passwordProblem(password string) string {
	switch {
	case utf8.RuneCountInString(password) < minPassword:
		return fmt.Sprintf("Mật khẩu cần ít nhất %d ký tự.", minPassword)
	case len(password) > 72:
		return "Mật khẩu quá dài: chữ có dấu chiếm nhiều chỗ hơn chữ không dấu. Hãy dùng câu ngắn hơn, khoảng 30 chữ."
	}
	return ""
}

// usernameFits is the rule for a user name: short, printable, no spaces.
func usernameFits(username string) bool {
	return username != "" && len(username) <= 64 && !strings.ContainsAny(username, " \t\r\n\x00") && utf8.ValidString(username)
}

// passwordFits is the password rule: long enough to resist guessing, short
// enough for bcrypt (which reads 72 bytes).
func passwordFits(password string) bool { return passwordProblem(password) == "" }

// session is a logged-in admin.
type session struct {
	AdminID   int64
	User      string
	Role      Role
	CSRF      string
	TokenHash string // of this session's cookie
}

// errWrongPassword is a login with an unknown name or a wrong password.
var errWrongPassword = errors.New("wrong user name or password")

// dummyHash is checked when the name is unknown, so that a login spends the
// same time whether or not the name exists.
const dummyHash = "$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z6GJe7S1vMQHzJX5HgBvyP5e"

// errLocked is a right password for a locked account: said only after the
// password was right, so it tells a guesser nothing.
var errLocked = errors.New("the account is locked")

// checkPassword returns the admin's id if the password is theirs and the
// account is open.
func (h *Hub) checkPassword(ctx context.Context, username, password string) (int64, error) {
	// A name holds no spaces (usernameFits): one pasted with a space around
	// it is still the name. A password is taken exactly as typed.
	username = strings.TrimSpace(typed(username))
	var id int64
	var hash string
	var locked bool
	err := h.DB.QueryRowContext(ctx, `SELECT id, password_hash, disabled_at IS NOT NULL FROM admins WHERE username = $1`, username).Scan(&id, &hash, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		_ = bcrypt.CompareHashAndPassword([]byte(dummyHash), []byte(password))
		return 0, errWrongPassword
	} else if err != nil {
		return 0, err
	}
	// Passwords are stored NFC; one set before that may have been stored as typed.
	nfc := typed(password)
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(nfc)) != nil &&
		(nfc == password || bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil) {
		return 0, errWrongPassword
	}
	if locked {
		return 0, errLocked
	}
	return id, nil
}

// login checks a password and opens a session, returning the cookie value.
func (h *Hub) login(ctx context.Context, username, password string) (string, error) {
	id, err := h.checkPassword(ctx, username, password)
	if err != nil {
		return "", err
	}
	token := randomString(43)
	_, err = h.DB.ExecContext(ctx, `INSERT INTO admin_sessions(token_hash, admin_id, csrf, expires_at) VALUES ($1, $2, $3, $4)`,
		hashHex(token), id, randomString(32), h.now().Add(sessionLifetime).Format(time.RFC3339))
	if err != nil {
		return "", err
	}
	_, _ = h.DB.ExecContext(ctx, `DELETE FROM admin_sessions WHERE expires_at < $1`, h.stamp())
	return token, nil
}

func (h *Hub) session(r *http.Request) (session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return session{}, false
	}
	s, err := h.sessionOf(r.Context(), c.Value)
	return s, err == nil
}

// sessionOf is the open session whose cookie holds token.
func (h *Hub) sessionOf(ctx context.Context, token string) (session, error) {
	s := session{TokenHash: hashHex(token)}
	err := h.DB.QueryRowContext(ctx, `SELECT a.id, a.username, a.role, s.csrf FROM admin_sessions s JOIN admins a ON a.id = s.admin_id
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.disabled_at IS NULL`, s.TokenHash, h.stamp()).Scan(&s.AdminID, &s.User, &s.Role, &s.CSRF)
	return s, err
}

func (h *Hub) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/admin", MaxAge: maxAge,
		HttpOnly: true, Secure: !h.opts.InsecureHTTP, SameSite: http.SameSiteStrictMode})
}

// sameOrigin refuses a form posted from another site; SameSite cookies and
// the CSRF token already stop that, this is the belt to their braces.
// Browsers say where a request comes from in Sec-Fetch-Site, which a page
// cannot set: only same-origin passes. Origin, when sent, must name this
// host. "Origin: null" is what Chromium sends for our own forms under
// Referrer-Policy no-referrer (the console's policy before it became
// same-origin, still in open tabs after an upgrade): it passes only when
// Sec-Fetch-Site vouches for it. With neither header (tools, old browsers)
// the token alone guards.
// plainHTTP reports whether the browser sent r over plain http while the
// console's cookies need HTTPS: it then keeps none of them, and no login can
// hold (outside QA: a hub tried on the province's LAN said "form expired"
// at every try). The Origin of a POST says how the browser sees the page.
func (h *Hub) plainHTTP(r *http.Request) bool {
	if h.opts.InsecureHTTP {
		return false
	}
	if origin, err := url.Parse(r.Header.Get("Origin")); err == nil && origin.Scheme != "" {
		return origin.Scheme == "http"
	}
	return r.TLS == nil && r.Header.Get("X-Forwarded-Proto") != "https"
}

func sameOrigin(r *http.Request) bool {
	site := r.Header.Get("Sec-Fetch-Site")
	if site != "" && site != "same-origin" {
		return false
	}
	switch origin := r.Header.Get("Origin"); origin {
	case "":
		return true
	case "null":
		return site == "same-origin"
	default:
		u, err := url.Parse(origin)
		return err == nil && u.Host == r.Host
	}
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
				http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			if c, ok := carryOf(r); ok {
				h.loginForm(w, r, http.StatusUnauthorized, loginData{Carry: c})
				return
			}
			h.errorPage(w, r, http.StatusUnauthorized, "Phiên đăng nhập đã hết",
				"Bạn chưa đăng nhập, hoặc phiên đăng nhập đã hết hạn. Việc vừa gửi chưa được thực hiện; hãy đăng nhập rồi làm lại.",
				link{"/admin/login?next=" + url.QueryEscape(sentFrom(r)), "Đăng nhập lại"})
			return
		}
		if r.Method == http.MethodPost && (!sameOrigin(r) || !tokensEqual(r.PostFormValue("csrf"), s.CSRF)) {
			if c, ok := carryOf(r); ok {
				h.resendPage(w, r, s, c)
				return
			}
			h.expiredForm(w, r)
			return
		}
		next(w, r, s)
	}
}

// loginData is what the login page shows besides its fields: the user name
// typed last (never the password), so a mistyped password costs only the
// password, and the form a lost session left undone (admin_carry.go).
type loginData struct {
	User  string
	Error string
	Carry *carried
	Next  string // the console page asked for, to open after the login
}

// loginForm shows the login page with a fresh double-submit token.
func (h *Hub) loginForm(w http.ResponseWriter, r *http.Request, status int, d loginData) {
	token := randomString(32)
	h.setCookie(w, loginCookie, token, 3600)
	title := "Đăng nhập"
	if d.Carry != nil {
		title = "Đăng nhập lại để làm tiếp"
		h.nameCarried(r.Context(), d.Carry)
	}
	h.render(w, r, status, "login", page{Title: title, CSRF: token, Error: d.Error, Data: d})
}

func (h *Hub) loginPage(w http.ResponseWriter, r *http.Request) {
	h.loginForm(w, r, http.StatusOK, loginData{Next: nextPage(r.URL.Query().Get("next"))})
}

// nextPage is where a login goes on to: the console page that was asked
// for when it is one (never another site, nor the login itself), else the
// fleet.
// sentFrom is the console page a form that cannot be carried through the
// login (a file upload) was sent from, to go back to after it: the login
// led to Thiết bị, away from the change being worked on (outside QA).
// Only this site's console pages count; anything else is the fleet page.
func sentFrom(r *http.Request) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host {
		return "/admin/"
	}
	return nextPage(ref.RequestURI())
}

func nextPage(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(raw, "/admin/") ||
		path.Clean(u.Path) != u.Path || u.Path == "/admin/login" || u.Path == "/admin/logout" {
		return "/admin/"
	}
	return u.RequestURI()
}

// loginPost checks a password. The attempt is counted before bcrypt runs
// and given back only if the password was right, so guesses sent in
// parallel cannot all be tried before the count catches up.
func (h *Hub) loginPost(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(loginCookie)
	if err != nil && h.plainHTTP(r) {
		h.httpsNeeded(w, r)
		return
	}
	if err != nil || !sameOrigin(r) || !tokensEqual(r.PostFormValue("csrf"), c.Value) {
		h.expiredForm(w, r)
		return
	}
	user := hubproto.Clip(typed(storable(r.PostFormValue("username"))), 64)
	again := func(status int, msg string) {
		h.loginForm(w, r, status, loginData{User: user, Error: msg, Carry: carriedIn(r.PostForm), Next: nextPage(r.PostFormValue("next"))})
	}
	ceilings := loginCeilings(user, h.clientAddr(r))
	try, why := h.tryGuess(r, &h.logins, "login", user, ceilings)
	if why != nil {
		again(h.tooManyGuesses(why))
		return
	}
	defer try.Release()
	token, err := h.login(r.Context(), user, r.PostFormValue("password"))
	if errors.Is(err, errWrongPassword) {
		try.Keep()
		h.guessFailed(r, "login", user, "")
		again(http.StatusUnauthorized, strings.TrimSpace("Sai tên đăng nhập hoặc mật khẩu. "+h.triesLeft(r, try, ceilings)))
		return
	} else if errors.Is(err, errLocked) {
		h.audit(r, user, "login_refused", "tài khoản đã bị khoá")
		again(http.StatusForbidden, "Tài khoản này đã bị khoá. Hãy hỏi người quản trị của tỉnh.")
		return
	} else if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.audit(r, user, "login", "")
	h.setCookie(w, loginCookie, "", -1)
	h.setCookie(w, sessionCookie, token, int(sessionLifetime/time.Second))
	if c := carriedIn(r.PostForm); c != nil {
		s, err := h.sessionOf(r.Context(), token)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		h.resendPage(w, r, s, c)
		return
	}
	http.Redirect(w, r, nextPage(r.PostFormValue("next")), http.StatusSeeOther)
}

// tooManyGuesses is what a refused login or password change reads, and its
// status. Each says what lifts the block: an account's own block ends at its
// time or when an admin lifts it (Tài khoản, or a password set with `tramso
// hub admin-user`); an address's block across names only ends.
func (h *Hub) tooManyGuesses(why *refusal) (int, string) {
	switch {
	case why.until.IsZero():
		return http.StatusServiceUnavailable, "Máy chủ tạm thời không kiểm tra được mật khẩu. Hãy thử lại sau ít phút; nếu vẫn không được, hãy báo người quản trị máy chủ."
	case why.account:
		return http.StatusTooManyRequests, "Đã nhập sai quá nhiều lần: tài khoản này tạm bị chặn đăng nhập từ máy này đến " +
			h.formatExact(why.until) + ". Hãy đợi đến lúc đó rồi thử lại, hoặc nhờ người quản trị của tỉnh mở chặn trong trang Tài khoản."
	default:
		return http.StatusTooManyRequests, "Đã nhập sai quá nhiều lần từ máy này, với nhiều tên đăng nhập: máy này tạm bị chặn đăng nhập đến " +
			h.formatExact(why.until) + ". Hãy đợi đến lúc đó rồi thử lại."
	}
}

// warnTries is how many tries left before the login page starts counting
// them down: a mistyped password or two says nothing more, the last few
// before a block say how many are left and what comes after.
const warnTries = 2

// triesLeft warns, after a wrong password, when few tries are left before
// the block tooManyGuesses reports ("" when there are more, or when the
// count cannot be read: the block itself still says everything).
func (h *Hub) triesLeft(r *http.Request, try *attempt, cs []ceiling) string {
	n, account, until, err := try.left(r.Context(), h.now(), cs)
	if err != nil {
		h.log.Warn("count the tries left", "err", err)
		return ""
	}
	if n < 0 || n > warnTries {
		return ""
	}
	who, then := "tài khoản này bị chặn đăng nhập từ máy này", ", hoặc nhờ người quản trị của tỉnh mở chặn trong trang Tài khoản"
	if !account {
		who, then = "máy này bị chặn đăng nhập với mọi tên đăng nhập", ""
	}
	if n == 0 {
		return "Đã hết số lần thử: " + who + " đến " + h.formatExact(until) + ". Hãy đợi đến lúc đó" + then + "."
	}
	return fmt.Sprintf("Còn %d lần thử, sau đó %s đến %s.", n, who, h.formatExact(until))
}

func (h *Hub) logout(w http.ResponseWriter, r *http.Request, s session) {
	_, _ = h.DB.ExecContext(r.Context(), `DELETE FROM admin_sessions WHERE token_hash = $1`, s.TokenHash)
	h.audit(r, s.User, "logout", "")
	h.setCookie(w, sessionCookie, "", -1)
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
}

func (h *Hub) passwordPage(w http.ResponseWriter, r *http.Request, s session) {
	p := s.page("Đổi mật khẩu", minPassword)
	p.Notice = notice(r)
	h.render(w, r, http.StatusOK, "password", p)
}

// changePassword is POST /admin/password: the current password (counted
// like a login, since a borrowed session could guess it), the new one twice.
// It ends the user's other sessions and keeps this one.
func (h *Hub) changePassword(w http.ResponseWriter, r *http.Request, s session) {
	fail := func(status int, msg string) {
		h.render(w, r, status, "password", s.page("Đổi mật khẩu", minPassword).withError(failf(nil, msg)))
	}
	try, why := h.tryGuess(r, &h.logins, "password", s.User, loginCeilings(s.User, h.clientAddr(r)))
	if why != nil {
		fail(h.tooManyGuesses(why))
		return
	}
	defer try.Release()
	if _, err := h.checkPassword(r.Context(), s.User, r.PostFormValue("current")); errors.Is(err, errWrongPassword) {
		try.Keep()
		h.guessFailed(r, "password", s.User, "")
		fail(http.StatusBadRequest, "Mật khẩu hiện tại không đúng.")
		return
	} else if err != nil {
		h.serverError(w, r, err)
		return
	}
	next := typed(r.PostFormValue("new"))
	switch {
	case next != typed(r.PostFormValue("confirm")):
		fail(http.StatusBadRequest, "Hai lần nhập mật khẩu mới không giống nhau.")
		return
	case passwordProblem(next) != "":
		fail(http.StatusBadRequest, passwordProblem(next))
		return
	}
	ended, err := h.setPassword(r.Context(), s, next)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.audit(r, s.User, "password_changed", fmt.Sprintf("kết thúc %d phiên khác", ended))
	http.Redirect(w, r, "/admin/password?done=password", http.StatusSeeOther)
}

// setPassword stores a new password and ends every other session of the
// user, returning how many it ended.
func (h *Hub) setPassword(ctx context.Context, s session, password string) (int64, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return 0, err
	}
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE admins SET password_hash = $1 WHERE id = $2`, string(hash), s.AdminID); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM admin_sessions WHERE admin_id = $1 AND token_hash != $2`, s.AdminID, s.TokenHash)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return n, tx.Commit()
}
