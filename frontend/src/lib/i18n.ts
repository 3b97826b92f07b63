// Translations. Catalogues are JSON files src/i18n/<lang>/<namespace>.json
// (nested objects of strings), bundled at build time. Keys are written
// 'namespace.path.to.key': t('shell.home.learn').
//
// Vietnamese (vi) is complete and is the fallback: a key missing in the
// chosen language shows the Vietnamese text, marked (lang="vi" and a small
// "VI" badge when rendered with <T>), never a blank or a key name.

import { LANGS, type Lang } from './api.gen';
import { session } from './session.svelte';

// The codes are ISO 639 and valid lang="" values: rad = Rade (Ê Đê), mng = Eastern Mnong.
// The list is the Go one (kiosk/lang.Known), generated into api.gen.ts.
export { LANGS, type Lang };
export const FALLBACK: Lang = 'vi';

type Tree = { [key: string]: string | Tree };
export type Catalogues = Record<string, Record<string, Tree>>; // lang → namespace → tree

/** Result of a lookup: the text, the language it is in, and whether it fell back. */
export interface Translation {
  text: string;
  lang: string;
  fallback: boolean;
}

export type Vars = Record<string, string | number>;

function loadBundled(): Catalogues {
  const files = import.meta.glob<Tree>('../i18n/*/*.json', { eager: true, import: 'default' });
  const out: Catalogues = {};
  for (const [path, tree] of Object.entries(files)) {
    const m = /\/i18n\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!m) continue;
    const [, lang, ns] = m as unknown as [string, string, string];
    (out[lang] ??= {})[ns] = tree;
  }
  return out;
}

const bundled: Catalogues = loadBundled();
let catalogues: Catalogues = bundled;

/** Replace the catalogues (tests). */
export function setCatalogues(c: Catalogues): void {
  catalogues = c;
}

/** over laid on base, key by key; neither is changed. */
function overlay(base: Tree | undefined, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    if (typeof v === 'string') out[k] = v;
    else if (v && typeof v === 'object') out[k] = overlay(typeof b === 'object' ? b : undefined, v);
  }
  return out;
}

/**
 * Lay the content pack's catalogues (GET /api/catalogues: translations the
 * province shipped after this build) over the bundled ones. Each call starts
 * again from the bundled catalogues, so a newer pack's lines replace the old
 * pack's. Vietnamese is the build's own and is never replaced.
 */
export function mergePackCatalogues(pack: Record<string, Record<string, unknown>>): void {
  const out: Catalogues = { ...bundled };
  for (const [lang, namespaces] of Object.entries(pack)) {
    if (lang === FALLBACK || !(LANGS as readonly string[]).includes(lang)) continue;
    const merged = { ...bundled[lang] };
    for (const [ns, tree] of Object.entries(namespaces)) {
      if (tree && typeof tree === 'object') merged[ns] = overlay(bundled[lang]?.[ns], tree as Tree);
    }
    out[lang] = merged;
  }
  catalogues = out;
  markUntranslated();
}

function find(lang: string, key: string): string | undefined {
  const dot = key.indexOf('.');
  if (dot < 0) return undefined;
  let node: string | Tree | undefined = catalogues[lang]?.[key.slice(0, dot)];
  for (const part of key.slice(dot + 1).split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' && node !== '' ? node : undefined;
}

function fill(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (all, name: string) => (name in vars ? String(vars[name]) : all));
}

/** Look key up in lang, falling back to Vietnamese. */
export function lookup(key: string, lang: string, vars?: Vars): Translation {
  const own = find(lang, key);
  if (own !== undefined) return { text: fill(own, vars), lang, fallback: false };
  const vi = find(FALLBACK, key);
  if (vi !== undefined) return { text: fill(vi, vars), lang: FALLBACK, fallback: lang !== FALLBACK };
  // A key missing even in Vietnamese is a bug; show something readable, not the key.
  console.error(`i18n: missing key ${key}`);
  return { text: '…', lang: FALLBACK, fallback: true };
}

/** Whether lang has its own text for key (no fallback). */
export function has(key: string, lang: string): boolean {
  return find(lang, key) !== undefined;
}

