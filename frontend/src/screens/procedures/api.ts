// The procedures feature's part of the API (kiosk/api/procedures.go and
// search.go), typed. Every text arrives in the requested language; `fallback`
// names the fields that came in Vietnamese for want of a translation.

import { getJSON, postJSON } from '../../lib/api';

export interface FieldInfo {
  id: string;
  title: string;
  icon?: string;
  procedures: string[];
}

export interface LifeEvent {
  id: string;
  title: string;
  summary?: string;
  icon?: string;
  procedures: string[];
  flow?: string;
}

export interface ProcedureItem {
  code: string;
  national_code: boolean;
  title: string;
  name: string;
  summary: string;
  field: string;
  office: string;
}

export interface ProcedureList {
  lang: string;
  fields: FieldInfo[];
  life_events: LifeEvent[];
  procedures: ProcedureItem[];
  fallback?: string[];
}

/** The receiving office, resolved against this commune's overlay. */
export interface Office {
  id: string;
  known: boolean;
  name?: string;
  address?: string;
  phone?: string;
  hours?: string[];
  today: string;
  today_known: boolean;
}

export interface Basis {
  document: string;
  articles?: string;
}

export interface Source {
  url: string;
  evidence: string;
  read_on?: string; // dd/mm/yyyy
}

/** A person's check of the facts against the live national record and the province's decision. */
export interface Checked {
  on: string; // dd/mm/yyyy
  by: string;
  against: string;
}

export interface Provenance {
  legal_basis: Basis[];
  decision?: string;
  sources: Source[];
  compiled_on: string; // dd/mm/yyyy: compiled from the sources, not checked live
  checked?: Checked;
  valid_until?: string;
  expired: boolean; // past valid_until: the facts may have changed
  evidence: string;
}

export interface Duration {
  unit: 'immediate' | 'same_day' | 'working_day' | 'day' | 'hour' | 'unknown';
  amount?: number;
  note?: string;
}

export interface Channel {
  kind: 'in_person' | 'post' | 'online' | 'vneid';
  note?: string;
}

export interface Procedure extends Provenance {
  lang: string;
  code: string;
  national_code: boolean;
  title: string;
  name: string;
  summary: string;
  field: FieldInfo;
  level: string;
  agency: string;
  office: Office;
  conditions: string[];
  cases: { id: string; name: string; code?: string }[];
  time: Duration;
  exemptions: string[];
  steps: string[];
  channels: Channel[];
  result: string;
  notes: string[];
  flow: string;
  portal_url: string;
  fallback?: string[];
}

export interface FlowAnswer {
  id: string;
  text: string;
  next?: string;
  end: boolean;
  procedure?: string;
  ask_staff?: boolean;
}

export interface FlowQuestion {
  id: string;
  text: string;
  help?: string;
  audio?: string;
  answers: FlowAnswer[];
}

export interface Flow {
  lang: string;
  id: string;
  start: string;
  procedure?: string;
  life_event?: string;
  questions: FlowQuestion[];
  fallback?: string[];
}

export interface Document {
  name: string;
  short?: string;
  originals: number;
  copies: number;
  form?: string;
  action: 'hand_in' | 'show';
  replaceable: boolean;
  note?: string;
}

export interface Fee {
  channel?: string;
  kind: 'free' | 'amount' | 'province' | 'unknown';
  amount?: number;
  amount_text?: string;
  per?: string;
  note?: string;
  basis?: string;
}

export interface ReviewLine {
  question: string;
  question_text: string;
  answer: string;
  answer_text: string;
}

export interface Result extends Provenance {
  lang: string;
  status: 'ok' | 'ask_staff' | 'incomplete';
  next?: string;
  code: string;
  national_code: boolean;
  title: string;
  review: ReviewLine[];
  office: Office;
  case?: { id: string; name: string; code?: string };
  documents?: Document[];
  fee?: Fee;
  fees?: Fee[];
  online_cheaper: boolean;
  exemptions?: string[];
  time?: Duration;
  channels?: Channel[];
  steps?: string[];
  result?: string;
  notes?: string[];
  checklist?: string;
  checklist_qr?: string;
  portal_url: string;
  portal_qr: string;
  fallback?: string[];
}

export interface SearchResult {
  kind: 'procedure' | 'tutorial';
  id: string;
  code?: string;
  title: string;
}

const q = (lang: string) => `lang=${encodeURIComponent(lang)}`;

export const procedureList = (lang: string, signal?: AbortSignal): Promise<ProcedureList> =>
  getJSON(`/api/procedures?${q(lang)}`, signal);
export const procedure = (code: string, lang: string, signal?: AbortSignal): Promise<Procedure> =>
  getJSON(`/api/procedures/${encodeURIComponent(code)}?${q(lang)}`, signal);
export const flow = (id: string, lang: string, signal?: AbortSignal): Promise<Flow> =>
  getJSON(`/api/flows/${encodeURIComponent(id)}?${q(lang)}`, signal);
export const result = (code: string, answers: Record<string, string>, lang: string): Promise<Result> =>
  postJSON(`/api/procedures/${encodeURIComponent(code)}/result?${q(lang)}`, { answers });
export const search = (text: string, lang: string, signal?: AbortSignal): Promise<{ results: SearchResult[] }> =>
  getJSON(`/api/search?q=${encodeURIComponent(text)}&${q(lang)}`, signal);
