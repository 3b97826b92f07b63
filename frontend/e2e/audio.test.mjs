// Every screen can be heard, end to end in Chromium against a real `tramso
// serve` whose voice is the real espeak-ng: each resident screen's Play
// button either plays its recording (lesson steps, procedures questions) or
// reads the screen aloud line by line through GET /api/speech, highlighting
// the line being read. "Listen" on the attract screen starts a session that
// reads every screen by itself. Lines keep their language (English text in
// the English voice, the Vietnamese fallback in the Vietnamese one), what a
// resident typed is never sent to the voice, and a kiosk without a voice
// still plays its recordings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EA_KAO, LANDSCAPE, PORTRAIT, axe, startKiosk, newTouchPage, startSession, tap, screenshot, tramsoBin } from './harness.mjs';


/**
 * Every /api/speech and recorded-media request the page makes, in the order
 * made, each filled in with its answer's status and type when it comes (a
 * request cut short by Stop keeps status 0).
 */
function listen(page) {
  const heard = [];
  const sent = new Map();
  page.on('request', (req) => {
    const u = new URL(req.url());
    let h;
    if (u.pathname === '/api/speech') h = { text: u.searchParams.get('text'), lang: u.searchParams.get('lang'), status: 0, type: '' };
    else if (u.pathname.startsWith('/api/media/') && /\.(ogg|mp3|wav)$/.test(u.pathname)) h = { media: u.pathname, status: 0, type: '' };
    if (!h) return;
    heard.push(h);
    sent.set(req, h);
  });
  page.on('response', (res) => {
    const h = sent.get(res.request());
    if (!h) return;
    h.status = res.status();
    h.type = res.headers()['content-type'] ?? '';
  });
  return heard;
}

/** A media answer: 200, or 206 for the ranges WebKit and Chromium ask for. */
const answered = (h) => h.status === 200 || h.status === 206;

/** Distinct spoken texts, in the order first asked for. */
function spoken(heard) {
  return [...new Set(heard.filter((h) => h.text !== undefined).map((h) => h.text))];
}

