package usage

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/store"
)

// visit plays two residents' sessions on the clock's day: A finishes a lesson
// with audio in Vietnamese; B gives up at step 2, calls staff, searches and
// finishes a procedure in Ê Đê.
func visit(t *testing.T, l *Log, clk *clock) {
	a := l.StartSession()
	submit(t, l,
		Event{Type: LanguageChosen, Session: a, Language: "vi"},
		Event{Type: ScreenViewed, Session: a, Screen: "tutorials"},
		Event{Type: TutorialOpened, Session: a, Tutorial: "vneid-kich-hoat"},
		Event{Type: StepViewed, Session: a, Tutorial: "vneid-kich-hoat", Step: 1},
		Event{Type: StepViewed, Session: a, Tutorial: "vneid-kich-hoat", Step: 2},
		Event{Type: PracticeWrong, Session: a, Tutorial: "vneid-kich-hoat", Step: 2},
		Event{Type: PracticeRight, Session: a, Tutorial: "vneid-kich-hoat", Step: 2},
		Event{Type: StepViewed, Session: a, Tutorial: "vneid-kich-hoat", Step: 3},
		Event{Type: StepViewed, Session: a, Tutorial: "vneid-kich-hoat", Step: 2}, // went back: still one session
		Event{Type: AudioUsed, Session: a, Screen: "tutorials"},
		Event{Type: CheckPassed, Session: a, Tutorial: "vneid-kich-hoat", Step: 1},
		Event{Type: TutorialCompleted, Session: a, Tutorial: "vneid-kich-hoat"},
	)
	b := l.StartSession()
	submit(t, l,
		Event{Type: LanguageChosen, Session: b, Language: "rad"},
		Event{Type: TutorialOpened, Session: b, Tutorial: "vneid-kich-hoat"},
		Event{Type: StepViewed, Session: b, Tutorial: "vneid-kich-hoat", Step: 1},
		Event{Type: StepViewed, Session: b, Tutorial: "vneid-kich-hoat", Step: 2},
		Event{Type: TutorialAbandoned, Session: b, Tutorial: "vneid-kich-hoat", Step: 2},
		Event{Type: StaffCalled, Session: b, Screen: "tutorials"},
		Event{Type: Search, Session: b, Outcome: "none"},
		Event{Type: Search, Session: b, Outcome: "results", Procedure: "1.001193"},
		Event{Type: ProcedureViewed, Session: b, Procedure: "1.001193"},
		Event{Type: FlowFinished, Session: b, Procedure: "1.001193"},
		Event{Type: QRShown, Session: b, Procedure: "1.001193"},
	)
	clk.Add(2 * time.Minute)
	submit(t, l, Event{Type: SessionEnded, Session: b})
	clk.Add(2*time.Minute + 10*time.Second)
	submit(t, l, Event{Type: SessionEnded, Session: a})
}

