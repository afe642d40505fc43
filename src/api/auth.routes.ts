import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { Login, Me } from '../contract/auth.ts';
import { errorResponses, json } from '../contract/common.ts';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Context } from 'hono';
import { actorOf, type AppEnv } from './context.ts';
import { CSRF_COOKIE, SESSION_COOKIE, withRetryAfter } from './auth.middleware.ts';
import { clientAddress } from './client-address.ts';

/** Secure cookies whenever the page is served over HTTPS (directly or behind a proxy). */
function isHttps(c: Context<AppEnv>): boolean {
  return (
    c.req.url.startsWith('https:') ||
    c.req.header('x-forwarded-proto') === 'https' ||
    c.get('edge').secureCookies
  );
}

export function authRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/auth/login',
      tags: ['auth'],
      summary: 'Sign in with a user name and password; sets the session cookie',
      request: { body: { content: { 'application/json': { schema: Login } }, required: true } },
      responses: {
        200: json(Me, 'Signed in'),
        400: errorResponses[400],
        401: errorResponses[401],
        429: {
          description:
            'Too many failed sign-ins from this address or for this account: wait `Retry-After` seconds (the password was not checked)',
          headers: { 'Retry-After': { schema: { type: 'integer' } } },
          content: errorResponses[401].content,
        },
      },
    }),
    async (c) => {
      const { username, password } = c.req.valid('json');
      const { auth } = c.get('services');
      const s = await withRetryAfter(
        c,
        auth.login(username, password, clientAddress(c, c.get('edge').proxies)),
      );
      const secure = isHttps(c);
      setCookie(c, SESSION_COOKIE, s.sessionToken, {
        httpOnly: true,
        sameSite: 'Lax',
        secure,
        path: '/',
        maxAge: 12 * 3600,
      });
      setCookie(c, CSRF_COOKIE, s.csrfToken, {
        httpOnly: false,
        sameSite: 'Strict',
        secure,
        path: '/',
        maxAge: 12 * 3600,
      });
      const me = await auth.me(s.actor);
      return c.json({ ...me, csrfToken: s.csrfToken }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/auth/logout',
      tags: ['auth'],
      summary: 'Sign out: ends the session',
      responses: { 204: { description: 'Signed out' } },
    }),
    async (c) => {
      const cookie = getCookie(c, SESSION_COOKIE);
      if (cookie) await c.get('services').auth.logout(cookie);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      deleteCookie(c, CSRF_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/auth/me',
      tags: ['auth'],
      summary: 'Who the caller is, with role, permissions and scope',
      responses: { 200: json(Me, 'The caller'), 401: errorResponses[401] },
    }),
    async (c) => {
      const me = await c.get('services').auth.me(actorOf(c));
      const csrfToken = getCookie(c, CSRF_COOKIE);
      return c.json({ ...me, ...(csrfToken ? { csrfToken } : {}) }, 200);
    },
  );

  return app;
}
