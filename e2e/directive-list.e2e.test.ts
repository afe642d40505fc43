/**
 * End-to-end: the directive list of an issuer (issue 19). The national administrator, with the
 * demo data, has issued a directive to the 168 communes of Hồ Chí Minh City and 24 more to the
 * city: the list shows his 25 directives, not the communes' 168 copies; he pages, searches
 * without marks ("chi thi"), filters to nothing and is told how to clear it, and a reload keeps
 * the list as he left it. The city's leader, on a phone, sees them as sent to him. Real server,
 * real Chromium; screenshots in test-artifacts/ (1366 px and 375 px).
 *
 * Run: node --import tsx --test e2e/directive-list.e2e.test.ts
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  createUsers,
  fillSignIn,
  launchBrowser,
  shot,
  startServer,
  STARTUP_TIMEOUT_MS,
  UI_TIMEOUT_MS,
  vnDay,
  watchErrors as watch,
  type RunningServer,
} from './harness.ts';

const LEADER = { username: 'lanhdao.hcm', password: 'Lanhdao-pw-12345', name: 'Trần Thị Bình' };
const STORM = 'Chỉ thị về phòng, chống bão số 3';

let srv: RunningServer | undefined;
let baseUrl = '';
let browser: Browser | undefined;
let adminCtx: BrowserContext | undefined;
let phoneCtx: BrowserContext | undefined;
let admin: Page;
let phone: Page;
const pageErrors: string[] = [];

const range = async (p: Page) => (await p.getByTestId('dir-range').innerText()).trim();
const titles = async (p: Page) =>
  (await p.getByTestId('dir-item').locator('.dir-item-title').allInnerTexts()).map((s) => s.trim());

describe('the directive list — in a browser', () => {
  before(
    async () => {
      srv = await startServer();
      baseUrl = srv.baseUrl;
      browser = await launchBrowser();
      await createUsers(browser, srv, [{ ...LEADER, role: 'leader', unit: '79' }]);

      adminCtx = await browser.newContext({
        viewport: { width: 1366, height: 768 },
        locale: 'vi-VN',
      });
      adminCtx.setDefaultTimeout(UI_TIMEOUT_MS);
      admin = await adminCtx.newPage();
      watch(admin, pageErrors);
      await admin.goto(baseUrl + '/chi-dao');
      await fillSignIn(admin, 'admin', srv.adminPassword);
      await admin.getByRole('heading', { name: 'Chỉ đạo, nhiệm vụ', level: 1 }).waitFor();

      // The directives, issued through the API with the administrator's session.
      const csrf = (await adminCtx.cookies(baseUrl)).find((c) => c.name === 'opsroom_csrf')?.value;
      assert.ok(csrf);
      const issue = async (title: string, target: unknown, dueDate: string) => {
        const r = await admin.request.post(baseUrl + '/api/directives', {
          headers: { 'X-CSRF-Token': csrf },
          data: { title, body: 'Các đơn vị triển khai, báo cáo kết quả.', dueDate, target },
        });
        assert.equal(r.status(), 201, await r.text());
      };
      await issue(STORM, { kind: 'level', version: '2025', unit: '79', level: 2 }, vnDay(3));
      for (let i = 1; i <= 24; i++)
        await issue(
          `Nhiệm vụ thường xuyên số ${i}`,
          { kind: 'units', version: '2025', units: ['79'] },
          vnDay(i <= 4 ? 5 : 60),
        );
    },
    { timeout: STARTUP_TIMEOUT_MS + 120_000 },
  );

  after(async () => {
    await browser?.close().catch(() => {});
    await srv?.stop();
  });

  it("lists the issuer's directives first, not the communes' copies", async () => {
    await admin.reload();
    await admin.getByTestId('dir-list').waitFor();
    assert.equal(await range(admin), '1–20 / 25');
    assert.equal(await admin.getByTestId('dir-item').count(), 20);
    assert.equal((await titles(admin))[0], 'Nhiệm vụ thường xuyên số 24');
    // The 168 tasks of the storm directive are its board's, not the inbox's.
    const copies = admin.getByTestId('inbox-item').filter({ hasText: STORM });
    assert.equal(await copies.count(), 0);
    await shot(admin, 'directive-list-1366.png');
  });

  it('pages forward and back, the address following', async () => {
    await admin.getByTestId('dir-next').click();
    await admin.getByTestId('dir-range').getByText('21–25 / 25').waitFor();
    assert.match(admin.url(), /[?&]trang=2/);
    assert.equal((await titles(admin)).at(-1), STORM);
    assert.ok(await admin.getByTestId('dir-next').isDisabled());
    await admin.getByTestId('dir-prev').click();
    await admin.getByTestId('dir-range').getByText('1–20 / 25').waitFor();
    assert.doesNotMatch(admin.url(), /trang=/);
  });

  it('searches without Vietnamese marks and filters by due date', async () => {
    await admin.getByTestId('dir-q').fill('chi thi');
    await admin.getByTestId('dir-range').getByText('1–1 / 1').waitFor();
    assert.deepEqual(await titles(admin), [STORM]);
    assert.match(admin.url(), /[?&]q=chi(\+|%20)thi/);
    await admin.getByTestId('dir-q').fill('');
    await admin.getByTestId('dir-range').getByText('1–20 / 25').waitFor();
    await admin.getByTestId('dir-due').selectOption('week');
    await admin.getByTestId('dir-range').getByText('1–5 / 5').waitFor();
    assert.match(admin.url(), /[?&]han=week/);
  });

  it('says when nothing matches, keeps it on reload, and clears the filters', async () => {
    await admin.getByTestId('dir-status').selectOption('done');
    const empty = admin.getByTestId('dir-list-empty');
    await empty.getByText('Không có chỉ đạo nào khớp với bộ lọc.').waitFor();
    await admin.getByTestId('dir-q').fill('nhiem vu');
    await admin.waitForURL(/[?&]q=nhiem/);
    await admin.reload();
    await empty.getByText('Không có chỉ đạo nào khớp với bộ lọc.').waitFor();
    assert.equal(await admin.getByTestId('dir-status').inputValue(), 'done');
    assert.equal(await admin.getByTestId('dir-due').inputValue(), 'week');
    assert.equal(await admin.getByTestId('dir-q').inputValue(), 'nhiem vu');
    await shot(admin, 'directive-list-empty-1366.png', false);
    await empty.getByRole('button', { name: 'Bỏ lọc' }).click();
    await admin.getByTestId('dir-range').getByText('1–20 / 25').waitFor();
    assert.equal(await admin.getByTestId('dir-q').inputValue(), '');
    assert.equal(await admin.getByTestId('dir-status').inputValue(), '');
  });

  it('reopens a shared address with its filters and page', async () => {
    await admin.goto(baseUrl + '/chi-dao?q=nhiem+vu&trang=2');
    await admin.getByTestId('dir-range').getByText('21–24 / 24').waitFor();
    assert.equal(await admin.getByTestId('dir-q').inputValue(), 'nhiem vu');
    await admin.goBack();
    await admin.getByTestId('dir-range').getByText('1–20 / 25').waitFor();
  });

  it("shows the city's leader, on a phone, the directives sent to him", async () => {
    phoneCtx = await browser!.newContext({
      viewport: { width: 375, height: 812 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'vi-VN',
    });
    phoneCtx.setDefaultTimeout(UI_TIMEOUT_MS);
    phone = await phoneCtx.newPage();
    watch(phone, pageErrors);
    await phone.goto(baseUrl + '/chi-dao?loai=received');
    await fillSignIn(phone, LEADER.username, LEADER.password);
    await phone.getByTestId('dir-range').getByText('1–20 / 25').waitFor();
    assert.equal(await phone.getByTestId('dir-relation').inputValue(), 'received');
    await phone.getByTestId('dir-relation').selectOption('issued');
    await phone.getByTestId('dir-list-empty').getByText('Không có chỉ đạo nào khớp').waitFor();
    await phone.getByTestId('dir-relation').selectOption('all');
    await phone.getByTestId('dir-range').getByText('1–20 / 25').waitFor();
    const overflow = await phone.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `the list is ${overflow}px wider than the phone`);
    await shot(phone, 'directive-list-phone.png', false);
    await phone.getByTestId('dir-next').click();
    await phone.getByTestId('dir-range').getByText('21–25 / 25').waitFor();
    await phone.getByTestId('dir-range').scrollIntoViewIfNeeded();
    await shot(phone, 'directive-list-phone-pager.png', false);
  });

  it('raised no error in the pages', () => {
    assert.deepEqual(pageErrors, []);
  });
});
