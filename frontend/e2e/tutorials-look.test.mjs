// Looks at every starter lesson at kiosk size: every step, the check
// questions and the completion screen, in landscape (1920x1080) and portrait
// (1080x1920). Screenshots go to test-results/tutorials-look/ for a person to
// review; the test fails when something does not fit: the page scrolls
// sideways, or the Back/Next buttons or the step text are off screen.
//
//   cd frontend && npm run build && node --test e2e/tutorials-look.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startKiosk, newTouchPage, startSession, tap, LANDSCAPE, PORTRAIT, RESULTS } from './harness.mjs';

let kiosk;
before(async () => {
  kiosk = await startKiosk();
});
after(async () => {
  await kiosk?.stop();
});

const OUT = join(RESULTS, 'tutorials-look');

async function inView(page, testid) {
  const box = await page.getByTestId(testid).boundingBox();
  const vp = page.viewportSize();
  return box && box.y >= 0 && box.y + box.height <= vp.height && box.x >= 0 && box.x + box.width <= vp.width;
}

async function assertFits(page, where) {
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  assert.equal(sideways, false, `${where}: the page scrolls sideways`);
  for (const id of ['step-next', 'step-back']) {
    assert.ok(await inView(page, id), `${where}: ${id} is off screen`);
  }
}

for (const [name, viewport] of [['landscape', LANDSCAPE], ['portrait', PORTRAIT]]) {
  test(`every starter lesson fits the ${name} screen`, async () => {
    mkdirSync(OUT, { recursive: true });
    const { tutorials } = await (await fetch(kiosk.url + 'api/tutorials')).json();
    const page = await newTouchPage(kiosk, viewport);
    await page.goto(kiosk.url);
    await startSession(page);
    await tap(page, 'tile-tutorials');
    await page.getByTestId('screen-tutorials').waitFor();
    await page.screenshot({ path: join(OUT, `${name}-catalogue.png`), fullPage: true });
    for (const card of tutorials) {
      const lesson = await (await fetch(kiosk.url + `api/tutorials/${card.id}`)).json();
      await tap(page, `lesson-${card.id}`);
      for (const step of lesson.steps) {
        await page.getByTestId(`step-${step.n}`).waitFor();
        await page.waitForFunction(() => [...document.images].every((i) => i.complete));
        const where = `${card.id} step ${step.n} (${name})`;
        await assertFits(page, where);
        assert.ok(await page.getByTestId('step-text').isVisible(), `${where}: no step text`);
        await page.screenshot({ path: join(OUT, `${name}-${card.id}-${step.n}.png`) });
        if (step.practice) {
          const wrong = step.practice.elements.findIndex((e) => e.tappable && !e.correct);
          const right = step.practice.elements.findIndex((e) => e.correct);
          if (wrong >= 0) {
            await tap(page, `practice-el-${wrong}`);
            await page.getByTestId('practice-hint').waitFor();
            await page.screenshot({ path: join(OUT, `${name}-${card.id}-${step.n}-wrong.png`) });
          }
          await tap(page, `practice-el-${right}`);
          await page.getByTestId('practice-right').waitFor();
          await assertFits(page, where + ' solved');
          await page.screenshot({ path: join(OUT, `${name}-${card.id}-${step.n}-right.png`) });
        }
        await tap(page, 'step-next');
      }
      for (const [i, check] of lesson.checks.entries()) {
        await page.getByTestId(`check-${i + 1}`).waitFor();
        await tap(page, `answer-${check.answers.findIndex((a) => !a.correct)}`);
        await page.getByTestId('check-wrong').waitFor();
        await tap(page, `answer-${check.answers.findIndex((a) => a.correct)}`);
        await page.getByTestId('check-right').waitFor();
        await assertFits(page, `${card.id} check ${i + 1} (${name})`);
        await page.screenshot({ path: join(OUT, `${name}-${card.id}-check-${i + 1}.png`) });
        await tap(page, 'step-next');
      }
      await page.getByTestId('screen-tutorial-complete').waitFor();
      await page.getByTestId('platform-qr').waitFor();
      await page.getByTestId('summary-qr').waitFor();
      await page.screenshot({ path: join(OUT, `${name}-${card.id}-done.png`) });
      await tap(page, 'complete-other');
      await page.getByTestId(`done-${card.id}`).waitFor();
    }
    await page.screenshot({ path: join(OUT, `${name}-catalogue-done.png`), fullPage: true });
    await tap(page, 'resume-enter');
    await page.getByTestId('screen-resume').waitFor();
    assert.ok(await inView(page, 'resume-open'), `resume entry (${name}): the open button is off screen`);
    await page.screenshot({ path: join(OUT, `${name}-resume.png`) });
    await tap(page, 'back');
    await tap(page, `lesson-${tutorials[0].id}`);
    await tap(page, 'later');
    await page.getByTestId('later-code').waitFor();
    assert.ok(await inView(page, 'later-close'), `continue later (${name}): the close button is off screen`);
    await page.screenshot({ path: join(OUT, `${name}-later.png`) });
    await page.context().close();
  });
}

// The largest text size (session step 3) still fits: the longest step text,
// the tallest practice screen and a check question, in both orientations.
for (const [name, viewport] of [['landscape', LANDSCAPE], ['portrait', PORTRAIT]]) {
  test(`text size 3 fits the ${name} screen`, async () => {
    mkdirSync(OUT, { recursive: true });
    const page = await newTouchPage(kiosk, viewport);
    await page.goto(kiosk.url);
    await startSession(page);
    await tap(page, 'text-size-3');
    await tap(page, 'tile-tutorials');
    await page.getByTestId('screen-tutorials').waitFor();
    await page.screenshot({ path: join(OUT, `${name}-text3-catalogue.png`) });
    await tap(page, 'lesson-scam-spotting');
    await page.getByTestId('step-1').waitFor();
    await assertFits(page, `text 3 scam step 1 (${name})`);
    await page.screenshot({ path: join(OUT, `${name}-text3-scam-1.png`) });
    await tap(page, 'step-next');
    await page.getByTestId('step-2').waitFor();
    await tap(page, 'practice-el-4');
    await page.getByTestId('practice-hint').waitFor();
    await assertFits(page, `text 3 scam step 2 (${name})`);
    await page.screenshot({ path: join(OUT, `${name}-text3-scam-2.png`) });
    await tap(page, 'home');
    await tap(page, 'tile-tutorials');
    await tap(page, 'lesson-personal-data');
    for (let n = 1; n <= 6; n++) {
      await page.getByTestId(`step-${n}`).waitFor();
      await tap(page, 'step-next');
    }
    await page.getByTestId('check-1').waitFor();
    await tap(page, 'answer-0');
    await page.getByTestId('check-wrong').waitFor();
    await assertFits(page, `text 3 check (${name})`);
    await page.screenshot({ path: join(OUT, `${name}-text3-check.png`) });
    await page.context().close();
  });
}
