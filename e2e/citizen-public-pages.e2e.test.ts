/**
 * End-to-end (issue 20): the citizens' public pages without an account. On a phone, a citizen
 * finds the answers of a ward by typing a former name without diacritics, sees an answer and
 * its photo, narrows the list by words and by category, opens a shared link and one answer's
 * own link, and widens to the whole city; then reports a spam number (5656): a bad number is
 * refused by the field, a double tap stores one report, and too many reports are told to wait.
 * Screenshots of both pages at 360×800, 1366×768, 1920×1080 and 3840×2160 go to
 * /tmp/pubweb-shots/ (and test-artifacts/).
 *
 * Run: npm run build:web && node --import tsx --test e2e/citizen-public-pages.e2e.test.ts
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import {
  adminApi,
  apiAs,
  createUsers,
  launchBrowser,
  newScreen,
  shot,
  startServer,
  STARTUP_TIMEOUT_MS,
  watchErrors,
  type RunningServer,
} from './harness.ts';

const SHOTS = process.env.PUBWEB_SHOTS ?? '/tmp/pubweb-shots';
const PW = 'Canbo-pw-12345';
const SAIGON = { username: 'canbo.saigon', password: PW, name: 'Nguyễn Văn An' };
const BENTHANH = { username: 'canbo.benthanh', password: PW, name: 'Trần Thị Bình' };
const POTHOLE = 'Ổ gà lớn trước số 12 đường Lê Lợi, xe máy đi qua rất nguy hiểm.';
const POTHOLE_ANSWER = 'Phường đã vá ổ gà trước số 12 Lê Lợi sáng nay.';
const PERMIT = 'Hồ sơ đăng ký hộ kinh doanh nộp đã 10 ngày chưa có kết quả.';
const PERMIT_ANSWER = 'Hồ sơ của ông/bà đã có kết quả, mời nhận tại bộ phận một cửa.';
const PAVEMENT = 'Vỉa hè đường Lê Thánh Tôn bị bong gạch, người đi bộ dễ vấp ngã.';
const PAVEMENT_ANSWER = 'Đã lát lại vỉa hè đường Lê Thánh Tôn.';
const SIZES = [
  [360, 800],
  [1366, 768],
  [1920, 1080],
  [3840, 2160],
] as const;

let srv: RunningServer | undefined;
let baseUrl = '';
let browser: Browser | undefined;
let citizen: Page;
const pageErrors: string[] = [];

async function jpeg(r: number, g: number, b: number): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: { r, g, b } } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

/** A report filed on the public route, acknowledged and answered (with a photo) by its ward. */
async function answered(
  officer: { api: APIRequestContext; csrf: string },
  report: { category: string; description: string; unit: string },
  text: string,
  photo?: Buffer,
) {
  const r = await fetch(baseUrl + '/api/public/reports', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      category: report.category,
      description: report.description,
      place: { unit: report.unit },
    }),
  });
  const body = await r.text();
  assert.equal(r.status, 201, body);
  const { code } = JSON.parse(body) as { code: string };
  const headers = { 'X-CSRF-Token': officer.csrf };
  const list = await officer.api.get(baseUrl + '/api/reports');
  const id = ((await list.json()) as { items: { id: number; code: string }[] }).items.find(
    (i) => i.code === code,
  )!.id;
  const ack = await officer.api.post(baseUrl + `/api/reports/${id}/acknowledge`, {
    headers,
    data: {},
  });
  assert.equal(ack.status(), 200, await ack.text());
  const attachmentIds: number[] = [];
  if (photo) {
    const up = await officer.api.post(baseUrl + '/api/attachments', {
      headers,
      multipart: { file: { name: 'da-xu-ly.jpg', mimeType: 'image/jpeg', buffer: photo } },
    });
    assert.equal(up.status(), 201, await up.text());
    attachmentIds.push(((await up.json()) as { id: number }).id);
  }
  const ans = await officer.api.post(baseUrl + `/api/reports/${id}/answer`, {
    headers,
    data: { answer: text, attachmentIds },
  });
  assert.equal(ans.status(), 200, await ans.text());
}

