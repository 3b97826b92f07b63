// A session that ends mid-lesson (idle timeout, "Kết thúc", staff) must still
// send the lesson's tutorial_abandoned, and before session_ended: the usage
// sink closes the session's outbox at session_ended, and Svelte tears the
// screen down only after the wipe. The real shell, session and usage sink run
// here; only the HTTP calls are replaced.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const sent = vi.hoisted(() => [] as { type: string; session?: string; tutorial?: string; step?: number }[][]);

vi.mock('./api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./api')>()),
  startUsageSession: vi.fn(async () => ({ session: 'usage-session-1' })),
  sendUsageEvents: vi.fn(async (events: (typeof sent)[number]) => {
    sent.push(events);
    return 202;
  }),
}));

import { onLeave, session } from './session.svelte';
import { beginSession, endSession } from './shell.svelte';
import { track } from './track';
import './usage'; // installs the sink

/** Let microtasks (track, the outbox's session id) settle. */
async function settle() {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
}

/** The Player's wiring: abandonment on leave, unless the lesson was finished. */
function openLesson(tutorial: string, step: number) {
  const lesson = { step, completed: false };
  track({ type: 'tutorial_opened', tutorial });
  track({ type: 'step_viewed', tutorial, step });
  const leave = onLeave(() => {
    if (!lesson.completed) track({ type: 'tutorial_abandoned', tutorial, step: lesson.step });
  });
  return { lesson, teardown: leave };
}

function types(): string[] {
  return sent.flat().map((e) => e.type);
}

describe('ending a session mid-lesson', () => {
  beforeEach(() => {
    sent.length = 0;
  });
  afterEach(() => {
    if (session.id) endSession('end');
  });

  it.each(['idle', 'end', 'staff'] as const)('sends tutorial_abandoned before session_ended (%s)', async (reason) => {
    beginSession();
    const { lesson, teardown } = openLesson('vneid-kich-hoat', 2);
    lesson.step = 3;
    await settle();

    endSession(reason);
    teardown(); // Svelte destroys the Player after the wipe: nothing more to send
    await settle();

    const all = sent.flat();
    const t = types();
    expect(t.filter((x) => x === 'tutorial_abandoned')).toHaveLength(1);
    expect(t.indexOf('tutorial_abandoned')).toBeLessThan(t.indexOf('session_ended'));
    expect(t.at(-1)).toBe('session_ended');
    expect(all.find((e) => e.type === 'tutorial_abandoned')).toMatchObject({
      tutorial: 'vneid-kich-hoat',
      step: 3,
      session: 'usage-session-1',
    });
  });

  it('sends it once when the resident leaves the lesson before the session ends', async () => {
    beginSession();
    const { teardown } = openLesson('qr-payment', 1);
    teardown(); // Back/Home: the Player is torn down
    await settle();
    endSession('end');
    await settle();
    expect(types().filter((x) => x === 'tutorial_abandoned')).toHaveLength(1);
    expect(types().at(-1)).toBe('session_ended');
  });

  it('sends nothing for a finished lesson', async () => {
    beginSession();
    const { lesson } = openLesson('qr-payment', 4);
    lesson.completed = true;
    await settle();
    endSession('idle');
    await settle();
    expect(types()).not.toContain('tutorial_abandoned');
    expect(types()).toContain('session_ended');
  });
});
