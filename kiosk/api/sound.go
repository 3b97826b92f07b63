package api

// The kiosk's sound, for staff (kiosk/sound). A page that froze while a line
// was playing turns it off; staff see when and why, and turn it back on once
// the speaker is seen to.
//
//	GET  /api/staff/sound  (staff) → {on, reason, since}
//	POST /api/staff/sound  (staff) {on} → the same, once saved | 409 read_only (the disk takes no writes)

import (
	"net/http"
	"time"

	"tramso/kiosk/httpjson"
	"tramso/kiosk/store"
)

type soundAnswer struct {
	On bool `json:"on"`
	// Reason is why it is off: "froze" (the page froze while a line was
	// playing) or "staff"; "" when on.
	Reason string `json:"reason"`
	// Since is when it went off (RFC 3339, UTC); "" when on.
	Since string `json:"since"`
}

type soundRequest struct {
	On bool `json:"on"`
}

func (s *Server) soundRoutes() {
	s.handle("GET /api/staff/sound", s.requireStaff(s.staffSound))
	s.handle("POST /api/staff/sound", s.requireStaff(s.staffSetSound))
}

func (s *Server) soundOff() bool { return s.Sound.State().Reason != "" }

func (s *Server) staffSound(w http.ResponseWriter, r *http.Request) {
	httpjson.Write(w, http.StatusOK, soundAnswerOf(s.Sound.State()))
}

func (s *Server) staffSetSound(w http.ResponseWriter, r *http.Request) {
	var req soundRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	// The switch changes only once saved (sound.Switch.Set), and a
	// read-only disk saves nothing: say so, rather than fail as the kiosk's fault.
	if s.Store.ReadOnly {
		httpjson.Error(w, http.StatusConflict, codeReadOnly, "the sound setting cannot be saved: the kiosk's disk is read-only")
		return
	}
	off, err := s.Sound.Set(r.Context(), req.On, time.Now())
	if err != nil {
		httpjson.Error(w, http.StatusInternalServerError, codeInternal, "the sound setting could not be saved: "+err.Error())
		return
	}
	if req.On {
		s.staffLog(r, "turned sound on")
	} else {
		s.staffLog(r, "turned sound off")
	}
	httpjson.Write(w, http.StatusOK, soundAnswerOf(off))
}

func soundAnswerOf(off store.SoundOff) soundAnswer {
	if off.Reason == "" {
		return soundAnswer{On: true}
	}
	return soundAnswer{Reason: off.Reason, Since: off.Since.UTC().Format(time.RFC3339)}
}
