// Touch tutorials end to end, by touch, in Chromium against a real `tramso
// serve`: finish "Thanh toán bằng mã QR" with a wrong-then-right tap on each
// practice screen (the wrong-recipient trap included), a swipe, a wrong-then-
// right check answer, the completion screen with both QR codes (the summary
// decoded from the pixels); the usage events the lesson emits; leaving a
// lesson midway; and "Tiếp tục sau": a code made in one browser session opens
// the same lesson at the same step in a fresh one, and a mistyped code is
// refused with a clear message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { LANDSCAPE, PORTRAIT, startKiosk, newTouchPage, startSession, tap, screenshot, axe } from './harness.mjs';

let kiosk;
before(async () => {
  kiosk = await startKiosk();
});
after(async () => {
  await kiosk?.stop();
});

/** Collect the usage events the page sends (POST /api/events batches). */
function recordEvents(page) {
  const events = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/events') && r.method() === 'POST') {
      const body = JSON.parse(r.postData() ?? '{}');
      events.push(...(Array.isArray(body) ? body : (body.events ?? [])));
    }
  });
  return events;
}

async function waitForEvent(events, match, what) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (events.some(match)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no usage event ${what}; got ${JSON.stringify(events)}`);
}

async function decodeQR(page, testid) {
  const file = await screenshot(page, `qr-${testid}`);
  await page.getByTestId(testid).locator('img').screenshot({ path: file });
  return execFileSync('zbarimg', ['--raw', '-q', '-Sbinary', file]).toString('utf8').replace(/\n$/, '');
}

async function progress(page) {
  return (await page.getByTestId('progress').innerText()).trim();
}

/**
 * A horizontal finger swipe over the step area (dx < 0: right to left), as a
 * touch gesture synthesised by Chromium's own input pipeline.
 */
async function swipe(page, dx) {
  const box = await page.locator('.stage').boundingBox();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.synthesizeScrollGesture', {
    x: Math.round(box.x + box.width / 2 - dx / 2),
    y: Math.round(box.y + box.height / 2),
    xDistance: dx,
    yDistance: 0,
    gestureSourceType: 'touch',
    speed: 1200,
    preventFling: true,
  });
  await cdp.detach();
}

async function openLesson(page, id) {
  await tap(page, 'tile-tutorials');
  await page.getByTestId('screen-tutorials').waitFor();
  await tap(page, `lesson-${id}`);
  await page.locator(`[data-testid="screen-lesson"][data-lesson="${id}"]`).waitFor();
}

test('finish "Thanh toán bằng mã QR" by touch', async () => {
  const page = await newTouchPage(kiosk, LANDSCAPE);
  const events = recordEvents(page);
  await page.goto(kiosk.url);
  await startSession(page);
  await tap(page, 'tile-tutorials');
  await page.getByTestId('module-payment').waitFor();
  await screenshot(page, 'tutorials-catalogue-landscape', { keep: true });
  assert.deepEqual(await axe(page), [], 'axe: catalogue');
  await tap(page, 'lesson-qr-payment');
  await page.getByTestId('step-1').waitFor();
  assert.equal(await progress(page), 'Bước 1/8');

  // Step 1, practice: the banner says nothing real happens; Next waits for a
  // try: it looks and is announced unavailable, and a tap on it says why.
  assert.match(await page.getByTestId('practice-banner').innerText(), /Màn hình tập luyện — không có gì thật xảy ra/);
  assert.equal(await page.getByTestId('step-next').getAttribute('aria-disabled'), 'true');
  await page.getByTestId('step-next').tap({ force: true });
  await page.getByTestId('nudge').waitFor();
  assert.equal(await progress(page), 'Bước 1/8');
  // Wrong tap ("Chuyển tiền"): a gentle hint, and the right control lights up.
  await tap(page, 'practice-el-3');
  assert.match(await page.getByTestId('practice-hint').innerText(), /Chưa đúng, thử lại nhé/);
  assert.equal(await page.getByTestId('practice-el-4').getAttribute('data-highlight'), 'true');
  assert.equal(await page.getByTestId('nudge').count(), 0, 'a try answers "try it first"');
  await tap(page, 'practice-el-4'); // "Quét QR"
  await page.getByTestId('practice-right').waitFor();
  assert.deepEqual(await axe(page), [], 'axe: practice');
  await tap(page, 'step-next');

  // Step 2 by swiping: left goes on, right goes back.
  await page.getByTestId('step-2').waitFor();
  await swipe(page, -400);
  await page.getByTestId('step-3').waitFor();
  await swipe(page, 400);
  await page.getByTestId('step-2').waitFor();
  await swipe(page, -400);
  await page.getByTestId('step-3').waitFor();

  // Step 3, the wrong-recipient trap: confirming is wrong, cancelling is right.
  assert.equal(await progress(page), 'Bước 3/8');
  await tap(page, 'show-hint');
  await page.getByTestId('step-hint').waitFor();
  await tap(page, 'practice-el-6'); // "Xác nhận" to TRAN VAN BINH
  assert.match(await page.getByTestId('practice-hint').innerText(), /không phải quán Tạp hóa Hoa/);
  assert.equal(await page.getByTestId('practice-el-7').getAttribute('data-highlight'), 'true');
  await screenshot(page, 'tutorials-practice-trap-landscape', { keep: true });
  await tap(page, 'practice-el-7'); // "Hủy"
  await page.getByTestId('practice-right').waitFor();
  await tap(page, 'step-next');

  // Steps 4..8, with one step back on the way.
  await page.getByTestId('step-4').waitFor();
  await tap(page, 'step-back');
  await page.getByTestId('step-3').waitFor();
  assert.ok(await page.getByTestId('practice-right').isVisible(), 'a solved practice stays solved');
  for (let n = 4; n <= 8; n++) {
    await tap(page, 'step-next');
    await page.getByTestId(`step-${n}`).waitFor();
  }
  assert.match(await page.getByTestId('step-text').innerText(), /Hỏi ngân hàng/);
  await tap(page, 'step-next');

  // Check questions gate completion: a wrong answer, then the right one.
  await page.getByTestId('check-1').waitFor();
  await tap(page, 'answer-0');
  await page.getByTestId('check-wrong').waitFor();
  assert.equal(await page.getByTestId('step-next').getAttribute('aria-disabled'), 'true');
  await page.getByTestId('step-next').tap({ force: true });
  await page.getByTestId('nudge').waitFor();
  await page.getByTestId('check-1').waitFor();
  await tap(page, 'answer-1');
  await page.getByTestId('check-right').waitFor();
  await screenshot(page, 'tutorials-check-landscape', { keep: true });
  await tap(page, 'step-next');
  await page.getByTestId('check-2').waitFor();
  await tap(page, 'answer-0');
  await page.getByTestId('check-right').waitFor();
  await tap(page, 'step-next');

  // Completion: what was learnt, the summary QR (plain text), the platform QR.
  await page.getByTestId('screen-tutorial-complete').waitFor();
  await page.getByTestId('summary-qr').waitFor();
  await page.getByTestId('platform-qr').waitFor();
  assert.match(await page.getByTestId('learnt').innerText(), /Quét QR bằng ứng dụng ngân hàng/);
  await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
  const summary = await decodeQR(page, 'summary-qr');
  assert.match(summary, /^Trạm Số – Bài đã học ngày \d\d\/\d\d\/\d{4}\n✓ Thanh toán bằng mã QR\n/);
  assert.equal(await decodeQR(page, 'platform-qr'), 'https://binhdanhocvuso.gov.vn');
  await screenshot(page, 'tutorials-complete-landscape', { keep: true });
  assert.deepEqual(await axe(page), [], 'axe: completion');

  // Back in the catalogue the lesson is marked as finished in this session.
  await tap(page, 'complete-other');
  await page.getByTestId('done-qr-payment').waitFor();

  const sent = (type, more = {}) => (e) => e.type === type && e.tutorial === 'qr-payment' && Object.entries(more).every(([k, v]) => e[k] === v);
  await waitForEvent(events, sent('tutorial_completed'), 'tutorial_completed');
  for (const [type, more] of [
    ['tutorial_opened', {}],
    ['step_viewed', { step: 8 }],
    ['practice_wrong', { step: 1 }],
    ['practice_right', { step: 1 }],
    ['practice_wrong', { step: 3 }],
    ['practice_right', { step: 3 }],
    ['check_passed', { step: 1 }],
    ['check_passed', { step: 2 }],
  ]) {
    assert.ok(events.some(sent(type, more)), `usage event ${type} ${JSON.stringify(more)} missing`);
  }
  assert.ok(!events.some(sent('tutorial_abandoned')), 'a finished lesson is not abandoned');

  // Leaving another lesson midway is an abandonment at that step.
  await tap(page, 'lesson-phone-touch');
  await page.getByTestId('step-1').waitFor();
  await tap(page, 'step-next');
  await page.getByTestId('step-2').waitFor();
  await tap(page, 'home');
  await page.getByTestId('screen-home').waitFor();
  await waitForEvent(events, (e) => e.type === 'tutorial_abandoned' && e.tutorial === 'phone-touch' && e.step === 2, 'tutorial_abandoned at step 2');
  await page.context().close();
});

test('level-1 VNeID self-registration is practised on safe screens, not as activation', async () => {
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await startSession(page);
  await openLesson(page, 'vneid-register');
  await page.getByTestId('step-1').waitFor();
  assert.match(await page.getByTestId('practice-banner').innerText(), /Màn hình tập luyện — không có gì thật xảy ra/);
  // Activation is the wrong door for someone who never registered at the police.
  await tap(page, 'practice-el-4'); // "Kích hoạt tài khoản định danh điện tử"
  assert.match(await page.getByTestId('practice-hint').innerText(), /Kích hoạt là bước sau, khi hồ sơ đã được duyệt/);
  assert.equal(await page.getByTestId('practice-el-5').getAttribute('data-highlight'), 'true');
  await screenshot(page, 'tutorials-vneid-register-choose-landscape', { keep: true });
  await tap(page, 'practice-el-5'); // "Đăng ký tài khoản mức 1"
  await page.getByTestId('practice-right').waitFor();
  assert.deepEqual(await axe(page), [], 'axe: VNeID registration practice');
  await page.setViewportSize(PORTRAIT);
  await screenshot(page, 'tutorials-vneid-register-choose-portrait', { keep: true });
  await page.setViewportSize(LANDSCAPE);

  // The chip card is scanned in the app; sending a photo of it is the trap.
  await tap(page, 'step-next');
  await page.getByTestId('step-2').waitFor();
  await tap(page, 'practice-el-5'); // "Gửi ảnh thẻ cho người hỗ trợ qua Zalo"
  assert.match(await page.getByTestId('practice-hint').innerText(), /Không gửi ảnh thẻ cho ai/);
  await tap(page, 'practice-el-3'); // "Quét chip (NFC)"
  assert.match(await page.getByTestId('practice-right').innerText(), /không đọc thẻ thật/);
  await screenshot(page, 'tutorials-vneid-register-nfc-landscape', { keep: true });
  await page.setViewportSize(PORTRAIT);
  await screenshot(page, 'tutorials-vneid-register-nfc-portrait', { keep: true });
  await page.setViewportSize(LANDSCAPE);

  // The face photo and "Xác nhận" send the registration; it is not the end:
  // once the text message says it is approved, the account is activated.
  await tap(page, 'step-next');
  await page.getByTestId('step-3').waitFor();
  await tap(page, 'practice-el-3'); // "Chụp ảnh"
  await page.getByTestId('practice-right').waitFor();
  await tap(page, 'step-next');
  await page.getByTestId('step-4').waitFor();
  await tap(page, 'practice-el-5'); // "Xác nhận"
  await page.getByTestId('practice-right').waitFor();
  // At the largest text the step scrolls; the next one starts at its title,
  // not where this one was scrolled to.
  await tap(page, 'text-size-3');
  const stage = page.locator('.stage [data-scroll-region]');
  await stage.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  assert.ok((await stage.evaluate((el) => el.scrollTop)) > 0, 'step 4 scrolls at the largest text');
  await tap(page, 'step-next');
  await page.getByTestId('step-5').waitFor();
  assert.equal(await stage.evaluate((el) => el.scrollTop), 0, 'step 5 opens at its top');
  await tap(page, 'text-size-1');
  assert.match(await page.getByTestId('step-5').innerText(), /Khi được duyệt, bạn nhận tin nhắn báo/);
  await tap(page, 'practice-el-5'); // "Đăng ký tài khoản mức 1", again
  assert.match(await page.getByTestId('practice-hint').innerText(), /Bạn đã đăng ký rồi/);
  await tap(page, 'practice-el-4'); // "Kích hoạt tài khoản định danh điện tử"
  assert.match(await page.getByTestId('practice-right').innerText(), /mã OTP/);
  await screenshot(page, 'tutorials-vneid-register-activate-landscape');
  await page.setViewportSize(PORTRAIT);
  await screenshot(page, 'tutorials-vneid-register-activate-portrait');
  await page.context().close();
});

test('"Tiếp tục sau": a code from one session opens the same step in a fresh one', async () => {
  const first = await newTouchPage(kiosk, PORTRAIT);
  await first.goto(kiosk.url);
  await startSession(first);
  await openLesson(first, 'scam-spotting');
  await tap(first, 'step-next');
  await first.getByTestId('step-2').waitFor();
  await tap(first, 'practice-el-5'); // "Không bấm, xóa tin nhắn"
  await first.getByTestId('practice-right').waitFor();
  await screenshot(first, 'tutorials-practice-scam-portrait', { keep: true });
  await tap(first, 'step-next');
  await first.getByTestId('step-3').waitFor();
  await tap(first, 'later');
  const shown = (await first.getByTestId('later-code').innerText()).trim();
  assert.match(shown, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  await first.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
  const qrText = execFileSync('zbarimg', ['--raw', '-q', '-Sbinary', await (async () => {
    const f = await screenshot(first, 'qr-later');
    await first.getByTestId('later-dialog').locator('img').screenshot({ path: f });
    return f;
  })()]).toString('utf8');
  assert.match(qrText, new RegExp(`Mã học tiếp: ${shown}\\nBài: Nhận diện và phòng tránh lừa đảo\\n`));
  await screenshot(first, 'tutorials-later-portrait', { keep: true });
  assert.deepEqual(await axe(first), [], 'axe: continue later');
  await tap(first, 'later-close');
  await first.context().close();

  // A different browser context: nothing shared but the code.
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await startSession(page);
  await tap(page, 'tile-tutorials');
  await tap(page, 'resume-enter');
  await page.getByTestId('screen-resume').waitFor();

  // The digits as on a phone: 1 2 3 / 4 5 6 / 7 8 9 / 0 under 8 (outside QA
  // s24 F13: 0–8 filled a row and 9 began the next, before A).
  const at = async (k) => {
    const b = await page.getByTestId(`code-key-${k}`).boundingBox();
    return { x: Math.round(b.x), y: Math.round(b.y) };
  };
  const grid = [];
  for (const row of ['123', '456', '789']) grid.push(await Promise.all([...row].map(at)));
  for (const row of grid) assert.ok(row.every((k) => k.y === row[0].y) && row[0].x < row[1].x && row[1].x < row[2].x, `a row of three: ${JSON.stringify(row)}`);
  for (let c = 0; c < 3; c++) assert.ok(grid[0][c].x === grid[1][c].x && grid[1][c].x === grid[2][c].x && grid[0][c].y < grid[1][c].y && grid[1][c].y < grid[2][c].y, 'columns of three');
  const zero = await at('0');
  assert.ok(zero.x === grid[2][1].x && zero.y > grid[2][1].y, '0 under 8');
  assert.ok((await at('A')).x > grid[0][2].x, 'the letters beside the digits, not among them');

  // One wrong character: refused, and the message says why.
  const code = shown.replace('-', '');
  const typo = (code[0] === '7' ? '8' : '7') + code.slice(1);
  for (const ch of typo) await tap(page, `code-key-${ch}`);
  await tap(page, 'resume-open');
  assert.match(await page.getByTestId('resume-error').innerText(), /gõ nhầm/);
  await screenshot(page, 'tutorials-resume-typo-landscape', { keep: true });
  assert.deepEqual(await axe(page), [], 'axe: resume entry');
  // Each typed letter sits inside its box at every text size, in both
  // orientations: the code is checked letter by letter against the paper.
  for (const [name, size] of [
    ['landscape', LANDSCAPE],
    ['portrait', PORTRAIT],
  ]) {
    await page.setViewportSize(size);
    for (const text of ['1', '2', '3']) {
      await page.evaluate((t) => (document.documentElement.dataset.text = t), text);
      const spill = await page.evaluate(() =>
        [...document.querySelectorAll('[data-testid="resume-boxes"] > *')].flatMap((box) => {
          const b = box.getBoundingClientRect();
          const range = document.createRange();
          range.selectNodeContents(box);
          const g = range.getBoundingClientRect();
          const open = document.querySelector('[data-testid="resume-open"]').getBoundingClientRect();
          const out = g.width > 0 && (g.top < b.top || g.bottom > b.bottom || g.left < b.left || g.right > b.right);
          const covered = g.width > 0 && g.bottom > open.top && g.top < open.bottom && g.right > open.left && g.left < open.right;
          return out || covered ? [`${box.textContent} (${Math.round(g.top)}–${Math.round(g.bottom)} in ${Math.round(b.top)}–${Math.round(b.bottom)})`] : [];
        }),
      );
      assert.deepEqual(spill, [], `${name}, text ${text}: letters outside their boxes`);
    }
  }
  await page.evaluate(() => (document.documentElement.dataset.text = '1'));
  await page.setViewportSize(LANDSCAPE);

  await tap(page, 'code-clear');
  for (const ch of code) await tap(page, `code-key-${ch}`);
  await tap(page, 'resume-open');
  await page.locator('[data-testid="screen-lesson"][data-lesson="scam-spotting"]').waitFor();
  await page.getByTestId('step-3').waitFor();
  assert.equal(await progress(page), 'Bước 3/7');
  await page.context().close();
});

/** Whether the element is within the visible part of its scroll region. */
async function inSight(page, testid) {
  return page.getByTestId(testid).evaluate((el) => {
    const r = el.getBoundingClientRect();
    const box = el.closest('[data-scroll-region]').getBoundingClientRect();
    return r.top >= Math.max(box.top, 0) - 1 && r.bottom <= Math.min(box.bottom, window.innerHeight) + 1;
  });
}

test('after a wrong tap the lit right control is in sight, on every practice screen of "Nhận diện và phòng tránh lừa đảo"', async () => {
  // Outside QA: "Chỗ đúng đang được tô sáng" while the lit button sat below
  // the fold, inside the phone (step 2, the fake "CONG AN" message).
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await startSession(page);
  const { steps } = await (await fetch(kiosk.url + 'api/tutorials/scam-spotting')).json();
  await openLesson(page, 'scam-spotting');
  let checked = 0;
  for (const [i, step] of steps.entries()) {
    await page.getByTestId(`step-${i + 1}`).waitFor();
    const els = step.practice?.elements ?? [];
    const wrong = els.findIndex((e) => e.tappable && !e.correct);
    const right = els.findIndex((e) => e.correct);
    if (wrong >= 0 && right >= 0) {
      await tap(page, `practice-el-${wrong}`);
      await page.getByTestId('practice-hint').waitFor();
      await page.waitForTimeout(100); // the reveal runs on the next frame
      assert.equal(await page.getByTestId(`practice-el-${right}`).getAttribute('data-highlight'), 'true');
      assert.ok(await inSight(page, `practice-el-${right}`), `step ${i + 1}: the lit right control is out of sight`);
      assert.ok(await inSight(page, 'practice-hint'), `step ${i + 1}: the hint is out of sight`);
      await tap(page, `practice-el-${right}`);
      await page.getByTestId('practice-right').waitFor();
      checked++;
    }
    if (i + 1 < steps.length && (await page.getByTestId('step-next').getAttribute('aria-disabled')) !== 'true') {
      if (step.check) break; // a check question ends the walk: the practice screens came before it
      await tap(page, 'step-next');
    } else break;
  }
  assert.ok(checked >= 2, `only ${checked} practice screens walked`);
  await page.context().close();
});

// Outside QA s28 (findings 1 and 11), "Nhận diện và phòng tránh lừa đảo" at
// every text size, lying down and standing up: a step's whole text is in
// sight, or "Bước tiếp" is dimmed and a tap on it says so and brings the rest
// into sight until the end is read; a wrong tap's feedback comes into sight
// with its heading below the lesson's header; the practice phone's message
// grows to the body text's size at the largest text, inside its frame; the
// quiz question's first line stays below the header when the feedback shows.
for (const [orient, viewport] of [
  ['landscape', LANDSCAPE],
  ['portrait', PORTRAIT],
]) {
  test(`the scam lesson reads whole at every text size, ${orient}`, async () => {
    const lesson = await (await fetch(kiosk.url + 'api/tutorials/scam-spotting')).json();
    for (const size of [1, 2, 3]) {
      const where = `${orient}, text ${size}`;
      const page = await newTouchPage(kiosk, viewport);
      await page.emulateMedia({ reducedMotion: 'reduce' }); // "show the rest" jumps at once
      await page.goto(kiosk.url);
      await startSession(page);
      await tap(page, `text-size-${size}`);
      await openLesson(page, 'scam-spotting');
      // Fonts and pictures in (a picture loading above the text moves it),
      // then two frames (the stage measures itself in the next one).
      const settle = () =>
        page.evaluate(() =>
          document.fonts.ready.then(() =>
            Promise.all([...document.images].filter((i) => !i.complete).map((i) => new Promise((r) => i.addEventListener('load', r, { once: true }) || i.addEventListener('error', r, { once: true })))).then(
              () => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok(undefined)))),
            ),
          ),
        );
      // A real touch where "Bước tiếp" is: dimmed (aria-disabled), it still
      // answers one, which Playwright's own tap would refuse to give.
      const touchNext = async () => {
        const b = await page.getByTestId('step-next').boundingBox();
        await page.touchscreen.tap(b.x + b.width / 2, b.y + b.height / 2);
        await page.waitForTimeout(450); // not a double tap with the next one
      };
      // The top of the stage: nothing the lesson shows may start above it.
      const stageTop = () => page.locator('[data-testid="screen-lesson"] [data-scroll-region]').evaluate((el) => el.getBoundingClientRect().top);
      const headerBottom = () => page.locator('[data-testid="screen-lesson"] .bar').evaluate((el) => el.getBoundingClientRect().bottom);
      const textEnd = () =>
        page.getByTestId('step-text').evaluate((el) => el.getBoundingClientRect().bottom - el.closest('[data-scroll-region]').getBoundingClientRect().bottom);
      let phone = 0;
      for (const [i, step] of lesson.steps.entries()) {
        await page.getByTestId(`step-${i + 1}`).waitFor();
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        await settle();
        const p = step.practice;
        if (p) {
          // The phone's message: as large as the body text at the largest size.
          const [msg, body, clipped] = await page.evaluate(() => {
            const el = document.querySelector('.phone .el.bubble, .phone .el');
            const screen = document.querySelector('.phone .screen').getBoundingClientRect();
            const out = [...document.querySelectorAll('.phone .el, .phone .text, .phone .appbar')].filter((e) => {
              const r = e.getBoundingClientRect();
              return e.scrollWidth > e.clientWidth + 1 || r.left < screen.left - 1 || r.right > screen.right + 1;
            });
            return [parseFloat(getComputedStyle(el).fontSize), parseFloat(getComputedStyle(document.documentElement).fontSize), out.map((e) => e.textContent.trim())];
          });
          assert.deepEqual(clipped, [], `${where}, step ${i + 1}: phone text runs out of its frame`);
          if (size === 3) assert.ok(msg >= body - 0.5, `${where}: the phone's message is ${msg} px, the body text ${body} px`);
          phone = msg;
          const wrong = p.elements.findIndex((e) => e.tappable && !e.correct);
          await page.getByTestId(`practice-el-${wrong}`).scrollIntoViewIfNeeded();
          await tap(page, `practice-el-${wrong}`);
          await page.getByTestId('practice-hint').waitFor();
          await settle();
          await settle();
          const [top, bottom] = await page.getByTestId('practice-hint').evaluate((el) => {
            const r = el.querySelector('strong').getBoundingClientRect();
            return [r.top, r.bottom];
          });
          assert.ok(top >= (await headerBottom()) && top >= (await stageTop()) - 1, `${where}, step ${i + 1}: the feedback's heading is under the header (top ${top})`);
          assert.ok(bottom <= viewport.height, `${where}, step ${i + 1}: the feedback's heading is below the screen`);
          const right = p.elements.findIndex((e) => e.correct);
          await page.getByTestId(`practice-el-${right}`).scrollIntoViewIfNeeded();
          await tap(page, `practice-el-${right}`);
          await page.getByTestId('practice-right').waitFor();
          await settle();
          const good = await page.getByTestId('practice-right').evaluate((el) => el.querySelector('strong').getBoundingClientRect().top);
          assert.ok(good >= (await headerBottom()) && good >= (await stageTop()) - 1, `${where}, step ${i + 1}: "Đúng rồi!" is under the header`);
        } else {
          // Whole in sight, or Next dimmed until the text is read to its end.
          const next = page.getByTestId('step-next');
          if ((await textEnd()) > 2) {
            assert.equal(await next.getAttribute('aria-disabled'), 'true', `${where}, step ${i + 1}: the text runs below the stage and "Bước tiếp" is active`);
            for (let taps = 0; (await next.getAttribute('aria-disabled')) === 'true'; taps++) {
              assert.ok(taps < 6, `${where}, step ${i + 1}: "Bước tiếp" never woke`);
              await touchNext();
              await page.getByTestId(`step-${i + 1}`).waitFor(); // still here
              assert.match(await page.getByTestId('nudge').innerText(), /đọc hết/i);
              await settle();
              await settle();
            }
            assert.ok((await textEnd()) <= 2, `${where}, step ${i + 1}: "Bước tiếp" woke before the end was in sight`);
          } else {
            assert.notEqual(await next.getAttribute('aria-disabled'), 'true', `${where}, step ${i + 1}: the whole text is in sight and "Bước tiếp" is dimmed`);
          }
        }
        await touchNext();
      }
      assert.ok(phone > 0, 'a practice screen was walked');
      // The quiz: a wrong answer, its feedback in sight, the question's first
      // line still below the header.
      await page.getByTestId('check-1').waitFor();
      const c = lesson.checks[0];
      await tap(page, `answer-${c.answers.findIndex((a) => !a.correct)}`);
      await page.getByTestId('check-wrong').waitFor();
      await settle();
      await settle();
      const q = await page.locator('[data-testid="check-1"] h2').evaluate((el) => el.getBoundingClientRect().top);
      assert.ok(q >= (await headerBottom()) && q >= (await stageTop()) - 1, `${where}: the question's first line is under the header (top ${q})`);
      const fb = await page.getByTestId('check-wrong').evaluate((el) => el.querySelector('strong').getBoundingClientRect().top);
      assert.ok(fb >= (await stageTop()) - 1 && fb < viewport.height, `${where}: the quiz feedback's heading is out of sight`);
      await screenshot(page, `scam-quiz-${orient}-${size}`);
      await page.context().close();
    }
  });
}
