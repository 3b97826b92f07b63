package cli

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"tramso/kiosk/store"
	"tramso/kiosk/testdisk"
)

const testKey = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="

// healthyDoctor returns a doctor for a kiosk with nothing wrong: a display, a
// WebKit library, a writable data directory, a valid config and a hub on
// 127.0.0.1 that answers. Each test case then breaks one thing.
func healthyDoctor(t *testing.T) *doctor {
	t.Helper()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o750); err != nil {
		t.Fatal(err)
	}
	lib := filepath.Join(dir, "lib", "libwebkit2gtk-4.1.so.0")
	os.MkdirAll(filepath.Dir(lib), 0o755)
	os.WriteFile(lib, nil, 0o644)
	gst := filepath.Join(dir, "lib", "gstreamer-1.0")
	os.MkdirAll(gst, 0o755)
	for name := range soundPlugins {
		os.WriteFile(filepath.Join(gst, "libgst"+name+".so"), nil, 0o644)
	}
	enrollDoctorKiosk(t, data)
	hub := httptest.NewServer(http.HandlerFunc(healthHandler))
	t.Cleanup(hub.Close)
	cfg := filepath.Join(dir, "config.yaml")
	writeDoctorConfig(t, cfg, "hub:\n  url: "+strings.Replace(hub.URL, "http://", "ws://", 1)+"/ws\n  province_keys: [\""+testKey+"\"]\n")
	env := map[string]string{"WAYLAND_DISPLAY": "wayland-0"}
	return &doctor{
		dataDir:        data,
		configPath:     cfg,
		configExplicit: true,
		getenv:         func(k string) string { return env[k] },
		now:            time.Now,
		minFree:        1 << 20,
		webkitGlobs:    []string{filepath.Join(dir, "lib", "libwebkit2gtk-4.1.so.*")},
		gstDirs:        []string{gst},
		unitPath:       filepath.Join(dir, "no-unit"),
		driGlob:        filepath.Join(dir, "no-dri*"),
		client:         &http.Client{Timeout: 10 * time.Second},
		assets:         screensFS(map[string]string{"en": allLines, "rad": allLines, "mng": allLines}),
		lang:           langEn,
		missed:         missedVietnamese(t),
	}
}

// allLines and someLines are a language's shell catalogue in screensFS:
// every screen line of its Vietnamese one translated, or one of two.
const (
	allLines  = `{"lang": {"self": "L"}, "home": {"learn": "L", "ask": "L"}}`
	someLines = `{"lang": {"self": "L"}, "home": {"learn": "L"}}`
)

// screensFS stands for the screens a binary embeds: index.html and the
// shell catalogues, Vietnamese and each language's of langs.
func screensFS(langs map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"index.html":         {Data: []byte("<html></html>")},
		"i18n/vi/shell.json": {Data: []byte(`{"lang": {"self": "Tiếng Việt"}, "home": {"learn": "Học", "ask": "Hỏi"}}`)},
	}
	for code, catalogue := range langs {
		fsys["i18n/"+code+"/shell.json"] = &fstest.MapFile{Data: []byte(catalogue)}
	}
	return fsys
}

// healthHandler answers like a hub's health endpoint, and like its poll
// endpoint for the kiosk enrollDoctorKiosk enrolled.
func healthHandler(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/api/device/target" && r.Header.Get("Authorization") == "Bearer "+doctorToken:
		w.Write([]byte(`{"generation":0}`))
	case r.URL.Path == "/api/device/target":
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":"unknown device or wrong token"}`))
	case r.URL.Path == "/api/health":
		w.Write([]byte(`{"status":"ok"}`))
	default:
		http.NotFound(w, r)
	}
}

func writeDoctorConfig(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o640); err != nil {
		t.Fatal(err)
	}
}

