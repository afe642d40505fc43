import { Agent, request } from 'node:http';

/** What came back, and how much of the body had been written when it came. */
export interface SentBody {
  status: number;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Bytes written when the answer's headers arrived. */
  sent: number;
  /** Whether the whole body was written. */
  finished: boolean;
  /** Milliseconds from the first byte written to the answer. */
  ms: number;
}

/**
 * POSTs a body piece by piece over a real socket (chunked unless `content-length` is given)
 * and stops writing as soon as the answer arrives: a server that refuses early is seen doing
 * so. Write errors after the answer (the server closed the connection) are expected.
 */
export function sendBody(
  url: string,
  path: string,
  headers: Record<string, string | number>,
  pieces: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  timeoutMs = 20_000,
): Promise<SentBody> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    let sent = 0;
    let finished = false;
    let answered = false;
    const t0 = performance.now();
    const timer = setTimeout(() => {
      req.destroy();
      agent.destroy();
      reject(new Error(`no answer after ${timeoutMs} ms (${sent} bytes sent)`));
    }, timeoutMs);
    // A connection of its own, kept alive as browsers and curl ask: a server closes a connection
    // it was told to close as soon as it answers, and the answer can be lost with the unread
    // body; on a kept one it discards the rest for a while, then closes.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const req = request(
      { host: u.hostname, port: u.port, path, method: 'POST', headers, agent },
      (res) => {
        answered = true;
        const at = sent;
        const ms = performance.now() - t0;
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(parts).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode!, json, sent: at, finished, ms });
          req.destroy();
        });
      },
    );
    req.on('error', (e) => {
      if (!answered) {
        clearTimeout(timer);
        agent.destroy();
        reject(e);
      }
    });
    void (async () => {
      for await (const piece of pieces) {
        if (answered || req.destroyed) return;
        sent += piece.length;
        if (!req.write(piece))
          await new Promise<void>((r) => {
            const done = () => {
              req.off('drain', done);
              req.off('close', done);
              r();
            };
            req.on('drain', done);
            req.on('close', done);
          });
      }
      if (!answered && !req.destroyed) {
        finished = true;
        req.end();
      }
    })();
  });
}

/** `start`, then bytes of `fill` in pieces of 64 kB up to `total` bytes in all. */
export function* filler(start: string, total: number, fill = 'a'): Generator<Buffer> {
  yield Buffer.from(start);
  const piece = Buffer.alloc(65536, fill);
  for (let n = start.length; n < total; n += piece.length)
    yield n + piece.length <= total ? piece : piece.subarray(0, total - n);
}

/**
 * Pieces as the async iterable a request body is, one piece per pull and nothing read ahead
 * (an async generator that never awaits says the same, but lint rightly asks for an await).
 */
export function arriving<T>(pieces: Iterable<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const it = pieces[Symbol.iterator]();
      return {
        next: () => Promise.resolve(it.next()),
        return: (value?: unknown) => Promise.resolve(it.return?.(value) ?? { done: true, value }),
      };
    },
  };
}
