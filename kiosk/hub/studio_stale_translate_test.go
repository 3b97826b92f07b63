package hub

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"tramso/kiosk/lang"
	"tramso/kiosk/translate"
)

const (
	chungThuc   = "procedures/chung-thuc-ban-sao.yaml"
	copyFeeOld  = "Từ trang thứ 3: 1.000 đ/trang"
	copyFeeNew  = "Từ trang thứ 3: 1.500 đ/trang"
	copyFeeEn   = "From page 3: 1,000 đ per page; at most 200,000 đ per copy."
	copyFeeEnV2 = "From page 3: 1,500 đ per page; at most 200,000 đ per copy."
)

// A Vietnamese fee note reworded while its English stays: the line "cần
// dịch lại" in the change (listed by the default filter with the old and the
// new Vietnamese, counted apart in the coverage, named on the change page),
// not in the approved content until the change is approved; then in the
// approved content too. A new translation clears it in its change; saving
// the line unchanged does not; "vẫn đúng" clears it everywhere.
func TestStaleTranslationNeedsRetranslating(t *testing.T) {
	h, srv := startTestHub(t, Options{Frontend: kioskShell})
	ctx := context.Background()
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	hoa := loginAs(t, h, srv, "hoa", RoleReviewer)
	line := copyFeeLine(t, h)

	id := mustOpen(t, h, "Lệ phí sao y", "lan")
	mustSave(t, h, id, chungThuc, edited(t, h, chungThuc, copyFeeOld, copyFeeNew), "lan")
	change := strconv.FormatInt(id, 10)

	_, body := lan.get("/admin/content/translate/en?change=" + change)
	if !strings.Contains(body, "chưa dịch hoặc cần dịch lại") {
		t.Fatalf("the default filter is not named for stale lines: %.2000s", body)
	}
	row := rowHTML(t, body, line)
	for _, want := range []string{`data-testid="stale"`, copyFeeNew, "<del>" + copyFeeOld, copyFeeEn, `name="ok:` + line + `"`} {
		if !strings.Contains(row, want) {
			t.Errorf("the stale row lacks %q: %s", want, row)
		}
	}
	if !isStale(t, h, ctx, id, line) || isStale(t, h, ctx, 0, line) {
		t.Fatal("stale in the change only: want true in the change, false in the approved content")
	}
	_, body = lan.get("/admin/content/translate/en")
	if strings.Contains(body, `data-testid="line-`+line+`"`) {
		t.Fatal("the approved content, whose Vietnamese is unchanged, lists the line as to translate")
	}

	// The coverage: one procedure line fewer done, counted apart.
	approved, _ := h.ApprovedTree(ctx)
	tree, _ := h.ChangeTree(ctx, id)
	if a, c := enCoverage(t, h, approved), enCoverage(t, h, tree); a.Procedures != c.Procedures {
		t.Fatalf("the fixture changed the count itself: %+v %+v", a, c)
	}
	done := enCoverage(t, h, tree).Procedures
	_, body = lan.get("/admin/content/translate/?change=" + change)
	cells := coverageRow(t, body, "en")
	if want := strconv.Itoa(done.Done-1) + "/" + strconv.Itoa(done.Total); !strings.Contains(cells, want) || !strings.Contains(cells, "1 cần dịch lại") {
		t.Fatalf("the coverage of en does not count %s done and 1 stale: %s", want, cells)
	}
	_, body = lan.get("/admin/content/translate/")
	if strings.Contains(coverageRow(t, body, "en"), "cần dịch lại") {
		t.Fatal("the approved content's coverage counts a stale line")
	}

	// The change page names it for the reviewer.
	_, body = hoa.get("/admin/content/changes/" + change)
	if !strings.Contains(body, `data-testid="retranslate"`) || !strings.Contains(body, "1 dòng tiếng Anh cần dịch lại") ||
		!strings.Contains(body, `href="/admin/content/translate/en?change=`+change+`"`) {
		t.Fatalf("the change page does not name the stale English: %.4000s", body)
	}

	// Approved: the approved content has the new Vietnamese and the old English.
	mustPropose(t, h, id, "lan")
	r, _ := h.ChangeReview(ctx, id)
	if err := h.AddSource(ctx, id, chungThuc, sourceFor(r), "lan"); err != nil {
		t.Fatal(err)
	}
	if err := h.Approve(ctx, id, "hoa"); err != nil {
		t.Fatal(err)
	}
	if !isStale(t, h, ctx, 0, line) {
		t.Fatal("approved, the line is not stale in the approved content")
	}

	// Saving the page unchanged, without "vẫn đúng", leaves it stale.
	fix := mustOpen(t, h, "Dịch lại", "lan")
	in := "/admin/content/translate/en?change=" + strconv.FormatInt(fix, 10)
	_, body = lan.get(in + "&kind=procedures")
	vals := formOf(t, body)
	if vals.Get(line) != copyFeeEn {
		t.Fatalf("the field holds %q", vals.Get(line))
	}
	vals.Del("ok:" + line)
	mustPost(t, lan, "/admin/content/translate/en", vals, http.StatusOK)
	if !isStale(t, h, ctx, fix, line) {
		t.Fatal("saved unchanged without confirming, the line is no longer stale")
	}

	// A new translation clears it in its change, not yet in the approved content.
	vals.Set(line, copyFeeEnV2)
	body = mustPost(t, lan, "/admin/content/translate/en", vals, http.StatusOK)
	if !strings.Contains(body, "Đã lưu 1 dòng") {
		t.Fatalf("no save: %.2000s", body)
	}
	if isStale(t, h, ctx, fix, line) || !isStale(t, h, ctx, 0, line) {
		t.Fatal("retranslated: want not stale in the change, stale in the approved content")
	}
	if _, body = lan.get(in); strings.Contains(body, `data-testid="line-`+line+`"`) {
		t.Fatal("the default filter still lists the retranslated line")
	}

	// "Vẫn đúng" in another change: the old English is declared right for
	// the new Vietnamese, so no tree holding that pair has it stale.
	keep := mustOpen(t, h, "Xác nhận", "lan")
	_, body = lan.get("/admin/content/translate/en?change=" + strconv.FormatInt(keep, 10) + "&kind=procedures")
	vals = formOf(t, body)
	vals.Set("ok:"+line, "1")
	body = mustPost(t, lan, "/admin/content/translate/en", vals, http.StatusOK)
	if !strings.Contains(body, "Đã ghi nhận 1 dòng") {
		t.Fatalf("no notice of the confirmation: %.2000s", body)
	}
	if isStale(t, h, ctx, keep, line) || isStale(t, h, ctx, 0, line) {
		t.Fatal("confirmed, the line is still stale")
	}
	if vs, _ := h.ChangeVersions(ctx, keep); len(vs) != 0 {
		t.Fatalf("a confirmation saved versions: %+v", vs)
	}
}