// closedPort returns a 127.0.0.1 port with nothing listening on it.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestDoctorHealthyKioskHasNoFaults(t *testing.T) {
	d := healthyDoctor(t)
	var out bytes.Buffer
	if faults := d.report(&out, d.run()); faults != 0 {
		t.Fatalf("healthy kiosk: %d faults\n%s", faults, out.String())
	}
	for _, want := range []string{"Wayland display wayland-0", "WebKitGTK 4.1 found", "is valid", "speaks vi with voice vi", "speaks en with voice en", "1 province key(s) pinned", "answers", "agrees with the hub"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

// seededFault breaks one thing of a healthy kiosk, and says what doctor
// should find (in English).
type seededFault struct {
	name  string
	seed  func(t *testing.T, d *doctor)
	check string
	level level
	says  string // part of the finding
	fix   string // part of the fix
}

// seededFaults are the faults TestDoctorReportsEachSeededFault seeds, one at
// a time, and TestDoctorSaysEachSeededFaultInVietnamese again in Vietnamese.
var seededFaults = []seededFault{
	{"missing display", func(t *testing.T, d *doctor) {
		d.getenv = func(string) string { return "" }
	}, "display", levelFault, "neither WAYLAND_DISPLAY nor DISPLAY", "tramso serve"},
	{"installed but no graphics device", func(t *testing.T, d *doctor) {
		d.getenv = func(string) string { return "" }
		d.unitPath = d.configPath // any file that exists stands for the unit
	}, "display", levelFault, "no graphics device", "ls /dev/dri"},
	{"no webkit", func(t *testing.T, d *doctor) {
		d.webkitGlobs = []string{filepath.Join(t.TempDir(), "*.so.0")}
	}, "webkit", levelFault, "not installed", "apt-get install libwebkit2gtk-4.1-0"},
	{"no sound plugins", func(t *testing.T, d *doctor) {
		os.Remove(filepath.Join(d.gstDirs[0], "libgstwavparse.so"))
		os.Remove(filepath.Join(d.gstDirs[0], "libgstalsa.so"))
	}, "sound", levelWarn, "GStreamer lacks alsa, wavparse", "apt-get install gstreamer1.0-alsa gstreamer1.0-plugins-good"},
	{"data dir missing", func(t *testing.T, d *doctor) {
		d.dataDir = filepath.Join(t.TempDir(), "gone")
	}, "data", levelFault, "does not exist", "mkdir -p"},
	{"data dir is a file", func(t *testing.T, d *doctor) {
		d.dataDir = d.configPath
	}, "data", levelFault, "is not a directory", "--data"},
	{"data dir not writable by the kiosk", func(t *testing.T, d *doctor) {
		os.Chmod(d.dataDir, 0o555)
		t.Cleanup(func() { os.Chmod(d.dataDir, 0o750) })
		// The service user: not the owner, in no group of the directory.
		d.kioskUser = &account{name: "tramso", uid: 65534, gids: []int{65534}}
	}, "data", levelFault, "is not writable by the kiosk's user tramso", "chown -R tramso:tramso"},
	{"data dir on a disk the kernel made read-only", func(t *testing.T, d *doctor) {
		d.dataDir = testdisk.Mount(t, "8m")
		testdisk.RemountReadOnly(t, d.dataDir)
	}, "data", levelFault, "read-only file system", "check the file system (fsck)"},
	{"database left by root", func(t *testing.T, d *doctor) {
		os.Chmod(d.dataDir, 0o777)
		os.WriteFile(filepath.Join(d.dataDir, "tramso.db"), nil, 0o600)
		d.kioskUser = &account{name: "tramso", uid: 65534, gids: []int{65534}}
	}, "data", levelFault, "files the kiosk cannot use", "chown -R tramso:tramso"},
	{"damaged database", func(t *testing.T, d *doctor) {
		os.WriteFile(filepath.Join(d.dataDir, "tramso.db"), []byte(strings.Repeat("not a database ", 400)), 0o600)
	}, "database", levelFault, "the database is damaged", "sets the damaged file aside"},
	{"database a newer release migrated", func(t *testing.T, d *doctor) {
		st, err := store.Open(d.dataDir)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		st.DB.Exec(`INSERT INTO schema_migrations(name, applied_at) VALUES ('9999_next', '2027-01-01T00:00:00Z')`)
	}, "database", levelWarn, "a newer Trạm Số has used this database (migrations this release does not know: 9999_next)", "install that newer release again"},
	{"a database set aside before", func(t *testing.T, d *doctor) {
		os.WriteFile(filepath.Join(d.dataDir, "tramso.db.damaged-20261206-101010"), []byte("x"), 0o600)
	}, "database", levelWarn, "tramso.db.damaged-20261206-101010", "otherwise remove them"},
	{"low disk", func(t *testing.T, d *doctor) {
		d.minFree = 1 << 62
	}, "disk", levelWarn, "free on the disk", "apt-get clean"},
	{"bad config", func(t *testing.T, d *doctor) {
		writeDoctorConfig(t, d.configPath, "idle:\n  warning_seconds: 5\n")
	}, "config", levelFault, "idle.warning_seconds", "edit " + "CONFIG"},
	{"config missing when named", func(t *testing.T, d *doctor) {
		d.configPath = filepath.Join(t.TempDir(), "none.yaml")
	}, "config", levelFault, "no such file", "the tramso package installs the config at /etc/tramso/config.yaml"},
	{"unreachable hub", func(t *testing.T, d *doctor) {
		writeDoctorConfig(t, d.configPath, "hub:\n  url: ws://"+closedPort(t)+"/ws\n  province_keys: [\""+testKey+"\"]\n")
	}, "hub", levelFault, "connection refused", "check the network"},
	{"hub answers an error", func(t *testing.T, d *doctor) {
		srv := httptest.NewServer(http.NotFoundHandler())
		t.Cleanup(srv.Close)
		writeDoctorConfig(t, d.configPath, "hub:\n  url: "+strings.Replace(srv.URL, "http", "ws", 1)+"/ws\n  province_keys: [\""+testKey+"\"]\n")
	}, "hub", levelFault, "404", "hub.url"},
	{"hub certificate from a CA not trusted", func(t *testing.T, d *doctor) {
		url, _ := tlsHealthHub(t)
		writeDoctorConfig(t, d.configPath, "hub:\n  url: "+url+"\n  province_keys: [\""+testKey+"\"]\n")
	}, "hub", levelFault, "x509: unknown authority", "set hub.ca_file: /etc/tramso/hub-ca.pem in CONFIG"},
	{"hub.ca_file of another CA", func(t *testing.T, d *doctor) {
		url, _ := tlsHealthHub(t)
		writeDoctorConfig(t, d.configPath, "hub:\n  url: "+url+"\n  province_keys: [\""+testKey+"\"]\n  ca_file: "+otherCAFile(t)+"\n")
	}, "hub", levelFault, "unknown authority", "signed neither by the CA in"},
	{"missing key", func(t *testing.T, d *doctor) {
		cfg, _ := os.ReadFile(d.configPath)
		writeDoctorConfig(t, d.configPath, strings.Replace(string(cfg), "\""+testKey+"\"", "", 1))
	}, "key", levelFault, "no province key is pinned", "tramso enroll"},
	{"not enrolled", func(t *testing.T, d *doctor) {
		d.dataDir = t.TempDir() // no database, no enrollment
		writeDoctorConfig(t, d.configPath, "commune: {name: Ea Kao}\n")
	}, "hub", levelWarn, "no hub configured", "tramso enroll --hub"},
	{"USB-only kiosk with no key", func(t *testing.T, d *doctor) {
		writeDoctorConfig(t, d.configPath, "commune: {name: Ea Kao}\n")
	}, "key", levelWarn, "refuses every pack, from USB too", "sudo tramso pin-key --key-id ID province.pub"},
	{"speech engine missing", func(t *testing.T, d *doctor) {
		cfg, _ := os.ReadFile(d.configPath)
		writeDoctorConfig(t, d.configPath, string(cfg)+"speech:\n  engine: /nonexistent/espeak-ng\n")
	}, "speech", levelWarn, "\"/nonexistent/espeak-ng\" is not installed", "apt-get install espeak-ng"},
	{"speech voice the engine lacks", func(t *testing.T, d *doctor) {
		cfg, _ := os.ReadFile(d.configPath)
		writeDoctorConfig(t, d.configPath, string(cfg)+"speech:\n  voices: {vi: vi, en: zzqq}\n")
	}, "speech", levelWarn, "the voice zzqq for en is not installed", "espeak-ng --voices=en"},
	{"speech voice misspelt", func(t *testing.T, d *doctor) {
		cfg, _ := os.ReadFile(d.configPath)
		writeDoctorConfig(t, d.configPath, string(cfg)+"speech:\n  voices: {vi: vi-vn-x-centrl, en: en}\n")
	}, "speech", levelWarn, "the voice vi-vn-x-centrl for vi is not installed", "espeak-ng --voices=vi"},
	{"speech off", func(t *testing.T, d *doctor) {
		cfg, _ := os.ReadFile(d.configPath)
		writeDoctorConfig(t, d.configPath, string(cfg)+"speech:\n  engine: \"off\"\n")
	}, "speech", levelWarn, "voice is off", "speech.engine: espeak-ng"},
	{"clock in the past", func(t *testing.T, d *doctor) {
		d.now = func() time.Time { return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) }
	}, "clock", levelFault, "cannot be right", "timedatectl set-ntp true"},
	{"clock off the hub's", func(t *testing.T, d *doctor) {
		d.now = func() time.Time { return time.Now().Add(-3 * time.Hour) }
	}, "clock", levelFault, "off the hub's", "timedatectl"},
}

