package pack

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"tramso/kiosk/content"
)

// Content on disk can be lost or damaged after it was applied: a technician
// "cleaning" the disk, a file system repair after a power cut, a bit that
// rotted. The kiosk then shows the previous generation or the starter (Serve),
// and the current generation is "broken": the update client fetches its
// manifest and the blobs that are gone or damaged from the hub again, and
// Repair lays it out anew (outside QA: the kiosk showed the starter for good,
// "update now" did nothing and the hub's fleet page said all was well).
//
// Sizes are checked at every start; hashes only by Audit, some time after
// start, so that a large pack does not slow the window's first screen.

// Broken is the current generation when it does not load from disk (0 when
// the kiosk serves it, or has none): what the update client repairs.
func (s *Store) Broken() int64 { return s.broken.Load() }

// BrokenBecause is why Broken is set, for the hub and staff ("" when not).
func (s *Store) BrokenBecause() string {
	s.brokenMu.Lock()
	defer s.brokenMu.Unlock()
	return s.brokenWhy
}

// Untrusted reports whether the Broken generation does not load because no
// key the kiosk pins signed it (unknown_key: a key rotation dropped the key
// of the current pack from the config), not because its files were lost or
// damaged. Fetching it again cannot mend that: the hub serves the same
// signed bytes, which fail the same way, so the update client waits for a
// generation signed by a pinned key instead of repairing.
func (s *Store) Untrusted() bool { return s.BrokenKind() == FallbackUntrusted }

// Unreadable reports whether the Broken generation is whole on disk, signed
// by a pinned key, and refused by this release's content rules: a pack an
// earlier release built and took, on a kiosk upgraded before the province
// built a new one (outside QA s23). Fetching it again cannot mend that
// either; a newer generation does.
func (s *Store) Unreadable() bool { return s.BrokenKind() == FallbackUnreadable }

// BrokenKind is why the Broken generation does not load: FallbackUntrusted,
// FallbackUnreadable, or "" for lost or damaged files.
func (s *Store) BrokenKind() string {
	s.brokenMu.Lock()
	defer s.brokenMu.Unlock()
	return s.brokenKind
}

// setBroken records that generation gen does not load, for err (gen 0,
// err nil: the current generation loads).
func (s *Store) setBroken(gen int64, err error) {
	kind := ""
	if err != nil {
		kind = s.brokenBecause(gen, err)
	}
	s.brokenMu.Lock()
	defer s.brokenMu.Unlock()
	s.broken.Store(gen)
	s.brokenWhy, s.brokenKind = "", kind
	if err != nil {
		s.brokenWhy = err.Error()
	}
}

// brokenBecause tells why generation gen failed to load with err: a content
// refusal (or a content schema newer than this release reads: a kiosk
// downgraded) is this release's rules only when every file is as the province
// signed it (a damaged YAML file of the right size fails the same way, and
// is fetched again).
func (s *Store) brokenBecause(gen int64, err error) string {
	if untrusted(err) {
		return FallbackUntrusted
	}
	if r, ok := AsRejection(err); ok && (r.Kind == KindBadContent || r.Kind == KindUnknownSchema) {
		if m, merr := s.readManifest(gen); merr == nil && len(s.damagedFiles(gen, m)) == 0 {
			return FallbackUnreadable
		}
	}
	return ""
}

// Unsound returns m's blobs that a repair must fetch: missing, or whose bytes
// no longer match their hash (those are removed, so that the fetch starts
// from nothing). Every held blob is read whole.
func (s *Store) Unsound(m *Manifest) []File {
	var out []File
	for _, f := range m.Blobs() {
		if !s.HasBlob(f) {
			out = append(out, f)
			continue
		}
		if err := checkFile(s.blobPath(f.SHA256), f, m.Generation); err != nil {
			s.log.Error("content file damaged on disk; it is fetched again", "file", f.Path, "err", err)
			os.Remove(s.blobPath(f.SHA256))
			out = append(out, f)
		}
	}
	return out
}

