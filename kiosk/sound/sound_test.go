package sound

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/store"
)

var t0 = time.Date(2026, 12, 5, 9, 30, 0, 0, time.UTC)

func open(t *testing.T, dir string) (*Switch, *store.Store, *bytes.Buffer) {
	t.Helper()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var log bytes.Buffer
	return Open(context.Background(), st, slog.New(slog.NewTextHandler(&log, nil))), st, &log
}

// A freeze while a line played turns sound off, and a kiosk restarted
// (systemd, after a second freeze) comes back silent; staff turn it on.
func TestFreezeWhilePlayingSilencesTheKioskAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, st, log := open(t, dir)
	if off := s.State(); off.Reason != "" {
		t.Fatalf("a new kiosk is silent: %+v", off)
	}
	s.Heard(false)
	if s.Froze(ctx, t0) || s.State().Reason != "" {
		t.Fatal("a page that froze while nothing played turned sound off")
	}
	s.Heard(true)
	if !s.Froze(ctx, t0.Add(time.Minute)) {
		t.Fatal("a page that froze while a line played left sound on")
	}
	want := store.SoundOff{Since: t0.Add(time.Minute), Reason: ReasonFroze}
	if got := s.State(); got != want {
		t.Fatalf("state %+v, want %+v", got, want)
	}
	if !strings.Contains(log.String(), "sound device may be hung") {
		t.Errorf("the freeze is not explained in the log:\n%s", log)
	}
	if s.Froze(ctx, t0.Add(2*time.Minute)) || s.State() != want {
		t.Error("a second freeze changed when sound went off")
	}
	st.Close()

	s, _, log = open(t, dir)
	if got := s.State(); got != want {
		t.Fatalf("after a restart: %+v, want %+v", got, want)
	}
	if !strings.Contains(log.String(), "the kiosk is silent") {
		t.Errorf("a kiosk that starts silent does not say so:\n%s", log)
	}
	if got, err := s.Set(ctx, true, t0.Add(time.Hour)); err != nil || got.Reason != "" {
		t.Fatalf("turned on: %+v, %v", got, err)
	}
	s.Heard(false) // the page loaded again plays nothing yet
	if s.Froze(ctx, t0.Add(2*time.Hour)) {
		t.Error("a freeze with nothing playing after sound came back turned it off")
	}
}

func TestStaffTurnSoundOffAndOn(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, st, _ := open(t, dir)
	off, err := s.Set(ctx, false, t0)
	if err != nil || off != (store.SoundOff{Since: t0, Reason: ReasonStaff}) {
		t.Fatalf("off: %+v, %v", off, err)
	}
	if again, _ := s.Set(ctx, false, t0.Add(time.Hour)); again != off {
		t.Errorf("turning off again moved since: %+v", again)
	}
	s.Heard(true)
	if s.Froze(ctx, t0.Add(2*time.Hour)) || s.State().Reason != ReasonStaff {
		t.Error("a freeze while already off changed why")
	}
	st.Close()
	s, _, _ = open(t, dir)
	if s.State() != off {
		t.Fatalf("after a restart: %+v, want %+v", s.State(), off)
	}
}

// What cannot be saved: staff are told and nothing changes; a freeze still
// silences the kiosk for this run.
func TestUnsavedSound(t *testing.T) {
	ctx := context.Background()
	s, st, log := open(t, t.TempDir())
	st.DB.Close()
	if _, err := s.Set(ctx, false, t0); err == nil || s.State().Reason != "" {
		t.Fatalf("an unsaved change: err %v, state %+v", err, s.State())
	}
	s.Heard(true)
	if !s.Froze(ctx, t0) || s.State().Reason != ReasonFroze {
		t.Fatal("a freeze left sound on because the disk failed")
	}
	if !strings.Contains(log.String(), "sound off not saved") {
		t.Errorf("the unsaved state is not logged:\n%s", log)
	}
}

// A damaged row must not silence the kiosk unseen.
func TestDamagedSoundStateMeansOn(t *testing.T) {
	dir := t.TempDir()
	_, st, _ := open(t, dir)
	if err := st.SetMeta(context.Background(), "sound_off", "{not json"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	s, _, log := open(t, dir)
	if s.State().Reason != "" || !strings.Contains(log.String(), "sound state unreadable") {
		t.Fatalf("state %+v, log:\n%s", s.State(), log)
	}
}

// The hub hears of each change (OnChange), and of nothing else.
func TestChangesAreTold(t *testing.T) {
	ctx := context.Background()
	s, _, _ := open(t, t.TempDir())
	told := 0
	s.OnChange(func() { told++ })
	s.Froze(ctx, t0) // nothing was playing
	s.Set(ctx, true, t0)
	if told != 0 {
		t.Fatalf("told %d times of no change", told)
	}
	s.Heard(true)
	s.Froze(ctx, t0)
	s.Set(ctx, false, t0) // already off
	s.Set(ctx, true, t0)
	s.Set(ctx, false, t0)
	if told != 3 {
		t.Fatalf("told %d times of 3 changes", told)
	}
}
