/**
 * End-to-end: the operations room's overview ("Tổng quan điều hành") with the real server (first
 * start: the real units and the demo data) and a real browser. The admin signs in and lands on
 * the overview; drills down from a province to a ward on the map's ranking and back up by the
 * breadcrumb; a value posted through the API changes the tile and the map of the open page
 * without a reload, and an alert rule marks them; the map of every commune; a ward officer sees
 * his ward with the rest greyed out; phone and wall screens; a mistyped link gives a message.
 * Screenshots land in test-artifacts/operations-room-*.png.
 *
 * Run: node --import tsx --test e2e/operations-room.e2e.test.ts
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
} from 'playwright-core';
import { formatValue } from '../web/src/shared/format.ts';
import { DEFAULT_TILES, resolvePeriod, vnToday } from '../web/src/features/room/state.ts';
import {
  adminApi,
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
let api: APIRequestContext | undefined;
let csrf = '';
let page: Page;
const pageErrors: string[] = [];
const watchErrors = (p: Page) => watch(p, pageErrors);

const OFFICER = { username: 'canbo.saigon', password: 'Canbo-pw-12345', name: 'Nguyễn Thị Lan' };

/** A date in Viet Nam (UTC+7), 'YYYY-MM-DD', `days` from today. */
async function text(p: Page, testId: string): Promise<string> {
  return (await p.getByTestId(testId).innerText()).replace(/\s+/g, ' ').trim();
}

/** One value from the analytics API, as the page would get it. */
async function value(dx: string, pe: string, ou: string): Promise<number> {
  const r = await api!.get(
    `${baseUrl}/api/analytics/query?dx=${dx}&pe=${encodeURIComponent(pe)}&ou=${ou}&version=2025`,
  );
  assert.equal(r.status(), 200, await r.text());
  const items = ((await r.json()) as { items: { value: number | null }[] }).items;
  return items[0]?.value ?? 0;
}

const signIn = fillSignIn;

/** The map has drawn `mapPrefix` (version|parent|level) with its values. */
async function mapDrawn(p: Page, mapPrefix: string) {
  await p.locator(`[data-testid=map][data-map^="${mapPrefix}|"][data-total]`).waitFor();
}

