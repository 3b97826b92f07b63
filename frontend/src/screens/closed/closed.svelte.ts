// Opening hours on screen: outside them the kiosk shows a "closed" notice with
// the hours (screens/closed/Closed.svelte) and, after a while, rests with a
// dark screen; a touch brings the notice back for a minute. The kiosk decides
// open or closed (GET /api/hours) in its own time zone; this only displays it.

import { getHours, type Day, type Hours } from '../../lib/api';

export const DAYS: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const SUNDAY_FIRST: readonly Day[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const POLL_MS = 30_000;
const WAKE_MS = 60_000;

export const closed: { hours: Hours | null; wokenUntil: number; now: number } = $state({
  hours: null,
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

async function poll(): Promise<void> {
  try {
    closed.hours = await getHours();
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

/** Wall-clock parts of an RFC 3339 time as written, in the kiosk's zone (not the browser's). */
export function wallClock(rfc: string): { date: string; time: string; day: Day } {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(rfc);
  if (!m) return { date: '', time: '', day: 'mon' };
  const [, y, mo, d, hh, mm] = m;
  const weekday = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDay();
  return { date: `${y}-${mo}-${d}`, time: `${hh}:${mm}`, day: SUNDAY_FIRST[weekday] ?? 'mon' };
}

/** Which "opens again" sentence to show, and its parts. */
export function reopening(h: Hours): { key: 'today' | 'tomorrow' | 'day' | 'next_week'; time: string; day: Day } | null {
  if (!h.opens_at) return null;
  const now = wallClock(h.now);
  const at = wallClock(h.opens_at);
  const tomorrow = new Date(Date.parse(now.date + 'T00:00:00Z') + 86_400_000).toISOString().slice(0, 10);
  // The same weekday as today, a week on: "Chủ Nhật" alone reads as today.
  const key = at.date === now.date ? 'today' : at.date === tomorrow ? 'tomorrow' : at.day === now.day ? 'next_week' : 'day';
  return { key, time: at.time, day: at.day };
}

/** "07:30-11:30" → "07:30–11:30", joined for reading. */
export function spans(list: string[] | undefined): string {
  return (list ?? []).map((s) => s.replace('-', '–')).join(', ');
}
