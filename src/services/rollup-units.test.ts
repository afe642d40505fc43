import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { actionsOfRole } from '../domain/access.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

/**
 * Roll-up rows are kept only at roll-up units (org_unit.rollup: roots, provinces, units with
 * >= 64 units below; migration 0019). A district below that totals its subtree's own values
 * when asked: right after values are written (ordinary and bulk paths), updated, moved with a
 * unit and deleted, as the province and the nation above it do from their roll-ups.
 */
for (const engine of testEngines()) {
  describe(`roll-ups only at roll-up units on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let dir: string;
    let files = 0;
    type Unit = { id: number; code: string };
    let district: Unit;
    let wards: Unit[];
    let other: Unit;
    let otherWard: Unit;

    const ADMIN = {
      kind: 'user' as const,
      id: 'a',
      name: 'a',
      role: 'admin' as const,
      permissions: actionsOfRole('admin'),
      scope: { version: '2022', code: 'VN', path: '/VN/' },
    };
    const total = async (unit: string, period: string) => {
      const r = await t.services.analytics.query(ADMIN, {
        dx: ['RU_A'],
        pe: [period],
        ou: [unit],
        version: '2022',
      });
      return r.cells[0]?.value ?? null;
    };
    const totals = async (units: string[], period = '2022-05-01') => {
      const out: Record<string, number | null> = {};
      for (const u of units) out[u] = await total(u, period);
      return out;
    };
    const importLines = async (lines: string[], opts: Record<string, unknown> = {}) => {
      const file = join(dir, `v${files++}.csv`);
      writeFileSync(file, ['dataelement,period,orgunit,value', ...lines].join('\n') + '\n');
      const s = await t.services.dataValues.importFile('system', file, { atomic: true, ...opts });
      assert.equal(s.status, 'SUCCESS', JSON.stringify(s));
      return s.importCount;
    };
    const rollupRows = async (unitId: number) =>
      (
        await sql<{ n: number }>`select count(*)::int as n from data_value_rollup
          where ancestor_id = ${unitId}`.execute(t.database.db)
      ).rows[0]!.n;
    const viewTotal = async (unitId: number) =>
      (
        await sql<{ sum: number }>`select coalesce(sum(r.sum), 0)::float as sum
          from data_value_total r join data_element e on e.id = r.element_id
          join period p on p.id = r.period_id
          where r.unit_id = ${unitId} and e.code = 'RU_A' and p.pid = '2022-05-01'`.execute(
          t.database.db,
        )
      ).rows[0]!.sum;
    const place = async (parent: string) => {
      const r = await admin.post('/api/metadata?version=2022', {
        organisationUnits: [
          {
            id: 'RuStation01',
            name: 'Trạm thử',
            shortName: 'Trạm',
            openingDate: '2020-01-01',
            parent: { id: parent },
          },
        ],
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
    };

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      dir = mkdtempSync(join(tmpdir(), 'opsroom-rollup-units-'));
      await t.services.metadata.apply('system', {
        dataElements: [
          {
            code: 'RU_A',
            nameVi: 'RU_A',
            nameEn: 'RU_A',
            sector: 'other',
            valueType: 'integer',
            aggTime: 'sum',
          },
        ],
      });
      const districtOf = async (province: string) =>
        (
          await sql<Unit>`select u.id, u.code from org_unit u
            where u.version = '2022' and u.level = 2 and u.path like ${`/VN/${province}/%`}
              and not u.rollup
              and (select count(*) from org_unit c where c.version = u.version
                   and c.parent_code = u.code) >= 3
            order by u.code limit 1`.execute(t.database.db)
        ).rows[0]!;
      const wardsOf = async (d: Unit) =>
        (
          await sql<Unit>`select u.id, u.code from org_unit u
            where u.version = '2022' and u.parent_code = ${d.code} order by u.code limit 3`.execute(
            t.database.db,
          )
        ).rows;
      district = await districtOf('79');
      wards = await wardsOf(district);
      other = await districtOf('01');
      otherWard = (await wardsOf(other))[0]!;
      assert.equal(wards.length, 3);
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await t.close();
    });

    it('keeps no roll-up rows at the district, and totals it from its wards', async () => {
      const [w1, w2, w3] = wards as [Unit, Unit, Unit];
      await importLines(
        [
          `RU_A,2022-05-01,${w1.code},10`,
          `RU_A,2022-05-01,${w2.code},20`,
          `RU_A,2022-05-01,${w3.code},30`,
          `RU_A,2022-05-01,${district.code},5`,
          `RU_A,2022-05-01,${otherWard.code},7`,
        ],
        { bulk: 'never' },
      );
      assert.deepEqual(await totals([district.code, '79', 'VN', other.code, w1.code]), {
        [district.code]: 65,
        79: 65,
        VN: 72,
        [other.code]: 7,
        [w1.code]: 10,
      });
      assert.equal(await rollupRows(district.id), 0, 'no roll-up rows at a small district');
      assert.ok((await rollupRows(Number((await unitId('79')).id))) > 0, 'a province keeps them');
      assert.equal(await viewTotal(district.id), 65, 'data_value_total agrees');
    });

    it('totals values loaded in bulk and updated', async () => {
      const [w1, w2] = wards as [Unit, Unit];
      await importLines([`RU_A,2022-05-02,${w1.code},1`, `RU_A,2022-05-02,${w2.code},2`], {
        bulk: 'always',
      });
      assert.deepEqual(await totals([district.code, '79', 'VN'], '2022-05-02'), {
        [district.code]: 3,
        79: 3,
        VN: 3,
      });
      assert.deepEqual(await importLines([`RU_A,2022-05-01,${w1.code},100`]), {
        imported: 0,
        updated: 1,
        ignored: 0,
        deleted: 0,
      });
      assert.deepEqual(await totals([district.code, '79', 'VN', w1.code]), {
        [district.code]: 155,
        79: 155,
        VN: 162,
        [w1.code]: 100,
      });
      assert.equal(await total(district.code, '2022-05'), 158);
      assert.equal(await rollupRows(district.id), 0);
    });

    it('totals a unit added below a ward, then moved to another province', async () => {
      const [w1] = wards as [Unit];
      await place(w1.code);
      await importLines([`RU_A,2022-05-01,RuStation01,40`]);
      assert.deepEqual(await totals([district.code, '79', 'VN', w1.code, 'RuStation01']), {
        [district.code]: 195,
        79: 195,
        VN: 202,
        [w1.code]: 140,
        RuStation01: 40,
      });
      await place(otherWard.code);
      assert.deepEqual(
        await totals([district.code, '79', '01', 'VN', w1.code, other.code, otherWard.code]),
        {
          [district.code]: 155,
          79: 155,
          '01': 47,
          VN: 202,
          [w1.code]: 100,
          [other.code]: 47,
          [otherWard.code]: 47,
        },
      );
      assert.equal(await viewTotal(district.id), 155);
      assert.equal(await viewTotal(other.id), 47);
    });

    it('totals right after a value is deleted', async () => {
      const [, w2] = wards as [Unit, Unit];
      assert.equal(
        (await importLines([`RU_A,2022-05-01,${w2.code},20`], { strategy: 'DELETE' })).deleted,
        1,
      );
      assert.deepEqual(await totals([district.code, '79', 'VN', w2.code]), {
        [district.code]: 135,
        79: 135,
        VN: 182,
        [w2.code]: null,
      });
      assert.equal(await viewTotal(district.id), 135);
    });

    const unitId = async (code: string) =>
      (
        await sql<{
          id: number;
        }>`select id from org_unit where version = '2022' and code = ${code}`.execute(t.database.db)
      ).rows[0]!;
  });
}