/**
 * Offered languages with fewer screen lines translated than the set-up's
 * offer_threshold, offered because offer_untranslated names them: the kiosk
 * decides (GET /api/kiosk partly_translated, from kiosk/translate.Offers).
 */
let partlyTranslated: readonly string[] = [];

/** Set the kiosk's partly translated languages (shell.svelte.ts, tests). */
export function setPartlyTranslated(langs: readonly string[]): void {
  partlyTranslated = langs;
}

/**
 * Whether an offered lang's screens are translated to the set-up's
 * offer_threshold (the kiosk compares: GET /api/kiosk, partly_translated);
 * one offered below it is labelled "chưa dịch đủ".
 */
export function shellTranslated(lang: string): boolean {
  return !partlyTranslated.includes(lang);
}

/** How many non-empty strings tree holds. */
function strings(tree: Tree | string | undefined): number {
  if (tree === undefined) return 0;
  if (typeof tree === 'string') return tree === '' ? 0 : 1;
  return Object.values(tree).reduce((n, v) => n + strings(v), 0);
}

/**
 * Whether lang has no screen line of its own beyond its name (shell.lang.self):
 * an offered language nobody has translated yet (offer_untranslated). Its
 * speakers read Vietnamese everywhere, so the chooser says "chưa có bản dịch"
 * rather than "chưa dịch đủ", and the «VI» badge on every line, which then
 * tells nothing, is not drawn (outside QA s28: thirty badges on one screen).
 */
export function untranslated(lang: string): boolean {
  if (lang === FALLBACK) return false;
  const own = Object.values(catalogues[lang] ?? {}).reduce((n, tree) => n + strings(tree), 0);
  // The words about languages (its name, "chưa có bản dịch" in it) are
  // what a translator gives first; they translate no screen (review s28).
  const shell = catalogues[lang]?.shell;
  return own - strings(typeof shell === 'object' ? shell.lang : undefined) === 0;
}

/**
 * Mark the page when the session's language has no line of its own, so
 * app.css draws no «VI» badge; again whenever the catalogues change (a pack's
 * first lines may arrive after the visit chose its language: review s28).
 */
function markUntranslated(): void {
  if (typeof document !== 'undefined') document.documentElement.toggleAttribute('data-no-translation', untranslated(session.lang));
}

/**
 * What the chooser and the attract screen say beside a language offered
 * before its screens are translated, in that language when it has the line
 * (a translator may give it first), else in Vietnamese.
 */
export function partlyLabel(lang: string): Translation {
  return lookup(untranslated(lang) ? 'shell.lang.none' : 'shell.lang.untranslated', lang);
}

/**
 * The language key is shown in: the session's, but staff words (the PIN pad,
 * the staff panel, the usage figures) are always Vietnamese. Commune staff
 * read Vietnamese, whatever language the resident at the screen chose.
 */
function langOf(key: string): string {
  return key.startsWith('shell.staff.') || key.startsWith('usage.') ? FALLBACK : session.lang;
}

/** Text for key in the session's language (reactive inside components). */
export function t(key: string, vars?: Vars): string {
  return lookup(key, langOf(key), vars).text;
}

/** Like t, with the language and fallback flag: for <T> and lang attributes. */
export function tr(key: string, vars?: Vars): Translation {
  return lookup(key, langOf(key), vars);
}

/**
 * The accessible name of a control with no text of its own (an icon button, a
 * row of dots), to spread on it: <button {...named('shell.audio.replay')}>.
 * A name has no lang of its own, so a fallback marks the control itself
 * lang="vi" and a screen reader says the Vietnamese in a Vietnamese voice;
 * a control with translated text inside must not take this.
 */
export function named(key: string, vars?: Vars): { 'aria-label': string; lang?: string } {
  const r = tr(key, vars);
  return r.fallback ? { 'aria-label': r.text, lang: r.lang } : { 'aria-label': r.text };
}

/** Set the session's language (and the page's lang attribute). */
export function setLang(lang: string): void {
  session.lang = (LANGS as readonly string[]).includes(lang) ? lang : FALLBACK;
  markUntranslated();
}
