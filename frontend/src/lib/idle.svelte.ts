// Idle watch. After `quiet` seconds without a touch, a key or playing media the
// kiosk asks whether the person is still there and counts down `warning`
// seconds; at zero the session is wiped. The shell feeds activity() from
// input events; media players call activity() while they play.

export type IdlePhase = 'off' | 'active' | 'warning';

interface IdleState {
  phase: IdlePhase;
  /** Whole seconds left in the warning countdown. */
  remaining: number;
  quiet: number;
  warning: number;
}

export const idle: IdleState = $state({ phase: 'off', remaining: 0, quiet: 90, warning: 40 });

/**
 * A way to keep one's place that the warning offers beside "still here"
 * (outside QA s28: a resident who walked away mid-lesson lost it, and the
 * warning only said everything would be erased). The lesson player offers
 * its "Tiếp tục sau" code while it is open.
 */
export const keep: { open: (() => void) | undefined } = $state({ open: undefined });

/** Offer open in the warning until the returned function withdraws it. */
export function offerKeep(open: () => void): () => void {
  keep.open = open;
  return () => {
    if (keep.open === open) keep.open = undefined;
  };
}

/** The resident took the offer: the session goes on and the offer opens. */
export function takeKeep(): void {
  const open = keep.open;
  stillHere();
  open?.();
}

let quietTimer: ReturnType<typeof setTimeout> | undefined;
let tick: ReturnType<typeof setInterval> | undefined;
let deadline = 0;
let onWarn: () => void = () => {};
let onExpire: () => void = () => {};
let holds = 0;

function clearTimers(): void {
  clearTimeout(quietTimer);
  clearInterval(tick);
  quietTimer = undefined;
  tick = undefined;
}

function armQuiet(): void {
  clearTimers();
  idle.phase = 'active';
  if (holds > 0) return;
  quietTimer = setTimeout(startWarning, idle.quiet * 1000);
}

function startWarning(): void {
  clearTimers();
  idle.phase = 'warning';
  deadline = Date.now() + idle.warning * 1000;
  idle.remaining = idle.warning;
  onWarn();
  tick = setInterval(() => {
    idle.remaining = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    if (idle.remaining <= 0) {
      stopIdle();
      onExpire();
    }
  }, 250);
}

/** Set the timings (seconds) from GET /api/kiosk. */
export function configureIdle(quiet: number, warning: number): void {
  idle.quiet = Math.max(1, quiet);
  idle.warning = Math.max(1, warning);
}

/** Start watching (a session began). warn runs when the warning shows; expire at zero. */
export function startIdle(warn: () => void, expire: () => void): void {
  onWarn = warn;
  onExpire = expire;
  armQuiet();
}

/** Stop watching (no session, or staff mode). */
export function stopIdle(): void {
  clearTimers();
  idle.phase = 'off';
}

/**
 * Something happened that shows a person is there. During the warning only
 * an explicit stillHere() continues, so a stray touch on the way out does not.
 */
export function activity(): void {
  if (idle.phase === 'active') armQuiet();
}

/** The resident answered "Tôi vẫn đang dùng". */
export function stillHere(): void {
  if (idle.phase !== 'off') armQuiet();
}

/**
 * Keep the session alive while something plays (audio, video). Returns the
 * release function; the quiet spell restarts when the last hold is released.
 */
export function holdActive(): () => void {
  holds++;
  if (idle.phase === 'active') clearTimers();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holds = Math.max(0, holds - 1);
    if (idle.phase === 'active') armQuiet();
  };
}
