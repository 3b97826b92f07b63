// Ê Đê by PO file, end to end: the province exports every line a resident
// sees (`tramso pack translations export`), translators fill it (here a test
// fixture: "[rad] " before the Vietnamese of every shell line), import checks
// it, the pack is built and applied, and the kiosk offers Êđê and shows its
// lines. A file with a broken placeholder or a letter outside the kiosk's
// font is refused, naming the line, and changes nothing.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LANDSCAPE, newTouchPage, startKiosk, startSession, tap, tramsoBin } from './harness.mjs';

/** Fill every untranslated shell entry of a PO file with text(msgid, msgctxt). */
function fillShell(po, text) {
  return po
    .split('\n\n')
    .map((entry) => {
      const ctxt = /^msgctxt "(shell:[^"]*)"$/m.exec(entry)?.[1];
      if (!ctxt || !/^msgstr ""$/m.test(entry)) return entry;
      // The msgid: its first line and any continuation lines, as PO strings.
      const id = /^msgid ((?:".*"\n?)+)/m.exec(entry)[1].trim().split('\n').map((s) => JSON.parse(s)).join('');
      return entry.replace(/^msgstr ""$/m, `msgstr ${JSON.stringify(text(id, ctxt))}`);
    })
    .join('\n\n');
}

/** The line of a PO file holding the msgstr of msgctxt. */
function msgstrLine(po, ctxt) {
  const lines = po.split('\n');
  const at = lines.indexOf(`msgctxt "${ctxt}"`);
  return at + 1 + lines.slice(at).findIndex((l) => l.startsWith('msgstr '));
}

/**
 * A province's workshop in a temporary folder, removed after the test: a
 * key, the starter content exported to src, and its Ê Đê PO file (po).
 */
