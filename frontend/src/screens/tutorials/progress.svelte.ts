// What this session has done in the lessons: finished lesson ids (marked in
// the catalogue, listed in the take-home summary) and the last step seen per
// lesson. Lives in the session, so a wipe forgets it.

import { slot } from '../../lib/session.svelte';

interface Progress {
  finished: string[];
  lastStep: Record<string, number>;
}

/** This session's progress (call it each time; a wipe replaces the object). */
export function progress(): Progress {
  return slot('tutorials', () => ({ finished: [], lastStep: {} }) as Progress);
}

export function markFinished(id: string): void {
  const p = progress();
  if (!p.finished.includes(id)) p.finished.push(id);
}

/** The characters of a resume code (Crockford base 32, as kiosk/resume). */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 8;

/** dd/mm/yyyy from YYYY-MM-DD, the way dates are written in Vietnam. */
export function vnDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return y && m && d ? `${d}/${m}/${y}` : iso;
}
