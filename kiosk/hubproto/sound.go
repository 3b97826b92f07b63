package hubproto

import "time"

// Sound is a kiosk's sound as the hub keeps it: PUT /api/device/sound, sent
// on connecting and on each change. It goes over HTTP beside the websocket,
// not in status, whose fields are closed: a hub that predates it answers 404
// and the kiosk carries on, where an unknown status field would get the
// kiosk disconnected.
type Sound struct {
	Off   string `json:"off"`   // "" (it plays), SoundFroze or SoundStaff
	Since int64  `json:"since"` // unix seconds it went off; 0 while it plays
}

// Why a kiosk runs silent.
const (
	SoundFroze = "froze" // its page froze while a line was playing: the speaker may be hung
	SoundStaff = "staff" // staff turned sound off in the staff panel
)

// lastSince is the last second of year 9999: any time a kiosk's clock can
// say (a kiosk with a flat clock battery may say 1970) and the console can
// write.
var lastSince = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()

// Validate checks a sound state from a kiosk.
func (s Sound) Validate() error {
	const t = "sound"
	if err := oneOf(t, "off", s.Off, "", SoundFroze, SoundStaff); err != nil {
		return err
	}
	switch {
	case s.Off == "" && s.Since != 0:
		return invalid(t, "since", "must be 0 while the kiosk plays")
	case s.Off != "" && (s.Since < 1 || s.Since > lastSince):
		return invalid(t, "since", "%d is not a time the kiosk went silent", s.Since)
	}
	return nil
}
