/**
 * Roll-ups across the 2025 reform (issue 16): national and provincial totals asked on the 2025
 * tree where the older half of the data sits on older trees and is carried along the carry map,
 * against the same questions on data stored on the 2025 tree only, in the same run and the same
 * database; then a change of the weights of every split commune (2025-03 → 2025) applied.
 *
 *   npm run bench -- carry --iterations 20                     both engines
 *   OPSROOM_BENCH_CARRY_PROVINCES=08,25,12,79 npm run bench -- carry --engines postgres
 *
 * Setup, per engine, on a fresh test database (the real three trees, their links and the carry
 * map): four daily sum elements, one value per commune and day from 2024-01-01 to 2026-11-30
 * (1,065 days) for the communes of a few provinces of the 2025 tree (default 08, 25, 12: two
 * merged provinces and an unchanged one; 310 communes of the 2025 tree, 915 of 2025-03), as the
 * data would have been reported at the time:
 *
 *   - ONE_TREE: every day on the 2025 tree (the single-tree case, the baseline);
 *   - TWO_TREES: before 2025-07-01 on the 2025-03 tree (its 915 communes), then on 2025;
 *   - THREE_TREES: before 2025-03-01 on the 2022 tree, then 2025-03, then 2025.
 *
 * All communes of the country daily (3,321 × 1,065 ≈ 3.5 M values per element on the new tree,
 * three times the rows on the old ones) would take too long to load on both engines; the
 * roll-ups a question reads do not grow with the number of communes (one row per unit and day),
 * so a few provinces answer the same questions at the same cost. The values are loaded with
 * set-based SQL (not the import path, measured by the import bench): periods, values, then the
 * roll-up sums at every roll-up unit above a commune, as the import keeps them; then ANALYZE (all
 * tables, as autovacuum would have them: the carry map's statistics matter to its plans).
 *
 * The questions go through AnalyticsService.query (what the API calls), with its sharing of
 * identical answers switched off (`coalesce = false`) so that every call computes: a month, a
 * quarter, a year and the 35-month trend, for the nation and for the provinces in turn. The
 * carried lines must answer what the stored tree answers (checked before timing).
 *
 * Weights: the 1,010 split links of the 459 old communes get new shares (two sets in turn),
 * timed from the write to the carry map rebuilt — through CarryService.set (checks, write,
 * rebuild, audit in one transaction) and through CarryRepo.setWeights then
 * CarryService.rebuild(pairsCrossing('2025-03', '2025')). The rebuild reads the trees, links
 * and weights, never the values, so its time does not depend on the data loaded.
 */
import { sql } from 'kysely';
import type { Db, Engine } from '../src/db/client.ts';
import type { WeightRow } from '../src/domain/carry.ts';
import type { Services } from '../src/services/index.ts';
import { ROLLUP_UNITS } from '../src/db/data-value.repo.ts';
import { openTestDb } from '../src/test/harness.ts';
import {
  benchAdmin,
  measureInterleaved,
  type Bench,
  type BenchOptions,
  type Measurement,
} from './lib.ts';

const NOW = new Date('2026-12-01T03:00:00Z');
const FIRST_DAY = '2024-01-01';
const LAST_DAY = '2026-11-30';
const REFORM = '2025-07-01';
const TREE_2025_03 = '2025-03-01';
const ADMIN = benchAdmin('2025');
const DEFAULT_PROVINCES = ['08', '25', '12'];

interface Layout {
  element: string;
  /** [tree, first day, last day] pieces. */
  pieces: [string, string, string][];
}

const dayBefore = (iso: string) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

const ONE = 'BENCH_CARRY_ONE_TREE';
const TWO = 'BENCH_CARRY_TWO_TREES';
const THREE = 'BENCH_CARRY_THREE_TREES';

const LAYOUTS: Layout[] = [
  { element: ONE, pieces: [['2025', FIRST_DAY, LAST_DAY]] },
  {
    element: TWO,
    pieces: [
      ['2025-03', FIRST_DAY, dayBefore(REFORM)],
      ['2025', REFORM, LAST_DAY],
    ],
  },
  {
    element: THREE,
    pieces: [
      ['2022', FIRST_DAY, dayBefore(TREE_2025_03)],
      ['2025-03', TREE_2025_03, dayBefore(REFORM)],
      ['2025', REFORM, LAST_DAY],
    ],
  },
];

