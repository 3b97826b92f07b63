// The procedures assistant end to end, by touch, in Chromium against a real
// `tramso serve`: the birth-registration flow (late and on-time registration
// give different fees), one numbered sequence of questions from the life
// event on, the result's first screen (card and take-home code wholly in
// view in both orientations; details below the "Xem thêm" cue), what was
// already asked or chosen not told again, changing an answer on the review
// screen, decoding the take-away checklist QR code to the expected text,
// failing closed, and the search screen. Screenshots of each step at 1920x1080 and 1080x1920 go to
// test-results/; the reviewed ones are kept in e2e/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { layoutProblems } from './layout-check.mjs';
import { EA_KAO, LANDSCAPE, PORTRAIT, launchChromium, startKiosk, newTouchPage, startSession, tap, screenshot, axe } from './harness.mjs';

const CONFIG = EA_KAO;

// The checklist for an on-time birth with a birth certificate, as a phone
// camera reads it from the QR code: what the first screen says, in its words
// ("Chỉ đưa xem", not "xuất trình"), with the case as the answers made it,
// what is received, the opening hours, the last next step (the ones before
// it give way, being "bring the papers above"), the note under "Lưu ý" and
// the day the facts were compiled with the screen's caveat (outside QA s28).
const CHECKLIST_ON_TIME = `Làm giấy khai sinh cho bé (1.001193)
Trường hợp của bạn: Có Giấy chứng sinh
Giấy tờ cần mang:
- Tờ khai khai sinh: Nộp
- Căn cước: Chỉ đưa xem
- Giấy chứng sinh: Nộp
Lệ phí: Miễn phí
Thời gian giải quyết: Ngay khi nộp đủ giấy tờ
Bạn sẽ nhận được: Giấy khai sinh (bản chính) của bé.
Hạn nộp: Trong 60 ngày kể từ ngày sinh của bé
Nơi nộp: Trung tâm Phục vụ hành chính công xã Ea Kao, Thôn 1, xã Ea Kao, 0262 000 000
Giờ làm việc: Thứ Hai–Chủ nhật: 07:00–11:30, 13:30–17:00
Các bước tiếp theo:
3. Kiểm tra thông tin trên giấy khai sinh trước khi ký nhận.
Lưu ý:
- Nếu cán bộ không tra được nơi cư trú trên hệ thống, có thể cần thêm giấy tờ chứng minh nơi cư trú.
Thông tin tổng hợp ngày 04/12/2026. Chưa đối chiếu với Cổng DVC quốc gia và quyết định công bố của tỉnh.`;

/**
 * The result's first screen — the card (papers, fee, time, where) and the
 * take-home code — lies wholly inside the viewport and inside the visible
 * part of the screen's scroll region, so nothing of it needs scrolling.
 * starts: ids that need only begin on the first screen, above the cue.
 */
async function assertFirstScreen(page, name, { starts = [] } = {}) {
  // The details go on below, and the cue says so (the region re-measures
  // after a resize, so wait for it rather than read it at once).
  await page.locator('main [data-scroll-more]').waitFor({ timeout: 2000 });
  const view = page.viewportSize();
  const region = await page.locator('main [data-scroll-region]').first().boundingBox();
  assert.equal(await page.evaluate(() => document.querySelector('main [data-scroll-region]').scrollTop), 0, `${name}: scrolled`);
  // Standing up, the card's parts lie in the screen's grid and its box is a
  // frame; the two ways on go under the code, in the first screen too (lying
  // down they sit under the code's column, and may reach under the cue).
  const portrait = view.height > view.width;
  const ids = ['result-documents', 'result-fee', 'result-time', 'result-office', 'checklist-qr-img'];
  for (const id of portrait ? ['result-card-frame', ...ids, 'result-change', 'result-done'] : ['result-card', ...ids]) {
    const b = await page.getByTestId(id).boundingBox();
    assert.ok(b, `${name}: ${id} is not shown`);
    const h = starts.includes(id) ? 1 : b.height;
    const inside = (r) => b.x >= r.x - 0.5 && b.y >= r.y - 0.5 && b.x + b.width <= r.x + r.width + 0.5 && b.y + h <= r.y + r.height + 0.5;
    assert.ok(inside({ x: 0, y: 0, ...view }), `${name}: ${id} ${JSON.stringify(b)} leaves the ${view.width}x${view.height} viewport`);
    assert.ok(inside(region), `${name}: ${id} ${JSON.stringify(b)} is below the fold of ${JSON.stringify(region)}`);
  }
  // The code is drawn at least 410 CSS px wide: MaxChecklist's module size.
  assert.ok((await page.getByTestId('checklist-qr-img').boundingBox()).width >= 410, `${name}: QR narrower than 410 px`);
}

/**
 * Standing up at text size 3 the card no longer fits whole, but the
 * take-home code does: the code whole, and the heading "Nơi nộp" beside it,
 * inside the viewport and above the fold, with the screen not scrolled.
 */
async function assertFirstScreenText3(page, name) {
  await page.locator('main [data-scroll-more]').waitFor({ timeout: 2000 });
  await page.waitForFunction(() => document.documentElement.dataset.text === '3');
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  const view = page.viewportSize();
  const region = await page.locator('main [data-scroll-region]').first().boundingBox();
  assert.equal(await page.evaluate(() => document.querySelector('main [data-scroll-region]').scrollTop), 0, `${name}: scrolled`);
  const fold = Math.min(region.y + region.height, view.height);
  const qr = await page.getByTestId('checklist-qr-img').boundingBox();
  assert.ok(qr.y >= region.y - 0.5 && qr.y + qr.height <= fold + 0.5, `${name}: the take-home code ${JSON.stringify(qr)} is not whole above the fold at ${fold}`);
  assert.ok(qr.width >= 410, `${name}: QR narrower than 410 px`);
  const where = await page.locator('[data-testid="result-office"] h2').boundingBox();
  assert.ok(where.y + where.height <= fold + 0.5, `${name}: "Nơi nộp" ${JSON.stringify(where)} is below the fold at ${fold}`);
}

/** Decode the QR code in an element's pixels with zbarimg (Debian zbar-tools). */
async function decodeQR(page, testid) {
  const file = await screenshot(page, `qr-${testid}`);
  const el = page.getByTestId(testid);
  await el.screenshot({ path: file });
  return execFileSync('zbarimg', ['--raw', '-q', '-Sbinary', file]).toString('utf8').replace(/\n$/, '');
}

// Vietnam's wall clock now (UTC+7 all year), in minutes since midnight.
function vietnamMinute() {
  const now = new Date(Date.now() + 7 * 3600_000);
  return now.getUTCHours() * 60 + now.getUTCMinutes();
}

