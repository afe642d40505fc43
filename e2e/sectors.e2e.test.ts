/**
 * End-to-end: the sector pages of the monthly briefing ("Tổng quan các lĩnh vực") with the real
 * server (first start: the real units and the demo data with the seed figures of the MIC
 * articles) and a real browser. The admin signs in on the January 2022 cybersecurity page and
 * finds 1.383 incidents with their parts (197 Phishing, 125 Deface, 1.061 Malware) and the
 * article's "tăng 10,29%"; every other sector shows a seed figure the way the ministry writes
 * it; the month picker moves between months; phone, wall and English; a mistyped link gives a
 * message. Screenshots land in test-artifacts/sectors-*.png.
 *
 * Run: node --import tsx --test e2e/sectors.e2e.test.ts
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import {
  launchBrowser,
  shot,
  startServer,
  STARTUP_TIMEOUT_MS,
  UI_TIMEOUT_MS,
  watchErrors as watch,
  type RunningServer,
  fillSignIn,
  vnDay,
} from './harness.ts';

let srv: RunningServer | undefined;
let baseUrl = '';
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];
const watchErrors = (p: Page) => watch(p, pageErrors);

/** A date in Viet Nam (UTC+7), 'YYYY-MM-DD', `days` from today. */
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
const textOf = async (l: Locator) => flat(await l.innerText());

/** The card of an element's figure at a period. */
const figure = (p: Page, element: string, period: string) =>
  p.locator(`[data-testid="figure-${element}"][data-period="${period}"]`);

/** Waits until the card shows its value (values arrive after the page's figures). */
async function valueOf(card: Locator): Promise<string> {
  const v = card.getByTestId('figure-value');
  await v.locator('.sector-num:not(.sector-pending)').waitFor();
  return textOf(v);
}

const signIn = (p: Page) => fillSignIn(p, 'admin', srv!.adminPassword);

