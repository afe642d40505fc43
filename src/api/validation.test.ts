/**
 * Validation rules (issue 17): created in Opsroom's and DHIS2's shapes, bad input refused whole
 * (nothing stored) with Vietnamese and English problems, run over a subtree and a month giving
 * exactly the expected violations (zero is not missing), results stored and listed, audited.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

const PW = 'Validation-pw-123';
const PROVINCE = '79';

const metadata = {
  breakdowns: [
    {
      code: 'VAL_AREA',
      nameVi: 'Khu vực',
      nameEn: 'Area',
      options: [
        { code: 'VAL_URBAN', nameVi: 'Thành thị', nameEn: 'Urban' },
        { code: 'VAL_RURAL', nameVi: 'Nông thôn', nameEn: 'Rural' },
      ],
    },
  ],
  dataElements: [
    {
      code: 'VAL_SUBS',
      nameVi: 'Thuê bao',
      nameEn: 'Subscribers',
      sector: 'telecom',
      valueType: 'integer',
      aggTime: 'sum',
      breakdown: 'VAL_AREA',
    },
    {
      code: 'VAL_ACTIVE',
      nameVi: 'Thuê bao hoạt động',
      nameEn: 'Active subscribers',
      sector: 'telecom',
      valueType: 'integer',
      aggTime: 'sum',
    },
    {
      code: 'VAL_YEARLY',
      nameVi: 'Chỉ tiêu năm',
      nameEn: 'Yearly figure',
      sector: 'telecom',
      valueType: 'integer',
      aggTime: 'sum',
    },
  ],
  dataSets: [
    {
      code: 'VAL_DS_YEAR',
      nameVi: 'Báo cáo năm',
      nameEn: 'Yearly report',
      periodType: 'year',
      version: '2025',
      level: 2,
      elements: ['VAL_YEARLY'],
    },
  ],
};

/** Opsroom's shape. */
const activeWithinSubs = {
  code: 'VAL_ACTIVE_LE_SUBS',
  nameVi: 'Thuê bao hoạt động không vượt tổng thuê bao',
  nameEn: 'Active subscribers within subscribers',
  instructionVi: 'Kiểm tra lại số thuê bao hoạt động',
  instructionEn: 'Check the active subscribers',
  importance: 'HIGH',
  periodType: 'month',
  levels: [2],
  operator: 'less_than_or_equal_to',
  left: { expression: '#{VAL_ACTIVE}' },
  right: { expression: '#{VAL_SUBS}' },
};

/** DHIS2's shape: both areas or neither. */
const bothAreas = {
  id: 'VrPair00001',
  name: 'Urban and rural both reported',
  instruction: 'Report both areas',
  importance: 'MEDIUM',
  periodType: 'Monthly',
  operator: 'compulsory_pair',
  organisationUnitLevels: [3],
  leftSide: {
    expression: '#{VAL_SUBS.VAL_URBAN}',
    missingValueStrategy: 'SKIP_IF_ALL_VALUES_MISSING',
  },
  rightSide: {
    expression: '#{VAL_SUBS.VAL_RURAL}',
    missingValueStrategy: 'SKIP_IF_ALL_VALUES_MISSING',
  },
};

const positive = (code: string, strategy: string) => ({
  code,
  nameVi: `Dương (${strategy})`,
  nameEn: `Positive (${strategy})`,
  importance: 'LOW',
  periodType: 'month',
  levels: [2],
  operator: 'greater_than',
  left: { expression: '#{VAL_ACTIVE}', missingValueStrategy: strategy },
  right: { expression: '0' },
});

interface Violation {
  validationRuleId: string;
  validationRuleCode: string;
  organisationUnitCode: string;
  periodId: string;
  period: string;
  leftSideValue: number | null;
  rightSideValue: number | null;
  operator: string;
  importance: string;
  instruction: string | null;
}

