// Review s28: whether a language is "not translated at all"
// (data-no-translation: no «VI» badges) was decided in setLang only.
// beginSession calls setLang right after starting loadKiosk, which merges the
// pack's catalogues only once GET /api/catalogues answers: the first visit
// after a pack that brings the language's first lines was decided on the old
// catalogues, and its Vietnamese lines went without a badge. The merge now
// decides again. Only the HTTP calls are replaced.
import { describe, expect, it, vi } from 'vitest';

const state = vi.hoisted(() => ({ pack: {} as Record<string, unknown>, attrs: new Map<string, boolean>() }));

vi.hoisted(() => {
  (globalThis as unknown as { document: unknown }).document = {
    documentElement: {
      toggleAttribute: (name: string, on: boolean) => state.attrs.set(name, on),
      setAttribute: () => {},
      removeAttribute: () => {},
    },
  };
});

vi.mock('./api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./api')>()),
  packCatalogues: vi.fn(async () => ({ catalogues: state.pack })),
  kioskInfo: vi.fn(async () => ({ languages: ['vi', 'rad'], partly_translated: ['rad'], idle_seconds: 90, warning_seconds: 40 })),
  startUsageSession: vi.fn(async () => ({ session: 'usage-session-1' })),
  sendUsageEvents: vi.fn(async () => 202),
}));

import { beginSession, loadKiosk } from './shell.svelte';
import { untranslated } from './i18n';

async function settle() {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
}

describe('data-no-translation after a pack update (review s28)', () => {
  it('is decided on the catalogues the visit shows', async () => {
    await loadKiosk(); // the bundled catalogues: Ê Đê has only its name
    expect(untranslated('rad')).toBe(true);
    // A new pack brings Ê Đê's first screen lines.
    state.pack = { rad: { shell: { home: { learn: 'Hriăm mnơ̆ng' } } } };
    beginSession({ lang: 'rad' });
    await settle();
    expect(untranslated('rad')).toBe(false); // the merge is done
    expect(state.attrs.get('data-no-translation')).toBe(false); // so its Vietnamese lines carry the «VI» badge
  });
});
