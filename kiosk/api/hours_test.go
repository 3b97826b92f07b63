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
