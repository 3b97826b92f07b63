// The content studio (issue 16) end to end, in Chromium, as the province
// works: an editor changes the late birth-registration fee in a form and
// gives its source; the kiosk preview served by the hub shows the new fee
// for the late answer; a reviewer (another account) approves; the hub
// assembles the pack, whose manifest is signed by the real `tramso pack
// sign` with the key that never sat on the hub; the signature is uploaded
// and checked; a kiosk (`tramso serve`) enrolled with the hub shows the new
// fee in its result. And the refusals: approval without a source, an
// editor approving their own change, a viewer editing, a lint error, a
// signature by a key the hub does not pin.
//
// One hub (holding no private key) and one kiosk serve every test; the
// tests run in order and build on each other's state.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchChromium, newTouchPage, screenshot, startKiosk, startSession, tap, tramso } from './harness.mjs';
import { ADMIN, PHONE, checkPage, consoleAs, download, logOutButton, message, press, submit, startHub } from './hub.mjs';

const as = (account) => consoleAs(browser, hub, account);

const EDITOR = { user: 'bientap', password: 'bien-tap-vien-2026', role: 'editor' };
const REVIEWER = { user: 'duyet', password: 'nguoi-duyet-2026', role: 'reviewer' };
const VIEWER = { user: 'xem', password: 'nguoi-xem-2026', role: 'viewer' };
const KIOSK_SIZE = { width: 1920, height: 1080 };
const FEE_FILE = 'procedures/khai-sinh.yaml';
const SOURCE = 'https://thuvienphapluat.vn/van-ban/Thue-Phi-Le-Phi/Nghi-quyet-le-phi-ho-tich-Dak-Lak.aspx';

let browser, hub, kiosk, tmp, feeChange;

before(async () => {
  browser = await launchChromium();
  hub = await startHub({ accounts: [EDITOR, REVIEWER, VIEWER] });
  tmp = mkdtempSync(join(tmpdir(), 'tramso-studio-e2e-'));
  const code = tramso(['hub', 'code', '--data', hub.dataDir, '--commune', 'Ea Tu']).trim();
  const config = join(tmp, 'config.yaml');
  writeFileSync(config, '');
  const kioskArgs = ['--data', join(tmp, 'kiosk'), '--config', config];
  const out = tramso(['enroll', '--hub', hub.url, '--code', code, '--key-id', hub.keyId, '--name', 'Nhà văn hóa Ea Tu', '--create-data', ...kioskArgs]);
  assert.match(out, /Enrolled this kiosk/);
  kiosk = await startKiosk({ args: kioskArgs, browser });
});

