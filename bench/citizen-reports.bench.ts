/**
 * Citizens' reports at the nation's scale (issue 20): 100,000 reports over a year across the
 * 3,321 communes of the 2025 tree, then
 * - the public answers page (GET /api/public/answers through the app, no account) for the
 *   nation, a province (Hồ Chí Minh City) and, as the baseline, one commune; and a search
 *   without diacritics for the nation;
 * - the response-time figures for the nation, the analytics query the room runs (six figures
 *   by month over the year, at VN), and a ranking of the 34 provinces for the last month; the
 *   same figures for one commune as the baseline;
 * - the job: computing every cell the load queued (once), and after one report changes.
 *
 *   npm run bench -- citizen-reports --format md
 *
 * The reports are written in one SQL statement (a fixture: realistic statuses, answer times and
 * ratings, not the intake's checks); the database queues their cells as for any report. Goal:
 * p95 ≤ 100 ms for the answers pages and the nation's figures. REPORTS (REPORTS_PGLITE) sets
 * the number of reports.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../src/db/schema.ts';
import { createApp } from '../src/api/app.ts';
import type { Engine } from '../src/db/client.ts';
import { openTestDb } from '../src/test/harness.ts';
import {
  benchAdmin,
  measureInterleaved,
  rowsWanted,
  type Bench,
  type BenchOptions,
  type Measurement,
} from './lib.ts';

const VERSION = '2025';
const GOAL_MS = 100;
const MONTHS = Array.from({ length: 12 }, (_, i) => {
  const d = new Date(Date.UTC(2025, 11 + i, 1));
  return d.toISOString().slice(0, 7);
});
const FIGURES = [
  'PA_RECEIVED',
  'PA_ANSWERED_ON_TIME',
  'PA_ANSWERED_LATE',
  'PA_ON_TIME_PCT',
  'PA_MEAN_ANSWER_HOURS',
  'PA_SATISFIED_PCT',
];
const PROVINCE = '79';

/** The fixture: `n` reports written in one statement, the same on every run (seeded). */
export async function loadReports(db: Kysely<Schema>, n: number): Promise<void> {
  await sql`select setseed(0.2026)`.execute(db);
  await sql`
    with c as (
      select code, path, row_number() over (order by code) - 1 as i
      from org_unit where version = ${VERSION}
        and level = (select max(level) from org_unit where version = ${VERSION})),
    k as (select count(*) as n from c),
    cat as (select * from (values (0, 'HA_TANG_DO_THI'), (1, 'O_NHIEM_MOI_TRUONG'),
      (2, 'THU_TUC_HANH_CHINH'), (3, 'AN_NINH_TRAT_TU')) as v (i, code)),
    g as (
      select g, random() as rs, random() as ra, random() as rr,
        timestamptz '2025-11-30 17:00:00+00' + random() * interval '365 days' as created
      from generate_series(1, ${n}) g),
    r as (
      select g.*, c.code as unit, c.path, cat.code as category,
        case when rs < 0.60 then 'closed' when rs < 0.75 then 'answered'
          when rs < 0.85 then 'in_progress' when rs < 0.93 then 'received'
          when rs < 0.98 then 'refused' else 'forwarded' end as status
      from g
      join c on c.i = (g.g * 7919) % (select n from k)
      join cat on cat.i = g.g % 4)
    insert into citizen_report (code, category_code, description, place_version, place_code,
      place_path, handler_version, handler_code, handler_path, status, source,
      acknowledge_due, answer_due, acknowledged_at, answered_at, closed_at, answer, rating,
      created_at, updated_at)
    select 'PB-' || lpad(g::text, 9, '0'), category,
      'Phản ánh số ' || g || ': đường ngập nước, rác thải tồn đọng gần chợ, đèn đường hỏng',
      ${VERSION}, unit, path, ${VERSION}, unit, path, status, 'web',
      created + interval '1 day', created + interval '7 days',
      case when status in ('answered', 'closed', 'in_progress') then created + interval '3 hours' end,
      case when status in ('answered', 'closed')
        then created + (ra * ra * 14 + 0.1) * interval '1 day' end,
      case when status = 'closed' then created + (ra * ra * 14 + 1) * interval '1 day' end,
      case when status in ('answered', 'closed') then 'Đã xử lý xong, cảm ơn ông/bà' end,
      case when status in ('answered', 'closed') and rr < 0.4
        then least(5, 1 + floor(rr * 12.5))::smallint end,
      created, created
    from r`.execute(db);
}

