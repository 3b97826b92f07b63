package content

import "sync/atomic"

// Source says where the content being shown came from.
const (
	SourceEmbedded = "embedded"
	SourcePack     = "pack"
)

// Loaded is a pack together with where it came from.
type Loaded struct {
	Pack   *Pack
	Source string
}

// Live holds the content being served. An update swaps it in one step, so a
// request sees either the old pack or the new one, never a mixture.
type Live struct{ p atomic.Pointer[Loaded] }

// NewLive starts serving pack.
func NewLive(pack *Pack, source string) *Live {
	l := &Live{}
	l.Set(pack, source)
	return l
}

// Get returns the content being served now.
func (l *Live) Get() *Loaded { return l.p.Load() }

// Set switches to pack.
func (l *Live) Set(pack *Pack, source string) { l.p.Store(&Loaded{Pack: pack, Source: source}) }
