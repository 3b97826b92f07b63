package api

import (
	"context"
	"errors"
	"net/http"

	"tramso/kiosk/httpjson"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
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
		httpjson.Write(w, http.StatusOK, update.Status{State: "not_enrolled"})
		return
	}
	httpjson.Write(w, http.StatusOK, s.Update.Status())
}

// updateNow is POST /api/staff/update/now: check the hub and update at once,
// even outside the download window.
func (s *Server) updateNow(w http.ResponseWriter, r *http.Request) {
	if s.Update == nil || !s.Update.Status().Enrolled {
		httpjson.Error(w, http.StatusConflict, codeNotEnrolled, "this kiosk is not enrolled with a hub (run `tramso enroll`)")
		return
	}
	s.Update.UpdateNow()
	s.staffLog(r, "asked for a content update now")
	httpjson.Write(w, http.StatusAccepted, s.Update.Status())
}

// updateRollback is POST /api/staff/update/rollback: back to the previous content.
func (s *Server) updateRollback(w http.ResponseWriter, r *http.Request) {
	if s.Update == nil {
		httpjson.Error(w, http.StatusConflict, codeNotEnrolled, "this kiosk has no update client")
		return
	}
	st, err := s.Update.Rollback(r.Context())
	switch {
	case errors.Is(err, store.ErrNothingToRestore):
		httpjson.Error(w, http.StatusConflict, codeNothingToRestore, err.Error())
		return
	case errors.Is(err, pack.ErrPreviousNotWhole):
		httpjson.Error(w, http.StatusConflict, codePreviousNotWhole, err.Error())
		return
	case errors.Is(err, pack.ErrPreviousUnreadable):
		httpjson.Error(w, http.StatusConflict, codePreviousUnreadable, err.Error())
		return
	case err != nil:
		httpjson.Error(w, http.StatusConflict, codeRollbackFailed, err.Error())
		return
	}
	s.staffLog(r, "rolled content back to the previous generation")
	httpjson.Write(w, http.StatusOK, st)
}