describe('Tổng quan điều hành — in a browser', () => {
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
      // A second client, as a data platform would be: it posts values through the API.
      ({ api, csrf } = await adminApi(srv));
    },
    { timeout: STARTUP_TIMEOUT_MS + 60_000 },
  );

  after(async () => {
    await api?.dispose().catch(() => {});
    await browser?.close().catch(() => {});
    await srv?.stop();
  });

  it('signs in and lands on the overview: tiles, live mark, province map, ranking, trend', async () => {
    await page.goto(baseUrl + '/');
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
    await signIn(page, 'admin', srv!.adminPassword);
    await page.getByRole('heading', { name: 'Tổng quan điều hành', level: 1 }).waitFor();
    assert.equal(
      await page
        .getByRole('navigation', { name: 'Chức năng' })
        .getByRole('link', { name: 'Tổng quan' })
        .getAttribute('aria-current'),
      'page',
    );
    // Every section of the menu in sight at 1366 px: none cut at the edge or scrolled away.
    const cut = await page
      .locator('.topnav a')
      .evaluateAll((links) =>
        links
          .filter((a) => a.getBoundingClientRect().right > document.documentElement.clientWidth)
          .map((a) => a.textContent),
      );
    assert.deepEqual(cut, [], 'menu items beyond the screen');

    // The tiles: last 7 days for the nation, in Vietnamese number forms.
    const period = resolvePeriod('7d', vnToday());
    const positives = await value('POSITIVE_CASES', period.id, 'VN');
    assert.ok(positives > 0, 'the demo data has positive cases in the last 7 days');
    const tile = page.getByTestId('tile-POSITIVE_CASES');
    await tile.getByText(formatValue('vi', positives, 'ca')).waitFor();
    assert.match(await text(page, 'tile-POSITIVE_CASES'), /Số ca dương tính/);
    assert.match(
      await text(page, 'tile-pop-POSITIVE_CASES'),
      /^[▲▼■] (tăng|giảm|không đổi).*so với 7 ngày trước/,
    );
    // The demo holds last year's days (per province): every tile has its change on them.
    for (const code of DEFAULT_TILES)
      assert.match(
        await text(page, `tile-yoy-${code}`),
        /^[▲▼■] (tăng|giảm|không đổi).*\d%.*so với cùng kỳ$/,
        code,
      );
    assert.match(await text(page, 'tile-HEALTH_DECLARATIONS'), /\d+(,\d+)? triệu lượt/);
    assert.match(await text(page, 'tile-TEST_POSITIVITY_PCT'), /\d+,\d+%/);
    assert.match(
      await text(page, 'ov-where'),
      /Việt Nam · từ \d\d\/\d\d\/\d{4} đến \d\d\/\d\d\/\d{4}/,
    );

    // Live, and the province map of the 2025 tree with its legend; the ranking lists 34.
    await page.getByTestId('live').getByText('Trực tiếp').waitFor();
    assert.equal(await page.getByTestId('live').getAttribute('aria-live'), 'polite');
    await mapDrawn(page, '2025|VN|1');
    assert.equal(await page.getByTestId('map').getAttribute('data-regions'), '34');
    assert.match(await text(page, 'legend'), /Chú giải \(lượt\):/);
    assert.equal(await page.getByTestId('ranking').locator('tbody tr').count(), 34);
    await page.getByTestId('trend').locator('canvas').waitFor();
    await shot(page, 'operations-room-overview.png');
  });

  it('drills down from a province to a ward and back up by the breadcrumb', async () => {
    // The ranking is the map's keyboard way in: every unit is a link.
    await page.getByRole('link', { name: 'Xem Thành phố Hồ Chí Minh' }).click();
    await mapDrawn(page, '2025|79|2');
    assert.match(page.url(), /\?ou=79$/);
    assert.match(await text(page, 'ov-where'), /^Thành phố Hồ Chí Minh ·/);
    assert.equal(await page.getByTestId('map').getAttribute('data-regions'), '168');
    // Côn Đảo, 180 km out at sea, is drawn in the map's inset so the mainland fills the box.
    assert.equal(await page.getByTestId('map').getAttribute('data-inset'), '26732');
    const crumbs = page.getByRole('navigation', { name: 'Đường dẫn đơn vị' });
    await crumbs.getByRole('link', { name: 'Việt Nam' }).waitFor();
    await shot(page, 'operations-room-province.png');

    await page.getByRole('link', { name: 'Xem Phường Sài Gòn' }).click();
    await crumbs.getByText('Phường Sài Gòn').waitFor();
    assert.match(page.url(), /\?ou=26740$/);
    assert.match(await text(page, 'ov-where'), /^Phường Sài Gòn ·/);
    // A ward has no units below: the map stays on its city, the ward outlined and in the table.
    await mapDrawn(page, '2025|79|2');
    assert.equal(await page.getByTestId('rank-26740').getAttribute('aria-current'), 'true');
    const ward = await value('POSITIVE_CASES', resolvePeriod('7d', vnToday()).id, '26740');
    await page
      .getByTestId('tile-value-POSITIVE_CASES')
      .getByText(formatValue('vi', ward, 'ca').split(' ')[0]!)
      .waitFor();
    await shot(page, 'operations-room-ward.png');

    // The address reopens the same screen, and the back button works.
    await page.goBack();
    await page.getByTestId('ov-where').getByText('Thành phố Hồ Chí Minh').waitFor();
    await page.goForward();
    await page.getByTestId('ov-where').getByText('Phường Sài Gòn').waitFor();

    await crumbs.getByRole('link', { name: 'Thành phố Hồ Chí Minh' }).click();
    await page.getByTestId('ov-where').getByText('Thành phố Hồ Chí Minh').waitFor();
    await crumbs.getByRole('link', { name: 'Việt Nam' }).click();
    await page.getByTestId('ov-where').getByText('Việt Nam').waitFor();
    await mapDrawn(page, '2025|VN|1');
    assert.equal(new URL(page.url()).search, '');
  });

  it('shows a value posted through the API on the open page, tile and map, without a reload', async () => {
    // Map by positive cases; an alert rule on the wards of Hồ Chí Minh City.
    await page
      .getByTestId('tile-POSITIVE_CASES')
      .getByRole('button', { name: 'Xem trên bản đồ' })
      .click();
    assert.match(page.url(), /m=POSITIVE_CASES/);
    const period = resolvePeriod('7d', vnToday());
    const before = await value('POSITIVE_CASES', period.id, 'VN');
    await page.locator(`[data-testid=map][data-total="${before}"]`).waitFor();
    await page.getByTestId('live').getByText('Trực tiếp').waitFor();
    const rule = await api!.post(baseUrl + '/api/alerts/rules', {
      headers: { 'X-CSRF-Token': csrf },
      data: {
        nameVi: 'Ca dương tính trong ngày của một xã, phường vượt 1.000',
        nameEn: 'Positive cases of a commune in a day above 1,000',
        subject: 'POSITIVE_CASES',
        unit: { version: '2025', code: '79' },
        level: 2,
        periodType: 'day',
        operator: '>',
        threshold: 1000,
      },
    });
    assert.equal(rule.status(), 201, await rule.text());
    // A validation rule the value will break (issue 17): positives within tests, per ward.
    const check = await api!.post(baseUrl + '/api/validationRules', {
      headers: { 'X-CSRF-Token': csrf },
      data: {
        code: 'E2E_ROOM_POSITIVES_LE_TESTS',
        nameVi: 'Số ca dương tính không vượt số mẫu xét nghiệm',
        nameEn: 'Positive cases within tests done',
        instructionVi: 'Liên hệ phường để kiểm tra lại số ca dương tính',
        importance: 'HIGH',
        periodType: 'day',
        levels: [2],
        operator: 'less_than_or_equal_to',
        left: { expression: '#{POSITIVE_CASES}' },
        right: { expression: '#{TESTS_DONE}' },
      },
    });
    assert.equal(check.status(), 201, await check.text());
    assert.equal(await page.getByTestId('tile-POSITIVE_CASES').getByTestId('flag-mark').count(), 0);
    // The page must not reload: a mark on the window survives only if it does not.
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    const yesterday = vnDay(-1);
    const was = await value('POSITIVE_CASES', yesterday, '26740');
    const posted = await api!.post(baseUrl + '/api/dataValueSets', {
      headers: { 'X-CSRF-Token': csrf },
      data: {
        dataValues: [
          {
            dataElement: 'POSITIVE_CASES',
            period: yesterday,
            orgUnit: '26740',
            value: String(was + 5000),
          },
        ],
      },
    });
    assert.equal(posted.status(), 200, await posted.text());

    const after = before + 5000;
    await page
      .getByTestId('tile-value-POSITIVE_CASES')
      .getByText(formatValue('vi', after, 'ca').split(' ')[0]!)
      .waitFor();
    await page.locator(`[data-testid=map][data-total="${after}"]`).waitFor();
    assert.equal(
      await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
      true,
    );
    // The alert: listed, and marked on the tile and on the city in the map's table.
    await page.getByTestId('alerts').getByText('Phường Sài Gòn').waitFor();
    await page.getByTestId('tile-alert-POSITIVE_CASES').waitFor();
    await page.getByTestId('rank-79').getByText('Có cảnh báo').waitFor();
    assert.match(await text(page, 'rank-79'), /^1 /, 'the city now ranks first');
    // The value breaks the rule: the leader's open room says the figure is to be checked.
    const flag = page.getByTestId('tile-POSITIVE_CASES').getByTestId('flag-mark');
    await flag.waitFor();
    assert.match((await flag.getAttribute('title')) ?? '', /Số ca dương tính không vượt/);
    await shot(page, 'operations-room-live.png');
  });

  it('colours every commune of the country on one map', async () => {
    await page.getByRole('checkbox', { name: 'Toàn bộ xã, phường' }).check();
    await mapDrawn(page, '2025|VN|2');
    assert.equal(await page.getByTestId('map').getAttribute('data-regions'), '3321');
    const drawn = Number(await page.getByTestId('map').getAttribute('data-drawn'));
    assert.ok(drawn > 3000, `${drawn} communes coloured`);
    // The ward with the value posted above leads the country; the table shows the first 100.
    await page.getByTestId('rank-26740').waitFor();
    assert.equal(await page.getByTestId('ranking').locator('tbody tr').count(), 100);
    await shot(page, 'operations-room-all-communes.png', false);
    await page.getByRole('checkbox', { name: 'Toàn bộ xã, phường' }).uncheck();
    await mapDrawn(page, '2025|VN|1');
  });

  it('explains an unknown indicator or unit in the address, in Vietnamese and English', async () => {
    await page.goto(baseUrl + '/?dx=KHONG_TON_TAI,POSITIVE_CASES');
    const problem = page.getByTestId('ov-problem');
    await problem.waitFor();
    assert.match(await problem.innerText(), /Không có chỉ tiêu “KHONG_TON_TAI”/);
    await page.getByTestId('tile-POSITIVE_CASES').waitFor();
    await shot(page, 'operations-room-unknown-indicator.png', false);

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Operations overview', level: 1 }).waitFor();
    assert.match(await problem.innerText(), /There is no indicator “KHONG_TON_TAI”/);
    assert.match(await text(page, 'tile-POSITIVE_CASES'), /Positive test results/);
    await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click();
    await page.getByRole('heading', { name: 'Tổng quan điều hành', level: 1 }).waitFor();

    await page.goto(baseUrl + '/?ou=99999');
    await problem.waitFor();
    assert.match(await problem.innerText(), /Không có đơn vị mã “99999” trong cây 2025/);
    await shot(page, 'operations-room-unknown-unit.png', false);
    await problem.getByRole('button', { name: 'Mở màn hình tổng quan mặc định' }).click();
    await mapDrawn(page, '2025|VN|1');
  });

  it('fits a phone: one column, readable tiles, no sideways scrolling', async () => {
    const phone = await browser!.newContext({
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
      await p.goto(baseUrl + '/');
      await signIn(p, 'admin', srv!.adminPassword);
      await p.getByTestId('tile-POSITIVE_CASES').waitFor();
      await mapDrawn(p, '2025|VN|1');
      const boxes = await p.locator('.tile').evaluateAll((els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          return { x: Math.round(r.x), w: Math.round(r.width) };
        }),
      );
      assert.ok(boxes.length >= 5, `${boxes.length} tiles`);
      assert.ok(
        boxes.every((b) => b.x === boxes[0]!.x && b.w >= 340),
        JSON.stringify(boxes),
      );
      const size = await p
        .getByTestId('tile-value-POSITIVE_CASES')
        .evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
      assert.ok(size >= 24, `tile values are ${size}px`);
      const overflow = await p.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
      // The choices fold under one line, so the figures come first.
      assert.equal(await p.getByLabel('Kỳ').isVisible(), false);
      await shot(p, 'operations-room-phone.png', false);
      await shot(p, 'operations-room-phone-full.png');
    } finally {
      await phone.close();
    }
  });

  it('fills a 1920×1080 wall screen: dark, large type, panels that rotate', async () => {
    const wall = await browser!.newContext({
      viewport: { width: 1920, height: 1080 },
      locale: 'vi-VN',
    });
    wall.setDefaultTimeout(UI_TIMEOUT_MS);
    try {
      const p = await wall.newPage();
      watchErrors(p);
      await p.goto(baseUrl + '/?wall=1');
      await signIn(p, 'admin', srv!.adminPassword);
      await p.getByTestId('tile-POSITIVE_CASES').waitFor();
      await mapDrawn(p, '2025|VN|1');
      await p.getByTestId('trend').locator('canvas').waitFor();
      assert.equal(
        await p.locator('header.topbar').isVisible(),
        false,
        'the app header steps aside',
      );
      const layout = await p.evaluate(() => ({
        height: document.documentElement.scrollHeight,
        width: document.documentElement.scrollWidth,
        background: getComputedStyle(document.body).backgroundColor,
        value: parseFloat(
          getComputedStyle(document.querySelector('[data-testid=tile-value-POSITIVE_CASES]')!)
            .fontSize,
        ),
      }));
      assert.ok(layout.height <= 1080 && layout.width <= 1920, JSON.stringify(layout));
      assert.equal(layout.background, 'rgb(11, 18, 32)');
      assert.ok(layout.value >= 40, `tile values are ${layout.value}px`);
      await shot(p, 'operations-room-wall.png', false);

      // The side panel rotates every 20 s; the dots choose one at once.
      await p.getByRole('button', { name: 'Bảng 2/3' }).click();
      await p.getByTestId('ranking').waitFor();
      await shot(p, 'operations-room-wall-ranking.png', false);
      await p.getByRole('button', { name: 'Bảng 3/3' }).click();
      await p.getByTestId('alerts').waitFor();
      await shot(p, 'operations-room-wall-alerts.png', false);
      await p.getByRole('button', { name: 'Thoát màn hình lớn' }).click();
      await p.locator('header.topbar').waitFor();
    } finally {
      await wall.close();
    }
  });

  it('shows a ward officer his ward, with the rest of the city greyed out', async () => {
    const created = await api!.post(baseUrl + '/api/users', {
      headers: { 'X-CSRF-Token': csrf },
      data: {
        username: OFFICER.username,
        displayName: OFFICER.name,
        password: OFFICER.password,
        role: 'officer',
        scope: { version: '2025', code: '26740' },
      },
    });
    assert.equal(created.status(), 201, await created.text());
    const officer = await browser!.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      locale: 'vi-VN',
    });
    officer.setDefaultTimeout(UI_TIMEOUT_MS);
    try {
      const p = await officer.newPage();
      watchErrors(p);
      await p.goto(baseUrl + '/');
      await signIn(p, OFFICER.username, OFFICER.password);
      await p.getByTestId('ov-where').getByText('Phường Sài Gòn').waitFor();
      await mapDrawn(p, '2025|79|2');
      assert.equal(await p.getByTestId('map').getAttribute('data-drawn'), '1');
      assert.match(await text(p, 'legend'), /Ngoài phạm vi/);
      assert.equal(await p.getByTestId('ranking').locator('tbody tr').count(), 1);
      // Above his scope the breadcrumb is text, not links.
      const crumbs = p.getByRole('navigation', { name: 'Đường dẫn đơn vị' });
      assert.equal(await crumbs.getByRole('link').count(), 0);
      await shot(p, 'operations-room-officer-phone.png');
    } finally {
      await officer.close();
    }
  });

  it('colours a change by what it means: more positive cases bad, more tests good', async () => {
    // Yesterday against the day before, at one ward: both figures clearly rose.
    const [yesterday, dayBefore] = [vnDay(-1), vnDay(-2)];
    const dataValues = [];
    for (const dx of ['POSITIVE_CASES', 'TESTS_DONE']) {
      const was = await value(dx, yesterday, '26740');
      // The demo's day before may hold 0 at this ward (its figures change with the date), and
      // a rise from 0 has no percentage: give it a value to rise from.
      const base = Math.max(await value(dx, dayBefore, '26740'), 50);
      dataValues.push({
        dataElement: dx,
        period: dayBefore,
        orgUnit: '26740',
        value: String(base),
      });
      // Never lower than it is: the tests above left the ward leading the country.
      dataValues.push({
        dataElement: dx,
        period: yesterday,
        orgUnit: '26740',
        value: String(Math.max(was, base + 5000)),
      });
    }
    const posted = await api!.post(baseUrl + '/api/dataValueSets', {
      headers: { 'X-CSRF-Token': csrf },
      data: { dataValues },
    });
    assert.equal(posted.status(), 200, await posted.text());

    await page.goto(baseUrl + '/?dx=POSITIVE_CASES,TESTS_DONE,TEST_POSITIVITY_PCT&ou=26740&pe=1d');
    const cases = page.getByTestId('tile-pop-POSITIVE_CASES');
    const tests = page.getByTestId('tile-pop-TESTS_DONE');
    await cases.locator('.change-verdict', { hasText: 'xấu' }).waitFor();
    await tests.locator('.change-verdict', { hasText: 'tốt' }).waitFor();
    // The arrow says which way, the word and the colour what it means.
    assert.match(await text(page, 'tile-pop-POSITIVE_CASES'), /^▲ .*% xấu so với/);
    assert.match(await text(page, 'tile-pop-TESTS_DONE'), /^▲ .*% tốt so với/);
    const look = (testId: string) =>
      page.getByTestId(testId).evaluate((el) => ({
        judgement: el.getAttribute('data-judgement'),
        className: el.className,
        color: getComputedStyle(el).color,
        spoken: el.querySelector('.sr-only')?.textContent ?? '',
      }));
    const bad = await look('tile-pop-POSITIVE_CASES');
    const good = await look('tile-pop-TESTS_DONE');
    assert.equal(bad.judgement, 'bad');
    assert.match(bad.className, /\bchange-bad\b/);
    assert.equal(bad.color, 'rgb(179, 19, 27)', 'red');
    assert.match(bad.spoken, /^tăng .*%, xấu$/);
    assert.equal(good.judgement, 'good');
    assert.match(good.className, /\bchange-good\b/);
    assert.equal(good.color, 'rgb(26, 127, 55)', 'green');
    assert.match(good.spoken, /^tăng .*%, tốt$/);
    // The ranking says which end is the good one.
    assert.match(await text(page, 'ranking-order'), /cao hơn là xấu hơn/);
    await shot(page, 'operations-room-good-bad.png');

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await cases.locator('.change-verdict', { hasText: 'worse' }).waitFor();
    assert.match(await text(page, 'tile-pop-TESTS_DONE'), /^▲ .*% better vs/);
    assert.match(await text(page, 'ranking-order'), /higher is worse/);
    await shot(page, 'operations-room-good-bad-en.png', false);
    await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click();
    await page.getByRole('heading', { name: 'Tổng quan điều hành', level: 1 }).waitFor();
  });

  it('had no script errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
