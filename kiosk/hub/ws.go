package hub

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"tramso/kiosk/httpjson"
	"tramso/kiosk/hubproto"
)

// Connection sizing. A hub holds one websocket per kiosk for days, so an idle
// connection must cost little: one goroutine (the reader) with a 1 KB read
// buffer; write buffers come from a shared pool and a writer goroutine exists
// only while there is something to send.
const (
	readBufferSize  = 1024
	writeBufferSize = 1024
	maxQueued       = 16              // frames waiting for a slow kiosk before it is dropped
	writeTimeout    = 5 * time.Second // a kiosk that cannot take a frame in this time is dropped
)

var writePool sync.Pool

func newUpgrader() websocket.Upgrader {
	return websocket.Upgrader{
		ReadBufferSize:  readBufferSize,
		WriteBufferSize: writeBufferSize,
		WriteBufferPool: &writePool,
		// Kiosks are not browsers: no Origin is expected, and a browser page
		// cannot set the Authorization header a kiosk must send.
		CheckOrigin: func(*http.Request) bool { return true },
	}
}

// conn is one kiosk's websocket.
type conn struct {
	ws          *websocket.Conn
	writers     chan<- *conn // the hub's writer pool
	id          string
	addr        string // the kiosk's address, as the log names it (clientAddr)
	wave        atomic.Pointer[sql.NullInt64]
	gen         atomic.Int64 // generation the kiosk reported
	told        atomic.Int64 // last generation announced to it
	seenAt      atomic.Int64 // unix seconds "last seen" was last recorded
	reannounced atomic.Int64 // unix seconds of the last re-announcement after a status
	mu          sync.Mutex
	queue       [][]byte
	announceAt  int  // 1 + the index in queue of an announcement not yet written (0: none)
	busy        bool // a writer is draining the queue (pooled or its own goroutine)
	last        bool // a bye is queued: close after it
	closed      bool
	// Used only by the connection's reader: frames received (for the flood
	// limit) and reports over the device's limit since the last one stored
	// (so that a flood is logged once, not once per frame).
	received       bucket
	reportsDropped int
	lastStored     hubproto.Report // the last report stored, so that retries of it are not stored again
}

func (c *conn) setWave(w sql.NullInt64) { c.wave.Store(&w) }

// send queues a frame. It never blocks: a writer goroutine is started when
// none runs, and a kiosk that lets maxQueued frames pile up is disconnected.
func (c *conn) send(frame []byte) { c.enqueue(frame, false, false) }

// announce queues an announcement, or puts it in the place of one still
// waiting: a kiosk needs only the newest target, so a burst of publishes
// costs a slow kiosk one frame, never its connection.
func (c *conn) announce(frame []byte) { c.enqueue(frame, false, true) }

// bye queues a last message saying why, then closes the connection (at the
// latest after a second, however slow the kiosk reads).
func (c *conn) bye(reason string) {
	frame, ok := byeFrames[reason]
	if !ok {
		frame = byeFrames["protocol"]
	}
	c.enqueue(frame, true, false)
	time.AfterFunc(time.Second, c.close)
}

// byeFrames are encoded once, from constants: nothing a peer sends ever
// reaches an encoder that could panic.
var byeFrames = func() map[string][]byte {
	m := map[string][]byte{}
	for _, reason := range []string{"revoked", "replaced", "shutdown", "protocol"} {
		m[reason] = hubproto.MustEncode(&hubproto.Bye{Reason: reason})
	}
	return m
}()

func (c *conn) enqueue(frame []byte, last, announce bool) {
	c.mu.Lock()
	if c.closed || c.last {
		c.mu.Unlock()
		return
	}
	if announce && c.announceAt > 0 {
		c.queue[c.announceAt-1] = frame
		c.mu.Unlock()
		return
	}
	if len(c.queue) >= maxQueued {
		c.closed = true
		c.mu.Unlock()
		c.ws.Close()
		return
	}
	c.queue = append(c.queue, frame)
	if announce {
		c.announceAt = len(c.queue)
	}
	c.last = last
	start := !c.busy
	c.busy = true
	c.mu.Unlock()
	if start {
		select {
		case c.writers <- c:
		default: // every pooled writer is busy: this one gets its own
			go c.drain()
		}
	}
}

