// Opening hours: outside them the kiosk shows a "closed" notice with the hours
// instead of the attract screen, goes dark after a while, and a touch brings
// the notice back. Open or closed is decided by the kiosk (GET /api/hours).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PORTRAIT, axe, newTouchPage, screenshot, startKiosk, startSession, tap } from './harness.mjs';
import { configWithPIN, openStaff } from './staff.mjs';

const PIN = '482916';

// Vietnam's wall clock now (UTC+7 all year).
function vietnamMinute() {
  const now = new Date(Date.now() + 7 * 3600_000);
  return now.getUTCHours() * 60 + now.getUTCMinutes();
}

// Every day open 00:00-00:01: closed now (unless it is that very minute), and
// closed recently enough not to be dark yet.
const JUST_CLOSED = `schedule:
  opening_hours: {mon: "00:00-00:01", tue: "00:00-00:01", wed: "00:00-00:01", thu: "00:00-00:01", fri: "00:00-00:01", sat: "00:00-00:01", sun: "00:00-00:01"}
  closed_blank_after_minutes: 1440
`;

test('outside opening hours: the closed notice, with the hours, and no session', async (t) => {
  while (vietnamMinute() < 2) await new Promise((r) => setTimeout(r, 5000)); // the minute it is open
  const kiosk = await startKiosk({ config: JUST_CLOSED + configWithPIN(PIN) });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk);
  await page.goto(kiosk.url);
  const notice = page.getByTestId('screen-closed');
  await notice.waitFor();
  assert.equal(await notice.getAttribute('data-dark'), 'false');
  assert.match(await notice.innerText(), /Trạm Số đang nghỉ/);
  assert.match(await page.getByTestId('closed-today').innerText(), /00:00–00:01/);
  assert.match(await page.getByTestId('closed-reopens').innerText(), /Mở cửa lại lúc 00:00 ngày mai/);
  await notice.tap();
  assert.equal(await page.getByTestId('screen-home').count(), 0, 'a touch while closed must not start a session');
  // The touch reads the notice aloud, from its title (the kiosk's voice; no session needed).
  await page.locator('[data-testid="screen-closed"] h1[data-reading]').waitFor({ timeout: 10_000 });
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'closed-notice', { keep: true });
  // Staff may open the panel while closed; it says the kiosk is closed.
  await openStaff(page, PIN);
  assert.match(await page.getByTestId('staff-closed-now').innerText(), /ngoài giờ mở cửa/);
});

test('before any session the closed notice is also in each offered language that has it', async (t) => {
  while (vietnamMinute() < 2) await new Promise((r) => setTimeout(r, 5000)); // the minute it is open
  // rad is offered but has no closed notice of its own: it must not appear as Vietnamese under its name.
  const kiosk = await startKiosk({ config: JUST_CLOSED + 'languages: [vi, en, rad]\noffer_untranslated: [rad]\n' });
  t.after(() => kiosk.stop());
  for (const [name, viewport] of [['landscape', undefined], ['portrait', PORTRAIT]]) {
    const page = await newTouchPage(kiosk, viewport);
    await page.goto(kiosk.url);
    const notice = page.getByTestId('screen-closed');
    await notice.waitFor();
    const other = page.getByTestId('closed-other');
    await other.waitFor();
    assert.equal(await other.getAttribute('lang'), 'en');
    assert.match(await other.innerText(), /Trạm Số is closed[\s\S]*Opens again at 00:00 tomorrow/);
    const text = await notice.innerText();
    assert.ok(text.indexOf('Trạm Số đang nghỉ') < text.indexOf('Trạm Số is closed'), 'Vietnamese first');
    // Only one other language has the notice: it stays put (no rotation to rad).
    await page.waitForTimeout(6500);
    assert.equal(await other.getAttribute('lang'), 'en');
    assert.equal(await page.locator('[data-testid="screen-closed"] [lang="rad"]').count(), 0);
    assert.deepEqual(await axe(page), []);
    await screenshot(page, `closed-notice-languages-${name}`, { keep: true });
    await page.close();
  }
});

test('closed long enough: the screen rests dark, a touch shows the hours again', async (t) => {
  // Open on no day at all: closed "forever", so dark at once.
  const kiosk = await startKiosk({ config: 'schedule:\n  opening_hours: {sun: closed}\n' });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk);
  await page.goto(kiosk.url);
  const notice = page.getByTestId('screen-closed');
  await notice.waitFor();
  assert.equal(await notice.getAttribute('data-dark'), 'true');
  assert.equal((await notice.innerText()).trim(), '', 'a resting screen shows nothing');
  await notice.tap();
  await page.waitForFunction(() => document.querySelector('[data-testid=screen-closed]')?.getAttribute('data-dark') === 'false');
  assert.match(await notice.innerText(), /Hôm nay không mở cửa/);
});

test('without opening hours the kiosk is always open', async (t) => {
  const kiosk = await startKiosk({ config: 'commune: {name: Ea Kao}\n' });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk);
  await page.goto(kiosk.url);
  await page.getByTestId('attract').waitFor();
  await page.waitForResponse((r) => r.url().endsWith('/api/hours'));
  assert.equal(await page.getByTestId('screen-closed').count(), 0);
});

test('a resident in a session is told closing time in the last quarter hour', async (t) => {
  while (vietnamMinute() >= 23 * 60 + 57) await new Promise((r) => setTimeout(r, 5000)); // no room before midnight
  const close = Math.min(vietnamMinute() + 10, 23 * 60 + 59);
  const hhmm = `${String(Math.floor(close / 60)).padStart(2, '0')}:${String(close % 60).padStart(2, '0')}`;
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => `${d}: "00:00-${hhmm}"`).join(', ');
  const kiosk = await startKiosk({ config: `schedule:\n  opening_hours: {${days}}\n` });
  t.after(() => kiosk.stop());
  const page = await newTouchPage(kiosk, PORTRAIT);
  await page.goto(kiosk.url);
  await startSession(page);
  const note = page.getByTestId('closing-note');
  await note.waitFor();
  const text = await note.innerText();
  assert.match(text, new RegExp(`Trạm Số nghỉ lúc ${hhmm}, còn khoảng \\d+ phút`));
  const minutes = Number(/khoảng (\d+) phút/.exec(text)[1]);
  assert.ok(minutes >= 1 && minutes <= 11, `minutes left: ${minutes}`);
  // It covers nothing: the screen below it starts where the note ends, and a
  // tile still opens its screen.
  await tap(page, 'text-size-3');
  await tap(page, 'contrast');
  const noteBox = await note.boundingBox();
  const screenBox = await page.locator('main.screen .screen-scroll').boundingBox();
  assert.ok(screenBox.y >= noteBox.y + noteBox.height - 1, `note ${JSON.stringify(noteBox)}, screen ${JSON.stringify(screenBox)}`);
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'closing-note-portrait-3', { keep: true });
  // Read aloud first, for a resident who cannot read it.
  await tap(page, 'audio-play');
  await page.locator('[data-testid="closing-note"] [data-reading], [data-testid="closing-note"][data-reading]').waitFor({ timeout: 10_000 });
  await tap(page, 'audio-stop');
  await tap(page, 'tile-search');
  await page.getByTestId('screen-search').waitFor();
  await note.waitFor();
});
