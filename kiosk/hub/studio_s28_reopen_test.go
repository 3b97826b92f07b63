package hub

import (
	"context"
	"crypto/ed25519"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// Two changes to one file, A (the fee) then C (the time note, made on A),
// go out in one pack and are rolled back together (review s28, finding 2).
// Both read "Đã bị quay lại". C's page says it was made on A, which the
// rollback undid too, and reopening C says so in the new change's
// conversation: C's own edit is carried, A's fee is not brought back behind
// anyone's back. Reopening A then carries the fee onto it.
func TestS28ReopenTellsOfTheChangeItWasMadeOn(t *testing.T) {
	pub, priv := provinceKey(t)
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, SigningKey: priv})
	ctx := context.Background()
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	a, c := feeThenTimeRolledBack(t, h, priv)

	_, body := lan.get("/admin/content/changes")
	for _, id := range []int64{a, c} {
		row := between(body, `data-testid="change-`+strconv.FormatInt(id, 10)+`"`, "</li>")
		if !strings.Contains(row, "Đã bị quay lại") {
			t.Errorf("change #%d is not marked undone in the list: %s", id, row)
		}
	}
	_, body = lan.get(changeURL(c))
	along := between(body, `data-testid="undone-along"`, "</p>")
	if !strings.Contains(along, "#"+strconv.FormatInt(a, 10)+" “Lệ phí 12.000”") || !strings.Contains(along, changeURL(a)) {
		t.Fatalf("C's page does not say it was made on A, undone too: %s", snippetAround(body, "quay lại"))
	}

	_, body = lan.post(changeURL(c), url.Values{"csrf": {lan.csrf(changeURL(c))}, "action": {"reopen"}}, srv.URL)
	if !strings.Contains(body, "Đã mở lại thành thay đổi mới") {
		t.Fatalf("reopen C: %s", snippetAround(body, "error"))
	}
	open, err := h.Changes(ctx, 10, StateDraft)
	if err != nil || len(open) != 1 {
		t.Fatalf("open changes: %+v %v", open, err)
	}
	got := string(changeBytes(t, h, open[0].ID, chuKy))
	if !strings.Contains(got, "Nộp sau 16 giờ") || !strings.Contains(got, "amount: 10000") {
		t.Fatalf("the reopened C does not carry C's own edit onto the rolled-back file:\n%s", got)
	}
	cs, err := h.Comments(ctx, open[0].ID)
	if err != nil || len(cs) == 0 || !strings.Contains(cs[0].Body, "#"+strconv.FormatInt(a, 10)+" “Lệ phí 12.000”") {
		t.Fatalf("the reopened change does not say A's fee is not carried: %+v %v", cs, err)
	}

	nc, res, err := h.ReopenChange(ctx, a, "lan")
	if err != nil || res.Again {
		t.Fatalf("reopen A: %+v %v", res, err)
	}
	if got := string(changeBytes(t, h, nc.ID, chuKy)); !strings.Contains(got, "amount: 12000") {
		t.Fatalf("the reopened A does not carry the fee:\n%s", got)
	}
}

// "Mở lại thay đổi này" pressed twice (two tabs, a double click) gives the
// change opened the first time, not a second one; while it is undecided
// the undone change's page links it and offers no second reopening.
func TestS28ReopenAgainGivesTheReopenedChange(t *testing.T) {
	pub, priv := provinceKey(t)
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, SigningKey: priv})
	ctx := context.Background()
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	good := buildStudioPack(t, h, priv)()
	a := approvedEdit(t, h, "Lệ phí 12.000", "lan", chuKy, "amount: 10000", "amount: 12000")
	buildStudioPack(t, h, priv)()
	rollBack(t, h, priv, good)

	page := changeURL(a)
	csrf := lan.csrf(page)
	lan.post(page, url.Values{"csrf": {csrf}, "action": {"reopen"}}, srv.URL)
	_, body := lan.post(page, url.Values{"csrf": {csrf}, "action": {"reopen"}}, srv.URL)
	open, err := h.Changes(ctx, 10, StateDraft)
	if err != nil || len(open) != 1 {
		t.Fatalf("pressed twice, %d changes were opened: %+v %v", len(open), open, err)
	}
	if !strings.Contains(body, "đã được mở lại trước đó thành thay đổi này") || !strings.Contains(body, "Làm lại: Lệ phí 12.000") {
		t.Fatalf("the second press does not show the change opened the first time: %s", snippetAround(body, "notice"))
	}
	_, body = lan.get(page)
	if !strings.Contains(between(body, `data-testid="reopened-as"`, "</p>"), "thay đổi #"+strconv.FormatInt(open[0].ID, 10)) ||
		strings.Contains(body, `value="reopen"`) {
		t.Fatalf("the undone change's page offers another reopening while #%d waits: %s", open[0].ID, snippetAround(body, "quay lại"))
	}
}

// A roll forward to the pack that had the change (review s28, finding 3):
// the list and the page no longer say "Đã bị quay lại" and offer no reopening.
func TestS28RolledForwardChangePageOffersNoReopen(t *testing.T) {
	pub, priv := provinceKey(t)
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, SigningKey: priv})
	ctx := context.Background()
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	good := buildStudioPack(t, h, priv)()
	a := approvedEdit(t, h, "Lệ phí 12.000", "lan", chuKy, "amount: 10000", "amount: 12000")
	withA := buildStudioPack(t, h, priv)()
	rollBack(t, h, priv, good)
	rollBack(t, h, priv, withA)
	_, body := lan.get("/admin/content/changes")
	if row := between(body, `data-testid="change-`+strconv.FormatInt(a, 10)+`"`, "</li>"); strings.Contains(row, "Đã bị quay lại") || !strings.Contains(row, "Đã duyệt") {
		t.Fatalf("the live change reads undone in the list: %s", row)
	}
	_, body = lan.get(changeURL(a))
	if strings.Contains(body, `data-testid="undone"`) || strings.Contains(body, `value="reopen"`) {
		t.Fatalf("the live change's page offers a reopening: %s", snippetAround(body, "quay lại"))
	}
	if _, _, err := h.ReopenChange(ctx, a, "lan"); err != ErrNotUndone {
		t.Fatalf("reopening a live change: %v", err)
	}
}

// Reopening carries the sources of the files the rollback undid only
// (review s28, finding 1): a file a later approval reverted keeps out, and
// so do its sources.
func TestS28ReopenCarriesOnlyTheUndoneFilesSources(t *testing.T) {
	pub, priv := provinceKey(t)
	h, _ := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, SigningKey: priv})
	ctx := context.Background()
	a := twoFilesThenOneRevertedRolledBack(t, h, priv)
	nc, _, err := h.ReopenChange(ctx, a, "lan")
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := h.Sources(ctx, nc.ID)
	if err != nil || len(srcs) == 0 {
		t.Fatalf("no sources carried: %+v %v", srcs, err)
	}
	for _, s := range srcs {
		if s.Path != chuKy {
			t.Errorf("a source of %s, a file the rollback did not undo, was carried", s.Path)
		}
	}
	vs, err := h.ChangeVersions(ctx, nc.ID)
	if err != nil || len(vs) != 1 || vs[0].Path != chuKy {
		t.Fatalf("the reopened change's versions: %+v %v", vs, err)
	}
}
