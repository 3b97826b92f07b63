package hub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/text/unicode/norm"

	"tramso/kiosk/hours"
	"tramso/kiosk/hubproto"
)

const testPassword = "mật khẩu đủ dài"

// loggedIn starts a hub with one admin and a browser session logged in.
func loggedIn(t *testing.T) (*Hub, *httptest.Server, *admin) {
	t.Helper()
	h, srv := startTestHub(t, Options{})
	if err := h.CreateAdmin(context.Background(), "tinh", testPassword); err != nil {
		t.Fatal(err)
	}
	a := newAdmin(t, srv)
	if code := a.login("tinh", testPassword); code != http.StatusOK {
		t.Fatalf("login: %d", code)
	}
	return h, srv, a
}

// postWith posts a form with the headers a browser would add.
func (a *admin) postWith(path string, form url.Values, hdr map[string]string) (int, string) {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp.StatusCode, readAll(resp)
}

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// chromium is what Chromium sends with a form posted from one of the
// console's own pages under Referrer-Policy: same-origin.
func chromium(srv *httptest.Server, from string) map[string]string {
	return map[string]string{"Origin": srv.URL, "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate",
		"Referer": srv.URL + from}
}

func TestChromiumFormsAcceptedCrossSiteRefused(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	if err := h.CreateAdmin(context.Background(), "tinh", testPassword); err != nil {
		t.Fatal(err)
	}
	a := newAdmin(t, srv)
	resp, err := a.client.Get(srv.URL + "/admin/login")
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(resp)
	if got := resp.Header.Get("Referrer-Policy"); got != "same-origin" {
		t.Fatalf("Referrer-Policy %q: Chromium would post forms with Origin: null", got)
	}
	token := csrfRe.FindStringSubmatch(body)[1]
	code, body := a.postWith("/admin/login", url.Values{"csrf": {token}, "username": {"tinh"}, "password": {testPassword}},
		chromium(srv, "/admin/login"))
	if code != http.StatusOK || !strings.Contains(body, "Đăng xuất") {
		t.Fatalf("login as Chromium posts it: %d %.300s", code, body)
	}
	token = a.csrf("/admin/codes")
	form := url.Values{"csrf": {token}, "commune": {"Ea Kao"}}
	if code, _ := a.postWith("/admin/codes", form, chromium(srv, "/admin/codes")); code != http.StatusOK {
		t.Fatalf("code form as Chromium posts it: %d", code)
	}
	crossSite := map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site", "Referer": "https://evil.example/"}
	if code, body := a.postWith("/admin/codes", form, crossSite); code != http.StatusForbidden || !strings.Contains(body, "hết hạn") {
		t.Fatalf("a cross-site post with the right token: %d %.300s", code, body)
	}
}

func TestSameOrigin(t *testing.T) {
	for _, c := range []struct {
		name, origin, site string
		ok                 bool
	}{
		{"Chromium, same origin", "http://hub.example", "same-origin", true},
		{"tool without either header", "", "", true},
		{"old tab under no-referrer, vouched by the browser", "null", "same-origin", true},
		{"opaque origin, nobody vouches", "null", "", false},
		{"other site", "https://evil.example", "cross-site", false},
		{"other site, old browser", "https://evil.example", "", false},
		{"sibling subdomain", "http://x.hub.example", "same-site", false},
		{"matching Origin but the browser says cross-site", "http://hub.example", "cross-site", false},
		{"typed into the address bar", "", "none", false},
	} {
		r := httptest.NewRequest(http.MethodPost, "http://hub.example/admin/codes", nil)
		if c.origin != "" {
			r.Header.Set("Origin", c.origin)
		}
		if c.site != "" {
			r.Header.Set("Sec-Fetch-Site", c.site)
		}
		if got := sameOrigin(r); got != c.ok {
			t.Errorf("%s: sameOrigin = %v, want %v", c.name, got, c.ok)
		}
	}
}

// vietnamese checks an error page: the console's layout, Vietnamese, a way
// back (a link, or for the login page the form itself).
func vietnamese(t *testing.T, what string, code, want int, body, words, back string) {
	t.Helper()
	if !strings.Contains(back, "=") {
		back = `href="` + back + `"`
	}
	if code != want || !strings.Contains(body, `<html lang="vi">`) || !strings.Contains(body, "/admin/static/admin.css") ||
		!strings.Contains(body, words) || !strings.Contains(body, back) {
		t.Fatalf("%s: %d (want %d), want %q and a link to %s:\n%.1500s", what, code, want, words, back, body)
	}
	for _, english := range []string{"expired", "not logged in", "reload", "could not", "not found"} {
		if strings.Contains(strings.ToLower(body), english) {
			t.Fatalf("%s: English on the page (%q)", what, english)
		}
	}
}

