package hub

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"tramso/kiosk/content"
	"tramso/kiosk/flow"
	"tramso/kiosk/studio"
	"tramso/kiosk/studio/form"
)

// The content studio's item pages: the content by kind (/admin/content/),
// one file in a form made for it (/admin/content/files/{path}), its history
// with restore, new items and media uploads. Reviewing, publishing and the
// whole-tree export/import are studio_review.go's.
//
// A page shows either the approved content (read-only) or a change's view
// of it (?change=N): there, while the change is open, the form saves a new
// version into that change on each press of "Lưu".

func (h *Hub) studioPageRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/content/{$}", h.allow(permRead, h.contentIndex))
	mux.HandleFunc("GET /admin/content/files/{path...}", h.allow(permRead, h.filePage))
	mux.HandleFunc("POST /admin/content/files/{path...}", h.allow(permEdit, h.fileAction))
	mux.HandleFunc("GET /admin/content/history/{path...}", h.allow(permRead, h.historyPage))
	mux.HandleFunc("POST /admin/content/history/{path...}", h.allow(permEdit, h.restoreAction))
	mux.HandleFunc("POST /admin/content/new", h.allow(permEdit, h.newItemAction))
	mux.HandleFunc("POST /admin/content/media", h.allow(permEdit, h.mediaAction))
}

const contentTitle = "Nội dung"

// view is the tree a page shows: the approved content, or a change's.
type view struct {
	Change *Change // nil: the approved content
	Tree   Tree
}

// Editable says whether the view's forms save: a change still being edited.
func (v view) Editable() bool { return v.Change != nil && v.Change.State.Open() }

// Query is the ?change= part of the view's links.
func (v view) Query() string {
	if v.Change == nil {
		return ""
	}
	return "?change=" + strconv.FormatInt(v.Change.ID, 10)
}

// PreviewKey names the view for the kiosk preview (/admin/content/preview/…).
func (v view) PreviewKey() string {
	if v.Change == nil {
		return "approved"
	}
	return strconv.FormatInt(v.Change.ID, 10)
}

// viewOf reads ?change= (or the posted change field): a change that does
// not exist is a form error the page shows.
func (h *Hub) viewOf(ctx context.Context, raw string) (view, error) {
	if raw == "" {
		t, err := h.ApprovedTree(ctx)
		return view{Tree: t}, err
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return view{}, failf(nil, "Không có thay đổi này.")
	}
	c, err := h.GetChange(ctx, id)
	if err != nil {
		return view{}, studioFail(err, "Không mở được thay đổi.")
	}
	t, err := h.ChangeTree(ctx, id)
	return view{Change: c, Tree: t}, err
}

// errClosedChange is why a form cannot save into the change it names.
var errClosedChange = failf(nil, "Thay đổi này không còn sửa được (đã gửi duyệt hoặc đã duyệt). Hãy mở một thay đổi mới.")

// writableView is the change raw names when it may still be edited: every
// form that saves into a change goes through it.
func (h *Hub) writableView(ctx context.Context, raw string) (view, error) {
	v, err := h.viewOf(ctx, raw)
	if err == nil && !v.Editable() {
		err = errClosedChange
	}
	return v, err
}

// contentItem is one row of the index: a file and how staff call it.
type contentItem struct {
	Path    string
	Title   string
	Sub     string // a procedure's code, a lesson's module
	Changed bool   // the change being viewed touched it
}

type contentGroup struct {
	Title, Kind string
	Items       []contentItem
}

type indexData struct {
	View        view
	Groups      []contentGroup
	Open        []Change // changes an editor may work in
	Media       int      // files under media/
	MediaHere   []string // media files the change being viewed touched
	MediaFolder string
}

// contentIndex is GET /admin/content/: every procedure, lesson, the course
// and the life events of the approved content or of a change.
func (h *Hub) contentIndex(w http.ResponseWriter, r *http.Request, s session) {
	h.renderIndex(w, r, s, http.StatusOK, nil)
}

