/**
 * The bulk import with the checks on (issue 17): 20 validation rules and the outlier checks
 * (the min–max ranges of every commune), against the same import without them, in the
 * same run, each into a fresh database.
 *
 *   npm run bench -- import-checks                                     both engines
 *   OPSROOM_BENCH_IMPORT_ROWS=1000000 npm run bench -- import-checks --engines postgres
 *
 * The file is `import`'s (bench/import.bench.ts): 2 elements × D days × the 10,599 communes of
 * the 2022 tree, 5,002,728 rows on the server and 508,752 on PGlite by default. The rules mix
 * what a ministry sets: commune rules on the day (bounds, sums, pairs), district and province
 * rules on the day, week and month, national rules on the month, quarter and year; two of them
 * are broken by the file's values (a MEDIUM one at ~0.6 % of the commune-days, a HIGH one at
 * ~0.1 %, each HIGH violation opening a follow-up task). The min–max ranges (1–996) put the
 * value 997 out of range (~0.1 % of the values, one follow-up task per commune and element).
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Engine } from '../src/db/client.ts';
import { openTestDb, type TestDb } from '../src/test/harness.ts';
import { ELEMENTS, setUpElements, writeCsv } from './import.bench.ts';
import { rowsWanted, type Bench, type BenchOptions, type Measurement } from './lib.ts';

const DEFAULT_ROWS: Record<Engine, number> = { postgres: 5_000_000, pglite: 500_000 };
const [A, B] = ELEMENTS as [string, string];

type Op =
  | 'equal_to'
  | 'not_equal_to'
  | 'greater_than'
  | 'greater_than_or_equal_to'
  | 'less_than'
  | 'less_than_or_equal_to'
  | 'compulsory_pair'
  | 'exclusive_pair';
type Strategy = 'SKIP_IF_ANY_VALUE_MISSING' | 'SKIP_IF_ALL_VALUES_MISSING' | 'NEVER_SKIP';

const rule = (
  n: number,
  level: number,
  periodType: string,
  left: string,
  operator: Op,
  right: string,
  importance: 'HIGH' | 'MEDIUM' | 'LOW' = 'LOW',
  strategy: Strategy = 'SKIP_IF_ANY_VALUE_MISSING',
  rightStrategy: Strategy = 'NEVER_SKIP',
) => ({
  code: `BENCH_RULE_${n}`,
  nameVi: `Quy tắc thử ${n}`,
  nameEn: `Benchmark rule ${n}`,
  importance,
  periodType,
  levels: [level],
  operator,
  left: { expression: left, missingValueStrategy: strategy },
  right: { expression: right, missingValueStrategy: rightStrategy },
});

const a = `#{${A}}`;
const b = `#{${B}}`;
/** Twenty rules over the two elements, at every level of the 2022 tree. */
export const RULES = [
  rule(1, 3, 'day', a, 'less_than_or_equal_to', '1000'),
  rule(2, 3, 'day', b, 'less_than_or_equal_to', '1000'),
  rule(3, 3, 'day', `${a} + ${b}`, 'less_than_or_equal_to', '2000'),
  rule(4, 3, 'day', a, 'greater_than_or_equal_to', '1', 'MEDIUM', 'NEVER_SKIP'),
  rule(5, 3, 'day', b, 'greater_than', '0', 'MEDIUM', 'SKIP_IF_ALL_VALUES_MISSING'),
  rule(6, 3, 'day', a, 'compulsory_pair', b, 'MEDIUM', undefined, 'SKIP_IF_ALL_VALUES_MISSING'),
  rule(7, 3, 'day', `${a} - ${b}`, 'greater_than_or_equal_to', '-1000'),
  rule(8, 3, 'day', a, 'not_equal_to', '-1'),
  rule(9, 3, 'day', a, 'less_than_or_equal_to', '990', 'MEDIUM'),
  rule(10, 3, 'day', b, 'less_than', '997', 'HIGH'),
  rule(11, 3, 'day', `(${a} + ${b}) / 2`, 'less_than_or_equal_to', '1000'),
  rule(
    12,
    3,
    'day',
    a,
    'exclusive_pair',
    '#{BENCH_IMPORT_C}',
    'LOW',
    undefined,
    'SKIP_IF_ALL_VALUES_MISSING',
  ),
  rule(13, 2, 'day', `${a} + ${b}`, 'greater_than_or_equal_to', '0'),
  rule(14, 2, 'day', a, 'less_than_or_equal_to', '1000000'),
  rule(15, 2, 'week', b, 'less_than_or_equal_to', '10000000'),
  rule(16, 1, 'month', a, 'less_than_or_equal_to', `${b} * 3`, 'HIGH'),
  rule(17, 1, 'day', `${a} + ${b}`, 'greater_than', '0', 'MEDIUM'),
  rule(18, 0, 'month', a, 'greater_than_or_equal_to', `${b} * 0.5`, 'HIGH'),
  rule(19, 0, 'quarter', `${a} + ${b}`, 'less_than_or_equal_to', '100000000000'),
  rule(20, 0, 'year', b, 'greater_than', '0', 'HIGH'),
];

