// The province hub's console (/admin/) in Chromium, as province staff use it,
// at a desktop (1280×800) and on a phone (390×844, touch): a real `tramso hub`
// holding the province's signing key, real signed packs, and a real kiosk
// (`tramso serve`) enrolled with a code made in the console, all on loopback.
// One hub and one kiosk serve every test; each test logs in afresh. The tests
// run in order and build on each other's state: the kiosk enrolled by the
// second is the one the later ones update, count and revoke. The hub is in a
// province key rotation's overlap throughout: it pins the old key and the new.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { endSession, freePort, launchChromium, newTouchPage, startKiosk, startSession, tap, tramso } from './harness.mjs';
import {
  ADMIN,
  buildPacks,
  cell,
  checkPage,
  consolePage,
  DESKTOP,
  download,
  logIn,
  logOutButton,
  message,
  PHONE,
  press,
  reloadUntil,
  startHub,
  submit,
  submitLogin,
} from './hub.mjs';
import { configWithPIN, openStaff } from './staff.mjs';

const KIOSK = 'Nhà văn hóa Ea Kao';
const COMMUNE = 'Ea Kao';
// Small counts are normally left out of the totals a kiosk sends; one visit must show.
const KIOSK_CONFIG = 'usage:\n  export_threshold: 1\n';
const PIN = '482916';

let browser, hub, packs, kiosk, kioskDir, keysDir, newKey, rotated;

before(async () => {
  browser = await launchChromium();
  hub = await rotatingHub();
  packs = buildPacks(hub, [
    { generation: 4101, title: 'Gói thử 4101 — bài học mới' },
    { generation: 4202, title: 'Gói thử 4202 — sửa thủ tục' },
  ]);
  kioskDir = mkdtempSync(join(tmpdir(), 'tramso-console-kiosk-'));
  writeFileSync(join(kioskDir, 'config.yaml'), KIOSK_CONFIG + configWithPIN(PIN));
  await residentVisit();
});

after(async () => {
  await rotated?.stop();
  await kiosk?.stop();
  await hub?.stop();
  await browser?.close();
  if (kioskDir) rmSync(kioskDir, { recursive: true, force: true });
  if (keysDir) rmSync(keysDir, { recursive: true, force: true });
});

/** A fresh province key pair made by `tramso keygen`: { id, key, pub }. */
function keygen(dir) {
  const id = tramso(['keygen', '--out', dir]).match(/key id ([0-9a-f]{16})/)?.[1];
  assert.ok(id, '`tramso keygen` prints the key id');
  return { id, key: join(dir, 'province.key'), pub: join(dir, 'province.pub') };
}

/**
 * A hub in a key rotation's overlap (README, "Rotating the province key"): its
 * province.pub holds the old key and the new, one per line, and it signs
 * rollbacks with the old one. `hub` stands for the old key (keyId,
 * privateKey), `newKey` for the new. The key pair startHub makes is left
 * aside: --pub replaces DATA/province.pub.
 */
async function rotatingHub() {
  keysDir = mkdtempSync(join(tmpdir(), 'tramso-console-keys-'));
  const old = keygen(join(keysDir, 'old'));
  newKey = keygen(join(keysDir, 'new'));
  const both = join(keysDir, 'province.pub');
  writeFileSync(both, readFileSync(old.pub, 'utf8') + readFileSync(newKey.pub, 'utf8'));
  const started = await startHub({ args: ['--pub', both, '--key', old.key] });
  return { ...started, keyId: old.id, privateKey: old.key, publicKey: old.pub };
}

const kioskArgs = () => ['--data', join(kioskDir, 'data'), '--config', join(kioskDir, 'config.yaml')];

