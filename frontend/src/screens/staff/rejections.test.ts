import { describe, expect, it } from 'vitest';
import { oldFromUSB } from './rejections';

describe('refusals staff need not worry about', () => {
  it('an older pack from USB is the staff’s own old stick; from the hub it stays a warning', () => {
    const usb = { kind: 'not_newer', source: 'usb', generation: 100 } as const;
    expect(oldFromUSB(usb, 1796656473)).toBe(true);
    expect(oldFromUSB(usb, 100)).toBe(true);
    expect(oldFromUSB({ ...usb, source: 'hub' }, 1796656473)).toBe(false);
    // Newer than what shows (after a rollback), or another kind: not "older".
    expect(oldFromUSB(usb, 99)).toBe(false);
    expect(oldFromUSB({ ...usb, kind: 'bad_signature' }, 1796656473)).toBe(false);
    expect(oldFromUSB({ ...usb, generation: 0 }, 1796656473)).toBe(false);
  });
});
