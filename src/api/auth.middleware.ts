import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { AppError } from '../domain/errors.ts';
import type { AppEnv } from './context.ts';

export const SESSION_COOKIE = 'opsroom_session';
export const CSRF_COOKIE = 'opsroom_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const csrfFailed = () =>
  new AppError('csrf_failed', {
    vi: 'Yêu cầu thiếu mã chống giả mạo (X-CSRF-Token); hãy tải lại trang',
    en: 'Missing or wrong anti-forgery token (X-CSRF-Token); reload the page',
  });

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
      c.set('actor', await auth.basic(decoded.slice(0, i), decoded.slice(i + 1)));
    }
    return next();
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  if (cookie) {
    const session = await auth.session(cookie);
    if (session) {
      if (!SAFE.has(c.req.method) && c.req.path !== '/api/auth/login') {
        const origin = c.req.header('origin');
        if (origin && new URL(origin).host !== c.req.header('host')) throw csrfFailed();
        if (c.req.header(CSRF_HEADER) !== session.csrfToken) throw csrfFailed();
      }
      c.set('actor', session.actor);
    }
  }
  return next();
};
