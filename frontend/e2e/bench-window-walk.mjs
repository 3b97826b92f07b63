// Helper of the window benchmark (app/bench_window_test.go), not a test: it
// walks the resident's route below in Chromium at 1920×1080 against a real
// `tramso serve` and prints, as JSON, the box of the attract screen's welcome
// heading (the benchmark's "text visible" looks for glyphs in it) and where
// each tap landed. The benchmark
// replays those points with xdotool in the real WebKit window, which lays the
// same page out with the same embedded fonts, and checks that each tap
// changed the screen. Deriving the points from test ids keeps the walk
// working while screens change.
//
//   TRAMSO_BIN=/path/to/tramso node e2e/bench-window-walk.mjs
import { LANDSCAPE, newTouchPage, startKiosk } from './harness.mjs';

// 20 taps: a read-aloud session (so WebKit's GStreamer plays the voice), a
// lesson with a practice screen, the birth-registration procedure's
// questions (its "see result" button lies below the fold, out of reach of a
// replayed tap), and search typed on its on-screen keyboard.
const ROUTE = [
  'attract-listen',
  'tile-tutorials',
  'lesson-vneid-activate',
  'step-next',
  'practice-el-3', // the wrong app: a hint
  'practice-el-4', // the right one
  'step-next',
  'home',
  'tile-procedures',
  'life-event-em-be',
  'answer-office',
  'procedures-start',
  'answer-late',
  'answer-no',
  'answer-married',
  'answer-yes', // the review of the answers
  'home',
  'tile-search',
  'key-h',
  'key-o',
];

const kiosk = await startKiosk();
const points = [];
let welcome;
try {
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await page.getByTestId('attract-touch').first().waitFor({ state: 'visible' });
  welcome = await page.locator('[data-testid="attract"] ~ .words h1, .words h1').first().boundingBox();
  for (const id of ROUTE) {
    const el = page.getByTestId(id).first();
    await el.waitFor({ state: 'visible', timeout: 5000 });
    const box = await el.boundingBox();
    const x = Math.round(box.x + box.width / 2);
    const y = Math.round(box.y + box.height / 2);
    if (y < 0 || y >= LANDSCAPE.height) throw new Error(`${id} is off screen (y=${y}): the walk needs a new route`);
    points.push({ id, x, y });
    await page.touchscreen.tap(x, y);
    await page.waitForTimeout(400);
  }
} catch (err) {
  console.error(`walk stopped after ${points.length} taps: ${err.message}`);
  process.exitCode = 1;
} finally {
  await kiosk.stop();
}
console.log(JSON.stringify({ welcome, taps: points }));
