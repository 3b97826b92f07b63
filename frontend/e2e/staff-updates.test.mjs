// Staff panel, content and updates, against real state made by the real CLI:
// a USB pack applied (`tramso pack apply`) and a pack signed by a stranger's
// key refused, with no hub configured; then a kiosk enrolled with a real
// `tramso hub` that publishes a pack to it.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { axe, freePort, LANDSCAPE, newTouchPage, PORTRAIT, screenshot, startKiosk, startSession, tap, tramsoBin } from './harness.mjs';
import { configWithPIN, openStaff } from './staff.mjs';

const PIN = '246813';

function tramso(...args) {
  return execFileSync(tramsoBin(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The province key's id, as `tramso keygen` prints it for enrollment. */
const keyIdOf = (keygenOut) => keygenOut.match(/key id ([0-9a-f]{16})/)[1];

/** The config line that pins a key: what a kiosk trusts (and all it trusts). */
const pinned = (pubFile) => `hub:\n  province_keys: ["${readFileSync(pubFile, 'utf8').trim()}"]\n`;

/** Keys a (the province) and b (a stranger), the starter as a source folder, and packs. */
function makePacks(dir) {
  const keyId = keyIdOf(tramso('keygen', '--out', join(dir, 'a')));
  tramso('keygen', '--out', join(dir, 'b'));
  tramso('pack', 'export-starter', '--out', join(dir, 'src'));
  const build = (key, gen) => {
    const file = join(dir, `${key}-${gen}.tspack`);
    tramso('pack', 'build', '--src', join(dir, 'src'), '--key', join(dir, key, 'province.key'), '--out', file, '--generation', String(gen));
    return file;
  };
  return { pub: join(dir, 'a', 'province.pub'), keyId, good: build('a', 100), stranger: build('b', 200) };
}

const text = (page, id) => page.getByTestId(id).innerText();

/** Wait until the element's text matches re (the panel re-reads every 3 s). */
async function waitText(page, id, re, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = await text(page, id).catch(() => '');
    if (re.test(last)) return last;
    await page.waitForTimeout(250);
  }
  assert.fail(`${id}: ${JSON.stringify(last)} never matched ${re}`);
}

/**
 * A real `tramso hub` on a free port of 127.0.0.1, with the province's public
 * key; stop() ends it, start() runs it again on the same port and data.
 */
async function startHub(t, tmp, pub) {
  const hubData = join(tmp, 'hub');
  mkdirSync(hubData);
  copyFileSync(pub, join(hubData, 'province.pub'));
  const port = await freePort();
  const hubURL = `http://127.0.0.1:${port}`;
  let proc = null;
  const stop = async () => {
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  };
  const start = async () => {
    let log = '';
    proc = spawn(tramsoBin(), ['hub', '--addr', `127.0.0.1:${port}`, '--data', hubData], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout.on('data', (d) => (log += d));
    proc.stderr.on('data', (d) => (log += d));
    for (let i = 0; ; i++) {
      const ok = await fetch(hubURL + '/api/health').then((r) => r.ok, () => false);
      if (ok) return;
      if (i > 200 || proc.exitCode !== null) assert.fail('hub did not start:\n' + log);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  t.after(stop);
  await start();
  return { hubData, hubURL, port, start, stop };
}

/** Enroll a kiosk with hub the way a technician does; --config keeps it in tmp. */
function enrollKiosk(tmp, hub, keyId) {
  const data = join(tmp, 'data');
  const cfg = join(tmp, 'config.yaml');
  writeFileSync(cfg, configWithPIN(PIN));
  const code = tramso('hub', 'code', '--data', hub.hubData, '--commune', 'Ea Kao').trim().split('\n').at(-1).trim();
  tramso('enroll', '--hub', hub.hubURL, '--code', code, '--key-id', keyId, '--name', 'e2e-kiosk', '--data', data, '--create-data', '--config', cfg);
  return { data, cfg };
}

/** A kiosk started on args (stopped after the test), its staff panel open. */
async function kioskInStaff(t, args) {
  const kiosk = await startKiosk({ args });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await openStaff(page, PIN);
  return { kiosk, page };
}

// usbKiosk is a kiosk's data folder and config, pinning the test key, with
// the good pack (generation 100) applied by USB: no hub.
function usbKiosk(t, prefix) {
  const tmp = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const packs = makePacks(tmp);
  const data = join(tmp, 'data');
  const cfg = join(tmp, 'config.yaml');
  writeFileSync(cfg, configWithPIN(PIN) + pinned(packs.pub));
  tramso('pack', 'apply', '--data', data, '--create-data', '--config', cfg, packs.good);
  return { tmp, packs, data, cfg };
}

test('USB pack applied, a stranger-signed pack refused, no hub: the panel shows it all', async (t) => {
  const { packs, data, cfg } = usbKiosk(t, 'tramso-staff-upd-');
  const refused = spawnSync(tramsoBin(), ['pack', 'apply', '--data', data, '--config', cfg, packs.stranger], { encoding: 'utf8' });
  assert.equal(refused.status, 1, refused.stderr);
  assert.match(refused.stderr, /unknown_key/);

  const kiosk = await startKiosk({ args: ['--data', data, '--config', cfg] });
  t.after(() => kiosk.stop());

  for (const [viewport, name] of [
    [PORTRAIT, 'staff-updates-portrait'],
    [LANDSCAPE, 'staff-updates-landscape'],
  ]) {
    const page = await newTouchPage(kiosk, viewport);
    await page.goto(kiosk.url);
    await openStaff(page, PIN);

    // What is shown and where it came from.
    await waitText(page, 'staff-content-generation', /Phiên bản nội dung 100/);
    assert.equal(await page.getByTestId('staff-content').getAttribute('data-source'), 'pack');
    assert.match(await text(page, 'staff-content-source'), /gói nội dung đã cập nhật/);
    assert.match(await text(page, 'staff-content'), /Nội dung khởi đầu Trạm Số/);
    assert.match(await text(page, 'staff-content-via'), /^qua USB$/);

    // The refusal, with its kind, source and time.
    const rej = page.getByTestId('staff-rejection').first();
    assert.equal(await rej.getAttribute('data-kind'), 'unknown_key');
    const rejText = await rej.innerText();
    assert.match(rejText, /Ký bằng khóa lạ/);
    assert.match(rejText, /unknown_key/);
    assert.match(rejText, /từ USB/);
    assert.match(rejText, /\d{2}\/\d{2}\/\d{4}/);

    // No hub: said plainly, and no "Cập nhật ngay", which could only fail
    // (outside QA s28, finding 9); the card says instead how new content
    // comes: a USB stick with the province's pack, installed from this card.
    assert.match(await text(page, 'staff-hub-link'), /Chưa cấu hình máy chủ tỉnh/);
    assert.equal(await page.getByTestId('staff-hub').getAttribute('data-state'), 'not_enrolled');
    assert.equal(await page.getByTestId('staff-update-now').count(), 0, 'no button that can only fail');
    assert.match(await text(page, 'staff-update-usb'), /^Nội dung mới đến bằng USB: cắm USB có gói nội dung của tỉnh/);
    assert.doesNotMatch(await text(page, 'staff-hub-not-enrolled'), /vẫn cập nhật được bằng USB/);
    // No stick in the kiosk: staff are told a stick's packs would show here.
    assert.match(await text(page, 'staff-usb-hint'), /^Cắm USB có gói nội dung vào máy, màn hình này sẽ hiện gói\.$/);

    // Every touch target of the panel is at least 64 px.
    for (const b of await page.getByTestId('staff-panel').locator('button').all()) {
      const box = await b.boundingBox();
      assert.ok(box && box.height >= 64 && box.width >= 64, `small target: ${await b.innerText()} ${JSON.stringify(box)}`);
    }
    assert.deepEqual(await axe(page), []);
    await screenshot(page, name, { keep: true });
    await page.context().close();
  }

  // "Quay lại bản trước": asks first, then the kiosk shows the starter again.
  // A resident is in a visit meanwhile: what they have open was loaded before.
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await startSession(page);
  await openStaff(page, PIN);
  await waitText(page, 'staff-content-generation', /100/);
  await tap(page, 'staff-rollback');
  assert.match(await text(page, 'staff-rollback-confirm'), /thôi dùng phiên bản 100 và dùng lại nội dung có sẵn/);
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'staff-updates-rollback-confirm');
  await page.setViewportSize(PORTRAIT);
  await screenshot(page, 'staff-updates-rollback-confirm-portrait');
  await page.setViewportSize(LANDSCAPE);
  await tap(page, 'staff-rollback-no');
  assert.equal(await page.getByTestId('staff-rollback-confirm').count(), 0);
  await tap(page, 'staff-rollback');
  await tap(page, 'staff-rollback-yes');
  await waitText(page, 'staff-note', /Đã quay lại bản trước\. Máy đang dùng nội dung có sẵn/);
  assert.match(await text(page, 'staff-note'), /người dân đang mở vẫn giữ nội dung cũ cho tới khi họ mở mục khác/);
  assert.equal(await page.getByTestId('staff-content').getAttribute('data-source'), 'embedded');
  assert.match(await text(page, 'staff-content-source'), /có sẵn trong phần mềm/);
  assert.ok(await page.getByTestId('staff-rollback').isDisabled(), 'nothing earlier to roll back to');
  assert.match(await text(page, 'staff-content'), /Không có bản trước/);
  await screenshot(page, 'staff-updates-rolled-back');
});

test('enrolled with a real hub: connected, the published pack arrives, "update now" is accepted', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'tramso-staff-hub-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const packs = makePacks(tmp);
  const hub = await startHub(t, tmp, packs.pub);
  const { hubData, port } = hub;

  const { data, cfg } = enrollKiosk(tmp, hub, packs.keyId);
  tramso('hub', 'publish', '--data', hubData, '--stage', 'everyone', packs.good);

  const kiosk = await startKiosk({ args: ['--data', data, '--config', cfg] });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await openStaff(page, PIN);

  await waitText(page, 'staff-hub-link', /Đã kết nối với máy chủ tỉnh/);
  await waitText(page, 'staff-content-generation', /Phiên bản nội dung 100/);
  assert.equal(await page.getByTestId('staff-content').getAttribute('data-source'), 'pack');
  await waitText(page, 'staff-update-state', /Nội dung đã mới nhất/);
  assert.match(await text(page, 'staff-last-sync'), /Đồng bộ lần cuối: \d{2}\/\d{2}\/\d{4}/);
  assert.match(await text(page, 'staff-hub'), new RegExp(`127\\.0\\.0\\.1:${port}`));
  assert.match(await text(page, 'staff-rejections'), /Chưa có gói nào bị từ chối/);

  await tap(page, 'staff-update-now');
  assert.match(await text(page, 'staff-note'), /Đã yêu cầu cập nhật/);
  assert.equal(await page.getByTestId('staff-note').getAttribute('data-tone'), 'ok');
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'staff-updates-hub');

  // Staff roll back: the hub still offers 100, which this kiosk will not take
  // again. The card says so, not "up to date" beside "a new version on the
  // hub" (outside QA, 2026-12-06).
  await tap(page, 'staff-rollback');
  await tap(page, 'staff-rollback-yes');
  await waitText(page, 'staff-note', /Đã quay lại bản trước/);
  assert.doesNotMatch(await text(page, 'staff-note'), /vẫn giữ nội dung cũ/, 'no visit, nothing open to warn of');
  await waitText(page, 'staff-update-state', /Đang dùng bản trước \(cán bộ đã quay lại\)/);
  await waitText(page, 'staff-target-declined', /Phiên bản 100 trên máy chủ không tự cài lại/);
  assert.doesNotMatch(await text(page, 'staff-hub'), /Nội dung đã mới nhất|Bản mới trên máy chủ/);
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'staff-updates-hub-rolled-back', { keep: true });
  await page.setViewportSize(PORTRAIT);
  await screenshot(page, 'staff-updates-hub-rolled-back-portrait');
  await page.setViewportSize(LANDSCAPE);

  // The hub goes away: the panel says it cannot be reached, not just "offline".
  await hub.stop();
  await waitText(page, 'staff-connect-problem', /Không tới được máy chủ tỉnh/);
  assert.equal(await page.getByTestId('staff-connect-problem').getAttribute('data-problem'), 'unreachable');
  assert.equal(await page.getByTestId('staff-content').getAttribute('data-source'), 'embedded', 'the content it has stays');
  await screenshot(page, 'staff-updates-hub-lost');
});

test('content lost on disk: the previous version shows, the panel says why, a rollback onto lost files is refused, the hub gives it back', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'tramso-staff-lost-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const packs = makePacks(tmp);
  const newer = join(tmp, 'a-101.tspack');
  tramso('pack', 'build', '--src', join(tmp, 'src'), '--key', join(tmp, 'a', 'province.key'), '--out', newer, '--generation', '101');
  const hub = await startHub(t, tmp, packs.pub);
  const { data, cfg } = enrollKiosk(tmp, hub, packs.keyId);
  const args = ['--data', data, '--config', cfg];
  const generations = join(data, 'content', 'generations');

  // The kiosk takes 100 then 101 from the hub.
  tramso('hub', 'publish', '--data', hub.hubData, '--stage', 'everyone', packs.good);
  let kiosk = await startKiosk({ args });
  let page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await openStaff(page, PIN);
  await waitText(page, 'staff-content-generation', /Phiên bản nội dung 100/);
  tramso('hub', 'publish', '--data', hub.hubData, '--stage', 'everyone', newer);
  await tap(page, 'staff-update-now');
  await waitText(page, 'staff-content-generation', /Phiên bản nội dung 101/);
  await kiosk.stop();

  // 101's folder is lost while the kiosk is off, and the hub is down.
  await hub.stop();
  rmSync(join(generations, '101'), { recursive: true });
  ({ kiosk, page } = await kioskInStaff(t, args));
  await waitText(page, 'staff-content-generation', /Phiên bản nội dung 100/);
  assert.match(await text(page, 'staff-content-fallback'), /Đang dùng bản trước thay cho gói đã cài/);
  assert.match(await text(page, 'staff-content-fallback'), /phiên bản 101\) không mở được, nên máy tạm dùng bản trước \(phiên bản 100\)/);
  await waitText(page, 'staff-content-broken', /Máy đang tự tải lại từ máy chủ tỉnh/);
  // Enrolled: the hub is what mends it, and the card says so.
  assert.equal(await page.getByTestId('staff-content-repair').getAttribute('data-hub'), 'true');
  assert.match(await text(page, 'staff-content-repair'), /Máy tự tải lại gói này từ máy chủ tỉnh khi kết nối được/);
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'staff-content-lost', { keep: true });
  await page.setViewportSize(PORTRAIT);
  await screenshot(page, 'staff-content-lost-portrait', { keep: true });
  await page.setViewportSize(LANDSCAPE);

  // Staff try to go back to 100, whose files are now gone as well: refused,
  // nothing changes, and 101 is not declined.
  rmSync(join(generations, '100'), { recursive: true });
  await tap(page, 'staff-rollback');
  await tap(page, 'staff-rollback-yes');
  await waitText(page, 'staff-note', /Không quay lại được: bản trước không còn nguyên trên máy/);
  assert.equal(await page.getByTestId('staff-note').getAttribute('data-tone'), 'error');

  // The hub is back: "update now" ends the wait, and the kiosk fetches 101
  // again by itself.
  await hub.start();
  await tap(page, 'staff-update-now');
  await waitText(page, 'staff-content-generation', /Phiên bản nội dung 101/, 60_000);
  await waitText(page, 'staff-update-state', /Nội dung đã mới nhất/);
  assert.match(await text(page, 'staff-content-via'), /^qua mạng, từ máy chủ của tỉnh$/);
  assert.equal(await page.getByTestId('staff-content-fallback').count(), 0, 'the fallback notice is gone');
  assert.equal(await page.getByTestId('staff-content-broken').count(), 0, 'the error is gone');
});

