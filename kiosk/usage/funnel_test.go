package usage

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// The lesson funnel shows the check questions as rows of their own: a
// resident who walks away on question 2 stops at question 2, not at the
// lesson's last step, and a wrong answer counts where it was given (outside
// QA s28, finding 8: "Dừng lại ở đây: Bước 3" for a resident on question 2,
// and wrong answers counted nowhere). The figures are the same whether they
// come from today's live totals, the database, or rolled-up days.
func TestFunnelShowsTheCheckQuestions(t *testing.T) {
	st := openStore(t)
	clk := &clock{t: time.Date(2026, 12, 8, 4, 20, 0, 0, vn)}
	l := newTestLog(t, st.DB, clk, Options{})
	const lesson = "vneid-kich-hoat"
	steps := func(s string) {
		submit(t, l, Event{Type: TutorialOpened, Session: s, Tutorial: lesson})
		for n := 1; n <= 3; n++ {
			submit(t, l, Event{Type: StepViewed, Session: s, Tutorial: lesson, Step: n})
		}
	}
	// A: answers question 1 wrong, then right, answers question 2 right, finishes.
	a := l.StartSession()
	steps(a)
	submit(t, l,
		Event{Type: CheckViewed, Session: a, Tutorial: lesson, Step: 1},
		Event{Type: CheckWrong, Session: a, Tutorial: lesson, Step: 1},
		Event{Type: CheckPassed, Session: a, Tutorial: lesson, Step: 1},
		Event{Type: CheckViewed, Session: a, Tutorial: lesson, Step: 2},
		Event{Type: CheckPassed, Session: a, Tutorial: lesson, Step: 2},
		Event{Type: TutorialCompleted, Session: a, Tutorial: lesson},
		Event{Type: SessionEnded, Session: a},
	)
	// B: passes question 1, answers question 2 wrong and walks away there.
	b := l.StartSession()
	steps(b)
	submit(t, l,
		Event{Type: CheckViewed, Session: b, Tutorial: lesson, Step: 1},
		Event{Type: CheckPassed, Session: b, Tutorial: lesson, Step: 1},
		Event{Type: CheckViewed, Session: b, Tutorial: lesson, Step: 2},
		Event{Type: CheckWrong, Session: b, Tutorial: lesson, Step: 2},
		Event{Type: CheckAbandoned, Session: b, Tutorial: lesson, Step: 2},
		Event{Type: SessionEnded, Session: b},
	)
	want := []Funnel{{ID: lesson, Title: "Kích hoạt VNeID", Opened: 2, Completed: 1,
		Steps:  []FunnelStep{{Step: 1, Viewed: 2}, {Step: 2, Viewed: 2}, {Step: 3, Viewed: 2}},
		Checks: []FunnelStep{{Step: 1, Viewed: 2, Wrong: 1}, {Step: 2, Viewed: 2, Abandoned: 1, Wrong: 1}},
	}}
	if got := l.Insights(context.Background()).Funnels; !reflect.DeepEqual(got, want) {
		t.Errorf("today's funnel\n got %+v\nwant %+v", got, want)
	}
	// A day later, rolled up: the same figures from the daily table.
	clk.Add(24 * time.Hour)
	if err := maintain(context.Background(), st.DB, clk.Now(), vn, 30); err != nil {
		t.Fatal(err)
	}
	if got := l.Insights(context.Background()).Funnels; !reflect.DeepEqual(got, want) {
		t.Errorf("rolled-up funnel\n got %+v\nwant %+v", got, want)
	}
}

// Kiosks whose lessons report only check_passed (no check_viewed) still
// show the questions that were reached; a check_passed without a question
// number adds no row.
func TestFunnelChecksFromPassedAlone(t *testing.T) {
	st := openStore(t)
	clk := &clock{t: time.Date(2026, 12, 8, 9, 0, 0, 0, vn)}
	l := newTestLog(t, st.DB, clk, Options{})
	s := l.StartSession()
	submit(t, l,
		Event{Type: TutorialOpened, Session: s, Tutorial: "qr-thanh-toan"},
		Event{Type: CheckPassed, Session: s, Tutorial: "qr-thanh-toan", Step: 2},
		Event{Type: CheckPassed, Session: s, Tutorial: "qr-thanh-toan"},
	)
	got := l.Insights(context.Background()).Funnels
	want := []Funnel{{ID: "qr-thanh-toan", Title: "Thanh toán bằng mã QR", Opened: 1,
		Steps: []FunnelStep{}, Checks: []FunnelStep{{Step: 2, Viewed: 1}}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("funnel\n got %+v\nwant %+v", got, want)
	}
}