/** What the card says of EA_KAO's office hours (every day 07:00-11:30, 13:30-17:00) at a Vietnam minute. */
function todaySentence(minute) {
  // The kiosk's form (en dashes, a word joiner holding each span whole).
  const hours = '07:00\u2013\u206011:30, 13:30\u2013\u206017:00';
  if (minute >= 17 * 60) return /^Hôm nay đã hết giờ làm việc\. Mở lại: sáng mai, 07:00$/;
  if (minute >= 11 * 60 + 30 && minute < 13 * 60 + 30) return new RegExp(`^Hôm nay mở cửa: ${hours}\\. Bây giờ đang nghỉ, mở lại lúc 13:30\\.$`);
  // In the last 45 minutes before a closing, how long is left.
  if (minute >= 10 * 60 + 45 && minute < 11 * 60 + 30) return new RegExp(`^Hôm nay mở cửa: ${hours}\\nCòn khoảng \\d+ phút nữa là nghỉ trưa \\(11:30\\)\\.$`);
  if (minute >= 16 * 60 + 15) return new RegExp(`^Hôm nay mở cửa: ${hours}\\nCòn khoảng \\d+ phút nữa là hết giờ làm việc hôm nay \\(17:00\\)\\.$`);
  return new RegExp(`^Hôm nay mở cửa: ${hours}$`);
}

async function question(page, id) {
  await page.locator(`[data-testid="screen-procedures-question"][data-question="${id}"]`).waitFor();
}

/** From home, open procedure code by its field and start its questions. */
async function openProcedure(page, field, code) {
  await tap(page, 'tile-procedures');
  await tap(page, 'procedures-by-field');
  await tap(page, `field-${field}`);
  await tap(page, `procedure-${code}`);
  await tap(page, 'procedures-start');
}

/** From home, the result of a certified copy of 3 pages or more (its office is the commune's centre). */
async function openCopyResult(page) {
  await openProcedure(page, 'chung-thuc', '2.000815');
  await answer(page, [['pages', 'long']]);
  await page.getByTestId('screen-procedures-review').waitFor();
  await tap(page, 'review-see-result');
  await page.locator('[data-testid="screen-procedures-result"][data-status="ok"]').waitFor();
}

/** Answer [question, answer] pairs in turn. */
async function answer(page, pairs) {
  for (const [q, a] of pairs) {
    await question(page, q);
    await tap(page, `answer-${a}`);
  }
}

