package update

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
	"tramso/kiosk/strictjson"
)

// syncLoop acts on targets: after a push, a poll, "update now", or when the
// download window opens.
func (c *Client) syncLoop(ctx context.Context) {
	lastPoll := time.Time{}
	timer := time.NewTimer(time.Minute)
	defer timer.Stop()
	for {
		now := c.nowSignal() // an "update now" during this round ends the wait after a panic
		panicked := c.safely("sync", func() {
			if time.Since(lastPoll) >= c.pollEvery() || c.takeForced(false) {
				lastPoll = time.Now()
				if gen, err := c.pollTarget(ctx); err == nil {
					c.mu.Lock()
					c.polled = time.Now()
					c.mu.Unlock()
					c.setTargetQuiet(gen)
				} else if ctx.Err() == nil {
					c.log.Warn("poll the hub", "err", err)
				}
			}
			c.maybeSync(ctx)
		})
		if panicked {
			// Whatever the hub sent that caused it, do not ask again at once.
			sleep(ctx, c.nextRetry(), now)
		}
		// Wake for the next poll, or within a minute to notice the download
		// window opening, whichever is first.
		timer.Reset(max(min(time.Minute, c.pollEvery()-time.Since(lastPoll)), 10*time.Millisecond))
		select {
		case <-ctx.Done():
			return
		case <-c.wake:
		case <-timer.C:
		}
	}
}

func (c *Client) pollEvery() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.poll
}

// takeForced reports (and with clear, clears) the "update now" request.
func (c *Client) takeForced(clear bool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.forced
	if clear {
		c.forced = false
	}
	return f
}

// ErrorKindHubBehind is Status.ErrorKind while the hub offers a generation
// older than one this kiosk has applied.
const ErrorKindHubBehind = hubproto.ErrorKindHubBehind

// hubBehind is synced for a hub that wants an older generation than one the
// kiosk applied: a hub restored from an old backup. The kiosk never goes
// back, so the province's next packs will not reach it until one is numbered
// above; staff and the fleet view are told (outside QA: nobody was).
func (c *Client) hubBehind(ctx context.Context, target, highest int64) {
	c.synced(ctx)
	msg := fmt.Sprintf("the hub offers generation %d, older than generation %d that this kiosk has applied: "+
		"a hub restored from an old backup, or a newer pack applied here from USB; the hub's packs reach this kiosk again once one is numbered above %d", target, highest, highest)
	c.mu.Lock()
	first := c.behindTarget != target
	c.behindTarget = target
	c.mu.Unlock()
	if first {
		c.log.Warn("the hub is behind this kiosk", "hub_target", target, "kiosk_highest", highest)
	}
	c.update(func(s *Status) { s.LastError, s.ErrorKind = msg, ErrorKindHubBehind })
}

// heardAt is when the hub last answered: now while the websocket is up
// (its pongs prove it every heartbeat), else the last poll that succeeded;
// zero when it never did since the kiosk started.
func (c *Client) heardAt() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.st.Connected {
		return time.Now()
	}
	return c.polled
}

func (c *Client) setTargetQuiet(gen int64) {
	c.mu.Lock()
	cleared := gen != c.st.TargetGeneration && gen != c.rejected && c.forgetRefusal()
	c.st.TargetGeneration = gen
	c.mu.Unlock()
	if cleared {
		c.keepRefusal(context.Background())
	}
}

