package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPacksPageSaysWhomAStageReaches: each stage a pack may go to says how
// many kiosks in use it reaches, and a pack whose stage reaches none says
// so (outside QA: a first pack sent to the empty test group reached no
// kiosk, and the page said only "published"). Revoked kiosks do not count.
func TestPacksPageSaysWhomAStageReaches(t *testing.T) {
	h, _, a := loggedIn(t)
	ctx := context.Background()
	kiosk, _ := newDevice(t, h)
	gone, _ := newDevice(t, h)
	if err := h.Revoke(ctx, gone); err != nil {
		t.Fatal(err)
	}
	publishEmpty(t, h, 3400, StageTest)
	says := func(step string, wants ...string) {
		t.Helper()
		_, page := a.get("/admin/packs")
		for _, want := range wants {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the packs page lacks %q:\n%.5000s", step, want, page)
			}
		}
	}
	says("an empty test group",
		`<option value="test">nhóm thử nghiệm (0 kiosk)</option>`,
		`<option value="everyone">tất cả (1 kiosk)</option>`,
		"chưa kiosk nào trong phạm vi này")

	if err := h.SetWave(ctx, kiosk, WaveTest); err != nil {
		t.Fatal(err)
	}
	says("a kiosk in the test group",
		`<option value="test">nhóm thử nghiệm (1 kiosk)</option>`,
		`<option value="1">đến đợt 1 (1 kiosk)</option>`,
		`data-testid="pack-scope">nhóm thử nghiệm (1 kiosk)</td>`)
}

// TestPacksPageOffersOnlyWhatChangesSomething (outside QA s24, finding 14):
// a pack a newer one to every kiosk has superseded offers no scope or halt
// (they change nothing), only the rollback to it; a rollback's row gives the
// build time of the content it brought back, not "dựng vừa xong".
func TestPacksPageOffersOnlyWhatChangesSomething(t *testing.T) {
	pub, priv := provinceKey(t)
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, SigningKey: priv})
	ctx := context.Background()
	if err := h.CreateAdmin(ctx, "tinh", testPassword); err != nil {
		t.Fatal(err)
	}
	a := newAdmin(t, srv)
	a.login("tinh", testPassword)
	const old, newer = 1764250000, 1764260000 // built 27/11/2025
	for _, gen := range []int64{old, newer} {
		if _, err := h.Publish(ctx, bytes.NewReader(craftPackBuilt(t, starterFiles(t), gen, time.Unix(gen, 0), priv)),
			PublishOptions{Stage: StageEveryone, By: "tinh"}); err != nil {
			t.Fatal(err)
		}
	}
	row := func(page string, gen int64) string {
		t.Helper()
		i := strings.Index(page, "<small>thế hệ "+strconv.FormatInt(gen, 10)+"</small>")
		if i < 0 {
			t.Fatalf("no row for %d:\n%.5000s", gen, page)
		}
		end := strings.Index(page[i:], "</tr>")
		return page[i : i+end]
	}
	_, page := a.get("/admin/packs")
	if r := row(page, old); strings.Contains(r, `value="halt"`) || strings.Contains(r, `value="stage"`) ||
		!strings.Contains(r, "Đã có gói mới hơn gửi cho mọi kiosk.") || !strings.Contains(r, `value="rollback"`) {
		t.Errorf("the superseded pack's row:\n%s", r)
	}
	if r := row(page, newer); !strings.Contains(r, `value="halt"`) || !strings.Contains(r, `value="stage"`) {
		t.Errorf("the current pack's row:\n%s", r)
	}
	to, err := h.Rollback(ctx, old, priv, PublishOptions{Stage: StageEveryone, By: "tinh"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := h.Rollback(ctx, to, priv, PublishOptions{Stage: StageEveryone, By: "tinh"}) // a rollback to a rollback
	if err != nil {
		t.Fatal(err)
	}
	_, page = a.get("/admin/packs")
	for _, gen := range []int64{to, again} {
		i := strings.Index(page, "<small>thế hệ "+strconv.FormatInt(gen, 10)+"</small>")
		if i < 0 || !strings.Contains(page[max(0, i-300):i], `title="27/11/2025`) || strings.Contains(page[max(0, i-300):i], "vừa xong</time></span>") {
			t.Errorf("rollback %d's row does not give the old content's build time:\n%.800s", gen, page[max(0, i-600):])
		}
	}
}
