/**
 * The operations room in a browser: how long the overview takes to show its first figures and to
 * draw its map, and how long a value posted to the API takes to appear on an open page.
 *
 *   npm run bench -- page-load                      (the embedded engine; see below)
 *   npm run bench -- page-load --iterations 20 --warmup 2
 *
 * The real server is started as a user starts it (`opsroom serve`, a fresh data directory, the
 * embedded database, the real units and the demo data: e2e/harness.ts) and driven by Debian's
 * headless Chromium (software rendering, no GPU). Times are taken inside the page: a script
 * installed before the app's own records `performance.now()` (milliseconds since the navigation
 * began) when the first tile shows a number and when the map has drawn (the app marks the map
 * `data-total` on ECharts' `finished` event), and a long-task observer records the longest
 * main-thread task, which is what makes a page feel stuck.
 *
 * - cold cache: a new browser context each time (nothing cached: scripts, boundaries, answers);
 * - warm cache: a new page in the same context (scripts and boundaries from the browser cache,
 *   as for a leader who opened the room before);
 * - board: the demo's 12-panel board ("Giao ban tháng", /bang/<id>) against the overview, in the
 *   same run: its first tile's number, and every panel drawn (each panel marks `data-state`; its
 *   maps their `data-total`);
 * - every commune: the national map of all 3,321 communes of the 2025 tree (`?all=1`);
 * - drill-down: from the national map, a click on a province in the ranking until its communes
 *   are drawn (timed by the test driver, so a few ms of its own overhead are included);
 * - live: the page is open on the national overview; a value is posted for one ward through
 *   `POST /api/dataValueSets` (another client, as a data platform would), and the time runs from
 *   just before the POST to the moment the national tile shows the new total (a MutationObserver
 *   in the page; both clocks are the machine's wall clock).
 *
 * Only the embedded engine is measured: the page's time is spent in the browser and in HTTP,
 * and the server engine's analytics are measured in rollup.bench.ts.
 */
import { request, type Browser, type BrowserContext } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from '../e2e/harness.ts';
import { formatValue } from '../web/src/shared/format.ts';
import { resolvePeriod, vnToday } from '../web/src/features/room/state.ts';
import { percentile, type Bench, type BenchOptions, type Measurement } from './lib.ts';

const TILE = 'POSITIVE_CASES';
const WARD = '26740'; // Phường Sài Gòn, 2025 tree
const MAX_LOADS = 15;
const MAX_LIVE = 60;
const WAIT_MS = 60_000;

/** Installed before the app: when the first tile shows a number, when the map has drawn. */
const PROBE = `(() => {
  const t = (window.__probe = { longest: 0 });
  const check = () => {
    if (t.tiles === undefined) {
      const el = document.querySelector('[data-testid=tile-value-${TILE}]');
      if (el && /\\d/.test(el.textContent || '')) t.tiles = performance.now();
    }
    if (t.map === undefined && document.querySelector('[data-testid=map][data-total]'))
      t.map = performance.now();
    // A board: every panel has its figures (or says why not), and its maps have drawn.
    if (t.panels === undefined) {
      const ps = [...document.querySelectorAll('[data-testid^=panel-][data-state]')];
      const maps = ps.filter((p) => p.dataset.kind === 'map');
      if (ps.length && ps.every((p) => p.dataset.state !== 'loading') &&
          maps.every((m) => m.dataset.state !== 'ready' || m.querySelector('[data-testid=map][data-total]')))
        t.panels = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true, characterData: true,
  });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) t.longest = Math.max(t.longest, e.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
})();`;

/**
 * Installed before the app, as a string (functions passed to page.evaluate must not name inner
 * functions: tsx would wrap them in a helper the page does not have): resolves with the wall-clock
 * time at which an element's text becomes `want`.
 */
const WAIT_TEXT = `window.__waitText = (testId, want, timeout) => new Promise((resolve, reject) => {
  const norm = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  const at = () => performance.timeOrigin + performance.now();
  const text = () => norm(document.querySelector('[data-testid=' + testId + ']')?.textContent);
  if (text() === want) return resolve(at());
  const mo = new MutationObserver(() => {
    if (text() === want) { mo.disconnect(); resolve(at()); }
  });
  mo.observe(document.body, { subtree: true, childList: true, characterData: true });
  setTimeout(() => { mo.disconnect(); reject(new Error('never showed ' + want)); }, timeout);
});`;

type WaitText = (testId: string, want: string, timeout: number) => Promise<number>;

interface Probe {
  tiles?: number;
  map?: number;
  /** A board: every panel drawn. */
  panels?: number;
  longest: number;
}