// drain is the connection's writer while it has frames to send; it is the
// only goroutine that writes data frames, so writes never interleave.
func (c *conn) drain() {
	for {
		c.mu.Lock()
		if len(c.queue) == 0 || c.closed {
			c.busy = false
			c.queue, c.announceAt = nil, 0
			last := c.last
			c.mu.Unlock()
			if last {
				_ = c.ws.WriteControl(websocket.CloseMessage,
					websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
				c.close()
			}
			return
		}
		frame := c.queue[0]
		c.queue = c.queue[1:]
		c.announceAt = max(c.announceAt-1, 0) // the front one, when it was, is being written
		c.mu.Unlock()
		_ = c.ws.SetWriteDeadline(time.Now().Add(writeTimeout))
		if err := c.ws.WriteMessage(websocket.TextMessage, frame); err != nil {
			c.close()
		}
	}
}

func (c *conn) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.ws.Close()
}

// closing reports whether a bye is on its way (the connection closes itself).
func (c *conn) closing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// writerCount is the size of the writer pool. An announcement reaches
// thousands of kiosks at once; long-lived writers keep their grown stacks,
// where a goroutine per frame would start small and grow every time. A
// kiosk that does not read stalls one writer for at most writeTimeout, and
// when all are busy a frame gets a goroutine of its own, so none waits.
const writerCount = 32

func (h *Hub) startWriters() {
	h.writers = make(chan *conn, 1<<16) // 512 KB: a whole fleet fits in the queue
	for range writerCount {
		go func() {
			for {
				select {
				case c := <-h.writers:
					c.drain()
				case <-h.closed:
					return
				}
			}
		}()
	}
}

// registry is the set of connected kiosks on this hub.
type registry struct {
	mu sync.Mutex
	m  map[string]*conn
}

func (r *registry) get(id string) *conn {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.m[id]
}

// add registers c, returning the connection it replaces (the same kiosk
// reconnecting before the hub noticed the old one was gone).
func (r *registry) add(c *conn) *conn {
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.m[c.id]
	r.m[c.id] = c
	return old
}

func (r *registry) remove(c *conn) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m[c.id] == c {
		delete(r.m, c.id)
	}
}

func (r *registry) snapshot() []*conn {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*conn, 0, len(r.m))
	for _, c := range r.m {
		out = append(out, c)
	}
	return out
}

func (r *registry) closeAll(reason string) {
	for _, c := range r.snapshot() {
		c.bye(reason)
	}
}

// Connected is how many kiosks hold a websocket to this hub.
func (h *Hub) Connected() int {
	h.conns.mu.Lock()
	defer h.conns.mu.Unlock()
	return len(h.conns.m)
}

// features tells kiosks, in the upgrade's answer, what this hub takes
// beyond the first protocol (hubproto.FeaturesHeader): one value, its
// features space-separated, since kiosks read the header's first value.
var features = http.Header{hubproto.FeaturesHeader: {hubproto.FeatureStatusShown + " " + hubproto.FeaturePinnedKeys}}

// serveWS is GET /ws: authenticate before upgrading, so a stranger costs a
// database lookup and a 401, never a goroutine held open.
func (h *Hub) serveWS(w http.ResponseWriter, r *http.Request) {
	d, err := h.authDevice(r)
	if err != nil {
		httpjson.Error(w, http.StatusUnauthorized, codeUnauthorized, err.Error())
		return
	}
	ws, err := h.upgrader.Upgrade(w, r, features)
	if err != nil {
		return // the upgrader has answered
	}
	c := &conn{ws: ws, id: d.ID, addr: h.clientAddr(r), writers: h.writers}
	c.setWave(d.Wave)
	c.gen.Store(d.Generation)
	if old := h.conns.add(c); old != nil {
		old.bye("replaced")
		h.noteReplaced(r.Context(), d, old.addr, c.addr)
	}
	h.touch(c)
	target := h.targetFor(d.Wave)
	c.told.Store(target)
	welcome, err := hubproto.Encode(&hubproto.Welcome{
		DeviceID: d.ID, Name: d.Name, ServerTime: h.now().Unix(),
		HeartbeatSeconds: int(h.opts.Heartbeat / time.Second), PollSeconds: int(h.opts.Poll / time.Second),
		TargetGeneration: target,
	})
	if err != nil {
		// Only a device row the protocol cannot carry gets here (a name
		// with control characters written by an older hub).
		h.log.Error("cannot welcome a kiosk; closing", "device", d.ID, "err", err)
		h.conns.remove(c)
		c.close()
		return
	}
	c.send(welcome)
	// A fresh goroutine owns the connection from here and the HTTP server's
	// goroutine ends: its stack, grown while parsing the request, and the
	// request itself are freed instead of being held for days.
	go h.serveConn(c)
}

