package hub

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"tramso/kiosk/content"
	"tramso/kiosk/translate"
)

// kioskShell is the kiosk's own catalogues, laid out as its built frontend
// carries them (dist/i18n/<lang>/*.json).
var kioskShell = os.DirFS("../../frontend/src")

// Ê Đê test texts, with the breve letters the kiosk's font must draw.
// They are fixtures, not translations a native speaker has checked.
const (
	radLearn = "Hriăm mnơ̆ng ñu čŏ (thử)"
	radBirth = "Mă hră kơ hđeh mrâo kkiêng (thử)"
)

// The translation pages through real sessions, posting what the rendered
// form holds: an editor opens a change from the read-only page, translates
// a shell line and a procedure's name into Ê Đê; both are versions of the
// change, in its tree and in the coverage. A lost placeholder and a glyph
// outside the font are refused beside their rows, keeping what was typed,
// and nothing is saved; a viewer may read but not post.
func TestTranslatePages(t *testing.T) {
	h, srv := startTestHub(t, Options{Frontend: kioskShell})
	ctx := context.Background()
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	xem := loginAs(t, h, srv, "xem", RoleViewer)

	code, body := xem.get("/admin/content/translate/")
	for _, want := range []string{`data-testid="coverage-rad"`, "tiếng Ê Đê", "tiếng M&#39;nông", "Màn hình kiosk"} {
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Fatalf("the index lacks %q: %d %.1500s", want, code, body)
		}
	}
	if strings.Contains(body, `data-testid="coverage-vi"`) {
		t.Fatal("Vietnamese, the source, is listed as a language to translate")
	}
	code, body = lan.get("/admin/content/translate/rad")
	if code != http.StatusOK || !strings.Contains(body, `<fieldset class="studio-body" disabled>`) || !strings.Contains(body, "Dịch trong thay đổi") {
		t.Fatalf("the approved content's page is not read-only with a way to open a change: %d %.1500s", code, body)
	}
	if !strings.Contains(body, `href="/admin/content/preview/approved/?lang=rad"`) {
		t.Fatalf("no preview in Ê Đê: %.1500s", body)
	}
	approved, _ := h.ApprovedTree(ctx)
	before := radCoverage(t, h, approved)

	mustPost(t, lan, "/admin/content/translate/rad", url.Values{"action": {"open"}, "into": {"new"}, "title": {"Dịch màn hình đầu sang Ê Đê"}}, http.StatusOK)
	cs, _ := h.Changes(ctx, 10, StateDraft)
	if len(cs) != 1 || cs[0].Title != "Dịch màn hình đầu sang Ê Đê" {
		t.Fatalf("changes: %+v", cs)
	}
	change := strconv.FormatInt(cs[0].ID, 10)
	in := "/admin/content/translate/rad?change=" + change

	// A shell line, from the page filtered to the kiosk's screens.
	_, body = lan.get(in + "&kind=shell&q=" + url.QueryEscape("Học kỹ năng số"))
	vals := formOf(t, body)
	if _, ok := vals["shell:shell.home.learn"]; !ok {
		t.Fatalf("no field for shell.home.learn: %v", vals)
	}
	vals.Set("shell:shell.home.learn", radLearn)
	body = mustPost(t, lan, "/admin/content/translate/rad", vals, http.StatusOK)
	if !strings.Contains(body, "Đã lưu 1 dòng bản dịch vào thay đổi #"+change) {
		t.Fatalf("no notice after the save: %.2000s", body)
	}
	// A procedure's name, from the page of every procedure line.
	_, body = lan.get(in + "&kind=procedures&show=all&q=" + url.QueryEscape("Làm giấy khai sinh cho bé"))
	vals = formOf(t, body)
	vals.Set("procedure:1.001193:plain_name", radBirth)
	mustPost(t, lan, "/admin/content/translate/rad", vals, http.StatusOK)

	vs, _ := h.ChangeVersions(ctx, cs[0].ID)
	paths := map[string]bool{}
	for _, v := range vs {
		paths[v.Path] = true
		if v.Author != "lan" {
			t.Errorf("version %+v not by lan", v)
		}
	}
	if len(vs) != 2 || !paths["i18n/rad/shell.json"] || !paths[khaiSinh] {
		t.Fatalf("versions: %+v", vs)
	}
	// The change's review names each translated line.
	_, body = xem.get("/admin/content/changes/" + change)
	for _, want := range []string{"Màn hình kiosk, tiếng Ê Đê — shell.home.learn: thêm &#34;" + radLearn, radBirth} {
		if !strings.Contains(body, want) {
			t.Errorf("the review lacks %q: %.4000s", want, body)
		}
	}
	if got := fileBytes(t, h, cs[0].ID, "i18n/rad/shell.json"); !strings.Contains(got, radLearn) {
		t.Fatalf("the shell catalogue: %s", got)
	}
	tree, _ := h.ChangeTree(ctx, cs[0].ID)
	pk, err := content.Load(h.TreeFS(ctx, tree))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := pk.Procedure("1.001193").PlainName.In("rad"); s != radBirth {
		t.Fatalf("the kiosk reads the procedure's name in rad as %q", s)
	}
	after := radCoverage(t, h, tree)
	if after.Shell.Done != before.Shell.Done+1 || after.Procedures.Done != before.Procedures.Done+1 {
		t.Fatalf("coverage before %+v, after %+v", before, after)
	}
	_, body = xem.get("/admin/content/translate/?change=" + change)
	cell := strconv.Itoa(after.Shell.Done) + "/" + strconv.Itoa(after.Shell.Total)
	if !strings.Contains(body, cell) {
		t.Fatalf("the index does not show %s: %.3000s", cell, body)
	}

	// A lost placeholder and a glyph outside the font: refused beside their
	// rows, what was typed kept, nothing saved.
	_, body = lan.get(in + "&kind=shell&show=all&q=" + url.QueryEscape("học"))
	vals = formOf(t, body)
	if !vals.Has("shell:shell.home.learn_count") || vals.Get("shell:shell.home.learn") != radLearn {
		t.Fatalf("the page of shell lines with \"học\" lacks the two lines: %v", vals)
	}
	vals.Set("shell:shell.home.learn_count", "hriăm")
	vals.Set("shell:shell.home.learn", "Hriăm ☃")
	body = mustPost(t, lan, "/admin/content/translate/rad", vals, http.StatusBadRequest)
	for ctxt, want := range map[string]string{
		"shell:shell.home.learn_count": "Phải giữ nguyên {n}",
		"shell:shell.home.learn":       "không có chữ “☃” (U&#43;2603)",
	} {
		row := rowHTML(t, body, ctxt)
		if !strings.Contains(row, want) || !strings.Contains(row, `aria-invalid="true"`) {
			t.Errorf("row %s lacks %q: %s", ctxt, want, row)
		}
	}
	if !strings.Contains(rowHTML(t, body, "shell:shell.home.learn_count"), `value="hriăm"`) || !strings.Contains(body, "Chưa lưu gì") {
		t.Errorf("what was typed is not kept: %.3000s", body)
	}
	if vs, _ := h.ChangeVersions(ctx, cs[0].ID); len(vs) != 2 {
		t.Fatalf("a refused post saved: %d versions", len(vs))
	}

	// The Vietnamese edited in the change while the line was being
	// translated: refused as an old PO file is, showing the new text.
	_, body = lan.get(in + "&kind=procedures&show=all&q=" + url.QueryEscape("Làm giấy khai sinh cho bé"))
	stale := formOf(t, body)
	stale.Set("procedure:1.001193:plain_name", radBirth+" 2")
	old := fileBytes(t, h, cs[0].ID, khaiSinh)
	edited := strings.Replace(old, "Làm giấy khai sinh cho bé", "Làm giấy khai sinh cho con", 1)
	if edited == old {
		t.Fatal("khai-sinh.yaml does not name the procedure as the test expects")
	}
	if _, err := h.SaveFile(ctx, cs[0].ID, khaiSinh, []byte(edited), "hoa"); err != nil {
		t.Fatal(err)
	}
	body = mustPost(t, lan, "/admin/content/translate/rad", stale, http.StatusBadRequest)
	row := rowHTML(t, body, "procedure:1.001193:plain_name")
	if !strings.Contains(row, "Câu tiếng Việt vừa được sửa") || !strings.Contains(row, "Làm giấy khai sinh cho con") {
		t.Errorf("a translation of the old Vietnamese is not refused beside its row: %s", row)
	}

	// A viewer cannot post, even with the form in hand.
	vals.Set("csrf", xem.csrf("/admin/content/translate/"))
	if code, _ := xem.post("/admin/content/translate/rad", vals, srv.URL); code != http.StatusForbidden {
		t.Fatalf("a viewer posts a translation: %d", code)
	}
	if code, _ := xem.get("/admin/content/translate/vi"); code != http.StatusNotFound {
		t.Fatalf("Vietnamese has a page to translate into: %d", code)
	}
}

