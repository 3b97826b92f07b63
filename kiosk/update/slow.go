package update

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"tramso/kiosk/hubproto"
)

// A hub that answers but sends too slowly must not hold a kiosk in
// "downloading 0 B / 0 B" for days, with a healthy hub next to it in the
// list (outside QA s25: a manifest trickled at one byte a second never
// tripped a cut that any byte restarted). Three limits keep it bounded:
//   - a small document (poll, manifest, signature) gets a total time in
//     proportion to its largest allowed size (docTime);
//   - a blob range must bring a minimum of bytes in every Stall window, not
//     just one byte (stallGuard, Options.MinRate);
//   - a hub whose transfers are cut slowCutsToFault times in a row, or whose
//     document runs out of time, counts as at fault: the kiosk moves to the
//     next hub of its list (hubFault), and staff see ErrorKindHubTooSlow.

// ErrorKindHubTooSlow is Status.ErrorKind after the hub answered but sent
// too slowly to finish a download in bounded time; with several hubs the
// kiosk has moved to the next one.
const ErrorKindHubTooSlow = hubproto.ErrorKindHubTooSlow

// DefaultMinRate is the slowest a blob range may arrive, averaged over each
// Stall window, before it is cut and resumed: 1 KiB/s, 30 KiB in the default
// 30 s. A poor GPRS link still moves 3–5 KiB/s and EDGE or weak 3G several
// times that, so only a link that has all but stopped (or a hub that drips
// bytes on purpose) falls below it.
const DefaultMinRate = 1 << 10

// DefaultDocRate is the rate at which a small document's largest allowed
// size must be able to arrive: 8 KiB/s. With the Stall window on top for
// the answer to start, a manifest (at most 1 MiB) has 2 min 38 s and a
// signature file (64 KiB) 38 s. Real manifests are a small part of the
// maximum, so a slow link gets them at far less than 8 KiB/s.
const DefaultDocRate = 8 << 10

// slowCutsToFault is how many transfers in a row a hub may have cut for
// bringing too little before it counts as at fault: one cut is a bad
// minute on a rural link, three in a row is the hub.
const slowCutsToFault = 3

// errStalled cuts a transfer that brought too little in a Stall window.
var errStalled = errors.New("no progress")

// errNoAnswer is a request the hub did not answer at all (no response
// headers) before its stall window or time ran out. A link dropping packets
// looks just like a hub holding requests, so it is told as the network's
// (hub_unreachable, not a fault on the console); three in a row still leave
// the hub for the next one.
var errNoAnswer = errors.New("no answer")

// noAnswer is the error of a request that got no response: errNoAnswer
// when the kiosk cut it (by its text, so that it is no errStalled or
// errTooSlow), else the network's error as it is.
func noAnswer(ctx context.Context, err error) error {
	err = stallError(ctx, err)
	if errors.Is(err, errStalled) || errors.Is(err, errTooSlow) {
		return fmt.Errorf("%w from the hub: %v", errNoAnswer, err)
	}
	return err
}

// errTooSlow marks a hub at fault for sending too slowly.
var errTooSlow = errors.New("the hub sends too slowly")

// docTime is how long a document of at most limit bytes may take in all.
func (c *Client) docTime(limit int64) time.Duration {
	return c.opts.Stall + time.Duration(float64(limit)/float64(c.opts.DocRate)*float64(time.Second))
}

// blobFloor is the fewest bytes a blob range must bring per Stall window:
// Options.MinRate, or half the download cap staff set when that is lower
// (a cap the kiosk imposes on itself is not the hub's slowness).
func (c *Client) blobFloor() int64 {
	rate := c.opts.MinRate
	if c.opts.RateBytes > 0 {
		rate = min(rate, c.opts.RateBytes/2)
	}
	return max(1, int64(float64(rate)*c.opts.Stall.Seconds()))
}

// stallGuard derives a context that is cut when a Stall window (counted from
// the request, headers included) brings fewer than floor bytes, or, near
// the end, fewer than the want bytes that remain. The returned func counts
// bytes received; stop releases the guard.
func (c *Client) stallGuard(ctx context.Context, floor, want int64) (context.Context, func(n int), func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	window := c.opts.Stall
	var got atomic.Int64
	go func() {
		tick := time.NewTicker(window)
		defer tick.Stop()
		var mark int64
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			n := got.Load()
			need := max(1, min(floor, want-mark))
			if n-mark >= need {
				mark = n
				continue
			}
			if n == mark {
				cancel(fmt.Errorf("%w for %v: transfer cut, it resumes later", errStalled, window))
			} else {
				cancel(fmt.Errorf("%w: %d bytes in %v, fewer than the %d the kiosk waits for: transfer cut, it resumes later",
					errStalled, n-mark, window, need))
			}
			return
		}
	}()
	return ctx, func(n int) { got.Add(int64(n)) }, func() { cancel(nil) }
}

// noteTransfer counts how a transfer from hub ended: a whole blob range
// forgets earlier cuts (a document does not: a hub that sends the manifest
// at once before each blob it trickles must not wipe the count), a cut
// counts towards slowCutsToFault, and a hub at fault is left for the next
// one. It returns err, marked errTooSlow when this cut made the hub at fault.
func (c *Client) noteTransfer(hub string, blob bool, err error) error {
	switch {
	case err == nil:
		if blob {
			c.mu.Lock()
			c.slowCuts = 0
			c.mu.Unlock()
		}
	case errors.Is(err, errTooSlow):
		c.hubFault(hub, err)
	case errors.Is(err, errStalled), errors.Is(err, errNoAnswer):
		c.mu.Lock()
		c.slowCuts++
		n := c.slowCuts
		c.mu.Unlock()
		if n >= slowCutsToFault {
			if errors.Is(err, errStalled) { // it answered, then dripped
				err = fmt.Errorf("%w: %d transfers in a row were cut: %w", errTooSlow, n, err)
			}
			c.hubFault(hub, err)
		}
	}
	return err
}

// hubFault leaves hub, when the kiosk still uses it and has another: it
// drops the connection to it, and Run dials the next hub (or, between
// connections, the next dial goes there). With one hub there is nowhere to
// go: staff see the error, and the kiosk tries again later.
func (c *Client) hubFault(hub string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.opts.Hubs) < 2 || c.hubAddress() != hub {
		return
	}
	c.slowCuts = 0
	c.log.Warn("the hub sends too slowly or not at all; leaving it for the next hub", "hub", hub, "err", err)
	if c.drop != nil {
		c.drop(err)
		return
	}
	c.hub = (c.hub + 1) % len(c.opts.Hubs)
	c.st.HubURL = c.hubAddress()
}

// setDrop records how to end the connection in progress (nil: none).
func (c *Client) setDrop(drop context.CancelCauseFunc) {
	c.mu.Lock()
	c.drop = drop
	c.mu.Unlock()
}
