package pack

import (
	"context"
	"crypto/ed25519"
	"io"
	"log/slog"
	"path/filepath"

	"tramso/kiosk/content"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/store"
)

// Inspection is what a kiosk would show from its content store with some
// keys pinned, as Serve would decide it.
type Inspection struct {
	Current int64 // the applied generation (0: none, the starter shows)
	// Problem is why Current does not load (nil: it does); Untrusted says
	// that no pinned key signed it (Store.Untrusted), Unreadable that this
	// release's content rules refuse it, whole and signed (Store.Unreadable).
	Problem    error
	Untrusted  bool
	Unreadable bool
	// Shown is what residents see: Current, the previous generation, or
	// hubproto.MinGeneration, the embedded starter.
	Shown int64
	// Pack is the content Shown holds; nil for the starter.
	Pack *content.Pack
}

// Inspect says, reading only, what the kiosk whose store is st shows with
// keys pinned, and why when it is not the current generation: for tramso
// doctor, which must not change the data it looks at. Every file of a
// previous generation is read (Serve checks its hashes before it shows it).
func Inspect(ctx context.Context, st *store.Store, keys []ed25519.PublicKey) (Inspection, error) {
	s := &Store{db: st, dir: filepath.Join(st.Dir, "content"), log: slog.New(slog.NewTextHandler(io.Discard, nil)), keys: keys}
	state, err := st.ContentState(ctx)
	if err != nil {
		return Inspection{}, err
	}
	in := Inspection{Current: state.Current, Shown: state.Current}
	if state.Current == 0 {
		in.Shown = hubproto.MinGeneration
		return in, nil
	}
	p, _, err := s.loadGeneration(ctx, state.Current)
	if err == nil {
		in.Pack = p
		return in, nil
	}
	kind := s.brokenBecause(state.Current, err)
	in.Problem, in.Shown = err, hubproto.MinGeneration
	in.Untrusted, in.Unreadable = kind == FallbackUntrusted, kind == FallbackUnreadable
	if state.Previous != 0 {
		if p, err := s.loadWhole(ctx, state.Previous); err == nil {
			in.Shown, in.Pack = state.Previous, p
		}
	}
	return in, nil
}

// untrusted says whether err, a generation's failure to load, is that no
// pinned key signed it: not damage, which fetching it again mends.
func untrusted(err error) bool {
	r, ok := AsRejection(err)
	return ok && r.Kind == KindUnknownKey
}
