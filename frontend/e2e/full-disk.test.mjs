// A kiosk whose disk fills up: residents keep using it, staff can still log
// in (a wrong PIN still counts and says so), and the figures say in plain
// Vietnamese that the disk is full. The data directory is a small tmpfs of
// the test's own, filled to the last byte: the kernel's ENOSPC, not a mock.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { axe, newTouchPage, screenshot, startKiosk, startSession, tap } from './harness.mjs';
import { configWithPIN, openStaff } from './staff.mjs';

const PIN = '593172';

function mountSmallDisk(t) {
  const dir = mkdtempSync(join(tmpdir(), 'tramso-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m,mode=0700', 'tmpfs', dir]);
  t.after(() => {
    execFileSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

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
  assert.equal(process.getuid(), 0, 'mounting a tmpfs needs root: run the test command (build/scripts/test.sh) as root');
  const disk = mountSmallDisk(t);
  const kiosk = await startKiosk({ config: configWithPIN(PIN), args: ['--data', join(disk, 'data')] });
  t.after(() => kiosk.stop());
  fill(disk);

  // A resident's visit on the full disk: every screen still opens.
  const page = await newTouchPage(kiosk);
  await page.goto(kiosk.url);
  await startSession(page);
  await tap(page, 'tile-procedures');
  await page.getByTestId('screen-procedures').waitFor();
  await tap(page, 'life-event-em-be');
  await page.getByTestId('answer-office').waitFor();
  await tap(page, 'end-session');
  await tap(page, 'end-confirm-yes');
  await page.getByTestId('attract').waitFor();

  // A wrong PIN is a wrong PIN, not an error, even when it cannot be saved.
  await page.getByTestId('staff-corner').dispatchEvent('pointerdown');
  for (const d of '111111') await tap(page, 'pin-' + d);
  await tap(page, 'pin-enter');
  await page.getByTestId('staff-pin-message').waitFor();
  assert.match(await page.getByTestId('staff-pin-message').innerText(), /Mã PIN sai\. Còn 4 lần thử/);
  await tap(page, 'staff-pin-cancel');
  await openStaff(page, PIN);

  await tap(page, 'staff-open-insights');
  const full = page.getByTestId('insights-disk-full');
  await full.waitFor({ timeout: 20_000 });
  assert.match(await full.innerText(), /Ổ đĩa của máy đã đầy nên tạm ngừng ghi số liệu/);
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'full-disk-insights', { keep: true });
});
