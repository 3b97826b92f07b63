package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tramso/kiosk/content"
	"tramso/kiosk/pack"
)

// admin is a browser session on the hub's admin.
type admin struct {
	t      *testing.T
	srv    *httptest.Server
	client *http.Client
}

func newAdmin(t *testing.T, srv *httptest.Server) *admin {
	jar, _ := cookiejar.New(nil)
	return &admin{t: t, srv: srv, client: &http.Client{Jar: jar}}
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (a *admin) get(path string) (int, string) {
	a.t.Helper()
	resp, err := a.client.Get(a.srv.URL + path)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (a *admin) csrf(path string) string {
	a.t.Helper()
	_, body := a.get(path)
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		a.t.Fatalf("no CSRF token on %s: %.300s", path, body)
	}
	return m[1]
}

func (a *admin) post(path string, form url.Values, origin string) (int, string) {
	a.t.Helper()
	code, body, _ := a.send(http.MethodPost, path, "application/x-www-form-urlencoded", form.Encode(), origin)
	return code, body
}

// send makes one request of the session, with a body of type ctype when
// body is not empty and an Origin header when origin is not.
func (a *admin) send(method, path, ctype, body, origin string) (int, string, http.Header) {
	a.t.Helper()
	req, _ := http.NewRequest(method, a.srv.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func (a *admin) login(user, password string) int {
	token := a.csrf("/admin/login")
	code, _ := a.post("/admin/login", url.Values{"csrf": {token}, "username": {user}, "password": {password}}, a.srv.URL)
	return code
}

func TestAdminLoginAndCSRF(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	if err := h.CreateAdmin(context.Background(), "tinh", "short"); err == nil {
		t.Fatal("accepted a short password")
	}
	if err := h.CreateAdmin(context.Background(), "tinh", "mật khẩu đủ dài"); err != nil {
		t.Fatal(err)
	}
	a := newAdmin(t, srv)
	if code, _ := a.get("/admin/"); code != http.StatusOK || !strings.Contains(mustBody(a.get("/admin/")), "Đăng nhập") {
		t.Fatalf("not logged in: the fleet page should send to the login form")
	}
	// A wrong password keeps the user name typed, never the password.
	code, body := a.post("/admin/login", url.Values{"csrf": {a.csrf("/admin/login")}, "username": {"tinh"},
		"password": {"sai mật khẩu rồi"}}, srv.URL)
	if code != http.StatusUnauthorized || !strings.Contains(body, `id="username" name="username" value="tinh"`) ||
		strings.Contains(body, "sai mật khẩu rồi") {
		t.Fatalf("wrong password: %d %.2000s", code, body)
	}
	// A login form posted without the token it was served with is refused.
	if code, _ := a.post("/admin/login", url.Values{"username": {"tinh"}, "password": {"mật khẩu đủ dài"}}, ""); code != http.StatusForbidden {
		t.Fatalf("login without CSRF token: %d", code)
	}
	if code := a.login("tinh", "mật khẩu đủ dài"); code != http.StatusOK {
		t.Fatalf("login: %d", code)
	}
	token := a.csrf("/admin/codes")
	if code, _ := a.post("/admin/codes", url.Values{"commune": {"Ea Kao"}}, ""); code != http.StatusForbidden {
		t.Fatalf("form without CSRF token: %d", code)
	}
	if code, _ := a.post("/admin/codes", url.Values{"csrf": {token}, "commune": {"Ea Kao"}}, "https://evil.example"); code != http.StatusForbidden {
		t.Fatalf("form from another site: %d", code)
	}
	code, body = a.post("/admin/codes", url.Values{"csrf": {token}, "commune": {"Ea Kao"}}, srv.URL)
	m := regexp.MustCompile(`data-testid="enroll-code">([A-Z0-9-]+)<`).FindStringSubmatch(body)
	if code != http.StatusOK || m == nil {
		t.Fatalf("create code: %d %.300s", code, body)
	}
	e, err := h.Enroll(context.Background(), strings.ToLower(m[1]), "")
	if err != nil {
		t.Fatalf("enroll with the admin's code: %v", err)
	}
	if _, err := h.Enroll(context.Background(), m[1], ""); err != ErrBadCode {
		t.Fatalf("a code works twice: %v", err)
	}

	// Rename, group and put the device in the test group, then export.
	code, _ = a.post("/admin/devices/"+e.DeviceID, url.Values{"csrf": {token}, "action": {"save"},
		"name": {"=HYPERLINK(\"x\")"}, "commune": {"Ea Kao"}, "wave": {"0"}}, "")
	if code != http.StatusOK {
		t.Fatalf("save device: %d", code)
	}
	code, csv := a.get("/admin/fleet.csv")
	if !strings.HasPrefix(csv, "\ufeffdevice_id,") {
		t.Errorf("fleet CSV does not start with the UTF-8 mark Excel needs: %.40q", csv)
	}
	if code != http.StatusOK || !strings.Contains(csv, e.DeviceID) || !strings.Contains(csv, `'=HYPERLINK`) {
		t.Fatalf("fleet CSV (%d) lacks the device or lets a formula through:\n%s", code, csv)
	}
	if _, body := a.get("/admin/"); !strings.Contains(body, "thử nghiệm") || strings.Contains(body, "<script") {
		t.Fatalf("fleet page: %.500s", body)
	}
	if _, csv := a.get("/admin/fleet.csv?commune=Buôn+Đôn"); strings.Contains(csv, e.DeviceID) {
		t.Fatal("the commune filter let another commune's kiosk through")
	}

	// Revoke: the first post only asks, saying what will happen; the
	// confirmed one revokes, and the token stops working.
	req := httptest.NewRequest(http.MethodGet, "/api/device/target", nil)
	req.Header.Set("Authorization", "Bearer "+e.Token)
	code, body = a.post("/admin/devices/"+e.DeviceID, url.Values{"csrf": {token}, "action": {"revoke"}}, "")
	if _, err := h.authDevice(req); err != nil || code != http.StatusOK {
		t.Fatalf("revoke without confirming: %d, token: %v", code, err)
	}
	for _, want := range []string{"Thu hồi kiosk", "=HYPERLINK", "Ea Kao", "kiosk sẽ không nhận nội dung mới, phải đăng ký lại",
		`name="action" value="revoke"`, `name="confirm" value="yes"`, `name="csrf" value="` + token + `"`,
		">Có, thu hồi</button>", `<a href="/admin/">Không, quay lại</a>`} {
		if !strings.Contains(body, want) {
			t.Fatalf("the revoke confirmation lacks %q: %.3000s", want, body)
		}
	}
	if code, _ := a.post("/admin/devices/"+e.DeviceID, url.Values{"csrf": {token}, "action": {"revoke"}, "confirm": {"yes"}}, ""); code != http.StatusOK {
		t.Fatalf("revoke: %d", code)
	}
	if _, err := h.authDevice(req); err == nil {
		t.Fatal("a revoked token still works")
	}

	if code, _ := a.post("/admin/logout", url.Values{"csrf": {token}}, ""); code != http.StatusOK {
		t.Fatalf("logout: %d", code)
	}
	if _, body := a.get("/admin/"); !strings.Contains(body, "Đăng nhập") {
		t.Fatal("still logged in after logout")
	}
}

func mustBody(_ int, body string) string { return body }

// TestAdminPublishStageHaltRollback drives a pack through the admin: upload
// to the test group, widen to everyone, halt, roll back.
func TestAdminPublishStageHaltRollback(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, SigningKey: priv})
	if err := h.CreateAdmin(context.Background(), "tinh", "mật khẩu đủ dài"); err != nil {
		t.Fatal(err)
	}
	a := newAdmin(t, srv)
	a.login("tinh", "mật khẩu đủ dài")
	token := a.csrf("/admin/packs")

	var file bytes.Buffer
	if _, err := pack.Build(content.Starter(), pack.BuildOptions{Generation: 500, Keys: []ed25519.PrivateKey{priv}}, &file); err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", token)
	mw.WriteField("stage", "test")
	fw, _ := mw.CreateFormFile("pack", "starter.tspack")
	fw.Write(file.Bytes())
	mw.Close()
	resp, err := a.client.Post(srv.URL+"/admin/packs", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	rs, _ := h.Rollouts(context.Background())
	if resp.StatusCode != http.StatusOK || len(rs) != 1 || rs[0].Generation != 500 || rs[0].Stage != StageTest {
		t.Fatalf("upload: %d, rollouts %+v", resp.StatusCode, rs)
	}
	id, _ := newDevice(t, h)
	if got := h.targetFor(deviceWave(t, h, id)); got != 0 {
		t.Fatalf("a device outside the test group targets %d", got)
	}
	// Each row's "new stage" starts at the stage it has, so pressing
	// "Đổi phạm vi" untouched changes nothing.
	if _, page := a.get("/admin/packs"); !strings.Contains(page, `<option value="test" selected>nhóm thử nghiệm (0 kiosk)</option><option value="1">`) {
		t.Fatalf("the test group's stage is not preselected: %.3000s", page)
	}
	a.post("/admin/packs/500", url.Values{"csrf": {token}, "action": {"stage"}, "stage": {"everyone"}}, "")
	if got := h.targetFor(deviceWave(t, h, id)); got != 500 {
		t.Fatalf("after widening to everyone the target is %d", got)
	}
	if _, page := a.get("/admin/packs"); !strings.Contains(page, `<option value="everyone" selected>tất cả (1 kiosk)</option>`) ||
		strings.Contains(page, `<option value="test" selected>`) {
		t.Fatalf("everyone is not preselected: %.3000s", page)
	}
	// "Đổi phạm vi" to the stage it has says nothing changed (outside QA s24, 11).
	if _, page := a.post("/admin/packs/500", url.Values{"csrf": {token}, "action": {"stage"}, "stage": {"everyone"}}, ""); !strings.Contains(page, "Phạm vi triển khai không đổi: gói đã ở phạm vi này.") ||
		strings.Contains(page, "Đã đổi phạm vi triển khai.") {
		t.Fatalf("the same stage again: %.3000s", page)
	}
	// Halting asks first; only the confirmed post halts.
	code, page := a.post("/admin/packs/500", url.Values{"csrf": {token}, "action": {"halt"}}, "")
	if got := h.targetFor(deviceWave(t, h, id)); got != 500 || code != http.StatusOK ||
		!strings.Contains(page, "Tạm dừng triển khai") || !strings.Contains(page, ">Có, tạm dừng</button>") ||
		!strings.Contains(page, `name="confirm" value="yes"`) || !strings.Contains(page, `<a href="/admin/packs">Không, quay lại</a>`) {
		t.Fatalf("halt without confirming: target %d, %d %.3000s", got, code, page)
	}
	if code, _ := a.post("/admin/packs/999", url.Values{"csrf": {token}, "action": {"halt"}}, ""); code != http.StatusBadRequest {
		t.Fatalf("halting an unknown generation: %d", code)
	}
	a.post("/admin/packs/500", url.Values{"csrf": {token}, "action": {"halt"}, "confirm": {"yes"}}, "")
	if got := h.targetFor(deviceWave(t, h, id)); got != 0 {
		t.Fatalf("after halting the target is %d", got)
	}
	// Rolling back reaches every kiosk at once: it asks first too.
	before, _ := h.Rollouts(context.Background())
	code, page = a.post("/admin/packs/500", url.Values{"csrf": {token}, "action": {"rollback"}}, "")
	if after, _ := h.Rollouts(context.Background()); code != http.StatusOK || len(after) != len(before) ||
		!strings.Contains(page, ">Có, quay lại nội dung này</button>") || !strings.Contains(page, `name="action" value="rollback"`) {
		t.Fatalf("rollback without confirming: %d packs before, %d after; %d %.3000s", len(before), len(after), code, page)
	}
	// A hub holding a key the kiosks do not trust refuses, saying why in
	// Vietnamese, and publishes nothing: every kiosk would refuse it.
	_, stranger, _ := ed25519.GenerateKey(rand.Reader)
	h.opts.SigningKey = stranger
	code, page = a.post("/admin/packs/500", url.Values{"csrf": {token}, "action": {"rollback"}, "confirm": {"yes"}}, "")
	if after, _ := h.Rollouts(context.Background()); code != http.StatusBadRequest || len(after) != len(before) ||
		!strings.Contains(page, "khoá ký trên máy chủ không phải khoá tỉnh mà các kiosk tin") {
		t.Fatalf("rollback with an untrusted key: %d packs before, %d after; %d %.3000s", len(before), len(after), code, page)
	}
	h.opts.SigningKey = priv
	if code, body := a.post("/admin/packs/500", url.Values{"csrf": {token}, "action": {"rollback"}, "confirm": {"yes"}}, ""); code != http.StatusOK {
		t.Fatalf("rollback: %d %.300s", code, body)
	}
	rs, _ = h.Rollouts(context.Background())
	if len(rs) != 2 || rs[0].Generation <= 500 || rs[0].Note != "rollback to 500" {
		t.Fatalf("rollback did not publish a new generation: %+v", rs)
	}
	// The note is stored as it always was, and read out in Vietnamese.
	if _, page := a.get("/admin/packs"); !strings.Contains(page, "Quay lại nội dung thế hệ 500") || strings.Contains(page, "rollback to") {
		t.Fatalf("the rollback's note on the packs page: %.3000s", page)
	}
	raw, _, err := h.manifest(context.Background(), rs[0].Generation)
	if err != nil {
		t.Fatal(err)
	}
	var sig []byte
	h.DB.QueryRow(`SELECT signatures FROM packs WHERE generation = $1`, rs[0].Generation).Scan(&sig)
	if _, err := pack.Verify(raw, sig, []ed25519.PublicKey{pub}); err != nil {
		t.Fatalf("the rolled-back manifest does not verify: %v", err)
	}
}

func deviceWave(t *testing.T, h *Hub, id string) (w sql.NullInt64) {
	t.Helper()
	if err := h.DB.QueryRow(`SELECT wave FROM devices WHERE id = $1`, id).Scan(&w); err != nil {
		t.Fatal(err)
	}
	return w
}
