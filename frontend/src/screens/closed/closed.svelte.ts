// Opening hours on screen: outside them the kiosk shows a "closed" notice with
// the hours (screens/closed/Closed.svelte) and, after a while, rests with a
// dark screen; a touch brings the notice back for a minute. The kiosk decides
// open or closed (GET /api/hours) in its own time zone; this only displays it.

import { getHours, type ClosedOffice, type Day, type Hours } from '../../lib/api';

export const DAYS: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const SUNDAY_FIRST: readonly Day[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const POLL_MS = 30_000;
const WAKE_MS = 60_000;
/** How long before closing a resident in a session is told the time. */
export const CLOSING_SOON_MINUTES = 15;

/**
 * The hours in force, and the page's clock: now ticks every few seconds, and
 * heardAt is the page's time when hours came, so that between polls the
 * kiosk's time is its answer's now plus what the page counted since.
 */
export const closed: { hours: Hours | null; heardAt: number; wokenUntil: number; now: number } = $state({
  hours: null,
  heardAt: 0,
  wokenUntil: 0,
  now: Date.now(),
});

/** A touch on the dark screen shows the notice again for a while. */
export function wake(): void {
  closed.wokenUntil = Date.now() + WAKE_MS;
}

/** Whether the notice should be dark now. */
export function resting(h: Hours, now: number, wokenUntil: number): boolean {
  return h.blank && now >= wokenUntil;
}

/** Take h as the hours in force: the poll's answer, or staff's change in the panel. */
export function heard(h: Hours): void {
  closed.hours = h;
  closed.heardAt = closed.now = Date.now();
}

async function poll(): Promise<void> {
  try {
    heard(await getHours());
  } catch {
    // Keep what we knew: a kiosk busy for a moment must not flash open.
  }
}

/** Follow the opening hours until the returned function is called. */
export function watchHours(): () => void {
  void poll();
  const pollId = setInterval(poll, POLL_MS);
  const tickId = setInterval(() => (closed.now = Date.now()), 5_000);
  return () => {
    clearInterval(pollId);
    clearInterval(tickId);
  };
}

/**
 * The hours of h as they stand elapsed ms (by the page's clock) after the
 * kiosk answered: past closes_at it is closed, since then; past opens_at it
 * is open. The notice and the band change on time between polls (review
 * s28: the notice waited up to a poll), and a page clock set wrong cannot
 * move them. What only the kiosk can say (when it opens again, when it
 * closes next, staff's exception, whether the screen rests) is left out
 * until it answers again. h itself when nothing has turned.
 */
export function hoursNow(h: Hours, elapsed: number): Hours {
  const now = Date.parse(h.now) + Math.max(0, elapsed);
  const { closes_at, opens_at, closed_since, override, ...rest } = h;
  if (h.open && closes_at && now >= Date.parse(closes_at)) {
    return { ...rest, open: false, blank: false, closed_since: closes_at };
  }
  if (!h.open && opens_at && now >= Date.parse(opens_at)) {
    return { ...rest, open: true, blank: false };
  }
  return h;
}

/** The hours in force now, by the page's clock since the kiosk answered. */
export function hoursInForce(): Hours | null {
  return closed.hours && hoursNow(closed.hours, closed.now - closed.heardAt);
}

/** Wall-clock parts of an RFC 3339 time as written, in the kiosk's zone (not the browser's). */
export function wallClock(rfc: string): { date: string; time: string; day: Day } {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(rfc);
  if (!m) return { date: '', time: '', day: 'mon' };
  const [, y, mo, d, hh, mm] = m;
  const weekday = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDay();
  return { date: `${y}-${mo}-${d}`, time: `${hh}:${mm}`, day: SUNDAY_FIRST[weekday] ?? 'mon' };
}

export type Moment = { key: 'today' | 'tomorrow' | 'tomorrow_untimed' | 'day' | 'next_week'; time: string; day: Day };

/** Which "opens again" sentence to show, and its parts. */
export function reopening(h: Hours): Moment | null {
  return h.opens_at ? reopensAt(h, h.opens_at) : null;
}

/**
 * When the kiosk of h opens again at (RFC 3339), said from its now. Without
 * opening hours, a kiosk closed for today opens at midnight: "tomorrow",
 * never "00:00", which reads as a time someone will be there.
 */
export function reopensAt(h: Hours, at: string): Moment {
  const m = momentFrom(h.now, at);
  return !h.scheduled && m.key === 'tomorrow' ? { ...m, key: 'tomorrow_untimed' } : m;
}

/** A time (RFC 3339) as a day said from now's (today, tomorrow, a weekday, next week's), and its clock time. */
export function momentFrom(nowRfc: string, atRfc: string): Moment {
  const now = wallClock(nowRfc);
  const at = wallClock(atRfc);
  const tomorrow = new Date(Date.parse(now.date + 'T00:00:00Z') + 86_400_000).toISOString().slice(0, 10);
  // The same weekday as today, a week on: "Chủ nhật" alone reads as today.
  const key = at.date === now.date ? 'today' : at.date === tomorrow ? 'tomorrow' : at.day === now.day ? 'next_week' : 'day';
  return { key, time: at.time, day: at.day };
}

/** Whether staff closed the kiosk (for today) and that is in force. */
export function closedByStaff(h: Hours): boolean {
  return !h.open && !!h.override && !h.override.open;
}

/** "07:30-11:30" → "07:30–11:30", joined for reading. */
export function spans(list: string[] | undefined): string {
  return (list ?? []).map((s) => s.replace('-', '–')).join(', ');
}

export type ClosingNote =
  | { key: 'soon'; time: string; minutes: number }
  | { key: 'over' | 'over_at' | 'staff_at'; time: string };

/**
 * What a resident in a session is told about closing time: nothing while the
 * kiosk is open for a while yet; the time and the minutes left in the last
 * CLOSING_SOON_MINUTES; that opening hours are over once they are (a session
 * is never cut short for it), with the time it closed, or no time; that
 * staff closed it today, and when, with or without opening hours. The
 * kiosk's time is h.now plus elapsed, what the page's clock counted since the
 * answer came: the note changes on time between polls (outside QA s27: up
 * to a poll late), and a page clock set wrong cannot move closing time.
 */
export function closingNote(h: Hours | null, elapsed = 0): ClosingNote | null {
  if (!h) return null;
  if (!h.open) return closedNote(h);
  if (!h.closes_at) return null;
  const now = Date.parse(h.now) + Math.max(0, elapsed);
  const left = Math.ceil((Date.parse(h.closes_at) - now) / 60_000);
  if (left <= 0) return { key: 'over_at', time: wallClock(h.closes_at).time };
  if (!(left <= CLOSING_SOON_MINUTES)) return null;
  return { key: 'soon', time: wallClock(h.closes_at).time, minutes: left };
}

/** The note for a kiosk closed now: by staff (hours or none), or at the end of its hours. */
function closedNote(h: Hours): ClosingNote | null {
  const since = h.closed_since ? wallClock(h.closed_since).time : '';
  if (closedByStaff(h) && since) return { key: 'staff_at', time: since };
  if (!h.scheduled) return null;
  return since ? { key: 'over_at', time: since } : { key: 'over', time: '' };
}

/** The closing note for the hours known now, by the page's clock since they came. */
export function closingNow(): ClosingNote | null {
  return closingNote(hoursInForce(), closed.now - closed.heardAt);
}

export type OfficeNow =
  | { open: true; until: string }
  | { open: false; dayOff: boolean; opens: Moment | null };

const DAY_MS = 86_400_000;

/**
 * How the commune's office of h stands elapsed ms (by the page's clock)
 * after the kiosk answered: the kiosk says how it stands from each time of
 * its day on (kiosk/api/hours.go, read as the procedures' office card reads
 * the hours); the page only finds the one in force, so "open until 17:00"
 * turns "closed" on time between polls. Null when nothing can be said: no
 * office, hours the kiosk could not read, or past the day the answer was for.
 */
export function officeNow(office: ClosedOffice | undefined, h: Hours, elapsed: number): OfficeNow | null {
  const phases = office?.phases ?? [];
  const first = phases[0];
  if (!office || !first) return null;
  const now = Date.parse(h.now) + Math.max(0, elapsed);
  if (now >= Date.parse(first.from) + DAY_MS) return null;
  let at = first;
  for (const p of phases) if (Date.parse(p.from) <= now) at = p;
  if (at.open) return { open: true, until: at.until ?? '' };
  const o = at.opens;
  const opens = o && isDay(o.day) && isMomentKey(o.when) ? { key: o.when, time: o.time, day: o.day } : null;
  return { open: false, dayOff: office.today_known && office.today === '', opens };
}

function isDay(d: string): d is Day {
  return (DAYS as readonly string[]).includes(d);
}

function isMomentKey(k: string): k is Moment['key'] {
  return k === 'today' || k === 'tomorrow' || k === 'day' || k === 'next_week';
}
