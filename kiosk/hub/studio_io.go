package hub

import (
	"archive/tar"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"slices"
	"strings"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
)

// A content tree leaves and enters the studio as a tar.gz of its folder, the
// interchange format of `tramso pack export-starter` and of teams that keep
// content in git: `mkdir c && tar xzf tree.tar.gz -C c && tramso pack build
// --generation N c` gives the very pack AssemblePack gives for N.

// ExportTree writes the tree as a tar.gz of its folder, files only, in path
// order.
func (h *Hub) ExportTree(ctx context.Context, t Tree, w io.Writer) error {
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	mtime := h.now()
	for _, p := range t.Paths() {
		f := t[p]
		r, _, _, err := h.blobs.Open(ctx, f.SHA256)
		if err != nil {
			return fmt.Errorf("export %s: %w", p, err)
		}
		err = tw.WriteHeader(&tar.Header{Name: p, Mode: 0o644, Size: f.Size, ModTime: mtime, Typeflag: tar.TypeReg})
		if err == nil {
			_, err = io.Copy(tw, io.LimitReader(r, f.Size))
		}
		r.Close()
		if err != nil {
			return fmt.Errorf("export %s: %w", p, err)
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

// ImportTree reads a tar.gz of a content folder (as ExportTree writes it, or
// `tar czf tree.tar.gz -C folder .`) into a new draft change: one version
// per file that differs from the approved tree and, with removeMissing, a
// removal for each approved file the folder lacks. Without it the folder
// may hold only some files (one procedure fixed in git): the others stay,
// where an import of one file would otherwise remove every other. A path a pack may not hold, a link, or a
// size over the pack limits refuses the whole import before any change is
// made (the bytes read so far stay in the blob store, which is
// content-addressed: they are unused, not wrong).
func (h *Hub) ImportTree(ctx context.Context, r io.Reader, title, author string, removeMissing bool) (*Change, error) {
	plan, err := h.PlanImport(ctx, r, removeMissing)
	if err != nil {
		return nil, err
	}
	return h.Import(ctx, plan, title, author)
}

// ImportPlan is what an import does to the approved content, file by file.
type ImportPlan struct {
	Files                   Tree // the folder imported
	RemoveMissing           bool
	Added, Changed, Removed []string
	Approved                int // files of the approved content
}

// PlanImport reads a tar.gz of a content folder (see ImportTree) and says
// what importing it would do, changing nothing but the blob store.
func (h *Hub) PlanImport(ctx context.Context, r io.Reader, removeMissing bool) (*ImportPlan, error) {
	files, err := h.readTree(ctx, r)
	if err != nil {
		return nil, err
	}
	return h.planFor(ctx, files, removeMissing)
}

// planFor is the plan of importing files over the approved content as it
// is now.
func (h *Hub) planFor(ctx context.Context, files Tree, removeMissing bool) (*ImportPlan, error) {
	approved, err := h.ApprovedTree(ctx)
	if err != nil {
		return nil, err
	}
	p := &ImportPlan{Files: files, RemoveMissing: removeMissing, Approved: len(approved)}
	for _, path := range files.Paths() {
		if a, ok := approved[path]; !ok {
			p.Added = append(p.Added, path)
		} else if a.SHA256 != files[path].SHA256 {
			p.Changed = append(p.Changed, path)
		}
	}
	for _, path := range approved.Paths() {
		if _, ok := files[path]; !ok && removeMissing {
			p.Removed = append(p.Removed, path)
		}
	}
	return p, nil
}

// importRemovesFew is how many removals an import makes without asking:
// a tarball of one file with "Xoá các tệp không có trong tệp nhập" ticked
// removed 207 files with no word (outside QA).
const importRemovesFew = 10

// Sweeping says whether the plan removes more than a few files, or more
// than half the content: likely a partial folder imported as a whole one,
// to be confirmed first.
func (p *ImportPlan) Sweeping() bool {
	return len(p.Removed) > importRemovesFew || 2*len(p.Removed) > p.Approved
}

// Words says what the plan does, for its change's history and the console.
func (p *ImportPlan) Words() string {
	return fmt.Sprintf("Nhập từ tệp .tar.gz: thêm %d tệp, sửa %d tệp, xoá %d tệp.", len(p.Added), len(p.Changed), len(p.Removed))
}

// Shown is what a page lists of the files the plan removes: the first 20;
// Unshown counts the rest.
func (p *ImportPlan) Shown() []string { return p.Removed[:min(len(p.Removed), 20)] }

// Unshown is how many removals Shown leaves out.
func (p *ImportPlan) Unshown() int { return len(p.Removed) - len(p.Shown()) }

// Import makes the plan a new draft change, its versions all in one
// transaction, and notes what it did in the change's history. The approved
// content may have moved on since the plan: the versions are of what
// differs from it now.
func (h *Hub) Import(ctx context.Context, plan *ImportPlan, title, author string) (*Change, error) {
	title = strings.TrimSpace(storable(title))
	if title == "" || len(title) > maxChangeTitle {
		return nil, ErrBadTitle
	}
	again, err := h.planFor(ctx, plan.Files, plan.RemoveMissing)
	if err != nil {
		return nil, err
	}
	c, err := h.OpenChange(ctx, title, author)
	if err != nil {
		return nil, err
	}
	var vs []*Version
	for _, p := range append(slices.Clone(again.Added), again.Changed...) {
		body, err := h.blobBytes(ctx, plan.Files[p].SHA256)
		var v *Version
		if err == nil {
			v, err = h.newVersion(ctx, c.ID, p, body, author)
		}
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", p, err)
		}
		vs = append(vs, v)
	}
	for _, p := range again.Removed {
		vs = append(vs, removal(c.ID, p, author, h.stamp()))
	}
	slices.SortFunc(vs, func(a, b *Version) int { return strings.Compare(a.Path, b.Path) })
	if err := h.insertVersions(ctx, c.ID, vs, nil); err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	if err := h.AddComment(ctx, c.ID, again.Words(), author); err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	return c, nil
}

// readTree stores the files of a tar.gz in the blob store and returns them
// as a tree (Version 0), checking every name and the pack's limits. A folder
// packed with its own name on top (tree/pack.yaml…) is read as the folder.
func (h *Hub) readTree(ctx context.Context, r io.Reader) (Tree, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a tar.gz: %w", err)
	}
	tr := tar.NewReader(zr)
	t := Tree{}
	var total int64
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not a tar.gz: %w", err)
		}
		name, skip, err := importName(hdr)
		if err != nil {
			return nil, err
		}
		if skip {
			continue
		}
		if _, twice := t[name]; twice {
			// Which copy is meant? tar keeps both; a pack may hold one.
			return nil, ErrBadPath.with(name + ": có hai lần trong tệp nhập")
		}
		if hdr.Size > pack.MaxFileSize {
			return nil, ErrTooLarge.with(name)
		}
		if total += hdr.Size; total > pack.MaxPackSize || len(t) >= pack.MaxFiles {
			return nil, ErrTooLarge.with(name)
		}
		f, err := h.putStream(ctx, tr, hdr.Size)
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", name, err)
		}
		t[name] = f
	}
	return stripTop(t), nil
}

