package config

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// caPaths are PEM files for the hub.ca_file tests: a good bundle (the
// certificate httptest's TLS servers use, which is its own CA) and bad ones.
type caPaths struct{ good, missing, keyOnly, cut, badDER string }

func writeCAFiles(t *testing.T, srv *httptest.Server) caPaths {
	t.Helper()
	dir := t.TempDir()
	good := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	p := caPaths{missing: filepath.Join(dir, "none.pem")}
	for path, body := range map[*string][]byte{
		&p.good:    good,
		&p.keyOnly: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}),
		&p.cut:     good[:len(good)-30], // a download cut before the END line
		&p.badDER:  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("not DER")}),
	} {
		f, err := os.CreateTemp(dir, "*.pem")
		if err != nil {
			t.Fatal(err)
		}
		f.Write(body)
		f.Close()
		*path = f.Name()
	}
	return p
}

// tlsHub is a TLS server on 127.0.0.1 whose certificate no system trusts.
func tlsHub(t *testing.T) *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// TestHubTLS: with the CA in ca_file a real TLS connection verifies; without
// it, it fails as an unknown authority; bad files say what is wrong.
func TestHubTLS(t *testing.T) {
	srv := tlsHub(t)
	ca := writeCAFiles(t, srv)
	cases := []struct {
		name, file, err string // err: part of the error; "" = none
		verifies        bool
	}{
		{"no ca_file: system roots only", "", "", false},
		{"the hub's CA", ca.good, "", true},
		{"missing file", ca.missing, "does not exist", false},
		{"a key, not a certificate", ca.keyOnly, "holds no certificate", false},
		{"cut PEM", ca.cut, "not valid PEM", false},
		{"certificate that does not parse", ca.badDER, "certificate 1 in " + ca.badDER + " does not parse", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conf, err := HubTLS(c.file)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one saying %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.file == "" && conf != nil {
				t.Fatalf("no ca_file must leave Go's defaults: got %+v", conf)
			}
			resp, err := (&http.Client{Transport: &http.Transport{TLSClientConfig: conf}}).Get(srv.URL)
			if c.verifies != (err == nil) {
				t.Fatalf("verifies = %v, want %v", err == nil, c.verifies)
			}
			if err != nil {
				if !strings.Contains(err.Error(), "unknown authority") {
					t.Fatalf("want an unknown-authority error, got %v", err)
				}
				return
			}
			resp.Body.Close()
			want, err := x509.SystemCertPool()
			if err != nil {
				want = x509.NewCertPool()
			}
			want.AddCert(srv.Certificate())
			if !conf.RootCAs.Equal(want) || conf.MinVersion != tls.VersionTLS12 {
				t.Errorf("want the system roots plus the CA, TLS 1.2 or later; got MinVersion %x", conf.MinVersion)
			}
		})
	}
}

func TestCAFileInConfig(t *testing.T) {
	ca := writeCAFiles(t, tlsHub(t))
	c, err := Parse(strings.NewReader("hub:\n  url: wss://hub.daklak.example/ws\n  ca_file: " + ca.good + "\n"))
	if err != nil || c.Hub.CAFile != ca.good {
		t.Fatalf("a good ca_file must load: %+v, %v", c.Hub, err)
	}
}
