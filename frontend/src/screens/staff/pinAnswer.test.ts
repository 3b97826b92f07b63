import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api';
import { session, wipe } from '../../lib/session.svelte';
import { pinAnswer } from './pinAnswer';

const refusal = (status: number, code: string, more: Record<string, unknown> = {}) =>
  new ApiError(status, code, { code, error: code, ...more } as ConstructorParameters<typeof ApiError>[2]);

describe('pinAnswer', () => {
  afterEach(() => wipe('test'));

  it('gives each of the login refusals its words', () => {
    expect(pinAnswer(refusal(423, 'pin_locked', { locked_seconds: 42.2 }))).toEqual({ lockSeconds: 42.2 });
    expect(pinAnswer(refusal(401, 'wrong_pin', { tries_left: 3 }))).toEqual({ message: 'Mã PIN sai. Còn 3 lần thử.', calm: false });
    expect(pinAnswer(new Error('offline'))).toEqual({ message: 'Lỗi: offline', calm: false });
  });

  // Outside QA s26: two tries at once, and the one that waited 2 s for the
  // other was answered 429 pin_busy, which the pad showed as "Lỗi: …".
  it('says pin_busy calmly, as a pause and not an error', () => {
    const a = pinAnswer(refusal(429, 'pin_busy'));
    expect(a).toEqual({ message: 'Máy đang kiểm tra một mã PIN khác. Xin chờ một chút rồi nhập lại.', calm: true });
  });

  // Staff words are Vietnamese whatever the resident chose: Ê Đê and M'nông
  // have no staff lines of their own and get these, not an English fallback.
  it('is in Vietnamese on a page in Ê Đê, M\'nông or English', () => {
    for (const lang of ['rad', 'mng', 'en']) {
      session.lang = lang;
      expect(pinAnswer(refusal(429, 'pin_busy'))).toEqual({ message: 'Máy đang kiểm tra một mã PIN khác. Xin chờ một chút rồi nhập lại.', calm: true });
    }
  });
});
