// A kiosk whose disk the kernel made read-only (ext4 errors=remount-ro after
// disk errors, the classic end of a bad power cut): it still starts, residents
// keep using it, and staff read in plain Vietnamese on the panel's front page
// and on the figures that the disk is read-only and what to do, and why
// the sound switch cannot be saved. The data
// directory is a tmpfs of the test's own, really remounted read-only.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { mountSmallDisk, residentVisit } from './disk.mjs';
import { axe, LANDSCAPE, newTouchPage, PORTRAIT, screenshot, startKiosk, tap } from './harness.mjs';
import { configWithPIN, openStaff } from './staff.mjs';

const PIN = '593172';

test('a read-only disk: the kiosk starts, residents carry on, staff are told in words', async (t) => {
  const disk = mountSmallDisk(t);
  const data = join(disk, 'data');
  const config = configWithPIN(PIN);

  // Yesterday: the kiosk ran and recorded a visit; it was stopped.
  const before = await startKiosk({ config, args: ['--data', data] });
  await residentVisit(await newTouchPage(before), before);
  await before.stop();
  execFileSync('mount', ['-o', 'remount,ro', disk]);

  const kiosk = await startKiosk({ config, args: ['--data', data] });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk);
  await residentVisit(page, kiosk);

  await openStaff(page, PIN);
  const notice = page.getByTestId('staff-read-only');
  await notice.waitFor();
  assert.match(await notice.innerText(), /Ổ đĩa của máy đang ở chế độ chỉ đọc/);
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'read-only-panel', { keep: true });
  // The sound switch cannot be saved: the disk is named, sound stays on.
  await tap(page, 'staff-sound-off');
  const note = page.getByTestId('staff-note');
  await note.waitFor();
  assert.equal(await note.getAttribute('data-tone'), 'error');
  assert.match(await note.innerText(), /chỉ đọc nên không lưu được thay đổi âm thanh/);
  assert.equal(await page.getByTestId('staff-sound').getAttribute('data-on'), 'true');
  await screenshot(page, 'read-only-sound', { keep: true });
  await page.setViewportSize(PORTRAIT);
  await screenshot(page, 'read-only-sound-portrait', { keep: true });
  await page.setViewportSize(LANDSCAPE);

  await tap(page, 'staff-open-insights');
  const figures = page.getByTestId('insights-read-only');
  await figures.waitFor({ timeout: 20_000 });
  assert.match(await figures.innerText(), /chỉ đọc nên không ghi số liệu/);
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'read-only-insights', { keep: true });
});