func TestErrorPagesInVietnamese(t *testing.T) {
	h, srv, a := loggedIn(t)
	code, body := a.post("/admin/codes", url.Values{"commune": {"Ea Kao"}}, srv.URL)
	vietnamese(t, "no CSRF token", code, http.StatusForbidden, body, "Biểu mẫu đã hết hạn", "/admin/codes")
	code, body = a.post("/admin/packs/5", url.Values{"action": {"halt"}}, srv.URL)
	vietnamese(t, "no CSRF token on a rollout", code, http.StatusForbidden, body, "Biểu mẫu đã hết hạn", "/admin/packs")
	code, body = a.get("/admin/no-such-page")
	vietnamese(t, "unknown page", code, http.StatusNotFound, body, "Không có trang này", "/admin/")
	code, body = a.get("/admin/devices/knope")
	vietnamese(t, "unknown device", code, http.StatusNotFound, body, "Không có thiết bị này", "/admin/")

	id, _ := newDevice(t, h)
	token := a.csrf("/admin/")
	code, body = a.post("/admin/devices/"+id, url.Values{"csrf": {token}, "action": {"save"}, "name": {"  "}}, srv.URL)
	if code != http.StatusBadRequest || !strings.Contains(body, "Tên thiết bị không được để trống") {
		t.Fatalf("bad form: %d %.500s", code, body)
	}

	stranger := newAdmin(t, srv)
	code, body = stranger.post("/admin/codes", url.Values{"commune": {"x"}}, srv.URL)
	vietnamese(t, "not logged in", code, http.StatusUnauthorized, body, "Phiên đăng nhập đã hết", "/admin/login?next=%2Fadmin%2F")
	token = stranger.csrf("/admin/login")
	code, body = stranger.post("/admin/login", url.Values{"csrf": {token}, "username": {"tinh"}, "password": {"sai rồi nhé bạn"}}, srv.URL)
	vietnamese(t, "wrong password", code, http.StatusUnauthorized, body, "Sai tên đăng nhập hoặc mật khẩu", `action="/admin/login"`)

	rec := httptest.NewRecorder()
	h.serverError(rec, httptest.NewRequest(http.MethodGet, "/admin/usage", nil), errors.New("disk full"))
	vietnamese(t, "server error", rec.Code, http.StatusInternalServerError, rec.Body.String(), "Máy chủ gặp lỗi", "/admin/")
}

// A refused edit changes nothing, and its form still holds what was typed,
// from the fleet page as from the device's own: a long commune name is not
// typed twice, and a good new name is not saved beside a refused commune.
func TestRefusedDeviceEditKeepsWhatWasTyped(t *testing.T) {
	h, srv, a := loggedIn(t)
	id, _ := newDevice(t, h)
	before, _, err := h.DeviceByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Buôn Đôn ", 14) // 126 letters
	for _, back := range []string{"", "device"} {
		form := url.Values{"csrf": {a.csrf("/admin/")}, "action": {"save"}, "back": {back},
			"name": {"Nhà văn hoá thôn 3"}, "commune": {long}, "wave": {"2"}}
		code, body := a.post("/admin/devices/"+id, form, srv.URL)
		if code != http.StatusBadRequest || !strings.Contains(body, "Tên xã không hợp lệ") {
			t.Fatalf("back=%q: %d %.300s", back, code, body)
		}
		for _, typed := range []string{`value="Nhà văn hoá thôn 3"`, `value="` + long + `"`, `<option value="2" selected>`} {
			if !strings.Contains(body, typed) {
				t.Errorf("back=%q: the form lost what was typed: no %s", back, typed)
			}
		}
		after, _, err := h.DeviceByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if after.Name != before.Name || after.Commune != before.Commune || after.Wave != before.Wave {
			t.Errorf("back=%q: a refused edit changed the device: %+v, was %+v", back, after, before)
		}
	}
}

