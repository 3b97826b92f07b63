import { describe, expect, it } from 'vitest';
import { searchOver } from './outcome';

describe('searchOver', () => {
  it.each([
    ['', 'k', false, 'nothing was shown'],
    ['kết', 'kết hôn', false, 'typing on is the same search'],
    ['kết hôn', 'kết hôn', false, 'the same text again'],
    ['kết hôn', '', true, 'the field cleared for the next search'],
    ['ket hong', 'ket hon', true, 'a letter taken back'],
    ['vneid', 'tam tru', true, 'other words'],
    ['   ', '', false, 'only spaces were never searched'],
  ])('%j then %j: %s (%s)', (shown, next, over) => {
    expect(searchOver(shown, next)).toBe(over);
  });
});
