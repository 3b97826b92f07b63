package station

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/hub"
	"tramso/kiosk/hub/hubtest"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
	"tramso/kiosk/testlog"
	"tramso/kiosk/update"
	"tramso/kiosk/usage"
)

// TestStationFollowsTheHub: an enrolled kiosk (credentials stored, hub.url
// and the province key in its config, as `tramso enroll` leaves it) starts its
// update client in Run and serves what the province publishes — from a hub on
// loopback, and from one over TLS whose certificate only the province's CA
// (hub.ca_file; here httptest's own certificate) vouches for.
//
// With hub.urls naming a hub that is down beside the one that is up, the
// station follows the one that is up, and its staff status names it.
func TestStationFollowsTheHub(t *testing.T) {
	for _, c := range []struct {
		name             string
		overTLS, deadHub bool
	}{{"plain loopback", false, false}, {"TLS with hub.ca_file", true, false}, {"hub.urls with one hub down", false, true}} {
		t.Run(c.name, func(t *testing.T) { followTheHub(t, c.overTLS, c.deadHub) })
	}
}

func followTheHub(t *testing.T, overTLS, deadHub bool) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	h := hubtest.Start(t, hubtest.Options{TLS: overTLS, Hub: hub.Options{ProvinceKeys: []ed25519.PublicKey{pub}}})
	ctx := context.Background()
	s, creds := enrolledStation(t, h, pub, deadHub)

	var file bytes.Buffer
	if _, err := pack.Build(content.Starter(), pack.BuildOptions{Generation: 42, Keys: []ed25519.PrivateKey{priv}}, &file); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Publish(ctx, &file, hub.PublishOptions{Stage: hub.StageEveryone, By: "test"}); err != nil {
		t.Fatal(err)
	}
	// The content switches first; the client records the new generation in its
	// status a moment later, once it has checked the switch. Wait for both.
	deadline := time.Now().Add(30 * time.Second)
	for s.Content.Get().Pack.Meta.Generation != 42 || s.Update.Status().Generation != 42 {
		if time.Now().After(deadline) {
			t.Fatalf("the station still serves generation %d; update status %+v",
				s.Content.Get().Pack.Meta.Generation, s.Update.Status())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if st := s.Update.Status(); !st.Enrolled || st.Generation != 42 || st.HubURL != creds.HubURL {
		t.Fatalf("staff status (want the hub in use, %s): %+v", creds.HubURL, st)
	}
}

// deadHubURL is a hub address on 127.0.0.1 where nothing listens.
func deadHubURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	return "ws://" + ln.Addr().String() + "/ws"
}

// enrolledStation runs a station enrolled with h, as `tramso enroll` leaves
// a kiosk: credentials stored, hub.url (or hub.urls with a dead hub first
// when deadHub) and the province key in its config.
func enrolledStation(t *testing.T, h *hubtest.Server, pub ed25519.PublicKey, deadHub bool) (*Station, update.Credentials) {
	t.Helper()
	dir, creds := enrollInto(t, h)
	addresses := "  url: " + creds.HubURL + "\n"
	if deadHub {
		addresses = "  urls: [" + deadHubURL(t) + ", " + creds.HubURL + "]\n"
	}
	cfg := "hub:\n" + addresses + "  province_keys: [" + base64.StdEncoding.EncodeToString(pub) + "]\n  ca_file: \"" + h.CAFile + "\"\n"
	return runStation(t, dir, cfg, testlog.Quiet()), creds
}

// enrollInto enrolls a new data directory with h and stores the credentials
// there, as `tramso enroll` does; hub.ca_file is h.CAFile (none on loopback).
func enrollInto(t *testing.T, h *hubtest.Server) (string, update.Credentials) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	code, err := h.CreateCode(ctx, "Ea Kao", "test")
	if err != nil {
		t.Fatal(err)
	}
	tlsConf, err := config.HubTLS(h.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := update.Enroll(ctx, h.URL, code, "", tlsConf)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SaveCredentials(ctx, st.DB, creds.Store()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	return dir, creds
}

// runStation opens and runs the station of data directory dir with the
// config text cfg until the test ends.
func runStation(t *testing.T, dir, cfg string, log *slog.Logger) *Station {
	t.Helper()
	cfgPath := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(Options{DataDir: dir, ConfigPath: cfgPath, ConfigExplicit: true, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(context.Background())
	runDone := make(chan struct{})
	go func() { s.Run(runCtx); close(runDone) }()
	t.Cleanup(func() { stop(); <-runDone; s.Close() })
	return s
}

// A config that names no hub ("no updates") keeps an enrolled kiosk off the
// hub: the enrollment its database holds is said once in the log, never
// used (outside QA F12: a copied data directory took turns on the hub with
// the original).
func TestNoHubInTheConfigMeansNoConnection(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	var dials atomic.Int64
	h := hubtest.Start(t, hubtest.Options{Hub: hub.Options{ProvinceKeys: []ed25519.PublicKey{pub}},
		Wrap: func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				dials.Add(1)
				next.ServeHTTP(w, r)
			})
		}})
	dir, creds := enrollInto(t, h)
	dials.Store(0) // enrollment itself asked the hub
	var out testlog.Buffer
	cfg := "hub:\n  url: \"\"\n  province_keys: [" + base64.StdEncoding.EncodeToString(pub) + "]\n"
	s := runStation(t, dir, cfg, slog.New(slog.NewTextHandler(&out, nil)))

	time.Sleep(time.Second) // an enabled client dials within milliseconds (TestStationFollowsTheHub)
	if n := dials.Load(); n != 0 || s.Update.Enabled() {
		t.Fatalf("the kiosk asked the hub %d times (update enabled: %v); want no connection", n, s.Update.Enabled())
	}
	if st := s.Update.Status(); st.HubURL != "" || st.Connected {
		t.Fatalf("staff status %+v: want no hub", st)
	}
	if n := strings.Count(out.String(), "holds an enrollment with a hub that the config does not name"); n != 1 ||
		!strings.Contains(out.String(), "hub="+creds.HubURL) {
		t.Fatalf("the dropped enrollment is logged %d times, want once naming %s:\n%s", n, creds.HubURL, out.String())
	}
}

