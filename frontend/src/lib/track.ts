// Usage events. track() never blocks and never throws: the event is handed to
// the sink on a microtask. The usage feature installs the real sink (POST
// /api/events) with setTrackSink(); until then events are dropped.
//
// Events carry no free text and no identifiers beyond the random session id,
// which the sink adds together with the language and audio preference.

/** A usage event: a type and a few plain fields (ids, counts, short enums). */
export interface TrackEvent {
  type: string;
  [field: string]: string | number | boolean | undefined;
}

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
