package hub

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"reflect"
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
	// Again: the change had been reopened already, and that change, not
	// decided yet, is given back; nothing was saved now.
	Again bool
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

// carryPlan is version v's edit merged onto the approved file now.
type carryPlan struct {
	v         Version
	onto      int64  // the approved version now (0: none)
	merged    []byte // nil: the file is removed
	theirs    []byte // the approved file now
	conflicts []string
	ok        bool // false: not mergeable field by field
}

// versionEdit is version v's edit: the file it started from and what it wrote.
func (h *Hub) versionEdit(ctx context.Context, v Version) (was, mine []byte, err error) {
	if was, err = h.versionContent(ctx, v.Base); err != nil {
		return nil, nil, err
	}
	mine, err = h.blobBytes(ctx, v.SHA256)
	return was, mine, err
}

// planCarry merges version v's edit (from its Base) onto the approved file now.
func (h *Hub) planCarry(ctx context.Context, v Version) (*carryPlan, error) {
	was, mine, err := h.versionEdit(ctx, v)
	if err != nil {
		return nil, err
	}
	pl := &carryPlan{v: v}
	if pl.onto, err = approvedVersionOf(ctx, h.DB, v.Path); err != nil {
		return nil, err
	}
	if pl.theirs, err = h.versionContent(ctx, pl.onto); err != nil {
		return nil, err
	}
	pl.merged, _, _, pl.conflicts, pl.ok = carryEdit(v.Path, was, mine, pl.theirs)
	return pl, nil
}

// sort puts a file whose merge cannot be saved at once into res, and says
// whether to save the merge; skipSame: not when it is the approved file
// as it is (a reopened change would carry nothing).
func (pl *carryPlan) sort(res *CarryResult, skipSame bool) bool {
	switch {
	case !pl.ok:
		res.Manual = append(res.Manual, carryFile{Path: pl.v.Path, From: pl.v.ID})
		return false
	case len(pl.conflicts) > 0:
		res.Conflicts = append(res.Conflicts, carryFile{Path: pl.v.Path, From: pl.v.ID})
		return false
	}
	return !skipSame || !sameFile(pl.merged, pl.theirs)
}

// sameFile says whether two file contents are the same (nil: no file).
func sameFile(a, b []byte) bool { return bytes.Equal(a, b) && (a == nil) == (b == nil) }