test('birth registration: late vs on time, change an answer, take the checklist away', async (t) => {
  const kiosk = await startKiosk({ config: CONFIG });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await startSession(page);

  await tap(page, 'tile-procedures');
  await page.getByTestId('screen-procedures').waitFor();
  await screenshot(page, 'procedures-entry-landscape', { keep: true });
  assert.deepEqual(await axe(page), []);

  // By life event: "Gia đình có em bé" asks how, then opens birth
  // registration. The life event's question and the procedure's are one
  // numbered sequence: "Câu hỏi 1", then "Câu hỏi 2" (never 1 twice).
  await tap(page, 'life-event-em-be');
  await question(page, 'how');
  assert.equal(await page.getByTestId('question-count').innerText(), 'Câu hỏi 1');
  await tap(page, 'answer-office');
  await page.getByTestId('screen-procedures-intro').waitFor();
  await tap(page, 'procedures-start');

  // Late registration, not in an exempt group, with a birth certificate.
  await question(page, 'age');
  assert.equal(await page.getByTestId('question-count').innerText(), 'Câu hỏi 2');
  await screenshot(page, 'procedures-question-landscape', { keep: true });
  assert.deepEqual(await axe(page), []);
  await tap(page, 'answer-late');
  await question(page, 'exempt');
  assert.equal(await page.getByTestId('question-count').innerText(), 'Câu hỏi 3');
  await tap(page, 'answer-no');
  await question(page, 'parents-late');
  await tap(page, 'answer-married');
  await question(page, 'paper');
  await tap(page, 'answer-yes');

  await page.getByTestId('screen-procedures-review').waitFor();
  assert.equal(await page.getByTestId('review-answer-age').innerText(), 'Đã quá 60 ngày');
  assert.equal(await page.getByTestId('review-exempt').count(), 1);
  await screenshot(page, 'procedures-review-landscape', { keep: true });
  assert.deepEqual(await axe(page), []);
  await tap(page, 'review-see-result');

  // Late, the card says so and that this is why a fee is charged, at the
  // rate HĐND tỉnh sets (PROCEDURES.md §2.1; outside QA F4), and so does
  // the take-home list.
  const fee = page.getByTestId('result-fee');
  await fee.waitFor();
  assert.equal(await fee.getAttribute('data-fee-kind'), 'province');
  assert.equal(await fee.innerText(), 'Cán bộ xã sẽ báo mức phí cho bạn.');
  assert.equal(await page.getByTestId('result-fee-rule').innerText(), 'Đăng ký quá hạn: mức lệ phí do HĐND tỉnh Đắk Lắk quy định.');
  const lateList = await decodeQR(page, 'checklist-qr-img');
  assert.match(lateList, /\nLệ phí: Cán bộ xã sẽ báo mức phí cho bạn\. Đăng ký quá hạn: mức lệ phí do HĐND tỉnh Đắk Lắk quy định\n/);
  // The case as the answers made it, on the card and in the list alike: late,
  // not only "Có Giấy chứng sinh"; and the list ends with the screen's caveat
  // (outside QA s28, finding 4).
  assert.equal(await page.getByTestId('result-case').innerText(), 'Trường hợp của bạn: Đã quá hạn đăng ký; Có Giấy chứng sinh');
  assert.match(lateList, /\nTrường hợp của bạn: Đã quá hạn đăng ký; Có Giấy chứng sinh\n/);
  assert.match(lateList, /\nThông tin tổng hợp ngày 04\/12\/2026\. Chưa đối chiếu với Cổng DVC quốc gia và quyết định công bố của tỉnh\.$/);
  // The office's hours as they read at this hour in Vietnam (the page's clock, the kiosk's zone).
  assert.match(await page.getByTestId('result-today').innerText(), todaySentence(vietnamMinute()));
  // "Không" to the exemption question: the list is not shown again. Late,
  // the 60-day deadline has passed: it is not told.
  assert.equal(await page.getByTestId('result-exemptions').count(), 0);
  assert.equal(await page.getByTestId('result-deadline').count(), 0);
  // "Đến xã" was chosen: the card says so; the online ways are only
  // "Cách khác để nộp" in the details, and no line says a thing twice.
  const chosen = page.getByTestId('result-channel');
  assert.equal(await chosen.getAttribute('data-channel'), 'in_person');
  assert.equal(await chosen.innerText(), 'Đến nộp trực tiếp');
  const others = page.getByTestId('result-channels');
  assert.match(await others.innerText(), /^Cách khác để nộp\n/);
  assert.equal(await others.locator('li[data-channel="in_person"]').count(), 0);
  assert.equal(await others.locator('li').first().innerText(), 'Nộp qua Cổng Dịch vụ công quốc gia: Có thể làm liên thông cả thường trú và thẻ BHYT cho bé.');
  assert.doesNotMatch(await page.getByTestId('screen-procedures-result').innerText(), /Cổng Dịch vụ công quốc gia: Trên Cổng/);
  await assertFirstScreen(page, 'late, landscape');
  await screenshot(page, 'procedures-result-late-landscape', { keep: true });
  assert.deepEqual(await axe(page), []);
  await page.setViewportSize(PORTRAIT);
  await assertFirstScreen(page, 'late, portrait');
  await screenshot(page, 'procedures-result-late-portrait', { keep: true });
  // The largest text standing up: the take-home code still whole on the
  // first screen, and "Nơi nộp" beside it begun above the cue (outside QA:
  // the code fell below the cue). The rest is for a person to look at (the
  // layout sweep checks it).
  await tap(page, 'text-size-3');
  await assertFirstScreenText3(page, 'late, portrait, text 3');
  await screenshot(page, 'procedures-result-late-portrait-text3');
  await page.setViewportSize(LANDSCAPE);
  await screenshot(page, 'procedures-result-late-landscape-text3');
  await tap(page, 'text-size-1');

  // "Xem căn cứ" shows the legal basis and what was done: the facts were
  // compiled from the sources listed, not checked against the live record.
  await tap(page, 'result-basis-toggle');
  const compiled = await page.getByTestId('result-verified').innerText();
  assert.match(compiled, /^Thông tin tổng hợp ngày 04\/12\/2026, theo các nguồn ghi dưới đây\./);
  assert.match(compiled, /Chưa đối chiếu với Cổng Dịch vụ công quốc gia và quyết định công bố của tỉnh\./);
  assert.doesNotMatch(compiled, /kiểm tra ngày/);
  assert.match(await page.getByTestId('result-basis').innerText(), /đọc ngày 04\/12\/2026/);
  // Each source is labelled by what it is (outside QA s28, finding 5): a
  // state site is "Trang chính thức…", a law firm or a newspaper quoting the
  // text is a source read directly, never "Nguồn chính thức".
  const sources = await page.getByTestId('result-source').evaluateAll((lis) =>
    lis.map((li) => ({ kind: li.getAttribute('data-kind'), url: li.querySelector('.url')?.textContent ?? '', text: li.textContent ?? '' })));
  assert.ok(sources.some((s) => s.kind === 'official') && sources.some((s) => s.kind === 'direct'), JSON.stringify(sources));
  for (const s of sources) {
    const official = /^https?:\/\/([^/]+\.)?(gov\.vn|chinhphu\.vn|vbpl\.vn)\//.test(s.url);
    assert.equal(s.kind === 'official', official, `${s.url} labelled ${s.kind}`);
    assert.equal(/Trang chính thức của cơ quan nhà nước/.test(s.text), official, s.text);
    assert.doesNotMatch(s.text, /Nguồn chính thức/);
    if (s.kind === 'direct') assert.match(s.text, /Nguồn đã đọc trực tiếp, không phải trang của nhà nước/);
  }
  assert.doesNotMatch(await page.getByTestId('result-basis').innerText(), /luatvantin\.com\.vn/);
  await screenshot(page, 'procedures-basis-vi-landscape');
  // In English, the result reads its dates as "4 Dec 2026" (04/12/2026 reads
  // as April): on the card, in "Xem căn cứ" and in the take-home list.
  await tap(page, 'open-language');
  await page.getByTestId('language-chooser').waitFor();
  await tap(page, 'lang-en');
  await page.getByText('Your situation: Past the deadline; With a birth notice from the health facility').waitFor();
  if (!(await page.getByTestId('result-basis').isVisible())) await tap(page, 'result-basis-toggle');
  const compiledEn = await page.getByTestId('result-verified').innerText();
  assert.match(compiledEn, /^Facts compiled on 4 Dec 2026 from the sources below\./);
  const basisEn = await page.getByTestId('result-basis').innerText();
  assert.match(basisEn, /Some rules apply until 1 Mar 2027;/);
  assert.match(basisEn, /read on 4 Dec 2026/);
  assert.match(basisEn, /Official state site/);
  assert.match(basisEn, /Read directly; not a state site/);
  assert.doesNotMatch(basisEn, /\d\d\/\d\d\/\d{4}|Official source/);
  assert.match(await decodeQR(page, 'checklist-qr-img'), /\nFacts compiled on 4 Dec 2026\. Not yet compared with the national public-service portal or the province's publication decision\.$/);
  await screenshot(page, 'procedures-basis-en-landscape');
  await page.setViewportSize(PORTRAIT);
  await screenshot(page, 'procedures-basis-en-portrait');
  await page.setViewportSize(LANDSCAPE);
  await tap(page, 'open-language');
  await page.getByTestId('language-chooser').waitFor();
  await tap(page, 'lang-vi');
  await page.getByText('Trường hợp của bạn: Đã quá hạn đăng ký; Có Giấy chứng sinh').waitFor();

  // Change the first answer on the review screen: on time now. The exempt
  // question drops off the path (on time, a married family pays nothing);
  // the parents' and the certificate answers still apply.
  await tap(page, 'result-change');
  await page.getByTestId('screen-procedures-review').waitFor();
  await tap(page, 'review-change-age');
  await question(page, 'age');
  assert.equal(await page.getByTestId('answer-late').getAttribute('aria-pressed'), 'true');
  await tap(page, 'answer-on-time');
  // Straight back to the review: the parents' answer, given on the late
  // way's copy of the question, is this way's too (same_as).
  await page.getByTestId('screen-procedures-review').waitFor();
  assert.equal(await page.getByTestId('review-answer-age').innerText(), 'Chưa quá 60 ngày');
  assert.equal(await page.getByTestId('review-answer-parents').innerText(), 'Đã đăng ký kết hôn');
  assert.equal(await page.getByTestId('review-exempt').count(), 0);
  await tap(page, 'review-see-result');

  await page.locator('[data-testid="result-fee"][data-fee-kind="free"]').waitFor();
  assert.equal(await page.getByTestId('result-fee').innerText(), 'Miễn phí');
  assert.equal(await page.getByTestId('result-deadline').innerText(), 'Hạn nộp: Trong 60 ngày kể từ ngày sinh của bé');
  await page.getByTestId('checklist-qr-img').waitFor();
  assert.equal(await decodeQR(page, 'checklist-qr-img'), CHECKLIST_ON_TIME);
  await assertFirstScreen(page, 'on time, landscape');
  await screenshot(page, 'procedures-result-on-time-landscape', { keep: true });

  // High contrast keeps the result readable and the code scannable.
  await tap(page, 'contrast');
  await screenshot(page, 'procedures-result-high-contrast-landscape', { keep: true });
  assert.equal(await decodeQR(page, 'checklist-qr-img'), CHECKLIST_ON_TIME);
  await tap(page, 'contrast');

  // The same result standing up (1080x1920).
  await page.setViewportSize(PORTRAIT);
  await assertFirstScreen(page, 'on time, portrait');
  await screenshot(page, 'procedures-result-on-time-portrait', { keep: true });
  assert.equal(await decodeQR(page, 'checklist-qr-img'), CHECKLIST_ON_TIME);
  await tap(page, 'text-size-3');
  await assertFirstScreenText3(page, 'on time, portrait, text 3');
  await screenshot(page, 'procedures-result-on-time-portrait-text3');
  await tap(page, 'text-size-1');
});

// The review: every answer and its "Sửa" before "Xem kết quả", which comes
// after the last one and never lies over any (outside QA s24 F6: it was
// pinned to the bottom and the last answer scrolled under it). Lying down
// at text size 1 the four answers of a late birth fit on the screen; at the
// largest size they scroll, with the cue, and still nothing lies under
// anything. Reading aloud and the keyboard land on lines in sight.
test('the review shows every answer and its "Sửa" before "Xem kết quả", none under it', async (t) => {
  const kiosk = await startKiosk({ config: CONFIG });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await startSession(page);
  await tap(page, 'tile-procedures');
  await tap(page, 'life-event-em-be');
  await tap(page, 'answer-office');
  await tap(page, 'procedures-start');
  await answer(page, [['age', 'late'], ['exempt', 'no'], ['parents-late', 'married'], ['paper', 'yes']]);
  await page.getByTestId('screen-procedures-review').waitFor();
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)))));
  const box = (loc) => loc.evaluate((e) => e.getBoundingClientRect().toJSON());
  const changes = page.locator('[data-testid^="review-change-"]');
  assert.equal(await changes.count(), 4);
  const region = await box(page.locator('main [data-scroll-region]').first());
  for (let i = 0; i < 4; i++) {
    const b = await box(changes.nth(i));
    assert.ok(b.top >= region.top - 1 && b.bottom <= region.bottom + 1, `text 1: "Sửa" ${i + 1} is in sight (${Math.round(b.top)}–${Math.round(b.bottom)} in ${Math.round(region.top)}–${Math.round(region.bottom)})`);
  }
  const see = await box(page.getByTestId('review-see-result'));
  assert.ok(see.top >= (await box(changes.last())).bottom, '"Xem kết quả" comes after the last answer');
  assert.deepEqual(await page.evaluate(layoutProblems), [], 'text 1');
  await screenshot(page, 'procedures-review-landscape', { keep: true });

  await tap(page, 'text-size-3');
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  assert.deepEqual(await page.evaluate(layoutProblems), [], 'text 3');
  const scroll = page.locator('main [data-scroll-region]').first();
  const clear = async (el, what) => {
    await page.waitForTimeout(700); // smooth scrolling settles
    const b = await box(el);
    const r = await box(scroll);
    assert.ok(b.top >= r.top - 1 && b.bottom <= r.bottom + 1, `${what} (${Math.round(b.top)}–${Math.round(b.bottom)}) is out of sight (${Math.round(r.top)}–${Math.round(r.bottom)})`);
  };
  // The keyboard: every "Sửa" in turn, then "Xem kết quả".
  for (let seen = 0; seen < 5; ) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
    if (!id.startsWith('review-change-') && id !== 'review-see-result') continue;
    await clear(page.getByTestId(id), `focused ${id}`);
    seen++;
  }
  // Read aloud, from the top: each marked line, down to the last answer.
  await scroll.evaluate((e) => e.scrollTo(0, 0));
  await tap(page, 'audio-play');
  const lastText = (await page.locator('[data-testid^="review-"].line').last().locator('dt').innerText()).trim();
  for (let i = 0, done = false; !done; i++) {
    assert.ok(i < 40, 'reading never reached the last answer');
    const marked = page.locator('main [data-reading]');
    await marked.first().waitFor({ timeout: 30_000 });
    const text = (await marked.first().innerText()).trim();
    await clear(marked.first(), `the line read aloud "${text}"`);
    done = text === lastText;
    if (!done) await page.waitForFunction((t) => (document.querySelector('main [data-reading]')?.textContent ?? '').trim() !== t, text, { timeout: 30_000 });
  }
});

