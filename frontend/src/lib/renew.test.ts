// Between residents the desktop window gives the page a fresh web process
// (app/pagelife.go). The page asks only in the window, only once the
// session's usage events have been answered (renewing ends the page: a batch
// still on its way would be lost), and not when someone came meanwhile. The
// real shell, session and usage sink run here; only the HTTP calls are
// replaced.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ log: [] as string[], window: true, release: [] as (() => void)[] }));

vi.mock('./api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./api')>()),
  packCatalogues: vi.fn(async () => ({ catalogues: {} })),
  kioskInfo: vi.fn(async () => ({ languages: ['vi'], idle_seconds: 90, warning_seconds: 40, window: calls.window })),
  startUsageSession: vi.fn(async () => ({ session: 'usage-session-1' })),
  // Each batch is answered only when the test says so.
  sendUsageEvents: vi.fn(async (events: { type: string }[]) => {
    await new Promise<void>((r) => calls.release.push(r));
    calls.log.push(...events.map((e) => e.type));
    return 202;
  }),
  renewWindow: vi.fn(async () => {
    calls.log.push('renew');
    return { ok: true };
  }),
}));

import { beginSession, endSession, loadKiosk } from './shell.svelte';
import './usage'; // installs the sink

async function settle() {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
}

/** Answer every batch sent so far. */
function answer() {
  for (const r of calls.release.splice(0)) r();
}

describe('a fresh page for the next resident', () => {
  beforeEach(async () => {
    calls.log.length = 0;
    calls.window = true;
    await loadKiosk();
  });

  it('is asked for once the session_ended batch is answered', async () => {
    beginSession();
    await settle();
    endSession('end');
    await settle();
    expect(calls.log).not.toContain('renew'); // the batch is still on its way
    answer();
    await settle();
    expect(calls.log.at(-1)).toBe('renew');
    expect(calls.log.indexOf('session_ended')).toBeLessThan(calls.log.indexOf('renew'));
  });

  it('is not asked for when the next resident came meanwhile', async () => {
    beginSession();
    await settle();
    endSession('idle');
    beginSession(); // a touch on the attract screen before the answer
    await settle();
    answer();
    await settle();
    expect(calls.log).not.toContain('renew');
    endSession('end');
    await settle();
    answer();
    await settle();
  });

  it('is not asked for in a browser (tramso serve)', async () => {
    calls.window = false;
    await loadKiosk();
    beginSession();
    await settle();
    endSession('end');
    await settle();
    answer();
    await settle();
    expect(calls.log).toContain('session_ended');
    expect(calls.log).not.toContain('renew');
  });
});
