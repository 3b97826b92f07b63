import { describe, expect, it } from 'vitest';
import { formatDay, funnelRows } from './insights';

describe('staff usage figures', () => {
  it('writes days as dd/mm/yyyy, as the rest of the staff panel does', () => {
    expect(formatDay('2026-12-08')).toBe('08/12/2026');
    expect(formatDay('')).toBe('');
    expect(formatDay('not a day')).toBe('not a day');
  });

  it('lists the check questions after the steps, each a row of its own', () => {
    const rows = funnelRows({
      steps: [
        { step: 1, viewed: 2, abandoned: 0, wrong: 0 },
        { step: 7, viewed: 2, abandoned: 0, wrong: 1 },
      ],
      checks: [
        { step: 1, viewed: 2, abandoned: 0, wrong: 1 },
        { step: 2, viewed: 1, abandoned: 1, wrong: 0 },
      ],
    });
    expect(rows).toEqual([
      { kind: 'step', n: 1, values: [2, 0, 0] },
      { kind: 'step', n: 7, values: [2, 0, 1] },
      { kind: 'check', n: 1, values: [2, 0, 1] },
      { kind: 'check', n: 2, values: [1, 1, 0] },
    ]);
  });
});
