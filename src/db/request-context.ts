import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the database layer knows about the work a query belongs to, carried through awaits:
 * - `ticket`: the request's place in line. The embedded engine (one connection) serves the
 *   oldest request first, so a request that has started finishes before newer ones take
 *   the connection (first come, first served per request, not per statement).
 * - `onAcquire`: called when the work gets a connection (analytics coalescing needs to know
 *   whether a computation has read anything yet).
 */
export interface DbContext {
  ticket: number;
  onAcquire?: () => void;
  /** The request's: aborted when its client went away. */
  signal?: AbortSignal;
  /** Whether this work has held a connection yet (before that, dropping it undoes nothing). */
  started?: boolean;
  /** Work that only reads: dropped at its next statement once its client left. */
  readOnly?: boolean;
}

/** Whether the work of `ctx` may be dropped now: its client left, and dropping undoes nothing. */
export function abandoned(ctx: DbContext | undefined): boolean {
  return !!ctx?.signal?.aborted && (!ctx.started || !!ctx.readOnly);
}

const store = new AsyncLocalStorage<DbContext>();
let last = 0;

/** A new place in line, after every place given so far. */
export const nextTicket = (): number => ++last;

export const currentDbContext = (): DbContext | undefined => store.getStore();

/**
 * Runs `fn` with its queries in line as one request that arrived now. If `signal` aborts
 * (the client went away) before the request got the connection once, the embedded engine
 * drops it from the line instead of doing work nobody will read.
 */
export function inLine<T>(fn: () => T, signal?: AbortSignal): T {
  return store.run({ ticket: nextTicket(), signal }, fn);
}

/**
 * A context for work of its own (a computation others may wait for) that keeps the current
 * place in line and, until told otherwise, the current request's signal; run it with `runIn`.
 */
export function childContext(patch: Partial<DbContext>): DbContext {
  const outer = store.getStore();
  return { ticket: outer?.ticket ?? nextTicket(), signal: outer?.signal, ...patch };
}

export function runIn<T>(ctx: DbContext, fn: () => T): T {
  return store.run(ctx, fn);
}

/** Tells the work the current query belongs to that it now holds a connection. */
export function acquired(): void {
  const ctx = store.getStore();
  if (!ctx) return;
  ctx.started = true;
  ctx.onAcquire?.();
}

/**
 * The data as of now, as a text that is equal at two moments only if no write committed
 * between them (analytics coalescing: an answer computed from then is as fresh as one computed
 * now). The embedded engine counts its commits (its one process makes every write); a server
 * gives its transaction snapshot (`pg_current_snapshot()`: the next transaction id and the
 * ones in progress), which any write elsewhere changes. Undefined when the database has none.
 */
type VersionReader = () => string | Promise<string>;
const versions = new WeakMap<object, VersionReader>();

export function registerDataVersion(db: object, read: VersionReader): void {
  versions.set(db, read);
}

export async function dataVersion(db: object): Promise<string | undefined> {
  return versions.get(db)?.();
}
