package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
)

// TestStudioGuardSaysWhereAnEditIs is review risk 17: the guard's list
// said an edit whose newest pack went only to the test group, or was
// halted, was one kiosks show. Each edit now says how far it went: only the
// test group, the test group and waves up to N, halted, or on kiosks (also
// when a newer pack carrying it is only staged, but the pack every kiosk
// gets has it too).
func TestStudioGuardSaysWhereAnEditIs(t *testing.T) {
	pub, priv := provinceKey(t)
	h := runTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	ctx := context.Background()
	approveName(t, h, `plain_name: {vi: "Làm giấy khai sinh cho bé"`, `plain_name: {vi: "Khai sinh (bản xưởng)"`)
	p, err := h.AssemblePack(ctx, "tinh", "")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := h.PendingManifest(ctx, p.Generation)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.PublishPending(ctx, p.Generation, signManifest(t, raw, priv), PublishOptions{Stage: StageTest, By: "tinh"}); err != nil {
		t.Fatal(err)
	}
	gen := p.Generation
	says := func(english, vietnamese string) {
		t.Helper()
		_, err := h.Publish(ctx, bytes.NewReader(craftPack(t, starterFiles(t), gen+1, priv)), PublishOptions{Stage: StageEveryone, By: "git"})
		var se *StudioEditsError
		if !errors.As(err, &se) || len(se.Edits) != 1 || !se.Edits[0].Shown {
			t.Fatalf("the starter over the studio's edit: %v", err)
		}
		vi := studioEditsText(err)
		if !strings.Contains(err.Error(), english) || !strings.Contains(vi, vietnamese) {
			t.Fatalf("the guard says\n%v\n%s\nwant %q and %q", err, vi, english, vietnamese)
		}
		if english != "shown on kiosks" && (strings.Contains(err.Error(), "shown on kiosks") || strings.Contains(vi, "đang hiện trên kiosk")) {
			t.Fatalf("an edit not on every kiosk is called shown: %v\n%s", err, vi)
		}
	}
	says("only on the test group, in generation", "chỉ mới gửi cho nhóm thử nghiệm, trong gói thế hệ")
	if err := h.SetStage(ctx, gen, 3); err != nil {
		t.Fatal(err)
	}
	says("only on the test group and waves up to 3", "chỉ mới gửi cho nhóm thử nghiệm và các đợt đến đợt 3")
	if err := h.Halt(ctx, gen); err != nil {
		t.Fatal(err)
	}
	says("whose rollout is halted", "đã tạm dừng triển khai")
	if err := h.SetStage(ctx, gen, StageEveryone); err != nil {
		t.Fatal(err)
	}
	says("shown on kiosks", "đang hiện trên kiosk")

	// A newer pack from git that keeps the edit and changes another file,
	// staged to the test group only: the edit is still on every kiosk.
	files := starterFiles(t)
	files[khaiSinh] = approvedBytes(t, h, khaiSinh)
	const other = "procedures/khai-tu.yaml"
	files[other] = append(append([]byte(nil), files[other]...), "\n# sửa ở git\n"...)
	gen++
	if _, err := h.Publish(ctx, bytes.NewReader(craftPack(t, files, gen, priv)), PublishOptions{Stage: StageTest, By: "git"}); err != nil {
		t.Fatal(err)
	}
	says("shown on kiosks", "đang hiện trên kiosk")
}
