import { afterEach, describe, expect, it } from 'vitest';
import { has, lookup, LANGS, mergePackCatalogues, named, partlyLabel, setCatalogues, setLang, setPartlyTranslated, shellTranslated, t, tr, untranslated } from './i18n';
import { session, wipe } from './session.svelte';

const bundled = import.meta.glob<Record<string, unknown>>('../i18n/*/*.json', { eager: true, import: 'default' });

function keys(tree: unknown, prefix = ''): string[] {
  if (typeof tree === 'string') return [prefix];
  return Object.entries(tree as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('i18n', () => {
  afterEach(() => wipe('test'));

  it('falls back to Vietnamese, marked, never blank or a key name', () => {
    setCatalogues({
      vi: { shell: { home: { title: 'Bạn muốn làm gì?', count: '{n} bài học' } } },
      en: { shell: { home: { title: 'What would you like to do?' } } },
      rad: { shell: {} },
    });
    expect(lookup('shell.home.title', 'en')).toEqual({ text: 'What would you like to do?', lang: 'en', fallback: false });
    expect(lookup('shell.home.count', 'en', { n: 3 })).toEqual({ text: '3 bài học', lang: 'vi', fallback: true });
    expect(lookup('shell.home.title', 'rad')).toEqual({ text: 'Bạn muốn làm gì?', lang: 'vi', fallback: true });
    expect(lookup('shell.home.title', 'mng').fallback).toBe(true);
    expect(lookup('shell.home.title', 'vi').fallback).toBe(false);
    const missing = lookup('shell.nothing.here', 'en');
    expect(missing.text).not.toBe('');
    expect(missing.text).not.toContain('shell.nothing');
  });

  it('names an icon control in the language of its name', () => {
    setCatalogues({ vi: { shell: { replay: 'Nghe lại', step: 'Cỡ chữ {n}' } }, en: { shell: { replay: 'Play again' } } });
    setLang('en');
    expect(named('shell.replay')).toEqual({ 'aria-label': 'Play again' });
    expect(named('shell.step', { n: 2 })).toEqual({ 'aria-label': 'Cỡ chữ 2', lang: 'vi' });
    setLang('vi');
    expect(named('shell.step', { n: 3 })).toEqual({ 'aria-label': 'Cỡ chữ 3' });
  });

  it('follows the session language', () => {
    setCatalogues({ vi: { shell: { a: 'Xin chào' } }, en: { shell: { a: 'Hello' } } });
    expect(t('shell.a')).toBe('Xin chào');
    setLang('en');
    expect(t('shell.a')).toBe('Hello');
    expect(tr('shell.a').fallback).toBe(false);
    setLang('klingon');
    expect(session.lang).toBe('vi');
  });

  it('bundled catalogues: vi is complete, others add no unknown keys, each language names itself', () => {
    const cat: Record<string, Record<string, Record<string, unknown>>> = {};
    for (const [path, tree] of Object.entries(bundled)) {
      const m = /\/i18n\/([^/]+)\/([^/]+)\.json$/.exec(path)!;
      (cat[m[1]!] ??= {})[m[2]!] = tree;
    }
    setCatalogues(cat as never);
    const viKeys = new Set(Object.entries(cat.vi ?? {}).flatMap(([ns, tree]) => keys(tree).map((k) => `${ns}.${k}`)));
    for (const lang of LANGS) {
      for (const [ns, tree] of Object.entries(cat[lang] ?? {})) {
        for (const k of keys(tree)) expect(viKeys, `${lang}/${ns}.json has ${k}, vi lacks it`).toContain(`${ns}.${k}`);
      }
      expect(has('shell.lang.self', lang), `${lang} names itself`).toBe(true);
    }
    // The Ê Đê name for the language (CONTENT-REVIEW C1), not the old administrative "Rađê".
    expect(lookup('shell.lang.self', 'rad').text).toBe('Êđê');
    expect(lookup('shell.lang.self', 'mng').text).toBe("M'nông");
    // English is complete for the shell.
    for (const k of viKeys) if (k.startsWith('shell.')) expect(has(k, 'en'), `en lacks ${k}`).toBe(true);
  });

  // Which languages are offered, and which below the threshold, the kiosk
  // decides (kiosk/translate.Offers, GET /api/kiosk); the page only labels.
  it('labels the languages the kiosk says are partly translated', () => {
    setPartlyTranslated(['mng']);
    expect(shellTranslated('mng')).toBe(false);
    expect(shellTranslated('rad')).toBe(true);
    expect(shellTranslated('vi')).toBe(true);
    setPartlyTranslated([]);
    expect(shellTranslated('mng')).toBe(true);
  });

  // A language with nothing but its own name says so, in its own words when
  // a translator gave them, and draws no «VI» badge (outside QA s28).
  it('tells a language nobody translated from one translated in part', () => {
    setCatalogues({
      vi: { shell: { lang: { self: 'Tiếng Việt', untranslated: 'chưa dịch đủ', none: 'chưa có bản dịch' }, home: { learn: 'Học' } } },
      rad: { shell: { lang: { self: 'Êđê' } } },
      mng: { shell: { lang: { self: "M'nông", none: 'M-none' }, home: { learn: 'M-learn' } } },
    });
    expect(untranslated('rad')).toBe(true);
    expect(untranslated('mng')).toBe(false);
    expect(untranslated('vi')).toBe(false);
    expect(partlyLabel('rad')).toEqual({ text: 'chưa có bản dịch', lang: 'vi', fallback: true });
    expect(partlyLabel('mng')).toEqual({ text: 'chưa dịch đủ', lang: 'vi', fallback: true });
    setCatalogues({});
    mergePackCatalogues({});
  });
});

describe('pack catalogues', () => {
  it('lay the pack translations over the bundled ones; a newer pack replaces them; Vietnamese stays', () => {
    setCatalogues({}); // mergePackCatalogues starts again from the bundled catalogues
    mergePackCatalogues({
      rad: { shell: { home: { learn: 'Hriăm mnơ̆ng' } } },
      vi: { shell: { home: { learn: 'not the build’s own' } } },
      xx: { shell: { home: { learn: 'unknown language' } } },
    });
    expect(lookup('shell.home.learn', 'rad')).toEqual({ text: 'Hriăm mnơ̆ng', lang: 'rad', fallback: false });
    expect(lookup('shell.lang.self', 'rad').text).toBe('Êđê'); // the bundled line is kept
    expect(lookup('shell.home.learn', 'vi').text).toBe('Học kỹ năng số');
    mergePackCatalogues({});
    expect(has('shell.home.learn', 'rad')).toBe(false);
  });
});