// importName checks a member's name and kind: skip folders, tar's own
// headers and names starting with "." (as `pack build` does); refuse links,
// devices and any name a pack may not hold (pack.CheckPath: "..", absolute…).
func importName(hdr *tar.Header) (string, bool, error) {
	name := strings.TrimPrefix(hdr.Name, "./")
	switch hdr.Typeflag {
	case tar.TypeXGlobalHeader:
		return "", true, nil
	case tar.TypeDir:
		name = strings.TrimSuffix(name, "/")
		if name == "" || name == "." {
			return "", true, nil
		}
	case tar.TypeReg:
	default:
		return "", false, ErrBadPath.with(hdr.Name + ": không phải tệp thường (liên kết hoặc thiết bị)")
	}
	if err := pack.CheckPath(name); err != nil {
		return "", false, ErrBadPath.with(err.Error())
	}
	if hdr.Typeflag == tar.TypeDir {
		return "", true, nil
	}
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") {
			return "", true, nil
		}
	}
	return name, false, nil
}

// putStream stores size bytes of r in the blob store and returns their file.
// They pass through a temporary file: the hash names the blob, and is known
// only at the end.
func (h *Hub) putStream(ctx context.Context, r io.Reader, size int64) (TreeFile, error) {
	tmp, err := os.CreateTemp(h.opts.Dir, ".import-*")
	if err != nil {
		return TreeFile{}, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	hash := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, hash), io.LimitReader(r, size))
	if err != nil {
		return TreeFile{}, err
	}
	if n != size {
		return TreeFile{}, io.ErrUnexpectedEOF
	}
	f := TreeFile{SHA256: hex.EncodeToString(hash.Sum(nil)), Size: size}
	if ok, _ := h.blobs.Has(ctx, f.SHA256); ok {
		return f, nil
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return TreeFile{}, err
	}
	return f, h.blobs.Put(ctx, f.SHA256, size, tmp)
}

// stripTop drops a folder every path is in when pack.yaml is not at the top
// but in it: a folder packed by its name (tar czf t.tar.gz content/).
func stripTop(t Tree) Tree {
	if _, ok := t["pack.yaml"]; ok || len(t) == 0 {
		return t
	}
	var top string
	for p := range t {
		dir, _, found := strings.Cut(p, "/")
		if !found || (top != "" && dir != top) {
			return t
		}
		top = dir
	}
	if _, ok := t[path.Join(top, "pack.yaml")]; !ok {
		return t
	}
	out := Tree{}
	for p, f := range t {
		out[strings.TrimPrefix(p, top+"/")] = f
	}
	return out
}

