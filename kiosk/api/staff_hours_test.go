package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/hours"
	"tramso/kiosk/store"
)

// weekdayHours: Monday to Friday, the commune office's hours; rests after 20 minutes.
const weekdayHours = `
schedule:
  opening_hours: {mon: "07:30-11:30,13:30-17:00", tue: "07:30-11:30,13:30-17:00", wed: "07:30-11:30,13:30-17:00", thu: "07:30-11:30,13:30-17:00", fri: "07:30-11:30,13:30-17:00"}
  closed_blank_after_minutes: 20
`

// movingClock is a kiosk clock the test moves.
type movingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movingClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *movingClock) set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *movingClock) add(d time.Duration) { c.set(c.now().Add(d)) }

// vnAt is a wall-clock time in Vietnam; 2026-11-23 is a Monday.
func vnAt(day string, hh, mm int) time.Time {
	d, _ := time.ParseInLocation("2006-01-02", day, hours.Vietnam)
	return d.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
}

// hoursKiosk starts a kiosk (a real server on the database in dir) at the
// clock's time, with staff PIN 258025; stop closes it, as a restart would.
func hoursKiosk(t *testing.T, dir string, clock *movingClock) (srv *httptest.Server, st *store.Store, stop func()) {
	t.Helper()
	return kioskWithConfig(t, dir, weekdayHours, clock)
}

// kioskWithConfig is a staff kiosk with the schedule of the config yaml, on
// the store in dir (so a test can restart it) and the clock given.
func kioskWithConfig(t *testing.T, dir, yaml string, clock *movingClock) (srv *httptest.Server, st *store.Store, stop func()) {
	t.Helper()
	cfg, err := config.Parse(strings.NewReader(yaml))
	if err != nil {
		t.Fatal(err)
	}
	a := staffAPI(t, "258025", nil)
	a.Config.Schedule = cfg.Schedule
	a.Store.Close()
	if a.Store, err = store.Open(dir); err != nil {
		t.Fatal(err)
	}
	a.hrs.now = clock.now
	srv = httptest.NewServer(a.Handler())
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			srv.Close()
			a.Store.Close()
		}
	}
	t.Cleanup(stop)
	return srv, a.Store, stop
}

func getHoursAnswer(t *testing.T, srv *httptest.Server) hoursAnswer {
	t.Helper()
	var a hoursAnswer
	if code := callJSON(t, srv, "GET", "/api/hours", "", &a); code != 200 {
		t.Fatalf("GET /api/hours: %d", code)
	}
	return a
}

// A kiosk started outside its hours shows the closed notice for
// closed_blank_after_minutes before its screen rests, whenever it closed
// (outside QA s26: installed at 22:10, it was black at once).
func TestClosedNoticeAfterAStartOutsideHours(t *testing.T) {
	dir := t.TempDir()
	clock := &movingClock{t: vnAt("2026-11-24", 22, 10)} // Tuesday night, closed since 17:00
	srv, _, stop := hoursKiosk(t, dir, clock)
	if a := getHoursAnswer(t, srv); a.Open || a.Blank {
		t.Fatalf("just started: open %v blank %v, want the notice", a.Open, a.Blank)
	}
	clock.add(19 * time.Minute)
	if a := getHoursAnswer(t, srv); a.Blank {
		t.Fatal("19 minutes after the start: resting already")
	}
	clock.add(time.Minute)
	if a := getHoursAnswer(t, srv); !a.Blank {
		t.Fatal("20 minutes after the start: still showing the notice")
	}
	// Started again (a restart, a power cut): the notice again.
	stop()
	clock.add(time.Hour)
	srv, _, _ = hoursKiosk(t, dir, clock)
	if a := getHoursAnswer(t, srv); a.Blank {
		t.Fatal("restarted: resting at once")
	}
}

func staffHoursCall(t *testing.T, srv *httptest.Server, token, body string) (int, staffHoursAnswer, map[string]any) {
	t.Helper()
	method := "POST"
	if body == "" {
		method = "GET"
	}
	var header []string
	if token != "" {
		header = []string{StaffTokenHeader, token}
	}
	code, raw := call(t, srv, method, "/api/staff/hours", body, header...)
	var a staffHoursAnswer
	var m map[string]any
	_ = json.Unmarshal(raw, &a)
	_ = json.Unmarshal(raw, &m)
	return code, a, m
}

