package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// SoundOff is why the kiosk runs silent, kept across restarts: a kiosk
// restarted by systemd after its page froze on a hung speaker must not play
// into it again. The zero value means sound is on.
type SoundOff struct {
	Since  time.Time `json:"since"`
	Reason string    `json:"reason"`
}

const soundKey = "sound_off"

// LoadSoundOff reads the kiosk's sound state; a value it cannot read counts as
// sound on, with the error, so that a damaged row never silences a kiosk.
func (s *Store) LoadSoundOff(ctx context.Context) (SoundOff, error) {
	v, err := s.Meta(ctx, soundKey)
	if err != nil || v == "" {
		return SoundOff{}, err
	}
	var off SoundOff
	if err := json.Unmarshal([]byte(v), &off); err != nil {
		return SoundOff{}, fmt.Errorf("the stored sound state %q: %w", v, err)
	}
	return off, nil
}

// SaveSoundOff stores the sound state; the zero SoundOff turns sound on.
func (s *Store) SaveSoundOff(ctx context.Context, off SoundOff) error {
	if off.Reason == "" {
		_, err := s.DB.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, soundKey)
		return err
	}
	b, err := json.Marshal(off)
	if err != nil {
		return err
	}
	return s.SetMeta(ctx, soundKey, string(b))
}
