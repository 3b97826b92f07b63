package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"strings"
	"testing"

	"tramso/kiosk/pack"
)

// systemChanges are the approved changes "hệ thống" made, newest first.
func systemChanges(t *testing.T, h *Hub) []Change {
	t.Helper()
	cs, err := h.Changes(context.Background(), 100, StateApproved)
	if err != nil {
		t.Fatal(err)
	}
	var out []Change
	for _, c := range cs {
		if c.Author == systemAuthor {
			out = append(out, c)
		}
	}
	return out
}

// approveName changes khai-sinh's plain name in the studio, approved.
func approveName(t *testing.T, h *Hub, from, to string) {
	t.Helper()
	id := mustOpen(t, h, "Tên: "+to, "lan")
	mustSave(t, h, id, khaiSinh, edited(t, h, khaiSinh, from, to), "lan")
	mustPropose(t, h, id, "lan")
	if err := h.Approve(context.Background(), id, "hoa"); err != nil {
		t.Fatal(err)
	}
}

// buildStudioPack builds a pack of the approved content and signs it, as the
// console's "Dựng gói" and "Ký" do; the function returned publishes it to
// everyone and gives its generation.
func buildStudioPack(t *testing.T, h *Hub, priv ed25519.PrivateKey) func() int64 {
	t.Helper()
	ctx := context.Background()
	p, err := h.AssemblePack(ctx, "tinh", "")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := h.PendingManifest(ctx, p.Generation)
	if err != nil {
		t.Fatal(err)
	}
	sm, err := pack.SignManifest(raw, priv)
	if err != nil {
		t.Fatal(err)
	}
	return func() int64 {
		if _, err := h.PublishPending(ctx, p.Generation, sm.Sig, PublishOptions{Stage: StageEveryone, By: "tinh"}); err != nil {
			t.Fatal(err)
		}
		return p.Generation
	}
}

// hubWithStudioEdit is a hub whose studio approved a new plain name for
// khai-sinh and published it to every kiosk, as generation gen.
func hubWithStudioEdit(t *testing.T) (*Hub, ed25519.PrivateKey, int64) {
	t.Helper()
	pub, priv := provinceKey(t)
	h := runTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	approveName(t, h, `plain_name: {vi: "Làm giấy khai sinh cho bé"`, `plain_name: {vi: "Khai sinh (bản xưởng)"`)
	return h, priv, buildStudioPack(t, h, priv)()
}

// The studio follows what is published: a pack from a git folder is taken
// in, so the studio's next pack does not undo it; a pack the studio built
// changes nothing; a rollback takes the studio back too, over an approval
// not yet published, and says so.
func TestStudioFollowsPublishedPacks(t *testing.T) {
	pub, priv := provinceKey(t)
	h := runTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	ctx := context.Background()
	if _, err := h.ApprovedTree(ctx); err != nil { // seeds from the starter
		t.Fatal(err)
	}
	seeded := len(systemChanges(t, h))

	// 1. Published from a git folder: the late fee given an amount.
	files := starterFiles(t)
	files[khaiSinh] = bytes.Replace(files[khaiSinh], []byte(lateFeeOld), []byte(lateFeeNew), 1)
	if _, err := h.Publish(ctx, bytes.NewReader(craftPack(t, files, 900, priv)), PublishOptions{Stage: StageEveryone, By: "git"}); err != nil {
		t.Fatal(err)
	}
	if got := approvedBytes(t, h, khaiSinh); !bytes.Equal(got, files[khaiSinh]) {
		t.Fatalf("the studio did not take in the published khai-sinh.yaml:\n%s", got)
	}
	sys := systemChanges(t, h)
	if len(sys) != seeded+1 || sys[0].Title != "Gói đã phát hành ngoài xưởng nội dung: crafted (thế hệ 900)" {
		t.Fatalf("system changes after the git pack: %+v", sys)
	}
	if _, err := h.ApprovedTree(ctx); err != nil || len(systemChanges(t, h)) != seeded+1 {
		t.Fatalf("read again: followed twice (%v)", err)
	}

	// 2. A pack the studio built: nothing to take in.
	const name = `plain_name: {vi: "Làm giấy khai sinh cho bé"`
	approveName(t, h, name, `plain_name: {vi: "Làm giấy khai sinh cho con"`)
	studioFile := approvedBytes(t, h, khaiSinh)
	publish := buildStudioPack(t, h, priv)
	// Approved after the build, not yet published: it must stay.
	approveName(t, h, `plain_name: {vi: "Làm giấy khai sinh cho con"`, `plain_name: {vi: "Khai sinh cho con"`)
	later := approvedBytes(t, h, khaiSinh)
	publish()
	if got := approvedBytes(t, h, khaiSinh); !bytes.Equal(got, later) {
		t.Fatalf("publishing the studio's own pack undid a later approval:\n%s", got)
	}
	if n := len(systemChanges(t, h)); n != seeded+1 {
		t.Fatalf("the studio's own pack made %d system changes", n-seeded-1)
	}
	if bytes.Equal(studioFile, later) {
		t.Fatal("the test's two approvals are the same file")
	}

	// 3. A rollback to the git pack: the studio goes back with the fleet,
	// over the approval not yet published, and says so.
	gen, err := h.Rollback(ctx, 900, priv, PublishOptions{Stage: StageEveryone, By: "tinh"})
	if err != nil {
		t.Fatal(err)
	}
	if got := approvedBytes(t, h, khaiSinh); !bytes.Equal(got, files[khaiSinh]) {
		t.Fatalf("after the rollback the studio has:\n%s", got)
	}
	sys = systemChanges(t, h)
	if len(sys) != seeded+2 || !strings.HasPrefix(sys[0].Title, "Quay lại nội dung thế hệ 900") {
		t.Fatalf("system changes after the rollback to 900 (generation %d): %+v", gen, sys)
	}
	vs, err := h.ChangeVersions(ctx, sys[0].ID)
	if err != nil || len(vs) != 1 || vs[0].Path != khaiSinh || !strings.Contains(vs[0].Summary, "chưa phát hành") {
		t.Fatalf("the rollback's change: %+v, %v", vs, err)
	}
}

// A pack from git published over a studio pack, with nobody opening the
// studio in between, is told against the studio pack it replaced: the
// studio's edit it lacks is gone from every kiosk, and so from the studio,
// whichever file the git pack itself changed.
func TestStudioFollowsEveryPublishedPackInTurn(t *testing.T) {
	h, priv, gen := hubWithStudioEdit(t)
	ctx := context.Background()
	// From git, without the studio's edit, changing another file.
	files := starterFiles(t)
	const other = "procedures/khai-tu.yaml"
	files[other] = append(append([]byte(nil), files[other]...), "\n# sửa ở git\n"...)
	// Publish refuses it (TestPublishRefusesAPackThatUndoesStudioEdits) unless told it is meant.
	if _, err := h.Publish(ctx, bytes.NewReader(craftPack(t, files, gen+1, priv)),
		PublishOptions{Stage: StageEveryone, By: "git", ReplaceStudioEdits: true}); err != nil {
		t.Fatal(err)
	}
	if got := approvedBytes(t, h, khaiSinh); !bytes.Equal(got, files[khaiSinh]) {
		t.Errorf("the studio keeps an edit no kiosk shows any more:\n%.300s", got)
	}
	if got := approvedBytes(t, h, other); !bytes.Equal(got, files[other]) {
		t.Errorf("the studio did not take in the git pack's own change:\n%.300s", got)
	}
}
