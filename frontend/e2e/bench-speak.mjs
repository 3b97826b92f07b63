// Benchmark (not a test): touch "Nghe" → the first words sound, in Chromium
// with touch against a real `tramso serve` and its real espeak-ng voice.
// Prints p50/p95; never fails on a slow machine.
//
//   npm run build && TRAMSO_BIN=/path/to/tramso node e2e/bench-speak.mjs [rounds]
//
// Measured from the touch's own event timestamp to the audio element's
// "playing" event (the control turns to Stop then). Each round visits the
// four resident screens: the first visit of a screen is "cold" (the kiosk
// synthesises the line), later ones are "warm" (its voice cache answers).
import { LANDSCAPE, newTouchPage, startKiosk, startSession, tap } from './harness.mjs';

const rounds = Number(process.argv[2] ?? 5);
const screens = [
  ['home', null],
  ['screen-tutorials', 'tile-tutorials'],
  ['screen-procedures', 'tile-procedures'],
  ['screen-search', 'tile-search'],
];

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const show = (name, xs) => console.log(`${name}: n=${xs.length} p50 ${pct(xs, 50).toFixed(0)} ms, p95 ${pct(xs, 95).toFixed(0)} ms`);

const kiosk = await startKiosk();
try {
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await startSession(page);
  // In the page: the touch's timestamp, and the moment Stop appears (the
  // control shows it on the audio element's "playing" event).
  await page.evaluate(() => {
    window.__touch = 0;
    window.__playing = 0;
    window.addEventListener('pointerdown', (e) => (window.__touch = e.timeStamp), { capture: true });
    new MutationObserver(() => {
      if (!window.__playing && document.querySelector('[data-testid="audio-stop"]')) window.__playing = performance.now();
    }).observe(document.body, { subtree: true, childList: true });
  });
  const cold = [];
  const warm = [];
  for (let r = 0; r < rounds; r++) {
    for (const [, tile] of screens) {
      if (await page.getByTestId('home').count()) await tap(page, 'home');
      if (tile) await tap(page, tile);
      await page.waitForTimeout(300);
      await page.evaluate(() => (window.__playing = 0));
      await tap(page, 'audio-play');
      await page.getByTestId('audio-stop').waitFor();
      const ms = await page.evaluate(() => window.__playing - window.__touch);
      (r === 0 ? cold : warm).push(ms);
      await tap(page, 'audio-stop');
    }
  }
  console.log(`touch "Nghe" → first words playing (landscape 1920x1080, headless Chromium, espeak-ng)`);
  show('cold (line synthesised)', cold);
  show('warm (voice cache)', warm);
} finally {
  await kiosk.stop();
}