// A pack applied by USB, damaged on disk, on a kiosk with no hub (outside QA
// s24 F2): every sentence of the panel is true of this kiosk. Nothing will
// fetch the pack again, so staff are told what they can do (a newer pack by
// USB, or the province); the English detail has a Vietnamese lead; the
// broken pack is not vouched for; and the rollback question says the kiosk
// is showing the starter, not version 100.
test('a USB pack damaged on disk, no hub: the panel says what this kiosk can do, and the rollback question is true', async (t) => {
  const { packs, data, cfg } = usbKiosk(t, 'tramso-staff-damaged-');
  writeFileSync(join(data, 'content', 'generations', '100', 'files', 'life-events.yaml'), 'damaged: 1\n');
  const { page } = await kioskInStaff(t, ['--data', data, '--config', cfg]);

  await waitText(page, 'staff-hub-link', /Chưa cấu hình máy chủ tỉnh/);
  const warn = await waitText(page, 'staff-content-fallback', /không mở được, nên máy tạm dùng nội dung có sẵn/);
  assert.doesNotMatch(warn, /Máy tự tải lại|khi kết nối được/, 'no promise of a hub that is not there');
  assert.equal(await page.getByTestId('staff-content-repair').getAttribute('data-hub'), 'false');
  assert.match(await text(page, 'staff-content-repair'), /chưa kết nối với máy chủ tỉnh nên không tự tải lại gói được\. Cách sửa: cắm USB có gói nội dung mới hơn phiên bản 100 rồi bấm “Cài gói này”/);
  assert.match(await text(page, 'staff-content-technical'), /^Chi tiết kỹ thuật cho cán bộ kỹ thuật \(bằng tiếng Anh, như trong nhật ký của máy\): the applied content pack/);
  assert.equal(await page.getByTestId('staff-content-technical').locator('[lang="en"]').count(), 1);
  const card = await text(page, 'staff-content');
  assert.doesNotMatch(card, /Có chữ ký số của tỉnh/, 'the broken pack is not vouched for');
  assert.match(card, /Phiên bản 100 được cài lúc .*, nhưng hiện không mở được\./);
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'staff-content-damaged-no-hub', { keep: true });
  await page.setViewportSize(PORTRAIT);
  await screenshot(page, 'staff-content-damaged-no-hub-portrait', { keep: true });
  await page.setViewportSize(LANDSCAPE);

  await tap(page, 'staff-rollback');
  const body = await text(page, 'staff-rollback-body');
  assert.equal(body, 'Phiên bản 100 không mở được, nên máy đang dùng nội dung có sẵn trong phần mềm. Nếu quay lại, máy bỏ hẳn phiên bản 100 và dùng nội dung có sẵn trong phần mềm; muốn có nội dung mới, tỉnh phát hành một bản mới.');
  await screenshot(page, 'staff-content-damaged-rollback-confirm', { keep: true });
  await tap(page, 'staff-rollback-yes');
  await waitText(page, 'staff-note', /Đã quay lại bản trước\. Máy đang dùng nội dung có sẵn/);
  await page.getByTestId('staff-content-fallback').waitFor({ state: 'detached' });
});

