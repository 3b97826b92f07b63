package hub

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"tramso/kiosk/studio/form"
)

// ErrEditedBoth refuses a save that was merged with one saved since and
// found parts both edited: the form shows them marked.
var ErrEditedBoth = &StudioError{Kind: "edited-both", Msg: "Chưa lưu: trong lúc bạn sửa, tệp này đã được lưu ở nơi khác (một thẻ khác, hoặc một đồng nghiệp), " +
	"và bản kia cũng sửa những ô được đánh dấu dưới đây. Biểu mẫu đã gộp những gì hai bên sửa ở các ô khác; ở các ô được đánh dấu là chữ bạn gõ. " +
	"Xem lại các ô ấy (\"Lịch sử các phiên bản\" cho biết bản kia ghi gì) rồi bấm \"Lưu phiên bản\" lần nữa."}

// ErrStaleForm refuses a form that names no version of its file to stand
// on: a page from before an upgrade, or one tampered with.
var ErrStaleForm = &StudioError{Kind: "stale-form", Msg: "Chưa lưu: biểu mẫu này không cho biết nó được mở từ phiên bản nào của tệp (trang đã cũ?). " +
	"Biểu mẫu dưới đây giữ những gì bạn gõ, đặt trên bản mới nhất; xem lại rồi bấm \"Lưu phiên bản\" lần nữa."}

// ErrRemovedSince refuses a save of a file removed from the change since
// its form was opened.
var ErrRemovedSince = &StudioError{Kind: "removed-since", Msg: "Chưa lưu: trong lúc bạn sửa, tệp này đã được đánh dấu xoá trong thay đổi này (ở một thẻ khác, hoặc bởi một đồng nghiệp). " +
	"Biểu mẫu dưới đây giữ những gì bạn gõ. Bấm \"Lưu phiên bản\" lần nữa thì tệp trở lại với nội dung này; để nguyên thì tệp vẫn bị xoá."}

// versionBytes is version id of file p, which a form says it was made
// from; ErrStaleForm when it is no version of p.
func (h *Hub) versionBytes(ctx context.Context, p string, id int64) ([]byte, error) {
	v, err := h.GetVersion(ctx, id)
	if errors.Is(err, ErrNoVersion) || err == nil && (v.Path != p || v.SHA256 == "") {
		return nil, ErrStaleForm
	}
	if err != nil {
		return nil, err
	}
	return h.blobBytes(ctx, v.SHA256)
}

// savedSince says, in a version summary's words, what was saved between
// versions from and since of p: what a merged save took from the other
// side (a colleague's fee), which the author would otherwise never see
// (outside QA). "" when either version is not p's.
func (h *Hub) savedSince(ctx context.Context, p string, from, since int64) string {
	before, err := h.versionBytes(ctx, p, from)
	if err != nil {
		return ""
	}
	after, err := h.versionBytes(ctx, p, since)
	if err != nil {
		return ""
	}
	approved, err := h.approvedBytes(ctx, p)
	if err != nil {
		return ""
	}
	return summarize(p, approved, before, after)
}

// typedState is what a refused form showed, applied onto the file's bytes,
// to show it again standing on base; nil when it cannot be (no file).
func typedState(p string, old []byte, posted url.Values, base string) *formState {
	if old == nil {
		return nil
	}
	body, state, err := applyPosted(p, old, posted)
	if err != nil || state != nil {
		return state
	}
	return postedState(p, body, base)
}

