/**
 * `GET /api/validationResults` for the data quality screen (issue 17): DHIS2's fields plus the
 * rule's names, instruction and operator, the unit's name and version, the follow-up's state and
 * task; `state=open` leaves out what a reviewer confirmed; most important first, then newest; a
 * province admin sees its subtree only, and may narrow it to a unit (`ou`) inside it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';
import type { ValidationResultList } from '../contract/validation.ts';
import type { z } from '@hono/zod-openapi';

type List = z.infer<typeof ValidationResultList>;

const PW = 'Quality-pw-123';
const PROVINCE = '79';
const OTHER = '01';

const metadata = {
  dataElements: [
    {
      code: 'QR_USED',
      nameVi: 'Số đã dùng',
      nameEn: 'Used',
      sector: 'telecom',
      valueType: 'integer',
      aggTime: 'sum',
    },
    {
      code: 'QR_TOTAL',
      nameVi: 'Tổng số',
      nameEn: 'Total',
      sector: 'telecom',
      valueType: 'integer',
      aggTime: 'sum',
    },
  ],
};

const rule = (code: string, importance: string, operator: string) => ({
  code,
  nameVi: `Đã dùng so với tổng (${code})`,
  nameEn: `Used against total (${code})`,
  instructionVi: `Kiểm tra lại số đã dùng (${code})`,
  instructionEn: `Check the used figure (${code})`,
  importance,
  periodType: 'month',
  levels: [2],
  operator,
  left: { expression: '#{QR_USED}' },
  right: { expression: '#{QR_TOTAL}' },
});

const RULES = [
  rule('QR_HIGH', 'HIGH', 'less_than_or_equal_to'),
  rule('QR_LOW', 'LOW', 'less_than'),
  rule('QR_MEDIUM', 'MEDIUM', 'equal_to'),
];

for (const engine of testEngines()) {
  describe(`validation results for the data quality screen on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let provinceAdmin: ApiClient;
    let here: string;
    let there: string;

    const list = async (c: ApiClient, q = '') => {
      const r = await c.get(`/api/validationResults?pageSize=100${q}`);
      assert.equal(r.status, 200, r.text);
      return r.json as List;
    };
    const importAt = async (ou: string) => {
      const r = await admin.post('/api/data/import', {
        dataValues: [
          { dataElement: 'QR_USED', period: '202508', orgUnit: ou, value: '120' },
          { dataElement: 'QR_TOTAL', period: '202508', orgUnit: ou, value: '100' },
        ],
      });
      assert.equal(r.status, 200, r.text);
    };

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      await t.services.auth.createUser('system', {
        username: 'quality-admin79',
        password: PW,
        role: 'admin',
        scope: { version: '2025', code: PROVINCE },
      });
      provinceAdmin = ApiClient.for(t.services);
      assert.equal((await provinceAdmin.login('quality-admin79', PW)).status, 200);
      assert.equal((await admin.post('/api/metadata', metadata)).status, 200);
      for (const r of RULES) {
        const c = await admin.post('/api/validationRules', r);
        assert.equal(c.status, 201, c.text);
      }
      const a = await admin.get(`/api/orgunits?version=2025&parent=${PROVINCE}&limit=1`);
      here = (a.json.items as { code: string }[])[0]!.code;
      const b = await admin.get(`/api/orgunits?version=2025&parent=${OTHER}&limit=1`);
      there = (b.json.items as { code: string }[])[0]!.code;
      // Two imports: the second one's results are the newer.
      await importAt(here);
      await new Promise((r) => setTimeout(r, 20));
      await importAt(there);
    });
    after(() => t.close());

    it('answers DHIS2’s fields and the rule, unit and follow-up, most important then newest', async () => {
      const l = await list(admin);
      assert.equal(l.pager.total, 6);
      assert.deepEqual(
        l.validationResults.map((r) => [r.validationRule.code, r.organisationUnit.code]),
        [
          ['QR_HIGH', there],
          ['QR_HIGH', here],
          ['QR_MEDIUM', there],
          ['QR_MEDIUM', here],
          ['QR_LOW', there],
          ['QR_LOW', here],
        ],
      );
      const high = l.validationResults[1]!;
      assert.equal(high.validationRule.nameVi, 'Đã dùng so với tổng (QR_HIGH)');
      assert.equal(high.validationRule.nameEn, 'Used against total (QR_HIGH)');
      assert.equal(high.validationRule.name, 'Used against total (QR_HIGH)');
      assert.equal(high.validationRule.instructionVi, 'Kiểm tra lại số đã dùng (QR_HIGH)');
      assert.equal(high.validationRule.instructionEn, 'Check the used figure (QR_HIGH)');
      assert.equal(high.validationRule.operator, 'less_than_or_equal_to');
      assert.equal(high.validationRule.operatorSign, '<=');
      assert.equal(high.validationRule.importance, 'HIGH');
      assert.equal(high.importance, 'HIGH');
      assert.equal(high.organisationUnit.version, '2025');
      assert.ok(high.organisationUnit.name.length > 0);
      assert.ok(high.organisationUnit.path.includes(`/${PROVINCE}/`));
      assert.equal(high.period.id, '2025-08');
      assert.equal(high.leftsideValue, 120);
      assert.equal(high.rightsideValue, 100);
      assert.equal(high.notificationSent, false);
      assert.equal(high.followup.state, 'open');
      assert.equal(typeof high.followup.taskId, 'number', 'a HIGH violation opens a task');
      // The values the rule reads, stored at the unit and period: what the card may correct.
      assert.deepEqual(
        high.values.map((v) => [
          v.dataElement,
          v.dataElementNameVi,
          v.categoryOptionCombo,
          v.value,
        ]),
        [
          ['QR_TOTAL', 'Tổng số', 'default', 100],
          ['QR_USED', 'Số đã dùng', 'default', 120],
        ],
      );
      const low = l.validationResults[5]!;
      assert.equal(low.followup.state, 'open');
      assert.equal(low.followup.taskId, null, 'a LOW one does not');
      // Paged in the same order.
      const p2 = await admin.get('/api/validationResults?pageSize=2&page=2');
      assert.deepEqual(
        (p2.json as List).validationResults.map((r) => r.validationRule.code),
        ['QR_MEDIUM', 'QR_MEDIUM'],
      );
      assert.equal((p2.json as List).pager.total, 6);
    });

    it('keeps a province admin to its subtree, and narrows to a unit in it', async () => {
      const l = await list(provinceAdmin);
      assert.equal(l.pager.total, 3);
      assert.ok(l.validationResults.every((r) => r.organisationUnit.code === here));
      const root = await list(admin, '&ou=VN');
      assert.equal(root.pager.total, 6, 'the own scope unit: no narrowing');
      const narrowed = await list(admin, `&ou=${PROVINCE}`);
      assert.equal(narrowed.pager.total, 3);
      assert.ok(narrowed.validationResults.every((r) => r.organisationUnit.code === here));
      const own = await list(provinceAdmin, `&ou=${here}&ouVersion=2025`);
      assert.equal(own.pager.total, 3);
      const out = await provinceAdmin.get(`/api/validationResults?ou=${there}`);
      assert.equal(out.status, 403, out.text);
      const unknown = await admin.get('/api/validationResults?ou=NO_SUCH_UNIT');
      assert.equal(unknown.status >= 400 && unknown.status < 500, true, unknown.text);
    });

    it('filters by follow-up state: a confirmed result is not open', async () => {
      const before = await list(admin, '&state=open');
      assert.equal(before.pager.total, 6);
      const r = await provinceAdmin.post('/api/validationResults/review', {
        rule: 'QR_HIGH',
        unit: here,
        version: '2025',
        period: '2025-08',
        action: 'confirm',
        comment: 'Đúng như báo cáo',
      });
      assert.equal(r.status, 200, r.text);
      const open = await list(admin, '&state=open');
      assert.equal(open.pager.total, 5);
      assert.ok(
        !open.validationResults.some(
          (x) => x.validationRule.code === 'QR_HIGH' && x.organisationUnit.code === here,
        ),
      );
      const all = await list(admin);
      assert.equal(all.pager.total, 6, 'default: all');
      const confirmed = all.validationResults.find(
        (x) => x.validationRule.code === 'QR_HIGH' && x.organisationUnit.code === here,
      )!;
      assert.equal(confirmed.followup.state, 'confirmed');
      assert.equal(confirmed.followup.comment, 'Đúng như báo cáo');
      const only = await list(admin, '&state=confirmed');
      assert.equal(only.pager.total, 1);
      const scoped = await list(provinceAdmin, '&state=open');
      assert.equal(scoped.pager.total, 2);
      const bad = await admin.get('/api/validationResults?state=maybe');
      assert.equal(bad.status, 400, bad.text);
    });

    it('a value corrected from the card takes its rule’s results away and closes the task', async () => {
      const before = (await list(admin)).validationResults.find(
        (x) => x.validationRule.code === 'QR_HIGH' && x.organisationUnit.code === there,
      )!;
      const used = before.values.find((v) => v.dataElement === 'QR_USED')!;
      // As the card posts it: the stored value's element and option, at the result's unit and
      // period.
      const r = await admin.post('/api/dataValues', {
        dataElement: used.dataElement,
        orgUnit: there,
        period: before.period.id,
        categoryOptionCombo: used.categoryOptionCombo,
        value: '90',
        comment: 'Sửa theo sổ gốc',
      });
      assert.equal(r.status, 201, r.text);
      const after = (await list(admin)).validationResults.filter(
        (x) => x.organisationUnit.code === there,
      );
      // 90 ≤ 100 and 90 < 100 hold again; 90 = 100 does not.
      assert.deepEqual(
        after.map((x) => x.validationRule.code),
        ['QR_MEDIUM'],
      );
      assert.deepEqual(
        after[0]!.values.map((v) => [v.dataElement, v.value]),
        [
          ['QR_TOTAL', 100],
          ['QR_USED', 90],
        ],
      );
      const task = await t.database.db
        .selectFrom('task')
        .select('status')
        .where('id', '=', before.followup.taskId!)
        .executeTakeFirstOrThrow();
      assert.equal(task.status, 'done');
    });
  });
}
