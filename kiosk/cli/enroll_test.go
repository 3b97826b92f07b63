package cli

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tramso/kiosk/config"
	"tramso/kiosk/hub"
	"tramso/kiosk/hub/hubtest"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
	"tramso/kiosk/testdisk"
)

// enrollHub is a real province hub on 127.0.0.1 that hands out codes.
type enrollHub struct {
	*hubtest.Server
	Key   string // the province key, as config writes it
	KeyID string // its id, as the province gives it out of band
}

func startEnrollHub(t *testing.T) *enrollHub { return serveEnrollHub(t, false) }

// startTLSEnrollHub serves the hub over HTTPS with httptest's certificate,
// which no system trusts: it stands for a province's own CA.
func startTLSEnrollHub(t *testing.T) *enrollHub { return serveEnrollHub(t, true) }

func serveEnrollHub(t *testing.T, overTLS bool, more ...ed25519.PublicKey) *enrollHub {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	srv := hubtest.Start(t, hubtest.Options{TLS: overTLS, Hub: hub.Options{ProvinceKeys: append([]ed25519.PublicKey{pub}, more...)}})
	return &enrollHub{Server: srv, Key: base64.StdEncoding.EncodeToString(pub), KeyID: pack.KeyID(pub)}
}

func (h *enrollHub) code(t *testing.T) string {
	t.Helper()
	code, err := h.CreateCode(context.Background(), "Ea Kao", "test")
	if err != nil {
		t.Fatal(err)
	}
	return code
}

const commentedConfig = `# Kiosk of Ea Kao — keep this comment
commune:
  name: "Xã Ea Kao"   # shown on the home screen
hub:
  url: ""
  province_keys: []
idle:
  quiet_seconds: 120
`

