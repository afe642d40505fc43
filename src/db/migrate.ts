import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Db } from './client.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
// Any constant shared by all instances: only one of them migrates at a time.
const MIGRATION_LOCK = 7_420_001;

export interface Migration {
  id: string;
  sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ id: f.replace(/\.sql$/, ''), sql: readFileSync(join(dir, f), 'utf8') }));
}

/** Applies the numbered migrations not yet applied, each in its own transaction. Forward only. */
export async function migrate(db: Db, migrations = listMigrations()): Promise<string[]> {
  const applied: string[] = [];
  for (const m of migrations) {
    const done = await db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(tx);
      await sql`create table if not exists schema_migration (
        id text primary key, applied_at timestamptz not null default now())`.execute(tx);
      const seen = await sql`select 1 from schema_migration where id = ${m.id}`.execute(tx);
      if (seen.rows.length > 0) return false;
      await sql.raw(m.sql).execute(tx);
      await sql`insert into schema_migration (id) values (${m.id})`.execute(tx);
      return true;
    });
    if (done) applied.push(m.id);
  }
  return applied;
}
