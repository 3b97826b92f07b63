package cli

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/config"
)

// quietServerLog keeps the TLS handshakes tests refuse on purpose out of the output.
var quietServerLog = log.New(io.Discard, "", 0)

// writeCAFile writes cert as the PEM file hub.ca_file names.
func writeCAFile(t *testing.T, cert *x509.Certificate) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hub-ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// otherCAFile is a real CA certificate that signed nothing the tests serve:
// another province's, say.
func otherCAFile(t *testing.T) string {
	t.Helper()
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Another province CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, priv)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return writeCAFile(t, cert)
}

// tlsHealthHub is a hub health endpoint over HTTPS with httptest's
// certificate, which no system trusts; it returns its URL and CA file.
func tlsHealthHub(t *testing.T) (string, string) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(healthHandler))
	srv.Config.ErrorLog = quietServerLog
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return strings.Replace(srv.URL, "https://", "wss://", 1) + "/ws", writeCAFile(t, srv.Certificate())
}

// TestEnrollTrustsTheProvinceCA: a hub whose certificate comes from the
// province's own CA is refused as an unknown authority until enroll is
// given that CA, by hub.ca_file or by --ca (which wins and is pinned).
func TestEnrollTrustsTheProvinceCA(t *testing.T) {
	h := startTLSEnrollHub(t)
	other := otherCAFile(t)
	notPEM := filepath.Join(t.TempDir(), "ca.txt")
	os.WriteFile(notPEM, []byte("ask the province\n"), 0o644)
	cases := []struct {
		name   string
		config string // hub.ca_file in the config; "": no config file at all
		ca     string // --ca
		exit   int
		says   []string // in the output
		pinned string   // hub.ca_file afterwards, when enrolled (COPY: enroll's copy of --ca next to the config)
	}{
		{"system roots only", "", "", 1, []string{"x509: certificate signed by unknown authority", "hub.ca_file", "--ca FILE", "the code is still good"}, ""},
		{"another CA in hub.ca_file", other, "", 1, []string{"unknown authority", "signed neither by the CA in " + other}, ""},
		{"hub.ca_file in the config", h.CAFile, "", 0, []string{"Enrolled this kiosk"}, h.CAFile},
		{"--ca before any config", "", h.CAFile, 0, []string{"Enrolled this kiosk", "hub.ca_file: COPY", "a copy of " + h.CAFile}, "COPY"},
		{"--ca wins over hub.ca_file", other, h.CAFile, 0, []string{"Enrolled this kiosk"}, "COPY"},
		{"--ca is not a certificate", "", notPEM, 2, []string{"--ca: " + notPEM + " holds no certificate"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			cfgPath := filepath.Join(dir, "config.yaml")
			if c.config != "" {
				writeDoctorConfig(t, cfgPath, "hub:\n  ca_file: "+c.config+"\n")
			}
			before, _ := os.ReadFile(cfgPath)
			args := []string{"enroll", "--create-data", "--hub", h.URL, "--code", h.code(t), "--key-id", h.KeyID, "--data", filepath.Join(dir, "data"), "--config", cfgPath, "--create-config"}
			if c.ca != "" {
				args = append(args, "--ca", c.ca)
			}
			code, out, errOut := runCLI(t, args...)
			copied := filepath.Join(dir, kioskCAName)
			for _, want := range c.says {
				if want = strings.Replace(want, "COPY", copied, 1); !strings.Contains(out+errOut, want) {
					t.Errorf("output lacks %q:\n%s%s", want, out, errOut)
				}
			}
			if code != c.exit {
				t.Fatalf("exit %d, want %d:\n%s%s", code, c.exit, out, errOut)
			}
			after, _ := os.ReadFile(cfgPath)
			if c.exit != 0 {
				if !bytes.Equal(before, after) {
					t.Errorf("a refused enrollment changed the config:\n%s", after)
				}
				return
			}
			cfg, err := config.Load(cfgPath)
			pinned := strings.Replace(c.pinned, "COPY", copied, 1)
			if err != nil || cfg.Hub.CAFile != pinned || !strings.HasPrefix(cfg.Hub.URL, "wss://") {
				t.Errorf("config hub = %+v, %v; want hub.ca_file %s and the wss:// URL", cfg.Hub, err, pinned)
			}
		})
	}
}

