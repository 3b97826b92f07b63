package station

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/pack"
	"tramso/kiosk/staffpin"
	"tramso/kiosk/store"
	"tramso/kiosk/testdisk"
	"tramso/kiosk/testlog"
)

// TestServesFromAReadOnlyDisk: a kiosk whose data directory's file system
// turned read-only (ext4 errors=remount-ro after a bad power cut) still
// starts and serves the province's pack, not the starter; the staff status
// says read_only; a resident's usage is accepted (and dropped, counted,
// without a warning per event); the PIN lockout still locks; the log's
// ERROR sends the technician to the disk, and the window's incidents, which
// the disk cannot keep, add one WARN, not an ERROR each. A second kiosk on
// the same directory is refused.
func TestServesFromAReadOnlyDisk(t *testing.T) {
	dir, cfgPath := readOnlyKiosk(t)
	var logs testlog.Buffer
	s, err := Open(Options{DataDir: dir, ConfigPath: cfgPath, ConfigExplicit: true, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatalf("start on a read-only disk: %v", err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)
	srv := httptest.NewServer(s.Handler(fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}}))
	defer srv.Close()

	var health struct {
		Content struct {
			Version int64  `json:"version"`
			Source  string `json:"source"`
		} `json:"content"`
	}
	getJSON(t, srv.URL+"/api/health", &health)
	if health.Content.Source != string(content.SourcePack) || health.Content.Version != 42 {
		t.Errorf("serves %+v, want the applied pack, generation 42", health.Content)
	}
	var status struct {
		ReadOnly bool `json:"read_only"`
	}
	getJSON(t, srv.URL+"/api/staff/status", &status)
	if !status.ReadOnly {
		t.Error("the staff status does not say read_only")
	}

	for i := range 3 {
		var session struct{ Session string }
		if code := postJSON(t, srv.URL+"/api/sessions", `{}`, &session); code != http.StatusCreated {
			t.Fatalf("start a session: %d", code)
		}
		event := `{"type":"screen_viewed","session":"` + session.Session + `","screen":"home"}`
		if code := postJSON(t, srv.URL+"/api/events", event, nil); code != http.StatusAccepted {
			t.Fatalf("event %d: %d, want 202", i, code)
		}
	}
	s.Usage.Flush(ctx)
	if st := s.Usage.State(); st.Enabled || !st.ReadOnly || st.Dropped < 6 || st.Written != 0 {
		t.Errorf("usage state %+v: want off, read-only, 6 events dropped", st)
	}

	// The usage figures screen reads what was recorded before, and why
	// nothing is recorded now.
	var login struct{ Token string }
	if code := postJSON(t, srv.URL+"/api/staff/login", `{"pin":"`+readOnlyPIN+`"}`, &login); code != http.StatusOK {
		t.Fatalf("staff login: %d", code)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/api/staff/usage", nil)
	req.Header.Set("X-Staff-Token", login.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var insights struct {
		State struct {
			ReadOnly bool `json:"read_only"`
		} `json:"state"`
	}
	json.NewDecoder(res.Body).Decode(&insights)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !insights.State.ReadOnly {
		t.Errorf("staff usage figures: %d, read_only %v", res.StatusCode, insights.State.ReadOnly)
	}
	req, _ = http.NewRequest("POST", srv.URL+"/api/staff/log", strings.NewReader(`{"action":"open_insights"}`))
	req.Header.Set("X-Staff-Token", login.Token)
	req.Header.Set("Content-Type", "application/json") // as the page sends every change
	if res, err = http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("staff log: %v %v", res, err)
	}
	res.Body.Close()

	for range 5 {
		postJSON(t, srv.URL+"/api/staff/login", `{"pin":"111111"}`, nil)
	}
	if code := postJSON(t, srv.URL+"/api/staff/login", `{"pin":"`+readOnlyPIN+`"}`, nil); code != http.StatusLocked {
		t.Errorf("the right PIN after 5 wrong ones: %d, want 423 (the lockout counts in memory)", code)
	}

	if _, err := Open(Options{DataDir: dir, ConfigPath: cfgPath, ConfigExplicit: true, Log: testlog.Quiet()}); !errors.Is(err, store.ErrLocked) {
		t.Errorf("a second kiosk on the read-only directory: %v, want ErrLocked", err)
	}
	for range 3 {
		s.WindowIncident("froze", time.Now())
	}
	out := logs.String()
	if n := strings.Count(out, "incidents are not kept"); n != 1 {
		t.Errorf("the window's incidents not kept: said %d times, want once:\n%s", n, out)
	}
	if !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "read-only") || !strings.Contains(out, "fsck") {
		t.Errorf("no ERROR sends the technician to the disk:\n%s", out)
	}
	if strings.Count(out, "level=ERROR") != 1 {
		t.Errorf("more than the one ERROR about the disk:\n%s", out)
	}
	if n := strings.Count(out, "level=WARN"); n > 5 {
		t.Errorf("%d warnings for a read-only disk:\n%s", n, out)
	}
}

