import { describe, expect, it } from 'vitest';
import { kioskMinute, todayHours } from './officeHours';

const at = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

describe('todayHours', () => {
  it.each([
    // The resident's case: a short morning, read in the afternoon.
    ['07:30-08:00', '15:46', { key: 'today_over' }],
    ['07:30-08:00', '07:00', { key: 'today' }],
    ['07:30-08:00', '07:45', { key: 'today' }],
    ['07:30-08:00', '08:00', { key: 'today_over' }],
    // Several spans: the day is over only after the last one.
    ['07:00-11:30, 13:30-17:00', '06:59', { key: 'today' }],
    ['07:00-11:30, 13:30-17:00', '10:00', { key: 'today' }],
    ['07:00-11:30, 13:30-17:00', '12:00', { key: 'today_break', time: '13:30' }],
    ['07:00-11:30, 13:30-17:00', '15:46', { key: 'today' }],
    ['07:00-11:30, 13:30-17:00', '17:00', { key: 'today_over' }],
    ['13:30-17:00, 07:00-11:30', '18:00', { key: 'today_over' }],
    // As the kiosk may write them: "7h30", an en dash, a non-breaking hyphen.
    ['7h30–11h30', '12:00', { key: 'today_over' }],
    ['07:00\u201111:30', '12:00', { key: 'today_over' }],
    // Unreadable hours are shown as they are.
    ['sáng 7 giờ', '23:00', { key: 'today' }],
    ['', '23:00', { key: 'today' }],
  ])('%s at %s', (today, now, want) => {
    expect(todayHours(today, at(now))).toEqual(want);
  });
});

describe('kioskMinute', () => {
  it('uses the kiosk zone, not the browser one', () => {
    // 08:46 UTC is 15:46 in Vietnam.
    expect(kioskMinute(Date.UTC(2026, 11, 7, 8, 46, 30), '2026-12-07T15:40:00+07:00')).toBe(at('15:46'));
    expect(kioskMinute(Date.UTC(2026, 11, 7, 20, 0), '2026-12-07T15:40:00+07:00')).toBe(at('03:00'));
    expect(kioskMinute(Date.UTC(2026, 11, 7, 2, 0), '2026-12-07T02:00:00Z')).toBe(at('02:00'));
    expect(kioskMinute(Date.UTC(2026, 11, 7, 2, 0), '2026-12-06T21:00:00-05:00')).toBe(at('21:00'));
  });
});
