// The resident's shell in Chromium with touch: attract → home → a tile and
// back, language with visible fallback, text size, contrast, call staff, end.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { axe, endSession, LANDSCAPE, newTouchPage, PORTRAIT, screenshot, startKiosk, startSession, tap } from './harness.mjs';

let kiosk;
before(async () => {
  kiosk = await startKiosk();
});
after(() => kiosk?.stop());

async function minTargetSize(page) {
  return page.evaluate(() => {
    let min = Infinity;
    let which = '';
    for (const el of document.querySelectorAll('button, [role="button"], a[href], input')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const m = Math.min(r.width, r.height);
      if (m < min) [min, which] = [m, el.outerHTML.slice(0, 80)];
    }
    return { min, which };
  });
}

for (const [name, viewport] of [
  ['landscape', LANDSCAPE],
  ['portrait', PORTRAIT],
]) {
  test(`attract → home → tile → back, ${name}`, async () => {
    const page = await newTouchPage(kiosk, viewport);
    await page.goto(kiosk.url);
    await page.getByTestId('attract').waitFor();
    assert.match(await page.getByTestId('attract-touch').innerText(), /Chạm vào màn hình để bắt đầu/);
    await screenshot(page, `attract-${name}`, { keep: true });
    assert.deepEqual(await axe(page), [], 'axe: attract');

    await startSession(page);
    await page.getByText('10 bài học').or(page.getByText(/\d+ bài học/)).first().waitFor();
    for (const id of ['tile-tutorials', 'tile-procedures', 'tile-search', 'call-staff', 'end-session', 'open-language', 'text-size-3']) {
      assert.ok(await page.getByTestId(id).isVisible(), `${id} visible`);
    }
    const size = await minTargetSize(page);
    assert.ok(size.min >= 64, `smallest target ${size.min}px: ${size.which}`);
    await screenshot(page, `home-${name}`, { keep: true });
    assert.deepEqual(await axe(page), [], 'axe: home');

    await tap(page, 'tile-procedures');
    await page.locator('[data-screen="procedures"]').waitFor();
    await tap(page, 'back');
    await page.getByTestId('screen-home').waitFor();
    await tap(page, 'tile-search');
    await page.getByTestId('screen-search').waitFor();
    await tap(page, 'home');
    await page.getByTestId('screen-home').waitFor();
    await page.context().close();
  });
}

test('language switch: English; languages with no translated screen are not offered', async () => {
  const page = await newTouchPage(kiosk);
  await page.goto(kiosk.url);
  await startSession(page);
  await tap(page, 'open-language');
  const chooser = page.getByTestId('language-chooser');
  for (const [lang, self] of [['vi', 'Tiếng Việt'], ['en', 'English']]) {
    assert.match(await chooser.getByTestId(`lang-${lang}`).innerText(), new RegExp(self));
  }
  // Ê Đê and M'nông are configured (the default: every known language) but
  // have no translated line yet, so the chooser does not promise them.
  assert.equal(await chooser.locator('[data-testid="lang-rad"], [data-testid="lang-mng"]').count(), 0);
  assert.equal(await chooser.locator('[data-testid$="-untranslated"]').count(), 0);
  // Every language offered is whole: no «VI» badge to explain.
  assert.doesNotMatch(await chooser.innerText(), /«VI»|chưa có bản dịch/);
  assert.deepEqual(await axe(page), [], 'axe: language chooser');
  await tap(page, 'lang-en');
  assert.equal(await page.locator('h1').innerText(), 'What would you like to do?');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await page.locator('[data-fallback]').count(), 0, 'English shell is complete');

  // The language lasts for the session only.
  await tap(page, 'end-session');
  await tap(page, 'end-confirm-yes');
  await page.getByTestId('attract').waitFor();
  await startSession(page);
  assert.equal(await page.locator('h1').innerText(), 'Bạn muốn làm gì?');
  await page.context().close();
});

