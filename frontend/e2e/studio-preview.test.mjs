// The content studio's preview in Chromium: the kiosk itself — its frontend
// and its API — served by a real `tramso hub` below /admin/content/preview/
// over the hub's content, framed in a console page and opened full size at
// 1920×1080 and 1080×1920. The approved content is seeded from a signed pack
// published with the real CLI, in which the birth registration has a changed
// name: the preview must show it, and answer the questions to the tailored
// result and its QR. (studio.test.mjs previews a change's draft.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LANDSCAPE, PORTRAIT, launchChromium, screenshot, startSession, tap, tramso } from './harness.mjs';
import { checkPage, consolePage, DESKTOP, logIn, startHub } from './hub.mjs';

const NAME = 'Làm giấy khai sinh cho bé (gói thử)';
// The approved content, seeded from the newest published pack.
const PREVIEW = '/admin/content/preview/approved';

let browser, hub;

before(async () => {
  browser = await launchChromium();
  hub = await startHub();
  // The starter with the birth registration renamed, signed and published.
  const src = join(hub.tmp, 'src');
  tramso(['pack', 'export-starter', '--out', src]);
  const file = join(src, 'procedures', 'khai-sinh.yaml');
  const yaml = readFileSync(file, 'utf8');
  const renamed = yaml.replace('plain_name: {vi: "Làm giấy khai sinh cho bé"', `plain_name: {vi: "${NAME}"`);
  assert.notEqual(renamed, yaml, 'the starter names the birth registration as the test expects');
  writeFileSync(file, renamed);
  const pack = join(hub.tmp, 'preview.tspack');
  tramso(['pack', 'build', '--src', src, '--key', hub.privateKey, '--out', pack, '--generation', '4301']);
  tramso(['hub', 'publish', '--data', hub.dataDir, pack]);
});

after(async () => {
  await hub?.stop();
  await browser?.close();
});

/** The kiosk's requests that left the preview's prefix (an absolute /api/… URL). */
function strayRequests(page) {
  const stray = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.origin === hub.url && !u.pathname.startsWith(PREVIEW + '/')) stray.push(u.pathname);
  });
  return stray;
}

test('the preview needs a console login', async () => {
  const page = await consolePage(browser, DESKTOP);
  await page.goto(hub.url + PREVIEW + '/');
  await page.getByLabel('Tên đăng nhập', { exact: true }).waitFor();
  await page.context().close();
});

test('the console frames the kiosk at its own size, and offers it turned and full size', async () => {
  const page = await consolePage(browser, DESKTOP);
  await logIn(page, hub);
  const refused = [];
  page.on('console', (m) => /Content Security Policy|Refused/.test(m.text()) && refused.push(m.text()));
  await page.goto(hub.url + PREVIEW);
  const frame = page.frameLocator('iframe[title^="Kiosk xem trước"]');
  await frame.getByTestId('attract').waitFor();
  const box = await page.locator('.preview-box').boundingBox();
  assert.ok(Math.abs(box.width / box.height - 1920 / 1080) < 0.02, `landscape frame ${box.width}×${box.height}`);
  await checkPage(page, 'preview-wide');

  await page.getByRole('link', { name: 'Xoay dọc (1080×1920)' }).click();
  await frame.getByTestId('attract').waitFor();
  const tall = await page.locator('.preview-box').boundingBox();
  assert.ok(Math.abs(tall.width / tall.height - 1080 / 1920) < 0.02, `portrait frame ${tall.width}×${tall.height}`);
  await screenshot(page, 'console-preview-tall');

  const full = page.getByRole('link', { name: 'Mở cỡ thật trong thẻ mới' });
  assert.equal(await full.getAttribute('target'), '_blank');
  assert.equal(await full.getAttribute('href'), PREVIEW + '/');
  assert.deepEqual(refused, [], 'the console and the framed kiosk load under their policies');
  await page.context().close();
});

test('full size, the kiosk shows the hub\'s content: a procedure answered to its result and QR', async () => {
  const page = await consolePage(browser, LANDSCAPE);
  await logIn(page, hub);
  const stray = strayRequests(page);
  await page.goto(hub.url + PREVIEW + '/');
  await startSession(page);
  await screenshot(page, 'preview-home-landscape');

  await tap(page, 'tile-procedures');
  await tap(page, 'procedures-by-field');
  await tap(page, 'field-ho-tich');
  await page.getByTestId('procedure-1.001193').getByText(NAME).waitFor();
  await tap(page, 'procedure-1.001193');
  await tap(page, 'procedures-start');
  const question = (id) => page.locator(`[data-testid="screen-procedures-question"][data-question="${id}"]`).waitFor();
  await question('age');
  await tap(page, 'answer-late');
  await question('exempt');
  await tap(page, 'answer-no');
  await question('parents-late');
  await tap(page, 'answer-married');
  await question('paper');
  await tap(page, 'answer-yes');
  await page.getByTestId('screen-procedures-review').waitFor();
  await tap(page, 'review-see-result');

  const fee = page.getByTestId('result-fee');
  await fee.waitFor();
  assert.equal(await fee.getAttribute('data-fee-kind'), 'province');
  // The take-away checklist, as a phone camera reads it from the QR code.
  const qr = page.getByTestId('checklist-qr-img');
  await qr.waitFor();
  const file = await screenshot(page, 'preview-result-landscape');
  await qr.screenshot({ path: file });
  const checklist = execFileSync('zbarimg', ['--raw', '-q', '-Sbinary', file], { stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8');
  assert.equal(checklist.split('\n')[0], `${NAME} (1.001193)`);
  assert.match(checklist, /^Lệ phí: /m);
  await page.setViewportSize(PORTRAIT);
  await fee.waitFor();
  await screenshot(page, 'preview-result-portrait');
  assert.deepEqual(stray, [], 'every request of the kiosk stays below the preview');
  await page.context().close();
});

test('?lang= and ?text= start the kiosk in the language and text size being checked', async () => {
  const page = await consolePage(browser, LANDSCAPE);
  await logIn(page, hub);
  await page.goto(hub.url + PREVIEW + '/?lang=en&text=2');
  await startSession(page);
  const root = await page.evaluate(() => ({ lang: document.documentElement.lang, text: document.documentElement.dataset.text }));
  assert.deepEqual(root, { lang: 'en', text: '2' });
  await page.context().close();
});
