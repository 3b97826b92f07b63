package pack

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/store"
)

// Accept verifies a signed manifest against the pinned keys and the trusted
// state — it must be newer than every generation applied, and the only
// manifest ever seen for its generation — and records it as seen. A refusal
// is recorded for staff mode and the hub, with source ("hub", "usb").
func (s *Store) Accept(ctx context.Context, raw, sig []byte, keys []ed25519.PublicKey, source string) (*Signed, error) {
	return s.AcceptAs(ctx, 0, raw, sig, keys, source)
}

// AcceptAs is Accept of the manifest fetched as generation gen (the hub
// announced it): a refusal before the manifest is read — a bad signature,
// an unknown key — is recorded for gen, so the province sees which pack
// its kiosks refuse, not "generation 0".
func (s *Store) AcceptAs(ctx context.Context, gen int64, raw, sig []byte, keys []ed25519.PublicKey, source string) (*Signed, error) {
	sm, err := Verify(raw, sig, keys)
	if err == nil {
		err = s.trust(ctx, sm)
	}
	if err != nil {
		err = NameGeneration(err, gen)
		s.Reject(ctx, source, err)
		return nil, err
	}
	return sm, nil
}

// NameGeneration gives a refusal that names no generation the generation
// gen it was fetched as; other errors, and gen 0, pass unchanged.
func NameGeneration(err error, gen int64) error {
	if r, ok := AsRejection(err); ok && r.Generation == 0 && gen != 0 {
		named := *r
		named.Generation = gen
		return &named
	}
	return err
}

// trust checks sm against the trusted state and records its digest as seen.
func (s *Store) trust(ctx context.Context, sm *Signed) error {
	m := sm.Manifest
	seen, ok, err := s.db.ContentGeneration(ctx, m.Generation)
	if err != nil {
		return err
	}
	if ok && seen.Digest != sm.Digest {
		return reject(KindConflict, m.Generation, "a different manifest (sha256 %.16s…) was already seen for generation %d; the province never signs two", seen.Digest, m.Generation)
	}
	state, err := s.db.ContentState(ctx)
	if err != nil {
		return err
	}
	if m.Generation <= state.Highest {
		return reject(KindNotNewer, m.Generation, "generation %d is not newer than %d, the highest this kiosk has applied (rollback or replay)", m.Generation, state.Highest)
	}
	err = s.db.SeeContentGeneration(ctx, store.ContentGeneration{Generation: m.Generation, Digest: sm.Digest,
		KeyID: sm.KeyID, Created: builtText(m.Created), Title: m.Title})
	if errors.Is(err, store.ErrContentConflict) {
		return reject(KindConflict, m.Generation, "a different manifest was already seen for generation %d", m.Generation)
	}
	return err
}

// builtText is when a pack was built, for the record staff mode reads: none
// for a generation numbered by hand, whose "created" reads as 1970.
func builtText(created time.Time) string {
	if at, ok := BuiltAt(created); ok {
		return at.UTC().Format(time.RFC3339)
	}
	return ""
}

// Reject records err for staff mode and the hub when it is a *Rejection
// (other errors — a full disk, a cut link — are not the pack's fault).
func (s *Store) Reject(ctx context.Context, source string, err error) {
	r, ok := AsRejection(err)
	if !ok {
		return
	}
	s.log.Warn("content pack refused", "source", source, "generation", r.Generation, "kind", r.Kind, "detail", r.Detail)
	// Details can quote what a hostile pack said; the log keeps them short.
	if err := s.db.RecordContentRejection(ctx, store.ContentRejection{Source: source, Generation: r.Generation,
		Kind: string(r.Kind), Detail: hubproto.Clip(r.Detail, 500)}); err != nil {
		s.log.Error("record content rejection", "err", err)
	}
}

