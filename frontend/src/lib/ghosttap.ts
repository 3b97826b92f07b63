// A double tap must not go two screens deep. Elderly residents often tap
// twice, or tap again when the first seems to do nothing; the second tap
// then lands on whatever the first one opened, under the same finger: the
// life event under the tile, or the answer to a question never seen
// (outside QA: "Đã đăng ký kết hôn" chosen for a mother who is not married).
//
// A click is dropped when it comes within GHOST_MS of the last one, within
// GHOST_PX of it, on another element: the screen changed under the finger.
// Taps on one key (the keyboard's "o" twice) hit the same element, and fast
// typing on different keys lands far apart, so neither is touched.

export const GHOST_MS = 400;
export const GHOST_PX = 32;

interface Tap {
  x: number;
  y: number;
  at: number;
  target: EventTarget | null;
}

/** Whether click next, after last, is a ghost of the double tap. */
export function isGhost(last: Tap | null, next: Tap): boolean {
  if (!last || next.target === last.target) return false;
  return next.at - last.at < GHOST_MS && Math.hypot(next.x - last.x, next.y - last.y) <= GHOST_PX;
}

/** Install the filter on the window; returns a function that removes it. */
export function filterGhostTaps(win: Window = window): () => void {
  let last: Tap | null = null;
  const onClick = (e: MouseEvent) => {
    const next = { x: e.clientX, y: e.clientY, at: e.timeStamp, target: e.target };
    if (isGhost(last, next)) {
      e.preventDefault();
      e.stopImmediatePropagation();
      return; // the first tap's time and place stand: a third tap is a ghost too
    }
    last = next;
  };
  win.addEventListener('click', onClick, { capture: true });
  return () => win.removeEventListener('click', onClick, { capture: true });
}