after(async () => {
  await kiosk?.stop();
  await hub?.stop();
  await browser?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The fieldset of the late fee rule in the procedure's form. */
const lateFee = (page) =>
  page.locator('fieldset[id^="f-fees."]').filter({ has: page.locator(':scope > legend', { hasText: /khi "Đã quá 60 ngày"/ }) });

/** Walk the kiosk at page to the birth-registration result for a late registration; returns the fee element. */
async function lateResult(page) {
  await startSession(page);
  await tap(page, 'tile-procedures');
  await tap(page, 'life-event-em-be');
  await tap(page, 'answer-office');
  await tap(page, 'procedures-start');
  await tap(page, 'answer-late');
  await tap(page, 'answer-no');
  await tap(page, 'answer-married');
  await tap(page, 'answer-yes');
  await tap(page, 'review-see-result');
  const fee = page.getByTestId('result-fee');
  await fee.waitFor();
  return fee;
}

/** The console's CSRF token, from the log-out form every page carries. */
const csrf = (page) => page.locator('form.who input[name=csrf]').inputValue();

test('an editor changes the late birth-registration fee in a form; the preview shows it for the late answer', async () => {
  const page = await as(EDITOR);
  await press(page, page.getByRole('link', { name: 'Nội dung', exact: true }));
  await checkPage(page, 'studio-index');
  await press(page, page.getByRole('link', { name: 'Làm giấy khai sinh cho bé' }));
  await page.getByTestId('viewing-approved').waitFor();
  await page.getByLabel('Tên thay đổi mới').fill('Lệ phí khai sinh quá hạn');
  await submit(page, page.getByRole('button', { name: 'Sửa tệp này' }));
  feeChange = new URL(page.url()).searchParams.get('change');
  assert.ok(feeChange, `editing happens in a change: ${page.url()}`);

  // The keyboard reaches the save button from the top of a long form.
  await page.locator('a[href="#studio-save"]').focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'studio-save', 'the skip link leads to the save button');

  let fee = lateFee(page);
  assert.equal(await fee.count(), 1, 'one form part for the late fee');
  await fee.getByLabel('Loại').selectOption({ label: 'một số tiền' });
  // A refused save: the keyboard starts at the field to fix, which says why.
  await fee.getByLabel('Số tiền (đồng)').fill('tám nghìn');
  await submit(page, page.getByRole('button', { name: 'Lưu phiên bản' }));
  fee = lateFee(page);
  const amount = fee.getByLabel('Số tiền (đồng)');
  assert.equal(await amount.evaluate((e) => e === document.activeElement), true, 'the refused field has the focus');
  assert.equal(await amount.getAttribute('aria-invalid'), 'true');
  const why = await amount.evaluate((e) => e.getAttribute('aria-describedby').split(' ').map((id) => document.getElementById(id)?.textContent).join(' '));
  assert.match(why, /phải là một số nguyên không âm/, 'the field is described by its problem');
  assert.equal(await fee.getByLabel('Loại').inputValue(), 'amount', 'what was chosen is kept');
  await amount.fill('8000');
  await fee.locator('textarea[name$=".note.vi"]').fill('Đăng ký quá hạn: lệ phí theo nghị quyết của HĐND tỉnh Đắk Lắk.');
  // Enter in a field saves, as the button does (outside QA: it once showed
  // the form again, unsaved, and out of the change).
  const loaded = page.waitForEvent('load');
  await fee.getByLabel('Số tiền (đồng)').press('Enter');
  await loaded;
  assert.equal(new URL(page.url()).searchParams.get('change'), feeChange, `still in the change: ${page.url()}`);
  const saved = await page.getByTestId('saved').innerText();
  assert.match(saved, /Lệ phí khi "Đã quá 60 ngày"/);
  assert.match(saved, /8\.000 đ/);
  await checkPage(page, 'studio-file');

  // The kiosk itself, served by the hub with the change's content, at kiosk size.
  const kioskPage = await page.context().newPage();
  await kioskPage.setViewportSize(KIOSK_SIZE);
  await kioskPage.goto(`${hub.url}/admin/content/preview/${feeChange}/`);
  const shown = await lateResult(kioskPage);
  assert.equal(await shown.getAttribute('data-fee-kind'), 'amount');
  assert.match(await shown.innerText(), /8\.000/);
  await kioskPage.close();

  // The approved content still says what the kiosks say today.
  const approved = await page.context().newPage();
  await approved.setViewportSize(KIOSK_SIZE);
  await approved.goto(`${hub.url}/admin/content/preview/approved/`);
  assert.equal(await (await lateResult(approved)).getAttribute('data-fee-kind'), 'province');
  await page.context().close();
});

test('a viewer cannot edit; an editor proposes but cannot approve their own change', async () => {
  const viewer = await as(VIEWER);
  await viewer.goto(`${hub.admin}content/files/${FEE_FILE}?change=${feeChange}`);
  assert.equal(await viewer.getByRole('button', { name: 'Lưu phiên bản' }).count(), 0);
  const posted = await viewer.request.post(`${hub.admin}content/files/${FEE_FILE}`, {
    form: { csrf: await csrf(viewer), change: feeChange, code: 'x' },
    headers: { Origin: hub.url },
  });
  assert.equal(posted.status(), 403, 'a viewer may not save');
  await viewer.context().close();

  const editor = await as(EDITOR);
  await editor.goto(`${hub.admin}content/changes/${feeChange}`);
  await submit(editor, editor.getByRole('button', { name: 'Gửi duyệt' }));
  assert.match(await message(editor, 'status'), /Đã gửi duyệt/);
  assert.equal(await editor.getByRole('button', { name: 'Duyệt thay đổi này' }).count(), 0);
  const approve = await editor.request.post(`${hub.admin}content/changes/${feeChange}/review`, {
    form: { csrf: await csrf(editor), action: 'approve' },
    headers: { Origin: hub.url },
  });
  assert.equal(approve.status(), 403, 'an editor may not approve');
  await editor.context().close();
});

test('the reviewer cannot approve a fee change without its source; with it, approves', async () => {
  const reviewer = await as(REVIEWER);
  await reviewer.goto(`${hub.admin}content/changes/${feeChange}`);
  const review = reviewer.getByRole('main');
  assert.match(await review.innerText(), /Lệ phí khi "Đã quá 60 ngày": .*→ 8\.000 đ/);
  assert.match(await review.innerText(), /Chưa duyệt được/);
  await checkPage(reviewer, 'studio-change');
  assert.equal(await reviewer.getByRole('button', { name: 'Duyệt thay đổi này' }).count(), 0);
  const forced = await reviewer.request.post(`${hub.admin}content/changes/${feeChange}/review`, {
    form: { csrf: await csrf(reviewer), action: 'approve' },
    headers: { Origin: hub.url },
  });
  assert.notEqual(forced.status(), 303, 'approval without a source is refused');
  assert.match(await forced.text(), /nguồn/);

  // The editor gives the source for the late fee rule and the day it was read.
  const editor = await as(EDITOR);
  await editor.goto(`${hub.admin}content/changes/${feeChange}`);
  let missing = editor.locator('ul.missing li').first();
  // "abc" is refused, and says why; an address given by mistake is taken back.
  await missing.getByLabel('Địa chỉ trang web hoặc số văn bản').fill('abc');
  await missing.getByLabel('Ngày đọc').fill('2026-12-04');
  await submit(editor, missing.getByRole('button', { name: 'Thêm nguồn' }));
  assert.match(await message(editor, 'alert'), /Chưa thêm nguồn: nguồn phải là địa chỉ trang web/);
  missing = editor.locator('ul.missing li').first();
  await missing.getByLabel('Địa chỉ trang web hoặc số văn bản').fill('https://nham.example.vn/');
  await missing.getByLabel('Ngày đọc').fill('2026-12-04');
  await submit(editor, missing.getByRole('button', { name: 'Thêm nguồn' }));
  await submit(editor, editor.getByRole('button', { name: /^Bỏ nguồn này\W+https:\/\/nham\.example\.vn\/$/ }));
  assert.match(await message(editor, 'status'), /Đã bỏ nguồn/);
  assert.doesNotMatch(await editor.locator('ul.sources').innerText().catch(() => ''), /nham\.example/);
  missing = editor.locator('ul.missing li').first();
  await missing.getByLabel('Địa chỉ trang web hoặc số văn bản').fill(SOURCE);
  await missing.getByLabel('Ngày đọc').fill('2026-12-04');
  await submit(editor, missing.getByRole('button', { name: 'Thêm nguồn' }));
  assert.match(await message(editor, 'status'), /Đã thêm nguồn/);
  assert.equal(await editor.locator('ul.missing li').count(), 0, 'one source backs the whole fee rule');
  await editor.context().close();

  await reviewer.reload();
  await submit(reviewer, reviewer.getByRole('button', { name: 'Duyệt thay đổi này' }));
  assert.match(await message(reviewer, 'status'), /Đã duyệt/);
  await reviewer.context().close();
});

test('an editor moves a document down the list, and the saved file keeps the order', async () => {
  const editor = await as(EDITOR);
  await editor.goto(`${hub.admin}content/files/procedures/khai-tu.yaml`);
  await editor.getByLabel('Tên thay đổi mới').fill('Thử: thứ tự giấy tờ');
  await submit(editor, editor.getByRole('button', { name: 'Sửa tệp này' }));
  const name = (i) => editor.locator(`[name="documents.${i}.name.vi"]`);
  assert.match(await name(0).inputValue(), /^Tờ khai đăng ký khai tử/);
  assert.equal(await editor.getByRole('button', { name: /^↑ Lên trên Giấy tờ 1:/ }).count(), 0, 'the first item cannot go up');
  await submit(editor, editor.getByRole('button', { name: /^↓ Xuống dưới Giấy tờ 1:/ }));
  assert.match(await name(0).inputValue(), /^Giấy tờ tùy thân/);
  assert.match(await name(1).inputValue(), /^Tờ khai đăng ký khai tử/);
  assert.equal(await editor.evaluate(() => document.activeElement?.getAttribute('name')), 'documents.1.name.vi', 'the moved item has the focus');
  await submit(editor, editor.getByRole('button', { name: 'Lưu phiên bản' }));
  await editor.reload();
  assert.match(await name(1).inputValue(), /^Tờ khai đăng ký khai tử/, 'the order is saved');
  await checkPage(editor, 'studio-file-moved');
  await editor.setViewportSize(PHONE);
  await checkPage(editor, 'studio-file-moved');
  await editor.context().close();
});

test('a new document starts handed in; a fee ten times the approved one is doubted beside its amount, after a reload too', async () => {
  const editor = await as(EDITOR);
  await editor.goto(`${hub.admin}content/files/procedures/ban-sao-trich-luc.yaml`);
  await editor.getByLabel('Tên thay đổi mới').fill('Thử: giấy tờ mới và lệ phí');
  await submit(editor, editor.getByRole('button', { name: 'Sửa tệp này' }));
  const n = Number(await editor.locator('input[name="len:documents"]').inputValue());
  await submit(editor, editor.locator('button[value="add:documents"]'));
  const action = editor.locator(`[name="documents.${n}.action"]`);
  assert.equal(await action.inputValue(), 'hand_in', 'a new document starts handed in');
  assert.equal(await action.locator('option:checked').innerText(), 'nộp');
  await editor.locator(`[name="documents.${n}.name.vi"]`).fill('Giấy tờ cần chứng thực chữ ký');
  const amount = editor.locator('[name="fees.0.amount"]');
  assert.equal(await amount.inputValue(), '8000');
  await amount.fill('100000000');
  await submit(editor, editor.getByRole('button', { name: 'Lưu phiên bản' }));
  await editor.getByTestId('saved').waitFor();
  assert.doesNotMatch(await editor.getByRole('main').innerText(), /is not one of/);
  await editor.reload();
  // Beside the amount, as a warning the field is described by; not a problem.
  const doubt = editor.locator('#f-fees\\.0\\.amount ~ .sf-warning');
  assert.match(await doubt.innerText(), /Xem lại: gấp 12500 lần mức đã duyệt \(8\.000 đ\), kiểm tra số chữ số 0/);
  assert.equal(await amount.getAttribute('aria-invalid'), null, 'a doubt is not an error');
  const why = await amount.evaluate((e) => e.getAttribute('aria-describedby').split(' ').map((id) => document.getElementById(id)?.textContent).join(' '));
  assert.match(why, /gấp 12500 lần/);
  for (const size of [KIOSK_SIZE, PHONE]) {
    await editor.setViewportSize(size);
    await doubt.evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await screenshot(editor, `console-studio-fee-doubt-field-${size.width}`);
    await checkPage(editor, 'studio-file-fee-doubt');
  }
  await editor.context().close();
});

test('two tabs on one file: edits to different fields are merged; the same field edited in both is refused, marked, and nothing is lost', async () => {
  const tabA = await as(EDITOR);
  await tabA.goto(`${hub.admin}content/files/procedures/ket-hon.yaml`);
  await tabA.getByLabel('Tên thay đổi mới').fill('Thử: hai thẻ');
  await submit(tabA, tabA.getByRole('button', { name: 'Sửa tệp này' }));
  const tabB = await tabA.context().newPage();
  await tabB.goto(tabA.url());
  await tabA.locator('[name="summary.vi"]').fill('Tóm tắt do thẻ A sửa');
  await submit(tabA, tabA.getByRole('button', { name: 'Lưu phiên bản' }));
  await tabA.getByTestId('saved').waitFor();

  // Tab B, still on the version before A's save, edits another field: both kept.
  await tabB.locator('[name="plain_name.vi"]').fill('Tên do thẻ B sửa');
  await submit(tabB, tabB.getByRole('button', { name: 'Lưu phiên bản' }));
  assert.match(await message(tabB, 'status'), /đã gộp cả hai/);
  assert.equal(await tabB.locator('[name="summary.vi"]').inputValue(), 'Tóm tắt do thẻ A sửa', "tab A's edit is in the merge");
  assert.equal(await tabB.locator('[name="plain_name.vi"]').inputValue(), 'Tên do thẻ B sửa', "tab B's edit is in the merge");

  // Tab A, now behind B's save, edits the same field: refused, marked beside it.
  await tabA.locator('[name="plain_name.vi"]').fill('Tên do thẻ A sửa');
  await submit(tabA, tabA.getByRole('button', { name: 'Lưu phiên bản' }));
  // The page says why once; each field both tabs edited says so beside it.
  assert.match(await tabA.locator('div.error[role=alert]').innerText(), /cũng sửa những ô được đánh dấu/);
  assert.match(await tabA.locator('#f-plain_name .sf-problem').first().innerText(), /Bản lưu ở nơi khác cũng sửa ô này/);
  assert.equal(await tabA.locator('[name="plain_name.vi"]').inputValue(), 'Tên do thẻ A sửa', 'what tab A typed is kept');
  await checkPage(tabA, 'studio-file-saved-since');
  await tabB.reload();
  assert.equal(await tabB.locator('[name="plain_name.vi"]').inputValue(), 'Tên do thẻ B sửa', "tab B's save stands");
  await tabA.setViewportSize(PHONE);
  await checkPage(tabA, 'studio-file-saved-since');
  await tabA.context().close();
});

test('the session ends while an editor types: the login keeps the work, and one press after it saves it', async () => {
  const tab = await as(EDITOR);
  await tab.goto(`${hub.admin}content/files/procedures/ket-hon.yaml`);
  await tab.getByLabel('Tên thay đổi mới').fill('Thử: phiên hết hạn');
  await submit(tab, tab.getByRole('button', { name: 'Sửa tệp này' }));
  const typed = 'Hai bên nam, nữ cùng đến UBND xã — gõ lúc phiên đã hết';
  await tab.locator('[name="summary.vi"]').fill(typed);

  // Another tab of the same browser logs out: this tab's session is gone.
  const other = await tab.context().newPage();
  await other.goto(`${hub.admin}`);
  await submit(other, logOutButton(other));
  await other.close();

  await submit(tab, tab.getByRole('button', { name: 'Lưu phiên bản' }));
  assert.match(await message(tab, 'status'), /chưa được làm[\s\S]*vẫn được giữ/);
  await checkPage(tab, 'login-carrying');
  // A mistyped password costs only the password.
  await tab.getByLabel('Tên đăng nhập', { exact: true }).fill(EDITOR.user);
  await tab.getByLabel('Mật khẩu', { exact: true }).fill('sai mật khẩu rồi');
  await submit(tab, tab.getByRole('button', { name: 'Đăng nhập', exact: true }));
  assert.match(await message(tab, 'alert'), /Sai tên đăng nhập hoặc mật khẩu/);
  await tab.getByLabel('Mật khẩu', { exact: true }).fill(EDITOR.password);
  await submit(tab, tab.getByRole('button', { name: 'Đăng nhập', exact: true }));
  await checkPage(tab, 'resend');
  await submit(tab, tab.getByRole('button', { name: 'Gửi lại' }));
  await tab.getByTestId('saved').waitFor();
  assert.equal(await tab.locator('[name="summary.vi"]').inputValue(), typed, 'what was typed before the session ended is saved');
  assert.match(new URL(tab.url()).search, /saved=/);
  await tab.context().close();
});

test('a lint error blocks approval and shows beside its field', async () => {
  const editor = await as(EDITOR);
  await editor.goto(`${hub.admin}content/files/procedures/khai-tu.yaml`);
  await editor.getByLabel('Tên thay đổi mới').fill('Thử: tên khai tử');
  await submit(editor, editor.getByRole('button', { name: 'Sửa tệp này' }));
  const change = new URL(editor.url()).searchParams.get('change');
  await editor.locator('[name="plain_name.vi"]').fill('');
  await submit(editor, editor.getByRole('button', { name: 'Lưu phiên bản' }));
  const beside = editor.locator('#f-plain_name .sf-problem');
  assert.match(await beside.first().innerText(), /Cần có lời tiếng Việt/);
  await checkPage(editor, 'studio-file-problem');
  await editor.goto(`${hub.admin}content/changes/${change}`);
  await submit(editor, editor.getByRole('button', { name: 'Gửi duyệt' }));
  await editor.context().close();

  const reviewer = await as(REVIEWER);
  await reviewer.goto(`${hub.admin}content/changes/${change}`);
  assert.match(await reviewer.getByRole('main').innerText(), /Chưa duyệt được/);
  assert.equal(await reviewer.getByRole('button', { name: 'Duyệt thay đổi này' }).count(), 0);
  await reviewer.getByLabel('Lý do trả lại').fill('Tên dễ hiểu bị xoá mất.');
  await submit(reviewer, reviewer.getByRole('button', { name: 'Trả lại cho người soạn' }));
  assert.match(await message(reviewer, 'status'), /trả lại/);
  await reviewer.context().close();
});

test('the hub assembles the approved content; the manifest signed offline reaches the kiosk', async () => {
  const admin = await as(ADMIN);
  await admin.goto(`${hub.admin}content/changes`);
  // The pack is named by what it brings: the changes approved since the last
  // pack (outside QA: every studio pack bore pack.yaml's one title).
  const name = admin.getByLabel(/^Tên gói/);
  assert.match(await name.inputValue(), /Lệ phí khai sinh quá hạn/);
  await checkPage(admin, 'studio-changes-admin');
  await submit(admin, admin.getByRole('button', { name: 'Dựng gói từ nội dung đã duyệt' }));
  const pending = admin.locator('section.pending').first();
  await pending.waitFor();
  assert.match(await pending.innerText(), /Lệ phí khai sinh quá hạn/, 'the pending pack shows its name');
  const manifest = await download(admin, 'Tải manifest.json');
  assert.match(JSON.parse(manifest.text).title, /Lệ phí khai sinh quá hạn/);
  const dir = mkdtempSync(join(tmp, 'signer-'));
  writeFileSync(join(dir, 'manifest.json'), manifest.text);

  // A key the hub does not pin is refused, and nothing is published.
  const other = join(dir, 'other');
  tramso(['keygen', '--out', other]);
  tramso(['pack', 'sign', '--key', join(other, 'province.key'), join(dir, 'manifest.json')]);
  await pending.locator('input[name=sig]').setInputFiles(join(dir, 'manifest.sig'));
  await submit(admin, pending.getByRole('button', { name: 'Kiểm tra chữ ký và phát hành' }));
  assert.match(await message(admin, 'alert'), /khoá/);

  // The province key, on the offline machine: the real CLI writes manifest.sig.
  tramso(['pack', 'sign', '--key', hub.privateKey, join(dir, 'manifest.json')]);
  const again = admin.locator('section.pending').first();
  await again.locator('input[name=sig]').setInputFiles(join(dir, 'manifest.sig'));
  await again.getByLabel('Gửi trước cho').selectOption('everyone');
  await submit(admin, again.getByRole('button', { name: 'Kiểm tra chữ ký và phát hành' }));
  assert.equal(await admin.locator('section.pending').count(), 0, 'published, no longer waiting');
  const generation = Number(JSON.parse(manifest.text).generation);
  await admin.context().close();

  // The kiosk takes the new generation and tells a late registrant the new fee.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const health = await (await fetch(kiosk.url + 'api/health')).json();
    if (health.content.version === generation) break;
    assert.ok(Date.now() < deadline, `the kiosk never applied generation ${generation}: ${JSON.stringify(health.content)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  const resident = await newTouchPage(kiosk, KIOSK_SIZE);
  await resident.goto(kiosk.url);
  const fee = await lateResult(resident);
  assert.equal(await fee.getAttribute('data-fee-kind'), 'amount');
  assert.match(await fee.innerText(), /8\.000/);
  await resident.context().close();
});
