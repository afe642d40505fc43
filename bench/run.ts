/**
 * Runs the benchmarks in bench/: every `<name>.bench.ts`, or only those named.
 *
 *   npm run bench                                    all benchmarks, both engines
 *   npm run bench -- hierarchy --engines pglite      one benchmark, one engine
 *   npm run bench -- --iterations 50 --format md     fewer iterations, Markdown tables
 *   npm run bench -- directive --iterations 10       directives: fan-out and 10,000 connections
 *
 * Results go to stdout, progress to stderr. The server engine is the one the test harness
 * uses (OPSROOM_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { readdirSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import type { Engine } from '../src/db/client.ts';
import { resultTables, type Bench, type BenchOptions } from './lib.ts';

const ENGINES: readonly Engine[] = ['pglite', 'postgres'];
const SUFFIX = '.bench.ts';

function usage(available: string[]): string {
  return [
    'usage: npm run bench -- [name ...] [--engines pglite,postgres] [--iterations N] [--warmup N] [--format text|md]',
    `benchmarks: ${available.join(', ')}`,
  ].join('\n');
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100_000)
    throw new Error(`${flag}: expected 0..100000, got ${value}`);
  return n;
}

/** Other work on the machine shows in the numbers: the 1/5/15-minute load averages. */
function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}

async function main(): Promise<number> {
  const dir = new URL('./', import.meta.url);
  const available = readdirSync(dir)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();

  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      engines: { type: 'string', default: ENGINES.join(',') },
      iterations: { type: 'string', default: '100' },
      warmup: { type: 'string', default: '10' },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage(available));
    return 0;
  }
  const engines = values.engines
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const unknownEngine = engines.find((e) => !ENGINES.includes(e as Engine));
  if (unknownEngine !== undefined || engines.length === 0) {
    console.error(`unknown engine: ${unknownEngine ?? '(none)'}\n${usage(available)}`);
    return 2;
  }
  if (values.format !== 'text' && values.format !== 'md') {
    console.error(`--format: text or md\n${usage(available)}`);
    return 2;
  }
  const format = values.format;
  const unknown = positionals.filter((p) => !available.includes(p));
  if (unknown.length > 0) {
    console.error(`unknown benchmark: ${unknown.join(', ')}\n${usage(available)}`);
    return 2;
  }
  const selected = positionals.length > 0 ? positionals : available;
  const opts: BenchOptions = {
    engines: engines as Engine[],
    iterations: positiveInt(values.iterations, '--iterations'),
    warmup: positiveInt(values.warmup, '--warmup'),
    log: (m) => console.error(`  ${m}`),
  };

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `node ${process.version}, ${availableParallelism()} cores (${cpu}), ` +
      `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM; engines: ${opts.engines.join(', ')}; ` +
      `${opts.warmup} warm-up + ${opts.iterations} measured iterations per line; ` +
      `load average ${load()}\n`,
  );

  for (const name of selected) {
    const mod = (await import(new URL(`${name}${SUFFIX}`, dir).href)) as { bench?: Bench };
    const bench = mod.bench;
    if (!bench) throw new Error(`${name}${SUFFIX} does not export \`bench\``);
    console.error(`${bench.name}: ${bench.title}`);
    const started = performance.now();
    const results = await bench.run(opts);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`## ${bench.title}\n`);
    console.log(resultTables(results, format));
    if (bench.summary) console.log(`${bench.summary(results)}\n`);
    console.log(`(${bench.name} took ${seconds} s; load average at the end ${load()})\n`);
  }
  return 0;
}

process.exitCode = await main();
