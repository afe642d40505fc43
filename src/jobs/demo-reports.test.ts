import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { ApiClient } from '../test/http.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { loadDemoReports } from './demo-reports.ts';

for (const engine of testEngines()) {
  describe(`the demo's citizens' reports on ${engine}`, () => {
    let t: TestDb;
    const now = new Date('2026-12-07T03:00:00Z');
    let created = 0;
    before(async () => {
      t = await openTestDb(engine, { clock: () => now });
      created = (await loadDemoReports(t.services, { now })).created;
    });
    after(() => t?.close());

    it('files reports in both cities, through every step, none flagged, once', async () => {
      assert.ok(created >= 40, `${created} reports`);
      const rows = await sql<{ status: string; n: number; province: string; flagged: number }>`
        select status, split_part(handler_path, '/', 3) as province, count(*)::int as n,
          count(*) filter (where moderation <> 'none')::int as flagged
        from citizen_report group by 1, 2`.execute(t.database.db);
      const statuses = new Set(rows.rows.map((r) => r.status));
      for (const s of ['received', 'in_progress', 'answered', 'closed', 'refused'])
        assert.ok(statuses.has(s), `some ${s}: ${[...statuses].join(', ')}`);
      assert.deepEqual([...new Set(rows.rows.map((r) => r.province))].sort(), ['01', '79']);
      assert.equal(
        rows.rows.reduce((n, r) => n + r.flagged, 0),
        0,
        'no demo report is held by moderation',
      );
      assert.equal((await loadDemoReports(t.services, { now })).created, 0, 'installed once');
    });

    it('shows public answers with photos, and figures at the nation', async () => {
      const r = await ApiClient.for(t.services).get('/api/public/answers');
      assert.equal(r.status, 200, r.text);
      assert.ok(r.json.items.length >= 10);
      assert.ok(
        r.json.items.some((i: { answerPhotos: unknown[] }) => i.answerPhotos.length > 0),
        'answers with a photo',
      );
      await t.services.citizenFigures.run();
      const admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      const grid = await admin.get(
        '/api/analytics?dimension=dx:PA_RECEIVED;PA_ON_TIME_PCT&dimension=ou:VN&filter=pe:202610;202611;202612',
      );
      assert.equal(grid.status, 200, grid.text);
      const value = (dx: string) =>
        Number((grid.json.rows as string[][]).find((row) => row[0] === dx)?.at(-1) ?? Number.NaN);
      assert.equal(value('PA_RECEIVED'), created);
      assert.ok(value('PA_ON_TIME_PCT') > 50 && value('PA_ON_TIME_PCT') < 100);
    });
  });
}
