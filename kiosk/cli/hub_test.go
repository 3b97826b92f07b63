//go:build !desktop

package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/hub"
	"tramso/kiosk/hub/hubtest"
)

// hubFolders is a province's keys, the starter content as source, a pack of
// it at generation 100, and an empty hub data folder; under
// TRAMSO_HUB_TEST_DB=postgres also an empty PostgreSQL database, which the
// hub commands find in $TRAMSO_HUB_DB as a systemd unit would give it.
type hubFolders struct{ tmp, key, pub, src, data, pack, db string }

func newHubFolders(t *testing.T) hubFolders {
	t.Helper()
	tmp := t.TempDir()
	keys := filepath.Join(tmp, "keys")
	f := hubFolders{tmp: tmp, key: filepath.Join(keys, "province.key"), pub: filepath.Join(keys, "province.pub"),
		src: filepath.Join(tmp, "src"), data: filepath.Join(tmp, "hub"), pack: filepath.Join(tmp, "one.tspack"),
		db: hubtest.Database(t)}
	t.Setenv(HubDBEnv, f.db)
	if err := os.Mkdir(f.data, 0o700); err != nil { // README: mkdir -p /var/lib/tramso-hub
		t.Fatal(err)
	}
	mustRun(t, "keygen", "--out", keys)
	mustRun(t, "pack", "export-starter", "--out", f.src)
	mustRun(t, "pack", "build", "--src", f.src, "--key", f.key, "--out", f.pack, "--generation", "100")
	return f
}

