// Formatting shared by the insights screen's parts.

import { t } from '../../lib/i18n';

const counts = new Intl.NumberFormat('vi-VN');

/** 1234 → "1.234". */
export function formatCount(n: number): string {
  return counts.format(n);
}

/** 250 → "4 phút 10 giây". */
export function formatDuration(seconds: number): string {
  return t('usage.duration', { m: Math.floor(seconds / 60), s: seconds % 60 });
}

/** Share of part in whole as "42 %", or "–" when whole is 0. */
export function formatShare(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)} %` : '–';
}
