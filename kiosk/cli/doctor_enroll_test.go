package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tramso/kiosk/store"
)

// doctorToken is the device token of the kiosk healthyDoctor holds, the one
// healthHandler accepts.
const doctorToken = "d1.x"

// enrollDoctorKiosk stores an enrollment (device d1) in the data directory.
func enrollDoctorKiosk(t *testing.T, data string) {
	t.Helper()
	st, err := store.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := store.SaveCredentials(context.Background(), st.DB, store.DeviceCredentials{DeviceID: "d1", Token: doctorToken,
		HubURL: "ws://127.0.0.1:1/ws", ProvinceKeys: []string{testKey}}); err != nil {
		t.Fatal(err)
	}
}

// TestDoctorAsksTheHubAboutThisKiosk: a hub that answers its health check
// may not know the kiosk any more. Doctor asks with the kiosk's own token,
// against a real hub: enrolled (ok), revoked on the hub (fault), an
// enrollment the hub never made (fault), and a database started afresh
// while hub.url still names the hub (fault) — each with "enroll again with
// a new code" (outside QA Q7: all three said "ok hub … answers").
func TestDoctorAsksTheHubAboutThisKiosk(t *testing.T) {
	h := startEnrollHub(t)
	dir := t.TempDir()
	cfgPath, data := filepath.Join(dir, "config.yaml"), filepath.Join(dir, "data")
	if code, out, errOut := runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", h.code(t), "--key-id", h.KeyID, "--data", data, "--config", cfgPath, "--create-config"); code != 0 {
		t.Fatalf("enroll: exit %d: %s%s", code, out, errOut)
	}
	dev := storedDevice(t, data)
	doctorOn := func(data string) (finding, string) {
		t.Helper()
		d := healthyDoctor(t)
		d.dataDir, d.configPath = data, cfgPath
		findings := d.run()
		var out bytes.Buffer
		d.report(&out, findings)
		for _, f := range findings {
			if f.check == "hub" {
				return f, out.String()
			}
		}
		t.Fatalf("no hub finding:\n%s", out.String())
		return finding{}, ""
	}
	const enrollAgain = "enroll again with a new code from the province: tramso enroll --hub "

	if f, out := doctorOn(data); f.level != levelOK || !strings.Contains(f.say.String(), "knows this kiosk (device "+dev.DeviceID+")") {
		t.Fatalf("enrolled kiosk: %+v\n%s", f, out)
	}

	t.Run("an enrollment the hub never made", func(t *testing.T) {
		other := filepath.Join(t.TempDir(), "data")
		st, err := store.Open(other)
		if err != nil {
			t.Fatal(err)
		}
		forged := dev
		forged.Token = dev.DeviceID + ".not-the-secret"
		err = store.SaveCredentials(context.Background(), st.DB, forged)
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		f, out := doctorOn(other)
		if f.level != levelFault || !strings.Contains(f.say.String(), "does not know this kiosk's enrollment (revoked, or enrolled elsewhere)") ||
			!strings.Contains(f.say.String(), "unknown device or wrong token") || !strings.Contains(f.fix.String(), enrollAgain) {
			t.Fatalf("wrong token: %+v\n%s", f, out)
		}
	})

	t.Run("database started afresh", func(t *testing.T) {
		fresh := filepath.Join(t.TempDir(), "data")
		if err := os.Mkdir(fresh, 0o750); err != nil {
			t.Fatal(err)
		}
		f, out := doctorOn(fresh)
		if f.level != levelFault || !strings.Contains(f.say.String(), "this kiosk is not enrolled") || !strings.Contains(f.fix.String(), enrollAgain) {
			t.Fatalf("no enrollment, hub.url set: %+v\n%s", f, out)
		}
	})

	if err := h.Revoke(context.Background(), dev.DeviceID); err != nil {
		t.Fatal(err)
	}
	f, out := doctorOn(data)
	if f.level != levelFault || !strings.Contains(f.say.String(), "does not know this kiosk's enrollment (revoked, or enrolled elsewhere): device "+dev.DeviceID) ||
		!strings.Contains(f.say.String(), "revoked by the province") || !strings.Contains(f.fix.String(), enrollAgain) {
		t.Fatalf("revoked kiosk: %+v\n%s", f, out)
	}
	if !strings.Contains(out, "FAULT  hub") {
		t.Errorf("report does not show the fault:\n%s", out)
	}
}
