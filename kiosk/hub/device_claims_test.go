package hub

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tramso/kiosk/hubproto"
)

// The console does not believe whatever a kiosk says (outside QA s25,
// finding 4): times ahead of the hub's clock, a generation the hub never
// published, a free-disk figure no disk has.

// year2100 is 01/01/2100 07:00 in the province: a kiosk clock far ahead.
const year2100 = 4102444800

// clockedHub is a logged-in console on a hub whose clock the test moves.
func clockedHub(t *testing.T) (*Hub, string, *admin, *atomic.Int64) {
	t.Helper()
	var ahead atomic.Int64
	h, srv := startTestHub(t, Options{Now: func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }})
	if err := h.CreateAdmin(context.Background(), "tinh", testPassword); err != nil {
		t.Fatal(err)
	}
	a := newAdmin(t, srv)
	if code := a.login("tinh", testPassword); code != http.StatusOK {
		t.Fatalf("login: %d", code)
	}
	return h, srv.URL, a, &ahead
}

func TestKioskTimesAheadOfTheHubAreNotBelieved(t *testing.T) {
	h, base, a, ahead := clockedHub(t)
	ctx := context.Background()
	id, token := newDevice(t, h)
	sent := h.now()
	batch := fmt.Sprintf(`[{"at":%d,"kind":"crashed"},{"at":%d,"kind":"froze"}]`, year2100, year2100+1)
	if code := deviceSend(t, http.MethodPost, base+"/api/device/incidents", token, batch); code != http.StatusOK {
		t.Fatalf("incidents from a kiosk whose clock runs ahead: %d", code)
	}
	if code := deviceSend(t, http.MethodPut, base+"/api/device/sound", token, fmt.Sprintf(`{"off":"staff","since":%d}`, year2100)); code != http.StatusOK {
		t.Fatalf("sound from a kiosk whose clock runs ahead: %d", code)
	}

	// Counted at the time the hub received them, not in 2100.
	var latest string
	if err := h.DB.QueryRowContext(ctx, `SELECT max(counted_at) FROM device_incidents WHERE device_id = $1`, id).Scan(&latest); err != nil {
		t.Fatal(err)
	}
	if at, ok := parseStamp(latest); !ok || at.Before(sent.Add(-time.Second)) || at.After(h.now()) {
		t.Fatalf("incident kept at %q, want the time it was received (%s)", latest, sent.UTC().Format(time.RFC3339))
	}
	d, _, err := h.DeviceByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	since, ok := parseStamp(d.SoundSince)
	if !ok || since.Before(sent.Add(-time.Second)) || since.After(h.now()) {
		t.Fatalf("sound off since %q, want the time it was received", d.SoundSince)
	}
	_, page := a.get("/admin/devices/" + id)
	facts := page[:strings.Index(page, "Lịch sử")]
	if strings.Contains(facts, "2100") || !strings.Contains(facts, "trục trặc") || !strings.Contains(facts, "cán bộ tắt âm thanh") {
		t.Fatalf("the device page believes the kiosk's clock:\n%.5000s", facts)
	}
	if !strings.Contains(page, "đồng hồ kiosk báo 01/01/2100 07:00, chạy nhanh") {
		t.Fatalf("the history does not say the kiosk's clock runs ahead:\n%.8000s", page[strings.Index(page, "Lịch sử"):])
	}

	// Said again on reconnecting, the time off stays the first one.
	ahead.Store(int64(time.Hour))
	deviceSend(t, http.MethodPut, base+"/api/device/sound", token, fmt.Sprintf(`{"off":"staff","since":%d}`, year2100))
	if d, _, _ := h.DeviceByID(ctx, id); d.SoundSince != since.UTC().Format(time.RFC3339) {
		t.Fatalf("sound off since %q after the kiosk said it again, want %s kept", d.SoundSince, since.UTC().Format(time.RFC3339))
	}

	// An incident an older hub kept in 2100 (migration 0019 counts it then)
	// is not counted either, and the incidents age out like any others.
	if _, err := h.DB.ExecContext(ctx, `INSERT INTO device_incidents(device_id, at, kind, counted_at) VALUES ($1, $2, 'memory', $2)`,
		id, time.Unix(year2100+5, 0).UTC().Format(time.RFC3339)); err != nil {
		t.Fatal(err)
	}
	fd, err := h.fleet(httptestRequest("/admin/?state=unwell"))
	if err != nil {
		t.Fatal(err)
	}
	if fd.Counts.Unwell != 1 || fd.Groups[0].Rows[0].Window.Count != 2 {
		t.Fatalf("now: counts %+v, window %+v; want the two clamped incidents and not the one kept in 2100", fd.Counts, fd.Groups[0].Rows[0].Window)
	}
	ahead.Store(int64(incidentWindow + time.Hour))
	if fd, err := h.fleet(httptestRequest("/admin/")); err != nil || fd.Counts.Unwell != 0 {
		t.Fatalf("8 days later the kiosk still counts as unwell: %+v, %v", fd.Counts, err)
	}
}

