/**
 * A board's pivot panel (issue 19): 63 provinces × 12 months of one figure on the 2022 tree,
 * laid out at the server (BoardService.panelData: scope rule, units and periods resolved, the
 * analytics query, names, the layout), against the same cells through analytics alone, in the
 * same run, on each engine — through the services and through HTTP (in-process Hono, signed in
 * as the national admin: POST /api/boards/panel-data against GET /api/analytics with
 * dimension=dx, pe, ou, the DHIS2 grid of the same cells).
 *
 *   npm run bench -- board-pivot --format md
 *
 * Data: the demo's metadata and a value of POSITIVE_CASES at each of the 63 provinces for each
 * month of 2022 (756 values). Goal: the pivot ≤ 300 ms at the server. Analytics computes every
 * question afresh (`coalesce` off), or a question repeated within a moment would take the
 * previous answer and the bench would time a lookup.
 */
import { createApp } from '../src/api/app.ts';
import type { Engine } from '../src/db/client.ts';
import { readDemoMetadata } from '../src/jobs/demo-data.ts';
import { ADMIN_PASSWORD, openTestDb } from '../src/test/harness.ts';
import {
  benchAdmin,
  measureInterleaved,
  type Bench,
  type BenchOptions,
  type Measurement,
} from './lib.ts';

const VERSION = '2022';
const FIGURE = 'POSITIVE_CASES';
const MONTHS = Array.from({ length: 12 }, (_, i) => `2022-${String(i + 1).padStart(2, '0')}`);
const GOAL_MS = 300;

async function runEngine(engine: Engine, opts: BenchOptions): Promise<Measurement[]> {
  // Every panel computed afresh, as analytics is below: the shared answers (panel-cache.ts)
  // would otherwise answer most iterations from memory.
  const t = await openTestDb(engine, { panelCache: false });
  try {
    const s = t.services;
    s.analytics.coalesce = false;
    await s.metadata.apply('system', readDemoMetadata());
    const actor = benchAdmin(VERSION);
    const provinces = (
      await s.hierarchy.list(actor, { version: VERSION, level: 1, limit: 100, offset: 0 })
    ).items.map((u) => u.code);
    const values = provinces.flatMap((p, j) =>
      MONTHS.map((m, k) => ({
        index: j * MONTHS.length + k,
        dataElement: FIGURE,
        period: m,
        orgUnit: p,
        value: String(10 + ((j * 13 + k * 7) % 97)),
      })),
    );
    const imported = await s.dataValues.import('system', { values }, { atomic: false });
    opts.log(`${engine}: ${provinces.length} provinces × 12 months, ${imported.description.en}`);

    const request = {
      panel: {
        id: 'pivot',
        kind: 'pivot' as const,
        grid: { x: 0, y: 0, w: 12, h: 6 },
        figures: [FIGURE],
        units: [{ level: 1, under: 'VN' }],
        periods: MONTHS,
        options: { rows: ['ou' as const], columns: ['pe' as const] },
      },
      variables: { unit: 'VN' },
      version: VERSION,
    };
    const query = { dx: [FIGURE], pe: MONTHS, ou: provinces, version: VERSION };

    // HTTP, in process, signed in as the national admin.
    const app = createApp(s);
    const login = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
    const params = new URLSearchParams([
      ['dimension', `dx:${FIGURE}`],
      ['dimension', `pe:${MONTHS.join(';')}`],
      ['dimension', `ou:${provinces.join(';')}`],
      ['version', VERSION],
    ]);

    // The answers are the same cells: checked once before timing.
    const pivot = await s.boards.panelData(actor, request);
    const cells = (await s.analytics.query(actor, query)).cells;
    const sum = (xs: (number | null)[]) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);
    if (
      pivot.pivot?.values.length !== provinces.length ||
      pivot.pivot.values[0]!.length !== MONTHS.length ||
      sum(pivot.pivot.values.flat()) !== sum(cells.map((c) => c.value))
    )
      throw new Error('the pivot is not the cells analytics answers');

    const section = `${engine}: pivot of ${provinces.length} provinces × ${MONTHS.length} months, one figure (${cells.length} cells)`;
    const [service, baseline, http, httpBaseline] = await measureInterleaved(
      [
        async () => (await s.boards.panelData(actor, request)).pivot!.values.length,
        async () => (await s.analytics.query(actor, query)).cells.length,
        async () => {
          const r = await app.request('/api/boards/panel-data', {
            method: 'POST',
            headers,
            body: JSON.stringify(request),
          });
          if (r.status !== 200) throw new Error(`panel-data: ${r.status} ${await r.text()}`);
          return ((await r.json()) as { pivot: { values: unknown[] } }).pivot.values.length;
        },
        async () => {
          const r = await app.request(`/api/analytics?${params}`, { headers });
          if (r.status !== 200) throw new Error(`analytics: ${r.status} ${await r.text()}`);
          return ((await r.json()) as { rows: unknown[] }).rows.length;
        },
      ],
      { iterations: opts.iterations, warmup: opts.warmup },
    );
    const out: Measurement[] = [];
    const push = (c: string, variant: string, st: typeof service) =>
      out.push({ engine, section, case: c, variant, ...st! });
    push('service', 'BoardService.panelData (pivot laid out)', service);
    push('service', 'AnalyticsService.query (baseline)', baseline);
    push('HTTP', 'POST /api/boards/panel-data', http);
    push('HTTP', 'GET /api/analytics (baseline)', httpBaseline);
    return out;
  } finally {
    await t.close();
  }
}

export const bench: Bench = {
  name: 'board-pivot',
  title: 'A board’s pivot panel, 63 provinces × 12 months, against analytics alone',
  async run(opts) {
    const results: Measurement[] = [];
    for (const engine of opts.engines) results.push(...(await runEngine(engine, opts)));
    return results;
  },
  summary(results) {
    return results
      .filter((r) => r.variant.startsWith('POST'))
      .map(
        (r) =>
          `${r.engine}: the pivot through HTTP p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms — goal ≤ ${GOAL_MS} ms ${r.p95 <= GOAL_MS ? 'met' : 'not met'}`,
      )
      .join('\n');
  },
};
