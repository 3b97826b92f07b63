// The assistant's memory for one visit: the answers given, per flow. It lives
// in the session (a wipe clears it) and never holds anything personal —
// only which answer was touched.

import { session, slot } from '../../lib/session.svelte';
import type { Flow } from '../../lib/api';

const SLOT = 'procedures';

interface Answers {
  byFlow: Record<string, Record<string, string>>;
  // By procedure code: what a life event's questions already settled.
  leads?: Record<string, Lead>;
}

/**
 * What a life event's questions settled before a procedure's own: how many
 * were asked (so the procedure's questions number on from there, one
 * sequence) and the way of filing an answer chose ("Đến xã" → in_person).
 */
export interface Lead {
  asked: number;
  channel?: string;
}

/** This session's answers (call it each time: a wipe replaces the object). */
function store(): Answers {
  return slot(SLOT, () => ({ byFlow: {} }) as Answers);
}

/** The answers given so far in flow id, to read (never mutate this one). */
export function given(id: string): Record<string, string> {
  // Read without creating the slot: this runs inside derived state.
  const s = session.slots[SLOT] as Answers | undefined;
  return s?.byFlow[id] ?? {};
}

/** The lead into procedure code, when the person came by a life event. */
export function leadInto(code: string): Lead | undefined {
  const s = session.slots[SLOT] as Answers | undefined;
  return s?.leads?.[code];
}

/** Remember (or, with undefined, forget) the lead into procedure code. */
export function setLead(code: string, lead: Lead | undefined): void {
  const s = store();
  if (lead) (s.leads ??= {})[code] = lead;
  else if (s.leads) delete s.leads[code];
}

/**
 * Record the answer to question in flow f, and to its twins on other
 * branches (same_as): one question asked twice holds one answer. Otherwise
 * a twin's older answer outlives a change — late, married; changed to on
 * time, then "not married"; back to late — and the walk would take it.
 */
export function setAnswer(f: Flow, question: string, answer: string): void {
  const a = (store().byFlow[f.id] ??= {});
  a[question] = answer;
  const self = f.questions.find((q) => q.id === question);
  for (const q of f.questions) {
    if (q.id !== question && (q.id === self?.same_as || q.same_as === question)) a[q.id] = answer;
  }
}

export interface Walk {
  path: { question: string; answer: string }[];
  next?: string; // the first unanswered question on the path
  end?: { procedure?: string; askStaff?: boolean; channel?: string; done: boolean };
}

/**
 * Follows the answers from the start, as the server does: answers off the
 * path are ignored, so a changed answer keeps what still applies, and a
 * question copied onto another branch (same_as) takes the answer already
 * given there. Stops at the first unanswered question or at an end; never
 * loops.
 */
export function walk(f: Flow, a: Record<string, string>): Walk {
  const w: Walk = { path: [] };
  let id = f.start;
  for (let steps = 0; steps <= f.questions.length; steps++) {
    const q = f.questions.find((x) => x.id === id);
    if (!q) return w;
    const given = a[id] ?? (q.same_as ? a[q.same_as] : undefined);
    const ans = q.answers.find((x) => x.id === given);
    if (!ans) {
      w.next = id;
      return w;
    }
    w.path.push({ question: id, answer: ans.id });
    if (!ans.end && ans.next) {
      id = ans.next;
      continue;
    }
    w.end = { procedure: ans.procedure, askStaff: ans.ask_staff, channel: ans.channel, done: true };
    return w;
  }
  return w;
}
