package pack

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"tramso/kiosk/hubproto"
)

// A generation folder above the highest generation the database knows is
// content the database lost: a damaged database set aside and started anew
// (kiosk/store), an empty one, or a write-ahead log lost with a power cut,
// which takes the database back to before the last switch (outside QA: the
// kiosk then showed the older content, or the starter, and deleted the
// newer folder). Such folders are kept (tidy) and taken back at start, through
// the same checks as any pack: a pinned key's signature, newer than every
// generation applied, every file's size and hash.

// takeBack applies the newest such generation that passes, and drops those
// refused. Called with mu held, before the current generation is served.
func (s *Store) takeBack(ctx context.Context) {
	state, err := s.db.ContentState(ctx)
	if err != nil {
		return
	}
	for _, gen := range s.unknownGenerations(state.Highest) {
		err := s.takeBackOne(ctx, gen)
		if err == nil {
			s.log.Error("content the database did not know was found on disk and taken back after its checks: "+
				"the database was lost, damaged or set back (see the log above)", "generation", gen, "database_knew", state.Highest)
			return
		}
		s.log.Warn("content found on disk could not be taken back", "generation", gen, "err", err)
		if _, refused := AsRejection(err); refused {
			os.RemoveAll(s.genDir(gen))
		}
	}
}

func (s *Store) takeBackOne(ctx context.Context, gen int64) error {
	dir := s.genDir(gen)
	raw, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		return err
	}
	sig, err := os.ReadFile(filepath.Join(dir, signatureName))
	if err != nil {
		return err
	}
	sm, err := s.AcceptAs(ctx, gen, raw, sig, s.keys, "store")
	if err != nil {
		return err
	}
	if sm.Manifest.Generation != gen {
		return reject(KindBadManifest, gen, "the folder of generation %d holds the manifest of generation %d", gen, sm.Manifest.Generation)
	}
	// The folder's files are hard links to the blobs, or copies: a blob
	// cleaned away since is found again there (apply checks every hash).
	for _, f := range sm.Manifest.Files {
		if !s.HasBlob(f) {
			os.Link(filepath.Join(dir, "files", filepath.FromSlash(f.Path)), s.blobPath(f.SHA256))
		}
	}
	_, err = s.applyLocked(ctx, sm, "store")
	return err
}

// unknown reports whether a generation folder may be content the database
// lost: above the highest it knows, within the range any pack may have.
func unknown(gen, highest int64) bool { return gen > highest && gen <= hubproto.MaxGeneration }

// unknownGenerations lists the generation folders above highest, newest first.
func (s *Store) unknownGenerations(highest int64) []int64 {
	entries, _ := os.ReadDir(filepath.Join(s.dir, "generations"))
	var gens []int64
	for _, e := range entries {
		if gen, err := strconv.ParseInt(e.Name(), 10, 64); err == nil && unknown(gen, highest) {
			gens = append(gens, gen)
		}
	}
	slices.Sort(gens)
	slices.Reverse(gens)
	return gens
}
