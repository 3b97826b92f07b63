// The province hub for end-to-end tests, and the console as province staff
// use it: a real `tramso hub` on a free loopback port with a fresh data
// directory, a real province key pair (`tramso keygen`), a staff login made
// with `tramso hub admin-user`, and signed packs built from the starter
// content with `tramso pack build`. Pages are driven in Debian's Chromium at
// desktop or phone width; every page visited is checked with axe-core and
// screenshotted into test-results/.
//
//   import { startHub, buildPacks, consolePage, logIn, DESKTOP } from './hub.mjs';
//   const hub = await startHub({ signing: true });
//   const page = await consolePage(browser, DESKTOP);
//   await logIn(page, hub);
//   ...
//   await hub.stop();

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axe, freePort, newTouchPage, screenshot, spawnTramso, tramso, waitHealthy } from './harness.mjs';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** The province staff login every test hub has. */
export const ADMIN = { user: 'tinh', password: 'Ea-Kao-binh-dan-2026' };

/**
 * Start `tramso hub` with a fresh province key pair and one staff login.
 * signing: give the hub the private key too (--key), so the console can roll
 * back. accounts: more logins, [{ user, password, role }]. Returns { url, admin, dataDir, tmp, keyId, privateKey, publicKey, log(), stop() }.
 */
export async function startHub({ signing = false, accounts = [], args: extra = [] } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), 'tramso-hub-e2e-'));
  const keys = join(tmp, 'keys');
  // The key id goes to the communes out of band; `tramso enroll --key-id` checks it.
  const keyId = tramso(['keygen', '--out', keys]).match(/key id ([0-9a-f]{16})/)?.[1];
  assert.ok(keyId, '`tramso keygen` prints the key id');
  const dataDir = join(tmp, 'hub');
  mkdirSync(dataDir);
  copyFileSync(join(keys, 'province.pub'), join(dataDir, 'province.pub'));
  tramso(['hub', 'admin-user', '--data', dataDir, '--user', ADMIN.user], { input: ADMIN.password + '\n' });
  for (const a of accounts) tramso(['hub', 'admin-user', '--data', dataDir, '--user', a.user, '--role', a.role], { input: a.password + '\n' });
  const port = await freePort();
  const args = ['hub', '--addr', `127.0.0.1:${port}`, '--data', dataDir];
  if (signing) args.push('--key', join(keys, 'province.key'));
  args.push(...extra);
  const server = spawnTramso(args);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url + '/api/health', server, 'tramso hub');
  } catch (err) {
    server.proc.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    admin: url + '/admin/',
    dataDir,
    tmp,
    keyId,
    privateKey: join(keys, 'province.key'),
    publicKey: join(keys, 'province.pub'),
    log: server.log,
    async stop() {
      await server.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * Signed packs of the starter content (`tramso pack export-starter`), one per
 * { generation, title }, the title written into pack.yaml so each pack shows
 * as itself in the console. Returns [{ generation, title, file }].
 */
export function buildPacks(hub, packs) {
  const src = join(hub.tmp, 'src');
  tramso(['pack', 'export-starter', '--out', src]);
  const meta = join(src, 'pack.yaml');
  const original = readFileSync(meta, 'utf8');
  assert.match(original, /^title: /m, 'the starter pack.yaml has a title line');
  return packs.map(({ generation, title }) => {
    writeFileSync(meta, original.replace(/^title: .*$/m, `title: ${JSON.stringify(title)}`));
    const file = join(hub.tmp, `pack-${generation}.tspack`);
    tramso(['pack', 'build', '--src', src, '--key', hub.privateKey, '--out', file, '--generation', String(generation)]);
    return { generation, title, file };
  });
}

/**
 * A fresh console page: a phone (touch, meta viewport) below 600 px, else a
 * desktop. Waits for an element give up after 10 s: every console page is
 * served by a hub on loopback.
 */
export async function consolePage(browser, viewport) {
  const page = await newTouchPage({ browser }, viewport, { mobile: viewport.width < 600 });
  page.context().setDefaultTimeout(10_000);
  return page;
}

const onPhone = (page) => page.viewportSize().width < 600;

/** Press a button or link as staff would: a tap on a phone, a click on a desktop. */
export function press(page, locator) {
  return onPhone(page) ? locator.tap() : locator.click();
}

/** Press a form's button (or a link) and wait for the page the hub answers with. */
export async function submit(page, locator) {
  const loaded = page.waitForEvent('load');
  loaded.catch(() => {}); // a failed press is the error to report
  await press(page, locator);
  await loaded;
}

/** Fill in the login form and send it. */
export async function submitLogin(page, hub, password = ADMIN.password, user = ADMIN.user) {
  await page.goto(hub.admin + 'login');
  await page.getByLabel('Tên đăng nhập', { exact: true }).fill(user);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await submit(page, page.getByRole('button', { name: 'Đăng nhập', exact: true }));
}

/** The logged-in console shows a log-out button on every page. */
export const logOutButton = (page) => page.getByRole('button', { name: 'Đăng xuất' });

/** Where the page is and the start of what it says, for a failure message. */
const showing = async (page) => `${page.url()} shows ${JSON.stringify((await page.locator('body').innerText()).slice(0, 400))}`;

/** Log in (as ADMIN unless account { user, password } is given) and wait for the console; fails with what the browser shows instead. */
export async function logIn(page, hub, account = ADMIN) {
  await submitLogin(page, hub, account.password, account.user);
  if (!(await logOutButton(page).isVisible())) assert.fail(`logging in from Chromium failed: ${await showing(page)}`);
}

/** A fresh console page at viewport (desktop by default), logged in as account. */
export async function consoleAs(browser, hub, account = ADMIN, viewport = DESKTOP) {
  const page = await consolePage(browser, viewport);
  await logIn(page, hub, account);
  return page;
}

/** The text of the page's message (role status or alert) after a form; fails with what the page shows instead. */
export async function message(page, role) {
  const box = page.getByRole(role);
  if (!(await box.isVisible())) assert.fail(`no ${role} message: ${await showing(page)}`);
  return box.innerText();
}

/**
 * What sticks out past the right edge of the window, so that the whole page
 * would scroll sideways (WCAG 1.4.10 reflow); tables may scroll inside their
 * own box.
 */
function overflowing() {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const inScroller = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) if (scrolls(p)) return true;
    return false;
  };
  return [...document.body.querySelectorAll('*')]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !inScroller(el))
    .map((el) => `${el.tagName.toLowerCase()}${el.name ? `[name=${el.name}]` : ''} right edge ${Math.round(el.getBoundingClientRect().right)} px`)
    .slice(0, 5);
}

