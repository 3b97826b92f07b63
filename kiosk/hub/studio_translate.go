package hub

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"tramso/kiosk/lang"
	"tramso/kiosk/studio"
	"tramso/kiosk/translate"
)

// The content studio's translation pages (issue 17): how far each language
// is translated and recorded, and one language's lines side by side with
// the Vietnamese. A translation is saved into a change, through the checks
// of `tramso pack translations import` (placeholders, length budget, the
// kiosk's font), so it goes through the same review as any other content.

func (h *Hub) studioTranslateRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/content/translate/{$}", h.allow(permRead, h.translateIndex))
	mux.HandleFunc("GET /admin/content/translate/{lang}", h.allow(permRead, h.translatePage))
	mux.HandleFunc("POST /admin/content/translate/{lang}", h.allow(permEdit, h.translateAction))
}

// translatePerPage is how many lines a page shows: enough for a screen's
// worth of work, few enough that one save is a reviewable step.
const translatePerPage = 40

const translateTitle = "Bản dịch"

// shellCatalogues is the kiosk's own shell catalogues (i18n/vi/*.json in its
// built frontend), the source of the screens' lines.
func (h *Hub) shellCatalogues() (fs.FS, error) {
	f := h.opts.Frontend
	if f == nil {
		return nil, failf(nil, "Máy chủ này không có giao diện kiosk đi kèm nên chưa dịch được. Hãy chạy bản tramso đầy đủ.")
	}
	if _, err := fs.Stat(f, translate.ShellDir+"/vi"); err != nil {
		return nil, failf(err, "Giao diện kiosk đi kèm máy chủ không có các dòng tiếng Việt để dịch.")
	}
	return f, nil
}

// coverageCell is done out of total, as a cell of the coverage table shows it.
type coverageCell struct {
	Label                string // the column's, for phones
	Done, Total, Percent int
	Stale                int // translated from Vietnamese that changed since: not done
}

// countOf is a cell of c, of which stale lines are translated but need
// translating again: they count apart, not as done.
func countOf(label string, c translate.Count, stale int) coverageCell {
	c.Done -= stale
	p := 0
	if c.Total > 0 {
		p = c.Done * 100 / c.Total
	}
	return coverageCell{label, c.Done, c.Total, p, stale}
}

type langCoverage struct {
	Code, Name string
	Counts     []coverageCell // shell, lessons, procedures, recorded
}

type translateIndexData struct {
	View  view
	Langs []langCoverage
}

// translateIndex is GET /admin/content/translate/: every language but
// Vietnamese with its coverage in the content being viewed.
func (h *Hub) translateIndex(w http.ResponseWriter, r *http.Request, s session) {
	ctx := r.Context()
	v, err := h.viewOf(ctx, r.URL.Query().Get("change"))
	var shell fs.FS
	if err == nil {
		shell, err = h.shellCatalogues()
	}
	if err != nil {
		h.studioPageError(w, r, s, err)
		return
	}
	st, err := translate.Status(shell, h.TreeFS(ctx, v.Tree))
	if err != nil {
		h.studioPageError(w, r, s, failf(err, "Nội dung này chưa đọc được để đếm các dòng đã dịch."))
		return
	}
	d := translateIndexData{View: v}
	for _, c := range st {
		if c.Lang == "vi" {
			continue
		}
		stale, err := h.staleByKind(ctx, shell, v, c.Lang)
		if err != nil {
			h.studioPageError(w, r, s, failf(err, "Chưa đếm được các dòng cần dịch lại."))
			return
		}
		d.Langs = append(d.Langs, langCoverage{Code: c.Lang, Name: studio.LanguageName(c.Lang), Counts: []coverageCell{
			countOf("Màn hình kiosk", c.Shell, stale["shell"]), countOf("Bài học", c.Lessons, stale["lessons"]),
			countOf("Thủ tục", c.Procedures, stale["procedures"]), countOf("Dòng đã thu âm", c.Recorded, 0)}})
	}
	h.render(w, r, http.StatusOK, "studioTranslateIndex", s.page(translateTitle, d))
}