func TestDescribeTime(t *testing.T) {
	vn := hours.Vietnam                                 // the hub's default zone
	now := time.Date(2026, 12, 5, 3, 0, 0, 0, time.UTC) // 10:00 on 5 Dec in Vietnam
	for _, c := range []struct {
		name      string
		at        time.Time
		loc       *time.Location
		text, iso string
		exact     string
	}{
		{"just now", now.Add(-20 * time.Second), vn, "vừa xong", "2026-12-05T02:59:40Z", "05/12/2026 09:59"},
		{"minutes", now.Add(-5 * time.Minute), vn, "5 phút trước", "2026-12-05T02:55:00Z", "05/12/2026 09:55"},
		{"hours", now.Add(-2*time.Hour - 10*time.Minute), vn, "2 giờ trước", "2026-12-05T00:50:00Z", "05/12/2026 07:50"},
		// 00:30 on 4 Dec in Vietnam is still 3 Dec in UTC: "yesterday" is the province's.
		{"yesterday in the province", time.Date(2026, 12, 3, 17, 30, 0, 0, time.UTC), vn, "hôm qua, 00:30", "2026-12-03T17:30:00Z", "04/12/2026 00:30"},
		{"yesterday in UTC is older", time.Date(2026, 12, 3, 17, 30, 0, 0, time.UTC), time.UTC, "03/12/2026 17:30", "2026-12-03T17:30:00Z", "03/12/2026 17:30"},
		{"last week", time.Date(2026, 11, 27, 4, 5, 0, 0, time.UTC), vn, "27/11/2026 11:05", "2026-11-27T04:05:00Z", "27/11/2026 11:05"},
		{"future (a code's expiry)", now.Add(72 * time.Hour), vn, "08/12/2026 10:00", "2026-12-08T03:00:00Z", "08/12/2026 10:00"},
	} {
		got := describeTime(c.at, now, c.loc)
		if got.Text != c.text || got.ISO != c.iso || got.Exact != c.exact {
			t.Errorf("%s: %+v, want %q %q %q", c.name, got, c.text, c.iso, c.exact)
		}
	}
	if got := formatDay("2026-12-04"); got != "04/12/2026" {
		t.Errorf("formatDay: %q", got)
	}
}

// isoStamp finds raw RFC 3339 times shown as text (not in a datetime attribute).
var isoStamp = regexp.MustCompile(`>[^<]*\d{4}-\d{2}-\d{2}T\d{2}:\d{2}`)

func TestConsoleShowsNoRawTimes(t *testing.T) {
	h, _, a := loggedIn(t)
	newDevice(t, h)
	publishEmpty(t, h, 600, StageEveryone)
	for _, path := range []string{"/admin/", "/admin/packs", "/admin/audit", "/admin/usage", "/admin/codes"} {
		if _, body := a.get(path); isoStamp.MatchString(body) {
			t.Errorf("%s shows a raw UTC time: %s", path, isoStamp.FindString(body))
		}
	}
}

// sendStatus makes a connected kiosk report its state.
func sendStatus(t *testing.T, ws *websocket.Conn, st hubproto.Status) {
	t.Helper()
	if err := ws.WriteMessage(websocket.TextMessage, hubproto.MustEncode(&st)); err != nil {
		t.Fatal(err)
	}
}

func TestFleetAtAGlance(t *testing.T) {
	h, srv, a := loggedIn(t)
	ctx := context.Background()
	publishEmpty(t, h, 600, StageEveryone)
	dev := map[string]string{}
	for _, name := range []string{"online", "silent", "behind", "failing", "other"} {
		code, _ := h.CreateCode(ctx, map[bool]string{true: "Buôn Đôn", false: "Ea Kao"}[name == "other"], "test")
		e, err := h.Enroll(ctx, code, name)
		if err != nil {
			t.Fatal(err)
		}
		dev[name] = e.DeviceID
		if name == "online" {
			ws := dial(t, srv, e.Token)
			sendStatus(t, ws, hubproto.Status{Generation: 600, TargetGeneration: 600, State: hubproto.StateIdle})
		}
	}
	recent := h.now().Add(-time.Hour).Format(time.RFC3339)
	old := h.now().Add(-50 * time.Hour).Format(time.RFC3339)
	set := func(id, query string, args ...any) {
		if _, err := h.DB.Exec(query, append(args, id)...); err != nil {
			t.Fatal(err)
		}
	}
	set(dev["silent"], `UPDATE devices SET last_seen = $1, generation = 600 WHERE id = $2`, old)
	set(dev["behind"], `UPDATE devices SET last_seen = $1, generation = 500 WHERE id = $2`, recent)
	set(dev["failing"], `UPDATE devices SET last_seen = $1, generation = 600, last_error = 'disk full' WHERE id = $2`, recent)
	// A kiosk that refused a newer pack is failing, however quiet its last status.
	set(dev["other"], `UPDATE devices SET last_seen = $1, generation = 600, last_refusal_outcome = 'rejected',
		last_refusal = 'chữ ký sai', last_refusal_generation = 650 WHERE id = $2`, recent)
	eventually(t, "the online kiosk's status", func() bool {
		d, _, _ := h.DeviceByID(ctx, dev["online"])
		return d.Generation == 600 && h.Online(dev["online"])
	})

	fd, err := h.fleet(httptest.NewRequest(http.MethodGet, "/admin/?commune=Ea+Kao", nil))
	if err != nil {
		t.Fatal(err)
	}
	if want := (fleetCounts{Total: 4, Online: 1, Silent: 1, Behind: 1, Failing: 1}); fd.Counts != want {
		t.Fatalf("Ea Kao at a glance: %+v, want %+v", fd.Counts, want)
	}
	if len(fd.Groups) != 1 || fd.Groups[0].Commune != "Ea Kao" || fd.Shown != 4 {
		t.Fatalf("groups: %+v", fd.Groups)
	}
	all, _ := h.fleet(httptest.NewRequest(http.MethodGet, "/admin/", nil))
	if len(all.Groups) != 2 || all.Groups[0].Commune != "Buôn Đôn" || all.Counts.Total != 5 || all.Counts.Failing != 2 {
		t.Fatalf("every commune, grouped: %+v", all.Groups)
	}
	for state, want := range map[string]string{"online": "online", "silent": "silent", "behind": "behind", "errors": "failing"} {
		fd, _ := h.fleet(httptest.NewRequest(http.MethodGet, "/admin/?commune=Ea+Kao&state="+state, nil))
		if fd.Shown != 1 || fd.Groups[0].Rows[0].Name != want {
			t.Errorf("state=%s shows %d kiosks: %+v", state, fd.Shown, fd.Groups)
		}
	}
	if _, body := a.get("/admin/?commune=Buôn+Đôn"); !strings.Contains(body, "Từ chối gói (không hợp lệ) (thế hệ 650): chữ ký sai") {
		t.Fatalf("the refusal is not on the fleet page: %.3000s", body)
	}
	// The refusal a key rotation causes says what to do before the kiosk's English.
	set(dev["other"], `UPDATE devices SET last_refusal = $1 WHERE id = $2`, `unknown_key: signed by key(s) "cb46c54cbe773a2b", none of which is pinned`)
	if _, body := a.get("/admin/?commune=Buôn+Đôn"); !strings.Contains(body, "(thế hệ 650): kiosk không ghim khóa tỉnh đã ký gói này: ghim khóa đó trên kiosk") {
		t.Fatalf("the unknown_key refusal is not said in Vietnamese: %.3000s", body)
	}
	_, body := a.get("/admin/?state=behind")
	if !strings.Contains(body, "nội dung cũ") || !strings.Contains(body, ">behind<") || strings.Contains(body, ">silent<") {
		t.Fatalf("the fleet page filtered by state: %.2000s", body)
	}
}

