package hub

import (
	"archive/tar"
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"

	"tramso/kiosk/pack"
)

// Publishing with the key offline: an unsigned pack (`tramso pack build`
// without --key) is uploaded and kept as pending — its manifest in
// pending_packs, its files in the blob store, so a restart or another hub on
// the same database loses nothing. The signer downloads manifest.json, signs
// it on the offline machine (`tramso pack sign`) and uploads manifest.sig;
// the hub attaches it (pack.Attach) and publishes the signed pack through
// Publish, as if it had been uploaded signed.

// Member names of a pack file (the pack package's own, unexported).
const (
	packManifestName  = "manifest.json"
	packSignatureName = "manifest.sig"
	packBlobPrefix    = "blobs/"
)

// ErrNoPending is returned for a generation no pending pack has.
var ErrNoPending = errors.New("no unsigned pack of this generation is waiting for its signature")

// PendingPack is an unsigned pack waiting for its signature.
type PendingPack struct {
	Generation int64
	Title      string
	Digest     string // sha256 hex of manifest.json: what the signer compares
	Files      int64
	TotalSize  int64
	UploadedAt string
	UploadedBy string
	// A rollback made while the key is offline (RollbackPending): the
	// generation whose content it brings back, the newest published when it
	// was made, and its rollout note. 0, 0 and "" for an uploaded pack.
	RollbackTo   int64
	RollbackFrom int64
	Note         string
	// uploadID is this upload's own: a new one replacing it has another
	// (keepPending). PublishPending forgets exactly the upload it signed.
	uploadID string
}

// pendingColumns are the columns of pending_packs that fields scans.
const pendingColumns = `generation, title, digest, file_count, total_size, uploaded_at, uploaded_by,
	note, rollback_to, rollback_from, upload_id`

func (p *PendingPack) fields() []any {
	return []any{&p.Generation, &p.Title, &p.Digest, &p.Files, &p.TotalSize, &p.UploadedAt, &p.UploadedBy,
		&p.Note, &p.RollbackTo, &p.RollbackFrom, &p.uploadID}
}

// StorePending reads an unsigned pack, checks it as Publish would check the
// signed one (manifest, every file's size and hash, a generation above every
// published one, content that loads) and keeps it waiting for its signature.
// An upload of a generation already pending replaces it. aheadOK takes a
// generation far past the hub's clock on purpose (PublishOptions.GenerationAhead).
func (h *Hub) StorePending(ctx context.Context, r io.Reader, by string, aheadOK bool) (*PendingPack, error) {
	tr := tar.NewReader(r)
	raw, err := readPackMember(tr, packManifestName, pack.MaxManifestSize)
	if err != nil {
		return nil, fmt.Errorf("unsigned pack: %w", err)
	}
	m, err := pack.ParseManifest(raw)
	if err != nil {
		return nil, fmt.Errorf("unsigned pack: %w", err)
	}
	if err := h.checkNewer(ctx, m.Generation, aheadOK); err != nil {
		return nil, err
	}
	if err := h.storeUnsignedBlobs(ctx, tr, m); err != nil {
		return nil, err
	}
	if err := h.checkContent(ctx, m); err != nil {
		return nil, fmt.Errorf("unsigned pack %d: %w", m.Generation, err)
	}
	p := &PendingPack{Generation: m.Generation, Title: m.Title, Digest: pack.Digest(raw), Files: int64(len(m.Files)),
		TotalSize: m.TotalSize(), UploadedAt: h.stamp(), UploadedBy: by}
	return p, h.keepPending(ctx, p, raw)
}

// keepPending stores p, manifest raw, as waiting for its signature, under
// an upload id of its own; a pack of its generation already waiting is
// replaced.
func (h *Hub) keepPending(ctx context.Context, p *PendingPack, raw []byte) error {
	p.uploadID = randomString(16)
	_, err := h.DB.ExecContext(ctx, `INSERT INTO pending_packs(generation, digest, title, manifest, file_count, total_size,
		uploaded_at, uploaded_by, note, rollback_to, rollback_from, upload_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (generation) DO UPDATE SET digest = excluded.digest, title = excluded.title, manifest = excluded.manifest,
		file_count = excluded.file_count, total_size = excluded.total_size, uploaded_at = excluded.uploaded_at,
		uploaded_by = excluded.uploaded_by, note = excluded.note, rollback_to = excluded.rollback_to,
		rollback_from = excluded.rollback_from, upload_id = excluded.upload_id`,
		p.Generation, p.Digest, p.Title, raw, p.Files, p.TotalSize, p.UploadedAt, p.UploadedBy, p.Note, p.RollbackTo, p.RollbackFrom, p.uploadID)
	if err != nil {
		return fmt.Errorf("keep unsigned pack %d: %w", p.Generation, err)
	}
	return nil
}

