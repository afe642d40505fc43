/**
 * Validation rules on every import (issue 17): the values an import writes are checked in its
 * transaction against the rules reading them, at the units written and every unit above; the
 * violations are reported in the summary (`validationViolations`) and stored as results, the
 * values kept — unless the caller asked to refuse on a HIGH violation, then nothing is stored.
 * A figure printed over a date range ("8 tháng đầu năm") is checked at that range.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

interface WebMessage {
  status: string;
  response: {
    status: string;
    description: string;
    importCount: { imported: number; updated: number; ignored: number; deleted: number };
    validationViolations?: {
      violations: number;
      high: number;
      list: { rule: string; unit: string; period: string; left: number; right: number }[];
    };
  };
}

for (const engine of testEngines()) {
  describe(`validation rules on import on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      const r = await admin.post('/api/metadata', {
        dataElements: ['VI_VND', 'VI_USD', 'VI_ACTIVE', 'VI_SUBS'].map((code) => ({
          code,
          nameVi: code,
          nameEn: code,
          sector: 'ict',
          valueType: 'number',
          aggTime: 'sum',
        })),
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const rules = [
        {
          // The articles' slip: 1.992 tỷ đồng printed beside ~86,1 tỷ USD.
          code: 'VI_RATE_LOW',
          nameVi: 'Doanh thu: tỷ đồng chia tỷ USD không dưới 15.000',
          nameEn: 'Revenue: VND over USD at least 15,000',
          importance: 'HIGH',
          periodType: 'month',
          levels: [0],
          operator: 'greater_than_or_equal_to',
          left: {
            expression: '#{VI_VND} / #{VI_USD}',
            missingValueStrategy: 'SKIP_IF_ANY_VALUE_MISSING',
          },
          right: { expression: '15000', missingValueStrategy: 'NEVER_SKIP' },
        },
        {
          code: 'VI_ACTIVE_LE_SUBS',
          nameVi: 'Thuê bao hoạt động không vượt tổng',
          nameEn: 'Active within subscribers',
          importance: 'MEDIUM',
          periodType: 'day',
          levels: [2],
          operator: 'less_than_or_equal_to',
          left: { expression: '#{VI_ACTIVE}', missingValueStrategy: 'SKIP_IF_ALL_VALUES_MISSING' },
          right: { expression: '#{VI_SUBS}', missingValueStrategy: 'NEVER_SKIP' },
        },
      ];
      for (const rule of rules) {
        const x = await admin.post('/api/validationRules', rule);
        assert.equal(x.status, 201, JSON.stringify(x.json));
      }
    });
    after(() => t.close());

    const importSet = (dataValues: object[], query = '') =>
      admin.post(`/api/dataValueSets?importStrategy=CREATE_AND_UPDATE${query}`, { dataValues });
    const followUps = async () =>
      (
        await t.database.db
          .selectFrom('task')
          .select(['id', 'unit_code', 'status', 'title'])
          .where('title', 'like', 'Kiểm tra số liệu:%')
          .orderBy('id')
          .execute()
      ).map((x) => [x.unit_code, x.status, x.title]);
    const stored = async (element: string) =>
      (
        await t.database.db
          .selectFrom('data_value as d')
          .innerJoin('data_element as e', 'e.id', 'd.element_id')
          .select('d.value')
          .where('e.code', '=', element)
          .execute()
      ).length;

    it('reports the violations of a commune’s values and keeps them', async () => {
      const r = await importSet([
        { dataElement: 'VI_ACTIVE', period: '2026-11-20', orgUnit: '26740', value: '12' },
        { dataElement: 'VI_SUBS', period: '2026-11-20', orgUnit: '26740', value: '10' },
        { dataElement: 'VI_ACTIVE', period: '2026-11-20', orgUnit: '25747', value: '5' },
        { dataElement: 'VI_SUBS', period: '2026-11-20', orgUnit: '25747', value: '10' },
      ]);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const m = r.json as WebMessage;
      assert.equal(m.response.status, 'WARNING');
      assert.equal(m.response.importCount.imported, 4);
      assert.deepEqual(
        m.response.validationViolations?.list.map((v) => [
          v.rule,
          v.unit,
          v.period,
          v.left,
          v.right,
        ]),
        [['VI_ACTIVE_LE_SUBS', '26740', '2026-11-20', 12, 10]],
      );
      assert.equal(m.response.validationViolations?.high, 0);
      assert.match(m.response.description, /1 vi phạm quy tắc kiểm tra/);
      const results = await admin.get('/api/validationResults');
      assert.equal(results.status, 200);
      assert.match(JSON.stringify(results.json), /VI_ACTIVE_LE_SUBS/);
    });

    it('answers SUCCESS with no violation when the values keep the rules', async () => {
      const r = await importSet([
        { dataElement: 'VI_ACTIVE', period: '2026-11-21', orgUnit: '26740', value: '3' },
        { dataElement: 'VI_SUBS', period: '2026-11-21', orgUnit: '26740', value: '10' },
      ]);
      const m = r.json as WebMessage;
      assert.equal(m.response.status, 'SUCCESS', JSON.stringify(m));
      assert.equal(m.response.validationViolations, undefined);
    });

    it('checks a figure printed over a date range, and refuses it on a HIGH rule when asked', async () => {
      const pair = [
        { dataElement: 'VI_VND', period: '2021-01-01/2021-08-31', orgUnit: 'VN', value: '1992' },
        { dataElement: 'VI_USD', period: '2021-01-01/2021-08-31', orgUnit: 'VN', value: '86.1' },
      ];
      const refused = await importSet(pair, '&refuseOnHighViolation=true');
      assert.equal(refused.status, 409, JSON.stringify(refused.json));
      const m0 = refused.json as WebMessage;
      assert.equal(m0.response.status, 'ERROR');
      assert.equal(m0.response.importCount.imported, 0);
      assert.equal(m0.response.validationViolations?.high, 1);
      assert.equal(await stored('VI_VND'), 0, 'nothing stored');

      const kept = await importSet(pair);
      assert.equal(kept.status, 200);
      const m1 = kept.json as WebMessage;
      assert.equal(m1.response.importCount.imported, 2);
      const [v] = m1.response.validationViolations!.list;
      assert.equal(v?.rule, 'VI_RATE_LOW');
      assert.equal(v?.period, '2021-01-01/2021-08-31');
      assert.ok(Math.abs(v.left - 1992 / 86.1) < 1e-9);
      assert.equal(await stored('VI_VND'), 1);
      // One follow-up task for the unit where the HIGH rule is broken, however often checked.
      await importSet(pair);
      assert.deepEqual(await followUps(), [
        [
          'VN',
          'received',
          'Kiểm tra số liệu: Doanh thu: tỷ đồng chia tỷ USD không dưới 15.000 — kỳ 2021-01-01/2021-08-31',
        ],
      ]);
      // The figure read back says why it is in doubt: the rule, its sides, where and when.
      const read = await admin.get(
        '/api/analytics/query?dx=VI_VND,VI_ACTIVE&pe=2021-01-01/2021-08-31&ou=VN',
      );
      assert.equal(read.status, 200, read.text);
      const cells = (
        read.json as {
          items: { dx: string; flags?: { rule: string; importance: string; period: string }[] }[];
        }
      ).items;
      assert.deepEqual(
        cells.find((c) => c.dx === 'VI_VND')?.flags?.map((f) => [f.rule, f.importance, f.period]),
        [['VI_RATE_LOW', 'HIGH', '2021-01-01/2021-08-31']],
      );
      assert.equal(cells.find((c) => c.dx === 'VI_ACTIVE')?.flags, undefined, 'another element');

      // The same pair printed in nghìn tỷ (×1,000) keeps the rule.
      const fixed = await importSet([{ ...pair[0]!, value: '1992000' }]);
      assert.equal((fixed.json as WebMessage).response.validationViolations, undefined);
      const again = await admin.get(
        '/api/analytics/query?dx=VI_VND&pe=2021-01-01/2021-08-31&ou=VN',
      );
      assert.equal(
        (again.json as { items: { flags?: unknown }[] }).items[0]?.flags,
        undefined,
        'corrected: the flag is gone',
      );
      assert.deepEqual(
        (await followUps()).map((x) => x[1]),
        ['done'],
        'corrected: its task is closed',
      );
    });

    it('confirms a value as correct: the flag goes, its task closes, a re-check raises neither', async () => {
      const pair = [
        { dataElement: 'VI_VND', period: '2021-01-01/2021-06-30', orgUnit: 'VN', value: '1500' },
        { dataElement: 'VI_USD', period: '2021-01-01/2021-06-30', orgUnit: 'VN', value: '65' },
      ];
      await importSet(pair);
      assert.equal((await followUps()).filter((x) => x[1] === 'received').length, 1);
      const flagged = async () =>
        (
          (await admin.get('/api/analytics/query?dx=VI_VND&pe=2021-01-01/2021-06-30&ou=VN'))
            .json as { items: { flags?: unknown[] }[] }
        ).items[0]?.flags?.length ?? 0;
      assert.equal(await flagged(), 1);
      const version = (
        await t.database.db
          .selectFrom('task')
          .select('version')
          .where('status', '=', 'received')
          .where('title', 'like', 'Kiểm tra số liệu:%')
          .executeTakeFirstOrThrow()
      ).version;
      const r = await admin.post('/api/validationResults/review', {
        rule: 'VI_RATE_LOW',
        unit: 'VN',
        version,
        period: '2021-01-01/2021-06-30',
        action: 'confirm',
        comment: 'Số đúng theo báo cáo gốc',
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(await flagged(), 0);
      assert.deepEqual(
        (await followUps()).map((x) => x[1]),
        ['done', 'done'],
      );
      await importSet(pair.map((v) => ({ ...v, comment: 'again' })));
      assert.equal(await flagged(), 0, 'confirmed: not raised again');
      assert.equal((await followUps()).length, 2, 'no second task');
      const audited = await t.database.db
        .selectFrom('audit_event')
        .select('action')
        .where('action', 'in', ['validation_result.confirm', 'validation_result.follow_up'])
        .execute();
      assert.deepEqual(audited.map((a) => a.action).sort(), [
        'validation_result.confirm',
        'validation_result.follow_up',
        'validation_result.follow_up',
      ]);
    });
  });
}
