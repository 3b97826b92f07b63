package pack

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"

	"tramso/kiosk/content"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/store"
)

// Store is a kiosk's content store, under DATA/content:
//
//	blobs/<sha256>             verified file contents, read-only
//	blobs/<sha256>.partial     a transfer in progress
//	staging/<gen>-<n>/         a generation being assembled
//	generations/<gen>/         manifest.json, manifest.sig, files/… — complete
//
// Which generation is current is a row in the database, switched in the same
// transaction that raises the highest generation applied. A generation folder
// is complete and synced before that transaction, and only generations that
// are neither current nor previous are ever removed; so a crash at any moment
// leaves the old or the new content, complete.
type Store struct {
	db  *store.Store
	dir string
	log *slog.Logger

	mu   sync.Mutex // one apply or rollback at a time
	live *content.Live
	keys []ed25519.PublicKey // pinned keys the current generation must verify under (Serve)

	broken     atomic.Int64 // the current generation when it does not load (repair.go)
	brokenMu   sync.Mutex
	brokenWhy  string
	brokenKind string // FallbackUntrusted, FallbackUnreadable, or "" (lost or damaged)
}

// OpenStore opens the content store of a kiosk's data directory and clears
// what an interrupted apply left behind.
func OpenStore(ctx context.Context, st *store.Store) (*Store, error) {
	s := &Store{db: st, dir: filepath.Join(st.Dir, "content"), log: slog.Default()}
	if st.ReadOnly {
		// A read-only disk (store.OpenOrReadOnly) is served as it is:
		// nothing can be made, cleared or forgotten on it.
		return s, nil
	}
	for _, d := range []string{"blobs", "generations", "staging"} {
		if err := os.MkdirAll(filepath.Join(s.dir, d), 0o750); err != nil {
			return nil, fmt.Errorf("content store: %w", err)
		}
	}
	// The kiosk owns its inbox, so that it can take files dropped there by root.
	if err := os.MkdirAll(InboxDir(st.Dir), 0o750); err != nil {
		return nil, fmt.Errorf("content store: %w", err)
	}
	state, err := s.forgetOutOfRange(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.tidy(state, false); err != nil {
		return nil, fmt.Errorf("content store: %w", err)
	}
	return s, nil
}

// forgetOutOfRange is the recovery for a kiosk that took a pack whose
// generation is above hubproto.MaxGeneration (possible before the range was
// enforced): such a generation would outrank every real pack forever. It is
// forgotten with a clear log and a refusal staff mode shows; the previous
// generation (or the starter) is served and the next valid pack applies.
func (s *Store) forgetOutOfRange(ctx context.Context) (store.ContentState, error) {
	state, gone, err := s.db.ForgetContentAbove(ctx, hubproto.MaxGeneration)
	if err != nil || len(gone) == 0 {
		return state, err
	}
	for _, gen := range gone {
		s.log.Error("content generation out of range: forgotten; the next valid pack applies",
			"generation", gen, "max", int64(hubproto.MaxGeneration), "now_serving", state.Current)
	}
	s.Reject(ctx, "store", reject(KindBadManifest, 0, "generation %d is above %d, the highest any pack may have: forgotten, "+
		"now serving generation %d (0: the embedded starter)", gone[len(gone)-1], int64(hubproto.MaxGeneration), state.Current))
	return state, nil
}

// Dir is the content store's folder.
func (s *Store) Dir() string { return s.dir }

func (s *Store) genDir(gen int64) string {
	return filepath.Join(s.dir, "generations", strconv.FormatInt(gen, 10))
}

// tidy removes staging leftovers and every generation that is neither current
// nor previous; with gc it also drops blobs no kept generation uses.
func (s *Store) tidy(state store.ContentState, gc bool) error {
	staging := filepath.Join(s.dir, "staging")
	if err := os.RemoveAll(staging); err != nil {
		return err
	}
	if err := os.Mkdir(staging, 0o750); err != nil {
		return err
	}
	entries, err := os.ReadDir(filepath.Join(s.dir, "generations"))
	if err != nil {
		return err
	}
	for _, e := range entries {
		gen, err := strconv.ParseInt(e.Name(), 10, 64)
		if err == nil && gen != 0 && (gen == state.Current || gen == state.Previous || unknown(gen, state.Highest)) {
			continue // above the highest: lost by the database, taken back at start (takeback.go)
		}
		if err := os.RemoveAll(filepath.Join(s.dir, "generations", e.Name())); err != nil {
			return err
		}
	}
	if gc {
		return s.gcBlobs(state)
	}
	return nil
}

// gcBlobs removes blobs that neither the current nor the previous generation
// uses. Partial transfers are kept for a resume.
func (s *Store) gcBlobs(state store.ContentState) error {
	keep := map[string]bool{}
	for _, gen := range []int64{state.Current, state.Previous} {
		if gen == 0 {
			continue
		}
		m, err := s.readManifest(gen)
		if err != nil {
			return nil // unsure what is in use: keep everything
		}
		for _, f := range m.Files {
			keep[f.SHA256] = true
		}
	}
	entries, err := os.ReadDir(filepath.Join(s.dir, "blobs"))
	if err != nil {
		return err
	}
	for _, e := range entries {
		if validHash(e.Name()) && !keep[e.Name()] {
			os.Remove(filepath.Join(s.dir, "blobs", e.Name()))
		}
	}
	return nil
}

func (s *Store) readManifest(gen int64) (*Manifest, error) {
	raw, err := os.ReadFile(filepath.Join(s.genDir(gen), manifestName))
	if err != nil {
		return nil, err
	}
	return ParseManifest(raw)
}

// State is the trusted content state.
func (s *Store) State(ctx context.Context) (store.ContentState, error) { return s.db.ContentState(ctx) }

// LoadCurrent loads the current generation; (nil, nil, nil) when the kiosk has
// none and shows the embedded starter. The manifest on disk must be the one the
// database trusted, its signature must verify again under the keys the kiosk
// pins now (Serve's keys: a pack put there by anything but Accept, or signed
// by a key since dropped from the config, is not served), and every file must
// have its manifest size; hashes were checked when the generation was applied.
func (s *Store) LoadCurrent(ctx context.Context) (*content.Pack, *Manifest, error) {
	state, err := s.db.ContentState(ctx)
	if err != nil || state.Current == 0 {
		return nil, nil, err
	}
	return s.loadGeneration(ctx, state.Current)
}

// loadGeneration loads an applied generation from disk, checked as
// LoadCurrent says.
func (s *Store) loadGeneration(ctx context.Context, gen int64) (*content.Pack, *Manifest, error) {
	m, err := s.verifyOnDisk(ctx, gen)
	if err != nil {
		return nil, nil, fmt.Errorf("generation %d: %w", gen, err)
	}
	files := filepath.Join(s.genDir(gen), "files")
	for _, f := range m.Files {
		info, err := os.Stat(filepath.Join(files, filepath.FromSlash(f.Path)))
		if err != nil {
			return nil, nil, fmt.Errorf("generation %d: %w", gen, err)
		}
		if info.Size() != f.Size {
			return nil, nil, fmt.Errorf("generation %d: %s is %d bytes, the manifest says %d", gen, f.Path, info.Size(), f.Size)
		}
	}
	p, err := loadTree(files, m)
	if err != nil {
		return nil, nil, fmt.Errorf("generation %d: %w", gen, err)
	}
	return p, m, nil
}

// verifyOnDisk checks generation gen's manifest and signature files: the
// manifest is the one the database trusted and a pinned key signed it.
func (s *Store) verifyOnDisk(ctx context.Context, gen int64) (*Manifest, error) {
	raw, err := os.ReadFile(filepath.Join(s.genDir(gen), manifestName))
	if err != nil {
		return nil, err
	}
	seen, ok, err := s.db.ContentGeneration(ctx, gen)
	if err != nil {
		return nil, err
	}
	if !ok || seen.Digest != Digest(raw) {
		return nil, errors.New("manifest on disk is not the one applied")
	}
	sig, err := os.ReadFile(filepath.Join(s.genDir(gen), signatureName))
	if err != nil {
		return nil, err
	}
	sm, err := Verify(raw, sig, s.keys)
	if err != nil {
		return nil, fmt.Errorf("its signature does not verify with the keys this kiosk pins (hub.province_keys): %w", err)
	}
	return sm.Manifest, nil
}
