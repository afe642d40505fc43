/**
 * What a streamed CSV import keeps alive: the JS heap after a forced collection, every 300 ms
 * while it runs, for bodies of 1, 50 and 200 MB (a dry run: every row read and checked), in
 * this process. The body bench (body.bench.ts) measures the server's resident memory, which
 * also holds garbage V8 has not collected yet; this one separates the two: the live set, the
 * heap's peak between collections, and the heap after the import.
 *
 *   node --expose-gc --import tsx bench/run.ts import-heap --engines postgres,pglite --format md
 */
import { sql } from 'kysely';
import type { Engine } from '../src/db/client.ts';
import { csvBody, type Bench, type BenchOptions, type Measurement } from './lib.ts';

const ELEMENT = {
  code: 'BENCH_HEAP',
  nameVi: 'Giá trị đo bộ nhớ khi nhập',
  nameEn: 'Import memory probe',
  sector: 'other',
  valueType: 'integer',
  aggTime: 'sum',
} as const;
const MB = 1024 * 1024;
const SIZES_MB = [1, 50, 200];

interface Row {
  engine: Engine;
  mb: number;
  rows: number;
  before: number;
  live: number;
  peak: number;
  after: number;
}
const rows: Row[] = [];

async function run(opts: BenchOptions): Promise<Measurement[]> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const { openTestDb } = await import('../src/test/harness.ts');
  const out: Measurement[] = [];
  for (const engine of opts.engines) {
    const t = await openTestDb(engine);
    try {
      await t.services.metadata.apply('system', { dataElements: [ELEMENT] });
      const version = await t.services.hierarchy.resolveVersion('2025');
      const units = (
        await sql<{ code: string }>`select code from org_unit
          where version = ${version} and level = 2 order by code`.execute(t.database.db)
      ).rows.map((r) => r.code);
      for (const size of SIZES_MB) {
        opts.log(`${engine}: ${size} MB`);
        gc();
        const before = process.memoryUsage().heapUsed;
        let peak = before;
        let live = before;
        const sample = setInterval(() => {
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }, 20);
        const collect = setInterval(() => {
          gc();
          live = Math.max(live, process.memoryUsage().heapUsed);
        }, 300);
        const t0 = performance.now();
        const summary = await t.services.dataValues.importCsvStream(
          'system',
          csvBody(ELEMENT.code, units, size * MB),
          { dryRun: true, atomic: false, version: '2025' },
        );
        const ms = performance.now() - t0;
        clearInterval(sample);
        clearInterval(collect);
        gc();
        const after = process.memoryUsage().heapUsed;
        rows.push({
          engine,
          mb: size,
          rows: summary.importCount.imported,
          before,
          live,
          peak,
          after,
        });
        out.push({
          engine,
          section: 'streamed CSV import, dry run',
          case: `${size} MB body`,
          variant: 'importCsvStream',
          iterations: 1,
          rows: summary.importCount.imported,
          p50: ms,
          p95: ms,
          max: ms,
        });
      }
    } finally {
      await t.close();
    }
  }
  return out;
}

const mb = (n: number) => (n / MB).toFixed(0);

export const bench: Bench = {
  name: 'import-heap',
  title: 'Live JS heap of a streamed CSV import, by body size',
  run,
  summary: () =>
    [
      '| engine | body | rows checked | heap before | live max (after forced GC) | heap peak between GCs | heap after |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.engine} | ${r.mb} MB | ${r.rows} | ${mb(r.before)} MB | ${mb(r.live)} MB | ${mb(r.peak)} MB | ${mb(r.after)} MB |`,
      ),
    ].join('\n'),
};
