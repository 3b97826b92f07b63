import { describe, expect, it } from 'vitest';
import { SWIPE_MIN, swipeDirection } from './swipe';

describe('swipeDirection', () => {
  it('turns a long, mostly horizontal drag into left or right', () => {
    expect(swipeDirection(-SWIPE_MIN, 0)).toBe('left');
    expect(swipeDirection(200, 60)).toBe('right');
  });
  it('ignores short drags and drags that are mostly scrolling', () => {
    expect(swipeDirection(-(SWIPE_MIN - 1), 0)).toBeNull();
    expect(swipeDirection(150, 80)).toBeNull();
    expect(swipeDirection(0, 300)).toBeNull();
  });
});