test('two machines on one enrollment (a cloned disk): the panel says so, even while connected', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'tramso-staff-clone-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const packs = makePacks(tmp);
  const hub = await startHub(t, tmp, packs.pub);
  const { data, cfg } = enrollKiosk(tmp, hub, packs.keyId);
  // The disk image copied onto a second machine, enrollment and all.
  const clone = join(tmp, 'clone');
  cpSync(data, clone, { recursive: true });
  const kiosk = await startKiosk({ args: ['--data', data, '--config', cfg] });
  t.after(() => kiosk.stop());
  const other = await startKiosk({ args: ['--data', clone, '--config', cfg], browser: kiosk.browser });
  t.after(() => other.stop());

  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await openStaff(page, PIN);
  await waitText(page, 'staff-connect-problem', /Một máy khác đang dùng đăng ký của máy này/, 60_000);
  assert.equal(await page.getByTestId('staff-connect-problem').getAttribute('data-problem'), 'duplicate');
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'staff-updates-duplicate', { keep: true });
  await page.setViewportSize(PORTRAIT);
  await screenshot(page, 'staff-updates-duplicate-portrait', { keep: true });
});

test('a key rotation drops the key of the current content: the previous version shows, the panel says why, a pack signed by the new key mends it', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'tramso-staff-rotate-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const packs = makePacks(tmp); // a: the old province key
  const newId = keyIdOf(tramso('keygen', '--out', join(tmp, 'c'))); // c: the new one
  const build = (gen, ...keys) => {
    const file = join(tmp, `${keys.join('')}-${gen}.tspack`);
    tramso('pack', 'build', '--src', join(tmp, 'src'), ...keys.flatMap((k) => ['--key', join(tmp, k, 'province.key')]), '--out', file, '--generation', String(gen));
    return file;
  };
  const hub = await startHub(t, tmp, packs.pub);
  const { data, cfg } = enrollKiosk(tmp, hub, packs.keyId);
  const args = ['--data', data, '--config', cfg];

  // 101 (signed by both keys, the overlap) then 102, signed by the old key alone.
  tramso('hub', 'publish', '--data', hub.hubData, '--stage', 'everyone', build(101, 'a', 'c'));
  let kiosk = await startKiosk({ args });
  let page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await openStaff(page, PIN);
  await waitText(page, 'staff-content-generation', /Phiên bản nội dung 101/);
  tramso('hub', 'publish', '--data', hub.hubData, '--stage', 'everyone', build(102, 'a'));
  await tap(page, 'staff-update-now');
  await waitText(page, 'staff-content-generation', /Phiên bản nội dung 102/);
  await kiosk.stop();

  // The technician pins the new key and drops the old one, as README's rotation says.
  tramso('pin-key', '--config', cfg, '--key-id', newId, join(tmp, 'c', 'province.pub'));
  tramso('pin-key', '--config', cfg, '--drop', packs.keyId);
  ({ kiosk, page } = await kioskInStaff(t, args));
  await waitText(page, 'staff-content-generation', /Phiên bản nội dung 101/);
  await waitText(page, 'staff-content-untrusted', /không được khóa tỉnh mà máy đang ghim xác nhận chữ ký/);
  assert.equal(await page.getByTestId('staff-content-broken').count(), 0, 'not "fetching it again": that cannot help');
  assert.equal(await page.getByTestId('staff-content-fallback').getAttribute('data-kind'), 'untrusted');
  const fallback = await text(page, 'staff-content-fallback');
  assert.match(fallback, /phiên bản 102\) không được khóa tỉnh mà máy đang ghim xác nhận chữ ký/);
  assert.doesNotMatch(fallback, /máy tự tải lại gói này/, 'the content card must not promise a fetch that cannot help');
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'staff-content-untrusted', { keep: true });
  await page.setViewportSize(PORTRAIT);
  await screenshot(page, 'staff-content-untrusted-portrait', { keep: true });
  await page.setViewportSize(LANDSCAPE);

  // A pack the new key signed (the hub still pins the old key: both sign it).
  tramso('hub', 'publish', '--data', hub.hubData, '--stage', 'everyone', build(103, 'a', 'c'));
  await tap(page, 'staff-update-now');
  await waitText(page, 'staff-content-generation', /Phiên bản nội dung 103/, 60_000);
  await waitText(page, 'staff-update-state', /Nội dung đã mới nhất/);
  assert.equal(await page.getByTestId('staff-content-untrusted').count(), 0, 'the error is gone');
});