test('an untranslated language the set-up forces is labelled, and falls back to Vietnamese visibly', async (t) => {
  const forced = await startKiosk({ config: 'languages: [vi, en, rad, mng]\noffer_untranslated: [rad, mng]\n' });
  t.after(() => forced.stop());
  const page = await newTouchPage(forced);
  await page.goto(forced.url);
  await startSession(page);
  await tap(page, 'open-language');
  const chooser = page.getByTestId('language-chooser');
  for (const [lang, self] of [['vi', 'Tiếng Việt'], ['en', 'English'], ['rad', 'Êđê'], ['mng', "M'nông"]]) {
    assert.match(await chooser.getByTestId(`lang-${lang}`).innerText(), new RegExp(self));
  }
  assert.doesNotMatch(await chooser.innerText(), /Rađê/);
  for (const lang of ['rad', 'mng']) {
    // Nothing of theirs but their names: said as it is (outside QA s28:
    // "chưa dịch đủ" understated a screen with no line of Ê Đê).
    assert.equal(await chooser.getByTestId(`lang-${lang}-untranslated`).innerText(), 'chưa có bản dịch');
  }
  assert.equal(await chooser.locator('[data-testid="lang-en-untranslated"], [data-testid="lang-vi-untranslated"]').count(), 0);
  // No «VI» badge is drawn in either, so the note does not explain one.
  assert.match(await chooser.innerText(), /Ngôn ngữ “chưa có bản dịch” vẫn hiện bằng tiếng Việt\./);
  assert.doesNotMatch(await chooser.innerText(), /«VI»/);
  await screenshot(page, 'language-chooser-forced-landscape', { keep: true });
  assert.deepEqual(await axe(page), [], 'axe: language chooser with untranslated languages');

  await tap(page, 'lang-rad');
  assert.match(await page.getByTestId('open-language').innerText(), /Êđê/);
  // The attract screen offers every language by its name in itself: a touch
  // there opens the visit in it (outside QA: touching while the invitation
  // read "Êđê · …" opened a Vietnamese visit).
  await endSession(page);
  // Each says, as the chooser does, when its screens are not translated yet
  // (outside QA s22: "Êđê" there led to a screen of Vietnamese lines).
  for (const [lang, self, mark] of [['vi', 'Tiếng Việt', ''], ['en', 'English', ''], ['rad', 'Êđê', 'chưa có bản dịch'], ['mng', "M'nông", 'chưa có bản dịch']]) {
    const button = page.getByTestId(`attract-lang-${lang}`);
    assert.equal((await button.innerText()).replace(/\s+/g, ' ').trim(), `${self} ${mark}`.trim());
    assert.equal(await button.getByTestId(`attract-lang-${lang}-untranslated`).count(), mark ? 1 : 0);
  }
  await screenshot(page, 'attract-languages-landscape', { keep: true });
  await tap(page, 'attract-lang-mng');
  await page.getByTestId('screen-home').waitFor();
  assert.match(await page.getByTestId('open-language').innerText(), /M'nông/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'mng');
  await endSession(page);
  await tap(page, 'attract-lang-en');
  assert.equal(await page.locator('h1').innerText(), 'What would you like to do?');
  await endSession(page);
  await page.setViewportSize(PORTRAIT);
  await screenshot(page, 'attract-languages-portrait', { keep: true });
  await page.setViewportSize(LANDSCAPE);
  await startSession(page);
  await tap(page, 'open-language');
  await tap(page, 'lang-rad');
  const title = page.locator('h1 [data-fallback="vi"]');
  assert.equal(await title.innerText(), 'Bạn muốn làm gì?');
  assert.equal(await title.getAttribute('lang'), 'vi');
  // Every line is Vietnamese in a language nobody translated yet: the «VI»
  // badge, which marks a line apart from the others, is not drawn (thirty
  // on a screen told nothing and wrapped the footer's buttons). A partly
  // translated language keeps it (translations.test.mjs).
  assert.equal(await title.evaluate((el) => getComputedStyle(el, '::after').display), 'none', 'no badge where nothing is translated');
  await screenshot(page, 'home-rad-fallback');
  assert.deepEqual(await axe(page), [], 'axe: home in Ê Đê');
  await page.setViewportSize(PORTRAIT);
  await tap(page, 'open-language');
  await screenshot(page, 'language-chooser-forced-portrait', { keep: true });
  await page.context().close();
});

// The kiosk decides which languages are offered (kiosk/translate.Offers, the
// rule doctor says): the attract screen and the chooser show exactly
// GET /api/kiosk's offered, in the set-up's order, and label exactly its
// partly_translated.
test('the attract screen and the chooser offer exactly the languages the kiosk names', async (t) => {
  const mixed = await startKiosk({ config: 'languages: [vi, mng, en, rad]\noffer_untranslated: [mng]\n' });
  t.after(() => mixed.stop());
  const page = await newTouchPage(mixed);
  await page.goto(mixed.url);
  await page.getByTestId('attract').waitFor();
  const api = await page.evaluate(() => fetch('/api/kiosk').then((r) => r.json()));
  assert.deepEqual(api.offered, ['vi', 'mng', 'en']);
  assert.deepEqual(api.partly_translated, ['mng']);
  assert.deepEqual(api.not_offered.map((l) => l.lang), ['rad']);
  const shown = (prefix) =>
    page.evaluate((p) => [...document.querySelectorAll(`[data-testid^="${p}"]`)].map((el) => el.dataset.testid.slice(p.length)).filter((l) => !l.includes('-')), prefix);
  await page.getByTestId('attract-lang-mng').waitFor();
  assert.deepEqual(await shown('attract-lang-'), api.offered);
  assert.equal(await page.locator('[data-testid^="attract-lang-"][data-testid$="-untranslated"]').count(), 1);
  assert.equal(await page.getByTestId('attract-lang-mng-untranslated').count(), 1);
  await startSession(page);
  await tap(page, 'open-language');
  await page.getByTestId('language-chooser').waitFor();
  assert.deepEqual(await shown('lang-'), api.offered);
  assert.equal(await page.locator('[data-testid^="lang-"][data-testid$="-untranslated"]').count(), 1);
  assert.equal(await page.getByTestId('lang-mng-untranslated').count(), 1);
  await page.context().close();
});

test('a double tap opens one screen, not the one under the finger after it', async () => {
  const page = await newTouchPage(kiosk);
  await page.goto(kiosk.url);
  await startSession(page);
  const box = await page.getByTestId('tile-procedures').boundingBox();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  // Two taps 150 ms apart at one spot, as an unsteady finger gives them.
  await page.touchscreen.tap(x, y);
  await page.waitForTimeout(150);
  await page.touchscreen.tap(x, y);
  await page.getByTestId('screen-procedures').waitFor();
  await page.waitForTimeout(800);
  assert.ok(await page.getByTestId('screen-procedures').isVisible(), 'the second tap went a screen deeper');
  // A tap there a moment later is a tap: it opens what is under it.
  await page.touchscreen.tap(x, y);
  await page.getByTestId('screen-procedures').waitFor({ state: 'detached' });
  await page.context().close();
});

test('text size: three steps, targets stay large; high contrast', async () => {
  const page = await newTouchPage(kiosk);
  await page.goto(kiosk.url);
  await startSession(page);
  const rootPx = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const sizes = [];
  for (const n of [1, 2, 3]) {
    await tap(page, `text-size-${n}`);
    assert.equal(await page.getByTestId(`text-size-${n}`).getAttribute('aria-pressed'), 'true');
    sizes.push(await rootPx());
  }
  assert.ok(sizes[0] < sizes[1] && sizes[1] < sizes[2], `text sizes ${sizes}`);
  assert.ok(sizes[0] >= 24, `body text ${sizes[0]}px at step 1`);
  const size = await minTargetSize(page);
  assert.ok(size.min >= 64, `smallest target at step 3: ${size.min}px ${size.which}`);
  await screenshot(page, 'home-text-3');
  assert.deepEqual(await axe(page), [], 'axe: text size 3');

  await tap(page, 'contrast');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.contrast), 'high');
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(0, 0, 0)');
  await screenshot(page, 'home-high-contrast', { keep: true });
  assert.deepEqual(await axe(page), [], 'axe: high contrast');
  await page.context().close();
});

