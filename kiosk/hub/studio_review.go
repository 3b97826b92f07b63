package hub

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"strconv"
	"strings"

	"tramso/kiosk/content"
	"tramso/kiosk/studio"
)

// The review side of the content studio in the console: the list of
// changes, a change with what it changes in words, its sources, lint
// problems and conversation, the reviewer's decision, assembling the
// approved content into a pack to sign offline, and a whole tree's export
// and import. The item edit pages are the lead's (/admin/content/…).

// studioReviewRoutes registers the routes; adminRoutes calls it. Who may
// use each: rolePerms in admin_roles.go.
func (h *Hub) studioReviewRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/content/changes", h.allow(permRead, h.changesPage))
	mux.HandleFunc("POST /admin/content/changes", h.allow(permEdit, h.openChangeAction))
	mux.HandleFunc("GET /admin/content/changes/{id}", h.allow(permRead, h.changePage))
	mux.HandleFunc("POST /admin/content/changes/{id}", h.allow(permEdit, h.changeAction))
	mux.HandleFunc("POST /admin/content/changes/{id}/review", h.allow(permReview, h.reviewAction))
	mux.HandleFunc("POST /admin/content/publish", h.allow(permManage, h.assembleAction))
	mux.HandleFunc("GET /admin/content/export.tar.gz", h.allow(permRead, h.exportTree))
	mux.HandleFunc("POST /admin/content/import", h.allow(permEdit, h.importAction))
}

func init() {
	maps.Copy(auditActions, map[string]string{
		"content_change_opened":    "Mở thay đổi nội dung",
		"content_proposed":         "Gửi duyệt thay đổi nội dung",
		"content_approved":         "Duyệt thay đổi nội dung",
		"content_returned":         "Trả lại thay đổi nội dung",
		"content_approve_refused":  "Không duyệt được thay đổi nội dung",
		"content_assembled":        "Dựng gói từ nội dung đã duyệt (chờ ký)",
		"content_assemble_refused": "Không dựng được gói từ nội dung đã duyệt",
		"content_imported":         "Nhập bộ nội dung (tar.gz)",
		"content_rebased":          "Làm lại thay đổi nội dung trên bản mới nhất",
		"content_reopened":         "Mở lại thay đổi nội dung đã bị quay lại",
	})
}

// studioNotices are the studio pages' ?done=… messages.
var studioNotices = map[string]string{
	"opened":          "Đã mở thay đổi mới.",
	"proposed":        "Đã gửi duyệt.",
	"source":          "Đã thêm nguồn.",
	"unsource":        "Đã bỏ nguồn.",
	"comment":         "Đã thêm ý kiến.",
	"removed":         "Đã đánh dấu xoá tệp trong thay đổi này.",
	"approved":        "Đã duyệt: nội dung đã duyệt có thay đổi này.",
	"returned":        "Đã trả lại cho người soạn.",
	"imported":        "Đã nhập bộ nội dung thành một thay đổi mới (đang soạn).",
	"rebased":         "Đã làm lại trên bản mới nhất: phần sửa của bạn đã được gộp vào bản đã duyệt mới nhất.",
	"reopened":        "Đã mở lại thành thay đổi mới (đang soạn) trên nội dung đã duyệt mới nhất. Xem lại rồi gửi duyệt.",
	"reopened-before": "Thay đổi kia đã được mở lại trước đó thành thay đổi này (chưa duyệt): không mở thêm thay đổi mới. Xem lại rồi gửi duyệt.",
}

// recentDecided is how many approved changes the list shows.
const recentDecided = 20

// changeRow is a change as the list shows it.
type changeRow struct {
	Change
	When   timeView
	Undone *Undone // an approved change a rollback took out since
}

type changesData struct {
	Open, Proposed, Decided []changeRow
	Title                   string // a title typed before an error
	PackTitle               string // what the next pack brings (PackTitleSuggestion)
}

func (h *Hub) changesPage(w http.ResponseWriter, r *http.Request, s session) {
	h.renderChanges(w, r, s, http.StatusOK, nil, "")
}