// TestHubCommands: the province's maintenance commands on a hub data folder:
// enrollment code, publish to the test group, widen, halt, roll back.
func TestHubCommands(t *testing.T) {
	f := newHubFolders(t)
	key, pub, data, file := f.key, f.pub, f.data, f.pack

	// A typo in --data makes no new hub (outside QA), for any maintenance
	// command; on PostgreSQL the hub is the database, not --data.
	if f.db == "" {
		typo := data + "-typo"
		for _, args := range [][]string{{"code"}, {"publish", "--pub", pub, file}, {"stage", "--generation", "100", "--stage", "everyone"},
			{"withdraw", "--generation", "100"}, {"rollback", "--pub", pub, "--key", key, "--to", "100"}} {
			exit, _, errOut := tramso(t, append([]string{"hub", args[0], "--data", typo}, args[1:]...)...)
			if _, err := os.Stat(typo); exit != 1 || !strings.Contains(errOut, "does not exist") || err == nil {
				t.Fatalf("hub %s --data %s: exit %d, %s (made: %v)", args[0], typo, exit, errOut, err == nil)
			}
		}
	}
	code := strings.TrimSpace(mustRun(t, "hub", "code", "--data", data, "--commune", "Ea Kao"))
	if !regexp.MustCompile(`^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$`).MatchString(code) {
		t.Fatalf("enrollment code %q", code)
	}
	if exit, _, errOut := tramso(t, "hub", "publish", "--data", data, file); exit != 1 || !strings.Contains(errOut, "province public key") {
		t.Fatalf("publish without a key: exit %d %s", exit, errOut)
	}
	if out := mustRun(t, "hub", "publish", "--data", data, "--pub", pub, file); !strings.Contains(out, "published generation 100") {
		t.Fatalf("publish: %s", out)
	}
	if exit, _, errOut := tramso(t, "hub", "publish", "--data", data, "--pub", pub, file); exit != 1 || !strings.Contains(errOut, "not newer") {
		t.Fatalf("publishing the same generation again: exit %d %s", exit, errOut)
	}
	mustRun(t, "hub", "stage", "--data", data, "--generation", "100", "--stage", "everyone")
	mustRun(t, "hub", "stage", "--data", data, "--generation", "100", "--stage", "halt")
	if exit, _, _ := tramso(t, "hub", "stage", "--data", data, "--generation", "100", "--stage", "sometimes"); exit != 2 {
		t.Fatalf("bad stage: exit %d", exit)
	}
	// A rollback is checked against the province's public key: without it,
	// or with a key the kiosks do not trust (the public key given as --key,
	// another province's key), nothing is published.
	if exit, _, errOut := tramso(t, "hub", "rollback", "--data", data, "--key", key, "--to", "100"); exit != 2 || !strings.Contains(errOut, "province public key") {
		t.Fatalf("rollback without --pub: exit %d %s", exit, errOut)
	}
	if exit, _, errOut := tramso(t, "hub", "rollback", "--data", data, "--pub", pub, "--key", pub, "--to", "100"); exit != 1 || !strings.Contains(errOut, "size of a public key") {
		t.Fatalf("rollback with the public key as --key: exit %d %s", exit, errOut)
	}
	other := filepath.Join(f.tmp, "other")
	mustRun(t, "keygen", "--out", other)
	if exit, _, errOut := tramso(t, "hub", "rollback", "--data", data, "--pub", pub, "--key", filepath.Join(other, "province.key"), "--to", "100"); exit != 1 || !strings.Contains(errOut, "not a pinned province key") {
		t.Fatalf("rollback with another key: exit %d %s", exit, errOut)
	}
	if out := mustRun(t, "hub", "rollback", "--data", data, "--pub", pub, "--key", key, "--to", "100"); !strings.Contains(out, "again as generation") {
		t.Fatalf("rollback: %s", out)
	}
	if exit, _, _ := tramso(t, "hub", "frobnicate"); exit != 2 {
		t.Fatalf("unknown subcommand: exit %d", exit)
	}

	h, err := hub.Open(hub.Options{Dir: data, Database: f.db})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	rs, err := h.Rollouts(context.Background())
	if err != nil || len(rs) != 2 || rs[1].Generation != 100 || !rs[1].Halted || rs[0].Stage != hub.StageEveryone {
		t.Fatalf("rollouts after the commands: %+v %v", rs, err)
	}
	// The console's audit log holds what was done on the command line too.
	log, err := h.Audit(context.Background(), 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	var did []string
	for _, e := range log {
		if e.Remote != hub.CLIAddress || !strings.HasPrefix(e.User, "cli:") {
			t.Fatalf("a command's audit entry: %+v", e)
		}
		did = append([]string{e.Action}, did...)
	}
	want := []string{"code_created", "pack_published", "rollout_stage", "rollout_halted", "rollout_rollback"}
	if !slices.Equal(did, want) {
		t.Fatalf("audit log of the commands: %v, want %v", did, want)
	}
}

// TestHubDatabaseFlag: every hub command takes the database from --db or,
// so that no password need sit on a command line, from $TRAMSO_HUB_DB; a
// value that is not a postgres:// URL is a usage error that never echoes
// the password, and an unreachable database names host and database only.
func TestHubDatabaseFlag(t *testing.T) {
	data := t.TempDir()
	for _, args := range [][]string{
		{"hub", "code", "--data", data, "--db", "mysql://tinh:pw-secret-1@db.example/hub"},
		{"hub", "stage", "--data", data, "--db", "hub.sqlite", "--generation", "100", "--stage", "test"},
	} {
		exit, _, errOut := tramso(t, args...)
		if exit != 2 || !strings.Contains(errOut, "--db") || strings.Contains(errOut, "pw-secret-1") {
			t.Errorf("tramso %v: exit %d %s", args, exit, errOut)
		}
	}
	// Port 1 on loopback: nothing listens, the connection is refused at once.
	t.Setenv(HubDBEnv, "postgres://tinh:pw-secret-2@127.0.0.1:1/tinh_hub?connect_timeout=5")
	exit, _, errOut := tramso(t, "hub", "code", "--data", data)
	if exit != 1 || !strings.Contains(errOut, "127.0.0.1:1/tinh_hub") || strings.Contains(errOut, "pw-secret-2") {
		t.Errorf("an unreachable database from $%s: exit %d %s", HubDBEnv, exit, errOut)
	}
	for _, c := range append(hubSubcommands(), cmdHub) {
		_, out, errOut := tramso(t, append(strings.Fields(c.name), "--help")...)
		if help := out + errOut; !strings.Contains(help, "-db") || !strings.Contains(help, HubDBEnv) {
			t.Errorf("tramso %s --help names neither --db nor $%s:\n%s", c.name, HubDBEnv, help)
		}
	}
}

// TestGenerationFarAhead is finding F15 at the commands: `pack build
// --generation` and `hub publish` refuse a generation ten years past the
// clock, naming its date and the flag that says it is meant; with
// --generation-ahead both go through.
func TestGenerationFarAhead(t *testing.T) {
	f := newHubFolders(t)
	at := time.Now().UTC().AddDate(10, 0, 0)
	gen, day := strconv.FormatInt(at.Unix(), 10), at.Format("02/01/2006")
	file := filepath.Join(f.tmp, "ahead.tspack")
	build := []string{"pack", "build", "--src", f.src, "--key", f.key, "--out", file, "--generation", gen}
	exit, _, errOut := tramso(t, build...)
	if _, err := os.Stat(file); exit != 1 || err == nil || !strings.Contains(errOut, day) || !strings.Contains(errOut, "--generation-ahead") {
		t.Fatalf("pack build: exit %d, file %v: %s", exit, err, errOut)
	}
	mustRun(t, append(build, "--generation-ahead")...)
	publish := []string{"hub", "publish", "--data", f.data, "--pub", f.pub}
	exit, _, errOut = tramso(t, append(publish, file)...)
	if exit != 1 || !strings.Contains(errOut, day) || !strings.Contains(errOut, "--generation-ahead") {
		t.Fatalf("hub publish: exit %d: %s", exit, errOut)
	}
	if out := mustRun(t, append(publish, "--generation-ahead", file)...); !strings.Contains(out, "published generation "+gen) {
		t.Fatalf("hub publish --generation-ahead: %s", out)
	}
}
