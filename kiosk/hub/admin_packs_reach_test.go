package hub

import (
	"context"
	"strings"
	"testing"
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
		"1 kiosk đang dùng")
}
