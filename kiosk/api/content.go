package api

import (
	"net/http"

	"tramso/kiosk/httpjson"
	"tramso/kiosk/pack"
)

// contentRoutes registers staff mode's content endpoint:
//
//	GET /api/staff/content (staff) {source, generation, title, fallback?, state, applied?, rejections}
//
// — which content is shown and why, the trusted state (current, previous,
// highest generation) and the latest refused packs with their reasons.
func (s *Server) contentRoutes() {
	s.handle("GET /api/staff/content", s.requireStaff(s.staffContent))
}

func (s *Server) staffContent(w http.ResponseWriter, r *http.Request) {
	st, err := pack.StaffStatus(r.Context(), s.Store, s.Content)
	if err != nil {
		httpjson.Error(w, http.StatusInternalServerError, codeInternal, err.Error())
		return
	}
	httpjson.Write(w, http.StatusOK, st)
}
