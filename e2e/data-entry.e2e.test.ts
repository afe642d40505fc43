/**
 * End-to-end: the data entry form ("Nhập số liệu") with the real server (first start: the real
 * units and the demo data) and a real browser. The admin creates a commune officer; the officer
 * signs in on a phone, opens the form of his ward for yesterday, types a bad value and sees the
 * Vietnamese message, fixes it, saves, and finds the values after a reload. Screenshots land in
 * test-artifacts/data-entry-*.png.
 *
 * Run: node --import tsx --test e2e/data-entry.e2e.test.ts
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ADMIN_PASSWORD = 'E2e-admin-pw-' + Math.random().toString(36).slice(2, 10);
const STARTUP_TIMEOUT_MS = 120_000;
const UI_TIMEOUT_MS = 20_000;

let server: ChildProcess | undefined;
let serverLog = '';
let dataDir = '';
let baseUrl = '';
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

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

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null && server?.exitCode !== undefined) {
      throw new Error(`server exited with ${server.exitCode} before it was healthy:\n${serverLog}`);
    }
    try {
      const res = await fetch(url + '/api/health');
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not healthy after ${timeoutMs} ms:\n${serverLog}`);
}

async function stopServer(): Promise<void> {
  const child = server;
  if (!child?.pid || child.exitCode !== null) return;
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
  const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 10_000)));
  const outcome = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    signal('SIGKILL');
    await exited;
  }
}

function watchErrors(p: Page): void {
  p.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
  p.on('console', (m) => {
    // A 401 from /api/auth/me before signing in, or from a wrong password, is expected.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
      pageErrors.push(m.text());
  });
}

async function shot(p: Page, name: string, fullPage = true): Promise<void> {
  await p.screenshot({ path: join(ARTIFACTS, name), fullPage });
}

const OFFICER = { username: 'canbo.saigon', password: 'Canbo-pw-12345', name: 'Nguyễn Thị Lan' };

/** A date in Viet Nam (UTC+7), 'YYYY-MM-DD', `days` from today. */
function vnDay(days: number): string {
  const d = new Date(Date.now() + 7 * 3600_000 + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}
const viDate = (iso: string) => iso.split('-').reverse().join('/');

describe('Nhập số liệu — in a browser', () => {
  let phone: BrowserContext | undefined;

  before(
    async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      if (!existsSync(join(ROOT, 'web/dist/index.html'))) {
        execFileSync('npm', ['run', 'build:web'], { cwd: ROOT, stdio: 'inherit' });
      }
      assert.ok(
        existsSync(CHROMIUM),
        `Chromium not found at ${CHROMIUM}: apt-get install -y chromium`,
      );

      dataDir = mkdtempSync(join(tmpdir(), 'opsroom-e2e-'));
      const port = await freePort();
      baseUrl = `http://127.0.0.1:${port}`;
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        OPSROOM_DATA_DIR: dataDir,
        OPSROOM_ADMIN_PASSWORD: ADMIN_PASSWORD,
      };
      delete env.DATABASE_URL;
      delete env.OPSROOM_DEMO;
      server = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
        cwd: ROOT,
        env,
        detached: true, // its own process group, so `after` can end it and anything it started
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      server.stdout?.on('data', (d: Buffer) => (serverLog += d.toString()));
      server.stderr?.on('data', (d: Buffer) => (serverLog += d.toString()));
      const started = Date.now();
      await waitForHealth(baseUrl, STARTUP_TIMEOUT_MS);
      console.log(`server healthy after ${((Date.now() - started) / 1000).toFixed(1)} s`);

      browser = await chromium.launch({
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
      context = await browser.newContext({
        viewport: { width: 1366, height: 900 },
        locale: 'vi-VN',
      });
      context.setDefaultTimeout(UI_TIMEOUT_MS);
    },
    { timeout: STARTUP_TIMEOUT_MS + 60_000 },
  );

  after(async () => {
    await browser?.close().catch(() => {});
    await stopServer();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('the admin creates a commune officer for Phường Sài Gòn (2025 tree)', async () => {
    const api = context!.request;
    const login = await api.post(baseUrl + '/api/auth/login', {
      data: { username: 'admin', password: ADMIN_PASSWORD },
    });
    assert.equal(login.status(), 200, await login.text());
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const created = await api.post(baseUrl + '/api/users', {
      headers: { 'X-CSRF-Token': csrfToken },
      data: {
        username: OFFICER.username,
        displayName: OFFICER.name,
        password: OFFICER.password,
        role: 'officer',
        scope: { version: '2025', code: '26740' },
      },
    });
    assert.equal(created.status(), 201, await created.text());
  });

  it('the officer signs in on a phone and opens the form of his ward for yesterday', async () => {
    phone = await browser!.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'vi-VN',
    });
    phone.setDefaultTimeout(UI_TIMEOUT_MS);
    page = await phone.newPage();
    watchErrors(page);
    await page.goto(baseUrl + '/');
    await page.getByLabel('Tên đăng nhập').fill(OFFICER.username);
    await page.getByLabel('Mật khẩu').fill(OFFICER.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('heading', { name: 'Phường Sài Gòn', level: 2 }).waitFor();

    await page
      .getByRole('navigation', { name: 'Chức năng' })
      .getByRole('link', { name: 'Nhập số liệu' })
      .click();
    await page.getByRole('heading', { name: 'Nhập số liệu', level: 1 }).waitFor();
    const title = page.locator('#entry-form-title');
    await title.getByText('Phường Sài Gòn').waitFor();
    const yesterday = vnDay(-1);
    assert.match(await title.innerText(), new RegExp(`ngày ${viDate(yesterday)}`));
    assert.equal(await page.getByLabel('Ngày báo cáo').inputValue(), yesterday);
    assert.equal(await page.getByTestId('entry-unit').innerText(), 'Phường Sài Gòn');
    assert.match(
      page.url(),
      new RegExp(`/nhap-lieu\\?ds=COMMUNE_DAILY_2025&u=26740&p=${yesterday}$`),
    );

    // The demo data filled yesterday: the stored values are in the form, numeric keyboard on.
    const tests = page.getByLabel('Số mẫu xét nghiệm');
    assert.equal(await tests.getAttribute('inputmode'), 'numeric');
    const filled = await page.getByTestId('entry-filled').innerText();
    const m = /^Đã nhập (\d)\/7 chỉ tiêu$/.exec(filled);
    assert.ok(m && Number(m[1]) > 0, filled);
    const shown = await page
      .getByTestId('entry-form')
      .locator('input')
      .evaluateAll((els) => els.filter((e) => (e as HTMLInputElement).value !== '').length);
    assert.equal(shown, Number(m[1]));
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    await shot(page, 'data-entry-phone.png', false);
    await shot(page, 'data-entry-phone-full.png');
  });

  it('shows the Vietnamese message next to a bad value and puts the focus on it', async () => {
    const tests = page.getByLabel('Số mẫu xét nghiệm');
    await tests.fill('');
    await tests.pressSequentially('12a', { delay: 30 });
    await page.keyboard.press('Tab');
    const error = page.getByTestId('error-TESTS_DONE');
    await error.waitFor();
    assert.match(await error.innerText(), /“12a” không phải số nguyên/);
    assert.equal(await tests.getAttribute('aria-invalid'), 'true');

    await page.getByRole('button', { name: 'Lưu số liệu' }).click();
    const summary = page.getByTestId('entry-errors');
    await summary.waitFor();
    assert.match(await summary.innerText(), /Chưa lưu: 1 chỉ tiêu cần sửa/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-TESTS_DONE');
    await shot(page, 'data-entry-error.png', false);
  });

  it('warns before leaving with unsaved changes', async () => {
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await page
      .getByRole('navigation', { name: 'Chức năng' })
      .getByRole('link', { name: 'Đơn vị hành chính' })
      .click();
    assert.match(asked, /thay đổi chưa lưu/);
    // still here, the typed value kept
    assert.equal(await page.getByLabel('Số mẫu xét nghiệm').inputValue(), '12a');
  });

  it('saves the fixed values and says how many were saved', async () => {
    await page.getByLabel('Số mẫu xét nghiệm').fill('1250');
    await page.getByLabel('Số ca dương tính').fill('12');
    await page.getByLabel('Số ca truy vết').fill('40');
    await page.getByTestId('error-TESTS_DONE').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('entry-changes').innerText(), '3 thay đổi chưa lưu');
    await page.getByRole('button', { name: 'Lưu số liệu' }).click();
    const saved = page.getByTestId('entry-saved');
    await saved.waitFor();
    assert.match(
      await saved.locator('p').innerText(),
      /^Đã lưu 3 chỉ tiêu — Phường Sài Gòn, ngày /,
    );
    assert.equal(await page.getByTestId('entry-changes').innerText(), 'Chưa có thay đổi');
    await shot(page, 'data-entry-saved.png', false);
  });

  it('finds the saved values after a reload', async () => {
    await page.reload();
    await page.locator('#entry-form-title').getByText('Phường Sài Gòn').waitFor();
    assert.equal(await page.getByLabel('Số mẫu xét nghiệm').inputValue(), '1250');
    assert.equal(await page.getByLabel('Số ca dương tính').inputValue(), '12');
    assert.equal(await page.getByLabel('Số ca truy vết').inputValue(), '40');
    assert.match(
      await page.getByTestId('field-TESTS_DONE').innerText(),
      new RegExp(`Cập nhật bởi ${OFFICER.username}`),
    );
    await shot(page, 'data-entry-reloaded.png', false);
  });

  it('speaks English on request', async () => {
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Data entry', level: 1 }).waitFor();
    assert.equal(await page.getByLabel('Tests done').inputValue(), '1250');
    await page.getByLabel('Tests done').fill('1.5');
    await page.keyboard.press('Tab');
    assert.match(
      await page.getByTestId('error-TESTS_DONE').innerText(),
      /“1.5” is not a whole number/,
    );
    await shot(page, 'data-entry-english.png', false);
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click();
    await page.getByRole('heading', { name: 'Nhập số liệu', level: 1 }).waitFor();
  });

  it('lets the admin choose any commune on a desktop', async () => {
    const p = await context!.newPage();
    watchErrors(p);
    try {
      await p.goto(baseUrl + '/nhap-lieu');
      await p.getByRole('heading', { name: 'Nhập số liệu', level: 1 }).waitFor();
      await p.getByLabel('Bộ dữ liệu').selectOption('COMMUNE_DAILY_2025');
      await p.getByLabel('Tìm đơn vị').pressSequentially('sai gon', { delay: 40 });
      await p.getByRole('button', { name: /Phường Sài Gòn/ }).click();
      await p.locator('#entry-form-title').getByText('Phường Sài Gòn').waitFor();
      assert.equal(await p.getByLabel('Số mẫu xét nghiệm').inputValue(), '1250');
      await shot(p, 'data-entry-desktop.png', false);
    } finally {
      await p.close();
    }
  });

  it('raised no script errors or blocked resources', async () => {
    await phone?.close();
    assert.deepEqual(pageErrors, []);
  });
});
