// Usage events. track() never blocks and never throws: the event is handed to
// the sink on a microtask. The usage feature installs the real sink (POST
// /api/events) with setTrackSink(); until then events are dropped.
//
// Events carry no free text and no identifiers beyond the random session id,
// which the sink adds.

import type { UsageTrackEvent } from './api';

/**
 * A usage event: one of the kiosk's closed schema (generated from
 * kiosk/usage/event.go, so a misspelt type or field does not compile), or
 * session_started, which opens a session (the server records it itself).
 */
export type TrackEvent = UsageTrackEvent | { type: 'session_started' };

export type TrackSink = (event: TrackEvent) => void;

let sink: TrackSink = () => {};

/** Install the function that receives every event (the usage feature does). */
export function setTrackSink(fn: TrackSink): void {
  sink = fn;
}

/** Record a usage event, fire-and-forget. */
export function track(event: TrackEvent): void {
  queueMicrotask(() => {
    try {
      sink(event);
    } catch (err) {
      console.error('track sink', err);
    }
  });
}
