import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../db/client.ts';
import { openTestDb, testEngines, type TestDb } from '../test/harness.ts';

/**
 * `opsroom metadata export` and `metadata import FILE` as an operator runs them: the real CLI in
 * its own process, on the configured database (a PGlite data directory, or DATABASE_URL).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the CLI to its end; no time limit of its own (the test runner's applies). */
function cli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const base: NodeJS.ProcessEnv = { ...process.env, OPSROOM_DEMO: '0', ...env };
    if (!env.DATABASE_URL) delete base.DATABASE_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: base,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const tree = {
  code: 'CAY_XANH',
  nameVi: 'Cây xanh gãy đổ',
  nameEn: 'Fallen trees',
  descriptionVi: '',
  descriptionEn: '',
  groupVi: 'Đô thị',
  groupEn: 'Urban',
  keywords: ['cây đổ'],
  handledBy: { level: 'province' },
  acknowledgeWithin: { hours: 4 },
  answerWithin: { days: 3 },
  photoRequired: true,
  active: true,
};

for (const engine of testEngines()) {
  describe(`the metadata CLI on ${engine}`, () => {
    let t: TestDb;
    let env: Record<string, string>;
    const dirs: string[] = [];
    before(async () => {
      t = await openTestDb(engine);
      await t.services.citizenCategories.create('system', tree);
      if (t.url) env = { DATABASE_URL: t.url };
      else {
        // The CLI opens a data directory: this database's files, written into a new one.
        const dir = mkdtempSync(join(tmpdir(), 'opsroom-cli-metadata-'));
        dirs.push(dir);
        const dump = await t.database.pglite!.dumpDataDir('gzip');
        const copy = await openDatabase({ dataDir: dir, loadDataDir: dump });
        await copy.close();
        env = { OPSROOM_DATA_DIR: dir };
      }
    });
    after(async () => {
      await t.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    it('exports the citizens’ report categories with the rest of the metadata', async () => {
      const r = await cli(['metadata', 'export'], env);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      const want = (await t.services.metadata.list()).citizenCategories;
      assert.deepEqual(doc.citizenCategories, want);
      assert.deepEqual(
        doc.citizenCategories.find((c: { code: string }) => c.code === 'CAY_XANH'),
        tree,
      );
      assert.ok(
        doc.citizenCategories.some((c: { code: string }) => c.code === 'TIN_NHAN_RAC_5656'),
      );
    });

    it('refuses a file with a bad category, naming its field, and stores nothing', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'opsroom-cli-metadata-file-'));
      dirs.push(dir);
      const file = join(dir, 'metadata.json');
      writeFileSync(
        file,
        JSON.stringify({
          citizenCategories: [
            { ...tree, code: 'NEW_ONE' },
            { ...tree, code: 'ZERO', answerWithin: { days: 0 } },
          ],
        }),
      );
      const r = await cli(['metadata', 'import', file], env);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, /Siêu dữ liệu không hợp lệ \(1 lỗi\); không có gì thay đổi/);
      assert.match(
        r.stderr,
        /citizenCategories\.1\.answerWithin\.days: .*phải lớn hơn 0 \/ .*more than zero/,
      );
      const after = await cli(['metadata', 'export'], env);
      assert.equal(after.code, 0, after.stderr);
      const codes = JSON.parse(after.stdout).citizenCategories.map((c: { code: string }) => c.code);
      assert.ok(!codes.includes('NEW_ONE'), 'nothing of the file was stored');
    });
  });
}