test('answers corrected by the 2026-12 content review: residence fee exemption, joining a household, naming the father, marriage', async (t) => {
  const kiosk = await startKiosk({ config: CONFIG });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await startSession(page);
  const open = async (field, code) => {
    if (await page.getByTestId('screen-home').count() === 0) await tap(page, 'home');
    await openProcedure(page, field, code);
  };
  // A changed screen, checked by axe and kept at 1920x1080 and 1080x1920.
  const both = async (name) => {
    assert.deepEqual(await axe(page), [], name);
    await screenshot(page, `${name}-landscape`, { keep: true });
    await page.setViewportSize(PORTRAIT);
    await screenshot(page, `${name}-portrait`, { keep: true });
    await page.setViewportSize(LANDSCAPE);
  };
  const result = async () => {
    await page.getByTestId('screen-procedures-review').waitFor();
    await tap(page, 'review-see-result');
    await page.locator('[data-testid="screen-procedures-result"][data-status="ok"]').waitFor();
  };

  // A child joining the parents' household: the fee exemption is asked
  // (TT 75/2022) and the household head's and owner's consent is listed.
  await open('cu-tru', '1.004222');
  await question(page, 'exempt');
  await page.getByText('Được miễn: trẻ em dưới 16 tuổi; người cao tuổi; người khuyết tật', { exact: false }).waitFor();
  await both('procedures-residence-exempt');
  await tap(page, 'answer-yes');
  await question(page, 'how');
  await tap(page, 'answer-relative');
  await result();
  assert.equal(await page.getByTestId('result-fee').getAttribute('data-fee-kind'), 'free');
  // The card names the papers short; the details give them in full.
  const docs = await page.getByTestId('result-document-details').innerText();
  assert.match(docs, /có ý kiến đồng ý của chủ hộ và chủ sở hữu chỗ ở/);
  assert.match(docs, /Giấy tờ chứng minh quan hệ gia đình/);
  assert.doesNotMatch(docs, /chỗ ở hợp pháp/);
  assert.match(await page.getByTestId('screen-procedures-result').innerText(), /Chỉ mang sổ đỏ của người thân là chưa đủ/);
  await both('procedures-residence-household');

  // A tenant is not "at their own place" (content audit 2026-12-05): the
  // owner's consent on the form, the agreement notarised or certified, and
  // the floor area — the whole card and the code on the first screen. The
  // household's answers are changed on the review screen.
  await tap(page, 'result-change');
  await tap(page, 'review-change-how');
  await question(page, 'how');
  await tap(page, 'answer-rented');
  await result();
  const papers = await page.getByTestId('result-documents').innerText();
  for (const want of ['Tờ khai có chủ nhà đồng ý', 'công chứng hoặc chứng thực', 'diện tích nhà ở']) assert.ok(papers.includes(want), `tenant card lacks "${want}":\n${papers}`);
  await assertFirstScreen(page, 'tenant, landscape');
  await page.setViewportSize(PORTRAIT);
  await assertFirstScreen(page, 'tenant, portrait');
  await screenshot(page, 'procedures-residence-tenant-portrait');
  await page.setViewportSize(LANDSCAPE);

  // Not sure whether one of the eight groups fits: the fee is shown, and
  // below it who pays none, to check with the staff. "Không" shows no list.
  await tap(page, 'result-change');
  await tap(page, 'review-change-exempt');
  await question(page, 'exempt');
  await tap(page, 'answer-unsure');
  await result();
  assert.notEqual(await page.getByTestId('result-fee').getAttribute('data-fee-kind'), 'free');
  // An amount is one word: the line never breaks between 10.000 and đ.
  assert.match(await page.getByTestId('result-online-cheaper').innerText(), /10\.000\u00a0đ/);
  assert.match(await page.getByTestId('result-maybe-exempt').innerText(), /Có người được miễn lệ phí: xem “Được miễn lệ phí” bên dưới/);
  assert.match(await page.getByTestId('result-exemptions').innerText(), /Được miễn lệ phí[\s\S]*Trẻ em dưới 16 tuổi\.[\s\S]*Người cao tuổi\./);
  await assertFirstScreen(page, 'not sure of the exemption, landscape');
  await page.setViewportSize(PORTRAIT);
  await assertFirstScreen(page, 'not sure of the exemption, portrait');
  await page.setViewportSize(LANDSCAPE);
  await both('procedures-residence-unsure');
  await tap(page, 'result-change');
  await tap(page, 'review-change-exempt');
  await question(page, 'exempt');
  await tap(page, 'answer-no');
  await result();
  assert.equal(await page.getByTestId('result-exemptions').count(), 0, 'a resident who said no is not shown the groups again');
  assert.equal(await page.getByTestId('result-maybe-exempt').count(), 0);

  // Parents who have not registered their marriage and name the father: the
  // birth is filed with nhận cha con, the father present, with proof.
  await open('ho-tich', '1.001193');
  await question(page, 'age');
  await tap(page, 'answer-on-time');
  await question(page, 'parents');
  await both('procedures-birth-parents');
  await tap(page, 'answer-father');
  // On time, the birth is free but the recognition is not: the exemption
  // is asked on this way too (Luật Hộ tịch Điều 11).
  await question(page, 'exempt-father');
  await tap(page, 'answer-no');
  await question(page, 'paper-father');
  await tap(page, 'answer-yes');
  await result();
  const birth = await page.getByTestId('screen-procedures-result').innerText();
  assert.match(birth, /Tờ khai đăng ký nhận cha, mẹ, con/);
  assert.match(birth, /giấy xét nghiệm ADN/);
  assert.match(birth, /Người cha phải có mặt khi đăng ký/);
  assert.equal(await page.getByTestId('result-fee').getAttribute('data-fee-kind'), 'province');
  // The time's condition stays beside it with the deadline shown (Luật HT
  // Điều 25, PROCEDURES.md §2.5; outside QA F15), on the card and in the list.
  assert.equal(await page.getByTestId('result-time-note').innerText(), 'Nếu cần xác minh: thêm không quá 05 ngày làm việc.');
  assert.equal(await page.getByTestId('result-deadline').innerText(), 'Hạn nộp: Trong 60 ngày kể từ ngày sinh của bé');
  // Six papers, the longest birth result, still fits the first screen.
  await assertFirstScreen(page, 'father named, landscape');
  // Its take-home list is one of the longest (over 900 bytes; the code
  // trades correction for length, not module size): read off the screen,
  // it keeps the fee's rule, the time's condition, the office, the hours and
  // the last step (the steps before it repeat the list), in both orientations.
  const whole =
    /\nLệ phí: Cán bộ xã sẽ báo mức phí cho bạn\. Khai sinh đúng hạn được miễn lệ phí\. Phần nhận cha con: mức lệ phí do HĐND tỉnh Đắk Lắk quy định\nThời gian giải quyết: 3 ngày làm việc \(Nếu cần xác minh: thêm không quá 05 ngày làm việc\)\nHạn nộp: Trong 60 ngày kể từ ngày sinh của bé\nNơi nộp: Trung tâm Phục vụ hành chính công xã Ea Kao, Thôn 1, xã Ea Kao, 0262 000 000\nGiờ làm việc: .+\nCác bước tiếp theo:\n3\. Kiểm tra thông tin trên giấy khai sinh trước khi ký nhận\.$/;
  const father = await decodeQR(page, 'checklist-qr-img');
  assert.ok(Buffer.byteLength(father) > 900, `the father-named list is ${Buffer.byteLength(father)} bytes`);
  assert.match(father, whole);
  // Standing up, the longest card fits too, with "Nơi nộp" beside the code.
  await page.setViewportSize(PORTRAIT);
  await assertFirstScreen(page, 'father named, portrait');
  const [qr, office] = [await page.getByTestId('checklist-qr-img').boundingBox(), await page.getByTestId('result-office').boundingBox()];
  assert.ok(office.x >= qr.x + qr.width && office.y < qr.y + qr.height, `portrait: the office ${JSON.stringify(office)} is not beside the code ${JSON.stringify(qr)}`);
  assert.equal(await decodeQR(page, 'checklist-qr-img'), father);
  await page.setViewportSize(LANDSCAPE);
  await both('procedures-birth-father');

  // A couple marrying: no marital-status certificate, the conditions asked.
  await open('ho-tich', '1.000894');
  await question(page, 'citizens');
  await tap(page, 'answer-yes');
  await question(page, 'conditions');
  await page.getByText('Nam đủ 20 tuổi, nữ đủ 18 tuổi', { exact: false }).waitFor();
  await tap(page, 'answer-yes');
  await result();
  const marriage = await page.getByTestId('screen-procedures-result').innerText();
  assert.match(marriage, /Không cần giấy xác nhận độc thân/);
  // A paper's note is a detail, under "Về giấy tờ" below the card.
  assert.match(await page.getByTestId('result-document-details').innerText(), /Không cần giấy xác nhận độc thân \(giấy xác nhận tình trạng hôn nhân\)\. Cán bộ tự tra cứu\./);
  // The take-home list says it too, beside the form (outside QA s28, finding 4).
  assert.match(await decodeQR(page, 'checklist-qr-img'), /\n- Tờ khai kết hôn: Nộp\. Không cần giấy xác nhận độc thân \(giấy xác nhận tình trạng hôn nhân\)\. Cán bộ tự tra cứu\.\n- Căn cước 2 người \(2 bản chính\): Chỉ đưa xem\n/);
  await both('procedures-marriage');

  // Filed only online (the linked birth, residence and health-card service):
  // the card says to prepare the papers and file on the portal or VNeID, and
  // gives the commune centre as where to ask for help, on screen and in the
  // take-home QR; nothing tells the resident to bring papers to the centre.
  await open('ho-tich', 'lien-thong-khai-sinh');
  await question(page, 'age');
  await tap(page, 'answer-on-time');
  await question(page, 'account');
  await tap(page, 'answer-yes');
  await result();
  const card = await page.getByTestId('result-card').innerText();
  assert.match(card, /Giấy tờ cần chuẩn bị \(chụp hoặc tải lên\)/);
  assert.match(
    await page.getByTestId('result-office').innerText(),
    /^Nộp qua mạng\s+Cổng Dịch vụ công quốc gia\s+Ứng dụng VNeID\s+Nơi hỏi thêm, nhờ cán bộ giúp\s+Trung tâm Phục vụ hành chính công xã Ea Kao/,
  );
  assert.doesNotMatch(card, /Giấy tờ cần mang|Nơi nộp/);
  const taken = await decodeQR(page, 'checklist-qr-img');
  assert.match(taken, /\nNơi nộp: Nộp qua mạng; Nộp trên ứng dụng VNeID\nNơi hỏi thêm, nhờ cán bộ giúp: Trung tâm Phục vụ hành chính công xã Ea Kao/);
  assert.doesNotMatch(taken, /Giấy tờ cần mang/);
  await assertFirstScreen(page, 'online only, landscape');
  await page.setViewportSize(PORTRAIT);
  await assertFirstScreen(page, 'online only, portrait');
  await page.setViewportSize(LANDSCAPE);
  await both('procedures-online-only');
});

