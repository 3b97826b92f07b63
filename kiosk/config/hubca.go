package config

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// validateCAFile checks hub.ca_file at load, so that a kiosk with a wrong
// path or a damaged file says so at start instead of failing every sync.
func (c *Config) validateCAFile() error {
	path := c.Hub.CAFile
	if path == "" {
		return nil
	}
	if !filepath.IsAbs(path) {
		return &FieldError{"hub.ca_file", fmt.Sprintf("%q is not an absolute path (e.g. /etc/tramso/hub-ca.pem)", path)}
	}
	if _, err := readCAFile(path); err != nil {
		return &FieldError{"hub.ca_file", err.Error()}
	}
	return nil
}

// readCAFile reads a PEM file of CA certificates: at least one CERTIFICATE
// block, and every one of them must parse. Other blocks are ignored, but a
// file of only keys is refused: it is the wrong file.
func readCAFile(path string) ([]*x509.Certificate, error) {
	raw, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("%s does not exist (it should hold the province CA's certificate, PEM)", path)
	case err != nil:
		return nil, fmt.Errorf("cannot read %s: %v", path, err)
	}
	var certs []*x509.Certificate
	rest := raw
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("certificate %d in %s does not parse: %v", len(certs)+1, path, err)
		}
		certs = append(certs, cert)
	}
	if bytes.Contains(rest, []byte("-----BEGIN")) {
		return nil, fmt.Errorf("%s is not valid PEM (a damaged block or a missing END line)", path)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("%s holds no certificate (want -----BEGIN CERTIFICATE----- blocks, PEM)", path)
	}
	return certs, nil
}

// HubTLS is the TLS setup for talking to the hub: the system's roots plus
// the CA certificates in caFile. It is nil when caFile is empty, so that
// Go's defaults stay untouched for a hub with a public certificate.
func HubTLS(caFile string) (*tls.Config, error) {
	if caFile == "" {
		return nil, nil
	}
	certs, err := readCAFile(caFile)
	if err != nil {
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil { // no system roots readable: the province's CA alone still reaches its hub
		pool = x509.NewCertPool()
	}
	for _, c := range certs {
		pool.AddCert(c)
	}
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
}
