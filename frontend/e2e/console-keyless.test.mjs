// The console of a hub whose signing key is kept offline (no --key), in
// Chromium: province staff roll the fleet back to an earlier pack. Nothing is
// published at once; a pack waits for its signature, named as a rollback; its
// manifest, signed on the offline machine with the real CLI, publishes it as
// the rollback. (A Go test posted the confirmation's fields by hand and
// missed that the page's own form posted an action the hub refused.)
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchChromium, tramso } from './harness.mjs';
import { buildPacks, checkPage, consolePage, DESKTOP, download, logIn, message, PHONE, startHub, submit } from './hub.mjs';

let browser, hub, packs;

before(async () => {
  browser = await launchChromium();
  hub = await startHub(); // no --key: the key stays on the signing machine
  packs = buildPacks(hub, [
    { generation: 5101, title: 'Gói tháng 11' },
    { generation: 5202, title: 'Gói tháng 12 — có lỗi' },
  ]);
  for (const p of packs) tramso(['hub', 'publish', '--data', hub.dataDir, '--stage', 'everyone', p.file]);
});

after(async () => {
  await hub?.stop();
  await browser?.close();
});

const row = (page, title) => page.getByRole('row').filter({ hasText: title });

test('a rollback with the key offline waits for its signature, then publishes as a rollback', async () => {
  const page = await consolePage(browser, DESKTOP);
  await logIn(page, hub);
  await page.goto(hub.admin + 'packs');
  await submit(page, row(page, 'Gói tháng 11').getByRole('button', { name: 'Quay lại nội dung này (tạo gói chờ ký)' }));
  assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Tạo gói đưa kiosk về nội dung “Gói tháng 11” \(chờ ký\)\?/);
  await checkPage(page, 'console-rollback-pending-confirm');
  await submit(page, page.getByRole('button', { name: 'Có, tạo gói quay lại chờ ký' }));
  assert.match(await message(page, 'status'), /Đã tạo gói quay lại nội dung cũ, chờ ký/);

  const pending = page.locator('section.pending');
  assert.equal(await pending.count(), 1);
  assert.match(
    await pending.getByTestId('pending-rollback').innerText(),
    /thay thế hệ 5202 “Gói tháng 12 — có lỗi” \(mới nhất lúc tạo gói\) bằng nội dung của thế hệ 5101 “Gói tháng 11”/,
  );
  assert.equal(await pending.getByLabel('Gửi cho').inputValue(), 'everyone', 'a rollback goes to every kiosk unless chosen otherwise');
  await checkPage(page, 'console-rollback-pending');

  // The signing machine: the real CLI signs the manifest the console gives.
  const manifest = await download(page, 'Tải manifest.json');
  const generation = Number(JSON.parse(manifest.text).generation);
  assert.ok(generation > 5202, `the rollback's generation ${generation} is above every published one`);
  const dir = mkdtempSync(join(hub.tmp, 'signer-'));
  writeFileSync(join(dir, 'manifest.json'), manifest.text);
  tramso(['pack', 'sign', '--key', hub.privateKey, join(dir, 'manifest.json')]);
  await pending.locator('input[name=sig]').setInputFiles(join(dir, 'manifest.sig'));
  await submit(page, pending.getByRole('button', { name: 'Kiểm tra chữ ký và phát hành' }));

  assert.equal(await page.locator('section.pending').count(), 0, 'published, no longer waiting');
  const published = row(page, `thế hệ ${generation}`);
  assert.match(await published.innerText(), /Gói tháng 11 \(phát hành lại\)/);
  assert.match(await published.innerText(), /tất cả/);
  await page.goto(hub.admin + 'audit');
  assert.match(await page.getByRole('main').innerText(), /Quay lại nội dung cũ \(gói chờ ký ngoài máy chủ\)/);
  await page.context().close();

  // On a phone the packs page still reads and offers the rollback.
  const phone = await consolePage(browser, PHONE);
  await logIn(phone, hub);
  await phone.goto(hub.admin + 'packs');
  await checkPage(phone, 'console-rollback-pending-phone');
  await phone.context().close();
});
