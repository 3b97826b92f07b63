// How far a resident has read in the lesson's stage (its scroll region), and
// scrolling that keeps what must stay in sight (outside QA s28: at the
// largest text, lying down, a step's advice lay below the "Xem thêm" cue
// while Next went on without it, and a wrong answer's feedback or the
// quiz question slid under the lesson's header).

function regionOf(node: HTMLElement): HTMLElement | null {
  return node.closest<HTMLElement>('[data-scroll-region]');
}

// 2 px of slack: fractional layout can leave the end a hair below the box.
const SLACK = 2;

/**
 * Svelte action on a step's text: report(whole) says whether the text's end
 * is in sight in its scroll region, each time that may have changed (the
 * region scrolled or resized, the text grew, a picture above it loaded).
 * Once the resident has scrolled it to its end the text counts as read and
 * stays so; until then it counts as whole only while its end is in sight (a
 * picture that loads above it can push it out again).
 */
export function readTo(node: HTMLElement, report: (whole: boolean) => void) {
  const region = regionOf(node);
  let seen = false;
  let frame = 0;
  const measure = (scrolled: boolean) => {
    if (seen) return;
    if (!region) {
      report(true);
      return;
    }
    const whole = node.getBoundingClientRect().bottom <= region.getBoundingClientRect().bottom + SLACK;
    if (whole && scrolled && region.scrollTop > 0) seen = true;
    report(whole);
  };
  const soon = (scrolled: boolean) => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => measure(scrolled));
  };
  const resized = () => soon(false);
  const scrolled = () => soon(true);
  const ro = new ResizeObserver(resized);
  ro.observe(node);
  if (region) {
    ro.observe(region);
    // What the region scrolls: a picture loading above the text moves the
    // text without resizing it, and makes this taller.
    if (region.firstElementChild) ro.observe(region.firstElementChild);
  }
  region?.addEventListener('scroll', scrolled, { passive: true });
  void document.fonts.ready.then(resized);
  measure(false);
  return {
    update(r: (whole: boolean) => void) {
      report = r;
    },
    destroy() {
      cancelAnimationFrame(frame);
      ro.disconnect();
      region?.removeEventListener('scroll', scrolled);
      report(true);
    },
  };
}

/**
 * Scroll node's region down so the rest of the text up to node's end comes
 * into sight: all of it when it is less than most of a page, else most of a
 * page (nothing is skipped). Next on a step not yet read to its end does this.
 */
export function showRest(node: HTMLElement): void {
  const region = regionOf(node);
  if (!region) return;
  const box = region.getBoundingClientRect();
  const gap = node.getBoundingClientRect().bottom - box.bottom;
  if (gap <= 0) return;
  const calm = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  region.scrollBy({ top: Math.min(gap + 16, box.height * 0.8), behavior: calm ? 'auto' : 'smooth' });
}

/**
 * Svelte action for feedback that answers a tap: when it appears its region
 * scrolls just enough to show it, and never so far that its own top (its
 * heading), or the top of keep (the question it answers), goes above the
 * region's top, under the lesson's header. Instant: the answer is there at
 * once. What still does not fit stays below, behind the "Xem thêm" cue.
 */
export function revealHeading(node: HTMLElement, keep?: () => HTMLElement | undefined) {
  requestAnimationFrame(() => {
    const region = regionOf(node);
    if (!region) return;
    const box = region.getBoundingClientRect();
    const r = node.getBoundingClientRect();
    if (r.top < box.top) {
      region.scrollTop -= box.top - r.top;
      return;
    }
    if (r.bottom <= box.bottom) return;
    let by = Math.min(r.bottom - box.bottom, r.top - box.top);
    const k = keep?.();
    if (k) by = Math.min(by, k.getBoundingClientRect().top - box.top);
    if (by > 0) region.scrollTop += by;
  });
}
