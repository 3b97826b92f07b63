package hub

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"

	"tramso/kiosk/content"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
)

// The studio's approved tree follows what is published. A pack published
// another way — built from a git folder and uploaded, published with the
// CLI, or a console rollback — is what kiosks show; if the studio kept its
// own older files, its next pack would quietly undo it on every kiosk. So
// before the approved tree is read, each published pack the studio has not
// followed yet is taken in as an approved change by "hệ thống": what it
// changed since the pack before it (three-way, per file), so approvals
// made in the studio since then stay, and packs the studio built itself
// change nothing. Drafts on the files it changes are then marked stale, as
// after any approval.

// followState is where the studio stands: the generation it last followed
// (0: the starter) and the newest version id at that moment.
type followState struct {
	gen     int64
	version int64
}

// followPublished takes every published pack the studio has not followed
// yet into the approved tree, oldest first (content_studio.followed_gen
// says how far it is). One at a time, because what a pack changed is told
// against the pack before it: a git pack published over a studio pack
// undoes the studio's edits on kiosks, and must in the studio too, even if
// nobody opened the studio in between.
func (h *Hub) followPublished(ctx context.Context) error {
	for {
		st, err := h.followState(ctx)
		if err != nil {
			return err
		}
		next, err := nextGeneration(ctx, h.DB, st.gen)
		if err != nil || next == 0 {
			return err
		}
		if err := h.follow(ctx, st, next); err != nil {
			return err
		}
	}
}

// followState reads where the studio stands.
func (h *Hub) followState(ctx context.Context) (followState, error) {
	var st followState
	err := h.DB.QueryRowContext(ctx, `SELECT followed_gen, followed_version FROM content_studio WHERE id = 1`).
		Scan(&st.gen, &st.version)
	return st, err
}

// nextGeneration is the lowest published generation above gen, or 0.
func nextGeneration(ctx context.Context, q rowQuerier, gen int64) (int64, error) {
	var next int64
	err := q.QueryRowContext(ctx, `SELECT coalesce(min(generation), 0) FROM packs WHERE generation > $1 AND generation BETWEEN $2 AND $3`,
		gen, hubproto.MinGeneration, int64(hubproto.MaxGeneration)).Scan(&next)
	return next, err
}

// follow takes generation gen, the next after st.gen, into the approved tree.
func (h *Hub) follow(ctx context.Context, st followState, gen int64) error {
	theirs, title, err := h.publishedFiles(ctx, gen)
	if err != nil {
		return fmt.Errorf("content studio: follow generation %d: %w", gen, err)
	}
	var base map[string]string
	if theirs != nil { // not content (a test's empty manifest): only noted as followed
		if base, err = h.followedFiles(ctx, st.gen); err != nil {
			return fmt.Errorf("content studio: follow generation %d: %w", gen, err)
		}
	}
	return h.inTx(ctx, func(tx *sql.Tx) error {
		// The row lock: one hub follows a generation once, approvals wait.
		res, err := tx.ExecContext(ctx, `UPDATE content_studio SET followed_gen = $1 WHERE id = 1 AND followed_gen = $2`, gen, st.gen)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // another hub followed it meanwhile
		}
		if theirs != nil {
			if err := h.takeIn(ctx, tx, st, base, theirs, gen, title); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE content_studio SET followed_version = (SELECT coalesce(max(id), 0) FROM content_versions) WHERE id = 1`)
		return err
	})
}

// takeIn adds, as one approved change, each file the published pack
// (theirs) changed since the pack last followed (base) and that the
// approved tree does not have already.
func (h *Hub) takeIn(ctx context.Context, tx *sql.Tx, st followState, base map[string]string, theirs map[string]pack.File, gen int64, title string) error {
	ours, err := treeOf(ctx, tx, `SELECT v.id, v.path, v.sha256, v.size FROM content_versions v
		JOIN content_changes c ON c.id = v.change_id WHERE c.state = 'approved' ORDER BY v.id`)
	if err != nil {
		return err
	}
	paths := map[string]bool{}
	for p := range theirs {
		paths[p] = true
	}
	for p := range ours {
		paths[p] = true
	}
	var c *Change
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		t, o, b := theirs[p].SHA256, ours[p].SHA256, base[p]
		if t == o || t == b {
			continue // the studio has it, or it was not changed outside the studio
		}
		summary := fmt.Sprintf("Theo gói đã phát hành, thế hệ %d", gen)
		if o != b {
			// Both moved: a pack the studio built has what the studio approved
			// since; anything else wins, as kiosks now show it.
			mine, err := approvedSince(ctx, tx, p, t, st.version)
			if err != nil {
				return err
			}
			if mine {
				continue
			}
			summary += " (thay bản đã duyệt trong xưởng mà chưa phát hành)"
		}
		if c == nil {
			if c, err = h.openChange(ctx, tx, title, systemAuthor, StateApproved); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO content_versions(change_id, path, sha256, size, base, author, created, summary)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, c.ID, p, nullString(t), theirs[p].Size, ours[p].Version,
			systemAuthor, h.stamp(), summary); err != nil {
			return err
		}
	}
	return nil
}

// approvedSince says whether the studio approved sha for path after version
// id since: the published file is the studio's own.
func approvedSince(ctx context.Context, tx *sql.Tx, path, sha string, since int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM content_versions v JOIN content_changes c ON c.id = v.change_id
		WHERE c.state = 'approved' AND v.path = $1 AND v.sha256 = $2 AND v.id > $3`, path, sha, since).Scan(&n)
	return n > 0, err
}

// publishedFiles are generation gen's files by path, and the title of the
// change that takes it in; nil files for a manifest that is not content's.
func (h *Hub) publishedFiles(ctx context.Context, gen int64) (map[string]pack.File, string, error) {
	var raw []byte
	var note string
	if err := h.DB.QueryRowContext(ctx, `SELECT manifest, note FROM packs WHERE generation = $1`, gen).Scan(&raw, &note); err != nil {
		return nil, "", err
	}
	m, err := pack.ParseManifest(raw)
	if err != nil {
		// Publish refuses such a manifest; only a tool's (or a test's) bare
		// manifest, published to move targets, is one. It holds no content.
		h.log.Warn("content studio: a published manifest is not a pack's; the studio keeps its files", "generation", gen, "err", err)
		return nil, "", nil
	}
	files := map[string]pack.File{}
	for _, f := range m.Files {
		files[f.Path] = f
	}
	if _, ok := files["pack.yaml"]; !ok {
		return nil, "", nil
	}
	title := fmt.Sprintf("Gói đã phát hành ngoài xưởng nội dung: %s (thế hệ %d)", m.Title, gen)
	var to int64
	if _, err := fmt.Sscanf(note, rollbackNote, &to); err == nil {
		title = fmt.Sprintf(rollbackChangeTitle, to, gen)
	}
	return files, title, nil
}

// followedFiles are the files (path → sha256) of the generation the studio
// last followed: the starter for 0; none if it is no longer kept.
func (h *Hub) followedFiles(ctx context.Context, gen int64) (map[string]string, error) {
	out := map[string]string{}
	var files []pack.File
	if gen == 0 {
		var err error
		if files, err = h.storeFS(ctx, content.Starter()); err != nil {
			return nil, err
		}
	} else {
		raw, _, err := h.manifest(ctx, gen)
		if err != nil {
			return out, nil // withdrawn: every difference is then taken as changed outside
		}
		m, err := pack.ParseManifest(raw)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("generation %d", gen), err)
		}
		files = m.Files
	}
	for _, f := range files {
		out[f.Path] = f.SHA256
	}
	return out, nil
}