func (h *Hub) renderChanges(w http.ResponseWriter, r *http.Request, s session, status int, fail error, title string) {
	d := changesData{Title: title}
	// A rollback published since is taken in first: the list marks the
	// changes it undid (UndoneBy).
	if err := h.followPublished(r.Context()); err != nil {
		h.serverError(w, r, err)
		return
	}
	lists := []struct {
		to     *[]changeRow
		limit  int
		states []ChangeState
	}{
		{&d.Open, 200, []ChangeState{StateDraft, StateReturned}},
		{&d.Proposed, 200, []ChangeState{StateProposed}},
		{&d.Decided, recentDecided, []ChangeState{StateApproved}},
	}
	for _, l := range lists {
		cs, err := h.Changes(r.Context(), l.limit, l.states...)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		for _, c := range cs {
			when := c.Created
			if c.Decided != "" {
				when = c.Decided
			}
			row := changeRow{Change: c, When: h.timeViewOf(when)}
			if row.Undone, err = h.UndoneBy(r.Context(), &c); err != nil {
				h.serverError(w, r, err)
				return
			}
			*l.to = append(*l.to, row)
		}
	}
	var err error
	if d.PackTitle, err = h.PackTitleSuggestion(r.Context()); err != nil {
		h.serverError(w, r, err)
		return
	}
	p := s.page("Thay đổi nội dung", d)
	p.Notice = studioNotices[r.URL.Query().Get("done")]
	if fail != nil {
		p = p.withError(fail)
	}
	h.render(w, r, status, "studioChanges", p)
}

// studioFail is err as the console shows it: a studio rule's own words, or
// what to do in general.
func studioFail(err error, general string) error {
	var se *StudioError
	if errors.As(err, &se) {
		var cause error
		if len(se.Detail) > 0 {
			cause = errors.New(strings.Join(se.Detail, "; "))
		}
		return failf(cause, se.Msg)
	}
	var probs content.Problems
	if errors.As(err, &probs) {
		return failf(err, ErrLintProblems.Msg)
	}
	return failf(err, general)
}

func (h *Hub) openChangeAction(w http.ResponseWriter, r *http.Request, s session) {
	title := r.PostFormValue("title")
	c, err := h.OpenChange(r.Context(), title, s.User)
	if err != nil {
		h.renderChanges(w, r, s, http.StatusBadRequest, studioFail(err, "Không mở được thay đổi."), title)
		return
	}
	h.audit(r, s.User, "content_change_opened", changeDetail(c))
	http.Redirect(w, r, changeURL(c.ID)+"?done=opened", http.StatusSeeOther)
}

func changeURL(id int64) string { return "/admin/content/changes/" + strconv.FormatInt(id, 10) }

// changeDetailOf is changeDetail of the change id, or its number alone.
func (h *Hub) changeDetailOf(ctx context.Context, id int64) string {
	if c, err := h.GetChange(ctx, id); err == nil {
		return changeDetail(c)
	}
	return "#" + strconv.FormatInt(id, 10)
}

func changeDetail(c *Change) string { return "#" + strconv.FormatInt(c.ID, 10) + " " + c.Title }

// changeData is what the change page shows.
type changeData struct {
	*Review
	Created  timeView
	Decided  timeView
	Blockers []*StudioError
	Own      bool // the user saved in it: they may not approve it
	History  []commentRow
	Sources  []sourceRow
	Media    map[string]mediaPair // by path: a changed picture or recording, to see or hear
	// Undone: a rollback took this approved change out of the approved
	// content since (UndoneBy); UndoneBy names the rollback's pack.
	Undone     *Undone
	UndonePack packLabel
	ReopenedAs *Change // the change it was last reopened as, if it was
	// Carry: files whose edit still waits to be merged field by field
	// (after "Làm lại trên bản mới nhất" or "Mở lại"), each with its link;
	// Manual: files that cannot be merged so.
	Carry, Manual []carryLink
	// OldNarrations: in the lessons this change edits, the steps whose
	// narration file, as the change has it, still reads other words than the
	// step's text ("lời đọc cũ"): a warning for the reviewer, as the
	// narrator may record after.
	OldNarrations []narrationNote
}

// narrationNote is a step's old narration as the change page names it.
type narrationNote struct {
	stepNarration
	File string // the lesson file
}

// LangName is the narration's language as staff call it.
func (n narrationNote) LangName() string { return studio.LanguageName(n.Lang) }

// carryLink is a file whose edit is carried onto the approved file on its
// own page (?carry=).
type carryLink struct {
	Path string
	URL  string
}

