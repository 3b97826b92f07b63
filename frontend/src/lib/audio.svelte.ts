// Narration: one audio player for the whole kiosk, driven by the shell's
// <AudioControl>. Every screen can be heard:
// - a screen with a recording (a lesson step, a procedures question) says so
//   with setNarration(url) — recorded files from the content pack;
// - any other screen (or an open dialog) is read aloud as shown, line by line,
//   by the kiosk's own voice (GET /api/speech, see lib/readout.ts), in each
//   line's language when the kiosk has a voice for it.
// The line being read is highlighted (data-reading) and scrolled into view,
// so a slow reader can follow. Quiet unless asked, except that the session's
// "always read aloud" reads each new screen once it has settled. Playing
// counts as activity for the idle watch. (A sound device that stops taking
// sound freezes the whole page in WebKitGTK, not just the line: nothing here
// can run then. The window loads the page again (app/pagelife.go), and since
// the heartbeat said a line was asked to play, the kiosk comes back silent
// (audio.off, kiosk/sound) until staff turn sound back on.)

import { holdActive } from './idle.svelte';
import { readingRoot, readLines, speechURL } from './readout';
import { onWipe, session } from './session.svelte';
import { track } from './track';

interface AudioState {
  /** The current screen's recorded narration URL, or '' when it has none. */
  src: string;
  playing: boolean;
  /** 0..1 */
  volume: number;
  /**
   * Languages a screen line can be heard in (GET /api/kiosk): the kiosk's
   * voice's, and those the pack has recorded lines in (only those lines then
   * sound; the others are skipped). None → only the screens' recordings.
   */
  voices: string[];
  /**
   * The kiosk runs silent (GET /api/kiosk sound_off): its page froze on the
   * sound device, or staff turned sound off. Nothing plays; the shell says so.
   */
  off: boolean;
}

export const audio: AudioState = $state({ src: '', playing: false, volume: 0.8, voices: [], off: false });

// Elements asked to play and not yet let go: the heartbeat tells the kiosk
// whether any is sounding, and pings as each is asked for and once the page
// has gone quiet (lib/heartbeat.ts). A page frozen by the sound device so says
// so with its last word, and a page that freezes for another reason soon
// after a line ended does not leave "a line plays" as its last word, which
// would silence the kiosk for nothing.
const live = new Set<HTMLAudioElement>();
const onChange: (() => void)[] = [];

/** Whether a line is playing, or asked to. */
export function sounding(): boolean {
  return live.size > 0;
}

/** Call fn each time a line is asked to play, and once sound has stopped. */
export function onSoundChange(fn: () => void): void {
  onChange.push(fn);
}

function told(): void {
  onChange.forEach((fn) => fn());
}

// Quiet is told only after a pause longer than the gap between the lines
// of one reading (the next is already fetched): a "quiet" ping between two
// lines would be the last word of a page frozen as the second one starts.
const SILENT_MS = 1000;
let quietTimer = 0;

/** p is no longer sounding; tell the kiosk once the page stays quiet. */
function letGo(p: HTMLAudioElement): void {
  if (!live.delete(p) || live.size > 0) return;
  window.clearTimeout(quietTimer);
  quietTimer = window.setTimeout(() => {
    if (live.size === 0) told();
  }, SILENT_MS);
}

/**
 * p.play(), known to the heartbeat until p is retired or refused. The kiosk
 * is told as the line is asked for, not once it plays: a device already hung
 * freezes the page within a fraction of a second of play(), before any
 * "playing" event, and the word must be out by then.
 */
function start(p: HTMLAudioElement): Promise<void> {
  live.add(p);
  told();
  return p.play().catch((err: unknown) => {
    letGo(p); // a refused play() never started
    throw err;
  });
}

/** Make the kiosk silent (or not): what plays stops. */
export function setSoundOff(off: boolean): void {
  if (off && !audio.off) stop();
  audio.off = off;
}

/** One thing to play: a URL, and the element to highlight while it plays. */
interface Item {
  url: string;
  el?: Element;
  /** The fetched audio as a blob: URL, once asked for. */
  blob?: Promise<string>;
}

let el: HTMLAudioElement | undefined;
let release: (() => void) | undefined;
let queue: Item[] = [];
let at = -1;
let marked: Element | undefined;
// Each reading is a run; Stop (or a new reading) ends it, and whatever the
// old run still had in flight sees it is stale and does nothing.
let run = 0;
let aborter: AbortController | undefined;
let counted = false;