// maybeSync updates when the target is newer than what is live, the
// generation was not refused already, and the window is open (or staff
// asked). A failure for a reason that is not the pack's is retried later.
func (c *Client) maybeSync(ctx context.Context) {
	c.mu.Lock()
	target, cur, rejected := c.st.TargetGeneration, c.st.Generation, c.rejected
	c.mu.Unlock()
	forced := c.takeForced(true)
	// After staff rolled back, the hub's target is a generation this kiosk
	// has already applied; kiosk/pack would refuse it again (not newer), so
	// stay put until the province publishes something newer.
	if state, err := c.opts.Packs.State(ctx); err == nil {
		cur = max(cur, state.Highest)
		if rejected != 0 && state.Current >= rejected { // served after all (a USB stick)
			c.mu.Lock()
			ended := c.rejected == rejected && c.forgetRefusal()
			c.mu.Unlock()
			if ended {
				c.keepRefusal(ctx)
			}
			rejected = 0
		}
	}
	if target <= cur || target == rejected {
		// Nothing newer to take: but the current content may have been
		// lost or damaged on disk since it was applied (fetched again), or
		// be signed by no key the kiosk pins now, or be refused by this
		// release's content rules (only a newer generation can mend those).
		switch broken := c.opts.Packs.Broken(); {
		case broken != 0 && c.opts.Packs.BrokenKind() != "":
			c.unmendable(ctx, broken, c.opts.Packs.BrokenKind())
		case broken != 0:
			c.repair(ctx, broken, forced)
		case target != 0 && target < cur:
			c.hubBehind(ctx, target, cur)
		case target != 0 && target == rejected:
			// The hub's newest was refused, or failed its check and was
			// taken back: its error stands until something newer comes
			// (or staff ask again), not cleared as "up to date" by the next
			// look at the hub (CI s28: the failed check's message went at
			// the next notification, and staff would have seen none).
		case target <= cur:
			c.synced(ctx)
		}
		return
	}
	if !forced && !c.opts.Window.Open(time.Now()) {
		c.update(func(s *Status) { s.State = hubproto.StateWaiting })
		return
	}
	err := c.abortableSync(ctx, target)
	if err == nil || ctx.Err() != nil {
		return
	}
	if errors.Is(err, errUpdateNow) {
		c.log.Info("transfer restarted for \"update now\"", "generation", target)
		return // the wake UpdateNow queued starts it again at once
	}
	c.fail(ctx, target, err)
}

// abortableSync runs sync under a context UpdateNow can cut.
func (c *Client) abortableSync(ctx context.Context, gen int64) error {
	sctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	c.mu.Lock()
	c.abort = cancel
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.abort = nil
		c.mu.Unlock()
	}()
	err := c.sync(sctx, gen)
	if cause := context.Cause(sctx); err != nil && errors.Is(cause, errUpdateNow) {
		return cause
	}
	return err
}

// nextRetry counts one more transient failure and returns how long to wait.
func (c *Client) nextRetry() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failures++
	return backoff(c.failures-1, c.opts.MinBackoff, c.opts.MaxBackoff)
}

// synced records that the kiosk has what the hub wants: an error of an
// earlier attempt is over, and no longer shown under "up to date" (outside
// QA: a refusal of a wrongly signed pack stayed there after the right one
// came).
//
// The time shown as "last sync" is when the hub last answered, not when
// this check ran (outside QA: "update now" with the hub down stamped the
// time of the failed try).
func (c *Client) synced(ctx context.Context) {
	c.markHeard()
	c.mu.Lock()
	refused := c.rejected != 0 && c.rejected == c.st.TargetGeneration && c.rejectedError != ""
	msg, kind := c.rejectedError, c.rejectedKind
	c.mu.Unlock()
	c.update(func(s *Status) {
		s.LastError, s.ErrorKind = "", ""
		s.Progress = Progress{}
		if s.Connected || s.State != "offline" {
			s.State = hubproto.StateIdle
		}
		if refused { // the hub's target is refused: its error stands (repair.go calls this too)
			s.State, s.LastError, s.ErrorKind = hubproto.StateFailed, msg, kind
		}
	})
	s := c.Status()
	_ = store.SaveUpdateState(ctx, c.opts.Store.DB, store.UpdateState{LastSync: s.LastSync, LastError: s.LastError})
}

// markHeard sets LastSync to when the hub last answered, leaving any error
// as it is: a kiosk that waits for a newer generation (unmendable) has
// still reached its hub, and staff must see that it did (outside QA s23:
// "Đồng bộ lần cuối" stood still after "Cập nhật ngay").
func (c *Client) markHeard() {
	if heard := c.heardAt(); !heard.IsZero() {
		c.update(func(s *Status) { s.LastSync = heard.UTC().Format(time.RFC3339) })
	}
}

