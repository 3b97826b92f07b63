package api

import (
	"net/http"
	"testing"
	"time"
)

// Staff's actions one after another, on the real server (review s27: each
// test failed before; the tests before chained none).

// A kiosk without opening hours, closed for today and restarted, still
// says it opens at midnight in Vietnam: the page reads the time as written,
// and a UTC time read it as "17:00 hôm nay".
func TestClosedForTodaySurvivesARestartInTheKiosksZone(t *testing.T) {
	dir := t.TempDir()
	clock := &movingClock{t: vnAt("2026-11-23", 15, 0)}
	srv, _, stop := kioskWithConfig(t, dir, "commune:\n  name: X\n", clock)
	staffHoursCall(t, srv, staffLogin(t, srv, "258025"), `{"action":"close"}`)
	stop()
	clock.add(time.Minute)
	srv, _, _ = kioskWithConfig(t, dir, "commune:\n  name: X\n", clock)
	h := getHoursAnswer(t, srv)
	if h.OpensAt == nil || rfc(*h.OpensAt) != "2026-11-24T00:00:00+07:00" {
		t.Fatalf("after a restart opens_at = %v, want 2026-11-24T00:00:00+07:00", h.OpensAt)
	}
	if h.ClosedSince == nil || rfc(*h.ClosedSince) != "2026-11-23T15:00:00+07:00" {
		t.Fatalf("after a restart closed_since = %v, want 2026-11-23T15:00:00+07:00", h.ClosedSince)
	}
}

// Kept open for an evening class, closed at 19:00, then back to the usual
// hours: the resident's band says closed since 19:00 throughout, and after
// a restart.
func TestStaffClosesAnEveningClassEarly(t *testing.T) {
	dir := t.TempDir()
	clock := &movingClock{t: vnAt("2026-11-23", 16, 0)}
	srv, _, stop := hoursKiosk(t, dir, clock)
	token := staffLogin(t, srv, "258025")
	staffHoursCall(t, srv, token, `{"action":"open","until":"2026-11-23T21:00:00+07:00"}`)
	clock.set(vnAt("2026-11-23", 19, 0))
	_, a, _ := staffHoursCall(t, srv, token, `{"action":"close"}`)
	if a.Hours.ClosedSince == nil || rfc(*a.Hours.ClosedSince) != "2026-11-23T19:00:00+07:00" {
		t.Fatalf("closed at 19:00 after an evening class: closed_since %v", a.Hours.ClosedSince)
	}
	clock.add(5 * time.Minute)
	_, a, _ = staffHoursCall(t, srv, token, `{"action":"usual"}`)
	if a.Hours.ClosedSince == nil || rfc(*a.Hours.ClosedSince) != "2026-11-23T19:00:00+07:00" {
		t.Fatalf("back to the usual hours at 19:05: closed_since %v, want 19:00", a.Hours.ClosedSince)
	}
	stop()
	srv, _, _ = hoursKiosk(t, dir, clock)
	if h := getHoursAnswer(t, srv); h.ClosedSince == nil || rfc(*h.ClosedSince) != "2026-11-23T19:00:00+07:00" {
		t.Fatalf("after a restart: closed_since %v, want 19:00", h.ClosedSince)
	}
}

// A Sunday meeting ended early: closed since the meeting ended, not since
// Friday's 17:00.
func TestStaffEndsASundayMeetingEarly(t *testing.T) {
	clock := &movingClock{t: vnAt("2026-11-29", 7, 45)}
	srv, _, _ := hoursKiosk(t, t.TempDir(), clock)
	token := staffLogin(t, srv, "258025")
	staffHoursCall(t, srv, token, `{"action":"open","until":"2026-11-29T11:00:00+07:00"}`)
	clock.set(vnAt("2026-11-29", 10, 30))
	_, a, _ := staffHoursCall(t, srv, token, `{"action":"usual"}`)
	if a.Hours.Open || a.Hours.ClosedSince == nil || rfc(*a.Hours.ClosedSince) != "2026-11-29T10:30:00+07:00" {
		t.Fatalf("Sunday 10:30, staff ended their opening: open %v, closed_since %v", a.Hours.Open, a.Hours.ClosedSince)
	}
}

