import { describe, expect, it } from 'vitest';
import type { UsageTrackEvent } from './api';
import { toUsageEvent } from './usage';

describe('toUsageEvent', () => {
  it.each<UsageTrackEvent>([
    { type: 'screen_viewed', screen: 'tutorials' },
    { type: 'language_chosen', language: 'rad' },
    { type: 'audio_used' },
    { type: 'session_ended' },
    { type: 'staff_called' },
    { type: 'step_viewed', tutorial: 'vneid-kich-hoat', step: 3 },
    { type: 'search', outcome: 'results', procedure: '1.001193' },
    { type: 'search', outcome: 'none' },
    { type: 'search', outcome: 'results', tutorial: 'qr-payment' },
  ])('sends %o as it is', (ev) => {
    expect(toUsageEvent(ev)).toEqual(ev);
  });

  it.each<UsageTrackEvent>([
    { type: 'screen_viewed', screen: 'staff-insights' }, // staff at work are not residents
    { type: 'audio_used', screen: 'staff' },
  ])('drops %o', (ev) => {
    expect(toUsageEvent(ev)).toBeNull();
  });

  it('never sends typed text or a step that is not a small whole number', () => {
    // The types forbid these; a bug that casts its way past them is still caught.
    const typed = { type: 'search', outcome: 'results', tutorial: 'Nguyễn Văn An' } as UsageTrackEvent;
    expect(toUsageEvent(typed)).toBeNull();
    expect(toUsageEvent({ type: 'step_viewed', tutorial: 'x', step: 2.5 })).toBeNull();
    expect(toUsageEvent({ type: 'step_viewed', tutorial: 'x', step: 100 })).toBeNull();
    expect(toUsageEvent({ type: 'search', outcome: 'Nguyễn' as 'none' })).toBeNull();
  });
});