func (c *Client) fail(ctx context.Context, gen int64, err error) {
	msg := hubproto.CleanText(err.Error())
	outcome := hubproto.OutcomeFailed
	if r, ok := pack.AsRejection(err); ok {
		outcome = hubproto.OutcomeRejected
		msg = hubproto.CleanText(string(r.Kind) + ": " + r.Detail)
	} else if errors.Is(err, errRolledBack) {
		outcome = hubproto.OutcomeRolledBack
	}
	refused := outcome != hubproto.OutcomeFailed
	if refused {
		c.mu.Lock()
		if c.st.TargetGeneration == gen { // else the hub has moved on: nothing to hold back
			c.rejected, c.rejectedError, c.rejectedKind = gen, "", ""
		} else {
			refused = false
		}
		c.mu.Unlock()
	}
	c.log.Warn("content update failed", "generation", gen, "outcome", outcome, "err", msg)
	kind := ""
	switch {
	case errors.Is(err, errTooSlow):
		kind = ErrorKindHubTooSlow
	case unreachable(err):
		kind = ErrorKindHubUnreachable
	}
	c.showFailure(ctx, err, msg, kind)
	if refused {
		c.mu.Lock()
		if c.rejected == gen { // not ended meanwhile by a new target
			c.rejectedError, c.rejectedKind = c.st.LastError, c.st.ErrorKind
		}
		c.mu.Unlock()
		c.keepRefusal(ctx)
	}
	if outcome == hubproto.OutcomeRejected {
		// kiosk/pack recorded it; forward it (and any other unreported ones).
		c.forwardRejections(ctx)
		return
	}
	c.report(hubproto.Report{Generation: gen, Outcome: outcome, Error: msg})
	if outcome == hubproto.OutcomeFailed {
		// A cut link or a full disk: try again soon, then less and less often.
		time.AfterFunc(c.nextRetry(), c.poke)
	}
}

// ErrorKindHubUnreachable is Status.ErrorKind after a download that did not
// reach the hub: the hub's console does not count it among the kiosks with a
// fault (a hub restarting mid-download is not the kiosk's; outside QA s24).
const ErrorKindHubUnreachable = hubproto.ErrorKindHubUnreachable

// unreachable says whether err is the network's: no connection to the hub,
// or one cut mid-answer (by the link, or by the kiosk for bringing too
// little: staff get the same words for both, outside QA s25). A certificate the kiosk refuses is not: that is a
// fault to mend, and says so in its own words.
func unreachable(err error) bool {
	var ne net.Error
	var ue *url.Error
	var dns *net.DNSError
	switch {
	case errors.Is(err, errStalled), errors.Is(err, errNoAnswer): // cut by the kiosk: too little, or no answer; resumed later
		return true
	case errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &ne) && ne.Timeout(),
		errors.As(err, &ue) && errors.Is(ue.Err, io.EOF):
		return true
	case errors.As(err, &dns):
		return dns.IsTemporary || dns.IsTimeout // "no such host" is a wrong hub.url, to mend
	}
	// A link down or cut; a TLS alert or a refused certificate is not one.
	return slices.ContainsFunc(linkDown, func(e syscall.Errno) bool { return errors.Is(err, e) })
}

// linkDown are the system's errors for a hub that is not there for now.
var linkDown = []syscall.Errno{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED,
	syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.ENETDOWN, syscall.ETIMEDOUT, syscall.EPIPE}

// ErrorKindDiskFull is Status.ErrorKind after an attempt that found no room
// for the download (pack.NoRoomError) or met a full disk.
const ErrorKindDiskFull = hubproto.ErrorKindDiskFull

// showFailure shows staff (and the hub) that an attempt failed with msg:
// its kind in staff's words is ErrorKindDiskFull when err says the disk is
// full, else kind. The last error outlives a restart.
func (c *Client) showFailure(ctx context.Context, err error, msg, kind string) {
	if pack.DiskFull(err) {
		kind = ErrorKindDiskFull
	}
	c.update(func(s *Status) {
		s.State = hubproto.StateFailed
		s.LastError = hubproto.Clip(msg, 500)
		s.ErrorKind = kind
	})
	s := c.Status()
	_ = store.SaveUpdateState(ctx, c.opts.Store.DB, store.UpdateState{LastSync: s.LastSync, LastError: s.LastError})
}