// serveConn reads the kiosk's frames until it goes away. It is the
// connection's boundary: whatever the kiosk sent, a panic is logged and only
// this kiosk is dropped.
func (h *Hub) serveConn(c *conn) {
	defer func() {
		if v := recover(); v != nil {
			h.logPanic(v, "device", c.id)
		}
		h.conns.remove(c)
		h.live.seen(c.id, h.now())
		if !c.closing() {
			c.close()
		}
	}()
	h.readLoop(context.Background(), c)
}

// readLoop reads the kiosk's frames until it goes away or misbehaves. The
// kiosk pings every heartbeat; three missed heartbeats end the connection.
func (h *Hub) readLoop(ctx context.Context, c *conn) {
	idle := 3 * h.opts.Heartbeat
	c.ws.SetReadLimit(hubproto.MaxMessageSize)
	_ = c.ws.SetReadDeadline(time.Now().Add(idle))
	c.ws.SetPingHandler(func(data string) error {
		if !c.received.take(time.Now(), frameRate) {
			return errFlood
		}
		_ = c.ws.SetReadDeadline(time.Now().Add(idle))
		h.touch(c)
		err := c.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(writeTimeout))
		if errors.Is(err, websocket.ErrCloseSent) {
			return nil
		}
		return err
	})
	for {
		typ, data, buf, err := readFrame(c.ws)
		if err != nil {
			switch {
			case errors.Is(err, websocket.ErrReadLimit):
				h.log.Warn("kiosk sent an oversized frame; closing", "device", c.id)
			case errors.Is(err, errFlood):
				h.log.Warn("kiosk sent pings faster than any kiosk does; closing", "device", c.id)
				c.bye("protocol")
			}
			return
		}
		if !c.received.take(time.Now(), frameRate) {
			frames.Put(buf)
			h.log.Warn("kiosk sent frames faster than any kiosk does; closing", "device", c.id)
			c.bye("protocol")
			return
		}
		_ = c.ws.SetReadDeadline(time.Now().Add(idle))
		if typ != websocket.TextMessage {
			h.log.Warn("kiosk sent a binary frame; closing", "device", c.id)
			c.bye("protocol")
			return
		}
		m, err := hubproto.Decode(data)
		frames.Put(buf) // Decode copied what it keeps
		if err != nil {
			h.log.Warn("kiosk sent a bad message; closing", "device", c.id, "err", err)
			c.bye("protocol")
			return
		}
		h.handle(ctx, c, m)
	}
}

// errFlood ends a connection whose kiosk sends more than frameRate allows.
var errFlood = errors.New("too many frames")

// frames recycles read buffers: a burst of acks from the whole fleet then
// reuses a few buffers instead of allocating one per frame for the GC.
var frames = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// readFrame reads one message into a pooled buffer; put buf back when done
// with data. The connection's read limit bounds its size.
func readFrame(ws *websocket.Conn) (typ int, data []byte, buf *[]byte, err error) {
	typ, r, err := ws.NextReader()
	if err != nil {
		return 0, nil, nil, err
	}
	buf = frames.Get().(*[]byte)
	b := (*buf)[:0]
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			*buf = b
			return typ, b, buf, nil
		}
		if err != nil {
			*buf = b
			frames.Put(buf)
			return 0, nil, nil, err
		}
	}
}

func (h *Hub) handle(ctx context.Context, c *conn, m hubproto.Message) {
	now := h.now()
	switch b := m.Body.(type) {
	case *hubproto.Status:
		b.FreeDisk = believedFreeDisk(b.FreeDisk)
		c.gen.Store(b.Generation)
		h.live.status(c.id, *b, now)
		// A kiosk that says it is behind, after the welcome or an
		// announcement, is told again: pushes can be lost on a bad link.
		// At most once a minute, so a kiosk cannot make the hub write to it
		// at will (and fill a socket it never reads).
		t := h.targetFor(*c.wave.Load())
		if t > b.Generation && b.State == hubproto.StateIdle && b.TargetGeneration < t &&
			now.Unix()-c.reannounced.Load() >= 60 {
			c.reannounced.Store(now.Unix())
			h.tell(c, t, nil)
		}
	case *hubproto.Ack:
		h.countAck(b.Generation)
	case *hubproto.Report:
		h.touch(c)
		h.report(ctx, c, *b, now)
	default:
		h.log.Warn("kiosk sent a hub-only message; closing", "device", c.id, "type", m.Type)
		c.bye("protocol")
	}
}

// seenEvery is how stale "last seen" may get in the database while a kiosk
// is connected (the fleet view shows connected kiosks as online anyway): a
// province of kiosks pinging every 30 s costs a write per kiosk a minute.
const seenEvery = time.Minute

