package hub

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/hubproto"
)

// A kiosk whose window lost its page says so (POST /api/device/incidents);
// the console counts the kiosks with incidents in the last 7 days, shows
// how many and the last on the fleet page, the device page and the CSV, and
// the history has each one once, when it happened.
func TestUnwellKioskOnTheConsole(t *testing.T) {
	h, srv, a := loggedIn(t)
	id, token := newDevice(t, h)
	quiet, _ := newDevice(t, h)
	post := func(body string) int {
		return deviceSend(t, http.MethodPost, srv.URL+"/api/device/incidents", token, body)
	}
	many := strings.Repeat(`{"at":1796442127,"kind":"froze"},`, hubproto.MaxIncidents)
	for _, bad := range []string{`[]`, `{}`, `[{"at":1796442127,"kind":"hung"}]`, `[{"at":0,"kind":"froze"}]`,
		`[{"at":1796442127,"kind":"froze","note":"x"}]`, `[` + many + `{"at":1796442127,"kind":"froze"}]`} {
		if code := post(bad); code != http.StatusBadRequest {
			t.Errorf("accepted %.80s: %d", bad, code)
		}
	}
	now := time.Now().Truncate(time.Second)
	old, froze, crashed := now.Add(-8*24*time.Hour), now.Add(-3*time.Hour), now.Add(-2*time.Hour)
	batch := fmt.Sprintf(`[{"at":%d,"kind":"memory"},{"at":%d,"kind":"froze"},{"at":%d,"kind":"crashed"}]`,
		old.Unix(), froze.Unix(), crashed.Unix())
	for range 2 { // sent again (its answer lost): taken, nothing doubled
		if code := post(batch); code != http.StatusOK {
			t.Fatalf("incidents: %d", code)
		}
	}
	fd, err := h.fleet(httptestRequest("/admin/?state=unwell"))
	if err != nil {
		t.Fatal(err)
	}
	if fd.Counts.Unwell != 1 || fd.Shown != 1 || fd.Groups[0].Rows[0].ID != id {
		t.Fatalf("unwell filter: counts %+v, shown %d", fd.Counts, fd.Shown)
	}
	if w := fd.Groups[0].Rows[0].Window; w.Count != 2 || w.LastKind != hubproto.IncidentCrashed {
		t.Errorf("the kiosk's last 7 days: %+v, want 2 (the one 8 days ago left out), the last a crash", w)
	}
	_, page := a.get("/admin/?state=unwell")
	for _, want := range []string{
		`aria-current="true"><strong>1</strong> <span>màn hình trục trặc (7 ngày)</span>`,
		`<span class="badge warn">màn hình trục trặc 2 lần trong 7 ngày</span>`,
		"2 giờ trước</time>: " + incidentLabels[hubproto.IncidentCrashed],
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the fleet page lacks %q: %.8000s", want, page)
		}
	}
	_, csv := a.get("/admin/fleet.csv")
	if !strings.Contains(csv, ",window_incidents_7d,window_last,window_last_kind") ||
		!strings.Contains(csv, ",2,"+crashed.UTC().Format(time.RFC3339)+",crashed") {
		t.Errorf("the fleet CSV: %s", csv)
	}

	_, page = a.get("/admin/devices/" + id)
	if !strings.Contains(page, "trục trặc 2 lần trong 7 ngày") {
		t.Errorf("the device page: %.6000s", page)
	}
	history := page[strings.Index(page, "Lịch sử"):]
	for label, at := range map[string]time.Time{
		incidentLabels[hubproto.IncidentMemory]:  old,
		incidentLabels[hubproto.IncidentFroze]:   froze,
		incidentLabels[hubproto.IncidentCrashed]: crashed,
	} {
		line := label + " (lúc " + h.timeView(at).Exact + " theo đồng hồ kiosk)"
		if n := strings.Count(history, line); n != 1 {
			t.Errorf("%d history lines %q, want 1: %.6000s", n, line, history)
		}
	}
	if _, page := a.get("/admin/devices/" + quiet); !strings.Contains(page, "không có sự cố trong 7 ngày") {
		t.Errorf("the device page of a kiosk with no incidents: %.6000s", page)
	}

	token = ""
	if code := post(batch); code != http.StatusUnauthorized {
		t.Errorf("without a device token: %d", code)
	}
}

// A stolen device token cannot fill the device's history: batches come no
// faster than incidentRate allows.
func TestIncidentBatchesAreRateLimited(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	_, token := newDevice(t, h)
	codes := map[int]int{}
	for i := range 30 {
		body := fmt.Sprintf(`[{"at":%d,"kind":"crashed"}]`, 1796442127+i)
		codes[deviceSend(t, http.MethodPost, srv.URL+"/api/device/incidents", token, body)]++
	}
	if codes[http.StatusOK] != int(incidentRate.burst) || codes[http.StatusTooManyRequests] != 30-int(incidentRate.burst) {
		t.Fatalf("answers %v, want %v OK then 429", codes, incidentRate.burst)
	}
}
