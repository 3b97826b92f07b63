package api

// The desktop window's incidents, for staff: times its page froze, crashed
// or was ended for memory, and came back by itself (kiosk/store/incidents.go,
// app/pagelife.go). A resident may have met a blank or still screen for a
// moment; staff see how often, and call the province if it keeps happening.
//
//	GET /api/staff/window (staff) → {incidents: [{at, kind}], not_kept, fullscreen?}, the last 7 days, oldest first;
//	                      not_kept: the disk is read-only and new incidents are not recorded;
//	                      fullscreen: whether the window fills the screen (absent in browser mode)

import (
	"net/http"
	"time"

	"tramso/kiosk/httpjson"
)

// incidentDays is how far back staff see the window's incidents, as the
// province's console counts them.
const incidentDays = 7

type incidentAnswer struct {
	At   string `json:"at"` // RFC 3339, UTC
	Kind string `json:"kind"`
}

type windowAnswer struct {
	Incidents []incidentAnswer `json:"incidents"`
	// NotKept: on a read-only disk an incident is only logged, so "no
	// incidents" would not be true; the card says they are not kept.
	NotKept bool `json:"not_kept"`
	// Fullscreen is the window's state now, so the card says it and offers
	// the one action that changes it (outside QA s24: both "Vào" and "Thoát
	// toàn màn hình", and no state). Absent in browser mode: no window.
	Fullscreen *bool `json:"fullscreen,omitempty"`
}

func (s *Server) staffWindowState(w http.ResponseWriter, r *http.Request) {
	list, err := s.Store.IncidentsSince(r.Context(), time.Now().AddDate(0, 0, -incidentDays))
	// On a read-only disk a database an older version wrote may have no
	// incidents table, and the disk cannot take one (store.Store.Behind):
	// none to show, and not_kept says why.
	if err != nil && !s.Store.ReadOnly {
		httpjson.Error(w, http.StatusInternalServerError, codeInternal, "the window's incidents could not be read: "+err.Error())
		return
	}
	out := windowAnswer{Incidents: make([]incidentAnswer, len(list)), NotKept: s.Store.ReadOnly}
	if s.Window != nil {
		full := s.Window.IsFullscreen()
		out.Fullscreen = &full
	}
	for i, in := range list {
		out.Incidents[i] = incidentAnswer{At: in.At.UTC().Format(time.RFC3339), Kind: in.Kind}
	}
	httpjson.Write(w, http.StatusOK, out)
}
