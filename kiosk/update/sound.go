package update

import (
	"context"
	"net/http"

	"tramso/kiosk/hubproto"
)

// The kiosk's sound goes to the hub (PUT /api/device/sound) on connecting and
// after each change, so that the province sees a kiosk that went silent on a
// hung speaker and can send someone to it.

// SoundChanged tells the client that the kiosk's sound changed (Options.Sound
// then says how); the hub hears of it at once if connected, else on
// connecting.
func (c *Client) SoundChanged() {
	select {
	case c.soundChanged <- struct{}{}:
	default:
	}
}

func (c *Client) putSound(ctx context.Context) error {
	off := c.opts.Sound()
	msg := hubproto.Sound{Off: off.Reason}
	if off.Reason != "" {
		msg.Since = off.Since.Unix()
	}
	if err := msg.Validate(); err != nil {
		return err
	}
	return c.sendState(ctx, http.MethodPut, "/api/device/sound", msg)
}