test('fails closed and offers to call the staff', async (t) => {
  const kiosk = await startKiosk({ config: CONFIG });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, PORTRAIT);
  await page.goto(kiosk.url);
  await startSession(page);
  await openProcedure(page, 'ho-tich', '1.001193');
  await question(page, 'age');
  await screenshot(page, 'procedures-question-portrait', { keep: true });
  await tap(page, 'answer-on-time');
  await question(page, 'parents');
  await tap(page, 'answer-married');
  await question(page, 'paper');
  await tap(page, 'answer-unsure');
  await page.locator('[data-testid="screen-procedures-result"][data-status="ask_staff"]').waitFor();
  assert.equal(await page.getByTestId('result-fee').count(), 0, 'no fee is shown when there is no data');
  assert.equal(await page.getByTestId('result-time').count(), 0, 'no time is shown when there is no data');
  assert.match(await page.getByTestId('procedures-ask-staff').innerText(), /Trường hợp này cần cán bộ giúp/);
  await screenshot(page, 'procedures-ask-staff-portrait', { keep: true });
  // The largest text size still fits, and everything stays touchable.
  await tap(page, 'text-size-3');
  await screenshot(page, 'procedures-ask-staff-portrait-text3', { keep: true });
  assert.deepEqual(await axe(page), []);
  await tap(page, 'procedures-call-staff');
  await page.getByTestId('procedures-staff-called').waitFor();
});

