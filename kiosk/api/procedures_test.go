package api

import (
	"io/fs"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
)

// procServer serves the API with a real database in a temporary folder, the
// embedded starter content and a commune overlay that knows only the
// public-administration centre (not the police), as a real commune might.
func procServer(t *testing.T) (*httptest.Server, *content.Live) {
	t.Helper()
	cfg := config.Default()
	cfg.Commune.Name = "Xã Ea Kao"
	cfg.Commune.Offices = []config.Office{{ID: "pvhcc", Name: "Trung tâm Phục vụ hành chính công xã Ea Kao",
		Address: "Thôn 1, xã Ea Kao", Phone: "0262 000 000", Hours: []string{"Mon-Fri 07:30-11:30,13:30-17:00", "Sat 07:30-11:30"}}}
	// A Saturday morning in Đắk Lắk.
	officeClock = func() time.Time { return time.Date(2026, 11, 28, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600)) }
	t.Cleanup(func() { officeClock = time.Now })
	return starterServer(t, cfg)
}

func TestProcedureList(t *testing.T) {
	srv, _ := procServer(t)
	var out content.ProcedureListView
	if code := callJSON(t, srv, "GET", "/api/procedures", "", &out); code != 200 {
		t.Fatalf("status %d", code)
	}
	if len(out.Procedures) != 11 || len(out.LifeEvents) != 5 || len(out.Fields) != 3 {
		t.Fatalf("%d procedures, %d life events, %d fields", len(out.Procedures), len(out.LifeEvents), len(out.Fields))
	}
	if le := out.LifeEvents[0]; le.Title != "Gia đình có em bé" || le.Flow != "le-em-be" || le.Procedures[0] != "1.001193" {
		t.Errorf("first life event = %+v", le)
	}
	var en content.ProcedureListView
	callJSON(t, srv, "GET", "/api/procedures?lang=rad", "", &en)
	if len(en.Fallback) == 0 {
		t.Error("Ê Đê has no translations yet; the fallback to Vietnamese must be reported")
	}
}

func TestProcedureDetail(t *testing.T) {
	srv, _ := procServer(t)
	var p content.ProcedureView
	if code := callJSON(t, srv, "GET", "/api/procedures/1.001193?lang=en", "", &p); code != 200 {
		t.Fatalf("status %d", code)
	}
	if p.Title != "Register a baby's birth" || p.Flow != "khai-sinh" || p.CompiledOn != "4 Dec 2026" || p.Checked != nil || p.ValidUntil != "1 Mar 2027" {
		t.Errorf("procedure = %+v", p)
	}
	if !p.Office.Known || p.Office.Today != "07:30-11:30" || !p.Office.TodayKnown {
		t.Errorf("office on a Saturday = %+v", p.Office)
	}
	// The card's phases come through, in Vietnam: closing soon from 10:45,
	// over at 11:30, then Monday.
	if ph := p.Office.Phases; len(ph) != 4 || ph[1].State != content.OfficeOpen || ph[2].State != content.OfficeClosing ||
		ph[2].From.Format(time.RFC3339) != "2026-11-28T10:45:00+07:00" || ph[3].State != content.OfficeOver ||
		ph[3].From.Format(time.RFC3339) != "2026-11-28T11:30:00+07:00" || ph[3].Opens.Day != "mon" || ph[3].Opens.When != "day" {
		t.Errorf("office phases on a Saturday = %+v", ph)
	}
	if p.PortalURL != "https://dichvucong.gov.vn/tim-kiem-thu-tuc-hanh-chinh?keyword=1.001193" {
		t.Errorf("portal = %s", p.PortalURL)
	}
	// The police office is not in this commune's overlay: no address is invented.
	var res content.ProcedureView
	callJSON(t, srv, "GET", "/api/procedures/1.004194", "", &res)
	if res.Office.Known || res.Office.Address != "" || res.Office.ID != "police" {
		t.Errorf("unconfigured office = %+v", res.Office)
	}
	if code := callJSON(t, srv, "GET", "/api/procedures/9.999999", "", nil); code != 404 {
		t.Errorf("unknown procedure: status %d", code)
	}
}