function stats(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    iterations: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

let liveP99: { p50: number; p99: number; n: number } | undefined;

async function signedInContext(browser: Browser, srv: RunningServer): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
  ctx.setDefaultTimeout(WAIT_MS);
  await ctx.addInitScript(PROBE);
  await ctx.addInitScript(WAIT_TEXT);
  const r = await ctx.request.post(srv.baseUrl + '/api/auth/login', {
    data: { username: 'admin', password: srv.adminPassword },
  });
  if (r.status() !== 200) throw new Error(`sign-in failed: ${r.status()} ${await r.text()}`);
  return ctx;
}

/**
 * Opens `path` in a new page and waits for the tiles and the map (a board: every panel); the
 * page's own times.
 */
async function load(ctx: BrowserContext, baseUrl: string, path: string): Promise<Probe> {
  const page = await ctx.newPage();
  try {
    await page.goto(baseUrl + path);
    if (path.startsWith('/bang/'))
      await page.waitForFunction(
        () => (window as unknown as { __probe: Probe }).__probe.panels !== undefined,
      );
    else await page.locator('[data-testid=map][data-total]').waitFor();
    await page.waitForFunction(
      () => (window as unknown as { __probe: Probe }).__probe.tiles !== undefined,
    );
    return await page.evaluate(() => (window as unknown as { __probe: Probe }).__probe);
  } finally {
    await page.close();
  }
}

