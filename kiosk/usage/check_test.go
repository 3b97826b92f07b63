package usage

import (
	"context"
	"testing"
	"time"
)

// TestEveryRealTotalPassesCheckTotal keeps the catalogue in step with day.add:
// every total a kiosk computes from real events is one the hub accepts, and
// every event type has a metric.
func TestEveryRealTotalPassesCheckTotal(t *testing.T) {
	st := openStore(t)
	clk := &clock{t: time.Date(2026, 11, 27, 9, 30, 0, 0, vn)}
	l := newTestLog(t, st.DB, clk, Options{})
	visit(t, l, clk)
	flush(t, l)
	totals, err := DailyTotals(context.Background(), st.DB, clk.Now(), clk.Now(), 1)
	if err != nil || len(totals) < 15 {
		t.Fatalf("%d totals, %v", len(totals), err)
	}
	for _, total := range totals {
		if err := CheckTotal(total); err != nil {
			t.Errorf("%+v: %v", total, err)
		}
	}
	for typ := range schemas {
		if typ == SessionEnded {
			typ = "sessions_ended" // counted under its own name
		}
		if _, ok := metrics[typ]; !ok {
			t.Errorf("event type %s has no metric in the catalogue", typ)
		}
	}
}

func TestCheckTotalRefuses(t *testing.T) {
	for _, bad := range []Total{
		{Metric: "passwords", Count: 1},
		{Metric: "sessions", Key: "x", Count: 1},
		{Metric: "sessions", Count: -1},
		{Metric: "sessions", Count: MaxDailyCount + 1},
		{Metric: "sessions", Count: 1, Seconds: 5},
		{Metric: "sessions_ended", Count: 1, Seconds: 86401},
		{Metric: "sessions_by_hour", Key: "24", Count: 1},
		{Metric: Search, Key: "maybe", Count: 1},
		{Metric: ScreenViewed, Key: "admin", Count: 1},
		{Metric: ScreenViewed, Count: 1},
		{Metric: TutorialOpened, Key: "Nguyễn Văn A", Count: 1},
		{Metric: TutorialOpened, Key: "vneid", Step: 3, Count: 1},
		{Metric: StepViewed, Key: "vneid", Step: MaxStep + 1, Count: 1},
		{Metric: LanguageChosen, Key: "0912345678", Count: 1},
	} {
		if err := CheckTotal(bad); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}
