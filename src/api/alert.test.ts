import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { SseClient, json } from '../live/sse-client.ts';
import type { Alert } from '../services/alert.service.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';
import { createApp } from './app.ts';

const metadata = {
  dataElements: [
    {
      code: 'CASES_TRACED',
      nameVi: 'Số ca truy vết',
      nameEn: 'Cases traced',
      sector: 'covid',
      valueType: 'integer',
      aggTime: 'sum',
    },
  ],
  indicators: [
    {
      code: 'TRACED_X2',
      nameVi: 'Gấp đôi số ca truy vết',
      nameEn: 'Twice the cases traced',
      sector: 'covid',
      formula: '#{CASES_TRACED} * 2',
    },
  ],
};

const RULE = {
  nameVi: 'Ca truy vết trong ngày của một xã vượt 50',
  nameEn: 'Cases traced in a commune above 50 in a day',
  subject: 'CASES_TRACED',
  unit: { version: '2025', code: 'VN' },
  level: 2,
  periodType: 'day',
  operator: '>',
  threshold: 50,
};

const PW = 'Officer-pw-123';

for (const engine of testEngines()) {
  describe(`alerts on ${engine}`, () => {
    let t: TestDb;
    let url: string;
    let server: ServerType;
    let admin: ApiClient;
    const users: Record<string, ApiClient> = {};
    const streams: SseClient[] = [];
    let ruleId: number;

    /** A live stream for a user, signed in over HTTP as a browser would be. */
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
      const c = await SseClient.connect(`${url}/api/live?topics=data,alert`, {
        headers: { cookie },
      });
      streams.push(c);
      await c.waitFor((e) => e.event === 'hello', 'hello');
      return c;
    };
    const importValues = async (values: [string, string, number][]) => {
      const r = await admin.post('/api/data/import', {
        dataValues: values.map(([period, orgUnit, value]) => ({
          dataElement: 'CASES_TRACED',
          period,
          orgUnit,
          value: String(value),
        })),
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
    };
    const alertEvent = (c: SseClient, match: (a: Alert) => boolean, what: string) =>
      c
        .waitFor((e) => e.event === 'alert' && match(json<Alert>(e)), what)
        .then((e) => ({
          id: Number(e.id),
          alert: json<Alert>(e),
        }));

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      assert.equal((await admin.post('/api/metadata', metadata)).status, 200);
      const people: [string, string, string][] = [
        ['canbo.hcm', 'officer', '79'],
        ['canbo.hanoi', 'officer', '01'],
        ['lanhdao.hcm', 'leader', '79'],
        ['xem', 'viewer', 'VN'],
      ];
      for (const [username, role, code] of people) {
        await t.services.auth.createUser('system', {
          username,
          password: PW,
          role: role as 'officer',
          scope: { version: '2025', code },
        });
        users[username] = ApiClient.for(t.services);
        await users[username].login(username, PW);
      }
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

    it('creates a rule (audited) and refuses bad ones with clear messages', async () => {
      const r = await admin.post('/api/alerts/rules', RULE);
      assert.equal(r.status, 201, JSON.stringify(r.json));
      ruleId = r.json.id;
      assert.equal(r.json.unit.name, 'Việt Nam');
      assert.equal(r.json.operator, '>');
      assert.equal(r.json.active, true);
      const audit = await t.services.audit.list('system', { limit: 5, entityType: 'alert_rule' });
      assert.equal(audit[0]?.action, 'alert_rule.create');
      assert.equal(audit[0]?.entity.id, String(ruleId));

      const refused = async (
        body: object,
        status: number,
        code: string,
        vi?: RegExp,
        who: ApiClient = admin,
      ) => {
        const x = await who.post('/api/alerts/rules', body);
        assert.equal(x.status, status, JSON.stringify(x.json));
        assert.equal(x.json.error.code, code);
        if (vi) assert.match(x.json.error.messages.vi, vi);
        assert.ok(x.json.error.messages.en.length > 0);
      };
      await refused({ ...RULE, subject: 'NO_SUCH' }, 400, 'validation_failed', /Không có chỉ tiêu/);
      await refused({ ...RULE, subject: 'CASES_TRACED.PHISHING' }, 400, 'validation_failed');
      await refused(
        { ...RULE, unit: { version: '2025', code: '99999' } },
        404,
        'unknown_unit',
        /Không có đơn vị mã "99999"/,
      );
      await refused({ ...RULE, unit: { version: '1999', code: 'VN' } }, 404, 'unknown_version');
      // The 2025 tree has no districts: communes are level 2, nothing is level 3.
      await refused({ ...RULE, level: 3 }, 400, 'validation_failed', /cấp 3/);
      await refused({ ...RULE, operator: '=' }, 400, 'validation_failed');
      await refused({ ...RULE, threshold: 'many' }, 400, 'validation_failed');
      await refused(RULE, 403, 'forbidden', /không được phép/, users['canbo.hcm']);
      await refused(RULE, 403, 'out_of_scope', undefined, users['lanhdao.hcm']);
      const own = await users['lanhdao.hcm']!.post('/api/alerts/rules', {
        ...RULE,
        unit: { version: '2025', code: '79' },
        operator: '≥',
        threshold: 1000,
      });
      assert.equal(own.status, 201, JSON.stringify(own.json));
      assert.equal(own.json.operator, '>=');

      // Rules are listed to those they cover: Hà Nội sees the national rule, not Hồ Chí Minh's.
      const seen = async (who: string) =>
        (await users[who]!.get('/api/alerts/rules')).json.items.map((x: { id: number }) => x.id);
      assert.deepEqual(await seen('canbo.hanoi'), [ruleId]);
      assert.deepEqual(await seen('canbo.hcm'), [own.json.id, ruleId]);
    });

    it('opens an alert when an import crosses the threshold, for the readers in scope only', async () => {
      const all = await stream('admin', ADMIN_PASSWORD);
      const hcm = await stream('canbo.hcm');
      const hanoi = await stream('canbo.hanoi');
      await importValues([
        ['2026-11-20', '26740', 60], // Phường Sài Gòn, Hồ Chí Minh: over 50
        ['2026-11-20', '00004', 10], // Phường Ba Đình, Hà Nội: under
      ]);
      const opened = await alertEvent(all, (a) => a.unit.code === '26740', 'alert for Sài Gòn');
      assert.equal(opened.alert.state, 'open');
      assert.equal(opened.alert.value, 60);
      assert.equal(opened.alert.threshold, 50);
      assert.equal(opened.alert.period, '2026-11-20');
      assert.equal(opened.alert.periodLabel.vi, 'ngày 20/11/2026');
      assert.equal(opened.alert.rule.id, ruleId);
      assert.equal(opened.alert.unit.fullName, 'Phường Sài Gòn');
      await alertEvent(hcm, (a) => a.id === opened.alert.id, 'the alert, in Hồ Chí Minh');

      // Hà Nội's officer gets later events, but not Hồ Chí Minh's alert.
      await t.services.alerts.idle();
      await importValues([['2026-11-19', '00004', 1]]);
      await hanoi.waitFor(
        (e) => e.event === 'data' && Number(e.id) > opened.id,
        'a later data event in Hà Nội',
      );
      assert.deepEqual(hanoi.of('alert'), []);

      const list = await admin.get('/api/alerts?state=open');
      assert.equal(list.status, 200);
      assert.equal(list.json.items.length, 1);
      const item = list.json.items[0];
      assert.deepEqual(
        {
          unit: item.unit.name,
          rule: item.rule.nameVi,
          value: item.value,
          threshold: item.threshold,
          period: item.period,
        },
        {
          unit: 'Sài Gòn',
          rule: RULE.nameVi,
          value: 60,
          threshold: 50,
          period: '2026-11-20',
        },
      );
      const count = async (who: string, query = '') => {
        const r = await users[who]!.get(`/api/alerts${query}`);
        assert.equal(r.status, 200, JSON.stringify(r.json));
        return r.json.items.length;
      };
      assert.equal(await count('canbo.hanoi'), 0);
      assert.equal(await count('canbo.hcm'), 1);
      // A unit above one's own narrows to one's own scope; a sibling is refused.
      assert.equal(await count('canbo.hcm', '?unit=VN&version=2025'), 1);
      assert.equal(await count('xem', '?unit=01&version=2025'), 0);
      assert.equal(await count('xem', '?unit=79&version=2025&state=open'), 1);
      const sibling = await users['canbo.hcm']!.get('/api/alerts?unit=00004&version=2025');
      assert.equal(sibling.status, 403);
      assert.equal(sibling.json.error.code, 'out_of_scope');
    });

    it('resolves the alert when the value falls back, keeps it, and opens it again', async () => {
      const all = await stream('admin', ADMIN_PASSWORD);
      await importValues([['2026-11-20', '26740', 40]]);
      const resolved = await alertEvent(all, (a) => a.state === 'resolved', 'resolved alert');
      assert.equal(resolved.alert.value, 40);
      assert.ok(resolved.alert.resolvedAt);
      assert.equal((await admin.get('/api/alerts?state=open')).json.items.length, 0);
      const kept = (await admin.get('/api/alerts')).json.items;
      assert.equal(kept.length, 1);
      assert.equal(kept[0].state, 'resolved');

      await importValues([['2026-11-20', '26740', 70]]);
      const again = await alertEvent(
        all,
        (a) => a.state === 'open' && a.value === 70,
        'alert opened again',
      );
      assert.equal(again.alert.id, resolved.alert.id, 'the same alert, not a new one');
      assert.equal(again.alert.resolvedAt, null);
    });

    it('evaluates an indicator rule when an element of its formula changes', async () => {
      const r = await admin.post('/api/alerts/rules', {
        ...RULE,
        nameVi: 'Gấp đôi ca truy vết của tỉnh trong tháng vượt 200',
        nameEn: 'Twice the cases traced in a province in a month above 200',
        subject: 'TRACED_X2',
        level: 1,
        periodType: 'month',
        threshold: 200,
      });
      assert.equal(r.status, 201, JSON.stringify(r.json));
      assert.equal(r.json.subjectType, 'indicator');
      const all = await stream('admin', ADMIN_PASSWORD);
      await importValues([['2026-11-21', '26740', 100]]);
      const e = await alertEvent(all, (a) => a.rule.id === r.json.id, 'indicator alert');
      // Hồ Chí Minh in November: (70 + 100) × 2.
      assert.deepEqual([e.alert.unit.code, e.alert.period, e.alert.value], ['79', '2026-11', 340]);
    });

    it('switches a rule off without losing its alerts (audited)', async () => {
      const open = async () =>
        (await admin.get(`/api/alerts?rule=${ruleId}`)).json.items.map(
          (a: Alert) => `${a.unit.code} ${a.period} ${a.state}`,
        );
      await t.services.alerts.idle(); // the evaluations of the last import
      const before = await open();
      assert.ok(before.length > 0);
      const off = await admin.request('PATCH', `/api/alerts/rules/${ruleId}`, { active: false });
      assert.equal(off.status, 200, JSON.stringify(off.json));
      assert.equal(off.json.active, false);
      await importValues([['2026-11-22', '00004', 500]]); // over 50, but the rule is off
      await t.services.alerts.idle();
      assert.deepEqual(await open(), before);
      const audit = await t.services.audit.list('system', { limit: 1, entityType: 'alert_rule' });
      assert.equal(audit[0]?.action, 'alert_rule.update');

      const missing = await admin.request('PATCH', '/api/alerts/rules/999999', { active: true });
      assert.equal(missing.status, 404);
      assert.match(missing.json.error.messages.vi, /Không có quy tắc cảnh báo/);
      const notTheirs = await users['lanhdao.hcm']!.request(
        'PATCH',
        `/api/alerts/rules/${ruleId}`,
        {
          threshold: 1,
        },
      );
      assert.equal(notTheirs.status, 403);
      assert.equal(notTheirs.json.error.code, 'out_of_scope');
    });
  });
}
