// Shared end-to-end harness: a real `tramso serve` on a free loopback port with
// a fresh data directory, and Debian's Chromium (headless, via playwright-core)
// with touch. It builds nothing except, once, the Go binary when TRAMSO_BIN is
// unset (once per test file: node --test runs each file in its own process, so
// CI should build once and set TRAMSO_BIN); frontend/dist must already be
// built (npm run build).
//
//   import { startKiosk, newTouchPage, LANDSCAPE, PORTRAIT } from './harness.mjs';
//   const kiosk = await startKiosk({ config: 'idle:\n  quiet_seconds: 15\n' });
//   const page = await newTouchPage(kiosk, LANDSCAPE);
//   await page.goto(kiosk.url);
//   ...
//   await kiosk.stop();
//
// The province hub and its console (/admin/) have their own module, hub.mjs,
// built on the pieces exported here.

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const FRONTEND = resolve(here, '..');
export const REPO = resolve(FRONTEND, '..');
export const RESULTS = join(FRONTEND, 'test-results');
export const ARTEFACTS = join(here, 'screenshots');

/** A commune with its office configured: the procedures assistant sends residents there. */
export const EA_KAO = `commune:
  name: Xã Ea Kao
  offices:
    - id: pvhcc
      name: Trung tâm Phục vụ hành chính công xã Ea Kao
      address: Thôn 1, xã Ea Kao
      phone: "0262 000 000"
      hours: ["Mon-Sun 07:00-11:30,13:30-17:00"]
`;

export const LANDSCAPE = { width: 1920, height: 1080 };
export const PORTRAIT = { width: 1080, height: 1920 };

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

let builtBin = '';

/** The tramso binary: $TRAMSO_BIN, else built once from the repo root. */
export function tramsoBin() {
  if (process.env.TRAMSO_BIN) return process.env.TRAMSO_BIN;
  if (builtBin && existsSync(builtBin)) return builtBin;
  if (!existsSync(join(FRONTEND, 'dist', 'index.html'))) {
    throw new Error('frontend/dist is not built: run `npm run build` in frontend/ first');
  }
  const dir = mkdtempSync(join(tmpdir(), 'tramso-bin-'));
  builtBin = join(dir, 'tramso');
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  execFileSync('go', ['build', '-o', builtBin, '.'], { cwd: REPO, stdio: 'inherit' });
  process.env.TRAMSO_BIN = builtBin; // later test files in this process reuse it
  return builtBin;
}

