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
	if err := s.Store.AddIncident(context.Background(), at, kind); err != nil {
		s.Log.Error("record the window's incident", "kind", kind, "err", err)
		return
	}
	s.Update.IncidentsChanged()
}