// AssemblePack builds the approved tree into an unsigned pack and keeps it
// pending (StorePending), for the signer to download its manifest and sign
// it offline. Its generation is one above every generation published or
// pending, or the clock's unix seconds when that is higher (like `tramso
// pack build`, so that a pack built later by hand is still newer).
// pack.yaml is left as approved: a pack's generation is its manifest's, so
// `tramso pack build --generation N --title T` of the exported tree gives
// the same bytes. title names the pack (PackTitleSuggestion); "" leaves
// pack.yaml's.
func (h *Hub) AssemblePack(ctx context.Context, by, title string) (*PendingPack, error) {
	tree, err := h.ApprovedTree(ctx)
	if err != nil {
		return nil, err
	}
	gen, err := h.nextGeneration(ctx)
	if err != nil {
		return nil, err
	}
	if same, err := h.alreadyPacked(ctx, tree); err != nil || same {
		return nil, cmp.Or(err, error(ErrNothingNew))
	}
	src := h.TreeFS(ctx, tree)
	if probs := pack.LintSource(src); len(probs) > 0 {
		return nil, probs
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := pack.BuildUnsigned(src, pack.BuildOptions{Generation: gen, Title: title}, pw)
		pw.CloseWithError(err)
		done <- err
	}()
	// nextGeneration continues the hub's own generations: never refused as ahead.
	p, err := h.StorePending(ctx, pr, by, false)
	pr.CloseWithError(errors.New("assemble finished")) // unblocks the build if StorePending stopped early
	if berr := <-done; berr != nil && err == nil {
		err = berr
	}
	if err != nil {
		return nil, fmt.Errorf("assemble pack %d: %w", gen, err)
	}
	return p, nil
}

// PackTitleSuggestion names the next pack by what it brings: the titles of
// the changes approved since the last pack was published or assembled
// ("Lệ phí khai sinh quá hạn; Bài QR"), or "" when there are none. Without
// it every pack the studio builds bore pack.yaml's one title, and the fleet
// page, a rollback and the staff panel could not tell packs apart.
func (h *Hub) PackTitleSuggestion(ctx context.Context) (string, error) {
	var published, assembled sql.NullString
	if err := h.DB.QueryRowContext(ctx, `SELECT max(published_at) FROM packs`).Scan(&published); err != nil {
		return "", err
	}
	if err := h.DB.QueryRowContext(ctx, `SELECT max(uploaded_at) FROM pending_packs`).Scan(&assembled); err != nil {
		return "", err
	}
	// The studio's own changes (the starter taken in, a pack published
	// from the command line followed) bring nothing new to name.
	rows, err := h.DB.QueryContext(ctx, `SELECT title FROM content_changes WHERE state = 'approved' AND decided > $1 AND author <> $2
		ORDER BY decided, id`, max(published.String, assembled.String), systemAuthor)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var titles []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return "", err
		}
		titles = append(titles, t)
	}
	return hubproto.Clip(strings.Join(titles, "; "), pack.MaxTitleLen), rows.Err()
}

// nextGeneration is above every generation published or pending, and at
// least the clock's unix seconds.
func (h *Hub) nextGeneration(ctx context.Context) (int64, error) {
	published, err := highestGeneration(ctx, h.DB)
	if err != nil {
		return 0, err
	}
	var pending sql.NullInt64
	if err := h.DB.QueryRowContext(ctx, `SELECT max(generation) FROM pending_packs`).Scan(&pending); err != nil {
		return 0, err
	}
	gen := max(published, pending.Int64) + 1
	if now := h.now().Unix(); now > gen {
		gen = now
	}
	if err := pack.CheckGeneration(gen); err != nil {
		return 0, fmt.Errorf("assemble pack: %w", err)
	}
	return gen, nil
}

// alreadyPacked says whether the newest published pack, or a pack waiting
// for its signature, holds exactly the files of tree: assembling again
// would only make the same content under a new generation.
func (h *Hub) alreadyPacked(ctx context.Context, tree Tree) (bool, error) {
	var raws [][]byte
	gen, err := highestGeneration(ctx, h.DB)
	if err != nil {
		return false, err
	}
	if gen > 0 {
		raw, _, err := h.manifest(ctx, gen)
		if err != nil {
			return false, err
		}
		raws = append(raws, raw)
	}
	pending, err := h.PendingPacks(ctx)
	if err != nil {
		return false, err
	}
	for _, p := range pending {
		raw, err := h.PendingManifest(ctx, p.Generation)
		if err != nil {
			return false, err
		}
		raws = append(raws, raw)
	}
	for _, raw := range raws {
		// A manifest that does not parse (only made by tests) holds no tree.
		if m, err := pack.ParseManifest(raw); err == nil && sameFiles(m, tree) {
			return true, nil
		}
	}
	return false, nil
}