func TestDeviceHistory(t *testing.T) {
	h, srv, a := loggedIn(t)
	ctx := context.Background()
	id, token := newDevice(t, h)
	ws := dial(t, srv, token)
	sendStatus(t, ws, hubproto.Status{Generation: 700, TargetGeneration: 700, State: hubproto.StateFailed,
		LastError: "tải hỏng \u202egnp.exe"})
	eventually(t, "online, generation and error events", func() bool {
		hist, _ := h.History(ctx, id, 10)
		return len(hist) >= 3
	})
	ws.Close()
	eventually(t, "offline event", func() bool {
		hist, _ := h.History(ctx, id, 10)
		return len(hist) >= 4 && hist[0].What == eventKinds["offline"]
	})
	csrf := a.csrf("/admin/devices/" + id)
	code, _ := a.post("/admin/devices/"+id, url.Values{"csrf": {csrf}, "action": {"save"}, "back": {"device"},
		"name": {"Nhà văn hóa thôn 3"}, "commune": {"Ea Kao"}, "wave": {"2"}}, srv.URL)
	if code != http.StatusOK {
		t.Fatalf("save from the device page: %d", code)
	}
	// Revoking asks first, from the device's page too, and comes back to it.
	code, page := a.post("/admin/devices/"+id, url.Values{"csrf": {csrf}, "action": {"revoke"}, "back": {"device"}}, srv.URL)
	if d, _, _ := h.DeviceByID(ctx, id); code != http.StatusOK || d.Revoked ||
		!strings.Contains(page, `<a href="/admin/devices/`+id+`">Không, quay lại</a>`) ||
		!strings.Contains(page, `name="back" value="device"`) {
		t.Fatalf("revoke without confirming: %d, revoked %v: %.2000s", code, d.Revoked, page)
	}
	if code, _ := a.post("/admin/devices/"+id, url.Values{"csrf": {csrf}, "action": {"revoke"}, "back": {"device"},
		"confirm": {"yes"}}, srv.URL); code != http.StatusOK {
		t.Fatalf("revoke: %d", code)
	}
	hist, err := h.History(ctx, id, 20)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range hist {
		kinds = append(kinds, e.What+"|"+e.Detail+"|"+e.By)
	}
	got := strings.Join(kinds, "\n")
	for _, want := range []string{
		eventKinds["revoked"] + "||tinh",
		eventKinds["wave"] + "|mọi người → đợt 2|tinh",
		eventKinds["renamed"],
		eventKinds["generation"] + "|chưa báo → 700|",
		eventKinds["error"] + "|tải hỏng",
		eventKinds["online"],
		eventKinds["offline"],
	} {
		if !strings.Contains(got, want) {
			t.Errorf("history lacks %q:\n%s", want, got)
		}
	}
	_, page = a.get("/admin/devices/" + id)
	if !strings.Contains(page, "Nhà văn hóa thôn 3") || !strings.Contains(page, "Lịch sử") || !strings.Contains(page, "đợt 2") {
		t.Fatalf("device page: %.1500s", page)
	}
	if strings.ContainsRune(page, '\u202e') || !strings.Contains(page, "tải hỏng \uFFFDgnp.exe") {
		t.Fatal("a bidi override from a kiosk reached the page")
	}
}

