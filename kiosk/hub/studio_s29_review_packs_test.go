package hub

import (
	"context"
	"crypto/ed25519"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"tramso/kiosk/hubproto"
)

// packRowOf is the packs page's row of generation gen.
func packRowOf(t *testing.T, page string, gen int64) string {
	t.Helper()
	i := strings.Index(page, "<small>thế hệ "+strconv.FormatInt(gen, 10)+"</small>")
	if i < 0 {
		t.Fatalf("no row for %d:\n%.5000s", gen, page)
	}
	end := strings.Index(page[i:], "</tr>")
	return page[i : i+end]
}

// Outside QA s29, finding 4: every published pack, replaced and rolled back
// ones too, read "tất cả · 1 kiosk đang dùng", which read as "1 kiosk runs
// this pack". Now the scope says whom it reaches ("tất cả (2 kiosk)") and
// each row says how many kiosks show residents that generation now, as the
// Thiết bị page tells it (a kiosk that fell back counts for the one it shows).
func TestS29PacksPageSaysHowManyKiosksRunEachPack(t *testing.T) {
	h, srv, a := loggedIn(t)
	for _, gen := range []int64{3200, 3201, 3202} {
		publishEmpty(t, h, gen, StageEveryone)
	}
	fallback, fallbackToken := newDevice(t, h)
	current, currentToken := newDevice(t, h)
	statuses := map[string]hubproto.Status{
		fallbackToken: {Generation: 3202, TargetGeneration: 3202, State: hubproto.StateFailed, ShownGeneration: 3200,
			ErrorKind: hubproto.ErrorKindUntrusted, LastError: "the current content (generation 3202) is not signed by any key this kiosk pins"},
		currentToken: {Generation: 3202, TargetGeneration: 3202, State: hubproto.StateIdle},
	}
	for token, st := range statuses {
		ws := dial(t, srv, token)
		readWelcome(t, ws)
		sendStatus(t, ws, st)
	}
	eventually(t, "the hub stores both statuses", func() bool {
		f, _, _ := h.DeviceByID(context.Background(), fallback)
		c, _, _ := h.DeviceByID(context.Background(), current)
		return f.Shown == 3200 && c.Generation == 3202
	})
	_, page := a.get("/admin/packs")
	for gen, want := range map[int64]string{3200: "1 kiosk đang dùng gói này", 3201: "0 kiosk đang dùng gói này", 3202: "1 kiosk đang dùng gói này"} {
		row := packRowOf(t, page, gen)
		if !strings.Contains(row, want) {
			t.Errorf("generation %d's row does not say %q: %s", gen, want, row)
		}
		if strings.Contains(row, "kiosk đang dùng</small>") {
			t.Errorf("generation %d's row still reads its scope as kiosks using it: %s", gen, row)
		}
	}
	if scope := between(packRowOf(t, page, 3202), `data-testid="pack-scope">`, "</td>"); scope != "tất cả (2 kiosk)" {
		t.Errorf("the newest pack's scope reads %q, want %q", scope, "tất cả (2 kiosk)")
	}
	if scope := between(packRowOf(t, page, 3201), `data-testid="pack-scope">`, "</td>"); strings.Contains(scope, "2 kiosk") ||
		!strings.Contains(scope, "đã có gói mới hơn cho mọi kiosk") {
		t.Errorf("a replaced pack's scope still counts the kiosks it reached: %q", scope)
	}
}

