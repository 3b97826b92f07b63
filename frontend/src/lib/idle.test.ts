import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { activity, configureIdle, holdActive, idle, startIdle, stillHere, stopIdle } from './idle.svelte';

describe('idle watch', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    configureIdle(60, 30);
  });
  afterEach(() => {
    stopIdle();
    vi.useRealTimers();
  });

  it('warns after the quiet spell and expires after the countdown', () => {
    const warn = vi.fn();
    const expire = vi.fn();
    startIdle(warn, expire);
    vi.advanceTimersByTime(59_000);
    activity(); // a touch restarts the quiet spell
    vi.advanceTimersByTime(59_000);
    expect(idle.phase).toBe('active');
    vi.advanceTimersByTime(1_000);
    expect(idle.phase).toBe('warning');
    expect(warn).toHaveBeenCalledOnce();
    expect(idle.remaining).toBe(30);
    vi.advanceTimersByTime(10_000);
    expect(idle.remaining).toBe(20);
    activity(); // a stray touch during the warning does not answer it
    vi.advanceTimersByTime(20_000);
    expect(expire).toHaveBeenCalledOnce();
    expect(idle.phase).toBe('off');
  });

  it('"still here" restarts the quiet spell', () => {
    const expire = vi.fn();
    startIdle(() => {}, expire);
    vi.advanceTimersByTime(61_000);
    stillHere();
    expect(idle.phase).toBe('active');
    vi.advanceTimersByTime(59_000);
    expect(idle.phase).toBe('active');
    expect(expire).not.toHaveBeenCalled();
  });

  it('playing media holds the session open', () => {
    startIdle(() => {}, () => {});
    const release = holdActive();
    vi.advanceTimersByTime(10 * 60_000);
    expect(idle.phase).toBe('active');
    release();
    vi.advanceTimersByTime(59_000);
    expect(idle.phase).toBe('active');
    vi.advanceTimersByTime(2_000);
    expect(idle.phase).toBe('warning');
  });
});
