package hub

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"tramso/kiosk/content"
	"tramso/kiosk/pack"
	"tramso/kiosk/studio"
)

// The content studio's store (issue 16). A change is like a pull request: an
// editor opens one, saves whole files of a pack source folder into it (each
// save is a version: who, when, what changed in words), proposes it; another
// account approves it or sends it back with a comment. The approved tree is,
// for each path, the newest version among approved changes; a change's tree
// is the approved tree overlaid by the change's newest version of each path
// it touched. File bytes live in the blob store by sha256, like pack files.
// Tables: migrations/*/0009_studio.sql.

// ChangeState is where a change is in its review.
type ChangeState string

const (
	StateDraft    ChangeState = "draft"    // being edited
	StateProposed ChangeState = "proposed" // waiting for a reviewer; not editable
	StateApproved ChangeState = "approved" // part of the approved tree
	StateReturned ChangeState = "returned" // sent back with a comment; editable again
)

// stateLabels name the states as staff read them.
var stateLabels = map[ChangeState]string{
	StateDraft:    "Đang soạn",
	StateProposed: "Chờ duyệt",
	StateApproved: "Đã duyệt",
	StateReturned: "Bị trả lại",
}

// Label is the state in Vietnamese.
func (s ChangeState) Label() string { return stateLabels[s] }

// Open says whether the change can still be edited.
func (s ChangeState) Open() bool { return s == StateDraft || s == StateReturned }

// systemAuthor is who the seed change is by.
const systemAuthor = "hệ thống"

// Change is a change to the content, as a pull request is to code.
type Change struct {
	ID       int64
	Title    string
	Author   string
	Created  string // RFC 3339 UTC
	State    ChangeState
	Reviewer string // who decided last
	Decided  string
	Comment  string // why it was sent back
}

// Version is one save of one file in a change.
type Version struct {
	ID      int64
	Change  int64
	Path    string
	SHA256  string // "" when the version removes the file
	Size    int64
	Base    int64 // the approved version of Path when the change first touched it (0: none)
	Author  string
	Created string
	Summary string // what changed, in words, one change per line
}

// Removed says whether the version removes its file.
func (v Version) Removed() bool { return v.SHA256 == "" }

// SourceEntry is a source given in a change for a fact change of one file.
type SourceEntry struct {
	ID   int64
	Path string
	studio.Source
	Author  string
	Created string
}

// Comment is one entry of a change's conversation: a comment, or a
// decision (proposed, approved, returned) with its words.
type Comment struct {
	ID      int64
	Action  string // comment, proposed, approved, returned
	Author  string
	Created string
	Body    string
}

// StudioError is a studio rule that refused something: Msg is what staff
// read (Vietnamese), Detail what it is about (paths, problems). errors.Is
// matches on the kind, so callers compare with the Err… values below.
type StudioError struct {
	Kind   string
	Msg    string
	Detail []string
}

func (e *StudioError) Error() string {
	if len(e.Detail) == 0 {
		return e.Msg
	}
	return e.Msg + " (" + strings.Join(e.Detail, "; ") + ")"
}

// Is matches another StudioError of the same kind.
func (e *StudioError) Is(target error) bool {
	t, ok := target.(*StudioError)
	return ok && t.Kind == e.Kind
}

func (e *StudioError) with(detail ...string) *StudioError {
	return &StudioError{Kind: e.Kind, Msg: e.Msg, Detail: detail}
}

