import { getLang } from './shared/i18n.ts';
import {
  ApiError,
  unauthenticated,
  csrfHeader,
  setCsrfToken,
  setUnauthenticatedHandler,
  type Schemas,
} from './shared/api/client.ts';

// One ApiError and one sign-in state for api() and the typed client (shared/api/client.ts).
export { ApiError, setCsrfToken, setUnauthenticatedHandler };

/** The shapes the Opsroom API returns (see /api/openapi.json). */

export type Me = Schemas['Me'];

export type Version = Schemas['HierarchyVersion'];

export type UnitBrief = Schemas['UnitBrief'];

export type OrgUnit = Schemas['OrgUnit'];

export type UnitLink = Schemas['OrgUnitDetail']['formedFrom'][number];

export type OrgUnitDetail = Schemas['OrgUnitDetail'];

export type OrgUnitList = Schemas['OrgUnitList'];

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
    const token = csrfHeader();
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
    if (res.status === 401 && !opts.quiet401) unauthenticated();
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

// Every period type the server knows (a data set may use DHIS2's weekly and financial ones).
export type PeriodType = Schemas['DataEntryDataSets']['items'][number]['periodType'];
export type ValueType =
  'integer' | 'number' | 'percentage' | 'boolean' | 'true_only' | 'date' | 'text';
export interface Bilingual {
  vi: string;
  en: string;
}

export type EntryDataSet = EntryDataSets['items'][number];

export type EntryDataSets = Schemas['DataEntryDataSets'];

export type EntryField = EntryForm['fields'][number];

export type EntryForm = Schemas['DataEntryForm'];

export interface EntryFieldError extends Bilingual {
  key: string;
  value: string;
  errorCode: string;
}

export type EntrySaved = Schemas['DataEntrySaved'];
