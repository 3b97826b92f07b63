package hub

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"tramso/kiosk/config"
	"tramso/kiosk/lang"
	"tramso/kiosk/pack"
	"tramso/kiosk/usage"
)

// The codes page shows the command a technician runs, as `tramso enroll`
// takes it: the address the enrollment API gives kiosks, and --key-id for
// every province key; the key ids stand on the page too.
func TestCodesPageShowsTheEnrollCommand(t *testing.T) {
	pub1, _, _ := ed25519.GenerateKey(rand.Reader)
	pub2, _, _ := ed25519.GenerateKey(rand.Reader)
	for _, public := range []string{"", "wss://hub.daklak.example/ws"} {
		h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub1, pub2}, PublicURL: public})
		if err := h.CreateAdmin(context.Background(), "tinh", testPassword); err != nil {
			t.Fatal(err)
		}
		a := newAdmin(t, srv)
		a.login("tinh", testPassword)
		hub := public
		if hub == "" {
			hub = wsURLOf(srv) // what POST /api/enroll hands the kiosk
		}
		if err := config.CheckHubURL(hub); err != nil {
			t.Fatalf("tramso enroll would refuse %s: %v", hub, err)
		}
		_, body := a.get("/admin/codes")
		for _, k := range []ed25519.PublicKey{pub1, pub2} {
			if !strings.Contains(body, `<code data-testid="key-id">`+pack.KeyID(k)+`</code>`) {
				t.Fatalf("the codes page lacks key id %s: %.3000s", pack.KeyID(k), body)
			}
		}
		_, body = a.post("/admin/codes", url.Values{"csrf": {a.csrf("/admin/codes")}, "commune": {"Ea Kao"}}, srv.URL)
		code := regexp.MustCompile(`data-testid="enroll-code">([A-Z0-9-]+)<`).FindStringSubmatch(body)
		if code == nil {
			t.Fatalf("no code: %.2000s", body)
		}
		want := "tramso enroll --hub " + hub + " --code " + code[1] + " --key-id " + pack.KeyID(pub1) + " --key-id " + pack.KeyID(pub2)
		if text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(body, ""); !strings.Contains(text, want) || strings.Contains(text, "--hub URL") {
			t.Fatalf("the command is not %q: %.3000s", want, body)
		}
		if strings.Contains(body, `role="alert"`) {
			t.Fatalf("a warning on a good address: %.3000s", body)
		}
	}
	// A plain ws:// address a kiosk would refuse is said so.
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub1}, PublicURL: "ws://hub.daklak.example/ws"})
	if err := h.CreateAdmin(context.Background(), "tinh", testPassword); err != nil {
		t.Fatal(err)
	}
	a := newAdmin(t, srv)
	a.login("tinh", testPassword)
	if _, body := a.get("/admin/codes"); !strings.Contains(body, "Kiosk sẽ không nhận địa chỉ máy chủ") {
		t.Fatalf("no warning for a ws:// address: %.3000s", body)
	}
}

// Every figure a kiosk can send has a Vietnamese name on the usage page;
// the CSV keeps the ids.
func TestUsageNames(t *testing.T) {
	for _, m := range usage.Metrics() {
		if usageMetrics[m] == "" {
			t.Errorf("metric %s has no Vietnamese name", m)
		}
	}
	for m := range usageMetrics {
		if !slices.Contains(usage.Metrics(), m) {
			t.Errorf("usageMetrics names %s, which kiosks do not count", m)
		}
	}
	for _, k := range append(slices.Clone(usage.Screens), lang.Known...) {
		if usageKeys[k] == "" {
			t.Errorf("%s has no Vietnamese name", k)
		}
	}
	h, _, a := loggedIn(t)
	id, _ := newDevice(t, h)
	for _, q := range []string{
		`INSERT INTO usage_totals(device_id, day, metric, key, count) VALUES ($1, '2026-12-04', 'language_chosen', 'rad', 3)`,
		`INSERT INTO usage_totals(device_id, day, metric, key, count) VALUES ($1, '2026-12-04', 'sessions_by_hour', '09', 2)`,
		`INSERT INTO usage_totals(device_id, day, metric, key, step, count) VALUES ($1, '2026-12-04', 'tutorial_abandoned', 'phone-touch', 2, 1)`,
	} {
		if _, err := h.DB.Exec(q, id); err != nil {
			t.Fatal(err)
		}
	}
	_, page := a.get("/admin/usage?from=2026-12-01&to=2026-12-31")
	for _, want := range []string{">Chọn ngôn ngữ<", ">Tiếng Ê Đê<", ">Lượt sử dụng theo giờ<", ">09:00–09:59<", ">Bỏ dở bài học<", ">Làm quen điện thoại cảm ứng <small class=\"nowrap\">(phone-touch)</small><"} {
		if !strings.Contains(page, want) {
			t.Errorf("the usage page lacks %s", want)
		}
	}
	if regexp.MustCompile(`>(language_chosen|sessions_by_hour|tutorial_abandoned)<`).MatchString(page) {
		t.Errorf("a raw metric id on the usage page: %.4000s", page)
	}
	_, csv := a.get("/admin/usage.csv?from=2026-12-01&to=2026-12-31")
	if !strings.Contains(csv, ",language_chosen,rad,") || strings.Contains(csv, "Chọn ngôn ngữ") {
		t.Errorf("usage.csv should keep the ids:\n%s", csv)
	}
}

