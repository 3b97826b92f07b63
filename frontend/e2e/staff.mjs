// Staff mode for end-to-end tests: a config with a PIN set the way staff set
// it (`tramso staff-pin`), and opening staff mode by touch.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tap, tramsoBin } from './harness.mjs';

/** YAML config text whose staff PIN is pin (for startKiosk({ config })). */
export function configWithPIN(pin) {
  const dir = mkdtempSync(join(tmpdir(), 'tramso-pin-'));
  const path = join(dir, 'config.yaml');
  execFileSync(tramsoBin(), ['staff-pin', '--config', path, '--create-config', '--pin-stdin'], { input: pin + '\n' });
  const text = readFileSync(path, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return text;
}

/** Hold the hidden corner for the PIN pad, enter pin, wait for the panel. */
export async function openStaff(page, pin) {
  await page.getByTestId('staff-corner').dispatchEvent('pointerdown');
  await page.getByTestId('pin-enter').waitFor({ timeout: 10_000 });
  for (const d of pin) await tap(page, 'pin-' + d);
  await tap(page, 'pin-enter');
  await page.getByTestId('staff-panel').waitFor();
}