export const bench: Bench = {
  name: 'page-load',
  title: 'Page load and live latency of the operations room in headless Chromium',
  async run(opts: BenchOptions): Promise<Measurement[]> {
    if (!opts.engines.includes('pglite')) {
      opts.log('page-load runs on the embedded engine only; skipped');
      return [];
    }
    const out: Measurement[] = [];
    const loads = Math.max(1, Math.min(opts.iterations, MAX_LOADS));
    const lives = Math.max(1, Math.min(opts.iterations, MAX_LIVE));
    const warmup = Math.min(opts.warmup, 2);
    const add = (section: string, kase: string, variant: string, times: number[], rows = 1) => {
      const s = stats(times);
      out.push({ engine: 'pglite', section, case: kase, variant, rows, ...s });
    };

    opts.log('starting the server (first start: units and demo data)…');
    // The harness reports on stdout; the runner keeps stdout for results.
    const log = console.log;
    console.log = (...a: unknown[]) => console.error(...a);
    let srv: RunningServer;
    try {
      srv = await startServer();
    } finally {
      console.log = log;
    }
    const browser = await launchBrowser();
    const api = await request.newContext();
    try {
      const LOAD = 'Page load (ms from navigation start, measured in the page)';
      // The demo's 12-panel board, opened as a leader opens it, in the same run as the overview.
      const boardId = await (async () => {
        const ctx = await signedInContext(browser, srv);
        try {
          const r = await ctx.request.get(srv.baseUrl + '/api/boards?limit=100');
          const list = (await r.json()) as { items: { id: number; uid: string }[] };
          return list.items.find((b) => b.uid === 'opsroom-monthly')?.id;
        } finally {
          await ctx.close();
        }
      })();
      if (boardId === undefined) throw new Error('the demo’s monthly board is missing');
      const cases: [string, string, number][] = [
        ['overview: 34 provinces (2025)', '/', 34],
        ['board: 12 panels (Giao ban tháng)', `/bang/${boardId}`, 12],
        ['overview: every commune (3,321)', '/?all=1', 3321],
      ];
      for (const [kase, path, regions] of cases) {
        const board = path.startsWith('/bang/');
        const cold = { tiles: [] as number[], map: [] as number[], longest: [] as number[] };
        const warm = { tiles: [] as number[], map: [] as number[], longest: [] as number[] };
        opts.log(`${kase}: ${warmup} + ${loads} cold loads`);
        for (let i = 0; i < warmup + loads; i++) {
          const ctx = await signedInContext(browser, srv);
          try {
            const p = await load(ctx, srv.baseUrl, path);
            if (i < warmup) continue;
            cold.tiles.push(p.tiles!);
            cold.map.push(board ? p.panels! : p.map!);
            cold.longest.push(p.longest);
          } finally {
            await ctx.close();
          }
        }
        opts.log(`${kase}: ${loads} warm loads`);
        const ctx = await signedInContext(browser, srv);
        try {
          for (let i = 0; i < 1 + loads; i++) {
            const p = await load(ctx, srv.baseUrl, path);
            if (i === 0) continue; // fills the cache
            warm.tiles.push(p.tiles!);
            warm.map.push(board ? p.panels! : p.map!);
            warm.longest.push(p.longest);
          }
        } finally {
          await ctx.close();
        }
        const drawn = board ? 'all panels drawn' : 'map drawn';
        add(LOAD, kase, 'first tiles, cold cache', cold.tiles);
        add(LOAD, kase, `${drawn}, cold cache`, cold.map, regions);
        add(LOAD, kase, 'longest main-thread task, cold', cold.longest);
        add(LOAD, kase, 'first tiles, warm cache', warm.tiles);
        add(LOAD, kase, `${drawn}, warm cache`, warm.map, regions);
        add(LOAD, kase, 'longest main-thread task, warm', warm.longest);
      }

      // Drill-down: a click on a province in the ranking until its communes are drawn.
      {
        opts.log(`drill-down: ${loads} clicks`);
        const ctx = await signedInContext(browser, srv);
        const page = await ctx.newPage();
        const times: number[] = [];
        try {
          const provinces = ['79', '01', '48', '92', '22', '38', '46', '75'];
          for (let i = 0; i < warmup + loads; i++) {
            await page.goto(srv.baseUrl + '/');
            await page.locator('[data-testid=map][data-map^="2025|VN|1|"][data-total]').waitFor();
            const code = provinces[i % provinces.length]!;
            const t0 = performance.now();
            await page.getByTestId(`rank-${code}`).locator('a').click();
            await page
              .locator(`[data-testid=map][data-map^="2025|${code}|2|"][data-total]`)
              .waitFor();
            if (i >= warmup) times.push(performance.now() - t0);
          }
        } finally {
          await ctx.close();
        }
        add(LOAD, 'drill-down: province → its communes', 'click → map drawn, warm cache', times);
      }

      // Live: POST → the open page's tile shows the new national total.
      try {
        const LIVE = 'Live latency in the browser (ms from just before the POST)';
        const login = await api.post(srv.baseUrl + '/api/auth/login', {
          data: { username: 'admin', password: srv.adminPassword },
        });
        const { csrfToken } = (await login.json()) as { csrfToken: string };
        const get = async (pe: string, ou: string) => {
          const r = await api.get(
            `${srv.baseUrl}/api/analytics/query?dx=${TILE}&pe=${encodeURIComponent(pe)}&ou=${ou}&version=2025`,
          );
          return ((await r.json()) as { items: { value: number | null }[] }).items[0]?.value ?? 0;
        };
        const range = resolvePeriod('7d', vnToday());
        const yesterday = range.period.end;
        const national = await get(range.id, 'VN');
        const ward = await get(yesterday, WARD);
        const ctx = await signedInContext(browser, srv);
        const page = await ctx.newPage();
        const times: number[] = [];
        try {
          await page.goto(srv.baseUrl + '/');
          await page.getByTestId(`tile-value-${TILE}`).getByText(/\d/).first().waitFor();
          await page.getByTestId('live').getByText('Trực tiếp').waitFor();
          opts.log(`live: ${warmup} + ${lives} values`);
          for (let i = 0; i < warmup + lives; i++) {
            const expected = formatValue('vi', national + i + 1, 'ca');
            // The page resolves with the wall-clock time at which the tile shows `expected`.
            const seen = page.evaluate(
              ([testId, want, timeout]) =>
                (window as unknown as { __waitText: WaitText }).__waitText(testId, want, timeout),
              [`tile-value-${TILE}`, expected, WAIT_MS] as const,
            );
            // If the POST below fails, the page is closed before `seen` settles: its rejection
            // then has no reader and would end the process, losing the lines measured so far.
            seen.catch(() => {});
            const t0 = performance.timeOrigin + performance.now();
            const r = await api.post(srv.baseUrl + '/api/dataValueSets', {
              headers: { 'X-CSRF-Token': csrfToken },
              data: {
                dataValues: [
                  {
                    dataElement: TILE,
                    period: yesterday,
                    orgUnit: WARD,
                    value: String(ward + i + 1),
                  },
                ],
              },
            });
            if (r.status() !== 200)
              throw new Error(`import failed: ${r.status()} ${await r.text()}`);
            const t1 = await seen;
            if (i >= warmup) times.push(t1 - t0);
          }
        } finally {
          await ctx.close();
        }
        add(LIVE, 'one value for one ward → national tile', 'open overview page', times);
        const s = stats(times);
        liveP99 = { p50: s.p50, p99: s.p99, n: s.iterations };
      } catch (e) {
        // Keep the page-load lines measured so far; say loudly what failed.
        opts.log(`live latency NOT measured: ${(e as Error).message}`);
      }
      return out;
    } finally {
      await api.dispose().catch(() => {});
      await browser.close().catch(() => {});
      await srv.stop();
    }
  },
  summary(): string {
    if (!liveP99) return '';
    return (
      `Live latency in the browser over ${liveP99.n} values: p50 ${liveP99.p50.toFixed(0)} ms, ` +
      `p99 ${liveP99.p99.toFixed(0)} ms (goal: within 1,000 ms).`
    );
  },
};