// touch records that the kiosk is alive, at most once per seenEvery.
func (h *Hub) touch(c *conn) {
	now := h.now()
	if last := c.seenAt.Load(); now.Unix()-last < int64(seenEvery/time.Second) {
		return
	}
	c.seenAt.Store(now.Unix())
	h.live.seen(c.id, now)
}

// countAck counts an acknowledgement of a published generation. Acks of any
// other number are not counted: a kiosk could otherwise grow the map with
// every generation it cares to name.
func (h *Hub) countAck(gen int64) {
	if !h.published(gen) {
		return
	}
	v, _ := h.acks.LoadOrStore(gen, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

// Acks is how many announcements of generation gen kiosks have acknowledged.
func (h *Hub) Acks(gen int64) int64 {
	v, ok := h.acks.Load(gen)
	if !ok {
		return 0
	}
	return v.(*atomic.Int64).Load()
}

// announce tells every connected kiosk that is behind its target.
func (h *Hub) announce() {
	frames := map[int64][]byte{}
	for _, c := range h.conns.snapshot() {
		if t := h.targetFor(*c.wave.Load()); owed(c, t) {
			h.tell(c, t, frames)
		}
	}
}

// owed says whether c should be told of target t: it is behind t and was
// not told of it already.
func owed(c *conn, t int64) bool { return t != 0 && t > c.gen.Load() && t != c.told.Load() }

// tell announces generation t to c, encoding the frame once per generation
// when cache is given. A generation the protocol cannot carry is logged and
// never sent: targets come from the database, which an older hub may have
// filled with one.
func (h *Hub) tell(c *conn, t int64, cache map[int64][]byte) {
	f, ok := cache[t]
	if !ok {
		var err error
		if f, err = hubproto.Encode(&hubproto.Announce{Generation: t}); err != nil {
			h.log.Error("cannot announce a generation", "generation", t, "err", err)
			return
		}
		if cache != nil {
			cache[t] = f
		}
	}
	c.told.Store(t)
	c.announce(f)
}

// handleEvent acts on what a hub (this one or another) published. Events
// may come twice (a PostgreSQL hub's publish notifies, and so does the
// fleet_version trigger) or be lost (a broker reconnecting): each handler
// reads the database rather than trusting the event, so a repeat changes
// nothing and the next rollout event or poll repairs a loss.
func (h *Hub) handleEvent(ctx context.Context, ev Event) {
	switch ev.Kind {
	case EventRollout:
		if err := h.reloadRollouts(ctx); err != nil {
			h.log.Error("reload rollouts", "err", err)
			return
		}
		h.announce()
		h.syncConns(ctx)
	case EventRevoked:
		if c := h.conns.get(ev.DeviceID); c != nil {
			c.bye("revoked")
		}
	case EventWave:
		if c := h.conns.get(ev.DeviceID); c != nil {
			h.refreshWave(ctx, c)
		}
	}
}

// syncConns re-reads every connected kiosk's wave and revocation, closing
// revoked kiosks and telling a kiosk whose wave moved its new target: an
// EventWave or EventRevoked lost while a broker reconnected is repaired at
// the next rollout event, which a broker sends after every reconnection.
// It is one read of the devices table per rollout change, after the
// announcement so as not to delay it.
func (h *Hub) syncConns(ctx context.Context) {
	rows, err := h.DB.QueryContext(ctx, `SELECT id, wave, revoked_at IS NOT NULL FROM devices`)
	if err != nil {
		h.log.Error("re-read connected devices", "err", err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var w sql.NullInt64
		var revoked bool
		if err := rows.Scan(&id, &w, &revoked); err != nil {
			h.log.Error("re-read connected devices", "err", err)
			return
		}
		c := h.conns.get(id)
		switch {
		case c == nil:
		case revoked:
			c.bye("revoked")
		case w != *c.wave.Load():
			c.setWave(w)
			if t := h.targetFor(w); owed(c, t) {
				h.tell(c, t, nil)
			}
		}
	}
}

// refreshWave re-reads a connected device's wave and announces its target
// if that moved ahead of it.
func (h *Hub) refreshWave(ctx context.Context, c *conn) {
	var w sql.NullInt64
	if err := h.DB.QueryRowContext(ctx, `SELECT wave FROM devices WHERE id = $1`, c.id).Scan(&w); err != nil {
		h.log.Error("read a device's wave", "device", c.id, "err", err)
		return
	}
	c.setWave(w)
	if t := h.targetFor(w); owed(c, t) {
		h.tell(c, t, nil)
	}
}
