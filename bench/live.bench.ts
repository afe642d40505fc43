/**
 * Live latency: from a value posted to the HTTP API to the `data` event read by each of N open
 * server-sent-event connections, on a real server on loopback.
 *
 *   npm run bench -- live                                    100 and 1,000 connections, both engines
 *   OPSROOM_BENCH_LIVE_CONNECTIONS=100,1000,10000 npm run bench -- live --engines postgres
 *   OPSROOM_BENCH_LIVE_ITERATIONS=50 npm run bench -- live
 *
 * The server runs in a child process (this file, started with OPSROOM_LIVE_BENCH_SERVER set),
 * on a fresh test database, as `opsroom serve` does: createApp + @hono/node-server. This process
 * opens the connections (one socket each, `src/live/sse-client.ts`) with a machine token, waits
 * for every `hello`, then, once per iteration, POSTs one value to /api/data/import and takes the
 * time from just before the POST to the moment each connection has parsed the matching event.
 * Each iteration writes a new day, so every event is told apart by its period.
 *
 * Cross-instance (server engine only): a second server process on the same database; the
 * connections are opened on instance B and the value is posted to instance A, so every event
 * goes through PostgreSQL (LISTEN/NOTIFY and a read of the new rows) before it reaches them.
 *
 * Bounded: at most 20,000 connections, 200 measured iterations, and 120 s of measuring per
 * case (an iteration whose events have not all arrived after 30 s counts the missing ones).
 * The server's resident memory before and after opening the connections gives the memory per
 * connection.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../src/db/client.ts';
import type { Services } from '../src/services/index.ts';
import { arrivals, openConnections, serveInChild, startChild, type Child } from './child-server.ts';
import { percentile, type Bench, type BenchOptions, type Measurement } from './lib.ts';

const ELEMENT = {
  code: 'BENCH_LIVE',
  nameVi: 'Giá trị đo độ trễ trực tiếp',
  nameEn: 'Live latency probe',
  sector: 'other',
  valueType: 'integer',
  aggTime: 'sum',
} as const;
const UNIT = '26740'; // Phường Sài Gòn (2025 tree)
const FIRST_DAY = Date.UTC(2026, 0, 1);
const WAIT_MS = 30_000;
const CASE_BUDGET_MS = 120_000;

// ---------------------------------------------------------------------------------------------
// The server process

interface ServerInfo {
  url: string;
  token: string;
  databaseUrl?: string;
}

async function runServer(cfg: { engine: Engine; databaseUrl?: string }) {
  const { openTestDb } = await import('../src/test/harness.ts');
  const { openDatabase } = await import('../src/db/client.ts');
  const { createServices } = await import('../src/services/index.ts');
  let close: () => Promise<void>;
  let services: Services;
  let databaseUrl: string | undefined;
  if (cfg.databaseUrl) {
    // Instance B: the same database as instance A.
    const database = await openDatabase({ databaseUrl: cfg.databaseUrl });
    services = createServices(database);
    close = () => database.close();
  } else {
    const t = await openTestDb(cfg.engine);
    services = t.services;
    databaseUrl = t.url;
    close = () => t.close();
    await services.metadata.apply('system', { dataElements: [ELEMENT] });
  }
  const version = await services.hierarchy.resolveVersion('2025');
  const { token } = await services.auth.createToken('system', {
    name: `bench-${process.pid}`,
    scope: { version, code: 'VN' },
    permissions: ['data.read', 'data.write'],
  });
  await serveInChild(services, close, { token, databaseUrl });
}

// ---------------------------------------------------------------------------------------------
// The measuring process

function startServer(engine: Engine, databaseUrl?: string): Promise<Child<ServerInfo>> {
  return startChild(fileURLToPath(import.meta.url), {
    OPSROOM_LIVE_BENCH_SERVER: JSON.stringify({ engine, databaseUrl }),
  });
}

/** Resident memory of a process in bytes (Linux). */
function rss(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

interface CaseResult {
  latencies: number[];
  /** POST → the import's answer, per iteration: the part of the latency that is the import. */
  answers: number[];
  iterations: number;
  delivered: number;
  expected: number;
  bytesPerConnection: number;
}

/** Posts one value per iteration and times its arrival on every connection. */
async function measure(
  post: ServerInfo,
  listen: ServerInfo,
  serverPid: number | undefined,
  connections: number,
  iterations: number,
  warmup: number,
  dayOffset: { next: number },
  log: (m: string) => void,
): Promise<CaseResult> {
  const before = rss(serverPid);
  const clients = await openConnections(listen.url, listen.token, 'data', connections);
  const bytesPerConnection = (rss(serverPid) - before) / connections;
  log(`  ${connections} connections open`);
  const latencies: number[] = [];
  const answers: number[] = [];
  let delivered = 0;
  let expected = 0;
  let measured = 0;
  const started = performance.now();
  try {
    for (let i = 0; i < warmup + iterations; i++) {
      if (i >= warmup && performance.now() - started > CASE_BUDGET_MS) break;
      const day = new Date(FIRST_DAY + dayOffset.next++ * 86_400_000).toISOString().slice(0, 10);
      const marker = `"${day}"`;
      const events = arrivals(clients, 'data', marker);
      const t0 = events.start();
      const res = await fetch(`${post.url}/api/data/import`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${post.token}` },
        body: JSON.stringify({
          dataValues: [{ dataElement: ELEMENT.code, period: day, orgUnit: UNIT, value: '1' }],
        }),
      });
      if (res.status !== 200) throw new Error(`import: HTTP ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      const answered = performance.now() - t0;
      const times = await events.done(WAIT_MS);
      if (i < warmup) continue;
      measured++;
      answers.push(answered);
      latencies.push(...times);
      delivered += times.length;
      expected += clients.length;
    }
  } finally {
    for (const c of clients) c.close();
  }
  return { latencies, answers, iterations: measured, delivered, expected, bytesPerConnection };
}

function connectionCounts(): number[] {
  const env = process.env.OPSROOM_BENCH_LIVE_CONNECTIONS ?? '100,1000';
  const counts = env.split(',').map((s) => Number(s.trim()));
  for (const n of counts)
    if (!Number.isInteger(n) || n < 1 || n > 20_000)
      throw new Error(`OPSROOM_BENCH_LIVE_CONNECTIONS: 1..20000 each, got ${env}`);
  return counts;
}

const extra = new Map<string, string>();

async function run(opts: BenchOptions): Promise<Measurement[]> {
  const counts = connectionCounts();
  const iterations = Math.min(
    Number(process.env.OPSROOM_BENCH_LIVE_ITERATIONS ?? Math.min(opts.iterations, 30)),
    200,
  );
  const warmup = Math.min(opts.warmup, 3);
  const results: Measurement[] = [];
  const dayOffset = { next: 0 };
  const record = (engine: Engine, section: string, n: number, r: CaseResult) => {
    const sorted = [...r.latencies].sort((a, b) => a - b);
    const caseName = `${n.toLocaleString('en')} connections`;
    results.push({
      engine,
      section,
      case: caseName,
      variant: 'POST → event read',
      iterations: r.iterations,
      rows: r.iterations ? r.delivered / r.iterations : 0,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      max: sorted.at(-1) ?? Number.NaN,
    });
    const answers = [...r.answers].sort((a, b) => a - b);
    results.push({
      engine,
      section,
      case: caseName,
      variant: 'POST → import answered',
      iterations: r.iterations,
      rows: 1,
      p50: percentile(answers, 50),
      p95: percentile(answers, 95),
      max: answers.at(-1) ?? Number.NaN,
    });
    extra.set(
      `${engine} | ${section} | ${caseName}`,
      `p99 ${percentile(sorted, 99).toFixed(1)} ms; delivered ${r.delivered.toLocaleString('en')}/${r.expected.toLocaleString('en')}; ` +
        `server memory ≈ ${(r.bytesPerConnection / 1024).toFixed(1)} KiB per connection`,
    );
  };

  for (const engine of opts.engines) {
    opts.log(`${engine}: starting the server`);
    const a = await startServer(engine);
    try {
      for (const n of counts) {
        opts.log(`${engine}: one instance, ${n} connections`);
        const r = await measure(
          a.info,
          a.info,
          a.proc.pid,
          n,
          iterations,
          warmup,
          dayOffset,
          opts.log,
        );
        record(engine, 'One instance', n, r);
      }
      if (engine === 'postgres') {
        opts.log(`${engine}: second instance on the same database`);
        const b = await startServer(engine, a.info.databaseUrl);
        try {
          for (const n of counts) {
            opts.log(`${engine}: across instances, ${n} connections`);
            const r = await measure(
              a.info,
              b.info,
              b.proc.pid,
              n,
              iterations,
              warmup,
              dayOffset,
              opts.log,
            );
            record(engine, 'Across two instances (posted to A, read on B)', n, r);
          }
        } finally {
          await b.stop();
        }
      }
    } finally {
      await a.stop();
    }
  }
  return results;
}

export const bench: Bench = {
  name: 'live',
  title: 'Live latency: a value posted to the API, read as an event on N open connections',
  run,
  summary: () => [...extra].map(([k, v]) => `- ${k}: ${v}`).join('\n'),
};

if (process.env.OPSROOM_LIVE_BENCH_SERVER) {
  await runServer(JSON.parse(process.env.OPSROOM_LIVE_BENCH_SERVER));
}