func (h *Hub) renderIndex(w http.ResponseWriter, r *http.Request, s session, status int, fail error) {
	ctx := r.Context()
	v, err := h.viewOf(ctx, cmp.Or(r.URL.Query().Get("change"), r.PostFormValue("change")))
	if err != nil {
		h.studioPageError(w, r, s, err)
		return
	}
	d := indexData{View: v, MediaFolder: "media/"}
	touched := map[string]bool{}
	if v.Change != nil {
		vs, err := h.ChangeVersions(ctx, v.Change.ID)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		for _, ver := range vs {
			if !touched[ver.Path] && strings.HasPrefix(ver.Path, "media/") {
				d.MediaHere = append(d.MediaHere, ver.Path)
			}
			touched[ver.Path] = true
		}
	}
	d.Groups, d.Media = h.contentGroups(ctx, v.Tree, touched)
	if d.Open, err = h.Changes(ctx, 50, StateDraft, StateReturned); err != nil {
		h.serverError(w, r, err)
		return
	}
	p := s.page(contentTitle, d)
	p.Notice = studioNotices[r.URL.Query().Get("done")]
	if fail != nil {
		p = p.withError(fail)
	}
	h.render(w, r, status, "studioIndex", p)
}

// contentGroups sorts a tree's files into the kinds staff look for, each
// named by its own title; files no form edits go to "Tệp khác".
func (h *Hub) contentGroups(ctx context.Context, t Tree, touched map[string]bool) ([]contentGroup, int) {
	groups := []contentGroup{
		{Title: "Thủ tục hành chính", Kind: "procedure"},
		{Title: "Bài học", Kind: "lesson"},
		{Title: "Khoá học và sự kiện cuộc sống", Kind: "other-form"},
		{Title: "Tệp khác (sửa dạng văn bản)", Kind: "text"},
	}
	media := 0
	for _, p := range t.Paths() {
		if strings.HasPrefix(p, "media/") {
			media++
			continue
		}
		it := contentItem{Path: p, Title: p, Changed: touched[p]}
		g := 3
		if form.Editable(p) {
			it.Title, it.Sub, g = h.itemTitle(ctx, t, p)
		} else if !isText(p) {
			continue
		}
		groups[g].Items = append(groups[g].Items, it)
	}
	for i := range groups {
		slices.SortStableFunc(groups[i].Items, func(a, b contentItem) int { return strings.Compare(a.Title, b.Title) })
	}
	return groups, media
}

// itemTitle reads a form file's own name for the index and its group.
func (h *Hub) itemTitle(ctx context.Context, t Tree, p string) (title, sub string, group int) {
	data, err := h.blobBytes(ctx, t[p].SHA256)
	if err != nil {
		return p, "", 3
	}
	v, err := form.Decode(p, data)
	if err != nil {
		return p, "tệp chưa đọc được: " + err.Error(), 2
	}
	switch x := v.(type) {
	case *content.Procedure:
		return cmp.Or(x.PlainName.Vi(), x.Name, p), "mã " + x.Code + " · " + x.Name, 0
	case *content.Tutorial:
		module, ok := studio.CodeWord(x.Module) // the module's name, not its id ("identity")
		if !ok {
			module = x.Module
		}
		return cmp.Or(x.Title.Vi(), x.ID), "học phần " + module, 1
	case *content.Course:
		return "Khoá học: các học phần và đường dẫn nền tảng học", p, 2
	case *content.Assistant:
		return "Sự kiện cuộc sống, lĩnh vực và từ của danh sách giấy tờ", p, 2
	}
	return p, "", 2
}

// isText says whether a file without a form may be edited as text: the
// pack's YAML, JSON and PO files, never media.
func isText(p string) bool {
	switch path.Ext(p) {
	case ".yaml", ".yml", ".json", ".po":
		return true
	}
	return false
}

// maxTextEdit bounds a file edited as text in the browser.
const maxTextEdit = 512 << 10