func TestFlowAPI(t *testing.T) {
	srv, _ := procServer(t)
	var f content.FlowView
	if code := callJSON(t, srv, "GET", "/api/flows/khai-sinh", "", &f); code != 200 {
		t.Fatalf("status %d", code)
	}
	if f.Start != "age" || f.Procedure != "1.001193" || len(f.Questions) != 7 {
		t.Fatalf("flow = %+v", f)
	}
	if a := f.Questions[0].Answers[1]; a.ID != "late" || a.Next != "exempt" || a.End {
		t.Errorf("late answer = %+v", a)
	}
	var le content.FlowView
	callJSON(t, srv, "GET", "/api/flows/le-chuyen-noi-o", "", &le)
	if le.LifeEvent != "chuyen-noi-o" || le.Questions[0].Answers[0].Procedure != "1.004222" {
		t.Errorf("life-event flow = %+v", le)
	}
	if code := callJSON(t, srv, "GET", "/api/flows/nope", "", nil); code != 404 {
		t.Errorf("unknown flow: status %d", code)
	}
}

func TestProcedureResult(t *testing.T) {
	srv, _ := procServer(t)
	tests := []struct {
		name, code, answers string
		status, feeKind     string
		feeText             string
		checklist           []string
	}{
		{"birth on time", "1.001193", `{"age":"on-time","parents":"married","paper":"yes"}`, content.ResultOK, content.FeeFree, "",
			[]string{"Làm giấy khai sinh cho bé (1.001193)", "- Giấy chứng sinh: Nộp", "- Căn cước: Chỉ đưa xem", "Lệ phí: Miễn phí", "Nơi nộp: Trung tâm Phục vụ hành chính công xã Ea Kao",
				"Giờ làm việc: ", "Các bước tiếp theo:\n3. ", "Trường hợp của bạn: Có Giấy chứng sinh\n"}},
		{"birth late", "1.001193", `{"age":"late","exempt":"no","parents-late":"married","paper":"yes"}`, content.ResultOK, content.FeeProvince, "",
			// Late is why it is charged (PROCEDURES.md §2.1): the list says so.
			[]string{"Lệ phí: Cán bộ xã sẽ báo mức phí cho bạn. Đăng ký quá hạn: mức lệ phí do HĐND tỉnh Đắk Lắk quy định\n"}},
		{"birth late, exempt", "1.001193", `{"age":"late","exempt":"yes","parents-late":"married","paper":"none"}`, content.ResultOK, content.FeeFree, "",
			[]string{"- Giấy cam đoan: Nộp", "Lệ phí: Miễn phí"}},
		{"temporary residence, no police office configured", "1.004194", `{"who":"minor","exempt":"no","papers":"yes"}`, content.ResultOK, content.FeeAmount, "15.000 đ",
			[]string{"Lệ phí: 15.000 đ/lần đăng ký; Nộp qua mạng: 7.000 đ/lần đăng ký", "Thời gian giải quyết: 3 ngày làm việc", "Nơi nộp: Hỏi cán bộ", "- Tờ khai có cha mẹ đồng ý (Mẫu CT01): Nộp"}},
		{"unknown answer fails closed", "1.001193", `{"age":"tomorrow"}`, content.ResultAskStaff, "", "", nil},
		{"flow sends to staff", "1.004222", `{"exempt":"no","how":"own","papers":"no"}`, content.ResultAskStaff, "", "", nil},
		{"incomplete", "1.001193", `{"age":"late"}`, content.ResultIncomplete, "", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out content.ResultView
			if code := callJSON(t, srv, "POST", "/api/procedures/"+tc.code+"/result", `{"answers":`+tc.answers+`}`, &out); code != 200 {
				t.Fatalf("status %d", code)
			}
			if out.Status != tc.status {
				t.Fatalf("status %q, want %q", out.Status, tc.status)
			}
			if !strings.HasPrefix(out.PortalQR, "data:image/png;base64,") {
				t.Error("no portal QR")
			}
			if tc.status != content.ResultOK {
				if out.Fee != nil || out.Time != nil || len(out.Documents) > 0 || out.Checklist != "" {
					t.Errorf("a %s result carries facts: %+v", tc.status, out)
				}
				if tc.status == content.ResultIncomplete && out.Next != "exempt" {
					t.Errorf("next = %q", out.Next)
				}
				return
			}
			if out.Fee.Kind != tc.feeKind || out.Fee.AmountText != tc.feeText {
				t.Errorf("fee = %+v, want %s %q", out.Fee, tc.feeKind, tc.feeText)
			}
			if len(out.Checklist) > content.MaxChecklist || !strings.HasPrefix(out.ChecklistQR, "data:image/png;base64,") {
				t.Errorf("checklist of %d bytes, QR %.30s", len(out.Checklist), out.ChecklistQR)
			}
			for _, w := range tc.checklist {
				if !strings.Contains(out.Checklist, w) {
					t.Errorf("checklist lacks %q:\n%s", w, out.Checklist)
				}
			}
			if len(out.Review) == 0 || len(out.CompiledOn) != len("27/11/2026") || out.Checked != nil || len(out.LegalBasis) == 0 {
				t.Errorf("review %v, compiled %q, checked %v, basis %v", out.Review, out.CompiledOn, out.Checked, out.LegalBasis)
			}
		})
	}
}