func TestNeutraliseAndCSV(t *testing.T) {
	for in, want := range map[string]string{
		"Kiosk\u202e1":      "Kiosk\uFFFD1",
		"a\u2066b\u2069":    "a\uFFFDb\uFFFD",
		"x\u200by":          "x\uFFFDy",
		"bell\a":            "bell\uFFFD",
		"Ê Đê M'nông":       "Ê Đê M'nông",
		"=1+2":              "'=1+2",
		"\u202e=HYPERLINK(": "\uFFFD=HYPERLINK(",
	} {
		if got := csvSafe(in)[0]; got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
	if got := neutralise("a\nb\tc\u200fd", true); got != "a\nb\tc\uFFFDd" {
		t.Errorf("page text: %q", got)
	}
}

func TestAuditLog(t *testing.T) {
	h, srv, a := loggedIn(t)
	token := a.csrf("/admin/codes")
	a.post("/admin/codes", url.Values{"csrf": {token}, "commune": {"Ea Kao"}}, srv.URL)
	stranger := newAdmin(t, srv)
	stranger.login("tinh", "đoán bừa một mật khẩu")
	stranger.login("khong-co-ai", "đoán bừa một mật khẩu")
	entries, err := h.Audit(context.Background(), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if e.Remote != "127.0.0.1" || e.At == "" {
			t.Errorf("entry without its address or time: %+v", e)
		}
		got = append(got, e.User+" "+e.Action+" "+e.Detail)
	}
	want := []string{"khong-co-ai login_failed ", "tinh login_failed ", "tinh code_created Ea Kao", "tinh login "}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("audit log:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	_, body := a.get("/admin/audit")
	if !strings.Contains(body, "Đăng nhập sai") || !strings.Contains(body, "khong-co-ai") || !strings.Contains(body, "Tạo mã đăng ký") {
		t.Fatalf("audit page: %.2000s", body)
	}

	for i := range 120 {
		h.auditFrom(context.Background(), "10.0.0.1", "tinh", "device_saved", fmt.Sprint("máy ", i))
	}
	_, first := a.get("/admin/audit")
	older := regexp.MustCompile(`href="/admin/audit\?before=(\d+)"`).FindStringSubmatch(first)
	if older == nil || strings.Count(first, `<tr role="row">`)-1 != auditPageSize || !strings.Contains(first, "máy 119") {
		t.Fatalf("first page of the audit log: %.500s", first)
	}
	_, second := a.get("/admin/audit?before=" + older[1])
	if !strings.Contains(second, "máy 69") || strings.Contains(second, "máy 70<") || !strings.Contains(second, `href="/admin/audit"`) {
		t.Fatalf("second page of the audit log: %.500s", second)
	}
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	h, srv, a := loggedIn(t)
	other := newAdmin(t, srv)
	other.login("tinh", testPassword)
	change := func(current, next, confirm string) (int, string) {
		return a.post("/admin/password", url.Values{"csrf": {a.csrf("/admin/password")}, "current": {current},
			"new": {next}, "confirm": {confirm}}, srv.URL)
	}
	if code, body := change("không phải mật khẩu", "mật khẩu mới rất dài", "mật khẩu mới rất dài"); code != http.StatusBadRequest ||
		!strings.Contains(body, "Mật khẩu hiện tại không đúng") {
		t.Fatalf("wrong current password: %d", code)
	}
	if code, body := change(testPassword, "mật khẩu mới rất dài", "mật khẩu mới khác"); code != http.StatusBadRequest ||
		!strings.Contains(body, "không giống nhau") {
		t.Fatalf("two different new passwords: %d", code)
	}
	if code, body := change(testPassword, "ngắn", "ngắn"); code != http.StatusBadRequest || !strings.Contains(body, "ít nhất 10") {
		t.Fatalf("short password: %d", code)
	}
	if code, body := change(testPassword, "mật khẩu mới rất dài", "mật khẩu mới rất dài"); code != http.StatusOK ||
		!strings.Contains(body, "Đã đổi mật khẩu") {
		t.Fatalf("change: %d %.500s", code, body)
	}
	if _, body := other.get("/admin/"); !strings.Contains(body, `action="/admin/login"`) {
		t.Fatal("the other session survived the password change")
	}
	if _, body := a.get("/admin/"); !strings.Contains(body, "Đăng xuất") {
		t.Fatal("the session that changed the password was ended")
	}
	if newAdmin(t, srv).login("tinh", "mật khẩu mới rất dài") != http.StatusOK {
		t.Fatal("the new password does not log in")
	}
	entries, _ := h.Audit(context.Background(), 0, 20)
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, " "); !strings.Contains(got, "password_changed") || !strings.Contains(got, "password_failed") {
		t.Fatalf("audit: %s", got)
	}
}

func TestOldDeviceEventsPruned(t *testing.T) {
	h, _ := startTestHub(t, Options{})
	id, _ := newDevice(t, h)
	old := h.now().Add(-eventRetention - time.Hour).Format(time.RFC3339)
	if _, err := h.DB.Exec(`INSERT INTO device_events(device_id, at, kind) VALUES ($1, $2, 'online'), ($3, $4, 'offline')`,
		id, old, id, h.stamp()); err != nil {
		t.Fatal(err)
	}
	h.presence.mu.Lock()
	h.presence.pruned = time.Time{}
	h.presence.mu.Unlock()
	eventually(t, "the old event pruned, the recent one kept", func() bool {
		hist, _ := h.History(context.Background(), id, 10)
		return len(hist) == 1 && hist[0].What == eventKinds["offline"]
	})
}

// A kiosk that reported generation 0 runs the starter built into the app;
// one that never reported has nothing to show yet.
func TestFleetNamesTheBuiltInStarter(t *testing.T) {
	h, _ := startTestHub(t, Options{})
	if row := h.fleetRow(Device{ID: "a", AppVersion: "1.2.0"}, nil, incidentSummary{}); row.Content.Title != "Nội dung khởi đầu có sẵn trong ứng dụng" {
		t.Errorf("a kiosk on the starter shows %q", row.Content.Title)
	}
	if row := h.fleetRow(Device{ID: "b"}, nil, incidentSummary{}); row.Content.Title != "Chưa có" {
		t.Errorf("a kiosk that never reported shows %q", row.Content.Title)
	}
}

// A Vietnamese name or password typed on a keyboard that sends letters and
// marks apart (NFD: "Unicode tổ hợp", macOS) is the same name and password
// as typed whole (NFC): it opens the account, and does not make a second
// account that looks the same. A password too long for bcrypt is told so.
func TestTypedNamesAndPasswordsAreOneForm(t *testing.T) {
	h, srv, _ := loggedIn(t)
	ctx := context.Background()
	nfc, user := "Đắk Lắk quê hương tôi", "nguyễn"
	nfd, userNFD := norm.NFD.String(nfc), norm.NFD.String(user)
	if nfc == nfd || user == userNFD {
		t.Fatal("the test strings have no decomposed form")
	}
	if err := h.AddAdminUser(ctx, userNFD, nfd, RoleViewer); err != nil {
		t.Fatal(err)
	}
	if err := h.AddAdminUser(ctx, user, nfc, RoleViewer); !errors.Is(err, errUserExists) {
		t.Fatalf("a second account named like the first in NFD: %v", err)
	}
	for _, c := range []struct{ user, password string }{{user, nfc}, {userNFD, nfd}, {user, nfd}} {
		a := newAdmin(t, srv)
		a.login(c.user, c.password)
		if _, body := a.get("/admin/"); !strings.Contains(body, "Đăng xuất") {
			t.Errorf("%q/%q does not log in", c.user, c.password)
		}
	}
	long := "Mùa xuân về trên buôn làng Ê Đê, hoa cà phê nở trắng đồi" // 56 letters, 75 bytes
	if got := passwordProblem(long); !strings.Contains(got, "quá dài") {
		t.Errorf("a 75-byte password: %q", got)
	}
	if got := passwordProblem("ngắn"); !strings.Contains(got, "ít nhất 10") {
		t.Errorf("a short password: %q", got)
	}
}

// A kiosk whose staff went back to the previous content ("Quay lại bản
// trước") is behind for good, until a newer generation: the console says
// so, where it would otherwise read as a kiosk still to update, and its
// history names the step and the built-in content in words, not "→ 0".
func TestWentBackAtTheKiosk(t *testing.T) {
	h, srv, a := loggedIn(t)
	ctx := context.Background()
	publishEmpty(t, h, 600, StageEveryone)
	publishEmpty(t, h, 700, StageEveryone)
	id, token := newDevice(t, h)
	ws := dial(t, srv, token)
	for _, gen := range []int64{0, 700, 600} {
		sendStatus(t, ws, hubproto.Status{Generation: gen, TargetGeneration: 700, AppVersion: "1.4.0", State: hubproto.StateIdle})
		eventually(t, fmt.Sprint("generation ", gen), func() bool {
			d, _, _ := h.DeviceByID(ctx, id)
			return d.Generation == gen && d.AppVersion != ""
		})
	}
	got := strings.Join(historyLines(t, h, id), "\n")
	for _, want := range []string{
		eventKinds["went_back"] + "|700 → 600",
		eventKinds["generation"] + "|nội dung có sẵn → 700",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("history lacks %q:\n%s", want, got)
		}
	}
	_, page := a.get("/admin/devices/" + id)
	for _, want := range []string{"đã quay lại bản trước tại kiosk", "không nhận lại", "chờ thế hệ mới hơn 700"} {
		if !strings.Contains(page, want) {
			t.Errorf("the device page lacks %q", want)
		}
	}
	if strings.Contains(page, "cũ, cần:") || strings.Contains(page, "đã cập nhật") {
		t.Errorf("the device page reads as a kiosk still to update:\n%.3000s", page)
	}
	// A newer generation is one it takes: behind as any kiosk until it has it.
	publishEmpty(t, h, 800, StageEveryone)
	fd, err := h.fleet(httptest.NewRequest(http.MethodGet, "/admin/", nil))
	if err != nil {
		t.Fatal(err)
	}
	if row := fd.Groups[0].Rows[0]; !row.Behind || row.WentBack {
		t.Errorf("behind a newer generation: behind %v, went back %v", row.Behind, row.WentBack)
	}
}

