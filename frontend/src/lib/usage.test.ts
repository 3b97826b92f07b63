import { describe, expect, it } from 'vitest';
import { toUsageEvent } from './usage';

describe('toUsageEvent', () => {
  it.each([
    [{ type: 'screen_view', screen: 'tutorials' }, { type: 'screen_viewed', screen: 'tutorials' }],
    [{ type: 'language', lang: 'rad' }, { type: 'language_chosen', language: 'rad' }],
    [{ type: 'audio_play' }, { type: 'audio_used' }],
    [{ type: 'session_end', reason: 'idle', assisted: true }, { type: 'session_ended' }],
    [{ type: 'staff_called' }, { type: 'staff_called' }],
    [{ type: 'step_viewed', tutorial: 'vneid-kich-hoat', step: 3 }, { type: 'step_viewed', tutorial: 'vneid-kich-hoat', step: 3 }],
    [{ type: 'search', outcome: 'results', procedure: '1.001193' }, { type: 'search', outcome: 'results', procedure: '1.001193' }],
    [{ type: 'search', outcome: 'none' }, { type: 'search', outcome: 'none' }],
    [{ type: 'search', length: 9, outcome: 'results', results: 3 }, { type: 'search', outcome: 'results' }],
    [{ type: 'search', outcome: 'chosen', kind: 'procedure', id: '1.001193' }, { type: 'search', outcome: 'results', procedure: '1.001193' }],
    [{ type: 'search', outcome: 'chosen', kind: 'tutorial', id: 'qr-payment' }, { type: 'search', outcome: 'results', tutorial: 'qr-payment' }],
  ])('keeps %o as %o', (ev, want) => {
    expect(toUsageEvent(ev)).toEqual(want);
  });

  it.each([
    [{ type: 'search', length: 13 }], // the shell's search: no outcome, and length is not logged
    [{ type: 'text_size', step: 2 }],
    [{ type: 'contrast', on: true }],
    [{ type: 'idle_warning' }],
    [{ type: 'made_up' }],
    [{ type: 'screen_view', screen: 'staff-insights' }],
  ])('drops %o', (ev) => {
    expect(toUsageEvent(ev)).toBeNull();
  });

  it('never carries typed text or unknown fields', () => {
    const e = toUsageEvent({ type: 'search', outcome: 'results', text: 'Nguyễn Văn An', query: '079203004512', tutorial: 'Nguyễn Văn An' });
    expect(e).toEqual({ type: 'search', outcome: 'results' });
    expect(toUsageEvent({ type: 'step_viewed', tutorial: 'x', step: 2.5 })).toEqual({ type: 'step_viewed', tutorial: 'x' });
    expect(toUsageEvent({ type: 'search', outcome: 'Nguyễn' })).toBeNull();
  });
});
