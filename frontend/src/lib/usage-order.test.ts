// A session's batches reach the kiosk in the order they were sent. The kiosk
// closes a session on its session_ended and refuses later events of it (409),
// so a batch overtaken by the last one lost its events (a staff call, say) and
// the outbox opened a session that never was (seen in CI: "2 lượt dùng, có cán
// bộ giúp: 0" for one assisted visit). The usage sink runs here; only the
// HTTP calls are replaced, the first one answering late.
import { describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ sessions: 0, sent: [] as string[][], release: [] as (() => void)[] }));

vi.mock('./api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./api')>()),
  startUsageSession: vi.fn(async () => ({ session: `usage-session-${++calls.sessions}` })),
  sendUsageEvents: vi.fn((events: { type: string }[]) => {
    calls.sent.push(events.map((e) => e.type));
    // The first batch is slow to answer; later ones answer at once.
    if (calls.sent.length === 1) return new Promise<number>((ok) => calls.release.push(() => ok(202)));
    return Promise.resolve(202);
  }),
}));

import { track } from './track';
import { flushUsage, usageSent } from './usage';

async function settle() {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
}

describe('a session outbox', () => {
  it('sends its next batch only once the last one is answered', async () => {
    track({ type: 'session_started' });
    track({ type: 'staff_called' });
    await settle();
    flushUsage(); // the batch timer fires: the staff call goes
    await settle();
    track({ type: 'session_ended' }); // the last batch, at once
    await settle();
    expect(calls.sent).toEqual([['language_chosen', 'staff_called']]);
    calls.release.forEach((r) => r());
    await usageSent();
    expect(calls.sent).toEqual([['language_chosen', 'staff_called'], ['session_ended']]);
    expect(calls.sessions).toBe(1);
  });
});
