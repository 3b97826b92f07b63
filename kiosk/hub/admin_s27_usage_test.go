package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/csv"
	"html"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// kioskIn enrolls a kiosk named name in commune, as Mã đăng ký does.
func kioskIn(t *testing.T, h *Hub, commune, name string) (string, string) {
	t.Helper()
	ctx := context.Background()
	code, err := h.CreateCode(ctx, commune, "test")
	if err != nil {
		t.Fatal(err)
	}
	e, err := h.Enroll(ctx, code, name)
	if err != nil {
		t.Fatal(err)
	}
	return e.DeviceID, e.Token
}

// tableRows is the text of each row of the table marked data-testid=id,
// its header and footer included, tags left out.
func tableRows(t *testing.T, page, id string) []string {
	t.Helper()
	table := regexp.MustCompile(`(?s)<table[^>]*data-testid="` + id + `".*?</table>`).FindString(page)
	if table == "" {
		t.Fatalf("no table %s on the page:\n%.3000s", id, page)
	}
	var rows []string
	for _, tr := range regexp.MustCompile(`(?s)<tr.*?</tr>`).FindAllString(table, -1) {
		text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(tr, " ")
		rows = append(rows, strings.Join(strings.Fields(html.UnescapeString(text)), " "))
	}
	return rows
}

