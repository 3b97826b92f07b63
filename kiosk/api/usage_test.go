package api

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/staffpin"
	"tramso/kiosk/store"
	"tramso/kiosk/usage"
)

// usageServer serves the API on 127.0.0.1 with a real database and a running
// usage log over db (the store's own unless readOnly).
func usageServer(t *testing.T, readOnly bool) *httptest.Server {
	t.Helper()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	db := st.DB
	if readOnly {
		if db, err = sql.Open("sqlite", "file:"+filepath.Join(st.Dir, store.FileName)+"?mode=ro"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
	}
	live := content.NewLive(&content.Pack{Tutorials: []content.Tutorial{
		{ID: "vneid-kich-hoat", Title: content.Text{"vi": "Kích hoạt VNeID"}}}}, content.SourceEmbedded)
	lg := usage.New(db, usage.Options{Catalog: usage.LiveCatalog(live)})
	ctx, cancel := context.WithCancel(context.Background())
	go lg.Run(ctx)
	t.Cleanup(func() { cancel(); lg.Close() })
	var cfg config.Config
	if cfg.Staff.PINHash, err = staffpin.HashWith(usagePIN, staffpin.Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}); err != nil {
		t.Fatal(err)
	}
	cfg.Idle.StaffSeconds = 120
	srv := httptest.NewServer((&Server{Config: cfg, Store: st, Content: live, Usage: lg}).Handler())
	t.Cleanup(srv.Close)
	return srv
}

const usagePIN = "246813"

// staffInsights opens staff mode with the PIN and reads the insights.
func staffInsights(t *testing.T, srv *httptest.Server) usage.Insights {
	t.Helper()
	resp, err := http.Get(srv.URL + "/api/staff/usage")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("GET /api/staff/usage without staff mode: %d, want 401", resp.StatusCode)
	}
	code, out := post(t, srv, "/api/staff/login", "application/json", `{"pin":"`+usagePIN+`"}`)
	token, _ := out["token"].(string)
	if code != http.StatusOK || token == "" {
		t.Fatalf("staff login: %d %v", code, out)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/api/staff/usage", nil)
	req.Header.Set(StaffTokenHeader, token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var in usage.Insights
	if err := json.NewDecoder(resp.Body).Decode(&in); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /api/staff/usage: %d %v", resp.StatusCode, err)
	}
	return in
}

