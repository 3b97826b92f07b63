package station

import (
	"context"
	"time"
)

// WindowIncident records that the desktop window lost its page
// (hubproto.Incident* kinds) for staff and the province, and has the update
// client tell the hub. The window has already brought the page back, or left
// it to the watchdog; a record that cannot be written is only logged.
func (s *Station) WindowIncident(kind string, at time.Time) {
	if s.Store.ReadOnly {
		s.incidentNotKept(kind)
		return
	}
	if err := s.Store.AddIncident(context.Background(), at, kind); err != nil {
		s.Log.Error("record the window's incident", "kind", kind, "err", err)
		return
	}
	s.Update.IncidentsChanged()
}

// incidentNotKept logs an incident a read-only disk cannot keep: the first
// at WARN, with what that costs, the rest at DEBUG. The window has logged
// each incident itself, and the disk is logged once at start (logReadOnly):
// a page that keeps failing must not add an ERROR each time.
func (s *Station) incidentNotKept(kind string) {
	if s.incidentsNotKept.Swap(true) {
		s.Log.Debug("window incident not kept: the disk is read-only", "kind", kind)
		return
	}
	s.Log.Warn("the window's incidents are not kept while the disk is read-only: staff and the province do not see them",
		"kind", kind)
}