// staleByKind counts the lines of lng in v that need translating again, by
// kindOfUnit.
func (h *Hub) staleByKind(ctx context.Context, shell fs.FS, v view, lng string) (map[string]int, error) {
	units, err := translate.Collect(shell, h.TreeFS(ctx, v.Tree), lng)
	if err != nil {
		return nil, err
	}
	stale, err := h.staleTranslations(ctx, units, lng)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, u := range units {
		if _, ok := stale[u.Ctxt]; ok {
			out[kindOfUnit(u)]++
		}
	}
	return out, nil
}

// translateFilter is which lines a language's page shows.
type translateFilter struct {
	All  bool   // translated lines too, not only the untranslated and stale
	Kind string // "", "shell", "lessons", "procedures"
	Q    string // words of the Vietnamese
	Page int    // 1-based
}

func filterOf(r *http.Request) translateFilter {
	f := translateFilter{All: r.FormValue("show") == "all", Q: strings.TrimSpace(r.FormValue("q"))}
	if k := r.FormValue("kind"); slices.Contains([]string{"shell", "lessons", "procedures"}, k) {
		f.Kind = k
	}
	f.Page, _ = strconv.Atoi(r.FormValue("page"))
	return f
}

// values is the filter as URL parameters, with the view's change.
func (f translateFilter) values(v view, page int) url.Values {
	q := url.Values{}
	if v.Change != nil {
		q.Set("change", strconv.FormatInt(v.Change.ID, 10))
	}
	if f.All {
		q.Set("show", "all")
	}
	if f.Kind != "" {
		q.Set("kind", f.Kind)
	}
	if f.Q != "" {
		q.Set("q", f.Q)
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	return q
}

// kindOfUnit sorts a line as Status counts it.
func kindOfUnit(u translate.Unit) string {
	switch k, _, _ := strings.Cut(u.Ctxt, ":"); k {
	case "shell":
		return "shell"
	case "lesson", "course":
		return "lessons"
	}
	return "procedures"
}

func (f translateFilter) keep(u translate.Unit, stale bool) bool {
	return (f.All || u.Trans == "" || stale) &&
		(f.Kind == "" || kindOfUnit(u) == f.Kind) &&
		(f.Q == "" || strings.Contains(strings.ToLower(u.Source), strings.ToLower(f.Q)))
}

// translateRow is one line on the page.
type translateRow struct {
	N        int // its place on the page, for element ids
	Ctxt     string
	Where    string // in Vietnamese
	File     string // the content file, to open it; "" for the kiosk's screens
	Source   string
	Current  string // the translation saved
	Stale    bool   // Current was made from other Vietnamese: needs translating again
	Was      string // that Vietnamese, when known
	Value    string // what the field shows: the saved or the just-posted text
	Budget   int
	Long     bool // a textarea rather than one line
	Problems []string
}

type translateData struct {
	View         view
	Lang, Name   string
	Filter       translateFilter
	Rows         []translateRow
	Matching     int // lines the filter keeps
	Stale        int // lines of the language that need translating again
	Page, Pages  int
	Prev, Next   string // links to the neighbouring pages
	Open         []Change
	PageProblems []string // problems of lines that are not on this page
}

// translatePage is GET /admin/content/translate/{lang}.
func (h *Hub) translatePage(w http.ResponseWriter, r *http.Request, s session) {
	h.renderTranslate(w, r, s, http.StatusOK, nil, nil)
}

// refused is a post that saved nothing: what was typed, by msgctxt, and the
// problems in Vietnamese by msgctxt ("" for those of no line shown).
type refused struct {
	typed    map[string]string
	problems map[string][]string
}

func (h *Hub) renderTranslate(w http.ResponseWriter, r *http.Request, s session, status int, fail error, back *refused) {
	ctx := r.Context()
	code := r.PathValue("lang")
	if code == "vi" || !lang.IsKnown(code) {
		h.errorPage(w, r, http.StatusNotFound, "Không có ngôn ngữ này", "Kiosk không có ngôn ngữ "+code+" để dịch sang.", link{"/admin/content/translate/", "Về trang Bản dịch"})
		return
	}
	v, err := h.viewOf(ctx, r.FormValue("change"))
	var shell fs.FS
	if err == nil {
		shell, err = h.shellCatalogues()
	}
	var units []translate.Unit
	if err == nil {
		if units, err = translate.Collect(shell, h.TreeFS(ctx, v.Tree), code); err != nil {
			err = failf(err, "Nội dung này chưa đọc được để liệt kê các dòng cần dịch.")
		}
	}
	var stale map[string]staleLine
	if err == nil {
		if stale, err = h.staleTranslations(ctx, units, code); err != nil {
			err = failf(err, "Chưa tìm được các dòng cần dịch lại.")
		}
	}
	if err != nil {
		h.studioPageError(w, r, s, err)
		return
	}
	d := translateData{View: v, Lang: code, Name: studio.LanguageName(code), Filter: filterOf(r)}
	var kept []translate.Unit
	for _, u := range units {
		if _, ok := stale[u.Ctxt]; ok {
			d.Stale++
		}
	}
	for _, u := range units {
		if _, isStale := stale[u.Ctxt]; d.Filter.keep(u, isStale) || back != nil && back.typed[u.Ctxt] != "" && back.problems[u.Ctxt] != nil {
			kept = append(kept, u)
		}
	}
	// A stale line first: unlike an untranslated one, it shows residents
	// something wrong.
	slices.SortStableFunc(kept, func(a, b translate.Unit) int {
		_, sa := stale[a.Ctxt]
		_, sb := stale[b.Ctxt]
		switch {
		case sa && !sb:
			return -1
		case sb && !sa:
			return 1
		}
		return 0
	})
	d.Matching = len(kept)
	d.Pages = max(1, (len(kept)+translatePerPage-1)/translatePerPage)
	d.Page = min(max(1, d.Filter.Page), d.Pages)
	d.Filter.Page = d.Page
	for i, u := range kept[(d.Page-1)*translatePerPage : min(len(kept), d.Page*translatePerPage)] {
		row := rowOf(i, u, v, back)
		if st, ok := stale[u.Ctxt]; ok {
			row.Stale, row.Was = true, st.Was
		}
		d.Rows = append(d.Rows, row)
	}
	if back != nil {
		shown := map[string]bool{}
		for _, row := range d.Rows {
			shown[row.Ctxt] = true
		}
		for ctxt, probs := range back.problems {
			if !shown[ctxt] {
				d.PageProblems = append(d.PageProblems, probs...)
			}
		}
		slices.Sort(d.PageProblems)
	}
	if d.Page > 1 {
		d.Prev = "?" + d.Filter.values(v, d.Page-1).Encode()
	}
	if d.Page < d.Pages {
		d.Next = "?" + d.Filter.values(v, d.Page+1).Encode()
	}
	if d.Open, err = h.Changes(ctx, 50, StateDraft, StateReturned); err != nil {
		h.serverError(w, r, err)
		return
	}
	pg := s.page("Dịch sang "+d.Name, d)
	pg.Notice = translateNotice(r.URL.Query())
	if fail != nil {
		pg = pg.withError(fail)
	}
	h.render(w, r, status, "studioTranslate", pg)
}

func rowOf(i int, u translate.Unit, v view, back *refused) translateRow {
	row := translateRow{N: i + 1, Ctxt: u.Ctxt, Where: whereOf(u), File: u.File, Source: u.Source,
		Current: u.Trans, Value: u.Trans, Budget: u.Budget()}
	row.Long = strings.Contains(u.Source, "\n") || len([]rune(u.Source)) > 60
	if back != nil {
		if t, ok := back.typed[u.Ctxt]; ok {
			row.Value = t
		}
		row.Problems = back.problems[u.Ctxt]
	}
	return row
}

// whereOf says in Vietnamese where a line shows; Unit.Where is the
// translators' English for PO files.
func whereOf(u translate.Unit) string {
	if u.Shell() {
		return "Màn hình kiosk · " + u.NS + "." + u.Key
	}
	kind, rest, _ := strings.Cut(u.Ctxt, ":")
	id, field, _ := strings.Cut(rest, ":")
	switch kind {
	case "procedure":
		return "Thủ tục mã " + id + " · " + field
	case "lesson":
		return "Bài học " + id + " · " + field
	case "course":
		return "Khoá học · " + id
	case "life-events":
		return "Sự kiện cuộc sống · " + id
	}
	return u.File + " · " + rest
}

func translateNotice(q url.Values) string {
	n, _ := strconv.Atoi(q.Get("lines"))
	if q.Get("done") == "confirmed" {
		return fmt.Sprintf("Đã ghi nhận %d dòng: bản dịch vẫn đúng với câu tiếng Việt mới.", n)
	}
	if q.Get("done") != "translated" {
		return studioNotices[q.Get("done")]
	}
	return fmt.Sprintf("Đã lưu %d dòng bản dịch vào thay đổi #%s. Trang của thay đổi liệt kê chúng cho người duyệt.", n, q.Get("change"))
}

// translateAction is POST /admin/content/translate/{lang}: action=open
// opens a change to translate in; otherwise the page's lines, named by
// their msgctxt, are checked as an imported PO file would be and saved
// into the change, or shown again with their problems.
func (h *Hub) translateAction(w http.ResponseWriter, r *http.Request, s session) {
	ctx := r.Context()
	code := r.PathValue("lang")
	if code == "vi" || !lang.IsKnown(code) {
		h.renderTranslate(w, r, s, http.StatusNotFound, nil, nil)
		return
	}
	if r.PostFormValue("action") == "open" {
		c, err := h.changeToWrite(r, s, "Dịch sang "+studio.LanguageName(code))
		if err != nil {
			h.renderTranslate(w, r, s, http.StatusConflict, err, nil)
			return
		}
		h.redirectTranslate(w, r, view{Change: c}, "")
		return
	}
	v, err := h.writableView(ctx, r.PostFormValue("change"))
	var shell fs.FS
	if err == nil {
		shell, err = h.shellCatalogues()
	}
	if err != nil {
		h.renderTranslate(w, r, s, http.StatusConflict, err, nil)
		return
	}
	src := h.TreeFS(ctx, v.Tree)
	units, err := translate.Collect(shell, src, code)
	if err != nil {
		h.renderTranslate(w, r, s, http.StatusConflict, failf(err, "Nội dung này chưa đọc được."), nil)
		return
	}
	po, back := postedPO(r.PostForm, units, code)
	if len(back.problems) > 0 {
		h.renderTranslate(w, r, s, http.StatusConflict, failf(nil, "Nội dung vừa thay đổi trong lúc dịch. Chưa lưu gì; hãy tải lại trang."), back)
		return
	}
	confirmed := confirmedLines(r.PostForm, units, po)
	if len(po.Entries) == 0 && len(confirmed) == 0 {
		h.redirectTranslate(w, r, v, "done=unchanged")
		return
	}
	if len(po.Entries) == 0 {
		if err := h.confirmTranslations(ctx, code, units, confirmed); err != nil {
			h.renderTranslate(w, r, s, http.StatusConflict, studioFail(err, "Chưa ghi được xác nhận."), back)
			return
		}
		h.audit(r, s.User, "content_translation_confirmed", fmt.Sprintf("change %d: %d lines in %s", v.Change.ID, len(confirmed), code))
		h.redirectTranslate(w, r, v, "done=confirmed&lines="+strconv.Itoa(len(confirmed)))
		return
	}
	files, n, err := translate.Apply(shell, src, code, po)
	var probs translate.Problems
	if errors.As(err, &probs) {
		for _, p := range probs {
			back.problems[p.Ctxt] = append(back.problems[p.Ctxt], problemText(p))
		}
		h.renderTranslate(w, r, s, http.StatusBadRequest,
			failf(nil, fmt.Sprintf("Có %d dòng chưa đúng; xem lời nhắn cạnh từng dòng. Chưa lưu gì.", len(back.problems))), back)
		return
	}
	if err == nil {
		err = h.saveChanged(ctx, v, files, s.User)
	}
	if err == nil && len(confirmed) > 0 {
		err = h.confirmTranslations(ctx, code, units, confirmed)
	}
	if err != nil {
		h.renderTranslate(w, r, s, http.StatusConflict, studioFail(err, "Chưa lưu được bản dịch."), back)
		return
	}
	h.audit(r, s.User, "content_translated", fmt.Sprintf("change %d: %d lines in %s", v.Change.ID, n, code))
	h.redirectTranslate(w, r, v, "done=translated&lines="+strconv.Itoa(n))
}

// sourcePrefix names the hidden field that carries, beside each line, the
// Vietnamese the translator saw: when it has changed since (someone edited
// the text in the same change), the import check refuses the line as it
// refuses a PO file exported before the edit.
const sourcePrefix = "vi:"

// postedPO is the PO file of the posted lines that are not empty and differ
// from their saved translation. Lines come by msgctxt; one the content no
// longer has (someone changed the Vietnamese meanwhile) is a problem.
func postedPO(posted url.Values, units []translate.Unit, code string) (*translate.File, *refused) {
	back := &refused{typed: map[string]string{}, problems: map[string][]string{}}
	po := &translate.File{Header: []string{"Language: " + code}}
	known := map[string]bool{}
	for i, u := range units {
		known[u.Ctxt] = true
		vals, ok := posted[u.Ctxt]
		if !ok {
			continue
		}
		text := strings.ReplaceAll(vals[0], "\r\n", "\n")
		back.typed[u.Ctxt] = text
		if text != "" && text != u.Trans {
			id := u.Source
			if seen, ok := posted[sourcePrefix+u.Ctxt]; ok {
				id = strings.ReplaceAll(seen[0], "\r\n", "\n")
			}
			po.Entries = append(po.Entries, translate.Entry{Ctxt: u.Ctxt, ID: id, Str: text, Line: i + 1, StrLine: i + 1})
		}
	}
	for k, vals := range posted {
		if strings.Contains(k, ":") && !strings.HasPrefix(k, sourcePrefix) && !strings.HasPrefix(k, confirmPrefix) && !known[k] && vals[0] != "" {
			back.problems[k] = []string{"Dòng " + k + " không còn trong nội dung; bản dịch “" + vals[0] + "” chưa lưu."}
		}
	}
	return po, back
}

// confirmPrefix names the box a translator ticks beside a stale line whose
// translation still fits the new Vietnamese ("vẫn đúng").
const confirmPrefix = "ok:"

// confirmedLines are the lines posted with "vẫn đúng" ticked whose
// translation is saved unchanged: one the post changes is made anew.
func confirmedLines(posted url.Values, units []translate.Unit, po *translate.File) []string {
	var out []string
	for _, u := range units {
		if posted.Get(confirmPrefix+u.Ctxt) == "" || u.Trans == "" ||
			slices.ContainsFunc(po.Entries, func(e translate.Entry) bool { return e.Ctxt == u.Ctxt }) {
			continue
		}
		out = append(out, u.Ctxt)
	}
	return out
}

// problemText words an import problem in Vietnamese.
func problemText(p translate.Problem) string {
	switch p.Kind {
	case translate.KindPlaceholder:
		if len(p.Placeholders) == 0 {
			return "Câu tiếng Việt không có chỗ điền {…}; hãy bỏ chúng khỏi bản dịch."
		}
		return "Phải giữ nguyên " + strings.Join(p.Placeholders, " ") + " như trong câu tiếng Việt (không dịch, không bỏ): kiosk điền số hoặc tên vào đó."
	case translate.KindBudget:
		return fmt.Sprintf("Dài %d ký tự; tối đa %d ký tự để vừa nút và thẻ trên kiosk.", p.Length, p.Budget)
	case translate.KindGlyph:
		return fmt.Sprintf("Phông chữ của kiosk không có chữ “%c” (U+%04X): kiosk không hiện được chữ này.", p.Char, p.Char)
	case translate.KindSource:
		return "Câu tiếng Việt vừa được sửa; hãy dịch lại theo câu mới."
	}
	return "Dòng này chưa nhận được: " + p.Msg
}

// saveChanged saves, as versions of the view's change, every file whose
// bytes differ from the change's tree, all in one: a page's lines touch a
// content YAML and a catalogue, and half of them saved would be a
// translation the editor never made.
func (h *Hub) saveChanged(ctx context.Context, v view, files map[string][]byte, user string) error {
	changed := map[string][]byte{}
	for p, body := range files {
		if tf, ok := v.Tree[p]; ok {
			old, err := h.blobBytes(ctx, tf.SHA256)
			if err != nil {
				return err
			}
			if bytes.Equal(old, body) {
				continue
			}
		}
		changed[p] = body
	}
	if len(changed) == 0 {
		return nil
	}
	_, err := h.SaveFiles(ctx, v.Change.ID, changed, user)
	return err
}

// redirectTranslate goes back to the language's page, filtered as posted,
// in v's change.
func (h *Hub) redirectTranslate(w http.ResponseWriter, r *http.Request, v view, extra string) {
	u := path.Join("/admin/content/translate", r.PathValue("lang")) + "?" + filterOf(r).values(v, filterOf(r).Page).Encode()
	if extra != "" {
		u += "&" + extra
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}
