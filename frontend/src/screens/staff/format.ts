// Small formatters for the staff panel: dates and byte counts as a Vietnamese
// reader expects them (dd/mm/yyyy 24-hour, comma decimals).
import { t } from '../../lib/i18n';
import { shell } from '../../lib/shell.svelte';

/**
 * An RFC 3339 time as "27/11/2026 14:05" in the kiosk's time zone (kiosks are
 * often installed with the clock in UTC); the raw text if unparseable.
 */
export function when(iso: string, timeZone = shell.kiosk?.timezone): string {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return iso;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: timeZone || undefined,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

const UNITS = ['B', 'KB', 'MB', 'GB'];

/** A byte count as "1,5 MB" (decimal units, as disk and network tools show). */
export function bytes(n: number, locale = 'vi-VN'): string {
  let v = Math.max(0, n);
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : 1;
  return `${v.toLocaleString(locale, { maximumFractionDigits: digits })} ${UNITS[u]}`;
}

/** Percent done, 0–100, for a progress bar (0 when the total is unknown). */
export function percent(done: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(100, Math.max(0, Math.round((done / total) * 100)));
}

/**
 * Which update_state line the update card shows: the client's state, but
 * "rolled back" while staff have declined what the hub offers, and
 * "waiting for the connection" instead of "up to date" while the hub cannot
 * be reached ("up to date" is the hub's word; the kiosk does not know).
 */
export function updateStateKey(u: { state: string; connected: boolean }, declined: boolean): string {
  if (declined && u.state === 'idle') return 'rolled_back';
  if (!u.connected && u.state === 'idle') return 'offline';
  return u.state;
}

/**
 * The update card's line about the kiosk's clock, from the update status's
 * clock_skew_seconds (how far the kiosk is ahead of the hub; negative behind;
 * absent when within 5 minutes): '' when the clocks agree. Minutes under two
 * hours, hours under two days, days beyond, so the number is never below 2
 * and no language needs a singular.
 */
export function clockSkewText(seconds = 0): string {
  if (!seconds) return '';
  const abs = Math.abs(seconds);
  const minutes = Math.round(abs / 60);
  const hours = Math.round(abs / 3600);
  const amount =
    minutes < 120
      ? t('shell.staff.clock_skew.minutes', { n: minutes })
      : hours < 48
        ? t('shell.staff.clock_skew.hours', { n: hours })
        : t('shell.staff.clock_skew.days', { n: Math.round(abs / 86400) });
  return t(`shell.staff.clock_skew.${seconds > 0 ? 'ahead' : 'behind'}`, { amount });
}

/** Vietnam's zone: the province's, whatever zone the kiosk's clock runs in. */
const VIETNAM = 'Asia/Ho_Chi_Minh';

/**
 * When content was made (made_at) as staff say it, in Vietnam's time:
 * "ngày 07/12/2026, 15:04", never the generation's unix seconds.
 */
export function contentDay(iso: string): string {
  const [date, time] = when(iso, VIETNAM).split(' ');
  return date && time ? t('shell.staff.content_day', { date, time }) : iso;
}
