package store

import (
	"context"
	"testing"
)

func TestCredentialsAndUpdateState(t *testing.T) {
	st, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if _, ok, err := LoadCredentials(ctx, st.DB); ok || err != nil {
		t.Fatalf("a new kiosk has credentials: %v %v", ok, err)
	}
	for _, id := range []string{"kfirst", "ksecond"} { // enrolling again replaces
		c := DeviceCredentials{DeviceID: id, Token: id + ".secret", HubURL: "wss://hub.example/ws", ProvinceKeys: []string{"a", "b"}}
		if err := SaveCredentials(ctx, st.DB, c); err != nil {
			t.Fatal(err)
		}
	}
	c, ok, err := LoadCredentials(ctx, st.DB)
	if err != nil || !ok || c.DeviceID != "ksecond" || c.Token != "ksecond.secret" || len(c.ProvinceKeys) != 2 || c.EnrolledAt.IsZero() {
		t.Fatalf("loaded %+v %v %v", c, ok, err)
	}
	if u, err := LoadUpdateState(ctx, st.DB); err != nil || u != (UpdateState{}) {
		t.Fatalf("fresh update state %+v %v", u, err)
	}
	want := UpdateState{LastSync: "2026-11-27T08:00:00Z", LastError: "hash_mismatch: x"}
	if err := SaveUpdateState(ctx, st.DB, want); err != nil {
		t.Fatal(err)
	}
	if u, err := LoadUpdateState(ctx, st.DB); err != nil || u != want {
		t.Fatalf("update state %+v %v", u, err)
	}
}

// TestUpdateRefusalKept: the refused generation and its error outlive a
// restart (the database closed and opened again), apart from the sync
// state, until it is cleared.
func TestUpdateRefusalKept(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := LoadUpdateRefusal(ctx, st.DB); err != nil || r != (UpdateRefusal{}) {
		t.Fatalf("a new kiosk has a refusal: %+v %v", r, err)
	}
	want := UpdateRefusal{Generation: 7001, Error: "hash_mismatch: media/x.ogg: sha256 differs", ErrorKind: "disk_full"}
	if err := SaveUpdateRefusal(ctx, st.DB, want); err != nil {
		t.Fatal(err)
	}
	sync := UpdateState{LastSync: "2026-12-08T01:00:00Z", LastError: want.Error}
	if err := SaveUpdateState(ctx, st.DB, sync); err != nil {
		t.Fatal(err)
	}
	st.Close()

	st, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if r, err := LoadUpdateRefusal(ctx, st.DB); err != nil || r != want {
		t.Fatalf("after a restart: %+v %v, want %+v", r, err, want)
	}
	if u, err := LoadUpdateState(ctx, st.DB); err != nil || u != sync {
		t.Fatalf("sync state %+v %v, want %+v", u, err, sync)
	}
	if err := SaveUpdateRefusal(ctx, st.DB, UpdateRefusal{}); err != nil {
		t.Fatal(err)
	}
	if r, err := LoadUpdateRefusal(ctx, st.DB); err != nil || r != (UpdateRefusal{}) {
		t.Fatalf("cleared: %+v %v", r, err)
	}
}