/** Run the tramso binary to completion; returns its standard output (throws on failure). */
export function tramso(args, { input } = {}) {
  return execFileSync(tramsoBin(), args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/**
 * Run the tramso binary with args in the background, collecting its output.
 * Returns { proc, log(), stop() }; stop sends SIGTERM and waits for the exit.
 */
export function spawnTramso(args) {
  let log = '';
  const proc = spawn(tramsoBin(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (d) => (log += d));
  proc.stderr.on('data', (d) => (log += d));
  return {
    proc,
    log: () => log,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** Wait (20 s at most) until url answers 2xx; fails early if the process exits. */
export async function waitHealthy(url, { proc, log }, name = 'tramso serve') {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${name} exited ${proc.exitCode}:\n${log()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not answer ${url} in 20 s:\n${log()}`);
}

/**
 * Debian's Chromium, headless. Playwright gives every launch a fresh
 * temporary profile (its own --user-data-dir), removed on close. extra:
 * more command-line switches (a kiosk browser's own, e.g. its autoplay policy).
 */
export function launchChromium(extra = []) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
      ...extra,
    ],
  });
}

/**
 * Start `tramso serve` and Chromium. config: YAML text for --config (omit for
 * none). browser: a Chromium already launched (launchChromium) to use instead
 * of a new one; stop() then leaves it open. Returns { url, dataDir, browser,
 * stop() }.
 */
export async function startKiosk({ config, args = [], browser: shared } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), 'tramso-e2e-'));
  const dataDir = join(tmp, 'data');
  const port = await freePort();
  const serveArgs = ['serve', '--addr', `127.0.0.1:${port}`, '--data', dataDir, ...args];
  if (config !== undefined) {
    const cfg = join(tmp, 'config.yaml');
    writeFileSync(cfg, config);
    serveArgs.push('--config', cfg);
  }
  const serve = spawnTramso(serveArgs);
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitHealthy(url + 'api/health', serve);
  } catch (err) {
    serve.proc.kill('SIGKILL');
    throw err;
  }
  const browser =
    shared ??
    (await launchChromium().catch((err) => {
      serve.proc.kill('SIGKILL');
      throw err;
    }));
  return {
    url,
    dataDir,
    configPath: config === undefined ? '' : join(tmp, 'config.yaml'),
    browser,
    log: serve.log,
    async stop() {
      if (!shared) await browser.close().catch(() => {});
      await serve.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh touch context and page at the given viewport (LANDSCAPE or
 * PORTRAIT). kiosk: anything with a browser. mobile: behave as a phone's
 * browser (meta viewport honoured).
 */
export async function newTouchPage(kiosk, viewport = LANDSCAPE, { mobile = false } = {}) {
  const context = await kiosk.browser.newContext({
    viewport,
    hasTouch: true,
    isMobile: mobile,
    deviceScaleFactor: 1,
    locale: 'vi-VN',
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  return page;
}

/** Tap the element with data-testid=id (a real touch at its centre). */
// The kiosk takes a second tap within 0.4 s at the same spot as a double
// tap and drops it (src/lib/ghosttap.ts). A test that means two taps there
// (Play, then Stop where Play was) waits as long as a person would.
const DOUBLE_TAP = { ms: 450, px: 32 };
const lastTaps = new WeakMap();

/** Tap the element with data-testid id, as a person would a second time at one spot. */
export async function tap(page, id) {
  const target = page.getByTestId(id);
  await target.waitFor();
  const box = await target.boundingBox();
  const last = lastTaps.get(page);
  if (box && last) {
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    const wait = last.at + DOUBLE_TAP.ms - Date.now();
    if (wait > 0 && Math.hypot(x - last.x, y - last.y) <= DOUBLE_TAP.px) await page.waitForTimeout(wait);
  }
  await target.tap();
  if (box) lastTaps.set(page, { x: box.x + box.width / 2, y: box.y + box.height / 2, at: Date.now() });
}

/**
 * Touch somewhere neutral (the drawing's bottom-left corner, away from the
 * language and listen buttons in either orientation) and start a session
 * from the attract screen.
 */
export async function startSession(page) {
  const attract = page.getByTestId('attract');
  const box = await attract.boundingBox();
  await attract.tap({ position: { x: 60, y: box.height - 60 } });
  await page.getByTestId('screen-home').waitFor();
}

/** End the session by touch ("Kết thúc", then yes) and wait for the attract screen. */
export async function endSession(page) {
  await tap(page, 'end-session');
  await tap(page, 'end-confirm-yes');
  await page.getByTestId('attract').waitFor();
}

/**
 * Save a screenshot to test-results/ (git-ignored). A keep screenshot is also
 * a reviewed artefact under e2e/screenshots/, but only rewritten there when
 * TRAMSO_KEEP_SCREENSHOTS=1 asks for it: a test run must not change tracked
 * files (the pixels differ from run to run). fullPage: the whole scrollable
 * page, not just the viewport.
 */
export async function screenshot(page, name, { keep = false, fullPage = false } = {}) {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `${name}.png`);
  // A whole console form is many screens tall: on a busy CI machine its
  // picture took more than the default 10 s (it is a record, not a timing).
  const timeout = fullPage ? 60_000 : undefined;
  await page.screenshot({ path: file, fullPage, timeout });
  if (keep && process.env.TRAMSO_KEEP_SCREENSHOTS === '1') {
    mkdirSync(ARTEFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage, timeout });
  }
  return file;
}

/** Run axe-core in the page; returns the serious and critical violations. */
export async function axe(page) {
  // evaluate (not a <script> tag): the page's CSP rightly refuses inline scripts.
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' — ' + n.failureSummary),
    }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
