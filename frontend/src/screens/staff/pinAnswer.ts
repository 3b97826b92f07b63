// What the PIN pad says to the server's answer to a PIN: a pure mapping, so
// each of the API's refusals has its words, checked without a browser.

import { ApiError } from '../../lib/api';
import { t } from '../../lib/i18n';

/** The pad's next state: locked for some seconds, or a line to show. */
export type PinAnswer = { lockSeconds: number } | { message: string; calm: boolean };

/**
 * pin_busy is not the staff member's fault (another PIN check was running
 * and the kiosk waited 2 s for it): said calmly, as a pause, not an error.
 */
export function pinAnswer(err: unknown): PinAnswer {
  if (err instanceof ApiError) {
    switch (err.code) {
      case 'pin_locked':
        return { lockSeconds: Number(err.body.locked_seconds ?? 0) };
      case 'wrong_pin':
        return { message: t('shell.staff.wrong', { n: Number(err.body.tries_left ?? 0) }), calm: false };
      case 'pin_busy':
        return { message: t('shell.staff.pin_busy'), calm: true };
    }
  }
  return { message: t('shell.staff.error', { msg: err instanceof Error ? err.message : String(err) }), calm: false };
}
