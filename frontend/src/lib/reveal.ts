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
