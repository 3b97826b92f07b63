package hub

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"tramso/kiosk/content"
	"tramso/kiosk/studio/form"
)

// Carrying an edit onto the newest approved file (outside QA s27, findings
// 6 and 7). A change whose file another approval replaced meanwhile cannot
// be approved (ErrStale), and a change a rollback undid is no longer in the
// approved content; in both cases the editor's work is kept in its
// versions. "Làm lại trên bản mới nhất" (RebaseChange) and "Mở lại thay
// đổi này" (ReopenChange) carry it onto the approved file as it is now,
// with the field-by-field merge a save over a newer save uses
// (form.Merge, as in saveOverNewer): fields only one side changed are
// merged and saved; a file with fields both changed is left for the editor,
// whose file page (?carry=) shows the merge with this edit in those fields,
// each marked with the value now approved, and saves it standing on the
// newest approval.

// ErrApprovedSince refuses a carried edit when yet another change was
// approved for the file while the editor merged it.
var ErrApprovedSince = &StudioError{Kind: "approved-since", Msg: "Chưa lưu: trong lúc bạn gộp, lại có một thay đổi khác được duyệt cho tệp này. " +
	"Biểu mẫu dưới đây giữ những gì bạn gõ; bấm “Làm lại trên bản mới nhất” ở trang thay đổi để gộp lần nữa."}

// ErrNotUndone refuses to reopen a change no rollback undid.
var ErrNotUndone = &StudioError{Kind: "not-undone", Msg: "Chỉ mở lại được một thay đổi đã duyệt mà sau đó bị quay lại."}

// carryFile is a file whose edit could not be merged at once.
type carryFile struct {
	Path string
	From int64 // the version holding the edit; its Base is what the edit was made on
}

// CarryResult says what carrying a change's edits did.
type CarryResult struct {
	Merged    []string    // saved, merged with the approved file
	Conflicts []carryFile // fields both changed: to resolve on the file's page (?carry=)
	Manual    []carryFile // cannot be merged field by field (media, text, a file added or removed on both sides)
}

// carryEdit merges the edit that turned was into mine onto theirs, the
// approved file now (nil: no such file; merged nil: the file is removed).
// mineFirst is the merge that keeps this edit where both changed (the
// form to show), theirsValue the approved file decoded; ok is false when
// the edit cannot be merged field by field.
func carryEdit(p string, was, mine, theirs []byte) (merged []byte, mineFirst, theirsValue any, conflicts []string, ok bool) {
	switch {
	case bytes.Equal(theirs, was) && (theirs == nil) == (was == nil):
		return mine, nil, nil, nil, true
	case bytes.Equal(mine, was) && (mine == nil) == (was == nil):
		return theirs, nil, nil, nil, true
	case bytes.Equal(mine, theirs) && (mine == nil) == (theirs == nil):
		return mine, nil, nil, nil, true
	case was == nil || mine == nil || theirs == nil || !form.Editable(p):
		return nil, nil, nil, nil, false
	}
	var vals [3]any // was, theirs, mine
	for i, b := range [][]byte{was, theirs, mine} {
		var err error
		if vals[i], err = form.Decode(p, b); err != nil {
			return nil, nil, nil, nil, false
		}
	}
	both, conflicts := form.Merge(vals[0], vals[1], vals[2])
	merged, err := form.EncodeYAML(theirs, both)
	if err != nil {
		return nil, nil, nil, nil, false
	}
	mineFirst, _ = form.Merge(vals[0], vals[2], vals[1])
	return merged, mineFirst, vals[1], conflicts, true
}

// versionContent is version id's bytes: nil for 0 (no file) or a removal.
func (h *Hub) versionContent(ctx context.Context, id int64) ([]byte, error) {
	if id == 0 {
		return nil, nil
	}
	v, err := h.GetVersion(ctx, id)
	if err != nil {
		return nil, err
	}
	return h.blobBytes(ctx, v.SHA256)
}

// carrySummary starts the summary of a version that carried an edit over.
const carrySummary = "Làm lại trên bản đã duyệt mới nhất (gộp từng ô)."

