import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient, signInUsers } from '../test/http.ts';
import type { Role } from '../domain/access.ts';
import { BOARD_PANEL_MAX } from '../domain/board.ts';
import { loadDemoBoard } from '../jobs/demo-board.ts';
import { readDemoMetadata } from '../jobs/demo-data.ts';

const PW = 'Board-pw-12345';

const USERS: { username: string; role: Role; code: string }[] = [
  { username: 'ld79', role: 'leader', code: '79' },
  { username: 'cb79', role: 'officer', code: '79' },
  { username: 'cb48', role: 'officer', code: '48' },
  { username: 'ld48', role: 'leader', code: '48' },
];

const tile = (id: string, x: number, y: number, extra: Record<string, unknown> = {}) => ({
  id,
  kind: 'tile',
  grid: { x, y, w: 3, h: 2 },
  figures: [],
  units: ['$unit'],
  periods: ['$period'],
  options: {},
  ...extra,
});

const board = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  variables: { unit: 'my_unit', period: 'THIS_MONTH' },
  panels: [
    tile('a', 0, 0),
    {
      id: 'note',
      kind: 'text',
      grid: { x: 3, y: 0, w: 9, h: 2 },
      options: { text: 'Ghi chú: số liệu trong ngày' },
    },
    {
      id: 'pivot',
      kind: 'pivot',
      grid: { x: 0, y: 2, w: 12, h: 4 },
      units: [{ level: 2, under: '79' }],
      periods: ['LAST_12_MONTHS', '202611'],
      options: { rows: ['ou'], columns: ['pe', 'dx'] },
    },
  ],
  ...extra,
});

