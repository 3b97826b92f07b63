package update_test

import (
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"tramso/kiosk/hub"
	"tramso/kiosk/store"
	"tramso/kiosk/testlog"
	"tramso/kiosk/update"
)

// soundState is a kiosk's sound as the test sets it.
type soundState struct {
	mu  sync.Mutex
	off store.SoundOff
}

func (s *soundState) get() store.SoundOff { s.mu.Lock(); defer s.mu.Unlock(); return s.off }
func (s *soundState) set(off store.SoundOff) {
	s.mu.Lock()
	s.off = off
	s.mu.Unlock()
}

// The hub hears the kiosk's sound when it connects and when it changes.
func TestHubHearsTheKiosksSound(t *testing.T) {
	key := newKey(t)
	h := startHub(t, key, nil)
	since := time.Date(2026, 12, 5, 3, 42, 7, 0, time.UTC)
	snd := &soundState{off: store.SoundOff{Since: since, Reason: "froze"}} // silent before it connects
	k := startKiosk(t, h, func(o *update.Options) { o.Sound = snd.get })
	eventually(t, "the hub knows the kiosk is silent", func() bool {
		d := h.Device(t, k.id)
		return d.SoundOff == "froze" && d.SoundSince == "2026-12-05T03:42:07Z"
	})
	snd.set(store.SoundOff{})
	k.client.SoundChanged()
	eventually(t, "the hub knows the kiosk plays again", func() bool { return h.Device(t, k.id).SoundOff == "" })
	snd.set(store.SoundOff{Since: since.Add(time.Hour), Reason: "staff"})
	k.client.SoundChanged()
	eventually(t, "the hub knows staff turned sound off", func() bool { return h.Device(t, k.id).SoundOff == "staff" })
}

// A hub that predates the sound state answers 404: the kiosk says so once
// and goes on taking content from it.
func TestOlderHubWithoutSound(t *testing.T) {
	key := newKey(t)
	h := startHub(t, key, withoutRoute("/api/device/sound"))
	var log testlog.Buffer
	snd := &soundState{off: store.SoundOff{Since: time.Now(), Reason: "froze"}}
	k := startKiosk(t, h, func(o *update.Options) {
		o.Sound = snd.get
		o.Log = slog.New(slog.NewTextHandler(&log, nil))
	})
	eventually(t, "the kiosk notes the older hub", func() bool { return strings.Contains(log.String(), "does not take the sound state") })
	k.client.SoundChanged() // not sent again on this connection
	h.publish(t, buildPack(t, key, 7, nil), hub.StageEveryone)
	eventually(t, "the kiosk takes content from the older hub", func() bool { return k.generation() == 7 })
	if n := strings.Count(log.String(), "does not take the sound state"); n != 1 {
		t.Errorf("said %d times, want once:\n%s", n, log.String())
	}
	if strings.Contains(log.String(), "level=ERROR") {
		t.Errorf("errors logged against an older hub:\n%s", log.String())
	}
}