// The studio's rules.
var (
	ErrNoChange     = &StudioError{Kind: "no-change", Msg: "Không có thay đổi này."}
	ErrNotEditable  = &StudioError{Kind: "not-editable", Msg: "Thay đổi này đang chờ duyệt hoặc đã duyệt nên không sửa được nữa. Hãy mở một thay đổi mới."}
	ErrNotProposed  = &StudioError{Kind: "not-proposed", Msg: "Chỉ duyệt hoặc trả lại được thay đổi đang chờ duyệt."}
	ErrOwnChange    = &StudioError{Kind: "own-change", Msg: "Bạn đã soạn hoặc sửa thay đổi này nên không tự duyệt được: cần một người duyệt khác."}
	ErrUnsourced    = &StudioError{Kind: "unsourced", Msg: "Còn thay đổi về lệ phí, thời hạn, giấy tờ hoặc căn cứ pháp lý chưa có nguồn (địa chỉ trang web hoặc số văn bản) và ngày đọc nguồn."}
	ErrLintProblems = &StudioError{Kind: "lint", Msg: "Nội dung sau thay đổi còn lỗi mà kiosk sẽ từ chối: cần sửa hết trước khi duyệt."}
	ErrStale        = &StudioError{Kind: "stale", Msg: "Trong lúc chờ duyệt, một thay đổi khác đã được duyệt cho cùng tệp (cạnh từng dòng là giá trị của bản đang dùng). " +
		"Hãy trả lại: người soạn bấm “Làm lại trên bản mới nhất” để gộp phần sửa của mình vào bản mới nhất."}
	ErrNeedComment  = &StudioError{Kind: "need-comment", Msg: "Khi trả lại, hãy ghi lý do để người soạn biết cần sửa gì."}
	ErrEmptyChange  = &StudioError{Kind: "empty", Msg: "Thay đổi này chưa sửa tệp nào nên chưa gửi duyệt được."}
	ErrNothingNew   = &StudioError{Kind: "nothing-new", Msg: "Nội dung đã duyệt giống hệt gói mới nhất (đã phát hành hoặc đang chờ ký): không có gì mới để dựng gói."}
	ErrBadPath      = &StudioError{Kind: "bad-path", Msg: "Tên tệp không hợp lệ trong một gói nội dung."}
	ErrTooLarge     = &StudioError{Kind: "too-large", Msg: "Tệp hoặc bộ nội dung quá lớn cho một gói nội dung."}
	ErrBadTitle     = &StudioError{Kind: "bad-title", Msg: "Hãy đặt tên cho thay đổi (tối đa 200 ký tự)."}
	ErrBadSource    = &StudioError{Kind: "bad-source", Msg: "Nguồn cần ghi rõ thay đổi nó chứng minh và địa chỉ trang web hoặc số văn bản."}
	ErrNoSource     = &StudioError{Kind: "no-source", Msg: "Không có nguồn này trong thay đổi (có thể đã bỏ rồi)."}
	ErrFutureSource = &StudioError{Kind: "future-source", Msg: "Ngày đọc nguồn không thể sau hôm nay: ghi ngày đã thực sự đọc văn bản hoặc trang web."}
	ErrNoVersion    = &StudioError{Kind: "no-version", Msg: "Không có phiên bản này."}
	ErrSavedSince   = &StudioError{Kind: "saved-since", Msg: "Chưa lưu: trong lúc bạn sửa, tệp này đã được lưu ở nơi khác (một thẻ khác, hoặc một đồng nghiệp). " +
		"Biểu mẫu dưới đây giữ những gì bạn gõ, đặt trên bản mới nhất. Xem \"Lịch sử các phiên bản\" để biết bản kia đổi gì; " +
		"bấm \"Lưu phiên bản\" lần nữa thì các ô trong biểu mẫu này sẽ thay cho bản kia."}
)

// maxChangeTitle bounds a change's title, in bytes.
const maxChangeTitle = 200

// changeColumns are selected by scanChange, in its order.
const changeColumns = `id, title, author, created, state, reviewer, decided, comment`

func scanChange(row interface{ Scan(...any) error }) (*Change, error) {
	var c Change
	err := row.Scan(&c.ID, &c.Title, &c.Author, &c.Created, &c.State, &c.Reviewer, &c.Decided, &c.Comment)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoChange
	}
	return &c, err
}

// OpenChange starts a draft change.
func (h *Hub) OpenChange(ctx context.Context, title, author string) (*Change, error) {
	title = strings.TrimSpace(storable(title))
	if title == "" || len(title) > maxChangeTitle {
		return nil, ErrBadTitle
	}
	return h.openChange(ctx, h.DB, title, author, StateDraft)
}