// carryInto carries version v's edit (from its Base) onto the approved file
// now, saving the merge into change when it has no conflict. It reports
// into res.
func (h *Hub) carryInto(ctx context.Context, change int64, v Version, author string, over int64, res *CarryResult) error {
	pl, err := h.planCarry(ctx, v)
	if err != nil {
		return err
	}
	if !pl.sort(res, false) {
		return nil
	}
	if _, err := h.saveOnto(ctx, change, v.Path, pl.merged, author, over, pl.onto); err != nil {
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

// ReopenChange opens a new change carrying, onto the approved files now,
// the edits of an approved change that a rollback undid ("Mở lại thay đổi
// này"): only the files the rollback undid, with only their sources, so an
// edit a later approval took back on purpose stays out. All of it is one
// transaction. A change reopened already and not decided yet is given
// back as it is (CarryResult.Again), not opened a second time.
func (h *Hub) ReopenChange(ctx context.Context, old int64, author string) (*Change, *CarryResult, error) {
	for attempt := 0; ; attempt++ {
		nc, res, err := h.reopenChange(ctx, old, author)
		if errors.Is(err, ErrApprovedSince) && attempt < 2 {
			continue // approved meanwhile: merged again onto the newer file
		}
		return nc, res, err
	}
}

func (h *Hub) reopenChange(ctx context.Context, old int64, author string) (*Change, *CarryResult, error) {
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
	vs, err := h.newestVersions(ctx, old)
	if err != nil {
		return nil, nil, err
	}
	res := &CarryResult{}
	var saves []*carryPlan
	for _, v := range vs {
		if !slices.Contains(undone.Paths, v.Path) {
			continue // not undone: a later approval's word on it stands
		}
		pl, err := h.planCarry(ctx, v)
		if err != nil {
			return nil, nil, err
		}
		if pl.sort(res, true) {
			saves = append(saves, pl)
		}
	}
	// The bytes are stored before the transaction (blobs are
	// content-addressed: one no version names is harmless).
	versions := make([]*Version, len(saves))
	for i, pl := range saves {
		if pl.merged == nil {
			versions[i] = removal(0, pl.v.Path, author, h.stamp())
		} else if versions[i], err = h.storedVersion(ctx, 0, pl.v.Path, pl.merged, author, pl.theirs, pl.theirs); err != nil {
			return nil, nil, err
		}
		versions[i].Summary = strings.TrimSpace(carrySummary + "\n" + versions[i].Summary)
	}
	title := "Làm lại: " + c.Title
	if len(title) > maxChangeTitle {
		title = strings.ToValidUTF8(title[:maxChangeTitle], "")
	}
	var nc *Change
	err = h.inTx(ctx, func(tx *sql.Tx) error {
		// The old change's row, locked, lets two presses take turns: the
		// second finds the change the first opened.
		if _, err := tx.ExecContext(ctx, `UPDATE content_changes SET state = state WHERE id = $1`, old); err != nil {
			return err
		}
		prev, err := reopenedAs(ctx, tx, old)
		if err != nil {
			return err
		}
		if prev != nil && prev.State != StateApproved {
			nc = prev
			res.Again, res.Merged = true, nil
			return nil
		}
		if nc, err = h.openChange(ctx, tx, title, author, StateDraft); err != nil {
			return err
		}
		if err := addComment(ctx, tx, nc.ID, "comment", author, h.stamp(), reopenNote(c, undone)); err != nil {
			return err
		}
		for i, v := range versions {
			now, err := approvedVersionOf(ctx, tx, v.Path)
			if err != nil {
				return err
			}
			if now != saves[i].onto {
				return ErrApprovedSince
			}
			v.Change, v.Base = nc.ID, now
			if err := tx.QueryRowContext(ctx, `INSERT INTO content_versions(change_id, path, sha256, size, base, author, created, summary)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
				nc.ID, v.Path, nullString(v.SHA256), v.Size, v.Base, v.Author, v.Created, v.Summary).Scan(&v.ID); err != nil {
				return err
			}
		}
		// The sources the undone files were approved on back the same
		// facts: carried too, as given (who, the day read), for the
		// reviewer to check again.
		args := []any{nc.ID, h.stamp(), old}
		marks := make([]string, len(undone.Paths))
		for i, p := range undone.Paths {
			args = append(args, p)
			marks[i] = fmt.Sprintf("$%d", i+4)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO content_sources(change_id, path, key, ref, read_on, author, created)
			SELECT $1, path, key, ref, read_on, author, $2 FROM content_sources
			WHERE change_id = $3 AND path IN (`+strings.Join(marks, ", ")+`) ORDER BY id`, args...)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return nc, res, nil
}

// reopenedNote starts a reopened change's conversation: the change it
// carries (ReopenedAs finds it by this).
const reopenedNote = "Mở lại thay đổi #%d “%s”, đã bị quay lại (%s), trên nội dung đã duyệt mới nhất."

// reopenNote is the first comment of change c reopened: what it carries,
// and the changes it was made on that the rollback undid too, whose edits
// it does not carry.
func reopenNote(c *Change, u *Undone) string {
	s := fmt.Sprintf(reopenedNote, c.ID, c.Title, u.Label()) + " Các tệp mang sang: " + strings.Join(u.Paths, ", ") + "."
	if len(u.Along) > 0 {
		s += " " + u.alongNote(fmt.Sprintf("thay đổi #%d", c.ID))
	}
	return s
}

// ReopenedAs is the newest change reopened from change id ("Mở lại thay
// đổi này"), told by the note its author's first comment is; nil when none.
func (h *Hub) ReopenedAs(ctx context.Context, id int64) (*Change, error) {
	return reopenedAs(ctx, h.DB, id)
}

func reopenedAs(ctx context.Context, q dbtx, id int64) (*Change, error) {
	prefix, _, _ := strings.Cut(fmt.Sprintf(reopenedNote, id, "", ""), "”")
	c, err := scanChange(q.QueryRowContext(ctx, `SELECT `+prefixed("n.", changeColumns)+` FROM content_comments m
		JOIN content_changes n ON n.id = m.change_id
		WHERE m.action = 'comment' AND m.author = n.author AND m.body LIKE $1 ORDER BY m.id DESC LIMIT 1`, prefix+"%"))
	if errors.Is(err, ErrNoChange) {
		return nil, nil
	}
	return c, err
}

// prefixed puts a table's alias before each of a list of columns.
func prefixed(alias, columns string) string {
	cols := strings.Split(columns, ", ")
	for i := range cols {
		cols[i] = alias + cols[i]
	}
	return strings.Join(cols, ", ")
}

// Undone says which rollback took an approved change's edits out of the
// approved content.
type Undone struct {
	Change     int64 // the change by "hệ thống" that took the rollback in
	Generation int64 // the rollback pack's generation
	To         int64 // the generation whose content it brought back
	Paths      []string
	// Along are the changes this one's undone files were made on that the
	// same rollback undid too: reopening this one does not bring their
	// edits back.
	Along []Change
}

// rollbackChangeTitle is the title followPublished gives the change that takes a
// console rollback in (publishedFiles).
const rollbackChangeTitle = "Quay lại nội dung thế hệ %d (phát hành lại thành thế hệ %d)"

// Label says the rollback in a few words: "gói thế hệ 1796667787".
func (u *Undone) Label() string {
	return fmt.Sprintf("gói thế hệ %d", u.Generation)
}

// AlongNote tells, when a change was made on others the same rollback
// undid, that reopening it does not carry their edits.
func (u *Undone) AlongNote() string { return u.alongNote("thay đổi này") }

// alongNote is AlongNote saying the change as subject ("thay đổi #3").
func (u *Undone) alongNote(subject string) string {
	names := make([]string, len(u.Along))
	for i, c := range u.Along {
		names[i] = fmt.Sprintf("#%d “%s”", c.ID, c.Title)
	}
	them := "các thay đổi đó"
	if len(names) == 1 {
		them = "thay đổi đó"
	}
	return "Phần sửa của " + subject + " được làm trên phần sửa của " + strings.Join(names, ", ") +
		", cũng bị lần quay lại này bỏ đi: mở lại " + subject + " không mang phần sửa ấy sang; nếu cần, hãy mở lại cả " + them + "."
}

// UndoneBy says whether a rollback undid an approved change made by a
// person: a file of the change no longer holds its edit in the approved
// content (told from the content, field by field), and the approved
// version that last took the edit out is a rollback's. A later person's
// approval that took it out, or a roll forward that brought it back, do
// not count. nil when no file of the change is so.
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
		at, err := h.undoneAt(ctx, v)
		if err != nil {
			return nil, err
		}
		if at == nil {
			continue
		}
		if u == nil {
			u = &Undone{}
		}
		if at.Change > u.Change { // the newest rollback, when files differ
			u.Change, u.Generation, u.To = at.Change, at.Generation, at.To
		}
		u.Paths = append(u.Paths, v.Path)
		along, err := h.undoneAlong(ctx, v, at.Change)
		if err != nil {
			return nil, err
		}
		for _, a := range along {
			if !slices.ContainsFunc(u.Along, func(b Change) bool { return b.ID == a.ID }) {
				u.Along = append(u.Along, a)
			}
		}
	}
	return u, nil
}

// maxAlong bounds the walk down a file's bases (undoneAlong).
const maxAlong = 20

// undoneAlong are the person's changes version v was made on, one on the
// other, that the rollback change rb undid too on v's file.
func (h *Hub) undoneAlong(ctx context.Context, v Version, rb int64) ([]Change, error) {
	var out []Change
	for b, n := v.Base, 0; b != 0 && n < maxAlong; n++ {
		bv, err := h.GetVersion(ctx, b)
		if err != nil {
			return nil, err
		}
		bc, err := h.GetChange(ctx, bv.Change)
		if err != nil {
			return nil, err
		}
		if bc.State != StateApproved || bc.Author == systemAuthor {
			break
		}
		at, err := h.undoneAt(ctx, *bv)
		if err != nil {
			return nil, err
		}
		if at == nil || at.Change != rb {
			break
		}
		out = append(out, *bc)
		b = bv.Base
	}
	return out, nil
}

// approvedAfter is an approved version of a file after another, with its change.
type approvedAfter struct {
	id     int64
	sha    sql.NullString
	change int64
	author string
	title  string
}

// undoneAt says which rollback undid the edit of version v (an approved
// change's newest version of its file): nil when the approved file holds
// the edit now, or when what last took it out was not a rollback.
func (h *Hub) undoneAt(ctx context.Context, v Version) (*Undone, error) {
	rows, err := h.DB.QueryContext(ctx, `SELECT v.id, v.sha256, c.id, c.author, c.title FROM content_versions v
		JOIN content_changes c ON c.id = v.change_id WHERE c.state = 'approved' AND v.path = $1 AND v.id > $2 ORDER BY v.id`, v.Path, v.ID)
	if err != nil {
		return nil, err
	}
	var after []approvedAfter
	for rows.Next() {
		var a approvedAfter
		if err := rows.Scan(&a.id, &a.sha, &a.change, &a.author, &a.title); err != nil {
			rows.Close()
			return nil, err
		}
		after = append(after, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rollback := func(a approvedAfter) (to, gen int64, ok bool) {
		if a.author != systemAuthor {
			return 0, 0, false
		}
		_, err := fmt.Sscanf(a.title, rollbackChangeTitle, &to, &gen)
		return to, gen, err == nil
	}
	if !slices.ContainsFunc(after, func(a approvedAfter) bool { _, _, ok := rollback(a); return ok }) ||
		after[len(after)-1].sha.String == v.SHA256 {
		return nil, nil // no rollback since, or the very file again
	}
	was, mine, err := h.versionEdit(ctx, v)
	if err != nil {
		return nil, err
	}
	holds := func(a approvedAfter) (bool, error) {
		now, err := h.blobBytes(ctx, a.sha.String)
		if err != nil {
			return false, err
		}
		return editKept(v.Path, was, mine, now), nil
	}
	// From the newest back to the last version that still held the edit:
	// the one after it took the edit out.
	i := len(after) - 1
	for ; i >= 0; i-- {
		ok, err := holds(after[i])
		if err != nil {
			return nil, err
		}
		if ok {
			break
		}
	}
	if i == len(after)-1 {
		return nil, nil // the approved file holds it now
	}
	to, gen, ok := rollback(after[i+1])
	if !ok {
		return nil, nil // a person's approval took it out: on purpose
	}
	return &Undone{Change: after[i+1].change, Generation: gen, To: to}, nil
}

// editKept says whether now, a file's content, holds the edit that turned
// was into mine: carrying the edit onto it would change nothing.
func editKept(p string, was, mine, now []byte) bool {
	merged, _, nowValue, conflicts, ok := carryEdit(p, was, mine, now)
	switch {
	case !ok || len(conflicts) > 0:
		return false
	case sameFile(merged, now):
		return true
	case nowValue == nil || merged == nil:
		return false // merged whole, and not the same
	}
	mv, err := form.Decode(p, merged)
	return err == nil && reflect.DeepEqual(mv, nowValue)
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
	was, mine, err := h.versionEdit(ctx, *v)
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
