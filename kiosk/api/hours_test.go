package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/hours"
	"tramso/kiosk/store"
)

func hoursServer(t *testing.T, yaml string) *Server {
	t.Helper()
	cfg, err := config.Parse(strings.NewReader(yaml))
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.TempDir()) // the full handler wants a real database
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &Server{Config: cfg, Store: st}
}

const officeHours = `
schedule:
  opening_hours:
    mon: "07:30-11:30,13:30-17:00"
    tue: "07:30-11:30,13:30-17:00"
  closed_blank_after_minutes: 20
`

func TestHoursAnswer(t *testing.T) {
	vn := hours.Vietnam
	at := func(day string, hh, mm int) time.Time { // 2026-11-23 is a Monday
		d, _ := time.ParseInLocation("2006-01-02", day, vn)
		return d.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
	}
	s := hoursServer(t, officeHours)
	cases := []struct {
		name          string
		now           time.Time
		open, blank   bool
		opens, closes string
		today         string
	}{
		{"open in the morning", at("2026-11-23", 9, 0), true, false, "", "2026-11-23T11:30:00+07:00", "07:30-11:30,13:30-17:00"},
		{"lunch, just closed", at("2026-11-23", 11, 40), false, false, "2026-11-23T13:30:00+07:00", "", "07:30-11:30,13:30-17:00"},
		{"lunch, resting", at("2026-11-23", 11, 50), false, true, "2026-11-23T13:30:00+07:00", "", "07:30-11:30,13:30-17:00"},
		{"tuesday night until next monday", at("2026-11-24", 20, 0), false, true, "2026-11-30T07:30:00+07:00", "", "07:30-11:30,13:30-17:00"},
		{"a closed day", at("2026-11-25", 9, 0), false, true, "2026-11-30T07:30:00+07:00", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := s.hoursAt(c.now)
			got := func(p *time.Time) string {
				if p == nil {
					return ""
				}
				return p.Format(time.RFC3339)
			}
			if !a.Scheduled || a.Open != c.open || a.Blank != c.blank || got(a.OpensAt) != c.opens ||
				got(a.ClosesAt) != c.closes || strings.Join(a.Today, ",") != c.today || a.BlankAfterSeconds != 1200 {
				t.Errorf("%+v", a)
			}
			if len(a.Week) != 7 || len(a.Week["mon"]) != 2 || len(a.Week["sun"]) != 0 {
				t.Errorf("week = %v", a.Week)
			}
		})
	}
}

func TestHoursEndpointAlwaysOpenWithoutSchedule(t *testing.T) {
	srv := httptest.NewServer(hoursServer(t, "commune: {name: Ea Kao}\n").Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/hours")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, err)
	}
	if a["scheduled"] != false || a["open"] != true || a["blank"] != false {
		t.Errorf("answer %v", a)
	}
}

type countingPinger struct{ n int }

func (p *countingPinger) Ping()                    { p.n++ }
func (p *countingPinger) PingEvery() time.Duration { return 1500 * time.Millisecond }