// mediaPair is a media file as the change has it and as approved content
// has it now ("" for a new file), so a reviewer hears a re-recording beside
// the recording it replaces.
type mediaPair struct {
	New, Old string
	Audio    bool
}

type commentRow struct {
	Comment
	When  timeView
	Label string
}

type sourceRow struct {
	SourceEntry
	When  timeView
	Label string // what it was given for, as staff call it
}

// decisionLabels name a change's conversation entries.
var decisionLabels = map[string]string{
	"comment":  "Ý kiến",
	"proposed": "Gửi duyệt",
	"approved": "Duyệt",
	"returned": "Trả lại",
}

// changeID reads the {id} of a change's URL; false has answered 404.
func (h *Hub) changeID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.notFound(w, r)
		return 0, false
	}
	return id, true
}

func (h *Hub) changePage(w http.ResponseWriter, r *http.Request, s session) {
	id, ok := h.changeID(w, r)
	if !ok {
		return
	}
	h.renderChange(w, r, s, id, http.StatusOK, nil)
}

func (h *Hub) renderChange(w http.ResponseWriter, r *http.Request, s session, id int64, status int, fail error) {
	rv, err := h.ChangeReview(r.Context(), id)
	if errors.Is(err, ErrNoChange) {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := changeData{Review: rv, Created: h.timeViewOf(rv.Change.Created), Blockers: rv.BlockersFor(s.User),
		Own: rv.WrittenBy(s.User)}
	if rv.Change.Decided != "" {
		d.Decided = h.timeViewOf(rv.Change.Decided)
	}
	for _, c := range rv.Comments {
		d.History = append(d.History, commentRow{Comment: c, When: h.timeViewOf(c.Created), Label: decisionLabels[c.Action]})
	}
	for _, src := range rv.Sources {
		d.Sources = append(d.Sources, sourceRow{SourceEntry: src, When: h.timeViewOf(src.Created), Label: rv.sourceLabel(src.Path, src.Key)})
	}
	d.Media = changedMedia(rv)
	ctx := r.Context()
	if d.Undone, err = h.UndoneBy(ctx, &rv.Change); err != nil {
		h.serverError(w, r, err)
		return
	}
	if d.Undone != nil {
		if packs, err := h.packLabels(ctx); err == nil {
			d.UndonePack = labelFor(packs, d.Undone.To)
		}
		if d.ReopenedAs, err = h.ReopenedAs(ctx, rv.Change.ID); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	if err := h.carryLinks(r, &d); err != nil {
		h.serverError(w, r, err)
		return
	}
	if d.OldNarrations, err = h.changeOldNarrations(ctx, rv); err != nil {
		h.serverError(w, r, err)
		return
	}
	p := s.page("Thay đổi: "+rv.Change.Title, d)
	p.Notice = studioNotices[r.URL.Query().Get("done")]
	if fail != nil {
		p = p.withError(fail)
	}
	h.render(w, r, status, "studioChange", p)
}

// changeOldNarrations lists the old narrations of the lessons the change
// edits, as its tree has them.
func (h *Hub) changeOldNarrations(ctx context.Context, rv *Review) ([]narrationNote, error) {
	var tree Tree
	var out []narrationNote
	for _, f := range rv.Files {
		if f.Removed || kindOf(f.Path) != kindLesson {
			continue
		}
		if tree == nil {
			var err error
			if tree, err = h.ChangeTree(ctx, rv.Change.ID); err != nil {
				return nil, err
			}
		}
		old, err := h.oldNarrations(ctx, tree, f.Path)
		if err != nil {
			return nil, err
		}
		for _, n := range old {
			out = append(out, narrationNote{stepNarration: n, File: f.Path})
		}
	}
	return out, nil
}

// changedMedia links the pictures and recordings a change adds or replaces.
func changedMedia(rv *Review) map[string]mediaPair {
	m := map[string]mediaPair{}
	for _, f := range rv.Files {
		url, audio := mediaLink(strconv.FormatInt(rv.Change.ID, 10), f.Path)
		if url == "" || f.Removed {
			continue
		}
		pair := mediaPair{New: url, Audio: audio}
		if !f.Added {
			pair.Old, _ = mediaLink("approved", f.Path)
		}
		m[f.Path] = pair
	}
	return m
}

// changeAction is an editor's work on a change: propose it, give a source
// or take one back, comment, mark a file removed.
func (h *Hub) changeAction(w http.ResponseWriter, r *http.Request, s session) {
	id, ok := h.changeID(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	var err error
	done := r.PostFormValue("action")
	switch done {
	case "propose":
		if err = h.Propose(ctx, id, s.User); err == nil {
			h.audit(r, s.User, "content_proposed", "#"+strconv.FormatInt(id, 10))
			done = "proposed"
		}
	case "source":
		src := studio.Source{Key: r.PostFormValue("key"), Ref: r.PostFormValue("ref"), ReadOn: content.Date(r.PostFormValue("read_on"))}
		var line string
		if line, err = h.GiveSource(ctx, id, r.PostFormValue("path"), src, s.User); err == nil {
			h.audit(r, s.User, "content_source_added", h.changeDetailOf(ctx, id)+": "+line)
		}
	case "unsource":
		src, _ := strconv.ParseInt(r.PostFormValue("source"), 10, 64) // not a number: no such source
		var line string
		if line, err = h.TakeBackSource(ctx, id, src, s.User); err == nil {
			h.audit(r, s.User, "content_source_removed", h.changeDetailOf(ctx, id)+": "+line)
		}
	case "comment":
		err = h.AddComment(ctx, id, r.PostFormValue("body"), s.User)
	case "rebase":
		var res *CarryResult
		if res, err = h.RebaseChange(ctx, id, s.User); err == nil {
			h.audit(r, s.User, "content_rebased", "#"+strconv.FormatInt(id, 10)+carryDetail(res))
			http.Redirect(w, r, afterCarry(id, res, "rebased"), http.StatusSeeOther)
			return
		}
	case "reopen":
		var nc *Change
		var res *CarryResult
		if nc, res, err = h.ReopenChange(ctx, id, s.User); err == nil {
			if res.Again { // pressed again: the change opened the first time
				http.Redirect(w, r, afterCarry(nc.ID, res, "reopened-before"), http.StatusSeeOther)
				return
			}
			h.audit(r, s.User, "content_reopened", changeDetail(nc)+" (từ #"+strconv.FormatInt(id, 10)+")"+carryDetail(res))
			http.Redirect(w, r, afterCarry(nc.ID, res, "reopened"), http.StatusSeeOther)
			return
		}
	case "remove-file":
		_, err = h.RemoveFile(ctx, id, strings.TrimSpace(r.PostFormValue("path")), s.User)
		done = "removed"
	default:
		err = failf(nil, "Thao tác không hợp lệ.")
	}
	if h.changeFailed(w, r, s, id, err) {
		return
	}
	http.Redirect(w, r, changeURL(id)+"?done="+done, http.StatusSeeOther)
}

// changeFailed answers a refused action on a change: 404 for no such
// change, else the change's page again with what went wrong. False when
// err is nil and the caller goes on.
func (h *Hub) changeFailed(w http.ResponseWriter, r *http.Request, s session, id int64, err error) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, ErrNoChange):
		h.notFound(w, r)
	default:
		h.renderChange(w, r, s, id, http.StatusBadRequest, studioFail(err, "Không làm được việc này."))
	}
	return true
}

