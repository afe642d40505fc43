/**
 * Memory under large request bodies: the server's resident memory (RSS, read from /proc every
 * 20 ms) while a client sends 200 MB bodies — a sign-in (alone and four at once, chunked, and
 * with a Content-Length of 200 MB), an attachment, and a CSV import sent chunked (a dry run:
 * every row is read and checked, nothing is written, so the database does not grow; also 50 MB,
 * to show what grows with the body and what is the import's own). The same
 * run measures the server idle and, as a baseline, the old buffered paths (the body read whole
 * before anything else, as the routes did before the body limits), mounted by this bench only.
 *
 * The server runs in a child process (this file, started with OPSROOM_BODY_BENCH_SERVER set),
 * so that the client's memory is not counted. Goal: no growth on the limited and streamed paths.
 *
 *   npm run bench -- body --engines pglite,postgres
 *   OPSROOM_BODY_BENCH_CASES='CSV import' npm run bench -- body   only the cases so named
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../src/db/client.ts';
import { filler, sendBody, type SentBody } from '../src/test/body-sender.ts';
import { serveInChild, startChild, type Child } from './child-server.ts';
import { csvBody, type Bench, type BenchOptions, type Measurement } from './lib.ts';

const MB = 1024 * 1024;
const TOTAL = 200 * MB;
const ELEMENT = {
  code: 'BENCH_BODY',
  nameVi: 'Giá trị đo bộ nhớ khi nhận nội dung lớn',
  nameEn: 'Body memory probe',
  sector: 'other',
  valueType: 'integer',
  aggTime: 'sum',
} as const;
const SAMPLE_MS = 20;
const TIMEOUT_MS = 600_000;

interface ServerInfo {
  url: string;
  token: string;
  /** Commune codes of the 2025 tree, for the CSV rows. */
  units: string[];
}

// ---------------------------------------------------------------------------------------------
// The server process

async function runServer(engine: Engine) {
  const { openTestDb } = await import('../src/test/harness.ts');
  const { createApp } = await import('../src/api/app.ts');
  const { AppError } = await import('../src/domain/errors.ts');
  const { sql } = await import('kysely');
  const t = await openTestDb(engine);
  const services = t.services;
  await services.metadata.apply('system', { dataElements: [ELEMENT] });
  const version = await services.hierarchy.resolveVersion('2025');
  const { token } = await services.auth.createToken('system', {
    name: `bench-body-${process.pid}`,
    scope: { version, code: 'VN' },
    permissions: ['data.read', 'data.write', 'task.read'],
  });
  const units = (
    await sql<{ code: string }>`select code from org_unit
      where version = ${version} and level = 2 order by code`.execute(t.database.db)
  ).rows.map((r) => r.code);
  const app = createApp(services);
  // The old paths, as the routes were before the body limits: the body read whole first.
  app.post('/bench/old/login', async (c) => {
    await c.req.json().catch(() => undefined);
    return c.json({ error: 'read' }, 400);
  });
  app.post('/bench/old/attachment', async (c) => {
    await c.req.parseBody().catch(() => undefined);
    return c.json({ error: 'read' }, 400);
  });
  app.post('/bench/old/import', async (c) => {
    const actor = await services.auth.token(token);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const summary = await services.dataValues.importCsvBytes(actor, bytes, {
      dryRun: true,
      atomic: false,
      version: '2025',
    });
    return c.json({ response: { importCount: summary.importCount } }, 200);
  });
  app.onError((e, c) =>
    c.json(
      { error: e instanceof AppError ? e.code : String(e) },
      e instanceof AppError ? 400 : 500,
    ),
  );
  await serveInChild(services, () => t.close(), { token, units }, app.fetch);
}

// ---------------------------------------------------------------------------------------------
// The measuring process

/** Resident memory of a process in bytes (Linux). */
function rss(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** The highest RSS of `pid` while `work` runs, and what `work` gave. */
async function peakDuring<T>(
  pid: number | undefined,
  work: () => Promise<T>,
): Promise<{ before: number; peak: number; value: T }> {
  const before = rss(pid);
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, rss(pid));
  }, SAMPLE_MS);
  try {
    const value = await work();
    peak = Math.max(peak, rss(pid));
    return { before, peak, value };
  } finally {
    clearInterval(timer);
  }
}

