import { describe, expect, it, vi } from 'vitest';
import { inSession, onWipe, session, slot, startSession, wipe } from './session.svelte';
import { ATTRACT, go, HOME, replace, router } from './router.svelte';

describe('session', () => {
  it('one wipe clears answers, progress, search text and preferences', () => {
    startSession();
    expect(inSession()).toBe(true);
    const id = session.id;
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    replace(HOME);
    go('procedures', { id: 'khai-sinh' });
    slot('procedures', () => ({ answers: {} as Record<string, string> })).answers.q1 = 'yes';
    slot('tutorials', () => ({ step: 0 })).step = 4;
    slot('search', () => ({ text: '' })).text = 'căn cước';
    Object.assign(session, { lang: 'en', textStep: 3, highContrast: true, readAloud: true, assisted: true, calling: true });
    const listener = vi.fn();
    const off = onWipe(listener);

    wipe('idle');

    expect(listener).toHaveBeenCalledWith('idle');
    expect(session.slots).toEqual({});
    expect(session).toMatchObject({ id: '', lang: 'vi', textStep: 1, highContrast: false, readAloud: false, assisted: false, calling: false });
    expect(inSession()).toBe(false);
    expect(router.current.screen).toBe(ATTRACT);
    expect(router.history).toEqual([]);
    expect(slot('search', () => ({ text: '' })).text).toBe('');
    off();
    startSession();
    expect(session.id).not.toBe(id);
  });
});
