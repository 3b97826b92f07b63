package usage

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestEventSchema(t *testing.T) {
	langs := []string{"vi", "en", "rad", "mng"}
	tests := []struct {
		name string
		ev   Event
		bad  string // part of the error, "" when valid
	}{
		{"screen", Event{Type: ScreenViewed, Screen: "home"}, ""},
		{"tutorial opened", Event{Type: TutorialOpened, Tutorial: "vneid-kich-hoat"}, ""},
		{"step", Event{Type: StepViewed, Tutorial: "vneid-kich-hoat", Step: 3}, ""},
		{"practice wrong", Event{Type: PracticeWrong, Tutorial: "qr-thanh-toan", Step: 2}, ""},
		{"check passed", Event{Type: CheckPassed, Tutorial: "qr-thanh-toan", Step: 1}, ""},
		{"abandoned", Event{Type: TutorialAbandoned, Tutorial: "qr-thanh-toan", Step: 4}, ""},
		{"procedure", Event{Type: ProcedureViewed, Procedure: "1.001193"}, ""},
		{"qr of a lesson", Event{Type: QRShown, Tutorial: "qr-thanh-toan"}, ""},
		{"search found", Event{Type: Search, Outcome: "results", Procedure: "1.000894"}, ""},
		{"search none", Event{Type: Search, Outcome: "none"}, ""},
		{"audio", Event{Type: AudioUsed}, ""},
		{"language", Event{Type: LanguageChosen, Language: "rad"}, ""},
		{"staff", Event{Type: StaffCalled, Screen: "procedures"}, ""},
		{"end", Event{Type: SessionEnded}, ""},

		{"unknown type", Event{Type: "typed_text"}, "unknown event type"},
		{"start is the server's", Event{Type: SessionStarted}, "POST /api/sessions"},
		{"missing step", Event{Type: StepViewed, Tutorial: "vneid-kich-hoat"}, "needs step"},
		{"extra field", Event{Type: AudioUsed, Language: "vi"}, "does not take language"},
		{"both items", Event{Type: QRShown, Tutorial: "qr-thanh-toan", Procedure: "1.001193"}, "not both"},
		{"made-up tutorial", Event{Type: TutorialOpened, Tutorial: "nguyen-van-an"}, "not an id"},
		{"made-up procedure", Event{Type: ProcedureViewed, Procedure: "079203004512"}, "not an id"},
		{"screen as text", Event{Type: ScreenViewed, Screen: "Nguyễn Văn An"}, "not one of the kiosk's screens"},
		{"step too big", Event{Type: StepViewed, Tutorial: "vneid-kich-hoat", Step: 100}, "step must be"},
		{"negative step", Event{Type: StepViewed, Tutorial: "vneid-kich-hoat", Step: -1}, "step must be"},
		{"outcome as text", Event{Type: Search, Outcome: "079203004512"}, "outcome must be"},
		{"none with item", Event{Type: Search, Outcome: "none", Tutorial: "qr-thanh-toan"}, "no chosen item"},
		{"search needs outcome", Event{Type: Search, Tutorial: "qr-thanh-toan"}, "needs outcome"},
		{"unknown language", Event{Type: LanguageChosen, Language: "fr"}, "language must be"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.ev.check(catalog, langs)
			switch {
			case tc.bad == "" && err != nil:
				t.Fatalf("rejected: %v", err)
			case tc.bad != "" && err == nil:
				t.Fatalf("accepted, want error with %q", tc.bad)
			case tc.bad != "" && !strings.Contains(err.Error(), tc.bad):
				t.Fatalf("error %q does not say %q", err, tc.bad)
			}
			// An error never repeats what was sent: it could be typed text.
			if err != nil {
				for _, v := range []string{tc.ev.Screen, tc.ev.Tutorial, tc.ev.Procedure, tc.ev.Outcome, tc.ev.Language} {
					if len(v) > 3 && strings.Contains(err.Error(), v) {
						t.Fatalf("error %q repeats the value %q", err, v)
					}
				}
			}
		})
	}
}

func TestSessionIDs(t *testing.T) {
	st := openStore(t)
	clk := &clock{t: time.Date(2026, 11, 27, 9, 30, 15, 0, vn)}
	l := newTestLog(t, st.DB, clk, Options{})
	seen := map[string]bool{}
	for range 200 {
		id := l.StartSession()
		if _, ok := parseSession(id); !ok || seen[id] {
			t.Fatalf("session id %q is malformed or reused", id)
		}
		seen[id] = true
		if err := l.Submit([]Event{{Type: SessionEnded, Session: id}}); err != nil {
			t.Fatal(err)
		}
		// An ended session never takes events again.
		err := l.Submit([]Event{{Type: AudioUsed, Session: id}})
		if !errors.Is(err, ErrUnknownSession) {
			t.Fatalf("event for an ended session: %v, want ErrUnknownSession", err)
		}
	}
	for _, bad := range []string{"", "0123456789ABCDEF", "0123456789abcdeg", "0123456789abcdef0", "nguyen van an"} {
		if err := l.Submit([]Event{{Type: AudioUsed, Session: bad}}); !errors.Is(err, ErrUnknownSession) {
			t.Fatalf("session %q: %v, want ErrUnknownSession", bad, err)
		}
	}
}

func TestBatchIsAllOrNothing(t *testing.T) {
	st := openStore(t)
	clk := &clock{t: time.Date(2026, 11, 27, 9, 30, 0, 0, vn)}
	l := newTestLog(t, st.DB, clk, Options{})
	s := l.StartSession()
	err := l.Submit([]Event{{Type: AudioUsed, Session: s}, {Type: TutorialOpened, Session: s, Tutorial: "made-up"}})
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Index != 1 {
		t.Fatalf("got %v, want a ValidationError for event 1", err)
	}
	flush(t, l)
	if n := count(t, st.DB, `SELECT count(*) FROM usage_events WHERE type <> 'session_started'`); n != 0 {
		t.Fatalf("%d events of a refused batch were stored", n)
	}
	if err := l.Submit(make([]Event, MaxBatch+1)); err == nil {
		t.Fatal("an oversized batch was accepted")
	}
}
