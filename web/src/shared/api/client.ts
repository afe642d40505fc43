import createClient, { type Middleware } from 'openapi-fetch';
import { getLang } from '../i18n.ts';
import type { components, paths } from './openapi.gen.ts';

/**
 * The typed client of the Opsroom API (issue 15): paths, parameters, bodies and answers come
 * from web/src/shared/api/openapi.gen.ts, generated from the server's zod schemas
 * (`npm run contract`). A renamed response field is a type error here, not a blank screen.
 */

export type Schemas = components['schemas'];

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

/** Sent by a caller that handles its own 401 (the sign-in form); never leaves the browser. */
export const QUIET_401 = 'x-opsroom-quiet-401';

interface ErrorBody {
  error?: {
    code?: string;
    message?: string;
    messages?: { vi: string; en: string };
    details?: unknown;
  };
}

/** An answer that is not 2xx, as the ApiError the pages show. */
export async function apiErrorOf(res: Response, quiet401 = false): Promise<ApiError> {
  let data: ErrorBody | undefined;
  try {
    const text = await res.text();
    data = text ? (JSON.parse(text) as ErrorBody) : undefined;
  } catch {
    data = undefined;
  }
  const err = data?.error;
  if (res.status === 401 && !quiet401) onUnauthenticated();
  return new ApiError(
    res.status,
    err?.code ?? 'http_' + res.status,
    err?.message ?? res.statusText,
    err?.messages,
    err?.details,
  );
}

/** What `api()` in web/src/api.ts does around every call: language, anti-forgery, errors. */
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
 * is the route's declared answer; an error answer throws ApiError (as `api()` does).
 */
export const client = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
client.use(opsroom);