const VARIANT: Record<string, string> = {
  [ONE]: 'baseline: all stored on the 2025 tree',
  [TWO]: 'carried: before 2025-07 on 2025-03',
  [THREE]: 'carried: before 2025-03 on 2022, then 2025-03',
};

function provincesWanted(): string[] {
  const env = process.env.OPSROOM_BENCH_CARRY_PROVINCES;
  const list = env ? env.split(',').map((p) => p.trim()) : DEFAULT_PROVINCES;
  if (list.length === 0 || list.some((p) => !/^\d{2}$/.test(p)))
    throw new Error(`OPSROOM_BENCH_CARRY_PROVINCES: province codes of the 2025 tree, got ${env}`);
  return list;
}

const MONTHS = (() => {
  const out: string[] = [];
  for (let y = 2024; y <= 2026; y++)
    for (let m = 1; m <= 12; m++) {
      const id = `${y}-${String(m).padStart(2, '0')}`;
      if (id <= LAST_DAY.slice(0, 7)) out.push(id);
    }
  return out;
})();
const OLD_MONTHS = MONTHS.filter((m) => m < REFORM.slice(0, 7));
const OLD_QUARTERS = ['2024Q1', '2024Q2', '2024Q3', '2024Q4', '2025Q1', '2025Q2'];
const YEARS = ['2024', '2025'];

const at = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

// ---------------------------------------------------------------------------------------------
// Loading

interface Setup {
  services: Services;
  db: Db;
  provinces: string[];
  /** Old provinces (2025-03 and 2022 codes) that make up the new ones. */
  oldProvinces: string[];
  communes: Record<string, number>;
  values: Record<string, number>;
  rollupRows: number;
}

