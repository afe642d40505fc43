/**
 * A bulk load's follow-up tasks (issue 17, migration 0029): a load that breaks a HIGH rule, or
 * its ranges, at more than DEFER_FOLLOW_UPS units stores its follow-ups in its transaction
 * without their tasks, and an outbox row; the tasks are opened after the commit by the outbox
 * drain. Here the process "dies" between the commit and the drain (its alert service closed
 * before the load): nothing is lost — another start's drain opens every task, once, with its
 * audit row and live event; draining again opens none.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createServices } from '../services/index.ts';
import { DEFER_FOLLOW_UPS } from '../services/follow-up.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

const UNITS = DEFER_FOLLOW_UPS + 100;

for (const engine of testEngines()) {
  describe(`a bulk load's follow-up tasks, after its commit, on ${engine}`, () => {
    let t: TestDb;
    let communes: string[];

    before(async () => {
      t = await openTestDb(engine);
      const admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      const r = await admin.post('/api/metadata', {
        dataElements: ['FB_ACTIVE', 'FB_SUBS'].map((code) => ({
          code,
          nameVi: code,
          nameEn: code,
          sector: 'ict',
          valueType: 'number',
          aggTime: 'sum',
        })),
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const rule = await admin.post('/api/validationRules', {
        code: 'FB_ACTIVE_LE_SUBS',
        nameVi: 'Thuê bao hoạt động không vượt tổng thuê bao',
        nameEn: 'Active within subscribers',
        importance: 'HIGH',
        periodType: 'day',
        levels: [2],
        operator: 'less_than_or_equal_to',
        left: { expression: '#{FB_ACTIVE}', missingValueStrategy: 'SKIP_IF_ANY_VALUE_MISSING' },
        right: { expression: '#{FB_SUBS}', missingValueStrategy: 'SKIP_IF_ANY_VALUE_MISSING' },
      });
      assert.equal(rule.status, 201, JSON.stringify(rule.json));
      // Communes of the 2025 tree, the one in force for November 2026.
      const rows = await sql<{ code: string; id: number }>`
        select u.code, u.id from org_unit u
        where u.version = '2025' and u.level = 2
        order by u.code limit ${UNITS}`.execute(t.database.db);
      communes = rows.rows.map((x) => x.code);
      assert.equal(communes.length, UNITS);
      // A range for every commune's subscribers: 0–100 (fixture rows, as the form would set).
      await sql`
        insert into min_max_value (unit_id, element_id, option_id, min_value, max_value, updated_by)
        select u.id, e.id, o.id, 0, 100, 'test'
        from org_unit u, data_element e, breakdown_option o
        where u.id = any(${rows.rows.map((x) => x.id)}::int[]) and e.code = 'FB_SUBS'
          and o.code = 'default'`.execute(t.database.db);
    });
    after(() => t?.close());

    const count = async (q: ReturnType<typeof sql<{ n: number }>>) =>
      Number((await q.execute(t.database.db)).rows[0]!.n);
    const tasks = () =>
      count(sql<{ n: number }>`select count(*) as n from task
        where title like 'Kiểm tra số liệu:%' or title like 'Kiểm tra giá trị bất thường:%'`);
    const pending = async () => ({
      followups: await count(
        sql<{ n: number }>`select count(*) as n from validation_followup where task_id is null`,
      ),
      outliers: await count(
        sql<{ n: number }>`select count(*) as n from value_outlier where task_id is null`,
      ),
      outbox: await count(
        sql<{ n: number }>`select count(*) as n from outbox where kind = 'follow_ups'`,
      ),
    });

    it('stores the follow-ups with the load, and opens their tasks at the next drain', async () => {
      // The process that loads stops before its drain runs: only what committed remains.
      await t.services.alerts.close();
      const summary = await t.services.dataValues.import(
        'system',
        {
          values: communes.flatMap((orgUnit, i) => [
            { index: 2 * i, dataElement: 'FB_ACTIVE', period: '2026-11-20', orgUnit, value: '120' },
            {
              index: 2 * i + 1,
              dataElement: 'FB_SUBS',
              period: '2026-11-20',
              orgUnit,
              value: '110',
            },
          ]),
        },
        { atomic: false },
      );
      assert.equal(summary.importCount.imported, 2 * UNITS, JSON.stringify(summary).slice(0, 1500));
      // One outbox row from the rules, one from the ranges.
      assert.deepEqual(await pending(), { followups: UNITS, outliers: UNITS, outbox: 2 });
      assert.equal(await tasks(), 0, 'no task in the load’s transaction');

      // Another start: its drain opens what the load left.
      const next = createServices(t.database);
      await next.alerts.flush();
      assert.deepEqual(await pending(), { followups: 0, outliers: 0, outbox: 0 });
      assert.equal(await tasks(), 2 * UNITS, 'one per broken rule and one per unit’s outliers');
      assert.equal(
        await count(sql<{ n: number }>`select count(*) as n from audit_event
          where action in ('validation_result.follow_up', 'value_outlier.follow_up')`),
        2 * UNITS,
      );
      // Each task is announced: its live event was stored and handed on.
      assert.equal(
        await count(sql<{ n: number }>`select count(*) as n from live_event
          where topic = 'task' and payload->>'created' = 'true'`),
        2 * UNITS,
      );
      // A task names what to check, as one opened in the load's transaction does.
      const one = await sql<{ title: string }>`select t.title from task t
        join validation_followup f on f.task_id = t.id limit 1`.execute(t.database.db);
      assert.match(one.rows[0]!.title, /^Kiểm tra số liệu: Thuê bao hoạt động .* kỳ 2026-11-20$/);

      // Draining again opens nothing more.
      await next.alerts.flush();
      assert.equal(await tasks(), 2 * UNITS);
    });

    it('a small load still opens its tasks in its own transaction', async () => {
      const summary = await t.services.dataValues.import(
        'system',
        {
          values: [
            {
              index: 0,
              dataElement: 'FB_ACTIVE',
              period: '2026-11-21',
              orgUnit: communes[0]!,
              value: '9',
            },
            {
              index: 1,
              dataElement: 'FB_SUBS',
              period: '2026-11-21',
              orgUnit: communes[0]!,
              value: '8',
            },
          ],
        },
        { atomic: false },
      );
      assert.equal(summary.importCount.imported, 2, summary.description.en);
      assert.deepEqual(await pending(), { followups: 0, outliers: 0, outbox: 0 });
      assert.equal(await tasks(), 2 * UNITS + 1);
    });
  });
}
