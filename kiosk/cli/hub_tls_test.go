//go:build !desktop

package cli

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/hub/hubtest"
)

// TestHubServesItsOwnCertificate: `tramso hub --tls-cert --tls-key` serves
// HTTPS with that certificate; a certificate file that is not there is said
// at once, naming the flags, and the hub never claims to be serving
// (outside QA: "serving on https://…" came first, then the error).
func TestHubServesItsOwnCertificate(t *testing.T) {
	t.Setenv(HubDBEnv, hubtest.Database(t))
	tmp := t.TempDir()
	mustRun(t, "keygen", "--out", filepath.Join(tmp, "keys"))
	pub := filepath.Join(tmp, "keys", "province.pub")
	hubArgs := func(cert, key string) []string {
		return []string{"hub", "--addr", "127.0.0.1:0", "--data", filepath.Join(tmp, "hub"), "--pub", pub, "--tls-cert", cert, "--tls-key", key}
	}

	exit, out, errOut := tramso(t, hubArgs(filepath.Join(tmp, "hub.crt"), filepath.Join(tmp, "hub.key"))...)
	if exit != 1 || strings.Contains(out, "serving") || !strings.Contains(errOut, "--tls-cert "+filepath.Join(tmp, "hub.crt")) {
		t.Fatalf("a missing certificate: exit %d, out %q, err %q", exit, out, errOut)
	}

	certFile, keyFile, roots := selfSigned(t, tmp)
	p := startTramsoEnv(t, "tls hub", "", nil, hubArgs(certFile, keyFile)...)
	m, _ := p.await(t, "serving line", regexp.MustCompile(`hub serving on (https://127\.0\.0\.1:\d+)/`), 0)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	resp, err := client.Get(m[1] + "/api/health")
	if err != nil {
		t.Fatalf("health over the hub's own certificate: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("health: %d", resp.StatusCode)
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key as PEM files in
// dir, and returns them with a pool that trusts the certificate.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, roots *x509.CertPool) {
	t.Helper()
	pubKey, priv, _ := ed25519.GenerateKey(rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "hub.test"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pubKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "self.crt"), filepath.Join(dir, "self.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	roots = x509.NewCertPool()
	roots.AddCert(cert)
	return certFile, keyFile, roots
}

// TestSecondHubOnOneFolderRefused: a hub started by hand beside the running
// one, on the same SQLite folder, is refused with what to look at; the
// maintenance commands still work beside it.
func TestSecondHubOnOneFolderRefused(t *testing.T) {
	t.Setenv(HubDBEnv, "") // the lock is SQLite's: hubs on PostgreSQL share one database by design
	tmp := t.TempDir()
	mustRun(t, "keygen", "--out", filepath.Join(tmp, "keys"))
	data, pub := filepath.Join(tmp, "hub"), filepath.Join(tmp, "keys", "province.pub")
	args := []string{"hub", "--addr", "127.0.0.1:0", "--data", data, "--pub", pub}
	first := startTramsoEnv(t, "first hub", "", nil, args...)
	first.await(t, "serving line", servingRe, 0)
	exit, out, errOut := tramso(t, args...)
	if exit != 1 || strings.Contains(out, "serving") || !strings.Contains(errOut, "another tramso hub is already serving from "+data) {
		t.Fatalf("a second hub: exit %d, out %q, err %q", exit, out, errOut)
	}
	if code := strings.TrimSpace(mustRun(t, "hub", "code", "--data", data)); code == "" {
		t.Fatal("no enrollment code beside the running hub")
	}
}
