package hub

import (
	"context"
	"net/http"
	"time"

	"tramso/kiosk/httpjson"
)

// healthTimeout bounds the database check of GET /api/health: a load
// balancer asks every few seconds and must hear "no" quickly rather than
// pile up requests on a database that hangs.
const healthTimeout = 2 * time.Second

// health is GET /api/health, for load balancers, monitoring and the kiosks'
// `tramso doctor`: 200 when the hub can reach its database, 503 when it
// cannot (a hub without its database can neither authenticate a kiosk nor
// tell it what to fetch, so a load balancer should send kiosks elsewhere).
// One round trip to the database: cheap enough to ask every second.
func (h *Hub) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	var one int
	if err := h.DB.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		h.log.Warn("health check: the database does not answer", "err", scrub(err, h.opts.Database))
		httpjson.Error(w, http.StatusServiceUnavailable, "database", "the hub cannot reach its database")
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]string{"status": "ok"})
}
