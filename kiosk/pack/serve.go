package pack

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/store"
)

// fallbackKey is the meta row that says why the kiosk shows the embedded
// starter although a pack was applied (empty: it does not).
const fallbackKey = "content.fallback"

// fallbackKindKey is the meta row beside it naming the kind of cause:
// FallbackUntrusted, FallbackUnreadable, or "".
const fallbackKindKey = "content.fallback_kind"

// Status.FallbackKind: why the applied pack does not show, when fetching it
// again cannot mend it. "" is lost or damaged files, which it can.
const (
	// FallbackUntrusted: no key the kiosk pins signed the applied pack (a
	// key rotation dropped its key).
	FallbackUntrusted = "untrusted"
	// FallbackUnreadable: the applied pack is whole and signed, but this
	// release's content rules refuse it (built for an earlier release).
	FallbackUnreadable = "unreadable"
)

// Serve loads what the kiosk should show: the current applied generation
// (source "pack"), or the embedded starter (source "embedded") when there is
// none, it fails to load or its signature does not verify under keys (the
// kiosk's pinned province keys) — the reason is logged and kept for staff
// mode. Apply and Rollback switch the returned Live. It fails only when the
// embedded starter itself is broken, a build defect.
func (s *Store) Serve(ctx context.Context, log *slog.Logger, keys []ed25519.PublicKey) (*content.Live, error) {
	if log != nil {
		s.log = log
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = keys
	s.live = &content.Live{}
	s.takeBack(ctx)
	if err := s.serveCurrent(ctx); err != nil {
		return nil, err
	}
	got := s.live.Get()
	s.log.Info("content loaded", "source", got.Source, "generation", got.Pack.Meta.Generation,
		"tutorials", len(got.Pack.Tutorials), "procedures", len(got.Pack.Procedures))
	return s.live, nil
}

// Pin sets the keys the current generation must verify under when it is
// loaded (Serve sets them too): the kiosk's pinned province keys.
func (s *Store) Pin(keys []ed25519.PublicKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = keys
}

// serveCurrent points the Live at the current generation or, when it does
// not load, at the previous one or the starter; the current one is then
// Broken, for the update client to repair.
func (s *Store) serveCurrent(ctx context.Context) error {
	p, _, err := s.LoadCurrent(ctx)
	if p != nil {
		// The state first: whoever sees the content served sees it whole.
		s.setFallback(ctx, "", nil)
		s.setBroken(0, nil)
		s.live.Set(p, content.SourcePack)
		return nil
	}
	if err == nil { // no pack applied: the starter, and nothing to repair
		s.setBroken(0, nil)
		return s.serveStarter(ctx, "", nil)
	}
	state, serr := s.db.ContentState(ctx)
	if serr == nil {
		s.setBroken(state.Current, err)
	}
	// The previous generation, when it is still whole on disk and signed, is
	// the province's content of yesterday: nearer than the starter (outside
	// QA: a lost folder showed the starter for good). Whatever broke the
	// current one may have touched it too, so every hash is checked.
	if serr == nil && state.Previous != 0 {
		if prev, perr := s.loadWhole(ctx, state.Previous); perr == nil {
			reason := fmt.Sprintf("the applied content pack does not load, showing the previous one (generation %d): %v", state.Previous, err)
			s.log.Error("content pack", "err", reason)
			s.live.Set(prev, content.SourcePack)
			s.setFallback(ctx, reason, err)
			return nil
		}
	}
	reason := fmt.Sprintf("the applied content pack does not load, showing the embedded starter: %v", err)
	s.log.Error("content pack", "err", reason)
	return s.serveStarter(ctx, reason, err)
}

// serveStarter serves the embedded starter, reason saying why when a pack
// was applied (cause: the applied pack's failure to load).
func (s *Store) serveStarter(ctx context.Context, reason string, cause error) error {
	starter, err := content.Load(content.Starter())
	if err != nil {
		return fmt.Errorf("embedded starter content: %w", err)
	}
	s.live.Set(starter, content.SourceEmbedded)
	s.setFallback(ctx, reason, cause)
	return nil
}

// loadWhole loads generation gen with every file's hash checked.
func (s *Store) loadWhole(ctx context.Context, gen int64) (*content.Pack, error) {
	p, m, err := s.loadGeneration(ctx, gen)
	if err != nil {
		return nil, err
	}
	if bad := s.damagedFiles(gen, m); len(bad) > 0 {
		return nil, fmt.Errorf("generation %d: %s is damaged on disk", gen, bad[0].Path)
	}
	return p, nil
}

// setFallback records why the applied pack is not what shows (reason ""
// and cause nil: it is), and the kind of the cause setBroken found
// (FallbackUntrusted, FallbackUnreadable), which staff are told apart:
// fetching the pack again cannot mend those.
func (s *Store) setFallback(ctx context.Context, reason string, cause error) {
	if s.db.ReadOnly {
		return // nowhere to keep it; the log says why at start
	}
	kind := ""
	if cause != nil {
		kind = s.BrokenKind()
	}
	for key, value := range map[string]string{fallbackKey: reason, fallbackKindKey: kind} {
		if err := s.db.SetMeta(ctx, key, value); err != nil {
			s.log.Warn("record content fallback", "err", err)
		}
	}
}

// Status is what staff mode shows about content.
type Status struct {
	Source     string `json:"source"` // "pack" or "embedded"
	Generation int64  `json:"generation"`
	Title      string `json:"title"`
	Fallback   string `json:"fallback,omitempty"` // why the previous generation or the starter shows despite an applied pack
	// FallbackKind is FallbackUntrusted when the applied pack does not show
	// because no key the kiosk pins signed it, FallbackUnreadable when this
	// release's content rules refuse it; "" for lost or damaged files.
	FallbackKind string                   `json:"fallback_kind,omitempty"`
	State        store.ContentState       `json:"state"`
	Applied      *store.ContentGeneration `json:"applied,omitempty"` // the current generation's manifest
	Rejections   []StaffRejection         `json:"rejections"`        // newest first
}

// StaffRejection is a refused pack as staff see it.
type StaffRejection struct {
	store.ContentRejection
	// InstalledLater: the kiosk applied this generation after refusing it
	// (a transfer the hub corrupted, then a good one; a full disk, then
	// room). Staff read the refusal as settled, not as a bad version
	// (outside QA s25, finding 5); it stays listed for the technician.
	InstalledLater bool `json:"installed_later,omitempty"`
	// DiskFull: not applied for want of disk space (KindNotApplied);
	// FreeMB, when known, is how many megabytes to free before it fits.
	DiskFull bool  `json:"disk_full,omitempty"`
	FreeMB   int64 `json:"free_mb,omitempty"`
	// NoKeyPinned: refused unknown_key because the kiosk pinned no province
	// key at all (NoKeyDetail): the technician had not set it up yet, which
	// is no sign of tampering (outside QA s26, finding 4). InstalledLater is
	// then set once this generation or a later one was installed after it:
	// the key is pinned now.
	NoKeyPinned bool `json:"no_key_pinned,omitempty"`
}

// StaffStatus gathers the content state for staff mode (GET /api/staff/content)
// and the hub: what is shown, the trusted state and the latest refusals.
func StaffStatus(ctx context.Context, st *store.Store, live *content.Live) (Status, error) {
	var s Status
	if cur := live.Get(); cur != nil {
		s.Source, s.Generation, s.Title = cur.Source, cur.Pack.Meta.Generation, cur.Pack.Meta.Title
	}
	var err error
	if s.State, err = st.ContentState(ctx); err != nil {
		return s, err
	}
	if s.Fallback, err = st.Meta(ctx, fallbackKey); err != nil {
		return s, err
	}
	if s.FallbackKind, err = st.Meta(ctx, fallbackKindKey); err != nil {
		return s, err
	}
	if s.State.Current != 0 {
		g, ok, err := st.ContentGeneration(ctx, s.State.Current)
		if err != nil {
			return s, err
		}
		if ok {
			// A row an earlier release recorded keeps a hand-numbered
			// generation's 1970 "created": no build time, as builtText says.
			if at, err := time.Parse(time.RFC3339, g.Created); err == nil {
				g.Created = builtText(at)
			}
			s.Applied = &g
		}
	}
	s.Rejections, err = staffRejections(ctx, st)
	return s, err
}

// staffRejections are the latest refusals, each marked when its generation
// was applied after it.
func staffRejections(ctx context.Context, st *store.Store) ([]StaffRejection, error) {
	rs, err := st.RecentContentRejections(ctx, 20)
	if err != nil {
		return nil, err
	}
	out := make([]StaffRejection, len(rs))
	applied := map[int64]string{} // generation → when it was applied ("" never)
	appliedAt := func(gen int64) (string, error) {
		at, ok := applied[gen]
		if !ok {
			g, _, err := st.ContentGeneration(ctx, gen)
			if err != nil {
				return "", err
			}
			at, applied[gen] = g.AppliedAt, g.AppliedAt
		}
		return at, nil
	}
	for i, r := range rs {
		out[i] = StaffRejection{ContentRejection: r,
			DiskFull:    r.Kind == string(KindNotApplied) && strings.HasPrefix(r.Detail, diskFullDetail),
			NoKeyPinned: r.Kind == string(KindUnknownKey) && r.Detail == NoKeyDetail}
		if out[i].DiskFull {
			out[i].FreeMB = freeMoreMB(r.Detail)
		}
		gen := r.Generation
		if out[i].NoKeyPinned {
			// Generations are applied in rising order: the highest was
			// applied last, so one at least as new came after the refusal
			// exactly when the highest did.
			state, err := st.ContentState(ctx)
			if err != nil {
				return nil, err
			}
			if state.Highest < gen {
				continue
			}
			gen = state.Highest
		}
		if gen <= 0 {
			continue
		}
		at, err := appliedAt(gen)
		if err != nil {
			return nil, err
		}
		// Both are RFC 3339 in UTC to the second: text order is time order.
		// A refusal in the same second as the apply came after it (a replay).
		out[i].InstalledLater = at != "" && at > r.At
	}
	return out, nil
}

// Status is StaffStatus for this store's kiosk.
func (s *Store) Status(ctx context.Context) (Status, error) {
	live := s.live
	if live == nil {
		live = &content.Live{}
	}
	return StaffStatus(ctx, s.db, live)
}
