// Package pgtest runs a real, throwaway PostgreSQL server for tests: Debian's
// own server binaries, a cluster made by initdb in a temporary directory, run
// as an unprivileged user (PostgreSQL refuses to run as root, and CI runs the
// tests as root), listening on 127.0.0.1 only, and removed afterwards.
//
// A package's tests share one server (DSN starts it at first use; Main stops
// it) and each test gets a database of its own, dropped when it ends. The
// server is tuned for tests (no fsync): its data is never worth keeping.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Superuser is the role initdb makes; connections need no password (trust
// authentication, on loopback and the server's own socket only).
const Superuser = "tramso"

// Server is a running PostgreSQL server.
type Server struct {
	Port int
	dir  string // data directory, socket and log live under it
	cmd  *exec.Cmd
	done chan struct{} // closed when the server process has exited

	mu    sync.Mutex
	admin *pgx.Conn // to the postgres database: creates and drops the tests' databases
}

var (
	shared     *Server
	sharedErr  error
	sharedOnce sync.Once
	dbSeq      atomic.Int64
)

// DSN returns the URL of a new, empty database on the package's shared
// server, dropped when the test ends. A machine without PostgreSQL's server
// fails the test with the package to install: it is never skipped.
func DSN(tb testing.TB) string {
	tb.Helper()
	sharedOnce.Do(func() { shared, sharedErr = Start() })
	if sharedErr != nil {
		tb.Fatalf("pgtest: %v", sharedErr)
	}
	return shared.NewDB(tb)
}

// Main runs a package's tests (call it from TestMain) and then stops the
// shared server, if a test started it.
func Main(m *testing.M) {
	code := m.Run()
	StopShared()
	os.Exit(code)
}

// StopShared stops the package's shared server, if a test started it: for a
// TestMain with more to do after m.Run than Main allows.
func StopShared() {
	if shared != nil {
		if err := shared.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
}

// Start makes a cluster in a temporary directory and starts its server.
func Start() (*Server, error) {
	bindir, err := BinDir()
	if err != nil {
		return nil, err
	}
	cred, err := unprivileged()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "tramso-pg-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, done: make(chan struct{})}
	if err := s.init(bindir, cred); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := s.start(bindir, cred); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

// BinDir is where Debian keeps the newest installed PostgreSQL server's
// programs (/usr/lib/postgresql/15/bin on Debian 12): they are not on PATH.
func BinDir() (string, error) {
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	if len(found) == 0 {
		return "", errors.New("no PostgreSQL server under /usr/lib/postgresql: apt-get install postgresql (build/scripts/test.sh does)")
	}
	version := func(p string) int {
		n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(p))))
		return n
	}
	newest := slices.MaxFunc(found, func(a, b string) int { return version(a) - version(b) })
	return filepath.Dir(newest), nil
}

// unprivileged is who runs the server: the current user, or when that is
// root, Debian's postgres user (the server package makes it), else nobody.
func unprivileged() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, errors.New("running as root and no postgres or nobody user to run the server as")
}

func (s *Server) init(bindir string, cred *syscall.Credential) error {
	if cred != nil {
		if err := os.Chown(s.dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return err
		}
	}
	initdb := filepath.Join(bindir, "initdb")
	cmd := exec.Command(initdb, "--pgdata", s.data(), "--username", Superuser, "--auth", "trust",
		"--encoding", "UTF8", "--no-locale", "--no-sync", "--no-instructions")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %v: %s", err, out)
	}
	return nil
}

func (s *Server) data() string    { return filepath.Join(s.dir, "data") }
func (s *Server) logFile() string { return filepath.Join(s.dir, "postgres.log") }

// start runs the server as a child that dies with the test process, so a
// test binary killed by a timeout leaves no server behind.
func (s *Server) start(bindir string, cred *syscall.Credential) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	s.Port = port
	log, err := os.Create(s.logFile())
	if err != nil {
		return err
	}
	defer log.Close()
	postgres := filepath.Join(bindir, "postgres")
	s.cmd = exec.Command(postgres, "-D", s.data(), "-p", strconv.Itoa(port), "-k", s.dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "max_connections=400",
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	s.cmd.Stdout, s.cmd.Stderr = log, log
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT}
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	if err := s.connectAdmin(); err != nil {
		s.cmd.Process.Kill()
		<-s.done
		return fmt.Errorf("%w; server log:\n%s", err, s.logTail())
	}
	return nil
}

// connectAdmin waits for the server to accept connections (initdb's
// cluster starts in well under a second; 30 s allows a loaded machine).
func (s *Server) connectAdmin() error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		conn, err := pgx.Connect(ctx, s.URL("postgres"))
		cancel()
		if err == nil {
			s.admin = conn
			return nil
		}
		select {
		case <-s.done:
			return errors.New("postgres exited at start")
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres did not accept connections: %w", err)
		}
	}
}

// URL is the connection URL of database db on this server.
func (s *Server) URL(db string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", Superuser, s.Port, db)
}

// NewDB creates an empty database for one test and drops it when the test
// ends (with its connections: a test's hub may still hold some).
func (s *Server) NewDB(tb testing.TB) string {
	tb.Helper()
	name := fmt.Sprintf("t%d_%d", os.Getpid(), dbSeq.Add(1))
	if err := s.exec("CREATE DATABASE " + name); err != nil {
		tb.Fatalf("pgtest: create database: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			tb.Errorf("pgtest: drop database: %v", err)
		}
	})
	return s.URL(name)
}

func (s *Server) exec(sql string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := s.admin.Exec(ctx, sql)
	return err
}

// Stop shuts the server down (fast shutdown: clients are disconnected) and
// removes its directory.
func (s *Server) Stop() error {
	if s.admin != nil {
		s.admin.Close(context.Background())
	}
	s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
	return os.RemoveAll(s.dir)
}

func (s *Server) logTail() string {
	b, _ := os.ReadFile(s.logFile())
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "\n")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
