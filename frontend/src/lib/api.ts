// The one typed client for the kiosk's HTTP JSON API (/api/...). Screens call
// these functions and never fetch() themselves, so every request shares error
// handling and the staff token. Add a typed function per endpoint you use, in
// the section for your feature, built on getJSON/postJSON.
//
// The shapes come from the Go types, generated into api.gen.ts (`go generate
// ./kiosk/api`; a Go test fails while that file is stale): never write an
// interface for an API answer by hand. Every text of a content answer arrives
// in the requested language; `fallback` names the fields that came in
// Vietnamese for want of a translation, so the screen can mark them.
//
// Every URL is relative to the page ("api/health", never "/api/health"): the
// same build runs at / (tramso serve, the desktop window) and below a prefix
// (the hub's preview of draft content, /admin/content/preview/{change}/).

import type {
  AliveAnswer,
  AliveRequest,
  ApiErrorBody,
  ApiErrorCode,
  Catalogue,
  Flow,
  Health,
  Hours,
  KioskInfo,
  Lesson,
  OkAnswer,
  PackCatalogues,
  Procedure,
  ProcedureList,
  QrText,
  Result,
  ResultRequest,
  ResumeCode,
  ResumePoint,
  ResumeRequest,
  SearchAnswer,
  StaffActionRequest,
  StaffContentStatus,
  StaffHours,
  StaffHoursRequest,
  StaffLogAction,
  StaffLogin,
  StaffLoginRequest,
  StaffSound,
  StaffSoundRequest,
  StaffStatus,
  StaffUpdateStatus,
  StaffUsb,
  StaffUsbInstall,
  StaffUsbInstallRequest,
  StaffWindow,
  SummaryRequest,
  UsageInsights,
  UsageSession,
  UsageTrackEvent,
  WindowAction,
} from './api.gen';

export type * from './api.gen';

/**
 * An API answer that was not 2xx. `message` is the server's English prose,
 * for logs only; screens decide on `code` (undefined when the answer did not
 * come from the API, e.g. no JSON at all).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode | undefined;
  /** The whole error answer: some carry more (tries_left, locked_until). */
  readonly body: Partial<ApiErrorBody> & Record<string, unknown>;
  constructor(status: number, message: string, body: Partial<ApiErrorBody> & Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.body = body;
  }
}

let staffToken = '';

/** Set (or clear with '') the staff session token sent with every request. */
export function setStaffToken(token: string): void {
  staffToken = token;
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (staffToken) headers['X-Staff-Token'] = staffToken;
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
    cache: 'no-store',
  });
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const obj = (data && typeof data === 'object' ? data : {}) as Partial<ApiErrorBody> & Record<string, unknown>;
    const msg = typeof obj.error === 'string' ? obj.error : `${method} ${path}: HTTP ${res.status}`;
    throw new ApiError(res.status, msg, obj);
  }
  return data as T;
}

/** GET a JSON answer. */
function getJSON<T>(path: string, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', path, undefined, signal);
}

/** POST a JSON body and read a JSON answer. */
function postJSON<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return request<T>('POST', path, body, signal);
}

/** URL of a file in the current content pack's media/ folder. */
export function mediaURL(path: string): string {
  return 'api/media/' + path.split('/').map(encodeURIComponent).join('/');
}

/** URL of a QR code PNG for text (how links leave the kiosk). */
export function qrURL(text: string, size: number): string {
  return `api/qr?text=${encodeURIComponent(text)}&size=${size}`;
}

/** The ?lang= query of the content endpoints. */
const langQuery = (lang: string) => `lang=${encodeURIComponent(lang)}`;

// ---- shell: health and kiosk set-up -------------------------------------

export const health = (): Promise<Health> => getJSON('api/health');
export const kioskInfo = (): Promise<KioskInfo> => getJSON('api/kiosk');
export const packCatalogues = (): Promise<PackCatalogues> => getJSON('api/catalogues');

// ---- staff mode ----------------------------------------------------------

export const staffStatus = (): Promise<StaffStatus> => getJSON('api/staff/status');
export const staffLogin = (pin: string): Promise<StaffLogin> => postJSON('api/staff/login', { pin } satisfies StaffLoginRequest);
export const staffLogout = (): Promise<OkAnswer> => postJSON('api/staff/logout', {});
export const staffPing = (): Promise<OkAnswer> => postJSON('api/staff/ping', {});
export const staffLog = (action: StaffLogAction): Promise<OkAnswer> => postJSON('api/staff/log', { action } satisfies StaffActionRequest);
export const staffWindow = (action: WindowAction): Promise<OkAnswer> => postJSON('api/staff/window', { action } satisfies StaffActionRequest);
/** The desktop window's incidents of the last 7 days (its page froze or crashed, and came back). */
export const staffWindowState = (): Promise<StaffWindow> => getJSON('api/staff/window');
/** The kiosk's sound: off after its page froze on the sound device (kiosk/sound). */
export const staffSound = (): Promise<StaffSound> => getJSON('api/staff/sound');
export const staffSetSound = (on: boolean): Promise<StaffSound> => postJSON('api/staff/sound', { on } satisfies StaffSoundRequest);
/** Staff's exception to the opening hours: open until a time, closed for today, or the usual hours. */
export const staffHours = (): Promise<StaffHours> => getJSON('api/staff/hours');
export const staffSetHours = (req: StaffHoursRequest): Promise<StaffHours> => postJSON('api/staff/hours', req);

