import { describe, expect, it } from 'vitest';
import { bytes, clockSkewText, contentDay, percent, updateStateKey, when } from './format';

describe('staff panel formats', () => {
  it('dates as dd/mm/yyyy hh:mm, local time', () => {
    const d = new Date(2026, 10, 7, 9, 5);
    expect(when(d.toISOString())).toBe('07/11/2026 09:05');
    expect(when('')).toBe('');
    expect(when('not a date')).toBe('not a date');
  });

  it("dates in the kiosk's own zone, not the machine's", () => {
    expect(when('2026-11-27T17:30:00Z', 'Asia/Ho_Chi_Minh')).toBe('28/11/2026 00:30');
    expect(when('2026-11-27T17:30:00Z', 'UTC')).toBe('27/11/2026 17:30');
  });

  it("says when content was made in Vietnam's time, whatever the kiosk's zone", () => {
    // Generation 1796656473 is 2026-12-07 15:14:33 UTC.
    expect(contentDay('2026-12-07T15:14:33Z')).toBe('ngày 07/12/2026, 22:14');
    expect(contentDay('')).toBe('');
  });

  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1500, '1,5 KB'],
    [40_000_000, '40 MB'],
    [262_144, '262 KB'],
    [-5, '0 B'],
  ])('bytes(%d) = %s', (n, want) => {
    expect(bytes(n)).toBe(want);
  });

  it.each([
    [0, 0, 0],
    [5, 0, 0],
    [1, 3, 33],
    [10, 10, 100],
    [12, 10, 100],
  ])('percent(%d, %d) = %d', (done, total, want) => {
    expect(percent(done, total)).toBe(want);
  });
});

describe('updateStateKey', () => {
  it('says up to date only while the hub can say so', () => {
    expect(updateStateKey({ state: 'idle', connected: true }, false)).toBe('idle');
    expect(updateStateKey({ state: 'idle', connected: false }, false)).toBe('offline');
    expect(updateStateKey({ state: 'idle', connected: false }, true)).toBe('rolled_back');
    expect(updateStateKey({ state: 'failed', connected: false }, false)).toBe('failed');
  });
});

describe('clockSkewText', () => {
  it('says nothing when the clocks agree', () => {
    expect(clockSkewText(undefined)).toBe('');
    expect(clockSkewText(0)).toBe('');
  });

  it.each([
    [-7200, 'Đồng hồ của máy đang chậm hơn giờ của máy chủ tỉnh 2 giờ.'],
    [600, 'Đồng hồ của máy đang nhanh hơn giờ của máy chủ tỉnh 10 phút.'],
    [-400, 'Đồng hồ của máy đang chậm hơn giờ của máy chủ tỉnh 7 phút.'],
    [7170, 'Đồng hồ của máy đang nhanh hơn giờ của máy chủ tỉnh 2 giờ.'],
    [47 * 3600, 'Đồng hồ của máy đang nhanh hơn giờ của máy chủ tỉnh 47 giờ.'],
    [-3 * 86400, 'Đồng hồ của máy đang chậm hơn giờ của máy chủ tỉnh 3 ngày.'],
  ])('clockSkewText(%d) in Vietnamese, as staff read it', (seconds, want) => {
    expect(clockSkewText(seconds)).toBe(want);
  });
});
