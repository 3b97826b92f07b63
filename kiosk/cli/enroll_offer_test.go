package cli

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
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

// TestEnrollAgainAfterARotation: a kiosk enrolled under the province's old
// key, enrolled again with its spent code once the hub offers only the new
// key (outside QA R5). With the new key pinned it is told it is enrolled and
// what it pins, not that "the hub offers" the keys stored at enrollment; with
// the old id it is told its own hub changed keys and how a kiosk takes a new
// key — neither that the hub may be a stranger's nor that a spent code "is
// still good".
func TestEnrollAgainAfterARotation(t *testing.T) {
	tmp := t.TempDir()
	_, newPub, newID := keyPair(t, filepath.Join(tmp, "new"))
	var rotated atomic.Bool
	offerNew := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if rotated.Load() && r.URL.Path == hubproto.Keys {
				w.Header().Set("Content-Type", "application/json")
				json.NewEncoder(w).Encode(hubproto.KeysAnswer{ProvinceKeys: []string{base64.StdEncoding.EncodeToString(mustPub(t, newPub))}})
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	old, _, _ := ed25519.GenerateKey(rand.Reader)
	srv := hubtest.Start(t, hubtest.Options{Hub: hub.Options{ProvinceKeys: []ed25519.PublicKey{old}}, Wrap: offerNew})
	h := &enrollHub{Server: srv, Key: base64.StdEncoding.EncodeToString(old), KeyID: pack.KeyID(old)}
	data, cfgPath := filepath.Join(tmp, "data"), filepath.Join(tmp, "config.yaml")
	code := h.code(t)
	enrollWith := func(id string) (int, string, string) {
		return runCLI(t, "enroll", "--hub", h.URL, "--code", code, "--key-id", id, "--data", data, "--config", cfgPath)
	}
	if exit, out, errOut := runCLI(t, "enroll", "--create-data", "--create-config", "--hub", h.URL, "--code", code,
		"--key-id", h.KeyID, "--data", data, "--config", cfgPath); exit != 0 {
		t.Fatalf("first enrollment: exit %d: %s%s", exit, out, errOut)
	}
	rotated.Store(true)

	// The technician gives the old id the paper still shows.
	exit, out, errOut := enrollWith(h.KeyID)
	if exit != 1 || !strings.Contains(errOut, "already enrolled") || !strings.Contains(errOut, "now offers key(s) "+newID) ||
		!strings.Contains(errOut, "tramso pin-key") {
		t.Fatalf("old id after the rotation: exit %d: %s%s", exit, out, errOut)
	}
	for _, wrong := range []string{"may not be the province's hub", "still good"} {
		if strings.Contains(errOut, wrong) {
			t.Errorf("old id after the rotation says %q: %s", wrong, errOut)
		}
	}

	// The new id before the config pins it: not added by enrolling again.
	exit, out, errOut = enrollWith(newID)
	if exit != 1 || !strings.Contains(errOut, "already enrolled") || !strings.Contains(errOut, "would be added") ||
		!strings.Contains(errOut, "tramso pin-key") || strings.Contains(errOut, "still good") {
		t.Fatalf("new id, not pinned yet: exit %d: %s%s", exit, out, errOut)
	}

	mustRun(t, "pin-key", "--config", cfgPath, "--key-id", newID, newPub)
	exit, out, errOut = enrollWith(newID)
	if exit != 0 || !strings.Contains(out, "already enrolled") || !strings.Contains(out, "key ids still pinned: "+newID) {
		t.Fatalf("new id, pinned: exit %d: %s%s", exit, out, errOut)
	}
	if got := pinnedKeyIDs(t, cfgPath); !slices.Contains(got, newID) || !slices.Contains(got, h.KeyID) {
		t.Errorf("enrolling again changed the pins to %v", got)
	}
}
