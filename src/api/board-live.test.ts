import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { ServerType } from '@hono/node-server';
import { SseClient, json, type SseEvent } from '../live/sse-client.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { listen, signInOverHttp as signIn } from '../test/http.ts';

/**
 * An open board's stream (issue 19): a value posted pushes the panels it changes — computed for
 * the viewer's scope, once for all who look alike — and nothing else; a board edited tells its
 * open pages to reload it.
 */

const NOW = new Date('2026-11-23T03:00:00Z');
const PW = 'Board-live-pw-123';
const TREE = '2025';
const element = (code: string, en: string) => ({
  code,
  nameVi: `Chỉ tiêu ${en}`,
  nameEn: en,
  sector: 'other' as const,
  valueType: 'integer' as const,
  aggTime: 'sum' as const,
});
const WARD_79 = '26740'; // Phường Sài Gòn, Hồ Chí Minh City

interface PanelPush {
  panel: string;
  data: {
    problem: unknown;
    unit: { code: string } | null;
    units: { code: string; parent: string | null }[];
    cells: { ou: string; value: number | null }[];
  };
}

const tile = (id: string, figure: string, x: number) => ({
  id,
  kind: 'tile',
  grid: { x, y: 0, w: 3, h: 2 },
  figures: [figure],
  units: ['$unit'],
  periods: ['$period'],
});