var errRolledBack = errors.New("the new content did not load; the previous content is back")

// sync brings the kiosk to generation gen.
func (c *Client) sync(ctx context.Context, gen int64) error {
	raw, sig, err := c.fetchManifest(ctx, gen)
	if err != nil {
		return err
	}
	sm, err := c.opts.Packs.AcceptAs(ctx, gen, raw, sig, c.opts.Keys, "hub")
	if err != nil {
		return err
	}
	if sm.Manifest.Generation != gen {
		return fmt.Errorf("the hub sent generation %d when asked for %d", sm.Manifest.Generation, gen)
	}
	if err := c.fetchBlobs(ctx, gen, c.opts.Packs.Missing(sm.Manifest)); err != nil {
		return err
	}
	c.update(func(s *Status) { s.State = hubproto.StateApplying })
	if _, err := c.opts.Packs.Apply(ctx, sm, "hub"); err != nil {
		return err
	}
	if err := c.check(gen); err != nil {
		c.log.Error("new content failed its check; rolling back", "generation", gen, "err", err)
		// It never ran: staff mode must not read an earlier refusal of it
		// as settled by its install. Marked before the rollback: after it,
		// a power cut would leave the install looking good for ever (the
		// generation is never applied again); a later apply of it clears
		// the mark.
		if merr := c.opts.Store.MarkContentFailedCheck(ctx, gen); merr != nil {
			c.log.Warn("record the failed check", "generation", gen, "err", merr)
		}
		if _, rerr := c.opts.Packs.Rollback(ctx); rerr != nil {
			return fmt.Errorf("%w (and rollback failed: %v)", err, rerr)
		}
		state, _ := c.opts.Packs.State(ctx)
		c.update(func(s *Status) { s.Generation = state.Current })
		return fmt.Errorf("%w: %v", errRolledBack, err)
	}
	c.mu.Lock()
	c.failures = 0
	c.mu.Unlock()
	c.log.Info("content updated", "generation", gen)
	// The report goes before the status that shows the new generation: the
	// hub stores a report as it reads it, so whoever sees a kiosk on gen in
	// the fleet view finds its "applied" report there too.
	c.report(hubproto.Report{Generation: gen, Outcome: hubproto.OutcomeApplied})
	c.update(func(s *Status) { s.Generation = gen; s.LastError, s.ErrorKind = "", "" })
	c.synced(ctx)
	return nil
}

// fetchManifest starts a download of generation gen: its manifest and
// signatures, checked by the caller.
func (c *Client) fetchManifest(ctx context.Context, gen int64) (raw, sig []byte, err error) {
	c.update(func(s *Status) { s.State = hubproto.StateDownloading; s.Progress = Progress{} })
	raw, err = c.get(ctx, fmt.Sprintf("/packs/%d/manifest.json", gen), pack.MaxManifestSize)
	if err != nil {
		return nil, nil, err
	}
	sig, err = c.get(ctx, fmt.Sprintf("/packs/%d/manifest.sig", gen), pack.MaxSignaturesSize)
	return raw, sig, err
}

// fetchBlobs downloads the blobs of generation gen in files, when the disk
// has room for them.
func (c *Client) fetchBlobs(ctx context.Context, gen int64, files []pack.File) error {
	var total, need int64
	for _, f := range files {
		total += f.Size
		need += f.Size - c.opts.Packs.Partial(f)
	}
	if err := pack.CheckRoom(c.opts.Store.Dir, gen, need); err != nil {
		return err
	}
	c.update(func(s *Status) { s.Progress = Progress{Total: total} })
	for _, f := range files {
		if err := c.download(ctx, f); err != nil {
			err = pack.NameGeneration(err, gen)
			c.opts.Packs.Reject(ctx, "hub", err) // a blob that fails its hash: recorded like any refusal
			return err
		}
	}
	return nil
}