// A kiosk whose clock runs hours fast, on a link that loses the hub's
// answers: its incidents are known by its own times, so two of one kind a
// second apart stay two, and the batch sent again an hour later adds
// nothing. They count, and the console shows them, at the time the hub
// received them; the history says the kiosk's clock runs fast, once each.
func TestFastClockIncidentsSentTwice(t *testing.T) {
	h, base, a, ahead := clockedHub(t)
	ctx := context.Background()
	id, token := newDevice(t, h)
	received := h.now()
	fast := received.Add(5 * time.Hour).Unix()
	batch := fmt.Sprintf(`[{"at":%d,"kind":"crashed"},{"at":%d,"kind":"crashed"},{"at":%d,"kind":"froze"}]`, fast, fast+1, fast+2)
	for _, later := range []time.Duration{0, time.Hour} { // its answer lost, the kiosk sends the batch again
		ahead.Store(int64(later))
		if code := deviceSend(t, http.MethodPost, base+"/api/device/incidents", token, batch); code != http.StatusOK {
			t.Fatalf("incidents: %d", code)
		}
	}
	var rows int
	if err := h.DB.QueryRowContext(ctx, `SELECT count(*) FROM device_incidents WHERE device_id = $1`, id).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 3 {
		t.Errorf("%d incidents kept, want the 3 the kiosk had", rows)
	}
	fd, err := h.fleet(httptestRequest("/admin/?state=unwell"))
	if err != nil {
		t.Fatal(err)
	}
	if fd.Counts.Unwell != 1 || fd.Shown != 1 {
		t.Fatalf("unwell: %+v", fd.Counts)
	}
	row := fd.Groups[0].Rows[0]
	if at, ok := parseStamp(row.Window.Last); row.Window.Count != 3 || row.Window.LastKind != hubproto.IncidentFroze ||
		!ok || at.Before(received.Add(-time.Second)) || at.After(received.Add(time.Second)) {
		t.Errorf("the window: %+v; want 3, the last a freeze, at the first receipt (%s)", row.Window, received.UTC().Format(time.RFC3339))
	}
	_, page := a.get("/admin/devices/" + id)
	if !strings.Contains(page, "trục trặc 3 lần trong 7 ngày") || !strings.Contains(page, incidentLabels[hubproto.IncidentFroze]+" ("+incidentReceived+")") {
		t.Errorf("the device page: %.5000s", page)
	}
	history := page[strings.Index(page, "Lịch sử"):]
	if n := strings.Count(history, h.fastClock(fast)); n != 3 {
		t.Errorf("%d history lines say the kiosk's clock runs fast, want one per incident (3): %.8000s", n, history)
	}
	ahead.Store(int64(incidentWindow + time.Hour))
	if fd, err := h.fleet(httptestRequest("/admin/")); err != nil || fd.Counts.Unwell != 0 {
		t.Fatalf("8 days after they were received the kiosk still counts as unwell: %+v, %v", fd.Counts, err)
	}
}

