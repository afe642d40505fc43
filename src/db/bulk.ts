import { sql } from 'kysely';
import type { Db } from './client.ts';

/** Column name → SQL type, as written in the migrations. */
export type ColumnTypes = Record<string, string>;

const CHUNK = 5000;

/**
 * Inserts many rows in a few statements: the rows travel as one JSON parameter and
 * `json_to_recordset` turns them back into a table, on PGlite and on a server alike.
 * `onConflict` is appended verbatim (a constant from the caller, never user input).
 */
export async function insertMany(
  db: Db,
  table: string,
  columns: ColumnTypes,
  rows: Record<string, unknown>[],
  opts: { onConflict?: string; onProgress?: (done: number) => void } = {},
): Promise<void> {
  const names = Object.keys(columns);
  const list = sql.raw(names.join(', '));
  const defs = sql.raw(names.map((n) => `${n} ${columns[n]}`).join(', '));
  const conflict = sql.raw(opts.onConflict ?? '');
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await sql`insert into ${sql.table(table)} (${list})
      select ${list} from json_to_recordset(${JSON.stringify(chunk)}::json) as t(${defs})
      ${conflict}`.execute(db);
    opts.onProgress?.(Math.min(i + CHUNK, rows.length));
  }
}