func rfc(t time.Time) string { return t.Format(time.RFC3339) }

func TestStaffOpensTheKioskForAnEvening(t *testing.T) {
	dir := t.TempDir()
	clock := &movingClock{t: vnAt("2026-11-23", 18, 50)} // Monday evening: closed
	srv, _, stop := hoursKiosk(t, dir, clock)
	if code, _, _ := staffHoursCall(t, srv, "", ""); code != http.StatusUnauthorized {
		t.Fatalf("GET without staff mode: %d", code)
	}
	if code, _, _ := staffHoursCall(t, srv, "", `{"action":"open","until":"2026-11-23T21:00:00+07:00"}`); code != http.StatusUnauthorized {
		t.Fatalf("POST without staff mode: %d", code)
	}
	token := staffLogin(t, srv, "258025")
	if code, raw := call(t, srv, "POST", "/api/staff/hours", `{"action":"usual"}`, StaffTokenHeader, token, "Sec-Fetch-Site", "cross-site"); code != http.StatusForbidden {
		t.Fatalf("from another site: %d %s", code, raw)
	}
	code, a, _ := staffHoursCall(t, srv, token, "")
	var choices []string
	for _, c := range a.OpenChoices {
		choices = append(choices, c.Format("15:04"))
	}
	if code != 200 || a.Hours.Open || strings.Join(choices, " ") != "20:00 21:00 22:00" || rfc(a.CloseUntil) != "2026-11-24T07:30:00+07:00" {
		t.Fatalf("closed: %d %+v choices %v", code, a, choices)
	}
	for _, bad := range []string{
		`{"action":"open"}`,
		`{"action":"open","until":"2026-11-23T18:00:00+07:00"}`, // past
		`{"action":"reboot"}`,
	} {
		if code, _, m := staffHoursCall(t, srv, token, bad); code != http.StatusBadRequest || m["code"] != codeBadStaffAction {
			t.Errorf("%s: %d %v, want 400 %s", bad, code, m, codeBadStaffAction)
		}
	}
	code, a, _ = staffHoursCall(t, srv, token, `{"action":"open","until":"2026-11-23T21:00:00+07:00"}`)
	if code != 200 || !a.Hours.Open || a.Hours.ClosesAt == nil || rfc(*a.Hours.ClosesAt) != "2026-11-23T21:00:00+07:00" ||
		a.Hours.Override == nil || !a.Hours.Override.Open || rfc(a.Hours.Override.Until) != "2026-11-23T21:00:00+07:00" {
		t.Fatalf("opened: %d %+v", code, a.Hours)
	}
	// Residents see it open, across a restart.
	stop()
	clock.add(time.Hour)
	srv, st, _ := hoursKiosk(t, dir, clock)
	if h := getHoursAnswer(t, srv); !h.Open || h.Override == nil || h.ClosesAt == nil || rfc(*h.ClosesAt) != "2026-11-23T21:00:00+07:00" {
		t.Fatalf("19:50, after a restart: %+v", h)
	}
	// It ends by itself at 21:00: the notice, then rest 20 minutes on.
	clock.set(vnAt("2026-11-23", 21, 0))
	if h := getHoursAnswer(t, srv); h.Open || h.Blank || h.Override != nil || h.OpensAt == nil || rfc(*h.OpensAt) != "2026-11-24T07:30:00+07:00" {
		t.Fatalf("21:00: %+v", h)
	}
	clock.set(vnAt("2026-11-23", 21, 20))
	if h := getHoursAnswer(t, srv); !h.Blank {
		t.Fatalf("21:20: %+v, want resting", h)
	}
	actions, err := store.StaffActions(context.Background(), st.DB, 10)
	if err != nil || len(actions) == 0 || actions[0].Action != "opened the kiosk to residents until 2026-11-23 21:00" {
		t.Fatalf("audit trail %v %v", actions, err)
	}
}

