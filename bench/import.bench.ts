/**
 * Bulk import of daily commune values from a CSV file, against PostgreSQL's own `COPY` of the
 * same rows into a bare table, in the same run and the same database.
 *
 *   npm run bench -- import                          both engines
 *   OPSROOM_BENCH_IMPORT_ROWS=1000000 npm run bench -- import --engines postgres
 *
 * The file holds 2 elements × D days × the 10,599 communes of the 2022 tree (D = enough days for
 * the number of rows asked: 5,000,000 on the server → 236 days, 5,002,728 rows; 500,000 on
 * PGlite → 24 days, 508,752 rows), with deterministic values. Each engine gets a fresh database
 * from the test harness. In order:
 *
 *   1. baseline: `COPY bare_import (data_element, period, org_unit, value) FROM …` of the file
 *      into an unindexed table of text columns (server: COPY FROM STDIN through pg-copy-streams;
 *      PGlite: COPY FROM '/dev/blob');
 *   2. the import path: `DataValueService.importFile` (what `opsroom import FILE.csv` runs), all
 *      or nothing, values with their history and roll-ups in one transaction;
 *   3. PostgreSQL's own share (`postgresShare`): the rows the import stored, copied again from
 *      memory in binary into a table of the same shape and given the partition's primary key,
 *      the least any import that stores and indexes them this way can take, so the best ratio
 *      to COPY this machine allows;
 *   4. latency to analytics: one more value imported through the service, then the analytics
 *      query that must see it (a national total for that day).
 *
 * Each line is measured once (a file this size is not imported a hundred times); the
 * `--iterations` and `--warmup` options apply to the latency lines only. Rows per second and
 * the ratio to COPY are in each section's title; the import's phases follow as their own lines
 * (JS reading and checking overlap with the database's writing on the server, so the phases add
 * up to more than the total there).
 */
import { createReadStream, createWriteStream, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Engine } from '../src/db/client.ts';
import { openTestDb, type TestDb } from '../src/test/harness.ts';
import {
  benchAdmin,
  percentile,
  rowsWanted,
  type Bench,
  type BenchOptions,
  type Measurement,
} from './lib.ts';

const DEFAULT_ROWS: Record<Engine, number> = { postgres: 5_000_000, pglite: 500_000 };
export const ELEMENTS = ['BENCH_IMPORT_A', 'BENCH_IMPORT_B'];
const FIRST_DAY = Date.UTC(2022, 0, 1);
const DAY = 86_400_000;

const ADMIN = benchAdmin('2022');

const isoDay = (d: number) => new Date(FIRST_DAY + d * DAY).toISOString().slice(0, 10);

/** The bench's elements (integers, summed) stored; the communes of the 2022 tree, by code. */
export async function setUpElements(t: TestDb, codes: string[]): Promise<string[]> {
  await t.services.metadata.apply('system', {
    dataElements: codes.map((code, i) => ({
      code,
      nameVi: `Chỉ tiêu thử ${i + 1}`,
      nameEn: `Benchmark element ${i + 1}`,
      sector: 'other',
      valueType: 'integer',
      aggTime: 'sum' as const,
    })),
  });
  return (
    await sql<{ code: string }>`
      select code from org_unit where version = '2022' and level = 3 order by code`.execute(
      t.database.db,
    )
  ).rows.map((r) => r.code);
}

