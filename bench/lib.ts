import type { Engine } from '../src/db/client.ts';
import { arriving } from '../src/test/body-sender.ts';
import { actionsOfRole, type Actor } from '../src/domain/access.ts';

/** The national administrator benchmarks act as, on one tree. */
export function benchAdmin(version: string): Actor {
  return {
    kind: 'user',
    id: 'bench',
    name: 'bench',
    role: 'admin',
    permissions: actionsOfRole('admin'),
    scope: { version, code: 'VN', path: '/VN/' },
  };
}

/**
 * How many rows a bench loads on an engine: `<VAR>_PGLITE` (PGlite only), `<VAR>`, or the
 * bench's default.
 */
export function rowsWanted(engine: Engine, variable: string, defaults: Record<Engine, number>) {
  const env =
    engine === 'pglite'
      ? (process.env[`${variable}_PGLITE`] ?? process.env[variable])
      : process.env[variable];
  const n = env ? Number(env) : defaults[engine];
  if (!Number.isInteger(n) || n < 1 || n > 20_000_000)
    throw new Error(`rows: expected 1..20000000, got ${env}`);
  return n;
}

/** What every benchmark module gets from the runner. */
export interface BenchOptions {
  engines: Engine[];
  /** Measured iterations per case. */
  iterations: number;
  /** Unmeasured iterations run first, per case. */
  warmup: number;
  /** Progress lines (stderr), so that stdout holds only the results. */
  log: (message: string) => void;
}

/** One measured case on one engine. Times in milliseconds. */
export interface Measurement {
  engine: Engine;
  /** A table of its own within the bench, e.g. the state of the planner statistics. */
  section: string;
  /** The question asked, e.g. "communes under a province (2022)". */
  case: string;
  /** How it was answered: the service, the repository's query, or a baseline. */
  variant: string;
  iterations: number;
  /** Mean number of units returned per call: shows when a baseline answers something else. */
  rows: number;
  p50: number;
  p95: number;
  max: number;
}

/** A benchmark module: a file `bench/<name>.bench.ts` exporting `bench`. */
export interface Bench {
  name: string;
  title: string;
  run(opts: BenchOptions): Promise<Measurement[]>;
  /** Lines printed after the tables, e.g. ratios between variants. */
  summary?(results: Measurement[]): string;
}