// TestConsoleNamesKiosksOnAnotherRelease: during an upgrade's waves the
// fleet page and the packs page (before anything is published) say how many
// kiosks in use run a release other than the hub's, which, and link to
// them; a kiosk that has not reported is not counted among them, a revoked
// one not at all, and once every kiosk runs the hub's release both pages
// say nothing.
func TestConsoleNamesKiosksOnAnotherRelease(t *testing.T) {
	h, _, a := loggedIn(t)
	h.opts.Version = "1.5.0"
	ctx := context.Background()
	dev := map[string]string{}
	for _, name := range []string{"new", "old", "quiet", "gone"} {
		id, _ := newDevice(t, h)
		dev[name] = id
		if _, err := h.DB.Exec(`UPDATE devices SET name = $1, app_version = $2 WHERE id = $3`, name,
			map[string]string{"new": "1.5.0", "old": "1.4.0", "gone": "1.3.0"}[name], id); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Revoke(ctx, dev["gone"]); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"/admin/", "/admin/packs"} {
		_, body := a.get(page)
		if !strings.Contains(body, "<strong>1 trên 3</strong> kiosk đang dùng chạy phiên bản khác máy chủ này (<code>1.5.0</code>). Theo phiên bản: "+
			"<code>1.5.0</code> (như máy chủ): 1 kiosk; <code>1.4.0</code>: 1 kiosk; chưa báo phiên bản: 1 kiosk.") ||
			strings.Contains(body, "1.3.0") || !strings.Contains(body, `href="/admin/?state=other_version"`) {
			t.Errorf("%s does not name the kiosks on another release:\n%.4000s", page, body)
		}
	}
	fd, err := h.fleet(httptest.NewRequest(http.MethodGet, "/admin/?state=other_version", nil))
	if err != nil || fd.Shown != 1 || fd.Groups[0].Rows[0].Name != "old" {
		t.Fatalf("the kiosks on another release: %+v, %v", fd.Groups, err)
	}
	if _, err := h.DB.Exec(`UPDATE devices SET app_version = '1.5.0' WHERE id = $1`, dev["old"]); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"/admin/", "/admin/packs"} {
		if _, body := a.get(page); strings.Contains(body, `data-testid="version-counts"`) {
			t.Errorf("%s names releases once every kiosk runs the hub's:\n%.4000s", page, body)
		}
	}
}

