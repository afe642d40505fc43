import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'kysely';
import type { Role } from '../domain/access.ts';
import { SseClient, json } from '../live/sse-client.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { createApp } from './app.ts';

/**
 * Who may see a directive and everything under it: the issuer's side (its unit and the units
 * above), the recipients and the units above a recipient on its own path — nobody else, on
 * every way in (read, list, board, files, comments, live events and their replay).
 */

const PW = 'Visibility-pw-123';
const DUE = '2099-12-31';
const PDF = new TextEncoder().encode('%PDF-1.4 chỉ đạo');

const USERS: { username: string; role: Role; version: string; code: string }[] = [
  { username: 'lanhdao', role: 'leader', version: '2025', code: 'VN' },
  { username: 'xa00004', role: 'officer', version: '2025', code: '00004' }, // Hà Nội, recipient
  { username: 'xa25747', role: 'officer', version: '2025', code: '25747' }, // HCM, recipient
  { username: 'hn01', role: 'officer', version: '2025', code: '01' }, // Hà Nội
  { username: 'xa00008', role: 'officer', version: '2025', code: '00008' }, // Hà Nội, not sent to
  { username: 'dn48', role: 'viewer', version: '2025', code: '48' }, // Đà Nẵng
  { username: 'dn20194', role: 'officer', version: '2025', code: '20194' }, // a ward of Đà Nẵng
  { username: 'hcm79', role: 'officer', version: '2025', code: '79' },
  { username: 'quan1', role: 'leader', version: '2022', code: '760' }, // Quận 1, HCM, old tree
  { username: 'hcm79old', role: 'officer', version: '2022', code: '79' },
  { username: 'x26734', role: 'officer', version: '2022', code: '26734' }, // Tân Định, in Quận 1
  { username: 'x26740', role: 'officer', version: '2022', code: '26740' }, // Bến Nghé, in Quận 1
  { username: 'hn01old', role: 'officer', version: '2022', code: '01' },
];

/** A signed-in browser: cookie and anti-forgery token, over real HTTP. */
class Session {
  constructor(
    readonly url: string,
    readonly cookie: string,
    readonly csrf: string,
  ) {}

  static async signIn(url: string, username: string, password: string) {
    const res = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    assert.equal(res.status, 200, `${username}: ${await res.clone().text()}`);
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    return new Session(url, cookie, csrfToken);
  }

  private async send(method: string, path: string, body?: BodyInit, type?: string) {
    const headers: Record<string, string> = { cookie: this.cookie };
    if (method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (type) headers['content-type'] = type;
    const res = await fetch(this.url + path, { method, headers, body });
    const text = await res.text();
    let body_: any; // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
      body_ = text ? JSON.parse(text) : undefined;
    } catch {
      body_ = undefined;
    }
    return { status: res.status, text, json: body_ };
  }

  get(path: string) {
    return this.send('GET', path);
  }
  post(path: string, body: unknown = {}) {
    return this.send('POST', path, JSON.stringify(body), 'application/json');
  }
  upload(name: string, bytes: Uint8Array) {
    const form = new FormData();
    form.append('file', new File([new Uint8Array(bytes)], name));
    return this.send('POST', '/api/attachments', form);
  }
  /** The live stream of this session (directive, reminder and data events). */
  live(lastEventId?: number) {
    const headers: Record<string, string> = { cookie: this.cookie };
    if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
    return SseClient.connect(`${this.url}/api/live?topics=directive,reminder,data`, { headers });
  }
}

const helloOf = async (c: SseClient) =>
  json<{ lastId: number }>(await c.waitFor((e) => e.event === 'hello', 'hello')).lastId;

/** The directive and reminder events about one directive a stream carried (hello excluded). */
const about = (c: SseClient, directiveId: number) =>
  c.events
    .filter((e) => e.event === 'directive' || e.event === 'reminder')
    .filter((e) => json<{ directiveId: number }>(e).directiveId === directiveId)
    .map((e) => e.event);

