/**
 * End-to-end (issue 19): every kind of board panel drawn from a saved board, with the real server
 * (first start, demo data) and a real browser. The national administrator's board (made through
 * the API) has tiles, a map, a ranking, a trend, a pivot, a breakdown, the open alerts, a
 * directive's progress, a note and a panel whose figure does not exist; on the board's page each
 * panel stays inside its grid cell and shows its figures (or why it cannot), the time they were
 * read, and its download menu; the note shows its markup as text. On the wall the map names the
 * provinces with their values, beside Hoàng Sa and Trường Sa, and no panel has a menu. Shots:
 * test-artifacts/board-panels-*.png.
 *
 * The board is opened at its page (/bang/{id}, ?wall=1 on the wall), whose grid cells hold the
 * panels: this file needs the board page (branch board-page) merged.
 *
 * Run: npm run build:web && node --import tsx --test e2e/board-panels.e2e.test.ts
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import {
  adminApi,
  fillSignIn,
  launchBrowser,
  shot,
  startServer,
  STARTUP_TIMEOUT_MS,
  UI_TIMEOUT_MS,
  vnDay,
  watchErrors,
  type RunningServer,
} from './harness.ts';

const NOTE = 'Giao ban sáng thứ Hai.\n<b>Không in đậm</b> — dòng thứ hai.';

const grid = (x: number, y: number, w: number, h: number) => ({ x, y, w, h });

const PANELS = [
  {
    id: 'tiles',
    kind: 'tile',
    grid: grid(0, 0, 6, 4),
    figures: ['POSITIVE_CASES', 'TESTS_DONE'],
    units: ['$unit'],
    options: { compare: ['previous'] },
  },
  { id: 'note', kind: 'text', grid: grid(6, 0, 6, 4), title: 'Ghi chú', options: { text: NOTE } },
  {
    id: 'map',
    kind: 'map',
    grid: grid(0, 4, 7, 8),
    figures: ['POSITIVE_CASES'],
    units: ['children'],
  },
  {
    id: 'ranking',
    kind: 'ranking',
    grid: grid(7, 4, 5, 8),
    figures: ['POSITIVE_CASES'],
    units: ['children'],
    options: { order: 'desc', limit: 8 },
  },
  {
    id: 'trend',
    kind: 'trend',
    grid: grid(0, 12, 6, 5),
    figures: ['TESTS_DONE'],
    units: ['$unit'],
    periods: ['LAST_14_DAYS'],
  },
  {
    id: 'pivot',
    kind: 'pivot',
    grid: grid(6, 12, 6, 5),
    title: 'Ca dương tính và xét nghiệm',
    figures: ['POSITIVE_CASES', 'TESTS_DONE'],
    units: ['01', '79', '48'],
    periods: ['LAST_3_DAYS'],
    options: { rows: ['dx', 'ou'], columns: ['pe'] },
  },
  {
    id: 'parts',
    kind: 'breakdown',
    grid: grid(0, 17, 6, 5),
    figures: ['TESTS_DONE', 'POSITIVE_CASES', 'CASES_TRACED'],
    units: ['$unit'],
  },
  { id: 'alerts', kind: 'alerts', grid: grid(6, 17, 6, 5), options: { limit: 5 } },
  { id: 'directive', kind: 'directive', grid: grid(0, 22, 6, 4), options: { directive: 0 } },
  {
    id: 'missing',
    kind: 'tile',
    grid: grid(6, 22, 6, 4),
    figures: ['KHONG_TON_TAI'],
    units: ['$unit'],
  },
];

let srv: RunningServer | undefined;
let browser: Browser | undefined;
let api: APIRequestContext | undefined;
let page: Page;
let boardId = 0;
let directiveId = 0;
const pageErrors: string[] = [];

/** Whether each panel's content stays inside the panel's box, and the box inside its cell. */
const FITS = `(() => [...document.querySelectorAll('section.bp-panel')].map((s) => {
  const box = s.getBoundingClientRect();
  const cell = s.parentElement.getBoundingClientRect();
  return {
    id: s.dataset.testid,
    inCell: box.left >= cell.left - 1 && box.right <= cell.right + 1 && box.top >= cell.top - 1 && box.bottom <= cell.bottom + 1,
    box: [box.top, box.bottom, box.left, box.right].map(Math.round),
    cell: [cell.top, cell.bottom, cell.left, cell.right].map(Math.round),
    spills: s.scrollHeight > s.clientHeight + 1 || s.scrollWidth > s.clientWidth + 1,
  };
}))()`;

