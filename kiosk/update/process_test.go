package update_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"tramso/kiosk/hub"
	"tramso/kiosk/pgtest"
	"tramso/kiosk/station"
	"tramso/kiosk/store"
	"tramso/kiosk/testlog"
	"tramso/kiosk/update"
)

// kioskProcessEnv makes this test binary a kiosk: the station exactly as
// `tramso serve` assembles it (config, store, content, update client), run
// until SIGTERM.
const kioskProcessEnv = "TRAMSO_TEST_KIOSK_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(kioskProcessEnv); dir != "" {
		os.Exit(runKioskProcess(dir))
	}
	code := m.Run()
	if world != nil {
		os.RemoveAll(world.template) // the fuzz tests' prepared kiosk
	}
	pgtest.StopShared() // the hubs' PostgreSQL server, under TRAMSO_HUB_TEST_DB=postgres
	os.Exit(code)
}

func runKioskProcess(dir string) int {
	st, err := station.Open(station.Options{DataDir: dir, ConfigPath: filepath.Join(dir, "config.yaml"),
		ConfigExplicit: true, Log: testlog.Quiet()})
	if err != nil {
		fmt.Fprintln(os.Stderr, "kiosk:", err)
		return 1
	}
	defer st.Close()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	st.Run(ctx)
	return 0
}

// TestKioskProcessesConverge: three kiosk processes, enrolled the way
// `tramso enroll` leaves a kiosk (credentials in the database, hub.url and
// the province key in the config), all serve what the province publishes.
func TestKioskProcessesConverge(t *testing.T) {
	key := newKey(t)
	h := startHub(t, key, nil)
	pub := base64.StdEncoding.EncodeToString([]byte(key.Public().(ed25519.PublicKey)))
	var dirs []string
	for i := 0; i < 3; i++ {
		dir := enrolledDataDir(t, enroll(t, h, fmt.Sprintf("kiosk %d", i)), pub)
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), kioskProcessEnv+"="+dir)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
		dirs = append(dirs, dir)
	}
	eventually(t, "every kiosk process connected", func() bool { return h.Connected() == len(dirs) })
	const gen = 9000
	h.publish(t, buildPack(t, key, gen, map[string][]byte{"media/extra/p.ogg": randomBytes(200 << 10)}), hub.StageEveryone)
	for _, dir := range dirs {
		eventually(t, "kiosk process in "+dir+" switched", func() bool { return currentGeneration(t, dir) == gen })
	}
}

// enrolledDataDir is a data folder as `tramso enroll` leaves it: credentials
// in the database, hub.url and the province key (base64) in config.yaml.
func enrolledDataDir(t *testing.T, creds update.Credentials, key string) string {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SaveCredentials(context.Background(), st.DB, creds.Store()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	cfg := fmt.Sprintf("hub:\n  url: %s\n  province_keys: [%s]\n", creds.HubURL, key)
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// currentGeneration reads a running kiosk's content state without its lock.
func currentGeneration(t *testing.T, dir string) int64 {
	db, err := store.OpenDB(filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	state, err := (&store.Store{DB: db}).ContentState(context.Background())
	if err != nil {
		return 0
	}
	return state.Current
}

// TestKioskProcessSurvivesHostileHub reproduces attack 1 against a real
// kiosk process (the station as `tramso serve` builds it): the hub answers
// the poll with a generation above 2^53 and fails every manifest download.
// The kiosk used to panic about a second after every start, for good. Now
// it stays up, and takes the real pack as soon as the hub behaves.
func TestKioskProcessSurvivesHostileHub(t *testing.T) {
	key := newKey(t)
	h := startFakeHub(t, goodPack(t, key, 9100))
	h.set(attackOne)
	creds := fakeCreds(h, key)
	dir := enrolledDataDir(t, creds, creds.ProvinceKeys[0])
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), kioskProcessEnv+"="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		<-exited
	})
	alive := func(what string) {
		t.Helper()
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("the kiosk process died %s: %v\n%s", what, err, stderr.String())
		default:
		}
	}
	eventually(t, "the kiosk polled and tried the manifest", func() bool {
		alive("under attack")
		return h.polls.Load() > 0 && h.fileRequests.Load() > 0
	})
	time.Sleep(3 * time.Second) // the old kiosk was dead a second after this point
	alive("after 3 s under attack")

	h.behaveWell()
	h.dropSockets()
	eventually(t, "the kiosk process takes the real pack", func() bool {
		alive("after the hub recovered")
		return currentGeneration(t, dir) == 9100
	})
}
