package update

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// reportSound sends the sound state now and after each change, until ctx
// (the connection) ends, or the hub turns out not to keep it.
func (c *Client) reportSound(ctx context.Context) {
	for {
		switch err := c.putSound(ctx); {
		case errors.Is(err, errNoSoundOnHub):
			c.log.Info("this hub does not keep kiosks' sound state (it predates it); the staff panel still shows it")
			return
		case err != nil && ctx.Err() == nil:
			c.log.Warn("send the sound state to the hub; will try again on the next change or connection", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-c.soundChanged:
		}
	}
}

var errNoSoundOnHub = errors.New("the hub has no /api/device/sound")

func (c *Client) putSound(ctx context.Context) error {
	off := c.opts.Sound()
	msg := hubproto.Sound{Off: off.Reason}
	if off.Reason != "" {
		msg.Since = off.Since.Unix()
	}
	if err := msg.Validate(); err != nil {
		return err
	}
	body, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	base, err := httpBase(c.currentHub())
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, base+"/api/device/sound", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.opts.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return nil
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		return errNoSoundOnHub
	}
	return fmt.Errorf("the hub answered %s", resp.Status)
}