describe('Sector pages — in a browser', () => {
  before(
    async () => {
      srv = await startServer();
      baseUrl = srv.baseUrl;
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

  it('signs in on the January 2022 cybersecurity page: 1.383 incidents and their parts', async () => {
    await page.goto(baseUrl + '/linh-vuc/an-toan-thong-tin?thang=2022-01');
    await signIn(page);
    await page.getByTestId('sector-title').filter({ hasText: 'An toàn thông tin' }).waitFor();
    assert.equal(await page.getByLabel('Tháng', { exact: true }).inputValue(), '2022-01');
    assert.match(await textOf(page.locator('.sector-head')), /tháng 01\/2022 · Toàn quốc/);

    const attacks = figure(page, 'CYBERATTACKS', '2022-01');
    assert.equal(await valueOf(attacks), '1.383 sự cố');
    assert.match(await textOf(attacks.getByTestId('part-PHISHING')), /Phishing.*197/);
    assert.match(await textOf(attacks.getByTestId('part-DEFACE')), /Deface.*125/);
    assert.match(await textOf(attacks.getByTestId('part-MALWARE')), /Malware.*1\.061/);
    assert.match(await textOf(attacks.getByTestId('part-MALWARE')), /76,7% tổng số/);
    assert.match(await textOf(attacks), /Cơ cấu theo loại tấn công mạng/);
    // The breakdown is drawn by ECharts, and described for a screen reader.
    const chart = attacks.getByRole('img', { name: /Phishing\) 197; .*Deface\) 125; .*1\.061/ });
    await chart.locator('canvas').waitFor();
    // The change against December 2021 the article printed for the total: no December value
    // is held, and the total is not a stored value; its printed change has its home
    // (printed_figure, data/demo/printed.json) and is shown as reported.
    assert.equal(
      await textOf(attacks.getByTestId('change-prev')),
      '▲ tăng 10,29% so với tháng 12/2021, xấu theo báo cáo',
    );
    assert.match(await textOf(attacks), /tăng 10,29% so với tháng 12\/2021/);

    // More attacks are bad news: red, and said in a word; fewer botnet addresses good news.
    assert.equal(await attacks.getByTestId('change-prev').getAttribute('data-judgement'), 'bad');
    const botnet = figure(page, 'SECURITY_BOTNET_IPS', '2022-01');
    assert.equal(await botnet.getByTestId('change-prev').getAttribute('data-judgement'), 'good');
    assert.equal(await valueOf(botnet), '879.342 địa chỉ IP');
    assert.equal(
      await textOf(botnet.getByTestId('change-prev')),
      '▼ giảm 9,29% so với tháng 12/2021, tốt theo báo cáo',
    );
    // Computed from 4.581.000 and 4.014.701, as the article's "tăng 14,1%".
    const certs = figure(page, 'SECURITY_PUBLIC_CERTS_ISSUED', '2022-01');
    assert.equal(await valueOf(certs), '4.581.000 chứng thư số');
    assert.equal(
      await textOf(certs.getByTestId('change-yoy')),
      '▲ tăng 14,1% so với cùng kỳ 2021, tốt',
    );

    // Computed too, written to the printed precision: 1.690.000 against 1.578.959, "7,03%".
    assert.equal(
      await textOf(
        figure(page, 'SECURITY_PUBLIC_CERTS_ACTIVE', '2022-01').getByTestId('change-yoy'),
      ),
      '▲ tăng 7,03% so với cùng kỳ 2021, tốt',
    );

    // The Tết week, with its own period.
    const tet = figure(page, 'CYBERATTACKS', '2022-01-29/2022-02-05');
    assert.equal(await valueOf(tet), '244 sự cố');
    assert.match(await textOf(tet), /từ 29\/01\/2022 đến 05\/02\/2022/);
    await shot(page, 'sectors-security-2022-01.png');
  });

  it('shows a seed figure on every other sector for January 2022', async () => {
    await page.getByTestId('tab-telecom').click();
    await page.getByTestId('sector-title').filter({ hasText: 'Viễn thông' }).waitFor();
    assert.match(page.url(), /\/linh-vuc\/vien-thong\?thang=2022-01$/);
    const revenue = figure(page, 'TELECOM_REVENUE', '2022-01');
    assert.equal(await valueOf(revenue), 'ước đạt 11.496 tỷ đồng');
    assert.equal(
      await textOf(revenue.getByTestId('change-yoy')),
      '▲ tăng 3% so với cùng kỳ 2021, tốt theo báo cáo',
    );
    assert.equal(
      await valueOf(figure(page, 'TELECOM_SMARTPHONE_SUBS', '2022-01')),
      '91,32 triệu thuê bao',
    );
    assert.equal(await valueOf(figure(page, 'TELECOM_SMARTPHONE_SHARE_PCT', '2022-01')), '72,6%');
    assert.equal(
      await valueOf(figure(page, 'TELECOM_SPAM_REPORTS_5656', '2022-01-29/2022-02-05')),
      '517 phản ánh',
    );
    await shot(page, 'sectors-telecom-2022-01.png');

    await page.getByTestId('tab-it').click();
    await page.getByTestId('sector-title').filter({ hasText: 'Ứng dụng CNTT' }).waitFor();
    const l4 = figure(page, 'IT_ONLINE_SERVICES_L4_ELIGIBLE_PCT', '2022-01-20');
    assert.equal(await valueOf(l4), '96,74%');
    assert.match(await textOf(l4), /tính đến ngày 20\/01\/2022/);
    assert.equal(
      await valueOf(figure(page, 'IT_PROVINCES_POPULATION_DB', '2022-01-20')),
      '63 tỉnh',
    );
    await shot(page, 'sectors-it-2022-01.png');

    await page.getByTestId('tab-ict').click();
    await page.getByTestId('sector-title').filter({ hasText: 'Công nghiệp ICT' }).waitFor();
    const ict = figure(page, 'ICT_INDUSTRY_REVENUE', '2022-01');
    assert.equal(await valueOf(ict), 'ước đạt 222.762 tỷ đồng');
    assert.equal(
      await textOf(ict.getByTestId('change-yoy')),
      '▼ giảm khoảng 23% so với cùng kỳ 2021, xấu theo báo cáo',
    );
    await shot(page, 'sectors-ict-2022-01.png');

    await page.getByTestId('tab-press').click();
    await page.getByTestId('sector-title').filter({ hasText: 'Báo chí, truyền thông' }).waitFor();
    const agencies = figure(page, 'PRESS_AGENCIES', '2022-01');
    assert.equal(await valueOf(agencies), '816 cơ quan');
    assert.match(await textOf(agencies.getByTestId('part-PRINT_NEWSPAPER_MAGAZINE')), /557/);
    // 634 stations against the 628 of December 2021 (the article: "tăng 06 đài").
    const radio = figure(page, 'PRESS_COMMUNE_RADIO_STATIONS_ICT', '2022-01');
    assert.equal(await valueOf(radio), '634 đài');
    assert.equal(
      await textOf(radio.getByTestId('change-prev')),
      '▲ tăng 1% so với tháng 12/2021, tốt',
    );
    assert.equal(
      await textOf(figure(page, 'PRESS_PAY_TV_SUBS', '2022-01').getByTestId('change-yoy')),
      '▲ tăng 1,2% so với cùng kỳ 2021, tốt',
    );
    await shot(page, 'sectors-press-2022-01.png');

    // Postal: the January article prints only a change ("doanh thu, sản lượng … tăng trưởng
    // khoảng 30%"): the month shows it, with no value, marked as the report's.
    await page.getByTestId('tab-postal').click();
    await page.getByTestId('sector-title').filter({ hasText: 'Bưu chính' }).waitFor();
    const postalJan = figure(page, 'POSTAL_REVENUE', '2022-01');
    await postalJan.getByTestId('change-yoy').waitFor();
    assert.equal(
      await textOf(postalJan.getByTestId('change-yoy')),
      '▲ tăng khoảng 30% so với cùng kỳ 2021, tốt theo báo cáo',
    );
    assert.equal(
      await textOf(postalJan.getByTestId('change-only')),
      'Báo cáo chỉ nêu mức thay đổi, không nêu giá trị',
    );
    await shot(page, 'sectors-postal-2022-01.png');
    await page.getByLabel('Tháng', { exact: true }).selectOption('2021-08');
    await page.waitForURL(/\/linh-vuc\/buu-chinh\?thang=2021-08$/);
    const postal = figure(page, 'POSTAL_REVENUE', '2021-01-01/2021-08-31');
    assert.equal(await valueOf(postal), 'ước đạt 24.500 tỷ đồng');
    assert.match(await textOf(postal), /8 tháng đầu năm 2021/);
    // Analytics would compare with the half-year 2020 alone; the page keeps the printed +10%.
    assert.equal(
      await textOf(postal.getByTestId('change-yoy')),
      '▲ tăng 10% so với cùng kỳ 2020, tốt theo báo cáo',
    );
    assert.match(
      await valueOf(figure(page, 'POSTAL_ESSENTIAL_GOODS_TONNES_CUM', '2021-08-25')),
      /^53\.167 tấn$/,
    );
    await shot(page, 'sectors-postal-2021-08.png');

    // COVID-19 support: August 2021, chosen in the month picker.
    await page.getByTestId('tab-covid').click();
    await page.getByTestId('sector-title').filter({ hasText: 'COVID-19' }).waitFor();
    await page.getByLabel('Tháng', { exact: true }).selectOption('2021-08');
    await page.waitForURL(/\/linh-vuc\/phong-chong-dich\?thang=2021-08$/);
    assert.equal(await valueOf(figure(page, 'COVID_BLUEZONE_ACTIVE', '2021-08-26')), '22,7 triệu');
    assert.equal(
      await valueOf(figure(page, 'COVID_CONTACTS_FOUND_CUM', '2021-08-26')),
      '53.989 ca',
    );
    await shot(page, 'sectors-covid-2021-08.png');
  });

  it('flags the ICT revenue printed in tỷ đồng 1,000 times off its USD amount (issue 17)', async () => {
    // The article of August 2021: "1.992 tỷ đồng (~ 86,1 tỷ USD)": loaded as printed, the
    // exchange-rate rule flags it; January 2022's 222.762 tỷ đồng (~ 9,6 tỷ USD) is not.
    await page.goto(baseUrl + '/linh-vuc/cong-nghiep-ict?thang=2021-08');
    const card = figure(page, 'ICT_INDUSTRY_REVENUE', '2021-01-01/2021-08-31');
    assert.equal(await valueOf(card), 'ước đạt 1.992 tỷ đồng');
    const flag = card.getByTestId('flag-mark');
    await flag.waitFor();
    assert.match(await textOf(flag), /Cần kiểm tra số liệu/);
    assert.match((await flag.getAttribute('data-rules')) ?? '', /ICT_REVENUE_RATE_LOW/);
    assert.match((await flag.getAttribute('title')) ?? '', /tỷ giá|nghìn tỷ/);
    await shot(page, 'sectors-ict-2021-08-flagged.png');
    await page.goto(baseUrl + '/linh-vuc/cong-nghiep-ict?thang=2022-01');
    const fine = figure(page, 'ICT_INDUSTRY_REVENUE', '2022-01');
    assert.equal(await valueOf(fine), 'ước đạt 222.762 tỷ đồng');
    assert.equal(await fine.getByTestId('flag-mark').count(), 0);
  });

  it('moves between months with the picker, the keyboard and Back', async () => {
    await page.getByTestId('nav-sectors').click();
    await page.getByTestId('sector-index').waitFor();
    assert.match(
      await textOf(page.getByRole('link', { name: 'Xem lĩnh vực An toàn thông tin' })),
      /Tháng gần nhất: tháng 01\/2022/,
    );
    await shot(page, 'sectors-index.png');
    await page.getByRole('link', { name: 'Xem lĩnh vực An toàn thông tin' }).click();
    // The default month: the newest with figures of its own.
    assert.equal(await valueOf(figure(page, 'CYBERATTACKS', '2022-01')), '1.383 sự cố');
    assert.equal(await page.getByLabel('Tháng', { exact: true }).inputValue(), '2022-01');

    await page.getByLabel('Tháng', { exact: true }).selectOption('2021-08');
    await page.waitForURL(/thang=2021-08$/);
    const eight = figure(page, 'CYBERATTACKS', '2021-01-01/2021-08-31');
    assert.equal(await valueOf(eight), '5.082 sự cố');
    assert.equal(
      await textOf(eight.getByTestId('change-yoy')),
      '▲ tăng 25,82% so với cùng kỳ 2020, xấu theo báo cáo',
    );
    await page.goBack();
    await page.waitForURL(/\/linh-vuc\/an-toan-thong-tin$/);
    assert.equal(await valueOf(figure(page, 'CYBERATTACKS', '2022-01')), '1.383 sự cố');

    // The older-month button, reached and pressed from the keyboard.
    await page.getByLabel('Tháng', { exact: true }).focus();
    await page.keyboard.press('Shift+Tab');
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      'Tháng trước có số liệu',
    );
    await page.keyboard.press('Enter');
    await page.waitForURL(/thang=2021-08$/);
    assert.equal(await page.getByLabel('Tháng', { exact: true }).inputValue(), '2021-08');
  });

  it('opens a sector on its newest month: this month of daily commune reports, so far', async () => {
    await page.goto(baseUrl + '/linh-vuc/vien-thong');
    const yesterday = vnDay(-1);
    assert.equal(
      await page.getByLabel('Tháng', { exact: true }).inputValue(),
      yesterday.slice(0, 7),
    );
    const spam = figure(page, 'SPAM_REPORTS', yesterday.slice(0, 7));
    assert.match(await valueOf(spam), /^[\d.]+ phản ánh$/);
    const [y, m, d] = yesterday.split('-');
    assert.match(await textOf(spam), new RegExp(`tháng ${m}/${y}, đến ngày ${d}/${m}/${y}`));
    await shot(page, 'sectors-telecom-latest.png');
  });

  it('reads in English', async () => {
    await page.goto(baseUrl + '/linh-vuc/an-toan-thong-tin?thang=2022-01');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByTestId('sector-title').filter({ hasText: 'Cybersecurity' }).waitFor();
    const attacks = figure(page, 'CYBERATTACKS', '2022-01');
    assert.equal(await valueOf(attacks), '1,383 incidents');
    await attacks.locator('canvas').waitFor();
    assert.match(await textOf(attacks.getByTestId('part-MALWARE')), /Malware.*1,061/);
    assert.equal(
      await textOf(figure(page, 'SECURITY_BOTNET_IPS', '2022-01').getByTestId('change-prev')),
      '▼ down 9.29% vs December 2021, better as reported',
    );
    await shot(page, 'sectors-security-2022-01-en.png');
    await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click();
    await page.getByTestId('sector-title').filter({ hasText: 'An toàn thông tin' }).waitFor();
  });

  it('explains an unknown sector, a bad month and a month without figures', async () => {
    await page.goto(baseUrl + '/linh-vuc/thoi-tiet');
    assert.equal(
      await textOf(page.getByTestId('sector-unknown').locator('p').first()),
      'Không có lĩnh vực “thoi-tiet”. Đường dẫn có thể đã cũ hoặc gõ nhầm.',
    );
    // The way out: every sector, as links.
    await page.getByTestId('tab-security').waitFor();
    await shot(page, 'sectors-unknown.png');

    await page.goto(baseUrl + '/linh-vuc/an-toan-thong-tin?thang=2022-13');
    assert.match(
      await textOf(page.getByTestId('sector-error')),
      /Tháng không hợp lệ: "2022-13". Viết tháng theo dạng năm-tháng, ví dụ 2022-01/,
    );
    await shot(page, 'sectors-bad-month.png');
    await page.getByRole('link', { name: 'Mở tháng mặc định' }).click();
    assert.equal(await valueOf(figure(page, 'CYBERATTACKS', '2022-01')), '1.383 sự cố');

    await page.goto(baseUrl + '/linh-vuc/an-toan-thong-tin?thang=2019-05');
    assert.equal(
      await textOf(page.getByTestId('sector-empty').locator('p').first()),
      'Lĩnh vực An toàn thông tin không có số liệu tháng 05/2019.',
    );
    assert.match(
      await textOf(page.getByLabel('Tháng', { exact: true }).locator('option:checked')),
      /tháng 05\/2019 · không có số liệu/,
    );
  });

  it('fits a phone (390×844) and a wall display (1920×1080)', async () => {
    const phone = await browser!.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'vi-VN',
      storageState: await context!.storageState(),
    });
    phone.setDefaultTimeout(UI_TIMEOUT_MS);
    const p = await phone.newPage();
    watchErrors(p);
    await p.goto(baseUrl + '/linh-vuc/an-toan-thong-tin?thang=2022-01');
    const attacks = figure(p, 'CYBERATTACKS', '2022-01');
    assert.equal(await valueOf(attacks), '1.383 sự cố');
    await attacks.locator('canvas').waitFor();
    const overflow = await p.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    const box = await attacks.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, JSON.stringify(box));
    await shot(p, 'sectors-security-phone.png');
    await shot(p, 'sectors-security-phone-screen.png', false);
    await phone.close();

    const wall = await browser!.newContext({
      viewport: { width: 1920, height: 1080 },
      locale: 'vi-VN',
      storageState: await context!.storageState(),
    });
    wall.setDefaultTimeout(UI_TIMEOUT_MS);
    const w = await wall.newPage();
    watchErrors(w);
    await w.goto(baseUrl + '/linh-vuc/an-toan-thong-tin?thang=2022-01');
    await figure(w, 'CYBERATTACKS', '2022-01').locator('canvas').waitFor();
    assert.equal(await valueOf(figure(w, 'CYBERATTACKS', '2022-01')), '1.383 sự cố');
    await shot(w, 'sectors-security-wall.png', false);
    await wall.close();

    assert.deepEqual(pageErrors, []);
  });
});