func TestLogAndInsights(t *testing.T) {
	st := openStore(t)
	clk := &clock{t: time.Date(2026, 11, 26, 15, 5, 0, 0, vn)}
	l := newTestLog(t, st.DB, clk, Options{})
	// Yesterday: one quick session.
	y := l.StartSession()
	submit(t, l, Event{Type: LanguageChosen, Session: y, Language: "vi"})
	clk.Add(time.Minute)
	submit(t, l, Event{Type: SessionEnded, Session: y})
	clk.t = time.Date(2026, 11, 27, 9, 30, 15, 0, vn)
	visit(t, l, clk)
	flush(t, l)

	// Times are stored to the minute and nothing but the closed lists.
	if n := count(t, st.DB, `SELECT count(*) FROM usage_events WHERE minute <> ? AND minute NOT BETWEEN ? AND ?`,
		time.Date(2026, 11, 26, 15, 5, 0, 0, vn).Unix()/60, time.Date(2026, 11, 26, 15, 6, 0, 0, vn).Unix()/60,
		time.Date(2026, 11, 27, 9, 34, 25, 0, vn).Unix()/60); n != 0 {
		t.Fatalf("%d events carry a time other than the minutes of the visits", n)
	}
	if n := count(t, st.DB, `SELECT count(*) FROM usage_events WHERE item NOT IN ('', 'vneid-kich-hoat', '1.001193')
		OR detail NOT IN ('', 'vi', 'rad', 'tutorials', 'none', 'results')`); n != 0 {
		t.Fatalf("%d events carry a value outside the closed lists", n)
	}

	in := l.Insights(context.Background())
	want := []Period{
		{Days: 1, Sessions: 2, AvgSeconds: (250 + 120) / 2, Assisted: 1, SelfServed: 1, Audio: 1},
		{Days: 7, Sessions: 3, AvgSeconds: (250 + 120 + 60) / 3, Assisted: 1, SelfServed: 2, Audio: 1},
		{Days: 30, Sessions: 3, AvgSeconds: (250 + 120 + 60) / 3, Assisted: 1, SelfServed: 2, Audio: 1},
	}
	if !reflect.DeepEqual(in.Periods, want) {
		t.Errorf("periods\n got %+v\nwant %+v", in.Periods, want)
	}
	if want := []ItemUse{{ID: "vneid-kich-hoat", Title: "Kích hoạt VNeID", Opened: 2, Finished: 1}}; !reflect.DeepEqual(in.Tutorials, want) {
		t.Errorf("tutorials %+v, want %+v", in.Tutorials, want)
	}
	if want := []ItemUse{{ID: "1.001193", Title: "Đăng ký khai sinh", Opened: 1, Finished: 1, QR: 1}}; !reflect.DeepEqual(in.Procedures, want) {
		t.Errorf("procedures %+v, want %+v", in.Procedures, want)
	}
	wantFunnel := []Funnel{{ID: "vneid-kich-hoat", Title: "Kích hoạt VNeID", Opened: 2, Completed: 1, Steps: []FunnelStep{
		{Step: 1, Viewed: 2}, {Step: 2, Viewed: 2, Abandoned: 1, Wrong: 1}, {Step: 3, Viewed: 1}},
		Checks: []FunnelStep{{Step: 1, Viewed: 1}}}}
	if !reflect.DeepEqual(in.Funnels, wantFunnel) {
		t.Errorf("funnels\n got %+v\nwant %+v", in.Funnels, wantFunnel)
	}
	if want := []KeyCount{{"vi", 2}, {"rad", 1}}; !reflect.DeepEqual(in.Languages, want) {
		t.Errorf("languages %+v, want %+v", in.Languages, want)
	}
	if in.Hours[9] != 2 || in.Hours[15] != 1 {
		t.Errorf("hours %v: want 2 at 09 and 1 at 15", in.Hours)
	}
	if in.Search != (SearchUse{Results: 1, None: 1}) {
		t.Errorf("search %+v", in.Search)
	}
	if !in.State.Enabled || in.State.Written == 0 || in.State.Dropped != 0 {
		t.Errorf("state %+v", in.State)
	}

	// Today's live figures, kept as batches commit, match a count from the
	// database.
	clk.Add(time.Hour)
	visit(t, l, clk)
	live := l.Insights(context.Background())
	fromDB, err := ComputeInsights(context.Background(), st.DB, clk.Now().In(vn), catalog)
	if err != nil {
		t.Fatal(err)
	}
	fromDB.State = live.State
	if live.Periods[0].Sessions != 4 || !reflect.DeepEqual(live, fromDB) {
		t.Fatalf("live insights differ from the database's:\n live %+v\n db   %+v", live, fromDB)
	}
}

