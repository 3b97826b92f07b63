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

/** The rows of a figures table as [label, ...numbers] (the chart cell left out). */
async function tableRows(page, testid) {
  return page.getByTestId(testid).evaluate((table) =>
    [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('th, td:not(.chart)')].map((c) => c.textContent.trim())),
  );
}

// Outside QA s28, finding 8: a resident who walked away on check question 2
// was counted at the lesson's last step, the questions were not in the
// funnel, a wrong answer counted nowhere, the QR column ("Lấy mã QR") named
// what nobody measured, and the day was written 2026-12-08. A resident's
// visit as the lesson player reports it (POST /api/events, the real kiosk).
test('the lesson funnel shows the check questions; the QR column says what it counts; the day is dd/mm/yyyy', async () => {
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await page.getByTestId('attract').waitFor();
  const status = await page.evaluate(async () => {
    const post = (url, body) =>
      fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
    const { session } = await (await post('/api/sessions')).json();
    const lesson = 'vneid-activate';
    const events = [{ type: 'tutorial_opened', tutorial: lesson }];
    for (let n = 1; n <= 8; n++) events.push({ type: 'step_viewed', tutorial: lesson, step: n });
    events.push(
      { type: 'check_viewed', tutorial: lesson, step: 1 },
      { type: 'check_passed', tutorial: lesson, step: 1 },
      { type: 'check_viewed', tutorial: lesson, step: 2 },
      { type: 'check_wrong', tutorial: lesson, step: 2 },
      { type: 'check_abandoned', tutorial: lesson, step: 2 },
      { type: 'session_ended' },
    );
    return (await post('/api/events', events.map((e) => ({ ...e, session })))).status;
  });
  assert.equal(status, 202);
  await openStaff(page, PIN);
  await tap(page, 'staff-open-insights');
  await page.getByTestId('screen-staff-insights').waitFor();
  await tap(page, 'insights-funnel-vneid-activate');
  const rows = await tableRows(page, 'insights-funnel-table');
  const row = (label) => rows.find((r) => r[0] === label);
  assert.deepEqual(row('Bước 8'), ['Bước 8', '1', '0', '0'], 'nobody stopped at the last step');
  assert.deepEqual(row('Câu hỏi 1'), ['Câu hỏi 1', '1', '0', '0']);
  assert.deepEqual(row('Câu hỏi 2'), ['Câu hỏi 2', '1', '1', '1'], 'stopped at question 2, after a wrong answer');
  assert.ok(rows.indexOf(row('Bước 8')) < rows.indexOf(row('Câu hỏi 1')), 'the questions come after the steps');
  const head = await page.getByTestId('insights-funnel-table').locator('thead').innerText();
  assert.match(head, /Bấm\s+sai/);
  assert.doesNotMatch(head, /khi tập/);
  assert.match(await page.getByTestId('insights-funnel-note').innerText(), /chọn sai đáp án câu hỏi/);

  const procHead = await page.getByTestId('insights-procedures').locator('thead').innerText();
  assert.match(procHead, /Có\s+hiện mã QR/);
  assert.doesNotMatch(procHead, /Lấy mã QR/);
  assert.match(await page.getByTestId('insights-procedures-note').innerText(), /không biết người dân có quét mã hay không/);

  const sub = await page.locator('[data-testid="screen-staff-insights"] header .sub').innerText();
  assert.match(sub, /đến hôm nay \(\d{2}\/\d{2}\/\d{4}\)\.$/);
  assert.doesNotMatch(sub, /\d{4}-\d{2}-\d{2}/);
  await page.getByTestId('insights-funnel').scrollIntoViewIfNeeded();
  await screenshot(page, 's28g-insights-funnel-checks-landscape', { keep: true });
  await page.setViewportSize(PORTRAIT);
  await page.getByTestId('insights-funnel').scrollIntoViewIfNeeded();
  await screenshot(page, 's28g-insights-funnel-checks-portrait', { keep: true });
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
