package station

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"tramso/kiosk/store"
	"tramso/kiosk/testlog"
)

// frontPage is what the staff panel's front page is told about the machine.
type frontPage struct {
	DatabaseSetAside bool `json:"database_set_aside"`
	HubDropped       bool `json:"hub_dropped"`
}

// startAndAsk opens a station on dir (no config file), reads the staff
// status and closes it again.
func startAndAsk(t *testing.T, dir string) frontPage {
	t.Helper()
	s, err := Open(Options{DataDir: dir, ConfigPath: filepath.Join(dir, "absent.yaml"), Log: testlog.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s.Handler(fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}}))
	defer srv.Close()
	var fp frontPage
	getJSON(t, srv.URL+"/api/staff/status", &fp)
	return fp
}

// TestFrontPageSaysTheDatabaseWasSetAside: after a damaged database was set
// aside, staff are told why the figures and the enrollment started again,
// at every start, until a technician removes the old file (outside QA: the
// panel only said "not enrolled").
func TestFrontPageSaysTheDatabaseWasSetAside(t *testing.T) {
	dir := t.TempDir()
	if fp := startAndAsk(t, dir); fp.DatabaseSetAside {
		t.Fatal("a sound database reported set aside")
	}
	if err := os.WriteFile(filepath.Join(dir, store.FileName), []byte("no database any more, whatever its name says"), 0o600); err != nil {
		t.Fatal(err)
	}
	for start := range 2 {
		if fp := startAndAsk(t, dir); !fp.DatabaseSetAside {
			t.Fatalf("start %d after the damage: staff are not told", start+1)
		}
	}
	for _, f := range store.SetAsideFiles(dir) {
		os.Remove(f)
	}
	if fp := startAndAsk(t, dir); fp.DatabaseSetAside {
		t.Fatal("the notice stayed after the old file was removed")
	}
}

// TestFrontPageSaysTheConfigDroppedTheHub: a kiosk enrolled with a hub whose
// config no longer names one says why it does not connect.
func TestFrontPageSaysTheConfigDroppedTheHub(t *testing.T) {
	dir := t.TempDir()
	if fp := startAndAsk(t, dir); fp.HubDropped {
		t.Fatal("a kiosk never enrolled reported a dropped hub")
	}
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	err = store.SaveCredentials(context.Background(), st.DB, store.DeviceCredentials{DeviceID: "d1", Token: "t", HubURL: "wss://hub.example/ws"})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if fp := startAndAsk(t, dir); !fp.HubDropped {
		t.Fatal("enrolled, no hub in the config: staff are not told")
	}
}