for (const engine of testEngines()) {
  describe(`who sees a directive on ${engine}`, () => {
    let t: TestDb;
    let url: string;
    let server: ServerType;
    const as = new Map<string, Session>();
    const s = (u: string) => as.get(u)!;
    const streams: SseClient[] = [];
    const open = async (u: string, lastEventId?: number) => {
      const c = await s(u).live(lastEventId);
      streams.push(c);
      return c;
    };
    /** A data event every stream gets: once it arrives, everything before it has too. */
    const sync = async (clients: SseClient[]) => {
      const mark = await t.services.live.publish('data', { sync: true });
      for (const c of clients) await c.waitFor((e) => Number(e.id) === mark.id, 'the sync event');
      return mark.id;
    };
    const taskIds = async (directiveId: number) => {
      const r = await sql<{ id: number; unit_code: string }>`select id, unit_code from task
        where directive_id = ${directiveId} order by id`.execute(t.database.db);
      return r.rows.map((x) => ({ id: Number(x.id), unit: x.unit_code }));
    };
    /** Issues with one attachment; returns the directive and attachment ids. */
    const issue = async (u: string, version: string, units: string[], title: string) => {
      const file = await s(u).upload('cong-van.pdf', PDF);
      assert.equal(file.status, 201, file.text);
      const r = await s(u).post('/api/directives', {
        title,
        body: `Nội dung mật của "${title}"`,
        priority: 'high',
        dueDate: DUE,
        target: { kind: 'units', version, units },
        attachmentIds: [file.json.id],
      });
      assert.equal(r.status, 201, r.text);
      return { id: r.json.directive.id as number, file: file.json.id as number };
    };

    before(async () => {
      t = await openTestDb(engine);
      for (const u of USERS)
        await t.services.auth.createUser('system', {
          username: u.username,
          password: PW,
          role: u.role,
          scope: { version: u.version, code: u.code },
        });
      const app = createApp(t.services);
      ({ url, server } = await new Promise<{ url: string; server: ServerType }>((resolve) => {
        const srv = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
          resolve({ url: `http://127.0.0.1:${info.port}`, server: srv }),
        );
      }));
      as.set('admin', await Session.signIn(url, 'admin', ADMIN_PASSWORD));
      for (const u of USERS) as.set(u.username, await Session.signIn(url, u.username, PW));
    });
    after(async () => {
      for (const c of streams) c.close();
      (server as Server).closeAllConnections();
      await new Promise((r) => server.close(r));
      await t.close();
    });

    it('keeps a directive to two wards of two provinces from Đà Nẵng and from a Hà Nội ward not sent to (issue 13, defect 1)', async () => {
      const outsiders = ['dn48', 'xa00008'];
      const live = new Map<string, SseClient>();
      for (const u of [...outsiders, 'xa00004']) live.set(u, await open(u));
      const lastIds = new Map<string, number>();
      for (const [u, c] of live) lastIds.set(u, await helloOf(c));

      const d = await issue('lanhdao', '2025', ['00004', '25747'], 'Chỉ đạo hai phường');
      const tasks = await taskIds(d.id);
      const hcmTask = tasks.find((x) => x.unit === '25747')!;
      // The recipient in Hồ Chí Minh City finishes; the reminder goes to Hà Nội's ward only.
      assert.equal(
        (await s('xa25747').post(`/api/tasks/${hcmTask.id}/status`, { status: 'acknowledged' }))
          .status,
        200,
      );
      assert.equal(
        (await s('xa25747').post(`/api/tasks/${hcmTask.id}/status`, { status: 'done' })).status,
        200,
      );
      const reminded = await s('lanhdao').post(`/api/directives/${d.id}/remind`);
      assert.deepEqual(reminded.json, { reminded: 1 });
      await sync([...live.values()]);

      // The recipient sees all of it: the control that the test can see a leak at all.
      const own = s('xa00004');
      assert.equal((await own.get(`/api/directives/${d.id}`)).status, 200);
      // Listed as sent to the ward, not as issued by it (the inbox's "issued" panel).
      const listed = async (q: string) =>
        ((await own.get(`/api/directives${q}`)).json.items as { id: number }[]).some(
          (x) => x.id === d.id,
        );
      assert.equal(await listed(''), true);
      assert.equal(await listed('?issued=true'), false);
      assert.deepEqual(about(live.get('xa00004')!, d.id), ['directive', 'reminder']);

      for (const u of outsiders) {
        const who = s(u);
        const got = await who.get(`/api/directives/${d.id}`);
        assert.equal(got.status, 404, `${u} reads the directive: ${got.text}`);
        assert.doesNotMatch(got.text, /Nội dung mật/);
        const list = await who.get('/api/directives?limit=100');
        assert.equal(list.status, 200);
        assert.ok(!list.json.items.some((x: { id: number }) => x.id === d.id), `${u} lists it`);
        assert.equal((await who.get(`/api/directives/${d.id}/board`)).status, 404, `${u} board`);
        assert.equal((await who.get(`/api/attachments/${d.file}`)).status, 404, `${u} file`);
        for (const task of tasks) {
          assert.ok((await who.get(`/api/tasks/${task.id}`)).status >= 400, `${u} task`);
          assert.ok((await who.get(`/api/tasks/${task.id}/history`)).status >= 400, `${u} history`);
          const c = await who.post(`/api/tasks/${task.id}/comments`, { body: 'xin xem' });
          assert.ok(c.status >= 400, `${u} comments on a task of the directive`);
        }
        assert.deepEqual(about(live.get(u)!, d.id), [], `${u} got the live events`);
        const replay = await open(u, lastIds.get(u));
        await helloOf(replay);
        assert.deepEqual(about(replay, d.id), [], `${u} got them again in the replay`);
      }
    });

    /**
     * Every actor × every way in. `M1`: issued by the nation to a Hà Nội ward and to the
     * province of Đà Nẵng (2025 tree); `M2`: issued by Quận 1 to two of its wards (2022 tree).
     */
    it('answers the same for every way in: the visibility matrix', async () => {
      const rows: { actor: string; user: string; directive: 'M1' | 'M2'; sees: boolean }[] = [
        { actor: 'root', user: 'admin', directive: 'M1', sees: true },
        { actor: 'root', user: 'admin', directive: 'M2', sees: true },
        { actor: 'issuer unit', user: 'lanhdao', directive: 'M1', sees: true },
        { actor: 'issuer unit', user: 'quan1', directive: 'M2', sees: true },
        { actor: 'above issuer', user: 'hcm79old', directive: 'M2', sees: true },
        { actor: 'recipient ward', user: 'xa00004', directive: 'M1', sees: true },
        { actor: 'recipient ward', user: 'x26734', directive: 'M2', sees: true },
        { actor: 'recipient province', user: 'dn48', directive: 'M1', sees: true },
        { actor: 'province above a recipient', user: 'hn01', directive: 'M1', sees: true },
        { actor: 'sibling ward not a recipient', user: 'xa00008', directive: 'M1', sees: false },
        { actor: 'sibling ward below the issuer', user: 'x26740', directive: 'M2', sees: false },
        { actor: 'another province', user: 'hcm79', directive: 'M1', sees: false },
        { actor: 'another province', user: 'hn01old', directive: 'M2', sees: false },
        { actor: 'another tree', user: 'hcm79', directive: 'M2', sees: false },
        { actor: 'a unit below a recipient', user: 'dn20194', directive: 'M1', sees: false },
      ];
      const users = [...new Set(rows.map((r) => r.user))];
      const live = new Map<string, SseClient>();
      const lastIds = new Map<string, number>();
      for (const u of users) live.set(u, await open(u));
      for (const u of users) lastIds.set(u, await helloOf(live.get(u)!));

      const ids = {
        M1: await issue('lanhdao', '2025', ['00004', '48'], 'Ma trận M1'),
        M2: await issue('quan1', '2022', ['26734', '26737'], 'Ma trận M2'),
      };
      assert.deepEqual((await s('lanhdao').post(`/api/directives/${ids.M1.id}/remind`)).json, {
        reminded: 2,
      });
      assert.deepEqual((await s('quan1').post(`/api/directives/${ids.M2.id}/remind`)).json, {
        reminded: 2,
      });
      await sync([...live.values()]);
      const replays = new Map<string, SseClient>();
      for (const u of users) {
        const c = await open(u, lastIds.get(u));
        await helloOf(c);
        replays.set(u, c);
      }
      const tasks = { M1: await taskIds(ids.M1.id), M2: await taskIds(ids.M2.id) };

      const cell = async (user: string, m: 'M1' | 'M2', op: string): Promise<boolean> => {
        const who = s(user);
        const { id, file } = ids[m];
        switch (op) {
          case 'get':
            return (await who.get(`/api/directives/${id}`)).status === 200;
          case 'list': {
            const l = await who.get('/api/directives?limit=100');
            assert.equal(l.status, 200, l.text);
            return l.json.items.some((x: { id: number }) => x.id === id);
          }
          case 'board':
            return (await who.get(`/api/directives/${id}/board`)).status === 200;
          case 'attachment':
            return (await who.get(`/api/attachments/${file}`)).status === 200;
          case 'comments': {
            // Reads the comments of the tasks it may; writes one on the first such task.
            let any = false;
            for (const task of tasks[m]) {
              const h = await who.get(`/api/tasks/${task.id}/history`);
              if (h.status !== 200) continue;
              any = true;
              const c = await who.post(`/api/tasks/${task.id}/comments`, { body: `từ ${user}` });
              // A viewer reads the comments but may not write one (task.report).
              const viewer = USERS.find((u) => u.username === user)?.role === 'viewer';
              assert.equal(c.status, viewer ? 403 : 201, c.text);
              break;
            }
            return any;
          }
          case 'live':
            return about(live.get(user)!, id).length > 0;
          case 'replay':
            return about(replays.get(user)!, id).length > 0;
        }
        throw new Error(op);
      };

      const ops = ['get', 'list', 'board', 'attachment', 'comments', 'live', 'replay'];
      const wrong: string[] = [];
      for (const r of rows)
        for (const op of ops) {
          const got = await cell(r.user, r.directive, op);
          if (got !== r.sees)
            wrong.push(
              `${r.actor} (${r.user}) × ${r.directive} × ${op}: ${got ? 'sees' : 'hidden'}`,
            );
        }
      assert.deepEqual(wrong, [], `${rows.length * ops.length} cells`);
      // Live and replay carry the directive once, then its reminder (one per province).
      for (const r of rows.filter((x) => x.sees))
        for (const c of [live.get(r.user)!, replays.get(r.user)!]) {
          const [first, ...rest] = about(c, ids[r.directive].id);
          assert.equal(first, 'directive', r.user);
          assert.ok(rest.length >= 1 && rest.every((e) => e === 'reminder'), r.user);
        }
    });
  });
}
