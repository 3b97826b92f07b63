package hub

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"tramso/kiosk/content"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
)

// PublishOptions say who gets a new generation first.
type PublishOptions struct {
	Stage int    // StageTest, a wave, or StageEveryone
	By    string // who published (admin user name or "cli")
	Note  string
	// GenerationAhead publishes a generation standing more than a day past
	// the hub's clock (pack.CheckAhead): only when the operator says it is meant.
	GenerationAhead bool
	// ReplaceStudioEdits publishes a pack that replaces edits approved in
	// the content studio (StudioEditsError): only when the operator says
	// it is meant.
	ReplaceStudioEdits bool
	// signed is the upload waiting for its signature that this pack signs
	// (PublishPending): it is forgotten in the publish's own transaction.
	signed *PendingPack
}

// Publish reads a pack file, checks its signature against the province keys
// and its generation, stores its blobs (checking each hash), loads its
// content and starts its rollout. The hub checks what a kiosk will check so
// staff learn of a bad pack at once; the kiosks check again, since they trust
// only the province key, not the hub.
// errNoProvinceKey: neither the hub nor the command that publishes through it
// was given the province's public key (the hub's own --pub, the publish
// command's --pub, or DATA/province.pub).
var errNoProvinceKey = errors.New("publish: no province public key: put it at DATA/province.pub, or pass --pub province.pub (to the hub, and to `tramso hub publish`)")

// Why a pack is not published, beyond pack.Rejection's kinds.
var (
	errNotNewer   = errors.New("not newer")
	errBadContent = errors.New("the content does not load")
	// errOldContent: a rollback's generation does not load under this
	// release's content rules — typically one published by an older release
	// before an upgrade — so every kiosk of this release would refuse it.
	errOldContent = errors.New("does not load under this release's content rules")
)

func (h *Hub) Publish(ctx context.Context, r io.Reader, opts PublishOptions) (*pack.Signed, error) {
	if len(h.opts.ProvinceKeys) == 0 {
		return nil, errNoProvinceKey
	}
	rd, err := pack.NewReader(r, h.opts.ProvinceKeys)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	sm := rd.Signed()
	if err := h.checkNewer(ctx, sm.Manifest.Generation, opts.GenerationAhead); err != nil {
		return nil, err
	}
	if !opts.ReplaceStudioEdits {
		if err := h.checkStudioEdits(ctx, sm.Manifest); err != nil {
			return nil, err
		}
	}
	if err := h.checkSigners(ctx, sm.Raw, sm.Sig, opts.Stage); err != nil {
		return nil, err
	}
	if err := h.storeBlobs(ctx, rd); err != nil {
		return nil, err
	}
	if err := h.checkContent(ctx, sm.Manifest); err != nil {
		return nil, fmt.Errorf("publish %d: %w", sm.Manifest.Generation, err)
	}
	if err := h.PublishManifest(ctx, sm.Raw, sm.Sig, sm.Manifest, opts); err != nil {
		return nil, err
	}
	return sm, nil
}

// storeBlobs stores the pack's files the blob store lacks.
func (h *Hub) storeBlobs(ctx context.Context, rd *pack.Reader) error {
	for {
		f, body, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		if ok, _ := h.blobs.Has(ctx, f.SHA256); ok {
			continue // Next checks and skips the bytes
		}
		if err := h.blobs.Put(ctx, f.SHA256, f.Size, body); err != nil {
			return fmt.Errorf("publish %s: %w", f.Path, err)
		}
	}
}

// checkContent loads the pack's content from the blob store exactly as a
// kiosk loads it after staging: a pack every kiosk would refuse (and report
// as bad content) is refused here, naming the file and field that fail.
func (h *Hub) checkContent(ctx context.Context, m *pack.Manifest) error {
	if _, err := content.Load(newManifestFS(ctx, h.blobs, m)); err != nil {
		return fmt.Errorf("%w, so every kiosk would refuse it: %w", errBadContent, err)
	}
	return nil
}

// rowQuerier is a *sql.DB or a *sql.Tx.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// checkNewer refuses a generation outside the protocol's range, not above
// every generation published (out-of-range ones left by an older hub aside)
// or, unless aheadOK, far past the hub's clock (checkAhead).
func (h *Hub) checkNewer(ctx context.Context, gen int64, aheadOK bool) error {
	return h.checkNewerIn(ctx, h.DB, gen, aheadOK)
}

