package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
	"tramso/kiosk/testlog"
)

// nanoGeneration is what `tramso pack build --generation $(date +%s%N)` gave.
const nanoGeneration = int64(1_764_800_000_123_456_789)

// TestPublishRefusesOutOfRangeGenerations is attack 2 at the door: a pack
// signed with the province key but a generation above 2^53-1 is refused by
// Publish (the CLI and the console both use it) and by PublishManifest, and
// the fleet goes on taking normal packs.
func TestPublishRefusesOutOfRangeGenerations(t *testing.T) {
	pub, priv := provinceKey(t)
	h, _ := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	ctx := context.Background()
	for _, gen := range []int64{nanoGeneration, hubproto.MaxGeneration + 1, 1 << 62} {
		_, err := h.Publish(ctx, bytes.NewReader(craftPack(t, starterFiles(t), gen, priv)), PublishOptions{Stage: StageEveryone, By: "test"})
		if err == nil || !strings.Contains(err.Error(), "generation") {
			t.Fatalf("generation %d: published (err %v)", gen, err)
		}
		err = h.PublishManifest(ctx, []byte("{}"), []byte("{}"), &pack.Manifest{Generation: gen}, PublishOptions{Stage: StageEveryone})
		if err == nil {
			t.Fatalf("PublishManifest took generation %d", gen)
		}
	}
	if rs, _ := h.Rollouts(ctx); len(rs) != 0 {
		t.Fatalf("something was published: %+v", rs)
	}
	if _, err := h.Publish(ctx, bytes.NewReader(buildPack(t, 1_764_800_000, priv)), PublishOptions{Stage: StageEveryone, By: "test"}); err != nil {
		t.Fatalf("a normal pack after the refusals: %v", err)
	}
	if _, err := h.Publish(ctx, bytes.NewReader(craftPack(t, starterFiles(t), hubproto.MaxGeneration, priv)), PublishOptions{Stage: StageTest, By: "test"}); err != nil {
		t.Fatalf("the highest valid generation: %v", err)
	}
}

// insertRawPack writes a pack row as a hub without the range check did.
func insertRawPack(t *testing.T, h *Hub, gen int64) {
	t.Helper()
	now := time.Now().UTC().Format(time.RFC3339)
	if _, err := h.DB.Exec(`INSERT INTO packs(generation, digest, manifest, signatures, total_size, published_at, published_by)
		VALUES ($1, 'x', '{}', '{}', 0, $2, 'old hub')`, gen, now); err != nil {
		t.Fatal(err)
	}
	if _, err := h.DB.Exec(`INSERT INTO rollouts(generation, stage, updated_at) VALUES ($1, $2, $3)`, gen, StageEveryone, now); err != nil {
		t.Fatal(err)
	}
}

// TestHubRecoversFromStoredOutOfRangePack is attack 2 after the fact: a hub
// whose database already holds a pack above 2^53-1 (published by a hub
// without the check) starts without panicking, logs it with the fix, serves
// and announces the newest valid generation, takes normal packs again, and
// `Withdraw` removes the bad one (and only an out-of-range one).
func TestHubRecoversFromStoredOutOfRangePack(t *testing.T) {
	dir, db := t.TempDir(), testDatabase(t)
	first, err := Open(Options{Dir: dir, Database: db, Log: testlog.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	publishEmpty(t, first, 500, StageEveryone)
	insertRawPack(t, first, nanoGeneration)
	first.Close()

	var logs testlog.Buffer
	h, srv := startTestHub(t, Options{Dir: dir, Database: db, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if !strings.Contains(logs.String(), "tramso hub withdraw --generation "+strconv.FormatInt(nanoGeneration, 10)) {
		t.Fatalf("no clear log at start:\n%s", logs.String())
	}
	_, token := newDevice(t, h)
	for range 3 { // every later connect too
		ws := dial(t, srv, token)
		if w := readWelcome(t, ws); w.TargetGeneration != 500 {
			t.Fatalf("welcome targets %d, want the newest valid generation 500", w.TargetGeneration)
		}
		ws.Close()
	}
	ws := dial(t, srv, token)
	readWelcome(t, ws)
	publishEmpty(t, h, 600, StageEveryone) // not "not newer" than the bad one
	if got := readAnnounce(t, ws); got != 600 {
		t.Fatalf("announced %d, want 600", got)
	}
	if err := h.Withdraw(context.Background(), 600, "test"); err == nil {
		t.Fatal("withdrew a valid generation")
	}
	if err := h.Withdraw(context.Background(), nanoGeneration, "test"); err != nil {
		t.Fatal(err)
	}
	if rs, _ := h.Rollouts(context.Background()); len(rs) != 2 || rs[0].Generation != 600 {
		t.Fatalf("after withdrawing: %+v", rs)
	}
}

// TestRollbackNeverExceedsTheCap: rollback mints generation max+1 (or the
// clock); at the top of the range it refuses instead of minting 2^53.
func TestRollbackNeverExceedsTheCap(t *testing.T) {
	pub, priv := provinceKey(t)
	h, _ := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	ctx := context.Background()
	if _, err := h.Publish(ctx, bytes.NewReader(buildPack(t, 500, priv)), PublishOptions{Stage: StageEveryone, By: "test"}); err != nil {
		t.Fatal(err)
	}
	insertRawPack(t, h, nanoGeneration) // ignored: not the highest
	gen, err := h.Rollback(ctx, 500, priv, PublishOptions{Stage: StageEveryone, By: "test"})
	if err != nil || hubproto.CheckGeneration(gen) != nil || gen >= nanoGeneration {
		t.Fatalf("rollback gave %d, %v", gen, err)
	}
	publishEmpty(t, h, hubproto.MaxGeneration, StageTest)
	if gen, err := h.Rollback(ctx, 500, priv, PublishOptions{Stage: StageEveryone, By: "test"}); err == nil {
		t.Fatalf("rollback above the cap minted %d", gen)
	}
	if _, err := h.Rollback(ctx, nanoGeneration, priv, PublishOptions{Stage: StageEveryone}); err == nil {
		t.Fatal("rolled back to an out-of-range generation")
	}
	if err := h.SetStage(ctx, nanoGeneration, StageEveryone); err == nil {
		t.Fatal("staged an out-of-range generation")
	}
}
