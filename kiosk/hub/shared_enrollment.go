package hub

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// One enrollment on two machines (a cloned disk, a backup restored onto a
// second machine) makes each machine's connection replace the other's
// (serveWS), again and again, while both look fine (outside QA Q10). A
// kiosk whose link dropped may replace its own dead connection now and
// then; replacedLimit replacements within replacedWindow are taken for two
// machines, and noted — in the log and in the device's history, which its
// console page shows — at most once per sharedNoteEvery. The kiosks see it
// too (update.ConnectDuplicate).
const (
	replacedLimit   = 3
	replacedWindow  = 10 * time.Minute
	sharedNoteEvery = 24 * time.Hour
)

// sharedEnrollments counts, per device, the connections replaced lately.
type sharedEnrollments struct {
	mu sync.Mutex
	m  map[string]*replacements
}

type replacements struct {
	at    []time.Time // within replacedWindow
	noted time.Time   // when the device was last noted as shared
}

// replaced records that a connection of device id replaced another at now,
// and reports whether the device is to be noted as shared now.
func (s *sharedEnrollments) replaced(id string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]*replacements{}
	}
	r := s.m[id]
	if r == nil {
		r = &replacements{}
		s.m[id] = r
	}
	r.at = append(slices.DeleteFunc(r.at, func(t time.Time) bool { return now.Sub(t) > replacedWindow }), now)
	if len(r.at) < replacedLimit || (!r.noted.IsZero() && now.Sub(r.noted) < sharedNoteEvery) {
		return false
	}
	r.noted = now
	return true
}

// noteReplaced is serveWS's: the connection from addr replaced the device's
// connection from oldAddr.
func (h *Hub) noteReplaced(ctx context.Context, d Device, oldAddr, addr string) {
	if !h.shared.replaced(d.ID, h.now()) {
		return
	}
	h.log.Error("two machines use one kiosk's enrollment (a cloned disk or a restored backup): each one's connection replaces the other's; "+
		"enroll one of them with its own code", "device", d.ID, "name", d.Name, "addresses", oldAddr+", "+addr,
		"replaced", replacedLimit, "within", replacedWindow)
	detail := fmt.Sprintf("Kết nối của kiosk bị thay %d lần trong %d phút: hai máy đang dùng chung một đăng ký "+
		"(ổ đĩa sao chép hoặc bản sao lưu chép sang máy khác), từ các địa chỉ %s và %s. "+
		"Tạo mã đăng ký mới và đăng ký lại một trong hai máy.", replacedLimit, int(replacedWindow/time.Minute), oldAddr, addr)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := h.deviceEvent(ctx, h.DB, d.ID, "shared", detail, ""); err != nil {
		h.log.Warn("note a shared enrollment in the device's history", "device", d.ID, "err", err)
	}
}