// dbtx is a *sql.DB or a *sql.Tx.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (h *Hub) openChange(ctx context.Context, q dbtx, title, author string, state ChangeState) (*Change, error) {
	c := &Change{Title: title, Author: author, Created: h.stamp(), State: state}
	if state == StateApproved {
		c.Reviewer, c.Decided = author, c.Created
	}
	err := q.QueryRowContext(ctx, `INSERT INTO content_changes(title, author, created, state, reviewer, decided)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, c.Title, c.Author, c.Created, string(c.State), c.Reviewer, c.Decided).Scan(&c.ID)
	if err != nil {
		return nil, fmt.Errorf("open change: %w", err)
	}
	return c, nil
}

// GetChange reads a change.
func (h *Hub) GetChange(ctx context.Context, id int64) (*Change, error) {
	return scanChange(h.DB.QueryRowContext(ctx, `SELECT `+changeColumns+` FROM content_changes WHERE id = $1`, id))
}

// Changes lists the changes in the given states, newest first, at most limit.
func (h *Hub) Changes(ctx context.Context, limit int, states ...ChangeState) ([]Change, error) {
	if len(states) == 0 {
		return nil, nil
	}
	args := []any{limit}
	marks := make([]string, len(states))
	for i, s := range states {
		args = append(args, string(s))
		marks[i] = fmt.Sprintf("$%d", i+2)
	}
	rows, err := h.DB.QueryContext(ctx, `SELECT `+changeColumns+` FROM content_changes
		WHERE state IN (`+strings.Join(marks, ", ")+`) ORDER BY id DESC LIMIT $1`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		c, err := scanChange(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// lockOpen locks change id's row in tx if it is open for editing (a no-op
// update: PostgreSQL then holds the row; SQLite's write transactions run
// one at a time), so a save cannot slip in beside a proposal.
func lockOpen(ctx context.Context, tx *sql.Tx, id int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE content_changes SET state = state WHERE id = $1 AND state IN ('draft', 'returned')`, id)
	if err != nil {
		return err
	}
	return matchedChange(ctx, tx, res, id, ErrNotEditable)
}

// matchedChange says what an UPDATE of change id that matched no row
// means: there is no such change, or it was not in the state the update
// needed (wrong).
func matchedChange(ctx context.Context, tx *sql.Tx, res sql.Result, id int64, wrong error) error {
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	var one int
	if err := tx.QueryRowContext(ctx, `SELECT 1 FROM content_changes WHERE id = $1`, id).Scan(&one); errors.Is(err, sql.ErrNoRows) {
		return ErrNoChange
	}
	return wrong
}

// SaveFile saves body as the newest version of path in an open change: the
// bytes go to the blob store, the version records who saved it and what
// changed, in words, since the change's previous version of the file (or
// the approved one). A file that does not decode is saved all the same, its
// summary saying so: the lint shows where it fails.
func (h *Hub) SaveFile(ctx context.Context, change int64, path string, body []byte, author string) (*Version, error) {
	vs, err := h.SaveFiles(ctx, change, map[string][]byte{path: body}, author)
	if err != nil {
		return nil, err
	}
	return vs[0], nil
}

// SaveFileOver is SaveFile of an edit made on version base of the file (0:
// the change's view had none): when the view shows another version by now —
// saved from another tab, or by a colleague — it is refused (ErrSavedSince)
// rather than undo that save; checked in the saving transaction.
func (h *Hub) SaveFileOver(ctx context.Context, change int64, path string, body []byte, author string, base int64) (*Version, error) {
	v, err := h.newVersion(ctx, change, path, body, author)
	if err != nil {
		return nil, err
	}
	if err := h.insertVersions(ctx, change, []*Version{v}, map[string]int64{path: base}); err != nil {
		return nil, err
	}
	return v, nil
}

