// Staff mode: a layer over the kiosk, opened by a long press in the top-left
// corner and a PIN. While it is open the resident's idle watch is paused and
// staff mode closes itself after idle.staff_seconds without a touch.

import { setStaffToken, staffLogout, staffPing } from './api';
import { stopIdle } from './idle.svelte';

export type StaffView = 'closed' | 'pin' | 'open';

interface StaffState {
  view: StaffView;
  /** Staff route shown when open: 'staff' (the panel), 'staff-insights', … */
  screen: string;
  /** Seconds without a touch before staff mode closes itself. */
  idleSeconds: number;
}

export const staff: StaffState = $state({ view: 'closed', screen: 'staff', idleSeconds: 120 });

let timer: ReturnType<typeof setTimeout> | undefined;
let resume: (() => void) | undefined;
let lastPing = 0;

/**
 * Open the PIN pad. resumeResident restarts the resident's idle watch on
 * close; idleSeconds is the kiosk's idle.staff_seconds, which a pad left
 * alone keeps too (outside QA: it waited the built-in 120 s).
 */
export function openStaffPin(resumeResident?: () => void, idleSeconds?: number): void {
  resume = resumeResident;
  if (idleSeconds) staff.idleSeconds = idleSeconds;
  stopIdle();
  staff.view = 'pin';
  staff.screen = 'staff';
  staffActivity(); // a PIN pad left alone closes too, and gives the kiosk back
}

/** The PIN was right: show the panel. */
export function staffSignedIn(token: string, idleSeconds: number): void {
  setStaffToken(token);
  lastPing = Date.now();
  staff.idleSeconds = idleSeconds;
  staff.view = 'open';
  staff.screen = 'staff';
  staffActivity();
}

/** Show another staff screen (e.g. 'staff-insights'). */
export function staffGo(screen: string): void {
  staff.screen = screen;
  staffActivity();
}

/** A touch in staff mode: restart the self-closing timer. */
export function staffActivity(): void {
  clearTimeout(timer);
  if (staff.view === 'closed') return;
  timer = setTimeout(() => closeStaff(), staff.idleSeconds * 1000);
  // The server ends the staff session on the same idle time; touches that
  // make no request still count, so tell it now and then.
  const now = Date.now();
  if (staff.view === 'open' && now - lastPing > 20_000) {
    lastPing = now;
    staffPing().catch(() => closeStaff());
  }
}

/** Leave staff mode (logout on the server) and give the kiosk back. */
export function closeStaff(): void {
  clearTimeout(timer);
  const wasOpen = staff.view === 'open';
  staff.view = 'closed';
  staff.screen = 'staff';
  if (wasOpen) staffLogout().catch(() => {});
  setStaffToken('');
  const r = resume;
  resume = undefined;
  r?.();
}
