//go:build !desktop

package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tramso/kiosk/pack"
	"tramso/kiosk/pgtest"
	"tramso/kiosk/update"
)

// TestHubDatabaseBackupRestores follows README's backup and restore test: a
// hub on PostgreSQL with a published pack and an enrolled kiosk is dumped
// with `pg_dump -Fc`, the dump restored into an empty database with
// `pg_restore --no-owner`, and a hub started on the copy knows the kiosk's
// token and serves the pack's manifest and every blob, byte for byte: the
// dump is the whole province.
func TestHubDatabaseBackupRestores(t *testing.T) {
	f := newHubFolders(t)
	dsn := pgtest.DSN(t)
	runTramso(t, "", "hub", "publish", "--db", dsn, "--pub", f.pub, "--stage", "everyone", f.pack)
	code := strings.TrimSpace(runTramso(t, "", "hub", "code", "--db", dsn))
	live := startHubProcess(t, "hub", f, dsn, false)
	creds, err := update.Enroll(context.Background(), live.base, code, "Ea Kao", nil)
	if err != nil {
		t.Fatal(err)
	}

	bindir, err := pgtest.BinDir()
	if err != nil {
		t.Fatal(err)
	}
	dump, copyDSN := filepath.Join(t.TempDir(), "tramso_hub.dump"), pgtest.DSN(t)
	pgDump := filepath.Join(bindir, "pg_dump")
	if out, err := exec.Command(pgDump, "-Fc", "-d", dsn, "-f", dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	pgRestore := filepath.Join(bindir, "pg_restore")
	if out, err := exec.Command(pgRestore, "--no-owner", "--exit-on-error", "-d", copyDSN, dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}

	restored := startHubProcess(t, "restored hub", f, copyDSN, false)
	restored.waitHealthy(t)
	raw := deviceGet(t, restored.base+"/packs/100/manifest.json", creds.Token)
	var m pack.Manifest
	if err := json.Unmarshal(raw, &m); err != nil || m.Generation != 100 || len(m.Files) == 0 {
		t.Fatalf("manifest from the restored hub: %v %+v", err, m)
	}
	for _, file := range m.Files {
		sum := sha256.Sum256(deviceGet(t, restored.base+"/blobs/"+file.SHA256, creds.Token))
		if hex.EncodeToString(sum[:]) != file.SHA256 {
			t.Fatalf("blob of %s from the restored hub has another hash", file.Path)
		}
	}
}

// deviceGet is a kiosk's authenticated GET; anything but 200 fails the test.
func deviceGet(t *testing.T, url, token string) []byte {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return body
}
