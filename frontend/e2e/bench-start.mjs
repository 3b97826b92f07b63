// Benchmark (not a test): browser-mode cold start. For each run it starts a
// fresh `tramso serve` on an empty data directory and a fresh Chromium, then
// times (a) process start → /api/health answers, and (b) navigation → the
// attract screen's first contentful paint and → its text on screen.
//
//   npm run build && TRAMSO_BIN=/path/to/tramso node e2e/bench-start.mjs [runs]
import { performance } from 'node:perf_hooks';
import { LANDSCAPE, newTouchPage, startKiosk } from './harness.mjs';

const runs = Number(process.argv[2] ?? 5);
const server = [], fcp = [], shown = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const kiosk = await startKiosk();
  server.push(performance.now() - t0);
  try {
    const page = await newTouchPage(kiosk, LANDSCAPE);
    await page.goto(kiosk.url);
    await page.getByTestId('attract-touch').first().waitFor({ state: 'visible' });
    const m = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      now: performance.now(),
    }));
    fcp.push(m.fcp);
    shown.push(m.now);
  } finally {
    await kiosk.stop();
  }
}
const p50 = (xs) => {
  const ok = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return ok.length ? `${ok[Math.floor(ok.length / 2)].toFixed(0)} ms (${ok.length} runs)` : 'not reported';
};
console.log(`runs: ${runs}`);
console.log(`serve start → /api/health: p50 ${p50(server)} (includes the harness's polling)`);
console.log(`navigation → first contentful paint: p50 ${p50(fcp)}`);
console.log(`navigation → attract text visible: p50 ${p50(shown)}`);
