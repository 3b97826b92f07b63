// Screen router. Screens are named (see src/routes.ts); the kiosk has no URLs a
// resident could type or bookmark, so the route lives in memory only and a
// wipe returns to the attract screen.

import { setNarration } from './audio.svelte';
import { onWipe } from './session.svelte';
import type { UsageScreen } from './api';
import { track } from './track';

export type Params = Record<string, string>;

export interface Route {
  /** A route of src/routes.ts, or the attract screen: the usage log's screen names. */
  screen: UsageScreen;
  params: Params;
}

interface RouterState {
  current: Route;
  history: Route[];
}

export const ATTRACT = 'attract';
export const HOME = 'home';

export const router: RouterState = $state({ current: { screen: ATTRACT, params: {} }, history: [] });

/** Show screen with params; Back returns to the screen shown now. */
export function go(screen: UsageScreen, params: Params = {}): void {
  router.history.push(router.current);
  show({ screen, params });
}

// Every screen change clears the narration; the new screen sets its own.
function show(route: Route, viewed = true): void {
  setNarration('');
  router.current = route;
  if (viewed) track({ type: 'screen_viewed', screen: route.screen });
}

/** Replace the current screen without adding a Back step. */
export function replace(screen: UsageScreen, params: Params = {}): void {
  show({ screen, params });
}

/** Go back one screen (home when there is nothing to go back to). */
export function back(): void {
  show(router.history.pop() ?? { screen: HOME, params: {} }, false);
}

/** Go to the home screen and forget the way there. */
export function home(): void {
  router.history = [];
  show({ screen: HOME, params: {} });
}

/** True when Back has somewhere to go. */
export function canGoBack(): boolean {
  return router.history.length > 0;
}

onWipe(() => {
  router.history = [];
  router.current = { screen: ATTRACT, params: {} };
});
