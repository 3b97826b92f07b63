import { afterEach, describe, expect, it } from 'vitest';
import { mergePackCatalogues, partlyLabel, setCatalogues, untranslated } from './i18n';
import { wipe } from './session.svelte';

// Review s28: a language whose translator gave only its chooser words
// ("chưa có bản dịch" in Ê Đê, shell.lang.none) is still a language nobody
// translated: the chooser should say so in those words and draw no «VI» badge.
describe('untranslated (review s28)', () => {
  afterEach(() => {
    wipe('test');
    setCatalogues({});
    mergePackCatalogues({});
  });

  it('a language with only its name and its own "not translated yet" is still untranslated', () => {
    setCatalogues({
      vi: { shell: { lang: { self: 'Tiếng Việt', untranslated: 'chưa dịch đủ', none: 'chưa có bản dịch' }, home: { learn: 'Học' } } },
      rad: { shell: { lang: { self: 'Êđê', none: 'RAD-none' } } },
    });
    expect(untranslated('rad')).toBe(true);
    expect(partlyLabel('rad')).toEqual({ text: 'RAD-none', lang: 'rad', fallback: false });
  });

  it('the same from a pack shipped after the build (mergePackCatalogues)', () => {
    mergePackCatalogues({ rad: { shell: { lang: { none: 'RAD-none' } } } });
    expect(untranslated('rad')).toBe(true);
    expect(partlyLabel('rad').text).toBe('RAD-none');
  });
});
