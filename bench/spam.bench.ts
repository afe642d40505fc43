/**
 * The 5656 spam line's intake (issue 20): 1,000 reports a second through the HTTP API for a
 * minute, with a gateway's token, and no loss.
 *
 *   npm run bench -- spam                                   both engines, 60 s
 *   OPSROOM_BENCH_SPAM_SECONDS=10 npm run bench -- spam --engines pglite
 *
 * The server runs in a child process (a fresh database with the real units, no demo data).
 * Lines, each in the same run on the same server:
 * - batches of 100 reports, 10 requests a second (open loop: a request is sent on its schedule
 *   whether or not the previous ones were answered), as a gateway would send them;
 * - batches of 1,000, one request a second;
 * - the baseline: one report per request, as many as 20 connections get answered (closed loop,
 *   autocannon), for a third of the time.
 * After each batch line: the stored rows must equal the reports sent (each with its own
 * externalId), and once the count job has run, the day's SPAM_5656_REPORTS at the nation (read
 * through /api/analytics) must equal the rows of the day.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../src/db/client.ts';
import { serveInChild, startChild, type Child } from './child-server.ts';
import { percentile, type Bench, type BenchOptions, type Measurement } from './lib.ts';

interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p97_5: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  method: string;
  headers: Record<string, string>;
  body: string;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

// ---------------------------------------------------------------------------------------------
// The server process

interface ServerInfo {
  url: string;
  gateway: string;
  reader: string;
}

async function runServer(engine: Engine) {
  const { openTestDb } = await import('../src/test/harness.ts');
  const { createApp } = await import('../src/api/app.ts');
  const t = await openTestDb(engine);
  const token = async (name: string, permissions: ('spam.report' | 'data.read')[]) =>
    (
      await t.services.auth.createToken('system', {
        name,
        scope: { version: '2025', code: 'VN' },
        permissions,
      })
    ).token;
  const gateway = await token('bench-gateway', ['spam.report']);
  const reader = await token('bench-reader', ['data.read']);
  const app = createApp(t.services);
  // The bench's window on the database, outside the API: rows stored, the count job run now.
  const fetch = async (req: Request) => {
    if (new URL(req.url).pathname === '/__bench') {
      await t.services.spam.countNow();
      return Response.json({ rows: await t.services.store.repos.spam.reportCount() });
    }
    return app.fetch(req);
  };
  await serveInChild(t.services, () => t.close(), { gateway, reader }, fetch);
}

// ---------------------------------------------------------------------------------------------
// The measuring process

interface Row {
  engine: Engine;
  line: string;
  seconds: number;
  requests: number;
  sent: number;
  accepted: number;
  failed: number;
  reportsPerSecond: number;
  p50: number;
  p95: number;
  max: number;
  stored?: number;
  counted?: number;
}
const rows: Row[] = [];
let seconds = 60;

const OPERATORS = ['viettel', 'vinaphone', 'mobifone', 'vietnamobile', 'gmobile', 'itelecom'];
const TEXTS = [
  'Chuc mung thue bao da trung thuong xe SH, soan tin theo huong dan de nhan giai',
  'Vay tien nhanh khong the chap, giai ngan trong 5 phut, lai suat 0%, lien he ngay',
  'Tai khoan ngan hang cua quy khach bi khoa, vui long truy cap duong link de xac minh',
  'Khuyen mai 50% goi cuoc data, dang ky ngay hom nay, chi ap dung cho 100 thue bao dau',
];

/** Reports of one request: numbers drawn from 20,000 spammers, a few of them busy. */
function batch(size: number, seq: { n: number }, run: string) {
  return Array.from({ length: size }, () => {
    const i = seq.n++;
    // A skewed draw: the low ranks are reported far more often.
    const rank = Math.floor(20_000 * Math.random() ** 3);
    const call = i % 5 === 0;
    return {
      number: `09${String(10_000_000 + rank).slice(-8)}`,
      kind: call ? 'call' : 'sms',
      content: call ? '' : TEXTS[i % TEXTS.length],
      operator: OPERATORS[i % OPERATORS.length],
      reportedAt: new Date(Date.now() - (i % 600) * 1000).toISOString(),
      externalId: `${run}-${i}`,
    };
  });
}

