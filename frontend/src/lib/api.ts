// The one typed client for the kiosk's HTTP JSON API (/api/...). Screens call
// these functions and never fetch() themselves, so every request shares error
// handling and the staff token. Add a typed function per endpoint you use, in
// the section for your feature, built on getJSON/postJSON.

/** An API answer that was not 2xx. `message` is the server's {"error": ...}. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  constructor(status: number, message: string, body: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
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
    const obj = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
    const msg = typeof obj.error === 'string' ? obj.error : `${method} ${path}: HTTP ${res.status}`;
    throw new ApiError(res.status, msg, obj);
  }
  return data as T;
}

/** GET a JSON answer. */
export function getJSON<T>(path: string, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', path, undefined, signal);
}

/** POST a JSON body and read a JSON answer. */
export function postJSON<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return request<T>('POST', path, body, signal);
}

/** URL of a file in the current content pack's media/ folder. */
export function mediaURL(path: string): string {
  return '/api/media/' + path.split('/').map(encodeURIComponent).join('/');
}

/** URL of a QR code PNG for text (how links leave the kiosk). */
export function qrURL(text: string, size = 360): string {
  return `/api/qr?text=${encodeURIComponent(text)}&size=${size}`;
}

// ---- shell: health and kiosk set-up -------------------------------------

export interface Health {
  status: string;
  app_version: string;
  content: { version: number; source: 'embedded' | 'pack' | string };
}

export interface KioskInfo {
  commune: string;
  languages: string[];
  /** Languages offered although their screens are not translated yet; the chooser labels them. */
  offer_untranslated?: string[];
  idle_seconds: number;
  warning_seconds: number;
  staff_seconds: number;
  window: boolean;
  tutorials: number;
  procedures: number;
  content_title: string;
  /** The kiosk's IANA time zone (schedule.timezone): times are shown in it, whatever the machine's zone. */
  timezone: string;
  /** Languages the kiosk's own voice speaks (screens without a recording are read aloud in them). */
  voices?: string[];
  /** Languages in which the content pack has people's recordings of screen lines (played instead of the voice). */
  recorded?: string[];
}

export const health = (): Promise<Health> => getJSON('/api/health');
export const kioskInfo = (): Promise<KioskInfo> => getJSON('/api/kiosk');

// ---- staff mode ----------------------------------------------------------

export interface StaffStatus {
  configured: boolean;
  locked: boolean;
  locked_until?: string; // RFC 3339
  tries_left: number;
}

export interface StaffLogin {
  token: string;
  idle_seconds: number;
}

export type WindowAction = 'fullscreen' | 'unfullscreen' | 'quit';

/** Things staff do that are logged (what and when; never resident data). */
export type StaffLogAction = 'end_session' | 'open_insights' | 'return_to_kiosk';

export const staffStatus = (): Promise<StaffStatus> => getJSON('/api/staff/status');
export const staffLogin = (pin: string): Promise<StaffLogin> => postJSON('/api/staff/login', { pin });
export const staffLogout = (): Promise<unknown> => postJSON('/api/staff/logout', {});
export const staffPing = (): Promise<unknown> => postJSON('/api/staff/ping', {});
export const staffLog = (action: StaffLogAction): Promise<unknown> => postJSON('/api/staff/log', { action });
export const staffWindow = (action: WindowAction): Promise<unknown> =>
  postJSON('/api/staff/window', { action });

// ---- staff mode: content updates (kiosk/api/update.go, kiosk/update) -----

/**
 * The update client's state (update.Status.State): the hub protocol's states,
 * or 'offline' (enrolled, not connected) and 'not_enrolled' (no hub set).
 */
export type UpdateState = 'not_enrolled' | 'offline' | 'idle' | 'waiting' | 'downloading' | 'applying' | 'failed';

/** GET /api/staff/update — update.Status in kiosk/update/client.go. */
export interface StaffUpdateStatus {
  state: UpdateState | string;
  /** Bytes of the current download (0/0 when none). */
  progress: { done: number; total: number };
  /** The content generation the kiosk runs (0: the embedded starter). */
  generation: number;
  /** The generation the hub offers (0: none known). */
  target_generation: number;
  /** RFC 3339, '' when never synced. */
  last_sync: string;
  last_error: string;
  hub_url: string;
  /** Has a hub URL and device token (`tramso enroll`). */
  enrolled: boolean;
  connected: boolean;
  /** Why the last attempt to reach the hub failed ('' or absent once connected). */
  connect_problem?: 'untrusted_ca' | 'tls' | 'unreachable' | 'revoked' | 'other' | string;
  connect_error?: string;
}

/** Trusted content state (store.ContentState). */
export interface ContentTrustState {
  current: number;
  previous: number;
  highest: number;
  switched_at?: string;
}

/** An authentic manifest the kiosk has seen (store.ContentGeneration). */
export interface ContentGeneration {
  generation: number;
  manifest_sha256: string;
  key_id: string;
  created: string;
  title: string;
  seen_at: string;
  applied_at?: string;
}

