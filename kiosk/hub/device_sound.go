package hub

import (
	"context"
	"net/http"
	"time"

	"tramso/kiosk/httpjson"
	"tramso/kiosk/hubproto"
)

// soundLabels say why a kiosk is silent, as the console and its history
// write it.
var soundLabels = map[string]string{
	hubproto.SoundFroze: "tự tắt âm thanh: màn hình treo khi đang phát tiếng, cần xem loa",
	hubproto.SoundStaff: "cán bộ tắt âm thanh",
}

// maxSoundBody bounds PUT /api/device/sound: {"off":"froze","since":…}.
const maxSoundBody = 1 << 10

// putSound is PUT /api/device/sound: the kiosk's sound, on connecting and on
// each change (hubproto.Sound). A change goes into the device's history.
func (h *Hub) putSound(w http.ResponseWriter, r *http.Request, d Device) {
	if !h.withinRate(w, r, &h.soundLimit, d, 60, "sound state sent too often; a kiosk sends it on connecting and when it changes") {
		return
	}
	var s hubproto.Sound
	if !httpjson.Decode(w, r, maxSoundBody, &s) {
		return
	}
	if err := s.Validate(); err != nil {
		httpjson.Error(w, http.StatusBadRequest, "bad_sound", err.Error())
		return
	}
	if err := h.storeSound(r.Context(), d.ID, s); err != nil {
		h.log.Error("store sound state", "device", d.ID, "err", err)
		httpjson.Error(w, http.StatusInternalServerError, codeInternal, "cannot store the sound state")
		return
	}
	h.live.seen(d.ID, h.now())
	httpjson.Write(w, http.StatusOK, map[string]bool{"ok": true})
}

// storeSound keeps s on the device and, when it changed, says so in its
// history. A time off later than the hub's clock allows is taken as now
// (kioskTime), or as the time already kept when the kiosk only says again
// that it is silent for the same reason (it does on every connection).
func (h *Hub) storeSound(ctx context.Context, id string, s hubproto.Sound) error {
	since, detail, ahead := "", "bật lại âm thanh", false
	if s.Off != "" {
		var at time.Time
		at, ahead = kioskTime(s.Since, h.now())
		since, detail = at.Format(time.RFC3339), soundLabels[s.Off]
		if ahead {
			detail += " (" + h.fastClock(s.Since) + ")"
		}
	}
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO device_events(device_id, at, kind, detail)
		SELECT id, $1, 'sound', $2 FROM devices WHERE id = $3 AND sound_off != $4`, h.stamp(), detail, id, s.Off); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE devices SET sound_off = $1,
		sound_since = CASE WHEN $4 AND sound_off = $1 AND sound_since != '' AND sound_since <= $2 THEN sound_since ELSE $2 END
		WHERE id = $3`, s.Off, since, id, ahead); err != nil {
		return err
	}
	return tx.Commit()
}