// reviewAction is a reviewer's decision: approve, or send back with a comment.
func (h *Hub) reviewAction(w http.ResponseWriter, r *http.Request, s session) {
	id, ok := h.changeID(w, r)
	if !ok {
		return
	}
	var err error
	var action, done string
	switch r.PostFormValue("action") {
	case "approve":
		err, action, done = h.Approve(r.Context(), id, s.User), "content_approved", "approved"
	case "send-back":
		err, action, done = h.SendBack(r.Context(), id, s.User, r.PostFormValue("comment")), "content_returned", "returned"
	default:
		err = failf(nil, "Thao tác không hợp lệ.")
	}
	if err != nil && action == "content_approved" && !errors.Is(err, ErrNoChange) {
		h.audit(r, s.User, "content_approve_refused", "#"+strconv.FormatInt(id, 10)+": "+err.Error())
	}
	if h.changeFailed(w, r, s, id, err) {
		return
	}
	c, _ := h.GetChange(r.Context(), id)
	detail := "#" + strconv.FormatInt(id, 10)
	if c != nil {
		detail = changeDetail(c)
		if c.Comment != "" && done == "returned" {
			detail += ": " + c.Comment
		}
	}
	h.audit(r, s.User, action, detail)
	http.Redirect(w, r, changeURL(id)+"?done="+done, http.StatusSeeOther)
}

