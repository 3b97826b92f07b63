// The usage sink: receives every track() event and sends it to POST
// /api/events in small batches, fire-and-forget. Nothing here ever waits on
// the server or throws into the UI.
//
// The events' types and fields are the server's own (generated from
// kiosk/usage/event.go), so there is no translation here; the values are
// checked once more before they leave, as the server will (ids, small
// numbers, short enums — never typed text).

import { sendUsageEvents, startUsageSession, type UsageEvent, type UsageTrackEvent } from './api';
import { session } from './session.svelte';
import { setTrackSink, type TrackEvent } from './track';

/** Ids, screen names, codes, enums: no spaces, no accents, short. */
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/**
 * The event to send, or null when it must not leave the kiosk: a value that
 * is not a plain token or a small step number (a bug that would send typed
 * text), or staff at work, who are not residents.
 */
export function toUsageEvent(ev: UsageTrackEvent): UsageTrackEvent | null {
  for (const [key, value] of Object.entries(ev)) {
    if (value === undefined) continue;
    const ok =
      key === 'step'
        ? typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 99
        : typeof value === 'string' && TOKEN.test(value);
    if (!ok) return null;
  }
  if ('screen' in ev && ev.screen?.startsWith('staff')) return null;
  return ev;
}

/** How long events wait to be sent together, and how many at most. */
const BATCH_MS = 1000;
const BATCH_MAX = 20;

/**
 * One resident session's outbox. Its batches go one after another, each once
 * the last is answered: the kiosk closes a session on its session_ended, so
 * a batch overtaken by the last one (two requests in flight) was refused as
 * of an unknown session, its events lost (a staff call among them) and a
 * session that never was counted in their place.
 */
class Outbox {
  private sid = '';
  private ready: Promise<void>;
  private last: Promise<void>;
  private events: UsageTrackEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** session_ended was pushed: the visit is over, whatever the kiosk answers. */
  private ended = false;

  constructor() {
    this.ready = this.open();
    this.last = this.ready;
  }

  private async open(): Promise<void> {
    try {
      this.sid = (await startUsageSession()).session;
    } catch {
      this.sid = ''; // no usage log: events are dropped
    }
  }

  push(e: UsageTrackEvent): void {
    if (e.type === 'session_ended') this.ended = true;
    this.events.push(e);
    if (this.events.length >= BATCH_MAX) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  /** Send what waits. beacon: the page is going away now. */
  flush(beacon = false): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.events.splice(0);
    if (batch.length === 0) return;
    if (beacon && this.sid) {
      void sendUsageEvents(this.stamp(batch), true);
      return;
    }
    this.last = this.last.then(() => this.send(batch));
    inFlight(this.last);
  }

  private stamp(batch: UsageTrackEvent[]): UsageEvent[] {
    return batch.map((e) => ({ ...e, session: this.sid }));
  }

  private async send(batch: UsageTrackEvent[]): Promise<void> {
    await this.ready; // a new session after a 409
    if (!this.sid) return;
    const status = await sendUsageEvents(this.stamp(batch));
    if (status === 400 && batch.length > 1) {
      // One event the server refused (content changed under it, say): send
      // the others one by one rather than lose them all.
      for (const e of batch) await sendUsageEvents(this.stamp([e]));
    } else if (status === 409 && !this.ended) {
      // The kiosk restarted and forgot the session: carry on with a new one.
      // Not once the visit has ended: a session the kiosk closed for quiet
      // while staff helped at the panel, ended from there, would otherwise
      // open an empty one, counted as a visit (outside QA: 4 for 3).
      this.ready = this.open();
    }
  }
}

let outbox: Outbox | null = null;

const sending = new Set<Promise<void>>();

function inFlight(p: Promise<void>): void {
  sending.add(p);
  const done = () => void sending.delete(p);
  p.then(done, done);
}

/** Settles once every event tracked so far has been answered (or failed). */
export async function usageSent(): Promise<void> {
  await Promise.resolve(); // track() hands events to the sink on a microtask: let those queued so far in
  await Promise.allSettled([...sending]);
}

/** The sink installed into track(). */
export function usageSink(ev: TrackEvent): void {
  if (ev.type === 'session_started') {
    outbox?.flush();
    outbox = new Outbox();
    outbox.push({ type: 'language_chosen', language: session.lang });
    return;
  }
  if (!outbox) return; // attract screen, staff mode: no resident session
  const e = toUsageEvent(ev);
  if (e) outbox.push(e);
  if (ev.type === 'session_ended') {
    outbox.flush();
    outbox = null;
  }
}

/** Send what waits now: before the page goes away, or for tests. */
export function flushUsage(beacon = false): void {
  outbox?.flush(beacon);
}

setTrackSink(usageSink);
if (typeof window !== 'undefined') {
  window.addEventListener('pagehide', () => flushUsage(true));
}