// Outside QA s29, finding 6: the rollback confirmation did not name what it
// takes off kiosks, and its cancel link read "Không, quay lại" beside "Có,
// quay lại nội dung này". Now it names the newer packs (title, the day they
// were built, generation) and the approved studio changes that will read
// "Đã bị quay lại" — the same UndoneBy names once the rollback is taken in —
// and the cancel link reads "Không, giữ nguyên".
func TestS29RollbackConfirmationNamesWhatItTakesOff(t *testing.T) {
	pub, priv := provinceKey(t)
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, SigningKey: priv})
	ctx := context.Background()
	quan := loginAs(t, h, srv, "quan", RoleAdmin)
	before := approvedEdit(t, h, "Lệ phí bản sao 9.000", "lan", banSao, "amount: 8000", "amount: 9000")
	good := buildStudioPack(t, h, priv)()
	a := approvedEdit(t, h, "Lệ phí 12.000", "lan", chuKy, "amount: 10000", "amount: 12000")
	c := approvedEdit(t, h, "Giờ nộp 16 giờ", "minh", chuKy, "Nộp sau 15 giờ", "Nộp sau 16 giờ")
	newer := buildStudioPack(t, h, priv)()
	packs, err := h.packLabels(ctx)
	if err != nil {
		t.Fatal(err)
	}

	path := "/admin/packs/" + strconv.FormatInt(good, 10)
	code, page := quan.post(path, url.Values{"csrf": {quan.csrf("/admin/packs")}, "action": {"rollback"}}, srv.URL)
	if code != http.StatusOK || !strings.Contains(page, ">Có, quay lại nội dung này</button>") {
		t.Fatalf("the rollback does not ask first: %d %s", code, snippetAround(page, "<main"))
	}
	if !strings.Contains(page, `<a href="/admin/packs">Không, giữ nguyên</a>`) || strings.Contains(page, "Không, quay lại") {
		t.Errorf("the cancel link: %s", snippetAround(page, "confirm"))
	}
	newerList := between(page, `data-testid="rollback-newer"`, "</ul>")
	if !strings.Contains(newerList, packs[newer].Title) || !strings.Contains(newerList, "thế hệ "+strconv.FormatInt(newer, 10)) ||
		!strings.Contains(newerList, "dựng <time") {
		t.Errorf("the confirmation does not name the newer pack %d %q: %s", newer, packs[newer].Title, newerList)
	}
	undoes := between(page, `data-testid="rollback-undoes"`, "</ul>")
	for _, id := range []int64{a, c} {
		if !strings.Contains(undoes, `<a href="/admin/content/changes/`+strconv.FormatInt(id, 10)+`">Thay đổi #`+strconv.FormatInt(id, 10)+`</a>`) {
			t.Errorf("the confirmation does not name change #%d: %s", id, undoes)
		}
	}
	if strings.Contains(undoes, "Thay đổi #"+strconv.FormatInt(before, 10)+"<") {
		t.Errorf("the confirmation names change #%d, which the pack rolled back to has: %s", before, undoes)
	}

	// What it said is what the studio then marks.
	code, page = quan.post(path, url.Values{"csrf": {quan.csrf("/admin/packs")}, "action": {"rollback"}, "confirm": {"yes"}}, srv.URL)
	if code != http.StatusOK {
		t.Fatalf("rollback: %d %s", code, snippetAround(page, "error"))
	}
	if err := h.followPublished(ctx); err != nil {
		t.Fatal(err)
	}
	for id, undone := range map[int64]bool{before: false, a: true, c: true} {
		ch, err := h.GetChange(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		u, err := h.UndoneBy(ctx, ch)
		if err != nil {
			t.Fatal(err)
		}
		if (u != nil) != undone {
			t.Errorf("change #%d: UndoneBy %+v, the confirmation said undone %v", id, u, undone)
		}
	}
}

// Outside QA s29, finding 5, as the reviewer reads it: a fee corrected to
// 9.000 đ whose note still says 8.000 đồng reads "xem lại" on the change
// page, and the change can still be approved (a warning, not a blocker).
func TestS29ChangePageDoubtsAFeeNoteNamingAnotherAmount(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	id := mustOpen(t, h, "Lệ phí bản sao 9.000", "lan")
	b := edited(t, h, banSao, "amount: 8000", "amount: 9000\n    note: {vi: \"Mức 8.000 đồng mỗi bản theo Thông tư 281/2016/TT-BTC.\"}")
	mustSave(t, h, id, banSao, b, "lan")
	_, body := lan.get(changeURL(id))
	lines := between(body, `<ul class="change-lines">`, "</ul>")
	if !strings.Contains(lines, "xem lại: ghi chú ghi 8.000 đ nhưng mức lệ phí là 9.000 đ") {
		t.Errorf("the change page does not doubt the note: %s", lines)
	}
	approveWithSources(t, h, id, "lan", "hoa")
}