// RollbackPending is Rollback on a hub whose signing key is kept offline:
// the same manifest, bringing generation to's content back under a new
// generation (above every published and waiting one), is kept waiting for
// its signature like an uploaded unsigned pack — its files are in the blob
// store already. Signed (PublishPending), it is published as the signed
// rollback is: with its note (opts.Note, else "rollback to N"), and past
// the studio guard, since bringing old content back is what it is for.
func (h *Hub) RollbackPending(ctx context.Context, to int64, opts PublishOptions) (*PendingPack, error) {
	raw, m, from, err := h.rollbackManifest(ctx, to, true)
	if err != nil {
		return nil, err
	}
	if opts.Note == "" {
		opts.Note = fmt.Sprintf(rollbackNote, to)
	}
	p := &PendingPack{Generation: m.Generation, Title: m.Title, Digest: pack.Digest(raw), Files: int64(len(m.Files)),
		TotalSize: m.TotalSize(), UploadedAt: h.stamp(), UploadedBy: opts.By, RollbackTo: to, RollbackFrom: from, Note: opts.Note}
	if err := h.keepPending(ctx, p, raw); err != nil {
		return nil, err
	}
	h.log.Info("rollback waiting for its signature", "to", to, "generation", p.Generation, "by", opts.By)
	return p, nil
}

// storeUnsignedBlobs stores the files of an unsigned pack, which come in
// the manifest's blob order after manifest.json (BuildUnsigned's layout).
// The blob store checks each size and hash before keeping it.
func (h *Hub) storeUnsignedBlobs(ctx context.Context, tr *tar.Reader, m *pack.Manifest) error {
	for _, f := range m.Blobs() {
		hdr, err := tr.Next()
		switch {
		case errors.Is(err, io.EOF):
			return fmt.Errorf("unsigned pack: %s (%s) is missing", f.Path, f.SHA256)
		case err != nil:
			return fmt.Errorf("unsigned pack: %w", err)
		case hdr.Name == packSignatureName:
			return errAlreadySigned
		case hdr.Name != packBlobPrefix+f.SHA256 || hdr.Typeflag != tar.TypeReg || hdr.Size != f.Size:
			return fmt.Errorf("unsigned pack: %q (%d bytes) where %s%s (%s, %d bytes) belongs", hdr.Name, hdr.Size, packBlobPrefix, f.SHA256, f.Path, f.Size)
		}
		if ok, _ := h.blobs.Has(ctx, f.SHA256); ok {
			continue // tr.Next skips the bytes
		}
		if err := h.blobs.Put(ctx, f.SHA256, f.Size, tr); err != nil {
			return fmt.Errorf("unsigned pack %s: %w", f.Path, err)
		}
	}
	if hdr, err := tr.Next(); !errors.Is(err, io.EOF) {
		if hdr != nil && hdr.Name == packSignatureName {
			return errAlreadySigned
		}
		return fmt.Errorf("unsigned pack: something follows the last file (%v)", err)
	}
	return nil
}

// errAlreadySigned: a signed pack was uploaded as unsigned.
var errAlreadySigned = errors.New("unsigned pack: it holds a manifest.sig already (publish it as a signed pack)")

// readPackMember reads the next tar member, which must be name and at most max bytes.
func readPackMember(tr *tar.Reader, name string, max int64) ([]byte, error) {
	hdr, err := tr.Next()
	if err != nil {
		return nil, fmt.Errorf("not a pack file: %w", err)
	}
	if hdr.Name != name || hdr.Typeflag != tar.TypeReg || hdr.Size > max {
		return nil, fmt.Errorf("not a pack file: %q first, %s expected", hdr.Name, name)
	}
	return io.ReadAll(tr)
}

// PendingPacks lists the packs waiting for a signature, newest first.
func (h *Hub) PendingPacks(ctx context.Context) ([]PendingPack, error) {
	return h.queryPending(ctx, `ORDER BY generation DESC`)
}

// PendingPackOf is the pack of generation gen waiting for a signature, or
// ErrNoPending.
func (h *Hub) PendingPackOf(ctx context.Context, gen int64) (PendingPack, error) {
	ps, err := h.queryPending(ctx, `WHERE generation = $1`, gen)
	if err == nil && len(ps) == 0 {
		err = ErrNoPending
	}
	if err != nil {
		return PendingPack{}, err
	}
	return ps[0], nil
}

