package hub

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"sort"

	"tramso/kiosk/content"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
)

// TreeFile is one file of a content tree: the version it comes from and
// its bytes' hash in the blob store.
type TreeFile struct {
	Version int64
	SHA256  string
	Size    int64
}

// Tree is a content tree, a pack source folder: path → file.
type Tree map[string]TreeFile

// Paths lists the tree's paths in order.
func (t Tree) Paths() []string {
	out := make([]string, 0, len(t))
	for p := range t {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// TreeFS is a tree as a read-only file system over the blob store, for
// content.Load, pack.LintSource and pack.BuildUnsigned.
func (h *Hub) TreeFS(ctx context.Context, t Tree) fs.FS {
	m := &pack.Manifest{}
	for _, p := range t.Paths() {
		f := t[p]
		m.Files = append(m.Files, pack.File{Path: p, Size: f.Size, SHA256: f.SHA256})
	}
	return newManifestFS(ctx, h.blobs, m)
}

// ApprovedTree is, for each path, the newest version among approved
// changes. On first use it seeds the studio from the newest published pack
// (or the starter when none is); after that it first takes in a pack
// published since (studio_follow.go).
func (h *Hub) ApprovedTree(ctx context.Context) (Tree, error) {
	if err := h.seedStudio(ctx); err != nil {
		return nil, err
	}
	if err := h.followPublished(ctx); err != nil {
		return nil, err
	}
	return treeOf(ctx, h.DB, `SELECT v.id, v.path, v.sha256, v.size FROM content_versions v
		JOIN content_changes c ON c.id = v.change_id WHERE c.state = 'approved' ORDER BY v.id`)
}

// ChangeTree is the approved tree overlaid by the change's newest version of
// each path it touched.
func (h *Hub) ChangeTree(ctx context.Context, change int64) (Tree, error) {
	if _, err := h.GetChange(ctx, change); err != nil {
		return nil, err
	}
	t, err := h.ApprovedTree(ctx)
	if err != nil {
		return nil, err
	}
	own, err := treeOf(ctx, h.DB, `SELECT id, path, sha256, size FROM content_versions WHERE change_id = $1 ORDER BY id`, change)
	if err != nil {
		return nil, err
	}
	vs, err := h.ChangeVersions(ctx, change)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		delete(t, v.Path) // removed by the change unless it has a newer version
	}
	for p, f := range own {
		t[p] = f
	}
	return t, nil
}

// treeOf folds versions (id, path, sha256, size), oldest first, into a
// tree: the last version of a path wins; a removal deletes it.
func treeOf(ctx context.Context, q dbtx, query string, args ...any) (Tree, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	t := Tree{}
	for rows.Next() {
		var f TreeFile
		var path string
		var sha sql.NullString
		if err := rows.Scan(&f.Version, &path, &sha, &f.Size); err != nil {
			return nil, err
		}
		if !sha.Valid {
			delete(t, path)
			continue
		}
		f.SHA256 = sha.String
		t[path] = f
	}
	return t, rows.Err()
}

// seedStudio makes the first approved change, by "hệ thống", from the files
// of the newest published pack, or of the starter when nothing is
// published, once: the content_studio row says it is done, and its insert
// is the first thing the seeding transaction does, so two hubs seeding at
// once make one seed.
func (h *Hub) seedStudio(ctx context.Context) error {
	var one int
	err := h.DB.QueryRowContext(ctx, `SELECT 1 FROM content_studio WHERE id = 1`).Scan(&one)
	if err == nil {
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	files, gen, from, err := h.seedFiles(ctx)
	if err != nil {
		return fmt.Errorf("content studio: seed: %w", err)
	}
	return h.inTx(ctx, func(tx *sql.Tx) error {
		now := h.stamp()
		res, err := tx.ExecContext(ctx, `INSERT INTO content_studio(id, seeded_at, source, followed_gen) VALUES (1, $1, $2, $3)
			ON CONFLICT (id) DO NOTHING`, now, from, gen)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // another hub seeded it meanwhile
		}
		c, err := h.openChange(ctx, tx, "Nội dung ban đầu: "+from, systemAuthor, StateApproved)
		if err != nil {
			return err
		}
		for _, f := range files {
			if _, err := tx.ExecContext(ctx, `INSERT INTO content_versions(change_id, path, sha256, size, base, author, created, summary)
				VALUES ($1, $2, $3, $4, 0, $5, $6, $7)`, c.ID, f.Path, f.SHA256, f.Size, systemAuthor, now, "Nội dung ban đầu ("+from+")"); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE content_studio SET followed_version = (SELECT coalesce(max(id), 0) FROM content_versions) WHERE id = 1`)
		return err
	})
}

// seedFiles are the files to seed from, their blobs stored, their
// generation (0: the starter) and what they are in words.
func (h *Hub) seedFiles(ctx context.Context) ([]pack.File, int64, string, error) {
	var raw []byte
	var gen int64
	err := h.DB.QueryRowContext(ctx, `SELECT generation, manifest FROM packs WHERE generation BETWEEN $1 AND $2
		ORDER BY generation DESC LIMIT 1`, hubproto.MinGeneration, int64(hubproto.MaxGeneration)).Scan(&gen, &raw)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		files, err := h.storeFS(ctx, content.Starter())
		return files, 0, "gói có sẵn trong phần mềm", err
	case err != nil:
		return nil, 0, "", err
	}
	m, err := pack.ParseManifest(raw)
	if err != nil {
		return nil, 0, "", fmt.Errorf("published generation %d: %w", gen, err)
	}
	return m.Files, gen, fmt.Sprintf("gói đã phát hành, thế hệ %d", gen), nil
}

// storeFS puts every file of a source folder into the blob store, as
// `pack build` would take them (names starting with "." left out).
func (h *Hub) storeFS(ctx context.Context, src fs.FS) ([]pack.File, error) {
	var out []pack.File
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && d.Name()[0] == '.' {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		body, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		f := pack.File{Path: p, Size: int64(len(body)), SHA256: hex.EncodeToString(sum[:])}
		if ok, _ := h.blobs.Has(ctx, f.SHA256); !ok {
			if err := h.blobs.Put(ctx, f.SHA256, f.Size, bytes.NewReader(body)); err != nil {
				return err
			}
		}
		out = append(out, f)
		return nil
	})
	return out, err
}
