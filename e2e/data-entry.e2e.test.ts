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
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  launchBrowser,
  shot,
  startServer,
  STARTUP_TIMEOUT_MS,
  UI_TIMEOUT_MS,
  watchErrors as watch,
  type RunningServer,
  vnDay,
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

const OFFICER = { username: 'canbo.saigon', password: 'Canbo-pw-12345', name: 'Nguyễn Thị Lan' };

/** A date in Viet Nam (UTC+7), 'YYYY-MM-DD', `days` from today. */
const viDate = (iso: string) => iso.split('-').reverse().join('/');

describe('Nhập số liệu — in a browser', () => {
  let phone: BrowserContext | undefined;

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
    },
    { timeout: STARTUP_TIMEOUT_MS + 60_000 },
  );

  after(async () => {
    await browser?.close().catch(() => {});
    await srv?.stop();
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
    // A rule the form checks as the officer types (issue 17): positives within tests.
    const rule = await api.post(baseUrl + '/api/validationRules', {
      headers: { 'X-CSRF-Token': csrfToken },
      data: {
        code: 'E2E_POSITIVES_LE_TESTS',
        nameVi: 'Số ca dương tính không vượt số mẫu xét nghiệm',
        nameEn: 'Positive cases within tests done',
        instructionVi: 'Kiểm tra lại số ca dương tính và số mẫu xét nghiệm',
        instructionEn: 'Check the positive cases and the tests done',
        importance: 'HIGH',
        periodType: 'day',
        levels: [2],
        operator: 'less_than_or_equal_to',
        left: { expression: '#{POSITIVE_CASES}' },
        right: { expression: '#{TESTS_DONE}' },
      },
    });
    assert.equal(rule.status(), 201, await rule.text());
    // The usual range of the cases traced at the ward (issue 17): outside it, a warning.
    const range = await api.post(baseUrl + '/api/minMaxDataElements', {
      headers: { 'X-CSRF-Token': csrfToken },
      data: { source: { id: '26740' }, dataElement: { id: 'CASES_TRACED' }, min: 10, max: 200 },
    });
    assert.equal(range.status(), 201, await range.text());
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
    await page.goto(baseUrl + '/don-vi');
    await fillSignIn(page, OFFICER.username, OFFICER.password);
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

  it('warns as the officer types values that break a rule, before saving, on the phone', async () => {
    const warnings = page.getByTestId('entry-rule-warnings');
    assert.equal(await warnings.count(), 0, 'the saved values keep the rule');
    await page.getByLabel('Số ca dương tính').fill('2000');
    await warnings.waitFor();
    const text = await warnings.innerText();
    assert.match(text, /Số liệu chưa khớp quy tắc kiểm tra/);
    assert.match(text, /Số ca dương tính không vượt số mẫu xét nghiệm \(mức cao\)/);
    assert.match(text, /Vế trái 2\.000 ≤ vế phải 1\.250 không đúng/);
    assert.equal(
      await warnings.locator('li').first().getAttribute('data-rule'),
      'E2E_POSITIVES_LE_TESTS',
    );
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    await warnings.scrollIntoViewIfNeeded();
    await shot(page, 'data-entry-rule-warning.png', false);
    // Back within the rule: the warning goes, nothing was sent.
    await page.getByLabel('Số ca dương tính').fill('12');
    await warnings.waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('entry-changes').innerText(), 'Chưa có thay đổi');
  });

  it('warns beside a value outside its usual range, before saving, on the phone; saves it', async () => {
    const traced = page.getByLabel('Số ca truy vết');
    const warning = page.getByTestId('range-CASES_TRACED');
    assert.equal(await warning.count(), 0, 'the saved 40 is within 10–200');
    await traced.fill('2000');
    await warning.waitFor();
    assert.match(
      await warning.innerText(),
      /Ngoài khoảng thường gặp \(10–200\): kiểm tra lại trước khi lưu/,
    );
    // A warning, not an error: the field is not invalid, the warning describes it.
    assert.equal(await traced.getAttribute('aria-invalid'), null);
    assert.match((await traced.getAttribute('aria-describedby')) ?? '', /f-CASES_TRACED-warn/);
    assert.equal(await page.getByTestId('error-CASES_TRACED').count(), 0);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    await page.getByTestId('field-CASES_TRACED').scrollIntoViewIfNeeded();
    await shot(page, 'data-entry-range-warning.png', false);
    await page.screenshot({ path: '/tmp/h4-minmax-phone.png' });

    // The save goes through; the stored value keeps its warning. Then back to 40.
    const saved = page.getByTestId('entry-saved');
    await page.getByRole('button', { name: 'Lưu số liệu' }).click();
    await saved.waitFor();
    assert.match(await saved.locator('p').innerText(), /^Đã lưu 1 chỉ tiêu — Phường Sài Gòn/);
    assert.equal(await warning.count(), 1);
    await traced.fill('40');
    await warning.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Lưu số liệu' }).click();
    await saved.waitFor();
    assert.equal(await page.getByTestId('entry-changes').innerText(), 'Chưa có thay đổi');
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
