import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { AppError } from '../domain/errors.ts';
import type { AppEnv } from './context.ts';
import { clientAddress } from './client-address.ts';

export const SESSION_COOKIE = 'opsroom_session';
export const CSRF_COOKIE = 'opsroom_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A throttled sign-in (form or Basic) says when to come back, in `Retry-After`. */
export async function withRetryAfter<T>(c: Context, signingIn: Promise<T>): Promise<T> {
  try {
    return await signingIn;
  } catch (e) {
    if (e instanceof AppError && e.code === 'too_many_attempts')
      c.header(
        'Retry-After',
        String((e.details as { retryAfterSeconds: number }).retryAfterSeconds),
      );
    throw e;
  }
}

const csrfFailed = () =>
  new AppError('csrf_failed', {
    vi: 'Yêu cầu thiếu mã chống giả mạo (X-CSRF-Token); hãy tải lại trang',
    en: 'Missing or wrong anti-forgery token (X-CSRF-Token); reload the page',
  });

/** The host of an Origin header; `null` (sandboxed pages, redirects) and malformed ones have none. */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds the caller: a session cookie (browsers), `Bearer` or `ApiToken` (machine tokens), or
 * HTTP Basic (scripts). A cookie-authenticated write must carry the session's anti-forgery
 * token in a header, which another site cannot read or set.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { auth } = c.get('services');
  const header = c.req.header('authorization');
  if (header) {
    const [scheme, value = ''] = header.split(/\s+/, 2);
    const s = scheme?.toLowerCase();
    if (s === 'bearer' || s === 'apitoken') c.set('actor', await auth.token(value));
    else if (s === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      const signedIn = auth.basic(
        decoded.slice(0, Math.max(i, 0)),
        decoded.slice(i + 1),
        clientAddress(c, c.get('edge').proxies),
      );
      c.set('actor', await withRetryAfter(c, signedIn));
    }
    return next();
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  if (cookie) {
    const session = await auth.session(cookie);
    if (session) {
      if (!SAFE.has(c.req.method) && c.req.path !== '/api/auth/login') {
        const origin = c.req.header('origin');
        if (origin) {
          const host = originHost(origin);
          if (!host || host !== c.req.header('host')) throw csrfFailed();
        }
        if (c.req.header(CSRF_HEADER) !== session.csrfToken) throw csrfFailed();
      }
      c.set('actor', session.actor);
    }
  }
  return next();
};
