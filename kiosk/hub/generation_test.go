package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"tramso/kiosk/content"
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
	// The top of the range stands far past any clock: published as meant.
	top := PublishOptions{Stage: StageTest, By: "test", GenerationAhead: true}
	if _, err := h.Publish(ctx, bytes.NewReader(craftPack(t, starterFiles(t), hubproto.MaxGeneration, priv)), top); err != nil {
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
	top := int64(hubproto.MaxGeneration)
	if err := h.PublishManifest(ctx, []byte(`{"generation":`+strconv.FormatInt(top, 10)+`}`), []byte("{}"), &pack.Manifest{Generation: top},
		PublishOptions{Stage: StageTest, By: "test", GenerationAhead: true}); err != nil {
		t.Fatal(err)
	}
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

// TestPublishRefusesGenerationFarAhead is finding F15: a pack built under a
// clock set ten years ahead would make every kiosk refuse every normally
// built pack until that date. The hub refuses it at each door — Publish, the
// console's upload and its unsigned upload — naming the date it stands for,
// unless the operator says it is meant; generations that continue it pass
// after that, and a new jump past it is refused again.
func TestPublishRefusesGenerationFarAhead(t *testing.T) {
	pub, priv := provinceKey(t)
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	a, token := signerSession(t, h, srv)
	ctx := context.Background()
	at := time.Now().UTC().AddDate(10, 0, 0)
	ahead, day := at.Unix(), at.Format("02/01/2006")
	refused := func(what string, err error) {
		t.Helper()
		if !errors.As(err, new(*pack.AheadError)) || !strings.Contains(err.Error(), day) {
			t.Fatalf("%s: %v", what, err)
		}
	}

	_, err := h.Publish(ctx, bytes.NewReader(buildPack(t, ahead, priv)), PublishOptions{Stage: StageTest, By: "test"})
	refused("Publish", err)
	form := map[string]string{"csrf": token, "stage": "test"}
	code, page := a.postFile("/admin/packs", form, "pack", "p.tspack", buildPack(t, ahead, priv))
	unsigned, _ := unsignedPack(t, ahead)
	code2, page2 := a.postFile("/admin/packs/unsigned", form, "pack", "u.tspack", unsigned)
	for _, p := range []struct {
		code int
		page string
	}{{code, page}, {code2, page2}} {
		if p.code != http.StatusBadRequest || !strings.Contains(p.page, day) || !strings.Contains(p.page, "đánh dấu ô “"+aheadBox+"”") {
			t.Fatalf("console upload: %d %.3000s", p.code, p.page)
		}
	}
	if got, waiting := published(t, h), pendingGens(t, h); len(got)+len(waiting) != 0 {
		t.Fatalf("a generation far ahead came in: published %v, pending %v", got, waiting)
	}

	soon := time.Now().Add(20 * time.Hour).Unix() // a clock a little fast is no mistake
	if _, err := h.Publish(ctx, bytes.NewReader(buildPack(t, soon, priv)), PublishOptions{Stage: StageTest, By: "test"}); err != nil {
		t.Fatal(err)
	}
	form["generation_ahead"] = "yes"
	if code, page := a.postFile("/admin/packs", form, "pack", "p.tspack", buildPack(t, ahead, priv)); code != http.StatusOK {
		t.Fatalf("said to be meant: %d %.3000s", code, page)
	}
	// Continuing what the hub has: the next build, and the hub's own rollback.
	if _, err := h.Publish(ctx, bytes.NewReader(buildPack(t, ahead+3600, priv)), PublishOptions{Stage: StageTest, By: "test"}); err != nil {
		t.Fatalf("the next generation: %v", err)
	}
	if gen, err := h.Rollback(ctx, soon, priv, PublishOptions{Stage: StageTest, By: "test"}); err != nil || gen <= ahead+3600 {
		t.Fatalf("rollback: %d, %v", gen, err)
	}
	jump := at.AddDate(50, 0, 0)
	day = jump.Format("02/01/2006")
	_, err = h.Publish(ctx, bytes.NewReader(buildPack(t, jump.Unix(), priv)), PublishOptions{Stage: StageTest, By: "test"})
	refused("a new jump past the highest", err)
}

// TestRollbackNamesWhatItBringsBack: a rollback's generation is named after
// the one it brings back, marked as published again, so staff at a kiosk
// tell it from the original (outside QA R17: both bore one title though, in
// a rotation, signed by different keys); a rollback of a rollback is marked
// once, and a title at the manifest's limit keeps the mark whole.
func TestRollbackNamesWhatItBringsBack(t *testing.T) {
	pub, priv := provinceKey(t)
	h, _ := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	ctx := context.Background()
	long := strings.Repeat("Lệ phí ", pack.MaxTitleLen/len("Lệ phí "))
	for _, p := range []struct {
		gen   int64
		title string
	}{{700, "Gói A (khóa cũ)"}, {800, long}} {
		var file bytes.Buffer
		if _, err := pack.Build(content.Starter(), pack.BuildOptions{Generation: p.gen, Title: p.title, Keys: []ed25519.PrivateKey{priv}}, &file); err != nil {
			t.Fatal(err)
		}
		if _, err := h.Publish(ctx, &file, PublishOptions{Stage: StageEveryone, By: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	titleOf := func(gen int64) string {
		t.Helper()
		raw, _, err := h.manifest(ctx, gen)
		if err != nil {
			t.Fatal(err)
		}
		m, err := pack.ParseManifest(raw)
		if err != nil {
			t.Fatal(err)
		}
		return m.Title
	}
	rollback := func(to int64) int64 {
		t.Helper()
		gen, err := h.Rollback(ctx, to, priv, PublishOptions{Stage: StageEveryone, By: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return gen
	}
	first := rollback(700)
	if got := titleOf(first); got != "Gói A (khóa cũ) (phát hành lại)" {
		t.Errorf("rollback to 700 is titled %q", got)
	}
	if got := titleOf(rollback(first)); got != "Gói A (khóa cũ) (phát hành lại)" {
		t.Errorf("a rollback of a rollback is titled %q", got)
	}
	got := titleOf(rollback(800))
	if !strings.HasSuffix(got, " (phát hành lại)") || len(got) > pack.MaxTitleLen || !utf8.ValidString(got) {
		t.Errorf("a long title rolled back: %q (%d bytes)", got, len(got))
	}
}