// The fleet's tiles and its list agree under every filter: the revoked
// kiosks have their own tile.
func TestFleetCountsRevoked(t *testing.T) {
	h, _, a := loggedIn(t)
	ctx := context.Background()
	newDevice(t, h)
	gone, _ := newDevice(t, h)
	if err := h.Revoke(ctx, gone); err != nil {
		t.Fatal(err)
	}
	fd, err := h.fleet(httptestRequest("/admin/?state=revoked"))
	if err != nil {
		t.Fatal(err)
	}
	if fd.Counts.Total != 1 || fd.Counts.Revoked != 1 || fd.Shown != 1 {
		t.Fatalf("revoked filter: counts %+v, shown %d", fd.Counts, fd.Shown)
	}
	_, page := a.get("/admin/?state=revoked")
	for _, want := range []string{
		`<strong>1</strong> <span>kiosk đang dùng</span>`,
		`aria-current="true"><strong>1</strong> <span>đã thu hồi</span>`,
		"Đang hiện 1 thiết bị: Đã thu hồi.",
	} {
		if !strings.Contains(page, want) {
			t.Fatalf("the fleet page under the revoked filter lacks %q: %.4000s", want, page)
		}
	}
	if _, page := a.get("/admin/"); !strings.Contains(page, "Đang hiện 1 thiết bị đang dùng.") {
		t.Fatalf("the fleet page unfiltered: %.4000s", page)
	}
}

func httptestRequest(target string) *http.Request {
	r, _ := http.NewRequest(http.MethodGet, target, nil)
	return r
}

// Every table of the console turns into cards on a phone (see admin.css),
// with the roles that keep it a table for screen readers.
func TestEveryTableIsCards(t *testing.T) {
	files, err := templateFS.ReadDir("templates")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		raw, _ := templateFS.ReadFile("templates/" + f.Name())
		s := string(raw)
		if n, cards := strings.Count(s, "<table"), strings.Count(s, `<table class="cards`); n != cards ||
			strings.Count(s, "<td") != strings.Count(s, `<td role="cell"`) {
			t.Errorf("%s: %d tables, %d of them cards; every cell needs role=cell", f.Name(), n, cards)
		}
	}
}

// The usage page says when a day asked for does not exist or the range runs
// backwards, rather than showing "no figures" for a range nobody meant.
func TestUsageRangeSaysWhatItDid(t *testing.T) {
	_, _, a := loggedIn(t)
	for q, want := range map[string]string{
		"?from=2026-13-45":                 "Không có ngày 2026-13-45",
		"?from=2026-02-30&to=2026-03-01":   "Không có ngày 2026-02-30",
		"?from=2026-12-31&to=2026-12-01":   "đã đổi chỗ hai ngày",
		"?from=2026-12-01&to=2026-12-31":   "",
		"?from=2026-12-01&to=not-a-date!!": "Không có ngày not-a-date!!",
	} {
		code, body := a.get("/admin/usage" + q)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", q, code)
		}
		if want == "" {
			if strings.Contains(body, `role="alert"`) {
				t.Errorf("%s: a good range is warned about", q)
			}
		} else if !strings.Contains(body, html.EscapeString(want)) {
			t.Errorf("%s: the page does not say %q", q, want)
		}
	}
	if _, body := a.get("/admin/usage?from=2026-12-31&to=2026-12-01"); !strings.Contains(body, "01/12/2026") {
		t.Errorf("the turned-round range does not start on 1 December")
	}
}

// The audit log names a device as it is after an edit, and what changed.
func TestAuditNamesTheDeviceEdit(t *testing.T) {
	h, srv, a := loggedIn(t)
	id, _ := newDevice(t, h)
	form := url.Values{"csrf": {a.csrf("/admin/")}, "action": {"save"},
		"name": {"Nhà văn hoá buôn Tơ Lơ"}, "commune": {"Ea Kao"}, "wave": {"0"}}
	if code, body := a.post("/admin/devices/"+id, form, srv.URL); code != http.StatusOK {
		t.Fatalf("save: %d %.300s", code, body)
	}
	log, err := h.Audit(context.Background(), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log {
		if e.Action == "device_saved" {
			if !strings.HasPrefix(e.Detail, "Nhà văn hoá buôn Tơ Lơ ("+id+"): tên: ") || !strings.Contains(e.Detail, "nhóm: mọi người → thử nghiệm") {
				t.Errorf("audit detail %q", e.Detail)
			}
			return
		}
	}
	t.Fatalf("no device_saved in %+v", log)
}
