import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Files of relations that no longer exist, left in the embedded engine's data directory by a
 * process killed in the middle of a transaction that created a table (a bulk import `COPY`s
 * its values into a new table, attached as a partition at commit). PostgreSQL never removes
 * such files: the transaction's catalog rows were never committed, so nothing names them.
 *
 * Safe only when nothing else can be using the directory: right after the engine opened it,
 * before any query of ours, in the process that holds the directory's lock (cli/lock.ts). No
 * transaction is then in progress, so a relation file is in use exactly when some pg_class row
 * names it (pg_relation_filenode also resolves the mapped system catalogs).
 */
export interface Reclaimed {
  files: number;
  bytes: number;
}

/** `16392`, `16392.1` (a further 1 GB segment), `16392_fsm`, `16392_vm`, `16392_init`. */
const RELATION_FILE = /^(\d+)(?:_(?:fsm|vm|init))?(?:\.\d+)?$/;

export async function reclaimOrphanFiles(pglite: PGlite, dataDir: string): Promise<Reclaimed> {
  const db = await pglite.query<{ oid: number }>(
    'select oid::int as oid from pg_database where datname = current_database()',
  );
  const dir = join(dataDir, 'base', String(db.rows[0]!.oid));
  const used = await pglite.query<{ n: string }>(
    `select pg_relation_filenode(oid)::text as n from pg_class
      where pg_relation_filenode(oid) is not null`,
  );
  const referenced = new Set(used.rows.map((r) => r.n));
  // Nothing references nothing: a catalog we cannot read means we know nothing; keep all.
  if (referenced.size < 50) return { files: 0, bytes: 0 };
  let files = 0;
  let bytes = 0;
  for (const name of readdirSync(dir)) {
    const m = RELATION_FILE.exec(name);
    if (!m || referenced.has(m[1]!)) continue;
    const path = join(dir, name);
    const size = statSync(path).size;
    unlinkSync(path);
    files++;
    bytes += size;
  }
  return { files, bytes };
}
