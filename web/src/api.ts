import { getLang } from './i18n.ts';

/** The shapes the Opsroom API returns (see /api/openapi.json). */

export interface Me {
  kind: 'user' | 'token';
  username: string;
  displayName?: string;
  role?: string;
  permissions: string[];
  scope: { version: string; code: string; name?: string };
  csrfToken?: string;
}

export interface Version {
  id: string;
  name: string;
  validFrom: string;
  validUntil: string | null;
  counts: Record<string, number>;
  current: boolean;
}

export interface UnitBrief {
  code: string;
  level: number;
  name: string;
  fullName: string;
  type: string;
}

export interface OrgUnit extends UnitBrief {
  version: string;
  kind: string;
  nameEn: string | null;
  parentCode: string | null;
  path: string;
  renamedBy?: { decree: string; effective: string };
  ancestors: UnitBrief[];
  /** In lists and children: how many units sit directly under it. */
  childCount?: number;
  matchedName?: {
    name: string;
    source: 'former' | 'renamed';
    code: string | null;
    version: string | null;
  };
}

export interface UnitLink {
  version: string;
  code: string;
  fullName: string;
  part: string;
  stale?: boolean;
}

export interface OrgUnitDetail extends OrgUnit {
  countsBelow: Record<string, number>;
  formedFrom: UnitLink[];
  wentInto: UnitLink[];
}

export interface OrgUnitList {
  version: string;
  total: number;
  items: OrgUnit[];
}

/** An error as the API reports it, in both languages so the UI can follow a language switch. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly messages: { vi: string; en: string } | undefined,
    /** The error's details as the API sent them (e.g. per-field problems of a form). */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

function csrfFromCookie(): string | undefined {
  const m = /(?:^|;\s*)opsroom_csrf=([^;]+)/.exec(document.cookie);
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}

/** Called whenever the server says we are not signed in (e.g. the session expired). */
let onUnauthenticated: () => void = () => {};
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not treat a 401 as "session ended" (the login form handles its own 401). */
  quiet401?: boolean;
  /** Sent as Idempotency-Key: the same write sent again answers the first answer, applied once. */
  idempotencyKey?: string;
}

/** A new Idempotency-Key (getRandomValues works outside secure contexts, unlike randomUUID). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': getLang() === 'en' ? 'en' : 'vi',
  };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken ?? csrfFromCookie();
    if (token) headers['X-CSRF-Token'] = token;
  }
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', '', undefined);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const err = (
      data as {
        error?: {
          code?: string;
          message?: string;
          messages?: { vi: string; en: string };
          details?: unknown;
        };
      }
    )?.error;
    if (res.status === 401 && !opts.quiet401) onUnauthenticated();
    throw new ApiError(
      res.status,
      err?.code ?? 'http_' + res.status,
      err?.message ?? res.statusText,
      err?.messages,
      err?.details,
    );
  }
  return data as T;
}

export function query(params: Record<string, string | number | undefined>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== '') sp.set(k, String(v));
  const s = sp.toString();
  return s ? '?' + s : '';
}

// Data entry (see /api/dataEntry/* in /api/openapi.json)

export type PeriodType = 'day' | 'week' | 'month' | 'quarter' | 'half' | 'year' | 'range';
export type ValueType =
  'integer' | 'number' | 'percentage' | 'boolean' | 'true_only' | 'date' | 'text';
export interface Bilingual {
  vi: string;
  en: string;
}

export interface EntryDataSet {
  code: string;
  nameVi: string;
  nameEn: string;
  periodType: PeriodType;
  version: string;
  level: number;
  dueDays: number;
  expiryDays: number;
  elementCount: number;
  unitsTotal: number;
  units: { code: string; name: string; fullName: string }[];
}

export interface EntryDataSets {
  today: string;
  items: EntryDataSet[];
}

export interface EntryField {
  key: string;
  dataElement: string;
  categoryOptionCombo: string;
  nameVi: string;
  nameEn: string;
  optionVi: string | null;
  optionEn: string | null;
  valueType: ValueType;
  /** The element's range: min 0 = cannot be negative. */
  min: number | null;
  max: number | null;
  unit: string | null;
  description: string | null;
  value: string | null;
  comment: string | null;
  storedBy: string | null;
  lastUpdated: string | null;
}

export interface EntryForm {
  dataSet: Omit<EntryDataSet, 'elementCount' | 'unitsTotal' | 'units'>;
  period: {
    id: string;
    type: PeriodType;
    start: string;
    end: string;
    labelVi: string;
    labelEn: string;
    dueDate: string;
    pastDue: boolean;
    locked: boolean;
    lockedReason: Bilingual | null;
    previous: string | null;
    next: string | null;
  };
  orgUnit: {
    code: string;
    name: string;
    fullName: string;
    level: number;
    version: string;
    parents: { code: string; fullName: string }[];
  };
  editable: boolean;
  fields: EntryField[];
  filled: number;
}

export interface EntryFieldError extends Bilingual {
  key: string;
  value: string;
  errorCode: string;
}

export interface EntrySaved {
  status: 'SUCCESS';
  saved: number;
  importCount: { imported: number; updated: number; ignored: number; deleted: number };
  message: Bilingual;
  form: EntryForm;
}
