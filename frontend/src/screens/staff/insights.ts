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

/** A calendar day "2026-12-08" as staff write it everywhere else: "08/12/2026". */
export function formatDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : day;
}

/** A row of the lesson funnel: a step, or a check question after the steps. */
export interface FunnelRow {
  kind: 'step' | 'check';
  n: number;
  values: [viewed: number, abandoned: number, wrong: number];
}

type FunnelFigures = { step: number; viewed: number; abandoned: number; wrong: number };

/**
 * The lesson's steps, then its check questions, in order: a resident who
 * left on a question stopped there, not at the last step.
 */
export function funnelRows(f: { steps: FunnelFigures[]; checks?: FunnelFigures[] }): FunnelRow[] {
  const row = (kind: FunnelRow['kind']) => (s: FunnelFigures): FunnelRow => ({
    kind,
    n: s.step,
    values: [s.viewed, s.abandoned, s.wrong],
  });
  return [...f.steps.map(row('step')), ...(f.checks ?? []).map(row('check'))];
}