// TestStarterFromAReadOnlyDiskWithoutDatabase: with no database to read on
// the read-only disk, the kiosk starts on the embedded starter and says why.
func TestStarterFromAReadOnlyDiskWithoutDatabase(t *testing.T) {
	dir := testdisk.Mount(t, "8m")
	testdisk.RemountReadOnly(t, dir)
	var logs testlog.Buffer
	s, err := Open(Options{DataDir: dir, ConfigPath: filepath.Join(dir, "absent.yaml"), Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatalf("start on a read-only disk without a database: %v", err)
	}
	defer s.Close()
	if got := s.Content.Get(); got.Source != content.SourceEmbedded {
		t.Errorf("serves %s, want the embedded starter", got.Source)
	}
	if !strings.Contains(logs.String(), "database cannot be read") {
		t.Errorf("the log does not say the database cannot be read:\n%s", logs.String())
	}
}

// TestReadOnlyDiskWithAnOlderSchema: a kiosk upgraded, then met with a
// read-only disk before it could migrate its database (here: the schema
// without the staff lockout counts and the window's incidents, as the
// version before them left it). It serves its content; the log says the
// database is older, naming what it lacks; the staff panel's window card
// says incidents are not kept and the sound switch answers read_only, rather
// than fail as the kiosk's fault.
func TestReadOnlyDiskWithAnOlderSchema(t *testing.T) {
	dir, cfgPath := kioskOnTmpfs(t)
	db, err := store.OpenDB(filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TABLE window_incidents`, `ALTER TABLE staff_lockout DROP COLUMN lockouts`,
		`DELETE FROM schema_migrations WHERE name IN ('0006_staff_lockouts', '0007_window_incidents')`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	testdisk.RemountReadOnly(t, dir)

	var logs testlog.Buffer
	s, err := Open(Options{DataDir: dir, ConfigPath: cfgPath, ConfigExplicit: true, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatalf("start on a read-only disk with an older database: %v", err)
	}
	defer s.Close()
	if got := s.Content.Get(); got.Source != content.SourcePack || got.Pack.Meta.Generation != 42 {
		t.Errorf("serves %s %d, want the applied pack 42", got.Source, got.Pack.Meta.Generation)
	}
	if out := logs.String(); !strings.Contains(out, "written by an older version") ||
		!strings.Contains(out, "missing_migrations=0006_staff_lockouts,0007_window_incidents") {
		t.Errorf("the log does not say the database is older:\n%s", out)
	}
	srv := httptest.NewServer(s.Handler(fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}}))
	defer srv.Close()
	var login struct{ Token string }
	if code := postJSON(t, srv.URL+"/api/staff/login", `{"pin":"`+readOnlyPIN+`"}`, &login); code != http.StatusOK {
		t.Fatalf("staff login: %d", code)
	}
	staff := func(method, path, body string, answer any) int {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("X-Staff-Token", login.Token)
		req.Header.Set("Content-Type", "application/json") // as the page sends every change
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		json.NewDecoder(res.Body).Decode(answer)
		return res.StatusCode
	}
	var window struct {
		Incidents []any
		NotKept   bool `json:"not_kept"`
	}
	if code := staff("GET", "/api/staff/window", "", &window); code != http.StatusOK || !window.NotKept || len(window.Incidents) != 0 {
		t.Errorf("GET /api/staff/window: %d %+v, want 200, no incidents, not kept", code, window)
	}
	var refused struct{ Code string }
	if code := staff("POST", "/api/staff/sound", `{"on":false}`, &refused); code != http.StatusConflict || refused.Code != "read_only" {
		t.Errorf("POST /api/staff/sound: %d %q, want 409 read_only", code, refused.Code)
	}
}

const readOnlyPIN = "246813"

// readOnlyKiosk makes a kiosk's data directory on a tmpfs, holding the
// applied pack 42, a config pinning its key and a staff PIN, and usage
// figures from a first run; then remounts it read-only.
func readOnlyKiosk(t *testing.T) (dir, cfgPath string) {
	dir, cfgPath = kioskOnTmpfs(t)
	testdisk.RemountReadOnly(t, dir)
	return dir, cfgPath
}

// kioskOnTmpfs is readOnlyKiosk's data directory before the remount.
func kioskOnTmpfs(t *testing.T) (dir, cfgPath string) {
	dir = testdisk.Mount(t, "48m")
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	var buf bytes.Buffer
	if _, err := pack.Build(content.Starter(), pack.BuildOptions{Generation: 42, Keys: []ed25519.PrivateKey{key}, Now: time.Now()}, &buf); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "p.tspack")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	hash, err := staffpin.HashWith(readOnlyPIN, staffpin.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	cfgPath = filepath.Join(dir, "config.yaml")
	cfg := "hub:\n  province_keys: [\"" + strings.TrimSpace(pack.EncodePublicKey(key.Public().(ed25519.PublicKey))) + "\"]\n" +
		"staff:\n  pin_hash: \"" + hash + "\"\n"
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}

	s, err := Open(Options{DataDir: dir, ConfigPath: cfgPath, ConfigExplicit: true, Log: testlog.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.Packs.ApplyFile(ctx, file, []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}, "usb"); err != nil {
		t.Fatal(err)
	}
	s.Usage.StartSession()
	if s.Close(); s.Usage.State().Written == 0 {
		t.Fatal("the first run recorded no usage")
	}
	return dir, cfgPath
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", url, res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// postJSON posts body and decodes the answer into v (when not nil); it
// returns the status code.
func postJSON(t *testing.T, url, body string, v any) int {
	t.Helper()
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if v != nil {
		if err := json.NewDecoder(res.Body).Decode(v); err != nil {
			t.Fatalf("POST %s: %v", url, err)
		}
	}
	return res.StatusCode
}