// Incidents an older hub kept (before migration 0019) count and show as
// they did: a time kept as received, one in the past, one an even older hub
// kept in 2100 (not counted). On both databases.
func TestIncidentsKeptByAnOlderHub(t *testing.T) {
	for _, dialect := range []Dialect{SQLite, Postgres} {
		t.Run(dialect.String(), func(t *testing.T) {
			db, opts := hubBefore(t, dialect, "0019_incident_kiosk_time.sql")
			now := time.Now().UTC().Truncate(time.Second)
			if _, err := db.Exec(`INSERT INTO devices(id, token_hash, name, enrolled_at) VALUES ('dev1', 'x', 'Ea Kao 1', $1)`,
				now.Format(time.RFC3339)); err != nil {
				t.Fatal(err)
			}
			kept := map[string]time.Time{
				hubproto.IncidentCrashed: now.Add(-time.Hour),
				hubproto.IncidentFroze:   now.Add(-8 * 24 * time.Hour),
				hubproto.IncidentMemory:  time.Unix(year2100, 0),
			}
			for kind, at := range kept {
				if _, err := db.Exec(`INSERT INTO device_incidents(device_id, at, kind) VALUES ('dev1', $1, $2)`,
					at.UTC().Format(time.RFC3339), kind); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
			h, err := Open(opts)
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			got, err := h.recentIncidents(context.Background(), "")
			if err != nil {
				t.Fatal(err)
			}
			want := incidentSummary{Count: 1, Last: kept[hubproto.IncidentCrashed].UTC().Format(time.RFC3339), LastKind: hubproto.IncidentCrashed}
			if len(got) != 1 || got["dev1"] != want {
				t.Fatalf("an older hub's incidents read as %+v, want %+v", got, want)
			}
		})
	}
}

func TestConsoleDoesNotBelieveAnUnpublishedGenerationOrAnAbsurdDisk(t *testing.T) {
	h, srv, a := loggedIn(t)
	ctx := context.Background()
	publishEmpty(t, h, 600, StageEveryone)
	honest, token := newDevice(t, h)
	liar, lieToken := newDevice(t, h)
	ws := dial(t, srv, token)
	sendStatus(t, ws, hubproto.Status{Generation: 600, TargetGeneration: 600, AppVersion: "1.4.0", State: hubproto.StateIdle, FreeDisk: 5 << 30})
	lie := dial(t, srv, lieToken)
	sendStatus(t, lie, hubproto.Status{Generation: hubproto.MaxGeneration, TargetGeneration: hubproto.MaxGeneration, AppVersion: "1.4.0",
		State: hubproto.StateIdle, FreeDisk: 9_000_000_000_000_000_000})
	eventually(t, "both statuses", func() bool {
		d1, _, _ := h.DeviceByID(ctx, honest)
		d2, _, _ := h.DeviceByID(ctx, liar)
		return d1.AppVersion != "" && d2.AppVersion != ""
	})
	if d, _, _ := h.DeviceByID(ctx, liar); d.FreeDisk != freeDiskUnknown {
		t.Fatalf("free disk kept as %d", d.FreeDisk)
	}

	_, page := a.get("/admin/devices/" + liar)
	if strings.Contains(page, "<dd>đã cập nhật</dd>") || !strings.Contains(page, "không do máy chủ này phát hành") {
		t.Fatalf("a generation the hub never published reads as up to date:\n%.5000s", page)
	}
	if !strings.Contains(page, "<dt>Đĩa trống</dt><dd>không rõ") || strings.Contains(page, "8381903171") {
		t.Fatalf("the absurd free disk is shown:\n%.5000s", page)
	}
	if _, page := a.get("/admin/devices/" + honest); !strings.Contains(page, "<dd>đã cập nhật</dd>") || !strings.Contains(page, "<dd>5.0 GB</dd>") {
		t.Fatalf("the honest kiosk's page:\n%.5000s", page)
	}
	fd, err := h.fleet(httptestRequest("/admin/?state=errors"))
	if err != nil {
		t.Fatal(err)
	}
	if fd.Counts.Failing != 1 || fd.Shown != 1 || fd.Groups[0].Rows[0].ID != liar {
		t.Fatalf("the fleet does not flag the kiosk on an unpublished generation: %+v", fd.Counts)
	}
	_, csv := a.get("/admin/fleet.csv")
	for _, line := range strings.Split(csv, "\n") {
		if strings.HasPrefix(line, liar+",") && !strings.Contains(line, ",1.4.0,idle,,") {
			t.Fatalf("the CSV's free disk for the kiosk: %s", line)
		}
	}
}
