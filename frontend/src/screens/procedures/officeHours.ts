// Which of the kiosk's phases of the office's day holds now. The kiosk works
// out the hours (kiosk/content: open, before, break, over, closed_day, and
// when it opens next); the page only compares its clock with the times the
// phases begin, so the line stays right as the afternoon goes on while the
// screen is open (a resident at 15:46 read "Hôm nay mở cửa: 07:30–08:00"
// and went).

import type { Closing, OfficePhase, Reopening } from '../../lib/api';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The phase that began last at or before nowMs (ms since the epoch); the
 * first if none has yet. The phases cover the day they were made for: a
 * screen left open past its midnight gets none (the card then shows the
 * hours as written), never yesterday's "sáng mai".
 */
export function phaseAt(phases: readonly OfficePhase[], nowMs: number): OfficePhase | undefined {
  if (!phases.length || nowMs >= Date.parse(phases[0]!.from) + DAY_MS) return undefined;
  let at = phases[0];
  for (const p of phases) if (Date.parse(p.from) <= nowMs) at = p;
  return at;
}

/** The catalogue key (procedures.result.reopen_…) saying when the office opens again. */
export function reopenKey(r: Reopening): string {
  return r.when === 'tomorrow' ? `tomorrow_${r.part}` : r.when;
}

/**
 * Whole minutes left until the office closes, as the closed notice counts
 * them (rounded up, at least 1): the kiosk says when the office closes; the
 * page counts down to it by its own clock.
 */
export function minutesLeft(c: Closing, nowMs: number): number {
  return Math.max(1, Math.ceil((Date.parse(c.at) - nowMs) / 60_000));
}

/** The catalogue key (procedures.result.closing_…) for what follows the closing. */
export function closingKey(c: Closing): string {
  return `closing_${c.then === 'lunch' || c.then === 'break' ? c.then : 'over'}`;
}

/** "07:30-11:30" as the kiosk's screens write a span: "07:30–11:30". */
export const dashed = (span: string) => span.replace('-', '\u2013');
