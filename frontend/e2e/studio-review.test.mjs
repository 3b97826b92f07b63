// The content studio's review when two changes meet, in Chromium (outside
// QA s27, findings 6, 7 and 14): two editors change the same fee in two
// changes; the one approved second shows the fee now approved beside its own
// and, sent back, is re-based in one click onto the newest approval, the
// fee both changed left for the editor to choose, said in đồng, the box in
// its row. Then a fee typed ten times too high is approved, and its warning
// is said again on the pack waiting to be signed and before it is signed
// and sent to every kiosk; rolled back, the change reads "Đã bị quay lại"
// and reopens as a new change carrying its edits. The recording page names
// the kiosk's screens in Vietnamese. Pages are checked at 1366×768 and
// 1920×1080 (axe, nothing wider than the window, a screenshot each).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchChromium, screenshot } from './harness.mjs';
import { checkPage, consoleAs, message, press, startHub, submit } from './hub.mjs';

const EDITOR = { user: 'bientap', password: 'bien-tap-vien-2026', role: 'editor' };
const EDITOR2 = { user: 'bientap2', password: 'bien-tap-vien-2026b', role: 'editor' };
const REVIEWER = { user: 'duyet', password: 'nguoi-duyet-2026', role: 'reviewer' };
const LAPTOP = { width: 1366, height: 768 };
const WIDE = { width: 1920, height: 1080 };
const FILE = 'procedures/chung-thuc-chu-ky.yaml';
const SOURCE = 'https://thuvienphapluat.vn/van-ban/Thue-Phi-Le-Phi/Thong-tu-226-2016-TT-BTC.aspx';

let browser, hub;

before(async () => {
  browser = await launchChromium();
  hub = await startHub({ signing: true, accounts: [EDITOR, EDITOR2, REVIEWER] });
});

after(async () => {
  await hub?.stop();
  await browser?.close();
});

/** Check the page at both desktop sizes (the first is the page's own). */
async function checkBoth(page, name) {
  for (const size of [LAPTOP, WIDE]) {
    await page.setViewportSize(size);
    await checkPage(page, name);
  }
  await page.setViewportSize(LAPTOP);
}

/** As account, open a change on the fee file and save amount (and a note edit); returns the change's id. */
async function changeFee(account, title, amount, edit) {
  const page = await consoleAs(browser, hub, account, LAPTOP);
  await page.goto(`${hub.admin}content/files/${FILE}`);
  await page.getByLabel('Tên thay đổi mới').fill(title);
  await submit(page, page.getByRole('button', { name: 'Sửa tệp này' }));
  const change = new URL(page.url()).searchParams.get('change');
  await page.locator('[name="fees.0.amount"]').fill(String(amount));
  if (edit) await page.locator(`[name="${edit.name}"]`).fill(edit.value);
  await submit(page, page.getByRole('button', { name: 'Lưu phiên bản' }));
  assert.match(await page.getByTestId('saved').innerText(), /Đã lưu phiên bản/);
  await page.goto(`${hub.admin}content/changes/${change}`);
  while ((await page.locator('ul.missing li').count()) > 0) {
    const missing = page.locator('ul.missing > li').first();
    await missing.getByLabel('Địa chỉ trang web hoặc số văn bản').fill(SOURCE);
    await missing.getByLabel('Ngày đọc').fill('2026-12-04');
    await submit(page, missing.getByRole('button', { name: 'Thêm nguồn' }));
  }
  await submit(page, page.getByRole('button', { name: 'Gửi duyệt' }));
  assert.match(await message(page, 'status'), /Đã gửi duyệt/);
  await page.context().close();
  return change;
}

async function approve(change) {
  const page = await consoleAs(browser, hub, REVIEWER, LAPTOP);
  await page.goto(`${hub.admin}content/changes/${change}`);
  await submit(page, page.getByRole('button', { name: 'Duyệt thay đổi này' }));
  assert.match(await message(page, 'status'), /Đã duyệt/);
  await page.context().close();
}

let first;