// Apply switches the kiosk to sm's generation: every blob must be held. It
// assembles the generation in staging, checks every file and that the content
// loads, syncs it, renames it into place and switches in one transaction, then
// serves it (when Serve was called). The old generation is kept as previous.
// On any error the current content is untouched; refusals are recorded.
func (s *Store) Apply(ctx context.Context, sm *Signed, source string) (*content.Pack, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.applyLocked(ctx, sm, source)
}

func (s *Store) applyLocked(ctx context.Context, sm *Signed, source string) (*content.Pack, error) {
	p, err := s.apply(ctx, sm, source)
	if err != nil {
		err = withGeneration(err, sm.Manifest.Generation)
		s.Reject(ctx, source, err)
		return nil, fmt.Errorf("apply pack %d: %w", sm.Manifest.Generation, err)
	}
	s.log.Info("content pack applied", "source", source, "generation", sm.Manifest.Generation, "files", len(sm.Manifest.Files))
	return p, nil
}

func (s *Store) apply(ctx context.Context, sm *Signed, source string) (*content.Pack, error) {
	m := sm.Manifest
	if err := s.trust(ctx, sm); err != nil {
		return nil, err
	}
	if missing := s.Missing(m); len(missing) > 0 {
		return nil, reject(KindMissingFile, m.Generation, "%d file(s) not downloaded yet, e.g. %s", len(missing), missing[0].Path)
	}
	p, final, err := s.layOut(sm)
	if err != nil {
		return nil, err
	}
	state, err := s.db.SwitchContent(ctx, m.Generation, sm.Digest, source)
	if err != nil {
		// Remove the folder only if the switch surely did not happen.
		if now, serr := s.db.ContentState(ctx); serr == nil && now.Current != m.Generation {
			os.RemoveAll(final)
		}
		switch {
		case errors.Is(err, store.ErrContentNotNewer):
			return nil, reject(KindNotNewer, m.Generation, "%v", err)
		case errors.Is(err, store.ErrContentConflict):
			return nil, reject(KindConflict, m.Generation, "%v", err)
		}
		return nil, err
	}
	// From here on the new generation is current, whatever happens next.
	if s.live != nil {
		s.live.Set(p, content.SourcePack)
		s.setFallback(ctx, "", nil)
		s.setBroken(0, nil)
	}
	if err := s.tidy(state, true); err != nil {
		s.log.Warn("tidy content store", "err", err)
	}
	return p, nil
}

// layOut assembles sm's generation in staging, checks every file and that
// the content loads, syncs it and renames it into place (over whatever folder
// that generation had: a leftover of an interrupted apply, which is never
// current, or the broken current generation a repair replaces). It returns
// the loaded pack, reading from the final folder, and that folder.
func (s *Store) layOut(sm *Signed) (*content.Pack, string, error) {
	m := sm.Manifest
	stage, err := os.MkdirTemp(filepath.Join(s.dir, "staging"), strconv.FormatInt(m.Generation, 10)+"-")
	if err != nil {
		return nil, "", err
	}
	defer os.RemoveAll(stage) // a no-op once renamed into place
	if err := s.stage(stage, sm); err != nil {
		return nil, "", err
	}
	p, err := loadTree(filepath.Join(stage, "files"), m)
	if err != nil {
		return nil, "", err
	}
	final := s.genDir(m.Generation)
	if err := os.RemoveAll(final); err != nil {
		return nil, "", err
	}
	if err := os.Rename(stage, final); err != nil {
		return nil, "", err
	}
	if err := syncDir(filepath.Dir(final)); err != nil {
		return nil, "", err
	}
	p.Files = os.DirFS(filepath.Join(final, "files")) // it read its files from staging
	return p, final, nil
}