/** The first line asked of the voice in lang (waits for it). */
async function firstIn(heard, lang) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const h = heard.find((x) => x.lang === lang);
    if (h) return h;
    if (Date.now() > deadline) throw new Error(`no line asked in ${lang}: ${JSON.stringify(heard)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Wait (a little) for a request's answer to arrive. */
async function waitAnswered(h) {
  for (let i = 0; i < 100 && h.status === 0; i++) await new Promise((r) => setTimeout(r, 50));
}

const norm = (s) => s.replace(/\s+/g, ' ').trim();

/** Wait until at least n distinct lines have been asked of the voice. */
async function waitLines(heard, n, what) {
  const deadline = Date.now() + 20_000;
  while (spoken(heard).length < n) {
    if (Date.now() > deadline) throw new Error(`${what}: only ${spoken(heard).length} of ${n} lines asked for: ${JSON.stringify(spoken(heard))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Keep, in the page, the text of each block as it becomes the one being read
 * (the data-reading mark), in order: what the resident sees highlighted.
 * Requests alone cannot say this: a media element reuses a line it fetched
 * before without asking again.
 */
async function logReading(page) {
  await page.evaluate(() => {
    window.__reads = [];
    new MutationObserver((changes) => {
      for (const c of changes) {
        if (c.target.hasAttribute('data-reading')) window.__reads.push(c.target.innerText.replace(/\s+/g, ' ').trim());
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-reading'] });
  });
}

/** The blocks read so far; waits until there are at least n. */
async function reads(page, n = 0) {
  await page.waitForFunction((k) => window.__reads.length >= k, n, { timeout: 30_000 });
  return page.evaluate(() => window.__reads);
}

/** The blocks read so far, once text has been read (reading goes on meanwhile). */
async function readUntil(page, text) {
  await page.waitForFunction((want) => window.__reads.includes(want), text, { timeout: 60_000 });
  return page.evaluate(() => window.__reads);
}

/** Whether want appears in list in this order (other items between are fine). */
function inOrder(list, want) {
  let i = 0;
  for (const x of list) if (x === want[i]) i++;
  return i === want.length;
}

/**
 * Press Play and prove the screen is heard: the audio really plays (the
 * control turns to Stop on the element's "playing" event), the first block
 * read and highlighted is the screen's first words (its title, or the
 * selector given), and every line the voice was asked for answered with
 * audio. Then Stop, and nothing stays marked.
 */
async function hear(page, heard, screenTestid, firstSelector = 'h1') {
  heard.length = 0;
  await page.evaluate(() => (window.__reads = []));
  await tap(page, 'audio-play');
  await page.getByTestId('audio-stop').waitFor({ timeout: 10_000 });
  const [first] = await reads(page, 1);
  const top = norm(await page.locator(`[data-testid="${screenTestid}"] ${firstSelector}`).first().innerText());
  assert.equal(first, top, `${screenTestid}: the reading starts at the top`);
  const marked = page.locator(`[data-testid="${screenTestid}"] [data-reading]`);
  assert.equal(await marked.count(), 1, `${screenTestid}: the line being read is marked on the screen`);
  await tap(page, 'audio-stop');
  await page.getByTestId('audio-play').waitFor();
  assert.equal(await page.locator('[data-reading]').count(), 0, `${screenTestid}: no line stays marked after Stop`);
  for (const h of heard.filter((x) => x.text !== undefined && x.status !== 0)) {
    assert.ok(answered(h), `${screenTestid}: GET /api/speech "${h.text}" answered ${h.status}`);
    assert.match(h.type, /^audio\/wav/);
  }
  return first;
}

/** Press Play on a screen with a recording: the recording plays, nothing is read aloud. */
async function hearRecording(page, heard, what) {
  heard.length = 0;
  await tap(page, 'audio-play');
  await page.getByTestId('audio-stop').waitFor({ timeout: 10_000 });
  const media = heard.filter((h) => h.media);
  assert.ok(media.length > 0, `${what}: the recording was fetched`);
  await waitAnswered(media[0]);
  assert.ok(answered(media[0]), `${what}: recording answered ${media[0].status}`);
  assert.equal(spoken(heard).length, 0, `${what}: a recorded screen is not also read by the voice`);
  await tap(page, 'audio-stop');
  await page.getByTestId('audio-play').waitFor();
}

async function h1(page, testid) {
  return norm(await page.locator(`[data-testid="${testid}"] h1`).first().innerText());
}

test('every resident screen can be heard: read aloud, or its recording', async (t) => {
  const kiosk = await startKiosk({ config: EA_KAO });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  const heard = listen(page);
  await page.goto(kiosk.url);
  await logReading(page);
  await startSession(page);

  await hear(page, heard, 'screen-home');
  assert.ok(spoken(heard).length > 0, 'the kiosk\'s voice was asked for the home screen');

  // Tutorials: the catalogue, a recorded step, a check question, the completion screen.
  await tap(page, 'tile-tutorials');
  await page.getByTestId('screen-tutorials').waitFor();
  await hear(page, heard, 'screen-tutorials');
  await tap(page, 'lesson-personal-data');
  await page.getByTestId('step-1').waitFor();
  await hearRecording(page, heard, 'lesson step 1');
  for (let n = 2; n <= 6; n++) {
    await tap(page, 'step-next');
    await page.getByTestId(`step-${n}`).waitFor();
  }
  await tap(page, 'step-next');
  await page.getByTestId('check-1').waitFor();
  await hear(page, heard, 'screen-lesson', '.module');
  await page.evaluate(() => (window.__reads = []));
  await tap(page, 'audio-play');
  const question = norm(await page.getByTestId('check-1').locator('h2').innerText());
  const answers = (await page.locator('[data-testid^="answer-"]').allInnerTexts()).map(norm);
  const checkReads = await readUntil(page, answers.at(-1));
  assert.ok(inOrder(checkReads, [question, ...answers]), `the question, then each answer: ${JSON.stringify(checkReads)}`);
  await tap(page, 'audio-stop');
  await tap(page, 'answer-1');
  await page.getByTestId('check-right').waitFor();
  await tap(page, 'step-next');
  await page.getByTestId('screen-tutorial-complete').waitFor();
  await hear(page, heard, 'screen-tutorial-complete');

  // Procedures: the entry, a recorded question, the intro, the review and the tailored result.
  await tap(page, 'home');
  await tap(page, 'tile-procedures');
  await page.getByTestId('screen-procedures').waitFor();
  await hear(page, heard, 'screen-procedures');
  await tap(page, 'life-event-em-be');
  await page.locator('[data-testid="screen-procedures-question"][data-question="how"]').waitFor();
  await hearRecording(page, heard, 'procedures question');
  await tap(page, 'answer-office');
  await page.getByTestId('screen-procedures-intro').waitFor();
  await hear(page, heard, 'screen-procedures-intro');
  await tap(page, 'procedures-start');
  await page.locator('[data-testid="screen-procedures-question"][data-question="age"]').waitFor();
  await tap(page, 'answer-on-time');
  await page.locator('[data-testid="screen-procedures-question"][data-question="parents"]').waitFor();
  await tap(page, 'answer-married');
  await page.locator('[data-testid="screen-procedures-question"][data-question="paper"]').waitFor();
  await tap(page, 'answer-yes');
  await page.getByTestId('screen-procedures-review').waitFor();
  await hear(page, heard, 'screen-procedures-review');
  await tap(page, 'review-see-result');
  await page.getByTestId('result-documents').waitFor();
  await hear(page, heard, 'screen-procedures-result');
  // Read in screen order: the procedure, this resident's case, then each paper to bring.
  const docs = await page.locator('[data-testid="result-documents"] li').allInnerTexts();
  await page.evaluate(() => (window.__reads = []));
  await tap(page, 'audio-play');
  const resultReads = await readUntil(page, norm(docs.at(-1)));
  await screenshot(page, 'audio-reading-result-landscape', { keep: true });
  await tap(page, 'audio-stop');
  const title = await h1(page, 'screen-procedures-result');
  assert.ok(inOrder(resultReads, [title, ...docs.map(norm)]), `the title, then every paper in order: ${JSON.stringify(resultReads)}`);

  // Search: the results are read; the keyboard and the typed words never are.
  await tap(page, 'home');
  await tap(page, 'tile-search');
  await page.getByTestId('screen-search').waitFor();
  for (const ch of 'sinh') await tap(page, `key-${ch}`);
  await tap(page, 'key-done');
  await page.locator('[data-testid="search-results"] li').first().waitFor();
  heard.length = 0;
  await hear(page, heard, 'screen-search');
  await page.evaluate(() => (window.__reads = []));
  await tap(page, 'audio-play');
  const first = norm(await page.locator('[data-testid="search-results"] li').first().innerText());
  const searchReads = await readUntil(page, first);
  await tap(page, 'audio-stop');
  for (const line of [...searchReads, ...spoken(heard)]) {
    assert.notEqual(line, 'sinh', 'the typed words are not read');
    assert.ok(line.length > 1, `no keyboard key is read ("${line}")`);
  }
});

test('"listen" on the attract screen reads every screen by itself, in each line\'s language', async (t) => {
  const kiosk = await startKiosk({ config: 'languages: [vi, en, rad, mng]\noffer_untranslated: [rad]\n' });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, PORTRAIT);
  const heard = listen(page);
  await page.goto(kiosk.url);
  await page.getByTestId('attract-listen').waitFor();
  await screenshot(page, 'audio-attract-listen-portrait', { keep: true });
  assert.deepEqual(await axe(page), [], 'axe: the attract screen with its listen button');
  const box = await page.getByTestId('attract-listen').boundingBox();
  assert.ok(box.height >= 64 && box.width >= 64, `the listen button is a large target (${box.width}x${box.height})`);
  await tap(page, 'attract-listen');
  await page.getByTestId('screen-home').waitFor();
  assert.equal(await page.getByTestId('audio-always').getAttribute('aria-pressed'), 'true');

  // Home is read to the end without a touch, then the control rests.
  await page.getByTestId('audio-stop').waitFor({ timeout: 10_000 });
  await page.locator('[data-testid="screen-home"] [data-reading]').first().waitFor();
  await screenshot(page, 'audio-reading-home-portrait', { keep: true });
  assert.deepEqual(await axe(page), [], 'axe: a screen being read aloud');
  await page.getByTestId('audio-play').waitFor({ timeout: 90_000 });
  const home = spoken(heard);
  assert.equal(home[0], await h1(page, 'screen-home'), JSON.stringify(heard));
  const tiles = (await page.locator('[data-testid^="tile-"]').allInnerTexts()).map(norm);
  assert.deepEqual(home.slice(1, 1 + tiles.length), tiles, 'each tile is read, in order');
  assert.ok(heard.every(answered), `every line was spoken: ${JSON.stringify(heard)}`);
  assert.equal(await page.locator('[data-reading]').count(), 0);

  // The next screen is read by itself too.
  heard.length = 0;
  await tap(page, 'tile-tutorials');
  await page.getByTestId('screen-tutorials').waitFor();
  await waitLines(heard, 1, 'catalogue read by itself');
  assert.equal(spoken(heard)[0], await h1(page, 'screen-tutorials'));
  await tap(page, 'audio-stop');

  // English, chosen while reading aloud: the screen is read again by itself,
  // in the English voice.
  await tap(page, 'open-language');
  await page.getByTestId('language-chooser').waitFor();
  heard.length = 0;
  await tap(page, 'lang-en');
  const english = await firstIn(heard, 'en');
  assert.equal(english.text, await h1(page, 'screen-tutorials'));
  await tap(page, 'audio-stop');
  await tap(page, 'home');
  await page.getByTestId('screen-home').waitFor();

  // Ê Đê: the kiosk has no Ê Đê voice, so the Vietnamese fallback is read in Vietnamese and nothing asks for rad.
  await tap(page, 'open-language');
  await tap(page, 'lang-rad');
  await tap(page, 'tile-procedures');
  await page.getByTestId('screen-procedures').waitFor();
  heard.length = 0;
  await tap(page, 'audio-play');
  await waitLines(heard, 2, 'Ê Đê procedures');
  await tap(page, 'audio-stop');
  const asked = heard.filter((h) => h.text !== undefined);
  assert.ok(asked.every((h) => h.lang === 'vi'), `only the Vietnamese voice is asked: ${JSON.stringify(asked.map((h) => h.lang))}`);
});

test('a kiosk without a voice still plays its recordings and says when a screen has none', async (t) => {
  const kiosk = await startKiosk({ config: 'speech:\n  engine: "off"\n' });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  const heard = listen(page);
  await page.goto(kiosk.url);
  await startSession(page);
  const play = page.getByTestId('audio-play');
  assert.equal(await play.isDisabled(), true, 'nothing to play on home without a voice');
  assert.match(await play.innerText(), /Chưa có lời đọc/);
  await tap(page, 'tile-tutorials');
  await tap(page, 'lesson-personal-data');
  await page.getByTestId('step-1').waitFor();
  assert.equal(await play.isDisabled(), false);
  await hearRecording(page, heard, 'lesson step without a voice');
});

test('a person\'s recording of a screen line, shipped in a pack, is played instead of the voice', async (t) => {
  // The province records "Bạn muốn làm gì?", puts it where `tramso pack
  // speech-path` says, signs the pack; the kiosk (voice off) plays it on home.
  const tmp = mkdtempSync(join(tmpdir(), 'tramso-recorded-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const tramso = (...args) => execFileSync(tramsoBin(), args, { encoding: 'utf8' });
  tramso('keygen', '--out', join(tmp, 'key'));
  const src = join(tmp, 'src');
  tramso('pack', 'export-starter', '--out', src);
  const [where] = tramso('pack', 'speech-path', '--lang', 'vi', 'Bạn muốn làm gì?').split('\t');
  mkdirSync(dirname(join(src, where)), { recursive: true });
  copyFileSync(join(src, 'media/shell/vi/idle-warning.ogg'), join(src, where)); // stands in for a person
  const file = join(tmp, 'recorded.tspack');
  tramso('pack', 'build', '--src', src, '--key', join(tmp, 'key', 'province.key'), '--out', file, '--generation', '300');
  const data = join(tmp, 'data');
  const pub = readFileSync(join(tmp, 'key', 'province.pub'), 'utf8').trim();
  const cfg = join(tmp, 'config.yaml');
  writeFileSync(cfg, `speech:\n  engine: "off"\nhub:\n  province_keys: ["${pub}"]\n`);
  tramso('pack', 'apply', '--data', data, '--create-data', '--config', cfg, file); // the kiosk trusts only the keys its config pins

  const kiosk = await startKiosk({ args: ['--data', data, '--config', cfg] });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  const answers = [];
  page.on('response', (res) => {
    const u = new URL(res.url());
    // The attract screen's own question for a recorded invitation (none here:
    // 404) is attract-voice.test.mjs's; this test hears Play on home.
    if (u.pathname === '/api/speech' && !u.searchParams.has('recorded_only')) {
      answers.push(res.headers()['x-tramso-speech'] ?? String(res.status()));
    }
  });
  await page.goto(kiosk.url);
  await logReading(page);
  await startSession(page);
  assert.equal(await page.getByTestId('audio-play').isDisabled(), false, 'a recorded line makes home playable without a voice');
  await tap(page, 'audio-play');
  await page.getByTestId('audio-stop').waitFor({ timeout: 10_000 });
  const [first] = await reads(page, 1);
  assert.equal(first, 'Bạn muốn làm gì?');
  assert.equal(answers[0], 'recording', `the first line came from the recording: ${JSON.stringify(answers)}`);
  await page.getByTestId('audio-play').waitFor({ timeout: 30_000 }); // the other lines have no voice: skipped
  assert.ok(answers.slice(1).every((a) => a === '503'), `the unrecorded lines were skipped: ${JSON.stringify(answers)}`);
});

// WebKitGTK froze the desktop window for good when a media element's
// pipeline was torn down while it was still starting (a GStreamer thread and
// the page's thread wait for each other: lib/audio.svelte.ts). This records,
// in Chromium, every tear-down the page makes (load(), or a second src on one
// element) with the element's state then, and presses Play again in the very
// task that gave a line its source: the old line is cut short while it is
// still starting. It must be let go only once it has started or failed.
test('a line cut short while it is still starting is let go only once it has started', async (t) => {
  const kiosk = await startKiosk();
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.addInitScript(() => {
    const w = /** @type {any} */ (window);
    w.teardowns = [];
    w.replayOnSource = 0;
    const state = (el) => ({ readyState: el.readyState, failed: el.error !== null, network: el.networkState });
    const load = HTMLMediaElement.prototype.load;
    HTMLMediaElement.prototype.load = function () {
      w.teardowns.push(state(this));
      return load.call(this);
    };
    const src = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'src');
    Object.defineProperty(HTMLMediaElement.prototype, 'src', {
      configurable: true,
      get: src.get,
      set(v) {
        if (this.getAttribute('src') !== null) w.teardowns.push(state(this));
        src.set.call(this, v);
        if (w.replayOnSource > 0) {
          w.replayOnSource--;
          queueMicrotask(() => document.querySelector('[data-testid="audio-play"]')?.click());
        }
      },
    });
  });
  await page.goto(kiosk.url);
  await startSession(page);
  await page.evaluate(() => {
    /** @type {any} */ (window).replayOnSource = 3;
  });
  await tap(page, 'audio-play');
  // The last reading goes on: the kiosk still speaks after three quick restarts.
  await page.getByTestId('audio-stop').waitFor({ timeout: 20_000 });
  await tap(page, 'audio-stop');
  await page.waitForTimeout(500);
  const teardowns = await page.evaluate(() => /** @type {any} */ (window).teardowns);
  assert.ok(teardowns.length >= 3, `the cut lines were let go: ${JSON.stringify(teardowns)}`);
  const early = teardowns.filter((s) => s.readyState < 1 && !s.failed && s.network !== 0);
  assert.deepEqual(early, [], `torn down while still starting: ${JSON.stringify(teardowns)}`);
});
