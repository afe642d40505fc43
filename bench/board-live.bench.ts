/**
 * Open boards under a value a second (issue 19): N boards are open, each a live connection and a
 * board of 12 panels (10 with figures); one value is posted every second; each board, on the
 * `data` event naming the posted element, reads again every panel holding it, as the web board
 * does (`useBoardLive` invalidates its panels' queries), through
 * `GET /api/boards/{id}/panels/{panel}/data` with a browser's six connections per board.
 *
 *   npm run bench -- board-live                                    100 and 1,000 boards
 *   OPSROOM_BENCH_BOARDS=1000 OPSROOM_BENCH_BOARD_SECONDS=30 npm run bench -- board-live
 *
 * Delivery: from just before the POST to the moment a board holds the new figures — every
 * panel read again, and its year tile showing the new total (so a stale answer is counted as
 * not delivered, not as fast). Server CPU: the child's user + system time over the measured
 * seconds, as a share of one core (the machine has two, and this process, the clients, uses
 * the other). Three variants in the same run: each board's panels pushed on its own stream
 * (`GET /api/boards/{id}/live`: every changed panel computed once for all the boards alike and
 * written to each; delivered when the year tile pushed shows the new total), the panels read
 * again over HTTP with their figures shared between viewers of the same scope until the next
 * value arrives, and read afresh for every board (the baseline: what each open board would cost
 * the server without sharing or pushing).
 *
 *   OPSROOM_BENCH_BOARD_VARIANTS=pushed,shared,read   which variants (default: all three)
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { BoardInput } from '../src/contract/board.ts';
import type { Engine } from '../src/db/client.ts';
import {
  openConnections,
  openStreams,
  serveInChild,
  startChild,
  type Child,
} from './child-server.ts';
import { percentile, type Bench, type BenchOptions, type Measurement } from './lib.ts';

const ELEMENT = {
  code: 'BENCH_BOARD',
  nameVi: 'Giá trị đo bảng trực tiếp',
  nameEn: 'Live board probe',
  sector: 'other',
  valueType: 'integer',
  aggTime: 'sum',
} as const;
const UNIT = '26740'; // Phường Sài Gòn (2025 tree)
const YEAR = 2027; // nothing else posts there
const WAIT_MS = 20_000;

interface ServerInfo {
  url: string;
  token: string;
  board: number;
  panels: string[];
  yearTile: string;
}

/** A board of 12 panels on the element: six tiles, a map, a ranking, a trend, a pivot, alerts, a note. */
function benchBoard() {
  const f = [ELEMENT.code];
  const tiles = ['$period', `${YEAR}Q1`, `${YEAR}01`, `${YEAR}02`, `${YEAR}W02`, `${YEAR}S1`];
  const months = Array.from({ length: 12 }, (_, i) => `${YEAR}${String(i + 1).padStart(2, '0')}`);
  return {
    uid: 'bench-board-live',
    name: 'Bảng đo trực tiếp',
    variables: { unit: 'VN', period: String(YEAR) },
    panels: [
      ...tiles.map((p, i) => ({
        id: `tile${i}`,
        kind: 'tile' as const,
        grid: { x: i * 2, y: 0, w: 2, h: 2 },
        figures: f,
        units: ['$unit'],
        periods: [p],
        options: { compare: ['previous' as const, 'last_year' as const] },
      })),
      {
        id: 'map',
        kind: 'map' as const,
        grid: { x: 0, y: 2, w: 6, h: 6 },
        figures: f,
        units: ['children'],
        periods: ['$period'],
        options: { style: 'choropleth' as const },
      },
      {
        id: 'ranking',
        kind: 'ranking' as const,
        grid: { x: 6, y: 2, w: 6, h: 3 },
        figures: f,
        units: ['children'],
        periods: ['$period'],
        options: { order: 'desc' as const, limit: 10 },
      },
      {
        id: 'trend',
        kind: 'trend' as const,
        grid: { x: 6, y: 5, w: 6, h: 3 },
        figures: f,
        units: ['$unit'],
        periods: months,
        options: {},
      },
      {
        id: 'pivot',
        kind: 'pivot' as const,
        grid: { x: 0, y: 8, w: 12, h: 6 },
        figures: f,
        units: ['children'],
        periods: months,
        options: { rows: ['ou' as const], columns: ['pe' as const] },
      },
      {
        id: 'alerts',
        kind: 'alerts' as const,
        grid: { x: 0, y: 14, w: 6, h: 3 },
        units: ['$unit'],
        options: { limit: 10 },
      },
      {
        id: 'note',
        kind: 'text' as const,
        grid: { x: 6, y: 14, w: 6, h: 3 },
        options: { text: 'Bảng đo' },
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// The server process

async function runServer(cfg: { engine: Engine; shared: boolean }) {
  const { openTestDb } = await import('../src/test/harness.ts');
  const { benchAdmin } = await import('./lib.ts');
  const t = await openTestDb(cfg.engine, { panelCache: cfg.shared });
  const services = t.services;
  await services.metadata.apply('system', { dataElements: [ELEMENT] });
  const version = await services.hierarchy.resolveVersion('2025');
  const { token } = await services.auth.createToken('system', {
    name: `bench-${process.pid}`,
    scope: { version, code: 'VN' },
    permissions: ['data.read', 'data.write', 'board.read'],
  });
  const doc = benchBoard();
  const created = await services.boards.create(
    benchAdmin(version),
    BoardInput.parse({ ...doc, shares: [{ kind: 'unit', unit: 'VN', access: 'read' }] }),
  );
  const panels = doc.panels.filter((p) => p.kind !== 'text' && p.kind !== 'alerts');
  await serveInChild(services, () => t.close(), {
    token,
    board: created.id,
    panels: panels.map((p) => p.id),
    yearTile: 'tile0',
  } satisfies Omit<ServerInfo, 'url'>);
}

// ---------------------------------------------------------------------------------------------
// The measuring process

function startServer(engine: Engine, shared: boolean): Promise<Child<ServerInfo>> {
  return startChild(fileURLToPath(import.meta.url), {
    OPSROOM_BOARD_LIVE_BENCH_SERVER: JSON.stringify({ engine, shared }),
  });
}

/** User + system CPU time of a process, in ms (Linux, 100 ticks a second). */
function cpuMs(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * A panel read as the page's query makes it: a server too busy (503) is asked again after its
 * Retry-After (TanStack Query retries a failed read too), up to five times.
 */
async function get(
  agent: Agent,
  url: URL,
  token: string,
): Promise<{ status: number; body: string }> {
  for (let attempt = 0; ; attempt++) {
    const r = await getOnce(agent, url, token);
    if (r.status !== 503 || attempt >= 5) return r;
    await new Promise((done) => setTimeout(done, Math.min(4, r.retryAfter) * 1000));
  }
}

function getOnce(
  agent: Agent,
  url: URL,
  token: string,
): Promise<{ status: number; body: string; retryAfter: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { agent, headers: { authorization: `Bearer ${token}`, 'accept-language': 'vi' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            retryAfter: Number(res.headers['retry-after'] ?? 1) || 1,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

interface CaseResult {
  delivery: number[];
  delivered: number;
  expected: number;
  seconds: number;
  cpuShare: number;
  requests: number;
  /** Pushed: the panel frames received. */
  pushes: number;
  failures: number;
  /** Posts answered 503 busy (and sent again). */
  busyPosts: number;
}

/**
 * One board as the web holds it: on each event naming the element it reads all its panels again
 * (one read in flight; an event during it asks for one more read after, as a query invalidated
 * while fetching does). `seen(total)` is told the year tile's value after each complete read.
 */
function openBoard(info: ServerInfo, seen: (total: number) => void, count: () => void) {
  const agent = new Agent({ keepAlive: true, maxSockets: 6 });
  let running = false;
  let again = false;
  const readAll = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const answers = await Promise.all(
          info.panels.map(async (p) => {
            count();
            const r = await get(
              agent,
              new URL(`/api/boards/${info.board}/panels/${p}/data`, info.url),
              info.token,
            );
            if (r.status !== 200) throw new Error(`panel ${p}: HTTP ${r.status} ${r.body}`);
            return [p, r.body] as const;
          }),
        );
        const tile = answers.find(([p]) => p === info.yearTile)![1];
        const cell = (JSON.parse(tile) as { cells: { value: number | null }[] }).cells[0];
        seen(cell?.value ?? 0);
      } while (again);
    } finally {
      running = false;
    }
  };
  return { readAll, close: () => agent.destroy() };
}

async function measure(
  server: Child<ServerInfo>,
  boards: number,
  seconds: number,
  warmup: number,
  firstDay: { next: number },
  log: (m: string) => void,
  push: boolean,
): Promise<CaseResult> {
  const info = server.info;
  const clients = push
    ? await openStreams(info.url, info.token, `/api/boards/${info.board}/live`, boards)
    : await openConnections(info.url, info.token, 'data', boards);
  log(`  ${boards} boards open${push ? ' (their streams)' : ''}`);
  /** Per value (by its running total), when it was posted; per board, when it first held it. */
  const postedAt = new Map<number, number>();
  const delivery: number[] = [];
  let requests = 0;
  let pushes = 0;
  let failures = 0;
  let busyPosts = 0;
  let measuring = false;
  const best = new Array<number>(boards).fill(0);
  /** Board `i` holds `total` values now: each value newly held is delivered. */
  const seenPush = (i: number, total: number) => {
    const now = performance.now();
    for (let v = best[i]! + 1; v <= total; v++) {
      const at = postedAt.get(v);
      if (at !== undefined && measuring && v >= firstMeasured) delivery.push(now - at);
    }
    best[i] = Math.max(best[i]!, total);
  };
  const views = clients.map((c, i) => {
    const view = openBoard(
      info,
      (total) => seenPush(i, total),
      () => requests++,
    );
    const tilePush = `{"panel":${JSON.stringify(info.yearTile)},`;
    c.onEvent = push
      ? (e) => {
          if (e.event !== 'panel') return;
          if (measuring) pushes++;
          // The pushed year tile: the board holds the new total once it shows it.
          if (!e.data.startsWith(tilePush)) return;
          const d = JSON.parse(e.data) as { data: { cells: { value: number | null }[] } };
          seenPush(i, d.data.cells[0]?.value ?? 0);
        }
      : (e) => {
          if (e.event === 'data' && e.data.includes(ELEMENT.code))
            view.readAll().catch(() => failures++);
        };
    return view;
  });
  let total = 0;
  let firstMeasured = Number.POSITIVE_INFINITY;
  const post = async () => {
    const n = firstDay.next++;
    const day = new Date(Date.UTC(YEAR, 0, 1) + (n % 365) * 86_400_000).toISOString().slice(0, 10);
    // Each value is 1 on a day of its own: the year tile's total counts the values.
    postedAt.set(++total, performance.now());
    // A server too busy (503) is asked again after its Retry-After, as a data entry client
    // does; the delivery still counts from the first attempt.
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${info.url}/api/data/import`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${info.token}` },
        body: JSON.stringify({
          dataValues: [{ dataElement: ELEMENT.code, period: day, orgUnit: UNIT, value: '1' }],
        }),
      });
      if (res.status === 503 && attempt < 10) {
        await res.arrayBuffer();
        busyPosts++;
        const wait = Math.min(4, Number(res.headers.get('retry-after') ?? 1) || 1);
        await new Promise((r) => setTimeout(r, wait * 1000));
        continue;
      }
      if (res.status !== 200) throw new Error(`import: HTTP ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      return;
    }
  };
  // Every board reads its panels once, as on opening; then `warmup` values unmeasured.
  // (50 at a time: a wall is not switched on in one millisecond.)
  for (let i = 0; i < views.length; i += 50)
    await Promise.all(views.slice(i, i + 50).map((v) => v.readAll()));
  // The year's total so far (an earlier case on this server posted values too): counted on.
  total = best.reduce((a, b) => Math.max(a, b), 0);
  for (let i = 0; i < warmup; i++) {
    await post();
    await new Promise((r) => setTimeout(r, 1000));
  }
  firstMeasured = total + 1;
  measuring = true;
  const cpu0 = cpuMs(server.proc.pid);
  const t0 = performance.now();
  for (let s = 0; s < seconds; s++) {
    const tick = performance.now();
    await post();
    const left = 1000 - (performance.now() - tick);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
  }
  const wall = performance.now() - t0;
  const cpu = cpuMs(server.proc.pid) - cpu0;
  // The last values' deliveries: wait for every board to hold the last total, or give up.
  const deadline = performance.now() + WAIT_MS;
  while (best.some((b) => b < total) && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  measuring = false;
  for (const c of clients) c.close();
  for (const v of views) v.close();
  const values = total - firstMeasured + 1;
  return {
    delivery,
    delivered: delivery.length,
    expected: values * boards,
    seconds: wall / 1000,
    cpuShare: cpu / wall,
    requests,
    pushes,
    failures,
    busyPosts,
  };
}

function boardCounts(): number[] {
  const env = process.env.OPSROOM_BENCH_BOARDS ?? '100,1000';
  const counts = env.split(',').map((s) => Number(s.trim()));
  for (const n of counts)
    if (!Number.isInteger(n) || n < 1 || n > 5_000)
      throw new Error(`OPSROOM_BENCH_BOARDS: 1..5000 each, got ${env}`);
  return counts;
}

const VARIANTS = [
  { id: 'pushed', name: 'pushed to each board’s stream', shared: true, push: true },
  { id: 'shared', name: 'figures shared per scope (served)', shared: true, push: false },
  { id: 'read', name: 'read for every board', shared: false, push: false },
] as const;

function variantsWanted() {
  const env = process.env.OPSROOM_BENCH_BOARD_VARIANTS;
  if (!env) return [...VARIANTS];
  const ids = env.split(',').map((s) => s.trim());
  const bad = ids.find((id) => !VARIANTS.some((v) => v.id === id));
  if (bad) throw new Error(`OPSROOM_BENCH_BOARD_VARIANTS: pushed, shared or read; got ${bad}`);
  return VARIANTS.filter((v) => ids.includes(v.id));
}

const extra = new Map<string, string>();

async function run(opts: BenchOptions): Promise<Measurement[]> {
  const counts = boardCounts();
  const seconds = Number(process.env.OPSROOM_BENCH_BOARD_SECONDS ?? 20);
  const warmup = Math.min(opts.warmup, 3);
  const results: Measurement[] = [];
  const firstDay = { next: 0 };
  for (const engine of opts.engines)
    for (const { name: variant, shared, push } of variantsWanted()) {
      opts.log(`${engine}: starting the server (${variant})`);
      const server = await startServer(engine, shared);
      try {
        for (const n of counts) {
          opts.log(`${engine}: ${n} boards, ${variant}`);
          let r: CaseResult;
          try {
            r = await measure(server, n, seconds, warmup, firstDay, opts.log, push);
          } catch (e) {
            // Larger walls of this variant would not finish either: the next variant.
            opts.log(`    did not finish: ${(e as Error).message.slice(0, 200)}`);
            extra.set(`${engine} | ${n} open boards | ${variant}`, 'did not finish');
            break;
          }
          const sorted = [...r.delivery].sort((a, b) => a - b);
          const caseName = `${n.toLocaleString('en')} open boards, a value a second`;
          results.push({
            engine,
            section: 'POST → every panel of every board holding the value',
            case: caseName,
            variant,
            iterations: Math.round(r.seconds),
            rows: r.expected ? r.delivered / (r.expected / n) : 0,
            p50: percentile(sorted, 50),
            p95: percentile(sorted, 95),
            max: sorted.at(-1) ?? Number.NaN,
          });
          extra.set(
            `${engine} | ${caseName} | ${variant}`,
            `p99 ${percentile(sorted, 99).toFixed(0)} ms; delivered ${r.delivered.toLocaleString('en')}/${r.expected.toLocaleString('en')}; ` +
              `server CPU ${(r.cpuShare * 100).toFixed(0)}% of a core over ${r.seconds.toFixed(0)} s; ` +
              (push
                ? `${Math.round(r.pushes / r.seconds).toLocaleString('en')} panel frames received/s; `
                : `${Math.round(r.requests / r.seconds).toLocaleString('en')} panel reads/s; `) +
              `${r.failures} failed` +
              (r.busyPosts ? `; ${r.busyPosts} posts answered 503 busy and sent again` : ''),
          );
          opts.log(`    ${extra.get(`${engine} | ${caseName} | ${variant}`)}`);
        }
      } finally {
        await server.stop();
      }
    }
  return results;
}

export const bench: Bench = {
  name: 'board-live',
  title: 'Open boards under a value a second: delivery to every panel, and the server’s CPU',
  run,
  summary: () => [...extra].map(([k, v]) => `- ${k}: ${v}`).join('\n'),
};

if (process.env.OPSROOM_BOARD_LIVE_BENCH_SERVER) {
  await runServer(JSON.parse(process.env.OPSROOM_BOARD_LIVE_BENCH_SERVER));
}