// TestDoctorReportsEachSeededFault breaks one thing at a time and wants the
// check named, the problem said and a fix given.
func TestDoctorReportsEachSeededFault(t *testing.T) {
	for _, c := range seededFaults {
		t.Run(c.name, func(t *testing.T) {
			d := healthyDoctor(t)
			c.seed(t, d)
			findings := d.run()
			var got *finding
			for i := range findings {
				if findings[i].check == c.check && findings[i].level == c.level && strings.Contains(findings[i].say.String(), c.says) {
					got = &findings[i]
				}
			}
			var out bytes.Buffer
			faults := d.report(&out, findings)
			if got == nil {
				t.Fatalf("no %s %s finding saying %q:\n%s", c.level, c.check, c.says, out.String())
			}
			fix := strings.Replace(c.fix, "CONFIG", d.configPath, 1)
			if !strings.Contains(got.fix.String(), fix) || !strings.Contains(out.String(), "fix: "+got.fix.String()) {
				t.Errorf("fix %q does not say %q, or is not printed:\n%s", got.fix.String(), fix, out.String())
			}
			if wantFaults := c.level == levelFault; (faults > 0) != wantFaults {
				t.Errorf("faults = %d for a %s:\n%s", faults, c.level, out.String())
			}
		})
	}
}

