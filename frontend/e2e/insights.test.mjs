// The staff usage figures in Chromium: a resident's visit by touch, then staff
// mode (hold the corner, PIN) → usage figures, at both orientations, with the
// figures of the visit on screen, numbers in tables and no serious axe issue.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { axe, LANDSCAPE, newTouchPage, PORTRAIT, screenshot, startKiosk, startSession, tap } from './harness.mjs';
import { configWithPIN, openStaff } from './staff.mjs';

const PIN = '135790';

let kiosk;
before(async () => {
  kiosk = await startKiosk({ config: configWithPIN(PIN) });
});
after(() => kiosk?.stop());

test('a visit shows up in the staff usage figures', async () => {
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await startSession(page);
  await tap(page, 'tile-search');
  await page.getByTestId('screen-search').waitFor();
  await page.getByTestId('search-input').focus();
  await page.keyboard.type('khai sinh');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid^="search-hit-"]').first().tap();
  await tap(page, 'call-staff');
  await tap(page, 'end-session');
  await tap(page, 'end-confirm-yes');
  await page.getByTestId('attract').waitFor();

  // A second resident types on the screen's keyboard, sees nothing found,
  // and ends the visit without pressing "Tìm": that search counts too.
  await startSession(page);
  await tap(page, 'tile-search');
  for (const k of 'xzq') await tap(page, `key-${k}`);
  await page.getByTestId('search-none').waitFor();
  await tap(page, 'end-session');
  await tap(page, 'end-confirm-yes');
  await page.getByTestId('attract').waitFor();

  // A fourth reads the lists of three searches, clearing the field between
  // them, taps no result, then searches for something not here and leaves
  // (outside QA s24 F4: searches that showed results counted only when a
  // result was tapped, so this visit counted as "nothing found" alone).
  await startSession(page);
  await tap(page, 'tile-search');
  for (const words of ['ket hon', 'tam tru', 'vneid']) {
    for (const k of words) await tap(page, k === ' ' ? 'key-space' : `key-${k}`);
    await page.locator('[data-testid^="search-hit-"]').first().waitFor();
    await tap(page, 'key-clear');
    await page.locator('[data-testid^="search-hit-"]').first().waitFor({ state: 'detached' });
  }
  for (const k of 'xzq') await tap(page, `key-${k}`);
  await page.getByTestId('search-none').waitFor();
  await tap(page, 'end-session');
  await tap(page, 'end-confirm-yes');
  await page.getByTestId('attract').waitFor();

  // A fifth resident is helped by staff from their panel, who end the
  // visit there: one more visit, and an assisted one (outside QA: it was
  // "Tự dùng"), and no empty visit after it.
  await startSession(page);
  await tap(page, 'tile-tutorials');
  await openStaff(page, PIN);
  await tap(page, 'staff-end-session');
  await page.getByTestId('staff-note').waitFor();

  await tap(page, 'staff-open-insights');
  await page.getByTestId('screen-staff-insights').waitFor();
  // The page sends its last batch without waiting: reload until it is in.
  for (let i = 0; i < 50; i++) {
    await page.getByTestId('insights-period-1').waitFor();
    // The whole visit: its session and its staff call ("1 giây" is no sign).
    const shown = await page.getByTestId('insights-period-1').innerText();
    if (/4\s+lượt dùng/.test(shown) && /Có cán bộ giúp: 2/.test(shown)) break;
    await tap(page, 'insights-refresh');
    await page.waitForTimeout(200);
  }
  const today = await page.getByTestId('insights-period-1').innerText();
  assert.match(today, /4\s+lượt dùng/);
  assert.match(today, /Có cán bộ giúp: 2/);
  assert.match(await page.getByTestId('insights-procedures').innerText(), /1/);
  // Visits 1 and 4 found something; visits 2 and 4 found nothing once.
  assert.match(await page.getByTestId('insights-search').innerText(), /Có tìm thấy kết quả\s+2/);
  assert.match(await page.getByTestId('insights-search').innerText(), /Có lần không tìm thấy\s+2/);
  assert.match(await page.getByTestId('insights-search-note').innerText(), /dù người dân có chạm vào kết quả hay không/);
  await page.context().close();
});

for (const [name, viewport] of [
  ['landscape', LANDSCAPE],
  ['portrait', PORTRAIT],
]) {
  test(`staff usage figures, ${name}`, async () => {
    const page = await newTouchPage(kiosk, viewport);
    await page.goto(kiosk.url);
    await page.getByTestId('attract').waitFor();
    await openStaff(page, PIN);
    await tap(page, 'staff-open-insights');
    await page.getByTestId('insights-period-30').waitFor();
    await page.getByTestId('insights-state').waitFor();
    await screenshot(page, `staff-insights-${name}`, { keep: true });
    assert.deepEqual(await axe(page), [], 'axe: staff insights');
    // Scrolled to the end, the way back is still on screen.
    await page.getByTestId('staff-layer').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    const back = await page.getByTestId('staff-insights-back').boundingBox();
    assert.ok(back.y >= 0 && back.y + back.height <= viewport.height, `"Quay lại" at y=${back.y} is off screen once scrolled`);
    await screenshot(page, `staff-insights-scrolled-${name}`);
    await tap(page, 'staff-insights-back');
    await page.getByTestId('staff-panel').waitFor();
    await page.context().close();
  });
}
