package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/hours"
	"tramso/kiosk/pack"
	"tramso/kiosk/staffpin"
	"tramso/kiosk/store"
)

func TestStaffContent(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	packs, err := pack.OpenStore(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	live, err := packs.Serve(context.Background(), nil, nil) // no key pinned: nothing is applied here
	if err != nil {
		t.Fatal(err)
	}
	// A refused pack, as the update client would record it.
	_, err = packs.Accept(context.Background(), []byte(`{}`), nil, nil, "hub")
	if err == nil {
		t.Fatal("unsigned manifest accepted")
	}
	var cfg config.Config
	if cfg.Staff.PINHash, err = staffpin.HashWith(usagePIN, staffpin.Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}); err != nil {
		t.Fatal(err)
	}
	cfg.Idle.StaffSeconds = 120
	srv := httptest.NewServer((&Server{Config: cfg, Store: st, Content: live}).Handler())
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/api/staff/content")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("without staff mode: %d, want 401", resp.StatusCode)
	}
	code, out := post(t, srv, "/api/staff/login", "application/json", `{"pin":"`+usagePIN+`"}`)
	token, _ := out["token"].(string)
	if code != http.StatusOK || token == "" {
		t.Fatalf("staff login: %d %v", code, out)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/api/staff/content", nil)
	req.Header.Set(StaffTokenHeader, token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got staffContentAnswer
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/staff/content: %d %v", resp.StatusCode, err)
	}
	if got.Source != content.SourceEmbedded || got.Generation != 1 || len(got.Rejections) != 1 ||
		got.Rejections[0].Kind != string(pack.KindMissingSignature) || got.Rejections[0].Source != "hub" {
		t.Fatalf("status = %+v", got)
	}
	if got.MadeAt != nil {
		t.Fatalf("the starter's generation 1 stands for no time, yet made_at %v", got.MadeAt)
	}
}

// A generation is its build's unix time, which staff read as a date; one
// numbered by hand stands for no time (pack.BuiltAt).
func TestContentMadeAt(t *testing.T) {
	for _, c := range []struct {
		gen  int64
		want string
	}{
		{1796656473, "2026-12-07T22:14:33+07:00"},
		{4101, ""},
		{0, ""},
	} {
		got := ""
		if at := madeAt(c.gen); at != nil {
			got = at.In(hours.Vietnam).Format(time.RFC3339)
		}
		if got != c.want {
			t.Errorf("madeAt(%d) = %q, want %q", c.gen, got, c.want)
		}
	}
}