func TestProcedureResultRejectsBadRequests(t *testing.T) {
	srv, _ := procServer(t)
	for _, body := range []string{`{"answers":`, `{"answers":{},"name":"x"}`, `[]`} {
		if code := callJSON(t, srv, "POST", "/api/procedures/1.001193/result", body, nil); code != 400 {
			t.Errorf("%s: status %d", body, code)
		}
	}
	if code := callJSON(t, srv, "POST", "/api/procedures/0.000000/result", `{"answers":{}}`, nil); code != 404 {
		t.Errorf("unknown procedure: status %d", code)
	}
}

func TestSearchAPI(t *testing.T) {
	srv, live := procServer(t)
	var out searchAnswer
	if code := callJSON(t, srv, "GET", "/api/search?q="+url.QueryEscape("dang ki khai sinh"), "", &out); code != 200 {
		t.Fatalf("status %d", code)
	}
	if len(out.Results) == 0 || out.Results[0].Kind != "procedure" || out.Results[0].Code != "1.001193" || out.Results[0].Title != "Làm giấy khai sinh cho bé" {
		t.Fatalf("results = %+v", out.Results)
	}
	var none map[string]any
	callJSON(t, srv, "GET", "/api/search?q=", "", &none)
	if r, ok := none["results"].([]any); !ok || len(r) != 0 || none["elsewhere"] != false {
		t.Errorf("empty query answered %v", none)
	}
	// What the pack lists as covered elsewhere is said so, with no results.
	callJSON(t, srv, "GET", "/api/search?q="+url.QueryEscape("làm hộ chiếu"), "", &none)
	if r, ok := none["results"].([]any); !ok || len(r) != 0 || none["elsewhere"] != true {
		t.Errorf("làm hộ chiếu answered %v", none)
	}
	// A new pack is searched as soon as it is live.
	pack, _ := content.Load(content.Starter())
	pack.Procedures[0].PlainName = content.Text{"vi": "Thủ tục mới toanh"}
	live.Set(pack, content.SourcePack)
	callJSON(t, srv, "GET", "/api/search?q=moi+toanh", "", &out)
	if len(out.Results) == 0 || out.Results[0].Title != "Thủ tục mới toanh" {
		t.Errorf("after the swap: %+v", out.Results)
	}
}

// Past the date the facts rest on (NĐ 120/2025 until 01/3/2027) the result
// says the facts may have changed.
func TestProcedureExpiry(t *testing.T) {
	srv, _ := procServer(t)
	var before, after content.ResultView
	callJSON(t, srv, "POST", "/api/procedures/1.001193/result", `{"answers":{"age":"on-time","parents":"married","paper":"yes"}}`, &before)
	officeClock = func() time.Time { return time.Date(2027, 3, 1, 8, 0, 0, 0, time.FixedZone("ICT", 7*3600)) }
	callJSON(t, srv, "POST", "/api/procedures/1.001193/result", `{"answers":{"age":"on-time","parents":"married","paper":"yes"}}`, &after)
	if before.Expired || !after.Expired {
		t.Errorf("expired before %v, after %v", before.Expired, after.Expired)
	}
	var res content.ResultView
	callJSON(t, srv, "POST", "/api/procedures/1.004194/result", `{"answers":{"who":"adult","exempt":"no","papers":"yes"}}`, &res)
	if res.Expired {
		t.Error("a procedure with no valid_until never expires")
	}
}

// The result follows what the person already said (issue 15): the way of
// filing chosen on the life event ("Đến xã") comes first and is named, and
// a person who answered the exemption question is not shown the list.
func TestResultFollowsChoices(t *testing.T) {
	srv, _ := procServer(t)
	var le content.FlowView
	callJSON(t, srv, "GET", "/api/flows/le-em-be", "", &le)
	if a := le.Questions[0].Answers[0]; a.ID != "office" || a.Channel != "in_person" {
		t.Fatalf("le-em-be first answer = %+v, want office choosing in_person", a)
	}
	var out content.ResultView
	callJSON(t, srv, "POST", "/api/procedures/1.001193/result",
		`{"answers":{"age":"late","exempt":"no","parents-late":"married","paper":"yes"},"channel":"in_person"}`, &out)
	if out.Channel != "in_person" || len(out.Channels) != 3 || out.Channels[0].Kind != "in_person" {
		t.Errorf("channel %q, channels %+v", out.Channel, out.Channels)
	}
	if len(out.Exemptions) > 0 {
		t.Errorf("exemptions shown after the person answered no: %v", out.Exemptions)
	}
	var post content.ResultView
	callJSON(t, srv, "POST", "/api/procedures/1.001193/result",
		`{"answers":{"age":"late","exempt":"no","parents-late":"married","paper":"yes"},"channel":"post"}`, &post)
	if post.Status != content.ResultOK || post.Channel != "" {
		t.Errorf("a way the procedure does not offer was taken: %q (status %s)", post.Channel, post.Status)
	}
}