// fileData is what the file page shows.
type fileData struct {
	View     view
	Path     string
	Title    string
	Form     template.HTML // the form's fields; empty when edited as text
	Parts    []formPart    // the form's sections, to jump to
	Text     string        // the file as text, when it has no form or does not decode
	Media    string        // a picture's or sound's address (through the preview), shown instead
	Audio    bool          // Media is a sound
	Decode   string        // why the file does not read as its kind
	Diagrams []diagram
	Problems []content.Problem // lint problems of the file, for the list above the form
	Open     []Change
	Saved    *Version // the version just saved (?saved=ID)
	Merged   bool     // Saved merged this edit with one saved since (?done=merged)
	Theirs   string   // when Merged: what the save made since changed, in words
	// Base names the version the form was made from (formBase), so that a
	// save over a version saved since — in another tab, by a colleague — is
	// refused instead of quietly undoing it.
	Base string
	// Stale: the change edits this file from an approved version another
	// approved change has replaced since; it cannot be approved as it is.
	Stale bool
	// Onto, on a form that carries an edit onto the approved file
	// (?carry=, studio_rebase.go), is the approved version it stands on:
	// its save re-bases the change's file there. Carry says what the page
	// carries, CarryFail why it cannot.
	Onto      string
	Carry     *carryView
	CarryFail string
	// OldNarration: a lesson's steps whose narration file reads their text
	// from before an edit (studio_record.go).
	OldNarration []stepNarration
}

type diagram struct {
	Title string
	SVG   template.HTML
}

// filePage is GET /admin/content/files/{path}.
func (h *Hub) filePage(w http.ResponseWriter, r *http.Request, s session) {
	h.renderFile(w, r, s, http.StatusOK, nil, nil)
}

