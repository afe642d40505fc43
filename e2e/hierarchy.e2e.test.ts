/**
 * End-to-end: the real server (as a user starts it) and a real browser.
 * A user signs in, searches the 2022 and 2025 trees, browses down and back up, uses a phone,
 * and mistypes the password. Screenshots land in test-artifacts/.
 *
 * Run: node --import tsx --test e2e/hierarchy.e2e.test.ts
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  launchBrowser,
  shot,
  startServer,
  STARTUP_TIMEOUT_MS,
  UI_TIMEOUT_MS,
  watchErrors as watch,
  type RunningServer,
  fillSignIn,
} from './harness.ts';

let srv: RunningServer | undefined;
let ADMIN_PASSWORD = '';
let baseUrl = '';
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];
const watchErrors = (p: Page) => watch(p, pageErrors);

async function text(p: Page, testId: string): Promise<string> {
  return (await p.getByTestId(testId).innerText()).replace(/\s+/g, ' ');
}

describe('Đơn vị hành chính — in a browser', () => {
  before(
    async () => {
      srv = await startServer();
      baseUrl = srv.baseUrl;
      ADMIN_PASSWORD = srv.adminPassword;
      browser = await launchBrowser();
      context = await browser.newContext({
        viewport: { width: 1366, height: 900 },
        locale: 'vi-VN',
      });
      context.setDefaultTimeout(UI_TIMEOUT_MS);
      page = await context.newPage();
      watchErrors(page);
    },
    { timeout: STARTUP_TIMEOUT_MS + 60_000 },
  );

  after(async () => {
    await browser?.close().catch(() => {});
    await srv?.stop();
  });

  it('signs in as admin through the login form', async () => {
    await page.goto(baseUrl + '/don-vi');
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
    await fillSignIn(page, 'admin', ADMIN_PASSWORD);

    await page.getByRole('heading', { name: 'Đơn vị hành chính', level: 1 }).waitFor();
    const header = await page.locator('header').innerText();
    assert.match(header, /Opsroom/);
    assert.match(header, /Phòng điều hành/);
    assert.match(header, /Quản trị hệ thống/);
    assert.ok(await page.getByRole('button', { name: 'Đăng xuất' }).isVisible());
  });

  it('finds Phường Bến Nghé in the 2022 tree by typing "ben nghe"', async () => {
    await page.getByLabel('Phiên bản cây').selectOption('2022');
    await page.getByTestId('totals').getByText('10.599').waitFor();

    await page.getByLabel('Tìm đơn vị').pressSequentially('ben nghe', { delay: 40 });
    const hit = page.getByTestId('search-result').filter({ hasText: 'Phường Bến Nghé' });
    await hit.waitFor();
    const line = (await hit.innerText()).replace(/\s+/g, ' ');
    assert.match(line, /Quận 1/);
    assert.match(line, /Hồ Chí Minh/);
    assert.match(line, /26740/);
    assert.match(await text(page, 'search-results'), /Tìm thấy 1 đơn vị/);
    await shot(page, 'hierarchy-search-2022.png');
  });

  it('finds Phường Sài Gòn, formerly Bến Nghé, in the 2025 tree', async () => {
    await page.getByRole('button', { name: 'Xoá tìm kiếm' }).click();
    await page.getByTestId('children').waitFor();
    await page.getByLabel('Phiên bản cây').selectOption('2025');
    await page.getByTestId('totals').getByText('3.321').waitFor();

    await page.getByLabel('Tìm đơn vị').pressSequentially('ben nghe', { delay: 40 });
    const hit = page.getByTestId('search-result').filter({ hasText: 'Phường Sài Gòn' });
    await hit.waitFor();
    const line = (await hit.innerText()).replace(/\s+/g, ' ');
    assert.match(line, /trước đây/);
    assert.match(line, /Bến Nghé/);
    assert.match(line, /Hồ Chí Minh/);
    assert.doesNotMatch(line, /Quận 1/, 'no districts after the 2025 reform');
    await shot(page, 'hierarchy-search-2025.png');

    // Opening the result shows where the ward came from.
    await hit.click();
    await page.getByRole('heading', { name: 'Phường Sài Gòn', level: 2 }).waitFor();
    const formed = await text(page, 'formed-from');
    assert.match(formed, /Phường Bến Nghé/);
    assert.match(formed, /toàn bộ/);
  });

  it('browses from Việt Nam down to the communes of a district and back up', async () => {
    await page.getByLabel('Phiên bản cây').selectOption('2022');
    const crumbs = page.getByRole('navigation', { name: 'Đường dẫn' });
    const children = page.getByTestId('children');
    await crumbs.getByText('Việt Nam').waitFor();
    await children.getByText('63 đơn vị cấp tỉnh').waitFor();

    await children.getByRole('link', { name: /Thành phố Hồ Chí Minh/ }).click();
    await page.getByRole('heading', { name: 'Thành phố Hồ Chí Minh', level: 2 }).waitFor();
    const counts = await text(page, 'counts-below');
    assert.match(counts, /22 cấp huyện/);
    assert.match(counts, /312 cấp xã/);
    // each district shows how many communes it has
    await children.getByRole('link', { name: /Quận 1\b.*10 đơn vị cấp xã/ }).waitFor();

    await children.getByRole('link', { name: /^Quận 1\b/ }).click();
    await page.getByRole('heading', { name: 'Quận 1', level: 2 }).waitFor();
    await children.getByRole('link', { name: /Phường Bến Nghé/ }).waitFor();
    const list = await children.innerText();
    assert.match(list, /Phường Đa Kao/);
    assert.match(await crumbs.innerText(), /Việt Nam\s*›?\s*Thành phố Hồ Chí Minh\s*›?\s*Quận 1/);
    await shot(page, 'hierarchy-browse-2022.png');

    // back up one level, then to the top, with the breadcrumb
    await crumbs.getByRole('link', { name: 'Thành phố Hồ Chí Minh' }).click();
    await page.getByRole('heading', { name: 'Thành phố Hồ Chí Minh', level: 2 }).waitFor();
    await crumbs.getByRole('link', { name: 'Việt Nam' }).click();
    await page.getByRole('heading', { name: 'Việt Nam', level: 2 }).waitFor();
    await children.getByRole('link', { name: /Thành phố Hà Nội/ }).waitFor();
    await shot(page, 'hierarchy-browse-top.png');

    // the browser's Back button walks the same way back down
    await page.goBack();
    await page.getByRole('heading', { name: 'Thành phố Hồ Chí Minh', level: 2 }).waitFor();
  });

  it('fits a phone screen (390×844)', async () => {
    const phone = await browser!.newContext({
      storageState: await context!.storageState(),
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'vi-VN',
    });
    phone.setDefaultTimeout(UI_TIMEOUT_MS);
    try {
      const p = await phone.newPage();
      watchErrors(p);
      await p.goto(baseUrl + '/don-vi?v=2025&u=79');
      await p.getByRole('heading', { name: 'Thành phố Hồ Chí Minh', level: 2 }).waitFor();
      await p
        .getByTestId('children')
        .getByRole('link', { name: /Phường Sài Gòn/ })
        .waitFor();
      assert.ok(await p.getByRole('button', { name: 'Đăng xuất' }).isVisible());
      const overflow = await p.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
      await shot(p, 'hierarchy-phone.png', false);

      await p.getByLabel('Tìm đơn vị').pressSequentially('ben nghe', { delay: 40 });
      await p.getByTestId('search-result').filter({ hasText: 'trước đây' }).waitFor();
      await shot(p, 'hierarchy-phone-search.png', false);
    } finally {
      await phone.close();
    }
  });

  it('keeps a ward officer inside his ward, with a message instead of a blank screen', async () => {
    // The admin creates the account through the API, with the browser's session.
    const csrf = (await context!.cookies(baseUrl)).find((c) => c.name === 'opsroom_csrf')?.value;
    assert.ok(csrf, 'the anti-forgery cookie is set after signing in');
    const created = await context!.request.post(baseUrl + '/api/users', {
      headers: { 'X-CSRF-Token': csrf },
      data: {
        username: 'canbo.saigon',
        displayName: 'Nguyễn Văn An',
        password: 'Canbo-pw-12345',
        role: 'officer',
        scope: { version: '2025', code: '26740' },
      },
    });
    assert.equal(created.status(), 201, await created.text());

    const officer = await browser!.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    officer.setDefaultTimeout(UI_TIMEOUT_MS);
    try {
      const p = await officer.newPage();
      watchErrors(p);
      await p.goto(baseUrl + '/don-vi');
      await fillSignIn(p, 'canbo.saigon', 'Canbo-pw-12345');
      // he lands on his own ward
      await p.getByRole('heading', { name: 'Phường Sài Gòn', level: 2 }).waitFor();
      assert.match(await p.locator('header').innerText(), /Nguyễn Văn An/);

      await p.getByLabel('Phiên bản cây').selectOption('2022');
      const error = p.getByTestId('browse-error');
      await error.waitFor();
      assert.match(await error.innerText(), /ngoài phạm vi/);
      await shot(p, 'hierarchy-out-of-scope.png', false);
      await error.getByRole('link', { name: 'Về đơn vị của tôi' }).click();
      await p.getByRole('heading', { name: 'Phường Sài Gòn', level: 2 }).waitFor();
    } finally {
      await officer.close();
    }
  });

  it('signs out, and a wrong password shows the Vietnamese error message', async () => {
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();

    await fillSignIn(page, 'admin', 'not-the-password');
    const error = page.getByTestId('login-error');
    await error.waitFor();
    assert.match(await error.innerText(), /Sai tên đăng nhập hoặc mật khẩu/);
    await shot(page, 'login-error.png');

    // the English switch translates the page and the server's message, and is remembered
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.match(await error.innerText(), /Wrong user name or password/);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  });

  it('raised no script errors or blocked resources', () => {
    assert.deepEqual(pageErrors, []);
  });
});
