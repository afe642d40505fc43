/**
 * Benchmarks that hold thousands of live connections run the server in a child process, so
 * that the connections' client side does not share an event loop with it: the child serves
 * the API on a free port and tells the parent where; the parent opens SSE connections to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import { createInterface } from 'node:readline';
import { serve } from '@hono/node-server';
import { SseClient } from '../src/live/sse-client.ts';
import type { Services } from '../src/services/index.ts';

/** Connections opened at once: more and the server's accept queue overflows. */
const OPEN_BATCH = 200;

/**
 * In the child: serves the API over `services` (or `fetch`, a bench's own wrapping of it) on a
 * free port, prints `{ url, ...extra }` as one line, and stops (its live connections, the
 * server, then `close`) on SIGTERM or when the parent goes away.
 */
export async function serveInChild(
  services: Services,
  close: () => Promise<void>,
  extra: Record<string, unknown>,
  fetch?: (req: Request) => Response | Promise<Response>,
): Promise<void> {
  const { createApp } = await import('../src/api/app.ts');
  const handler = fetch ?? createApp(services).fetch;
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, ...extra })}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    services.live.hub.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await close();
    process.exit(0);
  };
  // An event handler cannot be awaited: a failed stop is shown and exits non-zero.
  const onStop = () =>
    void stop().catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
  process.on('SIGTERM', onStop);
  process.stdin.on('end', onStop); // the parent went away
  process.stdin.resume();
}

export interface Child<T> {
  info: T;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** In the parent: runs `file` with `env` set, and waits for the line `serveInChild` prints. */
export async function startChild<T>(file: string, env: Record<string, string>): Promise<Child<T>> {
  const proc = spawn(process.execPath, ['--import', 'tsx', file], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const info = await new Promise<T>((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout });
    lines.once('line', (l) => resolve(JSON.parse(l) as T));
    proc.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
  });
  return {
    info,
    proc,
    stop: async () => {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** Opens `n` SSE connections to `/api/live?topics=…`, each resolved once its `hello` came. */
export function openConnections(
  url: string,
  token: string,
  topics: string,
  n: number,
): Promise<SseClient[]> {
  return openStreams(url, token, `/api/live?topics=${topics}`, n);
}

/** Opens `n` SSE connections to `path` (an event stream that starts with `hello`). */
export async function openStreams(
  url: string,
  token: string,
  path: string,
  n: number,
): Promise<SseClient[]> {
  const out: SseClient[] = [];
  for (let i = 0; i < n; i += OPEN_BATCH) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(OPEN_BATCH, n - i) }, async () => {
        // onEvent is set before any byte is read: `hello` can arrive with the headers.
        let ready!: () => void;
        const hello = new Promise<void>((r) => (ready = r));
        const c = await SseClient.connect(url + path, {
          headers: { authorization: `Bearer ${token}` },
          keep: false,
          onEvent: (e) => {
            if (e.event === 'hello') ready();
          },
        });
        await hello;
        return c;
      }),
    );
    out.push(...batch);
  }
  return out;
}

/**
 * Every connection waits for the first `topic` event whose data holds `marker`: `start` marks
 * the moment delays count from (just before the request that causes the event), `done` gives
 * the delay of each arrival once all arrived or `ms` passed.
 */
export function arrivals(clients: SseClient[], topic: string, marker: string) {
  const times: number[] = [];
  let t0 = 0;
  let left = clients.length;
  let all!: () => void;
  const arrived = new Promise<void>((r) => (all = r));
  for (const c of clients) {
    let got = false;
    c.onEvent = (e) => {
      if (got || e.event !== topic || !e.data.includes(marker)) return;
      got = true;
      times.push(e.at - t0);
      if (--left === 0) all();
    };
  }
  return {
    start: (): number => (t0 = performance.now()),
    done: async (ms: number): Promise<number[]> => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([arrived, new Promise((r) => (timer = setTimeout(r, ms)))]);
      clearTimeout(timer);
      return times;
    },
  };
}
