// The console's cookies are for HTTPS: a province team that opens it over
// plain http:// on another address (a hub tried on the LAN, a proxy skipped)
// gets a browser that keeps none, so no login can hold. Chromium, by name
// (hub.test mapped to 127.0.0.1, an address it does not trust as it trusts
// 127.0.0.1), is told to use https:// rather than "the form expired"; on the
// hub's own machine, at http://127.0.0.1, the same login works, as the
// message says. The hub runs as behind a local TLS proxy (--public-url wss:),
// so its cookies are Secure though it listens on loopback.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchChromium } from './harness.mjs';
import { checkPage, consolePage, DESKTOP, logIn, logOutButton, startHub, submitLogin } from './hub.mjs';

let hub;
let browser;
before(async () => {
  hub = await startHub({ args: ['--public-url', 'wss://hub.test/ws'] });
  browser = await launchChromium(['--host-resolver-rules=MAP hub.test 127.0.0.1']);
});
after(async () => {
  await browser?.close();
  await hub?.stop();
});

test('a login over plain http by name is told to use https://, not that the form expired', async () => {
  const page = await consolePage(browser, DESKTOP);
  const byName = { ...hub, admin: hub.admin.replace('127.0.0.1', 'hub.test') };
  await submitLogin(page, byName);
  assert.equal(await logOutButton(page).count(), 0, 'a browser on http:// kept the Secure cookie');
  const heading = await page.getByRole('heading', { level: 1 }).innerText();
  assert.equal(heading, 'Cần mở trang quản trị bằng https://');
  assert.match(await page.locator('main').innerText(), /http:\/\/127\.0\.0\.1 vẫn đăng nhập được/);
  assert.doesNotMatch(await page.locator('body').innerText(), /hết hạn/);
  await checkPage(page, 'https-needed');
  assert.match(hub.log(), /admin login over plain http/);

  // On the hub's own machine the browser trusts http://127.0.0.1.
  const local = await consolePage(browser, DESKTOP);
  await logIn(local, hub);
});