func TestDoctorCommandExitsNonZeroOnFaults(t *testing.T) {
	var out, errOut bytes.Buffer
	code := Main([]string{"doctor", "--lang", "en", "--data", filepath.Join(t.TempDir(), "missing"), "--config", filepath.Join(t.TempDir(), "none.yaml"), "--timeout", "2s"},
		Env{Stdout: &out, Stderr: &errOut})
	if code != 1 || !strings.Contains(out.String(), "FAULT") || !strings.Contains(errOut.String(), "fault(s)") {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
}

// A hub behind a reverse proxy under a path prefix is pinged there, at the
// same base the update client uses (hubproto.HTTPBase), not at the host's root.
func TestDoctorPingsAHubBehindAPrefix(t *testing.T) {
	hub := httptest.NewServer(http.StripPrefix("/tramso", http.HandlerFunc(healthHandler)))
	defer hub.Close()
	d := healthyDoctor(t)
	f := d.pingHub(strings.Replace(hub.URL, "http://", "ws://", 1)+"/tramso/ws", "")
	if f.level != levelOK || !strings.Contains(f.say.String(), hub.URL+"/tramso/api/health answers") {
		t.Fatalf("finding %+v", f)
	}
}

// TestDoctorNamesAnEnrollmentTheConfigDropped: the config alone says
// whether the kiosk connects. With no hub in it, an enrollment the database
// still holds is not used (a copied data directory took turns on the hub
// with the original: outside QA F12), and doctor names it as a warning with
// how to connect again; nothing is pinged.
func TestDoctorNamesAnEnrollmentTheConfigDropped(t *testing.T) {
	d := healthyDoctor(t)
	cfg, err := os.ReadFile(d.configPath)
	if err != nil {
		t.Fatal(err)
	}
	hubURL := strings.TrimSpace(strings.TrimPrefix(strings.Split(string(cfg), "\n")[1], "  url: "))
	st, err := store.Open(d.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	err = store.SaveCredentials(context.Background(), st.DB, store.DeviceCredentials{DeviceID: "d1", Token: "d1.x", HubURL: hubURL, ProvinceKeys: []string{testKey}})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	writeDoctorConfig(t, d.configPath, "commune: {name: Ea Kao}\nhub:\n  url: \"\"\n  province_keys: [\""+testKey+"\"]\n")
	var out bytes.Buffer
	faults := d.report(&out, d.run())
	if faults != 0 || !strings.Contains(out.String(), "holds an enrollment with "+hubURL+" (device d1), but the config names no hub") ||
		!strings.Contains(out.String(), "set hub.url: "+hubURL) || strings.Contains(out.String(), "answers") {
		t.Fatalf("enrolled kiosk, no hub in the config: %d faults\n%s", faults, out.String())
	}
	writeDoctorConfig(t, d.configPath, "commune: {name: Ea Kao}\nhub:\n  url: "+hubURL+"\n  province_keys: [\""+testKey+"\"]\n")
	out.Reset()
	if faults := d.report(&out, d.run()); faults != 0 || strings.Contains(out.String(), "holds an enrollment") || !strings.Contains(out.String(), "answers") {
		t.Fatalf("enrolled kiosk with hub.url: %d faults\n%s", faults, out.String())
	}
}