func storedDevice(t *testing.T, data string) store.DeviceCredentials {
	t.Helper()
	db, err := store.OpenDB(filepath.Join(data, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, ok, err := store.LoadCredentials(context.Background(), db)
	if err != nil || !ok {
		t.Fatalf("no stored credentials: %v", err)
	}
	return c
}

func TestEnrollStoresCredentialsAndPinsTheHub(t *testing.T) {
	h := startEnrollHub(t)
	dir := t.TempDir()
	cfgPath, data := filepath.Join(dir, "config.yaml"), filepath.Join(dir, "data")
	writeDoctorConfig(t, cfgPath, commentedConfig)

	code, out, errOut := runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", h.code(t), "--key-id", h.KeyID, "--name", "Ea Kao 1", "--data", data, "--config", cfgPath)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	for _, want := range []string{"Enrolled this kiosk", "Ea Kao 1", "1 pinned", cfgPath, "tramso doctor"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	raw, _ := os.ReadFile(cfgPath)
	for _, keep := range []string{"# Kiosk of Ea Kao — keep this comment", "# shown on the home screen", "quiet_seconds: 120"} {
		if !strings.Contains(string(raw), keep) {
			t.Errorf("config lost %q:\n%s", keep, raw)
		}
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatalf("written config does not load: %v\n%s", err, raw)
	}
	dev := storedDevice(t, data)
	if cfg.Hub.URL != dev.HubURL || len(cfg.Hub.ProvinceKeys) != 1 || cfg.Hub.ProvinceKeys[0] != h.Key || cfg.Commune.Name != "Xã Ea Kao" {
		t.Errorf("config hub = %+v, stored %+v", cfg.Hub, dev)
	}
	if st, _ := os.Stat(cfgPath); st.Mode().Perm() != 0o640 {
		t.Errorf("config mode %v, want the file's own 0640", st.Mode().Perm())
	}

	// The same command again: the code is spent; nothing breaks, nothing doubles.
	code, out, errOut = runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", "SPENT-CODE", "--key-id", h.KeyID, "--data", data, "--config", cfgPath)
	if code != 0 || !strings.Contains(out, "already enrolled") {
		t.Fatalf("re-run: exit %d: %s%s", code, out, errOut)
	}
	again, _ := os.ReadFile(cfgPath)
	if !bytes.Equal(raw, again) {
		t.Errorf("re-running changed the config:\n%s\n---\n%s", raw, again)
	}
	if storedDevice(t, data).DeviceID != dev.DeviceID {
		t.Error("re-running with a spent code changed the device")
	}

	// A new code enrolls afresh: new device, the key still listed once.
	code, out, errOut = runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", h.code(t), "--key-id", h.KeyID, "--data", data, "--config", cfgPath)
	if code != 0 {
		t.Fatalf("new code: exit %d: %s%s", code, out, errOut)
	}
	if storedDevice(t, data).DeviceID == dev.DeviceID {
		t.Error("a new code should give a new device")
	}
	if cfg, _ := config.Load(cfgPath); len(cfg.Hub.ProvinceKeys) != 1 {
		t.Errorf("keys = %v, want the one key once", cfg.Hub.ProvinceKeys)
	}
}

// TestEnrollCreatesAMissingConfig: a --config that does not exist is a typo
// until --create-config says otherwise (outside QA Q14: enroll wrote the
// enrollment into etc/confg.yaml and the kiosk went on without it). The
// refusal spends no code: the same code then enrolls.
func TestEnrollCreatesAMissingConfig(t *testing.T) {
	h := startEnrollHub(t)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "etc", "config.yaml")
	args := []string{"enroll", "--create-data", "--hub", h.URL, "--code", h.code(t), "--key-id", h.KeyID, "--data", filepath.Join(dir, "data"), "--config", cfgPath}
	code, out, errOut := runCLI(t, args...)
	if code != 1 || !strings.Contains(errOut, "does not exist") || !strings.Contains(errOut, "--create-config") {
		t.Fatalf("a missing --config: exit %d, want 1 naming --create-config: %s%s", code, out, errOut)
	}
	if _, err := os.Stat(cfgPath); !os.IsNotExist(err) {
		t.Fatalf("the refused enrollment wrote %s: %v", cfgPath, err)
	}
	code, out, errOut = runCLI(t, append(args, "--create-config")...)
	if code != 0 || !strings.Contains(out, cfgPath+" (a new file)") || strings.Contains(out, "comments kept") {
		t.Fatalf("exit %d, want the config named a new file: %s%s", code, out, errOut)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil || cfg.Hub.URL == "" || len(cfg.Hub.ProvinceKeys) != 1 {
		t.Fatalf("config = %+v, %v", cfg.Hub, err)
	}
}

func TestEnrollRefusals(t *testing.T) {
	h := startEnrollHub(t)
	cases := []struct {
		name   string
		config string
		args   func(data, cfg string) []string
		exit   int
		says   string
	}{
		{"no code", commentedConfig, func(data, cfg string) []string {
			return []string{"enroll", "--create-data", "--hub", h.URL, "--data", data, "--config", cfg}
		}, 2, "needs --hub URL and --code CODE"},
		{"plain http to the internet", commentedConfig, func(data, cfg string) []string {
			return []string{"enroll", "--create-data", "--hub", "http://hub.example.vn", "--code", "X", "--key-id", h.KeyID, "--data", data, "--config", cfg}
		}, 2, "use wss"},
		{"unknown code", commentedConfig, func(data, cfg string) []string {
			return []string{"enroll", "--create-data", "--hub", h.URL, "--code", "NOPE-NOPE", "--key-id", h.KeyID, "--data", data, "--config", cfg}
		}, 1, "Check the code as the console showed it"},
		{"hub down", commentedConfig, func(data, cfg string) []string {
			return []string{"enroll", "--create-data", "--hub", "http://" + closedPort(t), "--code", "X", "--key-id", h.KeyID, "--data", data, "--config", cfg}
		}, 1, "the code is still good"},
		{"broken config", "idle:\n  warning_seconds: 3\n", func(data, cfg string) []string {
			return []string{"enroll", "--create-data", "--hub", h.URL, "--code", "X", "--key-id", h.KeyID, "--data", data, "--config", cfg}
		}, 1, "idle.warning_seconds"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := filepath.Join(dir, "config.yaml")
			writeDoctorConfig(t, cfg, c.config)
			code, out, errOut := runCLI(t, c.args(filepath.Join(dir, "data"), cfg)...)
			if code != c.exit || !strings.Contains(errOut, c.says) {
				t.Fatalf("exit %d (want %d), stderr lacks %q:\n%s%s", code, c.exit, c.says, out, errOut)
			}
			if raw, _ := os.ReadFile(cfg); string(raw) != c.config {
				t.Errorf("a refused enrollment changed the config:\n%s", raw)
			}
		})
	}
}

// TestEnrollWhileTheKioskRuns: the running kiosk holds the data directory's
// lock; enrollment still stores the credentials and asks for a restart.
func TestEnrollWhileTheKioskRuns(t *testing.T) {
	h := startEnrollHub(t)
	dir := t.TempDir()
	data, cfgPath := filepath.Join(dir, "data"), filepath.Join(dir, "config.yaml")
	running, err := store.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer running.Close()
	code, out, errOut := runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", h.code(t), "--key-id", h.KeyID, "--data", data, "--config", cfgPath, "--create-config")
	if code != 0 || !strings.Contains(out, "systemctl restart tramso-kiosk") {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	if _, ok, err := store.LoadCredentials(context.Background(), running.DB); !ok || err != nil {
		t.Fatalf("the running kiosk's database has no credentials: %v", err)
	}
}

// TestPinHubKeepsTheRestOfTheFile edits configs of every shape the way
// enroll does and wants valid YAML with the rest untouched.
func TestPinHubKeepsTheRestOfTheFile(t *testing.T) {
	const other = "bm90LWEtcmVhbC1rZXktYnV0LTMyLWJ5dGVzLWxvbmc="
	cases := []struct {
		name, in string
		keep     []string
		keys     int
	}{
		{"empty file", "", nil, 1},
		{"only comments", "# nothing yet\n", []string{"# nothing yet"}, 1},
		{"hub is null", "hub:\nidle:\n  quiet_seconds: 60\n", []string{"quiet_seconds: 60"}, 1},
		{"block list with another key", "hub:\n  url: \"wss://old.example/ws\"\n  province_keys:\n    - \"" + testKey + "\"\n", []string{testKey}, 2},
		{"same key already there", "hub:\n  province_keys: [\"" + other + "\"]\n", nil, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			writeDoctorConfig(t, path, c.in)
			doc, err := readConfigDoc(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := pinHub(doc, path, []string{"wss://hub.daklak.example/ws"}, []string{other}, false); err != nil {
				t.Fatal(err)
			}
			raw, _ := os.ReadFile(path)
			cfg, err := config.Load(path)
			if err != nil {
				t.Fatalf("%v\n%s", err, raw)
			}
			if cfg.Hub.URL != "wss://hub.daklak.example/ws" || len(cfg.Hub.ProvinceKeys) != c.keys {
				t.Errorf("hub = %+v\n%s", cfg.Hub, raw)
			}
			for _, k := range c.keep {
				if !strings.Contains(string(raw), k) {
					t.Errorf("lost %q:\n%s", k, raw)
				}
			}
		})
	}
}

// TestEnrollOnAFullDiskKeepsTheCode: on a disk that cannot take the
// credentials, enroll stops before the hub sees the code, says the disk is
// full, and the same command works once there is room (outside QA: the code
// was spent and nothing saved).
func TestEnrollOnAFullDiskKeepsTheCode(t *testing.T) {
	h := startEnrollHub(t)
	disk := testdisk.Mount(t, "48m")
	data := filepath.Join(disk, "data")
	running, err := store.Open(data) // a kiosk running there: its -shm exists
	if err != nil {
		t.Fatal(err)
	}
	defer running.Close()
	testdisk.Fill(t, disk)
	cfgPath := filepath.Join(t.TempDir(), "config.yaml")
	writeDoctorConfig(t, cfgPath, commentedConfig)
	args := []string{"enroll", "--create-data", "--hub", h.URL, "--code", h.code(t), "--key-id", h.KeyID, "--data", data, "--config", cfgPath}

	code, out, errOut := runCLI(t, args...)
	if code == 0 || !strings.Contains(errOut, "disk is full") || !strings.Contains(errOut, "the code is still good") {
		t.Fatalf("enroll on a full disk: exit %d: %s%s", code, out, errOut)
	}
	fillers, _ := filepath.Glob(filepath.Join(disk, "filler*"))
	for _, f := range fillers {
		os.Remove(f)
	}
	if code, out, errOut := runCLI(t, args...); code != 0 {
		t.Fatalf("the same command once there is room: exit %d: %s%s", code, out, errOut)
	}
	if c := storedDevice(t, data); c.DeviceID == "" {
		t.Fatal("no device stored")
	}
}

// TestEnrollAgainWritesAnEmptiedHubURL: a kiosk enrolled, then its config
// replaced by one naming no hub (the package's own, keys kept), and enroll
// run again with the spent code. It wrote nothing and said "hub.url:
// unchanged", so the kiosk stayed off the hub (outside QA Q14): the stored
// enrollment's address goes back into the config, and the output says so.
func TestEnrollAgainWritesAnEmptiedHubURL(t *testing.T) {
	h := startEnrollHub(t)
	data, cfgPath := enrolledKiosk(t, h)
	writeDoctorConfig(t, cfgPath, "commune:\n  name: Xã Ea Kao\nhub:\n  url: \"\"\n  province_keys: [\""+h.Key+"\"]\n")
	code, out, errOut := runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", "SPENT-CODE", "--key-id", h.KeyID, "--data", data, "--config", cfgPath)
	if code != 0 || !strings.Contains(out, "already enrolled") || !strings.Contains(out, "set to "+storedDevice(t, data).HubURL) {
		t.Fatalf("re-run: exit %d: %s%s", code, out, errOut)
	}
	if cfg, err := config.Load(cfgPath); err != nil || cfg.Hub.URL != storedDevice(t, data).HubURL {
		t.Fatalf("hub.url after the re-run: %+v, %v", cfg.Hub, err)
	}
}

// TestEnrollRefusesAMissingData: a --data that does not exist is a typo
// until --create-data says otherwise (outside QA R4: the code was spent on
// a folder no kiosk runs on). Nothing is created, the code stays good.
func TestEnrollRefusesAMissingData(t *testing.T) {
	h := startEnrollHub(t)
	dir := t.TempDir()
	cfgPath, typo := filepath.Join(dir, "config.yaml"), filepath.Join(dir, "dta")
	writeDoctorConfig(t, cfgPath, commentedConfig)
	code := h.code(t)
	args := []string{"enroll", "--hub", h.URL, "--code", code, "--key-id", h.KeyID, "--data", typo, "--config", cfgPath}
	exit, out, errOut := runCLI(t, args...)
	if exit != 1 || !strings.Contains(errOut, "does not exist") || !strings.Contains(errOut, "--create-data") {
		t.Fatalf("a missing --data: exit %d, want 1 naming --create-data: %s%s", exit, out, errOut)
	}
	if _, err := os.Stat(typo); !os.IsNotExist(err) {
		t.Fatalf("the refused enrollment made %s: %v", typo, err)
	}
	if exit, out, errOut := runCLI(t, append(args, "--create-data")...); exit != 0 || !strings.Contains(out, "Enrolled this kiosk") {
		t.Fatalf("the same code with --create-data: exit %d: %s%s", exit, out, errOut)
	}
}
