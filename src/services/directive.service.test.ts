import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'kysely';
import { createApp } from '../api/app.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { actionsOfRole, type Actor, type Role } from '../domain/access.ts';
import { pathsAbove, reaches } from '../domain/audience.ts';
import type { LiveEvent } from '../live/bus.ts';
import { SseClient, json } from '../live/sse-client.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { createServices, type Services } from './index.ts';

const START = new Date('2026-11-23T02:00:00Z');

function actor(role: Role, code: string, path: string, name = `${role}-${code}`): Actor {
  return {
    kind: 'user',
    id: name,
    name,
    role,
    permissions: actionsOfRole(role),
    scope: { version: '2025', code, path },
  };
}

const leader = actor('leader', 'VN', '/VN/');
const saigon = actor('officer', '26740', '/VN/79/26740/');

/** Events of one topic published on a bus from now on. */
async function collect(s: Services, topic: string) {
  const seen: LiveEvent[] = [];
  const stop = await s.live.subscribe((e) => {
    if (e.topic === topic) seen.push(e);
  });
  const waitFor = async (n: number) => {
    for (let i = 0; i < 600 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 50));
    return seen;
  };
  return { seen, stop, waitFor };
}

for (const engine of testEngines()) {
  describe(`directive service on ${engine}`, () => {
    let t: TestDb;
    let now = START;

    before(async () => {
      t = await openTestDb(engine, { clock: () => now });
    });
    after(() => t.close());

    it('fans a directive out to a group in one statement and publishes one event to its recipients', async () => {
      await t.services.groups.create('system', {
        version: '2025',
        code: 'XA-THI-DIEM',
        name: 'Xã thí điểm',
        owner: 'VN',
        definition: { codes: ['26740', '00004'] },
      });
      const events = await collect(t.services, 'directive');
      const r = await t.services.directives.issue(leader, {
        title: 'Thí điểm chuyển đổi số',
        body: 'Triển khai thí điểm',
        priority: 'normal',
        dueDate: '2026-11-25',
        target: { kind: 'group', group: 'XA-THI-DIEM' },
      });
      assert.equal(r.taskCount, 2);
      const units = await sql<{ unit_code: string }>`select unit_code from task
        where directive_id = ${r.directive.id} order by unit_code`.execute(t.database.db);
      assert.deepEqual(
        units.rows.map((u) => u.unit_code),
        ['00004', '26740'],
      );
      const [e, ...more] = await events.waitFor(1);
      events.stop();
      assert.equal(e!.path, '/VN/', 'from the issuer’s unit');
      assert.deepEqual([...e!.recipients!].sort(), ['/VN/01/00004/', '/VN/79/26740/']);
      assert.equal(more.length, 0);
      // One event reaches each recipient's screen and the units above it, no other unit.
      const at = { version: e!.version!, path: e!.path, above: pathsAbove(e!.recipients!) };
      for (const path of ['/VN/01/00004/', '/VN/79/26740/', '/VN/01/', '/VN/79/'])
        assert.equal(reaches(at, { version: '2025', code: '', path }), true, path);
      for (const path of ['/VN/01/00008/', '/VN/48/'])
        assert.equal(reaches(at, { version: '2025', code: '', path }), false, path);
      assert.deepEqual(JSON.parse(e!.json), {
        directiveId: r.directive.id,
        title: 'Thí điểm chuyển đổi số',
        priority: 'normal',
        dueDate: '2026-11-25',
        taskCount: 2,
        issuerName: leader.name,
      });
      const audit = await sql<{ n: number }>`select count(*)::int as n from audit_event
        where action = 'directive.issue' and entity_id = ${String(r.directive.id)}`.execute(
        t.database.db,
      );
      assert.equal(audit.rows[0]!.n, 1);
    });

    it('publishes a task event on each status change, scoped to the unit', async () => {
      const events = await collect(t.services, 'task');
      const [task] = await t.services.tasks.inbox(saigon, { limit: 10 });
      await t.services.tasks.changeStatus(saigon, task!.id, { status: 'acknowledged' });
      const [e] = await events.waitFor(1);
      events.stop();
      assert.equal(e!.path, '/VN/79/26740/');
      assert.equal(JSON.parse(e!.json).status, 'acknowledged');
    });

    it('escalates overdue tasks once to the unit above, with a controllable clock', async () => {
      assert.equal(await t.services.tasks.escalateOverdue(), 0, 'nothing is late yet');
      now = new Date('2026-11-26T02:00:00Z');
      const events = await collect(t.services, 'escalation');
      assert.equal(await t.services.tasks.escalateOverdue(), 2);
      assert.equal(await t.services.tasks.escalateOverdue(), 0, 'once only');
      const seen = await events.waitFor(2);
      events.stop();
      assert.deepEqual(seen.map((e) => e.path).sort(), ['/VN/01/', '/VN/79/']);
      const hist = await sql<{ n: number }>`select count(*)::int as n from task_event
        where kind = 'escalated'`.execute(t.database.db);
      assert.equal(hist.rows[0]!.n, 2);
      const [task] = await t.services.tasks.inbox(saigon, { limit: 10 });
      assert.ok(task!.escalatedAt);
      assert.equal(task!.daysLate, 1);
      now = START;
    });

    it('sends one reminder per province, to the laggards only', async () => {
      now = START;
      const r = await t.services.directives.issue(leader, {
        title: 'Báo cáo nhanh',
        body: '',
        priority: 'urgent',
        dueDate: '2026-11-24',
        target: { kind: 'units', units: ['26740', '00004', '25747'] },
      });
      const [task] = (await t.services.tasks.inbox(saigon, { limit: 10 })).filter(
        (x) => x.directiveId === r.directive.id,
      );
      await t.services.tasks.changeStatus(saigon, task!.id, { status: 'acknowledged' });
      await t.services.tasks.changeStatus(saigon, task!.id, { status: 'done' });
      const events = await collect(t.services, 'reminder');
      const out = await t.services.directives.remind(leader, r.directive.id);
      assert.deepEqual(out, { reminded: 2 });
      const seen = await events.waitFor(2);
      events.stop();
      const byProvince = Object.fromEntries(
        seen.map((e) => [JSON.parse(e.json).province, [JSON.parse(e.json).count, e.recipients]]),
      );
      // 26740 is done: Hồ Chí Minh City's reminder goes to 25747 alone.
      assert.deepEqual(byProvince, {
        '01': [1, ['/VN/01/00004/']],
        '79': [1, ['/VN/79/25747/']],
      });
      assert.ok(
        seen.every((e) => e.path === '/VN/'),
        'from the issuer’s unit',
      );
      const board = await t.services.directives.board(leader, r.directive.id);
      assert.deepEqual(
        board.rows.map((x) => [x.unit.code, x.total, x.done]),
        [
          ['01', 1, 0],
          ['79', 2, 1],
        ],
      );
    });

    it('refuses a directive whose target resolves to no unit, creating nothing', async () => {
      const before = await sql<{ n: number }>`select count(*)::int as n from directive`.execute(
        t.database.db,
      );
      await assert.rejects(
        t.services.directives.issue(leader, {
          title: 'Rỗng',
          body: '',
          priority: 'normal',
          dueDate: '2026-12-01',
          target: { kind: 'nation', level: 7 },
        }),
        (e: { code?: string }) => e.code === 'no_recipients',
      );
      const afterCount = await sql<{ n: number }>`select count(*)::int as n from directive`.execute(
        t.database.db,
      );
      assert.equal(afterCount.rows[0]!.n, before.rows[0]!.n);
    });

    if (engine === 'postgres')
      it('passes a directive issued on one instance to an SSE subscriber of another', async () => {
        // A second instance: its own pool, bus and HTTP server over the same database.
        const other: Database = await openDatabase({ databaseUrl: t.url! });
        const services = createServices(other);
        const app = createApp(services);
        const { server, url } = await new Promise<{ server: ServerType; url: string }>(
          (resolve) => {
            const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
              resolve({ server: s, url: `http://127.0.0.1:${info.port}` }),
            );
          },
        );
        let client: SseClient | undefined;
        try {
          const login = await fetch(`${url}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
          });
          const cookie = login.headers
            .getSetCookie()
            .map((c) => c.split(';')[0])
            .join('; ');
          client = await SseClient.connect(`${url}/api/live?topics=directive`, {
            headers: { cookie },
          });
          await client.waitFor((e) => e.event === 'hello', 'hello');
          const r = await t.services.directives.issue(leader, {
            title: 'Liên thông hai máy chủ',
            body: '',
            priority: 'high',
            dueDate: '2026-12-01',
            target: { kind: 'units', units: ['26740'] },
          });
          const e = await client.waitFor((x) => x.event === 'directive', 'the directive event');
          assert.equal(json<{ directiveId: number }>(e).directiveId, r.directive.id);
        } finally {
          client?.close();
          (server as Server).closeAllConnections();
          await new Promise((r) => server.close(r));
          await other.close();
        }
      });
  });
}