// check confirms the switched-in generation is what the kiosk now serves.
func (c *Client) check(gen int64) error {
	if c.opts.Live == nil {
		return nil
	}
	cur := c.opts.Live.Get()
	if cur == nil || cur.Pack == nil || cur.Pack.Meta.Generation != gen {
		return fmt.Errorf("the kiosk does not serve generation %d after switching", gen)
	}
	if len(cur.Pack.Tutorials)+len(cur.Pack.Procedures) == 0 {
		return fmt.Errorf("generation %d has no tutorials and no procedures", gen)
	}
	return nil
}

// download fetches one blob in Range requests of ChunkSize, appending to the
// partial file kiosk/pack keeps; a cut link costs at most the chunk in flight.
//
// A resumed blob that then fails its hash is fetched once more from its first
// byte before it counts as the pack's fault: what a power cut left in the
// partial file (a torn write) is the kiosk's, not the province's (outside
// QA: such a blob was refused as "hash_mismatch", reported to the hub, and
// not tried again).
func (c *Client) download(ctx context.Context, f pack.File) error {
	resumed, err := c.downloadOnce(ctx, f)
	if r, ok := pack.AsRejection(err); ok && resumed && r.Kind == pack.KindHashMismatch {
		c.log.Warn("a resumed download failed its check; fetching it again from the start", "file", f.Path, "err", err)
		c.update(func(s *Status) { s.Progress.Done = max(0, s.Progress.Done-f.Size) })
		_, err = c.downloadOnce(ctx, f) // Commit removed the partial file: this one starts at 0
	}
	return err
}

// downloadOnce fetches what f lacks; resumed says it began past byte 0.
func (c *Client) downloadOnce(ctx context.Context, f pack.File) (resumed bool, err error) {
	w, err := c.opts.Packs.ResumeBlob(f)
	if err != nil {
		return false, err
	}
	defer w.Close()
	resumed = w.Offset() > 0
	c.update(func(s *Status) { s.Progress.Done += w.Offset() })
	for off := w.Offset(); off < f.Size; off = w.Offset() {
		end := min(off+c.opts.ChunkSize, f.Size) - 1
		if err := c.fetchRange(ctx, f.SHA256, off, end, w); err != nil {
			return resumed, fmt.Errorf("download %s: %w", f.Path, err)
		}
		c.update(func(*Status) {}) // progress for the hub, one status per chunk
	}
	return resumed, w.Commit()
}

func (c *Client) fetchRange(ctx context.Context, sha string, from, to int64, w io.Writer) error {
	hub := c.currentHub()
	return c.noteTransfer(hub, true, c.fetchRangeFrom(ctx, hub, sha, from, to, w))
}

func (c *Client) fetchRangeFrom(ctx context.Context, hub, sha string, from, to int64, w io.Writer) error {
	want := to - from + 1
	ctx, progress, stop := c.stallGuard(ctx, c.blobFloor(), want)
	defer stop()
	req, err := c.request(ctx, hub, "/blobs/"+sha)
	if err != nil {
		return err
	}
	req.Header.Set("Range", "bytes="+strconv.FormatInt(from, 10)+"-"+strconv.FormatInt(to, 10))
	req.Header.Set("If-Range", `"`+sha+`"`)
	resp, err := c.http.Do(req)
	if err != nil {
		return noAnswer(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent {
		return fmt.Errorf("range %d-%d: hub answered %s", from, to, resp.Status)
	}
	if cr := resp.Header.Get("Content-Range"); !strings.HasPrefix(cr, fmt.Sprintf("bytes %d-%d/", from, to)) {
		return fmt.Errorf("range %d-%d: hub sent %q", from, to, cr)
	}
	body := &limitedReader{ctx: ctx, r: progressReader{r: io.LimitReader(resp.Body, want), progress: progress}, b: c.bucket}
	n, err := io.Copy(progressWriter{w: w, c: c}, body)
	if err == nil && n != want {
		err = io.ErrUnexpectedEOF
	}
	return stallError(ctx, err)
}

// stallError names why a transfer ended when its context was cut.
func stallError(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	return err
}

// progressReader counts every read's bytes for its stallGuard.
type progressReader struct {
	r        io.Reader
	progress func(n int)
}

func (p progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.progress(n)
	return n, err
}

type progressWriter struct {
	w io.Writer
	c *Client
}

func (p progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.c.mu.Lock()
	p.c.st.Progress.Done += int64(n)
	p.c.mu.Unlock()
	return n, err
}

func (c *Client) request(ctx context.Context, hub, path string) (*http.Request, error) {
	base, err := httpBase(hub)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.opts.Token)
	return req, nil
}

// get fetches a small document, refusing more than limit bytes, or one not
// received whole within docTime(limit).
func (c *Client) get(ctx context.Context, path string, limit int64) ([]byte, error) {
	hub := c.currentHub()
	body, err := c.getFrom(ctx, hub, path, limit)
	return body, c.noteTransfer(hub, false, err)
}

func (c *Client) getFrom(ctx context.Context, hub, path string, limit int64) ([]byte, error) {
	within := c.docTime(limit)
	ctx, cancel := context.WithTimeoutCause(ctx, within,
		fmt.Errorf("%w: not received whole within %v (%d bytes at most)", errTooSlow, within.Round(time.Second/10), limit))
	defer cancel()
	ctx, progress, stop := c.stallGuard(ctx, 1, limit+1)
	defer stop()
	req, err := c.request(ctx, hub, path)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, noAnswer(ctx, err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(progressReader{r: io.LimitReader(resp.Body, limit+1), progress: progress})
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, stallError(ctx, err))
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", path, resp.Status, hubproto.CleanText(hubError(body)))
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("GET %s: answer larger than %d bytes", path, limit)
	}
	return body, nil
}

