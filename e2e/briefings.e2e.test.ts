/**
 * End-to-end: the monthly briefing's screens (issue 18) with the real server (first start: the
 * real units and the demo data, the MIC_MONTHLY template) and a real browser. The admin signs
 * in on the briefings list, creates the January 2022 national draft through the form, finds the
 * article's "tăng 14,1%" for certificates, edits a paragraph (and sees the server refuse an
 * empty one), issues it (a number appears), downloads the PDF, sees a later data change marked
 * on the issued page, and makes a revision that lists the correction. Phone, desk and walls;
 * screenshots in test-artifacts/briefings-*.png.
 *
 * Run: node --import tsx --test --test-concurrency=1 e2e/briefings.e2e.test.ts
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import {
  createUsers,
  fillSignIn,
  launchBrowser,
  shot,
  startServer,
  STARTUP_TIMEOUT_MS,
  UI_TIMEOUT_MS,
  watchErrors as watch,
  type RunningServer,
} from './harness.ts';

let srv: RunningServer | undefined;
let baseUrl = '';
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
const textOf = async (l: Locator) => flat(await l.innerText());
const para = (p: Page, line: string) => p.getByTestId(`para-${line}`);

/** The page is no wider than the window: nothing overflows sideways. */
async function assertNoOverflow(p: Page, what: string): Promise<void> {
  const { scroll, client } = await p.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `${what}: the page is ${scroll} px wide in a ${client} px window`);
}

let draftId = 0;
let issuedNumber = '';