// ---- staff mode: content updates (kiosk/api/update.go, kiosk/update) -----

export const staffUpdate = (): Promise<StaffUpdateStatus> => getJSON('api/staff/update');
export const staffContent = (): Promise<StaffContentStatus> => getJSON('api/staff/content');
/** Ask the update client to check the hub now (202 with the state; 409 not_enrolled). */
export const staffUpdateNow = (): Promise<StaffUpdateStatus> => postJSON('api/staff/update/now', {});
/** Back to the previous content generation (409 nothing_to_restore when there is none). */
export const staffRollback = (): Promise<StaffUpdateStatus> => postJSON('api/staff/update/rollback', {});
/** Content packs on the USB sticks plugged in (kiosk/api/staff_usb.go). */
export const staffUsb = (): Promise<StaffUsb> => getJSON('api/staff/usb');
/** Install a listed USB pack through the kiosk's inbox; waits for the kiosk's answer (409 read_only). */
export const staffUsbInstall = (id: string): Promise<StaffUsbInstall> => postJSON('api/staff/usb/install', { id } satisfies StaffUsbInstallRequest);

// ---- usage: anonymous usage events and the staff insights ----------------

/** A usage event as sent: one of the schema's events, in a session. */
export type UsageEvent = UsageTrackEvent & { session: string };

/** Open a usage session; the kiosk draws its random id. */
export const startUsageSession = (): Promise<UsageSession> => postJSON('api/sessions', {});

/**
 * Send usage events, fire-and-forget: keepalive so a batch survives the page
 * going away, or a beacon when it is going away now. Resolves to the HTTP
 * status (0 when it could not be sent); never rejects.
 */
export async function sendUsageEvents(events: UsageEvent[], beacon = false): Promise<number> {
  const body = JSON.stringify(events);
  try {
    if (beacon && typeof navigator.sendBeacon === 'function') {
      return navigator.sendBeacon('api/events', new Blob([body], { type: 'application/json' })) ? 202 : 0;
    }
    const res = await fetch('api/events', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
      keepalive: true,
      cache: 'no-store',
    });
    return res.status;
  } catch {
    return 0;
  }
}

/** The staff usage figures (staff mode only). */
export const usageInsights = (): Promise<UsageInsights> => getJSON('api/staff/usage');

// ---- deployment: watchdog heartbeat and opening hours --------------------

/** The page's heartbeat (lib/heartbeat.ts): keeps systemd's watchdog fed. */
export const postAlive = (sound: boolean): Promise<AliveAnswer> => postJSON('api/alive', { sound } satisfies AliveRequest);
/** Between residents: the desktop window starts the page again in a fresh web process. */
export const renewWindow = (): Promise<OkAnswer> => postJSON('api/window/renew', {});

/** Whether the kiosk is open now, and its hours. */
export const getHours = (signal?: AbortSignal): Promise<Hours> => getJSON('api/hours', signal);

// ---- procedures assistant (kiosk/api/procedures.go) ----------------------

export const procedureList = (lang: string, signal?: AbortSignal): Promise<ProcedureList> =>
  getJSON(`api/procedures?${langQuery(lang)}`, signal);
export const procedure = (code: string, lang: string, signal?: AbortSignal): Promise<Procedure> =>
  getJSON(`api/procedures/${encodeURIComponent(code)}?${langQuery(lang)}`, signal);
export const flow = (id: string, lang: string, signal?: AbortSignal): Promise<Flow> =>
  getJSON(`api/flows/${encodeURIComponent(id)}?${langQuery(lang)}`, signal);
/** The result tailored to answers; channel is the way of filing chosen before the questions, if any. */
export const result = (code: string, answers: Record<string, string>, lang: string, channel?: string): Promise<Result> =>
  postJSON(`api/procedures/${encodeURIComponent(code)}/result?${langQuery(lang)}`, { answers, channel } satisfies ResultRequest);

// ---- search (kiosk/api/search.go) ----------------------------------------

export const search = (text: string, lang: string, signal?: AbortSignal): Promise<SearchAnswer> =>
  getJSON(`api/search?q=${encodeURIComponent(text)}&${langQuery(lang)}`, signal);

// ---- tutorials (kiosk/api/tutorials.go) ----------------------------------

export const catalogue = (lang: string): Promise<Catalogue> => getJSON(`api/tutorials?${langQuery(lang)}`);
export const lesson = (id: string, lang: string): Promise<Lesson> =>
  getJSON(`api/tutorials/${encodeURIComponent(id)}?${langQuery(lang)}`);
export const summary = (lessons: string[], lang: string): Promise<QrText> =>
  postJSON('api/tutorials/summary', { lessons, lang } satisfies SummaryRequest);
export const makeResumeCode = (tutorial: string, step: number, lang: string): Promise<ResumeCode> =>
  postJSON('api/resume', { tutorial, step, lang } satisfies ResumeRequest);
/** Fails with an ApiError whose code (resume_typo, resume_expired…) the screen words. */
export const readResumeCode = (code: string): Promise<ResumePoint> => getJSON(`api/resume/${encodeURIComponent(code)}`);
