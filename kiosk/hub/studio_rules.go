package hub

import (
	"context"
	"database/sql"
	"slices"
	"sort"
	"strings"

	"tramso/kiosk/content"
	"tramso/kiosk/pack"
	"tramso/kiosk/studio"
)

// Review is what a reviewer reads of a change: each file it touched, with
// what changed in words and the fact changes no source backs yet, and the
// lint problems of the whole content as the change leaves it.
type Review struct {
	Change   Change
	Files    []FileReview
	Sources  []SourceEntry
	Comments []Comment
	Problems content.Problems // of the change's tree (pack.LintSource)
	Authors  []string         // everyone who saved a version in it
}

// FileReview is one file of a change under review.
type FileReview struct {
	Path       string
	Base       int64 // the approved version the change started from (0: none)
	Version    int64 // the change's newest version of the file
	Added      bool  // the approved tree had no such file
	Removed    bool  // the change removes it
	Stale      bool  // another approved change replaced Base since
	Changes    []studio.Change
	Missing    []studio.Missing // fact changes no valid source backs
	Unreadable string           // why the file could not be compared, if it could not
	// Approved is, for a stale file, the value now approved of each line
	// of Changes the other approval changed too, by Change.Key ("bản đang
	// dùng: 15.000 đ" beside "10.000 đ → 12.000 đ").
	Approved map[string]string
	// Compiled reminds that a procedure's verified_on stayed while its
	// facts changed (studio.CompiledReminder): a warning, never a blocker.
	Compiled string
}

// Blockers lists, in words, what keeps the change from approval by a
// reviewer who did not write it: the rules Approve applies.
func (r *Review) Blockers() []*StudioError {
	var out []*StudioError
	var stale, missing []string
	for _, f := range r.Files {
		if f.Stale {
			stale = append(stale, f.Path)
		}
		for _, m := range f.Missing {
			missing = append(missing, f.Path+": "+m.Change.Label+" — "+m.Reason)
		}
	}
	if len(missing) > 0 {
		out = append(out, ErrUnsourced.with(missing...))
	}
	if len(r.Problems) > 0 {
		probs := make([]string, len(r.Problems))
		for i, p := range r.Problems {
			probs[i] = p.String()
		}
		out = append(out, ErrLintProblems.with(probs...))
	}
	if len(stale) > 0 {
		out = append(out, ErrStale.with(stale...))
	}
	return out
}

// BlockersFor is Blockers as they stand for the reviewer user: also, a
// person who gave one of the change's sources does not approve it.
func (r *Review) BlockersFor(user string) []*StudioError {
	out := r.Blockers()
	if refs := r.suppliedBy(user); len(refs) > 0 {
		out = append(out, errSourcedByReviewer(refs))
	}
	return out
}

// ChangeReview compares each file a change touched with the version it
// started from, checks the fact changes against the change's sources for
// that file, and lints the change's whole tree.
func (h *Hub) ChangeReview(ctx context.Context, change int64) (*Review, error) {
	c, err := h.GetChange(ctx, change)
	if err != nil {
		return nil, err
	}
	r := &Review{Change: *c}
	if r.Sources, err = h.Sources(ctx, change); err != nil {
		return nil, err
	}
	if r.Comments, err = h.Comments(ctx, change); err != nil {
		return nil, err
	}
	vs, err := h.ChangeVersions(ctx, change)
	if err != nil {
		return nil, err
	}
	newest := map[string]Version{}
	authors := map[string]bool{}
	for _, v := range vs {
		newest[v.Path] = v
		authors[v.Author] = true
	}
	for a := range authors {
		r.Authors = append(r.Authors, a)
	}
	sort.Strings(r.Authors)
	paths := make([]string, 0, len(newest))
	for p := range newest {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		f, err := h.fileReview(ctx, c, newest[p], r.Sources)
		if err != nil {
			return nil, err
		}
		r.Files = append(r.Files, f)
	}
	tree, err := h.ChangeTree(ctx, change)
	if err != nil {
		return nil, err
	}
	r.Problems = studio.Collapse(h.lintTree(ctx, tree))
	return r, nil
}

// lintTree lints a tree as the studio shows it: as pack lint does, less
// what only follows from a file that cannot be read (studio.HoldBackConsequences).
func (h *Hub) lintTree(ctx context.Context, t Tree) content.Problems {
	return studio.HoldBackConsequences(pack.LintSource(h.TreeFS(ctx, t)))
}

func (h *Hub) fileReview(ctx context.Context, c *Change, v Version, sources []SourceEntry) (FileReview, error) {
	f := FileReview{Path: v.Path, Base: v.Base, Version: v.ID, Removed: v.Removed()}
	var before []byte
	if v.Base != 0 {
		base, err := h.GetVersion(ctx, v.Base)
		if err != nil {
			return f, err
		}
		f.Added = base.Removed()
		if before, err = h.blobBytes(ctx, base.SHA256); err != nil {
			return f, err
		}
	} else {
		f.Added = true
	}
	after, err := h.blobBytes(ctx, v.SHA256)
	if err != nil {
		return f, err
	}
	if c.State != StateApproved {
		if f.Stale, err = h.overtaken(ctx, v); err != nil {
			return f, err
		}
	}
	f.Changes, f.Unreadable = diffFile(v.Path, before, after)
	if f.Stale && f.Unreadable == "" {
		if f.Approved, err = h.approvedNow(ctx, v.Path, before, f.Changes); err != nil {
			return f, err
		}
	}
	if kindOf(v.Path) == kindProcedure && !f.Added && !f.Removed && f.Unreadable == "" {
		var pr content.Procedure
		if decodeStrict(after, &pr) == nil {
			f.Compiled = studio.CompiledReminder(f.Changes, pr.VerifiedOn)
		}
	}
	var own []studio.Source
	for _, s := range sources {
		if s.Path == v.Path {
			own = append(own, s.Source)
		}
	}
	f.Missing = studio.RequireSources(f.Changes, own)
	return f, nil
}

