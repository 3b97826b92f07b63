// The attract screen's spoken invitation: when it shows the invitation in a
// language and the pack holds a person's recording of that exact line, it
// plays it, so a native speaker's voice invites their community. Never the
// synthetic voice (GET /api/speech?recorded_only=1 answers 404 instead), at
// most once every attract_voice_minutes for the whole kiosk (0: never), and
// never during a session or while staff mode is open. Not activity: nobody
// is there.

import type { KioskInfo } from './api.gen';
import { playOnce } from './audio.svelte';
import { speechURL } from './readout';
import { inSession } from './session.svelte';
import { staff } from './staff.svelte';

// When an invitation last sounded, and when each line was last found
// unrecorded (a pack update may add it; asked again after the interval).
let last = -Infinity;
const missing = new Map<string, number>();

/**
 * Play the recording of the invitation text in lang if one is due; returns
 * the function that stops it (the screen is touched), or undefined.
 */
export function inviteAloud(kiosk: KioskInfo | null, lang: string, text: string, now = Date.now()): (() => void) | undefined {
  const gap = (kiosk?.attract_voice_minutes ?? 0) * 60_000;
  if (!gap || inSession() || staff.view !== 'closed' || !kiosk?.recorded.includes(lang) || now - last < gap) return undefined;
  const url = `${speechURL({ lang, text })}&recorded_only=1`;
  if (now - (missing.get(url) ?? -Infinity) < gap) return undefined;
  last = now; // taken at once: the next language's turn must not ask too
  const voice = playOnce(url);
  let stopped = false;
  void voice.fetched.then((found) => {
    if (found || stopped) return;
    last = -Infinity;
    missing.set(url, now);
  });
  return () => {
    stopped = true;
    voice.stop();
  };
}