for (const engine of testEngines()) {
  describe(`boards through the API on ${engine}`, () => {
    let t: TestDb;
    const as = new Map<string, ApiClient>();
    const api = (u: string) => as.get(u)!;
    let id: number;

    const audits = async (action: string) => {
      const r = await sql<{ n: number }>`select count(*)::int as n from audit_event
        where action = ${action}`.execute(t.database.db);
      return r.rows[0]!.n;
    };

    before(async () => {
      t = await openTestDb(engine);
      const admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      as.set('admin', admin);
      await signInUsers(t.services, USERS, PW, '2025', as);
    });
    after(() => t.close());

    it('creates, reads, lists, updates and deletes a board, each write audited', async () => {
      const r = await api('ld79').post('/api/boards', board('Bảng của tỉnh'));
      assert.equal(r.status, 201, r.text);
      id = r.json.id;
      assert.equal(r.json.revision, 1);
      assert.equal(r.json.owner.mine, true);
      assert.equal(r.json.panels.length, 3);
      assert.deepEqual(
        r.json.panels.map((p: { problem: unknown }) => p.problem),
        [null, null, null],
      );
      assert.equal(await audits('board.create'), 1);

      const g = await api('ld79').get(`/api/boards/${id}`);
      assert.equal(g.status, 200);
      assert.equal(g.json.panels[2].panel.options.rows[0], 'ou');
      const l = await api('ld79').get('/api/boards');
      assert.ok(l.json.items.some((b: { id: number }) => b.id === id));

      const u = await api('ld79').request('PUT', `/api/boards/${id}`, {
        ...board('Bảng của tỉnh (sửa)'),
        revision: 1,
      });
      assert.equal(u.status, 200, u.text);
      assert.equal(u.json.revision, 2);
      assert.equal(await audits('board.update'), 1);

      // Someone else's edit of revision 1 comes too late.
      const stale = await api('ld79').request('PUT', `/api/boards/${id}`, {
        ...board('Bản cũ'),
        revision: 1,
      });
      assert.equal(stale.status, 409, stale.text);
      assert.match(stale.json.error.message, /phiên bản 2/);
      assert.equal(await audits('board.update'), 1);
      assert.equal((await api('ld79').get(`/api/boards/${id}`)).json.name, 'Bảng của tỉnh (sửa)');

      const tmp = await api('ld79').post('/api/boards', board('Tạm'));
      const d = await api('ld79').request('DELETE', `/api/boards/${tmp.json.id}`);
      assert.equal(d.status, 200);
      assert.equal((await api('ld79').get(`/api/boards/${tmp.json.id}`)).status, 404);
      assert.equal(await audits('board.delete'), 1);
    });

    it('a board not shared is nobody else’s: another province neither lists nor opens it', async () => {
      assert.equal((await api('cb48').get(`/api/boards/${id}`)).status, 404);
      const l = await api('cb48').get('/api/boards');
      assert.ok(!l.json.items.some((b: { id: number }) => b.id === id));
      // An officer of the same province sees it only once shared.
      assert.equal((await api('cb79').get(`/api/boards/${id}`)).status, 404);
    });

    it('shares with a province role: its officers read it, another province does not', async () => {
      const cur = (await api('ld79').get(`/api/boards/${id}`)).json;
      const r = await api('ld79').request('PUT', `/api/boards/${id}`, {
        ...board(cur.name),
        revision: cur.revision,
        shares: [{ kind: 'role', role: 'officer', unit: '79', access: 'read' }],
      });
      assert.equal(r.status, 200, r.text);
      const seen = await api('cb79').get(`/api/boards/${id}`);
      assert.equal(seen.status, 200);
      assert.equal(seen.json.canEdit, false);
      assert.ok(
        (await api('cb79').get('/api/boards')).json.items.some((b: { id: number }) => b.id === id),
      );
      // Read only: an edit is refused and nothing is written.
      const w = await api('cb79').request('PUT', `/api/boards/${id}`, {
        ...board('x'),
        revision: seen.json.revision,
      });
      assert.equal(w.status, 403, w.text);
      assert.equal((await api('cb48').get(`/api/boards/${id}`)).status, 404);
      assert.ok(
        !(await api('cb48').get('/api/boards')).json.items.some((b: { id: number }) => b.id === id),
      );
      // A change that does not mention the sharing keeps it.
      const again = await api('ld79').request('PUT', `/api/boards/${id}`, {
        ...board(cur.name),
        revision: r.json.revision,
      });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.json.shares.length, 1);
      assert.equal((await api('cb79').get(`/api/boards/${id}`)).status, 200);
    });

    it('refuses a share beyond the sharer’s scope, naming the unit in both languages', async () => {
      const r = await api('ld79').post(
        '/api/boards',
        board('Chia sẻ sang Đà Nẵng', { shares: [{ kind: 'unit', unit: '48', access: 'read' }] }),
      );
      assert.equal(r.status, 403, r.text);
      assert.equal(r.json.error.code, 'out_of_scope');
      assert.match(r.json.error.message, /Đà Nẵng \(mã 48\)/);
      const en = await api('ld79').request(
        'POST',
        '/api/boards',
        board('Share to Da Nang', { shares: [{ kind: 'user', user: 'cb48' }] }),
        { 'accept-language': 'en' },
      );
      assert.equal(en.status, 403);
      assert.match(en.json.error.message, /outside your scope/);
    });

    it('exports a board and imports it back the same', async () => {
      const e = await api('ld79').get(`/api/boards/${id}/export`);
      assert.equal(e.status, 200);
      assert.equal(e.json.format, 'opsroom.board');
      assert.equal(e.json.shares, undefined);
      // The same uid updates that board…
      const same = await api('ld79').post('/api/boards/import', e.json);
      assert.equal(same.status, 200, same.text);
      assert.equal(same.json.board.id, id);
      assert.deepEqual((await api('ld79').get(`/api/boards/${id}/export`)).json, e.json);
      // …a new uid makes a board equal to it.
      const copy = await api('ld79').post('/api/boards/import', { ...e.json, uid: 'ban-sao' });
      assert.equal(copy.status, 201, copy.text);
      const back = await api('ld79').get(`/api/boards/${copy.json.board.id}/export`);
      assert.deepEqual(back.json, { ...e.json, uid: 'ban-sao' });
      assert.equal(await audits('board.import'), 2);
      // Someone who may not edit it cannot take its uid over.
      const taken = await api('cb48').post('/api/boards/import', { ...e.json, name: 'Của tôi' });
      assert.equal(taken.status, 409);
    });

    it('refuses a malformed file with the path of the bad field, in Vietnamese and English', async () => {
      const e = (await api('ld79').get(`/api/boards/${id}/export`)).json;
      const panels = [
        ...e.panels,
        tile('b', 0, 6),
        tile('c', 3, 6),
        tile('d', 6, 6, { figures: [''] }),
      ];
      const r = await api('ld79').post('/api/boards/import', { ...e, uid: 'hong', panels });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.error.code, 'validation_failed');
      assert.match(r.json.error.message, /panels\.5\.figures\.0/);
      const en = await api('ld79').request(
        'POST',
        '/api/boards/import',
        { ...e, uid: 'hong', panels },
        { 'accept-language': 'en' },
      );
      assert.match(en.json.error.message, /^Invalid request: panels\.5\.figures\.0/);

      const kinds = await api('ld79').post('/api/boards/import', {
        ...e,
        uid: 'hong',
        panels: [...e.panels, { ...tile('z', 0, 6), kind: 'gauge' }],
      });
      assert.equal(kinds.status, 400);
      assert.match(kinds.json.error.message, /panels\.3\.kind/);
      const overlap = await api('ld79').post('/api/boards/import', {
        ...e,
        uid: 'hong',
        panels: [...e.panels, tile('z', 2, 1)],
      });
      assert.equal(overlap.status, 400);
      assert.match(overlap.json.error.message, /panels\.3\.grid — Ô 4 chồng lên ô 1/);
      const off = await api('ld79').post(
        '/api/boards',
        board('Lệch', {
          panels: [tile('z', 10, 0)],
        }),
      );
      assert.equal(off.status, 400);
      assert.match(off.json.error.message, /panels\.0\.grid — Ô 1 ra ngoài lưới/);
      const none = await sql<{
        n: number;
      }>`select count(*)::int as n from board where uid = 'hong'`.execute(t.database.db);
      assert.equal(none.rows[0]!.n, 0);
    });

    it(`refuses 200 panels, past the limit of ${BOARD_PANEL_MAX}`, async () => {
      const panels = Array.from({ length: 200 }, (_, i) => ({
        ...tile(`p${i}`, (i % 4) * 3, Math.floor(i / 4) * 2),
        grid: { x: (i % 4) * 3, y: Math.floor(i / 4) * 2, w: 3, h: 2 },
      }));
      const r = await api('ld79').post('/api/boards', board('Quá nhiều', { panels }));
      assert.equal(r.status, 400, r.text.slice(0, 300));
      assert.match(r.json.error.message, /tối đa 48 ô; bảng này có 200 ô/);
      const en = await api('ld79').request('POST', '/api/boards', board('Too many', { panels }), {
        'accept-language': 'en',
      });
      assert.match(en.json.error.message, /at most 48 panels; this one has 200/);
    });

    it('opens a board naming an unknown figure, that panel saying so', async () => {
      const r = await api('ld79').post(
        '/api/boards',
        board('Chỉ tiêu lạ', {
          panels: [tile('a', 0, 0, { figures: ['KHONG_CO'] }), tile('b', 3, 0)],
        }),
      );
      assert.equal(r.status, 201, r.text);
      const g = await api('ld79').get(`/api/boards/${r.json.id}`);
      assert.equal(g.status, 200);
      assert.equal(g.json.panels[0].problem.code, 'unknown_figure');
      assert.match(g.json.panels[0].problem.vi, /KHONG_CO/);
      assert.match(g.json.panels[0].problem.en, /KHONG_CO/);
      assert.equal(g.json.panels[1].problem, null);

      const map = (id: string, x: number, version: string) => ({
        id,
        kind: 'map',
        grid: { x, y: 0, w: 6, h: 4 },
        units: ['children'],
        options: { style: 'bubbles', version },
      });
      const trees = await api('ld79').post(
        '/api/boards',
        board('Cây khác', { panels: [map('old', 0, '2022'), map('none', 6, '1999')] }),
      );
      assert.equal(trees.status, 201, trees.text);
      assert.equal(trees.json.panels[0].problem, null);
      assert.equal(trees.json.panels[1].problem.code, 'unknown_tree');
      assert.match(trees.json.panels[1].problem.vi, /1999/);
    });

    it('a unit outside the viewer’s scope is a problem for that viewer only, never named', async () => {
      const r = await api('admin').post(
        '/api/boards',
        board('Hai tỉnh', {
          panels: [tile('hcm', 0, 0, { units: ['79'] }), tile('dn', 3, 0, { units: ['48'] })],
          shares: [{ kind: 'unit', unit: '79' }],
        }),
      );
      assert.equal(r.status, 201, r.text);
      assert.deepEqual(
        r.json.panels.map((p: { problem: unknown }) => p.problem),
        [null, null],
      );
      const g = await api('cb79').get(`/api/boards/${r.json.id}`);
      assert.equal(g.status, 200);
      assert.equal(g.json.panels[0].problem, null);
      assert.equal(g.json.panels[1].problem.code, 'out_of_scope');
      assert.doesNotMatch(g.text, /Đà Nẵng/);
    });

    it('a unit’s default board, else the nearest ancestor’s, else the shipped one', async () => {
      const shipped = await api('cb48').get('/api/boards/default');
      assert.equal(shipped.status, 200, shipped.text);
      assert.equal(shipped.json.source, 'shipped');
      assert.equal(shipped.json.board.uid, 'opsroom-overview');
      assert.ok(shipped.json.board.panels.length >= 9);

      // An officer may not set it; a leader of another province may not set 79's.
      const set = { boardId: id };
      assert.equal((await api('cb79').request('PUT', '/api/boards/defaults/79', set)).status, 403);
      assert.equal((await api('ld48').request('PUT', '/api/boards/defaults/79', set)).status, 403);
      const s = await api('ld79').request('PUT', '/api/boards/defaults/79', set);
      assert.equal(s.status, 200, s.text);
      assert.equal(s.json.source, 'unit');
      assert.equal(await audits('board.default'), 1);

      // A ward of 79 falls back to its province's board.
      const ward = await api('ld79').get('/api/boards/default?unit=26740');
      assert.equal(ward.json.source, 'ancestor');
      assert.equal(ward.json.unit, '79');
      assert.equal(ward.json.board.id, id);
      const own = await api('cb79').get('/api/boards/default');
      assert.equal(own.json.source, 'unit');
      assert.equal(own.json.board.id, id);
      assert.equal((await api('cb48').get('/api/boards/default')).json.source, 'shipped');
    });

    it('the demo’s overview board: the nation’s default, installed once', async () => {
      const first = await loadDemoBoard(t.services);
      assert.equal(await loadDemoBoard(t.services), first);
      const d = await api('cb48').get('/api/boards/default');
      assert.equal(d.json.source, 'ancestor');
      assert.equal(d.json.unit, 'VN');
      assert.equal(d.json.board.id, first);
      const kinds = d.json.board.panels.map((p: { panel: { kind: string } }) => p.panel.kind);
      assert.deepEqual(kinds, [...Array(5).fill('tile'), 'map', 'trend', 'ranking', 'alerts']);
      // Before the demo's metadata its tiles say which figure is missing; after it, every
      // panel can be drawn, for the nation and for a province.
      assert.equal(d.json.board.panels[0].problem.code, 'unknown_figure');
      await t.services.metadata.apply('system', readDemoMetadata());
      for (const who of ['admin', 'cb48']) {
        const again = await api(who).get('/api/boards/default');
        assert.deepEqual(
          again.json.board.panels.map((p: { problem: unknown }) => p.problem),
          Array(9).fill(null),
          who,
        );
      }
      // A province with a default of its own keeps it.
      assert.equal((await api('cb79').get('/api/boards/default')).json.board.id, id);
      // The monthly board: shared with every unit to read, every panel drawable, as a file valid.
      const list = await api('cb48').get('/api/boards?limit=100');
      const monthly = list.json.items.find((b: { uid: string }) => b.uid === 'opsroom-monthly');
      assert.ok(monthly, list.text);
      assert.equal(monthly.panelCount, 12);
      assert.equal(monthly.canEdit, false);
      const opened = await api('cb48').get(`/api/boards/${monthly.id}`);
      assert.equal(opened.status, 200, opened.text);
      assert.deepEqual(
        opened.json.panels.map((p: { problem: unknown }) => p.problem),
        Array(12).fill(null),
      );
      const file = await api('admin').get(`/api/boards/${monthly.id}/export`);
      assert.equal(file.status, 200, file.text);
      assert.equal(file.json.uid, 'opsroom-monthly');
    });

    it('a retried create with the same Idempotency-Key makes one board', async () => {
      const before = await audits('board.create');
      const key = { 'idempotency-key': 'bang-lap-lai-1' };
      const a = await api('ld79').request('POST', '/api/boards', board('Lặp lại'), key);
      const b = await api('ld79').request('POST', '/api/boards', board('Lặp lại'), key);
      assert.equal(a.status, 201, a.text);
      assert.equal(b.status, 201, b.text);
      assert.equal(b.headers.get('idempotent-replayed'), 'true');
      assert.equal(b.json.id, a.json.id);
      assert.equal(await audits('board.create'), before + 1);
      const n = await sql<{
        n: number;
      }>`select count(*)::int as n from board where name = 'Lặp lại'`.execute(t.database.db);
      assert.equal(n.rows[0]!.n, 1);
    });
  });
}
