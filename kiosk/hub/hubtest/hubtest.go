// Package hubtest runs a real province hub for the tests of other packages
// (the update client, the cli, the station), in the manner of
// net/http/httptest: on 127.0.0.1, over plain HTTP or over TLS with
// httptest's certificate, which stands for a province's own CA, and stopped
// when the test ends.
package hubtest

import (
	"context"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"tramso/kiosk/hub"
	"tramso/kiosk/testlog"
)

// Options say how to run the hub.
type Options struct {
	Hub  hub.Options                     // Dir defaults to a temporary directory, Log to testlog.Quiet
	TLS  bool                            // serve HTTPS/WSS; CAFile then names the certificate
	Wrap func(http.Handler) http.Handler // put in front of the hub's handler (faults, counters); nil: none
}

// Server is a running hub.
type Server struct {
	*hub.Hub
	URL    string // http://127.0.0.1:port or https://…
	CAFile string // over TLS: the certificate as the PEM file hub.ca_file names
	HTTP   *httptest.Server
}

// Start opens a hub in a temporary directory, runs it and serves it until
// the test ends.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	if o.Hub.Dir == "" {
		o.Hub.Dir = t.TempDir()
	}
	if o.Hub.Log == nil {
		o.Hub.Log = testlog.Quiet()
	}
	o.Hub.InsecureHTTP = !o.TLS
	h, err := hub.Open(o.Hub)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Run(ctx); close(done) }()
	var handler http.Handler = h.Handler()
	if o.Wrap != nil {
		handler = o.Wrap(handler)
	}
	srv := httptest.NewUnstartedServer(handler)
	s := &Server{Hub: h, HTTP: srv}
	if o.TLS {
		srv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshakes the tests make fail on purpose
		srv.StartTLS()
		s.CAFile = writeCA(t, srv)
	} else {
		srv.Start()
	}
	t.Cleanup(func() {
		cancel()
		<-done
		srv.CloseClientConnections()
		srv.Close()
		h.Close()
	})
	s.URL = srv.URL
	return s
}

// writeCA writes srv's certificate as a PEM file.
func writeCA(t testing.TB, srv *httptest.Server) string {
	path := filepath.Join(t.TempDir(), "hub-ca.pem")
	block := &pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