// SaveFiles saves several files into an open change at once (a translation
// touches a content YAML and a catalogue): one version each, in path order,
// all or none.
func (h *Hub) SaveFiles(ctx context.Context, change int64, files map[string][]byte, author string) ([]*Version, error) {
	vs := make([]*Version, 0, len(files))
	for _, path := range slices.Sorted(maps.Keys(files)) {
		v, err := h.newVersion(ctx, change, path, files[path], author)
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	if err := h.insertVersions(ctx, change, vs, nil); err != nil {
		return nil, err
	}
	return vs, nil
}

// newVersion checks a file, stores its bytes (a blob no version ends up
// naming is harmless: blobs are content-addressed) and summarises it
// against the change's current bytes.
func (h *Hub) newVersion(ctx context.Context, change int64, path string, body []byte, author string) (*Version, error) {
	prev, err := h.currentBytes(ctx, change, path)
	if err != nil {
		return nil, err
	}
	approved, err := h.approvedBytes(ctx, path)
	if err != nil {
		return nil, err
	}
	return h.storedVersion(ctx, change, path, body, author, approved, prev)
}

// storedVersion is newVersion of body replacing prev, approved being the
// approved file (a change not opened yet: change 0, prev the approved file).
func (h *Hub) storedVersion(ctx context.Context, change int64, path string, body []byte, author string, approved, prev []byte) (*Version, error) {
	if err := checkStudioPath(path); err != nil {
		return nil, err
	}
	if int64(len(body)) > pack.MaxFileSize {
		return nil, ErrTooLarge.with(path)
	}
	sum := sha256.Sum256(body)
	sha := hex.EncodeToString(sum[:])
	if ok, _ := h.blobs.Has(ctx, sha); !ok {
		if err := h.blobs.Put(ctx, sha, int64(len(body)), bytes.NewReader(body)); err != nil {
			return nil, fmt.Errorf("save %s: %w", path, err)
		}
	}
	return &Version{Change: change, Path: path, SHA256: sha, Size: int64(len(body)), Author: author, Created: h.stamp(),
		Summary: summarize(path, approved, prev, body)}, nil
}

// RemoveFile records, in an open change, that path is no longer part of the content.
func (h *Hub) RemoveFile(ctx context.Context, change int64, path, author string) (*Version, error) {
	if err := checkStudioPath(path); err != nil {
		return nil, err
	}
	v := removal(change, path, author, h.stamp())
	if err := h.insertVersions(ctx, change, []*Version{v}, nil); err != nil {
		return nil, err
	}
	return v, nil
}

// removal is the version that takes path out of a change's content.
func removal(change int64, path, author, stamp string) *Version {
	return &Version{Change: change, Path: path, Author: author, Created: stamp, Summary: summaryRemoved}
}

// insertVersions records versions (SHA256 "" removes the file) in one
// transaction, the change still open.
func (h *Hub) insertVersions(ctx context.Context, change int64, vs []*Version, over map[string]int64) error {
	return h.insertVersionsOnto(ctx, change, vs, over, nil)
}

// insertVersionsOnto is insertVersions where each path of onto is re-based:
// its version stands on the approved version onto names, which must still
// be the newest approved one (ErrApprovedSince), and no longer on the one
// the change first started from (studio_rebase.go).
func (h *Hub) insertVersionsOnto(ctx context.Context, change int64, vs []*Version, over, onto map[string]int64) error {
	return h.inTx(ctx, func(tx *sql.Tx) error {
		if err := lockOpen(ctx, tx, change); err != nil {
			return err
		}
		for path, base := range over {
			now, err := viewVersion(ctx, tx, change, path)
			if err != nil {
				return err
			}
			if now != base {
				return ErrSavedSince
			}
		}
		for _, v := range vs {
			base, err := baseOf(ctx, tx, change, v.Path)
			if err != nil {
				return err
			}
			if to, ok := onto[v.Path]; ok {
				now, err := approvedVersionOf(ctx, tx, v.Path)
				if err != nil {
					return err
				}
				if now != to {
					return ErrApprovedSince
				}
				base = to
			}
			v.Base = base
			if err := tx.QueryRowContext(ctx, `INSERT INTO content_versions(change_id, path, sha256, size, base, author, created, summary)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
				change, v.Path, nullString(v.SHA256), v.Size, base, v.Author, v.Created, v.Summary).Scan(&v.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// baseOf is the version of path a change builds on: the base of its newest
// version of path (its first one's, unless the change was re-based onto a
// newer approval since: studio_rebase.go), or, on the first touch, the
// approved version now (0 when the approved tree has none).
func baseOf(ctx context.Context, q dbtx, change int64, path string) (int64, error) {
	var base int64
	err := q.QueryRowContext(ctx, `SELECT base FROM content_versions WHERE change_id = $1 AND path = $2 ORDER BY id DESC LIMIT 1`,
		change, path).Scan(&base)
	if err == nil {
		return base, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	return approvedVersionOf(ctx, q, path)
}

// viewVersion is the version of path a change shows (ChangeTree): its own
// newest, else the newest approved; 0 when it shows no such file.
func viewVersion(ctx context.Context, q dbtx, change int64, path string) (int64, error) {
	id, sha, err := ownNewest(ctx, q, change, path)
	if errors.Is(err, sql.ErrNoRows) {
		err = q.QueryRowContext(ctx, `SELECT v.id, v.sha256 FROM content_versions v JOIN content_changes c ON c.id = v.change_id
			WHERE c.state = 'approved' AND v.path = $1 ORDER BY v.id DESC LIMIT 1`, path).Scan(&id, &sha)
	}
	if errors.Is(err, sql.ErrNoRows) || err == nil && !sha.Valid {
		return 0, nil // never there, or removed
	}
	return id, err
}

// ownNewest is the change's own newest version of path (sha256 null: a
// removal); sql.ErrNoRows when the change has not touched path.
func ownNewest(ctx context.Context, q dbtx, change int64, path string) (id int64, sha sql.NullString, err error) {
	err = q.QueryRowContext(ctx, `SELECT id, sha256 FROM content_versions WHERE change_id = $1 AND path = $2 ORDER BY id DESC LIMIT 1`,
		change, path).Scan(&id, &sha)
	return id, sha, err
}

// approvedVersionOf is the id of path's newest approved version, a removal
// included (0: none).
func approvedVersionOf(ctx context.Context, q dbtx, path string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT coalesce(max(v.id), 0) FROM content_versions v
		JOIN content_changes c ON c.id = v.change_id WHERE c.state = 'approved' AND v.path = $1`, path).Scan(&id)
	return id, err
}

// currentBytes is path as change sees it now: its own newest version, else
// the approved one; nil when the file does not exist there.
func (h *Hub) currentBytes(ctx context.Context, change int64, path string) ([]byte, error) {
	_, sha, err := ownNewest(ctx, h.DB, change, path)
	if errors.Is(err, sql.ErrNoRows) {
		return h.approvedBytes(ctx, path)
	}
	if err != nil || !sha.Valid {
		return nil, err
	}
	return h.blobBytes(ctx, sha.String)
}

// approvedBytes is path as approved (nil: the approved tree has no such file).
func (h *Hub) approvedBytes(ctx context.Context, path string) ([]byte, error) {
	tree, err := h.ApprovedTree(ctx)
	if err != nil {
		return nil, err
	}
	f, ok := tree[path]
	if !ok {
		return nil, nil
	}
	return h.blobBytes(ctx, f.SHA256)
}

// blobBytes reads a blob whole (a file of a content tree: at most pack.MaxFileSize).
func (h *Hub) blobBytes(ctx context.Context, sha string) ([]byte, error) {
	if sha == "" {
		return nil, nil
	}
	r, _, _, err := h.blobs.Open(ctx, sha)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(io.LimitReader(r, pack.MaxFileSize+1))
}

// checkStudioPath accepts a path a pack may hold and `pack build` would
// not skip (names starting with "." are left out of packs).
func checkStudioPath(p string) error {
	if err := pack.CheckPath(p); err != nil {
		return ErrBadPath.with(err.Error())
	}
	for _, seg := range strings.Split(p, "/") {
		if strings.HasPrefix(seg, ".") {
			return ErrBadPath.with(p + ": tên bắt đầu bằng dấu chấm không được đưa vào gói")
		}
	}
	return nil
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// inTx runs f in a transaction and commits it if f returns nil.
func (h *Hub) inTx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// versionColumns are selected by scanVersion, in its order.
const versionColumns = `id, change_id, path, sha256, size, base, author, created, summary`

func scanVersion(row interface{ Scan(...any) error }) (Version, error) {
	var v Version
	var sha sql.NullString
	err := row.Scan(&v.ID, &v.Change, &v.Path, &sha, &v.Size, &v.Base, &v.Author, &v.Created, &v.Summary)
	v.SHA256 = sha.String
	return v, err
}

func (h *Hub) queryVersions(ctx context.Context, where string, args ...any) ([]Version, error) {
	rows, err := h.DB.QueryContext(ctx, `SELECT `+versionColumns+` FROM content_versions WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ChangeVersions lists every version saved in a change, oldest first.
func (h *Hub) ChangeVersions(ctx context.Context, change int64) ([]Version, error) {
	return h.queryVersions(ctx, `change_id = $1 ORDER BY id`, change)
}

// FileHistory lists every version of path, in every change, newest first.
func (h *Hub) FileHistory(ctx context.Context, path string) ([]Version, error) {
	return h.queryVersions(ctx, `path = $1 ORDER BY id DESC`, path)
}

// GetVersion reads one version.
func (h *Hub) GetVersion(ctx context.Context, id int64) (*Version, error) {
	vs, err := h.queryVersions(ctx, `id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, ErrNoVersion
	}
	return &vs[0], nil
}

// Restore saves version's bytes (or its removal) as a new version of its
// path in an open change.
func (h *Hub) Restore(ctx context.Context, version, change int64, author string) (*Version, error) {
	old, err := h.GetVersion(ctx, version)
	if err != nil {
		return nil, err
	}
	if old.Removed() {
		return h.RemoveFile(ctx, change, old.Path, author)
	}
	body, err := h.blobBytes(ctx, old.SHA256)
	if err != nil {
		return nil, err
	}
	return h.SaveFile(ctx, change, old.Path, body, author)
}

// maxSourceText bounds a source's reference and key, in bytes.
const maxSourceText = 500

// AddSource records where a reviewer can check a fact change of path.
// Sources may be added until the change is approved (a reviewer may ask
// for one while it waits).
func (h *Hub) AddSource(ctx context.Context, change int64, path string, src studio.Source, author string) error {
	src.Key, src.Ref = strings.TrimSpace(storable(src.Key)), strings.TrimSpace(storable(src.Ref))
	src.ReadOn = content.Date(strings.TrimSpace(storable(string(src.ReadOn))))
	if src.Key == "" || src.Ref == "" || len(src.Key) > maxSourceText || len(src.Ref) > maxSourceText || len(src.ReadOn) > 10 {
		return ErrBadSource
	}
	if err := checkStudioPath(path); err != nil {
		return err
	}
	// "abc" backs nothing: refused here, where the editor types it, rather
	// than kept in the change's record for good.
	if why := studio.CheckSource(src); why != "" {
		return &StudioError{Kind: ErrBadSource.Kind, Msg: "Chưa thêm nguồn: " + why + "."}
	}
	// A source read "in the future" is a typo (2099 for 2025) that would
	// still let the change be approved; tomorrow is allowed for a reader
	// east of the hub's clock.
	if read, ok := src.ReadOn.Time(); ok && read.After(h.now().AddDate(0, 0, 1)) {
		return ErrFutureSource
	}
	return h.inTx(ctx, func(tx *sql.Tx) error {
		if err := lockUndecided(ctx, tx, change); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO content_sources(change_id, path, key, ref, read_on, author, created)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, change, path, src.Key, src.Ref, string(src.ReadOn), author, h.stamp())
		return err
	})
}

// RemoveSource takes back a source given by mistake, while the change is
// not approved yet; an approved change keeps the sources it was approved on.
func (h *Hub) RemoveSource(ctx context.Context, change, id int64) error {
	return h.inTx(ctx, func(tx *sql.Tx) error {
		if err := lockUndecided(ctx, tx, change); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM content_sources WHERE change_id = $1 AND id = $2`, change, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return cmp.Or(err, error(ErrNoSource))
		}
		return nil
	})
}

// lockUndecided locks a change that is not approved yet.
func lockUndecided(ctx context.Context, tx *sql.Tx, change int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE content_changes SET state = state WHERE id = $1 AND state <> 'approved'`, change)
	if err != nil {
		return err
	}
	return matchedChange(ctx, tx, res, change, ErrNotEditable)
}

// Sources lists the sources given in a change, oldest first.
func (h *Hub) Sources(ctx context.Context, change int64) ([]SourceEntry, error) {
	rows, err := h.DB.QueryContext(ctx, `SELECT id, path, key, ref, read_on, author, created FROM content_sources
		WHERE change_id = $1 ORDER BY id`, change)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SourceEntry
	for rows.Next() {
		var s SourceEntry
		if err := rows.Scan(&s.ID, &s.Path, &s.Key, &s.Ref, &s.ReadOn, &s.Author, &s.Created); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// maxCommentLen bounds a comment, in bytes.
const maxCommentLen = 4000

// AddComment adds to a change's conversation.
func (h *Hub) AddComment(ctx context.Context, change int64, body, author string) error {
	body = strings.TrimSpace(storable(body))
	if body == "" || len(body) > maxCommentLen {
		return ErrNeedComment
	}
	if _, err := h.GetChange(ctx, change); err != nil {
		return err
	}
	return addComment(ctx, h.DB, change, "comment", author, h.stamp(), body)
}

func addComment(ctx context.Context, q dbtx, change int64, action, author, at, body string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO content_comments(change_id, action, author, created, body)
		VALUES ($1, $2, $3, $4, $5)`, change, action, author, at, body)
	return err
}

// Comments lists a change's conversation and decisions, oldest first.
func (h *Hub) Comments(ctx context.Context, change int64) ([]Comment, error) {
	rows, err := h.DB.QueryContext(ctx, `SELECT id, action, author, created, body FROM content_comments
		WHERE change_id = $1 ORDER BY id`, change)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Comment
	for rows.Next() {
		var c Comment
		if err := rows.Scan(&c.ID, &c.Action, &c.Author, &c.Created, &c.Body); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