function workshop(t) {
  const tmp = mkdtempSync(join(tmpdir(), 'tramso-translations-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const tramso = (...args) => execFileSync(tramsoBin(), args, { encoding: 'utf8' });
  tramso('keygen', '--out', join(tmp, 'key'));
  const src = join(tmp, 'src');
  tramso('pack', 'export-starter', '--out', src);
  const exported = join(tmp, 'rad.po');
  tramso('pack', 'translations', 'export', '--src', src, '--lang', 'rad', '--out', exported);
  return { tmp, tramso, src, po: readFileSync(exported, 'utf8') };
}

/** Import po into the workshop's content, build the pack and apply it to a new data folder: the kiosk's arguments. */
function packWith(w, po, config) {
  const { tmp, tramso, src } = w;
  const file = join(tmp, 'rad-filled.po');
  writeFileSync(file, po);
  tramso('pack', 'translations', 'import', '--src', src, '--lang', 'rad', file);
  const pack = join(tmp, 'rad.tspack');
  tramso('pack', 'build', '--src', src, '--key', join(tmp, 'key', 'province.key'), '--out', pack, '--generation', '400');
  const data = join(tmp, 'data');
  const pub = readFileSync(join(tmp, 'key', 'province.pub'), 'utf8').trim();
  const cfg = join(tmp, 'config.yaml');
  writeFileSync(cfg, `${config}speech:\n  engine: "off"\nhub:\n  province_keys: ["${pub}"]\n`);
  tramso('pack', 'apply', '--data', data, '--create-data', '--config', cfg, pack);
  return ['--data', data, '--config', cfg];
}

test('a PO file translated into Ê Đê reaches the kiosk through a pack; a bad one is refused by line', async (t) => {
  const w = workshop(t);
  const { tmp, src, po } = w;
  assert.match(po, /^"Language: rad\\n"$/m);
  assert.match(po, /^"Plural-Forms: nplurals=1; plural=0;\\n"$/m);

  // Test fixture, not Ê Đê: every shell line marked, one with the Ê Đê breve letters.
  const filled = fillShell(po, (id, ctxt) => (ctxt === 'shell:shell.home.learn' ? 'Hriăm mnơ̆ng čŏ kơ ñu' : `[rad] ${id}`));

  // A broken placeholder and a glyph the font lacks: refused, both named, nothing written.
  const bad = fillShell(po, (id, ctxt) => {
    if (ctxt === 'shell:shell.home.learn_count') return 'bài học'; // {n} lost
    if (ctxt === 'shell:shell.home.title') return 'Ih čiăng ngă ☃?'; // no such glyph in Noto Sans
    return `[rad] ${id}`;
  });
  const badFile = join(tmp, 'bad.po');
  writeFileSync(badFile, bad);
  const refused = spawnSync(tramsoBin(), ['pack', 'translations', 'import', '--src', src, '--lang', 'rad', badFile], {
    encoding: 'utf8',
  });
  assert.equal(refused.status, 1, refused.stderr);
  assert.ok(
    refused.stderr.includes(`bad.po:line ${msgstrLine(bad, 'shell:shell.home.learn_count')} (shell:shell.home.learn_count): placeholders [{n}]`),
    refused.stderr,
  );
  assert.ok(
    refused.stderr.includes(`bad.po:line ${msgstrLine(bad, 'shell:shell.home.title')} (shell:shell.home.title): character "☃" (U+2603)`),
    refused.stderr,
  );
  assert.equal(existsSync(join(src, 'i18n')), false, 'a refused file changed nothing');

  const args = packWith(w, filled, 'languages: [vi, en, rad, mng]\n');
  assert.match(w.tramso('pack', 'translations', 'status', '--src', src), /^rad +(\d+)\/\1 100% /m);

  const kiosk = await startKiosk({ args });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await startSession(page);
  await tap(page, 'open-language');
  const chooser = page.getByTestId('language-chooser');
  await chooser.getByTestId('lang-rad').waitFor();
  assert.equal(await chooser.getByTestId('lang-rad-untranslated').count(), 0, 'Êđê is translated now');
  assert.equal(await chooser.getByTestId('lang-mng').count(), 0, "M'nông, still untranslated, is not offered");
  await tap(page, 'lang-rad');
  await page.getByText('Hriăm mnơ̆ng čŏ kơ ñu').waitFor();
  assert.match(await page.getByTestId('screen-home').innerText(), /\[rad\] Bạn muốn làm gì\?/);
});

// A language translated in part, offered by the set-up below the threshold:
// "chưa dịch đủ", and each line still in Vietnamese carries the «VI» badge
// while its translated lines do not.
test('a partly translated language is labelled so, and marks its Vietnamese lines', async (t) => {
  const w = workshop(t);
  // Test fixture, not Ê Đê: one line of the home screen.
  const one = fillShell(w.po, (id, ctxt) => (ctxt === 'shell:shell.home.learn' ? 'Hriăm mnơ̆ng čŏ kơ ñu' : ''));
  const kiosk = await startKiosk({ args: packWith(w, one, 'languages: [vi, rad, mng]\noffer_untranslated: [rad, mng]\n') });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await page.getByTestId('attract-lang-rad-untranslated').waitFor();
  assert.equal(await page.getByTestId('attract-lang-rad-untranslated').innerText(), 'chưa dịch đủ');
  assert.equal(await page.getByTestId('attract-lang-mng-untranslated').innerText(), 'chưa có bản dịch');
  await tap(page, 'attract-lang-rad');
  await page.getByText('Hriăm mnơ̆ng čŏ kơ ñu').waitFor();
  await tap(page, 'open-language');
  assert.match(await page.getByTestId('language-chooser').innerText(), /Chỗ nào có nhãn «VI» là chưa dịch/);
  await tap(page, 'language-close');
  const title = page.locator('h1 [data-fallback="vi"]');
  assert.equal(await title.innerText(), 'Bạn muốn làm gì?');
  // Drawn "VI", with empty alternative text: seen, not read aloud.
  assert.equal(await title.evaluate((el) => getComputedStyle(el, '::after').content), '"VI" / ""', 'a visible VI badge marks the fallback');
  assert.equal(await page.getByText('Hriăm mnơ̆ng čŏ kơ ñu').locator('[data-fallback]').count(), 0);
});
