import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, PostgresDriver, sql, type DatabaseConnection } from 'kysely';
import pg from 'pg';
import { reclaimOrphanFiles, type Reclaimed } from './orphans.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { clientGone } from './line.ts';
import { abandoned, acquired, currentDbContext, registerDataVersion } from './request-context.ts';
import type { Schema } from './schema.ts';

export type Engine = 'pglite' | 'postgres';

/** The one way to the database: Kysely over either engine, the same SQL for both. */
export interface Database {
  readonly engine: Engine;
  readonly db: Kysely<Schema>;
  /** The embedded engine itself, for what only it can do (dumping its files). */
  readonly pglite?: PGlite;
  /** The server's connection pool, for what Kysely does not do (COPY FROM STDIN). */
  readonly pool?: pg.Pool;
  /** The server's connection string: what needs a connection of its own (LISTEN) opens one. */
  readonly url?: string;
  /** What opening removed: files of relations a killed process left behind (orphans.ts). */
  readonly reclaimed?: Reclaimed;
  /**
   * Requests that may be waiting or running at once (api/busy.ts); one more is answered 503
   * `busy` with Retry-After instead of waiting without end. OPSROOM_QUEUE_LIMIT.
   */
  queueLimit: number;
  /** Runs `fn` first when the database closes (live listeners, timers). */
  onClose(fn: () => Promise<void> | void): void;
  close(): Promise<void>;
}

/** close() runs the hooks registered with onClose, newest first, then closes the engine. */
function withCloseHooks(closeEngine: () => Promise<void>) {
  const hooks: (() => Promise<void> | void)[] = [];
  return {
    onClose: (fn: () => Promise<void> | void) => void hooks.push(fn),
    close: async () => {
      for (const fn of hooks.splice(0).reverse()) {
        try {
          await fn();
        } catch (e) {
          console.error('while closing the database:', e);
        }
      }
      await closeEngine();
    },
  };
}

export type Db = Kysely<Schema>;

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

// Both engines hand back the same JavaScript types: dates stay ISO strings, counts are numbers.
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(DATE, (v) => v);

export interface OpenOptions {
  /** A PostgreSQL server; without it the embedded engine is used. */
  databaseUrl?: string;
  /** Where the embedded engine keeps its files; without it, in memory. */
  dataDir?: string;
  /** A PGlite data directory dump to start from (tests use a migrated template). */
  loadDataDir?: Blob | File;
  /** See Database.queueLimit. */
  queueLimit?: number;
  /**
   * Remove the files of relations nothing names (a killed import's) from `dataDir` on
   * opening. Only for a caller holding the directory's lock (cli/lock.ts).
   */
  reclaimOrphans?: boolean;
}

export const DEFAULT_QUEUE_LIMIT = 256;

/**
 * The server's driver: the pool's own first-come order per statement (not line.ts's order per
 * request — measured: on a server, requests in the pool's queue are what identical questions
 * join, bench/concurrency.bench.ts); work whose client left is not continued when that
 * undoes nothing (request-context.ts: abandoned), and the work a query belongs to is told
 * when it gets a connection.
 */
class ServerDialect extends PostgresDialect {
  constructor(private readonly pool: pg.Pool) {
    super({ pool });
  }
  override createDriver() {
    return new (class extends PostgresDriver {
      override async acquireConnection(): Promise<DatabaseConnection> {
        if (abandoned(currentDbContext())) throw clientGone();
        const connection = await super.acquireConnection();
        acquired();
        return connection;
      }
    })({ pool: this.pool });
  }
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    // JIT off: the questions here are short (a few ms) and the planner's row guesses for the
    // JSON-built unit and period lists push their cost over jit_above_cost, where compiling
    // took 50-60 ms per query for a 5 ms read (docs/decisions.md "JIT off").
    const urlOptions = new URL(opts.databaseUrl).searchParams.get('options');
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      options: [urlOptions, '-c jit=off'].filter(Boolean).join(' '),
    });
    let closing = false;
    // An idle connection the server ends (a restart, or a test dropping its database after
    // close) must not crash the process; the pool replaces it on the next query.
    pool.on('error', (e) => {
      if (!closing) console.error(`database connection lost: ${e.message}`);
    });
    const db = new Kysely<Schema>({ dialect: new ServerDialect(pool) });
    // Other instances write too: the server's snapshot says whether anything committed.
    registerDataVersion(db, async () => {
      const r = await sql<{ s: string }>`select pg_current_snapshot()::text as s`.execute(db);
      return r.rows[0]!.s;
    });
    return {
      engine: 'postgres',
      queueLimit: opts.queueLimit ?? DEFAULT_QUEUE_LIMIT,
      db,
      pool,
      url: opts.databaseUrl,
      ...withCloseHooks(() => {
        closing = true;
        return db.destroy();
      }),
    };
  }
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    dataDir: opts.dataDir,
    loadDataDir: opts.loadDataDir,
    parsers: {
      [INT8]: (v: string) => Number(v),
      [NUMERIC]: (v: string) => v,
      [DATE]: (v: string) => v,
    },
  });
  const reclaimed =
    opts.dataDir && opts.reclaimOrphans
      ? await reclaimOrphanFiles(pglite, opts.dataDir)
      : undefined;
  const dialect = new PGliteDialect(pglite);
  const db = new Kysely<Schema>({ dialect });
  // This process makes every write to its data directory (cli/lock.ts): it knows each commit.
  registerDataVersion(db, () => String(dialect.generation));
  return {
    engine: 'pglite',
    db,
    reclaimed,
    queueLimit: opts.queueLimit ?? DEFAULT_QUEUE_LIMIT,
    pglite,
    ...withCloseHooks(async () => {
      await db.destroy();
      await pglite.close();
    }),
  };
}

export async function ping(db: Db): Promise<boolean> {
  const r = await sql<{ ok: number }>`select 1 as ok`.execute(db);
  return r.rows[0]?.ok === 1;
}

/** Runs `fn` in the caller's transaction if there is one, else in a new one. */
export function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
