/**
 * What every browser test needs: the real server started as a user starts it (a fresh data
 * directory, the embedded database, the real units and the demo data), Debian's Chromium, and
 * screenshots in test-artifacts/.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chromium,
  request,
  type APIRequestContext,
  type APIResponse,
  type Browser,
  type BrowserContext,
  type Page,
} from 'playwright-core';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// A bound, not a goal: a start takes ~35 s alone, but several times that on a loaded machine
// (a newcomer's clone running its suite while other work runs on the same two cores).
export const STARTUP_TIMEOUT_MS = 300_000;
// The same for a page's wait: two browser suites share the two cores in CI (a viewer's sign-in
// and briefing took over 20 s there under load), so a wait fails only when something is wrong.
export const UI_TIMEOUT_MS = 45_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  baseUrl: string;
  adminPassword: string;
  log(): string;
  stop(): Promise<void>;
}

/** `opsroom serve` in its own process group, on a free port and a new data directory. */
export async function startServer(): Promise<RunningServer> {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (!existsSync(join(ROOT, 'web/dist/index.html'))) {
    execFileSync('npm', ['run', 'build:web'], { cwd: ROOT, stdio: 'inherit' });
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'opsroom-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const adminPassword = 'E2e-admin-pw-' + Math.random().toString(36).slice(2, 10);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    OPSROOM_DATA_DIR: dataDir,
    OPSROOM_ADMIN_PASSWORD: adminPassword,
    // The tests file their own citizens' reports and expect the wards' inboxes as they left them.
    OPSROOM_DEMO_REPORTS: 'false',
  };
  delete env.DATABASE_URL;
  let log = '';
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'serve'],
    {
      cwd: ROOT,
      env,
      detached: true, // its own process group, so stop() ends it and anything it started
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));

  const stop = async () => {
    if (child.pid && child.exitCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      const signal = (sig: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, sig); // the whole process group
        } catch {
          // already gone
        }
      };
      signal('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>(
        (r) => (timer = setTimeout(() => r('timeout'), 10_000)),
      );
      const outcome = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        signal('SIGKILL');
        await exited;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const started = Date.now();
  const deadline = started + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`server exited with ${child.exitCode} before it was healthy:\n${log}`);
    try {
      if ((await fetch(baseUrl + '/api/health')).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server not healthy after ${STARTUP_TIMEOUT_MS} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  console.log(`server healthy after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { baseUrl, adminPassword, log: () => log, stop };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Script errors on a page, gathered so a test can assert there were none. */
export function watchErrors(p: Page, into: string[]): void {
  p.on('pageerror', (e) => into.push(`pageerror: ${e.stack}`));
  p.on('console', (m) => {
    // A 401 from /api/auth/me before signing in, or from a wrong password, is expected.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
      into.push(m.text());
  });
}

export async function shot(p: Page, name: string, fullPage = true): Promise<void> {
  await p.screenshot({ path: join(ARTIFACTS, name), fullPage });
}

/** 'YYYY-MM-DD' a number of days from today in Viet Nam (UTC+7). */
export function vnDay(offset: number): string {
  return new Date(Date.now() + 7 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
}

/** Fills the sign-in form on the page as a person would, and submits it. */
export async function fillSignIn(p: Page, username: string, password: string): Promise<void> {
  await p.getByLabel('Tên đăng nhập').fill(username);
  await p.getByLabel('Mật khẩu').fill(password);
  await p.getByRole('button', { name: 'Đăng nhập' }).click();
}

/** A browser window of a screen's size, in Vietnamese; below 500 px wide, a phone's touch screen. */
export async function newScreen(
  browser: Browser,
  width: number,
  height: number,
): Promise<BrowserContext> {
  const phone = width < 500;
  const ctx = await browser.newContext({
    viewport: { width, height },
    locale: 'vi-VN',
    acceptDownloads: true,
    ...(phone ? { isMobile: true, hasTouch: true } : {}),
  });
  ctx.setDefaultTimeout(UI_TIMEOUT_MS);
  return ctx;
}

/** A new page of `ctx` opened at `url` and signed in there; its script errors go to `errors`. */
export async function openSignedIn(
  ctx: BrowserContext,
  url: string,
  username: string,
  password: string,
  errors: string[],
): Promise<Page> {
  const p = await ctx.newPage();
  watchErrors(p, errors);
  await p.goto(url);
  await fillSignIn(p, username, password);
  return p;
}

/** A GET of a second client, again once if an idle connection was reset. */
export async function apiGet(api: APIRequestContext, url: string): Promise<APIResponse> {
  try {
    return await api.get(url);
  } catch (e) {
    if (!String(e).includes('ECONNRESET')) throw e;
    return api.get(url);
  }
}

/**
 * A second client beside the browser, as a data platform would be: admin signed in through the
 * API, with the anti-forgery token its writes send.
 */
export async function adminApi(
  srv: RunningServer,
): Promise<{ api: APIRequestContext; csrf: string }> {
  return apiAs(srv, 'admin', srv.adminPassword);
}

/** A second client signed in through the API as `username`, with its anti-forgery token. */
export async function apiAs(
  srv: RunningServer,
  username: string,
  password: string,
): Promise<{ api: APIRequestContext; csrf: string }> {
  const api = await request.newContext();
  const login = await api.post(srv.baseUrl + '/api/auth/login', { data: { username, password } });
  assert.equal(login.status(), 200, await login.text());
  return { api, csrf: ((await login.json()) as { csrfToken: string }).csrfToken };
}

/** An account the admin creates through the API before a test signs in with it. */
export interface TestUser {
  username: string;
  name: string;
  password: string;
  role: string;
  /** Its unit in the 2025 tree. */
  unit: string;
}

/** The admin signs in through the API (as the browser does, anti-forgery token included) and creates `users`. */
export async function createUsers(
  browser: Browser,
  srv: RunningServer,
  users: TestUser[],
): Promise<void> {
  const admin = await browser.newContext();
  try {
    const login = await admin.request.post(srv.baseUrl + '/api/auth/login', {
      data: { username: 'admin', password: srv.adminPassword },
    });
    assert.equal(login.status(), 200, await login.text());
    const csrf = (await admin.cookies(srv.baseUrl)).find((c) => c.name === 'opsroom_csrf')?.value;
    assert.ok(csrf, 'the anti-forgery cookie is set after signing in');
    for (const who of users) {
      const r: APIResponse = await admin.request.post(srv.baseUrl + '/api/users', {
        headers: { 'X-CSRF-Token': csrf },
        data: {
          username: who.username,
          displayName: who.name,
          password: who.password,
          role: who.role,
          scope: { version: '2025', code: who.unit },
        },
      });
      assert.equal(r.status(), 201, await r.text());
    }
  } finally {
    await admin.close();
  }
}