async function noOverflow(p: Page, what: string) {
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} is ${overflow}px wider than the screen`);
}

/** The photos of the page loaded (lazy ones too), before a screenshot. */
async function photosLoaded(p: Page) {
  await p.evaluate(async () => {
    const imgs = [...document.images];
    for (const i of imgs) i.loading = 'eager';
    await Promise.all(
      imgs.map((i) =>
        i.complete
          ? Promise.resolve()
          : new Promise((r) => {
              i.addEventListener('load', r, { once: true });
              i.addEventListener('error', r, { once: true });
            }),
      ),
    );
  });
}

/** A screenshot in /tmp/pubweb-shots/ and in test-artifacts/. */
async function both(p: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await p.screenshot({ path: join(SHOTS, name), fullPage: true });
  await shot(p, `citizen-public-${name}`);
}

const items = (p: Page) => p.getByTestId('answers-list').getByTestId('answer-item');

describe('Trả lời công khai và báo tin rác — in a browser', () => {
  before(
    async () => {
      srv = await startServer();
      baseUrl = srv.baseUrl;
      browser = await launchBrowser();
      await createUsers(browser, srv, [
        { ...SAIGON, role: 'officer', unit: '26740' }, // Phường Sài Gòn (formed from Bến Nghé…)
        { ...BENTHANH, role: 'officer', unit: '26743' }, // Phường Bến Thành
      ]);
      const saigon = await apiAs(srv, SAIGON.username, PW);
      const benthanh = await apiAs(srv, BENTHANH.username, PW);
      await answered(
        saigon,
        { category: 'HA_TANG_DO_THI', description: POTHOLE, unit: '26740' },
        POTHOLE_ANSWER,
        await jpeg(60, 140, 70),
      );
      await answered(
        saigon,
        { category: 'THU_TUC_HANH_CHINH', description: PERMIT, unit: '26740' },
        PERMIT_ANSWER,
      );
      await answered(
        benthanh,
        { category: 'THU_TUC_HANH_CHINH', description: PAVEMENT, unit: '26743' },
        PAVEMENT_ANSWER,
      );
      const phone = await newScreen(browser, 360, 800);
      citizen = await phone.newPage();
      watchErrors(citizen, pageErrors);
    },
    { timeout: STARTUP_TIMEOUT_MS + 120_000 },
  );

  after(async () => {
    await browser?.close().catch(() => {});
    await srv?.stop();
  });

  it('finds the answers of a ward by a former name typed without diacritics, with the photo', async () => {
    await citizen.goto(baseUrl + '/phan-anh');
    await citizen.getByTestId('nav-answers').click();
    await citizen.getByRole('heading', { name: 'Chính quyền trả lời', level: 1 }).waitFor();
    assert.ok(new URL(citizen.url()).pathname === '/phan-anh/tra-loi');
    assert.equal(await citizen.getByLabel('Mật khẩu').count(), 0, 'no sign-in on the public page');

    // Bến Nghé went into Phường Sài Gòn in 2025: typed without diacritics, it finds the ward.
    await citizen.getByTestId('answers-place-search').fill('ben nghe');
    await citizen
      .getByTestId('answers-place-results')
      .getByRole('button', { name: /Phường Sài Gòn/ })
      .first()
      .click();
    await citizen
      .getByTestId('answers-place-name')
      .getByText('Phường Sài Gòn, Thành phố Hồ Chí Minh')
      .waitFor();
    assert.equal(new URL(citizen.url()).searchParams.get('unit'), '26740');
    await citizen.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid=answers-list] [data-testid=answer-item]').length ===
        2,
    );

    const pothole = items(citizen).filter({ hasText: POTHOLE_ANSWER });
    await pothole.getByText(POTHOLE).waitFor();
    await pothole.getByText('Hạ tầng đô thị hư hỏng').waitFor();
    await pothole.getByText('Trả lời của Phường Sài Gòn').waitFor();
    await pothole.getByText(/^Gửi \d\d:\d\d \d\d\/\d\d\/\d{4}$/).waitFor();
    const img = pothole.getByTestId('answer-item-photos').locator('img');
    assert.match((await img.getAttribute('alt')) ?? '', /^Ảnh kèm trả lời của Phường Sài Gòn/);
    assert.equal(await img.getAttribute('loading'), 'lazy');
    await img.scrollIntoViewIfNeeded();
    await citizen.waitForFunction(
      (el) => el instanceof HTMLImageElement && el.complete && el.naturalWidth > 0,
      await img.elementHandle(),
    );
    const page = await citizen.content();
    assert.ok(!page.includes(SAIGON.name), 'no officer is named in public');
    assert.ok(!/PA-[2-9A-Z]{4}-/.test(page), 'no tracking code in public');
    await noOverflow(citizen, 'the answers of a ward');
    await photosLoaded(citizen);
    await shot(citizen, 'citizen-public-answers-ward-phone.png');
  });

  it('narrows the list by words without diacritics and by category, in the address', async () => {
    await citizen.getByTestId('answers-q').fill('o ga');
    await citizen.waitForFunction(
      () =>
        new URL(location.href).searchParams.get('q') === 'o ga' &&
        document.querySelectorAll('[data-testid=answers-list] [data-testid=answer-item]').length ===
          1,
    );
    await items(citizen).getByText(POTHOLE_ANSWER).waitFor();

    await citizen.getByTestId('answers-q').fill('');
    await citizen.getByTestId('answers-category').selectOption('THU_TUC_HANH_CHINH');
    await citizen.waitForFunction(
      () =>
        new URL(location.href).searchParams.get('category') === 'THU_TUC_HANH_CHINH' &&
        !new URL(location.href).searchParams.has('q') &&
        document.querySelectorAll('[data-testid=answers-list] [data-testid=answer-item]').length ===
          1,
    );
    await items(citizen).getByText(PERMIT_ANSWER).waitFor();

    // Nothing matches: said so, in Vietnamese.
    await citizen.getByTestId('answers-q').fill('cay xanh do');
    await citizen
      .getByTestId('answers-empty')
      .getByText('Không có trả lời nào ở Phường Sài Gòn, Thành phố Hồ Chí Minh khớp với tìm kiếm.')
      .waitFor();
    await citizen.getByRole('button', { name: 'Bỏ lọc' }).click();
    await citizen.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid=answers-list] [data-testid=answer-item]').length ===
        2,
    );
  });

  it('opens a shared link as it was, one answer’s own link, and the whole city', async () => {
    const ctx = await newScreen(browser!, 360, 800);
    const other = await ctx.newPage();
    watchErrors(other, pageErrors);
    await other.goto(baseUrl + '/phan-anh/tra-loi?unit=26740&q=o%20ga');
    await other.getByTestId('answers-place-name').getByText('Phường Sài Gòn').waitFor();
    assert.equal(await other.getByTestId('answers-q').inputValue(), 'o ga');
    await items(other).getByText(POTHOLE_ANSWER).waitFor();
    assert.equal(await items(other).count(), 1);

    await items(other).getByTestId('answer-link').click();
    await other.getByTestId('answer-page').getByText(POTHOLE_ANSWER).waitFor();
    assert.match(new URL(other.url()).pathname, /^\/phan-anh\/tra-loi\/\d+$/);
    await other.getByRole('heading', { level: 1, name: /Phường Sài Gòn/ }).waitFor();
    await noOverflow(other, 'one answer');
    await photosLoaded(other);
    await shot(other, 'citizen-public-answer-one-phone.png');
    await other.goto(baseUrl + '/phan-anh/tra-loi/999999');
    await other.getByText('Không có trả lời công khai nào với số này.').waitFor();
    await ctx.close();

    // From the ward to its whole city: the other ward's answer comes too.
    await citizen.getByTestId('answers-whole-province').click();
    await citizen.getByTestId('answers-place-name').getByText('Thành phố Hồ Chí Minh').waitFor();
    await items(citizen).getByText(PAVEMENT_ANSWER).waitFor();
    assert.equal(await items(citizen).count(), 3);
    assert.equal(new URL(citizen.url()).searchParams.get('unit'), '79');

    // A province typed by name; Hà Nội has no answers yet.
    await citizen.getByTestId('answers-place-search').fill('ha noi');
    await citizen
      .getByTestId('answers-place-results')
      .getByRole('button', { name: /^Thành phố Hà Nội/ })
      .click();
    await citizen
      .getByTestId('answers-empty')
      .getByText('Chưa có trả lời nào ở Thành phố Hà Nội.')
      .waitFor();

    // In English on request.
    await citizen.getByRole('button', { name: 'Switch to English' }).click();
    await citizen.getByRole('heading', { name: 'The authorities answer', level: 1 }).waitFor();
    await citizen.getByText('No answers yet in Thành phố Hà Nội.').waitFor();
    await citizen.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click();
    await citizen.getByRole('heading', { name: 'Chính quyền trả lời', level: 1 }).waitFor();
  });

  it('reports a spam number from a phone: a bad number by its field, then a receipt, once', async () => {
    await citizen.getByTestId('nav-spam').click();
    await citizen
      .getByRole('heading', { name: 'Báo tin nhắn rác, cuộc gọi rác', level: 1 })
      .waitFor();
    assert.equal(new URL(citizen.url()).pathname, '/phan-anh/tin-rac');
    // Received now, by default.
    assert.match(await citizen.getByTestId('spam-at').inputValue(), /^\d{4}-\d\d-\d\dT\d\d:\d\d$/);

    // Sent empty: each field says what is missing.
    await citizen.getByTestId('spam-send').click();
    await citizen
      .getByTestId('spam-error-number')
      .getByText('Hãy nhập số điện thoại hoặc tên người gửi.')
      .waitFor();
    await citizen
      .getByTestId('spam-error-content')
      .getByText('Hãy chép nội dung tin nhắn.')
      .waitFor();
    await citizen
      .getByTestId('spam-error-operator')
      .getByText('Hãy chọn nhà mạng của bạn.')
      .waitFor();

    // The server refuses a number that is not one; its reason shows by the field.
    await citizen.getByTestId('spam-number').fill('0123');
    await citizen
      .getByTestId('spam-content')
      .fill('Chúc mừng bạn trúng thưởng xe SH, soạn tin nhận quà ngay hôm nay');
    await citizen.getByTestId('spam-operator').selectOption('viettel');
    await citizen.getByTestId('spam-send').click();
    await citizen
      .getByTestId('spam-error-number')
      .getByText('số Việt Nam có 10 hoặc 11 chữ số kể cả số 0 ở đầu')
      .waitFor();
    assert.equal(await citizen.getByTestId('spam-number').getAttribute('aria-invalid'), 'true');
    await noOverflow(citizen, 'the spam form with an error');
    await both(citizen, 'spam-error-360.png');

    // A good number, tapped twice: one report, one receipt.
    await citizen.getByTestId('spam-number').fill('0912 888 777');
    await citizen.getByTestId('spam-send').dblclick();
    await citizen.getByTestId('spam-receipt').waitFor();
    assert.equal(
      (await citizen.getByTestId('spam-receipt-number').innerText()).trim(),
      '0912 888 777',
    );
    assert.match(await citizen.getByTestId('spam-receipt-id').innerText(), /^\d+$/);
    await noOverflow(citizen, 'the spam receipt');
    await both(citizen, 'spam-receipt-360.png');

    const { api } = await adminApi(srv!);
    const top = await api.get(baseUrl + '/api/spamReports/top');
    assert.equal(top.status(), 200, await top.text());
    const row = ((await top.json()) as { items: { number: string; reports: number }[] }).items.find(
      (i) => i.number === '84912888777',
    );
    assert.equal(row?.reports, 1, 'a double tap stores one report');
    await api.dispose();
  });

  it('renders both pages on a laptop, full HD and a 4K screen', async () => {
    for (const [w, h] of SIZES) {
      const ctx = await newScreen(browser!, w, h);
      const p = await ctx.newPage();
      watchErrors(p, pageErrors);
      await p.goto(baseUrl + '/phan-anh/tra-loi?unit=79');
      await items(p).getByText(PAVEMENT_ANSWER).waitFor();
      await photosLoaded(p);
      await noOverflow(p, `the answers at ${w}`);
      const root = await p.evaluate(() =>
        parseFloat(getComputedStyle(document.documentElement).fontSize),
      );
      // Text grows with a screen wider than full HD: 32 px on a 4K screen, never under 16.
      assert.ok(root >= Math.max(16, (w / 1920) * 16 - 0.5), `text of ${root}px at ${w}`);
      await both(p, `answers-${w}x${h}.png`);
      await p.goto(baseUrl + '/phan-anh/tin-rac');
      await p.getByTestId('spam-form').waitFor();
      await noOverflow(p, `the spam form at ${w}`);
      await both(p, `spam-${w}x${h}.png`);
      await ctx.close();
    }
  });

  it('tells a citizen who sent too many spam reports how long to wait', async () => {
    // The address's hourly allowance used up (the bad and the good report above counted).
    for (let i = 0; i < 10; i++) {
      const r = await fetch(baseUrl + '/api/public/spamReports', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          number: `0912 000 00${i}`,
          kind: 'call',
          operator: 'mobifone',
          reportedAt: new Date().toISOString(),
        }),
      });
      if (r.status === 429) break;
      assert.equal(r.status, 201, await r.text());
    }
    await citizen.getByTestId('spam-another').click();
    await citizen.getByTestId('spam-kind-call').check();
    await citizen.getByTestId('spam-number').fill('0987 654 321');
    await citizen.getByTestId('spam-operator').selectOption('other');
    await citizen.getByTestId('spam-send').click();
    const refused = citizen.locator('[data-testid=spam-error-form][data-code=rate_limited]');
    await refused.waitFor();
    assert.match(await refused.innerText(), /thử lại sau \d+ (giây|phút)/);
    await both(citizen, 'spam-rate-limited-360.png');
  });

  it('had no script errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
