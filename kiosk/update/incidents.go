package update

import (
	"context"
	"net/http"

	"tramso/kiosk/hubproto"
)

// The window's incidents (its page froze, crashed, or was ended for memory;
// kiosk/store/incidents.go) go to the hub (POST /api/device/incidents) on
// connecting and as they happen, so that the province sees a kiosk whose
// window keeps failing even though it comes back by itself each time.

// IncidentsChanged tells the client the window recorded an incident; the hub
// hears of it at once if connected, else on connecting.
func (c *Client) IncidentsChanged() {
	select {
	case c.incidentsChanged <- struct{}{}:
	default:
	}
}

// sendIncidents sends every unsent incident, a batch at a time, and marks
// each batch sent once the hub took it.
func (c *Client) sendIncidents(ctx context.Context) error {
	for {
		batch, err := c.opts.Store.UnsentIncidents(ctx, hubproto.MaxIncidents)
		if err != nil || len(batch) == 0 {
			return err
		}
		msg := make([]hubproto.Incident, len(batch))
		for i, in := range batch {
			msg[i] = hubproto.Incident{At: in.At.Unix(), Kind: in.Kind}
		}
		if err := hubproto.ValidateIncidents(msg); err != nil {
			// Only a clock set before 1970 makes one: the hub could never
			// take it, and it must not hold back those after it.
			c.log.Warn("window incidents the hub cannot take are dropped", "err", err)
			return c.opts.Store.MarkIncidentsSent(ctx, batch)
		}
		if err := c.sendState(ctx, http.MethodPost, "/api/device/incidents", msg); err != nil {
			return err
		}
		if err := c.opts.Store.MarkIncidentsSent(ctx, batch); err != nil {
			return err
		}
	}
}