for (const engine of testEngines()) {
  describe(`an open board's stream on ${engine}`, () => {
    let t: TestDb;
    let url: string;
    let server: ServerType;
    let admin: { cookie: string; csrf: string };
    let cb79: { cookie: string; csrf: string };
    let cb48: { cookie: string; csrf: string };
    let board: { id: number; revision: number };
    let ward48 = '';
    let day = 0;
    const clients: SseClient[] = [];

    const call = async (
      who: { cookie: string; csrf: string },
      method: string,
      path: string,
      body?: unknown,
    ) => {
      const res = await fetch(url + path, {
        method,
        headers: {
          'content-type': 'application/json',
          cookie: who.cookie,
          'x-csrf-token': who.csrf,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, text, json: text ? JSON.parse(text) : null };
    };
    /** One value on a day of its own in 2026: the year's total grows by it. */
    const post = async (code: string, orgUnit: string, value: number) => {
      day++;
      const period = `202601${String(day).padStart(2, '0')}`;
      const r = await call(admin, 'POST', '/api/data/import', {
        dataValues: [{ dataElement: code, period, orgUnit, value: String(value) }],
      });
      assert.equal(r.status, 200, r.text);
    };
    const open = async (who: { cookie: string }, query = '', id = board.id) => {
      const c = await SseClient.connect(`${url}/api/boards/${id}/live${query}`, {
        headers: { cookie: who.cookie },
      });
      clients.push(c);
      await c.waitFor((e) => e.event === 'hello', 'hello');
      return c;
    };
    const pushes = (c: SseClient, panel: string) =>
      c.of('panel').filter((e) => json<PanelPush>(e).panel === panel);
    const pushOf = (panel: string, check: (d: PanelPush['data']) => boolean) => (e: SseEvent) =>
      e.event === 'panel' && json<PanelPush>(e).panel === panel && check(json<PanelPush>(e).data);
    const valueAt = (d: PanelPush['data'], ou: string) => d.cells.find((c) => c.ou === ou)?.value;

    before(async () => {
      t = await openTestDb(engine, { clock: () => NOW });
      await t.services.metadata.apply('system', {
        dataElements: [element('LIVE_A', 'Live A'), element('LIVE_B', 'Live B')],
      });
      for (const [username, code] of [
        ['cb79', '79'],
        ['cb48', '48'],
      ] as const)
        await t.services.auth.createUser('system', {
          username,
          password: PW,
          role: 'officer',
          scope: { version: TREE, code },
        });
      ({ url, server } = await listen(t.services));
      admin = await signIn(url, 'admin', ADMIN_PASSWORD);
      cb79 = await signIn(url, 'cb79', PW);
      cb48 = await signIn(url, 'cb48', PW);
      const wards = await call(admin, 'GET', `/api/orgunits/48/children?version=${TREE}&limit=1`);
      assert.equal(wards.status, 200, wards.text);
      ward48 = wards.json.items[0].code;
      // The viewer's own unit for the year: the nation for admin, Hồ Chí Minh City for cb79.
      const made = await call(admin, 'POST', '/api/boards', {
        name: 'Bảng trực tiếp',
        version: TREE,
        variables: { unit: 'my_unit', period: '2026' },
        panels: [
          tile('a', 'LIVE_A', 0),
          tile('b', 'LIVE_B', 3),
          {
            id: 'rank',
            kind: 'ranking',
            grid: { x: 6, y: 0, w: 6, h: 4 },
            figures: ['LIVE_A'],
            units: ['children'],
            periods: ['$period'],
          },
        ],
        shares: [{ kind: 'unit', unit: '79', access: 'read' }],
      });
      assert.equal(made.status, 201, made.text);
      board = { id: made.json.id, revision: made.json.revision };
    });
    after(async () => {
      for (const c of clients) c.close();
      (server as Server).closeAllConnections();
      await new Promise((r) => server.close(r));
      await t.close();
    });

    it('pushes the panels a posted value changes, with the new figure, and not the others', async () => {
      const c = await open(admin);
      await post('LIVE_A', WARD_79, 7);
      const a = await c.waitFor(
        pushOf('a', (d) => valueAt(d, 'VN') === 7),
        'tile a showing 7',
      );
      assert.equal(json<PanelPush>(a).data.problem, null);
      await c.waitFor(
        pushOf('rank', (d) => valueAt(d, '79') === 7),
        'the ranking with Hồ Chí Minh City at 7',
      );
      await post('LIVE_A', WARD_79, 5);
      await c.waitFor(
        pushOf('a', (d) => valueAt(d, 'VN') === 12),
        'tile a showing 12',
      );
      assert.equal(pushes(c, 'b').length, 0, 'tile b reads LIVE_B: not pushed');
      await post('LIVE_B', WARD_79, 3);
      await c.waitFor(
        pushOf('b', (d) => valueAt(d, 'VN') === 3),
        'tile b showing 3',
      );
      // LIVE_B touched tile b only; what came before it came for LIVE_A.
      const order = c.of('panel').map((e) => json<PanelPush>(e).panel);
      assert.deepEqual(order.slice(order.indexOf('b')), ['b']);
      assert.equal(pushes(c, 'b').length, 1);
    });

    it('pushes to a province’s viewer its own scope’s figures only, computed once for alike viewers', async () => {
      const mine = await open(cb79);
      const twin = await open(cb79);
      const nation = await open(admin);
      await post('LIVE_A', ward48, 4848);
      await nation.waitFor(
        pushOf('rank', (d) => valueAt(d, '48') === 4848),
        'the nation’s ranking with Đà Nẵng at 4848',
      );
      await post('LIVE_A', WARD_79, 1);
      for (const c of [mine, twin]) {
        const tilePush = await c.waitFor(
          pushOf('a', (d) => valueAt(d, '79') === 13),
          'Hồ Chí Minh City’s tile at 13',
        );
        assert.equal(json<PanelPush>(tilePush).data.unit?.code, '79');
        const rank = await c.waitFor(
          pushOf('rank', (d) => valueAt(d, WARD_79) === 13),
          'the ranking of Hồ Chí Minh City’s wards',
        );
        const d = json<PanelPush>(rank).data;
        assert.ok(d.units.length > 0);
        for (const u of d.units) assert.equal(u.parent, '79', `${u.code} is a ward of 79`);
        for (const e of c.of('panel')) {
          const text = e.data;
          assert.ok(!text.includes('4848'), 'no figure of another province');
          assert.ok(!text.includes(`"${ward48}"`) && !text.includes('"48"'), 'nor its units');
        }
      }
      // Both of cb79's pages got the same bytes: one computation for the two.
      assert.deepEqual(
        mine.of('panel').map((e) => e.data),
        twin.of('panel').map((e) => e.data),
      );
    });

    it('keeps no place in the server’s line: open boards leave room for requests', async () => {
      const limit = t.database.queueLimit;
      t.database.queueLimit = 2;
      try {
        for (let i = 0; i < 3; i++) await open(cb79);
        const r = await call(cb79, 'GET', `/api/boards/${board.id}`);
        assert.equal(r.status, 200, r.text);
      } finally {
        t.database.queueLimit = limit;
      }
    });

    it('answers 404 to a viewer the board is not shared with, 401 to no one', async () => {
      await assert.rejects(open(cb48), /HTTP 404/);
      await assert.rejects(SseClient.connect(`${url}/api/boards/${board.id}/live`), /HTTP 401/);
      await assert.rejects(open(admin, '', 999_999), /HTTP 404/);
    });

    it('tells the open pages of a board edited to reload it, and ends their streams', async () => {
      const c = await open(cb79);
      const current = await call(admin, 'GET', `/api/boards/${board.id}`);
      const edited = await call(admin, 'PUT', `/api/boards/${board.id}`, {
        name: 'Bảng trực tiếp (sửa)',
        version: TREE,
        variables: current.json.variables,
        panels: current.json.panels.map((p: { panel: unknown }) => p.panel),
        shares: [{ kind: 'unit', unit: '79', access: 'read' }],
        revision: current.json.revision,
      });
      assert.equal(edited.status, 200, edited.text);
      const e = await c.waitFor((x) => x.event === 'board', 'board');
      assert.deepEqual(json(e), { id: board.id, revision: edited.json.revision });
      await assert.rejects(
        c.waitFor(() => false, 'the end of the stream', 30_000),
        /live stream ended/,
      );
      // A page that still shows the old revision is told at once.
      const stale = await SseClient.connect(
        `${url}/api/boards/${board.id}/live?revision=${current.json.revision}`,
        { headers: { cookie: cb79.cookie } },
      );
      clients.push(stale);
      const told = await stale.waitFor((x) => x.event === 'board', 'board at once');
      assert.equal(json<{ revision: number }>(told).revision, edited.json.revision);
      // The new revision's pages are pushed to again.
      const fresh = await open(cb79, `?revision=${edited.json.revision}`);
      await post('LIVE_A', WARD_79, 2);
      await fresh.waitFor(
        pushOf('a', (d) => valueAt(d, '79') === 15),
        'tile a at 15',
      );
    });
  });
}
