package cli

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tramso/kiosk/content"
	"tramso/kiosk/pack"
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

// TestDoctorYAMLSlipNamesTheLine: a quote left open is a slip in the YAML,
// not a field; "correct the field named above" sent the technician looking
// for a field (outside QA s26).
func TestDoctorYAMLSlipNamesTheLine(t *testing.T) {
	d := healthyDoctor(t)
	cfg, err := os.ReadFile(d.configPath)
	if err != nil {
		t.Fatal(err)
	}
	writeDoctorConfig(t, d.configPath, string(cfg)+"idle:\n  quiet_seconds: \"90\n  warning_seconds: 60\n")
	faults, out := doctorReport(d)
	if faults != 1 || !strings.Contains(out, "at the line named above, or a line before it") || strings.Contains(out, "field named above") {
		t.Fatalf("%d faults; a YAML slip must be sent to its line:\n%s", faults, out)
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
	_, out := tramsoAsNobody(t, "", "doctor", "--lang", "en", "--data", data, "--config", cfg, "--timeout", "1s")
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

// TestDoctorContentSignedByADroppedKey: a key rotation left the kiosk's
// config pinning only the new key, and the current generation was signed by
// the old one alone. The kiosk shows the previous generation; doctor said
// all was well (outside QA, Q12). It now says which generation is shown
// and what the province or the technician must do.
func TestDoctorContentSignedByADroppedKey(t *testing.T) {
	d := healthyDoctor(t)
	oldKey, newKey := doctorKey(t), doctorKey(t)
	applyDoctorPack(t, d.dataDir, 3200, oldKey, newKey)
	applyDoctorPack(t, d.dataDir, 3201, oldKey)
	pin := func(keys ...ed25519.PrivateKey) {
		cfg, err := os.ReadFile(d.configPath)
		if err != nil {
			t.Fatal(err)
		}
		var pins []string
		for _, k := range keys {
			pins = append(pins, `"`+strings.TrimSpace(pack.EncodePublicKey(k.Public().(ed25519.PublicKey)))+`"`)
		}
		before, _, _ := strings.Cut(string(cfg), "  province_keys:")
		writeDoctorConfig(t, d.configPath, before+"  province_keys: ["+strings.Join(pins, ", ")+"]\n")
	}
	pin(oldKey, newKey)
	if faults, out := doctorReport(d); faults != 0 || !strings.Contains(out, "the current content (generation 3201) verifies under the pinned province keys") {
		t.Fatalf("both keys pinned: %d faults:\n%s", faults, out)
	}
	pin(newKey)
	faults, out := doctorReport(d)
	for _, want := range []string{
		"FAULT  content  the current content (generation 3201) is signed by no key this kiosk pins",
		"the kiosk shows generation 3200 (the previous one) instead",
		"tramso hub rollback --key NEW.key --to 3201",
		"sudo tramso pin-key --config " + d.configPath + " --key-id ID province.pub",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	if faults != 1 {
		t.Errorf("%d faults, want the content's:\n%s", faults, out)
	}
}

func doctorKey(t *testing.T) ed25519.PrivateKey {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// applyDoctorPack applies the starter content as generation gen, signed
// by keys, to the kiosk's data directory, as `tramso pack apply` would.
func applyDoctorPack(t *testing.T, data string, gen int64, keys ...ed25519.PrivateKey) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pack.tspack")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = pack.Build(content.Starter(), pack.BuildOptions{Generation: gen, Keys: keys}, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	packs, err := pack.OpenStore(t.Context(), st)
	if err != nil {
		t.Fatal(err)
	}
	var pub []ed25519.PublicKey
	for _, k := range keys {
		pub = append(pub, k.Public().(ed25519.PublicKey))
	}
	if _, err := packs.ApplyFile(t.Context(), path, pub, "usb"); err != nil {
		t.Fatalf("apply %d: %v", gen, err)
	}
}

// TestDoctorNamesOfficesWithoutAnAddress: an office the procedures shown
// name that commune.offices does not define is named, with the procedures
// that send residents there (they read "Máy chưa có địa chỉ nơi nộp"
// instead of where to go); once the config defines them all, doctor says
// so. The content is read from the applied pack, not the starter.
func TestDoctorNamesOfficesWithoutAnAddress(t *testing.T) {
	d := healthyDoctor(t)
	key := doctorKey(t)
	applyDoctorPack(t, d.dataDir, 3300, key)
	cfg, err := os.ReadFile(d.configPath)
	if err != nil {
		t.Fatal(err)
	}
	pinned := strings.Replace(string(cfg), testKey, strings.TrimSpace(pack.EncodePublicKey(key.Public().(ed25519.PublicKey))), 1)
	withOffices := func(offices string) {
		writeDoctorConfig(t, d.configPath, "commune:\n  name: Xã Ea Tu\n"+offices+pinned)
	}
	withOffices("  offices:\n    - {id: pvhcc, name: Trung tâm Phục vụ hành chính công xã Ea Tu}\n")
	faults, out := doctorReport(d)
	for _, want := range []string{`warn   offices  commune.offices has no address for office "police" (for `, "Đăng ký thường trú", "Máy chưa có địa chỉ nơi nộp",
		"add each office to commune.offices in " + d.configPath} {
		if !strings.Contains(out, want) {
			t.Errorf("one office without an address: the report lacks %q:\n%s", want, out)
		}
	}
	if faults != 0 || strings.Contains(out, `"pvhcc"`) {
		t.Errorf("%d faults, or the office defined is named:\n%s", faults, out)
	}
	withOffices("  offices:\n    - {id: pvhcc, name: Trung tâm Phục vụ hành chính công xã Ea Tu}\n    - {id: police, name: Công an xã Ea Tu}\n")
	if _, out := doctorReport(d); !strings.Contains(out, "commune.offices gives an address for each of the 2 office(s) the procedures name") {
		t.Errorf("every office defined:\n%s", out)
	}
}