// Closed for a funeral at 10:00: the card offers no opening over the
// closing, the API refuses one, and the afternoon stays closed.
func TestNoOpeningOverStaffsClosing(t *testing.T) {
	clock := &movingClock{t: vnAt("2026-11-23", 10, 0)}
	srv, _, _ := hoursKiosk(t, t.TempDir(), clock)
	token := staffLogin(t, srv, "258025")
	staffHoursCall(t, srv, token, `{"action":"close"}`)
	clock.add(5 * time.Minute)
	if _, c, _ := staffHoursCall(t, srv, token, ""); len(c.OpenChoices) != 0 || c.CanClose {
		t.Fatalf("while closed by staff: open_choices %v, can_close %v; want only the way back", c.OpenChoices, c.CanClose)
	}
	if code, _, raw := staffHoursCall(t, srv, token, `{"action":"open","until":"2026-11-23T11:00:00+07:00"}`); code != http.StatusBadRequest {
		t.Fatalf("open over staff's closing: %d %s, want 400", code, raw)
	}
	// A second close (a double tap, a card left open) is refused too: it
	// would say the kiosk closed at 10:05.
	if code, _, raw := staffHoursCall(t, srv, token, `{"action":"close"}`); code != http.StatusBadRequest || raw["code"] != "hours_not_offered" {
		t.Fatalf("close while closed: %d %s, want 400 hours_not_offered", code, raw)
	}
	if h := getHoursAnswer(t, srv); h.ClosedSince == nil || rfc(*h.ClosedSince) != "2026-11-23T10:00:00+07:00" {
		t.Fatalf("closed_since %v, want 10:00", h.ClosedSince)
	}
	clock.set(vnAt("2026-11-23", 14, 0))
	if h := getHoursAnswer(t, srv); h.Open {
		t.Fatalf("14:00 on the day staff closed: open until %v", h.ClosesAt)
	}
}

// Opened until 01:00 for a late event and closed "for today" at 00:20:
// Monday closes, Tuesday opens at its usual hours.
func TestStaffClosesAfterMidnight(t *testing.T) {
	clock := &movingClock{t: vnAt("2026-11-23", 22, 3)}
	srv, _, _ := hoursKiosk(t, t.TempDir(), clock)
	token := staffLogin(t, srv, "258025")
	if code, _, raw := staffHoursCall(t, srv, token, `{"action":"open","until":"2026-11-24T01:00:00+07:00"}`); code != http.StatusOK {
		t.Fatalf("open until 01:00: %d %s", code, raw)
	}
	clock.set(vnAt("2026-11-24", 0, 20))
	if _, a, _ := staffHoursCall(t, srv, token, ""); rfc(a.CloseUntil) != "2026-11-24T07:30:00+07:00" {
		t.Fatalf("00:20 Tuesday: close_until %s, want Tuesday 07:30", rfc(a.CloseUntil))
	}
	staffHoursCall(t, srv, token, `{"action":"close"}`)
	clock.set(vnAt("2026-11-24", 9, 0))
	if h := getHoursAnswer(t, srv); !h.Open {
		t.Fatalf("Tuesday 09:00, usual hours: closed until %v", h.OpensAt)
	}
}

// A time the card offered a moment ago is still taken: at 10:14:50 the card
// offers 11:00 (45 minutes away at least); a tap at 10:15:05 was refused
// as "not offered now" (review s27).
func TestStaffTapsATimeTheCardJustOffered(t *testing.T) {
	clock := &movingClock{t: vnAt("2026-11-29", 10, 14).Add(50 * time.Second)}
	srv, _, _ := hoursKiosk(t, t.TempDir(), clock)
	token := staffLogin(t, srv, "258025")
	_, c, _ := staffHoursCall(t, srv, token, "")
	if len(c.OpenChoices) == 0 || rfc(c.OpenChoices[0]) != "2026-11-29T11:00:00+07:00" {
		t.Fatalf("Sunday 10:14:50: choices %v, want 11:00 first", c.OpenChoices)
	}
	clock.add(15 * time.Second)
	if code, a, raw := staffHoursCall(t, srv, token, `{"action":"open","until":"2026-11-29T11:00:00+07:00"}`); code != http.StatusOK || a.Hours.ClosesAt == nil {
		t.Fatalf("11:00 tapped at 10:15:05: %d %v", code, raw)
	}
	// Once the kiosk is open until 11:00, 11:00 is no longer a choice.
	clock.add(10 * time.Minute)
	if code, _, raw := staffHoursCall(t, srv, token, `{"action":"open","until":"2026-11-29T11:00:00+07:00"}`); code != http.StatusBadRequest {
		t.Fatalf("11:00 tapped at 10:25:05: %d %v, want 400", code, raw)
	}
}