// assembleAction builds the approved content into a pack waiting for its
// offline signature, shown on the packs page.
func (h *Hub) assembleAction(w http.ResponseWriter, r *http.Request, s session) {
	p, err := h.AssemblePack(r.Context(), s.User, strings.TrimSpace(storable(r.PostFormValue("title"))))
	if err != nil {
		h.audit(r, s.User, "content_assemble_refused", err.Error())
		h.renderChanges(w, r, s, http.StatusBadRequest,
			studioFail(err, "Không dựng được gói từ nội dung đã duyệt (xem chi tiết)."), "")
		return
	}
	h.audit(r, s.User, "content_assembled", pendingDetail(p.Title, p.Generation)+", manifest.json sha256 "+p.Digest)
	http.Redirect(w, r, "/admin/packs?done=unsigned", http.StatusSeeOther)
}

// exportTree downloads the approved content as a tar.gz of its folder.
func (h *Hub) exportTree(w http.ResponseWriter, r *http.Request, s session) {
	tree, err := h.ApprovedTree(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/gzip")
	w.Header().Set("Content-Disposition", `attachment; filename="tramso-noi-dung.tar.gz"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if err := h.ExportTree(r.Context(), tree, w); err != nil {
		h.log.Error("export content tree", "err", err) // the download is cut short: the browser says so
	}
}

// carryDetail says, for the audit log, what carrying left to the editor.
func carryDetail(res *CarryResult) string {
	var out string
	if len(res.Merged) > 0 {
		out += "; đã gộp: " + strings.Join(res.Merged, ", ")
	}
	for _, l := range []struct {
		name  string
		files []carryFile
	}{{"còn ô hai bên cùng sửa", res.Conflicts}, {"không gộp được từng ô", res.Manual}} {
		if len(l.files) > 0 {
			paths := make([]string, len(l.files))
			for i, f := range l.files {
				paths[i] = f.Path
			}
			out += "; " + l.name + ": " + strings.Join(paths, ", ")
		}
	}
	return out
}

// afterCarry is where carrying an edit leads: the change page, naming
// (carry=, manual=) the versions whose files wait for the editor.
func afterCarry(change int64, res *CarryResult, done string) string {
	u := changeURL(change) + "?done=" + done
	for _, l := range []struct {
		key   string
		files []carryFile
	}{{"carry", res.Conflicts}, {"manual", res.Manual}} {
		for _, f := range l.files {
			u += "&" + l.key + "=" + strconv.FormatInt(f.From, 10)
		}
	}
	return u
}

// carryLinks fills the change page's files whose edit waits to be merged,
// which the URL names after "Làm lại trên bản mới nhất" or "Mở lại" (the
// button, pressed again, names them again: nothing is stored).
func (h *Hub) carryLinks(r *http.Request, d *changeData) error {
	ctx := r.Context()
	c := d.Review.Change
	if !c.State.Open() {
		return nil
	}
	seen := map[string]bool{}
	add := func(to *[]carryLink, v *Version) {
		if seen[v.Path] {
			return
		}
		seen[v.Path] = true
		u := "/admin/content/files/" + v.Path + "?change=" + strconv.FormatInt(c.ID, 10) + "&carry=" + strconv.FormatInt(v.ID, 10)
		if to == &d.Manual { // no merge to show: the file's versions, to copy from
			u = "/admin/content/history/" + v.Path + "?change=" + strconv.FormatInt(c.ID, 10)
		}
		*to = append(*to, carryLink{Path: v.Path, URL: u})
	}
	q := r.URL.Query()
	for _, l := range []struct {
		key string
		to  *[]carryLink
	}{{"carry", &d.Carry}, {"manual", &d.Manual}} {
		for _, raw := range q[l.key] {
			id, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				continue
			}
			v, err := h.GetVersion(ctx, id)
			if errors.Is(err, ErrNoVersion) {
				continue
			}
			if err != nil {
				return err
			}
			// Still to do: the change has not saved the file since.
			if own, _, err := ownNewest(ctx, h.DB, c.ID, v.Path); err == nil && own > v.ID {
				continue
			}
			add(l.to, v)
		}
	}
	return nil
}