// stage assembles sm's files in dir/files from the blobs, checking each one
// again (a blob kept from an earlier generation may have rotted on disk), and
// syncs everything.
func (s *Store) stage(dir string, sm *Signed) error {
	if err := createFile(filepath.Join(dir, manifestName), bytes.NewReader(sm.Raw), 0o440, true); err != nil {
		return err
	}
	if err := createFile(filepath.Join(dir, signatureName), bytes.NewReader(sm.Sig), 0o440, true); err != nil {
		return err
	}
	return buildTree(filepath.Join(dir, "files"), filepath.Join(s.dir, "blobs"), sm.Manifest, true)
}

// buildTree lays out m's files under dir from blobsDir, hard-linking where it
// can (no copy, same inode as the read-only blob), verifying each file's size
// and sha256, and syncing every folder when durable.
func buildTree(dir, blobsDir string, m *Manifest, durable bool) error {
	dirs := map[string]bool{dir: true}
	if err := os.Mkdir(dir, 0o750); err != nil {
		return err
	}
	for _, f := range m.Files {
		dst := filepath.Join(dir, filepath.FromSlash(f.Path))
		parent := filepath.Dir(dst)
		if !dirs[parent] {
			if err := os.MkdirAll(parent, 0o750); err != nil {
				return err
			}
			for d := parent; d != dir && !dirs[d]; d = filepath.Dir(d) {
				dirs[d] = true
			}
		}
		src := filepath.Join(blobsDir, f.SHA256)
		if err := os.Link(src, dst); err != nil {
			if err := copyFile(src, dst, durable); err != nil { // a filesystem without hard links
				return err
			}
		}
		if err := checkFile(dst, f, m.Generation); err != nil {
			if durable {
				// A blob that rotted on disk must not block every later
				// update: drop it so that it is fetched again.
				os.Remove(src)
			}
			return err
		}
	}
	if !durable {
		return nil
	}
	for d := range dirs {
		if err := syncDir(d); err != nil {
			return err
		}
	}
	return syncDir(filepath.Dir(dir))
}

// checkFile verifies a laid-out file against its manifest entry.
func checkFile(path string, f File, gen int64) error {
	r, err := os.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	v := &verifyingReader{r: r, f: f, h: newHash(), gen: gen}
	_, err = io.Copy(io.Discard, v)
	return err
}

// ApplyFile applies a pack file (`tramso pack apply`, a USB stick): verify the
// manifest, check the trusted state, store the blobs the kiosk lacks, apply.
// The store stays locked from import to switch, so that no other apply's
// clean-up removes the blobs just imported.
func (s *Store) ApplyFile(ctx context.Context, path string, keys []ed25519.PublicKey, source string) (*Signed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sm, err := s.importFile(ctx, path, keys)
	if err != nil {
		s.Reject(ctx, source, err) // an AlreadyInstalledError is no refusal: nothing is recorded
		return nil, err
	}
	if _, err := s.applyLocked(ctx, sm, source); err != nil {
		return nil, err
	}
	return sm, nil
}

func (s *Store) importFile(ctx context.Context, path string, keys []ed25519.PublicKey) (*Signed, error) {
	f, r, err := openPackFile(path, keys)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sm := r.Signed()
	if err := s.installedAlready(ctx, sm); err != nil {
		return nil, err
	}
	if err := s.trust(ctx, sm); err != nil {
		return nil, err
	}
	// Before a byte is copied: a disk filled by half a pack leaves the
	// kiosk nothing to write its figures with (outside QA s25).
	if err := s.checkRoom(sm); err != nil {
		return nil, err
	}
	for {
		bf, body, err := r.Next()
		if errors.Is(err, io.EOF) {
			return sm, nil
		}
		if err != nil {
			return nil, err
		}
		if s.HasBlob(bf) {
			continue // Next reads and checks it anyway
		}
		if err := s.PutBlob(bf, body); err != nil {
			return nil, withGeneration(err, sm.Manifest.Generation)
		}
	}
}

// AlreadyInstalledError answers a pack file whose manifest, byte for byte,
// is the one in use: the same USB stick plugged in twice. It is no
// Rejection (the pack is the kiosk's own): nothing is recorded for staff,
// and `tramso pack apply` ends in success (outside QA s26: a red "rollback
// or replay" card and exit 1 for the same stick again).
type AlreadyInstalledError struct {
	Generation int64
	Title      string
}