test('a change overtaken by another approval shows the approved value and is re-based in one click', async () => {
  first = await changeFee(EDITOR2, 'Lệ phí 12.000', 12000, { name: 'time.note.vi', value: 'Nộp sau 16 giờ thì nhận trong ngày làm việc tiếp theo.' });
  const second = await changeFee(EDITOR, 'Lệ phí 15.000', 15000);
  await approve(second);

  // The reviewer sees, beside the stale fee, the one approved meanwhile.
  const reviewer = await consoleAs(browser, hub, REVIEWER, LAPTOP);
  await reviewer.goto(`${hub.admin}content/changes/${first}`);
  const line = reviewer.locator('ul.change-lines li', { hasText: 'Lệ phí' });
  assert.match(await line.innerText(), /10\.000 đ \/ trường hợp → 12\.000 đ \/ trường hợp.*\(bản đang dùng: 15\.000 đ \/ trường hợp\)/s);
  assert.match(await reviewer.locator('.warning-text', { hasText: 'Chưa duyệt được' }).innerText(), /Làm lại trên bản mới nhất/);
  await checkBoth(reviewer, 's28-stale-review');
  await reviewer.getByLabel('Lý do trả lại').fill('Lệ phí vừa được duyệt 15.000 đ: làm lại trên bản mới nhất.');
  await submit(reviewer, reviewer.getByRole('button', { name: 'Trả lại cho người soạn' }));
  await reviewer.context().close();

  // One click: what one side changed is merged; the fee both changed is left to the editor.
  const editor = await consoleAs(browser, hub, EDITOR2, LAPTOP);
  await editor.goto(`${hub.admin}content/changes/${first}`);
  await checkBoth(editor, 's28-stale-editor');
  await submit(editor, editor.getByRole('button', { name: 'Làm lại trên bản mới nhất' }));
  await submit(editor, editor.getByTestId('carry-files').getByRole('link', { name: 'Gộp tệp này từng ô' }));
  assert.match(await editor.getByTestId('carry').innerText(), /Có 1 ô cả hai bên cùng sửa/);
  const amount = editor.locator('[name="fees.0.amount"]');
  assert.equal(await amount.inputValue(), '12000', 'the box keeps what the editor typed');
  const why = await amount.evaluate((e) => e.getAttribute('aria-describedby').split(' ').map((id) => document.getElementById(id)?.textContent).join(' '));
  assert.match(why, /thành: “15\.000 đ”/, 'the approved amount is said in đồng');
  assert.equal(await editor.locator('[name="time.note.vi"]').inputValue(), 'Nộp sau 16 giờ thì nhận trong ngày làm việc tiếp theo.');
  // The box stays in its row: level with the fee's kind beside it.
  const row = editor.locator('fieldset[id^="f-fees."]').first();
  for (const size of [LAPTOP, WIDE]) {
    await editor.setViewportSize(size);
    await amount.evaluate((e) => e.scrollIntoView({ block: 'center' }));
    const [a, k] = [await amount.boundingBox(), await row.getByLabel('Loại').boundingBox()];
    assert.ok(Math.abs(a.y - k.y) < 2, `at ${size.width}: the amount box (y ${a.y}) is level with "Loại" (y ${k.y})`);
    await screenshot(editor, `console-s28-carry-fee-${size.width}`);
  }
  await editor.setViewportSize(LAPTOP);
  await checkBoth(editor, 's28-carry-form');
  await amount.fill('15000'); // the editor takes the approved fee
  await submit(editor, editor.getByRole('button', { name: 'Lưu phiên bản' }));
  assert.match(await editor.getByTestId('saved').innerText(), /Làm lại trên bản đã duyệt mới nhất/);
  await editor.goto(`${hub.admin}content/changes/${first}`);
  assert.equal(await editor.getByTestId('carry-needed').count(), 0, 'nothing left to merge');
  await submit(editor, editor.getByRole('button', { name: 'Gửi duyệt' }));
  await editor.context().close();
  await approve(first);
});

