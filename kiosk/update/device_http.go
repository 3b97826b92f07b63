package update

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// sendJSON sends v to the hub in use as the enrolled device (method path,
// the device token) and returns the hub's status code.
func (c *Client) sendJSON(ctx context.Context, method, path string, v any) (int, error) {
	return c.exchangeJSON(ctx, method, path, v, nil)
}

// exchangeJSON is sendJSON that also reads a 200 answer into out (nil: the
// answer is not read), up to 64 KiB. The answer only informs: a 200 whose
// body does not decode (an older hub's) leaves out as it was.
func (c *Client) exchangeJSON(ctx context.Context, method, path string, v, out any) (int, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return 0, err
	}
	base, err := httpBase(c.currentHub())
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.opts.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode == http.StatusOK {
		_ = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(out)
	}
	return resp.StatusCode, nil
}

// missingRoute says whether a hub's answer means it has no such route: a hub
// from before it.
func missingRoute(code int) bool {
	return code == http.StatusNotFound || code == http.StatusMethodNotAllowed
}

// errOlderHub: the hub has no route for what the kiosk sends (it predates it).
var errOlderHub = errors.New("the hub predates this route")

// sendState sends v as the device (sendJSON) and reads the hub's answer:
// nil when taken, errOlderHub when the hub has no such route.
func (c *Client) sendState(ctx context.Context, method, path string, v any) error {
	code, err := c.sendJSON(ctx, method, path, v)
	switch {
	case err != nil:
		return err
	case code == http.StatusOK:
		return nil
	case missingRoute(code):
		return errOlderHub
	}
	return fmt.Errorf("the hub answered %d %s", code, http.StatusText(code))
}

// keepReporting runs send now and each time changed fires, until ctx (the
// connection) ends or the hub turns out to predate it: what is the state
// sent, as the log names it ("the sound state").
func (c *Client) keepReporting(ctx context.Context, what string, changed <-chan struct{}, send func(context.Context) error) {
	for {
		switch err := send(ctx); {
		case errors.Is(err, errOlderHub):
			c.log.Info("this hub does not take " + what + " (it predates it); the staff panel still shows it")
			return
		case err != nil && ctx.Err() == nil:
			c.log.Warn("send "+what+" to the hub; will try again on the next change or connection", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
	}
}