// renderFile shows the file's page. edited, when set, is the value the
// form shows instead of the stored one (after add/remove, or a refused
// save with its errors in opts).
func (h *Hub) renderFile(w http.ResponseWriter, r *http.Request, s session, status int, fail error, edited *formState) {
	ctx := r.Context()
	p := r.PathValue("path")
	v, err := h.viewOf(ctx, cmp.Or(r.URL.Query().Get("change"), r.PostFormValue("change")))
	if err != nil {
		h.studioPageError(w, r, s, err)
		return
	}
	tf, ok := v.Tree[p]
	if !ok && edited == nil {
		h.errorPage(w, r, http.StatusNotFound, "Không có tệp này", "Nội dung này không có tệp "+p+".", link{"/admin/content/" + v.Query(), "Về trang Nội dung"})
		return
	}
	d := fileData{View: v, Path: p, Title: p, Base: formBase(v.Tree, p)}
	if edited == nil && r.URL.Query().Has("carry") && v.Editable() {
		if edited, err = h.carryState(ctx, &d, p, r.URL.Query().Get("carry")); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	if edited != nil && edited.onto != "" {
		d.Onto = edited.onto
	}
	if edited != nil && edited.base != "" {
		d.Base = edited.base
	}
	var data []byte
	if ok {
		if data, err = h.blobBytes(ctx, tf.SHA256); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	probs := h.fileProblems(ctx, v.Tree, p)
	d.Problems = probs
	var pk *content.Pack // names a flow's ends in its diagram
	if strings.HasPrefix(p, "procedures/") || p == "life-events.yaml" {
		pk, _ = content.Inspect(h.TreeFS(ctx, v.Tree))
	}
	var approved []byte // a fee is doubted against it, beside its amount
	if kindOf(p) == kindProcedure {
		if approved, err = h.approvedBytes(ctx, p); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	if err := h.fileForm(&d, data, approved, probs, pk, edited); err != nil {
		h.serverError(w, r, err)
		return
	}
	if d.Stale, err = h.staleInChange(ctx, v, p); err != nil {
		h.serverError(w, r, err)
		return
	}
	if kindOf(p) == kindLesson {
		if d.OldNarration, err = h.oldNarrations(ctx, v.Tree, p); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	if d.Open, err = h.Changes(ctx, 50, StateDraft, StateReturned); err != nil {
		h.serverError(w, r, err)
		return
	}
	if id, err := strconv.ParseInt(r.URL.Query().Get("saved"), 10, 64); err == nil {
		if ver, err := h.GetVersion(ctx, id); err == nil && ver.Path == p {
			d.Saved, d.Merged = ver, r.URL.Query().Get("done") == "merged"
		}
		if d.Merged {
			from, _ := strconv.ParseInt(r.URL.Query().Get("from"), 10, 64)
			since, _ := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64)
			d.Theirs = h.savedSince(ctx, p, from, since)
		}
	}
	pg := s.page(d.Title, d)
	if d.Saved == nil {
		pg.Notice = studioNotices[r.URL.Query().Get("done")]
	}
	if fail != nil {
		pg = pg.withError(fail)
	}
	h.render(w, r, status, "studioFile", pg)
}

// mediaLink is a picture's or sound's address in the kiosk preview of a
// change (or "approved"): the console shows and plays media through it.
// "" for a file that is not media.
func mediaLink(previewKey, p string) (url string, audio bool) {
	if !strings.HasPrefix(p, "media/") {
		return "", false
	}
	return PreviewPrefix + previewKey + "/api/" + p, content.IsSoundName(p)
}

// formState is a form posted but not saved: the value after Apply and what
// Build needs to show it again.
type formState struct {
	value any
	opts  form.Options
	text  string // a text file's posted text
	base  string // the file the form stands on, when not the current one
	onto  string // the approved version a carried edit stands on (fileData.Onto)
}

// formBase names the file p in tree as a form's base: its version, 0 while
// it does not exist (SaveFileOver).
func formBase(tree Tree, p string) string {
	return strconv.FormatInt(tree[p].Version, 10)
}

// fileForm fills the page's form (or text editor) and diagrams from the
// file's bytes, or from what was just posted. A procedure's fee that looks
// like a slip against approved (the file as kiosks have it) is said beside
// its amount, on every showing of the page, not only in the save's summary
// (outside QA, finding 10).
func (h *Hub) fileForm(d *fileData, data, approved []byte, probs []content.Problem, pk *content.Pack, edited *formState) error {
	if url, audio := mediaLink(d.View.PreviewKey(), d.Path); url != "" {
		d.Media, d.Audio = url, audio
		return nil
	}
	if !form.Editable(d.Path) {
		d.Text = string(data)
		if edited != nil {
			d.Text = edited.text
		}
		return nil
	}
	opts := form.Options{Problems: probs}
	var val any
	if edited != nil && edited.value != nil {
		// What was typed, even over a file removed since (saveOverRemoved).
		val, opts = edited.value, edited.opts
		opts.Problems = probs
	} else {
		var err error
		if val, err = form.Decode(d.Path, data); err != nil {
			d.Decode, d.Text = err.Error(), string(data)
			if edited != nil && edited.text != "" {
				d.Text = edited.text
			}
			return nil
		}
	}
	if pk != nil {
		opts.Procedures = form.ProcedureChoices(pk.Procedures)
	}
	if pr, ok := val.(*content.Procedure); ok {
		opts.Warnings = studio.FeeDoubts(approvedProcedure(approved), pr)
	}
	d.Title = itemHeading(val, d.Path)
	root := form.Build(val, opts)
	d.Form, d.Parts = form.Render(root), partsOf(root)
	d.Diagrams = diagramsOf(val, pk)
	return nil
}

// formPart is one section of a long form (a procedure's is dozens of
// screens): its link, and how many problems it holds.
type formPart struct {
	ID, Label string
	Problems  int
}

// partsOf lists the sections of a form: its groups, lists and texts.
func partsOf(root *form.Node) []formPart {
	var out []formPart
	for _, n := range root.Children {
		switch n.Kind {
		case form.Group, form.List, form.TextSet:
			out = append(out, formPart{ID: "f-" + n.Name, Label: n.Label, Problems: problemsIn(n)})
		}
	}
	return out
}

func problemsIn(n *form.Node) int {
	c := len(n.Problems)
	for _, ch := range n.Children {
		c += problemsIn(ch)
	}
	return c
}

// itemHeading is the page title: the item's own name.
func itemHeading(v any, p string) string {
	switch x := v.(type) {
	case *content.Procedure:
		return "Thủ tục: " + cmp.Or(x.PlainName.Vi(), x.Name, p)
	case *content.Tutorial:
		return "Bài học: " + cmp.Or(x.Title.Vi(), x.ID, p)
	case *content.Course:
		return "Khoá học"
	case *content.Assistant:
		return "Sự kiện cuộc sống"
	}
	return p
}

// diagramsOf draws the flows of a file: a procedure's questions, or each
// life event's, their ends named from the tree's content (a case by its
// name, a procedure by its plain name) as far as it reads.
func diagramsOf(v any, p *content.Pack) []diagram {
	var out []diagram
	add := func(title string, f *flow.Flow) {
		if f == nil || len(f.Questions) == 0 {
			return
		}
		var ends func(string) string
		if p != nil {
			ends = p.FlowEndLabels(f.ID)
		}
		out = append(out, diagram{Title: title, SVG: template.HTML(flow.SVG(f, ends))})
	}
	switch x := v.(type) {
	case *content.Procedure:
		add("Các câu hỏi của thủ tục", &x.Flow)
	case *content.Assistant:
		for i := range x.LifeEvents {
			e := &x.LifeEvents[i]
			add("Sự kiện: "+cmp.Or(e.Title.Vi(), e.ID), e.Flow)
		}
	}
	return out
}

// fileProblems lints the whole tree (a flow may name another file's case)
// and keeps what is about file p.
func (h *Hub) fileProblems(ctx context.Context, t Tree, p string) []content.Problem {
	var out []content.Problem
	for _, prob := range h.lintTree(ctx, t) {
		if prob.File == p || prob.File == "media/"+p {
			out = append(out, prob)
		}
	}
	return studio.Collapse(out)
}

// fileAction is POST /admin/content/files/{path}: action=open starts a
// change to edit the file in; otherwise the form (or text) is applied,
// and saved as a new version unless a list button was pressed.
func (h *Hub) fileAction(w http.ResponseWriter, r *http.Request, s session) {
	ctx := r.Context()
	p := r.PathValue("path")
	if r.PostFormValue("action") == "open" {
		h.openForFile(w, r, s, p)
		return
	}
	v, err := h.writableView(ctx, r.PostFormValue("change"))
	if err == nil && !form.Editable(p) && !isText(p) {
		err = failf(nil, "Tệp hình hay âm thanh chỉ thay được bằng cách tải tệp mới lên (trang Nội dung của thay đổi).")
	}
	if err != nil {
		h.renderFile(w, r, s, http.StatusConflict, err, nil)
		return
	}
	var old []byte
	if tf, ok := v.Tree[p]; ok {
		if old, err = h.blobBytes(ctx, tf.SHA256); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	// Every form names the version it was made from (0: a new file).
	base, perr := strconv.ParseInt(r.PostFormValue("base"), 10, 64)
	if perr != nil || base < 0 {
		h.renderFile(w, r, s, http.StatusBadRequest, studioFail(ErrStaleForm, ""), typedState(p, old, r.PostForm, formBase(v.Tree, p)))
		return
	}
	if old == nil && base > 0 {
		h.saveOverRemoved(w, r, s, p, base, r.PostForm)
		return
	}
	body, state, err := applyPosted(p, old, r.PostForm)
	if state != nil {
		state.base = r.PostFormValue("base") // a list button: the form still stands on what it was made from
		status := http.StatusOK
		if err != nil {
			status = http.StatusBadRequest
		}
		h.renderFile(w, r, s, status, err, state)
		return
	}
	if err != nil {
		h.renderFile(w, r, s, http.StatusBadRequest, err, nil)
		return
	}
	onto, _ := strconv.ParseInt(r.PostFormValue("onto"), 10, 64)
	if onto > 0 {
		// A carried edit is saved even as it stood: the save re-bases it.
		ver, err := h.saveOnto(ctx, v.Change.ID, p, body, s.User, base, onto)
		if err == nil {
			http.Redirect(w, r, fileURL(p, v)+"&saved="+strconv.FormatInt(ver.ID, 10), http.StatusSeeOther)
			return
		}
		if !errors.Is(err, ErrSavedSince) {
			h.renderFile(w, r, s, http.StatusConflict, studioFail(err, "Chưa lưu được."), postedState(p, body, formBase(v.Tree, p)))
			return
		}
	} else if bytes.Equal(body, old) {
		http.Redirect(w, r, fileURL(p, v)+"&done=unchanged", http.StatusSeeOther)
		return
	}
	ver, err := h.SaveFileOver(ctx, v.Change.ID, p, body, s.User, base)
	if errors.Is(err, ErrSavedSince) {
		h.saveOverNewer(w, r, s, v, p, base, old, r.PostForm, body)
		return
	}
	if err != nil {
		h.renderFile(w, r, s, http.StatusConflict, studioFail(err, "Chưa lưu được."), &formState{text: string(body)})
		return
	}
	http.Redirect(w, r, fileURL(p, v)+"&saved="+strconv.FormatInt(ver.ID, 10), http.StatusSeeOther)
}

// postedState shows body, what a refused save would have written, in the
// file's form (or as text), standing on base.
func postedState(p string, body []byte, base string) *formState {
	if form.Editable(p) {
		if val, err := form.Decode(p, body); err == nil {
			return &formState{value: val, base: base}
		}
	}
	return &formState{text: string(body), base: base}
}

// applyPosted turns a posted form into the file's new bytes. A state is
// returned when the form must be shown again instead: a list button, or
// input errors (then with err).
func applyPosted(p string, old []byte, posted url.Values) ([]byte, *formState, error) {
	if !form.Editable(p) || posted.Has("text") {
		text := posted.Get("text")
		if len(text) > maxTextEdit {
			return nil, &formState{text: text}, failf(nil, "Tệp quá lớn để sửa trên trang này; hãy dùng cách nhập cả bộ nội dung.")
		}
		return []byte(strings.ReplaceAll(text, "\r\n", "\n")), nil, nil
	}
	current := old
	if current == nil {
		current = []byte("{}") // removed since: the form alone brings it back (saveOverRemoved)
	}
	val, err := form.Decode(p, current)
	if err != nil {
		return nil, nil, failf(err, "Tệp hiện tại không đọc được nên biểu mẫu không áp dụng được; hãy sửa dạng văn bản.")
	}
	op, err := form.Apply(val, posted)
	var fe form.Errors
	if errors.As(err, &fe) {
		return nil, &formState{value: val, opts: form.Options{Errors: fe, Values: posted}}, failf(nil, "Có ô chưa đúng; xem lời nhắn cạnh từng ô. Chưa lưu gì.")
	}
	if err != nil {
		return nil, nil, failf(err, "Không áp dụng được biểu mẫu.")
	}
	if op.Kind != "" {
		st := &formState{value: val}
		if op.Kind == "add" || op.Kind == "up" || op.Kind == "down" {
			st.opts.Focus = op.Path // the new or moved item
		}
		return nil, st, nil
	}
	body, err := form.EncodeYAML(old, val)
	if err != nil {
		return nil, nil, failf(err, "Không ghi được tệp.")
	}
	return body, nil, nil
}

func fileURL(p string, v view) string {
	return "/admin/content/files/" + p + "?change=" + strconv.FormatInt(v.Change.ID, 10)
}

// openForFile is "Sửa" on a read-only file page: into an open change
// chosen from the list, or a new one named for what the file holds ("Sửa:
// Đăng ký tạm trú", not its path: the change's title becomes the next pack's
// name, which commune staff read on the kiosk).
func (h *Hub) openForFile(w http.ResponseWriter, r *http.Request, s session, p string) {
	name := p
	if t, err := h.ApprovedTree(r.Context()); err == nil {
		if _, ok := t[p]; ok {
			name, _, _ = h.itemTitle(r.Context(), t, p)
		}
	}
	c, err := h.changeToWrite(r, s, "Sửa: "+name)
	if err != nil {
		h.renderFile(w, r, s, http.StatusConflict, err, nil)
		return
	}
	http.Redirect(w, r, fileURL(p, view{Change: c}), http.StatusSeeOther)
}

// studioPageError shows a studio page's refusal on the index, or a server
// error when it is not one staff can act on.
func (h *Hub) studioPageError(w http.ResponseWriter, r *http.Request, s session, err error) {
	var fe *formError
	if !errors.As(err, &fe) {
		h.serverError(w, r, err)
		return
	}
	h.errorPage(w, r, http.StatusNotFound, "Không mở được", fe.msg, link{"/admin/content/", "Về trang Nội dung"})
}

// staleInChange says whether the open change v edits p from an approved
// version that another approved change has replaced since: the change
// page's "đã có bản duyệt mới hơn", said where the editor works too.
func (h *Hub) staleInChange(ctx context.Context, v view, p string) (bool, error) {
	if !v.Editable() {
		return false, nil
	}
	vs, err := h.queryVersions(ctx, `change_id = $1 AND path = $2 ORDER BY id DESC LIMIT 1`, v.Change.ID, p)
	if err != nil || len(vs) == 0 {
		return false, err
	}
	return h.overtaken(ctx, vs[0])
}
