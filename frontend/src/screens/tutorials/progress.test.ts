import { describe, expect, it } from 'vitest';
import { wipe, startSession } from '../../lib/session.svelte';
import { CODE_ALPHABET, CODE_LENGTH, markFinished, progress, vnDate } from './progress.svelte';

describe('tutorial progress', () => {
  it('marks lessons finished once, and a wipe forgets them', () => {
    startSession();
    markFinished('qr-payment');
    markFinished('qr-payment');
    markFinished('phone-touch');
    expect(progress().finished).toEqual(['qr-payment', 'phone-touch']);
    wipe('test');
    expect(progress().finished).toEqual([]);
  });

  it('writes dates the Vietnamese way', () => {
    expect(vnDate('2026-12-11')).toBe('11/12/2026');
    expect(vnDate('nonsense')).toBe('nonsense');
  });

  it('offers exactly the resume-code characters (kiosk/resume): no I, L, O or U', () => {
    expect(CODE_ALPHABET).toHaveLength(32);
    expect(new Set(CODE_ALPHABET).size).toBe(32);
    expect(CODE_ALPHABET).not.toMatch(/[ILOU]/);
    expect(CODE_LENGTH).toBe(8);
  });
});