/** Writes the file: one line per (day, element, commune), in that order. */
export async function writeCsv(file: string, communes: string[], days: number): Promise<number> {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let rows = 0;
  let chunk: string[] = ['dataelement,period,orgunit,value'];
  const flush = async () => {
    if (!out.write(chunk.join('\n') + '\n')) await once(out, 'drain');
    chunk = [];
  };
  for (let d = 0; d < days; d++) {
    const period = isoDay(d);
    for (let e = 0; e < ELEMENTS.length; e++) {
      for (let u = 0; u < communes.length; u++) {
        chunk.push(
          `${ELEMENTS[e]},${period},${communes[u]},${((u * 31 + d * 7 + e * 13) % 997) + 1}`,
        );
        rows++;
      }
      await flush();
    }
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

async function copyBaseline(t: TestDb, file: string): Promise<void> {
  const ddl =
    'create table bare_import (data_element text, period text, org_unit text, value text)';
  const copy = 'copy bare_import (data_element, period, org_unit, value) from';
  if (t.engine === 'pglite') {
    const pglite = t.database.pglite!;
    await pglite.exec(ddl);
    await pglite.query(`${copy} '/dev/blob' (format csv, header true)`, [], {
      blob: new Blob([readFileSync(file)]),
    });
    return;
  }
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    await client.query(ddl);
    await pipeline(
      createReadStream(file, { highWaterMark: 1 << 20 }),
      client.query(copyFrom(`${copy} stdin (format csv, header true)`)),
    );
  } finally {
    await client.end();
  }
}

/**
 * What the database alone spends on an import's rows: the rows the import stored, read back in
 * COPY's binary form into memory, then (timed) copied into a table of the same shape and given
 * the partition's primary key, as the import does; rolled back. No JS reading, checking or
 * roll-ups: the fastest an import can be with the values stored and indexed as they are.
 */
async function postgresShare(t: TestDb): Promise<{ copy: number; key: number }> {
  const block = (
    await sql<{ first: number }>`select max(first_period_id) as first from period_block`.execute(
      t.database.db,
    )
  ).rows[0]!.first;
  const columns =
    'element_id, period_id, option_id, attribute_id, unit_id, value, text_value, stored_by';
  const read = `copy (select ${columns} from data_value_b${block}) to`;
  const write = `copy floor_copy (${columns}) from`;
  const key =
    'alter table floor_copy add primary key (period_id, element_id, unit_id, option_id, attribute_id)';
  const create = 'create table floor_copy (like data_value including defaults)';
  if (t.engine === 'pglite') {
    const pglite = t.database.pglite!;
    const blob = (await pglite.query(`${read} '/dev/blob' (format binary)`)).blob!;
    await pglite.exec(`begin; ${create}`);
    let t0 = performance.now();
    await pglite.query(`${write} '/dev/blob' (format binary, freeze)`, [], { blob });
    const copy = performance.now() - t0;
    t0 = performance.now();
    await pglite.exec(key);
    const built = performance.now() - t0;
    await pglite.exec('rollback');
    return { copy, key: built };
  }
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    const chunks: Buffer[] = [];
    await pipeline(
      client.query(copyTo(`${read} stdout (format binary)`)),
      new Writable({
        write(chunk: Buffer, _e, done) {
          chunks.push(chunk);
          done();
        },
      }),
    );
    await client.query(`begin; ${create}`);
    let t0 = performance.now();
    await pipeline(
      Readable.from(chunks),
      client.query(copyFrom(`${write} stdin (format binary, freeze)`)),
    );
    const copy = performance.now() - t0;
    t0 = performance.now();
    await client.query(key);
    const built = performance.now() - t0;
    await client.query('rollback');
    return { copy, key: built };
  } finally {
    await client.end();
  }
}

/** Each bulk step starts with the server's dirty pages written out: none pays for the WAL of the one before. */
async function checkpoint(t: TestDb): Promise<void> {
  if (t.engine === 'postgres') await sql`checkpoint`.execute(t.database.db);
}

const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000));
const k = (n: number) => `${(n / 1000).toFixed(0)}k`;