/** The smallest text shown in the panels (what a screen reader alone reads left out). */
const MIN_TEXT = `(() => {
  let size = Infinity, text = '';
  for (const s of document.querySelectorAll('section.bp-panel')) {
    const walker = document.createTreeWalker(s, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent.trim() || el.closest('.sr-only, [aria-hidden=true]')) continue;
      if (!el.getClientRects().length) continue;
      const px = parseFloat(getComputedStyle(el).fontSize);
      if (px < size) { size = px; text = n.textContent.trim().slice(0, 40); }
    }
  }
  return { size, text };
})()`;

const panel = (id: string) => page.getByTestId(`panel-${id}`);

describe('Board panels — in a browser', () => {
  before(
    async () => {
      srv = await startServer();
      browser = await launchBrowser();
      const { api: a, csrf } = await adminApi(srv);
      api = a;
      const headers = { 'X-CSRF-Token': csrf };
      const directive = await api.post(srv.baseUrl + '/api/directives', {
        headers,
        data: {
          title: 'Rà soát số liệu xét nghiệm',
          body: 'Các tỉnh rà soát, báo cáo.',
          dueDate: vnDay(5),
          target: { kind: 'units', version: '2025', units: ['79', '01'] },
        },
      });
      assert.equal(directive.status(), 201, await directive.text());
      directiveId = ((await directive.json()) as { directive: { id: number } }).directive.id;
      const panels = PANELS.map((p) =>
        p.kind === 'directive' ? { ...p, options: { directive: directiveId } } : p,
      );
      const r = await api.post(srv.baseUrl + '/api/boards', {
        headers,
        data: {
          name: 'Bảng thử các loại ô',
          variables: { unit: 'VN', period: 'LAST_7_DAYS' },
          panels,
        },
      });
      assert.equal(r.status(), 201, await r.text());
      boardId = ((await r.json()) as { id: number }).id;
      const ctx = await browser.newContext({
        viewport: { width: 1366, height: 768 },
        locale: 'vi-VN',
      });
      ctx.setDefaultTimeout(UI_TIMEOUT_MS);
      page = await ctx.newPage();
      watchErrors(page, pageErrors);
      await page.goto(`${srv.baseUrl}/bang/${boardId}`);
      await fillSignIn(page, 'admin', srv.adminPassword);
    },
    { timeout: STARTUP_TIMEOUT_MS + 60_000 },
  );

  after(async () => {
    await api?.dispose();
    await browser?.close().catch(() => {});
    await srv?.stop();
  });

  it('shows each panel with its figures and when they were read, inside its cell', async () => {
    for (const id of ['tiles', 'map', 'ranking', 'trend', 'pivot', 'parts', 'alerts', 'directive'])
      await panel(id).getByTestId('panel-time').waitFor();
    // The time the figures were read: "số liệu lúc hh:mm".
    assert.match(
      await panel('tiles').getByTestId('panel-time').innerText(),
      /^số liệu lúc \d\d:\d\d$/,
    );

    // Tiles: both figures with a value, the previous period compared, not last year.
    const tiles = panel('tiles');
    assert.match(await tiles.getByTestId('tile-value-POSITIVE_CASES').innerText(), /\d/);
    assert.match(await tiles.getByTestId('tile-value-TESTS_DONE').innerText(), /\d/);
    assert.equal(await tiles.getByTestId('tile-pop-POSITIVE_CASES').count(), 1);
    assert.equal(await tiles.getByTestId('tile-yoy-POSITIVE_CASES').count(), 0);
    assert.equal(await tiles.locator('.tile-map-btn').count(), 0);

    // The map: drawn with the provinces' values, naming the two archipelagos.
    const map = panel('map').getByTestId('map');
    await panel('map').locator('[data-testid="map"][data-drawn]').waitFor();
    assert.ok(Number(await map.getAttribute('data-drawn')) > 20, 'most provinces have a value');
    assert.equal(
      await map.getAttribute('data-archipelagos'),
      'Quần đảo Hoàng Sa (Đà Nẵng)|Quần đảo Trường Sa (Khánh Hòa)',
    );
    await panel('map').getByTestId('legend').waitFor();

    // The ranking: its eight first provinces, highest first.
    const rows = panel('ranking').locator('tbody tr');
    assert.equal(await rows.count(), 8);
    const values = await panel('ranking').locator('td[data-testid^="rank-value-"]').allInnerTexts();
    const n = values.map((v) =>
      Number(
        v
          .replace(/\./g, '')
          .replace(',', '.')
          .replace(/[^\d.]/g, ''),
      ),
    );
    assert.deepEqual(
      n,
      [...n].sort((a, b) => b - a),
    );

    // The trend is drawn.
    await panel('trend').getByTestId('trend').waitFor();

    // The pivot: a figure's header spans its three units, a column per day.
    const pivot = panel('pivot').getByTestId('pivot');
    assert.equal(await pivot.locator('thead th.num').count(), 3);
    assert.equal(await pivot.locator('tbody tr').count(), 6);
    assert.equal(await pivot.locator('tbody th[rowspan="3"]').count(), 2);
    assert.match(await pivot.locator('tbody td').first().innerText(), /\d|–/);

    // The breakdown's bars, the alerts (or that there are none), the directive's progress.
    await panel('parts').getByTestId('bars').waitFor();
    await panel('alerts')
      .locator('[data-testid="alerts"], [data-testid="alerts-none"]')
      .first()
      .waitFor();
    const progress = panel('directive').getByTestId('directive-progress');
    assert.match(await progress.innerText(), /0\/2 việc đã xong/);
    assert.equal(
      await panel('directive').getByRole('link', { name: 'Xem chỉ đạo' }).getAttribute('href'),
      `/chi-dao/${directiveId}`,
    );

    // The note: its markup shown as text, its line break kept.
    const note = panel('note').getByTestId('panel-text');
    assert.equal(await note.innerText(), NOTE);
    assert.equal(await note.locator('b').count(), 0);

    // A panel whose figure does not exist says so, and the rest of the board is there.
    await panel('missing').getByTestId('panel-problem').waitFor();
    assert.match(await panel('missing').getByTestId('panel-problem').innerText(), /KHONG_TON_TAI/);

    await shot(page, 'board-panels-1366.png');
    const fits = await page.evaluate<{ id: string; inCell: boolean; spills: boolean }[]>(FITS);
    assert.equal(fits.length, PANELS.length);
    for (const f of fits) {
      assert.ok(f.inCell, `${f.id} stays in its cell: ${JSON.stringify(f)}`);
      assert.ok(!f.spills, `${f.id} does not spill out of its box`);
    }
    assert.deepEqual(pageErrors, []);
  });

  it('offers the panel’s figures as CSV and XLSX, and its chart as PNG', async () => {
    const menu = panel('map').getByTestId('panel-menu');
    await menu.locator('summary').click();
    const csv = await menu.getByRole('link', { name: /CSV/ }).getAttribute('href');
    assert.ok(csv?.startsWith('/api/analytics.csv?'), csv ?? '');
    const r = await api!.get(srv!.baseUrl + csv!);
    assert.equal(r.status(), 200, await r.text());
    assert.match(await r.text(), /Hồ Chí Minh/);
    assert.equal(await menu.getByRole('button', { name: /PNG/ }).count(), 1);
    await menu.locator('summary').click();
    // A table has no picture to save.
    const pivotMenu = panel('pivot').getByTestId('panel-menu');
    await pivotMenu.locator('summary').click();
    assert.equal(await pivotMenu.getByRole('button', { name: /PNG/ }).count(), 0);
    assert.equal(await pivotMenu.getByRole('link', { name: /XLSX/ }).count(), 1);
    await pivotMenu.locator('summary').click();
  });

  it('follows the language switch: its words and the server’s names', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page
      .getByTestId('panel-tiles')
      .getByTestId('panel-time')
      .filter({ hasText: /^figures at \d\d:\d\d$/ })
      .waitFor();
    await panel('missing').getByText('This panel cannot be shown').waitFor();
    await panel('directive')
      .getByText(/0 of 2 tasks done/)
      .waitFor();
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await panel('directive')
      .getByText(/0\/2 việc đã xong/)
      .waitFor();
  });

  it('on the wall: the provinces named with their values, no menus', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`${srv!.baseUrl}/bang/${boardId}?wall=1`);
    await panel('map').locator('[data-testid="map"][data-drawn]').waitFor();
    assert.equal(await page.getByTestId('panel-menu').count(), 0);
    assert.ok(
      (await panel('map').evaluate((s) => s.classList.contains('bp-wall'))) === true,
      'the panel is drawn for the wall',
    );
    await panel('trend').getByTestId('trend').waitFor();
    // Read from across the room: no text smaller than 0.9 of the wall's (20 px at 1920×1080).
    const min = await page.evaluate<{ size: number; text: string }>(MIN_TEXT);
    assert.ok(min.size >= 17, `smallest text ${min.size} px: "${min.text}"`);
    await shot(page, 'board-panels-wall.png', false);
    assert.deepEqual(pageErrors, []);
  });
});
