package update

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
)

// ErrorKindBroken is Status.ErrorKind while the current generation does not
// load from disk and the kiosk shows older content (kiosk/pack, repair.go).
const ErrorKindBroken = hubproto.ErrorKindBroken

// ErrorKindUntrusted is Status.ErrorKind while the current generation is
// signed by no key the kiosk pins and the kiosk shows older content.
const ErrorKindUntrusted = hubproto.ErrorKindUntrusted

// ErrorKindUnreadable is Status.ErrorKind while this release's content rules
// refuse the current generation and the kiosk shows older content.
const ErrorKindUnreadable = hubproto.ErrorKindUnreadable

// unmendable is synced for a current generation gen that fetching again
// cannot mend (pack.Store.BrokenKind): no pinned key signed it (a key
// rotation left the kiosk pinning only the new key, and gen was signed by
// the old one alone), or it is whole and signed but this release's content
// rules refuse it (a pack an earlier release built, on a kiosk upgraded
// before the province built a new one). The hub would send the same signed
// bytes, which fail the same way (outside QA: eight fetches in 15 s, then a
// backoff for ever, while the console said "update failed" or "lost or
// damaged on disk"). The kiosk keeps showing the older content, tells staff
// and the hub why, and waits for the hub to offer a newer generation, which
// maybeSync applies like any other.
func (c *Client) unmendable(ctx context.Context, gen int64, why string) {
	shown := c.shownGeneration(gen)
	logged := "the current content is signed by no key this kiosk pins; showing older content until the hub offers a generation a pinned key signed"
	kind, msg := ErrorKindUntrusted, fmt.Sprintf("the current content (generation %d) is not signed by any key this kiosk pins "+
		"(hub.province_keys), so fetching it again cannot help; the kiosk shows %s until the hub offers a newer generation "+
		"signed by a pinned key, or that key is pinned again: %s", gen, shownText(shown), c.opts.Packs.BrokenBecause())
	if why == pack.FallbackUnreadable {
		logged = "this version cannot read the current content, whole and signed; showing older content until the hub offers a newer generation"
		// The reason first: the hub and staff see 500 bytes of it.
		kind, msg = ErrorKindUnreadable, fmt.Sprintf("this version of tramso (%s) cannot read the current content (generation %d), "+
			"whole and signed: %s; fetching it again cannot help; the kiosk shows %s until the hub offers a newer generation",
			cmp.Or(c.opts.AppVersion, "this one"), gen, c.opts.Packs.BrokenBecause(), shownText(shown))
	}
	msg = hubproto.CleanText(msg)
	c.markHeard()
	c.mu.Lock()
	first := c.unmendableGen != gen
	c.unmendableGen = gen
	c.mu.Unlock()
	if first {
		c.log.Warn(logged, "generation", gen, "shown", shown, "why", c.opts.Packs.BrokenBecause())
		c.showFailure(ctx, nil, msg, kind)
		return
	}
	// Every round, in case another attempt's error replaced it; the hub
	// hears of it only when it changed (statusDue). Saved, so that the
	// last sync shown survives a restart.
	c.update(func(s *Status) {
		s.State, s.LastError, s.ErrorKind = hubproto.StateFailed, hubproto.Clip(msg, 500), kind
	})
	s := c.Status()
	_ = store.SaveUpdateState(ctx, c.opts.Store.DB, store.UpdateState{LastSync: s.LastSync, LastError: s.LastError})
}

// shownText names a generation shownGeneration returned, for a message.
func shownText(gen int64) string {
	switch gen {
	case 0:
		return "older content"
	case hubproto.MinGeneration:
		return "the built-in starter content"
	}
	return fmt.Sprintf("generation %d", gen)
}

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