// One element per line, never given a second source. WebKitGTK froze the
// whole page, for good, when a media element's pipeline was torn down (a new
// src, or load()) while it was still starting: a GStreamer thread holding the
// pipeline's lock waits for the page's thread, which waits for that lock. In
// the desktop window "always read aloud" with quick taps hit it within a few
// sessions (gdb: wavparse in callOnMainThreadAndWait, the page's thread in
// gst_pad_set_active). So a line that is cut short is paused at once and let
// go only once it has started (or failed): see retire().
function player(): HTMLAudioElement {
  const p = new Audio();
  el = p;
  p.addEventListener('playing', () => {
    if (p !== el) return;
    audio.playing = true;
    release ??= holdActive();
    // Counted when sound really starts, not when the button is pressed.
    if (!counted) track({ type: 'audio_used' });
    counted = true;
  });
  p.addEventListener('ended', () => {
    if (p === el) advance(run);
    retire(p);
  });
  // A line the voice could not say is skipped, not the end of the reading.
  p.addEventListener('error', () => {
    if (p === el && at >= 0) advance(run);
    retire(p);
  });
  return p;
}

/** How long a line may take to start before it is let go all the same. */
const START_LIMIT_MS = 5000; // a local blob starts in tens of milliseconds

/**
 * Stop p and free its player (WebKit's GStreamer pipeline, with its threads
 * and buffers) once it is safe to: at once if it has started or failed, else
 * when it does. Elements that are only dropped keep their pipelines until the
 * page's garbage collector runs, which on a quiet page can be never.
 */
function retire(p: HTMLAudioElement): void {
  letGo(p);
  p.pause();
  const free = () => {
    window.clearTimeout(timer);
    p.removeEventListener('loadedmetadata', free);
    p.removeEventListener('error', free);
    if (p.getAttribute('src') === null) return;
    const src = p.src;
    p.removeAttribute('src');
    p.load();
    if (src.startsWith('blob:')) URL.revokeObjectURL(src);
  };
  let timer = 0;
  if (p.readyState >= HTMLMediaElement.HAVE_METADATA || p.error || p.networkState === HTMLMediaElement.NETWORK_EMPTY) {
    free();
    return;
  }
  p.addEventListener('loadedmetadata', free);
  p.addEventListener('error', free);
  timer = window.setTimeout(free, START_LIMIT_MS);
}

// Audio is fetched, then played from a blob: URL. WebKitGTK hands a media
// element's URL to GStreamer, which cannot read the desktop window's own
// wails:// scheme (the load fails with a FormatError); fetch() can, and a
// blob: URL plays everywhere. A line is small (a WAV of a few seconds).
function blobOf(item: Item, signal: AbortSignal): Promise<string> {
  item.blob ??= fetch(item.url, { cache: 'no-store', signal }).then(async (res) => {
    if (!res.ok) throw new Error(`${item.url}: HTTP ${res.status}`);
    return URL.createObjectURL(await res.blob());
  });
  return item.blob;
}

function forget(item: Item | undefined): void {
  item?.blob?.then(URL.revokeObjectURL, () => {});
}

/** The reading is over (finished or stopped): let go of everything. */
function finish(): void {
  run++;
  aborter?.abort();
  aborter = undefined;
  queue.forEach(forget);
  queue = [];
  at = -1;
  mark(undefined);
  audio.playing = false;
  release?.();
  release = undefined;
}

async function advance(mine: number): Promise<void> {
  if (mine !== run || !aborter) return;
  forget(queue[at]);
  at++;
  const item = queue[at];
  if (!item) {
    finish();
    return;
  }
  mark(item.el);
  const signal = aborter.signal;
  let src: string;
  try {
    src = await blobOf(item, signal);
  } catch {
    if (mine === run) void advance(mine); // unsaid: go on to the next line
    return;
  }
  if (mine !== run) return;
  const next = queue[at + 1];
  if (next) void blobOf(next, signal).catch(() => {}); // ready when this one ends
  if (el) retire(el);
  const p = player();
  p.src = src;
  p.volume = audio.volume;
  start(p).catch((err: unknown) => {
    // Refused by policy: stop rather than race through the list. (A line that
    // cannot be decoded fires "error", which moves on; an abort only means
    // the next line took over.)
    if (mine === run && err instanceof DOMException && err.name === 'NotAllowedError') finish();
  });
}

function mark(target: Element | undefined): void {
  if (marked === target) return;
  marked?.removeAttribute('data-reading');
  marked = target;
  if (!target) return;
  target.setAttribute('data-reading', '');
  target.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
}

function lineLang(lang: string): string {
  return lang.toLowerCase().split('-')[0] ?? '';
}