func post(t *testing.T, srv *httptest.Server, path, contentType, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(srv.URL+path, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func startSession(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	code, out := post(t, srv, "/api/sessions", "application/json", "")
	s, _ := out["session"].(string)
	if code != http.StatusCreated || len(s) != 16 {
		t.Fatalf("POST /api/sessions: %d %v", code, out)
	}
	return s
}

func TestUsageEventsAPI(t *testing.T) {
	srv := usageServer(t, false)
	s := startSession(t, srv)
	batch := make([]string, 101)
	for i := range batch {
		batch[i] = fmt.Sprintf(`{"type":"audio_used","session":%q}`, s)
	}
	tests := []struct {
		name, contentType, body string
		status                  int
	}{
		{"one event", "application/json", `{"type":"tutorial_opened","session":"S","tutorial":"vneid-kich-hoat"}`, 202},
		{"a batch", "application/json", `[{"type":"step_viewed","session":"S","tutorial":"vneid-kich-hoat","step":1},
			{"type":"search","session":"S","outcome":"results","tutorial":"vneid-kich-hoat"},{"type":"language_chosen","session":"S","language":"en"}]`, 202},
		// A lesson's check questions, each by number: the staff funnel's rows.
		{"check questions", "application/json", `[{"type":"check_viewed","session":"S","tutorial":"vneid-kich-hoat","step":2},
			{"type":"check_wrong","session":"S","tutorial":"vneid-kich-hoat","step":2},
			{"type":"check_abandoned","session":"S","tutorial":"vneid-kich-hoat","step":2}]`, 202},
		{"a check question needs its number", "application/json", `{"type":"check_wrong","session":"S","tutorial":"vneid-kich-hoat"}`, 400},
		{"typed text in an unknown field", "application/json", `{"type":"search","session":"S","outcome":"none","query":"Nguyễn Văn An"}`, 400},
		{"typed text as an item", "application/json", `{"type":"search","session":"S","outcome":"results","tutorial":"079203004512"}`, 400},
		{"wrong type of value", "application/json", `{"type":"step_viewed","session":"S","tutorial":"vneid-kich-hoat","step":"3"}`, 400},
		{"session start is the server's", "application/json", `{"type":"session_started","session":"S"}`, 400},
		{"unknown session", "application/json", `{"type":"audio_used","session":"0123456789abcdef"}`, 409},
		{"too many", "application/json", "[" + strings.Join(batch, ",") + "]", 400},
		{"not JSON", "text/plain", `{"type":"audio_used","session":"S"}`, 415},
		{"trailing data", "application/json", `{"type":"audio_used","session":"S"} {}`, 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out := post(t, srv, "/api/events", tc.contentType, strings.ReplaceAll(tc.body, `"S"`, `"`+s+`"`))
			if code != tc.status {
				t.Fatalf("status %d %v, want %d", code, out, tc.status)
			}
			if code >= 400 && strings.Contains(fmt.Sprint(out), "079203004512") {
				t.Fatalf("the error repeats the sent value: %v", out)
			}
		})
	}

	in := staffInsights(t, srv)
	if in.Periods[0].Sessions != 1 || len(in.Tutorials) != 1 || in.Tutorials[0].Opened != 1 ||
		in.Tutorials[0].Title != "Kích hoạt VNeID" || in.Search.Results != 1 || !in.State.Enabled {
		t.Fatalf("insights %+v", in)
	}
	if f := in.Funnels; len(f) != 1 || len(f[0].Checks) != 1 ||
		f[0].Checks[0] != (usage.FunnelStep{Step: 2, Viewed: 1, Abandoned: 1, Wrong: 1}) {
		t.Fatalf("funnel %+v: want question 2 seen, answered wrong and left", f)
	}
}

// With a database that cannot be written, the kiosk still gets its answers at
// once and staff see that logging is off.
func TestUsageAPIWithBrokenDatabase(t *testing.T) {
	srv := usageServer(t, true)
	s := startSession(t, srv)
	body, _ := json.Marshal([]usage.Event{{Type: usage.AudioUsed, Session: s}})
	if code, out := post(t, srv, "/api/events", "application/json", string(bytes.TrimSpace(body))); code != 202 {
		t.Fatalf("POST /api/events: %d %v", code, out)
	}
	in := staffInsights(t, srv)
	if in.State.Enabled || !strings.Contains(in.State.Warning, "readonly") || in.State.Dropped < 2 {
		t.Fatalf("state %+v: want logging off with a warning", in.State)
	}
}

// Search figures count a search that showed results as found, whether or
// not a result was tapped (outside QA s24: seven searches, six with
// results and none tapped, read "Tìm thấy 0 · Không tìm thấy 1"). Each row
// counts visits, so a visit that found something and, once, nothing is in
// both. Through the API into a real SQLite file and back out.
func TestSearchFiguresCountResultsWithoutATap(t *testing.T) {
	srv := usageServer(t, false)
	read := startSession(t, srv)   // reads six lists, taps none, then finds nothing
	tapped := startSession(t, srv) // taps a result
	nothing := startSession(t, srv)
	var events []string
	for range 6 {
		events = append(events, fmt.Sprintf(`{"type":"search","session":%q,"outcome":"results"}`, read))
	}
	events = append(events,
		fmt.Sprintf(`{"type":"search","session":%q,"outcome":"none"}`, read),
		fmt.Sprintf(`{"type":"search","session":%q,"outcome":"results","tutorial":"vneid-kich-hoat"}`, tapped),
		fmt.Sprintf(`{"type":"search","session":%q,"outcome":"none"}`, nothing))
	if code, out := post(t, srv, "/api/events", "application/json", "["+strings.Join(events, ",")+"]"); code != 202 {
		t.Fatalf("POST /api/events: %d %v", code, out)
	}
	in := staffInsights(t, srv)
	if want := (usage.SearchUse{Results: 2, None: 2}); in.Search != want {
		t.Fatalf("search figures %+v, want %+v (visits that found something; visits that found nothing once)", in.Search, want)
	}
}
