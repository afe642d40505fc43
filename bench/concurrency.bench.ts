/**
 * A busy morning: N users at once asking the operations room's analytics, for 20 s each, on each
 * engine (autocannon, closed loop: each connection sends its next request when the previous one
 * is answered; a request unanswered after 10 s — autocannon's default — counts as a timeout).
 *
 *   npm run bench -- concurrency                       both engines, 50 and 200 users, 20 s
 *   OPSROOM_BENCH_CONCURRENCY_SECONDS=5 OPSROOM_BENCH_CONCURRENCY_USERS=50 npm run bench -- concurrency
 *
 * The server runs in a child process (fresh database with the real units and the demo data:
 * 14 days of five daily elements for 3,321 communes); users are signed in with a session
 * cookie, as the web app is. Two questions, as the overview asks them: the national roll-up
 * (five elements, the last 30 days, with changes) and the same by province (34 units).
 * Variants, in the same run on the same server: as shipped (bounded queue, identical questions
 * answered once), with coalescing switched off (each question computed on its own; the
 * baseline), and `/api/health` (one `select 1`: the floor of the HTTP stack and the queue).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../src/db/client.ts';
import { serveInChild, startChild, type Child } from './child-server.ts';
import type { Bench, BenchOptions, Measurement } from './lib.ts';

interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
  timeout?: number;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const ELEMENTS = 'HEALTH_DECLARATIONS,TESTS_DONE,POSITIVE_CASES,CASES_TRACED,SPAM_REPORTS';
const QUESTIONS = {
  'national roll-up': `/api/analytics/query?dx=${ELEMENTS}&pe=LAST_30_DAYS&ou=VN`,
  'by province': `/api/analytics/query?dx=${ELEMENTS}&pe=LAST_30_DAYS&ou=LEVEL-2`,
  'health (floor)': '/api/health',
} as const;

// ---------------------------------------------------------------------------------------------
// The server process

interface ServerInfo {
  url: string;
  password: string;
}

async function runServer(engine: Engine) {
  const { openTestDb, ADMIN_PASSWORD } = await import('../src/test/harness.ts');
  const { loadDemoData } = await import('../src/jobs/demo-data.ts');
  const { createApp } = await import('../src/api/app.ts');
  const t = await openTestDb(engine);
  await loadDemoData(t.services);
  const app = createApp(t.services);
  const analytics = t.services.analytics;
  /** Requests being served: a line starts when the last one's leftovers are gone. */
  let inFlight = 0;
  // The bench's switch: coalescing on or off, and the counts, outside the API.
  const fetch = (req: Request) => {
    const u = new URL(req.url);
    if (u.pathname === '/__bench') {
      const on = u.searchParams.get('coalesce');
      if (on !== null) analytics.coalesce = on === '1';
      const counts = { ...analytics.counts };
      analytics.counts.computed = analytics.counts.joined = 0;
      return Response.json({ ...counts, inFlight });
    }
    inFlight++;
    return Promise.resolve(app.fetch(req)).finally(() => inFlight--);
  };
  await serveInChild(t.services, () => t.close(), { password: ADMIN_PASSWORD }, fetch);
}

// ---------------------------------------------------------------------------------------------
// The measuring process

interface Row {
  engine: Engine;
  question: string;
  variant: string;
  users: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  answered: number;
  errors: number;
  timeouts: number;
  busy: number;
  otherNon2xx: number;
  computed?: number;
  joined?: number;
}
const rows: Row[] = [];
let seconds = 20;

function settings() {
  seconds = Number(process.env.OPSROOM_BENCH_CONCURRENCY_SECONDS ?? 20);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 120)
    throw new Error('OPSROOM_BENCH_CONCURRENCY_SECONDS: 1..120');
  const users = (process.env.OPSROOM_BENCH_CONCURRENCY_USERS ?? '50,200')
    .split(',')
    .map((s) => Number(s.trim()));
  for (const n of users)
    if (!Number.isInteger(n) || n < 1 || n > 1000)
      throw new Error('OPSROOM_BENCH_CONCURRENCY_USERS: 1..1000 each');
  return { users };
}

async function signIn(url: string, password: string): Promise<string> {
  const r = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (r.status !== 200) throw new Error(`sign-in: ${r.status} ${await r.text()}`);
  const cookie = r.headers.getSetCookie().find((c) => c.startsWith('opsroom_session='));
  return cookie!.split(';')[0]!;
}

