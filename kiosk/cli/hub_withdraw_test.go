//go:build !desktop

package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/hub"
)

// TestHubRecoversWithWithdraw: a hub data folder holding a pack above
// 2^53-1 (published by a hub that did not check) still takes normal packs,
// and `tramso hub withdraw` removes the bad generation, never a valid one.
func TestHubRecoversWithWithdraw(t *testing.T) {
	f := newHubFolders(t)
	data, pub := f.data, f.pub
	mustRun(t, "hub", "publish", "--data", data, "--pub", pub, "--stage", "everyone", f.pack)

	const nano = "1764800000123456789" // `--generation $(date +%s%N)` with an older tramso
	h, err := hub.Open(hub.Options{Dir: data, Database: f.db})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Format(time.RFC3339)
	_, err = h.DB.Exec(`INSERT INTO packs(generation, digest, manifest, signatures, total_size, published_at, published_by)
		VALUES (`+nano+`, 'x', '{}', '{}', 0, $1, 'old')`, now)
	if err == nil {
		_, err = h.DB.Exec(`INSERT INTO rollouts(generation, stage, updated_at) VALUES (`+nano+`, 100, $1)`, now)
	}
	h.Close()
	if err != nil {
		t.Fatal(err)
	}

	two := filepath.Join(f.tmp, "two.tspack")
	mustRun(t, "pack", "build", "--src", f.src, "--key", f.key, "--out", two, "--generation", "200")
	if out := mustRun(t, "hub", "publish", "--data", data, "--pub", pub, two); !strings.Contains(out, "published generation 200") {
		t.Fatalf("publish after the bad pack: %s", out)
	}
	if exit, _, errOut := tramso(t, "hub", "withdraw", "--data", data, "--generation", "100"); exit != 1 || !strings.Contains(errOut, "halt") {
		t.Fatalf("withdrawing a valid generation: exit %d %s", exit, errOut)
	}
	if out := mustRun(t, "hub", "withdraw", "--data", data, "--generation", nano); !strings.Contains(out, "withdrawn") {
		t.Fatalf("withdraw: %s", out)
	}
	if exit, _, _ := tramso(t, "hub", "withdraw", "--data", data); exit != 2 {
		t.Fatalf("withdraw without --generation: exit %d", exit)
	}
}

func TestHubUsageDaysChecked(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "keys")
	mustRun(t, "keygen", "--out", keys)
	exit, _, errOut := tramso(t, "hub", "--data", t.TempDir(), "--pub", filepath.Join(keys, "province.pub"), "--usage-days", "0")
	if exit != 2 || !strings.Contains(errOut, "--usage-days") {
		t.Fatalf("--usage-days 0: exit %d %s", exit, errOut)
	}
}
