// The recording studio (issue 17) end to end, in Chromium with a fake
// microphone that plays a WAV this test writes (a 440 Hz tone standing in
// for a native speaker): an editor opens the kiosk's shell lines in
// Vietnamese, records the attract screen's invitation with the browser's
// MediaRecorder, listens, records again, saves; the hub keeps it as Ogg
// Opus at the line's speech path in a change; the kiosk preview of that
// change answers that line with the recording, and the kiosk's attract
// screen plays it. A viewer listens but gets no microphone.
//
// One hub serves every test; the tests run in order and build on each
// other's state.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchChromium } from './harness.mjs';
import { PHONE, checkPage, consoleAs, press, submit, startHub } from './hub.mjs';

const as = (account) => consoleAs(browser, hub, account);

const EDITOR = { user: 'bientap', password: 'bien-tap-vien-2026', role: 'editor' };
const VIEWER = { user: 'xem', password: 'nguoi-xem-2026', role: 'viewer' };
const KIOSK_SIZE = { width: 1920, height: 1080 };
const INVITE = 'Chạm vào màn hình để bắt đầu'; // shell.attract.touch in vi, what the attract screen says
const CTXT = 'shell:shell.attract.touch';

let browser, hub, tmp, change;

/** A mono 16-bit 48 kHz WAV of a tone, seconds long, for Chromium's fake microphone. */
function toneWav(seconds, hz = 440) {
  const rate = 48000;
  const n = Math.round(seconds * rate);
  const b = Buffer.alloc(44 + 2 * n);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + 2 * n, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16); // fmt chunk size
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(2 * rate, 28); // bytes per second
  b.writeUInt16LE(2, 32); // block align
  b.writeUInt16LE(16, 34); // bits
  b.write('data', 36);
  b.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(12000 * Math.sin((2 * Math.PI * hz * i) / rate)), 44 + 2 * i);
  return b;
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'tramso-record-e2e-'));
  const wav = join(tmp, 'giong-doc.wav');
  writeFileSync(wav, toneWav(3));
  browser = await launchChromium([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream', // grants the microphone as a person would
    `--use-file-for-fake-audio-capture=${wav}`,
    // The preview's attract screen speaks unattended, as a kiosk does.
    '--autoplay-policy=no-user-gesture-required',
  ]);
  hub = await startHub({ accounts: [EDITOR, VIEWER] });
});

