package store

import (
	"context"
	"testing"
	"time"
)

func TestIncidentsAreKeptSentAndForgotten(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	day := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	for _, in := range []Incident{{At: day.AddDate(0, 0, -40), Kind: "crashed"}, {At: day.Add(-time.Hour), Kind: "froze"}} {
		if err := s.AddIncident(ctx, in.At, in.Kind); err != nil {
			t.Fatal(err)
		}
	}
	unsent, err := s.UnsentIncidents(ctx, 10)
	if err != nil || len(unsent) != 1 || unsent[0].Kind != "froze" || !unsent[0].At.Equal(day.Add(-time.Hour)) {
		t.Fatalf("unsent = %+v, %v; want the froze of an hour ago only (the crash of 40 days ago forgotten)", unsent, err)
	}
	if err := s.MarkIncidentsSent(ctx, unsent); err != nil {
		t.Fatal(err)
	}
	if err := s.AddIncident(ctx, day, "stuck"); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(dir) // kept across a restart: the kiosk systemd restarts must still tell
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	unsent, err = s.UnsentIncidents(ctx, 10)
	if err != nil || len(unsent) != 1 || unsent[0].Kind != "stuck" {
		t.Fatalf("unsent after restart = %+v, %v; want the stuck one", unsent, err)
	}
	week, err := s.IncidentsSince(ctx, day.AddDate(0, 0, -7))
	if err != nil || len(week) != 2 || week[0].Kind != "froze" || week[1].Kind != "stuck" {
		t.Fatalf("last week = %+v, %v; want froze then stuck", week, err)
	}
}
