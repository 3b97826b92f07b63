// A session that ends mid-lesson — "Kết thúc" or the idle wipe — still sends
// the lesson's tutorial_abandoned, in the same usage session and before
// session_ended (the shell lets the screen say goodbye before it ends the
// session). Real Player, real shell, real `tramso serve`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LANDSCAPE, newTouchPage, startKiosk, startSession, tap } from './harness.mjs';

let kiosk;
before(async () => {
  kiosk = await startKiosk({ config: 'idle:\n  quiet_seconds: 60\n  warning_seconds: 30\n' });
});
after(async () => {
  await kiosk?.stop();
});

/** The usage events the page sends, in order (POST /api/events batches). */
function recordEvents(page) {
  const events = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/events') && r.method() === 'POST') events.push(...JSON.parse(r.postData() ?? '[]'));
  });
  return events;
}

async function waitFor(events, type) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (events.some((e) => e.type === type)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no ${type}; got ${JSON.stringify(events)}`);
}

async function toStep2(page) {
  await startSession(page);
  await tap(page, 'tile-tutorials');
  await tap(page, 'lesson-phone-touch');
  await page.getByTestId('step-1').waitFor();
  await tap(page, 'step-next');
  await page.getByTestId('step-2').waitFor();
}

function assertAbandonedFirst(events) {
  const types = events.map((e) => e.type);
  const abandoned = events.find((e) => e.type === 'tutorial_abandoned');
  const ended = events.find((e) => e.type === 'session_ended');
  assert.deepEqual({ tutorial: abandoned.tutorial, step: abandoned.step }, { tutorial: 'phone-touch', step: 2 });
  assert.equal(abandoned.session, ended.session, 'same usage session');
  assert.ok(types.indexOf('tutorial_abandoned') < types.indexOf('session_ended'), types.join(' '));
  assert.equal(types.filter((t) => t === 'tutorial_abandoned').length, 1, types.join(' '));
}

test('"Kết thúc" mid-lesson: tutorial_abandoned, then session_ended', async () => {
  const page = await newTouchPage(kiosk, LANDSCAPE);
  const events = recordEvents(page);
  await page.goto(kiosk.url);
  await toStep2(page);
  await tap(page, 'end-session');
  await tap(page, 'end-confirm-yes');
  await page.getByTestId('attract').waitFor();
  await waitFor(events, 'session_ended');
  assertAbandonedFirst(events);
  await page.context().close();
});

test('idle wipe mid-lesson: tutorial_abandoned, then session_ended', async () => {
  const page = await newTouchPage(kiosk, LANDSCAPE);
  await page.clock.install();
  const events = recordEvents(page);
  await page.goto(kiosk.url);
  await toStep2(page);
  await page.clock.runFor(61_000);
  await page.getByTestId('idle-warning').waitFor();
  await page.clock.runFor(31_000);
  await page.getByTestId('attract').waitFor();
  await page.clock.runFor(2_000); // the outbox's batch timer
  await waitFor(events, 'session_ended');
  assertAbandonedFirst(events);
  await page.context().close();
});
