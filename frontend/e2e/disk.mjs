// A disk of the test's own for the tests of a sick disk (full, read-only):
// a real tmpfs the kernel fills or turns read-only, not a mock; and the
// resident's visit such a disk must not stop.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSession, tap } from './harness.mjs';

/** Mount a 48 MB tmpfs for test t, unmounted after it. Needs root. */
export function mountSmallDisk(t) {
  assert.equal(process.getuid(), 0, 'mounting a tmpfs needs root: run the test command (build/scripts/test.sh) as root');
  const dir = mkdtempSync(join(tmpdir(), 'tramso-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m,mode=0700', 'tmpfs', dir]);
  t.after(() => {
    execFileSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** A resident's short visit: the procedures assistant opens and answers, the session ends. */
export async function residentVisit(page, kiosk) {
  await page.goto(kiosk.url);
  await startSession(page);
  await tap(page, 'tile-procedures');
  await page.getByTestId('screen-procedures').waitFor();
  await tap(page, 'life-event-em-be');
  await page.getByTestId('answer-office').waitFor();
  await tap(page, 'end-session');
  await tap(page, 'end-confirm-yes');
  await page.getByTestId('attract').waitFor();
}
