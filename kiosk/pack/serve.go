package pack

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"log/slog"

	"tramso/kiosk/content"
	"tramso/kiosk/store"
)

// fallbackKey is the meta row that says why the kiosk shows the embedded
// starter although a pack was applied (empty: it does not).
const fallbackKey = "content.fallback"

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

// serveCurrent points the Live at the current generation or the starter.
func (s *Store) serveCurrent(ctx context.Context) error {
	p, _, err := s.LoadCurrent(ctx)
	if p != nil {
		s.live.Set(p, content.SourcePack)
		s.setFallback(ctx, "")
		return nil
	}
	reason := ""
	if err != nil {
		// The previous generation, when it is still whole on disk and
		// signed, is the province's content of yesterday: nearer than the
		// starter (outside QA: a lost folder showed the starter for good).
		if state, serr := s.db.ContentState(ctx); serr == nil && state.Previous != 0 {
			if prev, _, perr := s.loadGeneration(ctx, state.Previous); perr == nil {
				reason = fmt.Sprintf("the applied content pack does not load, showing the previous one (generation %d): %v", state.Previous, err)
				s.log.Error("content pack", "err", reason)
				s.live.Set(prev, content.SourcePack)
				s.setFallback(ctx, reason)
				return nil
			}
		}
		reason = fmt.Sprintf("the applied content pack does not load, showing the embedded starter: %v", err)
		s.log.Error("content pack", "err", reason)
	}
	starter, serr := content.Load(content.Starter())
	if serr != nil {
		return fmt.Errorf("embedded starter content: %w", serr)
	}
	s.live.Set(starter, content.SourceEmbedded)
	s.setFallback(ctx, reason)
	return nil
}

func (s *Store) setFallback(ctx context.Context, reason string) {
	if err := s.db.SetMeta(ctx, fallbackKey, reason); err != nil {
		s.log.Warn("record content fallback", "err", err)
	}
}

// Status is what staff mode shows about content.
type Status struct {
	Source     string                   `json:"source"` // "pack" or "embedded"
	Generation int64                    `json:"generation"`
	Title      string                   `json:"title"`
	Fallback   string                   `json:"fallback,omitempty"` // why the previous generation or the starter shows despite an applied pack
	State      store.ContentState       `json:"state"`
	Applied    *store.ContentGeneration `json:"applied,omitempty"` // the current generation's manifest
	Rejections []store.ContentRejection `json:"rejections"`        // newest first
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
	if s.State.Current != 0 {
		g, ok, err := st.ContentGeneration(ctx, s.State.Current)
		if err != nil {
			return s, err
		}
		if ok {
			s.Applied = &g
		}
	}
	// The pack's own name, when its manifest has one, tells it from the
	// packs before it; pack.yaml's title names the content, the same in each.
	if a := s.Applied; a != nil && s.Source == content.SourcePack && a.Generation == s.Generation && a.Title != "" {
		s.Title = a.Title
	}
	if s.Rejections, err = st.RecentContentRejections(ctx, 20); err != nil {
		return s, err
	}
	if s.Rejections == nil {
		s.Rejections = []store.ContentRejection{}
	}
	return s, nil
}

// Status is StaffStatus for this store's kiosk.
func (s *Store) Status(ctx context.Context) (Status, error) {
	live := s.live
	if live == nil {
		live = &content.Live{}
	}
	return StaffStatus(ctx, s.db, live)
}