// saveOnto saves body (nil: the file's removal) as the newest version of
// path in an open change, standing on approved version onto, which must
// still be the newest approved one. over, when not negative, is the
// version the change must still show (a form's base).
func (h *Hub) saveOnto(ctx context.Context, change int64, path string, body []byte, author string, over, onto int64) (*Version, error) {
	var v *Version
	if body == nil {
		if err := checkStudioPath(path); err != nil {
			return nil, err
		}
		v = removal(change, path, author, h.stamp())
	} else {
		var err error
		if v, err = h.newVersion(ctx, change, path, body, author); err != nil {
			return nil, err
		}
	}
	v.Summary = strings.TrimSpace(carrySummary + "\n" + v.Summary)
	var overs map[string]int64
	if over >= 0 {
		overs = map[string]int64{path: over}
	}
	if err := h.insertVersionsOnto(ctx, change, []*Version{v}, overs, map[string]int64{path: onto}); err != nil {
		return nil, err
	}
	return v, nil
}

// newestVersions is each path's newest version in a change, in path order.
func (h *Hub) newestVersions(ctx context.Context, change int64) ([]Version, error) {
	vs, err := h.ChangeVersions(ctx, change)
	if err != nil {
		return nil, err
	}
	newest := map[string]Version{}
	for _, v := range vs {
		newest[v.Path] = v
	}
	out := make([]Version, 0, len(newest))
	for _, p := range slices.Sorted(maps.Keys(newest)) {
		out = append(out, newest[p])
	}
	return out, nil
}

// carryInto carries version v's edit (from its Base) onto the approved file
// now, saving the merge into change when it has no conflict. It reports
// into res; skipSame leaves out a file the merge would not change.
func (h *Hub) carryInto(ctx context.Context, change int64, v Version, author string, over int64, res *CarryResult) error {
	was, err := h.versionContent(ctx, v.Base)
	if err != nil {
		return err
	}
	mine, err := h.blobBytes(ctx, v.SHA256)
	if err != nil {
		return err
	}
	onto, err := approvedVersionOf(ctx, h.DB, v.Path)
	if err != nil {
		return err
	}
	theirs, err := h.versionContent(ctx, onto)
	if err != nil {
		return err
	}
	merged, _, _, conflicts, ok := carryEdit(v.Path, was, mine, theirs)
	switch {
	case !ok:
		res.Manual = append(res.Manual, carryFile{Path: v.Path, From: v.ID})
		return nil
	case len(conflicts) > 0:
		res.Conflicts = append(res.Conflicts, carryFile{Path: v.Path, From: v.ID})
		return nil
	case over < 0 && bytes.Equal(merged, theirs) && (merged == nil) == (theirs == nil):
		return nil // a reopened change that the approved file has whole
	}
	if _, err := h.saveOnto(ctx, change, v.Path, merged, author, over, onto); err != nil {
		return err
	}
	res.Merged = append(res.Merged, v.Path)
	return nil
}

// RebaseChange carries an open change's edits on each file another
// approval replaced since onto the approved file now ("Làm lại trên bản
// mới nhất"): merged and saved where no field was changed on both sides.
func (h *Hub) RebaseChange(ctx context.Context, change int64, author string) (*CarryResult, error) {
	c, err := h.GetChange(ctx, change)
	if err != nil {
		return nil, err
	}
	if !c.State.Open() {
		return nil, ErrNotEditable
	}
	vs, err := h.newestVersions(ctx, change)
	if err != nil {
		return nil, err
	}
	res := &CarryResult{}
	for _, v := range vs {
		stale, err := h.overtaken(ctx, v)
		if err != nil {
			return nil, err
		}
		if stale {
			if err := h.carryInto(ctx, change, v, author, v.ID, res); err != nil {
				return nil, err
			}
		}
	}
	return res, nil
}