// Rolling up changes no total, pruning keeps every total, and exports leave
// out small counts.
func TestRollUpPruneAndExport(t *testing.T) {
	st := openStore(t)
	clk := &clock{t: time.Date(2026, 11, 27, 9, 30, 0, 0, vn)}
	l := newTestLog(t, st.DB, clk, Options{})
	old := time.Date(2026, 5, 1, 10, 0, 0, 0, vn) // 210 days before
	clk.t = old
	visit(t, l, clk)
	clk.t = time.Date(2026, 11, 26, 20, 0, 0, 0, vn)
	visit(t, l, clk)
	clk.t = time.Date(2026, 11, 27, 9, 30, 0, 0, vn)
	visit(t, l, clk)
	flush(t, l)

	ctx := context.Background()
	from, to := old.AddDate(0, 0, -1), clk.Now()
	before, err := DailyTotals(ctx, st.DB, from, to, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) == 0 {
		t.Fatal("no totals")
	}
	if err := maintain(ctx, st.DB, clk.Now(), vn, 180); err != nil {
		t.Fatal(err)
	}
	if through, _ := store.UsageRolledThrough(ctx, st.DB); through != "2026-11-26" {
		t.Fatalf("rolled through %q, want yesterday", through)
	}
	if n := count(t, st.DB, `SELECT count(*) FROM usage_events WHERE minute < ?`, time.Date(2026, 6, 1, 0, 0, 0, 0, vn).Unix()/60); n != 0 {
		t.Fatalf("%d raw events older than 180 days are kept", n)
	}
	if n := count(t, st.DB, `SELECT count(*) FROM usage_events`); n == 0 {
		t.Fatal("recent raw events were pruned")
	}
	after, err := DailyTotals(ctx, st.DB, from, to, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("totals changed by roll-up and pruning:\nbefore %+v\nafter  %+v", before, after)
	}
	// Running it again changes nothing either.
	if err := maintain(ctx, st.DB, clk.Now(), vn, 180); err != nil {
		t.Fatal(err)
	}
	again, _ := DailyTotals(ctx, st.DB, from, to, 1)
	if !reflect.DeepEqual(before, again) {
		t.Fatal("a second maintenance run changed the totals")
	}

	suppressed, err := DailyTotals(ctx, st.DB, from, to, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range suppressed {
		if row.Count < 2 {
			t.Fatalf("row %+v is below the threshold", row)
		}
	}
	if !containsTotal(suppressed, Total{Day: "2026-05-01", Metric: "sessions", Count: 2}) ||
		containsTotal(suppressed, Total{Day: "2026-05-01", Metric: "sessions_assisted", Count: 1}) {
		t.Fatalf("threshold 2 kept the wrong rows: %+v", suppressed)
	}
	// The hub gets each day's count of visits even when it is small.
	hub, err := HubTotals(ctx, st.DB, from, to, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !containsTotal(hub, Total{Day: "2026-05-01", Metric: "sessions", Count: 2}) ||
		containsTotal(hub, Total{Day: "2026-05-01", Metric: "sessions_assisted", Count: 1}) {
		t.Fatalf("hub totals at threshold 3 kept the wrong rows: %+v", hub)
	}
	for _, row := range hub {
		if row.Count < 3 && row.Metric != "sessions" {
			t.Fatalf("hub row %+v is below the threshold", row)
		}
	}
	var csv strings.Builder
	if err := WriteCSV(&csv, suppressed); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(csv.String(), "day,metric,key,step,count,seconds\n2026-05-01,") {
		t.Fatalf("csv starts %q", csv.String()[:60])
	}
}

func containsTotal(ts []Total, want Total) bool {
	for _, t := range ts {
		if t == want {
			return true
		}
	}
	return false
}

// A full queue drops and counts instead of waiting, and the drops are stored.
func TestFullQueueDropsAndCounts(t *testing.T) {
	st := openStore(t)
	clk := &clock{t: time.Date(2026, 11, 27, 9, 30, 0, 0, vn)}
	l := newTestLog(t, st.DB, clk, Options{QueueSize: 4})
	s := l.StartSession() // 1 queued
	submit(t, l, Event{Type: AudioUsed, Session: s}, Event{Type: AudioUsed, Session: s}, Event{Type: AudioUsed, Session: s},
		Event{Type: AudioUsed, Session: s}, Event{Type: AudioUsed, Session: s})
	if got := l.State(); got.Queued != 4 || got.Dropped != 2 {
		t.Fatalf("state %+v, want 4 queued and 2 dropped", got)
	}
	flush(t, l)
	if n := count(t, st.DB, `SELECT count(*) FROM usage_events`); n != 4 {
		t.Fatalf("%d events stored, want 4", n)
	}
	if n := count(t, st.DB, `SELECT count FROM usage_daily WHERE day = '2026-11-27' AND metric = 'events_dropped'`); n != 2 {
		t.Fatalf("%d drops stored, want 2", n)
	}
}

// A database that cannot take writes turns logging off with a warning; the
// kiosk's calls still succeed at once; logging comes back when it can write.
func TestStorageFailureDisablesLogging(t *testing.T) {
	tests := []struct {
		name    string
		open    func(t *testing.T) (db *sql.DB, heal func())
		warning string
	}{
		{"disk full", func(t *testing.T) (*sql.DB, func()) {
			st := openStore(t)
			st.DB.SetMaxOpenConns(1) // max_page_count is per connection
			pages := count(t, st.DB, `PRAGMA page_count`)
			if _, err := st.DB.Exec(`PRAGMA max_page_count = ` + strconv.FormatInt(pages, 10)); err != nil {
				t.Fatal(err)
			}
			return st.DB, func() { st.DB.Exec(`PRAGMA max_page_count = 1000000`) }
		}, "full"},
		{"read-only", func(t *testing.T) (*sql.DB, func()) {
			st := openStore(t)
			ro, err := sql.Open("sqlite", "file:"+filepath.Join(st.Dir, store.FileName)+"?mode=ro&_pragma=busy_timeout(5000)")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ro.Close() })
			return ro, nil
		}, "readonly"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db, heal := tc.open(t)
			clk := &clock{t: time.Date(2026, 11, 27, 9, 30, 0, 0, vn)}
			l := newTestLog(t, db, clk, Options{RetryEvery: time.Minute})
			s := l.StartSession()
			for range 30 {
				submit(t, l, repeat(Event{Type: StepViewed, Session: s, Tutorial: "vneid-kich-hoat", Step: 7}, MaxBatch)...)
				flush(t, l)
			}
			state := l.State()
			if state.Enabled || !strings.Contains(strings.ToLower(state.Warning), tc.warning) || state.Dropped == 0 {
				t.Fatalf("state %+v: want disabled with a warning about %q and drops", state, tc.warning)
			}
			if state.DiskFull != (tc.name == "disk full") {
				t.Errorf("state %+v: disk_full should say whether the disk is full", state)
			}
			// Still no error for the kiosk, and nothing queued: events drop at once.
			submit(t, l, Event{Type: AudioUsed, Session: s})
			if got := l.State(); got.Queued != 0 || got.Dropped != state.Dropped+1 {
				t.Fatalf("while off: state %+v, want the event dropped at once", got)
			}
			if heal == nil {
				return
			}
			heal()
			clk.Add(2 * time.Minute)
			submit(t, l, Event{Type: AudioUsed, Session: s})
			flush(t, l)
			// The retry writes the drops so far (this event too: logging was
			// still off when it came); every drop ends up stored.
			got := l.State()
			if !got.Enabled || got.Warning != "" || got.Dropped != state.Dropped+2 {
				t.Fatalf("after the disk was freed: state %+v, want logging back on", got)
			}
			if n := count(t, db, `SELECT count FROM usage_daily WHERE metric = 'events_dropped'`); n != got.Dropped {
				t.Fatalf("%d drops stored, want %d", n, got.Dropped)
			}
			submit(t, l, Event{Type: AudioUsed, Session: s})
			flush(t, l)
			if n := count(t, db, `SELECT count(*) FROM usage_events WHERE type = 'audio_used'`); n != 1 {
				t.Fatalf("%d events written after recovery, want 1", n)
			}
		})
	}
}

