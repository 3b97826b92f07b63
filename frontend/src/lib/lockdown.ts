// Page-level kiosk lockdown, the same in the Wails window and in Chromium:
// no context menu, no selection outside inputs, no pinch or keyboard zoom, no
// drag, and no navigation away. A link to the outside world is never opened;
// it is handed to onExternalLink, which shows it as a QR code.

type LinkHandler = (url: string) => void;

function isEditable(t: EventTarget | null): boolean {
  return t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement;
}

/** Whether url leaves the kiosk (another origin or scheme). */
export function isExternal(url: string, base = location.href): boolean {
  try {
    return new URL(url, base).origin !== new URL(base).origin;
  } catch {
    return true;
  }
}

/** Install the listeners; returns a function that removes them. */
export function lockdown(onExternalLink: LinkHandler): () => void {
  const opts = { capture: true, passive: false } as const;
  const block = (e: Event) => e.preventDefault();
  const handlers: Array<[EventTarget, string, EventListener]> = [
    [document, 'contextmenu', block],
    [document, 'dragstart', block],
    [document, 'drop', block],
    // WebKit's gesture events carry pinch zoom.
    [document, 'gesturestart', block],
    [document, 'gesturechange', block],
    [document, 'gestureend', block],
    [document, 'selectstart', (e) => !isEditable(e.target) && e.preventDefault()],
    [
      document,
      'touchmove',
      (e) => {
        if ((e as TouchEvent).touches.length > 1) e.preventDefault();
      },
    ],
    [
      window,
      'wheel',
      (e) => {
        if ((e as WheelEvent).ctrlKey) e.preventDefault();
      },
    ],
    [
      window,
      'keydown',
      (e) => {
        const k = e as KeyboardEvent;
        const zoom = (k.ctrlKey || k.metaKey) && ['+', '-', '=', '0', '_'].includes(k.key);
        const nav = k.key === 'F5' || (k.altKey && (k.key === 'ArrowLeft' || k.key === 'ArrowRight'));
        const reload = (k.ctrlKey || k.metaKey) && (k.key === 'r' || k.key === 'R');
        if (zoom || nav || reload) k.preventDefault();
      },
    ],
    [
      document,
      'click',
      (e) => {
        const a = (e.target as Element | null)?.closest?.('a[href]');
        if (!a) return;
        const href = (a as HTMLAnchorElement).href;
        e.preventDefault();
        if (isExternal(href)) onExternalLink(href);
      },
    ],
    [document, 'submit', block],
  ];
  for (const [target, type, fn] of handlers) target.addEventListener(type, fn, opts);
  const open = window.open;
  window.open = ((url?: string | URL) => {
    if (url) onExternalLink(String(url));
    return null;
  }) as typeof window.open;
  return () => {
    for (const [target, type, fn] of handlers) target.removeEventListener(type, fn, opts);
    window.open = open;
  };
}