describe('Monthly briefing — in a browser', () => {
  before(
    async () => {
      srv = await startServer();
      baseUrl = srv.baseUrl;
      browser = await launchBrowser();
      context = await browser.newContext({
        viewport: { width: 1366, height: 768 },
        locale: 'vi-VN',
        acceptDownloads: true,
      });
      context.setDefaultTimeout(UI_TIMEOUT_MS);
      page = await context.newPage();
      watch(page, pageErrors);
    },
    { timeout: STARTUP_TIMEOUT_MS + 60_000 },
  );

  after(async () => {
    await browser?.close().catch(() => {});
    await srv?.stop();
  });

  it('creates the January 2022 national draft from the list', async () => {
    await page.goto(baseUrl + '/bao-cao');
    await fillSignIn(page, 'admin', srv!.adminPassword);
    await page.getByTestId('briefings-page').waitFor();
    assert.equal(await page.getByTestId('nav-briefings').getAttribute('aria-current'), 'page');
    // The demo ships January 2022's national briefing, issued.
    const list = page.getByTestId('briefing-list');
    await list.waitFor();
    assert.match(await textOf(list), /1\/BC-BTTTT/);

    const form = page.getByTestId('briefing-create');
    assert.equal(await form.getByLabel('Mẫu báo cáo').inputValue(), 'MIC_MONTHLY');
    assert.equal(await form.getByLabel('Đơn vị (mã)').inputValue(), 'VN');
    // No period: the form says so and sends nothing.
    await form.getByRole('button', { name: 'Tạo dự thảo' }).click();
    await form.getByText('Nhập kỳ báo cáo, ví dụ 2022-01.').waitFor();
    await form.getByLabel('Kỳ báo cáo').fill('2022-01');
    await form.getByRole('button', { name: 'Tạo dự thảo' }).click();

    await page.getByTestId('briefing-page').waitFor();
    const m = /\/bao-cao\/(\d+)$/.exec(page.url());
    assert.ok(m, `the draft's own address: ${page.url()}`);
    draftId = Number(m[1]);
    assert.equal(await page.getByTestId('briefing-page').getAttribute('data-status'), 'draft');
    await page.getByTestId('briefing-draft-stamp').waitFor();
    assert.equal(await textOf(page.getByTestId('briefing-number')), 'Số: …');
    assert.equal(
      await textOf(page.getByTestId('briefing-title')),
      'Báo cáo giao ban quản lý nhà nước tháng 01/2022',
    );
    const heading = await textOf(page.getByTestId('briefing-heading'));
    assert.match(heading, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
    assert.match(heading, /Độc lập - Tự do - Hạnh phúc/);
    assert.match(heading, /BỘ THÔNG TIN VÀ TRUYỀN THÔNG/);
    assert.match(heading, /Hà Nội, ngày \d{2} tháng \d{1,2} năm \d{4}/);

    // 4.581.000 against 4.014.701: the article's "tăng 14,1%", computed, so no reported mark.
    const certs = para(page, 'security_public_certs_issued');
    assert.match(
      await textOf(certs.getByTestId('para-text')),
      /4\.581\.000 chứng thư số, tăng 14,1%/,
    );
    assert.equal(await certs.getByTestId('mark-reported').count(), 0);
    // A change the source printed is marked as such.
    const revenue = para(page, 'telecom_revenue');
    assert.match(await textOf(revenue), /ước đạt 11\.496 tỷ đồng, tăng 3%/);
    assert.equal(await textOf(revenue.getByTestId('mark-reported')), 'theo số liệu báo cáo');
    // The section's table, the completeness with the late unit named.
    const table = page.getByTestId('table-security');
    assert.match(
      await textOf(table),
      /Tổng số chứng thư số công cộng đã cấp chứng thư số 4\.581\.000 \+14,11%/,
    );
    assert.match(await textOf(table), /Mã độc \(Malware\) sự cố 1\.061/);
    const completeness = page.getByTestId('briefing-completeness');
    assert.match(await textOf(completeness), /Tình hình báo cáo số liệu/);
    assert.match(await textOf(completeness), /Đơn vị báo cáo muộn: Việt Nam/);
    // Exports are plain links; drafts can be issued.
    for (const f of ['docx', 'xlsx', 'pdf', 'csv'])
      assert.equal(
        await page.getByTestId(`export-${f}`).getAttribute('href'),
        `/api/briefings/${draftId}.${f}`,
      );
    await page.getByTestId('briefing-issue').waitFor();
    await assertNoOverflow(page, '1366');
    await shot(page, 'briefings-draft-1366.png', false);
  });

  it('edits a draft paragraph, and shows the server refusing an empty one', async () => {
    const p = para(page, 'it_provinces_population_db');
    await p.getByTestId('para-edit').click();
    const editor = page.getByTestId('editor-it_provinces_population_db');
    const vi = editor.getByLabel('Nội dung tiếng Việt');
    assert.match(await vi.inputValue(), /63 tỉnh/);

    await vi.fill('');
    await editor.getByRole('button', { name: 'Lưu' }).click();
    const err = editor.getByTestId('editor-error');
    await err.waitFor();
    assert.ok((await textOf(err)).length > 10, `the server's message: ${await textOf(err)}`);

    const text =
      'Đến hết tháng 01/2022, 63/63 tỉnh, thành phố đã kết nối thử nghiệm với Cơ sở dữ liệu quốc gia về dân cư.';
    await vi.fill(text);
    await editor.getByRole('button', { name: 'Lưu' }).click();
    await editor.waitFor({ state: 'detached' });
    assert.equal(await textOf(p.getByTestId('para-text')), text);
    assert.equal(await textOf(p.getByTestId('mark-edited')), 'đã sửa');
    await shot(page, 'briefings-edited-1366.png', false);
  });

  it('issues the draft: a number, no more edits', async () => {
    await page.getByTestId('briefing-issue').click();
    await page.getByText('Phát hành báo cáo? Sau khi phát hành').waitFor();
    await page.getByTestId('briefing-issue-confirm').click();
    await page.locator('[data-testid="briefing-page"][data-status="issued"]').waitFor();
    issuedNumber = (await textOf(page.getByTestId('briefing-number'))).replace(/^Số: /, '');
    assert.match(issuedNumber, /^\d+\/BC-BTTTT$/);
    assert.equal(await page.getByTestId('briefing-draft-stamp').count(), 0);
    assert.equal(await page.getByTestId('para-edit').count(), 0);
    assert.match(await textOf(page.getByTestId('briefing-issued-by')), /Phát hành bởi/);
    // The edited paragraph is issued as edited.
    assert.match(
      await textOf(para(page, 'it_provinces_population_db')),
      /63\/63 tỉnh, thành phố đã kết nối/,
    );
    await page.getByTestId('briefing-revise').waitFor();
    await assertNoOverflow(page, '1366 issued');
    await shot(page, 'briefings-issued-1366.png');

    // The list shows it issued, with its number.
    await page.getByTestId('nav-briefings').click();
    const row = page.getByTestId(`briefing-row-${draftId}`);
    await row.getByText(issuedNumber).waitFor();
    assert.match(await textOf(row), /Đã phát hành/);
    assert.match(await textOf(row), /tháng 01\/2022/);
    assert.match(await textOf(row), /Toàn quốc/);
    await row.getByRole('link').click();
    await page.locator('[data-testid="briefing-page"][data-status="issued"]').waitFor();
  });

  it('downloads the PDF from the page', async () => {
    const href = await page.getByTestId('export-pdf').getAttribute('href');
    const r = await context!.request.get(baseUrl + href);
    assert.equal(r.status(), 200);
    assert.equal(r.headers()['content-type'], 'application/pdf');
    const body = await r.body();
    assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-');
    // The link is a download as a person clicks it.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-pdf').click(),
    ]);
    assert.match(download.suggestedFilename(), /\.pdf$/);
  });

  it('reads on a phone and on walls, and in English', async () => {
    const sizes: [string, number, number][] = [
      ['phone', 390, 844],
      ['1920', 1920, 1080],
      ['3840', 3840, 2160],
    ];
    for (const [name, width, height] of sizes) {
      await page.setViewportSize({ width, height });
      await page.getByTestId('briefing-doc').waitFor();
      await assertNoOverflow(page, name);
      await shot(page, `briefings-issued-${name}.png`, name !== '3840');
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('nav-briefings').click();
    await page.getByTestId('briefing-list').waitFor();
    await assertNoOverflow(page, 'list on a phone');
    await shot(page, 'briefings-list-phone.png');
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByTestId(`briefing-row-${draftId}`).getByRole('link').click();
    await page.getByTestId('briefing-doc').waitFor();

    await page.getByRole('button', { name: /English/i }).click();
    await page
      .getByTestId('briefing-title')
      .getByText('Monthly state-management briefing')
      .waitFor();
    assert.match(
      await textOf(para(page, 'security_public_certs_issued').getByTestId('para-text')),
      /4,581,000/,
    );
    assert.match(
      await textOf(page.getByTestId('briefing-heading')),
      /SOCIALIST REPUBLIC OF VIET NAM/,
    );
    await shot(page, 'briefings-issued-english-1366.png', false);
    await page.getByRole('button', { name: /Tiếng Việt/i }).click();
    await page.getByTestId('briefing-title').getByText('Báo cáo giao ban').waitFor();

    // Printed: the document alone, on an A4 width (210 mm at 96 dpi).
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.topbar').isVisible(), false);
    assert.equal(await page.getByTestId('briefing-downloads').isVisible(), false);
    assert.equal(await page.getByTestId('briefing-revise').isVisible(), false);
    assert.ok(await page.getByTestId('briefing-doc').isVisible());
    await shot(page, 'briefings-print.png', false);
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('marks a figure changed since issue, and a revision lists the correction', async () => {
    // The data changes after issue: certificates for January 2022, through the import API.
    const csrf = (await context!.cookies(baseUrl)).find((c) => c.name === 'opsroom_csrf')?.value;
    assert.ok(csrf);
    const r = await context!.request.post(baseUrl + '/api/dataValueSets?version=2022', {
      headers: { 'X-CSRF-Token': csrf },
      data: {
        dataValues: [
          {
            dataElement: 'SECURITY_PUBLIC_CERTS_ISSUED',
            period: '202201',
            orgUnit: 'VN',
            value: '4600000',
          },
        ],
      },
    });
    assert.equal(r.status(), 200, await r.text());
    await page.reload();
    const banner = page.getByTestId('changed-since-issue');
    await banner.waitFor();
    assert.match(await textOf(banner), /Số liệu đã thay đổi sau khi phát hành/);
    assert.match(
      await textOf(banner),
      /Tổng số chứng thư số công cộng đã cấp: đã phát hành 4\.581\.000 chứng thư số, hiện nay 4\.600\.000 chứng thư số/,
    );
    const certs = para(page, 'security_public_certs_issued');
    await certs.getByTestId('mark-changed').waitFor();
    // The issued text stays as issued.
    assert.match(
      await textOf(certs.getByTestId('para-text')),
      /4\.581\.000 chứng thư số, tăng 14,1%/,
    );
    await shot(page, 'briefings-changed-1366.png', false);

    await page.getByTestId('briefing-revise').click();
    await page.waitForURL((u) => u.pathname !== `/bao-cao/${draftId}`);
    const revision = page.locator('[data-testid="briefing-page"][data-revision="1"]');
    await revision.waitFor();
    assert.equal(await revision.getAttribute('data-status'), 'draft');
    const corrections = page.getByTestId('briefing-corrections');
    assert.match(await textOf(corrections), /Số liệu điều chỉnh/);
    assert.match(
      await textOf(corrections),
      /Tổng số chứng thư số công cộng đã cấp chứng thư số 4\.581\.000 4\.600\.000/,
    );
    assert.match(
      await textOf(para(page, 'security_public_certs_issued').getByTestId('para-text')),
      /4\.600\.000 chứng thư số/,
    );
    const revisions = page.getByTestId('briefing-revisions');
    assert.match(await textOf(revisions), /Bản gốc Đã phát hành · /);
    assert.match(await textOf(revisions), /Sửa đổi lần 1 \(đang xem\) Dự thảo/);
    await page.getByTestId('briefing-issue').waitFor();
    await shot(page, 'briefings-revision-1366.png');

    // The original says a newer revision exists.
    await revisions.getByRole('link', { name: 'Bản gốc' }).click();
    const newer = page.getByTestId('briefing-newer');
    await newer.waitFor();
    assert.match(await textOf(newer), /bản sửa đổi mới hơn: Sửa đổi lần 1 \(Dự thảo\)/);
    await newer.getByRole('link').click();
    await revision.waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoOverflow(page, 'revision on a phone');
    await shot(page, 'briefings-revision-phone.png', false);
  });

  it('shows a viewer the briefing without the writing buttons', async () => {
    const viewer = {
      username: 'xem.baocao',
      name: 'Người xem báo cáo',
      password: 'Viewer-pw-' + Math.random().toString(36).slice(2, 10),
      role: 'viewer',
      unit: 'VN',
    };
    await createUsers(browser!, srv!, [viewer]);
    const ctx = await browser!.newContext({ viewport: { width: 1366, height: 768 } });
    ctx.setDefaultTimeout(UI_TIMEOUT_MS);
    try {
      const p = await ctx.newPage();
      watch(p, pageErrors);
      await p.goto(`${baseUrl}/bao-cao/${draftId}`);
      await fillSignIn(p, viewer.username, viewer.password);
      await p.locator('[data-testid="briefing-page"][data-status="issued"]').waitFor();
      await p.getByTestId('export-pdf').waitFor();
      assert.equal(await p.getByTestId('briefing-revise').count(), 0);
      assert.equal(await p.getByTestId('briefing-issue').count(), 0);
      await p.getByTestId('nav-briefings').click();
      await p.getByTestId('briefing-list').waitFor();
      assert.equal(await p.getByTestId('briefing-create').count(), 0);
      // The revision is a draft: readable, but not editable by a viewer.
      await p.getByTestId('briefing-list').getByText('Sửa đổi lần 1').waitFor();
    } finally {
      await ctx.close();
    }
  });

  it('had no script errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