// approvedNow is, for each of a stale file's changes, the value the
// approval made since gave the same line (by key), as the review says
// values; a line it did not touch is left out (its value is still before).
func (h *Hub) approvedNow(ctx context.Context, p string, before []byte, mine []studio.Change) (map[string]string, error) {
	now, err := h.approvedBytes(ctx, p)
	if err != nil {
		return nil, err
	}
	theirs, _ := diffFile(p, before, now)
	out := map[string]string{}
	for _, t := range theirs {
		if !slices.ContainsFunc(mine, func(c studio.Change) bool { return c.Key == t.Key }) {
			continue
		}
		switch {
		case now == nil:
			out[t.Key] = "tệp đã bị xoá"
		case t.Op == studio.Removed:
			out[t.Key] = "đã bỏ"
		default:
			out[t.Key] = t.After
		}
	}
	return out, nil
}

// overtaken says whether another approved change has replaced, since, the
// approved version v was made from: a change holding v cannot be approved.
func (h *Hub) overtaken(ctx context.Context, v Version) (bool, error) {
	now, err := approvedVersionOf(ctx, h.DB, v.Path)
	return now != v.Base, err
}

// Propose sends an open change to review.
func (h *Hub) Propose(ctx context.Context, change int64, by string) error {
	return h.inTx(ctx, func(tx *sql.Tx) error {
		if err := lockOpen(ctx, tx, change); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM content_versions WHERE change_id = $1`, change).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ErrEmptyChange
		}
		now := h.stamp()
		if _, err := tx.ExecContext(ctx, `UPDATE content_changes SET state = 'proposed' WHERE id = $1`, change); err != nil {
			return err
		}
		return addComment(ctx, tx, change, "proposed", by, now, "")
	})
}

// Approve makes a proposed change part of the approved tree, if the rules
// allow it: the reviewer neither wrote it nor saved a version in it, nor
// gave any of its sources; every fact change is backed by a source; the content it leaves has no lint
// problem; and no file it touched was replaced by another approval since
// the change started from it. The review is read first (the change cannot
// be edited while proposed); the state and staleness are checked again
// under the studio's lock, which every approval takes.
func (h *Hub) Approve(ctx context.Context, change int64, reviewer string) error {
	r, err := h.ChangeReview(ctx, change)
	if err != nil {
		return err
	}
	if r.Change.State != StateProposed {
		return ErrNotProposed
	}
	if r.WrittenBy(reviewer) {
		return ErrOwnChange
	}
	if bs := r.BlockersFor(reviewer); len(bs) > 0 {
		return bs[0]
	}
	return h.inTx(ctx, func(tx *sql.Tx) error {
		// One approval at a time, on every hub: the no-op update holds the row.
		if _, err := tx.ExecContext(ctx, `UPDATE content_studio SET id = id WHERE id = 1`); err != nil {
			return err
		}
		var stale []string
		for _, f := range r.Files {
			now, err := approvedVersionOf(ctx, tx, f.Path)
			if err != nil {
				return err
			}
			if now != f.Base {
				stale = append(stale, f.Path)
			}
		}
		if len(stale) > 0 {
			return ErrStale.with(stale...)
		}
		return h.decide(ctx, tx, change, StateApproved, reviewer, "")
	})
}

// SendBack returns a proposed change to its authors with a comment saying why.
func (h *Hub) SendBack(ctx context.Context, change int64, reviewer, comment string) error {
	comment = strings.TrimSpace(storable(comment))
	if comment == "" || len(comment) > maxCommentLen {
		return ErrNeedComment
	}
	return h.inTx(ctx, func(tx *sql.Tx) error {
		return h.decide(ctx, tx, change, StateReturned, reviewer, comment)
	})
}

// decide moves a proposed change to state and records the decision.
func (h *Hub) decide(ctx context.Context, tx *sql.Tx, change int64, state ChangeState, reviewer, comment string) error {
	now := h.stamp()
	res, err := tx.ExecContext(ctx, `UPDATE content_changes SET state = $1, reviewer = $2, decided = $3, comment = $4
		WHERE id = $5 AND state = 'proposed'`, string(state), reviewer, now, comment, change)
	if err != nil {
		return err
	}
	if err := matchedChange(ctx, tx, res, change, ErrNotProposed); err != nil {
		return err
	}
	return addComment(ctx, tx, change, string(state), reviewer, now, comment)
}

// WrittenBy says whether user opened the change or saved a version in it:
// such a person never approves it.
func (r *Review) WrittenBy(user string) bool {
	return r.Change.Author == user || slices.Contains(r.Authors, user)
}

// HasStale says whether another approval replaced, since, a file the
// change edits: the change page then offers "Làm lại trên bản mới nhất".
func (r *Review) HasStale() bool {
	return slices.ContainsFunc(r.Files, func(f FileReview) bool { return f.Stale })
}
