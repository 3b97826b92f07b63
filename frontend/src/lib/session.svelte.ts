// The resident's session: everything one person's visit holds, in one place,
// so that one wipe (idle timeout, "Kết thúc", staff) clears answers, progress,
// search text and preferences together. Screens keep their state in a slot:
//
//   const s = slot('procedures', () => ({ answers: {} as Record<string, string> }));
//   s.answers.q1 = 'yes';   // reactive, and gone after wipe()
//
// Nothing here is stored on disk or sent anywhere except the random session id.

import { LANGS } from './api.gen';

export type TextStep = 1 | 2 | 3;

export interface SessionState {
  /** Random per-session id (the only id usage events carry); '' when no session. */
  id: string;
  /** ms since epoch when the session began; 0 when none. */
  startedAt: number;
  lang: string;
  textStep: TextStep;
  highContrast: boolean;
  /** "Always read aloud": narration plays by itself on each screen. */
  readAloud: boolean;
  /** Staff were called during this session (usage figures count it). */
  assisted: boolean;
  /** Staff have been called and not yet dismissed: the banner is showing. */
  calling: boolean;
  /** Per-feature state, by slot name. */
  slots: Record<string, unknown>;
}

export const DEFAULT_LANG = 'vi';

// The hub's preview of draft content opens the kiosk in the language and text
// size being checked (?lang=rad&text=2), and every wipe comes back to them; a
// kiosk's own page has no query, so it starts in Vietnamese at the first size.
function startPrefs(): { lang: string; textStep: TextStep } {
  const q = new URLSearchParams(typeof location === 'undefined' ? '' : location.search);
  const lang = q.get('lang') ?? '';
  const text = Number(q.get('text'));
  return {
    lang: (LANGS as readonly string[]).includes(lang) ? lang : DEFAULT_LANG,
    textStep: text === 2 || text === 3 ? text : 1,
  };
}

const start = startPrefs();

function fresh(): SessionState {
  return {
    id: '',
    startedAt: 0,
    lang: start.lang,
    textStep: start.textStep,
    highContrast: false,
    readAloud: false,
    assisted: false,
    calling: false,
    slots: {},
  };
}

export const session: SessionState = $state(fresh());

type WipeListener = (reason: string) => void;
const wipeListeners = new Set<WipeListener>();

/** Run fn after every wipe (stop media, cancel requests…). Returns an unsubscribe. */
export function onWipe(fn: WipeListener): () => void {
  wipeListeners.add(fn);
  return () => wipeListeners.delete(fn);
}

function randomId(): string {
  const b = new Uint8Array(12);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Begin a session (the attract screen was touched). */
export function startSession(now = Date.now()): void {
  Object.assign(session, fresh(), { id: randomId(), startedAt: now });
}

/** True while a resident session is open. */
export function inSession(): boolean {
  return session.id !== '';
}

/** Forget everything the session held and tell listeners why. */
export function wipe(reason: string): void {
  Object.assign(session, fresh());
  for (const fn of wipeListeners) {
    try {
      fn(reason);
    } catch (err) {
      console.error('wipe listener', err);
    }
  }
}

const endingListeners = new Set<WipeListener>();

/**
 * Run fn when the session is about to end (idle, "Kết thúc", staff): before
 * the shell sends session_ended and wipes, so what fn reports still belongs to
 * the session. Returns an unsubscribe. Screens usually want onLeave.
 */
export function onSessionEnding(fn: WipeListener): () => void {
  endingListeners.add(fn);
  return () => endingListeners.delete(fn);
}

/** The shell is ending the session: let screens say goodbye first. */
export function sessionEnding(reason: string): void {
  for (const fn of [...endingListeners]) {
    try {
      fn(reason);
    } catch (err) {
      console.error('session ending listener', err);
    }
  }
}

/**
 * Call send exactly once when the screen is left: when the session ends
 * (before session_ended, while the session still holds the screen's state) or
 * when the returned function is called from the screen's teardown, whichever
 * comes first. A screen's teardown alone runs after the wipe, too late for
 * its last usage event (tutorial_abandoned) to be part of the session:
 *
 *   const leave = onLeave(() => { if (!finished) track({ type: 'tutorial_abandoned', … }); });
 *   $effect(() => () => leave());
 */
export function onLeave(send: () => void): () => void {
  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    off();
    send();
  };
  const off = onSessionEnding(leave);
  return leave;
}

/**
 * The state object a feature keeps for this session, created by init on first
 * use. The returned object is reactive; mutate it in place.
 */
export function slot<T extends object>(name: string, init: () => T): T {
  if (!(name in session.slots)) session.slots[name] = init();
  return session.slots[name] as T;
}
