import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database, type Engine } from '../db/client.ts';
import { createServices, type Services } from '../services/index.ts';
import { ensureAdmin, prepareDatabase, SHIPPED_DATA } from '../services/bootstrap.ts';

/**
 * Test databases on both engines, each new and private to one test: a PGlite copy of a
 * prepared template, or a server database created from a template database and dropped after.
 * Preparing (migrations + the real hierarchy) happens once per machine and fixture version.
 */

export const ADMIN_PASSWORD = 'Admin-test-pw-1';
export const SERVER_URL =
  process.env.OPSROOM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The engines the suite runs on: both, unless OPSROOM_TEST_ENGINES narrows it. */
export function testEngines(): Engine[] {
  const only = process.env.OPSROOM_TEST_ENGINES;
  return only ? (only.split(',') as Engine[]) : ['pglite', 'postgres'];
}

function fixtureHash(): string {
  const h = createHash('sha256');
  const migrations = new URL('../db/migrations/', import.meta.url);
  for (const f of readdirSync(migrations).sort())
    h.update(f).update(readFileSync(new URL(f, migrations)));
  for (const f of readdirSync(SHIPPED_DATA).sort())
    if (f.endsWith('.json')) h.update(f).update(readFileSync(join(SHIPPED_DATA, f)));
  h.update(readFileSync(new URL('../services/bootstrap.ts', import.meta.url)));
  h.update(readFileSync(new URL('../db/org-unit.repo.ts', import.meta.url)));
  // The carry map the template holds is computed by these (issue 16).
  for (const f of ['../domain/carry.ts', '../db/carry.repo.ts', '../services/carry.service.ts'])
    h.update(readFileSync(new URL(f, import.meta.url)));
  return h.digest('hex').slice(0, 12);
}

async function prepare(database: Database) {
  const s = createServices(database);
  await prepareDatabase(s);
  await ensureAdmin(s, ADMIN_PASSWORD);
}

let pgliteTemplate: Promise<Blob> | undefined;

async function pgliteBlob(): Promise<Blob> {
  const file = join(tmpdir(), `opsroom-test-template-${fixtureHash()}.tar.gz`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const database = await openDatabase({});
  await prepare(database);
  const dump = await database.pglite!.dumpDataDir('gzip');
  await database.close();
  const tmp = `${file}.${process.pid}`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, file);
  return dump;
}

async function serverTemplate(): Promise<string> {
  const name = `opsroom_tpl_${fixtureHash()}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock(7420002)');
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) {
      const building = `${name}_building`;
      await admin.query(`drop database if exists ${building}`);
      await admin.query(`create database ${building}`);
      const database = await openDatabase({ databaseUrl: withDatabase(SERVER_URL, building) });
      await prepare(database);
      await database.close();
      await admin.query(`alter database ${building} rename to ${name}`);
    }
    await admin.query('select pg_advisory_unlock(7420002)');
  } finally {
    await admin.end();
  }
  return name;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface TestDb {
  engine: Engine;
  database: Database;
  services: Services;
  /** For a server database, its URL (a second instance can connect to it). */
  url?: string;
  close(): Promise<void>;
}

/** A new database with the real hierarchy and the admin account, on the chosen engine. */
export async function openTestDb(
  engine: Engine,
  opts: Parameters<typeof createServices>[1] = {},
): Promise<TestDb> {
  if (engine === 'pglite') {
    pgliteTemplate ??= pgliteBlob();
    const database = await openDatabase({ loadDataDir: await pgliteTemplate });
    return {
      engine,
      database,
      services: createServices(database, opts),
      close: () => database.close(),
    };
  }
  const template = await serverTemplate();
  const name = `opsroom_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`create database ${name} template ${template}`);
  await admin.end();
  const url = withDatabase(SERVER_URL, name);
  const database = await openDatabase({ databaseUrl: url });
  return {
    engine,
    database,
    url,
    services: createServices(database, opts),
    close: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: SERVER_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
