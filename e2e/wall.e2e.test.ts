/**
 * End-to-end: the operations room's wall screen (`/?wall=1`) at the sizes meeting rooms have —
 * a projector (1366×768), full HD, QHD and 4K televisions, a portrait kiosk — and on a phone,
 * with the real server (first start: real units, demo data) and a real browser.
 *
 * At every wall size the boxes are measured in the browser: the page does not scroll, every tile
 * and panel lies inside the screen, none overlaps another, none cuts its own content, the
 * smallest text is at least 16 px (0.9 of the wall's text size, which grows with the screen),
 * and the map of the country names Hoàng Sa and Trường Sa. Then the network drops under an open
 * wall: it says so in its corner, keeps its figures with their time, and when the network comes
 * back it reconnects by itself and shows a value posted meanwhile.
 * Screenshots land in test-artifacts/wall-*.png.
 *
 * Run: node --import tsx --test --test-concurrency=1 e2e/wall.e2e.test.ts
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type APIRequestContext, type Browser, type Page } from 'playwright-core';
import { formatValue } from '../web/src/shared/format.ts';
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
import {
  measure as measureBoxes,
  startRelay,
  WALL_SIZES as SIZES,
  wallProblems,
} from './screen.ts';

let srv: RunningServer | undefined;
let browser: Browser | undefined;
let api: APIRequestContext | undefined;
let csrf = '';

/** The wall's tiles and panels as the browser lays them out, and its smallest text. */
const measure = (p: Page) =>
  measureBoxes(p, '.overview.wall', '.overview.wall .tile, .overview.wall .ov-panel');

async function openWall(p: Page, baseUrl = srv!.baseUrl) {
  await p.goto(baseUrl + '/?wall=1');
  await fillSignIn(p, 'admin', srv!.adminPassword);
  await p.getByTestId('tile-POSITIVE_CASES').waitFor();
  await p.locator('[data-testid=map][data-map^="2025|VN|1|"][data-total]').waitFor();
  await p.getByTestId('trend').locator('canvas').waitFor();
  await p.getByTestId('live').locator('text=Trực tiếp').waitFor();
}

