import { describe, expect, it } from 'vitest';
import type { OfficePhase } from '../../lib/api';
import { closingKey, minutesLeft, phaseAt, reopenKey } from './officeHours';

// A Wednesday as the kiosk sends it, in Vietnam.
const day: OfficePhase[] = [
  { from: '2026-12-09T00:00:00+07:00', state: 'before', opens: { at: '2026-12-09T07:30:00+07:00', day: 'wed', day_name: 'Thứ Tư', time: '07:30', when: 'today', part: 'morning' } },
  { from: '2026-12-09T07:30:00+07:00', state: 'open' },
  { from: '2026-12-09T11:30:00+07:00', state: 'break', opens: { at: '2026-12-09T13:30:00+07:00', day: 'wed', day_name: 'Thứ Tư', time: '13:30', when: 'today', part: 'afternoon' } },
  { from: '2026-12-09T13:30:00+07:00', state: 'open' },
  { from: '2026-12-09T17:00:00+07:00', state: 'over', opens: { at: '2026-12-10T07:30:00+07:00', day: 'thu', day_name: 'Thứ Năm', time: '07:30', when: 'tomorrow', part: 'morning' } },
];

describe('phaseAt', () => {
  it.each([
    ['06:30', 'before'],
    ['07:30', 'open'],
    ['12:15', 'break'],
    ['15:46', 'open'],
    ['16:59', 'open'],
    ['17:00', 'over'],
    ['23:59', 'over'],
  ])('at %s', (hhmm, state) => {
    // The page's clock, in whatever zone the browser is set to.
    expect(phaseAt(day, Date.parse(`2026-12-09T${hhmm}:00+07:00`))?.state).toBe(state);
  });
  it('keeps the first phase before the day begins, and nothing without phases', () => {
    expect(phaseAt(day, Date.parse('2026-12-08T23:00:00+07:00'))?.state).toBe('before');
    expect(phaseAt([], Date.now())).toBeUndefined();
  });
  it('gives none once the day is over, rather than yesterday\'s "sáng mai"', () => {
    expect(phaseAt(day, Date.parse('2026-12-09T23:59:59+07:00'))?.state).toBe('over');
    expect(phaseAt(day, Date.parse('2026-12-10T00:00:00+07:00'))).toBeUndefined();
  });
});

describe('reopenKey', () => {
  it('says the part of the day only for tomorrow', () => {
    expect(reopenKey(day[4]!.opens!)).toBe('tomorrow_morning');
    expect(reopenKey({ at: '', day: 'mon', day_name: 'Thứ Hai', time: '07:30', when: 'day', part: 'morning' })).toBe('day');
    expect(reopenKey({ at: '', day: 'mon', day_name: 'Thứ Hai', time: '07:30', when: 'next_week', part: 'morning' })).toBe('next_week');
  });
});

describe('minutesLeft', () => {
  const lunch = { at: '2026-12-09T11:30:00+07:00', time: '11:30', then: 'lunch' };
  it.each([
    ['10:45', 45],
    ['11:10', 20],
    ['11:10:30', 20],
    ['11:29:30', 1],
    ['11:30', 1],
  ])('at %s, %i minutes', (hhmm, minutes) => {
    const at = hhmm.length === 5 ? `${hhmm}:00` : hhmm;
    expect(minutesLeft(lunch, Date.parse(`2026-12-09T${at}+07:00`))).toBe(minutes);
  });
  it('names what follows: lunch, a break, or the end of the day', () => {
    expect(closingKey(lunch)).toBe('closing_lunch');
    expect(closingKey({ ...lunch, then: 'break' })).toBe('closing_break');
    expect(closingKey({ ...lunch, then: 'over' })).toBe('closing_over');
  });
});
