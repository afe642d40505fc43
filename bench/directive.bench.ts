/**
 * Directives: a directive to every commune of the 2022 tree (10,599 tasks) stored and pushed,
 * and a directive's event delivered to N open live connections of one instance.
 *
 *   npm run bench -- directive                                 both engines
 *   OPSROOM_BENCH_DIRECTIVE_CONNECTIONS=10000 npm run bench -- directive --engines postgres
 *
 * The server runs in a child process (this file, started with OPSROOM_DIRECTIVE_BENCH_SERVER
 * set) on a fresh test database, as `opsroom serve` does: createApp + @hono/node-server; the
 * connections are opened by this process, so each side holds its own sockets within its own
 * open-file limit (20,000 here: 10,000 connections need 10,000 descriptors on each side).
 *
 * 1. Fan-out: one connection subscribed to `directive`; per iteration a POST /api/directives
 *    to `{kind:'level', unit:'VN', level:3}` of the 2022 tree. Two times: until the POST
 *    answered (stored: one transaction, one INSERT … SELECT), and until the connection parsed
 *    the `directive` event (stored and pushed). Goal ≤ 1 s.
 * 2. Connections (server engine by default): N connections (default 10,000) subscribed to
 *    `directive`; per iteration a directive to one commune; the time from the POST to each
 *    connection's event. Goal p99 ≤ 2 s.
 *
 * Bounded: at most 20 fan-outs, 20,000 connections, 50 measured rounds and 120 s of measuring
 * per case; a round whose events have not all arrived after 30 s counts the missing ones.
 */
import { fileURLToPath } from 'node:url';
import type { Engine } from '../src/db/client.ts';
import { SseClient } from '../src/live/sse-client.ts';
import { arrivals, openConnections, serveInChild, startChild, type Child } from './child-server.ts';
import { percentile, type Bench, type BenchOptions, type Measurement } from './lib.ts';

const WAIT_MS = 30_000;
const CASE_BUDGET_MS = 120_000;
const COMMUNES_2022 = 10_599;

interface ServerInfo {
  url: string;
  token: string;
}

// ---------------------------------------------------------------------------------------------
// The server process

async function runServer(cfg: { engine: Engine }) {
  const { openTestDb } = await import('../src/test/harness.ts');
  const t = await openTestDb(cfg.engine);
  const services = t.services;
  const { token } = await services.auth.createToken('system', {
    name: `bench-${process.pid}`,
    scope: { version: '2022', code: 'VN' },
    permissions: ['data.read', 'task.read', 'directive.issue'],
  });
  await serveInChild(services, () => t.close(), { token });
}

// ---------------------------------------------------------------------------------------------
// The measuring process

function startServer(engine: Engine): Promise<Child<ServerInfo>> {
  return startChild(fileURLToPath(import.meta.url), {
    OPSROOM_DIRECTIVE_BENCH_SERVER: JSON.stringify({ engine }),
  });
}

let round = 0;

