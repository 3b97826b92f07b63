package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/store"
)

func sendReport(ws *websocket.Conn, r hubproto.Report) error {
	frame, err := hubproto.Encode(&r)
	if err != nil {
		return err
	}
	return ws.WriteMessage(websocket.TextMessage, frame)
}

// TestReportFloodBounded is attack 6 over the websocket: a device token
// sends thousands of reports. Its reports are stored only within its rate,
// the refusal it sends inside the flood stays on its device row, another
// kiosk's genuine refusal stays on the fleet page's recent reports, the
// flooding connection is cut, and a good kiosk is still served.
func TestReportFloodBounded(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	ctx := context.Background()
	goodID, goodToken := newDevice(t, h)
	good := dial(t, srv, goodToken)
	readWelcome(t, good)
	genuine := hubproto.Report{Generation: 700, Outcome: hubproto.OutcomeRejected, Error: "bad_signature: no key"}
	if err := sendReport(good, genuine); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the genuine refusal is stored", func() bool {
		rs, _ := h.Reports(ctx, goodID, 10)
		return len(rs) == 1
	})

	floodID, floodToken := newDevice(t, h)
	flood := dial(t, srv, floodToken)
	readWelcome(t, flood)
	for i := range 100 { // within the frame rate: only the report limit acts
		if err := sendReport(flood, hubproto.Report{Generation: int64(800 + i), Outcome: hubproto.OutcomeApplied}); err != nil {
			t.Fatal(err)
		}
	}
	hidden := hubproto.Report{Generation: 999, Outcome: hubproto.OutcomeFailed, Error: "disk full"}
	if err := sendReport(flood, hidden); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the refusal inside the flood reaches the device row", func() bool {
		d := deviceByID(t, h, floodID)
		return d.LastRefusal.Generation == 999 && d.LastRefusal.Outcome == hubproto.OutcomeFailed && d.LastRefusal.Error == "disk full"
	})
	for i := 0; i < 2000; i++ { // attack 6 as reported: the hub cuts the connection
		if sendReport(flood, hubproto.Report{Generation: 5, Outcome: hubproto.OutcomeApplied}) != nil {
			break
		}
	}
	eventually(t, "the flooding kiosk is disconnected", func() bool { return !h.Online(floodID) })

	rs, err := h.Reports(ctx, floodID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) > int(reportRate.burst)+1 {
		t.Fatalf("%d reports of the flood stored; the limit allows %v", len(rs), reportRate.burst)
	}
	recent, err := h.Reports(ctx, "", 30)
	if err != nil {
		t.Fatal(err)
	}
	if !hasReport(recent, goodID, genuine) {
		t.Fatalf("the genuine refusal is hidden from the recent reports: %+v", recent)
	}
	if !h.Online(goodID) {
		t.Fatal("the good kiosk was dropped")
	}
	if w := readWelcome(t, dial(t, srv, goodToken)); w.DeviceID != goodID {
		t.Fatalf("the hub no longer welcomes a good kiosk: %+v", w)
	}
}