// A kiosk of its own with the search screen open, landscape.
async function openSearch(t) {
  const kiosk = await startKiosk({ config: CONFIG });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await startSession(page);
  await tap(page, 'tile-search');
  const input = page.getByTestId('search-input');
  return { page, input };
}

test('search finds procedures typed without marks, with variants and typos', async (t) => {
  const { page, input } = await openSearch(t);
  const cases = [
    ['dang ki khai sinh', '1.001193'],
    ['ket hno', '1.000894'],
    ['nhap ho khau', '1.004222'],
    // A slip that makes another word of the pack ("hỏng"): still marriage
    // first (after another first hit, so the list has changed).
    ['ket hong', '1.000894'],
    ['nguoi than qua doi', '1.000656'],
  ];
  for (const [text, code] of cases) {
    await input.fill(text);
    const first = page.locator('[data-testid="search-results"] li').first().locator('button');
    await page.waitForFunction(
      ([c]) => document.querySelector('[data-testid="search-results"] li button')?.getAttribute('data-testid') === `search-hit-${c}`,
      [code],
    );
    assert.equal(await first.getAttribute('data-testid'), `search-hit-${code}`, text);
  }
  await screenshot(page, 'search-results-landscape', { keep: true });
  assert.deepEqual(await axe(page), []);
  await input.fill('xyzzy qwv');
  await page.getByTestId('search-none').waitFor();
  await input.fill('sao y');
  await page.getByTestId('search-hit-2.000815').waitFor();
  await tap(page, 'search-hit-2.000815');
  await page.getByTestId('screen-procedures-intro').waitFor();
  await page.setViewportSize(PORTRAIT);
  await screenshot(page, 'procedures-intro-portrait', { keep: true });
});

test('search understands everyday words typed on the on-screen keyboard, and never leaves an empty screen', async (t) => {
  const { page, input } = await openSearch(t);

  // "đám ma" (a funeral) is a synonym from the pack's search.yaml: it finds
  // death registration (1.000656) first, not the "đám cưới" of a wedding.
  for (const k of ['key-đ', 'key-a', 'key-m', 'tone-acute', 'key-space', 'key-m', 'key-a']) {
    await tap(page, k);
  }
  assert.equal((await input.inputValue()).normalize('NFC'), 'đám ma');
  await page.waitForFunction(() => document.querySelector('[data-testid="search-results"] li button')?.getAttribute('data-testid') === 'search-hit-1.000656');

  // A death said the everyday way offers the procedure, then the life event
  // (waiting for the wedding "đám" of the last query to leave the list).
  await input.fill('bố tôi mất');
  await page.waitForFunction(() => {
    const ids = [...document.querySelectorAll('[data-testid="search-results"] li button')].map((b) => b.getAttribute('data-testid'));
    return ids[0] === 'search-hit-1.000656' && ids[1] === 'search-hit-qua-doi' && !ids.includes('search-hit-1.000894');
  });
  assert.equal(await page.getByTestId('search-hit-qua-doi').getAttribute('data-kind'), 'life_event');
  await screenshot(page, 'search-life-event-landscape');

  // Something the kiosk does not cover (search.yaml elsewhere) is said so,
  // not answered with residence registration for the "hộ" of "hộ chiếu".
  await input.fill('làm hộ chiếu');
  await page.getByTestId('search-elsewhere').waitFor();
  assert.match(await page.getByTestId('search-elsewhere').innerText(), /chưa hướng dẫn việc này/);
  assert.equal(await page.locator('[data-testid="search-results"] li button[data-testid^="search-hit-"]').count(), 0);
  // The staff are the answer here: their button comes before the life events.
  const callY = (await page.getByTestId('search-call-staff').boundingBox()).y;
  assert.ok(callY < (await page.getByTestId('search-event-qua-doi').boundingBox()).y, 'the staff button comes first');
  await screenshot(page, 'search-elsewhere-landscape');
  await page.setViewportSize(PORTRAIT);
  await screenshot(page, 'search-elsewhere-portrait');
  await page.setViewportSize(LANDSCAPE);

  // Nothing fits: the life events and a call to the staff, never an empty screen.
  await input.fill('xyzzy qwv');
  await page.getByTestId('search-elsewhere').waitFor({ state: 'detached' });
  await page.getByTestId('search-none').waitFor();
  await page.getByTestId('search-event-qua-doi').waitFor();
  await page.getByTestId('search-call-staff').waitFor();
  assert.deepEqual(await axe(page), []);
  await page.setViewportSize(PORTRAIT);
  await screenshot(page, 'search-none-portrait', { keep: true });
  await tap(page, 'search-call-staff');
  await page.getByTestId('search-staff-called').waitFor();
  // A life event with one procedure opens it at once (no list of one to tap
  // again); Back returns to the search.
  await tap(page, 'search-event-qua-doi');
  await page.getByTestId('screen-procedures-intro').waitFor();
  assert.equal(await page.getByTestId('screen-procedures-list').count(), 0);
  await tap(page, 'back');
  await page.getByTestId('screen-search').waitFor();
});

test('a life event of one procedure opens it at once; one of several lists them', async (t) => {
  const kiosk = await startKiosk({ config: CONFIG });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await startSession(page);
  await tap(page, 'tile-procedures');
  // "Kết hôn" holds only marriage registration: one tap, not two.
  await tap(page, 'life-event-ket-hon');
  // (the intro loads after it shows: wait for its words, not only its frame)
  await page.getByTestId('screen-procedures-intro').getByText('Đăng ký kết hôn').first().waitFor();
  await screenshot(page, 'procedures-life-event-one-landscape');
  await tap(page, 'back');
  await page.getByTestId('life-event-giay-to').waitFor();
  await tap(page, 'life-event-giay-to');
  await page.getByTestId('screen-procedures-list').waitFor();
  // The list fills after its frame shows (CI s27 counted 0 on a busy machine).
  await page.locator('[data-testid^="procedure-"]').first().waitFor();
  assert.equal(await page.locator('[data-testid^="procedure-"]').count(), 3);
});

