package update_test

import (
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

	"tramso/kiosk/hub"
	"tramso/kiosk/station"
	"tramso/kiosk/store"
)

// kioskProcessEnv makes this test binary a kiosk: the station exactly as
// `tramso serve` assembles it (config, store, content, update client), run
// until SIGTERM.
const kioskProcessEnv = "TRAMSO_TEST_KIOSK_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(kioskProcessEnv); dir != "" {
		os.Exit(runKioskProcess(dir))
	}
	os.Exit(m.Run())
}

func runKioskProcess(dir string) int {
	st, err := station.Open(station.Options{DataDir: dir, ConfigPath: filepath.Join(dir, "config.yaml"),
		ConfigExplicit: true, Log: quietLog()})
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
		creds := enrol(t, h, fmt.Sprintf("kiosk %d", i))
		dir := t.TempDir()
		st, err := store.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.SaveCredentials(context.Background(), st.DB, creds.Store()); err != nil {
			t.Fatal(err)
		}
		st.Close()
		cfg := fmt.Sprintf("hub:\n  url: %s\n  province_keys: [%s]\n", creds.HubURL, pub)
		if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
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
	h.publish(t, buildPack(t, key, gen, map[string][]byte{"media/extra/p.bin": randomBytes(200 << 10)}), hub.StageEveryone)
	for _, dir := range dirs {
		eventually(t, "kiosk process in "+dir+" switched", func() bool { return currentGeneration(t, dir) == gen })
	}
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
