/**
 * End-to-end (issue 19): an open board is pushed to. A board's page opens its board's stream
 * (/api/boards/{id}/live); a value posted by another client shows in the board's tile without
 * the page reading any panel again; the board edited elsewhere is reloaded on the page.
 *
 * Run: npm run build:web && node --import tsx --test e2e/board-live.e2e.test.ts
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import {
  adminApi,
  fillSignIn,
  launchBrowser,
  startServer,
  STARTUP_TIMEOUT_MS,
  UI_TIMEOUT_MS,
  watchErrors,
  type RunningServer,
} from './harness.ts';

/** A year the demo data leaves empty: the tile's figure is what this test posts. */
const YEAR = '2019';
const PANELS = [
  {
    id: 'traced',
    kind: 'tile',
    grid: { x: 0, y: 0, w: 4, h: 3 },
    figures: ['CASES_TRACED'],
    units: ['$unit'],
    periods: ['$period'],
  },
  {
    id: 'tested',
    kind: 'tile',
    grid: { x: 4, y: 0, w: 4, h: 3 },
    figures: ['TESTS_DONE'],
    units: ['$unit'],
    periods: ['$period'],
  },
];

let srv: RunningServer | undefined;
let browser: Browser | undefined;
let api: APIRequestContext | undefined;
let headers: Record<string, string> = {};
let page: Page;
let boardId = 0;
const pageErrors: string[] = [];
/** The page's requests, by path, in order. */
const requests: string[] = [];

const tile = (code: string) => page.getByTestId(`tile-value-${code}`);

describe('An open board pushed to — in a browser', () => {
  before(
    async () => {
      srv = await startServer();
      browser = await launchBrowser();
      const { api: a, csrf } = await adminApi(srv);
      api = a;
      headers = { 'X-CSRF-Token': csrf };
      const r = await api.post(srv.baseUrl + '/api/boards', {
        headers,
        data: {
          name: 'Bảng đẩy số liệu',
          variables: { unit: '79', period: YEAR },
          panels: PANELS,
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
      page.on('request', (req) => requests.push(new URL(req.url()).pathname));
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

  it('shows a value posted elsewhere in its tile, pushed, without reading the panels again', async () => {
    await page.getByTestId('panel-traced').getByTestId('panel-time').waitFor();
    await page.getByTestId('panel-tested').getByTestId('panel-time').waitFor();
    // The board's stream is opened (EventSource requests are seen as the page makes them).
    for (let i = 0; !requests.includes(`/api/boards/${boardId}/live`); i++) {
      assert.ok(i < 200, `the board's stream is opened; requests: ${requests.join(' ')}`);
      await page.waitForTimeout(100);
    }
    const readsBefore = requests.filter((p) => p.includes('/panels/')).length;
    assert.ok(readsBefore >= 2, 'the panels were read once on opening');
    const posted = await api!.post(srv!.baseUrl + '/api/data/import', {
      headers,
      data: {
        dataValues: [
          { dataElement: 'CASES_TRACED', period: `${YEAR}0105`, orgUnit: '26740', value: '4321' },
        ],
      },
    });
    assert.equal(posted.status(), 200, await posted.text());
    await tile('CASES_TRACED')
      .filter({ hasText: /4[.,]?321/ })
      .waitFor();
    assert.equal(
      requests.filter((p) => p.includes('/panels/')).length,
      readsBefore,
      'no panel was read again: its figures were pushed',
    );
    assert.doesNotMatch(await tile('TESTS_DONE').innerText(), /4[.,]?321/);
    assert.deepEqual(pageErrors, []);
  });

  it('reloads the board when it is edited elsewhere', async () => {
    const current = await api!.get(`${srv!.baseUrl}/api/boards/${boardId}`);
    const board = (await current.json()) as {
      revision: number;
      variables: unknown;
      panels: { panel: unknown }[];
    };
    const edited = await api!.put(`${srv!.baseUrl}/api/boards/${boardId}`, {
      headers,
      data: {
        name: 'Bảng đẩy số liệu (đã sửa)',
        variables: board.variables,
        panels: board.panels.map((p) => p.panel),
        revision: board.revision,
      },
    });
    assert.equal(edited.status(), 200, await edited.text());
    await page.getByRole('heading', { name: 'Bảng đẩy số liệu (đã sửa)' }).waitFor();
    // The new revision's stream is pushed to as well.
    const posted = await api!.post(srv!.baseUrl + '/api/data/import', {
      headers,
      data: {
        dataValues: [
          { dataElement: 'CASES_TRACED', period: `${YEAR}0106`, orgUnit: '26740', value: '1000' },
        ],
      },
    });
    assert.equal(posted.status(), 200, await posted.text());
    await tile('CASES_TRACED')
      .filter({ hasText: /5[.,]?321/ })
      .waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