// TestRetriesSpendNoRate: a kiosk that retries the same refused generation
// reports it again each time; those copies are not stored and do not use
// up the device's rate, so its next, different refusals are all kept.
func TestRetriesSpendNoRate(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	id, token := newDevice(t, h)
	ws := dial(t, srv, token)
	readWelcome(t, ws)
	retried := hubproto.Report{Generation: 700, Outcome: hubproto.OutcomeRejected, Error: "bad_signature: no key"}
	for range 3 * int(reportRate.burst) {
		if err := sendReport(ws, retried); err != nil {
			t.Fatal(err)
		}
	}
	var distinct []hubproto.Report
	for i := range int(reportRate.burst) - 1 {
		r := hubproto.Report{Generation: int64(701 + i), Outcome: hubproto.OutcomeRejected, Error: "bad_manifest: not JSON"}
		distinct = append(distinct, r)
		if err := sendReport(ws, r); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "every distinct refusal is stored once", func() bool {
		rs, err := h.Reports(context.Background(), id, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != len(distinct)+1 {
			return false
		}
		for _, r := range append(distinct, retried) {
			if !hasReport(rs, id, r) {
				return false
			}
		}
		return true
	})
}

func hasReport(rs []Report, id string, want hubproto.Report) bool {
	for _, r := range rs {
		if r.DeviceID == id && r.Generation == want.Generation && r.Outcome == want.Outcome && r.Error == want.Error {
			return true
		}
	}
	return false
}

func deviceByID(t *testing.T, h *Hub, id string) Device {
	t.Helper()
	d, ok, err := h.DeviceByID(context.Background(), id)
	if err != nil || !ok {
		t.Fatalf("device %s: %v (found: %v)", id, err, ok)
	}
	return d
}

// TestReportsKeptPerDeviceAndKind: the hub keeps the newest keepReports of
// each kind per device, so any number of successes never evicts a refusal.
func TestReportsKeptPerDeviceAndKind(t *testing.T) {
	h, _ := startTestHub(t, Options{})
	ctx := context.Background()
	id, _ := newDevice(t, h)
	refusal := hubproto.Report{Generation: 3, Outcome: hubproto.OutcomeRolledBack, Error: "content does not load"}
	if err := h.recordReport(ctx, id, refusal); err != nil {
		t.Fatal(err)
	}
	for i := range 3 * keepReports {
		if err := h.recordReport(ctx, id, hubproto.Report{Generation: int64(10 + i), Outcome: hubproto.OutcomeApplied}); err != nil {
			t.Fatal(err)
		}
	}
	rs, err := h.Reports(ctx, id, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != keepReports+1 || !hasReport(rs, id, refusal) || rs[0].Generation != int64(10+3*keepReports-1) {
		t.Fatalf("kept %d reports (want %d), refusal kept %v", len(rs), keepReports+1, hasReport(rs, id, refusal))
	}
}

// postUsage sends a usage upload with a device token.
func postUsage(t *testing.T, url, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/api/device/usage", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var msg strings.Builder
	_, _ = fmt.Fprint(&msg, resp.Status)
	buf := make([]byte, 512)
	n, _ := resp.Body.Read(buf)
	return resp.StatusCode, msg.String() + " " + string(buf[:n])
}

// TestUsageUploadBounded is attack 6 over HTTP: dates that are no dates,
// metrics and keys outside the usage catalogue, absurd counts and oversized
// uploads are refused with a 4xx saying why, nothing of them is stored, and
// uploads are rate-limited. (Days outside the retention or in the future are
// skipped, not refused: TestUsageUploadSkipsDays.)
func TestUsageUploadBounded(t *testing.T) {
	// 23:30 UTC on 26 Nov is already 27 Nov in Đắk Lắk.
	now := time.Date(2026, 11, 26, 23, 30, 0, 0, time.UTC)
	h, srv := startTestHub(t, Options{Now: func() time.Time { return now }, UsageRetentionDays: 30})
	_, token := newDevice(t, h)
	row := func(day, metric, key string, count int64) string {
		return fmt.Sprintf(`{"day":%q,"metric":%q,"key":%q,"count":%d}`, day, metric, key, count)
	}
	var flood []string
	for i := range 18000 {
		flood = append(flood, row(fmt.Sprintf("20%02d-01-01", i%100), "x", fmt.Sprint(i), 1))
	}
	cases := []struct{ name, body, want string }{
		{"18,000 rows of any day", "[" + strings.Join(flood, ",") + "]", "413"},
		{"tomorrow in the province, malformed", "[" + row("2026-11-28", "sessions", "", -1) + "]", "count"},
		{"no such date", "[" + row("2026-02-30", "sessions", "", 1) + "]", "YYYY-MM-DD"},
		{"metric outside the catalogue", "[" + row("2026-11-26", "passwords", "", 1) + "]", "metric"},
		{"key of the wrong kind", "[" + row("2026-11-26", "screen_viewed", "Nguyễn Văn A", 1) + "]", "key"},
		{"hour out of range", "[" + row("2026-11-26", "sessions_by_hour", "24", 1) + "]", "key"},
		{"absurd count", "[" + row("2026-11-26", "sessions", "", 1<<40) + "]", "count"},
	}
	for _, c := range cases {
		code, msg := postUsage(t, srv.URL, token, c.body)
		if code < 400 || code >= 500 || !strings.Contains(msg, c.want) {
			t.Errorf("%s: %d %.200s; want a 4xx naming %q", c.name, code, msg, c.want)
		}
	}
	good := "[" + row("2026-11-27", "sessions", "", 4) + "," + row("2026-11-27", "screen_viewed", "home", 3) + "]"
	if code, msg := postUsage(t, srv.URL, token, good); code != http.StatusOK {
		t.Fatalf("today in the province: %d %s", code, msg)
	}
	rows, err := h.Usage(context.Background(), "2000-01-01", "2099-12-31")
	if err != nil || len(rows) != 2 {
		t.Fatalf("stored %+v, %v; want only the good upload", rows, err)
	}
	limited := false
	for range int(usageRate.burst) + 1 {
		if code, _ := postUsage(t, srv.URL, token, good); code == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Fatal("usage uploads are not rate-limited")
	}
}

// A kiosk whose clock runs ahead, or that was offline past the retention,
// still has its good days stored: the days the hub does not take are
// skipped and named in a 200 answer, not a reason to refuse the upload
// (outside QA F20: one day in 2030 refused a whole week).
func TestUsageUploadSkipsDays(t *testing.T) {
	// 23:30 UTC on 26 Nov is already 27 Nov in Đắk Lắk.
	now := time.Date(2026, 11, 26, 23, 30, 0, 0, time.UTC)
	h, srv := startTestHub(t, Options{Now: func() time.Time { return now }, UsageRetentionDays: 30})
	_, token := newDevice(t, h)
	totals := []store.UsageTotal{
		{Day: "2026-10-01", Metric: "sessions", Count: 5},
		{Day: "2026-11-27", Metric: "sessions", Count: 4},
		{Day: "2026-11-28", Metric: "sessions", Count: 1},
		{Day: "2026-11-27", Metric: "screen_viewed", Key: "home", Count: 3},
		{Day: "2030-01-01", Metric: "sessions", Count: 2},
		{Day: "2026-10-01", Metric: "screen_viewed", Key: "home", Count: 1},
	}
	body, _ := json.Marshal(totals)
	code, msg := postUsage(t, srv.URL, token, string(body))
	if code != http.StatusOK {
		t.Fatalf("upload with days the hub does not take: %s; want 200", msg)
	}
	var got hubproto.UsageAnswer
	if err := json.Unmarshal([]byte(msg[strings.IndexByte(msg, '{'):]), &got); err != nil {
		t.Fatalf("answer %s: %v", msg, err)
	}
	want := hubproto.UsageAnswer{Stored: 2, Skipped: []hubproto.SkippedDay{
		{Day: "2026-10-01", Reason: hubproto.SkippedTooOld},
		{Day: "2026-11-28", Reason: hubproto.SkippedFuture},
		{Day: "2030-01-01", Reason: hubproto.SkippedFuture},
	}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("answer %+v, want %+v", got, want)
	}
	rows, err := h.Usage(context.Background(), "2000-01-01", "2099-12-31")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Day != "2026-11-27" || rows[1].Day != "2026-11-27" {
		t.Fatalf("stored %+v; want the two totals of 27 Nov", rows)
	}
	// A good upload's answer names nothing skipped.
	good, _ := json.Marshal(totals[1:2])
	if code, msg := postUsage(t, srv.URL, token, string(good)); code != http.StatusOK || strings.Contains(msg, "skipped") {
		t.Fatalf("good upload: %s; want 200 without skipped", msg)
	}
}
