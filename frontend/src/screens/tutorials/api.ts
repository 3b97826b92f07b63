// The tutorials feature's part of the API (kiosk/api/tutorials.go), typed.
// Built on the shell's one client (lib/api.ts). Every text arrives already in
// the requested language; `fallback` names the fields of an object that came
// in Vietnamese because no translation exists, so the screen can mark them.

import { getJSON, postJSON } from '../../lib/api';

export interface ModuleInfo {
  id: string;
  title: string;
  description?: string;
  fallback?: string[];
}

/** What the catalogue card and the lesson both say about a lesson. */
export interface LessonHead {
  id: string;
  title: string;
  module: string;
  module_title: string;
  description: string;
  minutes: number;
  cover: string;
}

export interface LessonCard extends LessonHead {
  steps: number;
  checks: number;
  practice: boolean;
  fallback?: string[];
}

export interface Catalogue {
  lang: string;
  platform_url: string;
  modules: ModuleInfo[];
  tutorials: LessonCard[];
}

export type ElementKind = 'status' | 'title' | 'text' | 'input' | 'button' | 'item' | 'bubble' | 'link';

export interface PracticeElement {
  kind: ElementKind;
  text?: string;
  label?: string;
  value?: string;
  style?: string;
  tappable: boolean;
  correct: boolean;
  hint?: string;
}

export interface Practice {
  elements: PracticeElement[];
  hint: string;
  right: string;
}

export interface Step {
  n: number;
  title?: string;
  text: string;
  hint: string;
  illustration?: string;
  practice?: Practice;
  narration?: string;
  narration_lang?: string;
  fallback?: string[];
}

export interface Answer {
  text: string;
  correct: boolean;
}

export interface Check {
  question: string;
  answers: Answer[];
  hint?: string;
  explain?: string;
  fallback?: string[];
}

export interface Lesson extends LessonHead {
  lang: string;
  learnt: string[];
  steps: Step[];
  checks: Check[];
  fallback?: string[];
  generation: number;
}

export interface QrText {
  text: string;
  qr: string; // data: URL
}

export interface ResumeCode extends QrText {
  code: string;
  display: string;
  expires: string; // YYYY-MM-DD
}

export interface ResumePoint {
  tutorial: string;
  step: number;
}

/** Why a resume code did not open: the catalogue words each for the resident. */
export type ResumeFailure = 'malformed' | 'typo' | 'unknown' | 'expired' | 'other_version';

const q = (lang: string) => `?lang=${encodeURIComponent(lang)}`;

export const catalogue = (lang: string): Promise<Catalogue> => getJSON('/api/tutorials' + q(lang));
export const lesson = (id: string, lang: string): Promise<Lesson> =>
  getJSON(`/api/tutorials/${encodeURIComponent(id)}` + q(lang));
export const summary = (lessons: string[], lang: string): Promise<QrText> =>
  postJSON('/api/tutorials/summary', { lessons, lang });
export const makeResumeCode = (tutorial: string, step: number, lang: string): Promise<ResumeCode> =>
  postJSON('/api/resume', { tutorial, step, lang });
export const readResumeCode = (code: string): Promise<ResumePoint> =>
  getJSON(`/api/resume/${encodeURIComponent(code)}`);
