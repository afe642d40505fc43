/**
 * End-to-end (issue 19): what the issue says a board must show, each as a person would notice it,
 * with the real server (first start, demo data) and a real browser.
 *
 * 1. The national administrator builds a board in the builder (`/bang/moi`): a map, a pivot
 *    (rows: units, columns: periods), a trend of two figures and a tile, each added through the
 *    "Thêm ô" dialog; the board's unit and period at the top; saved, it reopens as saved.
 * 2. He shares it with the leaders of Hồ Chí Minh City (79) in the sharing dialog; the city's
 *    leader opens it on her own city: its name in the panels' headers, its wards and communes in
 *    the pivot's rows and on the map, figures equal to what /api/analytics gives her.
 * 3. On the wall (`?wall=1`) at 1366×768, 1920×1080, 2560×1440, 3840×2160 and 1080×1920 every
 *    panel's box is measured: none leaves the screen, overlaps another or cuts its content, the
 *    page does not scroll, the smallest text is 0.9 of the wall's; on a phone the panels stand
 *    one under another and nothing scrolls sideways.
 * 4. A value posted through the API changes the open board's tile and pivot cell, no reload.
 * 5. A slideshow of two boards turns from one to the other.
 * 6. The network drops under the board's wall (a TCP relay cut): it says so, keeps its figures,
 *    comes back by itself and shows a value posted meanwhile.
 * 7. The pivot's "Tải xuống" XLSX read back by LibreOffice equals the pivot; the board printed
 *    on A4 landscape (pdftotext) has the panels' titles and figures, no navigation, no panel
 *    split across pages.
 *
 * Shots and printed pages: test-artifacts/board-must-*.png.
 *
 * Run: npm run build:web && node --import tsx --test e2e/board-must-show.e2e.test.ts
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { formatNumber } from '../web/src/shared/format.ts';
import {
  csvRows,
  libreOfficeConvert,
  pdfPageCount,
  pdfPages,
  pdfText,
  SKIP_DOCUMENTS,
} from '../src/test/documents.ts';
import {
  adminApi,
  apiAs,
  apiGet,
  ARTIFACTS,
  createUsers,
  launchBrowser,
  newScreen,
  openSignedIn,
  shot,
  startServer,
  STARTUP_TIMEOUT_MS,
  vnDay,
  type RunningServer,
} from './harness.ts';
import { download, measure, startRelay, WALL_SIZES as SIZES, wallProblems } from './screen.ts';

const LEADER = {
  username: 'lanhdao.hcm',
  password: 'Lanhdao-pw-67890',
  name: 'Trần Thị Mai',
  role: 'leader',
  unit: '79',
};
const NAME = 'Giao ban dịch tễ: tuần qua';
const TITLES = {
  map: 'Bản đồ ca dương tính',
  pivot: 'Ca dương tính từng xã, từng ngày',
  trend: 'Xét nghiệm và ca dương tính',
  tile: 'Tổng số ca dương tính',
};
/** The commune whose values the tests post: Phường Sài Gòn, in Hồ Chí Minh City. */
const COMMUNE = '26740';

let srv: RunningServer | undefined;
let browser: Browser | undefined;
let api: APIRequestContext | undefined;
let csrf = '';
/** The city's leader through the API, as her browser reads. */
let leaderApi: APIRequestContext | undefined;
let adminCtx: BrowserContext | undefined;
let leaderCtx: BrowserContext | undefined;
let admin: Page;
let leader: Page;
let boardId = 0;
let communeName = '';
/** The city's wards and communes: the short name the panels write, by their full name. */
const shortName = new Map<string, string>();
const pageErrors: string[] = [];

/** Per wall size, the panels whose body holds more than it shows (measured in the wall test). */
const cutInside = new Map<string, string[]>();
/** Panels whose body is cut: its content taller or wider than its box, by how much. */
const CUT_INSIDE = `[...document.querySelectorAll('section.bp-panel .bp-body, section.bp-panel .bp-pivot-scroll')]
  .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
  .map((el) => el.closest('section').dataset.testid + ' ' + el.className + ' ' +
    el.scrollWidth + '×' + el.scrollHeight + ' in ' + el.clientWidth + '×' + el.clientHeight)`;

const panel = (p: Page, id: string) => p.getByTestId(`panel-${id}`);
/** A cell or tile showing `n` ("1.234 ca"). */
const shownAs = (n: number) => new RegExp(`^${escape(formatNumber('vi', n))}(\\s|$)`);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A figure as the panels write it ("1.234", "12,5"), as a number; null for "–". */
function parseShown(text: string): number | null {
  const digits = text
    .replace(/\./g, '')
    .replace(',', '.')
    .replace(/[^\d.-]/g, '');
  return digits === '' ? null : Number(digits);
}

