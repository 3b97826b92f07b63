package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tramso/kiosk/store"
)

// doctorReport runs every check and returns the faults and the report.
func doctorReport(d *doctor) (int, string) {
	var out bytes.Buffer
	faults := d.report(&out, d.run())
	return faults, out.String()
}

// TestDoctorConfigFaultSkipsTheHub: with a slip in the config, doctor judged
// the hub on defaults and said "the config names no hub" of a config that
// names it (outside QA, s20). It now says the hub checks were skipped.
func TestDoctorConfigFaultSkipsTheHub(t *testing.T) {
	d := healthyDoctor(t)
	cfg, err := os.ReadFile(d.configPath)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(d.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	err = store.SaveCredentials(t.Context(), st.DB, store.DeviceCredentials{DeviceID: "d1", Token: "d1.x", HubURL: "ws://127.0.0.1:1/ws", ProvinceKeys: []string{testKey}})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	writeDoctorConfig(t, d.configPath, string(cfg)+"idle:\n  warning_seconds: 5\n")
	faults, out := doctorReport(d)
	if faults != 1 || !strings.Contains(out, "idle.warning_seconds") ||
		!strings.Contains(out, "the hub, province key and speech checks were skipped") {
		t.Fatalf("%d faults, want the config's only and the hub checks said skipped:\n%s", faults, out)
	}
	for _, wrong := range []string{"names no hub", "no hub configured", "pinned", "speech   "} {
		if strings.Contains(out, wrong) {
			t.Errorf("judged on defaults (%q):\n%s", wrong, out)
		}
	}
}

// TestDoctorMissingConfigSaysWhereItBelongs: a missing file is not "a field
// named above"; the fix names the file and where the package puts it.
func TestDoctorMissingConfigSaysWhereItBelongs(t *testing.T) {
	d := healthyDoctor(t)
	d.configPath = filepath.Join(t.TempDir(), "confg.yaml")
	_, out := doctorReport(d)
	if !strings.Contains(out, "cp /usr/share/doc/tramso/config.example.yaml "+d.configPath) ||
		!strings.Contains(out, "installs the config at /etc/tramso/config.yaml") || strings.Contains(out, "field named above") {
		t.Fatalf("missing config: fix does not name the file and the installed path:\n%s", out)
	}
}

// TestDoctorNamesRootsFilesInside: `sudo tramso serve` left root's folders
// and files in the kiosk's data directory; doctor only looked at the
// directory itself and said ok (outside QA, s20).
func TestDoctorNamesRootsFilesInside(t *testing.T) {
	d := healthyDoctor(t)
	chownTest(t, d.dataDir, nobodyUID, nobodyGID)
	for _, dir := range []string{"content", "content/blobs", "inbox"} {
		if err := os.Mkdir(filepath.Join(d.dataDir, dir), 0o750); err != nil {
			t.Fatal(err)
		}
	}
	chownTest(t, filepath.Join(d.dataDir, "content"), nobodyUID, nobodyGID)
	writeDoctorConfig(t, filepath.Join(d.dataDir, "tramso.reserve"), "")
	faults, out := doctorReport(d)
	if faults != 1 || !strings.Contains(out, "sudo chown -R nobody:nogroup "+d.dataDir) || strings.Contains(out, "content (root)") {
		t.Fatalf("%d faults, want one with the chown:\n%s", faults, out)
	}
	for _, name := range []string{"inbox (root)", "tramso.reserve (root)", "content/blobs (root)"} {
		if !strings.Contains(out, name) {
			t.Errorf("%s not named:\n%s", name, out)
		}
	}
}

// TestDoctorWithoutSudoSaysSudo: run as a technician's own user, doctor
// cannot look at root's config or write in the data directory; the fix is
// sudo, not a chmod, an edit or an enrollment (outside QA, s20).
func TestDoctorWithoutSudoSaysSudo(t *testing.T) {
	dir := nobodyDir(t)
	data, cfg := filepath.Join(dir, "data"), filepath.Join(dir, "config.yaml")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	writeDoctorConfig(t, cfg, "commune:\n  name: Ea Kao\n")
	if err := os.Chmod(cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	_, out := tramsoAsNobody(t, "", "doctor", "--data", data, "--config", cfg, "--timeout", "1s")
	for _, check := range []string{"data", "config"} {
		if !strings.Contains(out, "FAULT  "+check) {
			t.Errorf("no %s fault:\n%s", check, out)
		}
	}
	if n := strings.Count(out, "fix: run doctor as root, with the same options: sudo tramso doctor"); n != 2 {
		t.Errorf("%d fixes say sudo, want the data's and the config's:\n%s", n, out)
	}
	for _, wrong := range []string{"chmod u+rwx", "field named above", "tramso enroll"} {
		if strings.Contains(out, wrong) {
			t.Errorf("a fix a person without sudo cannot use (%q):\n%s", wrong, out)
		}
	}
}

// TestDoctorConfigTheKioskCannotRead: doctor runs as root and reads any
// config; it must judge by the kiosk's user, as it does for the data.
func TestDoctorConfigTheKioskCannotRead(t *testing.T) {
	d := healthyDoctor(t)
	d.kioskUser = &account{name: "tramso", uid: nobodyUID, gids: []int{nobodyGID}}
	chownTest(t, d.dataDir, nobodyUID, nobodyGID)
	_, out := doctorReport(d)
	if !strings.Contains(out, "cannot read it") || !strings.Contains(out, "sudo chgrp tramso "+d.configPath+" && sudo chmod 0640 "+d.configPath) {
		t.Fatalf("root:root 0640 config: the kiosk's user cannot read it, doctor did not say so:\n%s", out)
	}
	chownTest(t, d.configPath, 0, nobodyGID)
	if _, out := doctorReport(d); strings.Contains(out, "cannot read it") {
		t.Fatalf("root:<kiosk group> 0640 is what the package installs:\n%s", out)
	}
}
