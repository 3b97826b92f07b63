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

// When each line was last found unrecorded (a pack update may add it; asked
// again after the interval).
const missing = new Map<string, number>();

// When an invitation last sounded. The interval is the kiosk's, not one
// page's: the desktop window starts the page again after every resident
// (app/pagelife.go), so it is kept in sessionStorage, which WebKit keeps for
// the window across those reloads. A storage that refuses leaves memory.
const LAST_KEY = 'tramso.attract-voice.last';
let lastHere = -Infinity;

function lastSounded(): number {
  try {
    const v = sessionStorage.getItem(LAST_KEY);
    if (v !== null && Number.isFinite(Number(v))) return Number(v);
  } catch {
    // no storage: memory only
  }
  return lastHere;
}

function setLastSounded(t: number): void {
  lastHere = t;
  try {
    if (Number.isFinite(t)) sessionStorage.setItem(LAST_KEY, String(t));
    else sessionStorage.removeItem(LAST_KEY);
  } catch {
    // no storage: memory only
  }
}

/**
 * Play the recording of the invitation text in lang if one is due; returns
 * the function that stops it (the screen is touched), or undefined.
 */
export function inviteAloud(kiosk: KioskInfo | null, lang: string, text: string, now = Date.now()): (() => void) | undefined {
  const gap = (kiosk?.attract_voice_minutes ?? 0) * 60_000;
  if (!gap || inSession() || staff.view !== 'closed' || !kiosk?.recorded.includes(lang) || now - lastSounded() < gap) return undefined;
  const url = `${speechURL({ lang, text })}&recorded_only=1`;
  if (now - (missing.get(url) ?? -Infinity) < gap) return undefined;
  setLastSounded(now); // taken at once: the next language's turn must not ask too
  const voice = playOnce(url);
  let stopped = false;
  void voice.fetched.then((found) => {
    if (found || stopped) return;
    setLastSounded(-Infinity);
    missing.set(url, now);
  });
  return () => {
    stopped = true;
    voice.stop();
  };
}