after(async () => {
  await hub?.stop();
  await browser?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The line of the page whose msgctxt is ctxt. */
const lineOf = (page, ctxt) => page.locator(`li.record-line[data-ctxt="${ctxt}"]`);

test('an editor records the invitation with the microphone, listens, records again and saves it as Ogg Opus', async () => {
  const page = await as(EDITOR);
  await press(page, page.getByRole('link', { name: 'Nội dung', exact: true }));
  await press(page, page.getByRole('link', { name: 'Ghi âm giọng người đọc' }));
  await press(page, page.getByRole('link', { name: 'Tiếng Việt' }));
  assert.match(await page.getByTestId('record-coverage').innerText(), /^Đã ghi âm 0 trên \d+ dòng Tiếng Việt/);
  await checkPage(page, 'record-list');
  await press(page, page.getByRole('link', { name: 'Màn hình kiosk: shell · attract' }));
  await submit(page, page.getByRole('button', { name: 'Ghi âm vào thay đổi này' }));
  change = new URL(page.url()).searchParams.get('change');
  assert.ok(change, `recording happens in a change: ${page.url()}`);

  const line = lineOf(page, CTXT);
  assert.equal(await line.locator('.record-text').innerText(), INVITE);
  const state = line.getByRole('status');
  await press(page, line.getByRole('button', { name: 'Ghi âm' }));
  await state.filter({ hasText: /^Đang ghi… 0:01$/ }).waitFor();
  // Recording moved the focus to "Dừng": the keyboard stops it.
  await page.keyboard.press('Enter');
  await state.filter({ hasText: 'Đã ghi xong' }).waitFor();
  await press(page, line.getByRole('button', { name: 'Nghe lại' }));

  await press(page, line.getByRole('button', { name: 'Ghi lại' }));
  await state.filter({ hasText: /^Đang ghi… 0:02$/ }).waitFor();
  await press(page, line.getByRole('button', { name: 'Dừng' }));
  await state.filter({ hasText: 'Đã ghi xong' }).waitFor();
  await press(page, line.getByRole('button', { name: 'Lưu' }));
  await state.filter({ hasText: /^Đã lưu$/ }).waitFor();
  assert.equal(await line.locator('audio').count(), 1, 'the saved recording is on the line');
  await checkPage(page, 'record-lines');

  await page.reload();
  assert.match(await page.getByTestId('record-coverage').innerText(), /^Đã ghi âm 1 trên \d+ dòng/);
  assert.equal(await lineOf(page, CTXT).locator('.record-now .badge').innerText(), 'Đã ghi âm');

  // What the kiosk would play for the line: the recording, as Ogg Opus.
  const res = await page.request.get(`${hub.url}/admin/content/preview/${change}/api/speech?${new URLSearchParams({ lang: 'vi', text: INVITE, recorded_only: '1' })}`);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['x-tramso-speech'], 'recording');
  const ogg = await res.body();
  assert.equal(ogg.subarray(0, 4).toString(), 'OggS');
  assert.equal(ogg.subarray(28, 36).toString(), 'OpusHead');
  // The second take (stopped past 0:02), not the first (0:01): the last page's granule at 48 kHz.
  const seconds = Number(ogg.readBigInt64LE(ogg.lastIndexOf('OggS') + 6)) / 48000;
  assert.ok(seconds >= 2 && seconds < 4, `the saved take lasts ${seconds} s`);

  // The reviewer plays it on the change's page, where it is listed.
  await page.goto(`${hub.url}/admin/content/changes/${change}`);
  const player = page.getByTestId('media-new');
  assert.equal(await player.evaluate((a) => a.tagName), 'AUDIO');
  const played = await page.request.get(new URL(await player.getAttribute('src'), page.url()).href);
  assert.equal(played.status(), 200);
  assert.deepEqual(await played.body(), ogg, 'the player plays the saved take');
  await checkPage(page, 'change-recording');
  await page.setViewportSize(PHONE);
  await checkPage(page, 'change-recording');
  await page.context().close();
});

test('the kiosk preview of the change plays the recording on its attract screen', async () => {
  const page = await as(VIEWER);
  await page.setViewportSize(KIOSK_SIZE);
  await page.addInitScript(() => {
    window.__audios = [];
    const play = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function () {
      window.__audios.push(this);
      return play.call(this);
    };
  });
  const answers = [];
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (u.pathname.endsWith('/api/speech')) answers.push({ text: u.searchParams.get('text'), from: r.headers()['x-tramso-speech'] ?? String(r.status()) });
  });
  await page.goto(`${hub.url}/admin/content/preview/${change}/?lang=vi`);
  const heard = () => page.evaluate(() => window.__audios.map((a) => ({ src: a.src, time: a.currentTime, error: a.error?.code ?? 0 })));
  const deadline = Date.now() + 20_000;
  for (;;) {
    // The kiosk fetches the line and plays it from a blob: URL.
    if (answers.length > 0 && (await heard()).some((a) => a.time > 1)) break;
    if (Date.now() > deadline) assert.fail(`the attract screen played nothing: ${JSON.stringify({ answers, audios: await heard() })}`);
    await page.waitForTimeout(100); // poll interval
  }
  // The one line asked for is the invitation, answered by the recording, never the voice.
  assert.deepEqual(answers, [{ text: INVITE, from: 'recording' }]);
  await page.context().close();
});

test('a viewer listens to the recording but gets no microphone', async () => {
  const page = await as(VIEWER);
  await page.goto(`${hub.url}/admin/content/record/vi?change=${change}&group=shell%3Ashell.attract`);
  const line = lineOf(page, CTXT);
  assert.equal(await line.locator('audio[controls]').count(), 1);
  assert.equal(await page.getByRole('button', { name: 'Ghi âm', exact: true }).count(), 0);
  assert.equal(await page.locator('script').count(), 0);
  await page.context().close();
});
