// Today's office hours as a resident should read them now. The kiosk tells
// the hours of today ("07:30-11:30, 13:30-17:00"); whether they are still to
// come, under way or over is worked out here, from the page's clock in the
// kiosk's time zone, so the line stays right as the afternoon goes on
// (a resident at 15:46 read "Hôm nay mở cửa: 07:30–08:00" and went).

/** What to say about today's hours at a minute of the day. */
export type TodayHours =
  | { key: 'today' } // not opened yet, or open now: the hours as they are
  | { key: 'today_break'; time: string } // between two spans: when it opens again today
  | { key: 'today_over' }; // the last span has ended

const SPAN = /^(\d{1,2})[:h](\d{2})\s*[-–\u2011]\s*(\d{1,2})[:h](\d{2})$/;

/** Minutes since midnight of each span of "07:30-11:30, 13:30-17:00"; null when one cannot be read. */
export function readSpans(today: string): { from: number; to: number; start: string }[] | null {
  const out = [];
  for (const part of today.split(',')) {
    const m = SPAN.exec(part.trim());
    if (!m) return null;
    const [, fh, fm, th, tm] = m.map(Number) as [number, number, number, number, number];
    out.push({ from: fh * 60 + fm, to: th * 60 + tm, start: `${String(fh).padStart(2, '0')}:${String(fm).padStart(2, '0')}` });
  }
  return out.sort((a, b) => a.from - b.from);
}

/**
 * The sentence for today's hours at minute (0–1439) of the kiosk's day.
 * Hours it cannot read are shown as they are, never guessed over.
 */
export function todayHours(today: string, minute: number): TodayHours {
  const spans = readSpans(today);
  if (!spans?.length) return { key: 'today' };
  if (minute >= Math.max(...spans.map((s) => s.to))) return { key: 'today_over' };
  if (spans.some((s) => s.from <= minute && minute < s.to)) return { key: 'today' };
  const next = spans.find((s) => s.from > minute);
  // Before the first span the hours say it all; between spans, say when.
  if (next && spans.some((s) => s.to <= minute)) return { key: 'today_break', time: next.start };
  return { key: 'today' };
}

/**
 * The minute of the day now in the kiosk's time zone: the page's clock
 * (ms since the epoch) moved by the offset the kiosk wrote on its own time
 * ("2026-12-07T15:46:00+07:00", GET /api/hours), or the browser's zone when
 * the kiosk has not said yet.
 */
export function kioskMinute(nowMs: number, kioskNow?: string): number {
  const m = kioskNow ? /(Z|([+-])(\d{2}):(\d{2}))$/.exec(kioskNow) : null;
  if (!m) {
    const d = new Date(nowMs);
    return d.getHours() * 60 + d.getMinutes();
  }
  const offset = m[1] === 'Z' ? 0 : (m[2] === '-' ? -1 : 1) * (Number(m[3]) * 60 + Number(m[4]));
  const minutes = Math.floor(nowMs / 60_000) + offset;
  return ((minutes % 1440) + 1440) % 1440;
}