/** A resident uses the kiosk before it is enrolled; its anonymous totals go to the hub once it is. */
async function residentVisit() {
  const k = await startKiosk({ args: kioskArgs(), browser });
  try {
    const page = await newTouchPage(k);
    await page.goto(k.url);
    await startSession(page);
    await tap(page, 'tile-tutorials');
    await tap(page, 'lesson-phone-touch');
    await page.getByTestId('step-1').waitFor();
    await endSession(page);
    await page.context().close();
    // The page sends its events without waiting: wait until the kiosk has counted them.
    const day = (d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const csv = tramso(['usage', 'export', '--from', day(-2), '--to', day(2), ...kioskArgs()]);
      if (csv.trim().split('\n').length > 1) break;
      assert.ok(Date.now() < deadline, `the visit was never counted:\n${csv}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await k.stop();
  }
}

/** A fresh console page at viewport, logged in as staff. */
async function loggedIn(viewport) {
  const page = await consolePage(browser, viewport);
  await logIn(page, hub);
  return page;
}

/** Open the kiosk's own page from its row in the fleet. */
async function openDevice(page) {
  await press(page, fleetRow(page).getByRole('link', { name: KIOSK }));
  await page.getByRole('heading', { level: 1, name: KIOSK }).waitFor();
}

/** Follow a link of the console's menu. */
async function goTo(page, name) {
  await press(page, page.getByRole('link', { name, exact: true }));
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** The enrollment code a freshly created code page shows. */
async function shownCode(page) {
  const text = await page.getByRole('main').innerText();
  const m = text.match(/\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b/);
  assert.ok(m, `no enrollment code on ${page.url()}: ${text}`);
  return m[0];
}

async function createCode(page, commune) {
  await goTo(page, 'Mã đăng ký');
  await page.getByLabel('Xã / phường của kiosk').fill(commune);
  await submit(page, page.getByRole('button', { name: 'Tạo mã mới' }));
  return shownCode(page);
}

/** The password form refuses a wrong current password, in Vietnamese, and keeps the old one. */
async function wrongCurrentPassword(page) {
  await goTo(page, 'Đổi mật khẩu');
  await page.getByLabel('Mật khẩu hiện tại').fill('not-the-password');
  await page.getByLabel('Mật khẩu mới', { exact: true }).fill('Buon-Ma-Thuot-2027');
  await page.getByLabel('Nhập lại mật khẩu mới').fill('Buon-Ma-Thuot-2027');
  await submit(page, page.getByRole('button', { name: 'Đổi mật khẩu' }));
  assert.match(await message(page, 'alert'), /Mật khẩu hiện tại không đúng/);
  await checkPage(page, 'password-wrong');
}

/** Choose a stage by its name; each option also says how many kiosks it reaches. */
async function chooseStage(select, name) {
  const option = select.locator('option', { hasText: new RegExp(`^${name} \\(\\d+ kiosk\\)$`) });
  await select.selectOption(await option.getAttribute('value'));
}

/** Upload a signed pack through the form, first for the given audience. */
async function uploadPack(page, pack, audience) {
  await goTo(page, 'Gói nội dung');
  await page.getByLabel('Tệp gói nội dung').setInputFiles(pack.file);
  await chooseStage(page.getByLabel('Gửi trước cho'), audience);
  await submit(page, page.getByRole('button', { name: 'Phát hành' }));
  assert.match(await message(page, 'status'), /Đã phát hành gói nội dung/);
  assert.match(await cell(page, pack.title, 'Phạm vi'), new RegExp(audience));
}

/** The generation a cell names ("thế hệ N"), or 0. */
const generationIn = (text) => Number(text.match(/thế hệ (\d+)/)?.[1] ?? 0);

/** The fleet page, reloaded until the kiosk's row shows it runs generation gen and is not behind. */
async function kioskReaches(page, gen) {
  await goTo(page, 'Thiết bị');
  await reloadUntil(page, `the kiosk on generation ${gen}`, async () => {
    const content = await cell(page, KIOSK, 'Nội dung');
    return (generationIn(content) === gen && !/cũ, cần/.test(content)) || content;
  }, 60_000);
}

/** Whether the fleet page shows the kiosk connected. */
const online = async (page) => /^trực tuyến/.test(await cell(page, KIOSK, 'Kết nối'));

const rowOf = (page, text) => page.getByRole('row').filter({ hasText: text });

/** The kiosk's row in the fleet table (the reports table below names it too). */
const fleetRow = (page, name = KIOSK) =>
  page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Kết nối' }) }).getByRole('row').filter({ hasText: name });

test('a wrong password is refused in Vietnamese, at both widths', async () => {
  for (const viewport of [DESKTOP, PHONE]) {
    const page = await consolePage(browser, viewport);
    await page.goto(hub.admin);
    assert.equal(new URL(page.url()).pathname, '/admin/login', 'the console asks to log in first');
    await checkPage(page, 'login');
    await submitLogin(page, hub, 'not-the-password');
    assert.match(await message(page, 'alert'), /Sai tên đăng nhập hoặc mật khẩu/);
    assert.equal(await logOutButton(page).count(), 0);
    assert.equal(await page.getByLabel('Tên đăng nhập', { exact: true }).inputValue(), ADMIN.user, 'the user name is kept');
    assert.equal(await page.getByLabel('Mật khẩu', { exact: true }).inputValue(), '', 'the password is not');
    await checkPage(page, 'login-wrong');
    await page.context().close();
  }
});

test('desktop: log in, create an enrollment code; the kiosk enrolled with it is online in the fleet', async () => {
  const page = await loggedIn(DESKTOP);
  await checkPage(page, 'fleet-empty');
  const code = await createCode(page, COMMUNE);
  await checkPage(page, 'code');
  // The province's key ids, to give out of band, are the ones `tramso keygen`
  // printed: the old and the new, during the rotation.
  assert.deepEqual(await page.getByTestId('key-id').allInnerTexts(), [hub.keyId, newKey.id]);

  // The technician at the commune runs the command the page shows, then starts the kiosk.
  const command = (await page.getByTestId('enroll-command').innerText()).trim().split(/\s+/);
  assert.deepEqual(command.slice(0, 2), ['tramso', 'enroll'], command.join(' '));
  assert.ok(command.includes(code) && command.includes(hub.keyId) && command.includes(newKey.id),
    `the command has the code and both key ids: ${command.join(' ')}`);
  const out = tramso([...command.slice(1), '--name', KIOSK, ...kioskArgs()]);
  assert.match(out, /Enrolled this kiosk/);
  kiosk = await startKiosk({ args: kioskArgs(), browser });

  await goTo(page, 'Thiết bị');
  await reloadUntil(page, 'the kiosk online', async () => (await online(page)) || 'offline');
  assert.match(await cell(page, KIOSK, 'Kết nối'), /lần cuối thấy: (vừa xong|\d+ phút trước)/, 'a Vietnamese time');
  assert.match(await page.getByRole('heading', { name: new RegExp(COMMUNE) }).innerText(), /1 thiết bị/, 'grouped by commune');
  await checkPage(page, 'fleet');

  // Its own page: what it runs and its history.
  await openDevice(page);
  await checkPage(page, 'device');
  await page.context().close();
});

test('desktop: a signed pack uploaded for the test group, then everyone, reaches the kiosk', async () => {
  const page = await loggedIn(DESKTOP);
  const [pack] = packs;
  await uploadPack(page, pack, 'nhóm thử nghiệm');
  await checkPage(page, 'packs');
  // The test group is empty, and the page says so before and after (outside QA: a pack sent
  // there reached no kiosk, and the page said only "published").
  assert.match(await cell(page, pack.title, 'Phạm vi'), /chưa kiosk nào trong phạm vi này/);
  assert.match(await page.getByLabel('Gửi trước cho').first().innerText(), /nhóm thử nghiệm \(0 kiosk\)[\s\S]*tất cả \(1 kiosk\)/);
  // The kiosk is not in the test group: the hub neither sends it the pack nor counts it behind.
  await goTo(page, 'Thiết bị');
  assert.doesNotMatch(await cell(page, KIOSK, 'Nội dung'), new RegExp(`thế hệ ${pack.generation}`));
  await goTo(page, 'Gói nội dung');

  const row = rowOf(page, pack.title);
  assert.equal(await row.getByLabel('Phạm vi mới').inputValue(), 'test', 'the new stage starts at the current one');
  await chooseStage(row.getByLabel('Phạm vi mới'), 'tất cả');
  await submit(page, row.getByRole('button', { name: 'Đổi phạm vi' }));
  assert.match(await message(page, 'status'), /Đã đổi phạm vi/);
  assert.match(await cell(page, pack.title, 'Phạm vi'), /tất cả/);
  // Pressing "Đổi phạm vi" again untouched leaves it going to everyone.
  assert.equal(await rowOf(page, pack.title).getByLabel('Phạm vi mới').inputValue(), 'everyone');
  await submit(page, rowOf(page, pack.title).getByRole('button', { name: 'Đổi phạm vi' }));
  assert.match(await cell(page, pack.title, 'Phạm vi'), /tất cả/);

  await kioskReaches(page, pack.generation);
  await checkPage(page, 'fleet-updated');
  await page.context().close();
});

test('phone: log in, put the kiosk in the test group, a pack for the test group reaches it, a new code', async () => {
  const page = await loggedIn(PHONE);
  await checkPage(page, 'fleet');

  // Into the test group, from the kiosk's own page.
  await openDevice(page);
  await page.getByLabel('Nhóm').selectOption({ label: 'thử nghiệm' });
  await submit(page, page.getByRole('button', { name: 'Lưu' }));
  assert.match(await message(page, 'status'), /Đã lưu/);
  assert.equal(await page.getByLabel('Nhóm').inputValue(), '0', 'the form shows the test group');
  await checkPage(page, 'device');

  // "Thu hồi" on its page only asks; "Không, quay lại" comes back with nothing changed.
  await submit(page, page.getByRole('button', { name: 'Thu hồi' }));
  await page.getByRole('heading', { level: 1, name: `Thu hồi kiosk “${KIOSK}”?` }).waitFor();
  assert.match(await page.getByRole('main').innerText(), /kiosk sẽ không nhận nội dung mới, phải đăng ký lại/);
  await checkPage(page, 'confirm-revoke');
  await press(page, page.getByRole('link', { name: 'Không, quay lại' }));
  await page.getByRole('heading', { level: 1, name: KIOSK }).waitFor();
  assert.doesNotMatch(await page.getByRole('main').innerText(), /đã thu hồi/, 'not revoked');

  const pack = packs[1];
  await uploadPack(page, pack, 'nhóm thử nghiệm');
  await checkPage(page, 'packs');
  await kioskReaches(page, pack.generation);

  await createCode(page, 'Buôn Đôn');
  assert.match(await page.getByRole('main').innerText(), /mã đăng ký dùng một lần cho Buôn Đôn/i);
  await checkPage(page, 'code');
  await page.context().close();
});

test('desktop: a refused device edit shows the device again, says why, keeps what was typed and changes nothing', async () => {
  const page = await loggedIn(DESKTOP);
  await openDevice(page);
  const wave = await page.getByLabel('Nhóm').inputValue();
  // Only spaces pass the browser's "required" and reach the hub, which refuses them.
  await page.getByLabel('Tên').fill('   ');
  await page.getByLabel('Xã').fill('Buôn Đôn');
  await page.getByLabel('Nhóm').selectOption({ label: 'đợt 2' });
  await submit(page, page.getByRole('button', { name: 'Lưu' }));

  assert.match(await message(page, 'alert'), /Tên thiết bị không được để trống/);
  await page.getByRole('heading', { level: 1, name: KIOSK }).waitFor();
  assert.equal(await page.getByLabel('Xã').inputValue(), 'Buôn Đôn', 'the commune typed is kept');
  assert.equal(await page.getByLabel('Nhóm').inputValue(), '2', 'the group chosen is kept');
  // The test packs are numbered by hand: their generation stands for no build time.
  assert.doesNotMatch(await page.getByRole('main').innerText(), /1970/, 'no build date made up from a generation number');
  await checkPage(page, 'device-refused');

  // Nothing was written: the fleet still shows the kiosk as it was.
  await goTo(page, 'Thiết bị');
  await openDevice(page);
  assert.equal(await page.getByLabel('Tên').inputValue(), KIOSK);
  assert.equal(await page.getByLabel('Xã').inputValue(), COMMUNE);
  assert.equal(await page.getByLabel('Nhóm').inputValue(), wave);
  await page.context().close();
});

test('desktop: halt a rollout, roll back to earlier content; the kiosk gets it as a new generation', async () => {
  const page = await loggedIn(DESKTOP);
  await goTo(page, 'Gói nội dung');
  const [older, newer] = packs;
  // The page says how to pull a bad pack before anyone has to ask (outside QA s27).
  assert.match(await page.getByTestId('bad-pack-help').innerText(), /Gói sai\? Bấm Tạm dừng .* rồi bấm Quay lại nội dung này/);

  // "Tạm dừng" first asks what it will do; going back changes nothing.
  await submit(page, rowOf(page, newer.title).getByRole('button', { name: 'Tạm dừng' }));
  await page.getByRole('heading', { level: 1, name: `Tạm dừng triển khai “${newer.title}”?` }).waitFor();
  assert.match(await page.getByRole('main').innerText(), /kiosk chưa nhận gói này sẽ không nhận nữa/);
  await checkPage(page, 'confirm-halt');
  await press(page, page.getByRole('link', { name: 'Không, quay lại' }));
  await page.getByRole('heading', { level: 1, name: 'Gói nội dung' }).waitFor();
  assert.doesNotMatch(await cell(page, newer.title, 'Phạm vi'), /đã tạm dừng/, 'the unconfirmed halt changed nothing');
  await submit(page, rowOf(page, newer.title).getByRole('button', { name: 'Tạm dừng' }));
  await submit(page, page.getByRole('button', { name: 'Có, tạm dừng' }));
  assert.match(await message(page, 'status'), /Đã tạm dừng/);
  assert.match(await cell(page, newer.title, 'Phạm vi'), /đã tạm dừng/);

  // Rolling back reaches every kiosk at once: it asks first, saying so.
  await submit(page, rowOf(page, older.title).first().getByRole('button', { name: 'Quay lại nội dung này' }));
  await page.getByRole('heading', { level: 1, name: `Đưa mọi kiosk về nội dung “${older.title}”?` }).waitFor();
  assert.match(await page.getByRole('main').innerText(), /gửi ngay cho tất cả kiosk/);
  await checkPage(page, 'confirm-rollback');
  await submit(page, page.getByRole('button', { name: 'Có, quay lại nội dung này' }));
  assert.match(await message(page, 'status'), /Đã phát hành lại nội dung cũ/);
  const gens = (await page.getByRole('row').allInnerTexts()).map(generationIn);
  const rolledBack = Math.max(...gens);
  assert.ok(rolledBack > newer.generation, `the rollback is a new, higher generation: ${gens}`);
  const note = await cell(page, `thế hệ ${rolledBack}`, 'Gói nội dung');
  assert.match(note, new RegExp(`Quay lại nội dung thế hệ ${older.generation}`), 'the rollback says what it is, in Vietnamese');
  assert.doesNotMatch(note, /rollback/);
  await checkPage(page, 'packs-rolled-back');

  await kioskReaches(page, rolledBack);
  // The kiosk's history names the packs and says the new generation brought older content back.
  await goTo(page, 'Thiết bị');
  await openDevice(page);
  const change = page.getByRole('row').filter({ hasText: `(thế hệ ${rolledBack})` }).first();
  assert.match(
    await change.innerText(),
    new RegExp(`→ “[^”]+” \\(thế hệ ${rolledBack}\\): quay lại nội dung cũ của “${older.title}” \\(thế hệ ${older.generation}\\)`),
  );
  await checkPage(page, 'device-rolled-back');
  await page.context().close();
});

test('desktop: the usage page and both CSV files', async () => {
  const page = await loggedIn(DESKTOP);

  const fleet = await download(page, 'Tải CSV');
  // The UTF-8 mark, so Excel on a Vietnamese Windows shows the names right.
  assert.ok(fleet.text.startsWith('\ufeff'), 'fleet.csv starts with the UTF-8 mark');
  const [fleetHead, ...fleetRows] = fleet.text.slice(1).trim().split(/\r?\n/).map((l) => l.split(','));
  for (const col of ['device_id', 'name', 'commune', 'online', 'last_seen', 'generation']) {
    assert.ok(fleetHead.includes(col), `fleet.csv has ${col}: ${fleetHead}`);
  }
  const kioskRow = fleetRows.find((r) => r[fleetHead.indexOf('name')] === KIOSK);
  assert.ok(kioskRow, `fleet.csv lists the kiosk:\n${fleet.text}`);
  assert.equal(kioskRow[fleetHead.indexOf('commune')], COMMUNE);
  assert.equal(kioskRow[fleetHead.indexOf('online')], 'true');

  await goTo(page, 'Số liệu sử dụng');
  assert.match(await rowOf(page, KIOSK).first().innerText(), new RegExp(COMMUNE), 'the visit is in the table');
  assert.match(await cell(page, 'Mở bài học', 'Chỉ số'), /^Mở bài học$/, 'the figures are named in Vietnamese');
  assert.doesNotMatch(await page.getByRole('main').innerText(), /\b(language_chosen|screen_viewed|sessions\w*|step_viewed|tutorial_\w+)\b/);
  // On top, what a province officer reads (outside QA s27): the visits, the
  // kiosk with when it last sent its figures, the lesson by its name.
  assert.match(await page.getByTestId('usage-total').innerText(), /\b[1-9]\d*\s+lượt sử dụng cả tỉnh/);
  const kioskUse = page.getByTestId('usage-kiosks').getByRole('row').filter({ hasText: KIOSK });
  assert.equal(await kioskUse.count(), 1, 'the kiosk has one row in the summary');
  assert.equal(await kioskUse.locator('time').count(), 1, `the kiosk's last upload is shown: ${await kioskUse.innerText()}`);
  assert.match(await kioskUse.innerText(), /\b[1-9]\d*\b/, 'its visits are counted');
  const lesson = page.getByTestId('usage-lessons').getByRole('row').filter({ hasText: 'Làm quen điện thoại cảm ứng' });
  assert.equal(await lesson.count(), 1, `the lesson is named: ${await page.getByTestId('usage-lessons').innerText()}`);
  assert.match(await cell(page, 'Mở bài học', 'Mục'), /^Làm quen điện thoại cảm ứng \(phone-touch\)$/, 'the detailed row names the lesson');
  for (const viewport of [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }]) {
    await page.setViewportSize(viewport);
    await checkPage(page, 'usage');
  }
  await page.setViewportSize(DESKTOP);
  await checkPage(page, 'usage');
  const usage = await download(page, 'Tải CSV');
  assert.match(usage.name, /\.csv$/);
  assert.ok(usage.text.startsWith('\ufeff'), 'usage.csv starts with the UTF-8 mark');
  const [usageHead, ...usageRows] = usage.text.slice(1).trim().split(/\r?\n/).map((l) => l.split(','));
  for (const col of ['device_id', 'name', 'commune', 'day', 'metric', 'count']) {
    assert.ok(usageHead.includes(col), `usage.csv has ${col}: ${usageHead}`);
  }
  const counted = usageRows.filter((r) => r[usageHead.indexOf('name')] === KIOSK);
  assert.ok(counted.length > 0, `usage.csv has the kiosk's visit:\n${usage.text}`);
  assert.ok(counted.some((r) => r[usageHead.indexOf('metric')] === 'tutorial_opened'), 'usage.csv keeps the metric ids');
  assert.ok(
    counted.some((r) => r[usageHead.indexOf('metric')] === 'tutorial_opened' && r[usageHead.indexOf('item_name')] === 'Làm quen điện thoại cảm ứng'),
    'usage.csv names the lesson beside its id',
  );
  assert.ok(counted.every((r) => Number(r[usageHead.indexOf('count')]) >= 1), usage.text);
  await page.context().close();
});

/** The line of the fleet's "Khóa tỉnh kiosk đang ghim" for the key with this id. */
const keyLine = (page, id) =>
  page.getByRole('region', { name: 'Khóa tỉnh kiosk đang ghim' }).getByRole('listitem').filter({ hasText: id });

/**
 * A second real kiosk, through the rotation's step 4: enrolled with both keys
 * from a code made in the console, then its old key dropped (`tramso pin-key
 * --drop`) before it starts.
 */
async function startRotatedKiosk(page, name) {
  const dir = mkdtempSync(join(tmpdir(), 'tramso-console-rotated-'));
  const args = ['--data', join(dir, 'data'), '--config', join(dir, 'config.yaml')];
  await createCode(page, COMMUNE);
  const command = (await page.getByTestId('enroll-command').innerText()).trim().split(/\s+/);
  assert.match(tramso([...command.slice(1), '--name', name, ...args, '--create-data', '--create-config']), /Enrolled this kiosk/);
  tramso(['pin-key', '--drop', hub.keyId, ...args]);
  const k = await startKiosk({ args, browser });
  return { ...k, stop: () => k.stop().finally(() => rmSync(dir, { recursive: true, force: true })) };
}

test('desktop and phone: in a key rotation the fleet marks the key that signed the current content and finds the kiosk without the old one', async () => {
  const ROTATED = 'Trạm y tế Ea Kao';
  const page = await loggedIn(DESKTOP);
  // The province signs with the new key alone from now on (the rotation's
  // step 4), above the rollback's generation, made from the clock.
  const [signedNew] = buildPacks({ ...hub, tmp: keysDir, privateKey: newKey.key }, [
    { generation: Math.floor(Date.now() / 1000) + 60, title: 'Gói thử — ký bằng khóa mới' },
  ]);
  await uploadPack(page, signedNew, 'tất cả');
  await kioskReaches(page, signedNew.generation);
  rotated = await startRotatedKiosk(page, ROTATED);

  await goTo(page, 'Thiết bị');
  await reloadUntil(page, 'both kiosks counted on the new key', async () => {
    const line = await keyLine(page, newKey.id).innerText();
    return /2 trên 2 kiosk đang dùng ghim khóa này/.test(line) || line;
  }, 60_000);
  const oldLine = await keyLine(page, hub.keyId).innerText();
  const newLine = await keyLine(page, newKey.id).innerText();
  assert.match(oldLine, /không ký nội dung hiện hành: 1 trên 2 kiosk đang dùng ghim khóa này; 1 không ghim/);
  assert.match(newLine, /^\S+ ký nội dung hiện hành: 2 trên 2 kiosk đang dùng ghim khóa này\s+— tất cả đã ghim/);
  assert.match(await page.getByRole('region', { name: 'Khóa tỉnh kiosk đang ghim' }).innerText(),
    new RegExp(`Nội dung hiện hành là thế hệ ${signedNew.generation},`));
  assert.equal(await keyLine(page, newKey.id).getByRole('link').count(), 0, 'no kiosk is waited for on the new key');
  await checkPage(page, 'fleet-rotation');
  await page.setViewportSize(PHONE);
  await checkPage(page, 'fleet-rotation');
  await page.setViewportSize(DESKTOP);

  // The old key's line leads to the kiosk that dropped it, and "Lọc" keeps that filter.
  await submit(page, keyLine(page, hub.keyId).getByRole('link', { name: 'xem kiosk chưa ghim khóa này' }));
  for (const step of ['followed', 'Lọc']) {
    if (step === 'Lọc') await submit(page, page.getByRole('button', { name: 'Lọc' }));
    assert.equal(new URL(page.url()).searchParams.get('unpinned'), hub.keyId, `${step}: the address keeps the key`);
    assert.match(await page.getByText(/Đang hiện \d+ thiết bị/).innerText(),
      new RegExp(`Đang hiện 1 thiết bị: không ghim khóa tỉnh ${hub.keyId} hoặc chưa báo khóa đang ghim`), step);
    assert.equal(await fleetRow(page).count(), 0, `${step}: the kiosk pinning both keys is not listed`);
    assert.match(await cell(page, ROTATED, 'Ứng dụng'), new RegExp(`khóa tỉnh đã ghim: ${newKey.id}$`), step);
  }
  await checkPage(page, 'fleet-unpinned');

  await press(page, fleetRow(page, ROTATED).getByRole('link', { name: ROTATED }));
  await page.getByRole('heading', { level: 1, name: ROTATED }).waitFor();
  const keys = await page.locator('dl.facts dt').filter({ hasText: 'Khóa tỉnh đã ghim' }).locator('+ dd').innerText();
  assert.match(keys, new RegExp(`^${newKey.id} máy chủ này cũng ghim\\s+chưa ghim khóa của máy chủ: ${hub.keyId}`));
  await checkPage(page, 'device-rotation');
  await page.setViewportSize(PHONE);
  await checkPage(page, 'device-rotation');
  await page.context().close();
});

test('phone: the usage dates form, the audit log, the password form, then log out: the console asks to log in again', async () => {
  const page = await loggedIn(PHONE);
  await goTo(page, 'Số liệu sử dụng');
  await page.getByLabel('Từ').fill('2026-01-01');
  await submit(page, page.getByRole('button', { name: 'Xem' }));
  assert.equal(new URL(page.url()).searchParams.get('from'), '2026-01-01');
  assert.equal(await page.getByLabel('Từ').inputValue(), '2026-01-01');
  await checkPage(page, 'usage');
  // A range given backwards is turned round, and the page says so.
  await page.getByLabel('Từ').fill('2026-12-31');
  await page.getByLabel('đến').fill('2026-01-01');
  await submit(page, page.getByRole('button', { name: 'Xem' }));
  assert.match(await message(page, 'alert'), /đã đổi chỗ hai ngày/);
  assert.equal(await page.getByLabel('Từ').inputValue(), '2026-01-01');
  assert.equal(await page.getByLabel('đến').inputValue(), '2026-12-31');
  // A day that does not exist (a link typed by hand) is named, not shown as "no figures".
  await page.goto(hub.admin + 'usage?from=2026-13-45');
  assert.match(await message(page, 'alert'), /Không có ngày 2026-13-45/);
  await checkPage(page, 'usage-bad-day');
  await goTo(page, 'Nhật ký thao tác');
  assert.ok(await rowOf(page, 'Phát hành gói nội dung').count(), 'the upload is in the audit log');
  await checkPage(page, 'audit');
  await wrongCurrentPassword(page);

  await submit(page, logOutButton(page));
  await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
  await page.goto(hub.admin);
  assert.equal(new URL(page.url()).pathname, '/admin/login');
  await page.context().close();
});

test('a form posted to the console from another site is refused with a Vietnamese page, at both widths', async (t) => {
  // The strongest attacker: one who even knows the session's form token.
  let token = '';
  const attacker = createServer((req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="vi"><title>Trang lạ</title><body>
      <form method="post" action="${hub.admin}codes">
      <input type="hidden" name="csrf" value="${token}"><input type="hidden" name="commune" value="Kẻ gian">
      <button>Nhận quà</button></form></body></html>`);
  });
  const port = await freePort();
  await new Promise((r) => attacker.listen(port, '127.0.0.1', r));
  t.after(() => new Promise((r) => attacker.close(r)));

  for (const viewport of [DESKTOP, PHONE]) {
    const page = await loggedIn(viewport);
    await goTo(page, 'Mã đăng ký');
    token = await page.locator('input[name="csrf"]').first().inputValue();

    await page.goto(`http://127.0.0.1:${port}/`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url() === hub.admin + 'codes' && r.request().method() === 'POST'),
      submit(page, page.getByRole('button', { name: 'Nhận quà' })),
    ]);
    assert.equal(response.status(), 403);
    const text = await page.locator('body').innerText();
    assert.doesNotMatch(text, /\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b/, 'no code was made');
    assert.equal(await page.locator('html').getAttribute('lang'), 'vi', `a Vietnamese page, not: ${text}`);
    const heading = await page.getByRole('heading', { level: 1 }).innerText();
    assert.match(heading, /[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/i, `a Vietnamese heading: ${text}`);
    await checkPage(page, 'refused-cross-site');
    await page.goto(hub.admin + 'audit');
    assert.equal(await rowOf(page, 'Kẻ gian').count(), 0, 'no code was made for the attacker');
    await page.context().close();
  }
});

test('roles: an admin makes a viewer account; the viewer sees no controls and a forged form is refused, at both widths', async () => {
  const VIEWER = { user: 'nguoi-xem', password: 'Chi-xem-thoi-2026' };
  const admin = await loggedIn(DESKTOP);
  await goTo(admin, 'Tài khoản');
  await admin.getByLabel('Tên đăng nhập', { exact: true }).fill(VIEWER.user);
  await admin.getByLabel('Mật khẩu', { exact: true }).fill(VIEWER.password);
  await admin.getByLabel('Nhập lại mật khẩu', { exact: true }).fill(VIEWER.password);
  await admin.getByLabel('Vai trò', { exact: true }).selectOption({ label: 'Người xem' });
  await submit(admin, admin.getByRole('button', { name: 'Tạo tài khoản' }));
  assert.match(await message(admin, 'status'), /Đã tạo tài khoản/);
  assert.match(await rowOf(admin, VIEWER.user).innerText(), /Người xem/);
  await checkPage(admin, 'users');
  // An admin's seven pages and the account fit one line on the commonest
  // office screen (outside QA: the bar took two lines, 111 px of 768).
  await admin.setViewportSize({ width: 1366, height: 768 });
  const bar = await admin.locator('header.bar').boundingBox();
  assert.ok(bar.height < 80, `the admin's top bar is ${bar.height} px tall at 1366`);
  await admin.context().close();

  for (const viewport of [DESKTOP, PHONE]) {
    const page = await consolePage(browser, viewport);
    await page.goto(hub.admin + 'login');
    await page.getByLabel('Tên đăng nhập', { exact: true }).fill(VIEWER.user);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(VIEWER.password);
    await submit(page, page.getByRole('button', { name: 'Đăng nhập', exact: true }));
    await logOutButton(page).waitFor();
    // The menu offers only what a viewer may use; the fleet has no edit forms.
    const menu = page.getByRole('navigation', { name: 'Các trang quản trị' });
    for (const name of ['Mã đăng ký', 'Nhật ký thao tác', 'Tài khoản']) {
      assert.equal(await menu.getByRole('link', { name, exact: true }).count(), 0, `a viewer's menu offers ${name}`);
    }
    assert.ok(await fleetRow(page).count(), 'the viewer sees the kiosk');
    assert.equal(await page.getByRole('button', { name: 'Thu hồi' }).count(), 0, 'a viewer is offered revoke');
    await checkPage(page, 'fleet-viewer');
    await goTo(page, 'Gói nội dung');
    assert.ok(await rowOf(page, packs[0].title).count(), 'the viewer sees the packs');
    for (const name of ['Phát hành', 'Đổi phạm vi', 'Tạm dừng']) {
      assert.equal(await page.getByRole('button', { name, exact: true }).count(), 0, `a viewer is offered ${name}`);
    }
    await checkPage(page, 'packs-viewer');
    // A typed address is refused: no "Tạo mã" form.
    const typed = await page.goto(hub.admin + 'codes');
    assert.equal(typed.status(), 403);
    assert.equal(await page.getByRole('button', { name: 'Tạo mã mới' }).count(), 0);
    // A form forged in the viewer's own tab, with the viewer's own token, is refused too.
    const token = await page.locator('input[name="csrf"]').first().inputValue();
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url() === hub.admin + 'codes' && r.request().method() === 'POST'),
      page.evaluate(([action, csrf]) => {
        const form = Object.assign(document.createElement('form'), { method: 'post', action });
        for (const [name, value] of [['csrf', csrf], ['commune', 'Xã giả']]) {
          form.append(Object.assign(document.createElement('input'), { type: 'hidden', name, value }));
        }
        document.body.append(form);
        form.submit();
      }, [hub.admin + 'codes', token]),
    ]);
    assert.equal(response.status(), 403);
    await page.getByRole('heading', { level: 1, name: 'Không có quyền làm việc này' }).waitFor();
    assert.match(await page.getByRole('main').innerText(), /vai trò Người xem/);
    await checkPage(page, 'refused-role');
    await page.context().close();
  }

  const check = await loggedIn(DESKTOP);
  await goTo(check, 'Nhật ký thao tác');
  const refused = rowOf(check, 'Bị từ chối').filter({ hasText: 'POST /admin/codes' });
  assert.equal(await refused.count(), 2, 'each forged form is in the audit log');
  assert.match(await refused.first().innerText(), new RegExp(VIEWER.user));
  assert.equal(await rowOf(check, 'Xã giả').filter({ hasText: 'Tạo mã đăng ký' }).count(), 0, 'no code was made');

  // The viewer leaves for a while: the admin locks the account instead of removing it.
  await goTo(check, 'Tài khoản');
  await submit(check, rowOf(check, VIEWER.user).getByRole('button', { name: 'Khoá tài khoản' }));
  assert.match(await message(check, 'status'), /Đã khoá tài khoản/);
  assert.match(await rowOf(check, VIEWER.user).innerText(), /đã khoá/);
  await checkPage(check, 'users-locked');
  await check.setViewportSize(PHONE);
  await checkPage(check, 'users-locked');
  const locked = await consolePage(browser, PHONE);
  await submitLogin(locked, hub, VIEWER.password, VIEWER.user);
  assert.match(await message(locked, 'alert'), /Tài khoản này đã bị khoá/);
  assert.equal(await logOutButton(locked).count(), 0);
  await checkPage(locked, 'login-locked');
  await submit(check, rowOf(check, VIEWER.user).getByRole('button', { name: 'Mở khoá' }));
  assert.match(await message(check, 'status'), /Đã mở khoá/);
  await submitLogin(locked, hub, VIEWER.password, VIEWER.user);
  await logOutButton(locked).waitFor();
  await locked.context().close();
  await check.context().close();
});