test('a USB pack applied while a resident uses the kiosk: the next visit sees the new content', async (t) => {
  // The province drops one lesson; the pack goes in by USB while the kiosk runs.
  const tmp = mkdtempSync(join(tmpdir(), 'tramso-usb-live-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  tramso('keygen', '--out', join(tmp, 'a'));
  const src = join(tmp, 'src');
  tramso('pack', 'export-starter', '--out', src);
  rmSync(join(src, 'tutorials', 'platform-learning.yaml'));
  // Its search words go too, as a province dropping a lesson must (lint refuses a dangling target).
  const words = join(src, 'search.yaml');
  const entry = /  - phrases:\n(?:(?!  - phrases:)[\s\S])*?tutorials: \[platform-learning\]\n/;
  assert.match(readFileSync(words, 'utf8'), entry);
  writeFileSync(words, readFileSync(words, 'utf8').replace(entry, ''));
  const file = join(tmp, 'fewer.tspack');
  tramso('pack', 'build', '--src', src, '--key', join(tmp, 'a', 'province.key'), '--out', file, '--generation', '400');
  const kiosk = await startKiosk({ config: pinned(join(tmp, 'a', 'province.pub')) });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await startSession(page);
  await waitText(page, 'tile-tutorials', /10 bài học/);

  tramso('pack', 'apply', '--data', kiosk.dataDir, '--config', kiosk.configPath, file);
  await tap(page, 'end-session');
  await tap(page, 'end-confirm-yes');
  await startSession(page);
  await waitText(page, 'tile-tutorials', /9 bài học/); // the new visit counts the new content
  await tap(page, 'tile-tutorials');
  await page.getByTestId('screen-tutorials').waitFor();
  assert.equal(await page.getByTestId('lesson-platform-learning').count(), 0, 'the dropped lesson is gone');
});

// A pack damaged on its way refused, then the same generation installed
// whole (outside QA s25, finding 5): the refusal stays listed, marked as
// settled, so staff do not read the version in use as the bad one.
test('a refusal of a generation installed later reads as settled', async (t) => {
  const { tmp, data, cfg } = usbKiosk(t, 'tramso-staff-later-');
  const good = join(tmp, 'a-101.tspack');
  tramso('pack', 'build', '--src', join(tmp, 'src'), '--key', join(tmp, 'a', 'province.key'), '--out', good, '--generation', '101');
  const damaged = join(tmp, 'damaged-101.tspack');
  const bytes = readFileSync(good);
  bytes[bytes.lastIndexOf('OggS') + 100] ^= 0xff; // inside a recording, not a tar header
  writeFileSync(damaged, bytes);
  const refused = spawnSync(tramsoBin(), ['pack', 'apply', '--data', data, '--config', cfg, damaged], { encoding: 'utf8' });
  assert.equal(refused.status, 1, refused.stderr);
  assert.match(refused.stderr, /hash_mismatch/);
  await new Promise((r) => setTimeout(r, 1100)); // the kiosk keeps times to the second
  tramso('pack', 'apply', '--data', data, '--config', cfg, good);

  const kiosk = await startKiosk({ args: ['--data', data, '--config', cfg] });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await openStaff(page, PIN);
  await waitText(page, 'staff-content-generation', /Phiên bản nội dung 101/);
  const rej = page.getByTestId('staff-rejection').first();
  assert.equal(await rej.getAttribute('data-kind'), 'hash_mismatch');
  assert.match(await rej.innerText(), /từ USB · Phiên bản 101/);
  assert.match(await rej.getByTestId('staff-rejection-installed-later').innerText(), /đã cài được phiên bản này sau đó/);
  await screenshot(page, 'staff-rejection-installed-later');
});

// The staff's own old USB stick (outside QA s27): a validly signed pack older
// than the content in use is no attack. The panel says so calmly, with the
// day of the content in use, and reads that day first, the generation after.
test('an older pack from USB: said calmly, with the day of the content in use', async (t) => {
  const { tmp, packs, data, cfg } = usbKiosk(t, 'tramso-staff-old-usb-');
  const fresh = join(tmp, 'a-now.tspack');
  tramso('pack', 'build', '--src', join(tmp, 'src'), '--key', join(tmp, 'a', 'province.key'), '--out', fresh); // generation: its build time
  tramso('pack', 'apply', '--data', data, '--config', cfg, fresh);
  const old = spawnSync(tramsoBin(), ['pack', 'apply', '--data', data, '--config', cfg, packs.good], { encoding: 'utf8' });
  assert.equal(old.status, 1, 'scripts still see the pack was not applied');
  writeFileSync('/tmp/s27d/cli-old-usb.txt', old.stderr);

  const kiosk = await startKiosk({ args: ['--data', data, '--config', cfg] });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await openStaff(page, PIN);
  await page.getByTestId('staff-content-made').waitFor();
  const gen = Number(await page.getByTestId('staff-content').getAttribute('data-generation'));
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(gen * 1000))
      .map((p) => [p.type, p.value]),
  );
  const day = `ngày ${parts.day}/${parts.month}/${parts.year}, ${parts.hour}:${parts.minute}`;
  assert.equal(await text(page, 'staff-content-made'), `Nội dung ${day}`);
  assert.equal(await text(page, 'staff-content-generation'), `Phiên bản nội dung ${gen}`);
  const size = (id) => page.getByTestId(id).evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  assert.ok((await size('staff-content-generation')) < (await size('staff-content-made')), 'the generation is the smaller, technical line');

  const rej = page.getByTestId('staff-rejection').first();
  assert.equal(await rej.getAttribute('data-kind'), 'not_newer');
  assert.equal(await rej.getAttribute('data-calm'), 'true');
  const rejText = await rej.innerText();
  assert.match(rejText, new RegExp(`Gói trên USB cũ hơn nội dung máy đang dùng \\(${day}\\)\\. Máy giữ nội dung hiện tại, không cần làm gì\\.`));
  assert.match(rejText, /từ USB · Phiên bản 100/);
  assert.doesNotMatch(rejText, /Không mới hơn|đã cài được phiên bản này sau đó/);
  // Not in red: the refusal's mark is the warning colour only for what needs a look.
  const colours = await rej.evaluate((li) => {
    const probe = document.createElement('span');
    probe.style.color = 'var(--c-end)';
    li.append(probe);
    const red = getComputedStyle(probe).color;
    probe.remove();
    return { mark: getComputedStyle(li).borderLeftColor, red };
  });
  assert.notEqual(colours.mark, colours.red, JSON.stringify(colours));
  assert.deepEqual(await axe(page), []);
  for (const [viewport, name] of [[LANDSCAPE, 'landscape'], [PORTRAIT, 'portrait']]) {
    await page.setViewportSize(viewport);
    await page.getByTestId('staff-content').scrollIntoViewIfNeeded();
    await screenshot(page, `s27d-staff-content-${name}`);
    await rej.scrollIntoViewIfNeeded();
    await screenshot(page, `s27d-rejection-old-usb-${name}`);
  }
});

