package usage

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sync"
	"time"
)

// sessions are the sessions the kiosk has issued and not yet ended. Only an
// open session may report events; once ended its id is never accepted again,
// and a new id is drawn at random (64 bits) and checked against the open ones.
type sessions struct {
	mu   sync.Mutex
	open map[int64]*openSession
	max  int // a kiosk has one resident at a time; this only bounds misuse
}

type openSession struct{ start, last time.Time }

// endedSession is a session to record as ended, with its length.
type endedSession struct {
	id  int64
	dur time.Duration
}

func newSessions(max int) *sessions {
	return &sessions{open: map[int64]*openSession{}, max: max}
}

// start opens a new session. If too many are open, the least recently active
// is ended to make room and returned so that its end is recorded.
func (s *sessions) start(now time.Time) (int64, []endedSession) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var evicted []endedSession
	if len(s.open) >= s.max {
		var oldest int64
		var at time.Time
		for id, o := range s.open {
			if at.IsZero() || o.last.Before(at) {
				oldest, at = id, o.last
			}
		}
		evicted = append(evicted, s.endLocked(oldest, s.open[oldest].last))
	}
	for {
		id := randomID()
		if _, taken := s.open[id]; !taken {
			s.open[id] = &openSession{start: now, last: now}
			return id, evicted
		}
	}
}

// touch marks activity and reports whether the session is open.
func (s *sessions) touch(id int64, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.open[id]
	if ok && now.After(o.last) {
		o.last = now
	}
	return ok
}

// touchAll marks every open session active now.
func (s *sessions) touchAll(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.open {
		if now.After(o.last) {
			o.last = now
		}
	}
}

func (s *sessions) isOpen(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.open[id]
	return ok
}

// end closes a session now and returns its length.
func (s *sessions) end(id int64, now time.Time) (endedSession, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.open[id]; !ok {
		return endedSession{}, false
	}
	return s.endLocked(id, now), true
}

func (s *sessions) endLocked(id int64, at time.Time) endedSession {
	o := s.open[id]
	delete(s.open, id)
	return endedSession{id: id, dur: max(at.Sub(o.start), 0)}
}

// expire ends the sessions quiet for longer than timeout: the resident left
// without the UI saying so (power cut of the screen, a crashed tab). Their
// length runs to their last activity.
func (s *sessions) expire(now time.Time, timeout time.Duration) []endedSession {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []endedSession
	for id, o := range s.open {
		if now.Sub(o.last) > timeout {
			out = append(out, s.endLocked(id, o.last))
		}
	}
	return out
}

// endAll ends every open session at its last activity (shutdown).
func (s *sessions) endAll() []endedSession {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []endedSession
	for id, o := range s.open {
		out = append(out, s.endLocked(id, o.last))
	}
	return out
}

func randomID() int64 {
	var b [8]byte
	for {
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on Linux
		if id := int64(binary.BigEndian.Uint64(b[:])); id != 0 {
			return id
		}
	}
}

// formatSession is the id as the UI holds it: 16 lowercase hex digits.
func formatSession(id int64) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(id))
	return hex.EncodeToString(b[:])
}

// parseSession accepts exactly what formatSession produces.
func parseSession(s string) (int64, bool) {
	if len(s) != 16 {
		return 0, false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return 0, false
		}
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return 0, false
	}
	return int64(binary.BigEndian.Uint64(b)), true
}
