//go:build !desktop

package cli

import (
	"context"
	"strings"
	"testing"

	"tramso/kiosk/hub"
	"tramso/kiosk/pack"
)

// TestHubRollbackWithoutKey (province finding 9): `hub rollback` without
// --key, on a province whose key is kept offline, publishes nothing and
// leaves the rollback waiting for its signature, as the console lists it;
// signed, it is published as a rollback.
func TestHubRollbackWithoutKey(t *testing.T) {
	f := newHubFolders(t)
	mustRun(t, "hub", "publish", "--data", f.data, "--pub", f.pub, "--stage", "everyone", f.pack)
	newer := f.tmp + "/two.tspack"
	mustRun(t, "pack", "build", "--src", f.src, "--key", f.key, "--out", newer, "--generation", "200")
	mustRun(t, "hub", "publish", "--data", f.data, "--pub", f.pub, "--stage", "everyone", newer)

	out := mustRun(t, "hub", "rollback", "--data", f.data, "--pub", f.pub, "--to", "100")
	if !strings.Contains(out, "no --key: the content of 100 waits for its signature as generation") || !strings.Contains(out, "upload manifest.sig") {
		t.Fatalf("hub rollback without --key: %s", out)
	}
	pubs, err := pack.ReadPublicKeys(f.pub)
	if err != nil {
		t.Fatal(err)
	}
	h, err := hub.Open(hub.Options{Dir: f.data, Database: f.db, ProvinceKeys: pubs})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ctx := context.Background()
	ps, err := h.PendingPacks(ctx)
	if err != nil || len(ps) != 1 || ps[0].RollbackTo != 100 || ps[0].RollbackFrom != 200 || ps[0].UploadedBy != "cli" ||
		!strings.Contains(out, ps[0].Digest) {
		t.Fatalf("pending after hub rollback without --key: %+v %v", ps, err)
	}
	if rs, _ := h.Rollouts(ctx); len(rs) != 2 || rs[0].Generation != 200 {
		t.Fatalf("hub rollback without --key published: %+v", rs)
	}
	raw, err := h.PendingManifest(ctx, ps[0].Generation)
	if err != nil {
		t.Fatal(err)
	}
	key, err := pack.ReadPrivateKey(f.key)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := pack.Sign(raw, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.PublishPending(ctx, ps[0].Generation, sig, hub.PublishOptions{Stage: hub.StageEveryone, By: "tinh"}); err != nil {
		t.Fatal(err)
	}
	if rs, _ := h.Rollouts(ctx); len(rs) != 3 || rs[0].Generation != ps[0].Generation || rs[0].Note != "rollback to 100" {
		t.Fatalf("the signed rollback: %+v", rs)
	}
}

// TestHubPublishSaysWhichKiosksWillRefuse (review risk 6): `hub publish`
// of a pack some kiosks in its scope pin no signing key of publishes it and
// says, on stderr, how many will refuse it, which, and why.
func TestHubPublishSaysWhichKiosksWillRefuse(t *testing.T) {
	f := newHubFolders(t)
	pubs, err := pack.ReadPublicKeys(f.pub)
	if err != nil {
		t.Fatal(err)
	}
	h, err := hub.Open(hub.Options{Dir: f.data, Database: f.db, ProvinceKeys: pubs})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for name, pinned := range map[string]string{"Ea Kao": pack.KeyIDs(pubs)[0], "Ea Tu": "0123456789abcdef"} {
		code, err := h.CreateCode(ctx, "Ea Kao", "test")
		if err != nil {
			t.Fatal(err)
		}
		e, err := h.Enroll(ctx, code, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.DB.Exec(`UPDATE devices SET name = $1, pinned_keys = $2 WHERE id = $3`, name, pinned, e.DeviceID); err != nil {
			t.Fatal(err)
		}
	}
	h.Close()
	exit, out, errOut := tramso(t, "hub", "publish", "--data", f.data, "--pub", f.pub, "--stage", "everyone", f.pack)
	if exit != 0 || !strings.Contains(out, "published generation 100") ||
		!strings.Contains(errOut, "warning: 1 of the 2 kiosk(s) in this scope that said which province keys they pin will refuse this pack (Ea Tu)") ||
		!strings.Contains(errOut, "they pin only 0123456789abcdef") {
		t.Fatalf("hub publish that one kiosk will refuse: exit %d\n%s\n%s", exit, out, errOut)
	}
}