func (e *AlreadyInstalledError) Error() string {
	return fmt.Sprintf("generation %d %q is already installed, nothing to do", e.Generation, e.Title)
}

// installedAlready returns an *AlreadyInstalledError when sm is the current
// generation's own manifest (same digest) and that generation is whole on
// disk. A different manifest of that generation, an older generation, or the
// current one broken on disk goes on to trust and is refused as before.
func (s *Store) installedAlready(ctx context.Context, sm *Signed) error {
	m := sm.Manifest
	state, err := s.db.ContentState(ctx)
	if err != nil || state.Current != m.Generation {
		return err
	}
	seen, ok, err := s.db.ContentGeneration(ctx, m.Generation)
	if err != nil || !ok || seen.Digest != sm.Digest {
		return err
	}
	// The running kiosk knows whether its content loads (Serve, Audit);
	// `tramso pack apply` with the kiosk stopped checks the files.
	if s.live != nil && s.Broken() == m.Generation || s.live == nil && !s.wholeOnDisk(sm) {
		return nil
	}
	return &AlreadyInstalledError{Generation: m.Generation, Title: m.Title}
}

// wholeOnDisk reports whether sm's generation folder holds sm's manifest
// and every file with its size and sha256.
func (s *Store) wholeOnDisk(sm *Signed) bool {
	raw, err := os.ReadFile(filepath.Join(s.genDir(sm.Manifest.Generation), manifestName))
	return err == nil && Digest(raw) == sm.Digest && len(s.damagedFiles(sm.Manifest.Generation, sm.Manifest)) == 0
}

// Rollback makes the previous generation current again (or the embedded
// starter when there is none) and serves it. The highest generation applied
// stays: the kiosk moves forward again only to a strictly newer generation.
//
// A previous generation that no longer loads whole from disk is not rolled
// back to (ErrPreviousNotWhole, or ErrPreviousUnreadable when this release
// cannot read it): the kiosk would show the starter, and count
// the current generation as declined (outside QA: "roll back" answered
// success onto a generation whose files were gone).
func (s *Store) Rollback(ctx context.Context) (store.ContentState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	state, err := s.db.ContentState(ctx)
	if err != nil {
		return state, err
	}
	if state.Previous != 0 {
		if _, err := s.loadWhole(ctx, state.Previous); err != nil {
			if s.brokenBecause(state.Previous, err) == FallbackUnreadable {
				return state, fmt.Errorf("%w: %v", ErrPreviousUnreadable, err)
			}
			return state, fmt.Errorf("%w: %v", ErrPreviousNotWhole, err)
		}
	}
	state, err = s.db.RollbackContent(ctx)
	if err != nil {
		return state, err
	}
	if s.live != nil {
		s.serveCurrent(ctx)
	}
	if err := s.tidy(state, true); err != nil {
		s.log.Warn("tidy content store", "err", err)
	}
	s.log.Info("content rolled back", "generation", state.Current)
	return state, nil
}

// ErrPreviousNotWhole refuses a rollback onto a generation whose files are
// gone or damaged.
var ErrPreviousNotWhole = errors.New("the previous content is no longer whole on this kiosk")

// ErrPreviousUnreadable refuses a rollback onto a generation whole and
// signed that this release's content rules refuse (built for another
// version): not lost or damaged (outside QA s23).
var ErrPreviousUnreadable = errors.New("this version of tramso cannot read the previous content (built for another version)")

// createFile writes r to a new file at path — never over an existing one —
// synced to disk when durable.
func createFile(path string, r io.Reader, mode os.FileMode, durable bool) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	if durable {
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

func copyFile(src, dst string, durable bool) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return createFile(dst, in, 0o440, durable)
}