test('a question asked in a whole sentence is read to its end, kept in sight while typed, and the keyboard says when it is full', async (t) => {
  const { page, input } = await openSearch(t);
  // Residents put the need last (outside QA, 2026-12-06: words past the 12th were not read).
  const question = 'con trai tôi đi làm công nhân ở Bình Dương có cần đăng ký tạm trú không';
  await input.fill(question);
  await page.waitForFunction(() => document.querySelector('[data-testid="search-results"] li button')?.getAttribute('data-testid') === 'search-hit-1.004194');

  // Typed on the on-screen keyboard, the end of a long line stays in sight.
  await input.fill(`${question} và ở trọ thì sao nữa nhé cán bộ ơi`.slice(0, 97).replace(/ $/, 'a'));
  await tap(page, 'key-space');
  await tap(page, 'key-a');
  const shown = await input.evaluate((e) => ({ left: e.scrollLeft, width: e.clientWidth, all: e.scrollWidth }));
  assert.ok(shown.left > 0 && shown.left + shown.width >= shown.all - 2, `the end of the text is in sight: ${JSON.stringify(shown)}`);
  await tap(page, 'key-b');
  assert.equal([...(await input.inputValue())].length, 100);
  // Full: the letter and space keys grey out; backspace still works.
  assert.ok(await page.getByTestId('key-a').isDisabled(), 'a letter key is disabled when the text is full');
  assert.ok(await page.getByTestId('key-space').isDisabled());
  await tap(page, 'key-backspace');
  assert.ok(await page.getByTestId('key-a').isEnabled());
  await screenshot(page, 'search-long-question-landscape');
  await tap(page, 'key-b');
  await page.setViewportSize(PORTRAIT);
  await screenshot(page, 'search-long-question-full-portrait');
});

test('a death registered late by a person exempt from the fee: free, and what to bring to show it', async (t) => {
  const kiosk = await startKiosk({ config: CONFIG });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await startSession(page);
  await openProcedure(page, 'ho-tich', '1.000656');
  await answer(page, [['when', 'late'], ['exempt', 'yes'], ['notice', 'yes']]);
  await page.getByTestId('screen-procedures-review').waitFor();
  await tap(page, 'review-see-result');
  await page.locator('[data-testid="screen-procedures-result"][data-status="ok"]').waitFor();
  assert.equal(await page.getByTestId('result-fee').getAttribute('data-fee-kind'), 'free');
  assert.match(await page.getByTestId('result-exempt-proof').innerText(), /Mang giấy tờ cho thấy được miễn \(nếu có\), hoặc hỏi cán bộ/);
  const proof = await page.getByTestId('result-exempt-proof').boundingBox();
  const first = await page.getByTestId('result-first').boundingBox();
  assert.ok(proof.y + proof.height <= first.y + first.height + 1, 'on the first card, not below the fold');
  await screenshot(page, 'procedures-exempt-proof-landscape');
});

// A copy of 3 pages or more: the card gives the whole price rule of TT
// 226/2016 (PROCEDURES.md §2.7; outside QA F9), not only the first pages',
// and the 15:00 cut-off beside the time; "Lưu ý" does not say them again.
test('a certified copy of 3 pages or more: the whole fee rule and the time condition on the card', async (t) => {
  const kiosk = await startKiosk({ config: CONFIG });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await startSession(page);
  await openCopyResult(page);
  // One form for a fee per unit, the list's (outside QA s28, finding 7).
  assert.equal(await page.getByTestId('result-fee').innerText(), '2.000\u00a0đ/trang (2 trang đầu)');
  const copyList = await decodeQR(page, 'checklist-qr-img');
  assert.match(copyList, /\nLệ phí: 2\.000 đ\/trang \(2 trang đầu\)\. Từ trang thứ 3/);
  // The photocopy's note, under "Về giấy tờ" on the screen, is in the list too.
  assert.match(copyList, /\n- Bản photo: Nộp\. Không có bản photo thì cán bộ chụp giúp\.\n/);
  assert.equal(await page.getByTestId('result-fee-rule').innerText(), 'Từ trang thứ 3: 1.000\u00a0đ/trang; tối đa 200.000\u00a0đ/bản.');
  assert.equal(await page.getByTestId('result-time-note').innerText(), 'Nộp sau 15 giờ thì nhận trong ngày làm việc tiếp theo.');
  assert.doesNotMatch(await page.getByTestId('result-details').innerText(), /Từ trang thứ 3|Nộp sau 15 giờ/);
  await assertFirstScreen(page, 'copy, 3 pages, landscape');
  await screenshot(page, 'procedures-copy-long-landscape');
});

test('office hours already over today say so, and when it opens again; before and during them, the hours', async (t) => {
  const kiosk = await startKiosk({ config: CONFIG });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  // A resident at 15:46 read "Hôm nay mở cửa: 07:30–08:00" and set off. The
  // page's clock is set; the office's hours are the same every day. The
  // kiosk says how they stand at each time of its day; the page picks by its clock.
  const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  const vietnam = (hhmm) => new Date(`${today}T${hhmm}:00+07:00`);
  await page.clock.setFixedTime(vietnam('17:46'));
  await page.goto(kiosk.url);
  await startSession(page);
  await openCopyResult(page);
  const line = page.getByTestId('result-today');
  assert.equal(await line.getAttribute('data-when'), 'over');
  assert.equal(await line.innerText(), 'Hôm nay đã hết giờ làm việc. Mở lại: sáng mai, 07:00');
  await screenshot(page, 'procedures-office-over-landscape');
  for (const [hhmm, when] of [['11:10', 'closing'], ['12:15', 'break'], ['16:40', 'closing'], ['15:46', 'open'], ['06:30', 'before']]) {
    await page.clock.setFixedTime(vietnam(hhmm));
    // The card follows the clock (it ticks every few seconds).
    await page.waitForFunction((w) => document.querySelector('[data-testid="result-today"]')?.dataset.when === w, when, { timeout: 10_000 });
    assert.match(await line.innerText(), todaySentence(Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))), `at ${hhmm}`);
  }
  await page.setViewportSize(PORTRAIT);
  await page.clock.setFixedTime(vietnam('17:46'));
  await page.waitForFunction(() => document.querySelector('[data-testid="result-today"]')?.dataset.when === 'over', null, { timeout: 10_000 });
  await screenshot(page, 'procedures-office-over-portrait');
  assert.deepEqual(await axe(page), []);
});

// The card says the office's lines, the day it opens again and the notes
// under "Lưu ý" as the kiosk sends them: the kiosk says them once, in the
// pack's words, for the card and the take-home list alike (a pack whose
// translator gave the day names reached the phone copy, not the card; the
// screen chose its notes by a rule of its own). The answer is changed on
// its way, so a card that says anything itself shows it.
test('the office card and "Lưu ý" show what the kiosk sends', async (t) => {
  const config = CONFIG.replace(/hours: \[.*\]/, 'hours: ["T2-T6: 7h30-11h30, 13h30-17h", "T7: sáng 7h30 đến trưa"]');
  assert.notEqual(config, CONFIG);
  const at = '2026-12-09T17:46:00+07:00'; // a Wednesday, the day's hours over
  process.env.TRAMSO_TEST_OFFICE_CLOCK = at;
  const kiosk = await startKiosk({ config }).finally(() => delete process.env.TRAMSO_TEST_OFFICE_CLOCK);
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.clock.setFixedTime(new Date(at));
  let sent;
  await page.route((url) => url.pathname.endsWith('/result'), async (route) => {
    const res = await route.fetch();
    sent = await res.json();
    const r = structuredClone(sent);
    for (const l of r.office.lines) if (l.from) l.said = `Mnăm ${l.from}: ${l.spans.join(' + ')}`;
    for (const p of r.office.phases) if (p.opens) Object.assign(p.opens, { when: 'day', day_name: 'Hrue Mnăm' });
    // Notes the screen would have chosen itself: the fee's and the time's.
    r.fee_rule = r.time_note = '';
    r.fee.note = 'ghi chú của lệ phí';
    r.time.note = 'ghi chú của thời gian';
    r.notes = ['Lưu ý thứ nhất', 'Lưu ý thứ hai'];
    await route.fulfill({ response: res, json: r });
  });
  await page.goto(kiosk.url);
  await startSession(page);
  await openCopyResult(page);
  // What the kiosk sent, before the change: its lines said in Vietnamese.
  assert.deepEqual(sent.office.lines.map((l) => l.said), ['Thứ Hai–Thứ Sáu: 07:30–11:30, 13:30–17:00', 'T7: sáng 7h30 đến trưa']);
  assert.equal(await page.getByTestId('result-hours').innerText(), 'Giờ làm việc: Mnăm mon: 07:30-11:30 + 13:30-17:00; T7: sáng 7h30 đến trưa');
  assert.equal(await page.getByTestId('result-today').innerText(), 'Hôm nay đã hết giờ làm việc. Mở lại: Hrue Mnăm, 07:30');
  assert.deepEqual(await page.getByTestId('result-notes').locator('li').allInnerTexts(), ['Lưu ý thứ nhất', 'Lưu ý thứ hai']);
});