// The usage page is read by a province officer (outside QA s27, finding
// 3): on top, visits per kiosk and commune with the province's total, the
// average time per visit, when each kiosk last sent its figures, and the
// most used procedures and lessons by the names of the content kiosks get;
// the stored rows below, named too; the CSV gains the names.
func TestUsageSummaryForTheProvince(t *testing.T) {
	pub, priv := provinceKey(t)
	var mu sync.Mutex
	clock := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC) // 10:00 in the province
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, Now: now})
	ctx := context.Background()
	if err := h.CreateAdmin(ctx, "tinh", testPassword); err != nil {
		t.Fatal(err)
	}
	a := newAdmin(t, srv)
	if code := a.login("tinh", testPassword); code != http.StatusOK {
		t.Fatalf("login: %d", code)
	}

	// The names come from the newest pack published, not the app's own
	// content: this one renames "sao y".
	files := starterFiles(t)
	const renamed = "Sao y giấy tờ (tên trong gói mới)"
	files["procedures/chung-thuc-ban-sao.yaml"] = bytes.Replace(files["procedures/chung-thuc-ban-sao.yaml"],
		[]byte(`plain_name: {vi: "Sao y, chứng thực bản sao giấy tờ"`), []byte(`plain_name: {vi: "`+renamed+`"`), 1)
	gen := clock.Unix() - 3600
	if _, err := h.Publish(ctx, bytes.NewReader(craftPackBuilt(t, files, gen, clock.Add(-time.Hour), priv)),
		PublishOptions{Stage: StageEveryone, By: "tinh"}); err != nil {
		t.Fatal(err)
	}

	k1, tok1 := kioskIn(t, h, "Ea Kao", "Nhà văn hóa Ea Kao")
	_, tok2 := kioskIn(t, h, "Hòa Thắng", "Bưu điện Hòa Thắng")
	kioskIn(t, h, "Ea Kao", "Kiosk chưa chạy")
	upload := func(token, body string) {
		t.Helper()
		if code := deviceSend(t, http.MethodPost, srv.URL+"/api/device/usage", token, body); code != http.StatusOK {
			t.Fatalf("upload: %d", code)
		}
	}
	// Kiosk 1 sends at 10:00, kiosk 2 two hours later.
	upload(tok1, `[
		{"day":"2026-12-06","metric":"sessions","count":6},
		{"day":"2026-12-06","metric":"sessions_ended","count":6,"seconds":600},
		{"day":"2026-12-06","metric":"sessions_assisted","count":1},
		{"day":"2026-12-06","metric":"procedure_viewed","key":"2.000815","count":5},
		{"day":"2026-12-06","metric":"flow_finished","key":"2.000815","count":4},
		{"day":"2026-12-06","metric":"qr_shown","key":"2.000815","count":3},
		{"day":"2026-12-06","metric":"procedure_viewed","key":"1.001193","count":2},
		{"day":"2026-12-06","metric":"tutorial_opened","key":"phone-touch","count":3},
		{"day":"2026-12-06","metric":"tutorial_completed","key":"phone-touch","count":1},
		{"day":"2026-12-07","metric":"sessions","count":2},
		{"day":"2026-12-07","metric":"sessions_ended","count":2,"seconds":200}]`)
	mu.Lock()
	clock = clock.Add(2 * time.Hour)
	mu.Unlock()
	upload(tok2, `[
		{"day":"2026-12-06","metric":"sessions","count":2},
		{"day":"2026-12-06","metric":"sessions_ended","count":1,"seconds":30},
		{"day":"2026-12-06","metric":"procedure_viewed","key":"1.001193","count":6},
		{"day":"2026-12-06","metric":"procedure_viewed","key":"9.999999","count":5},
		{"day":"2026-12-06","metric":"tutorial_opened","key":"vneid-activate","count":5}]`)

	_, page := a.get("/admin/usage?from=2026-12-01&to=2026-12-07")
	tally := regexp.MustCompile(`(?s)data-testid="usage-total".*?</ul>`).FindString(page)
	for _, want := range []string{"<strong>10</strong> <span>lượt sử dụng cả tỉnh", "<strong>1 phút 32 giây</strong>", // 830 s over 9 ended visits
		"<strong>1</strong> <span>lượt có cán bộ giúp", "<strong>3</strong> <span>kiosk"} {
		if !strings.Contains(tally, want) {
			t.Errorf("the province summary lacks %q:\n%s", want, tally)
		}
	}
	sent1, sent2 := h.formatExact(clock.Add(-2*time.Hour)), h.formatExact(clock)
	kiosks := tableRows(t, page, "usage-kiosks")
	wantKiosks := []string{
		"Kiosk Xã Lượt sử dụng Trung bình mỗi lượt Số liệu đến lúc",
		"Kiosk chưa chạy Ea Kao 0 chưa có số liệu",
		"Nhà văn hóa Ea Kao Ea Kao 8 1 phút 40 giây",
		"Bưu điện Hòa Thắng Hòa Thắng 2 30 giây",
		"Cả tỉnh 2 xã 10 1 phút 32 giây",
	}
	if len(kiosks) != len(wantKiosks) {
		t.Fatalf("kiosk rows:\n%s", strings.Join(kiosks, "\n"))
	}
	for i, want := range wantKiosks {
		if !strings.HasPrefix(kiosks[i], want) {
			t.Errorf("kiosk row %d: %q, want it to start %q", i, kiosks[i], want)
		}
	}
	// Each kiosk's freshness is its own last upload (the tooltip holds the exact time).
	if !regexp.MustCompile(`(?s)Nhà văn hóa Ea Kao</a>.*?title="`+sent1+`"`).MatchString(page) ||
		!regexp.MustCompile(`(?s)Bưu điện Hòa Thắng</a>.*?title="`+sent2+`"`).MatchString(page) {
		t.Errorf("the kiosks' last uploads (%s, %s) are not shown", sent1, sent2)
	}
	communes := tableRows(t, page, "usage-communes")
	if strings.Join(communes[1:], "\n") != "Ea Kao 2 8 1 phút 40 giây\nHòa Thắng 1 2 30 giây" {
		t.Errorf("commune rows:\n%s", strings.Join(communes, "\n"))
	}
	procs := tableRows(t, page, "usage-procedures")
	wantProcs := []string{
		"Thủ tục Lượt xem Làm hết các bước Hiện mã QR",
		"Làm giấy khai sinh cho bé 1.001193 8 0 0",
		renamed + " 2.000815 5 4 3", // as many views, more finished
		"9.999999 (không còn trong nội dung) 5 0 0",
	}
	if strings.Join(procs, "\n") != strings.Join(wantProcs, "\n") {
		t.Errorf("procedure rows:\n%s\nwant:\n%s", strings.Join(procs, "\n"), strings.Join(wantProcs, "\n"))
	}
	lessons := tableRows(t, page, "usage-lessons")
	if len(lessons) != 3 || !strings.HasSuffix(lessons[1], " 5 0") || !strings.HasPrefix(lessons[2], "Làm quen điện thoại cảm ứng 3 1") ||
		strings.Contains(lessons[1], "vneid-activate") {
		t.Errorf("lesson rows:\n%s", strings.Join(lessons, "\n"))
	}
	if !strings.Contains(page, ">"+renamed+` <small class="nowrap">(2.000815)</small><`) || strings.Contains(page, "Sao y, chứng thực bản sao giấy tờ") {
		t.Errorf("the detailed rows do not name the procedure after the newest pack")
	}
	if !strings.Contains(page, "Tên thủ tục và bài học lấy từ gói “crafted” (thế hệ") {
		t.Errorf("the page does not say where the names come from")
	}

	_, body := a.get("/admin/usage.csv?from=2026-12-01&to=2026-12-07")
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := strings.Join(records[0], ",")
	if head != "device_id,name,commune,day,metric,key,step,count,seconds,item_name" {
		t.Fatalf("usage.csv header: %s", head)
	}
	found := false
	for _, r := range records[1:] {
		if r[0] == k1 && r[4] == "procedure_viewed" && r[5] == "2.000815" {
			found = r[9] == renamed
		}
	}
	if !found {
		t.Errorf("usage.csv does not name 2.000815:\n%s", body)
	}
}

