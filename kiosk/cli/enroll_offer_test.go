package cli

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"tramso/kiosk/hub"
	"tramso/kiosk/hub/hubtest"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
)

// devicesOn counts the devices the hub holds.
func devicesOn(t *testing.T, h *hub.Hub) int {
	t.Helper()
	devs, err := h.Devices(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return len(devs)
}

// TestEnrollComparesKeysBeforeSpendingTheCode: a key id that does not match,
// a "no" at the terminal and a key the kiosk's config would refuse each stop
// enrollment before the code is sent: the code stays good and the hub holds
// no device, and the same code then enrolls (outside QA Q3: each spent the
// code and left a kiosk on the hub that never came).
func TestEnrollComparesKeysBeforeSpendingTheCode(t *testing.T) {
	h := startEnrollHub(t)
	dir := t.TempDir()
	data, cfgPath := filepath.Join(dir, "data"), filepath.Join(dir, "config.yaml")
	writeDoctorConfig(t, cfgPath, commentedConfig)
	code := h.code(t)
	wrongID := "0123456789abcdef"

	exit, out, errOut := runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", code, "--key-id", wrongID, "--data", data, "--config", cfgPath)
	if exit != 1 || !strings.Contains(errOut, "may not be the province's hub") || !strings.Contains(errOut, "the code is still good") ||
		strings.Contains(errOut, "spent") {
		t.Fatalf("wrong key id: exit %d: %s%s", exit, out, errOut)
	}
	if n := devicesOn(t, h.Hub); n != 0 {
		t.Fatalf("a wrong key id left %d device(s) on the hub", n)
	}

	old := isTerminal
	isTerminal = func(io.Reader) bool { return true }
	var sout, serr strings.Builder
	exit = Main([]string{"enroll", "--create-data", "--hub", h.URL, "--code", code, "--data", data, "--config", cfgPath},
		Env{Stdin: strings.NewReader("khong\n"), Stdout: &sout, Stderr: &serr})
	isTerminal = old
	if exit != 1 || !strings.Contains(sout.String(), "key id "+h.KeyID) || !strings.Contains(serr.String(), "the code is still good") {
		t.Fatalf("\"no\" at the terminal: exit %d: %s%s", exit, sout.String(), serr.String())
	}

	other, _, _ := ed25519.GenerateKey(rand.Reader)
	rotating := filepath.Join(dir, "rotating.yaml")
	writeDoctorConfig(t, rotating, "hub:\n  province_keys: [\""+base64.StdEncoding.EncodeToString(other)+"\"]\n")
	exit, out, errOut = runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", code, "--key-id", h.KeyID, "--data", data, "--config", rotating)
	if exit != 1 || !strings.Contains(errOut, "would be added") || !strings.Contains(errOut, "the code is still good") {
		t.Fatalf("a key the config does not pin: exit %d: %s%s", exit, out, errOut)
	}
	if n := devicesOn(t, h.Hub); n != 0 {
		t.Fatalf("refused enrollments left %d device(s) on the hub", n)
	}

	exit, out, errOut = runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", code, "--key-id", h.KeyID, "--data", data, "--config", cfgPath)
	if exit != 0 || !strings.Contains(out, "Enrolled this kiosk") {
		t.Fatalf("the same code with the right key id: exit %d: %s%s", exit, out, errOut)
	}
	if n := devicesOn(t, h.Hub); n != 1 {
		t.Fatalf("%d device(s) on the hub after one enrollment", n)
	}
}

// TestEnrollWithAHubThatOffersNoKeys: a hub from before GET /api/keys still
// enrolls a kiosk; its keys are compared from the enrollment's answer, as
// before (and a wrong id then costs the code, which enroll says).
func TestEnrollWithAHubThatOffersNoKeys(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	srv := hubtest.Start(t, hubtest.Options{Hub: hub.Options{ProvinceKeys: []ed25519.PublicKey{pub}},
		Wrap: func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == hubproto.Keys {
					http.NotFound(w, r)
					return
				}
				next.ServeHTTP(w, r)
			})
		}})
	h := &enrollHub{Server: srv, Key: base64.StdEncoding.EncodeToString(pub), KeyID: pack.KeyID(pub)}
	dir := t.TempDir()
	data, cfgPath := filepath.Join(dir, "data"), filepath.Join(dir, "config.yaml")
	exit, out, errOut := runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", h.code(t), "--key-id", "0123456789abcdef", "--data", data, "--config", cfgPath, "--create-config")
	if exit != 1 || !strings.Contains(errOut, "may not be the province's hub") || !strings.Contains(errOut, "The code is spent") {
		t.Fatalf("older hub, wrong key id: exit %d: %s%s", exit, out, errOut)
	}
	exit, out, errOut = runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", h.code(t), "--key-id", h.KeyID, "--data", data, "--config", cfgPath, "--create-config")
	if exit != 0 || !strings.Contains(out, "Enrolled this kiosk") {
		t.Fatalf("older hub, right key id: exit %d: %s%s", exit, out, errOut)
	}
}