export interface Stats {
  iterations: number;
  rows: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Times taken by one case, in milliseconds, and the rows it returned in all. */
class Samples {
  readonly times: number[] = [];
  rows = 0;
  stats(): Stats {
    const sorted = [...this.times].sort((a, b) => a - b);
    const n = sorted.length;
    return {
      iterations: n,
      rows: n > 0 ? this.rows / n : 0,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      max: sorted.at(-1) ?? Number.NaN,
    };
  }
}

/**
 * Times several ways of answering the same question, interleaved: iteration `i` calls each
 * `fns[k](i)` once, starting with a different one each time, so that a burst of load from
 * elsewhere on the machine falls on all of them alike. `warmup` unmeasured iterations come
 * first; `i` counts from 0 again for the measured ones, so they cover the rotation from its
 * start. Each function returns the number of rows it got back. Bounded: at most
 * (warmup + iterations) × fns.length calls.
 *
 * A slow function (a baseline taking seconds) can be called on every `every[k]`-th iteration
 * only, warm-up included: it is then measured ceil(iterations / every[k]) times, still
 * interleaved with the others over the same stretch of time. An odd step keeps it rotating
 * over both halves of a two-way rotation.
 */
export async function measureInterleaved(
  fns: ((i: number) => Promise<number>)[],
  opts: { iterations: number; warmup: number; every?: number[] },
): Promise<Stats[]> {
  const due = (k: number, i: number) => i % Math.max(1, opts.every?.[k] ?? 1) === 0;
  for (let i = 0; i < opts.warmup; i++)
    for (let k = 0; k < fns.length; k++) if (due(k, i)) await fns[k]!(i);
  const samples = fns.map(() => new Samples());
  for (let i = 0; i < opts.iterations; i++) {
    for (let j = 0; j < fns.length; j++) {
      const k = (i + j) % fns.length;
      if (!due(k, i)) continue;
      const start = performance.now();
      const rows = await fns[k]!(i);
      samples[k]!.times.push(performance.now() - start);
      samples[k]!.rows += rows;
    }
  }
  return samples.map((s) => s.stats());
}

function ms(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '–';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function rowsText(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/**
 * Results side by side per engine: one table per section, one line per case and variant,
 * p50 / p95 / max for each engine.
 */
export function resultTables(results: Measurement[], format: 'text' | 'md'): string {
  const sections = [...new Set(results.map((r) => r.section))];
  const out: string[] = [];
  for (const section of sections) {
    const inSection = results.filter((r) => r.section === section);
    // Only the engines measured in this section (a section may be one engine's alone).
    const engines = [...new Set(inSection.map((r) => r.engine))];
    // When lines were measured a different number of times, a column says how often.
    const counts = [...new Set(inSection.map((r) => r.iterations))];
    const varying = counts.length > 1;
    const keys: { case: string; variant: string }[] = [];
    for (const r of inSection) {
      if (!keys.some((k) => k.case === r.case && k.variant === r.variant)) {
        keys.push({ case: r.case, variant: r.variant });
      }
    }
    const header = [
      'case',
      'variant',
      'rows',
      ...(varying ? ['n'] : []),
      ...engines.flatMap((e) => [`${e} p50`, `${e} p95`, `${e} max`]),
    ];
    const lines = keys.map((k, idx) => {
      const of = engines.map((e) =>
        inSection.find((r) => r.engine === e && r.case === k.case && r.variant === k.variant),
      );
      const first = of.find((m) => m !== undefined);
      const sameCaseAbove = idx > 0 && keys[idx - 1]!.case === k.case;
      return [
        sameCaseAbove && format === 'text' ? '' : k.case,
        k.variant,
        first ? rowsText(first.rows) : '–',
        ...(varying ? [first ? String(first.iterations) : '–'] : []),
        ...of.flatMap((m) => [ms(m?.p50), ms(m?.p95), ms(m?.max)]),
      ];
    });
    const n = inSection[0]?.iterations ?? 0;
    const iterationsText = varying
      ? 'measured iterations per line in column n'
      : `${n} measured iterations per line`;
    out.push(`${section} (ms; ${iterationsText})`, '');
    out.push(format === 'md' ? markdownTable(header, lines) : textTable(header, lines), '');
  }
  return out.join('\n');
}

const NUMERIC_FROM = 2;

function textTable(header: string[], lines: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => (l[c] ?? '').length)));
  const fmt = (cells: string[]) =>
    cells
      .map((cell, c) => (c >= NUMERIC_FROM ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join('\n');
}

function markdownTable(header: string[], lines: string[][]): string {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const align = header.map((_, c) => (c >= NUMERIC_FROM ? '---:' : '---'));
  return [row(header), row(align), ...lines.map(row)].join('\n');
}

/**
 * A CSV body of `total` bytes for memory benches: distinct keys (the units × days from
 * 2024-01-01) of one element, a comment of about 1 kB on each row, so that the rows are few
 * (about 200,000 for 200 MB) and an import's own state small.
 */
export function csvBody(element: string, units: string[], total: number): AsyncIterable<Buffer> {
  return arriving(csvPieces(element, units, total));
}

function* csvPieces(element: string, units: string[], total: number): Generator<Buffer> {
  const comment = 'ghi chú kiểm tra bộ nhớ '.repeat(40);
  let sent = 0;
  let i = 0;
  let lines: string[] = ['dataelement,period,orgunit,value,comment'];
  while (sent < total) {
    for (let k = 0; k < 500; k++, i++) {
      const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(i / units.length) * 86_400_000);
      const period = day.toISOString().slice(0, 10);
      lines.push(`${element},${period},${units[i % units.length]},${i % 97},"${comment}"`);
    }
    const piece = Buffer.from(lines.join('\n') + '\n');
    lines = [];
    sent += piece.length;
    yield piece;
  }
}
