import { describe, expect, it } from 'vitest';
import type { ClosedOffice, Hours } from '../../lib/api';
import { closedByStaff, closingNote, hoursNow, momentFrom, officeNow, reopening, resting, spans, wallClock } from './closed.svelte';

function hours(over: Partial<Hours>): Hours {
  return { scheduled: true, open: false, blank: false, now: '', today: [], week: {}, blank_after_seconds: 1800, ...over };
}

describe('closed notice', () => {
  it('reads wall-clock time in the kiosk zone, not the browser zone', () => {
    expect(wallClock('2026-11-30T07:30:00+07:00')).toEqual({ date: '2026-11-30', time: '07:30', day: 'mon' });
    expect(wallClock('2026-11-29T23:59:00+07:00').day).toBe('sun');
  });

  it('says today, tomorrow or the day the kiosk opens again', () => {
    const lunch = hours({ now: '2026-11-23T12:00:00+07:00', opens_at: '2026-11-23T13:30:00+07:00' });
    expect(reopening(lunch)).toEqual({ key: 'today', time: '13:30', day: 'mon' });
    const evening = hours({ now: '2026-11-23T18:00:00+07:00', opens_at: '2026-11-24T07:30:00+07:00' });
    expect(reopening(evening)?.key).toBe('tomorrow');
    const weekend = hours({ now: '2026-11-28T18:00:00+07:00', opens_at: '2026-11-30T07:30:00+07:00' });
    expect(reopening(weekend)).toEqual({ key: 'day', time: '07:30', day: 'mon' });
    expect(reopening(hours({ now: '2026-11-28T18:00:00+07:00' }))).toBeNull();
    // Closed after Sunday's hours until next Sunday: "tuần sau", not "Chủ nhật" alone.
    expect(reopening(hours({ now: '2026-12-06T18:00:00+07:00', opens_at: '2026-12-13T07:00:00+07:00' }))).toEqual({
      key: 'next_week',
      time: '07:00',
      day: 'sun',
    });
  });

  it('says a time staff chose from the kiosk now: tonight, or past midnight tomorrow', () => {
    expect(momentFrom('2026-11-23T22:10:00+07:00', '2026-11-23T23:00:00+07:00')).toEqual({ key: 'today', time: '23:00', day: 'mon' });
    expect(momentFrom('2026-11-23T22:10:00+07:00', '2026-11-24T00:00:00+07:00').key).toBe('tomorrow');
    // Without opening hours, closed for today: "tomorrow", never "00:00".
    const always = hours({ scheduled: false, now: '2026-11-23T23:15:00+07:00', opens_at: '2026-11-24T00:00:00+07:00' });
    expect(reopening(always)?.key).toBe('tomorrow_untimed');
  });

  it('knows a closing by staff from the usual hours and from an opening by staff', () => {
    const until = '2026-11-24T07:30:00+07:00';
    expect(closedByStaff(hours({ override: { open: false, from: '2026-11-23T14:00:00+07:00', until } }))).toBe(true);
    expect(closedByStaff(hours({}))).toBe(false);
    expect(closedByStaff(hours({ open: true, override: { open: true, from: '2026-11-23T18:00:00+07:00', until } }))).toBe(false);
  });

  it('rests only when the kiosk says so and nobody touched it lately', () => {
    expect(resting(hours({ blank: true }), 1000, 0)).toBe(true);
    expect(resting(hours({ blank: true }), 1000, 5000)).toBe(false);
    expect(resting(hours({ blank: false }), 1000, 0)).toBe(false);
  });

  it('joins spans for reading', () => {
    expect(spans(['07:30-11:30', '13:30-17:00'])).toBe('07:30–11:30, 13:30–17:00');
    expect(spans(undefined)).toBe('');
  });

  it('tells a resident in a session about closing time, from the kiosk clock', () => {
    const open = (now: string) => hours({ open: true, now, closes_at: '2026-11-23T17:00:00+07:00' });
    expect(closingNote(open('2026-11-23T16:40:00+07:00'))).toBeNull();
    expect(closingNote(open('2026-11-23T16:45:00+07:00'))).toEqual({ key: 'soon', time: '17:00', minutes: 15 });
    expect(closingNote(open('2026-11-23T16:59:30+07:00'))).toEqual({ key: 'soon', time: '17:00', minutes: 1 });
    // Open all day and night: nothing to say.
    expect(closingNote(hours({ open: true, now: '2026-11-23T16:59:30+07:00' }))).toBeNull();
    expect(closingNote(hours({ scheduled: false, open: true, now: '2026-11-23T16:59:30+07:00' }))).toBeNull();
    // Past closing, the session goes on and says so, with the time when known.
    const after = hours({ now: '2026-11-23T17:05:00+07:00' });
    expect(closingNote({ ...after, closed_since: '2026-11-23T17:00:00+07:00' })).toEqual({ key: 'over_at', time: '17:00' });
    expect(closingNote(after)).toEqual({ key: 'over', time: '' });
    // Staff closed it at 10:26, before its closing time at 11:30: 10:26 (outside QA s26b).
    const byStaff = hours({ now: '2026-11-23T10:27:00+07:00', closed_since: '2026-11-23T10:26:00+07:00', opens_at: '2026-11-25T07:30:00+07:00' });
    expect(closingNote(byStaff)).toEqual({ key: 'over_at', time: '10:26' });
    expect(closingNote(null)).toBeNull();
  });

  it('tells a resident staff closed the kiosk, with or without opening hours', () => {
    const override = { open: false, from: '2026-11-23T10:26:00+07:00', until: '2026-11-24T00:00:00+07:00' };
    const closedToday = { now: '2026-11-23T10:27:00+07:00', closed_since: '2026-11-23T10:26:00+07:00', override };
    // No hours in the config: once nothing was said (outside QA s27).
    expect(closingNote(hours({ scheduled: false, ...closedToday }))).toEqual({ key: 'staff_at', time: '10:26' });
    expect(closingNote(hours({ scheduled: true, ...closedToday }))).toEqual({ key: 'staff_at', time: '10:26' });
    // Open all the time, nobody closed it: nothing to say.
    expect(closingNote(hours({ scheduled: false, open: true, now: '2026-11-23T10:27:00+07:00' }))).toBeNull();
  });

  it('moves on between polls by the time the page counted since the answer', () => {
    const h = hours({ open: true, now: '2026-11-23T16:44:00+07:00', closes_at: '2026-11-23T17:00:00+07:00' });
    expect(closingNote(h, 0)).toBeNull();
    expect(closingNote(h, 60_000)).toEqual({ key: 'soon', time: '17:00', minutes: 15 });
    expect(closingNote(h, 15 * 60_000 + 1)).toEqual({ key: 'soon', time: '17:00', minutes: 1 });
    // Closing time came before the next poll: over, at the time it closed.
    expect(closingNote(h, 16 * 60_000)).toEqual({ key: 'over_at', time: '17:00' });
    // A page clock that went back counts nothing.
    expect(closingNote(h, -5 * 60_000)).toBeNull();
  });

  it('turns closed at closing time and open at opening time between polls, by the page clock', () => {
    const open = hours({
      open: true,
      now: '2026-11-23T16:59:00+07:00',
      closes_at: '2026-11-23T17:00:00+07:00',
      override: { open: true, from: '2026-11-23T16:00:00+07:00', until: '2026-11-23T17:00:00+07:00' },
    });
    expect(hoursNow(open, 59_000)).toBe(open);
    expect(hoursNow(open, -3600_000)).toBe(open);
    // Closed since closing time; when it opens again and staff's exception are the kiosk's to say.
    expect(hoursNow(open, 60_000)).toEqual(hours({ open: false, now: open.now, closed_since: '2026-11-23T17:00:00+07:00' }));
    expect(closingNote(hoursNow(open, 60_000), 60_000)).toEqual({ key: 'over_at', time: '17:00' });

    const shut = hours({
      now: '2026-11-24T07:29:00+07:00',
      blank: true,
      opens_at: '2026-11-24T07:30:00+07:00',
      closed_since: '2026-11-23T17:00:00+07:00',
      today: ['07:30-11:30'],
    });
    expect(hoursNow(shut, 30_000)).toBe(shut);
    const opened = hoursNow(shut, 60_000);
    expect(opened).toEqual(hours({ open: true, now: shut.now, today: ['07:30-11:30'] }));
    // Open, and until when not known yet: nothing to tell a resident.
    expect(closingNote(opened, 60_000)).toBeNull();
  });

  it("tells how the commune's office stands, by the kiosk's phases and the page clock since the answer", () => {
    const office: ClosedOffice = {
      name: 'Bộ phận Một cửa xã',
      today: '07:30-11:30, 13:30-17:00',
      today_known: true,
      phases: [
        { from: '2026-11-23T00:00:00+07:00', open: false, opens: { when: 'today', day: 'mon', time: '07:30' } },
        { from: '2026-11-23T07:30:00+07:00', open: true, until: '11:30' },
        { from: '2026-11-23T11:30:00+07:00', open: false, opens: { when: 'today', day: 'mon', time: '13:30' } },
        { from: '2026-11-23T13:30:00+07:00', open: true, until: '17:00' },
        { from: '2026-11-23T17:00:00+07:00', open: false, opens: { when: 'tomorrow', day: 'tue', time: '07:30' } },
      ],
    };
    const at = (now: string) => hours({ now, office });
    expect(officeNow(office, at('2026-11-23T16:59:00+07:00'), 0)).toEqual({ open: true, until: '17:00' });
    // Closing time came before the next poll: closed, and when it opens again.
    expect(officeNow(office, at('2026-11-23T16:59:00+07:00'), 60_000)).toEqual({
      open: false,
      dayOff: false,
      opens: { key: 'tomorrow', time: '07:30', day: 'tue' },
    });
    expect(officeNow(office, at('2026-11-23T12:00:00+07:00'), 0)).toEqual({ open: false, dayOff: false, opens: { key: 'today', time: '13:30', day: 'mon' } });
    // A page clock that went back counts nothing.
    expect(officeNow(office, at('2026-11-23T16:59:00+07:00'), -3600_000)).toEqual({ open: true, until: '17:00' });
    // Past the day the answer was for: nothing said until the kiosk answers again.
    expect(officeNow(office, at('2026-11-23T23:59:50+07:00'), 20_000)).toBeNull();
    // A day off; hours not read; no office.
    const off: ClosedOffice = { name: 'x', today: '', today_known: true, phases: [{ from: '2026-11-28T00:00:00+07:00', open: false, opens: { when: 'day', day: 'mon', time: '07:30' } }] };
    expect(officeNow(off, hours({ now: '2026-11-28T10:00:00+07:00' }), 0)).toEqual({ open: false, dayOff: true, opens: { key: 'day', time: '07:30', day: 'mon' } });
    expect(officeNow({ name: 'x', today: '', today_known: false, today_typed: 'T2-T6: sáng' }, at('2026-11-23T10:00:00+07:00'), 0)).toBeNull();
    expect(officeNow(undefined, at('2026-11-23T10:00:00+07:00'), 0)).toBeNull();
  });
});
