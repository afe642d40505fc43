import assert from 'node:assert/strict';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '../api/app.ts';
import type { Services } from '../services/index.ts';
import { checkResponse } from './contract-check.ts';

type App = ReturnType<typeof createApp>;

/**
 * A caller of the real app handler (routing, middleware, validation, errors): keeps the
 * session cookie and sends the anti-forgery header as the web app does.
 */
export class ApiClient {
  private cookies = new Map<string, string>();
  csrf?: string;
  constructor(
    readonly app: App,
    private readonly headers: Record<string, string> = {},
  ) {}

  static for(services: Services, headers: Record<string, string> = {}) {
    return new ApiClient(createApp(services), headers);
  }

  /** A GET whose answer is kept as bytes (an exported file). */
  async download(path: string, extra: Record<string, string> = {}) {
    const res = await this.send('GET', path, undefined, extra);
    return {
      status: res.status,
      headers: res.headers,
      bytes: new Uint8Array(await res.arrayBuffer()),
    };
  }

  private async send(method: string, path: string, body: unknown, extra: Record<string, string>) {
    const headers: Record<string, string> = { ...this.headers, ...extra };
    if (this.cookies.size)
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in extra))
      headers['x-csrf-token'] = this.csrf;
    const res = await this.app.request(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      if (/max-age=0/i.test(c) || v === '') this.cookies.delete(k!);
      else this.cookies.set(k!, v!);
    }
    return res;
  }

  /** The answer as it comes, unread (a stream to read line by line, or to cancel). */
  raw(method: string, path: string, extra: Record<string, string> = {}): Promise<Response> {
    return this.send(method, path, undefined, extra);
  }

  async request(method: string, path: string, body?: unknown, extra: Record<string, string> = {}) {
    const res = await this.send(method, path, body, extra);
    const text = await res.text();
    let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    // The drift check: a JSON answer must be exactly what its route's schema declares.
    if (json !== undefined && /json/i.test(res.headers.get('content-type') ?? ''))
      checkResponse(this.app, method, path, res.status, json);
    return { status: res.status, json, text, headers: res.headers };
  }

  get(path: string, extra?: Record<string, string>) {
    return this.request('GET', path, undefined, extra);
  }
  post(path: string, body?: unknown, extra?: Record<string, string>) {
    return this.request('POST', path, body, extra);
  }

  async login(username: string, password: string) {
    const r = await this.post('/api/auth/login', { username, password });
    if (r.status === 200) this.csrf = r.json.csrfToken;
    return r;
  }
}

/** The real app on a free loopback port, as `opsroom serve` listens: for event streams. */
export function listen(services: Services): Promise<{ url: string; server: ServerType }> {
  const app = createApp(services);
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ url: `http://127.0.0.1:${info.port}`, server }),
    );
  });
}

/** Signs in over HTTP: the session cookie and the anti-forgery token, as a browser holds them. */
export async function signInOverHttp(url: string, username: string, password: string) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}

type NewUser = Parameters<Services['auth']['createUser']>[1];

/**
 * Makes each user, scoped to its unit `code` on the tree `version`, signs it in and keeps its
 * client in `clients` under its username: the API tests' cast of officers and leaders.
 */
export async function signInUsers(
  services: Services,
  users: readonly { username: string; role: NewUser['role']; code: string }[],
  password: string,
  version: string,
  clients: Map<string, ApiClient>,
): Promise<void> {
  for (const u of users) {
    await services.auth.createUser('system', {
      username: u.username,
      password,
      role: u.role,
      scope: { version, code: u.code },
    });
    const c = ApiClient.for(services);
    assert.equal((await c.login(u.username, password)).status, 200);
    clients.set(u.username, c);
  }
}