async function runEngine(engine: Engine, opts: BenchOptions): Promise<Measurement[]> {
  const t = await openTestDb(engine);
  try {
    const s = t.services;
    s.analytics.coalesce = false;
    const db = t.database.db;
    const n = rowsWanted(engine, 'REPORTS', { pglite: 100_000, postgres: 100_000 });
    const communes = await sql<{ code: string; path: string }>`
      select code, path from org_unit where version = ${VERSION}
        and level = (select max(level) from org_unit where version = ${VERSION})
      order by code`.execute(db);
    const commune = communes.rows.find((c) => c.path.startsWith(`/VN/${PROVINCE}/`))!.code;

    // The reports: received over a year (Dec 2025 – Nov 2026, Viet Nam's time); 5 working
    // days to answer, taken as 7 calendar days; most answered within days, some weeks late.
    let start = performance.now();
    await loadReports(db, n);
    const loaded = performance.now() - start;
    await sql`analyze citizen_report`.execute(db);
    const queued = await sql<{ n: number }>`
      select count(*)::int as n from citizen_report_figure_queue`.execute(db);
    opts.log(
      `${engine}: ${n.toLocaleString('en')} reports in ${(loaded / 1000).toFixed(1)} s; ${queued.rows[0]!.n} cells queued`,
    );

    // The job, once over everything the load queued.
    start = performance.now();
    const run = await s.citizenFigures.run();
    const job = performance.now() - start;
    opts.log(
      `${engine}: job computed ${run.cells} cells (${run.months} months), ${run.written} values written in ${(job / 1000).toFixed(1)} s`,
    );

    const app = createApp(s);
    const page = async (query: string) => {
      const r = await app.request(`/api/public/answers?${query}`);
      if (r.status !== 200) throw new Error(`answers: ${r.status} ${await r.text()}`);
      return ((await r.json()) as { items: unknown[] }).items.length;
    };
    const actor = benchAdmin(VERSION);
    const figures = async (ou: string[], pe: string[]) =>
      (await s.analytics.query(actor, { dx: FIGURES, pe, ou, version: VERSION })).cells.length;

    const section = `${engine}: ${n.toLocaleString('en')} reports in ${communes.rows.length} communes`;
    const out: Measurement[] = [];
    const add = (
      c: string,
      variant: string,
      st: Awaited<ReturnType<typeof measureInterleaved>>[number],
    ) => out.push({ engine, section, case: c, variant, ...st });

    const answers = await measureInterleaved(
      [
        () => page(''),
        () => page(`unit=${PROVINCE}`),
        () => page(`unit=${commune}`),
        () => page('q=ngap%20nuoc&page=3'),
        () => page(`unit=${PROVINCE}&page=5`),
      ],
      opts,
    );
    add('public answers, page 1', 'nation', answers[0]!);
    add('public answers, page 1', `province ${PROVINCE}`, answers[1]!);
    add('public answers, page 1', `baseline: commune ${commune}`, answers[2]!);
    add('public answers, search "ngap nuoc" page 3', 'nation', answers[3]!);
    add('public answers, page 5', `province ${PROVINCE}`, answers[4]!);

    const room = await measureInterleaved(
      [
        () => figures(['VN'], MONTHS),
        () => figures(['VN', 'LEVEL-2'], [MONTHS.at(-1)!]),
        () => figures([commune], MONTHS),
      ],
      opts,
    );
    add('6 figures × 12 months', 'nation (VN)', room[0]!);
    add('6 figures, last month', 'ranking: 34 provinces', room[1]!);
    add('6 figures × 12 months', `baseline: commune ${commune}`, room[2]!);

    // The job after one report changes (a rating): its two cells and the medians above.
    const ids = await sql<{ id: number }>`
      select id::int as id from citizen_report where status = 'closed' order by id limit 200`.execute(
      db,
    );
    const one = await measureInterleaved(
      [
        async (i) => {
          const id = ids.rows[i % ids.rows.length]!.id;
          await sql`update citizen_report set rating = 1 + (coalesce(rating, 0) % 5)
            where id = ${id}`.execute(db);
          return (await s.citizenFigures.run()).cells;
        },
      ],
      { iterations: Math.min(opts.iterations, 30), warmup: Math.min(opts.warmup, 3) },
    );
    add('job after one report changed (update + compute)', 'its cells', one[0]!);
    out.push({
      engine,
      section,
      case: 'job over the whole load (once)',
      variant: `${run.cells} cells, ${run.written} values`,
      iterations: 1,
      rows: run.written,
      p50: job,
      p95: job,
      max: job,
    });
    return out;
  } finally {
    await t.close();
  }
}

export const bench: Bench = {
  name: 'citizen-reports',
  title: "Citizens' reports: public answers and response-time figures at the nation's scale",
  async run(opts) {
    const out: Measurement[] = [];
    for (const engine of opts.engines) out.push(...(await runEngine(engine, opts)));
    return out;
  },
  summary(results) {
    const goal = results.filter(
      (r) =>
        !r.variant.startsWith('baseline') &&
        (r.case.startsWith('public answers') || r.case.startsWith('6 figures')),
    );
    const over = goal.filter((r) => r.p95 > GOAL_MS);
    return over.length === 0
      ? `Goal met: every answers page and the nation's figures p95 ≤ ${GOAL_MS} ms.`
      : `Goal missed (p95 > ${GOAL_MS} ms): ${over.map((r) => `${r.engine} ${r.case} ${r.variant} ${r.p95.toFixed(0)} ms`).join('; ')}`;
  },
};
