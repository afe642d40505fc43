import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { ServerType } from '@hono/node-server';
import { CATCH_UP_LIMIT } from '../live/hub.ts';
import { SseClient, json } from '../live/sse-client.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { listen, signInOverHttp as signIn } from '../test/http.ts';
import { createApp } from './app.ts';

const ELEMENT = {
  code: 'CASES_TRACED',
  nameVi: 'Số ca truy vết',
  nameEn: 'Cases traced',
  sector: 'covid',
  valueType: 'integer',
  aggTime: 'sum',
} as const;

for (const engine of testEngines()) {
  describe(`live events over HTTP on ${engine}`, () => {
    let t: TestDb;
    let url: string;
    let server: ServerType;
    let admin: { cookie: string; csrf: string };
    const clients: SseClient[] = [];
    const open = async (path: string, headers: Record<string, string> = {}) => {
      const c = await SseClient.connect(url + path, { headers });
      clients.push(c);
      return c;
    };
    const hello = async (c: SseClient) =>
      json<{ lastId: number }>(await c.waitFor((e) => e.event === 'hello', 'hello'));

    before(async () => {
      t = await openTestDb(engine);
      await t.services.metadata.apply('system', { dataElements: [ELEMENT] });
      await t.services.auth.createUser('system', {
        username: 'canbo.saigon',
        password: 'Officer-pw-123',
        role: 'officer',
        scope: { version: '2025', code: '26740' },
      });
      ({ url, server } = await listen(t.services));
      admin = await signIn(url, 'admin', ADMIN_PASSWORD);
    });
    after(async () => {
      for (const c of clients) c.close();
      (server as Server).closeAllConnections();
      await new Promise((r) => server.close(r));
      await t.close();
    });

    it('streams hello, then each accepted import as a data event, to a signed-in session', async () => {
      const c = await open('/api/live?topics=data,alert', { cookie: admin.cookie });
      const { lastId } = await hello(c);
      const posted = await fetch(`${url}/api/data/import`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: admin.cookie,
          'x-csrf-token': admin.csrf,
        },
        body: JSON.stringify({
          dataValues: [
            { dataElement: 'CASES_TRACED', period: '2026-11-20', orgUnit: '26740', value: '7' },
          ],
        }),
      });
      assert.equal(posted.status, 200, await posted.text());
      const e = await c.waitFor((x) => x.event === 'data', 'data event');
      assert.ok(Number(e.id) > lastId, 'events carry increasing ids');
      assert.deepEqual(json(e), {
        elements: ['CASES_TRACED'],
        periods: ['2026-11-20'],
        versions: ['2025'],
        count: 1,
        by: 'admin',
      });
    });

    it('refuses a caller who is not signed in, and topics that are not names', async () => {
      await assert.rejects(SseClient.connect(`${url}/api/live`), /HTTP 401/);
      await assert.rejects(
        SseClient.connect(`${url}/api/live?topics=data,<script>`, {
          headers: { cookie: admin.cookie },
        }),
        /HTTP 400.*Chủ đề không hợp lệ/,
      );
    });

    it('replays what a reconnecting client missed (Last-Event-ID), and resets beyond the cap', async () => {
      const first = await open('/api/live?topics=data', { cookie: admin.cookie });
      const { lastId } = await hello(first);
      first.close();
      const a = await t.services.live.publish('data', { n: 1 });
      await t.services.live.publish('other', { n: 2 }); // a topic it did not ask for
      const b = await t.services.live.publish('data', { n: 3 });

      const back = await open('/api/live?topics=data', {
        cookie: admin.cookie,
        'last-event-id': String(lastId),
      });
      const h = await hello(back);
      assert.equal(h.lastId, b.id);
      assert.deepEqual(
        back.events.map((e) => [e.event, Number(e.id)]),
        [
          ['data', a.id],
          ['data', b.id],
          ['hello', b.id],
        ],
        'missed events first, in order, then hello',
      );
      // The same through the query string (clients that cannot set the header).
      const viaQuery = await open(`/api/live?topics=data&lastEventId=${a.id}`, {
        cookie: admin.cookie,
      });
      await hello(viaQuery);
      assert.deepEqual(
        viaQuery.of('data').map((e) => json(e)),
        [{ n: 3 }],
      );

      // Live events keep coming after the replay.
      const c = await t.services.live.publish('data', { n: 4 });
      assert.deepEqual(json(await back.waitFor((e) => Number(e.id) === c.id, 'live event')), {
        n: 4,
      });

      // Too much to replay: `reset`, and the client refetches everything.
      await t.services.live.publishMany(
        Array.from({ length: CATCH_UP_LIMIT + 1 }, (_, i) => ({ topic: 'data', payload: { i } })),
      );
      const far = await open('/api/live?topics=data', {
        cookie: admin.cookie,
        'last-event-id': String(c.id),
      });
      const farHello = await hello(far);
      assert.deepEqual(
        far.events.map((e) => e.event),
        ['reset', 'hello'],
      );
      assert.equal(json<{ lastId: number }>(far.events[0]!).lastId, farHello.lastId);
    });

    it('sends an event about a unit only to readers whose scope holds it', async () => {
      const officer = await signIn(url, 'canbo.saigon', 'Officer-pw-123');
      const own = await open('/api/live?topics=alert,data', { cookie: officer.cookie });
      const all = await open('/api/live?topics=alert,data', { cookie: admin.cookie });
      const { lastId } = await hello(own);
      await hello(all);
      const hanoi = await t.services.live.publish(
        'alert',
        { unit: '00004' },
        { version: '2025', path: '/VN/01/00004/' },
      );
      const saigon = await t.services.live.publish(
        'alert',
        { unit: '26740' },
        { version: '2025', path: '/VN/79/26740/' },
      );
      const oldTree = await t.services.live.publish(
        'alert',
        { unit: '26740', version: '2022' },
        { version: '2022', path: '/VN/79/760/26740/' },
      );
      const everyone = await t.services.live.publish('data', { n: 'after' });
      await own.waitFor((e) => Number(e.id) === everyone.id, 'the data event');
      await all.waitFor((e) => Number(e.id) === everyone.id, 'the data event');
      const ids = (c: SseClient) =>
        c.events
          .filter((e) => e.event !== 'hello' && Number(e.id) > lastId)
          .map((e) => Number(e.id));
      assert.deepEqual(ids(own), [saigon.id, everyone.id]);
      assert.deepEqual(ids(all), [hanoi.id, saigon.id, oldTree.id, everyone.id]);

      // The replay after a reconnect keeps to the scope too.
      const again = await open('/api/live?topics=alert,data', {
        cookie: officer.cookie,
        'last-event-id': String(lastId),
      });
      await hello(again);
      assert.deepEqual(
        again.events.filter((e) => e.event !== 'hello').map((e) => Number(e.id)),
        [saigon.id, everyone.id],
      );
    });

    it('streams through Hono’s web stream where there is no Node response (app.request)', async () => {
      const res = await createApp(t.services).request('/api/live?topics=data', {
        headers: { cookie: admin.cookie },
      });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const until = async (s: string) => {
        while (!text.includes(s)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended before ${s}: ${text}`);
          text += decoder.decode(value, { stream: true });
        }
      };
      await until('event: hello');
      const e = await t.services.live.publish('data', { via: 'web stream' });
      await until(`id: ${e.id}\nevent: data\ndata: `);
      assert.match(text, /"via": ?"web stream"/);
      const open = t.services.live.hub.size;
      await reader.cancel();
      // Cancelling the body ends the connection on the server.
      while (t.services.live.hub.size >= open) await new Promise((r) => setTimeout(r, 10));
    });

    it('accepts a machine token, and ends every stream when the server stops', async () => {
      const { token } = await t.services.auth.createToken('system', {
        name: 'wall',
        scope: { version: '2025', code: 'VN' },
        permissions: ['data.read'],
      });
      const c = await open('/api/live', { authorization: `Bearer ${token}` });
      await hello(c);
      assert.ok(t.services.live.hub.size > 0);
      t.services.live.hub.close();
      await assert.rejects(
        c.waitFor(() => false, 'the end'),
        /ended/,
      );
      assert.equal(t.services.live.hub.size, 0);
    });
  });
}
