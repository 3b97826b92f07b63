// The usage sink: receives every track() event, keeps only what the kiosk's
// closed usage schema allows (ids, small numbers, short enums — never typed
// text) and sends it to POST /api/events in small batches, fire-and-forget.
// Nothing here ever waits on the server or throws into the UI.
//
// The shell's own event names (session_start, screen_view, language, …) are
// translated; events the schema has no place for (text size, contrast, the
// idle warning, the shell's search {length}) are dropped here.

import { sendUsageEvents, startUsageSession, type UsageEvent } from './api';
import { session } from './session.svelte';
import { setTrackSink, type TrackEvent } from './track';

type Field = 'screen' | 'tutorial' | 'procedure' | 'step' | 'outcome' | 'language';

/** Which fields each event type may carry, as on the server. */
const FIELDS: Record<string, readonly Field[]> = {
  session_ended: [],
  screen_viewed: ['screen'],
  tutorial_opened: ['tutorial'],
  step_viewed: ['tutorial', 'step'],
  practice_right: ['tutorial', 'step'],
  practice_wrong: ['tutorial', 'step'],
  check_passed: ['tutorial', 'step'],
  tutorial_completed: ['tutorial'],
  tutorial_abandoned: ['tutorial', 'step'],
  procedure_viewed: ['procedure'],
  flow_finished: ['procedure'],
  qr_shown: ['tutorial', 'procedure'],
  search: ['outcome', 'tutorial', 'procedure'],
  audio_used: ['screen'],
  language_chosen: ['language'],
  staff_called: ['screen'],
};

/** The shell's names for the same events and fields. */
const TYPE_ALIAS: Record<string, string> = {
  session_end: 'session_ended',
  screen_view: 'screen_viewed',
  language: 'language_chosen',
  audio_play: 'audio_used',
};
const FIELD_ALIAS: Record<string, Field> = { lang: 'language' };

/** Ids, screen names, codes, enums: no spaces, no accents, short. */
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/**
 * The server event for a track() event, or null when the schema has no place
 * for it. Unknown fields and values that are not plain tokens are dropped.
 */
export function toUsageEvent(ev: TrackEvent): UsageEvent | null {
  ev = chosenResult(ev);
  const type = TYPE_ALIAS[ev.type] ?? ev.type;
  const allowed = FIELDS[type];
  if (!allowed) return null;
  const out: UsageEvent = { type };
  for (const [key, value] of Object.entries(ev)) {
    const field = FIELD_ALIAS[key] ?? (key as Field);
    if (!allowed.includes(field)) continue;
    if (field === 'step') {
      if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 99) out.step = value;
    } else if (field === 'outcome') {
      if (value === 'results' || value === 'none') out.outcome = value;
    } else if (typeof value === 'string' && TOKEN.test(value)) {
      out[field] = value;
    }
  }
  if (type === 'search' && !out.outcome) return null; // the shell's search {length}
  if (out.screen?.startsWith('staff')) return null; // staff at work are not residents
  return out;
}

/**
 * The search screen reports a chosen result as {outcome: 'chosen', kind, id}:
 * that is a search with results and the item chosen.
 */
function chosenResult(ev: TrackEvent): TrackEvent {
  if (ev.type !== 'search' || ev.outcome !== 'chosen') return ev;
  const item = ev.kind === 'procedure' ? 'procedure' : ev.kind === 'tutorial' ? 'tutorial' : '';
  return item ? { type: 'search', outcome: 'results', [item]: ev.id } : { type: 'search', outcome: 'results' };
}

/** How long events wait to be sent together, and how many at most. */
const BATCH_MS = 1000;
const BATCH_MAX = 20;

/** One resident session's outbox. */
class Outbox {
  private sid = '';
  private ready: Promise<void>;
  private events: UsageEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.ready = this.open();
  }

  private async open(): Promise<void> {
    try {
      this.sid = (await startUsageSession()).session;
    } catch {
      this.sid = ''; // no usage log: events are dropped
    }
  }

  push(e: UsageEvent): void {
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
    void this.ready.then(() => this.send(batch));
  }

  private stamp(batch: UsageEvent[]): UsageEvent[] {
    return batch.map((e) => ({ ...e, session: this.sid }));
  }

  private async send(batch: UsageEvent[]): Promise<void> {
    if (!this.sid) return;
    const status = await sendUsageEvents(this.stamp(batch));
    if (status === 400 && batch.length > 1) {
      // One event the server refused (content changed under it, say): send
      // the others one by one rather than lose them all.
      for (const e of batch) void sendUsageEvents(this.stamp([e]));
    } else if (status === 409) {
      // The kiosk restarted and forgot the session: carry on with a new one.
      this.ready = this.open();
    }
  }
}

let outbox: Outbox | null = null;

/** The sink installed into track(). */
export function usageSink(ev: TrackEvent): void {
  if (ev.type === 'session_start') {
    outbox?.flush();
    outbox = new Outbox();
    outbox.push({ type: 'language_chosen', language: session.lang });
    return;
  }
  if (!outbox) return; // attract screen, staff mode: no resident session
  const e = toUsageEvent(ev);
  if (e) outbox.push(e);
  if (ev.type === 'session_end') {
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