// TRAMSO_TEST_OFFICE_CLOCK starts the office clock at its moment, and it runs
// on from there; unset or unreadable, the clock is the real one.
func TestTestClock(t *testing.T) {
	real := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
	tick := func() time.Time { return real }
	clock := testClock("2026-12-11T17:46:00+07:00", tick)
	real = real.Add(90 * time.Second)
	if got := clock().Format(time.RFC3339); got != "2026-12-11T17:47:30+07:00" {
		t.Errorf("test clock = %s", got)
	}
	for _, start := range []string{"", "friday 17:46"} {
		if got := testClock(start, tick)(); !got.Equal(real) {
			t.Errorf("testClock(%q) = %s, want the real clock", start, got)
		}
	}
}

// starterFiles is the starter content as files a test may change.
func starterFiles(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(content.Starter(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(content.Starter(), p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// radWorded is the starter content with the office's day words given in Ê
// Đê by a translator (stand-ins: "rad:day_mon"…), as a province's pack would.
func radWorded(t *testing.T) *content.Pack {
	t.Helper()
	m := starterFiles(t)
	src := string(m["life-events.yaml"].Data)
	words := regexp.MustCompile(`(?m)^  (day_[a-z]+): \{vi: `)
	if n := len(words.FindAllString(src, -1)); n != 8 {
		t.Fatalf("life-events.yaml has %d day words, want 8", n)
	}
	src = words.ReplaceAllString(src, `  $1: {rad: "rad:$1", vi: `)
	m["life-events.yaml"] = &fstest.MapFile{Data: []byte(src)}
	pack, err := content.Load(m)
	if err != nil {
		t.Fatal(err)
	}
	return pack
}

// A pack that gives the day names in Ê Đê gives them to the card and to
// the take-home list alike: the API sends each office line said (the card
// shows it as sent), and the QR's "Giờ làm việc" is those lines; the day
// the office opens again is named in the same words. Before, the card said
// the lines itself from the frontend's catalogue, in Vietnamese.
func TestOfficeLinesSaidAsTheTakeHomeList(t *testing.T) {
	srv, live := procServer(t)
	live.Set(radWorded(t), content.SourcePack)
	var out content.ResultView
	if code := callJSON(t, srv, "POST", "/api/procedures/1.001193/result?lang=rad", `{"answers":{"age":"on-time","parents":"married","paper":"yes"}}`, &out); code != 200 || out.Status != content.ResultOK {
		t.Fatalf("status %d, %q", code, out.Status)
	}
	var said []string
	for _, l := range out.Office.Lines {
		said = append(said, l.Said)
	}
	const want = "rad:day_mon–rad:day_fri: 07:30–11:30, 13:30–17:00; rad:day_sat: 07:30–11:30"
	if got := strings.Join(said, "; "); got != want {
		t.Errorf("office lines said %q, want %q", got, want)
	}
	if !strings.Contains(out.Checklist, ": "+want+"\n") {
		t.Errorf("the take-home list does not say the card's lines %q:\n%s", want, out.Checklist)
	}
	// Saturday 09:00: after 11:30 it opens again on Monday, named in Ê Đê.
	var named []string
	for _, p := range out.Office.Phases {
		if p.Opens != nil && p.Opens.When == "day" {
			named = append(named, p.Opens.DayName)
		}
	}
	if strings.Join(named, ",") != "rad:day_mon" {
		t.Errorf("reopening days named %q, want rad:day_mon", named)
	}
	// In Vietnamese, the card's words as before.
	if callJSON(t, srv, "POST", "/api/procedures/1.001193/result?lang=vi", `{"answers":{"age":"on-time","parents":"married","paper":"yes"}}`, &out); out.Office.Lines[0].Said != "Thứ Hai–Thứ Sáu: 07:30–11:30, 13:30–17:00" {
		t.Errorf("vi: %q", out.Office.Lines[0].Said)
	}
}