/** POSTs one directive and waits for its event on every connection; times from before the POST. */
async function oneRound(info: ServerInfo, clients: SseClient[], target: unknown) {
  const title = `Bench ${process.pid}-${++round}`;
  const marker = JSON.stringify(title);
  const events = arrivals(clients, 'directive', marker);
  const t0 = events.start();
  const res = await fetch(`${info.url}/api/directives`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${info.token}` },
    body: JSON.stringify({
      title,
      body: 'Đo thời gian phát chỉ đạo',
      priority: 'normal',
      dueDate: '2099-12-31',
      target,
    }),
  });
  const text = await res.text();
  const stored = performance.now() - t0;
  if (res.status !== 201) throw new Error(`directive: HTTP ${res.status} ${text}`);
  const taskCount = (JSON.parse(text) as { taskCount: number }).taskCount;
  const times = await events.done(WAIT_MS);
  return { stored, times, taskCount };
}

const summaryLines: string[] = [];

function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1)! };
}

async function run(opts: BenchOptions): Promise<Measurement[]> {
  const results: Measurement[] = [];
  const connections = Number(process.env.OPSROOM_BENCH_DIRECTIVE_CONNECTIONS ?? 10_000);
  if (!Number.isInteger(connections) || connections < 1 || connections > 20_000)
    throw new Error('OPSROOM_BENCH_DIRECTIVE_CONNECTIONS: 1..20000');
  const connEngines = (process.env.OPSROOM_BENCH_DIRECTIVE_CONNECTION_ENGINES ?? 'postgres').split(
    ',',
  );
  for (const engine of opts.engines) {
    opts.log(`${engine}: starting a server on a fresh database`);
    const child = await startServer(engine);
    try {
      // 1. Fan-out to every commune of 2022.
      const [sub] = await openConnections(child.info.url, child.info.token, 'directive', 1);
      const stored: number[] = [];
      const pushed: number[] = [];
      const iterations = Math.min(opts.iterations, 20);
      const warmup = Math.min(opts.warmup, 2);
      const started = performance.now();
      for (let i = 0; i < warmup + iterations; i++) {
        if (i >= warmup && performance.now() - started > CASE_BUDGET_MS) break;
        const r = await oneRound(child.info, [sub!], {
          kind: 'level',
          version: '2022',
          unit: 'VN',
          level: 3,
        });
        if (r.taskCount !== COMMUNES_2022)
          throw new Error(`expected ${COMMUNES_2022} tasks, got ${r.taskCount}`);
        if (i < warmup) continue;
        stored.push(r.stored);
        if (r.times.length) pushed.push(r.times[0]!);
        opts.log(
          `  fan-out ${i - warmup + 1}: stored ${r.stored.toFixed(0)} ms, pushed ${r.times[0]?.toFixed(0) ?? 'missing'} ms`,
        );
      }
      sub!.close();
      for (const [variant, values] of [
        ['POST answered (stored)', stored],
        ['event read by a subscriber (stored and pushed)', pushed],
      ] as const) {
        const s = stats(values);
        results.push({
          engine,
          section: 'Fan-out',
          case: `directive to all ${COMMUNES_2022.toLocaleString('en')} communes (2022)`,
          variant,
          iterations: values.length,
          rows: COMMUNES_2022,
          p50: s.p50,
          p95: s.p95,
          max: s.max,
        });
      }
      summaryLines.push(
        `${engine}: fan-out stored p50 ${stats(stored).p50.toFixed(0)} ms, pushed p50 ${stats(pushed).p50.toFixed(0)} ms / max ${stats(pushed).max.toFixed(0)} ms (goal ≤ 1,000 ms)` +
          (pushed.length < stored.length
            ? `; ${stored.length - pushed.length} events missing`
            : ''),
      );

      // 2. N connections on one instance.
      if (connEngines.includes(engine)) {
        opts.log(`${engine}: opening ${connections} connections`);
        const clients = await openConnections(
          child.info.url,
          child.info.token,
          'directive',
          connections,
        );
        opts.log(`  ${connections} connections open`);
        const latencies: number[] = [];
        let expected = 0;
        let measured = 0;
        const rounds = Math.min(opts.iterations, 50);
        const w = Math.min(opts.warmup, 2);
        const t0 = performance.now();
        try {
          for (let i = 0; i < w + rounds; i++) {
            if (i >= w && performance.now() - t0 > CASE_BUDGET_MS) break;
            const r = await oneRound(child.info, clients, {
              kind: 'units',
              version: '2022',
              units: ['26740'],
            });
            if (i < w) continue;
            measured++;
            latencies.push(...r.times);
            expected += clients.length;
          }
        } finally {
          for (const c of clients) c.close();
        }
        const s = stats(latencies);
        results.push({
          engine,
          section: 'Connections',
          case: `${connections.toLocaleString('en')} live connections, one instance`,
          variant: 'POST → event read on each connection',
          iterations: measured,
          rows: connections,
          p50: s.p50,
          p95: s.p95,
          max: s.max,
        });
        summaryLines.push(
          `${engine}: ${connections.toLocaleString('en')} connections, ${measured} directives: delivery p50 ${s.p50.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms, max ${s.max.toFixed(0)} ms (goal p99 ≤ 2,000 ms); ${latencies.length.toLocaleString('en')} of ${expected.toLocaleString('en')} events delivered`,
        );
      }
    } finally {
      await child.stop();
    }
  }
  return results;
}

export const bench: Bench = {
  name: 'directive',
  title: 'Directives: fan-out to every commune, and delivery to many live connections',
  run,
  summary: () => summaryLines.join('\n'),
};

if (process.env.OPSROOM_DIRECTIVE_BENCH_SERVER)
  await runServer(JSON.parse(process.env.OPSROOM_DIRECTIVE_BENCH_SERVER) as { engine: Engine });
