import { describe, expect, it } from 'vitest';
import { GHOST_MS, isGhost } from './ghosttap';

const a = {};
const b = {};

describe('ghost taps', () => {
  const first = { x: 500, y: 400, at: 1000, target: a as EventTarget };
  it('drops a second tap at the same place on what the first opened', () => {
    expect(isGhost(first, { x: 505, y: 398, at: 1200, target: b as EventTarget })).toBe(true);
  });
  it('keeps a tap on the same element (a key pressed twice)', () => {
    expect(isGhost(first, { x: 500, y: 400, at: 1100, target: a as EventTarget })).toBe(false);
  });
  it('keeps a tap elsewhere (typing on the keyboard)', () => {
    expect(isGhost(first, { x: 600, y: 400, at: 1100, target: b as EventTarget })).toBe(false);
  });
  it('keeps a tap that comes after a moment', () => {
    expect(isGhost(first, { x: 500, y: 400, at: 1000 + GHOST_MS, target: b as EventTarget })).toBe(false);
  });
  it('keeps the first tap of all', () => {
    expect(isGhost(null, first)).toBe(false);
  });
});