func TestStaffClosesTheKioskForToday(t *testing.T) {
	dir := t.TempDir()
	clock := &movingClock{t: vnAt("2026-11-23", 14, 0)} // Monday afternoon: open
	srv, st, _ := hoursKiosk(t, dir, clock)
	clock.add(time.Hour) // the kiosk has run a while: only staff's change shows the notice
	token := staffLogin(t, srv, "258025")
	code, a, _ := staffHoursCall(t, srv, token, `{"action":"close"}`)
	if code != 200 || a.Hours.Open || a.Hours.Blank || a.Hours.OpensAt == nil || rfc(*a.Hours.OpensAt) != "2026-11-24T07:30:00+07:00" ||
		a.Hours.Override == nil || a.Hours.Override.Open {
		t.Fatalf("closed for today: %d %+v", code, a.Hours)
	}
	clock.add(20 * time.Minute)
	if h := getHoursAnswer(t, srv); h.Open || !h.Blank {
		t.Fatalf("20 minutes on: %+v, want resting", h)
	}
	code, a, _ = staffHoursCall(t, srv, token, `{"action":"usual"}`)
	if code != 200 || !a.Hours.Open || a.Hours.Override != nil {
		t.Fatalf("back to the usual hours: %d %+v", code, a.Hours)
	}
	// Kept, ended: it still says since when the kiosk was closed.
	if o, err := st.LoadHoursOverride(context.Background()); err != nil || o.Active(clock.now()) || !o.Until.Equal(clock.now()) {
		t.Fatalf("stored after usual: %+v %v, want the closing ended now", o, err)
	}
	// Closed for today, the next morning opens as usual.
	staffHoursCall(t, srv, token, `{"action":"close"}`)
	clock.set(vnAt("2026-11-24", 7, 30))
	if h := getHoursAnswer(t, srv); !h.Open || h.Override != nil {
		t.Fatalf("the next morning: %+v", h)
	}
	actions, _ := store.StaffActions(context.Background(), st.DB, 10)
	var got []string
	for _, a := range actions[:3] {
		got = append(got, a.Action)
	}
	want := "closed the kiosk for today, until 2026-11-24 07:30|returned the kiosk to its usual opening hours|closed the kiosk for today, until 2026-11-24 07:30"
	if strings.Join(got, "|") != want {
		t.Fatalf("audit trail %q", strings.Join(got, "|"))
	}
}

// At noon a funeral closes the afternoon: "closed for today" is offered at
// lunch, and the kiosk then stays shut until Tuesday; residents still in a
// session read when it closed, not a time still to come (outside QA s26b).
func TestStaffClosesTheAfternoonAtLunch(t *testing.T) {
	clock := &movingClock{t: vnAt("2026-11-23", 11, 59)}
	srv, _, _ := hoursKiosk(t, t.TempDir(), clock)
	token := staffLogin(t, srv, "258025")
	code, a, _ := staffHoursCall(t, srv, token, "")
	if code != 200 || a.Hours.Open || !a.CanClose || rfc(a.CloseUntil) != "2026-11-24T07:30:00+07:00" || len(a.OpenChoices) == 0 {
		t.Fatalf("at lunch: %d %+v", code, a)
	}
	if a.Hours.ClosedSince == nil || rfc(*a.Hours.ClosedSince) != "2026-11-23T11:30:00+07:00" {
		t.Fatalf("closed since %v, want 11:30", a.Hours.ClosedSince)
	}
	code, a, _ = staffHoursCall(t, srv, token, `{"action":"close"}`)
	if code != 200 || a.CanClose || a.Hours.OpensAt == nil || rfc(*a.Hours.OpensAt) != "2026-11-24T07:30:00+07:00" {
		t.Fatalf("closed at lunch: %d %+v", code, a)
	}
	clock.set(vnAt("2026-11-23", 14, 0))
	if h := getHoursAnswer(t, srv); h.Open {
		t.Fatalf("14:00, the afternoon closed: %+v", h)
	}
	// Closed during an opening: closed since staff closed it.
	clock.set(vnAt("2026-11-24", 10, 26))
	staffHoursCall(t, srv, token, `{"action":"close"}`)
	if h := getHoursAnswer(t, srv); h.Open || h.ClosedSince == nil || rfc(*h.ClosedSince) != "2026-11-24T10:26:00+07:00" {
		t.Fatalf("closed at 10:26: %+v", h)
	}
}

