// A kiosk whose disk fills up: residents keep using it, staff can still log
// in (a wrong PIN still counts and says so), and the figures say in plain
// Vietnamese that the disk is full. The data directory is a small tmpfs of
// the test's own, filled to the last byte: the kernel's ENOSPC, not a mock.
import assert from 'node:assert/strict';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { mountSmallDisk, residentVisit } from './disk.mjs';
import { axe, newTouchPage, screenshot, startKiosk, tap } from './harness.mjs';
import { configWithPIN, openStaff } from './staff.mjs';

const PIN = '593172';

// Write zeros until the kernel says the disk is full.
function fill(dir) {
  const fd = openSync(join(dir, 'filler'), 'w');
  try {
    for (const size of [1 << 20, 4096, 1]) {
      const chunk = Buffer.alloc(size);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (err) {
          if (err.code !== 'ENOSPC') throw err;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

test('a full disk: residents carry on, the PIN still locks, staff are told in words', async (t) => {
  const disk = mountSmallDisk(t);
  const kiosk = await startKiosk({ config: configWithPIN(PIN), args: ['--data', join(disk, 'data')] });
  t.after(() => kiosk.stop());
  fill(disk);

  // A resident's visit on the full disk: every screen still opens.
  const page = await newTouchPage(kiosk);
  await residentVisit(page, kiosk);

  // A wrong PIN is a wrong PIN, not an error, even when it cannot be saved.
  await page.getByTestId('staff-corner').dispatchEvent('pointerdown');
  for (const d of '111111') await tap(page, 'pin-' + d);
  await tap(page, 'pin-enter');
  await page.getByTestId('staff-pin-message').waitFor();
  assert.match(await page.getByTestId('staff-pin-message').innerText(), /Mã PIN sai\. Còn 4 lần thử/);
  await tap(page, 'staff-pin-cancel');
  await openStaff(page, PIN);
  // The panel's front page says the disk is full, whatever else is going on.
  assert.match(await page.getByTestId('staff-disk-low').innerText(), /Ổ đĩa của máy đã đầy hoặc gần đầy \(còn 0 MB trống\)/);
  await screenshot(page, 'full-disk-panel', { keep: true });

  await tap(page, 'staff-open-insights');
  const full = page.getByTestId('insights-disk-full');
  await full.waitFor({ timeout: 20_000 });
  assert.match(await full.innerText(), /Ổ đĩa của máy đã đầy nên tạm ngừng ghi số liệu/);
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'full-disk-insights', { keep: true });
});
