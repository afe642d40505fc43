import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database, Db } from './client.ts';
import type { Schema } from './schema.ts';

/** One connection held for a piece of work: Kysely over it, and COPY … FROM for bulk loads. */
export interface Session {
  db: Db;
  /**
   * Loads rows in PostgreSQL's text COPY format (tab-separated, `\N` for null, escaped by
   * `copyText`) into `table (columns)`, on the session's connection, so inside its transaction.
   */
  copy(table: string, columns: string[], text: string): Promise<void>;
}

/**
 * Runs `fn` on one connection of the server's pool (PGlite has only one): a transaction begun
 * with `session.db.transaction()` and a `copy` made meanwhile run on the same connection.
 */
export async function withSession<T>(
  database: Database,
  fn: (session: Session) => Promise<T>,
): Promise<T> {
  const statement = (table: string, columns: string[], source: string) =>
    `copy ${table} (${columns.join(', ')}) from ${source}`;
  if (database.pglite) {
    const pglite = database.pglite;
    return fn({
      db: database.db,
      // PGlite is one session: a direct query runs between the transaction's statements.
      copy: async (table, columns, text) => {
        await pglite.query(statement(table, columns, `'/dev/blob'`), [], {
          blob: new Blob([text]),
        });
      },
    });
  }
  const pool = database.pool;
  if (!pool) throw new Error('no connection pool');
  const client = await pool.connect();
  // Kysely releases a connection after each query or transaction; this one goes back to the
  // pool only when the session ends.
  const held = { query: client.query.bind(client), release: () => {} };
  const db = new Kysely<Schema>({
    dialect: new PostgresDialect({
      pool: { connect: async () => held, end: async () => {} } as never,
    }),
  });
  let failed = false;
  try {
    return await fn({
      db,
      copy: async (table, columns, text) => {
        await pipeline(
          Readable.from([text]),
          client.query(copyFrom(statement(table, columns, 'stdin'))),
        );
      },
    });
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    await db.destroy();
    // A connection left mid-COPY or mid-transaction is not given to anyone else.
    client.release(failed ? true : undefined);
  }
}

/** A value in PostgreSQL's text COPY format. */
export function copyText(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v !== 'string') return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : v;
}

const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};
