// Narration: one audio player for the whole kiosk, driven by the shell's
// <AudioControl>. A screen says what its narration is with setNarration(url)
// (recorded files from the content pack, e.g. mediaURL('tutorials/x/1.mp3'));
// the resident plays, replays, stops and sets the volume. Quiet unless asked,
// except that the session's "always read aloud" plays each new narration.
// Playing counts as activity for the idle watch.

import { holdActive } from './idle.svelte';
import { onWipe, session } from './session.svelte';
import { track } from './track';

interface AudioState {
  /** The current screen's narration URL, or '' when it has none. */
  src: string;
  playing: boolean;
  /** 0..1 */
  volume: number;
}

export const audio: AudioState = $state({ src: '', playing: false, volume: 0.8 });

let el: HTMLAudioElement | undefined;
let release: (() => void) | undefined;

function player(): HTMLAudioElement {
  if (!el) {
    el = new Audio();
    el.preload = 'auto';
    el.addEventListener('playing', () => {
      audio.playing = true;
      release ??= holdActive();
    });
    for (const ev of ['pause', 'ended', 'error', 'emptied']) {
      el.addEventListener(ev, () => {
        audio.playing = false;
        release?.();
        release = undefined;
      });
    }
  }
  return el;
}

/**
 * Set the current screen's narration ('' for none). Call it when a screen
 * shows, and again when its content changes (next step). Stops what played.
 */
export function setNarration(url: string): void {
  if (url === audio.src) return;
  stop();
  audio.src = url;
  if (url && session.readAloud) play();
}

/** Play the narration from where it stopped (or the start). */
export function play(): void {
  if (!audio.src) return;
  const p = player();
  if (p.getAttribute('src') !== audio.src) p.src = audio.src;
  p.volume = audio.volume;
  track({ type: 'audio_play' });
  p.play().catch(() => {
    audio.playing = false;
  });
}

/** Play the narration from the start. */
export function replay(): void {
  if (!audio.src) return;
  const p = player();
  if (p.getAttribute('src') === audio.src) p.currentTime = 0;
  play();
}

/** Stop playing. */
export function stop(): void {
  if (el && !el.paused) el.pause();
  if (el) el.currentTime = 0;
}

/** Set the volume (0..1). */
export function setVolume(v: number): void {
  audio.volume = Math.min(1, Math.max(0, v));
  if (el) el.volume = audio.volume;
}

/**
 * Play a one-off prompt (the idle warning) without touching the screen's
 * narration and without counting as activity. Missing files are silent.
 */
export function prompt(url: string): void {
  const p = new Audio(url);
  p.volume = audio.volume;
  p.play().catch(() => {});
}

onWipe(() => {
  stop();
  audio.src = '';
  setVolume(0.8);
});