test('phone: a kiosk gone silent is counted in the fleet, says why, and is heard when it plays again', async () => {
  // Staff at the commune turn the kiosk's sound off (as the kiosk does by
  // itself when its page froze on a hung speaker).
  const screen = await newTouchPage(kiosk);
  await screen.goto(kiosk.url);
  await openStaff(screen, PIN);
  await tap(screen, 'staff-sound-off');
  await screen.getByTestId('staff-sound').and(screen.locator('[data-on="false"]')).waitFor();

  const page = await loggedIn(PHONE);
  await goTo(page, 'Thiết bị');
  await reloadUntil(page, 'the kiosk silent in the fleet', async () => {
    const app = await cell(page, KIOSK, 'Ứng dụng');
    return /cán bộ tắt âm thanh\s+từ \d\d\/\d\d\/\d{4} \d\d:\d\d|cán bộ tắt âm thanh\s+từ (vừa xong|\d+ phút trước)/.test(app) || app;
  });
  await submit(page, page.getByRole('link', { name: /^1 tắt âm thanh$/ })); // the filter's page, loaded before it is read
  assert.match(await page.getByText(/Đang hiện \d+ thiết bị/).innerText(), /Đang hiện 1 thiết bị: Tắt âm thanh/);
  await checkPage(page, 'fleet-muted');
  await openDevice(page);
  assert.match(await page.getByRole('definition').filter({ hasText: 'cán bộ tắt âm thanh' }).innerText(), /cán bộ tắt âm thanh/);
  await checkPage(page, 'device-muted');

  await tap(screen, 'staff-sound-on');
  await screen.getByTestId('staff-sound').and(screen.locator('[data-on="true"]')).waitFor();
  await reloadUntil(page, 'the kiosk playing again on its page', async () => {
    const facts = await page.locator('dl.facts').innerText();
    return facts.includes('bật (kiosk không báo tắt)') || facts;
  });
  const history = await page.getByRole('table').last().innerText();
  assert.match(history, /Âm thanh\s+cán bộ tắt âm thanh/);
  assert.match(history, /Âm thanh\s+bật lại âm thanh/);
  await screen.context().close();
  await page.context().close();
});

