// A session the kiosk already closed for quiet (staff at the panel longer
// than the kiosk's session timeout) answers its session_ended with 409. The
// visit is over: the outbox must not open a new, empty session, which the
// figures counted as one more visit (outside QA in the window: 4 for 3).
// The usage sink runs here; only the HTTP calls are replaced.
import { describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ sessions: 0, sent: [] as string[][] }));

vi.mock('./api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./api')>()),
  startUsageSession: vi.fn(async () => ({ session: `usage-session-${++calls.sessions}` })),
  sendUsageEvents: vi.fn(async (events: { type: string }[]) => {
    calls.sent.push(events.map((e) => e.type));
    return events.some((e) => e.type === 'session_ended') ? 409 : 202;
  }),
}));

import { track } from './track';
import { flushUsage, usageSent } from './usage';

describe('a session the kiosk closed for quiet', () => {
  it('ends without opening another', async () => {
    track({ type: 'session_started' });
    flushUsage();
    await usageSent();
    track({ type: 'session_ended' });
    await usageSent();
    expect(calls.sent.flat()).toEqual(['language_chosen', 'session_ended']);
    expect(calls.sessions).toBe(1);
  });

  it('still carries on with a new session when the kiosk forgot one mid-visit', async () => {
    const before = calls.sessions;
    track({ type: 'session_started' });
    flushUsage();
    await usageSent();
    expect(calls.sessions).toBe(before + 1);
  });
});
