/**
 * A flagged value shows its flag wherever it is read (issue 17): values a HIGH rule finds
 * broken are `followup: true` in DHIS2's `dataValueSets` (JSON and CSV, the server's COPY lines
 * byte for byte the row path's), the others keep their stored flag; a reviewer's confirmation
 * clears it; analytics' metaData lists the flagged cells with the rule.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { Store } from '../db/store.ts';
import { actionsOfRole, type Actor } from '../domain/access.ts';
import {
  dataValueSetChunks,
  openExport,
  type ExportQuery,
  type ValueExport,
} from '../services/data-value.export.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

const PROVINCE = '79';

const metadata = {
  dataElements: ['VF_USED', 'VF_TOTAL', 'VF_OTHER'].map((code) => ({
    code,
    nameVi: code,
    nameEn: code,
    sector: 'telecom',
    valueType: 'integer',
    aggTime: 'sum',
  })),
};

const RULE = {
  code: 'VF_HIGH',
  nameVi: 'Số đã dùng không vượt tổng số',
  nameEn: 'Used within total',
  instructionVi: 'Kiểm tra lại số đã dùng',
  instructionEn: 'Check the used figure',
  importance: 'HIGH',
  periodType: 'month',
  levels: [2],
  operator: 'less_than_or_equal_to',
  left: { expression: '#{VF_USED}' },
  right: { expression: '#{VF_TOTAL}' },
};

const ADMIN: Actor = {
  kind: 'user',
  id: 'test',
  name: 'test',
  role: 'admin',
  permissions: actionsOfRole('admin'),
  scope: { version: '2025', code: 'VN', path: '/VN/' },
};

interface Out {
  dataElement: string;
  period: string;
  orgUnit: string;
  value: string;
  followup: boolean;
}

async function bytes(run: ValueExport): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of dataValueSetChunks(run, 'csv'))
    parts.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
  return Buffer.concat(parts).toString('utf8');
}

for (const engine of testEngines()) {
  describe(`flagged values in exports and analytics on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    /** a: breaks the rule; b: keeps it; c: breaks it with a daily value in the month */
    let a: string, b: string, c: string;

    const EXPORT =
      '/api/dataValueSets?dataElement=VF_USED&dataElement=VF_TOTAL&dataElement=VF_OTHER&idScheme=code';
    const exported = async () => {
      const r = await admin.get(`${EXPORT}&format=json`);
      assert.equal(r.status, 200, r.text);
      const flags = new Map<string, boolean>();
      for (const v of (r.json as { dataValues: Out[] }).dataValues)
        flags.set(`${v.dataElement}|${v.period}|${v.orgUnit}`, v.followup);
      return flags;
    };
    const csvFlags = async () => {
      const r = await admin.get(`${EXPORT}&format=csv`);
      assert.equal(r.status, 200, r.text);
      const [header, ...lines] = r.text.trim().split('\n');
      const cols = header!.split(',');
      const at = (name: string) => cols.indexOf(name);
      const flags = new Map<string, boolean>();
      for (const line of lines) {
        const x = line.split(',');
        flags.set(
          `${x[at('dataelement')]}|${x[at('period')]}|${x[at('orgunit')]}`,
          x[at('followup')] === 'true',
        );
      }
      return flags;
    };
    const analyticsFlags = async () => {
      const r = await admin.get(
        `/api/analytics?dimension=dx:VF_USED;VF_OTHER&dimension=pe:202508&dimension=ou:${PROVINCE};${a};${b}`,
      );
      assert.equal(r.status, 200, r.text);
      return (r.json.metaData.opsroom.flags ?? []) as {
        dx: string;
        pe: string;
        ou: string;
        reasons: { kind: string; rule: string; importance: string; left: number; right: number }[];
      }[];
    };

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      assert.equal((await admin.post('/api/metadata', metadata)).status, 200);
      const x = await admin.post('/api/validationRules', RULE);
      assert.equal(x.status, 201, x.text);
      const u = await admin.get(`/api/orgunits?version=2025&parent=${PROVINCE}&limit=3`);
      [a, b, c] = (u.json.items as { code: string }[]).map((i) => i.code) as [
        string,
        string,
        string,
      ];
      const r = await admin.post('/api/data/import', {
        dataValues: [
          { dataElement: 'VF_USED', period: '202508', orgUnit: a, value: '120' },
          { dataElement: 'VF_TOTAL', period: '202508', orgUnit: a, value: '100' },
          { dataElement: 'VF_OTHER', period: '202508', orgUnit: a, value: '7' },
          { dataElement: 'VF_USED', period: '202508', orgUnit: b, value: '50' },
          { dataElement: 'VF_TOTAL', period: '202508', orgUnit: b, value: '100' },
          { dataElement: 'VF_USED', period: '2025-08-05', orgUnit: c, value: '300' },
          { dataElement: 'VF_TOTAL', period: '202508', orgUnit: c, value: '100' },
        ],
      });
      assert.equal(r.status, 200, r.text);
      // A stored followup stays whatever the rules say.
      await sql`update data_value set followup = true where element_id =
        (select id from data_element where code = 'VF_TOTAL') and unit_id =
        (select id from org_unit where version = '2025' and code = ${b})`.execute(t.database.db);
    });
    after(() => t.close());

    it('the import stored the violations the export reads', async () => {
      const l = await admin.get('/api/validationResults?pageSize=100&state=open');
      assert.equal(l.status, 200, l.text);
      const found = (
        l.json.validationResults as { organisationUnit: { code: string }; period: { id: string } }[]
      )
        .map((x) => `${x.organisationUnit.code}|${x.period.id}`)
        .sort();
      assert.deepEqual(found, [`${a}|2025-08`, `${c}|2025-08`].sort());
    });

    it('one read says which stored values are flagged, and why', async () => {
      const db = t.database.db;
      const ids = (
        await sql<{ element_id: number; period_id: number }>`select distinct element_id, period_id
          from data_value where element_id in (select id from data_element where code like 'VF_%')
          order by 1, 2`.execute(db)
      ).rows;
      const flags = await t.services.valueFlags.flagged({
        elementIds: ids.map((x) => x.element_id),
        periodIds: ids.map((x) => x.period_id),
      });
      const units = new Map(
        (
          await sql<{ id: number; code: string }>`select id, code from org_unit
            where version = '2025' and code = any(${[a, b, c]}::text[])`.execute(db)
        ).rows.map((x) => [x.id, x.code]),
      );
      const elements = new Map(
        (
          await sql<{ id: number; code: string }>`select id, code from data_element
            where code like 'VF_%'`.execute(db)
        ).rows.map((x) => [x.id, x.code]),
      );
      const got = [...flags.values()]
        .map((f) => `${elements.get(f.elementId)}|${units.get(f.unitId)}`)
        .sort();
      assert.deepEqual(
        got,
        [`VF_USED|${a}`, `VF_TOTAL|${a}`, `VF_USED|${c}`, `VF_TOTAL|${c}`].sort(),
        'the rule’s elements at the broken units, the daily value within the month too',
      );
      const one = [...flags.values()].find(
        (f) => units.get(f.unitId) === a && elements.get(f.elementId) === 'VF_USED',
      )!;
      assert.deepEqual(one.reasons, [
        {
          kind: 'validation',
          rule: 'VF_HIGH',
          importance: 'HIGH',
          nameVi: RULE.nameVi,
          nameEn: RULE.nameEn,
          left: 120,
          right: 100,
          period: '2025-08',
        },
      ]);
    });

    it('dataValueSets JSON and CSV: followup true for flagged values, false for others', async () => {
      const expected = new Map([
        [`VF_USED|202508|${a}`, true],
        [`VF_TOTAL|202508|${a}`, true],
        [`VF_OTHER|202508|${a}`, false],
        [`VF_USED|202508|${b}`, false],
        [`VF_TOTAL|202508|${b}`, true], // stored
        [`VF_USED|20250805|${c}`, true],
        [`VF_TOTAL|202508|${c}`, true],
      ]);
      assert.deepEqual(new Map([...(await exported())].sort()), new Map([...expected].sort()));
      assert.deepEqual(new Map([...(await csvFlags())].sort()), new Map([...expected].sort()));
    });

    it('the server’s COPY lines stay those of the row path: pages of any size, units asked', async () => {
      const dataElements = ['VF_USED', 'VF_TOTAL', 'VF_OTHER'];
      const cases: [ExportQuery, number, number][] = [
        [{ dataElements, pageSize: 1 }, 7, 5],
        [{ dataElements, pageSize: 2 }, 7, 5],
        [{ dataElements }, 7, 5],
        [{ dataElements, orgUnits: [a] }, 3, 2],
        [{ dataElements, orgUnits: [b], version: '2025', pageSize: 1 }, 2, 1],
        [{ dataElements, orgUnits: [PROVINCE], children: true }, 7, 5],
        [{ dataElements, limit: 4, pageSize: 2 }, 4, 3],
      ];
      for (const [q, values, flagged] of cases) {
        const rowPath = await openExport(new Store(t.database.db), t.services.hierarchy, ADMIN, q);
        const served = await t.services.dataValues.openExport(ADMIN, q);
        assert.equal(served.csvLines !== undefined, engine === 'postgres');
        const expected = await bytes(rowPath);
        const lines = expected.trim().split('\n').slice(1);
        assert.equal(lines.length, values, JSON.stringify(q));
        assert.equal(lines.filter((l) => l.includes(',true,')).length, flagged, JSON.stringify(q));
        assert.equal(await bytes(served), expected, JSON.stringify(q));
      }
    });

    it('analytics metaData lists the flagged cells with the rule', async () => {
      const flags = await analyticsFlags();
      const cells = flags.map((f) => `${f.dx}|${f.pe}|${f.ou}`).sort();
      assert.deepEqual(cells, [`VF_USED|202508|${PROVINCE}`, `VF_USED|202508|${a}`].sort());
      const at = flags.find((f) => f.ou === a)!;
      assert.deepEqual(
        at.reasons.map((x) => [x.kind, x.rule, x.importance, x.left, x.right]),
        [['validation', 'VF_HIGH', 'HIGH', 120, 100]],
      );
    });

    it('a reviewer’s confirmation clears the flag', async () => {
      const r = await admin.post('/api/validationResults/review', {
        rule: 'VF_HIGH',
        unit: a,
        version: '2025',
        period: '2025-08',
        action: 'confirm',
        comment: 'Đúng như báo cáo',
      });
      assert.equal(r.status, 200, r.text);
      const json = await exported();
      assert.equal(json.get(`VF_USED|202508|${a}`), false);
      assert.equal(json.get(`VF_TOTAL|202508|${a}`), false);
      assert.equal(json.get(`VF_USED|20250805|${c}`), true, 'another unit’s flag stays');
      assert.equal(json.get(`VF_TOTAL|202508|${b}`), true, 'a stored followup stays');
      const csv = await csvFlags();
      assert.equal(csv.get(`VF_USED|202508|${a}`), false);
      assert.equal(csv.get(`VF_USED|20250805|${c}`), true);
      const flags = await analyticsFlags();
      assert.ok(!flags.some((f) => f.ou === a), JSON.stringify(flags));
      // c is not among the units asked; the province holds it.
      assert.ok(flags.some((f) => f.ou === PROVINCE));
    });
  });
}
