// The attract screen's spoken invitation, end to end in Chromium against a
// real `tramso serve` whose voice is the real espeak-ng: with a person's
// recording of the Vietnamese invitation in a signed pack, the attract
// screen plays exactly that recording (GET /api/speech?recorded_only=1),
// never the synthetic voice and never English, which has none; once, not
// again within attract_voice_minutes, even after a session; a touch stops
// it. With no recording in the pack nothing is asked at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LANDSCAPE, endSession, launchChromium, newTouchPage, startKiosk, startSession, tramsoBin } from './harness.mjs';

const INVITE = 'Chạm vào màn hình để bắt đầu'; // shell.attract.touch in vi
const CONFIG = 'languages: [vi, en]\nattract_voice_minutes: 1\n';
const CYCLE_MS = 2 * 4000 + 1500; // both languages' invitations shown once, and a margin

/** Every /api/speech request, with its answer's source header or status once it comes. */
function listen(page) {
  const asked = [];
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.pathname === '/api/speech') asked.push({ params: Object.fromEntries(u.searchParams), answer: '' });
  });
  page.on('response', (res) => {
    const u = new URL(res.url());
    if (u.pathname !== '/api/speech') return;
    const a = asked.find((x) => x.answer === '' && x.params.text === u.searchParams.get('text'));
    if (a) a.answer = res.headers()['x-tramso-speech'] ?? String(res.status());
  });
  return asked;
}

/** Keep every Audio the page creates, to see whether it sounded and was stopped. */
async function watchAudio(page) {
  await page.addInitScript(() => {
    window.__audios = [];
    const play = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function () {
      window.__audios.push(this);
      const playing = play.call(this);
      playing.catch((err) => (this.dataset.refused = err.name));
      return playing;
    };
  });
}

const audios = (page) =>
  page.evaluate(() => window.__audios.map((a) => ({ src: a.src, paused: a.paused, ended: a.ended, time: a.currentTime, refused: a.dataset.refused ?? '' })));

async function until(what, check, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A signed pack holding a recording of the Vietnamese invitation, applied to a fresh data folder. */
function recordedKiosk(tmp) {
  const tramso = (...args) => execFileSync(tramsoBin(), args, { encoding: 'utf8' });
  tramso('keygen', '--out', join(tmp, 'key'));
  const src = join(tmp, 'src');
  tramso('pack', 'export-starter', '--out', src);
  const [where] = tramso('pack', 'speech-path', '--lang', 'vi', INVITE).split('\t');
  mkdirSync(dirname(join(src, where)), { recursive: true });
  copyFileSync(join(src, 'media/shell/vi/idle-warning.ogg'), join(src, where)); // stands in for a person
  const file = join(tmp, 'invite.tspack');
  tramso('pack', 'build', '--src', src, '--key', join(tmp, 'key', 'province.key'), '--out', file, '--generation', '500');
  const data = join(tmp, 'data');
  const pub = readFileSync(join(tmp, 'key', 'province.pub'), 'utf8').trim();
  const cfg = join(tmp, 'config.yaml');
  writeFileSync(cfg, `${CONFIG}hub:\n  province_keys: ["${pub}"]\n`);
  tramso('pack', 'apply', '--data', data, '--create-data', '--config', cfg, file);
  return { where, args: ['--data', data, '--config', cfg] };
}

test('the attract screen plays the recorded invitation, once per interval, and a touch stops it', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'tramso-attract-voice-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const { args } = recordedKiosk(tmp);
  // Nobody has touched an unattended kiosk: its browser must let sound play
  // without a gesture. WebKitGTK (the desktop window) does by default; a
  // Chromium kiosk needs this switch, else play() is refused (NotAllowedError).
  const browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
  t.after(() => browser.close());
  const kiosk = await startKiosk({ args, browser });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await watchAudio(page);
  const asked = listen(page);
  await page.goto(kiosk.url);

  await until('the recorded invitation', async () => asked.length > 0 && (await audios(page)).length > 0);
  assert.deepEqual(asked[0].params, { lang: 'vi', text: INVITE, recorded_only: '1' });
  await until('its answer', () => asked[0].answer !== '');
  assert.equal(asked[0].answer, 'recording', 'the recording, not the voice');
  await until('the recording sounding', async () => (await audios(page))[0].time > 0).catch(async (err) => {
    throw new Error(`${err.message}: ${JSON.stringify(await audios(page))}`);
  });

  // A touch starts a session and silences it at once.
  await startSession(page);
  const [heard] = await audios(page);
  assert.ok(heard.paused && !heard.ended, `stopped mid-line by the touch: ${JSON.stringify(heard)}`);

  // Back on the attract screen within the minute: no second invitation.
  await endSession(page);
  await new Promise((r) => setTimeout(r, CYCLE_MS));
  assert.equal(asked.length, 1, `one invitation per interval, never the voice: ${JSON.stringify(asked)}`);
  assert.equal((await audios(page)).length, 1);
});

test('with no recording of the invitation the attract screen asks for nothing', async (t) => {
  const kiosk = await startKiosk({ config: CONFIG }); // the starter content: no recorded lines
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, LANDSCAPE);
  const asked = listen(page);
  await page.goto(kiosk.url);
  await page.getByTestId('attract-touch').waitFor();
  await new Promise((r) => setTimeout(r, CYCLE_MS));
  assert.deepEqual(asked, [], 'no speech asked on an unattended kiosk');
});