// A page that froze on a hung speaker turns the station's sound off, and the
// province hub hears of it; staff turning sound back on reaches it too.
func TestHubHearsASilentStation(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	h := hubtest.Start(t, hubtest.Options{Hub: hub.Options{ProvinceKeys: []ed25519.PublicKey{pub}}})
	s, creds := enrolledStation(t, h, pub, false)
	soundAt := func() string { return h.Device(t, creds.DeviceID).SoundOff }
	waitFor := func(what, want string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for soundAt() != want {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the hub says %q, want %q", what, soundAt(), want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// Silent before or after it connects: the hub hears it either way.
	s.Sound.Heard(true)
	if !s.Sound.Froze(context.Background(), time.Now()) {
		t.Fatal("the freeze did not turn sound off")
	}
	waitFor("after the freeze", "froze")
	if _, err := s.Sound.Set(context.Background(), true, time.Now()); err != nil {
		t.Fatal(err)
	}
	waitFor("after staff turned sound on", "")
}

// The window's incidents reach the hub through the station: recorded, then
// sent by the running update client at once.
func TestHubHearsAStationsWindowIncident(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	h := hubtest.Start(t, hubtest.Options{Hub: hub.Options{ProvinceKeys: []ed25519.PublicKey{pub}}})
	s, creds := enrolledStation(t, h, pub, false)
	s.WindowIncident(hubproto.IncidentCrashed, time.Now())
	deadline := time.Now().Add(30 * time.Second)
	for h.Incidents(t, creds.DeviceID) != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the hub never heard of the window's crash")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if week, err := s.Store.IncidentsSince(context.Background(), time.Now().AddDate(0, 0, -7)); err != nil || len(week) != 1 {
		t.Errorf("the kiosk keeps %v (%v), want the crash", week, err)
	}
}

// The hub gets usage by the province's days and hours (schedule.timezone),
// whatever zone the kiosk's machine runs in, and each day's count of visits
// even below usage.export_threshold.
func TestHubUsageIsInTheProvincesZone(t *testing.T) {
	local := time.Local
	time.Local = time.UTC // a Debian install left in UTC
	t.Cleanup(func() { time.Local = local })
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// Two visits at 22:32 in Đắk Lắk yesterday, 15:32 UTC.
	cfg := config.Default()
	vn := cfg.Location()
	y := time.Now().In(vn).AddDate(0, 0, -1)
	at := time.Date(y.Year(), y.Month(), y.Day(), 22, 32, 0, 0, vn)
	rows := []store.UsageRow{{Minute: at.Unix() / 60, Session: 1, Type: usage.SessionStarted}, {Minute: at.Unix() / 60, Session: 2, Type: usage.SessionStarted}}
	if err := store.WriteUsage(context.Background(), st.DB, rows, "", 0); err != nil {
		t.Fatal(err)
	}
	totals, err := hubUsage(cfg, st)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	day := at.Format(time.DateOnly)
	want := []store.UsageTotal{{Day: day, Metric: "sessions", Count: 2}}
	if !slices.Equal(totals, want) {
		t.Errorf("hub totals %+v, want %+v: 2 visits on %s (the hour 22, below the threshold of %d, stays on the kiosk)",
			totals, want, day, cfg.Usage.ExportThreshold)
	}
	cfg.Usage.ExportThreshold = 1
	totals, _ = hubUsage(cfg, st)(context.Background())
	if !slices.Contains(totals, store.UsageTotal{Day: day, Metric: "sessions_by_hour", Key: "22", Count: 2}) {
		t.Errorf("hub totals %+v: no 2 visits at 22:00 on %s", totals, day)
	}
}
