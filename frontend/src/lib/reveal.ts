// Svelte action for a message that answers a tap (the feedback after a
// practice or check answer): when it appears, its scroll region scrolls just
// enough to show it, so a tap never seems to do nothing at a large text size.
// Instant, not smooth: the answer should be there at once.
export function reveal(node: HTMLElement): void {
  requestAnimationFrame(() => node.scrollIntoView({ block: 'nearest' }));
}