// The technician's first USB visit (outside QA s26, findings 4 and 5): the
// kiosk runs with no province key, so the update card says USB needs it
// first; a pack handed over after `tramso pin-key` but before the restart is
// refused as "no key yet", not as a stranger's key, and reads as settled
// once installed; the same stick again is "already installed", no refusal.
test('no province key yet, then pinned: the panel tells the technician\'s step, not tampering; the same stick twice is no refusal', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'tramso-staff-nokey-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const packs = makePacks(tmp);
  const data = join(tmp, 'data');
  const cfg = join(tmp, 'config.yaml');
  writeFileSync(cfg, configWithPIN(PIN));
  mkdirSync(data);
  const args = ['--data', data, '--config', cfg];

  let { kiosk, page } = await kioskInStaff(t, args);
  await waitText(page, 'staff-hub-not-enrolled', /Cập nhật bằng USB cũng chưa được/);
  const card = await text(page, 'staff-hub-not-enrolled');
  assert.match(card, /chưa được cài đặt khóa của tỉnh/);
  assert.match(card, /tramso pin-key/);
  assert.doesNotMatch(card, /vẫn cập nhật được bằng USB/);
  // No hub: no "Cập nhật ngay", which could only fail (outside QA s28,
  // finding 9), and no line that says USB works before the key is pinned.
  assert.equal(await page.getByTestId('staff-update-now').count(), 0);
  assert.equal(await page.getByTestId('staff-update-usb').count(), 0);
  assert.deepEqual(await axe(page), []);
  await page.getByTestId('staff-hub').scrollIntoViewIfNeeded();
  await screenshot(page, 's26e-updates-no-key');
  await page.setViewportSize(PORTRAIT);
  await page.getByTestId('staff-hub').scrollIntoViewIfNeeded();
  await screenshot(page, 's26e-updates-no-key-portrait');

  // pin-key, but the kiosk not restarted: it still pins nothing.
  tramso('pin-key', '--config', cfg, '--data', data, '--key-id', packs.keyId, packs.pub);
  const early = spawnSync(tramsoBin(), ['pack', 'apply', ...args, packs.good], { encoding: 'utf8' });
  assert.equal(early.status, 1, early.stderr);
  assert.match(early.stderr, /unknown_key[\s\S]*restart it/);
  await page.setViewportSize(LANDSCAPE);
  const rej = page.getByTestId('staff-rejection').first();
  await rej.waitFor();
  assert.equal(await rej.getAttribute('data-kind'), 'unknown_key');
  let rejText = await waitText(page, 'staff-rejections', /Lúc nhận gói, máy chưa được cài đặt khóa của tỉnh nên chưa kiểm tra được gói/);
  assert.doesNotMatch(rejText, /khóa lạ/);
  assert.match(rejText, /từ USB · Phiên bản 100/);
  assert.match(await rej.getByTestId('staff-rejection-no-key').innerText(), /không phải dấu hiệu gói bị giả mạo.*tramso pin-key/);
  await rej.scrollIntoViewIfNeeded();
  await screenshot(page, 's26e-rejection-no-key');

  // Restarted with the key: the pack goes in; the same stick again is nothing to do.
  await kiosk.stop();
  ({ kiosk, page } = await kioskInStaff(t, args));
  await new Promise((r) => setTimeout(r, 1100)); // the kiosk keeps times to the second
  assert.match(tramso('pack', 'apply', ...args, packs.good), /the running kiosk applied generation 100/);
  const again = spawnSync(tramsoBin(), ['pack', 'apply', ...args, packs.good], { encoding: 'utf8' });
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /the running kiosk already has generation 100 ".+" installed, nothing to do/);

  await waitText(page, 'staff-content-generation', /Phiên bản nội dung 100/);
  assert.equal(await page.getByTestId('staff-rejection').count(), 1, 'the same stick again is no refusal');
  rejText = await waitText(page, 'staff-rejections', /đã được cài đặt khóa của tỉnh và đã cài phiên bản này hoặc bản mới hơn/);
  assert.doesNotMatch(rejText, /not_newer|Không mới hơn/);
  assert.equal(await page.getByTestId('staff-rejection').first().getAttribute('class').then((c) => /settled/.test(c ?? '')), true);
  assert.equal(await page.getByTestId('staff-rejection-no-key').count(), 0);
  assert.deepEqual(await axe(page), []);
  await page.getByTestId('staff-rejections').scrollIntoViewIfNeeded();
  await screenshot(page, 's26e-rejection-no-key-settled');
  await page.setViewportSize(PORTRAIT);
  await page.getByTestId('staff-rejections').scrollIntoViewIfNeeded();
  await screenshot(page, 's26e-rejection-no-key-settled-portrait');
});

