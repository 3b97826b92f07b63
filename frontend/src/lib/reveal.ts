// Svelte action for a message that answers a tap (the feedback after a
// practice or check answer): when it appears, its scroll region scrolls just
// enough to show it, so a tap never seems to do nothing at a large text size.
// Instant, not smooth: the answer should be there at once.
export function reveal(node: HTMLElement): void {
  requestAnimationFrame(() => node.scrollIntoView({ block: 'nearest' }));
}

/**
 * reveal for an element already on screen, each time on turns true: the
 * practice phone's right control, lit after a wrong tap (outside QA: "the
 * right place is highlighted" while it sat below the fold). Landscape only,
 * where the feedback stays in sight beside the phone; in portrait the
 * feedback under the phone comes first.
 */
export function revealWhen(node: HTMLElement, on: boolean) {
  const show = (now: boolean) => {
    if (now && matchMedia('(orientation: landscape)').matches) reveal(node);
  };
  show(on);
  return { update: show };
}

/**
 * reveal within the node's own scroll region only, leaving the screen around
 * it where it is: the search screen's "staff are called" line shows in the
 * results while the keyboard beside or above them stays under the finger.
 */
export function revealInRegion(node: HTMLElement): void {
  requestAnimationFrame(() => {
    const region = node.closest<HTMLElement>('[data-scroll-region]');
    if (!region) return;
    const r = node.getBoundingClientRect();
    const box = region.getBoundingClientRect();
    if (r.bottom > box.bottom) region.scrollTop += Math.min(r.bottom - box.bottom, r.top - box.top);
    else if (r.top < box.top) region.scrollTop -= box.top - r.top;
  });
}