func (h *Hub) queryPending(ctx context.Context, where string, args ...any) ([]PendingPack, error) {
	rows, err := h.DB.QueryContext(ctx, `SELECT `+pendingColumns+` FROM pending_packs `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PendingPack
	for rows.Next() {
		var p PendingPack
		if err := rows.Scan(p.fields()...); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PendingManifest is the manifest.json of pending generation gen, exactly
// as it is to be signed.
func (h *Hub) PendingManifest(ctx context.Context, gen int64) ([]byte, error) {
	var raw []byte
	err := h.DB.QueryRowContext(ctx, `SELECT manifest FROM pending_packs WHERE generation = $1`, gen).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoPending
	}
	return raw, err
}

// pendingToSign reads pending generation gen and its manifest in one go:
// read apart, another upload of gen could come between, and lend the
// manifest signed its note and rollback.
func (h *Hub) pendingToSign(ctx context.Context, gen int64) (PendingPack, []byte, error) {
	var p PendingPack
	var raw []byte
	err := h.DB.QueryRowContext(ctx, `SELECT `+pendingColumns+`, manifest FROM pending_packs WHERE generation = $1`, gen).
		Scan(append(p.fields(), &raw)...)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil, ErrNoPending
	}
	return p, raw, err
}

// DiscardPending forgets a pending pack. Its files stay in the blob store:
// other packs may share them.
func (h *Hub) DiscardPending(ctx context.Context, gen int64) error {
	res, err := h.DB.ExecContext(ctx, `DELETE FROM pending_packs WHERE generation = $1`, gen)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoPending
	}
	return nil
}

// PublishPending attaches sig (manifest.sig from the offline machine) to
// pending generation gen and publishes the signed pack with Publish. A
// signature that does not verify under the province keys over this very
// manifest publishes nothing and leaves the pack pending for another try.
// Published, the upload signed is forgotten in the same transaction; one
// that replaced it meanwhile stays, for the console to show.
func (h *Hub) PublishPending(ctx context.Context, gen int64, sig []byte, opts PublishOptions) (*pack.Signed, error) {
	if len(h.opts.ProvinceKeys) == 0 {
		return nil, errNoProvinceKey
	}
	p, raw, err := h.pendingToSign(ctx, gen)
	if err != nil {
		return nil, err
	}
	opts.signed = &p
	if p.RollbackTo != 0 {
		// Published as Rollback publishes: the studio follows it as a
		// rollback, and its guard does not stand in the way of one.
		opts.Note, opts.ReplaceStudioEdits = cmp.Or(opts.Note, p.Note), true
	}
	// The signed pack goes to a temporary file first: Attach leaves a partial
	// pack on error, and Publish reads it through like any uploaded pack.
	tmp, err := os.CreateTemp(h.opts.Dir, ".attach-*.tspack")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if _, err := h.attach(ctx, raw, sig, tmp); err != nil {
		return nil, err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return h.Publish(ctx, tmp, opts)
}

// attach writes the signed pack of manifest raw and signature sig to w, its
// files read from the blob store: pack.Attach of the unsigned pack, which is
// streamed to it rather than kept.
func (h *Hub) attach(ctx context.Context, raw, sig []byte, w io.Writer) (*pack.Signed, error) {
	m, err := pack.ParseManifest(raw)
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		pw.CloseWithError(h.writeUnsigned(ctx, m, raw, pw))
	}()
	sm, err := pack.Attach(pr, sig, h.opts.ProvinceKeys, w)
	pr.CloseWithError(errors.New("attach finished")) // unblocks the writer when Attach stopped early
	<-done
	return sm, err
}

// writeUnsigned writes the unsigned pack of m from the blob store, in the
// layout pack.Attach reads: manifest.json, then each blob in order.
func (h *Hub) writeUnsigned(ctx context.Context, m *pack.Manifest, raw []byte, w io.Writer) error {
	tw := tar.NewWriter(w)
	add := func(name string, size int64, body io.Reader) error {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: size, Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		_, err := io.Copy(tw, body)
		return err
	}
	if err := add(packManifestName, int64(len(raw)), bytes.NewReader(raw)); err != nil {
		return err
	}
	for _, f := range m.Blobs() {
		body, _, _, err := h.blobs.Open(ctx, f.SHA256)
		if err != nil {
			return fmt.Errorf("unsigned pack %d: %s: %w", m.Generation, f.Path, err)
		}
		err = add(packBlobPrefix+f.SHA256, f.Size, io.LimitReader(body, f.Size))
		body.Close()
		if err != nil {
			return err
		}
	}
	return tw.Close()
}
