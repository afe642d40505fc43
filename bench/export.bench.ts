/**
 * Export of data values as CSV — the API's `GET /api/dataValueSets?format=csv` and the CLI's
 * `opsroom export` — against PostgreSQL's own `COPY (select …) TO` of the same rows in the same
 * order, in the same run and the same database.
 *
 *   npm run bench -- export                                   both engines
 *   OPSROOM_BENCH_EXPORT_ROWS=1000000 npm run bench -- export --engines postgres
 *
 * The values — 2 elements × D days × the 10,599 communes of the 2022 tree (5,000,000 asked →
 * 236 days, 5,002,728 values; OPSROOM_BENCH_EXPORT_ROWS_PGLITE for the embedded engine) — are
 * generated in SQL straight into `data_value`. In order, each once:
 *
 *   1. baseline: `COPY (select … the export's columns, joins and order …) TO STDOUT (format csv)`
 *      (server: through pg-copy-streams into a counting sink; PGlite: to '/dev/blob', in memory);
 *   2. the API: the app's handler (in process, as a client reading as fast as it can), the body
 *      read as it arrives and counted;
 *   3. the CLI: `exportToStream` (what `opsroom export --format csv --output F` runs) into a file;
 *   4. with OPSROOM_BENCH_EXPORT_ROW_PATH=1, on the server: the row path (what PGlite runs: rows
 *      read through node-postgres, written by `DataValueSetWriter`) into a counting sink.
 *
 * On the server, 2 and 3 run the export's COPY path: each page's CSV lines are built in SQL and
 * copied out (`COPY (…) TO STDOUT (format binary)`), byte for byte the row path's file.
 *
 * Memory: the peak resident set (VmHWM of /proc/self/status, reset before each step through
 * /proc/self/clear_refs) against the resident set before the step, and the peak JS heap sampled
 * every 20 ms. On PGlite the engine lives in this process, so its pages count too.
 */
import { createWriteStream, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Engine } from '../src/db/client.ts';
import { Store } from '../src/db/store.ts';
import { ADMIN_PASSWORD, openTestDb, type TestDb } from '../src/test/harness.ts';
import { ApiClient } from '../src/test/http.ts';
import { exportToStream } from '../src/cli/export.ts';
import { dataValueSetChunks, openExport } from '../src/services/data-value.export.ts';
import { benchAdmin, rowsWanted, type Bench, type BenchOptions, type Measurement } from './lib.ts';

const DEFAULT_ROWS: Record<Engine, number> = { postgres: 5_000_000, pglite: 5_000_000 };
const ELEMENTS = ['BENCH_EXPORT_A', 'BENCH_EXPORT_B'];

const ADMIN = benchAdmin('2022');

/** The same rows, columns and order as the export, for COPY. */
const COPY_SELECT = `select e.code, p.pid, u.code, o.code, a.code, d.text_value, d.stored_by,
    d.updated_at, d.comment, d.followup, d.estimate, d.reported_yoy_pct, d.reported_prev_pct
  from data_value d
  join data_element e on e.id = d.element_id
  join period p on p.id = d.period_id
  join org_unit u on u.id = d.unit_id
  join breakdown_option o on o.id = d.option_id
  join attribute_option a on a.id = d.attribute_id
  where e.code like 'BENCH_EXPORT_%'
  order by e.code, p.start_date, p.pid, u.code, o.code, a.code`;