// basisOf: a kept translation of reworded Vietnamese was made from the old
// words; a changed one from the new; an untouched line says nothing.
func TestStaleBasisOfASave(t *testing.T) {
	before := map[string]map[string]string{
		"a": {"vi": "một", "en": "one", "rad": "sa"},
		"b": {"vi": "hai", "en": "two"},
		"c": {"vi": "ba", "en": "three"},
	}
	after := map[string]map[string]string{
		"a": {"vi": "một cái", "en": "one", "rad": "sa ƀĭ"},
		"b": {"vi": "hai", "en": "two"},
		"c": {"vi": "ba", "en": "3"},
	}
	conv := func(m map[string]map[string]string) map[string]lang.Text {
		out := map[string]lang.Text{}
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	got := basisOf(conv(before), conv(after))
	want := []basisRow{{"a", "en", "one", "một"}, {"a", "rad", "sa ƀĭ", "một cái"}, {"c", "en", "3", "ba"}}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %+v, want %+v", got, want)
		}
	}
}

// copyFeeLine is the msgctxt of the copy fee's note in the starter.
func copyFeeLine(t *testing.T, h *Hub) string {
	t.Helper()
	ctx := context.Background()
	tree, _ := h.ApprovedTree(ctx)
	units, err := translate.Collect(kioskShell, h.TreeFS(ctx, tree), "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if strings.HasPrefix(u.Source, copyFeeOld) && u.Trans == copyFeeEn {
			return u.Ctxt
		}
	}
	t.Fatal("the starter has no copy fee note in English")
	return ""
}

