// Privacy of the usage log, end to end: a resident types a name and an
// ID-like number into search through the real UI (touching the on-screen
// keyboard, and once on a physical keyboard), the kiosk logs the visit, and
// then neither string is anywhere in the database — read as raw bytes from
// tramso.db and its WAL after the log has been flushed, nor in the page's web
// storage. As a control, the same bytes do hold the visit's events and the
// search result that was chosen.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LANDSCAPE, newTouchPage, startKiosk, startSession, tap } from './harness.mjs';
import { configWithPIN } from './staff.mjs';

const PIN = '246813';
const NAME = 'trần thị mỹ linh'; // typed by touch
const OTHER_NAME = 'Nguyễn Văn An'; // typed on a physical keyboard
const ID_NUMBER = '079203004512'; // the shape of a citizen ID number

/** Touch the on-screen keys that type text (letters, tones, digits). */
async function typeByTouch(page, keys) {
  for (const k of keys) await tap(page, k);
}

/** Every way the text could have been stored. */
function forms(text) {
  const folded = text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
  const variants = new Set([text, text.toLowerCase(), text.toUpperCase(), folded, folded.toLowerCase(), folded.toUpperCase()]);
  const out = [];
  for (const v of variants) {
    for (const nf of ['NFC', 'NFD']) {
      out.push(Buffer.from(v.normalize(nf), 'utf8'), Buffer.from(v.normalize(nf), 'utf16le'));
    }
  }
  return out;
}

/** Open staff mode over the API; returns the staff token. */
async function staffLogin(kiosk) {
  const login = await fetch(kiosk.url + 'api/staff/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ pin: PIN }),
  });
  assert.equal(login.status, 200, 'staff login');
  return (await login.json()).token;
}

/** The staff figures, which also make the kiosk write what it has queued. */
async function staffInsights(kiosk, token) {
  const res = await fetch(kiosk.url + 'api/staff/usage', { headers: { 'X-Staff-Token': token } });
  assert.equal(res.status, 200, 'GET /api/staff/usage');
  return res.json();
}

test('typed search text never reaches the database', async (t) => {
  const kiosk = await startKiosk({ config: configWithPIN(PIN) });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.goto(kiosk.url);
  await startSession(page);
  await tap(page, 'tile-search');
  await page.getByTestId('screen-search').waitFor();
  const input = page.getByTestId('search-input');

  // A name, by touch: letters, then the tone key for each word.
  await typeByTouch(page, ['key-t', 'key-r', 'key-â', 'key-n', 'tone-grave', 'key-space',
    'key-t', 'key-h', 'key-i', 'tone-dot', 'key-space', 'key-m', 'key-y', 'tone-tilde', 'key-space',
    'key-l', 'key-i', 'key-n', 'key-h']);
  assert.equal((await input.inputValue()).normalize('NFC'), NAME.normalize('NFC'));
  await tap(page, 'key-done');

  // An ID-like number, by touch on the digit keys.
  await tap(page, 'key-clear');
  await tap(page, 'key-mode');
  await typeByTouch(page, [...ID_NUMBER].map((d) => 'key-' + d));
  assert.equal(await input.inputValue(), ID_NUMBER);
  await tap(page, 'key-done');

  // Another name, on a physical keyboard, submitted with Enter.
  await tap(page, 'key-clear');
  await input.focus();
  await page.keyboard.type(OTHER_NAME);
  assert.equal(await input.inputValue(), OTHER_NAME);
  await page.keyboard.press('Enter');

  // A real search, and the result chosen: this much may be logged.
  await tap(page, 'key-clear');
  await input.focus();
  await page.keyboard.type('khai sinh');
  await page.keyboard.press('Enter');
  const hit = page.locator('[data-testid^="search-hit-"]').first();
  await hit.waitFor();
  const chosen = (await hit.getAttribute('data-testid')).slice('search-hit-'.length);
  await hit.tap();

  // The resident leaves: the session ends and the page sends what waits.
  await tap(page, 'end-session');
  await tap(page, 'end-confirm-yes');
  await page.getByTestId('attract').waitFor();

  // Nor in the page's own storage, which outlives a session (the desktop
  // window keeps sessionStorage across its page's renewals): the only key is
  // the attract screen's last invitation time.
  const storage = await page.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage } }));
  assert.deepEqual(Object.keys(storage.local), [], `localStorage: ${JSON.stringify(storage.local)}`);
  for (const key of Object.keys(storage.session)) {
    assert.equal(key, 'tramso.attract-voice.last', `sessionStorage: ${JSON.stringify(storage.session)}`);
  }

  // Wait until the kiosk has the whole visit (the page sends without
  // waiting); each read of the staff figures flushes the writer first.
  const token = await staffLogin(kiosk);
  let figures;
  for (let i = 0; i < 100; i++) {
    figures = await staffInsights(kiosk, token);
    const viewed = [...(figures.procedures ?? []), ...(figures.tutorials ?? [])].some((p) => p.id === chosen);
    if (figures.periods[0].sessions >= 1 && figures.search.none >= 1 && figures.search.results >= 1 && figures.periods[0].avg_seconds > 0 && viewed) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(figures.periods[0].sessions >= 1, `the visit was logged: ${JSON.stringify(figures.periods[0])}`);
  assert.ok(figures.search.none >= 1 && figures.search.results >= 1, `searches were logged: ${JSON.stringify(figures.search)}`);
  assert.ok(figures.state.enabled && figures.state.written > 0, `logging works: ${JSON.stringify(figures.state)}`);

  const files = ['tramso.db', 'tramso.db-wal', 'tramso.db-shm'].map((f) => join(kiosk.dataDir, f)).filter((f) => existsSync(f));
  assert.ok(files.length >= 2, `database and WAL present: ${files}`);
  const bytes = Buffer.concat(files.map((f) => readFileSync(f)));

  // Control: the bytes read do hold the visit.
  for (const expected of ['session_started', 'screen_viewed', 'search', chosen]) {
    assert.ok(bytes.includes(Buffer.from(expected)), `control: ${expected} is in the database bytes`);
  }
  for (const typed of [NAME, OTHER_NAME, ID_NUMBER]) {
    for (const form of forms(typed)) {
      assert.equal(bytes.indexOf(form), -1, `typed text ${JSON.stringify(typed)} found in the database (${form.length} bytes)`);
    }
  }
});
