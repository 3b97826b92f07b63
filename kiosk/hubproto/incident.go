package hubproto

import "fmt"

// Incident is a time the kiosk's window lost its page: POST
// /api/device/incidents carries those the hub has not heard of yet, oldest
// first. The window brings the page back by itself (app/pagelife.go), so a
// resident may never report it; the province needs to see a kiosk whose
// window keeps failing, and which way it fails.
type Incident struct {
	At   int64  `json:"at"`   // unix seconds, the kiosk's clock
	Kind string `json:"kind"` // one of the Incident* kinds
}

// What happened to the page.
const (
	IncidentFroze   = "froze"   // it stopped answering; the window ended it and loaded it again
	IncidentStuck   = "stuck"   // it froze again soon after a reload; the kiosk was restarted
	IncidentCrashed = "crashed" // its web process crashed; the page was loaded again (or, soon after a reload, the kiosk restarted)
	IncidentMemory  = "memory"  // WebKit ended its web process for using too much memory
)

// MaxIncidents bounds one POST /api/device/incidents; a kiosk with more
// unsent sends them in several.
const MaxIncidents = 50

// ValidateIncidents checks a kiosk's batch of incidents.
func ValidateIncidents(batch []Incident) error {
	const t = "incidents"
	if len(batch) == 0 || len(batch) > MaxIncidents {
		return invalid(t, "length", "%d incidents; send 1 to %d", len(batch), MaxIncidents)
	}
	for i, in := range batch {
		field := fmt.Sprintf("[%d]", i)
		if err := oneOf(t, field+".kind", in.Kind, IncidentFroze, IncidentStuck, IncidentCrashed, IncidentMemory); err != nil {
			return err
		}
		if in.At < 1 || in.At > lastSince {
			return invalid(t, field+".at", "%d is not a time", in.At)
		}
	}
	return nil
}