func repeat(e Event, n int) []Event {
	out := make([]Event, n)
	for i := range out {
		out[i] = e
	}
	return out
}

// Sessions that go quiet are ended at their last activity; Close ends the rest.
func TestSessionEnds(t *testing.T) {
	st := openStore(t)
	clk := &clock{t: time.Date(2026, 11, 27, 9, 30, 0, 0, vn)}
	l := newTestLog(t, st.DB, clk, Options{SessionTimeout: 10 * time.Minute})
	quiet := l.StartSession()
	clk.Add(3 * time.Minute)
	submit(t, l, Event{Type: AudioUsed, Session: quiet})
	open := l.StartSession()
	clk.Add(11 * time.Minute)
	submit(t, l, Event{Type: AudioUsed, Session: open})
	l.expireSessions()
	if err := l.Submit([]Event{{Type: AudioUsed, Session: quiet}}); err == nil {
		t.Fatal("a quiet session still takes events")
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	rows, err := st.DB.Query(`SELECT value FROM usage_events WHERE type = 'session_ended' ORDER BY value`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []int64
	for rows.Next() {
		var v int64
		rows.Scan(&v)
		got = append(got, v)
	}
	if want := []int64{180, 660}; !reflect.DeepEqual(got, want) {
		t.Fatalf("session lengths %v, want %v", got, want)
	}
	l.StartSession()
	if got := l.State(); got.Dropped != 1 {
		t.Fatalf("after Close: state %+v, want the new session's start dropped", got)
	}
}

// A visit staff help from their panel is not closed for quiet while they
// work, and its length runs to when they ended it: the resident's screens
// send nothing under the panel.
func TestStaffAtWorkKeepsTheVisit(t *testing.T) {
	st := openStore(t)
	clk := &clock{t: time.Date(2026, 11, 27, 9, 30, 0, 0, vn)}
	l := newTestLog(t, st.DB, clk, Options{SessionTimeout: 4 * time.Minute})
	visit := l.StartSession()
	for range 6 { // staff at the panel for six minutes, asking every minute
		clk.Add(time.Minute)
		l.StaffAtWork()
		l.expireSessions()
	}
	clk.Add(30 * time.Second)
	submit(t, l, Event{Type: SessionEnded, Session: visit}) // refused if it had been closed
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	var got int64
	if err := st.DB.QueryRow(`SELECT value FROM usage_events WHERE type = 'session_ended'`).Scan(&got); err != nil || got != 390 {
		t.Fatalf("the visit's length %d (%v), want 390 s", got, err)
	}
}

// Run writes on its own, answers Flush, and writes the rest when stopped.
func TestRun(t *testing.T) {
	st := openStore(t)
	var flushed []int64
	l := New(st.DB, Options{Catalog: catalog, Location: vn, FlushEvery: 10 * time.Millisecond,
		OnFlush: func(n int64) { flushed = append(flushed, n) }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- l.Run(ctx) }()
	s := l.StartSession()
	submit(t, l, Event{Type: AudioUsed, Session: s})
	flush(t, l)
	if n := count(t, st.DB, `SELECT count(*) FROM usage_events`); n != 2 {
		t.Fatalf("%d events after Flush, want 2", n)
	}
	submit(t, l, Event{Type: SessionEnded, Session: s})
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	l.Close()
	if n := count(t, st.DB, `SELECT count(*) FROM usage_events`); n != 3 {
		t.Fatalf("%d events after stop, want 3", n)
	}
	if len(flushed) == 0 || flushed[len(flushed)-1] != 3 {
		t.Fatalf("OnFlush saw %v", flushed)
	}
}

// Figures that cannot be read still come with the log's state.
func TestInsightsWhenUnreadable(t *testing.T) {
	st := openStore(t)
	clk := &clock{t: time.Date(2026, 11, 27, 9, 30, 0, 0, vn)}
	l := newTestLog(t, st.DB, clk, Options{})
	st.DB.Close()
	in := l.Insights(context.Background())
	if !strings.Contains(in.State.Warning, "cannot be read") || len(in.Periods) != 3 || len(in.Hours) != 24 {
		t.Fatalf("insights %+v", in)
	}
}

// The figures kept in memory follow the calendar and the roll-ups.
func TestInsightsAcrossMidnight(t *testing.T) {
	st := openStore(t)
	clk := &clock{t: time.Date(2026, 11, 26, 23, 40, 0, 0, vn)}
	l := newTestLog(t, st.DB, clk, Options{})
	visit(t, l, clk)
	if in := l.Insights(context.Background()); in.Periods[0].Sessions != 2 || in.Periods[1].Sessions != 2 {
		t.Fatalf("before midnight: %+v", in.Periods)
	}
	clk.t = time.Date(2026, 11, 27, 0, 10, 0, 0, vn)
	s := l.StartSession()
	submit(t, l, Event{Type: TutorialOpened, Session: s, Tutorial: "qr-thanh-toan"})
	in := l.Insights(context.Background())
	if in.Periods[0].Sessions != 1 || in.Periods[1].Sessions != 3 || len(in.Tutorials) != 2 {
		t.Fatalf("after midnight: %+v %+v", in.Periods, in.Tutorials)
	}
	if err := maintain(context.Background(), st.DB, clk.Now(), vn, 180); err != nil {
		t.Fatal(err)
	}
	rolled := l.Insights(context.Background())
	rolled.State = in.State
	if !reflect.DeepEqual(in, rolled) {
		t.Fatalf("the roll-up changed the figures:\n%+v\n%+v", in, rolled)
	}
}