// ErrNotBroken refuses a repair of a generation that is not the broken
// current one: repairs never change which generation is current.
var ErrNotBroken = errors.New("not the current generation that needs repair")

// Repair lays the broken current generation out again from sm — its signed
// manifest, fetched again — and the blobs the store holds (every one must be
// held: Unsound says which to fetch), then serves it. sm must be the very
// manifest the kiosk trusted for that generation.
func (s *Store) Repair(ctx context.Context, sm *Signed) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	gen := sm.Manifest.Generation
	if gen == 0 || gen != s.Broken() {
		return fmt.Errorf("repair generation %d: %w", gen, ErrNotBroken)
	}
	seen, ok, err := s.db.ContentGeneration(ctx, gen)
	if err != nil {
		return err
	}
	if !ok || seen.Digest != sm.Digest {
		err := reject(KindConflict, gen, "the manifest sent for generation %d (sha256 %.16s…) is not the one this kiosk applied", gen, sm.Digest)
		s.Reject(ctx, "hub", err)
		return err
	}
	if missing := s.Missing(sm.Manifest); len(missing) > 0 {
		return fmt.Errorf("repair generation %d: %d file(s) not downloaded yet, e.g. %s", gen, len(missing), missing[0].Path)
	}
	if _, _, err := s.layOut(sm); err != nil {
		return fmt.Errorf("repair generation %d: %w", gen, err)
	}
	if err := s.serveCurrent(ctx); err != nil {
		return err
	}
	if s.Broken() != 0 {
		return fmt.Errorf("repair generation %d: it still does not load: %s", gen, s.BrokenBecause())
	}
	s.log.Info("content repaired: the current generation is whole again and served", "generation", gen)
	return nil
}

// Audit reads every file of the generation the kiosk serves and checks its
// hash against the signed manifest. A damaged file is removed (with its blob,
// often the same inode) and the kiosk falls back as Serve does; the error
// says what was wrong. With no pack served it does nothing, nor on a
// read-only disk: nothing could be removed or fetched again there.
func (s *Store) Audit(ctx context.Context) error {
	live := s.live
	if live == nil || s.db.ReadOnly {
		return nil
	}
	cur := live.Get()
	if cur == nil || cur.Source != content.SourcePack {
		return nil
	}
	gen := cur.Pack.Meta.Generation
	m, err := s.readManifest(gen)
	if err != nil {
		return nil // the folder went since it loaded: the next start sees it
	}
	bad := s.damagedFiles(gen, m)
	if len(bad) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range bad {
		os.Remove(filepath.Join(s.genDir(gen), "files", filepath.FromSlash(f.Path)))
		os.Remove(s.blobPath(f.SHA256))
	}
	err = fmt.Errorf("generation %d: %d file(s) damaged on disk, e.g. %s", gen, len(bad), bad[0].Path)
	s.log.Error("content damaged on disk: served no more; the kiosk falls back and fetches it again", "err", err)
	if serr := s.serveCurrent(ctx); serr != nil {
		return serr
	}
	return err
}

// AuditAfter runs Audit once after delay (the first screen comes first),
// then calls found with what it found, if anything.
func (s *Store) AuditAfter(ctx context.Context, delay time.Duration, found func(error)) {
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return
	case <-t.C:
	}
	if err := s.Audit(ctx); err != nil && found != nil {
		found(err)
	}
}

// damagedFiles lists the files of generation gen whose bytes do not match m.
func (s *Store) damagedFiles(gen int64, m *Manifest) []File {
	var bad []File
	files := filepath.Join(s.genDir(gen), "files")
	for _, f := range m.Files {
		if err := checkFile(filepath.Join(files, filepath.FromSlash(f.Path)), f, gen); err != nil {
			bad = append(bad, f)
		}
	}
	return bad
}