// sameFiles says whether m lists exactly tree's files and bytes.
func sameFiles(m *pack.Manifest, tree Tree) bool {
	if len(m.Files) != len(tree) {
		return false
	}
	for _, f := range m.Files {
		if t, ok := tree[f.Path]; !ok || t.SHA256 != f.SHA256 {
			return false
		}
	}
	return true
}

// importAction is POST /admin/content/import: a tar.gz of a content folder
// as a new draft change, its history saying how many files it adds, changes
// and removes. One that would remove more than a few files asks first
// (confirmImport); the confirmation posts again, naming the tar.gz kept in
// the blob store instead of sending it anew.
func (h *Hub) importAction(w http.ResponseWriter, r *http.Request, s session) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	tree, kept, err := h.importUpload(r)
	if err != nil {
		h.renderChanges(w, r, s, http.StatusBadRequest, err, "")
		return
	}
	defer tree.Close()
	title := cmp.Or(strings.TrimSpace(r.PostFormValue("title")), "Nhập bộ nội dung")
	plan, err := h.PlanImport(ctx, tree, r.PostFormValue("remove_missing") == "yes")
	if err == nil && plan.Sweeping() && r.PostFormValue("confirm") != "yes" {
		if kept, err = h.keepImport(ctx, tree, kept); err == nil {
			h.confirmImport(w, r, s, plan, kept, title)
			return
		}
	}
	var c *Change
	if err == nil {
		c, err = h.Import(ctx, plan, title, s.User)
	}
	if err != nil {
		h.renderChanges(w, r, s, http.StatusBadRequest, studioFail(err, "Không nhập được tệp này: cần một tệp .tar.gz của thư mục nội dung (xem chi tiết)."), title)
		return
	}
	h.audit(r, s.User, "content_imported", changeDetail(c)+" — "+plan.Words())
	http.Redirect(w, r, changeURL(c.ID)+"?done=imported", http.StatusSeeOther)
}

// importUpload is the tar.gz posted, or the one kept for a confirmation
// (named by its sha256: kept is it, else "").
func (h *Hub) importUpload(r *http.Request) (io.ReadSeekCloser, string, error) {
	if sha := r.PostFormValue("tree_sha256"); sha != "" {
		if _, err := hex.DecodeString(sha); err != nil || len(sha) != sha256.Size*2 {
			return nil, "", failf(err, "Tệp nhập không hợp lệ; hãy chọn lại tệp.")
		}
		b, _, _, err := h.blobs.Open(r.Context(), sha)
		if err != nil {
			return nil, "", failf(err, "Không còn tệp nhập này trên máy chủ; hãy chọn lại tệp.")
		}
		return b, sha, nil
	}
	file, _, err := r.FormFile("tree")
	if err != nil {
		return nil, "", failf(err, "Chưa chọn tệp nội dung (.tar.gz) hoặc tệp quá lớn.")
	}
	return file, "", nil
}

// keepImport stores the tar.gz in the blob store for its confirmation,
// unless it is there already, and returns its sha256.
func (h *Hub) keepImport(ctx context.Context, tree io.ReadSeeker, kept string) (string, error) {
	if kept != "" {
		return kept, nil
	}
	size, err := tree.Seek(0, io.SeekEnd)
	if err == nil {
		_, err = tree.Seek(0, io.SeekStart)
	}
	if err != nil {
		return "", err
	}
	f, err := h.putStream(ctx, tree, size)
	return f.SHA256, err
}

// importConfirm is what the confirmation of a sweeping import shows.
type importConfirm struct {
	confirmData
	Plan *ImportPlan
}

// confirmImport asks before an import removes more than a few files: a
// folder of a few files, ticked as a whole one, removes all the others.
func (h *Hub) confirmImport(w http.ResponseWriter, r *http.Request, s session, plan *ImportPlan, sha, title string) {
	c := importConfirm{Plan: plan, confirmData: confirmData{
		Action: "/admin/content/import",
		Fields: []formField{{"tree_sha256", sha}, {"title", title}, {"remove_missing", "yes"}},
		Button: fmt.Sprintf("Có, nhập và xoá %d tệp", len(plan.Removed)),
		Back:   link{"/admin/content/changes", "Không, quay lại"},
	}}
	h.render(w, r, http.StatusOK, "confirmImport", s.page(fmt.Sprintf("Nhập và xoá %d tệp của nội dung?", len(plan.Removed)), c))
}