export async function setUp(t: TestDb, checks: boolean): Promise<string[]> {
  const s = t.services;
  const communes = await setUpElements(t, [...ELEMENTS, 'BENCH_IMPORT_C']);
  if (checks) {
    for (const r of RULES) await s.validation.create('system', r);
    await sql`
      insert into min_max_value (unit_id, element_id, option_id, min_value, max_value, updated_by)
      select u.id, e.id, o.id, 1, 996, 'bench'
      from org_unit u, data_element e, breakdown_option o
      where u.version = '2022' and u.level = 3 and e.code in (${sql.join(ELEMENTS)})
        and o.id = (select min(id) from breakdown_option)`.execute(t.database.db);
  }
  return communes;
}

async function importOnce(
  engine: Engine,
  file: string,
  checks: boolean,
  opts: BenchOptions,
): Promise<{ ms: number; rows: number; timings: Record<string, number>; summary: unknown }> {
  const t = await openTestDb(engine);
  try {
    await setUp(t, checks);
    if (t.engine === 'postgres') await sql`checkpoint`.execute(t.database.db);
    const timings: Record<string, number> = {};
    const started = performance.now();
    const summary = await t.services.dataValues.importFile('system', file, {
      atomic: true,
      timings,
    });
    const ms = performance.now() - started;
    if (summary.importCount.imported === 0) throw new Error(`import: ${summary.description.en}`);
    // A bulk load's follow-up tasks are opened after its commit, from the outbox (migration
    // 0029): timed apart, from the answer until the drain is done.
    const drained = performance.now();
    await t.services.alerts.flush();
    timings['follow-up tasks after the commit'] = performance.now() - drained;
    const tasks = await sql<{ n: number }>`select count(*) as n from task`.execute(t.database.db);
    opts.log(`${engine}: ${Number(tasks.rows[0]!.n)} follow-up tasks open after the drain`);
    opts.log(
      `${engine} ${checks ? 'with checks' : 'without'}: ${(ms / 1000).toFixed(1)} s; ${summary.description.en}; phases ${JSON.stringify(Object.fromEntries(Object.entries(timings).map(([p, x]) => [p, Math.round(x)])))}`,
    );
    return { ms, rows: summary.importCount.imported, timings, summary };
  } finally {
    await t.close();
  }
}

async function runEngine(engine: Engine, opts: BenchOptions): Promise<Measurement[]> {
  const wanted = rowsWanted(engine, 'OPSROOM_BENCH_IMPORT_ROWS', DEFAULT_ROWS);
  const file = join(tmpdir(), `opsroom-bench-import-checks-${process.pid}-${engine}.csv`);
  try {
    const t = await openTestDb(engine);
    let communes: string[];
    try {
      communes = await setUp(t, false);
    } finally {
      await t.close();
    }
    const days = Math.ceil(wanted / (ELEMENTS.length * communes.length));
    const rows = await writeCsv(file, communes, days);
    opts.log(`${engine}: ${rows} rows, ${days} days`);
    // Alternately, RUNS times each: one import of this size varies by ±20 % from run to run
    // on this machine (the server's checkpoints, the disk), more than the checks cost.
    const runs = Number(process.env.OPSROOM_BENCH_CHECKS_RUNS ?? 3);
    // One untimed import of each first, as the other benches warm up: the first import in a
    // process also pays for compiling its hot loops and for memory the allocator has not
    // handed out yet, which would count against whichever variant runs first.
    for (let i = 0; i < Number(process.env.OPSROOM_BENCH_CHECKS_WARMUP ?? 1); i++) {
      await importOnce(engine, file, false, opts);
      await importOnce(engine, file, true, opts);
    }
    const plain: Awaited<ReturnType<typeof importOnce>>[] = [];
    const checked: Awaited<ReturnType<typeof importOnce>>[] = [];
    for (let i = 0; i < runs; i++) {
      plain.push(await importOnce(engine, file, false, opts));
      checked.push(await importOnce(engine, file, true, opts));
    }
    const median = (xs: Awaited<ReturnType<typeof importOnce>>[]) =>
      [...xs].sort((a, b) => a.ms - b.ms)[Math.floor(xs.length / 2)]!;
    const without = median(plain);
    const withChecks = median(checked);
    const ratio = withChecks.ms / without.ms;
    const section = `${engine}: ${rows.toLocaleString('en')} rows; with 20 rules and outlier checks = ${ratio.toFixed(2)}× without (medians of ${runs} alternate runs)`;
    const once = (c: string, variant: string, ms: number): Measurement => ({
      engine,
      section,
      case: c,
      variant,
      iterations: 1,
      rows,
      p50: ms,
      p95: ms,
      max: ms,
    });
    const of = (c: string, variant: string, xs: Awaited<ReturnType<typeof importOnce>>[]) => ({
      ...once(c, variant, median(xs).ms),
      iterations: xs.length,
      p95: Math.max(...xs.map((x) => x.ms)),
      max: Math.max(...xs.map((x) => x.ms)),
    });
    const out = [
      of('CSV file → table', 'import without checks (baseline)', plain),
      of('CSV file → table', 'import with 20 rules and outlier checks', checked),
    ];
    for (const [phase, ms] of Object.entries(withChecks.timings))
      out.push(once('phases with checks', phase, ms));
    return out;
  } finally {
    rmSync(file, { force: true });
  }
}

export const bench: Bench = {
  name: 'import-checks',
  title: 'Bulk import with 20 validation rules and outlier checks, against the same import without',
  async run(opts) {
    const results: Measurement[] = [];
    for (const engine of opts.engines) results.push(...(await runEngine(engine, opts)));
    return results;
  },
};