test('desktop: revoke the kiosk; it goes offline, then log out', async () => {
  const page = await loggedIn(DESKTOP);
  // The first press only asks, naming the kiosk and its commune; going back changes nothing.
  await submit(page, fleetRow(page).getByRole('button', { name: 'Thu hồi' }));
  await page.getByRole('heading', { level: 1, name: `Thu hồi kiosk “${KIOSK}”?` }).waitFor();
  const asked = await page.getByRole('main').innerText();
  assert.match(asked, new RegExp(`${KIOSK}[^]*${COMMUNE}`));
  assert.match(asked, /kiosk sẽ không nhận nội dung mới, phải đăng ký lại/);
  await checkPage(page, 'confirm-revoke');
  await press(page, page.getByRole('link', { name: 'Không, quay lại' }));
  await page.getByRole('heading', { level: 1, name: 'Thiết bị' }).waitFor();
  assert.doesNotMatch(await fleetRow(page).innerText(), /đã thu hồi/, 'the unconfirmed revocation changed nothing');
  assert.ok(await online(page), 'the kiosk is still connected');

  await submit(page, fleetRow(page).getByRole('button', { name: 'Thu hồi' }));
  await submit(page, page.getByRole('button', { name: 'Có, thu hồi' }));
  assert.match(await message(page, 'status'), /Đã thu hồi/);
  // The fleet hides revoked kiosks unless asked for.
  await page.getByLabel('Tình trạng').selectOption({ label: 'Đã thu hồi' });
  await submit(page, page.getByRole('button', { name: 'Lọc' }));
  await reloadUntil(page, 'the revoked kiosk offline', async () => !(await online(page)) || 'online');
  assert.match(await fleetRow(page).innerText(), /đã thu hồi/);
  // The tiles and the list agree: one revoked kiosk, shown; in use only the key rotation's.
  const tile = (label) => page.getByRole('link').filter({ has: page.getByText(label, { exact: true }) });
  assert.match(await tile('đã thu hồi').innerText(), /^1\b/);
  assert.match(await tile('kiosk đang dùng').innerText(), /^1\b/);
  assert.match(await page.getByRole('main').innerText(), /Đang hiện 1 thiết bị: Đã thu hồi/);
  await checkPage(page, 'fleet-revoked');

  await goTo(page, 'Nhật ký thao tác');
  assert.match(await rowOf(page, 'Thu hồi thiết bị').first().innerText(), new RegExp(KIOSK), 'the revocation is in the audit log');
  assert.ok(await rowOf(page, 'Đăng nhập sai').count(), 'so are the wrong passwords');
  await checkPage(page, 'audit');
  await wrongCurrentPassword(page);

  await submit(page, logOutButton(page));
  await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
  await page.goto(hub.admin + 'packs');
  assert.equal(new URL(page.url()).pathname, '/admin/login', 'logged out: the console asks to log in again');
  await page.context().close();
});

