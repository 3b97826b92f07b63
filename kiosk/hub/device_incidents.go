package hub

import (
	"context"
	"net/http"
	"time"

	"tramso/kiosk/httpjson"
	"tramso/kiosk/hubproto"
)

// incidentLabels say what happened to a kiosk's window, as the console and
// its history write it.
var incidentLabels = map[string]string{
	hubproto.IncidentFroze:   "màn hình bị treo, kiosk tự tải lại",
	hubproto.IncidentStuck:   "màn hình treo lại ngay sau khi tải lại, kiosk tự khởi động lại",
	hubproto.IncidentCrashed: "trang bị lỗi và tắt, kiosk tự tải lại",
	hubproto.IncidentMemory:  "trang dùng quá nhiều bộ nhớ, kiosk tự tải lại",
}

// incidentReceived follows the last incident on the console when the time
// shown is when the hub received it: the kiosk dated it ahead of the hub's
// clock (the history says by how much).
const incidentReceived = "giờ máy chủ nhận; đồng hồ kiosk chạy nhanh"

// incidentWindow is how far back the console counts a kiosk's incidents.
const incidentWindow = 7 * 24 * time.Hour

// maxIncidentsBody bounds POST /api/device/incidents: MaxIncidents of
// {"at":…,"kind":"crashed"}.
const maxIncidentsBody = 4 << 10

// postIncidents is POST /api/device/incidents: times the kiosk's window lost
// its page, which the hub has not had yet (hubproto.Incident). Each new one
// goes into the device's history; one sent again is taken and ignored.
func (h *Hub) postIncidents(w http.ResponseWriter, r *http.Request, d Device) {
	if !h.withinRate(w, r, &h.incidentLimit, d, 60, "window incidents sent too often; a kiosk sends them on connecting and as they happen") {
		return
	}
	var batch []hubproto.Incident
	if !httpjson.Decode(w, r, maxIncidentsBody, &batch) {
		return
	}
	if err := hubproto.ValidateIncidents(batch); err != nil {
		httpjson.Error(w, http.StatusBadRequest, "bad_incidents", err.Error())
		return
	}
	if err := h.storeIncidents(r.Context(), d.ID, batch); err != nil {
		h.log.Error("store window incidents", "device", d.ID, "err", err)
		httpjson.Error(w, http.StatusInternalServerError, codeInternal, "cannot store the window incidents")
		return
	}
	h.live.seen(d.ID, h.now())
	httpjson.Write(w, http.StatusOK, map[string]bool{"ok": true})
}

// storeIncidents keeps the batch and puts each new incident in the device's
// history, saying when it happened by the kiosk's clock. An incident is known
// by that time (device, kiosk's time, kind), so a batch sent again is
// ignored whatever the hub's clock says by then. It is counted by the same
// time, unless the kiosk dates it later than the hub's clock allows: then by
// the time the hub received it (kioskTime), since in the future it would
// count as recent for ever.
func (h *Hub) storeIncidents(ctx context.Context, id string, batch []hubproto.Incident) error {
	received := h.now()
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, in := range batch {
		counted, ahead := kioskTime(in.At, received)
		res, err := tx.ExecContext(ctx, `INSERT INTO device_incidents(device_id, at, kind, counted_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, id, time.Unix(in.At, 0).UTC().Format(time.RFC3339), in.Kind, counted.Format(time.RFC3339))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			continue // sent before
		}
		detail := incidentLabels[in.Kind] + " (lúc " + h.timeView(counted).Exact + " theo đồng hồ kiosk)"
		if ahead {
			detail = incidentLabels[in.Kind] + " (máy chủ nhận lúc " + h.timeView(counted).Exact + "; " + h.fastClock(in.At) + ")"
		}
		if err := h.deviceEvent(ctx, tx, id, "window", detail, ""); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// incidentSummary is a kiosk's window incidents over incidentWindow.
type incidentSummary struct {
	Count int
	// Last is when the last one happened, RFC 3339 UTC: the kiosk's clock,
	// or the time the hub received it when that clock ran ahead (LastAhead).
	Last      string
	LastKind  string // hubproto.Incident*
	LastAhead bool
}

// recentIncidents sums each kiosk's incidents over incidentWindow (only
// id's when id is not ""), by device, by the time each is counted at
// (storeIncidents). Those counted in the future (kept by a hub that believed
// the kiosk's clock) are not counted: they would never age out.
func (h *Hub) recentIncidents(ctx context.Context, id string) (map[string]incidentSummary, error) {
	now := h.now()
	since := now.Add(-incidentWindow).UTC().Format(time.RFC3339)
	until := now.Add(kioskClockSkew).UTC().Format(time.RFC3339)
	rows, err := h.DB.QueryContext(ctx, `SELECT device_id, counted_at, kind, at > counted_at FROM device_incidents
		WHERE counted_at >= $1 AND counted_at <= $3 AND ($2 = '' OR device_id = $2) ORDER BY counted_at, at`, since, id, until)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]incidentSummary{}
	for rows.Next() {
		var dev string
		var s incidentSummary
		if err := rows.Scan(&dev, &s.Last, &s.LastKind, &s.LastAhead); err != nil {
			return nil, err
		}
		s.Count = out[dev].Count + 1
		out[dev] = s
	}
	return out, rows.Err()
}