async function control(url: string, coalesce?: boolean) {
  const q = coalesce === undefined ? '' : `?coalesce=${coalesce ? 1 : 0}`;
  return (await (await fetch(`${url}/__bench${q}`)).json()) as {
    computed: number;
    joined: number;
    inFlight: number;
  };
}

/**
 * Waits until the server serves nothing: requests the load tool gave up on at the end of a
 * line (its timeouts) would otherwise be served during the next line and count against it.
 */
async function settled(url: string): Promise<number> {
  const start = performance.now();
  while ((await control(url)).inFlight > 0 && performance.now() - start < 120_000)
    await new Promise((r) => setTimeout(r, 200));
  return performance.now() - start;
}

async function run(opts: BenchOptions): Promise<Measurement[]> {
  const { users } = settings();
  for (const engine of opts.engines) {
    opts.log(`${engine}: starting the server (units and demo data)`);
    const child: Child<ServerInfo> = await startChild(fileURLToPath(import.meta.url), {
      OPSROOM_CONCURRENCY_BENCH_SERVER: engine,
    });
    try {
      const { url, password } = child.info;
      const cookie = await signIn(url, password);
      for (const n of users) {
        for (const [question, path] of Object.entries(QUESTIONS)) {
          const variants: [string, boolean | undefined][] =
            path === QUESTIONS['health (floor)']
              ? [['—', undefined]]
              : [
                  ['queue + coalescing', true],
                  ['coalescing off (baseline)', false],
                ];
          for (const [variant, coalesce] of variants) {
            const waited = await settled(url);
            if (waited > 500) opts.log(`${engine}: waited ${Math.round(waited)} ms for leftovers`);
            await control(url, coalesce ?? true);
            opts.log(`${engine}: ${n} users, ${question}, ${variant}, ${seconds} s`);
            const r = await autocannon({
              url: url + path,
              connections: n,
              duration: seconds,
              headers: { cookie },
            });
            const counts = await control(url);
            const codes = r.statusCodeStats;
            const ok = Object.entries(codes)
              .filter(([c]) => c.startsWith('2'))
              .reduce((s, [, v]) => s + v.count, 0);
            const busy = codes['503']?.count ?? 0;
            rows.push({
              engine,
              question,
              variant,
              users: n,
              rps: r.requests.average,
              p50: r.latency.p50,
              p99: r.latency.p99,
              max: r.latency.max,
              answered: ok,
              errors: r.errors,
              timeouts: r.timeouts,
              busy,
              otherNon2xx: r.non2xx - busy,
              ...(coalesce === undefined
                ? {}
                : { computed: counts.computed, joined: counts.joined }),
            });
          }
        }
      }
      await control(url, true);
    } finally {
      await child.stop();
    }
  }
  return [];
}

function summary(): string {
  const header = [
    'engine',
    'users',
    'question',
    'variant',
    'req/s',
    'p50 ms',
    'p99 ms',
    'max ms',
    'answered',
    'errors',
    'timeouts',
    '503 busy',
    'other non-2xx',
    'computed / joined',
  ];
  const line = (r: Row) => [
    r.engine,
    String(r.users),
    r.question,
    r.variant,
    r.rps.toFixed(1),
    String(r.p50),
    String(r.p99),
    String(r.max),
    String(r.answered),
    String(r.errors),
    String(r.timeouts),
    String(r.busy),
    String(r.otherNon2xx),
    r.computed === undefined ? '–' : `${r.computed} / ${r.joined}`,
  ];
  const md = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    `${seconds} s per line; autocannon closed loop, 10 s client timeout; errors include timeouts.`,
    '',
    md(header),
    md(header.map((_, i) => (i >= 4 ? '---:' : '---'))),
    ...rows.map((r) => md(line(r))),
  ].join('\n');
}

export const bench: Bench = {
  name: 'concurrency',
  title: 'Concurrent analytics users: throughput, p50/p99, errors and timeouts',
  run,
  summary,
};

if (process.env.OPSROOM_CONCURRENCY_BENCH_SERVER) {
  await runServer(process.env.OPSROOM_CONCURRENCY_BENCH_SERVER as Engine);
}