// visitLength reads as an officer says it.
func TestVisitLength(t *testing.T) {
	for _, c := range []struct {
		seconds, visits int64
		want            string
	}{{0, 0, ""}, {59, 1, "59 giây"}, {60, 1, "1 phút 00 giây"}, {830, 9, "1 phút 32 giây"}, {7265, 1, "121 phút 05 giây"}, {1, 2, "1 giây"}} {
		if got := visitLength(c.seconds, c.visits); got != c.want {
			t.Errorf("visitLength(%d, %d) = %q, want %q", c.seconds, c.visits, got, c.want)
		}
	}
}

// A kiosk revoked since still counts for the days it sent, and a QR shown
// for a lesson is not counted as a procedure's.
func TestSummariseKeepsRevokedKiosksFigures(t *testing.T) {
	row := func(id, metric, key string, count int64) UsageRow {
		u := UsageRow{DeviceID: id, Name: "kiosk " + id, Commune: "Xã " + id}
		u.Day, u.Metric, u.Key, u.Count = "2026-12-06", metric, key, count
		return u
	}
	names := usageNames{title: map[string]string{"1.001193": "Khai sinh", "phone-touch": "Điện thoại"}, procedure: map[string]bool{"1.001193": true}}
	s := summarise([]UsageRow{
		row("a", "sessions", "", 3), row("gone", "sessions", "", 4),
		row("a", "qr_shown", "phone-touch", 2), row("a", "qr_shown", "1.001193", 1), row("a", "tutorial_opened", "phone-touch", 2),
	}, []kioskUse{{DeviceID: "a", Name: "kiosk a", Commune: "Xã a"}}, names)
	if s.Visits != 7 || len(s.Kiosks) != 2 || s.Kiosks[1].DeviceID != "gone" || s.Kiosks[1].Visits != 4 || len(s.Communes) != 2 {
		t.Errorf("summary: %+v", s)
	}
	if len(s.Procedures) != 1 || s.Procedures[0].QR != 1 || s.Procedures[0].Name != "Khai sinh" || len(s.Lessons) != 1 || s.Lessons[0].Name != "Điện thoại" {
		t.Errorf("items: %+v %+v", s.Procedures, s.Lessons)
	}
}

// A QR shown for a procedure the pack no longer has counts when the rows
// name it as opened, whichever row comes first (the rows are sorted by day
// and metric, so "procedure_viewed" of a later day follows "qr_shown" of an
// earlier one); a QR of a code the rows name nowhere else is not counted.
func TestSummariseQRWhateverTheRowOrder(t *testing.T) {
	row := func(day, metric, key string, count int64) UsageRow {
		u := UsageRow{DeviceID: "a", Name: "kiosk a", Commune: "Xã a"}
		u.Day, u.Metric, u.Key, u.Count = day, metric, key, count
		return u
	}
	names := usageNames{title: map[string]string{"1.001193": "Khai sinh"}, procedure: map[string]bool{"1.001193": true}}
	qr := row("2026-12-05", "qr_shown", "2.000815", 2)
	viewed := row("2026-12-06", "procedure_viewed", "2.000815", 5)
	stray := row("2026-12-06", "qr_shown", "zalo-safe", 1)
	for _, rows := range [][]UsageRow{{qr, viewed, stray}, {viewed, qr, stray}, {stray, qr, viewed}} {
		s := summarise(rows, []kioskUse{{DeviceID: "a", Name: "kiosk a", Commune: "Xã a"}}, names)
		if len(s.Procedures) != 1 || s.Procedures[0].ID != "2.000815" || s.Procedures[0].Opened != 5 || s.Procedures[0].QR != 2 {
			t.Errorf("rows %s, %s, %s: procedures %+v", rows[0].Metric, rows[1].Metric, rows[2].Metric, s.Procedures)
		}
	}
}
