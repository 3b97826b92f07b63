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

// Outside QA s28 (finding 3): a resident called away mid-lesson lost it, and
// the warning only said everything would be erased. In a lesson it offers
// "Lấy mã để học tiếp", which opens the lesson's "Tiếp tục sau" code; outside
// a lesson it does not. Both orientations, every text size: the offer is on
// the screen, whole, and a touch target.
for (const [orient, viewport] of [
  ['landscape', LANDSCAPE],
  ['portrait', PORTRAIT],
]) {
  test(`the idle warning in a lesson offers its resume code, ${orient}, every text size`, async () => {
    for (const size of [1, 2, 3]) {
      const where = `${orient}, text ${size}`;
      const page = await freshPage(viewport);
      await startSession(page);
      await tap(page, `text-size-${size}`);
      if (size === 1) {
        await page.clock.runFor(61_000);
        await page.getByTestId('idle-warning').waitFor();
        assert.equal(await page.getByTestId('idle-later').count(), 0, 'no lesson, no code offered');
        await tap(page, 'idle-continue');
        await page.getByTestId('idle-warning').waitFor({ state: 'detached' });
      }
      await tap(page, 'tile-tutorials');
      await tap(page, 'lesson-scam-spotting');
      await page.getByTestId('step-1').waitFor();
      await page.clock.runFor(61_000);
      await page.getByTestId('idle-warning').waitFor();
      const later = page.getByTestId('idle-later');
      assert.equal((await later.innerText()).trim(), 'Lấy mã để học tiếp', where);
      const box = await later.boundingBox();
      assert.ok(box.y >= 0 && box.y + box.height <= viewport.height && box.x >= 0 && box.x + box.width <= viewport.width, `${where}: the offer is off the screen ${JSON.stringify(box)}`);
      assert.ok(box.height >= 64 && box.width >= 64, `${where}: the offer is not a touch target`);
      const panel = await page.getByTestId('idle-warning').boundingBox();
      assert.ok(panel.y >= 0 && panel.y + panel.height <= viewport.height, `${where}: the warning is taller than the screen`);
      await tap(page, 'idle-later');
      await page.getByTestId('idle-warning').waitFor({ state: 'detached' });
      const code = page.getByTestId('later-code');
      await code.waitFor();
      assert.match((await code.innerText()).trim(), /^[0-9A-Z]{4}-[0-9A-Z]{4}$/, `${where}: the code shown`);
      // The code reopens the step the resident was on.
      const raw = (await code.innerText()).trim().replace('-', '');
      const res = await page.evaluate(async (c) => (await fetch(`/api/resume/${c}`)).json(), raw);
      assert.deepEqual([res.tutorial, res.step], ['scam-spotting', 1], `${where}: ${JSON.stringify(res)}`);
      await tap(page, 'later-close');
      await page.getByTestId('step-1').waitFor();
      await page.context().close();
    }
  });
}