// saveOverRemoved is a save whose file was removed from the change since
// its form was opened: nothing is saved, and the form, made on version base,
// comes back holding what was typed, standing on the removal, so that
// saving again brings the file back.
func (h *Hub) saveOverRemoved(w http.ResponseWriter, r *http.Request, s session, p string, base int64, posted url.Values) {
	was, err := h.versionBytes(r.Context(), p, base)
	if errors.Is(err, ErrStaleForm) {
		h.renderFile(w, r, s, http.StatusBadRequest, studioFail(err, ""), nil)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.renderFile(w, r, s, http.StatusConflict, studioFail(ErrRemovedSince, ""), typedState(p, was, posted, "0"))
}

// conflictNote is put beside a part both sides edited: what the other save
// wrote there, when one input shows it.
func conflictNote(theirs any, name string) string {
	const keep = " Ô đang giữ chữ bạn gõ; lưu lần nữa thì chữ này thay cho bản kia."
	s, ok := form.Shown(theirs, name)
	switch {
	case !ok:
		return "Bản lưu ở nơi khác cũng sửa phần này." + keep
	case s == "":
		return "Bản lưu ở nơi khác cũng sửa ô này: để trống." + keep
	}
	return "Bản lưu ở nơi khác cũng sửa ô này, thành: “" + shownValue(name, s) + "”." + keep
}

// saveOverNewer saves a form made on version base of file p when the change
// shows a newer version by now (another tab, a colleague): the edit is
// merged with what was saved since, part by part (form.Merge). With no part
// edited on both sides the merge is saved and the page says so; otherwise
// nothing is saved, and the form, standing on the newest version, holds both
// sides' edits, this one's where both edited, those parts marked.
//
// theirs is the file as v shows it: the version saved since.
func (h *Hub) saveOverNewer(w http.ResponseWriter, r *http.Request, s session, v view, p string, base int64, theirs []byte, posted url.Values, body []byte) {
	ctx := r.Context()
	var was []byte // the version the form was made on (none for a new file)
	if base > 0 {
		var err error
		if was, err = h.versionBytes(ctx, p, base); err != nil {
			h.renderFile(w, r, s, http.StatusBadRequest, studioFail(err, "Chưa lưu được."), postedState(p, body, formBase(v.Tree, p)))
			return
		}
	}
	merged, mine, mineFirst, theirsValue, conflicts, ok := mergeEdit(p, was, theirs, posted)
	if !ok {
		h.renderFile(w, r, s, http.StatusConflict, studioFail(ErrSavedSince, ""), postedState(p, body, formBase(v.Tree, p)))
		return
	}
	if len(conflicts) == 0 && bytes.Equal(merged, theirs) {
		// A tab that changed nothing, or only what was saved since: no
		// empty version in the history.
		http.Redirect(w, r, fileURL(p, v)+"&done=unchanged", http.StatusSeeOther)
		return
	}
	if len(conflicts) == 0 {
		ver, err := h.SaveFileOver(ctx, v.Change.ID, p, merged, s.User, v.Tree[p].Version)
		if err == nil {
			// from and since name what the other save changed, for the page to say it.
			http.Redirect(w, r, fileURL(p, v)+"&done=merged&saved="+strconv.FormatInt(ver.ID, 10)+
				"&from="+strconv.FormatInt(base, 10)+"&since="+strconv.FormatInt(v.Tree[p].Version, 10), http.StatusSeeOther)
			return
		}
		h.renderFile(w, r, s, http.StatusConflict, studioFail(err, "Chưa lưu được."), postedState(p, body, formBase(v.Tree, p)))
		return
	}
	st := &formState{value: mineFirst, base: formBase(v.Tree, p)}
	for _, name := range conflicts {
		st.opts.Errors = append(st.opts.Errors, form.FieldError{Name: name, Message: conflictNote(theirsValue, name)})
	}
	taken, notes := takenFromTheirs(p, theirs, mine, mineFirst, conflicts)
	st.opts.Errors = append(st.opts.Errors, notes...)
	refused := *ErrEditedBoth
	if len(taken) > 0 {
		refused.Msg += " Những ô lấy từ bản kia (đánh dấu \"lấy từ bản lưu ở nơi khác\"): " + strings.Join(taken, "; ") + "."
	}
	h.renderFile(w, r, s, http.StatusConflict, studioFail(&refused, ""), st)
}

// takenNote marks a field the form took from the save made since: the
// author would otherwise save over a colleague's edit (a fee) unseen.
func takenNote(was string) string {
	if was == "" {
		was = "để trống"
	} else {
		was = "“" + was + "”"
	}
	return "Lấy từ bản lưu ở nơi khác (một thẻ khác, hoặc một đồng nghiệp); trong biểu mẫu bạn mở, ô này là: " + was + "."
}

// takenFromTheirs says what the form shown again took from the save made
// since, beside what this edit typed: the changes in words, as a version's
// summary says them, and a note for each field, by form name. Fields both
// edited are left out: their conflict note says it.
func takenFromTheirs(p string, theirs []byte, mine, mineFirst any, conflicts []string) (lines []string, notes []form.FieldError) {
	typed, err1 := form.EncodeYAML(theirs, mine)
	shown, err2 := form.EncodeYAML(theirs, mineFirst)
	if err1 == nil && err2 == nil {
		changes, _ := diffFile(p, typed, shown)
		for _, c := range changes {
			lines = append(lines, c.String())
		}
	}
	was, now := formFields(mine), formFields(mineFirst)
	for _, name := range slices.Sorted(maps.Keys(now)) {
		if now[name] != was[name] && !slices.ContainsFunc(conflicts, func(c string) bool { return name == c || strings.HasPrefix(name, c+".") }) {
			notes = append(notes, form.FieldError{Name: name, Message: takenNote(was[name])})
		}
	}
	return lines, notes
}

// formFields is each input of v's form by its form name, as it shows.
func formFields(v any) map[string]string {
	out := map[string]string{}
	var walk func(n *form.Node)
	walk = func(n *form.Node) {
		switch n.Kind {
		case form.String, form.Int, form.Date, form.Select, form.Lines:
			out[n.Name] = n.Value
		case form.Bool:
			out[n.Name] = map[bool]string{true: "có", false: "không"}[n.Present]
		case form.Tags:
			var on []string
			for _, c := range n.Choices {
				if c.Selected {
					on = append(on, c.Label)
				}
			}
			out[n.Name] = strings.Join(on, ", ")
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(form.Build(v, form.Options{}))
	return out
}

// mergeEdit merges the posted form, made on was, with theirs, the file as
// saved since. It gives the merge as the file's bytes, the edit as posted,
// the merge that keeps this edit where both sides edited (the form to show
// again), the value saved since, and the parts both edited; ok is false
// when the edit cannot be merged (a file with no form, or none to stand on).
func mergeEdit(p string, was, theirs []byte, posted url.Values) (merged []byte, mine, mineFirst, theirsValue any, conflicts []string, ok bool) {
	if !form.Editable(p) || posted.Has("text") || was == nil {
		return nil, nil, nil, nil, nil, false
	}
	mineBytes, state, err := applyPosted(p, was, posted)
	if err != nil || state != nil {
		return nil, nil, nil, nil, nil, false
	}
	var vals [3]any // base, theirs, mine
	for i, b := range [][]byte{was, theirs, mineBytes} {
		if vals[i], err = form.Decode(p, b); err != nil {
			return nil, nil, nil, nil, nil, false
		}
	}
	both, conflicts := form.Merge(vals[0], vals[1], vals[2])
	if merged, err = form.EncodeYAML(theirs, both); err != nil {
		return nil, nil, nil, nil, nil, false
	}
	mineFirst, _ = form.Merge(vals[0], vals[2], vals[1])
	return merged, vals[2], mineFirst, vals[1], conflicts, true
}
