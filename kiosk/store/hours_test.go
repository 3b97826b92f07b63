package store

import (
	"context"
	"testing"
	"time"

	"tramso/kiosk/hours"
)

// The override survives a restart (a new Store on the same file), is
// replaced by the next, and goes with the zero Override.
func TestHoursOverrideSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if o, err := s.LoadHoursOverride(ctx); err != nil || o != (hours.Override{}) {
		t.Fatalf("a new kiosk: %+v %v", o, err)
	}
	from := time.Date(2026, 12, 7, 19, 50, 0, 0, hours.Vietnam)
	open := hours.Override{Open: true, From: from, Until: from.Add(70 * time.Minute)}
	if err := s.SaveHoursOverride(ctx, open); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.LoadHoursOverride(ctx)
	if err != nil || !got.Open || !got.From.Equal(open.From) || !got.Until.Equal(open.Until) {
		t.Fatalf("after a restart: %+v %v", got, err)
	}
	// A closing that cut the opening short keeps it, across a restart.
	closed := hours.Override{From: from.Add(time.Hour), Until: from.Add(12 * time.Hour), OpenedFrom: from, OpenedUntil: from.Add(time.Hour)}
	if err := s.SaveHoursOverride(ctx, closed); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, _ := s.LoadHoursOverride(ctx); got.Open || !got.Until.Equal(closed.Until) ||
		!got.OpenedFrom.Equal(closed.OpenedFrom) || !got.OpenedUntil.Equal(closed.OpenedUntil) {
		t.Fatalf("replaced by a closing: %+v, want %+v", got, closed)
	}
	if err := s.SaveHoursOverride(ctx, hours.Override{}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.LoadHoursOverride(ctx); err != nil || got != (hours.Override{}) {
		t.Fatalf("removed: %+v %v", got, err)
	}
}