// isStale says whether line needs translating again into English in a
// change's tree (0: the approved one).
func isStale(t *testing.T, h *Hub, ctx context.Context, change int64, line string) bool {
	t.Helper()
	tree, err := h.ApprovedTree(ctx)
	if change != 0 {
		tree, err = h.ChangeTree(ctx, change)
	}
	if err != nil {
		t.Fatal(err)
	}
	units, err := translate.Collect(kioskShell, h.TreeFS(ctx, tree), "en")
	if err != nil {
		t.Fatal(err)
	}
	stale, err := h.staleTranslations(ctx, units, "en")
	if err != nil {
		t.Fatal(err)
	}
	_, ok := stale[line]
	return ok
}

func enCoverage(t *testing.T, h *Hub, tree Tree) translate.Coverage {
	t.Helper()
	st, err := translate.Status(kioskShell, h.TreeFS(context.Background(), tree))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range st {
		if c.Lang == "en" {
			return c
		}
	}
	t.Fatal("no coverage of en")
	return translate.Coverage{}
}

// coverageRow is the markup of a language's row of the coverage table.
func coverageRow(t *testing.T, page, code string) string {
	t.Helper()
	i := strings.Index(page, `data-testid="coverage-`+code+`"`)
	if i < 0 {
		t.Fatalf("no coverage row for %s: %.2000s", code, page)
	}
	row, _, _ := strings.Cut(page[i:], "</tr>")
	return row
}

// A version scanned twice (two requests that listed it before either
// committed, likely in the first scan after an upgrade) and a line
// confirmed "vẫn đúng" twice (two translators) both succeed, and keep one
// row each.
func TestStaleBasisReadTwice(t *testing.T) {
	h, _ := startTestHub(t, Options{Frontend: kioskShell})
	ctx := context.Background()
	line := copyFeeLine(t, h)
	id := mustOpen(t, h, "Lệ phí sao y", "lan")
	mustSave(t, h, id, chungThuc, edited(t, h, chungThuc, copyFeeOld, copyFeeNew), "lan")
	if !isStale(t, h, ctx, id, line) {
		t.Fatal("fixture: not stale")
	}
	count := func() (n int) {
		t.Helper()
		if err := h.DB.QueryRowContext(ctx, `SELECT count(*) FROM content_translation_basis WHERE line = $1 AND lang = 'en'`, line).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	rows := count()
	if _, err := h.DB.ExecContext(ctx, `DELETE FROM content_translation_scanned`); err != nil {
		t.Fatal(err)
	}
	tree, err := h.ChangeTree(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	units, err := translate.Collect(kioskShell, h.TreeFS(ctx, tree), "en")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.staleTranslations(ctx, units, "en"); err != nil {
		t.Fatalf("versions read twice: %v", err)
	}
	if n := count(); n != rows {
		t.Errorf("read twice, the line has %d rows, want %d", n, rows)
	}
	for range 2 {
		if err := h.confirmTranslations(ctx, "en", units, []string{line}); err != nil {
			t.Fatalf("confirmed twice: %v", err)
		}
	}
	if n := count(); n != rows+1 {
		t.Errorf("confirmed twice, the line has %d rows, want %d", n, rows+1)
	}
	if isStale(t, h, ctx, id, line) {
		t.Error("confirmed, the line is still stale")
	}
}
