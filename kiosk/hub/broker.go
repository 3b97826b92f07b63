package hub

import (
	"context"
	"sync"
)

// Event kinds.
const (
	EventRollout = "rollout" // a pack was published or a rollout changed: recompute targets
	EventRevoked = "revoked" // DeviceID was revoked: close its connection
	EventWave    = "wave"    // DeviceID's wave changed: its connection's targets change
)

// Event is what hubs tell each other.
type Event struct {
	Kind     string `json:"kind"`
	DeviceID string `json:"device_id,omitempty"`
}

// Broker fans events out to every hub process, the publisher's own
// included. One hub uses LocalBroker; hubs sharing a PostgreSQL database use
// PGBroker (LISTEN/NOTIFY); NATS would fit behind the same two methods.
type Broker interface {
	Publish(ctx context.Context, ev Event) error
	// Subscribe returns a channel of events that closes when ctx ends.
	Subscribe(ctx context.Context) <-chan Event
}

// LocalBroker delivers events within one process.
type LocalBroker struct {
	mu   sync.Mutex
	subs map[chan Event]struct{}
}

// NewLocalBroker returns an in-process broker.
func NewLocalBroker() *LocalBroker { return &LocalBroker{subs: map[chan Event]struct{}{}} }

// Publish implements Broker. A subscriber that is behind loses the event
// rather than blocking the publisher; the hub's database watch catches up.
func (b *LocalBroker) Publish(_ context.Context, ev Event) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		select {
		case ch <- ev:
		default:
		}
	}
	return nil
}

// Subscribe implements Broker.
func (b *LocalBroker) Subscribe(ctx context.Context) <-chan Event {
	ch := make(chan Event, 64)
	b.mu.Lock()
	b.subs[ch] = struct{}{}
	b.mu.Unlock()
	go func() {
		<-ctx.Done()
		b.mu.Lock()
		delete(b.subs, ch)
		close(ch)
		b.mu.Unlock()
	}()
	return ch
}