describe('The wall screen — every size, and a network that drops', () => {
  before(
    async () => {
      srv = await startServer();
      browser = await launchBrowser();
      ({ api, csrf } = await adminApi(srv));
    },
    { timeout: STARTUP_TIMEOUT_MS + 60_000 },
  );

  after(async () => {
    await api?.dispose().catch(() => {});
    await browser?.close().catch(() => {});
    await srv?.stop();
  });

  for (const size of SIZES) {
    it(`fits ${size.width}×${size.height} without scrolling, overflow or overlap`, async () => {
      const ctx = await browser!.newContext({
        viewport: { width: size.width, height: size.height },
        locale: 'vi-VN',
      });
      ctx.setDefaultTimeout(UI_TIMEOUT_MS);
      const errors: string[] = [];
      try {
        const p = await ctx.newPage();
        watchErrors(p, errors);
        await openWall(p);
        for (const panel of [1, 2, 3]) {
          // Each turn of the side panel (the trend, the ranking, the alerts) is measured.
          await p.getByRole('button', { name: `Bảng ${panel}/3` }).click();
          await p.waitForTimeout(300); // the ranking's and alerts' first frame
          const m = await measure(p);
          const where = `${size.name}, panel ${panel}`;
          assert.deepEqual(wallProblems(m, size.width, size.height), [], where);
          assert.ok(m.boxes.length >= 7, `${where}: ${m.boxes.length} boxes`);
          for (const b of m.boxes)
            assert.ok(b.h >= 60, `${where}: ${b.what} is squeezed to ${b.h}px`);
          assert.ok(
            m.minText >= size.minText,
            `${where}: the smallest text is ${m.minText}px ("${m.minWhat}")`,
          );
          if (panel === 1) await shot(p, `wall-${size.name}.png`, false);
        }
        const map = p.getByTestId('map');
        assert.equal(
          await map.getAttribute('data-archipelagos'),
          'Quần đảo Hoàng Sa (Đà Nẵng)|Quần đảo Trường Sa (Khánh Hòa)',
        );
        assert.deepEqual(errors, []);
      } finally {
        await ctx.close();
      }
    });
  }

  it('on a phone: two tiles a row, the map and the trend under them, nothing sideways', async () => {
    const ctx = await browser!.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'vi-VN',
    });
    ctx.setDefaultTimeout(UI_TIMEOUT_MS);
    try {
      const p = await ctx.newPage();
      await openWall(p);
      const m = await measure(p);
      assert.ok(m.scrollW <= 390, `the page scrolls sideways (${m.scrollW})`);
      const tiles = m.boxes.filter((b) => b.what.startsWith('tile-'));
      assert.equal(tiles.length, 5);
      for (const t of tiles) assert.ok(t.w >= 150, `${t.what} is ${t.w}px wide`);
      const mapBox = m.boxes.find((b) => b.what === 'Bản đồ: Số lượt khai báo y tế');
      assert.ok(mapBox && mapBox.h >= 400, `the map is ${mapBox?.h}px tall`);
      assert.ok(m.minText >= 16, `the smallest text is ${m.minText}px ("${m.minWhat}")`);
      await shot(p, 'wall-phone.png');
    } finally {
      await ctx.close();
    }
  });

  it('says when the network drops, keeps its figures, and comes back by itself', async () => {
    const ctx = await browser!.newContext({
      viewport: { width: 1920, height: 1080 },
      locale: 'vi-VN',
    });
    ctx.setDefaultTimeout(UI_TIMEOUT_MS);
    const errors: string[] = [];
    const relay = await startRelay(new URL(srv!.baseUrl));
    try {
      const p = await ctx.newPage();
      watchErrors(p, errors);
      await openWall(p, relay.url);
      const tile = p.getByTestId('tile-value-POSITIVE_CASES');
      const before = await tile.innerText();
      // "37.570 ca": the week's national figure.
      const nation = Number(before.split(/\s/)[0]!.replace(/\./g, ''));
      assert.ok(nation > 0, before);

      relay.cut();
      const live = p.getByTestId('live');
      await live.locator('text=Mất kết nối').waitFor();
      // The figures stay, with the time they are from.
      assert.match(await p.getByTestId('live-time').innerText(), /số liệu lúc \d\d:\d\d/);
      assert.equal(await tile.innerText(), before);
      // A panel turned while offline still shows what it had (no error box, no empty page).
      await p.getByRole('button', { name: 'Bảng 2/3' }).click();
      await p.getByTestId('ranking').waitFor();
      assert.equal(await p.locator('[role=alert]').count(), 0);
      await shot(p, 'wall-offline.png', false);

      // Meanwhile a value arrives at the server.
      const day = vnDay(-1);
      const r = await api!.get(
        `${srv!.baseUrl}/api/analytics/query?dx=POSITIVE_CASES&pe=${day}&ou=26740&version=2025`,
      );
      const was = ((await r.json()) as { items: { value: number | null }[] }).items[0]?.value ?? 0;
      const posted = await api!.post(srv!.baseUrl + '/api/dataValueSets', {
        headers: { 'X-CSRF-Token': csrf },
        data: {
          dataValues: [
            {
              dataElement: 'POSITIVE_CASES',
              period: day,
              orgUnit: '26740',
              value: String(was + 7000),
            },
          ],
        },
      });
      assert.equal(posted.status(), 200, await posted.text());

      relay.restore();
      // Reconnected without a reload or a click, and refetched what it missed.
      await live.locator('text=Trực tiếp').waitFor({ timeout: 30_000 });
      await tile
        .getByText(formatValue('vi', nation + 7000, 'ca').split(' ')[0]!)
        .waitFor({ timeout: 30_000 });
      assert.equal(await p.locator('[role=alert]').count(), 0);
      assert.deepEqual(
        errors.filter((e) => !/ERR_|EventSource|Failed to fetch|NetworkError/.test(e)),
        [],
      );
      await shot(p, 'wall-back-online.png', false);
    } finally {
      relay.close();
      await ctx.close();
    }
  });
});
