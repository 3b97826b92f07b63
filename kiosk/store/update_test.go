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
