package api

import (
	"net/http"
	"time"

	"tramso/kiosk/httpjson"
	"tramso/kiosk/pack"
)

// contentRoutes registers staff mode's content endpoint:
//
//	GET /api/staff/content (staff) {source, generation, made_at?, title, fallback?, state, applied?, rejections}
//
// — which content is shown and why, the trusted state (current, previous,
// highest generation) and the latest refused packs with their reasons.
func (s *Server) contentRoutes() {
	s.handle("GET /api/staff/content", s.requireStaff(s.staffContent))
}

// staffContentAnswer is the content's status with when it was made.
type staffContentAnswer struct {
	pack.Status
	// MadeAt is when the content shown was made: a generation is the unix
	// time of its build, which staff read as a date, not as 1796656473
	// (outside QA s27). Absent for a generation numbered by hand
	// (pack.BuiltAt), which stands for no time.
	MadeAt *time.Time `json:"made_at,omitempty"`
}

func (s *Server) staffContent(w http.ResponseWriter, r *http.Request) {
	st, err := pack.StaffStatus(r.Context(), s.Store, s.Content)
	if err != nil {
		httpjson.Error(w, http.StatusInternalServerError, codeInternal, err.Error())
		return
	}
	httpjson.Write(w, http.StatusOK, staffContentAnswer{Status: st, MadeAt: madeAt(st.Generation)})
}

// madeAt is when generation gen was made, nil when it stands for no time.
func madeAt(gen int64) *time.Time {
	if at, ok := pack.BuiltAt(time.Unix(gen, 0).UTC()); ok && gen > 0 {
		return &at
	}
	return nil
}