func TestAliveFeedsTheWatchdog(t *testing.T) {
	p := &countingPinger{}
	s := hoursServer(t, "")
	s.Alive = p
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for i := 0; i < 2; i++ {
		resp, err := http.Post(srv.URL+"/api/alive", "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		var a aliveAnswer
		json.NewDecoder(resp.Body).Decode(&a)
		resp.Body.Close()
		if resp.StatusCode != 200 || a.PingEveryMS != 1500 {
			t.Fatalf("%d %+v", resp.StatusCode, a)
		}
	}
	if p.n != 2 {
		t.Fatalf("pings = %d, want 2", p.n)
	}
	if resp, _ := http.Get(srv.URL + "/api/alive"); resp.StatusCode < 400 || p.n != 2 {
		t.Errorf("GET /api/alive = %d and counted: only POST is a heartbeat", resp.StatusCode)
	}
}

// The office the closed notice sends a resident to: the service centre
// (pvhcc) wherever the config lists it, with how it stands now, read from
// the config as the procedures' office card reads it.
const communeOffices = officeHours + `
commune:
  offices:
    - id: police
      name: Công an xã Ea Kao
      hours: ["T2-T6 07:30-11:30"]
    - id: pvhcc
      name: Trung tâm Phục vụ hành chính công xã Ea Kao
      address: Thôn 1, xã Ea Kao
      phone: "0262 000 000"
      hours: ["T2-T6 7h30-11h30, 13h30-17h"]
`

// officeAt is the phase of office a in force at now, as the notice picks it.
func officeAt(t *testing.T, a hoursAnswer, now time.Time) ClosedOfficePhase {
	t.Helper()
	if a.Office == nil || len(a.Office.Phases) == 0 {
		t.Fatalf("no office phases: %+v", a.Office)
	}
	at := a.Office.Phases[0]
	for _, p := range a.Office.Phases {
		if !p.From.After(now) {
			at = p
		}
	}
	return at
}

func TestHoursAnswerOffice(t *testing.T) {
	vn := hours.Vietnam
	at := func(day string, hh, mm int) time.Time { // 2026-11-23 is a Monday
		d, _ := time.ParseInLocation("2006-01-02", day, vn)
		return d.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
	}
	s := hoursServer(t, communeOffices)
	cases := []struct {
		name  string
		now   time.Time
		open  bool
		until string
		opens string // when day time
		today string
	}{
		{"open in the afternoon", at("2026-11-23", 15, 0), true, "17:00", "", "07:30-11:30, 13:30-17:00"},
		{"closing soon", at("2026-11-23", 16, 30), true, "17:00", "", "07:30-11:30, 13:30-17:00"},
		{"morning, until lunch", at("2026-11-23", 9, 0), true, "11:30", "", "07:30-11:30, 13:30-17:00"},
		{"lunch", at("2026-11-23", 12, 0), false, "", "today mon 13:30", "07:30-11:30, 13:30-17:00"},
		{"evening", at("2026-11-23", 18, 0), false, "", "tomorrow tue 07:30", "07:30-11:30, 13:30-17:00"},
		{"early morning", at("2026-11-24", 6, 0), false, "", "today tue 07:30", "07:30-11:30, 13:30-17:00"},
		{"friday evening", at("2026-11-27", 18, 0), false, "", "day mon 07:30", "07:30-11:30, 13:30-17:00"},
		{"saturday, a day off", at("2026-11-28", 10, 0), false, "", "day mon 07:30", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := s.hoursAt(c.now)
			o := a.Office
			if o == nil || o.Name != "Trung tâm Phục vụ hành chính công xã Ea Kao" || o.Address != "Thôn 1, xã Ea Kao" || o.Phone != "0262 000 000" {
				t.Fatalf("office = %+v, want the service centre (pvhcc), not the first listed", o)
			}
			if !o.TodayKnown || o.Today != c.today || o.TodayTyped != "" {
				t.Errorf("today = %q known %v typed %q, want %q", o.Today, o.TodayKnown, o.TodayTyped, c.today)
			}
			p := officeAt(t, a, c.now)
			opens := ""
			if p.Opens != nil {
				opens = p.Opens.When + " " + p.Opens.Day + " " + p.Opens.Time
			}
			if p.Open != c.open || p.Until != c.until || opens != c.opens {
				t.Errorf("at %s: open %v until %q opens %q, want %v %q %q (phases %+v)", c.now.Format("15:04"), p.Open, p.Until, opens, c.open, c.until, c.opens, o.Phases)
			}
		})
	}
	// Through the endpoint, as the page reads it: the kiosk closed at 18:00.
	s.hrs.now = func() time.Time { return at("2026-11-23", 18, 0) }
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/hours")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a struct {
		Open   bool `json:"open"`
		Office struct {
			Name   string `json:"name"`
			Phases []struct {
				From  time.Time `json:"from"`
				Open  bool      `json:"open"`
				Until string    `json:"until"`
			} `json:"phases"`
		} `json:"office"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatal(err)
	}
	if a.Open || a.Office.Name == "" || len(a.Office.Phases) == 0 {
		t.Errorf("GET /api/hours at 18:00 on Monday: %+v, want closed, with the office and its phases", a)
	}
}

func TestHoursAnswerOfficeChoice(t *testing.T) {
	monday := time.Date(2026, 11, 23, 15, 0, 0, 0, hours.Vietnam)
	cases := []struct {
		name, yaml string
		want       string // the office's name; "" none
	}{
		{"no office: nothing new on the notice", officeHours, ""},
		{"no service centre: the first office", officeHours + `
commune:
  offices:
    - {id: ubnd, name: UBND xã Ea Kao, hours: ["T2-T6 07:30-11:30"]}
    - {id: police, name: Công an xã Ea Kao}
`, "UBND xã Ea Kao"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := hoursServer(t, c.yaml).hoursAt(monday).Office
			switch {
			case c.want == "" && o != nil:
				t.Errorf("office = %+v, want none", o)
			case c.want != "" && (o == nil || o.Name != c.want):
				t.Errorf("office = %+v, want %s", o, c.want)
			}
		})
	}
	// Hours the kiosk cannot read: shown as typed, nothing said about now.
	s := hoursServer(t, officeHours+`
commune:
  offices:
    - {id: pvhcc, name: Bộ phận Một cửa xã, hours: ["T2-T6: sáng 7h30 đến trưa"]}
`)
	o := s.hoursAt(monday).Office
	if o == nil || o.TodayKnown || o.TodayTyped != "T2-T6: sáng 7h30 đến trưa" || len(o.Phases) != 0 {
		t.Errorf("office = %+v, want today's line as typed and no phases", o)
	}
}