export async function load(
  engine: Engine,
  services: Services,
  log: (m: string) => void,
): Promise<Setup> {
  const db = services.database.db;
  const t0 = performance.now();
  const step = (what: string) =>
    log(`${engine} | ${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const provinces = provincesWanted();
  await services.metadata.apply('system', {
    dataElements: LAYOUTS.map((l) => ({
      code: l.element,
      nameVi: `Số liệu kiểm tra ${l.element}`,
      nameEn: `Bench ${l.element}`,
      sector: 'ict' as const,
      valueType: 'integer' as const,
      aggTime: 'sum' as const,
      aggUnits: 'sum' as const,
    })),
  });
  // The old provinces merged into the asked ones: the reform's province links.
  const links = await services.store.repos.carry.links();
  const oldProvinces = links
    .filter(
      (l) => l.fromVersion === '2025-03' && l.toVersion === '2025' && provinces.includes(l.toCode),
    )
    .map((l) => l.fromCode)
    .filter((c) => c.length === 2)
    .sort();
  if (oldProvinces.length === 0) throw new Error(`no old provinces for ${provinces.join(',')}`);
  const codesOn = (tree: string) => (tree === '2025' ? provinces : oldProvinces);

  // The units that keep roll-up rows (ROLLUP_UNITS: the roots and provinces here), found first:
  // a join to them planned badly on one engine or the other (minutes).
  const rollupUnits = (
    await sql<{ id: number }>`select id from ${ROLLUP_UNITS} k`.execute(db)
  ).rows.map((r) => r.id);
  await db.transaction().execute(async (tx) => {
    await sql`set local work_mem = '256MB'`.execute(tx);
    await sql`insert into period (pid, type, start_date, end_date)
      select to_char(d, 'YYYY-MM-DD'), 'day', d::date, d::date
      from generate_series(${FIRST_DAY}::date, ${LAST_DAY}::date, interval '1 day') as d
      on conflict (pid) do nothing`.execute(tx);
    for (const l of LAYOUTS) {
      const el = await tx
        .selectFrom('data_element')
        .select('id')
        .where('code', '=', l.element)
        .executeTakeFirstOrThrow();
      for (const [tree, from, to] of l.pieces) {
        // One value per commune and day, day by day as daily imports store them; a hash of
        // the commune, the day and the element, 0..99.
        await sql`insert into data_value (unit_id, element_id, period_id, option_id, attribute_id,
            value, text_value, stored_by)
          select u.id, ${el.id}::int, p.id, o.id, a.id, v.value, v.value::text, 'bench'
          from org_unit u
          cross join period p
          cross join (select id from breakdown_option where code = 'default') o
          cross join (select id from attribute_option where code = 'default') a
          cross join lateral (
            select (abs(hashtext(u.code || '/' || p.pid || '/' || ${l.element}::text)) % 100)::float8 as value
          ) v
          where u.version = ${tree} and u.kind = 'commune'
            and split_part(u.path, '/', 3) = any(${codesOn(tree)}::text[])
            and p.type = 'day' and p.start_date between ${from}::date and ${to}::date
          order by p.id, u.id`.execute(tx);
      }
      // What the import keeps for every value: its sum at every roll-up unit above it (after
      // ANALYZE: without statistics the planner takes the values for one row and probes the
      // whole key once per unit, 100 s instead of 2 on PGlite).
      await sql`analyze data_value`.execute(tx);
      await sql`insert into data_value_rollup (ancestor_id, element_id, period_id, option_id,
          attribute_id, sum, n)
        select a.ancestor_id, d.element_id, d.period_id, d.option_id, d.attribute_id,
          sum(coalesce(d.value, 0)), count(*)::int
        from data_value d join org_unit_ancestor a on a.unit_id = d.unit_id
          and a.ancestor_id = any(${rollupUnits}::int[])
        where d.element_id = ${el.id}
        group by 1, 2, 3, 4, 5
        order by d.period_id, a.ancestor_id`.execute(tx);
      step(`values and roll-ups of ${l.element}`);
    }
  });
  // Every table: the carry map's too (a test template has no statistics for it; without them
  // the planner joins carry_cover to the roll-ups badly, seconds instead of milliseconds).
  await sql`analyze`.execute(db);
  step('analyze');
  const counts = await sql<{ code: string; n: number }>`
    select e.code, count(*)::int as n from data_value d join data_element e on e.id = d.element_id
    where e.code like 'BENCH_CARRY_%' group by e.code`.execute(db);
  const rollup = await sql<{ n: number }>`
    select count(*)::int as n from data_value_rollup r join data_element e on e.id = r.element_id
    where e.code like 'BENCH_CARRY_%'`.execute(db);
  const communes = await sql<{ version: string; n: number }>`
    select version, count(*)::int as n from org_unit
    where kind = 'commune' and split_part(path, '/', 3) = any(case version when '2025'
      then ${provinces}::text[] else ${oldProvinces}::text[] end)
    group by version`.execute(db);
  return {
    services,
    db,
    provinces,
    oldProvinces,
    communes: Object.fromEntries(communes.rows.map((r) => [r.version, r.n])),
    values: Object.fromEntries(counts.rows.map((r) => [r.code, r.n])),
    rollupRows: rollup.rows[0]!.n,
  };
}

// ---------------------------------------------------------------------------------------------
// The questions

interface Case {
  case: string;
  ou: (i: number) => string;
  pe: (i: number) => string[];
}

function casesOf(s: Setup): Case[] {
  const nation = () => 'VN';
  const province = (i: number) => at(s.provinces, i);
  const n = s.provinces.length;
  return [
    { case: 'national, a month before the reform', ou: nation, pe: (i) => [at(OLD_MONTHS, i)] },
    { case: 'national, a quarter before it', ou: nation, pe: (i) => [at(OLD_QUARTERS, i)] },
    { case: 'national, a year (2024, 2025 in turn)', ou: nation, pe: (i) => [at(YEARS, i)] },
    { case: 'national trend by month, 2024-01 … 2026-11', ou: nation, pe: () => MONTHS },
    {
      case: `provincial, a month before the reform (${n} provinces in turn)`,
      ou: province,
      pe: (i) => [at(OLD_MONTHS, i)],
    },
    { case: 'provincial, a quarter before it', ou: province, pe: (i) => [at(OLD_QUARTERS, i)] },
    { case: 'provincial, a year (2024, 2025 in turn)', ou: province, pe: (i) => [at(YEARS, i)] },
    { case: 'provincial trend by month, 2024-01 … 2026-11', ou: province, pe: () => MONTHS },
  ];
}

async function ask(s: Setup, element: string, ou: string, pe: string[], version = '2025') {
  const r = await s.services.analytics.query(ADMIN, { dx: [element], pe, ou: [ou], version });
  return r.cells;
}

/** The carried answers equal the stored tree's (national, every old month), before timing. */
async function check(s: Setup) {
  for (const element of [TWO, THREE])
    for (const m of ['2024-01', '2024-12', '2025-02', '2025-04', '2025-06']) {
      const storedOn = element === THREE && m < TREE_2025_03.slice(0, 7) ? '2022' : '2025-03';
      const [carried] = await ask(s, element, 'VN', [m]);
      const [stored] = await ask(s, element, 'VN', [m], storedOn);
      if (!carried?.value || carried.value !== stored?.value || !carried.carried)
        throw new Error(
          `${element} ${m}: on 2025 ${carried?.value} (carried ${JSON.stringify(carried?.carried)}), ` +
            `on ${storedOn} ${stored?.value}`,
        );
    }
  const trend = await ask(s, TWO, s.provinces[0]!, MONTHS);
  if (trend.length !== MONTHS.length || trend.some((c) => !c.value))
    throw new Error(`trend of ${s.provinces[0]}: ${trend.map((c) => c.value).join(',')}`);
}

// ---------------------------------------------------------------------------------------------
// Weights

/** Two sets of shares for every split link 2025-03 → 2025, that sum to 1 per old commune. */
async function weightSets(s: Setup): Promise<{ units: number; sets: WeightRow[][] }> {
  const split = (await s.services.store.repos.carry.links()).filter(
    (l) => l.fromVersion === '2025-03' && l.toVersion === '2025' && l.part === 'partial',
  );
  const byUnit = new Map<string, typeof split>();
  for (const l of split) byUnit.set(l.fromCode, [...(byUnit.get(l.fromCode) ?? []), l]);
  const sets = [0, 1].map((flip) =>
    [...byUnit.values()].flatMap((ls) => {
      const raw = ls.map((_, k) => (flip ? ls.length - k : k + 1));
      const total = raw.reduce((a, b) => a + b, 0);
      return ls.map((l, k): WeightRow => ({
        fromVersion: l.fromVersion,
        fromCode: l.fromCode,
        toVersion: l.toVersion,
        toCode: l.toCode,
        share: raw[k]! / total,
      }));
    }),
  );
  return { units: byUnit.size, sets };
}

interface CarryWithSet {
  set?: (
    actor: 'system',
    input: { basis: string; weights: WeightRow[] },
  ) => Promise<{ rows: number }>;
}

// ---------------------------------------------------------------------------------------------
// Running

const loaded: string[] = [];
const WEIGHT_ITERATIONS = 3;
/**
 * A line is measured on every k-th iteration only, so that it costs about this much: the whole
 * bench stays within ~10 minutes on a loaded 2-core machine, where PGlite takes seconds for a
 * 35-month trend. The table's `n` column says how often a line was measured.
 */
const LINE_BUDGET_MS = 6_000;

async function runEngine(engine: Engine, opts: BenchOptions): Promise<Measurement[]> {
  opts.log(`${engine}: opening a test database`);
  const t = await openTestDb(engine, { clock: () => NOW });
  const out: Measurement[] = [];
  try {
    const started = performance.now();
    const s = await load(engine, t.services, opts.log);
    const setup = (performance.now() - started) / 1000;
    s.services.analytics.coalesce = false; // every call computes (see the header)
    await check(s);
    const size =
      `${s.provinces.join(', ')} (2025 tree; ${s.communes['2025']} communes there, ` +
      `${s.communes['2025-03']} on 2025-03, ${s.communes['2022']} on 2022)`;
    const section =
      `${engine}: one element daily ${FIRST_DAY} … ${LAST_DAY} at the communes of provinces ${size}; ` +
      `asked on the 2025 tree`;
    loaded.push(
      `${engine}: ${Object.entries(s.values)
        .map(([e, n]) => `${e} ${n.toLocaleString('en')}`)
        .join(
          ', ',
        )} values, ${s.rollupRows.toLocaleString('en')} roll-up rows, loaded in ${setup.toFixed(0)} s`,
    );
    for (const c of casesOf(s)) {
      // The second call's time decides how often a slow line is measured (LINE_BUDGET_MS).
      const probe: number[] = [];
      for (const l of LAYOUTS) {
        await ask(s, l.element, c.ou(0), c.pe(0));
        const p0 = performance.now();
        await ask(s, l.element, c.ou(1), c.pe(1));
        probe.push(performance.now() - p0);
      }
      const every = probe.map((ms) => {
        const k = Math.ceil((ms * (opts.iterations + opts.warmup)) / LINE_BUDGET_MS);
        return k <= 1 ? 1 : k % 2 === 0 ? k + 1 : k;
      });
      const t0 = performance.now();
      const stats = await measureInterleaved(
        LAYOUTS.map((l) => async (i) => (await ask(s, l.element, c.ou(i), c.pe(i))).length),
        { ...opts, every },
      );
      opts.log(
        `${engine} | ${c.case}: ${((performance.now() - t0) / 1000).toFixed(1)} s (every ${every.join('/')})`,
      );
      LAYOUTS.forEach((l, k) =>
        out.push({ engine, section, case: c.case, variant: VARIANT[l.element]!, ...stats[k]! }),
      );
    }

    // A change of all split weights, applied: from the write to the carry map rebuilt.
    const { units, sets } = await weightSets(s);
    const carry = s.services.carry as typeof s.services.carry & CarryWithSet;
    const ways: { variant: string; fn: (i: number) => Promise<number> }[] = [
      {
        variant: 'CarryRepo.setWeights, then CarryService.rebuild(pairsCrossing)',
        fn: async (i) => {
          await s.services.store.transaction((tx) =>
            tx.carry.setWeights(at(sets, i), 'bench', 'bench'),
          );
          const r = await carry.rebuild(await carry.pairsCrossing('2025-03', '2025'));
          if (r.failed.length) throw new Error(JSON.stringify(r.failed));
          return r.rows;
        },
      },
    ];
    // The service's own write, once it exists (issue 16's weights API).
    const set = typeof carry.set === 'function' ? carry.set.bind(carry) : undefined;
    if (typeof set === 'function')
      ways.unshift({
        variant: 'CarryService.set (check, write, rebuild, audit: one transaction)',
        fn: async (i) => (await set('system', { basis: 'bench', weights: at(sets, i + 1) })).rows,
      });
    const n = Math.max(1, Math.min(opts.iterations, WEIGHT_ITERATIONS));
    const stats = await measureInterleaved(
      ways.map((w) => w.fn),
      { iterations: n, warmup: Math.min(1, opts.warmup) },
    );
    const links = sets[0]!.length;
    ways.forEach((w, k) =>
      out.push({
        engine,
        section: `${engine}: weights of all ${units} split old communes (${links} links, 2025-03 → 2025) changed; rows = carry map rows rebuilt`,
        case: 'from the weights written to the carry map rebuilt',
        variant: w.variant,
        ...stats[k]!,
      }),
    );
  } finally {
    await t.close();
  }
  return out;
}

export const bench: Bench = {
  name: 'carry',
  title: 'Across the reform: roll-ups carried from older trees, and a change of weights applied',
  async run(opts) {
    loaded.length = 0;
    const results: Measurement[] = [];
    for (const engine of opts.engines) results.push(...(await runEngine(engine, opts)));
    return results;
  },
  summary(results) {
    const lines = [...loaded, ''];
    lines.push(
      'carried p95 against the single tree (goal: ≤ 2× it, and ≤ 30 ms on the server); weights (goal ≤ 10 s)',
      '',
    );
    for (const engine of [...new Set(results.map((r) => r.engine))]) {
      const mine = results.filter((r) => r.engine === engine);
      for (const c of [...new Set(mine.map((r) => r.case))]) {
        const get = (v: string) => mine.find((r) => r.case === c && r.variant === v);
        const base = get(VARIANT[ONE]!);
        if (!base) {
          for (const w of mine.filter((r) => r.case === c))
            lines.push(
              `${engine} | ${w.variant}: p95 ${(w.p95 / 1000).toFixed(2)} s` +
                (w.p95 <= 10_000 ? ' — goal met' : ' — goal NOT met'),
            );
          continue;
        }
        for (const el of [TWO, THREE]) {
          const m = get(VARIANT[el]!);
          if (!m) continue;
          const ratio = m.p95 / base.p95;
          const met = ratio <= 2 && (engine !== 'postgres' || m.p95 <= 30);
          lines.push(
            `${engine} | ${c} | ${VARIANT[el]}: p95 ${m.p95.toFixed(1)} ms, ` +
              `${ratio.toFixed(2)}× the single tree (${base.p95.toFixed(1)} ms)` +
              (met ? ' — goal met' : ' — goal NOT met'),
          );
        }
      }
    }
    return lines.join('\n');
  },
};
