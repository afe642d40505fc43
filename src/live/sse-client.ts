import http from 'node:http';

/**
 * A small reader of server-sent events over node:http, for tests and benchmarks: one socket
 * per connection and a few strings of state, so that thousands of them fit in one process.
 */

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
  /** performance.now() when the event was parsed. */
  at: number;
}

interface Waiter {
  match: (e: SseEvent) => boolean;
  resolve: (e: SseEvent) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class SseClient {
  /** Every event received (unless `keep` is false). */
  readonly events: SseEvent[] = [];
  /** Called with each event as it arrives. */
  onEvent?: (e: SseEvent) => void;
  closed = false;
  private buffer = '';
  private waiters: Waiter[] = [];
  private req?: http.ClientRequest;
  private endError?: Error;

  private constructor(private readonly keep: boolean) {}

  /** Opens the stream; resolves once the response headers say 200 text/event-stream. */
  static connect(
    url: string,
    opts: {
      headers?: Record<string, string>;
      keep?: boolean;
      /** Set before any byte is read: the first events can arrive with the headers. */
      onEvent?: (e: SseEvent) => void;
    } = {},
  ): Promise<SseClient> {
    const client = new SseClient(opts.keep ?? true);
    client.onEvent = opts.onEvent;
    return new Promise((resolve, reject) => {
      const req = http.get(
        url,
        { headers: { accept: 'text/event-stream', ...opts.headers }, agent: false },
        (res) => {
          if (res.statusCode !== 200) {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (body += d));
            res.on('end', () => reject(new Error(`live stream: HTTP ${res.statusCode} ${body}`)));
            return;
          }
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => client.feed(chunk));
          const ended = (e?: Error) => client.ended(e ?? new Error('live stream ended'));
          res.on('end', () => ended());
          res.on('error', ended);
          res.on('close', () => ended());
          resolve(client);
        },
      );
      req.on('error', (e) => {
        reject(e);
        client.ended(e);
      });
      client.req = req;
    });
  }

  /** The first event, received already or to come, that matches; fails after `timeoutMs`. */
  waitFor(
    match: (e: SseEvent) => boolean,
    what = 'a live event',
    timeoutMs = 30_000,
  ): Promise<SseEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    if (this.endError) return Promise.reject(this.endError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no ${what} within ${timeoutMs} ms; got: ${this.describe()}`));
      }, timeoutMs);
      const waiter: Waiter = { match, resolve, reject, timer };
      this.waiters.push(waiter);
    });
  }

  /** Events of one type received so far. */
  of(event: string): SseEvent[] {
    return this.events.filter((e) => e.event === event);
  }

  close() {
    this.closed = true;
    this.req?.destroy();
  }

  describe(): string {
    return this.events.map((e) => `${e.event}#${e.id ?? ''}`).join(', ') || '(nothing)';
  }

  private feed(chunk: string) {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let id: string | undefined;
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const i = line.indexOf(':');
        const field = i < 0 ? line : line.slice(0, i);
        const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
        if (field === 'id') id = value;
        else if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length === 0) continue; // comments, heartbeats, retry
      const e: SseEvent = { id, event, data: data.join('\n'), at: performance.now() };
      if (this.keep) this.events.push(e);
      this.onEvent?.(e);
      for (const w of [...this.waiters]) {
        if (!w.match(e)) continue;
        clearTimeout(w.timer);
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(e);
      }
    }
  }

  private ended(e: Error) {
    if (this.endError) return;
    this.closed = true;
    this.endError = e;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error(`${e.message} while waiting; got: ${this.describe()}`));
    }
    this.waiters = [];
  }
}

/** The JSON of an event's data. */
export function json<T = unknown>(e: SseEvent): T {
  return JSON.parse(e.data) as T;
}