for (const engine of testEngines()) {
  describe(`validation rules on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let provinceAdmin: ApiClient;
    let communes: string[];
    let otherProvinceCommune: string;

    const count = async (table: string, where = sql`true`) =>
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(t.database.db)
      ).rows[0]!.n;
    const audits = (action: string) => count('audit_event', sql`action = ${action}`);

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      await t.services.auth.createUser('system', {
        username: 'val-admin79',
        password: PW,
        role: 'admin',
        scope: { version: '2025', code: PROVINCE },
      });
      provinceAdmin = ApiClient.for(t.services);
      assert.equal((await provinceAdmin.login('val-admin79', PW)).status, 200);
      const m = await admin.post('/api/metadata', metadata);
      assert.equal(m.status, 200, m.text);
      const r = await admin.get(`/api/orgunits?version=2025&parent=${PROVINCE}&limit=1000`);
      communes = (r.json.items as { code: string }[]).map((u) => u.code);
      assert.ok(communes.length > 4);
      const o = await admin.get('/api/orgunits?version=2025&parent=01&limit=1');
      otherProvinceCommune = (o.json.items as { code: string }[])[0]!.code;
    });
    after(() => t.close());

    it('creates rules in Opsroom’s shape and DHIS2’s, answers both shapes, audits', async () => {
      const a = await admin.post('/api/validationRules', activeWithinSubs);
      assert.equal(a.status, 201, a.text);
      assert.equal(a.json.code, 'VAL_ACTIVE_LE_SUBS');
      assert.equal(a.json.periodType, 'Monthly');
      assert.deepEqual(a.json.organisationUnitLevels, [3]);
      assert.deepEqual(a.json.levels, [2]);
      assert.equal(a.json.left.missingValueStrategy, 'SKIP_IF_ALL_VALUES_MISSING', 'DHIS2 default');
      assert.equal(a.json.leftSide.expression, '#{VAL_ACTIVE}');

      const b = await admin.post('/api/validationRules', bothAreas);
      assert.equal(b.status, 201, b.text);
      assert.equal(b.json.id, 'VrPair00001');
      assert.equal(b.json.code, 'VrPair00001', 'a DHIS2 rule without code is keyed by its uid');
      assert.deepEqual(b.json.levels, [2]);
      assert.equal(b.json.nameVi, 'Urban and rural both reported');

      for (const [code, s] of [
        ['VAL_POS_SKIP', 'SKIP_IF_ALL_VALUES_MISSING'],
        ['VAL_POS_NEVER', 'NEVER_SKIP'],
      ] as const) {
        const r = await admin.post('/api/validationRules', positive(code, s));
        assert.equal(r.status, 201, r.text);
      }
      assert.equal(await audits('validation_rule.create'), 4);

      const one = await admin.get('/api/validationRules/VrPair00001');
      assert.equal(one.status, 200);
      assert.equal(one.json.operator, 'compulsory_pair');
      const list = await admin.get('/api/validationRules');
      assert.equal(list.json.validationRules.length, 4);

      // Round trip: the answer (both shapes in one) is accepted back; unchanged, it writes
      // nothing; a change is written and audited.
      const same = await admin.request('PUT', '/api/validationRules/VAL_ACTIVE_LE_SUBS', a.json);
      assert.equal(same.status, 200, same.text);
      assert.equal(await audits('validation_rule.update'), 0);
      const again = await admin.request('PUT', '/api/validationRules/VAL_ACTIVE_LE_SUBS', {
        ...a.json,
        importance: 'HIGH',
        nameEn: 'Active subscribers within all subscribers',
        name: 'Active subscribers within all subscribers',
      });
      assert.equal(again.status, 200, again.text);
      assert.equal(await audits('validation_rule.update'), 1);

      const dup = await admin.post('/api/validationRules', activeWithinSubs);
      assert.equal(dup.status, 409);

      const g = await admin.post('/api/validationRuleGroups', {
        code: 'VAL_GROUP',
        nameVi: 'Nhóm',
        nameEn: 'Group',
        rules: ['VAL_ACTIVE_LE_SUBS', 'VrPair00001'],
      });
      assert.equal(g.status, 200, g.text);
      const groups = await admin.get('/api/validationRuleGroups');
      assert.deepEqual(groups.json.validationRuleGroups[0].rules, [
        'VAL_ACTIVE_LE_SUBS',
        'VrPair00001',
      ]);
    });

    it('refuses bad rules whole, in Vietnamese and English, storing nothing', async () => {
      const rules = await count('validation_rule');
      const audited = await count('audit_event');
      const bad = (patch: Record<string, unknown>) => ({
        ...activeWithinSubs,
        code: 'VAL_BAD',
        ...patch,
      });
      const cases: [string, unknown, RegExp][] = [
        [
          'unknown element',
          bad({ left: { expression: '#{NO_SUCH}' } }),
          /no data element "NO_SUCH"/,
        ],
        [
          'unknown option',
          bad({ left: { expression: '#{VAL_SUBS.NOPE}' } }),
          /no breakdown option "NOPE"/,
        ],
        ['unparsable', bad({ left: { expression: '#{VAL_ACTIVE} +' } }), /position/],
        [
          'not an element',
          bad({ left: { expression: 'N{SOME_INDICATOR}' } }),
          /only use data elements/,
        ],
        ['unknown operator', bad({ operator: 'bigger_than' }), /operator/],
        [
          'unknown strategy',
          bad({ left: { expression: '#{VAL_ACTIVE}', missingValueStrategy: 'SOMETIMES' } }),
          /missingValueStrategy/,
        ],
        ['unknown importance', bad({ importance: 'URGENT' }), /importance/],
        ['unknown period type', bad({ periodType: 'Fortnightly' }), /periodType/],
        [
          'impossible period type',
          bad({ periodType: 'month', left: { expression: '#{VAL_YEARLY}' } }),
          /does not fit data element VAL_YEARLY/,
        ],
      ];
      for (const [name, body, en] of cases) {
        const r = await admin.post('/api/validationRules', body);
        assert.equal(r.status, 422, `${name}: ${r.text}`);
        assert.equal(r.json.error.code, 'validation_rule_invalid', name);
        const problems = r.json.error.details.problems as {
          path: string;
          vi: string;
          en: string;
        }[];
        assert.ok(problems.length > 0, name);
        assert.ok(
          problems.some((p) => en.test(`${p.path} ${p.en}`)),
          `${name}: ${JSON.stringify(problems)}`,
        );
        assert.ok(
          problems.every((p) => p.vi.length > 0 && p.en.length > 0),
          name,
        );
        assert.ok(r.json.error.messages.vi.length > 0);
      }
      // A province admin may not write rules (national metadata), nor run outside its scope.
      const scoped = await provinceAdmin.post('/api/validationRules', {
        ...activeWithinSubs,
        code: 'VAL_P',
      });
      assert.equal(scoped.status, 403, scoped.text);
      assert.equal(scoped.json.error.code, 'out_of_scope');
      const run = await provinceAdmin.post('/api/dataAnalysis/validationRules', {
        ou: otherProvinceCommune,
        startDate: '2025-08-01',
        endDate: '2025-08-31',
      });
      assert.equal(run.status, 403, run.text);
      assert.equal(run.json.error.code, 'out_of_scope');
      // A group naming an unknown rule.
      const g = await admin.post('/api/validationRuleGroups', {
        code: 'VAL_G2',
        nameVi: 'N',
        nameEn: 'N',
        rules: ['NO_RULE'],
      });
      assert.equal(g.status, 422);
      assert.equal(await count('validation_rule'), rules);
      assert.equal(await count('validation_rule_group'), 1);
      assert.equal(await count('audit_event'), audited);
    });

    it('runs over a province and a month: exactly the expected violations, zero is not missing', async () => {
      const [c1, c2, c3, c4] = communes as [string, string, string, string];
      const v = (de: string, ou: string, value: number, co?: string) => ({
        dataElement: de,
        period: '202508',
        orgUnit: ou,
        value: String(value),
        ...(co ? { categoryOptionCombo: co } : {}),
      });
      const imported = await admin.post('/api/data/import', {
        dataValues: [
          // c1: 60 + 40 subscribers, 120 active: active > subscribers
          v('VAL_SUBS', c1, 60, 'VAL_URBAN'),
          v('VAL_SUBS', c1, 40, 'VAL_RURAL'),
          v('VAL_ACTIVE', c1, 120),
          // c2: urban only (the pair is broken), 0 active (zero: a value)
          v('VAL_SUBS', c2, 50, 'VAL_URBAN'),
          v('VAL_ACTIVE', c2, 0),
          // c3: active only, subscribers missing: the comparison is skipped
          v('VAL_ACTIVE', c3, 5),
          // c4 and the others: nothing
        ],
      });
      assert.equal(imported.status, 200, imported.text);
      void c4;

      const r = await admin.post('/api/dataAnalysis/validationRules', {
        ou: PROVINCE,
        startDate: '2025-08-01',
        endDate: '2025-08-31',
        persist: true,
        notification: false,
      });
      assert.equal(r.status, 200, r.text);
      const found = r.json as Violation[];
      const of = (rule: string) =>
        found
          .filter((x) => x.validationRuleCode === rule)
          .map((x) => [x.organisationUnitCode, x.leftSideValue, x.rightSideValue]);
      assert.deepEqual(of('VAL_ACTIVE_LE_SUBS'), [[c1, 120, 100]]);
      assert.deepEqual(of('VrPair00001'), [[c2, 50, null]]);
      // Missing is skipped; zero is a value and 0 > 0 fails.
      assert.deepEqual(of('VAL_POS_SKIP'), [[c2, 0, 0]]);
      // NEVER_SKIP: a commune with no value counts as 0 and fails too.
      const never = of('VAL_POS_NEVER');
      assert.equal(never.length, communes.length - 2);
      assert.ok(!never.some(([ou]) => ou === c1 || ou === c3));
      assert.ok(never.some(([ou, l]) => ou === c4 && l === 0));
      const first = found.find((x) => x.validationRuleCode === 'VAL_ACTIVE_LE_SUBS')!;
      assert.equal(first.periodId, '202508');
      assert.equal(first.operator, '<=');
      assert.equal(first.importance, 'HIGH');
      assert.equal(first.instruction, 'Check the active subscribers');

      // The same rules run after a write, in its transaction, find the same at the units it
      // touched (what an import summary will report).
      const db = t.database.db;
      const touched = [c1, c2, c3, c4];
      const unitIds = (
        await sql<{ id: number }>`select id from org_unit where version = '2025'
          and code in (${sql.join(touched)})`.execute(db)
      ).rows.map((x) => x.id);
      const periodIds = (
        await sql<{ id: number }>`select id from period where pid = '2025-08'`.execute(db)
      ).rows.map((x) => x.id);
      const elementIds = (
        await sql<{ id: number }>`select id from data_element
          where code in ('VAL_SUBS', 'VAL_ACTIVE')`.execute(db)
      ).rows.map((x) => x.id);
      assert.equal(periodIds.length, 1);
      const onWrite = await t.services.store.transaction((tx) =>
        t.services.validation.checkValues(tx, { unitIds, periodIds, elementIds }),
      );
      const norm = (xs: [string, string, string, number | null, number | null][]) =>
        xs.map((x) => JSON.stringify(x)).sort();
      assert.deepEqual(
        norm(onWrite.map((x) => [x.rule.code, x.unit.code, x.period, x.left, x.right])),
        norm(
          found
            .filter((x) => touched.includes(x.organisationUnitCode))
            .map((x) => [
              x.validationRuleCode,
              x.organisationUnitCode,
              x.period,
              x.leftSideValue,
              x.rightSideValue,
            ]),
        ),
      );
      assert.equal(onWrite.length, 5, 'c1 ≤, c2 pair, c2 zero twice, c4 never-skip');

      // DHIS2's data set validation: one unit, one period, the rules of the set's elements.
      const dsBody = {
        code: 'VAL_DS_MONTH',
        nameVi: 'Báo cáo tháng',
        nameEn: 'Monthly report',
        periodType: 'month',
        version: '2025',
        level: 2,
        elements: ['VAL_SUBS', 'VAL_ACTIVE'],
      };
      assert.equal((await admin.post('/api/metadata', { dataSets: [dsBody] })).status, 200);
      const ds = await admin.get(`/api/validation/dataSet/VAL_DS_MONTH?pe=202508&ou=${c2}`);
      assert.equal(ds.status, 200, ds.text);
      const dsFound = (
        ds.json.validationRuleViolations as { validationRule: { code: string } }[]
      ).map((x) => x.validationRule.code);
      assert.deepEqual(dsFound.sort(), ['VAL_POS_NEVER', 'VAL_POS_SKIP', 'VrPair00001']);
      const dsOut = await provinceAdmin.get(
        `/api/validation/dataSet/VAL_DS_MONTH?pe=202508&ou=${otherProvinceCommune}`,
      );
      assert.equal(dsOut.status, 403);

      // Stored, listed, audited.
      assert.equal(await count('validation_result'), found.length);
      assert.equal(await audits('validation_result.replace'), 1);
      const stored = await admin.get('/api/validationResults?pageSize=5&vr=VAL_ACTIVE_LE_SUBS');
      assert.equal(stored.status, 200, stored.text);
      assert.equal(stored.json.pager.total, 1);
      assert.equal(stored.json.validationResults[0].organisationUnit.code, c1);
      assert.equal(stored.json.validationResults[0].leftsideValue, 120);

      // A group runs only its rules.
      const g = await admin.post('/api/dataAnalysis/validationRules', {
        ou: PROVINCE,
        startDate: '2025-08-01',
        endDate: '2025-08-31',
        vrg: 'VAL_GROUP',
      });
      assert.equal(g.status, 200, g.text);
      assert.deepEqual(
        new Set((g.json as Violation[]).map((x) => x.validationRuleCode)),
        new Set(['VAL_ACTIVE_LE_SUBS', 'VrPair00001']),
      );

      // The value corrected: the next persisted run removes the stored violation.
      const fixed = await admin.post('/api/data/import', { dataValues: [v('VAL_ACTIVE', c1, 90)] });
      assert.equal(fixed.status, 200, fixed.text);
      const again = await admin.post('/api/dataAnalysis/validationRules', {
        ou: PROVINCE,
        startDate: '2025-08-01',
        endDate: '2025-08-31',
        vrg: 'VAL_GROUP',
        persist: true,
      });
      assert.equal(again.status, 200, again.text);
      const after = await admin.get('/api/validationResults?vr=VAL_ACTIVE_LE_SUBS');
      assert.equal(after.json.pager.total, 0);
      assert.equal(await count('validation_result', sql`importance = 'LOW'`), never.length + 1);
    });

    it('refuses a run over the limit and bad dates', async () => {
      const big = await admin.post('/api/dataAnalysis/validationRules', {
        ou: 'VN',
        startDate: '2025-07-01',
        endDate: '2027-06-30',
      });
      assert.equal(big.status, 422, big.text.slice(0, 500));
      assert.equal(big.json.error.code, 'validation_too_large');
      const backwards = await admin.post('/api/dataAnalysis/validationRules', {
        ou: PROVINCE,
        startDate: '2025-09-01',
        endDate: '2025-08-01',
      });
      assert.equal(backwards.status, 400);
    });

    it('deletes a rule with its results, audited', async () => {
      const d = await admin.request('DELETE', '/api/validationRules/VAL_POS_NEVER');
      assert.equal(d.status, 204, d.text);
      assert.equal((await admin.get('/api/validationRules/VAL_POS_NEVER')).status, 404);
      assert.equal(await audits('validation_rule.delete'), 1);
      assert.equal(await count('validation_result', sql`importance = 'LOW'`), 1);
    });
  });
}
