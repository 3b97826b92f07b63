// The page's heartbeat: POST /api/alive every few seconds while the UI runs.
// The kiosk passes systemd's watchdog on only while these arrive, so a page
// whose JavaScript main loop is stuck (or a WebKit that stopped serving it)
// gets the kiosk restarted, not just a crashed process. The interval comes
// from the kiosk: a sixth of systemd's WatchdogSec, and at most 5 s, since the
// desktop window also listens and loads a page silent for 20 s again
// (app/pagelife.go). Each ping says whether a line is playing, and a ping
// also goes as each line is asked for and once the page is quiet again: a sound
// device that stops taking sound freezes the page, and its last ping then
// tells the kiosk to come back silent (kiosk/sound).

import { postAlive } from './api';
import { onSoundChange, sounding } from './audio.svelte';

const FIRST_MS = 1000;
const MIN_MS = 250;
const MAX_MS = 60_000;

let every = FIRST_MS;

// Only a page that has drawn the app is alive: a blank window must not feed
// the watchdog (nor tell systemd the kiosk is ready).
function drawn(): boolean {
  return (document.getElementById('app')?.childElementCount ?? 0) > 0;
}

async function ping(): Promise<void> {
  if (!drawn()) return;
  const answer = await postAlive(sounding());
  if (answer.ping_every_ms > 0) every = Math.min(MAX_MS, Math.max(MIN_MS, answer.ping_every_ms));
}

async function beat(): Promise<void> {
  try {
    await ping();
  } catch {
    // The kiosk is restarting or busy: try again at the usual pace.
  } finally {
    setTimeout(beat, every);
  }
}

setTimeout(beat, 0);
onSoundChange(() => void ping().catch(() => {}));