/**
 * A TCP proxy on a free port of 127.0.0.1 in front of port, which moves the
 * hub's clock in its welcome (server_time, unix seconds) by shift seconds:
 * a kiosk whose clock is wrong, on a machine whose clock a test cannot set.
 * Same-length digits, so the websocket frame stays whole.
 */
async function clockShiftProxy(t, port, shift) {
  const listen = await freePort();
  const sockets = new Set();
  const server = createServer((kiosk) => {
    const hub = connect(port, '127.0.0.1');
    for (const s of [kiosk, hub]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    kiosk.pipe(hub);
    hub.on('data', (d) => kiosk.write(Buffer.from(d.toString('latin1').replace(/"server_time":(\d{10})/g, (_, n) => `"server_time":${Number(n) + shift}`), 'latin1')));
    hub.on('end', () => kiosk.end());
  });
  await new Promise((r) => server.listen(listen, '127.0.0.1', r));
  const stop = () => {
    server.close();
    for (const s of sockets) s.destroy();
  };
  t.after(stop);
  return { url: `http://127.0.0.1:${listen}`, stop };
}

/** HH:MM and DD/MM of t in Vietnam (UTC+7 all year, the kiosk's default zone). */
function vietnam(t) {
  const d = new Date(t + 7 * 3600_000).toISOString();
  return { time: d.slice(11, 16), date: `${d.slice(8, 10)}/${d.slice(5, 7)}` };
}

test('the kiosk\'s clock 3 hours fast: the front page says so, with when it was measured, after the hub is gone too', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'tramso-staff-clock-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const packs = makePacks(tmp);
  const hub = await startHub(t, tmp, packs.pub);
  const proxy = await clockShiftProxy(t, hub.port, -3 * 3600);
  // Enrolled through the proxy, in a child process this one does not wait
  // on (the proxy answers in this one).
  const data = join(tmp, 'data');
  const cfg = join(tmp, 'config.yaml');
  writeFileSync(cfg, configWithPIN(PIN));
  const code = tramso('hub', 'code', '--data', hub.hubData, '--commune', 'Ea Kao').trim().split('\n').at(-1).trim();
  const enroll = spawn(tramsoBin(), ['enroll', '--hub', proxy.url, '--code', code, '--key-id', packs.keyId, '--data', data, '--create-data', '--config', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  let enrollErr = '';
  enroll.stderr.on('data', (d) => (enrollErr += d));
  assert.equal(await new Promise((r) => enroll.on('exit', r)), 0, enrollErr);
  const { page } = await kioskInStaff(t, ['--data', data, '--config', cfg]);

  // Measured by the hub's clock, which the kiosk takes for the right one:
  // the minute of the welcome, 3 hours before this machine's.
  const measured = Date.now() - 3 * 3600_000;
  const note = await waitText(page, 'staff-clock-note', /nhanh hơn giờ của máy chủ tỉnh 3 giờ/);
  const at = note.match(/Đo lúc (\d{2}:\d{2}) hôm nay\./);
  assert.ok(at, `no "đo lúc … hôm nay" in ${JSON.stringify(note)}`);
  const near = [-60_000, 0, 60_000].map((d) => vietnam(measured + d).time);
  assert.ok(near.includes(at[1]), `measured at ${at[1]}, want about ${near[1]}`);
  assert.equal(note, `Đồng hồ của máy đang nhanh hơn giờ của máy chủ tỉnh 3 giờ. Đo lúc ${at[1]} hôm nay. Nhờ cán bộ kỹ thuật chỉnh lại giờ cho máy.`);
  // The update card keeps its longer words.
  assert.match(await text(page, 'staff-clock-skew'), /nhanh hơn giờ của máy chủ tỉnh 3 giờ\.\s+Nhờ cán bộ kỹ thuật chỉnh lại giờ cho máy: giờ mở cửa/);
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 's26h-staff-clock');
  // Standing up, on the front page without scrolling (outside QA s26,
  // finding 8: the card's words were below the fold).
  await page.setViewportSize(PORTRAIT);
  const box = await page.getByTestId('staff-clock-note').boundingBox();
  assert.ok(box && box.y + box.height <= PORTRAIT.height, 'the clock line is below the fold standing up');
  await screenshot(page, 's26h-staff-clock-portrait');
  await page.setViewportSize(LANDSCAPE);

  // The hub gone: the last measurement stays, with its time.
  proxy.stop();
  await hub.stop();
  await waitText(page, 'staff-connect-problem', /Không tới được máy chủ tỉnh/);
  assert.match(await text(page, 'staff-clock-note'), new RegExp(`3 giờ\\. Đo lúc ${at[1]} hôm nay\\.`));
  // Two days on by this kiosk's clock, the measurement gives its date.
  await page.clock.setFixedTime(Date.now() + 2 * 86400_000);
  const later = await waitText(page, 'staff-clock-note', /Đo lúc \d{2}:\d{2} ngày/);
  assert.match(later, new RegExp(`Đo lúc ${at[1]} ngày ${vietnam(measured).date.replace('/', '\\/')}\\.`));
  await screenshot(page, 's26h-staff-clock-hub-gone');
});

// A USB stick in the kiosk, no hub and no technician (kiosk/api/staff_usb.go):
// staff see the pack on it with its title, day and that it is newer, tap
// "Cài gói này", read what will change, confirm, and see it installed; the
// home screen shows the new content (a lesson fewer). Then staff's old stick:
// its pack is listed in calm grey as older, with nothing to install.
test('a USB stick: staff install its pack with a tap, the home screen shows it; an old stick is calm', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'tramso-staff-usb-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const packs = makePacks(tmp);
  // The province's new content: the starter without one lesson.
  const src = join(tmp, 'src');
  rmSync(join(src, 'tutorials', 'zalo-safe.yaml'));
  const search = readFileSync(join(src, 'search.yaml'), 'utf8');
  const trimmed = search.replace(/  - phrases:\n(?:      .*\n)+    tutorials: \[zalo-safe\]\n/, '');
  assert.notEqual(trimmed, search);
  writeFileSync(join(src, 'search.yaml'), trimmed);
  const fresh = join(tmp, 'fresh.tspack');
  tramso('pack', 'build', '--src', src, '--key', join(tmp, 'a', 'province.key'), '--out', fresh, '--title', 'Nội dung tháng 12');
  // What udev's systemd-mount makes of a stick labelled USB-XA.
  const media = join(tmp, 'media');
  mkdirSync(join(media, 'USB-XA'), { recursive: true });
  copyFileSync(fresh, join(media, 'USB-XA', 'noi-dung-thang-12.tspack'));
  const config = configWithPIN(PIN) + pinned(packs.pub) + `usb:\n  media_dirs: ["${media}"]\n`;
  const kiosk = await startKiosk({ config });
  t.after(() => kiosk.stop());

  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await startSession(page);
  assert.match(await text(page, 'tile-tutorials'), /10 bài/);
  await openStaff(page, PIN);
  await waitText(page, 'staff-usb-pack', /Nội dung tháng 12/);
  const listed = await waitText(page, 'staff-usb-pack', /Mới hơn nội dung máy đang dùng/);
  assert.match(listed, /Nội dung ngày \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}/);
  assert.match(listed, /noi-dung-thang-12\.tspack/);
  assert.deepEqual(await axe(page), []);
  await page.getByTestId('staff-usb-packs').scrollIntoViewIfNeeded();
  await screenshot(page, 'staff-usb-pack', { keep: true });
  await page.setViewportSize(PORTRAIT);
  await page.getByTestId('staff-usb-packs').scrollIntoViewIfNeeded();
  await screenshot(page, 'staff-usb-pack-portrait', { keep: true });
  await page.setViewportSize(LANDSCAPE);

  await tap(page, 'staff-usb-install');
  const body = await text(page, 'staff-usb-confirm-body');
  assert.match(body, /^Máy sẽ thôi dùng nội dung có sẵn trong phần mềm và dùng gói trên USB: Nội dung tháng 12 \(ngày \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}\)\./);
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'staff-usb-confirm');
  await tap(page, 'staff-usb-no');
  assert.equal(await page.getByTestId('staff-usb-confirm').count(), 0);
  await tap(page, 'staff-usb-install');
  await tap(page, 'staff-usb-yes');
  const done = await waitText(page, 'staff-usb-result', /^Đã cài gói Nội dung tháng 12/);
  assert.match(done, /Máy đang hiện nội dung mới\. Có thể rút USB\./);
  assert.equal(await page.getByTestId('staff-usb-result').getAttribute('data-tone'), 'ok');
  await waitText(page, 'staff-content-via', /^qua USB$/);
  await waitText(page, 'staff-usb-standing', /Máy đang dùng đúng gói này/);
  assert.equal(await page.getByTestId('staff-usb-install').count(), 0, 'nothing left to install');
  assert.deepEqual(await axe(page), []);
  await page.getByTestId('staff-usb-packs').scrollIntoViewIfNeeded();
  await screenshot(page, 'staff-usb-installed', { keep: true });
  await page.setViewportSize(PORTRAIT);
  await page.getByTestId('staff-usb-packs').scrollIntoViewIfNeeded();
  await screenshot(page, 'staff-usb-installed-portrait', { keep: true });
  await page.setViewportSize(LANDSCAPE);

  // Back at the kiosk, the new content: a lesson fewer.
  await tap(page, 'staff-return');
  await page.getByTestId('screen-home').waitFor();
  assert.match(await text(page, 'tile-tutorials'), /9 bài/);

  // Staff's old stick: generation 100, older than what the kiosk now uses.
  rmSync(join(media, 'USB-XA'), { recursive: true });
  mkdirSync(join(media, 'USB-CU'));
  copyFileSync(packs.good, join(media, 'USB-CU', 'goi-cu.tspack'));
  await openStaff(page, PIN);
  const old = await waitText(page, 'staff-usb-pack', /cũ hơn nội dung máy đang dùng/);
  assert.match(old, /Máy giữ nội dung hiện tại, không cần cài\./);
  assert.equal(await page.getByTestId('staff-usb-pack').getAttribute('data-standing'), 'older');
  assert.equal(await page.getByTestId('staff-usb-install').count(), 0, 'an old pack offers no install');
  assert.deepEqual(await axe(page), []);
  await page.getByTestId('staff-usb-packs').scrollIntoViewIfNeeded();
  await screenshot(page, 'staff-usb-old-stick', { keep: true });
});