// TestConsoleSaysWhatOfflineAndNewKiosksLastSaid (outside QA s24, findings
// 5 and 6): an offline kiosk's updater state is what it said while
// connected, not "đã cập nhật" now; a kiosk enrolled that never connected
// has not reported its free disk ("chưa báo", not "0 B").
func TestConsoleSaysWhatOfflineAndNewKiosksLastSaid(t *testing.T) {
	h, srv, a := loggedIn(t)
	publishEmpty(t, h, 600, StageEveryone)
	quiet, _ := newDevice(t, h)
	gone, token := newDevice(t, h)
	ws := dial(t, srv, token)
	sendStatus(t, ws, hubproto.Status{Generation: 600, TargetGeneration: 600, AppVersion: "1.4.0", State: hubproto.StateIdle, FreeDisk: 5 << 30})
	eventually(t, "the kiosk's status", func() bool {
		d, _, _ := h.DeviceByID(context.Background(), gone)
		return d.AppVersion == "1.4.0"
	})
	if _, body := a.get("/admin/devices/" + gone); !strings.Contains(body, "<dd>đã cập nhật</dd>") || !strings.Contains(body, "<dt>Đĩa trống</dt><dd>5.0 GB</dd>") {
		t.Fatalf("the connected kiosk's page:\n%.4000s", body)
	}
	ws.Close()
	eventually(t, "the kiosk offline", func() bool { return !h.Online(gone) })
	if _, body := a.get("/admin/devices/" + gone); !strings.Contains(body, "<dd>lúc còn kết nối: đã cập nhật</dd>") {
		t.Fatalf("the offline kiosk's page:\n%.4000s", body)
	}
	_, body := a.get("/admin/devices/" + quiet)
	if !strings.Contains(body, "<dt>Đĩa trống</dt><dd>chưa báo</dd>") || strings.Contains(body, "0 B") {
		t.Fatalf("the kiosk that never connected:\n%.4000s", body)
	}
	if _, body := a.get("/admin/"); !strings.Contains(body, `<td role="cell" data-label="Đĩa trống">chưa báo</td>`) {
		t.Fatalf("the fleet page's never-connected kiosk:\n%.4000s", body)
	}
}

