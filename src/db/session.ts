import { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { once } from 'node:events';
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
  copy: (table: string, columns: string[], text: string) => Promise<void>;
  /**
   * A COPY in PostgreSQL's binary format, fed rows as they are made (see `BinaryRows`). With
   * `freeze` (for a table created in this transaction) the rows are written frozen, visible to
   * index-only scans at once. No other statement may run on the session until `end`.
   */
  copyIn(table: string, columns: string[], opts?: { freeze?: boolean }): CopyIn;
}

/** Rows streaming into a COPY. */
export interface CopyIn {
  /** Sends rows (binary COPY format, no header); resolves when the connection takes more. */
  write(rows: Buffer): Promise<void>;
  /** Ends the COPY; resolves once the database has every row. */
  end(): Promise<void>;
}

/** The first 11 bytes of COPY's binary format, both ways. */
export const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const BINARY_HEADER = Buffer.from([
  ...COPY_SIGNATURE,
  ...[0, 0, 0, 0], // flags
  ...[0, 0, 0, 0], // header extension length
]);
const BINARY_TRAILER = Buffer.from([0xff, 0xff]);
/** PGlite copies from a blob in memory: one COPY per this many bytes of rows. */
const PGLITE_COPY_BYTES = 64 << 20;

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
  const binary = (table: string, columns: string[], source: string, freeze?: boolean) =>
    `${statement(table, columns, source)} (format binary${freeze ? ', freeze' : ''})`;
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
      copyIn: (table, columns, opts) => {
        let parts: Buffer[] = [];
        let bytes = 0;
        const flush = async () => {
          if (bytes === 0) return;
          const blob = new Blob([
            BINARY_HEADER,
            ...parts,
            BINARY_TRAILER,
          ] as Uint8Array<ArrayBuffer>[]);
          parts = [];
          bytes = 0;
          await pglite.query(binary(table, columns, `'/dev/blob'`, opts?.freeze), [], { blob });
        };
        return {
          write: async (rows) => {
            parts.push(rows);
            bytes += rows.length;
            if (bytes >= PGLITE_COPY_BYTES) await flush();
          },
          end: flush,
        };
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
      pool: { connect: () => Promise.resolve(held), end: () => Promise.resolve() },
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
      copyIn: (table, columns, opts) => {
        const stream = client.query(copyFrom(binary(table, columns, 'stdin', opts?.freeze)));
        const done = finished(stream);
        done.catch(() => {}); // awaited in end(); an early failure also shows in write()
        stream.write(BINARY_HEADER);
        return {
          write: async (rows) => {
            if (!stream.write(rows)) {
              await Promise.race([once(stream, 'drain'), done]);
            }
          },
          end: async () => {
            stream.end(BINARY_TRAILER);
            await done;
          },
        };
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