// TestDoctorTrustsTheHubCA: with hub.ca_file naming the province's CA,
// doctor reaches a hub whose certificate that CA signed, as the kiosk does.
func TestDoctorTrustsTheHubCA(t *testing.T) {
	d := healthyDoctor(t)
	url, ca := tlsHealthHub(t)
	writeDoctorConfig(t, d.configPath, "hub:\n  url: "+url+"\n  province_keys: [\""+testKey+"\"]\n  ca_file: "+ca+"\n")
	var out bytes.Buffer
	if faults := d.report(&out, d.run()); faults != 0 || !strings.Contains(out.String(), "answers (its certificate checked against the CA in "+ca+")") {
		t.Fatalf("%d faults:\n%s", faults, out.String())
	}
}

// TestDoctorBlamesTheClockForAnOutOfDateCertificate: a machine whose clock
// runs decades ahead sees the hub's certificate as expired. Doctor names the
// certificate's dates and this clock, and says to check the clock first, not
// the network (outside QA).
func TestDoctorBlamesTheClockForAnOutOfDateCertificate(t *testing.T) {
	d := healthyDoctor(t)
	d.now = func() time.Time { return time.Now().AddDate(59, 0, 0) } // past httptest's certificate (2084), a plausible year
	url, ca := tlsHealthHub(t)
	writeDoctorConfig(t, d.configPath, "hub:\n  url: "+url+"\n  province_keys: [\""+testKey+"\"]\n  ca_file: "+ca+"\n")
	var out bytes.Buffer
	d.report(&out, d.run())
	for _, want := range []string{"has a certificate valid from", "and this machine's clock says 2085", "if this machine's date or time is wrong, set it",
		"not compared with the hub's clock"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("doctor lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "check the network") {
		t.Errorf("doctor blames the network:\n%s", out.String())
	}
}

// TestEnrollCopiesTheCAForTheKiosksUser: a --ca file only root can read
// (0600 in a 0700 directory, as root's umask leaves it) is copied next to
// the config, and the kiosk's user (nobody, owning the data directory) then
// loads the config and reaches the hub through the copy (outside QA Q9:
// enroll said success, and the kiosk could not load its config).
func TestEnrollCopiesTheCAForTheKiosksUser(t *testing.T) {
	h := startTLSEnrollHub(t)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	copyFile(t, h.CAFile, ca, 0o600)
	etc := nobodyDir(t)
	cfgPath := filepath.Join(etc, "config.yaml")
	writeDoctorConfig(t, cfgPath, commentedConfig)
	chownTest(t, cfgPath, 0, nobodyGID) // root:<kiosk group> 0640, as the package installs it
	data := filepath.Join(nobodyDir(t), "data")
	if err := os.Mkdir(data, 0o750); err != nil {
		t.Fatal(err)
	}
	chownTest(t, data, nobodyUID, nobodyGID)

	code, out, errOut := runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", h.code(t), "--key-id", h.KeyID, "--ca", ca, "--data", data, "--config", cfgPath)
	if code != 0 {
		t.Fatalf("enroll: exit %d: %s%s", code, out, errOut)
	}
	cfg, err := config.Load(cfgPath)
	if copied := filepath.Join(etc, kioskCAName); err != nil || cfg.Hub.CAFile != copied {
		t.Fatalf("hub.ca_file = %q (%v), want the copy %s", cfg.Hub.CAFile, err, copied)
	}
	_, doctorOut := tramsoAsNobody(t, "", "doctor", "--lang", "en", "--data", data, "--config", cfgPath, "--timeout", "5s")
	if !strings.Contains(doctorOut, cfgPath+" is valid") || !strings.Contains(doctorOut, "knows this kiosk") {
		t.Fatalf("the kiosk's user does not load the config or reach the hub:\n%s", doctorOut)
	}
}