test('phone: a kiosk whose screen keeps failing is counted in the fleet, with how often and the last, and in its history', async () => {
  // A library's kiosk enrolls, then reports two times its window lost its
  // page and came back by itself (POST /api/device/incidents, as the
  // desktop kiosk does; app/pagelife.go records them).
  const page = await loggedIn(PHONE);
  const code = await createCode(page, COMMUNE);
  const LIBRARY = 'Thư viện xã Ea Kao';
  const enrolled = await fetch(hub.url + '/api/enroll', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, name: LIBRARY }),
  });
  assert.equal(enrolled.status, 200);
  const { token } = await enrolled.json();
  const now = Math.floor(Date.now() / 1000);
  const sent = await fetch(hub.url + '/api/device/incidents', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify([
      { at: now - 7200, kind: 'froze' },
      { at: now - 3600, kind: 'crashed' },
    ]),
  });
  assert.equal(sent.status, 200);

  await goTo(page, 'Thiết bị');
  await submit(page, page.getByRole('link', { name: /^1 màn hình trục trặc \(7 ngày\)$/ })); // the filter's page, loaded before it is read
  assert.match(await page.getByText(/Đang hiện \d+ thiết bị/).innerText(), /Đang hiện 1 thiết bị: Màn hình trục trặc \(7 ngày\)/);
  const app = await cell(page, LIBRARY, 'Ứng dụng');
  assert.match(app, /màn hình trục trặc 2 lần trong 7 ngày\s+lần cuối 1 giờ trước: trang bị lỗi và tắt, kiosk tự tải lại/);
  await checkPage(page, 'fleet-unwell');
  await press(page, page.getByRole('link', { name: LIBRARY }));
  await page.getByRole('heading', { level: 1, name: LIBRARY }).waitFor();
  assert.match(await page.locator('dl.facts').innerText(), /Màn hình\s+trục trặc 2 lần trong 7 ngày — lần cuối 1 giờ trước/);
  const history = await page.getByRole('table').last().innerText();
  assert.match(history, /Sự cố màn hình\s+màn hình bị treo, kiosk tự tải lại \(lúc \d\d\/\d\d\/\d{4} \d\d:\d\d theo đồng hồ kiosk\)/);
  assert.match(history, /Sự cố màn hình\s+trang bị lỗi và tắt, kiosk tự tải lại/);
  await checkPage(page, 'device-unwell');
  await page.context().close();
});