/** Line breaks in a chunk (indexOf: a loop over each byte in JS would cost more than the export). */
function newlines(chunk: Uint8Array): number {
  const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/** Peak and current resident set of this process, in bytes (Linux). */
function residentSet(): { now: number; peak: number } | undefined {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1]) * 1024;
    return { now: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

interface Memory {
  rssBefore: number;
  rssPeak: number;
  heapPeak: number;
}

/** Runs `fn`, measuring its time and this process's memory while it runs. */
async function measured<T>(fn: () => Promise<T>): Promise<{ ms: number; mem: Memory; result: T }> {
  globalThis.gc?.();
  try {
    writeFileSync('/proc/self/clear_refs', '5'); // resets VmHWM to the current resident set
  } catch {
    // not Linux, or not allowed: the sampled figure below stands
  }
  const before = residentSet()?.now ?? process.memoryUsage().rss;
  let heapPeak = 0;
  let rssSampled = before;
  const sample = () => {
    const m = process.memoryUsage();
    heapPeak = Math.max(heapPeak, m.heapUsed);
    rssSampled = Math.max(rssSampled, m.rss);
  };
  const timer = setInterval(sample, 20);
  const t0 = performance.now();
  try {
    const result = await fn();
    const ms = performance.now() - t0;
    sample();
    const peak = Math.max(residentSet()?.peak ?? 0, rssSampled);
    return { ms, mem: { rssBefore: before, rssPeak: peak, heapPeak }, result };
  } finally {
    clearInterval(timer);
  }
}

export async function generate(t: TestDb, wanted: number): Promise<number> {
  const db = t.database.db;
  await t.services.metadata.apply('system', {
    dataElements: ELEMENTS.map((code, i) => ({
      code,
      nameVi: `Chỉ tiêu xuất thử ${i + 1}`,
      nameEn: `Export benchmark element ${i + 1}`,
      sector: 'other',
      valueType: 'integer',
      aggTime: 'sum' as const,
    })),
  });
  const communes = (
    await sql<{
      n: number;
    }>`select count(*)::int as n from org_unit where version = '2022' and level = 3`.execute(db)
  ).rows[0]!.n;
  const days = Math.ceil(wanted / (ELEMENTS.length * communes));
  await sql`insert into period (pid, type, start_date, end_date)
    select to_char(d, 'YYYY-MM-DD'), 'day', d::date, d::date
    from generate_series('2019-01-01'::date, '2019-01-01'::date + ${days - 1}::int, '1 day') d
    on conflict (pid) do nothing`.execute(db);
  // A comment now and then, some of them formulas to neutralise; values vary.
  await sql`insert into data_value (unit_id, element_id, period_id, option_id, attribute_id,
      value, text_value, comment, stored_by, created_at, updated_at)
    select u.id, e.id, p.id, o.id, a.id, v, v::text,
      case when (u.id + p.id) % 100 = 0 then '=HYPERLINK("http://x","y")'
           when (u.id + p.id) % 50 = 0 then 'báo cáo, chậm' end,
      'bench', timestamptz '2020-01-01' + p.id * interval '1 hour',
      timestamptz '2020-01-01' + p.id * interval '1 hour'
    from org_unit u
    cross join period p
    cross join data_element e
    cross join (select id from breakdown_option where code = 'default') o
    cross join (select id from attribute_option where code = 'default') a
    cross join lateral (select ((u.id * 31 + p.id * 7 + e.id * 13) % 997) + 1 as v) x
    where u.version = '2022' and u.level = 3 and e.code like 'BENCH_EXPORT_%'
      and p.type = 'day' and p.start_date between '2019-01-01' and '2019-01-01'::date + ${days - 1}::int`.execute(
    db,
  );
  await sql`analyze data_value`.execute(db);
  return (
    await sql<{ n: number }>`select count(*)::int as n from data_value d
      join data_element e on e.id = d.element_id where e.code like 'BENCH_EXPORT_%'`.execute(db)
  ).rows[0]!.n;
}

/** PostgreSQL's own CSV of the same rows; returns the lines it wrote. */
async function copyBaseline(t: TestDb): Promise<number> {
  let lines = 0;
  const count = (chunk: Uint8Array) => {
    lines += newlines(chunk);
  };
  if (t.engine === 'pglite') {
    const r = await t.database.pglite!.query(`copy (${COPY_SELECT}) to '/dev/blob' (format csv)`);
    count(new Uint8Array(await r.blob!.arrayBuffer()));
    return lines;
  }
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    await pipeline(
      client.query(copyTo(`copy (${COPY_SELECT}) to stdout (format csv)`)),
      new Writable({
        write(chunk: Buffer, _e, done) {
          count(chunk);
          done();
        },
      }),
    );
  } finally {
    await client.end();
  }
  return lines;
}

const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000));
const k = (n: number) => `${(n / 1000).toFixed(0)}k`;
const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;

