// Svelte action for a row pinned at the bottom of its scroll region (the
// procedures' main action, position: sticky). Reading aloud and keyboard
// focus scroll a line "just into view", which knows the region's edges but
// not a row drawn over them: the region's scroll padding is set to the row's
// height, its fade included, so the line lands above the row, not under it.
// The row is marked data-pinned, which the layout check reads: a control
// under a pinned row is hidden, one inside it is not.
const FADE = 24; // px: the .proc-action::before gradient above the row

export function pinned(node: HTMLElement): { destroy(): void } {
  node.dataset.pinned = '';
  const region = node.closest<HTMLElement>('[data-scroll-region]');
  if (!region) return { destroy() {} };
  const fit = () => {
    region.style.scrollPaddingBottom = `${node.offsetHeight + FADE}px`;
  };
  const watch = new ResizeObserver(fit);
  watch.observe(node);
  fit();
  return {
    destroy() {
      watch.disconnect();
      region.style.scrollPaddingBottom = '';
    },
  };
}