/** Open loop: `perSecond` requests of `size` reports a second for `secs`, each on its schedule. */
async function batchLine(
  url: string,
  token: string,
  size: number,
  perSecond: number,
  secs: number,
  run: string,
) {
  const seq = { n: 0 };
  const times: number[] = [];
  let accepted = 0;
  let failed = 0;
  const interval = 1000 / perSecond;
  const total = perSecond * secs;
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let k = 0; k < total; k++) {
    const due = start + k * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const body = JSON.stringify({ reports: batch(size, seq, run) });
    const sent = performance.now();
    pending.push(
      fetch(`${url}/api/spamReports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      })
        .then(async (res) => {
          const j = (await res.json()) as { accepted?: number };
          times.push(performance.now() - sent);
          if (res.status === 200) accepted += j.accepted ?? 0;
          else failed++;
        })
        .catch(() => {
          failed++;
        }),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  times.sort((a, b) => a - b);
  return {
    requests: total,
    sent: seq.n,
    accepted,
    failed,
    reportsPerSecond: accepted / elapsed,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    max: times.at(-1) ?? NaN,
  };
}

async function verify(url: string, reader: string) {
  const counts = (await (await fetch(`${url}/__bench`)).json()) as { rows: number };
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
  const r = await fetch(`${url}/api/analytics/query?dx=SPAM_5656_REPORTS&pe=${day}&ou=VN`, {
    headers: { authorization: `Bearer ${reader}` },
  });
  const j = (await r.json()) as { items: { value: number | null }[] };
  return { stored: counts.rows, counted: j.items[0]?.value ?? 0 };
}

async function run(opts: BenchOptions): Promise<Measurement[]> {
  seconds = Number(process.env.OPSROOM_BENCH_SPAM_SECONDS ?? 60);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600)
    throw new Error('OPSROOM_BENCH_SPAM_SECONDS: 1..600');
  for (const engine of opts.engines) {
    opts.log(`${engine}: starting the server (units, no demo data)`);
    const child: Child<ServerInfo> = await startChild(fileURLToPath(import.meta.url), {
      OPSROOM_SPAM_BENCH_SERVER: engine,
    });
    try {
      const { url, gateway, reader } = child.info;
      let before = 0;
      for (const [size, perSecond] of [
        [100, 10],
        [1000, 1],
      ] as const) {
        const line = `${size} a request × ${perSecond}/s`;
        opts.log(`${engine}: ${line}, ${seconds} s`);
        const r = await batchLine(url, gateway, size, perSecond, seconds, `${engine}-${size}`);
        const v = await verify(url, reader);
        rows.push({ engine, line, seconds, ...r, stored: v.stored - before, counted: v.counted });
        if (v.stored - before !== r.sent)
          opts.log(`${engine}: LOSS — sent ${r.sent}, stored ${v.stored - before}`);
        if (v.counted !== v.stored) opts.log(`${engine}: count ${v.counted} ≠ rows ${v.stored}`);
        before = v.stored;
      }
      const base = Math.max(5, Math.round(seconds / 3));
      opts.log(`${engine}: baseline, one report a request, 20 connections, ${base} s`);
      const one = batch(1, { n: 0 }, 'x')[0]!;
      const { externalId: _, ...single } = one;
      const a = await autocannon({
        url: `${url}/api/spamReports`,
        connections: 20,
        duration: base,
        method: 'POST',
        headers: { authorization: `Bearer ${gateway}`, 'content-type': 'application/json' },
        body: JSON.stringify(single),
      });
      const ok = a.statusCodeStats['200']?.count ?? 0;
      rows.push({
        engine,
        line: 'baseline: 1 a request, 20 connections (closed loop)',
        seconds: base,
        requests: a.requests.total,
        sent: a.requests.total,
        accepted: ok,
        failed: a.non2xx + a.errors,
        reportsPerSecond: ok / base,
        p50: a.latency.p50,
        p95: a.latency.p97_5,
        max: a.latency.max,
      });
    } finally {
      await child.stop();
    }
  }
  return [];
}

function summary(): string {
  const md = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  const f = (n: number) => (Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n.toFixed(1)) : '–');
  const header = [
    'engine',
    'line',
    's',
    'requests',
    'reports sent',
    'accepted',
    'failed requests',
    'reports/s',
    'p50 ms',
    'p95 ms',
    'max ms',
    'rows stored',
    'day count (analytics)',
  ];
  return [
    'Open loop for the batch lines (each request sent on its schedule); the baseline is closed',
    'loop (autocannon; its p95 column is p97.5). "day count" is SPAM_5656_REPORTS at VN for the',
    'day after the count job ran: every report of the day, all lines so far.',
    '',
    md(header),
    md(header.map((_, i) => (i >= 2 ? '---:' : '---'))),
    ...rows.map((r) =>
      md([
        r.engine,
        r.line,
        r.seconds,
        r.requests,
        r.sent,
        r.accepted,
        r.failed,
        f(r.reportsPerSecond),
        f(r.p50),
        f(r.p95),
        f(r.max),
        r.stored ?? '–',
        r.counted ?? '–',
      ]),
    ),
  ].join('\n');
}

export const bench: Bench = {
  name: 'spam',
  title: 'Spam reports (5656): 1,000 reports a second through the API for a minute, no loss',
  run,
  summary,
};

if (process.env.OPSROOM_SPAM_BENCH_SERVER) {
  await runServer(process.env.OPSROOM_SPAM_BENCH_SERVER as Engine);
}