async function runEngine(engine: Engine, opts: BenchOptions): Promise<Measurement[]> {
  const wanted = rowsWanted(engine, 'OPSROOM_BENCH_EXPORT_ROWS', DEFAULT_ROWS);
  opts.log(`${engine}: opening a test database`);
  const t = await openTestDb(engine);
  const file = join(tmpdir(), `opsroom-bench-export-${process.pid}-${engine}.csv`);
  const out: Measurement[] = [];
  try {
    let started = performance.now();
    const rows = await generate(t, wanted);
    opts.log(
      `${engine}: generated ${rows} values in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const lines: Record<string, string> = {};
    const report = (name: string, ms: number, n: number, mem: Memory) => {
      lines[name] =
        `${k(rate(n, ms))} rows/s, ${(ms / 1000).toFixed(1)} s; resident set ${mb(mem.rssBefore)} before, ` +
        `peak ${mb(mem.rssPeak)} (+${mb(mem.rssPeak - mem.rssBefore)}); JS heap peak ${mb(mem.heapPeak)}`;
      opts.log(`${engine}: ${name}: ${lines[name]}`);
    };

    started = performance.now();
    const copy = await measured(() => copyBaseline(t));
    if (copy.result !== rows) throw new Error(`COPY wrote ${copy.result} lines, not ${rows}`);
    report('COPY (select …) TO (baseline)', copy.ms, rows, copy.mem);

    const api = ApiClient.for(t.services);
    const basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
    const http = await measured(async () => {
      const res = await api.app.request(
        `/api/dataValueSets?format=csv&dataElement=${ELEMENTS.join(',')}`,
        { headers: { authorization: basic } },
      );
      if (res.status !== 200) throw new Error(`API: ${res.status} ${await res.text()}`);
      let n = 0;
      let bytes = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        n += newlines(chunk);
      }
      return { n: n - 1, bytes };
    });
    if (http.result.n !== rows) throw new Error(`API wrote ${http.result.n} values, not ${rows}`);
    report('API GET /api/dataValueSets?format=csv', http.ms, rows, http.mem);

    const cli = await measured(() =>
      exportToStream(
        t.services,
        ADMIN,
        { format: 'csv', dataElements: ELEMENTS },
        createWriteStream(file, { highWaterMark: 1 << 20 }),
      ),
    );
    if (cli.result.count !== rows) throw new Error(`CLI wrote ${cli.result.count}, not ${rows}`);
    report('CLI export --format csv --output FILE', cli.ms, rows, cli.mem);

    const rowPath =
      engine === 'postgres' && process.env.OPSROOM_BENCH_EXPORT_ROW_PATH === '1'
        ? await measured(async () => {
            // Without the database's pool: the rows come through node-postgres as objects.
            const run = await openExport(new Store(t.database.db), t.services.hierarchy, ADMIN, {
              dataElements: ELEMENTS,
            });
            let n = 0;
            for await (const chunk of dataValueSetChunks(run, 'csv')) {
              n += newlines(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
            }
            return n - 1;
          })
        : undefined;
    if (rowPath) {
      if (rowPath.result !== rows) throw new Error(`row path wrote ${rowPath.result}, not ${rows}`);
      report("row path (rows as objects, PGlite's path)", rowPath.ms, rows, rowPath.mem);
    }

    const section =
      `${engine}: ${rows.toLocaleString('en')} values as CSV (${mb(http.result.bytes)}); ` +
      `COPY ${k(rate(rows, copy.ms))} rows/s, API ${k(rate(rows, http.ms))} rows/s, ` +
      `CLI ${k(rate(rows, cli.ms))} rows/s`;
    const once = (variant: string, ms: number): Measurement => ({
      engine,
      section,
      case: 'all values as CSV',
      variant,
      iterations: 1,
      rows,
      p50: ms,
      p95: ms,
      max: ms,
    });
    out.push(once('COPY (select …) TO, same rows and order (baseline)', copy.ms));
    out.push(once('API: GET /api/dataValueSets?format=csv', http.ms));
    out.push(once('CLI: exportToStream to a file', cli.ms));
    if (rowPath) out.push(once('row path: rows as objects, DataValueSetWriter', rowPath.ms));
    memoryLines.push(...Object.entries(lines).map(([name, line]) => `${engine}: ${name}: ${line}`));
  } finally {
    rmSync(file, { force: true });
    await t.close();
  }
  return out;
}

const memoryLines: string[] = [];

export const bench: Bench = {
  name: 'export',
  title: 'Export of data values as CSV (API and CLI) against COPY of the same rows',
  async run(opts) {
    const results: Measurement[] = [];
    for (const engine of opts.engines) results.push(...(await runEngine(engine, opts)));
    return results;
  },
  summary: () => memoryLines.join('\n'),
};