/** What pressing Play plays now: the recording, else the screen read aloud. */
function items(within?: Element): Item[] {
  if (audio.src && !within) return [{ url: audio.src }];
  const root = within ?? readingRoot();
  if (!root) return [];
  return readLines(root)
    .map((l) => ({ ...l, lang: lineLang(l.lang) }))
    .filter((l) => audio.voices.includes(l.lang))
    .map((l) => ({ url: speechURL(l), el: l.el }));
}

/** Whether Play has anything to play on this screen. */
export function canPlay(): boolean {
  return !audio.off && (audio.src !== '' || audio.voices.length > 0);
}

/**
 * Set the current screen's recorded narration ('' for none: the screen is
 * read aloud). Call it when a screen shows, and again when its content
 * changes (next step). Stops what played.
 */
export function setNarration(url: string): void {
  if (url === audio.src && url !== '') return;
  stop();
  audio.src = url;
  if (session.readAloud) readWhenSettled();
}

/**
 * Play the screen's narration from the start; with within, read that part of
 * the page aloud instead (the closed notice, outside the shell).
 */
export function play(within?: Element): void {
  cancelSettle();
  stop();
  if (audio.off) return;
  const list = items(within);
  if (!list.length) return;
  queue = list;
  at = -1;
  counted = false;
  aborter = new AbortController();
  void advance(run);
}

/** Play the narration from the start (the same as play: a reading restarts). */
export function replay(): void {
  play();
}

/** Stop playing. */
export function stop(): void {
  if (el) retire(el);
  el = undefined;
  finish();
}

/** Set the volume (0..1). */
export function setVolume(v: number): void {
  audio.volume = Math.min(1, Math.max(0, v));
  if (el) el.volume = audio.volume;
}

/**
 * Play a one-off prompt (the idle warning) without touching the screen's
 * narration and without counting as activity: the first of urls that
 * answers (a recording, then the voice saying the same). None: silent.
 */
export function prompt(urls: string[]): void {
  if (audio.off) return;
  const signal = new AbortController().signal;
  const first = urls.reduce<Promise<string>>((tried, url) => tried.catch(() => blobOf({ url }, signal)), Promise.reject(new Error('none')));
  first
    .then((src) => start(oneOff(src)))
    .catch(() => {});
}

/** An element for one prompt, let go (and its blob: URL) when it has played. */
function oneOff(src: string): HTMLAudioElement {
  const p = new Audio(src);
  p.volume = audio.volume;
  p.addEventListener('ended', () => retire(p));
  p.addEventListener('error', () => retire(p));
  return p;
}

/**
 * Play url once, like prompt, but stoppable: stop() ends it at once (and a
 * fetch still under way). fetched says whether the audio came (false for an
 * error answer, such as 404 for a line with no recording).
 */
export function playOnce(url: string): { stop: () => void; fetched: Promise<boolean> } {
  if (audio.off) return { stop: () => {}, fetched: Promise.resolve(false) };
  const aborter = new AbortController();
  let p: HTMLAudioElement | undefined;
  const fetched = blobOf({ url }, aborter.signal).then(
    (src) => {
      if (aborter.signal.aborted) {
        URL.revokeObjectURL(src);
        return true;
      }
      p = oneOff(src);
      start(p).catch(() => {});
      return true;
    },
    () => false,
  );
  return {
    stop: () => {
      aborter.abort();
      if (p) retire(p);
    },
    fetched,
  };
}

// "Always read aloud" waits for the new screen to settle: its data loaded
// (nothing aria-busy) and the page unchanged for a moment, so it reads what
// is there, not a loading line.
const QUIET_MS = 350;
const MAX_WAIT_MS = 6000;
let settle: (() => void) | undefined;

function cancelSettle(): void {
  settle?.();
  settle = undefined;
}

/** Read the screen aloud once it has settled (the session's "always read aloud"). */
export function readWhenSettled(): void {
  cancelSettle();
  if (typeof MutationObserver === 'undefined') return;
  let timer = 0;
  const started = Date.now();
  const check = () => {
    const root = readingRoot();
    const busy = root?.querySelector('[aria-busy=true]');
    if (busy && Date.now() - started < MAX_WAIT_MS) {
      timer = window.setTimeout(check, QUIET_MS);
      return;
    }
    cancelSettle();
    if (session.readAloud) play();
  };
  const seen = new MutationObserver(() => {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, Date.now() - started > MAX_WAIT_MS ? 0 : QUIET_MS);
  });
  seen.observe(document.body, { subtree: true, childList: true, characterData: true });
  timer = window.setTimeout(check, QUIET_MS);
  settle = () => {
    seen.disconnect();
    window.clearTimeout(timer);
  };
}

onWipe(() => {
  cancelSettle();
  stop();
  audio.src = '';
  setVolume(0.8);
});