/** Why a pack was refused (pack.Kind): stable values. */
export type RejectionKind =
  | 'missing_signature'
  | 'bad_signature'
  | 'unknown_key'
  | 'bad_manifest'
  | 'unknown_schema'
  | 'bad_path'
  | 'too_large'
  | 'not_newer'
  | 'conflicting_manifest'
  | 'hash_mismatch'
  | 'size_mismatch'
  | 'bad_content'
  | 'bad_pack_file'
  | 'missing_file';

/** One refused pack (store.ContentRejection). */
export interface ContentRejection {
  id: number;
  at: string; // RFC 3339
  source: 'usb' | 'hub' | string;
  generation?: number; // absent when not known (refused before the signature check)
  kind: RejectionKind | string;
  detail: string; // English, for the technician
}

/** GET /api/staff/content — pack.Status in kiosk/pack/serve.go. */
export interface StaffContentStatus {
  source: 'pack' | 'embedded' | string;
  generation: number;
  title: string;
  /** Why the embedded starter shows although a pack was applied. */
  fallback?: string;
  state: ContentTrustState;
  applied?: ContentGeneration;
  rejections: ContentRejection[]; // newest first
}

export const staffUpdate = (): Promise<StaffUpdateStatus> => getJSON('/api/staff/update');
export const staffContent = (): Promise<StaffContentStatus> => getJSON('/api/staff/content');
/** Ask the update client to check the hub now (202 with the state; 409 when not enrolled). */
export const staffUpdateNow = (): Promise<StaffUpdateStatus> => postJSON('/api/staff/update/now', {});
/** Back to the previous content generation (409 when there is none). */
export const staffRollback = (): Promise<StaffUpdateStatus> => postJSON('/api/staff/update/rollback', {});

// ---- usage: anonymous usage events and the staff insights ----------------

/** An event of the kiosk's closed usage schema (see kiosk/usage/event.go). */
export interface UsageEvent {
  type: string;
  session?: string;
  screen?: string;
  tutorial?: string;
  procedure?: string;
  step?: number;
  outcome?: 'results' | 'none';
  language?: string;
}

/** Open a usage session; the kiosk draws its random id. */
export const startUsageSession = (): Promise<{ session: string }> => postJSON('/api/sessions', {});

/**
 * Send usage events, fire-and-forget: keepalive so a batch survives the page
 * going away, or a beacon when it is going away now. Resolves to the HTTP
 * status (0 when it could not be sent); never rejects.
 */
export async function sendUsageEvents(events: UsageEvent[], beacon = false): Promise<number> {
  const body = JSON.stringify(events);
  try {
    if (beacon && typeof navigator.sendBeacon === 'function') {
      return navigator.sendBeacon('/api/events', new Blob([body], { type: 'application/json' })) ? 202 : 0;
    }
    const res = await fetch('/api/events', {
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

export interface UsageState {
  enabled: boolean;
  warning?: string;
  queued: number;
  written: number;
  dropped: number;
  retention_days: number;
}
export interface UsagePeriod {
  days: number;
  sessions: number;
  avg_seconds: number;
  assisted: number;
  self_served: number;
  audio: number;
}
export interface UsageItem {
  id: string;
  title: string;
  opened: number;
  finished: number;
  qr?: number;
}
export interface UsageFunnel {
  id: string;
  title: string;
  opened: number;
  completed: number;
  steps: { step: number; viewed: number; abandoned: number; wrong: number }[];
}
export interface UsageInsights {
  state: UsageState;
  today: string;
  periods: UsagePeriod[];
  tutorials: UsageItem[];
  procedures: UsageItem[];
  funnels: UsageFunnel[];
  languages: { key: string; count: number }[];
  hours: number[];
  search: { results: number; none: number };
  dropped: number;
}

/** The staff usage figures (staff mode only). */
export const usageInsights = (): Promise<UsageInsights> => getJSON('/api/staff/usage');

// ---- deployment: watchdog heartbeat and opening hours --------------------

export interface AliveAnswer {
  ping_every_ms: number;
}

/** The page's heartbeat (lib/heartbeat.ts): keeps systemd's watchdog fed. */
export function postAlive(): Promise<AliveAnswer> {
  return postJSON<AliveAnswer>('/api/alive', {});
}

export type Day = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface Hours {
  scheduled: boolean; // false: no opening hours set, always open
  open: boolean;
  blank: boolean; // closed long enough that the screen should rest
  now: string; // RFC 3339 in the kiosk's time zone
  today: string[]; // "07:30-11:30"…
  week: Partial<Record<Day, string[]>>;
  closes_at?: string;
  opens_at?: string; // RFC 3339 in the kiosk's time zone
  blank_after_seconds: number;
}

/** Whether the kiosk is open now, and its hours. */
export function getHours(signal?: AbortSignal): Promise<Hours> {
  return getJSON<Hours>('/api/hours', signal);
}
