package hub

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"io"

	"tramso/kiosk/pack"
)

// PublishOptions say who gets a new generation first.
type PublishOptions struct {
	Stage int    // StageTest, a wave, or StageEveryone
	By    string // who published (admin user name or "cli")
	Note  string
}

// Publish reads a pack file, checks its signature against the province keys,
// stores its blobs (checking each hash) and starts its rollout. The hub checks
// what a kiosk will check so staff learn of a bad pack at once; the kiosks
// check again, since they trust only the province key, not the hub.
func (h *Hub) Publish(ctx context.Context, r io.Reader, opts PublishOptions) (*pack.Signed, error) {
	if len(h.opts.ProvinceKeys) == 0 {
		return nil, errors.New("publish: the hub has no province public key (start it with --pub province.pub)")
	}
	rd, err := pack.NewReader(r, h.opts.ProvinceKeys)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	sm := rd.Signed()
	if err := h.checkNewer(ctx, sm.Manifest.Generation); err != nil {
		return nil, err
	}
	for {
		f, body, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("publish: %w", err)
		}
		if ok, _ := h.blobs.Has(ctx, f.SHA256); ok {
			continue // Next checks and skips the bytes
		}
		if err := h.blobs.Put(ctx, f.SHA256, f.Size, body); err != nil {
			return nil, fmt.Errorf("publish %s: %w", f.Path, err)
		}
	}
	if err := h.PublishManifest(ctx, sm.Raw, sm.Sig, sm.Manifest, opts); err != nil {
		return nil, err
	}
	return sm, nil
}

func (h *Hub) checkNewer(ctx context.Context, gen int64) error {
	var max int64
	if err := h.DB.QueryRowContext(ctx, `SELECT coalesce(max(generation), 0) FROM packs`).Scan(&max); err != nil {
		return err
	}
	if gen <= max {
		return fmt.Errorf("publish: generation %d is not newer than %d, already published (kiosks would refuse it)", gen, max)
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
	if err := h.checkNewer(ctx, m.Generation); err != nil {
		return err
	}
	for _, f := range m.Blobs() {
		if ok, err := h.blobs.Has(ctx, f.SHA256); err != nil || !ok {
			return fmt.Errorf("publish: blob %s (%s) is not stored", f.SHA256, f.Path)
		}
	}
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := h.stamp()
	if _, err := tx.ExecContext(ctx, `INSERT INTO packs(generation, digest, title, manifest, signatures, total_size,
		published_at, published_by, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.Generation, pack.Digest(raw), m.Title, raw, sig, m.TotalSize(), now, opts.By, opts.Note); err != nil {
		return fmt.Errorf("publish %d: %w", m.Generation, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO rollouts(generation, stage, updated_at) VALUES (?, ?, ?)`,
		m.Generation, opts.Stage, now); err != nil {
		return fmt.Errorf("publish %d: %w", m.Generation, err)
	}
	if err := bumpFleetVersion(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	h.log.Info("pack published", "generation", m.Generation, "stage", opts.Stage, "by", opts.By)
	return h.rolloutChanged(ctx)
}

// Rollback publishes the content of generation `to` again under a new,
// higher generation signed with key, because kiosks only move forward. Only
// the manifest is new, so kiosks that kept the old blobs download nothing.
func (h *Hub) Rollback(ctx context.Context, to int64, key ed25519.PrivateKey, opts PublishOptions) (int64, error) {
	if key == nil {
		return 0, errors.New("roll back: the hub has no signing key (use `tramso hub rollback --key province.key`)")
	}
	raw, err := h.manifest(ctx, to)
	if err != nil {
		return 0, fmt.Errorf("roll back to %d: %w", to, err)
	}
	old, err := pack.ParseManifest(raw)
	if err != nil {
		return 0, fmt.Errorf("roll back to %d: %w", to, err)
	}
	var max int64
	if err := h.DB.QueryRowContext(ctx, `SELECT coalesce(max(generation), 0) FROM packs`).Scan(&max); err != nil {
		return 0, err
	}
	gen := max + 1
	if now := h.now().Unix(); now > gen {
		gen = now // like `tramso pack build`, so a later build is still newer
	}
	newRaw, sig, err := pack.Republish(old, gen, h.now(), key)
	if err != nil {
		return 0, err
	}
	m, err := pack.ParseManifest(newRaw)
	if err != nil {
		return 0, err
	}
	if opts.Note == "" {
		opts.Note = fmt.Sprintf("rollback to %d", to)
	}
	return gen, h.PublishManifest(ctx, newRaw, sig, m, opts)
}

func (h *Hub) manifest(ctx context.Context, gen int64) ([]byte, error) {
	var raw []byte
	err := h.DB.QueryRowContext(ctx, `SELECT manifest FROM packs WHERE generation = ?`, gen).Scan(&raw)
	if err != nil {
		return nil, fmt.Errorf("no published generation %d", gen)
	}
	return raw, nil
}

func encodeKey(k ed25519.PublicKey) string { return base64.StdEncoding.EncodeToString(k) }
