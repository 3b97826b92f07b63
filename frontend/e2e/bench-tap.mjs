// Benchmark (not a test): tap → next screen painted, in Chromium with touch,
// against a real `tramso serve`. Prints p50/p95; never fails on a slow machine.
//
//   npm run build && TRAMSO_BIN=/path/to/tramso node e2e/bench-tap.mjs [taps]
//
// Two measures per tap, both from the touch's own event timestamp:
//  - "painted": a setTimeout queued from the first animation frame after the
//    screen changed runs once that frame is painted;
//  - Event Timing API (PerformanceEventTiming, Chromium's own measure): the
//    pointerup/click duration, input → next paint (reported when ≥ 16 ms).
import { LANDSCAPE, newTouchPage, startKiosk, startSession } from './harness.mjs';

const taps = Number(process.argv[2] ?? 60);
const kiosk = await startKiosk();
try {
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await startSession(page);
  await page.evaluate(() => {
    const w = window;
    w.__bench = { painted: [], eventTiming: [], byScreen: {} };
    let start = 0;
    window.addEventListener('pointerdown', (e) => (start = e.timeStamp), { capture: true });
    const app = document.querySelector('.app');
    new MutationObserver(() => {
      if (!start) return;
      const t0 = start;
      start = 0;
      const screen = app.dataset.screen;
      requestAnimationFrame(() =>
        setTimeout(() => {
          const ms = performance.now() - t0;
          w.__bench.painted.push(ms);
          (w.__bench.byScreen[screen] ??= []).push(ms);
        }),
      );
    }).observe(app, { attributes: true, attributeFilter: ['data-screen'] });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === 'click' || e.name === 'pointerup') w.__bench.eventTiming.push(e.duration);
    }).observe({ type: 'event', durationThreshold: 16, buffered: false });
  });
  const route = ['tile-search', 'home', 'tile-procedures', 'home', 'tile-tutorials', 'home'];
  for (let i = 0; i < taps; i++) {
    const id = route[i % route.length];
    await page.getByTestId(id).tap();
    await page.waitForFunction((n) => window.__bench.painted.length >= n, i + 1);
    await page.waitForTimeout(50);
  }
  const { painted, eventTiming, byScreen } = await page.evaluate(() => window.__bench);
  const pct = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
  };
  const fmt = (x) => (Number.isFinite(x) ? x.toFixed(1) + ' ms' : 'n/a');
  console.log(`taps: ${painted.length} (landscape 1920x1080, touch, headless Chromium ${kiosk.browser.version()})`);
  console.log(`tap → next screen painted: p50 ${fmt(pct(painted, 50))}, p95 ${fmt(pct(painted, 95))}, max ${fmt(Math.max(...painted))}`);
  for (const [screen, xs] of Object.entries(byScreen)) {
    console.log(`  → ${screen}: n=${xs.length} p50 ${fmt(pct(xs, 50))} p95 ${fmt(pct(xs, 95))}`);
  }
  console.log(`Event Timing (pointerup/click ≥ 16 ms): ${eventTiming.length} of ${painted.length * 2} events` +
    (eventTiming.length ? `, p50 ${fmt(pct(eventTiming, 50))}, p95 ${fmt(pct(eventTiming, 95))}` : ' (all under 16 ms)'));
  await page.context().close();
} finally {
  await kiosk.stop();
}
