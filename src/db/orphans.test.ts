import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openDatabase } from './client.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'opsroom-orphans-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A process that fills a table it created in a transaction, killed before it commits. */
const KILLED_IMPORT = `
import { PGlite } from '@electric-sql/pglite';
const pg = await PGlite.create({ dataDir: process.argv[1] });
await pg.exec("create table kept (id int primary key, t text)");
await pg.exec("insert into kept select g, repeat('x', 100) from generate_series(1, 1000) g");
await pg.exec('begin');
await pg.exec('create table staged (id int, t text)');
await pg.exec("insert into staged select g, repeat('y', 200) from generate_series(1, 60000) g");
console.log('filled');
setInterval(() => {}, 1000);
`;

function baseBytes(): number {
  const base = join(dir, 'data', 'base');
  let n = 0;
  for (const db of readdirSync(base))
    for (const f of readdirSync(join(base, db), { withFileTypes: true }))
      if (f.isFile()) n += statSync(join(base, db, f.name)).size;
  return n;
}

test('files of a table a killed import created are reclaimed on the next start, and nothing else', async () => {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', KILLED_IMPORT, join(dir, 'data')],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('filled') && resolve());
    child.once('exit', (code) => reject(new Error(`exited ${code}`)));
  });
  const killed = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await killed;

  const dataDir = join(dir, 'data');
  const left = baseBytes();
  const database = await openDatabase({ dataDir, reclaimOrphans: true });
  try {
    assert.ok(database.reclaimed, 'the start reports what it reclaimed');
    assert.ok(database.reclaimed.files >= 1);
    assert.ok(database.reclaimed.bytes >= 10 * 2 ** 20, `${database.reclaimed.bytes} bytes`);
    // What was committed is intact and the engine keeps working.
    const kept = await sql<{ n: number }>`select count(*)::int as n from kept`.execute(database.db);
    assert.equal(kept.rows[0]!.n, 1000);
    const staged = await sql<{
      t: string | null;
    }>`select to_regclass('staged')::text as t`.execute(database.db);
    assert.equal(staged.rows[0]!.t, null);
    await sql`create table later (id int)`.execute(database.db);
    await sql`insert into later select generate_series(1, 100)`.execute(database.db);
  } finally {
    await database.close();
  }
  assert.ok(baseBytes() < left - 10 * 2 ** 20, 'the directory shrank');
  const again = await openDatabase({ dataDir, reclaimOrphans: true });
  try {
    assert.deepEqual(again.reclaimed, { files: 0, bytes: 0 });
    const n = await sql<{
      n: number;
    }>`select (select count(*) from kept)::int + (select count(*) from later)::int as n`.execute(
      again.db,
    );
    assert.equal(n.rows[0]!.n, 1100);
    const check = await sql<{
      ok: boolean;
    }>`select count(*) = 1000 as ok from kept where length(t) = 100`.execute(again.db);
    assert.equal(check.rows[0]!.ok, true);
  } finally {
    await again.close();
  }
});
