import { describe, expect, it } from 'vitest';
import { applyTone, type Tone } from './vietnamese';

describe('applyTone', () => {
  const cases: Array<[string, Tone, string]> = [
    ['a', 'acute', 'á'],
    ['ma', 'grave', 'mà'],
    ['viet', 'dot', 'việt'.normalize('NFD').replace('\u0302', '').normalize('NFC')], // "viẹt": no ê typed
    ['viêt', 'dot', 'việt'],
    ['tiêng', 'acute', 'tiếng'],
    ['nguoi', 'grave', 'nguòi'],
    ['người'.normalize('NFC').replace('ờ', 'ơ'), 'grave', 'người'],
    ['hoa', 'grave', 'hòa'],
    ['hoan', 'grave', 'hoàn'],
    ['thuy', 'hook', 'thủy'],
    ['quy', 'acute', 'quý'],
    ['qua', 'hook', 'quả'],
    ['gi', 'grave', 'gì'],
    ['giư', 'tilde', 'giữ'],
    ['khoai', 'acute', 'khoái'],
    ['thuyên', 'grave', 'thuyền'],
    ['đăng ky', 'acute', 'đăng ký'],
    ['căn cươc', 'acute', 'căn cước'],
    ['mua', 'acute', 'múa'],
    ['Ha', 'dot', 'Hạ'],
    ['má', 'grave', 'mà'], // another tone replaces
    ['má', 'acute', 'ma'], // the same tone again removes it
    ['xyz ', 'acute', 'xyz '], // no word being typed
    ['bcd', 'acute', 'bcd'], // no vowel
    ['', 'acute', ''],
  ];
  for (const [input, tone, want] of cases) {
    it(`${input} + ${tone} → ${want}`, () => {
      const got = applyTone(input, tone);
      expect(got).toBe(want);
      expect(got).toBe(got.normalize('NFC'));
    });
  }
});