// TestConsoleDoesNotCountACutDownloadAsAFault (outside QA s24, finding 4):
// a kiosk whose download the network cut (the hub restarting) says so in
// Vietnamese before its English, and is not counted among the kiosks with
// a fault; another error still is.
func TestConsoleDoesNotCountACutDownloadAsAFault(t *testing.T) {
	h, srv, a := loggedIn(t)
	publishEmpty(t, h, 600, StageEveryone)
	id, token := newDevice(t, h)
	ws := dial(t, srv, token)
	const cut = `GET /packs/600/manifest.json: Get "http://127.0.0.1:1/packs/600/manifest.json": dial tcp 127.0.0.1:1: connect: connection refused`
	sendStatus(t, ws, hubproto.Status{Generation: 500, TargetGeneration: 600, AppVersion: "1.4.0", State: hubproto.StateFailed,
		LastError: cut, ErrorKind: hubproto.ErrorKindHubUnreachable})
	eventually(t, "the kiosk's status", func() bool {
		d, _, _ := h.DeviceByID(context.Background(), id)
		return d.LastError == cut
	})
	fd, err := h.fleet(httptest.NewRequest(http.MethodGet, "/admin/", nil))
	if err != nil || fd.Counts.Failing != 0 || fd.Counts.Behind != 1 {
		t.Fatalf("a cut download counted: %+v, %v", fd.Counts, err)
	}
	if _, body := a.get("/admin/"); !strings.Contains(body, "Kiosk mất kết nối tới máy chủ khi đang tải") {
		t.Fatalf("the fleet page does not say the download was cut:\n%.4000s", body)
	}
	sendStatus(t, ws, hubproto.Status{Generation: 500, TargetGeneration: 600, AppVersion: "1.4.0", State: hubproto.StateFailed,
		LastError: "open blobs: permission denied"})
	eventually(t, "the kiosk's next status", func() bool {
		d, _, _ := h.DeviceByID(context.Background(), id)
		return d.LastError == "open blobs: permission denied"
	})
	if fd, _ := h.fleet(httptest.NewRequest(http.MethodGet, "/admin/", nil)); fd.Counts.Failing != 1 {
		t.Fatalf("another error is not counted: %+v", fd.Counts)
	}
}

// A kiosk that left a hub dripping its data (update's hub_too_slow) is
// named in Vietnamese on the fleet page, and counted: unlike a cut link it
// does not mend itself, and it may not be the province's hub at all.
func TestConsoleNamesAHubTooSlow(t *testing.T) {
	h, srv, a := loggedIn(t)
	publishEmpty(t, h, 600, StageEveryone)
	id, token := newDevice(t, h)
	ws := dial(t, srv, token)
	const slow = "GET /packs/600/manifest.json: the hub sends too slowly: not done in 2m38s"
	sendStatus(t, ws, hubproto.Status{Generation: 500, TargetGeneration: 600, AppVersion: "1.4.0", State: hubproto.StateFailed,
		LastError: slow, ErrorKind: hubproto.ErrorKindHubTooSlow})
	eventually(t, "the kiosk's status", func() bool {
		d, _, _ := h.DeviceByID(context.Background(), id)
		return d.LastError == slow
	})
	if fd, err := h.fleet(httptest.NewRequest(http.MethodGet, "/admin/", nil)); err != nil || fd.Counts.Failing != 1 {
		t.Fatalf("a hub too slow is not counted: %+v, %v", fd.Counts, err)
	}
	if _, body := a.get("/admin/"); !strings.Contains(body, "Máy chủ trả lời nhưng gửi dữ liệu quá chậm") {
		t.Fatalf("the fleet page does not say the hub was too slow:\n%.4000s", body)
	}
}