// checkNewerIn is checkNewer in q, a database or a transaction.
func (h *Hub) checkNewerIn(ctx context.Context, q rowQuerier, gen int64, aheadOK bool) error {
	if err := hubproto.CheckGeneration(gen); err != nil {
		return fmt.Errorf("publish: %w; kiosks refuse it (build with the default generation, the build time in unix seconds)", err)
	}
	max, err := highestGeneration(ctx, q)
	if err != nil {
		return err
	}
	if gen <= max {
		return fmt.Errorf("publish: %w: generation %d is not newer than %d, already published (kiosks would refuse it)", errNotNewer, gen, max)
	}
	if aheadOK {
		return nil
	}
	return h.checkAhead(ctx, q, gen, max)
}

// checkAhead refuses a generation standing more than a day past the hub's
// clock — a pack built under a clock set years ahead, which would make every
// kiosk refuse every normal pack until that date — unless it continues the
// highest generation the hub already has, published or waiting for its
// signature: each of those passed this check, or was meant, when it came in,
// and the hub's own next generations (rollback, assembled packs) go above it.
func (h *Hub) checkAhead(ctx context.Context, q rowQuerier, gen, published int64) error {
	var pending sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT max(generation) FROM pending_packs`).Scan(&pending); err != nil {
		return err
	}
	if err := pack.CheckAhead(gen, max(published, pending.Int64), h.now()); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}

// PublishManifest records a manifest whose blobs are already in the blob
// store and starts its rollout. It does not check the signature — Publish
// and Rollback do, and kiosks always do — so tests and tools that verified
// elsewhere (or want to see kiosks refuse a bad pack) can use it directly.
func (h *Hub) PublishManifest(ctx context.Context, raw, sig []byte, m *pack.Manifest, opts PublishOptions) error {
	if opts.Stage < StageTest || (opts.Stage > MaxWave && opts.Stage != StageEveryone) {
		return fmt.Errorf("publish: stage %d is not a stage", opts.Stage)
	}
	if err := h.checkNewer(ctx, m.Generation, opts.GenerationAhead); err != nil {
		return err
	}
	if err := h.checkStored(ctx, m); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The fleet version is bumped first: the row lock that takes (on
	// PostgreSQL; SQLite has one writer at a time) lets one publish at a time
	// through, even from two hubs, so the check made again here still holds
	// at commit and no generation is published below one just published.
	if err := bumpFleetVersion(ctx, tx); err != nil {
		return err
	}
	if err := h.checkNewerIn(ctx, tx, m.Generation, opts.GenerationAhead); err != nil {
		return err
	}
	now := h.stamp()
	if _, err := tx.ExecContext(ctx, `INSERT INTO packs(generation, digest, title, manifest, signatures, total_size,
		published_at, published_by, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		m.Generation, pack.Digest(raw), m.Title, raw, sig, m.TotalSize(), now, opts.By, opts.Note); err != nil {
		return fmt.Errorf("publish %d: %w", m.Generation, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO rollouts(generation, stage, updated_at) VALUES ($1, $2, $3)`,
		m.Generation, opts.Stage, now); err != nil {
		return fmt.Errorf("publish %d: %w", m.Generation, err)
	}
	if p := opts.signed; p != nil {
		if _, err := tx.ExecContext(ctx, `DELETE FROM pending_packs WHERE generation = $1 AND upload_id = $2`,
			p.Generation, p.uploadID); err != nil {
			return fmt.Errorf("publish %d: forget the pack waiting for its signature: %w", m.Generation, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	h.log.Info("pack published", "generation", m.Generation, "stage", opts.Stage, "by", opts.By)
	return h.rolloutChanged(ctx)
}

// checkStored says which of m's files the blob store lacks, if any.
func (h *Hub) checkStored(ctx context.Context, m *pack.Manifest) error {
	for _, f := range m.Blobs() {
		if ok, err := h.blobs.Has(ctx, f.SHA256); err != nil || !ok {
			return fmt.Errorf("blob %s (%s) is not stored", f.SHA256, f.Path)
		}
	}
	return nil
}

// readable is published generation gen's manifest after the check publish
// makes: every file stored, and the content loads as a kiosk of this
// release loads it. A generation an older release published may not (its
// rules were others): a rollback to it would be refused by every upgraded
// kiosk while the hub announced it as current.
func (h *Hub) readable(ctx context.Context, gen int64) (*pack.Manifest, error) {
	raw, _, err := h.manifest(ctx, gen)
	if err != nil {
		return nil, fmt.Errorf("roll back to %d: %w", gen, err)
	}
	m, err := pack.ParseManifest(raw)
	if err != nil {
		return nil, fmt.Errorf("roll back to %d: %w", gen, err)
	}
	if err := h.checkStored(ctx, m); err != nil {
		return nil, fmt.Errorf("roll back to %d: %w", gen, err)
	}
	if _, err := content.Load(newManifestFS(ctx, h.blobs, m)); err != nil {
		if ctx.Err() != nil { // a read cut short reads as a missing file: not the content's fault
			return nil, fmt.Errorf("roll back to %d: %w", gen, ctx.Err())
		}
		return nil, fmt.Errorf("roll back: generation %d %w, so every kiosk of this release would refuse it; build a new pack from the source folder instead. %w", gen, errOldContent, err)
	}
	return m, nil
}

// unreadable says, for the packs page, whether this release's kiosks
// cannot read published generation gen (errOldContent: offer no rollback to
// it). A generation's content never changes, so each is checked once.
func (h *Hub) unreadable(ctx context.Context, gen int64) bool {
	if v, ok := h.readChecked.Load(gen); ok {
		return v.(bool)
	}
	_, err := h.readable(ctx, gen)
	if err != nil && !errors.Is(err, errOldContent) || ctx.Err() != nil {
		return false // not known: the rollback itself says why
	}
	h.readChecked.Store(gen, err != nil)
	return err != nil
}

// errWrongKey: the hub's signing key is not one the kiosks trust.
var errWrongKey = errors.New("wrong signing key")

// Rollback publishes the content of generation `to` again under a new,
// higher generation signed with key, because kiosks only move forward. Only
// the manifest is new, so kiosks that kept the old blobs download nothing.
// A hub whose key is kept offline makes the same manifest with
// RollbackPending, to be signed there.
func (h *Hub) Rollback(ctx context.Context, to int64, key ed25519.PrivateKey, opts PublishOptions) (int64, error) {
	if key == nil {
		return 0, errors.New("roll back: the hub has no signing key (use `tramso hub rollback --key province.key`, or leave --key out to make a pack that waits for its offline signature)")
	}
	if err := pack.CheckPinned(key, h.opts.ProvinceKeys); err != nil {
		return 0, fmt.Errorf("roll back to %d: %w", to, errors.Join(errWrongKey, err))
	}
	newRaw, m, _, err := h.rollbackManifest(ctx, to, false)
	if err != nil {
		return 0, err
	}
	sig, err := pack.Sign(newRaw, key)
	if err != nil {
		return 0, err
	}
	if opts.Note == "" {
		opts.Note = fmt.Sprintf(rollbackNote, to)
	}
	return m.Generation, h.PublishManifest(ctx, newRaw, sig, m, opts)
}

// rollbackManifest is the unsigned manifest that brings generation to's
// content back, unsigned: checked as readable,
// titled as published again, under a generation above every published one
// (and, for a pack to wait for its signature, every waiting one), at least
// the clock's unix seconds. from is the newest generation published now.
func (h *Hub) rollbackManifest(ctx context.Context, to int64, abovePending bool) (raw []byte, m *pack.Manifest, from int64, err error) {
	if err := hubproto.CheckGeneration(to); err != nil {
		return nil, nil, 0, fmt.Errorf("roll back to %d: %w", to, err)
	}
	old, err := h.readable(ctx, to)
	if err != nil {
		return nil, nil, 0, err
	}
	from, err = highestGeneration(ctx, h.DB)
	if err != nil {
		return nil, nil, 0, err
	}
	top := from
	if abovePending {
		var pending sql.NullInt64
		if err := h.DB.QueryRowContext(ctx, `SELECT max(generation) FROM pending_packs`).Scan(&pending); err != nil {
			return nil, nil, 0, err
		}
		top = max(top, pending.Int64)
	}
	gen := max(top+1, h.now().Unix()) // like `tramso pack build`, so a later build is still newer
	if err := hubproto.CheckGeneration(gen); err != nil {
		return nil, nil, 0, fmt.Errorf("roll back to %d: no generation is left above %d: %w", to, top, err)
	}
	old.Title = rollbackTitle(old.Title)
	if raw, err = pack.Republish(old, gen, h.now()); err != nil {
		return nil, nil, 0, err
	}
	if m, err = pack.ParseManifest(raw); err != nil {
		return nil, nil, 0, err
	}
	return raw, m, from, nil
}

// rollbackTitle names a rollback's generation after the one it brings
// back, marked as published again, so that staff at a kiosk tell it from
// the original (outside QA R17: both bore one title though, in a rotation,
// signed by different keys). The console's note says which generation it
// brings back. A long title loses its end, never the mark.
func rollbackTitle(title string) string {
	title = strings.TrimSuffix(title, rollbackMark) // a rollback's own, when one is brought back
	if title == "" {
		return "Nội dung phát hành lại"
	}
	for len(title)+len(rollbackMark) > pack.MaxTitleLen {
		_, size := utf8.DecodeLastRuneInString(title)
		title = title[:len(title)-size]
	}
	return strings.TrimSpace(title) + rollbackMark
}

const rollbackMark = " (phát hành lại)"

// manifest reads a published generation's manifest and its signatures
// (manifest.sig), the one reader of both: a rollback and the studio need
// the manifest, the keys page checks who signed it.
func (h *Hub) manifest(ctx context.Context, gen int64) (raw, sig []byte, err error) {
	err = h.DB.QueryRowContext(ctx, `SELECT manifest, signatures FROM packs WHERE generation = $1`, gen).Scan(&raw, &sig)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, fmt.Errorf("no published generation %d", gen)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read generation %d: %w", gen, err)
	}
	return raw, sig, nil
}

// highestGeneration is the highest generation published within the
// protocol's range: a pack outside it, published before the hub checked, is
// ignored rather than allowed to outrank every real pack.
func highestGeneration(ctx context.Context, q rowQuerier) (int64, error) {
	var max int64
	err := q.QueryRowContext(ctx, `SELECT coalesce(max(generation), 0) FROM packs WHERE generation BETWEEN $1 AND $2`,
		hubproto.MinGeneration, int64(hubproto.MaxGeneration)).Scan(&max)
	return max, err
}

// reportIgnoredGenerations logs every stored pack whose generation is out of
// range, with the way to remove it. Such a pack is never announced, served as
// a target or counted as "newest"; the hub serves the newest valid one.
func (h *Hub) reportIgnoredGenerations(ctx context.Context) {
	rows, err := h.DB.QueryContext(ctx, `SELECT generation FROM packs WHERE generation NOT BETWEEN $1 AND $2`,
		hubproto.MinGeneration, int64(hubproto.MaxGeneration))
	if err != nil {
		h.log.Error("check published generations", "err", err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var gen int64
		if rows.Scan(&gen) == nil {
			h.log.Error("a published pack has a generation outside the protocol's range; the hub ignores it",
				"generation", gen, "max", int64(hubproto.MaxGeneration),
				"fix", fmt.Sprintf("tramso hub withdraw --generation %d", gen))
		}
	}
}

// Withdraw deletes a published generation that is outside the protocol's
// range (published by a hub that did not check, e.g. a pack built with
// --generation $(date +%s%N)). The hub already ignores it; this clears it
// from the console and the database. A generation in range is never
// withdrawn: kiosks may hold it and its number must never be reused, so halt
// its rollout instead.
func (h *Hub) Withdraw(ctx context.Context, gen int64, by string) error {
	if hubproto.CheckGeneration(gen) == nil {
		return fmt.Errorf("withdraw %d: the generation is valid; kiosks may hold it and its number must not be reused: halt it instead (tramso hub stage --generation %d --stage halt)", gen, gen)
	}
	err := h.rolloutTx(ctx, gen, func(tx *sql.Tx) (sql.Result, error) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM rollouts WHERE generation = $1`, gen); err != nil {
			return nil, err
		}
		return tx.ExecContext(ctx, `DELETE FROM packs WHERE generation = $1`, gen)
	})
	if err != nil {
		return fmt.Errorf("withdraw: %w", err)
	}
	h.log.Warn("out-of-range generation withdrawn", "generation", gen, "by", by)
	return nil
}

func encodeKey(k ed25519.PublicKey) string { return base64.StdEncoding.EncodeToString(k) }