test('call staff: a signal seen across the room, session marked assisted', async () => {
  const page = await newTouchPage(kiosk);
  const events = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/events') && r.method() === 'POST') events.push(r.postData() ?? '');
  });
  await page.goto(kiosk.url);
  await startSession(page);
  assert.equal(await page.locator('.app').getAttribute('data-assisted'), 'false');
  await tap(page, 'call-staff');
  const banner = page.getByTestId('call-banner');
  await banner.waitFor();
  assert.match(await banner.innerText(), /Đã gọi cán bộ/);
  const box = await banner.boundingBox();
  assert.ok(box && box.width >= 1800 && box.height >= 120, `banner ${JSON.stringify(box)}`);
  assert.equal(await page.locator('.app').getAttribute('data-assisted'), 'true');
  await screenshot(page, 'call-staff-landscape', { keep: true });
  assert.deepEqual(await axe(page), [], 'axe: call banner');
  await tap(page, 'call-cancel');
  await banner.waitFor({ state: 'detached' });
  assert.equal(await page.locator('.app').getAttribute('data-assisted'), 'true', 'still an assisted session');
  await page.waitForTimeout(1500); // the usage sink batches
  if (events.length > 0) assert.ok(events.some((e) => e.includes('staff_called')), `events: ${events}`);
  await page.context().close();
});

test('lockdown: no context menu, no pinch, outside links become a QR code', async () => {
  const page = await newTouchPage(kiosk);
  await page.goto(kiosk.url);
  await startSession(page);
  const blocked = await page.evaluate(() => {
    const fire = (ev) => !document.body.dispatchEvent(ev);
    return {
      contextmenu: fire(new MouseEvent('contextmenu', { bubbles: true, cancelable: true })),
      ctrlWheel: !window.dispatchEvent(new WheelEvent('wheel', { ctrlKey: true, cancelable: true, bubbles: true })),
      ctrlPlus: !window.dispatchEvent(new KeyboardEvent('keydown', { key: '+', ctrlKey: true, cancelable: true })),
      selectstart: fire(new Event('selectstart', { bubbles: true, cancelable: true })),
      touchAction: getComputedStyle(document.body).touchAction,
      userSelect: getComputedStyle(document.body).userSelect,
    };
  });
  assert.deepEqual(blocked, {
    contextmenu: true,
    ctrlWheel: true,
    ctrlPlus: true,
    selectstart: true,
    touchAction: 'pan-x pan-y',
    userSelect: 'none',
  });
  const url = page.url();
  await page.evaluate(() => {
    const a = document.createElement('a');
    a.href = 'https://dichvucong.gov.vn/';
    a.textContent = 'Cổng Dịch vụ công';
    a.dataset.testid = 'outside-link';
    a.style.cssText = 'position:fixed;top:200px;left:200px;padding:40px;background:#fff;z-index:30';
    document.body.append(a);
  });
  await tap(page, 'outside-link');
  await page.getByTestId('qr-dialog').waitFor();
  assert.equal(page.url(), url, 'the page did not navigate');
  assert.equal(await page.evaluate(() => window.open('https://example.org/')), null);
  await tap(page, 'qr-close');
  await page.context().close();
});