/**
 * Check the console page on screen: no serious or critical axe-core
 * violation, nothing wider than the window, on a phone no table that
 * scrolls sideways, and a full-page screenshot
 * test-results/console-<name>-<width>.png.
 */
export async function checkPage(page, name) {
  const file = await screenshot(page, `console-${name}-${page.viewportSize().width}`, { fullPage: true });
  assert.deepEqual(await axe(page), [], `axe: ${page.url()} (${file})`);
  assert.deepEqual(await page.evaluate(overflowing), [], `wider than the window: ${page.url()} (${file})`);
  if (onPhone(page)) {
    // On a phone every table is a stack of cards: nothing hides off to the side.
    const sideways = await page.evaluate(() =>
      [...document.querySelectorAll('.table-wrap')]
        .filter((el) => el.scrollWidth > el.clientWidth + 1)
        .map((el) => el.getAttribute('aria-label') ?? el.querySelector('th')?.innerText));
    assert.deepEqual(sideways, [], `tables scrolling sideways: ${page.url()} (${file})`);
  }
}

/**
 * Reload the page until check() returns true (it may return a string saying
 * what it saw instead), for at most timeout ms.
 */
export async function reloadUntil(page, what, check, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const seen = await check().catch((err) => err.message);
    if (seen === true) return;
    if (Date.now() > deadline) assert.fail(`${what}: not seen in ${timeout / 1000} s at ${page.url()}; last: ${seen}`);
    await page.waitForTimeout(500); // poll interval, not a wait for anything in particular
    await page.reload();
  }
}

/** The text of the cell under the column headed header, in the table row that mentions rowText. */
export async function cell(page, rowText, header) {
  const table = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: header, exact: true }) }).first();
  const headers = await table.getByRole('columnheader').allInnerTexts();
  const i = headers.findIndex((h) => h.trim() === header);
  assert.ok(i >= 0, `no column "${header}" in ${JSON.stringify(headers)}`);
  const row = table.getByRole('row').filter({ hasText: rowText });
  assert.equal(await row.count(), 1, `one row with "${rowText}" under "${header}"`);
  return (await row.getByRole('cell').nth(i).innerText()).trim();
}

/** Download what the link named name points at; returns { name, text }. */
export async function download(page, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), press(page, page.getByRole('link', { name }))]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
}