// rowHTML is the markup of the line ctxt on a translation page.
func rowHTML(t *testing.T, page, ctxt string) string {
	t.Helper()
	i := strings.Index(page, `data-testid="line-`+ctxt+`"`)
	if i < 0 {
		t.Fatalf("no row %s: %.2000s", ctxt, page)
	}
	row, _, _ := strings.Cut(page[i:], "</li>\n")
	return row
}

func radCoverage(t *testing.T, h *Hub, tree Tree) translate.Coverage {
	t.Helper()
	st, err := translate.Status(kioskShell, h.TreeFS(context.Background(), tree))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range st {
		if c.Lang == "rad" {
			return c
		}
	}
	t.Fatal("no coverage of rad")
	return translate.Coverage{}
}

// A shell catalogue's version lists its lines: added, changed and removed
// by key, an unchanged one left out.
func TestDiffCatalogueNamesEachLine(t *testing.T) {
	before := []byte(`{"home": {"learn": "a", "title": "b"}, "lang": {"self": "Êđê"}}`)
	after := []byte(`{"home": {"learn": "a2", "search": "c"}, "lang": {"self": "Êđê"}}`)
	got, err := diffCatalogue("i18n/rad/shell.json", before, after)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, c := range got {
		lines = append(lines, c.String())
	}
	want := []string{
		`Màn hình kiosk, tiếng Ê Đê — shell.home.learn: "a" → "a2"`,
		`Màn hình kiosk, tiếng Ê Đê — shell.home.search: thêm "c"`,
		`Màn hình kiosk, tiếng Ê Đê — shell.home.title: bỏ "b"`,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if kindOf("i18n/rad/shell.json") != kindCatalogue || kindOf("i18n/shell.json") != kindOther {
		t.Fatal("kindOf does not tell a shell catalogue")
	}
}

// What the translation pages cost over the starter's approved tree: the
// index counts every language (Collect four times, a recording looked up
// per translated line), a language's page collects once.
//
//	go test ./kiosk/hub -run '^$' -bench Translate -benchmem
func BenchmarkTranslate(b *testing.B) {
	h := runTestHub(b, Options{Frontend: kioskShell})
	ctx := context.Background()
	tree, err := h.ApprovedTree(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("status", func(b *testing.B) {
		for b.Loop() {
			if _, err := translate.Status(kioskShell, h.TreeFS(ctx, tree)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("collect", func(b *testing.B) {
		for b.Loop() {
			if _, err := translate.Collect(kioskShell, h.TreeFS(ctx, tree), "rad"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