// While open, staff keep it open longer for an evening class.
func TestStaffKeepsTheKioskOpenForAnEveningClass(t *testing.T) {
	clock := &movingClock{t: vnAt("2026-11-23", 16, 0)}
	srv, _, _ := hoursKiosk(t, t.TempDir(), clock)
	token := staffLogin(t, srv, "258025")
	_, a, _ := staffHoursCall(t, srv, token, "")
	var choices []string
	for _, c := range a.OpenChoices {
		choices = append(choices, c.Format("15:04"))
	}
	if !a.Hours.Open || !a.CanClose || strings.Join(choices, " ") != "18:00 19:00 20:00 21:00" {
		t.Fatalf("open at 16:00: %+v choices %v", a, choices)
	}
	code, a, _ := staffHoursCall(t, srv, token, `{"action":"open","until":"2026-11-23T21:00:00+07:00"}`)
	if code != 200 || !a.Hours.Open || a.Hours.ClosesAt == nil || rfc(*a.Hours.ClosesAt) != "2026-11-23T21:00:00+07:00" {
		t.Fatalf("kept open: %d %+v", code, a.Hours)
	}
	clock.set(vnAt("2026-11-23", 17, 30))
	if h := getHoursAnswer(t, srv); !h.Open {
		t.Fatalf("17:30: %+v, want open for the class", h)
	}
}

// The API opens the kiosk only until a time the card offers
// (hours.ChoicesAt): not any time within a day (outside QA s27).
func TestStaffOpensOnlyUntilAnOfferedTime(t *testing.T) {
	clock := &movingClock{t: vnAt("2026-11-23", 16, 0)} // open until 17:00; offered 18:00-21:00
	srv, _, _ := hoursKiosk(t, t.TempDir(), clock)
	token := staffLogin(t, srv, "258025")
	for _, c := range []struct{ until, code string }{
		{"2026-11-23T15:00:00+07:00", codeBadStaffAction},  // passed: the card's choices were old
		{"2026-11-23T16:30:00+07:00", codeHoursNotOffered}, // before it closes anyway
		{"2026-11-23T18:30:00+07:00", codeHoursNotOffered}, // not a whole hour
		{"2026-11-23T22:00:00+07:00", codeHoursNotOffered}, // past 21:00
		{"2026-11-24T10:00:00+07:00", codeHoursNotOffered}, // within a day, not offered
	} {
		code, _, m := staffHoursCall(t, srv, token, `{"action":"open","until":"`+c.until+`"}`)
		if code != http.StatusBadRequest || m["code"] != c.code {
			t.Errorf("until %s: %d %v, want 400 %s", c.until, code, m, c.code)
		}
	}
	if h := getHoursAnswer(t, srv); h.Override != nil || h.ClosesAt == nil || rfc(*h.ClosesAt) != "2026-11-23T17:00:00+07:00" {
		t.Fatalf("after the refusals: %+v, want the usual hours", h)
	}
	// An offered time, written in UTC, is the same time.
	code, a, _ := staffHoursCall(t, srv, token, `{"action":"open","until":"2026-11-23T12:00:00Z"}`)
	if code != 200 || a.Hours.ClosesAt == nil || rfc(*a.Hours.ClosesAt) != "2026-11-23T19:00:00+07:00" {
		t.Fatalf("until 19:00 (12:00Z): %d %+v", code, a.Hours)
	}
}

// Without opening hours the card offers no time to open until, so the API
// takes none.
func TestStaffCannotOpenAnAlwaysOpenKioskUntilATime(t *testing.T) {
	a := staffAPI(t, "258025", nil)
	clock := &movingClock{t: vnAt("2026-11-23", 16, 0)}
	a.hrs.now = clock.now
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	token := staffLogin(t, srv, "258025")
	code, _, m := staffHoursCall(t, srv, token, `{"action":"open","until":"2026-11-23T18:00:00+07:00"}`)
	if code != http.StatusBadRequest || m["code"] != codeHoursNotOffered {
		t.Fatalf("open an always-open kiosk until 18:00: %d %v", code, m)
	}
}
