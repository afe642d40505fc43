/**
 * Outliers flagged as values arrive (issue 17): a value outside its unit's min–max range is
 * kept and flagged by the import or save that wrote it (the summary counts it), one follow-up
 * task per unit and element whatever the number of its flagged values, the flag gone when the
 * value is corrected, kept as reviewed when confirmed (not raised again for the same value),
 * and the task closed when no open flag is left. The bulk path flags as the ordinary one.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

const A = '26740';
const B = '25747';

interface WebMessage {
  response: {
    status: string;
    description: string;
    importCount: { imported: number; updated: number };
    validationViolations?: { violations: number; outliers?: number };
  };
}

for (const engine of testEngines()) {
  describe(`outliers flagged on arrival on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let dir: string;

    before(async () => {
      t = await openTestDb(engine);
      dir = mkdtempSync(join(tmpdir(), 'opsroom-vo-'));
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      const r = await admin.post('/api/metadata', {
        dataElements: [
          {
            code: 'VO_A',
            nameVi: 'Số ca VO',
            nameEn: 'VO cases',
            sector: 'ict',
            valueType: 'integer',
            aggTime: 'sum',
          },
        ],
      });
      assert.equal(r.status, 200, r.text);
      for (const [unit, min, max] of [
        [A, 10, 200],
        [B, 0, 50],
      ] as const) {
        const x = await admin.post('/api/minMaxDataElements', {
          source: { id: unit },
          dataElement: { id: 'VO_A' },
          min,
          max,
        });
        assert.equal(x.status, 201, x.text);
      }
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await t.close();
    });

    const importSet = async (values: [string, string, string][]) => {
      const r = await admin.post('/api/dataValueSets?importStrategy=CREATE_AND_UPDATE', {
        dataValues: values.map(([orgUnit, period, value]) => ({
          dataElement: 'VO_A',
          orgUnit,
          period,
          value,
        })),
      });
      assert.equal(r.status, 200, r.text);
      return (r.json as WebMessage).response;
    };
    const flags = async () =>
      (
        await t.database.db
          .selectFrom('value_outlier as f')
          .innerJoin('org_unit as u', 'u.id', 'f.unit_id')
          .innerJoin('period as p', 'p.id', 'f.period_id')
          .select(['u.code', 'p.pid', 'f.value', 'f.state', 'f.task_id'])
          // The ranges' flags (a value may also be a scale slip: src/api/scale-slip.test.ts).
          .where('f.kind', '=', 'min_max')
          .orderBy('u.code')
          .orderBy('p.pid')
          .execute()
      ).map((f) => [f.code, f.pid, f.value, f.state, f.task_id !== null]);
    const tasks = async () =>
      (
        await t.database.db
          .selectFrom('task')
          .select(['unit_code', 'status'])
          .where('title', 'like', 'Kiểm tra giá trị bất thường:%')
          .orderBy('id')
          .execute()
      ).map((x) => [x.unit_code, x.status]);

    it('flags values outside their range, keeps them, and asks each unit once', async () => {
      const r = await importSet([
        [A, '2026-11-01', '100'],
        [A, '2026-11-02', '5000'],
        [A, '2026-11-03', '1'],
        [B, '2026-11-01', '60'],
      ]);
      assert.equal(r.status, 'WARNING');
      assert.equal(r.importCount.imported, 4);
      assert.equal(r.validationViolations?.outliers, 3);
      assert.match(r.description, /3 giá trị ngoài khoảng tối thiểu–tối đa/);
      assert.deepEqual(await flags(), [
        [B, '2026-11-01', 60, 'open', true],
        [A, '2026-11-02', 5000, 'open', true],
        [A, '2026-11-03', 1, 'open', true],
      ]);
      assert.deepEqual(
        (await tasks()).sort(),
        [
          [A, 'received'],
          [B, 'received'],
        ].sort(),
      );
      // Another value of the same unit and element joins the open task.
      const again = await importSet([[A, '2026-11-04', '9999']]);
      assert.equal(again.validationViolations?.outliers, 1);
      assert.equal((await tasks()).length, 2);
      // An in-range value raises nothing.
      const fine = await importSet([[A, '2026-11-05', '50']]);
      assert.equal(fine.validationViolations, undefined);
      assert.equal(fine.status, 'SUCCESS');
    });

    it('drops the flag of a corrected value; confirming the rest closes the task', async () => {
      await importSet([[A, '2026-11-02', '150']]);
      assert.deepEqual(
        (await flags()).filter((f) => f[0] === A).map((f) => f[1]),
        ['2026-11-03', '2026-11-04'],
      );
      const list = await admin.get('/api/valueOutliers?ou=79&ouVersion=2025');
      assert.equal(list.status, 200, list.text);
      const rows = (
        list.json as {
          valueOutliers: {
            orgUnit: string;
            period: string;
            min: number;
            max: number;
            value: number;
            kind: string;
          }[];
        }
      ).valueOutliers.filter((x) => x.kind === 'min_max');
      assert.deepEqual(
        rows.map((x) => [x.orgUnit, x.period, x.value, x.min, x.max]).sort(),
        [
          [A, '2026-11-03', 1, 10, 200],
          [A, '2026-11-04', 9999, 10, 200],
          [B, '2026-11-01', 60, 0, 50],
        ].sort(),
      );
      const review = (period: string, comment = 'Đã kiểm tra với xã: đúng') =>
        admin.post('/api/valueOutliers/review', {
          dataElement: 'VO_A',
          orgUnit: A,
          version: '2025',
          period,
          action: 'confirm',
          comment,
        });
      assert.equal((await review('2026-11-03')).status, 200);
      assert.equal((await tasks()).find((x) => x[0] === A)?.[1], 'received');
      assert.equal((await review('2026-11-04')).status, 200);
      assert.equal((await tasks()).find((x) => x[0] === A)?.[1], 'done');
      // The same value again stays confirmed: no new task.
      const same = await importSet([[A, '2026-11-03', '1']]);
      assert.equal(same.validationViolations?.outliers, 1);
      assert.deepEqual(
        (await flags()).filter((f) => f[0] === A).map((f) => [f[1], f[3]]),
        [
          ['2026-11-03', 'confirmed'],
          ['2026-11-04', 'confirmed'],
        ],
      );
      assert.equal((await tasks()).length, 2);
      // Bad reviews: no comment, no such flag.
      assert.equal((await review('2026-11-03', ' ')).status, 400);
      const none = await review('2026-11-09');
      assert.equal(none.status, 404, none.text);
      const audit = await t.database.db
        .selectFrom('audit_event')
        .select('action')
        .where('action', '=', 'value_outlier.confirm')
        .execute();
      assert.equal(audit.length, 2);
    });

    it('flags on the bulk path as on the ordinary one', async () => {
      const lines = ['dataelement,period,orgunit,value'];
      for (let d = 1; d <= 9; d++) lines.push(`VO_A,2026-10-0${d},${A},${d === 4 ? 7000 : 20 + d}`);
      lines.push(`VO_A,2026-10-01,${B},51`);
      const file = join(dir, 'bulk.csv');
      writeFileSync(file, lines.join('\n') + '\n');
      const s = await t.services.dataValues.importFile('system', file, {
        atomic: true,
        bulk: 'always',
      });
      assert.equal(s.importCount.imported, 10);
      assert.equal(s.validation?.outliers, 2);
      const f = (await flags()).filter((x) => String(x[1]).startsWith('2026-10'));
      assert.deepEqual(f, [
        [B, '2026-10-01', 51, 'open', true],
        [A, '2026-10-04', 7000, 'open', true],
      ]);
      // A's earlier task is done: a new one; B's is still open: the flag joins it.
      assert.deepEqual((await tasks()).filter((x) => x[1] !== 'done').length, 2);
      assert.equal((await tasks()).length, 3);
    });

    it('shows the flag where the value is read: the figure, its metaData, the export', async () => {
      const cells = await admin.get(
        `/api/analytics?dimension=dx:VO_A&dimension=pe:2026-10-04&dimension=ou:${A};79`,
      );
      assert.equal(cells.status, 200, cells.text);
      const flags = (
        cells.json as {
          metaData: {
            opsroom?: {
              flags?: {
                ou: string;
                reasons: { kind: string; left: number; min?: number; max?: number }[];
              }[];
            };
          };
        }
      ).metaData.opsroom?.flags;
      assert.deepEqual(
        flags?.map((f) => [f.ou, f.reasons.map((r) => [r.kind, r.left, r.min, r.max])]).sort(),
        [
          [A, [['outlier', 7000, 10, 200]]],
          ['79', [['outlier', 7000, 10, 200]]],
        ],
      );
      const out = await admin.get(
        '/api/dataValueSets?dataElement=VO_A&startDate=2026-10-01&endDate=2026-10-09&orgUnit=79&children=true&idScheme=code&format=json',
      );
      assert.equal(out.status, 200, out.text);
      const followup = (
        out.json as { dataValues: { period: string; orgUnit: string; followup: boolean }[] }
      ).dataValues
        .filter((v) => v.followup)
        .map((v) => `${v.orgUnit} ${v.period}`)
        .sort();
      assert.deepEqual(followup, [`${B} 20261001`, `${A} 20261004`]);
    });
  });
}