function multipartBody(total: number): Generator<Buffer> {
  const boundary = 'opsroom-bench-boundary';
  function* gen() {
    yield Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="lon.pdf"\r\n` +
        'content-type: application/pdf\r\n\r\n%PDF-1.4\n',
    );
    yield* filler('', total);
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  return gen();
}
const MULTIPART = 'multipart/form-data; boundary=opsroom-bench-boundary';
const LOGIN_START = '{"username":"admin","password":"';

interface Row {
  engine: Engine;
  case: string;
  variant: string;
  statuses: string;
  sentMb: number;
  ms: number;
  before: number;
  peak: number;
  idle: number;
}
const rows: Row[] = [];

type Case = [string, string, (info: ServerInfo) => Promise<SentBody[]>];

const bearer = (info: ServerInfo) => ({ authorization: `Bearer ${info.token}` });
const login = (info: ServerInfo, path = '/api/auth/login', declared?: number) =>
  sendBody(
    info.url,
    path,
    { 'content-type': 'application/json', ...(declared ? { 'content-length': declared } : {}) },
    filler(LOGIN_START, TOTAL),
    TIMEOUT_MS,
  );

const CASES: Case[] = [
  ['sign-in, 200 MB chunked', 'limited (64 kB)', async (i) => [await login(i)]],
  [
    'sign-in, 4 × 200 MB chunked at once',
    'limited (64 kB)',
    (i) => Promise.all([0, 1, 2, 3].map(() => login(i))),
  ],
  [
    'sign-in, Content-Length 200 MB',
    'limited (64 kB)',
    async (i) => [await login(i, '/api/auth/login', TOTAL)],
  ],
  [
    'attachment, 200 MB chunked',
    'limited (10 MB)',
    async (i) => [
      await sendBody(
        i.url,
        '/api/attachments',
        { 'content-type': MULTIPART, ...bearer(i) },
        multipartBody(TOTAL),
        TIMEOUT_MS,
      ),
    ],
  ],
  [
    'CSV import (dry run), 200 MB chunked',
    'streamed',
    async (i) => [
      await sendBody(
        i.url,
        '/api/dataValueSets?dryRun=true&version=2025',
        { 'content-type': 'text/csv', ...bearer(i) },
        csvBody(ELEMENT.code, i.units, TOTAL),
        TIMEOUT_MS,
      ),
    ],
  ],
  [
    // The import's own working set (unit and metadata caches, code run once): the baseline
    // the larger bodies are compared with.
    'CSV import (dry run), 1 MB chunked',
    'streamed',
    async (i) => [
      await sendBody(
        i.url,
        '/api/dataValueSets?dryRun=true&version=2025',
        { 'content-type': 'text/csv', ...bearer(i) },
        csvBody(ELEMENT.code, i.units, TOTAL / 200),
        TIMEOUT_MS,
      ),
    ],
  ],
  [
    'CSV import (dry run), 50 MB chunked',
    'streamed',
    async (i) => [
      await sendBody(
        i.url,
        '/api/dataValueSets?dryRun=true&version=2025',
        { 'content-type': 'text/csv', ...bearer(i) },
        csvBody(ELEMENT.code, i.units, TOTAL / 4),
        TIMEOUT_MS,
      ),
    ],
  ],
  ['sign-in, 200 MB chunked', 'old: read whole', async (i) => [await login(i, '/bench/old/login')]],
  [
    'sign-in, 4 × 200 MB chunked at once',
    'old: read whole',
    (i) => Promise.all([0, 1, 2, 3].map(() => login(i, '/bench/old/login'))),
  ],
  [
    'attachment, 200 MB chunked',
    'old: read whole',
    async (i) => [
      await sendBody(
        i.url,
        '/bench/old/attachment',
        { 'content-type': MULTIPART },
        multipartBody(TOTAL),
        TIMEOUT_MS,
      ),
    ],
  ],
  [
    'CSV import (dry run), 200 MB chunked',
    'old: read whole',
    async (i) => [
      await sendBody(
        i.url,
        '/bench/old/import',
        { 'content-type': 'text/csv' },
        csvBody(ELEMENT.code, i.units, TOTAL),
        TIMEOUT_MS,
      ),
    ],
  ],
];

/** Each case on a server of its own, started for it: its idle memory is the baseline. */
async function measureEngine(engine: Engine, log: (m: string) => void): Promise<Measurement[]> {
  const out: Measurement[] = [];
  const only = process.env.OPSROOM_BODY_BENCH_CASES;
  for (const [name, variant, send] of CASES) {
    if (only && !name.includes(only)) continue;
    log(`${engine}: ${name} — ${variant}`);
    const child: Child<ServerInfo> = await startChild(fileURLToPath(import.meta.url), {
      OPSROOM_BODY_BENCH_SERVER: engine,
    });
    const pid = child.proc.pid;
    try {
      await fetch(`${child.info.url}/api/health`).then((r) => r.arrayBuffer());
      await new Promise((r) => setTimeout(r, 1000));
      const idle = (await peakDuring(pid, () => new Promise((r) => setTimeout(r, 1000)))).peak;
      const t0 = performance.now();
      const { before, peak, value } = await peakDuring(pid, () => send(child.info));
      const ms = performance.now() - t0;
      const sent = value.reduce((s, r) => s + r.sent, 0) / value.length;
      const counts = value
        .map((r) => r.json?.response?.importCount)
        .filter(Boolean)
        .map((c) => `${c.imported} rows checked`);
      rows.push({
        engine,
        case: name,
        variant,
        statuses: [...new Set(value.map((r) => r.status)), ...counts].join(', '),
        sentMb: sent / MB,
        ms,
        before,
        peak,
        idle,
      });
      out.push({
        engine,
        section: 'time to the answer',
        case: name,
        variant,
        iterations: 1,
        rows: 0,
        p50: ms,
        p95: ms,
        max: ms,
      });
    } finally {
      await child.stop();
    }
  }
  return out;
}

async function run(opts: BenchOptions): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const engine of opts.engines) out.push(...(await measureEngine(engine, opts.log)));
  return out;
}

const mb = (n: number) => (n / MB).toFixed(0);

export const bench: Bench = {
  name: 'body',
  title: 'Memory under 200 MB request bodies (server RSS), limited and streamed vs read whole',
  run,
  summary: () =>
    [
      '| engine | body | path | answer | MB sent when answered | server RSS idle | before | peak | peak − idle |',
      '|---|---|---|---|---:|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.engine} | ${r.case} | ${r.variant} | ${r.statuses} | ${r.sentMb.toFixed(1)} | ${mb(r.idle)} MB | ${mb(r.before)} MB | ${mb(r.peak)} MB | ${mb(r.peak - r.idle)} MB |`,
      ),
    ].join('\n'),
};

if (process.env.OPSROOM_BODY_BENCH_SERVER) {
  await runServer(process.env.OPSROOM_BODY_BENCH_SERVER as Engine);
}
