// The shell's own state and actions: what the kiosk is (GET /api/kiosk), the
// overlays it shows, and the session's start, end and call for staff.

import { kioskInfo, mediaURL, packCatalogues, renewWindow, type KioskInfo } from './api';
import { audio, prompt, setSoundOff } from './audio.svelte';
import { FALLBACK, has, lookup, mergePackCatalogues, setLang, setPartlyTranslated } from './i18n';
import { speechURL } from './readout';
import { configureIdle, startIdle, stopIdle } from './idle.svelte';
import { ATTRACT, HOME, replace, router } from './router.svelte';
import { inSession, session, sessionEnding, startSession, wipe } from './session.svelte';
import { staff } from './staff.svelte';
import { track } from './track';
import { usageSent } from './usage';

interface ShellState {
  kiosk: KioskInfo | null;
  /** The language chooser is open. */
  chooser: boolean;
  /** The "Kết thúc?" question is showing. */
  confirmEnd: boolean;
  /** An outside link to show as a QR code ('' when none). */
  qr: string;
}

export const shell: ShellState = $state({ kiosk: null, chooser: false, confirmEnd: false, qr: '' });

/**
 * Languages this kiosk offers, in its set-up's order, Vietnamese first: the
 * kiosk decides (GET /api/kiosk offered, from kiosk/translate.Offers, which
 * doctor and the staff panel also say).
 */
export function offeredLanguages(): string[] {
  return shell.kiosk?.offered?.length ? shell.kiosk.offered : [FALLBACK];
}

/**
 * The offered languages that have their own text for key, Vietnamese first:
 * what the screens shown before a session (the attract invitation, the closed
 * notice) are written in. A language still without that line is left out
 * rather than shown as Vietnamese under its name (outside QA s24).
 */
export function offeredWith(key: string): string[] {
  const own = offeredLanguages().filter((l) => l !== FALLBACK && has(key, l));
  return [FALLBACK, ...own];
}

/** Fetch the kiosk's set-up; keeps defaults (90 s / 40 s) when it fails. */
export async function loadKiosk(): Promise<void> {
  try {
    // The pack's catalogues first: the languages offered, when shell.kiosk
    // changes, show in them.
    await loadPackCatalogues();
    const kiosk = await kioskInfo();
    setPartlyTranslated(kiosk.partly_translated ?? []);
    shell.kiosk = kiosk;
    audio.voices = [...new Set([...(shell.kiosk.voices ?? []), ...(shell.kiosk.recorded ?? [])])];
    setSoundOff(shell.kiosk.sound_off);
    configureIdle(shell.kiosk.idle_seconds, shell.kiosk.warning_seconds);
  } catch (err) {
    console.error('GET /api/kiosk', err);
  }
}

/** Lay the content pack's shell translations over the bundled ones. */
async function loadPackCatalogues(): Promise<void> {
  try {
    mergePackCatalogues((await packCatalogues()).catalogues);
  } catch (err) {
    console.error('GET /api/catalogues', err); // the bundled catalogues still work
  }
}

/**
 * The attract screen was touched: a new session begins on the home screen.
 * From its "listen" button the session reads every screen aloud from the start.
 */
export function beginSession(opts: { readAloud?: boolean; lang?: string } = {}): void {
  // The kiosk runs for days and content updates arrive meanwhile: each visit
  // starts from the current counts, voices and recorded lines.
  void loadKiosk();
  startSession();
  if (opts.readAloud) session.readAloud = true;
  // Chosen on the attract screen, by its name in itself: the visit opens in
  // it, and the visit's first event (lib/usage.ts) names it.
  if (opts.lang) setLang(opts.lang);
  replace(HOME);
  track({ type: 'session_started' });
  resumeIdle();
}

/** A session ended while the staff panel was open: renew when staff leave. */
let renewOwed = false;

/**
 * (Re)start the resident's idle watch, e.g. after staff mode closes; with no
 * session, give the page the renewal a session ended under the panel owes.
 */
export function resumeIdle(): void {
  if (inSession()) startIdle(onIdleWarning, () => endSession('idle'));
  else if (renewOwed) void renewAfterSession();
}

// The idle question is also asked aloud: from the pack's recording of it
// (media/shell/<lang>/idle-warning.ogg; the starter's are synthetic espeak-ng
// placeholders made by build/scripts/narrate.sh), else by the kiosk's voice,
// in the language the question shows in (a language without its own text
// shows, and says, the Vietnamese).
function onIdleWarning(): void {
  const q = lookup('shell.idle.title', session.lang);
  prompt([mediaURL(`shell/${q.lang}/idle-warning.ogg`), speechURL({ lang: q.lang, text: q.text })]);
}

/** End the session: wipe everything and show the attract screen. */
export function endSession(reason: 'idle' | 'end' | 'staff'): void {
  if (!inSession() && router.current.screen === ATTRACT) return;
  sessionEnding(reason); // the screen's last events (tutorial_abandoned) come before session_ended
  track({ type: 'session_ended' });
  stopIdle();
  shell.chooser = false;
  shell.confirmEnd = false;
  shell.qr = '';
  wipe(reason);
  void renewAfterSession();
}

/**
 * In the desktop window, each resident gets a fresh page: the window starts
 * it again in a new web process (app/pagelife.go: memory a page cannot give
 * back, and nothing of the last visit left behind). It is asked at once, as
 * part of the ending (the window shows its background colour for a moment,
 * then the attract screen), once the session's usage events are sent, and
 * only if nobody has come meanwhile.
 */
async function renewAfterSession(): Promise<void> {
  if (!shell.kiosk?.window) return; // a browser (tramso serve) has no window to renew
  await usageSent();
  if (inSession()) return;
  if (staff.view !== 'closed') {
    // Staff ended the session from the panel: the page is renewed when they
    // leave it, not under their hands, and not never (outside QA).
    renewOwed = true;
    return;
  }
  renewOwed = false;
  try {
    await renewWindow();
  } catch (err) {
    console.error('POST /api/window/renew', err); // the page carries on as it is
  }
}

/** "Gọi cán bộ": show the signal and mark the session as assisted. */
export function callStaff(): void {
  session.calling = true;
  if (!session.assisted) track({ type: 'staff_called' });
  session.assisted = true;
}

/** The resident (or the staff member who came) dismissed the signal. */
export function cancelCall(): void {
  session.calling = false;
}

/**
 * Staff opened their panel: they have come. A call signal is answered, and
 * a visit under way counts as assisted, as "Gọi cán bộ" would have made it
 * (outside QA: staff who helped from the panel left it "Tự dùng"). The event
 * also tells the kiosk the visit is still going while staff work.
 */
export function staffCame(): void {
  session.calling = false;
  if (inSession() && !session.assisted) {
    track({ type: 'staff_called' });
    session.assisted = true;
  }
}
