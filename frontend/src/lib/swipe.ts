// Swipe left/right on a touchscreen: <div use:swipe={{ left: next, right: prev }}>.
// Only a mostly horizontal drag counts, so scrolling a long step up or down
// never turns the page; the element should keep `touch-action: pan-y`.

import type { Action } from 'svelte/action';

/** The shortest drag, in CSS px, that counts as a swipe. */
export const SWIPE_MIN = 90;

/** A drag of dx, dy px: a swipe to the left or right, or none. */
export function swipeDirection(dx: number, dy: number): 'left' | 'right' | null {
  if (Math.abs(dx) < SWIPE_MIN || Math.abs(dx) < 2 * Math.abs(dy)) return null;
  return dx < 0 ? 'left' : 'right';
}

export interface SwipeHandlers {
  left: () => void;
  right: () => void;
}

export const swipe: Action<HTMLElement, SwipeHandlers> = (node, handlers) => {
  let h = handlers;
  let x = 0;
  let y = 0;
  const down = (e: PointerEvent) => {
    x = e.clientX;
    y = e.clientY;
  };
  const up = (e: PointerEvent) => {
    const dir = swipeDirection(e.clientX - x, e.clientY - y);
    if (dir) h[dir]();
  };
  node.addEventListener('pointerdown', down);
  node.addEventListener('pointerup', up);
  return {
    update: (next: SwipeHandlers) => (h = next),
    destroy: () => {
      node.removeEventListener('pointerdown', down);
      node.removeEventListener('pointerup', up);
    },
  };
};