interface Analytics {
  headers: { name: string }[];
  rows: string[][];
}

/** DHIS2's /api/analytics as `who` reads it: its rows as records of the headers' names. */
async function analytics(who: APIRequestContext, query: string) {
  const r = await apiGet(who, `${srv!.baseUrl}/api/analytics?${query}`);
  assert.equal(r.status(), 200, await r.text());
  const g = (await r.json()) as Analytics;
  return g.rows.map((row) => Object.fromEntries(g.headers.map((h, i) => [h.name, row[i]!])));
}

/** The pivot as it is drawn: its columns' labels and each row's label and cells. */
const READ_PIVOT = (id: string) => `(() => {
  const t = document.querySelector('[data-testid="panel-${id}"] table');
  if (!t) return null;
  return {
    columns: [...t.querySelectorAll('thead tr:last-child th.num')].map((th) => th.textContent.trim()),
    rows: [...t.querySelectorAll('tbody tr')].map((tr) => ({
      label: tr.querySelector('th').textContent.trim(),
      cells: [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()),
    })),
  };
})()`;

interface Pivot {
  columns: string[];
  rows: { label: string; cells: string[] }[];
}

async function readPivot(p: Page): Promise<Pivot> {
  const pivot = await p.evaluate<Pivot | null>(READ_PIVOT('pivot-1'));
  assert.ok(pivot, 'the pivot is drawn');
  return pivot;
}

/** The cell of the pivot's row `unit` and column `period`. */
function pivotCell(p: Page, unit: string, column: number): Locator {
  return panel(p, 'pivot-1')
    .locator('tbody tr')
    .filter({ has: p.locator('th', { hasText: new RegExp(`^${escape(unit)}$`) }) })
    .locator('td')
    .nth(column);
}

/** Waits until every panel of the board has its figures, the map drawn. */
async function panelsReady(p: Page) {
  for (const id of ['map-1', 'pivot-1', 'trend-1', 'tile-1'])
    await p.locator(`[data-testid="panel-${id}"][data-state="ready"]`).waitFor();
  await panel(p, 'map-1').locator('[data-testid="map"][data-drawn]').waitFor();
  await panel(p, 'trend-1').locator('canvas').first().waitFor();
  await panel(p, 'pivot-1').locator('table tbody tr').first().waitFor();
}