test('a fee ten times too high is said again at signing; rolled back, its change reads so and reopens', async () => {
  // Publish what is approved now: the pack to come back to.
  const admin = await consoleAs(browser, hub, undefined, LAPTOP);
  const publishApproved = async (title) => {
    await admin.goto(`${hub.admin}content/changes`);
    await admin.getByLabel(/^Tên gói/).fill(title);
    await submit(admin, admin.getByRole('button', { name: 'Dựng gói từ nội dung đã duyệt' }));
    return admin.locator('section.pending');
  };
  let pending = await publishApproved('Gói lệ phí 15.000');
  await pending.getByLabel('Gửi trước cho').selectOption('everyone');
  await submit(admin, pending.getByRole('button', { name: 'Ký bằng khoá trên máy chủ và phát hành' }));
  await submit(admin, admin.getByRole('button', { name: 'Có, ký và gửi cho tất cả' }));

  const slip = await changeFee(EDITOR, 'Lệ phí gõ thừa số 0', 150000, { name: 'time.note.vi', value: 'Nộp sau 16 giờ 30 thì nhận trong ngày làm việc tiếp theo.' });
  await approve(slip);
  pending = await publishApproved('Gói lệ phí mới');
  assert.match(await pending.getByTestId('pending-doubts').innerText(), /Lệ phí \(mọi trường hợp\): 15\.000 đ \/ trường hợp → 150\.000 đ \/ trường hợp.*gấp 10 lần/s);
  await checkBoth(admin, 's28-pending-doubts');
  await pending.getByLabel('Gửi trước cho').selectOption('everyone');
  await submit(admin, pending.getByRole('button', { name: 'Ký bằng khoá trên máy chủ và phát hành' }));
  assert.match(await admin.getByTestId('pending-doubts').innerText(), /gấp 10 lần/, 'the confirmation says it again');
  await checkBoth(admin, 's28-sign-confirm-doubts');
  await submit(admin, admin.getByRole('button', { name: 'Có, ký và gửi cho tất cả' }));

  // Roll back to the pack before.
  await admin.goto(`${hub.admin}packs`);
  const before = admin.getByRole('row').filter({ hasText: 'Gói lệ phí 15.000' });
  await submit(admin, before.getByRole('button', { name: 'Quay lại nội dung này' }));
  await submit(admin, admin.getByRole('button', { name: /^Có/ }));
  await admin.context().close();

  const editor = await consoleAs(browser, hub, EDITOR, LAPTOP);
  await editor.goto(`${hub.admin}content/changes`);
  const item = editor.getByTestId(`change-${slip}`);
  assert.match(await item.innerText(), /Đã bị quay lại \(gói thế hệ \d+\)/);
  assert.doesNotMatch(await item.innerText(), /Đã duyệt/);
  assert.match(await editor.getByTestId(`change-${first}`).innerText(), /Đã duyệt/, 'a change the rollback kept stays approved');
  await checkBoth(editor, 's28-changes-undone');
  await press(editor, item.getByRole('link'));
  assert.match(await editor.getByTestId('undone').innerText(), /Phần sửa của thay đổi này không còn trong nội dung đã duyệt/);
  await checkBoth(editor, 's28-change-undone');
  await submit(editor, editor.getByRole('button', { name: 'Mở lại thay đổi này' }));
  assert.match(await message(editor, 'status'), /Đã mở lại thành thay đổi mới/);
  assert.match(await editor.getByRole('heading', { level: 1 }).innerText(), /Làm lại: Lệ phí gõ thừa số 0/);
  assert.match(await editor.locator('ul.change-lines').innerText(), /15\.000 đ \/ trường hợp → 150\.000 đ/);
  assert.equal(await editor.locator('ul.missing').count(), 0, 'the sources it was approved on come along');
  await checkBoth(editor, 's28-reopened');
  await editor.context().close();
});

test('the recording page names the kiosk screens in Vietnamese', async () => {
  const page = await consoleAs(browser, hub, EDITOR, LAPTOP);
  await page.goto(`${hub.admin}content/record/rad`);
  const first = page.getByRole('link', { name: /^Màn hình ngoài giờ — báo sắp hết giờ/ });
  assert.match(await first.innerText(), /Màn hình kiosk: closed · closing/);
  await page.getByRole('link', { name: /^Hỏi thủ tục — căn cứ pháp lý/ }).waitFor();
  await checkBoth(page, 's28-record');
  await page.context().close();
});
