// The bundled font draws Ê Đê and M'nông letters itself — Ĕ Ŏ Ŭ Ƀ ƀ Č and the
// combining breve over ê ô ơ ư — instead of leaving them to whatever fonts a
// kiosk happens to have (or to tofu boxes).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newTouchPage, screenshot, startKiosk } from './harness.mjs';

let kiosk;
before(async () => {
  kiosk = await startKiosk();
});
after(() => kiosk?.stop());

const SAMPLES = ['Ĕ', 'ĕ', 'Ŏ', 'ŏ', 'Ŭ', 'ŭ', 'Ƀ', 'ƀ', 'Č', 'č', 'Ê̆', 'ê̆', 'Ô̆', 'ô̆', 'Ơ̆', 'ơ̆', 'Ư̆', 'ư̆', 'Đ', 'đ', 'ế', 'ữ'];

test('Ê Đê / M\'nông letters come from the bundled font, not a fallback', async () => {
  const page = await newTouchPage(kiosk);
  await page.goto(kiosk.url);
  await page.getByTestId('attract').waitFor();
  const result = await page.evaluate(async (samples) => {
    const all = samples.join(' ');
    await document.fonts.load('400 48px "TramSo Sans"', all);
    await document.fonts.load('700 48px "TramSo Sans"', all);
    const ctx = document.createElement('canvas').getContext('2d');
    // If the bundled font lacks a glyph (or, for a combining sequence, one of
    // its parts), the browser draws the cluster with the next font in the list;
    // two very different next fonts then give different widths.
    const width = (text, weight, fallback) => {
      ctx.font = `${weight} 48px "TramSo Sans", ${fallback}`;
      return ctx.measureText(text).width;
    };
    const fromBundled = (text, weight) => {
      const a = width(text, weight, 'serif');
      const b = width(text, weight, 'monospace');
      return Math.abs(a - b) < 0.01;
    };
    const missing = [];
    for (const s of samples) for (const w of [400, 700]) if (!fromBundled(s, w)) missing.push(`${s} (${w})`);
    // The method must be able to see a fallback: Greek is not in the subset.
    const control = fromBundled('ΩΨΔ', 400);
    const loaded = [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'TramSo Sans').map((f) => f.status);
    // The breve stacks on the circumflex: ê̆ is taller than ê.
    const stack = document.createElement('span');
    stack.style.cssText = 'font: 400 96px "TramSo Sans"; position: absolute; top: 0; left: 0; line-height: 1';
    document.body.append(stack);
    const ink = (t) => {
      ctx.font = '400 96px "TramSo Sans"';
      const m = ctx.measureText(t);
      return m.actualBoundingBoxAscent;
    };
    const taller = ink('ê̆') > ink('ê') + 5 && ink('ô̆') > ink('ô') + 5;
    stack.remove();
    return { missing, control, loaded, taller, check: document.fonts.check('48px "TramSo Sans"', all) };
  }, SAMPLES);
  assert.deepEqual(result.missing, [], 'glyphs that fell back to another font');
  assert.equal(result.control, false, 'the check detects a fallback (Greek is not bundled)');
  assert.deepEqual(result.loaded, ['loaded', 'loaded']);
  assert.equal(result.check, true);
  assert.equal(result.taller, true, 'the breve stacks above the circumflex');

  // A picture for people to look at.
  await page.evaluate((samples) => {
    const div = document.createElement('div');
    div.dataset.testid = 'font-sample';
    div.style.cssText =
      'position:fixed;inset:0;z-index:99;background:#fff;color:#111;padding:48px;font:400 72px/1.5 "TramSo Sans";display:flex;flex-direction:column;gap:12px';
    const line = (text, weight = 400) => {
      const p = document.createElement('p');
      p.style.cssText = `margin:0;font-weight:${weight}`;
      p.textContent = text;
      div.append(p);
    };
    line(samples.slice(0, 10).join(' '));
    line(samples.slice(10).join(' '));
    line(samples.slice(0, 10).join(' '), 700);
    line(samples.slice(10).join(' '), 700);
    line('Tiếng Việt · Rađê · M\'nông · Ƀuôn Ma Thuột', 400);
    document.body.append(div);
  }, SAMPLES);
  await screenshot(page, 'font-ede-mnong', { keep: true });
  await page.context().close();
});