// pollTarget asks the hub which generation this kiosk should have.
func (c *Client) pollTarget(ctx context.Context) (int64, error) {
	body, err := c.get(ctx, "/api/device/target", 1024)
	if err != nil {
		return 0, err
	}
	var t struct {
		Generation int64 `json:"generation"`
	}
	if err := strictjson.CheckDuplicates(body); err != nil {
		return 0, fmt.Errorf("poll: the hub's answer is not valid: %w", err)
	}
	if err := json.Unmarshal(body, &t); err != nil {
		return 0, fmt.Errorf("poll: the hub's answer is not valid: %w", err)
	}
	if t.Generation == 0 { // nothing published for this kiosk
		return 0, nil
	}
	if err := hubproto.CheckGeneration(t.Generation); err != nil {
		return 0, fmt.Errorf("poll: the hub's target is refused: %w", err)
	}
	return t.Generation, nil
}

// usageEvery is how often the kiosk uploads its usage totals; a flaky link
// that reconnects every minute does not upload every minute.
const usageEvery = 6 * time.Hour

func (c *Client) usageDue() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.usageSent) < usageEvery {
		return false
	}
	c.usageSent = time.Now()
	return true
}

// uploadUsage sends the anonymous daily totals of the last days (each day
// replaces what the hub held for it, so sending again is harmless).
func (c *Client) uploadUsage(ctx context.Context) {
	if c.opts.Usage == nil {
		return
	}
	totals, err := c.opts.Usage(ctx)
	if err != nil || len(totals) == 0 {
		return
	}
	var answer hubproto.UsageAnswer
	code, err := c.exchangeJSON(ctx, http.MethodPost, "/api/device/usage", totals, &answer)
	if err == nil && code != http.StatusOK {
		err = fmt.Errorf("the hub answered %d %s", code, http.StatusText(code))
	}
	if err == nil && len(answer.Skipped) > 0 {
		// The good days are stored; a day "in the future" means this
		// kiosk's clock runs ahead of the province's (Status.ClockSkewSeconds).
		c.log.Warn("the hub did not store some days of usage totals", "skipped", answer.Skipped)
	}
	if err != nil {
		c.log.Warn("upload usage totals; will try again on the next connection", "err", err)
		c.mu.Lock()
		c.usageSent = time.Time{}
		c.mu.Unlock()
	}
}

// versionString keeps the build version within what the protocol accepts.
func versionString(v string) string {
	out := make([]byte, 0, len(v))
	for i := 0; i < len(v) && len(out) < 64; i++ {
		ch := v[i]
		if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || strings.IndexByte("._+~-", ch) >= 0 {
			out = append(out, ch)
		}
	}
	return string(out)
}