async function runEngine(engine: Engine, opts: BenchOptions): Promise<Measurement[]> {
  const wanted = rowsWanted(engine, 'OPSROOM_BENCH_IMPORT_ROWS', DEFAULT_ROWS);
  const file = join(tmpdir(), `opsroom-bench-import-${process.pid}-${engine}.csv`);
  opts.log(`${engine}: opening a test database`);
  const t = await openTestDb(engine);
  const out: Measurement[] = [];
  try {
    const s = t.services;
    const communes = await setUpElements(t, ELEMENTS);
    const days = Math.ceil(wanted / (ELEMENTS.length * communes.length));
    if (days > 364) throw new Error(`${wanted} rows need more than a year of days`);
    let started = performance.now();
    const rows = await writeCsv(file, communes, days);
    opts.log(
      `${engine}: wrote ${rows} rows (${ELEMENTS.length} elements × ${days} days × ${communes.length} communes) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    await checkpoint(t);
    started = performance.now();
    await copyBaseline(t, file);
    const copyMs = performance.now() - started;
    opts.log(`${engine}: COPY ${(copyMs / 1000).toFixed(1)} s, ${k(rate(rows, copyMs))} rows/s`);

    const timings: Record<string, number> = {};
    await checkpoint(t);
    started = performance.now();
    const cpu = process.cpuUsage();
    const summary = await s.dataValues.importFile('system', file, { atomic: true, timings });
    const importMs = performance.now() - started;
    // This process's CPU time: on PGlite the engine's too (same thread), on the server only JS.
    const used = process.cpuUsage(cpu);
    timings['CPU of this process (user + system)'] = (used.user + used.system) / 1000;
    if (summary.status !== 'SUCCESS' || summary.importCount.imported !== rows) {
      throw new Error(`import: ${summary.description.en}`);
    }
    const ratio = rate(rows, importMs) / rate(rows, copyMs);
    opts.log(
      `${engine}: import ${(importMs / 1000).toFixed(1)} s, ${k(rate(rows, importMs))} rows/s, ` +
        `${ratio.toFixed(2)}× COPY; phases ${JSON.stringify(Object.fromEntries(Object.entries(timings).map(([p, ms]) => [p, Math.round(ms)])))}`,
    );

    const section =
      `${engine}: ${rows.toLocaleString('en')} rows; COPY ${k(rate(rows, copyMs))} rows/s, ` +
      `import ${k(rate(rows, importMs))} rows/s = ${ratio.toFixed(2)}× COPY`;
    const once = (c: string, variant: string, ms: number, n = rows): Measurement => ({
      engine,
      section,
      case: c,
      variant,
      iterations: 1,
      rows: n,
      p50: ms,
      p95: ms,
      max: ms,
    });
    await checkpoint(t);
    const floor = await postgresShare(t);
    opts.log(
      `${engine}: PostgreSQL's own share: COPY ${(floor.copy / 1000).toFixed(1)} s + primary key ${(floor.key / 1000).toFixed(1)} s; ` +
        `an import can be at most ${(copyMs / (floor.copy + floor.key)).toFixed(2)}× COPY here`,
    );
    out.push(once('CSV file → table', 'COPY into a bare table (baseline)', copyMs));
    out.push(once('CSV file → table', 'import: DataValueService.importFile', importMs));
    out.push(
      once(
        'floor: PostgreSQL alone',
        "COPY of the import's rows (binary, from memory)",
        floor.copy,
      ),
    );
    out.push(once('floor: PostgreSQL alone', "building the partition's primary key", floor.key));
    for (const [phase, ms] of Object.entries(timings)) {
      out.push(once('import phases', phase, ms));
    }

    // One more value, then the national total of its day: the analytics query must see it.
    const latencySection = `${engine}: from an import's answer to the value in analytics`;
    const unit = communes[0]!;
    // Each call writes a new day (after those of the file, within 2022): a new value every time.
    const spare = 364 - days - 1;
    const warmup = Math.min(opts.warmup, Math.floor(spare / 4));
    const iterations = Math.min(opts.iterations, spare - warmup);
    const latencies: { import: number[]; query: number[] } = { import: [], query: [] };
    for (let i = 0; i < warmup + iterations; i++) {
      const period = isoDay(days + 1 + i);
      const t0 = performance.now();
      const r = await s.dataValues.import(
        'system',
        { values: [{ index: 0, dataElement: ELEMENTS[0], period, orgUnit: unit, value: '5' }] },
        { atomic: true },
      );
      const t1 = performance.now();
      const answer = await s.analytics.query(ADMIN, {
        dx: [ELEMENTS[0]!],
        pe: [period],
        ou: ['VN'],
      });
      const t2 = performance.now();
      const value = answer.cells.find((c) => c.ou === 'VN')?.value;
      if (r.importCount.imported !== 1 || value !== 5) {
        throw new Error(`latency: imported ${r.importCount.imported}, analytics saw ${value}`);
      }
      if (i >= warmup) {
        latencies.import.push(t1 - t0);
        latencies.query.push(t2 - t1);
      }
    }
    const stats = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return {
        iterations: sorted.length,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        max: sorted.at(-1) ?? Number.NaN,
      };
    };
    out.push({
      engine,
      section: latencySection,
      case: 'one value, then a national total of its day',
      variant: 'import (service, 1 value)',
      rows: 1,
      ...stats(latencies.import),
    });
    out.push({
      engine,
      section: latencySection,
      case: 'one value, then a national total of its day',
      variant: 'first analytics query after it (sees it)',
      rows: 1,
      ...stats(latencies.query),
    });
  } finally {
    rmSync(file, { force: true });
    await t.close();
  }
  return out;
}

export const bench: Bench = {
  name: 'import',
  title: 'Bulk import from CSV against COPY of the same rows',
  async run(opts) {
    const results: Measurement[] = [];
    for (const engine of opts.engines) results.push(...(await runEngine(engine, opts)));
    return results;
  },
};