/** Adds a panel through the "Thêm ô" dialog: its kind, title, figures, and what else `more` sets. */
async function addPanel(
  kind: string,
  title: string,
  figures: string[],
  more?: (dialog: Locator) => Promise<void>,
) {
  await admin.getByRole('button', { name: '+ Thêm ô' }).click();
  const dialog = admin.getByTestId('panel-editor');
  await dialog.getByLabel('Loại ô').selectOption(kind);
  await dialog.getByLabel('Tiêu đề (không bắt buộc)').fill(title);
  for (const name of figures) {
    await dialog.getByLabel('Tìm chỉ tiêu').fill(name);
    await dialog.getByRole('checkbox', { name, exact: true }).check();
  }
  await more?.(dialog);
  await dialog.getByRole('button', { name: 'Xong' }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** The value of POSITIVE_CASES posted for the commune on a day: what it was, plus `add`. */
async function postMore(day: string, add: number): Promise<number> {
  const rows = await analytics(
    api!,
    `dimension=dx:POSITIVE_CASES&dimension=pe:${day.replace(/-/g, '')}&dimension=ou:${COMMUNE}`,
  );
  const was = Number(rows[0]?.value ?? 0);
  const posted = await api!.post(srv!.baseUrl + '/api/dataValueSets', {
    headers: { 'X-CSRF-Token': csrf },
    data: {
      dataValues: [
        { dataElement: 'POSITIVE_CASES', period: day, orgUnit: COMMUNE, value: String(was + add) },
      ],
    },
  });
  assert.equal(posted.status(), 200, await posted.text());
  return was + add;
}

/** The city's 7-day total of positive cases, as the leader reads it from /api/analytics. */
async function cityTotal(): Promise<number> {
  const rows = await analytics(
    leaderApi!,
    'dimension=dx:POSITIVE_CASES&filter=pe:LAST_7_DAYS&dimension=ou:79',
  );
  assert.equal(rows.length, 1, JSON.stringify(rows));
  return Number(rows[0]!.value);
}

/** The board's wall, the city's leader signed in (through `base`: the server or a relay). */
const leaderWall = (ctx: BrowserContext, base = srv!.baseUrl, errors = pageErrors) =>
  openSignedIn(ctx, `${base}/bang/${boardId}?wall=1`, LEADER.username, LEADER.password, errors);

const tileValue = (p: Page) => panel(p, 'tile-1').getByTestId('tile-value-POSITIVE_CASES');

describe('A board: what the issue says it must show, in a browser', () => {
  before(
    async () => {
      srv = await startServer();
      browser = await launchBrowser();
      ({ api, csrf } = await adminApi(srv));
      await createUsers(browser, srv, [LEADER]);
      ({ api: leaderApi } = await apiAs(srv, LEADER.username, LEADER.password));
      adminCtx = await newScreen(browser, 1366, 768);
      admin = await openSignedIn(
        adminCtx,
        srv.baseUrl + '/bang/',
        'admin',
        srv.adminPassword,
        pageErrors,
      );
      await admin.getByRole('heading', { name: 'Bảng số liệu', level: 1 }).waitFor();
    },
    { timeout: STARTUP_TIMEOUT_MS + 60_000 },
  );

  after(async () => {
    await leaderCtx?.close().catch(() => {});
    await adminCtx?.close().catch(() => {});
    await leaderApi?.dispose().catch(() => {});
    await api?.dispose().catch(() => {});
    await browser?.close().catch(() => {});
    await srv?.stop();
  });

  it('1. builds a map, a pivot, a trend and a tile in the builder, saves, and reopens as saved', async () => {
    await admin.goto(srv!.baseUrl + '/bang/moi');
    await admin.getByTestId('board-builder').waitFor();
    await admin.getByLabel('Tên bảng').fill(NAME);
    // The board's variables at its top: every viewer's own unit, the last 7 days.
    await admin.getByLabel('Đơn vị của bảng ($unit)').selectOption('my_unit');
    await admin.getByLabel('Kỳ của bảng ($period)').selectOption('LAST_7_DAYS');

    // A map of the units under the board's unit (the kind's own units).
    await addPanel('map', TITLES.map, ['Số ca dương tính']);
    // A pivot: the units under the board's unit down the rows, the board's days across.
    await addPanel('pivot', TITLES.pivot, ['Số ca dương tính'], async (dialog) => {
      const units = dialog.locator('fieldset', {
        has: admin.locator('legend', { hasText: 'Đơn vị của ô' }),
      });
      await units.getByRole('button', { name: 'Bỏ Đơn vị của bảng ($unit)' }).click();
      await units.getByLabel('Thêm', { exact: true }).selectOption('children');
      await units.getByRole('button', { name: 'Thêm', exact: true }).click();
      await units.locator('.board-chip').getByText('Các đơn vị trực thuộc').waitFor();
      const columns = dialog.getByRole('group', { name: 'Cột', exact: true });
      await columns.getByLabel('Kỳ', { exact: true }).check();
      await columns.getByLabel('Chỉ tiêu', { exact: true }).uncheck();
      const rows = dialog.getByRole('group', { name: 'Hàng', exact: true });
      assert.ok(await rows.getByLabel('Đơn vị', { exact: true }).isChecked());
    });
    // A trend of two figures (the kind's 12 months).
    await addPanel('trend', TITLES.trend, ['Số mẫu xét nghiệm', 'Số ca dương tính']);
    // A tile, six columns wide under the map.
    await addPanel('tile', TITLES.tile, ['Số ca dương tính'], async (dialog) => {
      await dialog.getByLabel('Rộng (cột)').fill('6');
    });
    // The builder draws each panel with its figures before it is saved.
    for (const id of ['map-1', 'pivot-1', 'trend-1', 'tile-1'])
      await admin
        .getByTestId(`cell-${id}`)
        .locator(`[data-testid="panel-${id}"][data-state="ready"]`)
        .waitFor();
    await shot(admin, 'board-must-builder-1366.png');

    await admin.getByTestId('board-save').click();
    await admin.getByTestId('board-view').waitFor();
    const m = /\/bang\/(\d+)$/.exec(new URL(admin.url()).pathname);
    assert.ok(m, `a saved board opens at its address: ${admin.url()}`);
    boardId = Number(m[1]);

    await admin.reload();
    await admin.getByRole('heading', { name: NAME, level: 1 }).waitFor();
    await panelsReady(admin);
    for (const [id, title] of [
      ['map-1', TITLES.map],
      ['pivot-1', TITLES.pivot],
      ['trend-1', TITLES.trend],
      ['tile-1', TITLES.tile],
    ] as const)
      assert.equal(await panel(admin, id).locator('.bp-title').innerText(), title);
    // The variables as set, on the board's bar.
    assert.match(
      await admin.getByLabel('Đơn vị', { exact: true }).locator('option:checked').innerText(),
      /Đơn vị của tôi/,
    );
    assert.equal(await admin.getByLabel('Kỳ', { exact: true }).inputValue(), 'LAST_7_DAYS');
    // The national administrator's pivot: a row per province, a column per day of the 7.
    const pivot = await readPivot(admin);
    assert.equal(pivot.columns.length, 7, pivot.columns.join(', '));
    assert.equal(pivot.rows.length, 34, 'the 34 provinces');

    const r = await apiGet(api!, `${srv!.baseUrl}/api/boards/${boardId}`);
    const saved = (await r.json()) as {
      variables: { unit: string; period: string };
      panels: { panel: Record<string, unknown> & { id: string; grid: Record<string, number> } }[];
    };
    assert.deepEqual(saved.variables, { unit: 'my_unit', period: 'LAST_7_DAYS' });
    const byId = new Map(saved.panels.map((p) => [p.panel.id, p.panel]));
    assert.deepEqual(
      [...byId.keys()].sort(),
      ['map-1', 'pivot-1', 'tile-1', 'trend-1'],
      'the four panels, no other',
    );
    const pv = byId.get('pivot-1')!;
    assert.deepEqual(pv.units, ['children']);
    assert.deepEqual(pv.periods, ['$period']);
    assert.deepEqual(pv.options, { rows: ['ou'], columns: ['pe'] });
    assert.deepEqual(byId.get('trend-1')!.figures, ['TESTS_DONE', 'POSITIVE_CASES']);
    assert.deepEqual(byId.get('map-1')!.units, ['children']);
    // Each panel of its kind's size, none on another: the map 6×6, the pivot and trend 6×4.
    assert.deepEqual(byId.get('map-1')!.grid, { x: 0, y: 0, w: 6, h: 6 });
    assert.deepEqual(byId.get('pivot-1')!.grid, { x: 6, y: 0, w: 6, h: 4 });
    assert.deepEqual(byId.get('trend-1')!.grid, { x: 6, y: 4, w: 6, h: 4 });
    assert.deepEqual(byId.get('tile-1')!.grid, { x: 0, y: 6, w: 6, h: 2 });
    await shot(admin, 'board-must-view-1366.png');
  });

  it('2. shared with the leaders of 79, it opens on the city’s own figures', async () => {
    assert.ok(boardId, 'the board was built');
    await admin.getByRole('button', { name: 'Chia sẻ' }).click();
    const dialog = admin.getByTestId('share-dialog');
    await dialog.getByLabel('Chia sẻ với').selectOption('role');
    await dialog.getByLabel('Mã đơn vị').fill('79');
    await dialog.getByLabel('Vai trò').selectOption('leader');
    await dialog.getByLabel('Quyền').selectOption('read');
    await dialog.getByRole('button', { name: 'Thêm vào danh sách' }).click();
    await dialog.getByTestId('share-list').getByText('Lãnh đạo ở đơn vị 79').waitFor();
    await dialog.getByRole('button', { name: 'Lưu chia sẻ' }).click();
    await dialog.getByText('Đã lưu chia sẻ.').waitFor();
    await dialog.getByRole('button', { name: 'Đóng' }).first().click();

    // The city's wards and communes, as she may read them.
    const kids = await apiGet(
      leaderApi!,
      `${srv!.baseUrl}/api/orgunits/79/children?version=2025&limit=1000`,
    );
    assert.equal(kids.status(), 200, await kids.text());
    const communes = (
      (await kids.json()) as { items: { code: string; name: string; fullName: string }[] }
    ).items;
    assert.ok(communes.length > 100, `${communes.length} wards and communes`);
    communeName = communes.find((c) => c.code === COMMUNE)!.name;
    for (const c of communes) shortName.set(c.fullName, c.name);

    leaderCtx = await newScreen(browser!, 1366, 768);
    leader = await openSignedIn(
      leaderCtx,
      srv!.baseUrl + '/bang/',
      LEADER.username,
      LEADER.password,
      pageErrors,
    );
    await leader
      .getByTestId('boards-shared')
      .getByRole('link', { name: new RegExp(escape(NAME)) })
      .click();
    await leader.getByRole('heading', { name: NAME, level: 1 }).waitFor();
    await panelsReady(leader);
    assert.match(
      await leader.getByLabel('Đơn vị', { exact: true }).locator('option:checked').innerText(),
      /Hồ Chí Minh/,
    );
    // Each panel says what it counts: the trend its own 12 months, not the board's 7 days.
    assert.match(
      await panel(leader, 'trend-1').locator('.bp-where').innerText(),
      /^Hồ Chí Minh · tháng \d\d\/\d{4} – tháng \d\d\/\d{4}$/,
    );
    // The city's name in the headers of the panels tall enough to have the line.
    for (const id of ['map-1', 'pivot-1', 'trend-1'])
      assert.match(
        await panel(leader, id).locator('.bp-where').innerText(),
        /^Thành phố Hồ Chí Minh · 7 ngày qua$|Hồ Chí Minh/,
        id,
      );
    // The map: the city's boundary map, a value for each of its wards and communes.
    const map = panel(leader, 'map-1').getByTestId('map');
    assert.match((await map.getAttribute('data-map')) ?? '', /^2025\|79\|/);
    const drawn = Number(await map.getAttribute('data-drawn'));
    assert.ok(drawn > 100 && drawn <= communes.length, `${drawn} communes coloured`);

    // The pivot: the city's wards and communes down the rows, no province.
    const pivot = await readPivot(leader);
    const names = new Set(communes.map((c) => c.name));
    assert.equal(pivot.rows.length, communes.length);
    const strangers = pivot.rows.filter((r) => !names.has(r.label)).map((r) => r.label);
    assert.deepEqual(strangers, [], 'every row is one of the city’s');
    for (const province of ['Thành phố Hà Nội', 'Thành phố Đà Nẵng', 'Hà Nội'])
      assert.ok(!pivot.rows.some((r) => r.label === province), `${province} is not a row`);

    // Its figures are /api/analytics' as she reads it: the tile the city's 7 days…
    const total = await cityTotal();
    assert.equal(parseShown((await tileValue(leader).innerText()).split(' ')[0]!), total);
    // …and the commune's row its days, one by one.
    const days = await apiGet(
      leaderApi!,
      `${srv!.baseUrl}/api/analytics/query?dx=POSITIVE_CASES&pe=LAST_7_DAYS&ou=${COMMUNE}`,
    );
    const q = (await days.json()) as {
      items: { pe: string; value: number | null }[];
      periods: { id: string; label: string }[];
    };
    assert.deepEqual(
      pivot.columns,
      q.periods.map((p) => p.label),
      'a column per day, in order',
    );
    const row = pivot.rows.find((r) => r.label === communeName)!;
    assert.ok(row, `${communeName} is a row`);
    assert.deepEqual(
      row.cells.map(parseShown),
      q.periods.map((p) => q.items.find((i) => i.pe === p.id)?.value ?? null),
    );
    // The sum of the pivot is the tile's total.
    const sum = pivot.rows.reduce(
      (s, r) => s + r.cells.reduce((a, c) => a + (parseShown(c) ?? 0), 0),
      0,
    );
    assert.equal(sum, total, 'the pivot’s cells add up to the tile');
    await shot(leader, 'board-must-leader-1366.png');
  });

  it('4. a value posted through the API changes the open board’s tile and pivot cell', async () => {
    assert.ok(boardId, 'the board was built');
    const day = vnDay(-1);
    const before = await readPivot(leader);
    const column = before.columns.length - 1; // yesterday, the last of the 7 days
    const total = await cityTotal();
    await leader.evaluate('window.__sameLoad = true');
    const now = await postMore(day, 500);
    await pivotCell(leader, communeName, column)
      .filter({ hasText: shownAs(now) })
      .waitFor();
    await tileValue(leader)
      .filter({ hasText: formatNumber('vi', total + 500) })
      .waitFor();
    assert.equal(await cityTotal(), total + 500);
    assert.equal(await leader.evaluate('window.__sameLoad'), true, 'no reload');
    await shot(leader, 'board-must-live-1366.png');
  });

  for (const size of SIZES)
    it(`3. on the wall at ${size.width}×${size.height}: every panel fits, none overlaps or is cut`, async () => {
      assert.ok(boardId, 'the board was built');
      const ctx = await newScreen(browser!, size.width, size.height);
      try {
        const p = await leaderWall(ctx);
        await p.getByTestId('board-wall').waitFor();
        await panelsReady(p);
        await p.getByTestId('live').getByText('Trực tiếp').waitFor();
        const m = await measure(p, '[data-testid="board-wall"]', 'section.bp-panel');
        console.log(
          `${size.name}: smallest text ${m.minText}px ("${m.minWhat}"); panels ${m.boxes
            .map((b) => `${b.what} ${Math.round(b.w)}×${Math.round(b.h)}`)
            .join(', ')}`,
        );
        await p.waitForTimeout(1000); // the charts' drawing animation, for the shot
        await shot(p, `board-must-wall-${size.name}.png`, false);
        assert.equal(m.boxes.length, 4);
        assert.deepEqual(wallProblems(m, size.width, size.height), []);
        // What each panel's body holds beyond its box, which nobody at a wall can scroll to.
        cutInside.set(size.name, await p.evaluate<string[]>(CUT_INSIDE));
        assert.ok(
          m.minText >= size.minText,
          `the smallest text is ${m.minText}px ("${m.minWhat}"), under ${size.minText}`,
        );
      } finally {
        await ctx.close();
      }
    });

  for (const size of SIZES)
    // The pivot turns pages of rows and of columns on a wall (seven days do not fit a portrait
    // wall's column); a short, wide tile lays its comparisons beside its value.
    it(`3. on the wall at ${size.width}×${size.height}: nothing in a panel is cut`, () => {
      assert.deepEqual(cutInside.get(size.name), []);
    });

  it('3. on a phone the wall’s panels stand one under another, nothing sideways', async () => {
    assert.ok(boardId, 'the board was built');
    const ctx = await newScreen(browser!, 390, 844);
    try {
      const p = await leaderWall(ctx);
      await panelsReady(p);
      const m = await measure(p, '[data-testid="board-wall"]', 'section.bp-panel');
      await shot(p, 'board-must-wall-phone.png');
      assert.ok(m.scrollW <= 390, `the page scrolls sideways (${m.scrollW})`);
      assert.equal(m.boxes.length, 4);
      const order = [...m.boxes].sort((a, b) => a.y - b.y);
      for (const b of order)
        assert.ok(b.x >= 0 && b.x + b.w <= 390 && b.w >= 330, `${b.what}: ${JSON.stringify(b)}`);
      for (let i = 1; i < order.length; i++)
        assert.ok(
          order[i]!.y >= order[i - 1]!.y + order[i - 1]!.h - 0.5,
          `${order[i]!.what} stands under ${order[i - 1]!.what}`,
        );
      assert.deepEqual(
        order.map((b) => b.what),
        ['panel-map-1', 'panel-pivot-1', 'panel-trend-1', 'panel-tile-1'],
        'in reading order',
      );
      assert.ok(m.minText >= 14, `the smallest text is ${m.minText}px ("${m.minWhat}")`);
    } finally {
      await ctx.close();
    }
  });

  it('5. a slideshow of two boards turns from one to the other', async () => {
    assert.ok(boardId, 'the board was built');
    const list = await apiGet(api!, `${srv!.baseUrl}/api/boards`);
    const items = ((await list.json()) as { items: { id: number; name: string }[] }).items;
    const other = items.find((b) => b.name === 'Giao ban tháng');
    assert.ok(other, items.map((b) => b.name).join(', '));
    await admin.goto(`${srv!.baseUrl}/trinh-chieu/?bang=${boardId},${other.id}&giay=5`);
    await admin.getByRole('heading', { name: NAME, level: 1 }).waitFor();
    await admin.getByTestId('playlist-now').getByText('Bảng 1/2').waitFor();
    await panelsReady(admin);
    // By itself, five seconds later.
    await admin.getByRole('heading', { name: other.name, level: 1 }).waitFor();
    await admin.getByTestId('playlist-now').getByText('Bảng 2/2').waitFor();
    await shot(admin, 'board-must-playlist-1366.png', false);
    // …and back to the first.
    await admin.getByRole('heading', { name: NAME, level: 1 }).waitFor();
    await admin.getByTestId('playlist-now').getByText('Bảng 1/2').waitFor();
  });

  it('6. the network drops under the wall: it says so, keeps its figures, and comes back', async () => {
    assert.ok(boardId, 'the board was built');
    const ctx = await newScreen(browser!, 1920, 1080);
    const relay = await startRelay(new URL(srv!.baseUrl));
    const errors: string[] = [];
    try {
      const p = await leaderWall(ctx, relay.url, errors);
      await panelsReady(p);
      const live = p.getByTestId('live');
      await live.getByText('Trực tiếp').waitFor();
      const tileBefore = await tileValue(p).innerText();
      // The wall's pivot turns its pages by itself: what it keeps is its rows, whichever page.
      const pivotRows = p.getByTestId('panel-pivot-1').locator('tbody tr');

      relay.cut();
      await live.getByText('Mất kết nối').waitFor();
      assert.match(await p.getByTestId('live-time').innerText(), /số liệu lúc \d\d:\d\d/);
      assert.equal(await tileValue(p).innerText(), tileBefore);
      assert.ok((await pivotRows.count()) > 0, 'the pivot keeps its rows');
      assert.equal(await p.locator('[role=alert]').count(), 0);
      await shot(p, 'board-must-offline.png', false);

      // Meanwhile a value arrives at the server.
      const total = await cityTotal();
      const now = await postMore(vnDay(-1), 300);

      relay.restore();
      await live.getByText('Trực tiếp').waitFor({ timeout: 30_000 });
      await tileValue(p)
        .filter({ hasText: formatNumber('vi', total + 300) })
        .waitFor({ timeout: 30_000 });
      assert.ok(now > 0);
      assert.ok((await pivotRows.count()) > 0, 'the pivot has its rows');
      assert.equal(await p.locator('[role=alert]').count(), 0);
      assert.deepEqual(
        errors.filter((e) => !/ERR_|EventSource|Failed to fetch|NetworkError/.test(e)),
        [],
      );
      await shot(p, 'board-must-back-online.png', false);
    } finally {
      relay.close();
      await ctx.close();
    }
  });

  it(
    '7. the pivot’s XLSX, read back by LibreOffice, is the pivot, Vietnamese names and all',
    { skip: SKIP_DOCUMENTS },
    async () => {
      assert.ok(boardId, 'the board was built');
      await leader.goto(`${srv!.baseUrl}/bang/${boardId}`);
      await panelsReady(leader);
      const pivot = await readPivot(leader);
      const menu = panel(leader, 'pivot-1').getByTestId('panel-menu');
      await menu.locator('summary').click();
      const file = await download(leader, () =>
        menu.getByRole('link', { name: 'Bảng tính (XLSX)' }).click(),
      );
      assert.match(file.name, /\.xlsx$/);
      const csv = await libreOfficeConvert(
        file.bytes,
        'pivot.xlsx',
        'csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false,false',
      );
      const rows = csvRows([...csv.values()][0]!.toString('utf8'), ';');
      assert.match(rows[0]![0]!, /^Chỉ tiêu: Số ca dương tính/);
      const head = rows.findIndex((r) => r[0] === 'Chỉ tiêu');
      assert.deepEqual(rows[head]!.slice(0, 4), ['Chỉ tiêu', 'Kỳ', 'Đơn vị', 'Giá trị']);
      const cells = rows.slice(head + 1).filter((r) => r[0]);
      const shown = pivot.rows.flatMap((r) =>
        r.cells.flatMap((c, i) => {
          const v = parseShown(c);
          return v === null ? [] : [`${r.label}|${pivot.columns[i]}|${v}`];
        }),
      );
      // The file names a unit in full ("Phường Sài Gòn"), the pivot by its short name.
      const filed = cells.map(
        (r) => `${shortName.get(r[2]!) ?? r[2]}|${r[1]}|${Number(r[3]!.replace(',', '.'))}`,
      );
      assert.ok(
        cells.some((r) => r[2] === 'Phường Sài Gòn'),
        'full names with their diacritics',
      );
      assert.ok(filed.length > 100, `${filed.length} rows`);
      assert.deepEqual(filed.sort(), shown.sort(), 'the file’s figures are the pivot’s');
      assert.ok(
        filed.some((f) => f.startsWith(communeName + '|')),
        communeName,
      );
      assert.ok(cells.every((r) => r[0] === 'Số ca dương tính'));
    },
  );

  it(
    '7. printed on A4 landscape: titles and figures, no navigation, no panel split across pages',
    { skip: SKIP_DOCUMENTS },
    async () => {
      assert.ok(boardId, 'the board was built');
      const nav = (await leader.locator('.topnav').innerText())
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
      assert.ok(nav.length >= 3, nav.join(', '));
      const tile = (await tileValue(leader).innerText()).split(' ')[0]!;
      const pivot = await readPivot(leader);
      await leader.emulateMedia({ media: 'print' });
      const pdf = new Uint8Array(await leader.pdf({ format: 'A4', landscape: true }));
      await leader.emulateMedia({ media: 'screen' });
      await pdfPages(pdf, ARTIFACTS, 'board-must-print');
      const count = await pdfPageCount(pdf);
      const pages = (await pdfText(pdf))
        .split('\f')
        .slice(0, count)
        .map((t) => t.replace(/\s+/g, ' '));
      const all = pages.join(' ');
      assert.ok(all.includes(NAME), 'the board’s name');
      for (const title of Object.values(TITLES)) {
        const on = pages.flatMap((t, i) => (t.includes(title) ? [i + 1] : []));
        assert.equal(on.length, 1, `“${title}” on one page: ${on.join(', ')}`);
      }
      const pageOf = (title: string) => pages.findIndex((t) => t.includes(title));
      // Each panel's figures on its title's page: the tile's, the pivot's first row.
      assert.ok(pages[pageOf(TITLES.tile)]!.includes(tile), `the tile's ${tile}`);
      const first = pivot.rows[0]!;
      const pivotPage = pages[pageOf(TITLES.pivot)]!;
      // A row's name wraps in its narrow column, its lines between the figures beside it.
      for (const word of first.label.split(' '))
        assert.ok(pivotPage.includes(word), `the pivot's first row, ${first.label}`);
      assert.ok(pivotPage.includes(first.cells[0]!), `its first figure, ${first.cells[0]}`);
      assert.ok(pivotPage.includes(pivot.columns[0]!), `the pivot's first day`);
      assert.ok(all.includes('Thành phố Hồ Chí Minh'), 'the city, diacritics intact');
      // The board's own name holds "Giao ban", a word of the menu: read without it.
      for (const word of [...nav, 'Tải xuống', 'Chia sẻ', 'Màn hình lớn', 'Đăng xuất'])
        assert.ok(!all.split(NAME).join(' ').includes(word), `no “${word}” on paper`);

      // Measured with print's boxes: no panel runs over an A4 page's height (190 mm at 96 dpi).
      await leader.emulateMedia({ media: 'print' });
      const tall = await leader.evaluate<number[]>(
        `[...document.querySelectorAll('section.bp-panel')].map((s) => s.getBoundingClientRect().height)`,
      );
      await leader.emulateMedia({ media: 'screen' });
      assert.equal(tall.length, 4);
      for (const h of tall) assert.ok(h > 0 && h < (190 / 25.4) * 96, `a panel ${h}px tall`);
    },
  );

  it(
    '7. “Tải PDF” downloads the board printed at the server: her city’s figures, no panel split across pages',
    { skip: SKIP_DOCUMENTS },
    async () => {
      assert.ok(boardId, 'the board was built');
      await leader.goto(`${srv!.baseUrl}/bang/${boardId}`);
      await panelsReady(leader);
      const tile = (await tileValue(leader).innerText()).split(' ')[0]!;
      const pivot = await readPivot(leader);
      const file = await download(leader, () =>
        leader.getByRole('link', { name: 'Tải PDF' }).click(),
      );
      assert.match(file.name, /\.pdf$/);
      assert.equal(new TextDecoder().decode(file.bytes.slice(0, 5)), '%PDF-');
      await pdfPages(file.bytes, ARTIFACTS, 'board-must-server-pdf');
      const count = await pdfPageCount(file.bytes);
      const pages = (await pdfText(file.bytes))
        .split('\f')
        .slice(0, count)
        .map((t) => t.replace(/\s+/g, ' '));
      const all = pages.join(' ');
      assert.ok(all.includes(NAME), 'the board’s name');
      for (const title of [TITLES.map, TITLES.pivot, TITLES.trend]) {
        const on = pages.flatMap((t, i) => (t.includes(title) ? [i + 1] : []));
        assert.equal(on.length, 1, `“${title}” on one page: ${on.join(', ')}`);
      }
      const pageOf = (title: string) => pages.findIndex((t) => t.includes(title));
      // The tile's figure on the page of its title, as the screen shows it.
      assert.ok(pages[pageOf(TITLES.tile)]!.includes(tile), `the tile's ${tile}`);
      const pivotPage = pages[pageOf(TITLES.pivot)]!;
      const first = pivot.rows[0]!;
      for (const word of first.label.split(' '))
        assert.ok(pivotPage.includes(word), `the pivot's first row, ${first.label}`);
      assert.ok(pivotPage.includes(first.cells[0]!), `its first figure, ${first.cells[0]}`);
      assert.ok(all.includes('Hồ Chí Minh'), 'the city, diacritics intact');
      for (const word of ['Tải xuống', 'Chia sẻ', 'Màn hình lớn', 'Đăng xuất'])
        assert.ok(!all.includes(word), `no “${word}” on paper`);
    },
  );

  it('left no script errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