// copyResultAt opens the certified-copy result on a kiosk whose office card
// clock starts at at (TRAMSO_TEST_OFFICE_CLOCK), the page's clock with it.
async function copyResultAt(t, browser, config, at) {
  process.env.TRAMSO_TEST_OFFICE_CLOCK = at;
  const kiosk = await startKiosk({ config, browser }).finally(() => delete process.env.TRAMSO_TEST_OFFICE_CLOCK);
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.clock.setFixedTime(new Date(at));
  await page.goto(kiosk.url);
  await startSession(page);
  await openCopyResult(page);
  return page;
}

// An office open Monday to Friday only (as a commune writes it, in
// Vietnamese): on Friday evening and on Saturday the card says when it opens
// again, on Monday. The kiosk's day is set with TRAMSO_TEST_OFFICE_CLOCK (the
// office card's clock only), and the page's clock with it.
test('on a Friday evening and on a day off the office card says it opens again on Monday', async (t) => {
  const config = CONFIG.replace(/hours: \[.*\]/, 'hours: ["T2-T6 07:30-11:30, 13:30-17:00"]');
  assert.notEqual(config, CONFIG);
  const browser = await launchChromium();
  t.after(() => browser.close());
  for (const [name, at, when, sentence] of [
    ['friday', '2026-12-11T17:46:00+07:00', 'over', 'Hôm nay đã hết giờ làm việc. Mở lại: Thứ Hai, 07:30'],
    ['saturday', '2026-12-12T09:00:00+07:00', 'closed_day', 'Hôm nay nghỉ. Mở lại: Thứ Hai, 07:30'],
  ]) {
    const page = await copyResultAt(t, browser, config, at);
    const line = page.getByTestId('result-today');
    assert.equal(await line.getAttribute('data-when'), when, name);
    assert.equal(await line.innerText(), sentence, name);
    await assertFirstScreen(page, `${name}, landscape`);
    await screenshot(page, `procedures-office-${name}-landscape`);
    await page.setViewportSize(PORTRAIT);
    await assertFirstScreen(page, `${name}, portrait`);
    await screenshot(page, `procedures-office-${name}-portrait`);
    assert.deepEqual(await axe(page), []);
    // The take-home list gives the week's hours, not today's status, in the card's form.
    assert.match(await decodeQR(page, 'checklist-qr-img'), /\nGiờ làm việc: Thứ Hai–Thứ Sáu: 07:30–11:30, 13:30–17:00\n/);
    await page.close();
  }
});

// Outside testers s27: one line the kiosk could not read made the card show
// every line as typed and drop today's status; times were written two ways
// ("7h30" beside "13:30"); nothing was said as the office was about to close.
// Now the lines read give today's status in the kiosk's form, the line not
// read is still shown as typed, and the last 45 minutes say how long is left;
// on the day the line not read names, today is shown as typed, claiming nothing.
test('an office with one hours line not read: the others read, the last minutes before closing said', async (t) => {
  const config = CONFIG.replace(/hours: \[.*\]/, 'hours: ["T2-T6: 7h30-11h30, 13h30-17h", "T7: sáng 7h30 đến trưa"]');
  assert.notEqual(config, CONFIG);
  const browser = await launchChromium();
  t.after(() => browser.close());
  const hours = '07:30\u2013\u206011:30, 13:30\u2013\u206017:00';
  const lines = 'Giờ làm việc: Thứ Hai\u2013\u2060Thứ Sáu: 07:30\u2013\u206011:30, 13:30\u2013\u206017:00; T7: sáng 7h30 đến trưa';
  for (const [name, at, when, today, rest] of [
    ['lunch', '2026-12-09T11:10:00+07:00', 'closing', `Hôm nay mở cửa: ${hours}\nCòn khoảng 20 phút nữa là nghỉ trưa (11:30).`, lines],
    ['evening', '2026-12-09T16:40:00+07:00', 'closing', `Hôm nay mở cửa: ${hours}\nCòn khoảng 20 phút nữa là hết giờ làm việc hôm nay (17:00).`, lines],
    // Friday evening: Saturday's line is not read, so no "Mở lại: Thứ Hai".
    ['friday', '2026-12-11T17:46:00+07:00', 'over', 'Hôm nay đã hết giờ làm việc.', lines],
    ['saturday', '2026-12-12T09:00:00+07:00', 'typed', 'Giờ làm việc hôm nay: T7: sáng 7h30 đến trưa', 'Giờ làm việc: Thứ Hai\u2013\u2060Thứ Sáu: 07:30\u2013\u206011:30, 13:30\u2013\u206017:00'],
  ]) {
    const page = await copyResultAt(t, browser, config, at);
    const line = page.getByTestId('result-today');
    assert.equal(await line.getAttribute('data-when'), when, name);
    assert.equal(await line.innerText(), today, name);
    assert.equal(await page.getByTestId('result-hours').innerText(), rest, name);
    await screenshot(page, `s27c-office-${name}-landscape`);
    await assertFirstScreen(page, `${name}, landscape`);
    await page.getByTestId('result-office').screenshot({ path: await screenshot(page, `s27c-office-${name}-card-landscape`) });
    await page.setViewportSize(PORTRAIT);
    await screenshot(page, `s27c-office-${name}-portrait`);
    await assertFirstScreen(page, `${name}, portrait`);
    await page.getByTestId('result-office').screenshot({ path: await screenshot(page, `s27c-office-${name}-card-portrait`) });
    assert.deepEqual(await axe(page), []);
    // The phone copy says the lines as the card does.
    assert.match(await decodeQR(page, 'checklist-qr-img'), /\nGiờ làm việc: Thứ Hai–Thứ Sáu: 07:30–11:30, 13:30–17:00; T7: sáng 7h30 đến trưa\n/);
    if (name === 'lunch') {
      // The minutes count down with the page's clock while the screen is open.
      await page.clock.setFixedTime(new Date('2026-12-09T11:25:30+07:00'));
      await page.waitForFunction(() => /khoảng 5 phút/.test(document.querySelector('[data-testid="result-closing"]')?.textContent ?? ''), null, { timeout: 10_000 });
    }
    await page.close();
  }
});
