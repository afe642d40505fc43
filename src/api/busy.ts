import type { MiddlewareHandler } from 'hono';
import type { Database } from '../db/client.ts';
import { inLine } from '../db/request-context.ts';
import { AppError } from '../domain/errors.ts';
import type { AppEnv } from './context.ts';
import { presentError } from './errors.ts';

/** Requests in flight on one database, and how fast they have been finishing. */
interface Load {
  inFlight: number;
  /** Moving average of the time between two requests finishing, in ms. */
  gap: number;
  lastDone: number;
}

const loads = new WeakMap<Database, Load>();

/** Paths that hold no place in line: a live stream stays open for hours and reads little. */
const UNQUEUED = new Set(['/api/live']);

/**
 * The bounded queue in front of the database. Every API request takes a place in line (its
 * ticket: on the embedded engine the oldest request's statements go first) and waits its
 * turn; when `queueLimit` requests are already waiting or running, a new one is answered at
 * once with 503 `busy` and `Retry-After` (the time the queue takes to drain at the rate
 * requests have been finishing) instead of waiting until the client gives up.
 */
export function admission(database: Database): MiddlewareHandler<AppEnv> {
  const load: Load = loads.get(database) ?? { inFlight: 0, gap: 50, lastDone: 0 };
  loads.set(database, load);
  return async (c, next) => {
    if (UNQUEUED.has(c.req.path)) return next();
    if (load.inFlight >= database.queueLimit) {
      const seconds = Math.min(60, Math.max(1, Math.ceil((load.inFlight * load.gap) / 1000)));
      c.header('Retry-After', String(seconds));
      return presentError(c, busy(seconds));
    }
    load.inFlight++;
    try {
      await inLine(next, c.req.raw.signal);
    } finally {
      load.inFlight--;
      const now = performance.now();
      if (load.lastDone) load.gap = 0.9 * load.gap + 0.1 * Math.min(now - load.lastDone, 10_000);
      load.lastDone = now;
    }
  };
}

export function busy(retryAfterSeconds: number): AppError {
  return new AppError(
    'busy',
    {
      vi: `Máy chủ đang bận vì có quá nhiều yêu cầu cùng lúc; vui lòng thử lại sau ${retryAfterSeconds} giây`,
      en: `The server is busy with too many requests at once; please try again in ${retryAfterSeconds} s`,
    },
    { retryAfter: retryAfterSeconds },
  );
}
