// Package sound decides whether the kiosk makes sound.
//
// A sound device that stops taking sound (a speaker that hangs, a USB sound
// card gone wrong) freezes the page that plays into it: WebKit waits for the
// device on the page's own thread (app/pagelife.go). The window ends the
// frozen page and loads it again, but the next "Nghe" would freeze it again,
// and a second freeze within a minute gets the whole kiosk restarted by
// systemd, which then plays into the same speaker. So a page that froze while
// a line was playing turns the kiosk's sound off, across restarts, until staff
// turn it back on from the staff panel: a silent kiosk still serves everyone
// who reads, and staff see why it is silent.
package sound

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/store"
)

// Why the sound is off.
const (
	ReasonFroze = hubproto.SoundFroze // the page froze while a line was playing
	ReasonStaff = hubproto.SoundStaff // staff turned it off in the staff panel
)

// Switch is the kiosk's sound: on, or off since a moment for a reason.
type Switch struct {
	store *store.Store
	log   *slog.Logger

	mu      sync.Mutex
	off     store.SoundOff
	playing bool   // the page's last heartbeat said a line was playing
	changed func() // told after each change (the hub hears of it)
}

// OnChange has fn called after each change of the sound state. Call it
// before the kiosk runs.
func (s *Switch) OnChange(fn func()) { s.changed = fn }

func (s *Switch) tell() {
	if s.changed != nil {
		s.changed()
	}
}

// Open reads the sound state the kiosk left. One it cannot read is logged and
// taken as on: a damaged row must not silence the kiosk unseen.
func Open(ctx context.Context, st *store.Store, log *slog.Logger) *Switch {
	s := &Switch{store: st, log: log}
	off, err := st.LoadSoundOff(ctx)
	if err != nil {
		log.Error("sound state unreadable; sound stays on", "err", err)
	}
	s.off = off
	if off.Reason != "" {
		log.Warn("the kiosk is silent: its page froze while a line was playing, or staff turned sound off; staff can turn it back on in the staff panel",
			"reason", off.Reason, "since", off.Since.Format(time.RFC3339))
	}
	return s
}

// State is the sound now: the zero value when it is on.
func (s *Switch) State() store.SoundOff {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.off
}

// Heard notes what the page's heartbeat said: whether a line was playing.
func (s *Switch) Heard(playing bool) {
	s.mu.Lock()
	s.playing = playing
	s.mu.Unlock()
}

// Froze is told that the page stopped answering. If its last heartbeat said a
// line was playing, the sound device is the likely cause: sound goes off, so
// that the page loaded again does not freeze on it too. It reports whether it
// turned sound off. Sound stays off for this run even if the disk cannot keep
// it (logged): the kiosk must not freeze again meanwhile.
func (s *Switch) Froze(ctx context.Context, now time.Time) bool {
	s.mu.Lock()
	if !s.playing || s.off.Reason != "" {
		s.mu.Unlock()
		return false
	}
	s.playing = false
	s.off = store.SoundOff{Since: now.UTC().Truncate(time.Second), Reason: ReasonFroze}
	s.log.Error("the page froze while a line was playing: the sound device may be hung or unplugged; the kiosk runs silent until staff turn sound back on")
	if err := s.store.SaveSoundOff(ctx, s.off); err != nil {
		s.log.Error("sound off not saved: after a restart the kiosk plays again", "err", err)
	}
	s.mu.Unlock()
	s.tell()
	return true
}

// Set turns sound on or off (staff). The state changes only once it is saved,
// so what staff see is what the kiosk comes back with after a restart.
func (s *Switch) Set(ctx context.Context, on bool, now time.Time) (store.SoundOff, error) {
	off, changed, err := s.set(ctx, on, now)
	if changed {
		s.tell()
	}
	return off, err
}

func (s *Switch) set(ctx context.Context, on bool, now time.Time) (store.SoundOff, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := store.SoundOff{}
	switch {
	case on:
	case s.off.Reason != "":
		next = s.off // already off: keep why and since when
	default:
		next = store.SoundOff{Since: now.UTC().Truncate(time.Second), Reason: ReasonStaff}
	}
	if err := s.store.SaveSoundOff(ctx, next); err != nil {
		return s.off, false, err
	}
	changed := next != s.off
	s.off = next
	return s.off, changed, nil
}
