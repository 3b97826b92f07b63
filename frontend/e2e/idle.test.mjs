// Idle: after the quiet spell the kiosk asks "are you still there?" with a
// countdown; at zero it wipes the session back to the attract screen. Time
// runs on Playwright's fake clock, so the test does not wait 90 + 40 s.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { axe, LANDSCAPE, newTouchPage, PORTRAIT, screenshot, startKiosk, startSession, tap } from './harness.mjs';

let kiosk;
before(async () => {
  // A config with its own timings, to show they come from GET /api/kiosk.
  kiosk = await startKiosk({ config: 'idle:\n  quiet_seconds: 60\n  warning_seconds: 30\n' });
});
after(() => kiosk?.stop());

async function freshPage(viewport = LANDSCAPE) {
  const page = await newTouchPage(kiosk, viewport);
  await page.clock.install();
  await page.goto(kiosk.url);
  await page.getByTestId('attract').waitFor();
  await page.waitForFunction(() => document.body.innerText.length > 0);
  return page;
}

test('attract → home → a tile → idle warning → wipe back to attract', async () => {
  const page = await freshPage();
  // The attract loop cycles through the offered languages that have the line.
  const touch = page.getByTestId('attract-touch');
  const seen = new Set();
  for (let i = 0; i < 3; i++) {
    seen.add(`${await touch.getAttribute('lang')}: ${await touch.innerText()}`);
    await page.clock.runFor(4_100);
  }
  assert.deepEqual([...seen].sort(), ['en: Touch the screen to start', 'vi: Chạm vào màn hình để bắt đầu']);
  await startSession(page);
  await tap(page, 'tile-search');
  await page.getByTestId('screen-search').waitFor();
  for (const k of ['c', 'a', 'n']) await tap(page, `key-${k}`);
  await tap(page, 'tone-grave');
  assert.equal(await page.getByTestId('search-input').inputValue(), 'càn');
  await tap(page, 'text-size-2');

  // The page clock also runs in real time, so leave a few seconds of slack.
  await page.clock.runFor(55_000);
  assert.equal(await page.getByTestId('idle-warning').count(), 0, 'no warning before the quiet spell ends');
  const asked = page.waitForResponse((r) => r.url().endsWith('/api/media/shell/vi/idle-warning.ogg'));
  await page.clock.runFor(5_500);
  const warning = page.getByTestId('idle-warning');
  await warning.waitFor();
  assert.equal((await asked).status(), 200, 'the question is also asked aloud (its recording)');
  assert.match(await warning.innerText(), /Bạn còn đang dùng không\?/);
  assert.match(await page.getByTestId('idle-continue').innerText(), /Tôi vẫn đang dùng/);
  const remaining = Number(await page.getByTestId('idle-remaining').innerText());
  assert.ok(remaining >= 26 && remaining <= 30, `countdown starts at ${remaining}`);
  await page.clock.runFor(10_000);
  assert.ok(Number(await page.getByTestId('idle-remaining').innerText()) <= remaining - 10, 'counts down');

  await page.clock.runFor(21_000);
  await page.getByTestId('attract').waitFor();
  // Everything the session held is gone: text, screen, text size.
  assert.equal(await page.evaluate(() => document.documentElement.dataset.text), '1');
  await startSession(page);
  await tap(page, 'tile-search');
  assert.equal(await page.getByTestId('search-input').inputValue(), '', 'search text wiped');
  await page.context().close();
});

test('continuing past the warning keeps the session and its state', async () => {
  const page = await freshPage();
  // A pack without the recorded question (made here by refusing its file):
  // the kiosk's voice asks it instead.
  await page.route('**/api/media/shell/**', (route) => route.fulfill({ status: 404, body: '{"error":"no such media file"}' }));
  await startSession(page);
  await tap(page, 'tile-search');
  await tap(page, 'key-a');
  const spoken = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/speech');
  await page.clock.runFor(61_000);
  await page.getByTestId('idle-warning').waitFor();
  const voice = await spoken;
  assert.equal(voice.status(), 200);
  assert.equal(new URL(voice.url()).searchParams.get('text'), 'Bạn còn đang dùng không?', 'the voice asks the question shown');
  await tap(page, 'idle-continue');
  await page.getByTestId('idle-warning').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('search-input').inputValue(), 'a');
  // The quiet spell starts again from the answer.
  await page.clock.runFor(45_000);
  assert.equal(await page.getByTestId('idle-warning').count(), 0);
  await tap(page, 'key-b'); // touches keep it alive
  await page.clock.runFor(45_000);
  assert.equal(await page.getByTestId('idle-warning').count(), 0);
  assert.equal(await page.getByTestId('search-input').inputValue(), 'ab');
  await page.clock.runFor(20_000);
  await page.getByTestId('idle-warning').waitFor();
  await page.context().close();
});

for (const [name, viewport] of [
  ['landscape', LANDSCAPE],
  ['portrait', PORTRAIT],
]) {
  test(`idle warning screenshot and axe, ${name}`, async () => {
    const page = await freshPage(viewport);
    await startSession(page);
    await page.clock.runFor(61_000);
    await page.getByTestId('idle-warning').waitFor();
    await page.clock.runFor(8_000);
    const box = await page.getByTestId('idle-continue').boundingBox();
    assert.ok(box && box.height >= 150 && box.width >= 600, `continue button ${JSON.stringify(box)}`);
    await screenshot(page, `idle-warning-${name}`, { keep: true });
    assert.deepEqual(await axe(page), [], 'axe: idle warning');
    await page.context().close();
  });
}