// ReopenChange opens a new change carrying the edits of an approved change
// a rollback undid onto the approved files now ("Mở lại thay đổi này").
func (h *Hub) ReopenChange(ctx context.Context, old int64, author string) (*Change, *CarryResult, error) {
	c, err := h.GetChange(ctx, old)
	if err != nil {
		return nil, nil, err
	}
	undone, err := h.UndoneBy(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	if undone == nil {
		return nil, nil, ErrNotUndone
	}
	title := "Làm lại: " + c.Title
	if len(title) > maxChangeTitle {
		title = strings.ToValidUTF8(title[:maxChangeTitle], "")
	}
	nc, err := h.OpenChange(ctx, title, author)
	if err != nil {
		return nil, nil, err
	}
	if err := addComment(ctx, h.DB, nc.ID, "comment", author, h.stamp(),
		fmt.Sprintf(reopenedNote, c.ID, c.Title, undone.Label())); err != nil {
		return nil, nil, err
	}
	vs, err := h.newestVersions(ctx, old)
	if err != nil {
		return nil, nil, err
	}
	res := &CarryResult{}
	for _, v := range vs {
		if err := h.carryInto(ctx, nc.ID, v, author, -1, res); err != nil {
			return nil, nil, err
		}
	}
	// The sources the change was approved on back the same facts: carried
	// too, as given (who, the day read), for the reviewer to check again.
	if _, err := h.DB.ExecContext(ctx, `INSERT INTO content_sources(change_id, path, key, ref, read_on, author, created)
		SELECT $1, path, key, ref, read_on, author, $2 FROM content_sources WHERE change_id = $3 ORDER BY id`, nc.ID, h.stamp(), old); err != nil {
		return nil, nil, err
	}
	return nc, res, nil
}

// reopenedNote starts a reopened change's conversation: the change it
// carries (ReopenedAs finds it by this).
const reopenedNote = "Mở lại thay đổi #%d “%s”, đã bị quay lại (%s), trên nội dung đã duyệt mới nhất."

// ReopenedAs is the newest change reopened from change id ("Mở lại thay
// đổi này"), told by the note its author's first comment is; 0 when none.
func (h *Hub) ReopenedAs(ctx context.Context, id int64) (int64, error) {
	prefix, _, _ := strings.Cut(fmt.Sprintf(reopenedNote, id, "", ""), "”")
	var nc int64
	err := h.DB.QueryRowContext(ctx, `SELECT m.change_id FROM content_comments m JOIN content_changes n ON n.id = m.change_id
		WHERE m.action = 'comment' AND m.author = n.author AND m.body LIKE $1 ORDER BY m.id DESC LIMIT 1`, prefix+"%").Scan(&nc)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return nc, err
}

// Undone says which rollback took an approved change's edits out of the
// approved content.
type Undone struct {
	Change     int64 // the change by "hệ thống" that took the rollback in
	Generation int64 // the rollback pack's generation
	To         int64 // the generation whose content it brought back
	Paths      []string
}

// rollbackChangeTitle is the title followPublished gives the change that takes a
// console rollback in (publishedFiles).
const rollbackChangeTitle = "Quay lại nội dung thế hệ %d (phát hành lại thành thế hệ %d)"

// Label says the rollback in a few words: "gói thế hệ 1796667787".
func (u *Undone) Label() string {
	return fmt.Sprintf("gói thế hệ %d", u.Generation)
}

// UndoneBy says whether a rollback undid an approved change made by a
// person: a file the change left in the approved content was next replaced
// by a rollback's change. nil when none was.
func (h *Hub) UndoneBy(ctx context.Context, c *Change) (*Undone, error) {
	if c.State != StateApproved || c.Author == systemAuthor {
		return nil, nil
	}
	vs, err := h.newestVersions(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	var u *Undone
	for _, v := range vs {
		var id int64
		var title, author string
		err := h.DB.QueryRowContext(ctx, `SELECT c.id, c.title, c.author FROM content_versions v JOIN content_changes c ON c.id = v.change_id
			WHERE c.state = 'approved' AND v.path = $1 AND v.id > $2 ORDER BY v.id LIMIT 1`, v.Path, v.ID).Scan(&id, &title, &author)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var to, gen int64
		if author != systemAuthor {
			continue
		}
		if _, err := fmt.Sscanf(title, rollbackChangeTitle, &to, &gen); err != nil {
			continue
		}
		if u == nil {
			u = &Undone{Change: id, Generation: gen, To: to}
		}
		u.Paths = append(u.Paths, v.Path)
	}
	return u, nil
}

// carryNote is put beside a field both the carried edit and the approved
// file changed: the value approved now, said as staff read it.
func carryNote(theirs any, name string) string {
	const keep = " Ô đang giữ chữ bạn gõ; lưu thì chữ này thay cho bản đang dùng."
	s, ok := form.Shown(theirs, name)
	switch {
	case !ok:
		return "Bản đang dùng (đã duyệt sau khi bạn sửa) cũng sửa phần này." + keep
	case s == "":
		return "Bản đang dùng (đã duyệt sau khi bạn sửa) cũng sửa ô này: để trống." + keep
	}
	return "Bản đang dùng (đã duyệt sau khi bạn sửa) cũng sửa ô này, thành: “" + shownValue(name, s) + "”." + keep
}

// shownValue says a field's value as staff read it: an amount in đồng
// ("3.000 đ", not "3000").
func shownValue(name, s string) string {
	if isAmountField(name) {
		var n int64
		if _, err := fmt.Sscan(s, &n); err == nil && fmt.Sprint(n) == s {
			return content.Dong(n, "vi")
		}
	}
	return s
}

// isAmountField says whether a form name is a fee's amount ("fees.0.amount").
func isAmountField(name string) bool {
	return strings.HasPrefix(name, "fees.") && strings.HasSuffix(name, ".amount")
}

// carryView is what a file page carrying an edit says above its form.
type carryView struct {
	Change    int64 // the change the edit was made in
	Title     string
	Conflicts int // fields both changed, marked in the form
}

// carryState is the form of file p carrying the edit of version raw (of
// this change, or of a change reopened into it) onto the approved file
// now: the merge, this edit kept where both changed, those fields marked
// with the value approved. nil (and d.CarryFail) when it cannot be merged.
func (h *Hub) carryState(ctx context.Context, d *fileData, p, raw string) (*formState, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return nil, nil
	}
	v, err := h.GetVersion(ctx, id)
	if errors.Is(err, ErrNoVersion) || err == nil && v.Path != p {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	was, err := h.versionContent(ctx, v.Base)
	if err != nil {
		return nil, err
	}
	mine, err := h.blobBytes(ctx, v.SHA256)
	if err != nil {
		return nil, err
	}
	onto, err := approvedVersionOf(ctx, h.DB, p)
	if err != nil {
		return nil, err
	}
	theirs, err := h.versionContent(ctx, onto)
	if err != nil {
		return nil, err
	}
	c, err := h.GetChange(ctx, v.Change)
	if err != nil {
		return nil, err
	}
	d.Carry = &carryView{Change: c.ID, Title: c.Title}
	merged, mineFirst, theirsValue, conflicts, ok := carryEdit(p, was, mine, theirs)
	if ok && mineFirst == nil && merged != nil {
		if mineFirst, err = form.Decode(p, merged); err != nil {
			ok = false
		}
	}
	if !ok || mineFirst == nil {
		d.CarryFail = "Tệp này không gộp được từng ô (tệp hình, âm thanh, dạng văn bản, hoặc cả hai bên cùng thêm hay xoá tệp). " +
			"Mở “Lịch sử các phiên bản” để xem phiên bản #" + raw + " và chép lại phần sửa vào biểu mẫu dưới đây."
		return nil, nil
	}
	st := &formState{value: mineFirst, base: formBase(d.View.Tree, p), onto: strconv.FormatInt(onto, 10)}
	for _, name := range conflicts {
		st.opts.Errors = append(st.opts.Errors, form.FieldError{Name: name, Message: carryNote(theirsValue, name)})
	}
	d.Carry.Conflicts = len(conflicts)
	return st, nil
}
