/**
 * Alerts on "new HIGH violations in my scope" (issue 17): a rule of subject type `violations`
 * counts the stored, unconfirmed violations of an importance under each unit of its level. An
 * import breaking a HIGH rule in a commune opens the province's alert (a live event); confirming
 * or correcting the value takes it back down; the follow-up task a violation opens and closes
 * is a live `task` event too. A leader of another province may neither set the rule there nor
 * see its alert.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { SseClient, json } from '../live/sse-client.ts';
import { AlertService, type Alert } from '../services/alert.service.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';
import { createApp } from './app.ts';

const PW = 'Violations-pw-123';
const PROVINCE = '79';
const OTHER = '01';

const metadata = {
  dataElements: [
    {
      code: 'AV_USED',
      nameVi: 'Số đã dùng',
      nameEn: 'Used',
      sector: 'telecom',
      valueType: 'integer',
      aggTime: 'sum',
    },
    {
      code: 'AV_TOTAL',
      nameVi: 'Tổng số',
      nameEn: 'Total',
      sector: 'telecom',
      valueType: 'integer',
      aggTime: 'sum',
    },
  ],
};

const VALIDATION_RULE = {
  code: 'AV_USED_LE_TOTAL',
  nameVi: 'Số đã dùng không vượt tổng số',
  nameEn: 'Used does not exceed the total',
  importance: 'HIGH',
  periodType: 'month',
  levels: [2],
  operator: 'less_than_or_equal_to',
  left: { expression: '#{AV_USED}' },
  right: { expression: '#{AV_TOTAL}' },
};

const RULE = {
  nameVi: 'Vi phạm nghiêm trọng mới trong tỉnh',
  nameEn: 'New HIGH violations in the province',
  subjectType: 'violations',
  subject: 'HIGH',
  unit: { version: '2025', code: PROVINCE },
  level: 1,
  periodType: 'month',
};

interface TaskEvent {
  taskId: number;
  directiveId: number | null;
  status: string;
  unit: { version: string; code: string; name: string; path: string };
  created?: boolean;
}

for (const engine of testEngines()) {
  describe(`alerts on validation violations on ${engine}`, () => {
    let t: TestDb;
    let url: string;
    let server: ServerType;
    let admin: ApiClient;
    let hcm: ApiClient;
    let hanoi: ApiClient;
    let communeA: string;
    let communeB: string;
    let ruleId: number;
    const streams: SseClient[] = [];

    const stream = async (username: string, password = PW) => {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      assert.equal(res.status, 200);
      const cookie = res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const c = await SseClient.connect(`${url}/api/live?topics=data,alert,task`, {
        headers: { cookie },
      });
      streams.push(c);
      await c.waitFor((e) => e.event === 'hello', 'hello');
      return c;
    };
    const alertEvent = (c: SseClient, match: (a: Alert) => boolean, what: string) =>
      c
        .waitFor((e) => e.event === 'alert' && match(json<Alert>(e)), what)
        .then((e) => ({ id: Number(e.id), alert: json<Alert>(e) }));
    const taskEvent = (c: SseClient, match: (x: TaskEvent) => boolean, what: string) =>
      c
        .waitFor((e) => e.event === 'task' && match(json<TaskEvent>(e)), what)
        .then((e) => json<TaskEvent>(e));
    const importAt = async (ou: string, used: number) => {
      const r = await admin.post('/api/data/import', {
        dataValues: [
          { dataElement: 'AV_USED', period: '202508', orgUnit: ou, value: String(used) },
          { dataElement: 'AV_TOTAL', period: '202508', orgUnit: ou, value: '100' },
        ],
      });
      assert.equal(r.status, 200, r.text);
    };
    const alertsOf = async (c: ApiClient, q = '') => {
      const r = await c.get(`/api/alerts?rule=${ruleId}${q}`);
      assert.equal(r.status, 200, r.text);
      return r.json.items as Alert[];
    };

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      for (const [username, code] of [
        ['av.lanhdao79', PROVINCE],
        ['av.lanhdao01', OTHER],
      ] as const) {
        await t.services.auth.createUser('system', {
          username,
          password: PW,
          role: 'leader',
          scope: { version: '2025', code },
        });
      }
      hcm = ApiClient.for(t.services);
      assert.equal((await hcm.login('av.lanhdao79', PW)).status, 200);
      hanoi = ApiClient.for(t.services);
      assert.equal((await hanoi.login('av.lanhdao01', PW)).status, 200);
      assert.equal((await admin.post('/api/metadata', metadata)).status, 200);
      const v = await admin.post('/api/validationRules', VALIDATION_RULE);
      assert.equal(v.status, 201, v.text);
      const units = await admin.get(`/api/orgunits?version=2025&parent=${PROVINCE}&limit=2`);
      [communeA, communeB] = (units.json.items as { code: string }[]).map((u) => u.code) as [
        string,
        string,
      ];
      assert.ok(communeA && communeB);
      const app = createApp(t.services);
      ({ url, server } = await new Promise<{ url: string; server: ServerType }>((resolve) => {
        const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
          resolve({ url: `http://127.0.0.1:${info.port}`, server: s }),
        );
      }));
    });
    after(async () => {
      for (const c of streams) c.close();
      (server as Server).closeAllConnections();
      await new Promise((r) => server.close(r));
      await t.close();
    });

    it('sets a rule on HIGH violations in one’s own province, "> 0" by default, and refuses others', async () => {
      const refused = async (
        body: object,
        status: number,
        code: string,
        vi: RegExp,
        who: ApiClient = hcm,
      ) => {
        const x = await who.post('/api/alerts/rules', body);
        assert.equal(x.status, status, x.text);
        assert.equal(x.json.error.code, code);
        assert.match(x.json.error.messages.vi, vi);
        assert.ok(x.json.error.messages.en.length > 0);
      };
      // Another province's leader: the province is outside their scope.
      await refused(RULE, 403, 'out_of_scope', /ngoài phạm vi/, hanoi);
      await refused({ ...RULE, subject: 'URGENT' }, 400, 'validation_failed', /Mức quan trọng/);
      await refused({ ...RULE, operator: '<', threshold: 3 }, 400, 'validation_failed', /vi phạm/);
      await refused({ ...RULE, operator: '>=', threshold: 0 }, 400, 'validation_failed', /≥ n/);
      // An element rule still needs its operator and threshold.
      const { subjectType: _, ...elementRule } = RULE;
      await refused(
        { ...elementRule, subject: 'AV_USED' },
        400,
        'validation_failed',
        /phép so sánh và ngưỡng/,
      );
      const created = await hcm.post('/api/alerts/rules', RULE);
      assert.equal(created.status, 201, created.text);
      ruleId = created.json.id;
      assert.equal(created.json.subjectType, 'violations');
      assert.equal(created.json.subject, 'HIGH');
      assert.equal(created.json.operator, '>');
      assert.equal(created.json.threshold, 0);
      const audit = await t.services.audit.list('system', { limit: 1, entityType: 'alert_rule' });
      assert.equal(audit[0]?.action, 'alert_rule.create');
      const bad = await hcm.request('PATCH', `/api/alerts/rules/${ruleId}`, { threshold: -1 });
      assert.equal(bad.status, 400, bad.text);
      // Hà Nội's leader does not see Hồ Chí Minh's rule.
      const seen = (await hanoi.get('/api/alerts/rules')).json.items as { id: number }[];
      assert.ok(!seen.some((r) => r.id === ruleId));
    });

    it('opens the alert when an import breaks a HIGH rule in a commune, live, with its follow-up task', async () => {
      const all = await stream('admin', ADMIN_PASSWORD);
      const own = await stream('av.lanhdao79');
      const other = await stream('av.lanhdao01');
      await importAt(communeA, 120);
      const opened = await alertEvent(all, (a) => a.rule.id === ruleId, 'violations alert');
      assert.equal(opened.alert.state, 'open');
      assert.equal(opened.alert.value, 1);
      assert.equal(opened.alert.threshold, 0);
      assert.equal(opened.alert.operator, '>');
      assert.equal(opened.alert.period, '2025-08');
      assert.equal(opened.alert.unit.code, PROVINCE);
      assert.equal(opened.alert.rule.subjectType, 'violations');
      assert.equal(opened.alert.rule.subject, 'HIGH');
      await alertEvent(own, (a) => a.id === opened.alert.id, 'the alert, in the province');
      // The follow-up task the violation opened, as the task service announces a new task.
      const task = await taskEvent(
        all,
        (x) => x.created === true && x.unit.code === communeA,
        'follow-up task created',
      );
      assert.equal(task.status, 'received');
      assert.equal(task.directiveId, null);
      assert.ok(task.unit.path.includes(`/${PROVINCE}/`));
      await taskEvent(own, (x) => x.taskId === task.taskId, 'the task, in the province');
      const stored = await admin.get(`/api/tasks/${task.taskId}`);
      assert.equal(stored.status, 200, stored.text);

      // The leader of another province neither sees the alert nor gets its events.
      assert.deepEqual(await alertsOf(hanoi), []);
      assert.equal((await alertsOf(hcm, '&state=open')).length, 1);
      await importAt(
        (
          (await admin.get(`/api/orgunits?version=2025&parent=${OTHER}&limit=1`)).json.items as {
            code: string;
          }[]
        )[0]!.code,
        10,
      );
      await other.waitFor((e) => e.event === 'data' && Number(e.id) > opened.id, 'a later event');
      await t.services.alerts.flush();
      assert.deepEqual(other.of('alert'), []);
      assert.ok(!other.of('task').some((e) => json<TaskEvent>(e).taskId === task.taskId));

      // A second commune: the count goes up, the same alert.
      await importAt(communeB, 130);
      const two = await alertEvent(all, (a) => a.id === opened.alert.id && a.value === 2, 'two');
      assert.equal(two.alert.state, 'open');
    });

    it('confirming a value takes it out of the count; correcting the last one resolves the alert', async () => {
      const all = await stream('admin', ADMIN_PASSWORD);
      const [alert] = await alertsOf(admin, '&state=open');
      assert.ok(alert);
      const review = await hcm.post('/api/validationResults/review', {
        rule: VALIDATION_RULE.code,
        unit: communeA,
        version: '2025',
        period: '2025-08',
        action: 'confirm',
        comment: 'Đúng như báo cáo',
      });
      assert.equal(review.status, 200, review.text);
      // The review's transaction left its work in the outbox: handed on within seconds.
      const one = await alertEvent(all, (a) => a.id === alert.id && a.value === 1, 'count 1');
      assert.equal(one.alert.state, 'open');
      const closed = await taskEvent(
        all,
        (x) => x.status === 'done' && x.unit.code === communeA,
        'the confirmed value’s task closed',
      );
      assert.equal(closed.created, undefined);

      await importAt(communeB, 90); // corrected: the rule holds again
      const resolved = await alertEvent(
        all,
        (a) => a.id === alert.id && a.state === 'resolved',
        'resolved',
      );
      assert.equal(resolved.alert.value, 0);
      assert.ok(resolved.alert.resolvedAt);
      await taskEvent(
        all,
        (x) => x.status === 'done' && x.unit.code === communeB,
        'the corrected value’s task closed',
      );
      await t.services.alerts.flush();
      assert.deepEqual(await alertsOf(admin, '&state=open'), []);
      const kept = await alertsOf(hcm);
      assert.equal(kept.length, 1);
      assert.equal(kept[0]!.state, 'resolved');
      // Nothing left over in the outbox.
      const left = await t.services.store.repos.alerts.outbox(10);
      assert.deepEqual(left, []);
    });

    it('hands on violations written by any transaction, also from the next instance after a stop', async () => {
      // No import and no listener: a transaction writes a violation and commits, as if the
      // process then stopped. Its trace is in the outbox; the next instance's alerts do the work.
      const rule = (await t.services.store.repos.validation.ruleByKey(VALIDATION_RULE.code))!;
      const unit = (await t.services.store.repos.tasks.unit('2025', communeB))!;
      await t.services.store.transaction((tx) =>
        tx.validation.replaceResults(
          [],
          [
            {
              rule_id: rule.id,
              unit_id: unit.id,
              period: '2025-08',
              left_value: 150,
              right_value: 100,
              importance: 'HIGH',
            },
          ],
        ),
      );
      const next = new AlertService(
        t.services.store,
        t.services.hierarchy,
        t.services.analytics,
        t.services.live,
      );
      try {
        await next.flush();
      } finally {
        await next.close();
      }
      const reopened = (await alertsOf(admin, '&state=open'))[0];
      assert.equal(reopened?.value, 1);
      assert.equal(reopened?.unit.code, PROVINCE);
      assert.deepEqual(await t.services.store.repos.alerts.outbox(10), []);
    });
  });
}
