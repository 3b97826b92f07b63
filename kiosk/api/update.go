package api

import (
	"context"
	"net/http"

	"tramso/kiosk/update"
)

// Updater is the content update client as staff mode sees it.
type Updater interface {
	Status() update.Status
	UpdateNow()
	Rollback(ctx context.Context) (update.Status, error)
}

// updateRoutes registers staff mode's update endpoints; every one needs the
// staff PIN session.
func (s *Server) updateRoutes() {
	s.handle("GET /api/staff/update", s.requireStaff(s.updateStatus))
	s.handle("POST /api/staff/update/now", s.requireStaff(s.updateNow))
	s.handle("POST /api/staff/update/rollback", s.requireStaff(s.updateRollback))
}

// updateStatus is GET /api/staff/update: state, progress, last sync, last error.
func (s *Server) updateStatus(w http.ResponseWriter, r *http.Request) {
	if s.Update == nil {
		writeJSON(w, http.StatusOK, update.Status{State: "not_enrolled"})
		return
	}
	writeJSON(w, http.StatusOK, s.Update.Status())
}

// updateNow is POST /api/staff/update/now: check the hub and update at once,
// even outside the download window.
func (s *Server) updateNow(w http.ResponseWriter, r *http.Request) {
	if s.Update == nil || !s.Update.Status().Enrolled {
		writeError(w, http.StatusConflict, "this kiosk is not enrolled with a hub (run `tramso enroll`)")
		return
	}
	s.Update.UpdateNow()
	s.staffLog(r, "asked for a content update now")
	writeJSON(w, http.StatusAccepted, s.Update.Status())
}

// updateRollback is POST /api/staff/update/rollback: back to the previous content.
func (s *Server) updateRollback(w http.ResponseWriter, r *http.Request) {
	if s.Update == nil {
		writeError(w, http.StatusConflict, "no update client")
		return
	}
	st, err := s.Update.Rollback(r.Context())
	if err != nil {
		writeError(w, http.StatusConflict, err.Error())
		return
	}
	s.staffLog(r, "rolled content back to the previous generation")
	writeJSON(w, http.StatusOK, st)
}
