package hub

import (
	"context"
	"crypto/ed25519"
	"strings"
	"testing"
)

// Review s28 (UndoneBy, studio_rebase.go): two approved changes to one file,
// A (the fee) then C (the time note, made on A), go out in one pack; the
// console rolls back to the pack before it. Both edits are gone from every
// kiosk, yet only C reads "Đã bị quay lại": UndoneBy looks at the first
// approved version after A's, which is C's, by a person. A still reads
// "Đã duyệt", and reopening C carries only C's own edit (from A's file):
// A's fee is lost without anyone being told.
func TestS28ReviewRollbackOfTwoChangesInOnePackMarksBoth(t *testing.T) {
	pub, priv := provinceKey(t)
	h, _ := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, SigningKey: priv})
	ctx := context.Background()
	a, c := feeThenTimeRolledBack(t, h, priv)
	for _, id := range []int64{a, c} {
		ch, err := h.GetChange(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		u, err := h.UndoneBy(ctx, ch)
		if err != nil {
			t.Fatal(err)
		}
		if u == nil {
			t.Errorf("change #%d %q: its edit is no longer approved nor on any kiosk (rolled back), yet it is not marked undone", id, ch.Title)
		}
	}
}

// Review s28: a rollback, then a rollback forward again to the pack that had
// the change: the change's edit is back on every kiosk and in the approved
// file, yet UndoneBy still finds the first rollback after it and the change
// reads "Đã bị quay lại", offering "Mở lại thay đổi này" (which would open
// an empty change: carryInto skips a file the approved tree has whole).
func TestS28ReviewRollForwardUnmarksTheChange(t *testing.T) {
	pub, priv := provinceKey(t)
	h, _ := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, SigningKey: priv})
	ctx := context.Background()
	good := buildStudioPack(t, h, priv)()
	a := approvedEdit(t, h, "Lệ phí 12.000", "lan", chuKy, "amount: 10000", "amount: 12000")
	withA := buildStudioPack(t, h, priv)()
	rollBack(t, h, priv, good)
	rollBack(t, h, priv, withA)
	if got := string(approvedBytes(t, h, chuKy)); !strings.Contains(got, "amount: 12000") {
		t.Fatalf("setup: the roll forward did not bring the fee back:\n%s", got)
	}
	ch, err := h.GetChange(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	u, err := h.UndoneBy(ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	if u != nil {
		t.Errorf("change #%d is live again (the approved file has its fee), yet marked undone by %s", a, u.Label())
	}
}

// Review s28 (ReopenChange): a change A edits two files; a later approved
// change D takes A's edit out of the second file again (back to 8.000 đ), on
// purpose; the console rolls back to the pack before A, which changes only the
// first file (the second is as D left it). UndoneBy rightly names only the
// first file, yet "Mở lại thay đổi này" carries every file of A: the second
// file's edit, which D had reverted and no rollback undid, comes back in the
// reopened change, and approving it undoes D behind everyone's back.
func TestS28ReviewReopenCarriesOnlyTheFilesTheRollbackUndid(t *testing.T) {
	pub, priv := provinceKey(t)
	h, _ := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, SigningKey: priv})
	ctx := context.Background()
	a := twoFilesThenOneRevertedRolledBack(t, h, priv)
	ch, err := h.GetChange(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	u, err := h.UndoneBy(ctx, ch)
	if err != nil || u == nil || len(u.Paths) != 1 || u.Paths[0] != chuKy {
		t.Fatalf("setup: UndoneBy = %+v, %v", u, err)
	}
	nc, _, err := h.ReopenChange(ctx, a, "lan")
	if err != nil {
		t.Fatal(err)
	}
	if got := string(changeBytes(t, h, nc.ID, banSao)); strings.Contains(got, "amount: 9000") {
		t.Errorf("the reopened change #%d brings back the fee change D reverted (%s is not a file the rollback undid)", nc.ID, banSao)
	}
}
