import createClient, { type Middleware } from 'openapi-fetch';
import { getLang } from '../i18n.ts';
import type { components, paths } from './openapi.gen.ts';

/**
 * The typed client of the Opsroom API (issue 15): paths, parameters, bodies and answers come
 * from web/src/shared/api/openapi.gen.ts, generated from the server's zod schemas
 * (`npm run contract`). A renamed response field is a type error here, not a blank screen.
 */

export type Schemas = components['schemas'];

/** The permission names (`Me.permissions`): src/domain/access.ts's ACTIONS, as generated. */
export type Permission = Schemas['Me']['permissions'][number];

/** The error codes the API answers with (`error.code`): src/domain/errors.ts's, as generated. */
export type ErrorCode = Schemas['Error']['error']['code'];

/**
 * An ApiError's code: the API's own, `network` when no answer came, `http_NNN` for an error
 * answer without Opsroom's error body (a proxy's page, say).
 */
export type ApiErrorCode = ErrorCode | 'network' | `http_${number}`;

/** An error as the API reports it, in both languages so the UI can follow a language switch. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly messages: { vi: string; en: string } | undefined,
    /** The error's details as the API sent them (e.g. per-field problems of a form). */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;

/** The signed-in user's anti-forgery token (from /api/auth/me or the sign-in answer). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

function csrfFromCookie(): string | undefined {
  if (typeof document === 'undefined') return undefined;
  const m = /(?:^|;\s*)opsroom_csrf=([^;]+)/.exec(document.cookie);
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}

export function csrfHeader(): string | undefined {
  return csrfToken ?? csrfFromCookie();
}

/** Called whenever the server says we are not signed in (e.g. the session expired). */
let onUnauthenticated: () => void = () => {};
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}
export function unauthenticated(): void {
  onUnauthenticated();
}

/** A new Idempotency-Key (getRandomValues works outside secure contexts, unlike randomUUID). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Sent by a caller that handles its own 401 (the sign-in form); never leaves the browser. */
export const QUIET_401 = 'x-opsroom-quiet-401';

type ErrorBody = Partial<Schemas['Error']['error']>;

/** The `error` object of an error answer's body, if it has one. */
function errorBodyOf(data: unknown): ErrorBody | undefined {
  if (typeof data !== 'object' || data === null || !('error' in data)) return undefined;
  const { error } = data;
  return typeof error === 'object' && error !== null ? error : undefined;
}

/**
 * An error answer (status, status text, its body parsed or undefined) as the ApiError the pages
 * show; a 401 ends the session unless the caller handles it (`quiet401`).
 */
export function apiErrorFrom(
  status: number,
  statusText: string,
  data: unknown,
  quiet401 = false,
): ApiError {
  const err = errorBodyOf(data);
  if (status === 401 && !quiet401) onUnauthenticated();
  return new ApiError(
    status,
    err?.code ?? `http_${status}`,
    err?.message ?? statusText,
    err?.messages,
    err?.details,
  );
}

/** An answer that is not 2xx, as the ApiError the pages show. */
export async function apiErrorOf(res: Response, quiet401 = false): Promise<ApiError> {
  let data: unknown;
  try {
    const text = await res.text();
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  return apiErrorFrom(res.status, res.statusText, data, quiet401);
}

/** Around every call: language, anti-forgery, errors as ApiError. */
const opsroom: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept-Language', getLang() === 'en' ? 'en' : 'vi');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const token = csrfHeader();
      if (token) request.headers.set('X-CSRF-Token', token);
    }
    const quiet = request.headers.has(QUIET_401);
    request.headers.delete(QUIET_401);
    quiet401.set(request, quiet);
    return request;
  },
  async onResponse({ request, response }) {
    if (!response.ok) throw await apiErrorOf(response, quiet401.get(request));
    return response;
  },
  onError({ error }) {
    if ((error as Error).name === 'AbortError' || error instanceof ApiError) return error as Error;
    return new ApiError(0, 'network', '', undefined);
  },
};

const quiet401 = new WeakMap<Request, boolean>();

/**
 * `const { data } = await client.GET('/api/tasks/{id}', { params: { path: { id } } })`: `data`
 * is the route's declared answer; an error answer throws ApiError.
 */
export const client = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
client.use(opsroom);

/**
 * The body of a typed call's answer: the middleware throws ApiError for an error answer, so a
 * missing body means the server answered nothing at all.
 */
export async function answer<T>(call: Promise<{ data?: T }>): Promise<T> {
  const { data } = await call;
  if (data === undefined) throw new ApiError(0, 'network', '', undefined);
  return data;
}
