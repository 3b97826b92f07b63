package update

import (
	"context"
	"fmt"
	"time"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
)

// ErrorKindBroken is Status.ErrorKind while the current generation does not
// load from disk and the kiosk shows older content (kiosk/pack, repair.go).
const ErrorKindBroken = "content_broken"

// repair fetches the broken current generation gen again: its manifest and
// signature, and the blobs that are gone or damaged on disk. It does not wait
// for the download window: residents are being shown content the province
// replaced, and what a repair fetches is usually small (a lost folder whose
// blobs are still held needs only the manifest). Until it succeeds the hub's
// fleet page shows the kiosk as failed, with why.
func (c *Client) repair(ctx context.Context, gen int64, forced bool) {
	c.mu.Lock()
	wait := time.Until(c.repairAfter)
	c.mu.Unlock()
	if wait > 0 && !forced {
		return
	}
	c.log.Warn("the current content does not load from disk; fetching it again from the hub",
		"generation", gen, "why", c.opts.Packs.BrokenBecause())
	err := c.fetchAgain(ctx, gen)
	if err == nil {
		c.mu.Lock()
		c.repairAfter = time.Time{}
		c.mu.Unlock()
		c.report(hubproto.Report{Generation: gen, Outcome: hubproto.OutcomeApplied})
		c.update(func(s *Status) { s.Generation = gen })
		c.synced(ctx)
		return
	}
	if ctx.Err() != nil {
		return
	}
	msg := hubproto.CleanText(fmt.Sprintf("the current content (generation %d) does not load from disk (%s); fetching it again failed: %v",
		gen, c.opts.Packs.BrokenBecause(), err))
	c.log.Warn("repair of the current content failed; will try again", "generation", gen, "err", err)
	c.showFailure(ctx, err, msg, ErrorKindBroken)
	retry := c.nextRetry()
	c.mu.Lock()
	c.repairAfter = time.Now().Add(retry)
	c.mu.Unlock()
	time.AfterFunc(retry, c.poke)
}

// fetchAgain brings the blobs of generation gen the store lacks and lays it
// out again.
func (c *Client) fetchAgain(ctx context.Context, gen int64) error {
	raw, sig, err := c.fetchManifest(ctx, gen)
	if err != nil {
		return err
	}
	sm, err := pack.Verify(raw, sig, c.opts.Keys)
	if err != nil {
		return err
	}
	if err := c.fetchBlobs(ctx, gen, c.opts.Packs.Unsound(sm.Manifest)); err != nil {
		return err
	}
	c.update(func(s *Status) { s.State = hubproto.StateApplying })
	return c.opts.Packs.Repair(ctx, sm)
}
