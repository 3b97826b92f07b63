// Package hubtest runs a real province hub for the tests of other packages
// (the update client, the cli, the station), in the manner of
// net/http/httptest: on 127.0.0.1, over plain HTTP or over TLS with
// httptest's certificate, which stands for a province's own CA, and stopped
// when the test ends.
package hubtest

import (
	"context"
	"database/sql"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tramso/kiosk/hub"
	"tramso/kiosk/pgtest"
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

// Start opens a hub in a temporary directory (and, under
// TRAMSO_HUB_TEST_DB=postgres, on a fresh PostgreSQL database), runs it and
// serves it until the test ends.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	if o.Hub.Dir == "" {
		o.Hub.Dir = t.TempDir()
		if o.Hub.Database == "" {
			o.Hub.Database = Database(t)
		}
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

// DBEnv moves the hubs of the tests that use this package (and of the hub's
// own tests) from SQLite to PostgreSQL: TRAMSO_HUB_TEST_DB=postgres.
const DBEnv = "TRAMSO_HUB_TEST_DB"

// Database is the hub.Options.Database for a test's hub: "" (SQLite in the
// data directory), or under DBEnv=postgres a fresh database on the package's
// throwaway PostgreSQL server; such a package's TestMain calls pgtest.Main.
func Database(t testing.TB) string {
	t.Helper()
	switch v := os.Getenv(DBEnv); v {
	case "", "sqlite":
		return ""
	case "postgres":
		return pgtest.DSN(t)
	default:
		t.Fatalf("%s=%q: want sqlite or postgres", DBEnv, v)
		return ""
	}
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

// PlantBlob stores body as the blob sha without the store's own check, as a
// broken or hostile hub would serve it: for tests of what a kiosk refuses.
func PlantBlob(t testing.TB, blobs hub.BlobStore, sha string, body []byte) {
	t.Helper()
	var err error
	switch s := blobs.(type) {
	case *hub.DirBlobs:
		p := filepath.Join(s.Dir, sha[:2], sha)
		if err = os.MkdirAll(filepath.Dir(p), 0o700); err == nil {
			err = os.WriteFile(p, body, 0o600)
		}
	case *hub.PGBlobs:
		err = plantPG(s.DB, sha, body)
	default:
		t.Fatalf("hubtest: cannot plant a blob in a %T", blobs)
	}
	if err != nil {
		t.Fatalf("hubtest: plant blob: %v", err)
	}
}

// plantPG writes body as one chunk of the blob sha (migrations/postgres/0005_blobs.sql).
func plantPG(db *sql.DB, sha string, body []byte) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO blobs (sha, size, chunk_size, created_at) VALUES ($1, $2, $3, $4)`,
		sha, len(body), max(len(body), 1), time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	if len(body) > 0 {
		if _, err := tx.Exec(`INSERT INTO blob_chunks (sha, n, data) VALUES ($1, 0, $2)`, sha, body); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Device is the hub's device id as its console sees it; the test fails when
// there is none.
func (s *Server) Device(t testing.TB, id string) hub.Device {
	t.Helper()
	d, ok, err := s.DeviceByID(context.Background(), id)
	if err != nil || !ok {
		t.Fatalf("device %s on the hub: %v (found: %v)", id, err, ok)
	}
	return d
}

// Incidents counts the window incidents the hub holds for device id.
func (s *Server) Incidents(t testing.TB, id string) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(`SELECT count(*) FROM device_incidents WHERE device_id = $1`, id).Scan(&n); err != nil {
		t.Fatalf("incidents of %s on the hub: %v", id, err)
	}
	return n
}
