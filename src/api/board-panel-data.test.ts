import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient, signInUsers } from '../test/http.ts';
import { actionsOfRole, type Actor, type Role } from '../domain/access.ts';
import { readDemoMetadata } from '../jobs/demo-data.ts';
import { loadDemoBoard } from '../jobs/demo-board.ts';
import { BoardDataFrame } from '../contract/board.ts';
import { BoardService } from '../services/board.service.ts';
import type { AlertService } from '../services/alert.service.ts';

/**
 * A board panel's data (issue 19): what each kind of panel shows for the values posted, within
 * the viewer's scope only, with the board's variables followed.
 */

// Monday 23 November 2026, 10:00 in Viet Nam: THIS_MONTH is 2026-11.
const NOW = new Date('2026-11-23T03:00:00Z');
const PW = 'Panel-pw-12345';
const TREE = '2025';

const USERS: { username: string; role: Role; code: string }[] = [
  { username: 'ld79', role: 'leader', code: '79' },
  { username: 'cb79', role: 'officer', code: '79' },
  { username: 'cb48', role: 'officer', code: '48' },
];

const PROVINCES = ['01', '48', '79'];
/** 2025-11 … 2026-11: the months posted. */
const MONTHS = Array.from({ length: 13 }, (_, i) => {
  const m = 10 + i; // 0-based month index from 2025-01
  return `${2025 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
});
/** Positive cases of a province in a month, as posted. */
const cases = (province: string, month: string) =>
  10 + ((Number(province) * 7 + MONTHS.indexOf(month) * 13) % 50);
/** Tests done at Hồ Chí Minh City on the days 2026-11-09 … 2026-11-22. */
const DAYS = Array.from({ length: 14 }, (_, i) => `2026-11-${String(9 + i).padStart(2, '0')}`);
const tests = (day: string) => 100 + Number(day.slice(8)) * 3;
const ATTACKS: Record<string, number> = { PHISHING: 12, DEFACE: 3, MALWARE: 7 };

const panel = (kind: string, extra: Record<string, unknown> = {}) => ({
  id: 'p',
  kind,
  grid: { x: 0, y: 0, w: 6, h: 4 },
  ...extra,
});

for (const engine of testEngines()) {
  describe(`board panel data on ${engine}`, () => {
    let t: TestDb;
    const as = new Map<string, ApiClient>();
    const api = (u: string) => as.get(u)!;
    let ward48 = '';

    const data = async (
      who: string,
      body: Record<string, unknown>,
      headers: Record<string, string> = {},
    ) => {
      const r = await api(who).request('POST', '/api/boards/panel-data', body, headers);
      assert.equal(r.status, 200, r.text);
      return r;
    };

    before(async () => {
      t = await openTestDb(engine, { clock: () => NOW });
      const admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      as.set('admin', admin);
      await signInUsers(t.services, USERS, PW, TREE, as);
      await t.services.metadata.apply('system', readDemoMetadata());
      const wards = await admin.get(`/api/orgunits/48/children?version=${TREE}&limit=5`);
      assert.equal(wards.status, 200, wards.text);
      ward48 = wards.json.items[0].code;
      // An alert rule before the values, so that they open alerts.
      const rule = await admin.post('/api/alerts/rules', {
        nameVi: 'Ca truy vết trong ngày của một xã vượt 50',
        nameEn: 'Cases traced in a commune above 50 in a day',
        subject: 'CASES_TRACED',
        unit: { version: TREE, code: 'VN' },
        level: 2,
        periodType: 'day',
        operator: '>',
        threshold: 50,
      });
      assert.equal(rule.status, 201, rule.text);
      const dataValues = [
        ...PROVINCES.flatMap((p) =>
          MONTHS.map((m) => ({
            dataElement: 'POSITIVE_CASES',
            period: m.replace('-', ''),
            orgUnit: p,
            value: String(cases(p, m)),
          })),
        ),
        ...DAYS.map((d) => ({
          dataElement: 'TESTS_DONE',
          period: d.replaceAll('-', ''),
          orgUnit: '79',
          value: String(tests(d)),
        })),
        ...Object.entries(ATTACKS).map(([option, v]) => ({
          dataElement: 'CYBERATTACKS',
          categoryOptionCombo: option,
          period: '202611',
          orgUnit: '79',
          value: String(v),
        })),
        { dataElement: 'CASES_TRACED', period: '20261120', orgUnit: '26740', value: '80' },
        { dataElement: 'CASES_TRACED', period: '20261120', orgUnit: ward48, value: '90' },
      ];
      const imported = await admin.post('/api/data/import', { dataValues });
      assert.equal(imported.status, 200, imported.text);
      assert.equal(imported.json.response.importCount.imported, dataValues.length, imported.text);
      await t.services.alerts.idle();
    });
    after(() => t.close());

    it('a tile: the figure at the board’s unit and period, with its comparisons and target', async () => {
      const r = await data('admin', {
        panel: panel('tile', {
          figures: ['POSITIVE_CASES'],
          units: ['$unit'],
          periods: ['$period'],
          options: { target: 100 },
        }),
        variables: { unit: '79', period: '202611' },
        version: TREE,
      });
      const d = r.json;
      assert.equal(d.problem, null);
      assert.equal(d.unit.code, '79');
      assert.match(d.unit.name, /Hồ Chí Minh/);
      assert.equal(d.period.id, '2026-11');
      assert.equal(d.figures[0].direction, 'rise_bad');
      assert.equal(d.figures[0].kind, 'element');
      assert.equal(d.cells.length, 1);
      const c = d.cells[0];
      assert.equal(c.value, cases('79', '2026-11'));
      assert.equal(c.pop.previous, cases('79', '2026-10'));
      assert.equal(c.yoy.previous, cases('79', '2025-11'));
      assert.equal(c.target.value, 100);
      assert.equal(c.target.share, cases('79', '2026-11'));
      assert.deepEqual(d.query, {
        dx: ['POSITIVE_CASES'],
        pe: ['202611'],
        ou: ['79'],
        version: TREE,
      });
      // The query is what the analytics export takes.
      const csv = await api('admin').download(
        `/api/analytics.csv?dimension=dx:${d.query.dx.join(';')}&dimension=pe:${d.query.pe.join(';')}&dimension=ou:${d.query.ou.join(';')}&version=${d.query.version}`,
      );
      assert.equal(csv.status, 200);
      assert.match(new TextDecoder().decode(csv.bytes), new RegExp(`${cases('79', '2026-11')}`));
      // Only the comparison asked for.
      const onlyPrev = await data('admin', {
        panel: panel('tile', {
          figures: ['POSITIVE_CASES'],
          options: { compare: ['previous'] },
        }),
        variables: { unit: '79', period: '202611' },
      });
      assert.ok(onlyPrev.json.cells[0].pop);
      assert.equal(onlyPrev.json.cells[0].yoy, undefined);
    });

    it('follows the board’s variables: $unit and $period, the viewer’s unit by default', async () => {
      const tile = panel('tile', { figures: ['POSITIVE_CASES'] });
      const oct48 = await data('admin', {
        panel: tile,
        variables: { unit: '48', period: '202610' },
      });
      assert.equal(oct48.json.cells[0].ou, '48');
      assert.equal(oct48.json.cells[0].value, cases('48', '2026-10'));
      // No variables: the viewer's unit, this month.
      const mine = await data('cb79', { panel: tile });
      assert.equal(mine.json.unit.code, '79');
      assert.equal(mine.json.period.id, '2026-11');
      assert.equal(mine.json.cells[0].value, cases('79', '2026-11'));
      // The period's label in the language asked.
      const en = await data('cb79', { panel: tile }, { 'accept-language': 'en' });
      assert.notEqual(en.json.period.label, mine.json.period.label);
      assert.match(en.json.period.label, /November|Nov/);
    });

    it('a map and a ranking of the provinces: the values posted, ranked', async () => {
      const map = await data('admin', {
        panel: panel('map', { figures: ['POSITIVE_CASES'], units: ['children'] }),
        variables: { unit: 'VN', period: '202611' },
      });
      assert.equal(map.json.problem, null);
      assert.ok(map.json.units.length >= 30, 'every province of the 2025 tree');
      assert.ok(map.json.units.every((u: { level: number; parent: string }) => u.level === 1));
      assert.ok(map.json.units.every((u: { parent: string }) => u.parent === 'VN'));
      for (const p of PROVINCES)
        assert.equal(
          map.json.cells.find((c: { ou: string }) => c.ou === p).value,
          cases(p, '2026-11'),
        );

      const ranking = await data('admin', {
        panel: panel('ranking', {
          figures: ['POSITIVE_CASES'],
          units: ['children'],
          options: { order: 'desc', limit: 2 },
        }),
        variables: { unit: 'VN', period: '202611' },
      });
      const want = PROVINCES.map((p) => ({ p, v: cases(p, '2026-11') }))
        .sort((a, b) => b.v - a.v)
        .slice(0, 2);
      assert.deepEqual(
        ranking.json.cells.map((c: { ou: string; value: number; rank: number }) => [
          c.ou,
          c.value,
          c.rank,
        ]),
        want.map((w, i) => [w.p, w.v, i + 1]),
      );
      assert.deepEqual(
        ranking.json.units.map((u: { code: string }) => u.code).sort(),
        want.map((w) => w.p).sort(),
      );
    });

    it('a trend over LAST_14_DAYS: one cell a day, as posted', async () => {
      const r = await data('cb79', {
        panel: panel('trend', {
          figures: ['TESTS_DONE', 'POSITIVE_CASES'],
          units: ['$unit'],
          periods: ['LAST_14_DAYS'],
        }),
      });
      assert.deepEqual(
        r.json.periods.map((p: { id: string }) => p.id),
        DAYS,
      );
      const testsCells = r.json.cells.filter((c: { dx: string }) => c.dx === 'TESTS_DONE');
      assert.deepEqual(
        testsCells.map((c: { pe: string; value: number }) => [c.pe, c.value]),
        DAYS.map((d) => [d, tests(d)]),
      );
      assert.equal(r.json.figures.length, 2);
    });

    it('a breakdown: an element by its breakdown’s options, or one option named', async () => {
      const r = await data('cb79', {
        panel: panel('breakdown', { figures: ['CYBERATTACKS'] }),
        variables: { period: '202611' },
      });
      assert.equal(r.json.problem, null);
      const byOption = Object.fromEntries(
        r.json.figures.map((f: { code: string; option: string }) => [
          f.option,
          r.json.cells.find((c: { dx: string }) => c.dx === f.code)?.value ?? null,
        ]),
      );
      for (const [option, v] of Object.entries(ATTACKS)) assert.equal(byOption[option], v);
      assert.equal(byOption.ATTACK_UNCLASSIFIED, null);
      const one = await data('cb79', {
        panel: panel('breakdown', { figures: ['CYBERATTACKS.PHISHING'] }),
        variables: { period: '202611' },
      });
      assert.equal(one.json.cells.length, 1);
      assert.equal(one.json.cells[0].value, ATTACKS.PHISHING);
    });

    it('a pivot: the values posted, laid out, a dimension left out summed as a filter', async () => {
      const last12 = MONTHS.slice(0, 12); // LAST_12_MONTHS on 2026-11-23: 2025-11 … 2026-10
      const r = await data('admin', {
        panel: panel('pivot', {
          figures: ['POSITIVE_CASES'],
          units: PROVINCES,
          periods: ['LAST_12_MONTHS'],
          options: { rows: ['ou'], columns: ['pe', 'dx'] },
        }),
      });
      const p = r.json.pivot;
      assert.deepEqual(
        p.rowHeaders.map((h: { id: string }[]) => h.map((x) => x.id)),
        PROVINCES.map((x) => [x]),
      );
      assert.deepEqual(
        p.columnHeaders.map((h: { id: string }[]) => h.map((x) => x.id)),
        last12.map((m) => [m, 'POSITIVE_CASES']),
      );
      assert.deepEqual(
        p.values,
        PROVINCES.map((u) => last12.map((m) => cases(u, m))),
      );
      // Periods as a filter: each province's twelve months added up.
      const f = await data('admin', {
        panel: panel('pivot', {
          figures: ['POSITIVE_CASES'],
          units: PROVINCES,
          periods: ['LAST_12_MONTHS'],
          options: { rows: ['ou'], columns: ['dx'] },
        }),
      });
      assert.deepEqual(
        f.json.pivot.values,
        PROVINCES.map((u) => [last12.reduce((s, m) => s + cases(u, m), 0)]),
      );
      // Units and figures as filters too: one number, everything posted of those months.
      const all = await data('admin', {
        panel: panel('pivot', {
          figures: ['POSITIVE_CASES', 'TESTS_DONE'],
          units: PROVINCES,
          periods: ['202611'],
          options: { rows: ['pe'], columns: [] },
        }),
      });
      const total =
        PROVINCES.reduce((s, u) => s + cases(u, '2026-11'), 0) +
        DAYS.reduce((s, d) => s + tests(d), 0);
      assert.deepEqual(all.json.pivot.values, [[total]]);
    });

    it('a province officer sees their scope only: another province is out_of_scope, a list is narrowed', async () => {
      const tile = panel('tile', { figures: ['POSITIVE_CASES'] });
      const other = await data('cb79', { panel: tile, variables: { unit: '48' } });
      assert.equal(other.json.problem.code, 'out_of_scope');
      assert.deepEqual(other.json.cells, []);
      assert.equal(other.json.unit, null);
      assert.doesNotMatch(other.text, /Đà Nẵng/);
      assert.doesNotMatch(other.text, new RegExp(`"value":${cases('48', '2026-11')}\\b`));

      const named = await data('cb79', {
        panel: panel('map', { figures: ['POSITIVE_CASES'], units: ['48', '79'] }),
      });
      assert.equal(named.json.problem.code, 'out_of_scope');

      const nation = await data('cb79', {
        panel: panel('map', { figures: ['POSITIVE_CASES'], units: ['children'] }),
        variables: { unit: 'VN' },
      });
      assert.equal(nation.json.problem.code, 'out_of_scope');
      assert.doesNotMatch(nation.text, /Đà Nẵng|Hà Nội/);

      const level = await data('cb79', {
        panel: panel('pivot', {
          figures: ['POSITIVE_CASES'],
          units: [{ level: 1, under: 'VN' }],
          periods: ['LAST_12_MONTHS'],
          options: { rows: ['ou'], columns: ['pe'] },
        }),
      });
      assert.equal(level.json.problem.code, 'out_of_scope');
      assert.equal(level.json.pivot, null);

      // A level with no `under` is read under the board's unit: the officer's own province.
      const own = await data('cb79', {
        panel: panel('pivot', {
          figures: ['POSITIVE_CASES'],
          units: [{ level: 1 }],
          periods: ['LAST_12_MONTHS'],
          options: { rows: ['ou'], columns: ['pe'] },
        }),
      });
      assert.equal(own.json.problem, null);
      assert.deepEqual(
        own.json.pivot.rowHeaders.map((h: { id: string }[]) => h[0]!.id),
        ['79'],
      );
      assert.doesNotMatch(own.text, /Đà Nẵng|Hà Nội/);

      // Children of the officer's own unit: its wards, no other province's.
      const wards = await data('cb79', {
        panel: panel('map', { figures: ['POSITIVE_CASES'], units: ['children'] }),
      });
      assert.equal(wards.json.problem, null);
      assert.ok(wards.json.units.length > 10);
      assert.ok(wards.json.units.every((u: { parent: string }) => u.parent === '79'));
    });

    it('an unknown figure is the panel’s problem, answered 200', async () => {
      const r = await data('cb79', { panel: panel('tile', { figures: ['KHONG_CO'] }) });
      assert.equal(r.json.problem.code, 'unknown_figure');
      assert.match(r.json.problem.vi, /KHONG_CO/);
      assert.match(r.json.problem.en, /KHONG_CO/);
      assert.deepEqual(r.json.cells, []);
      assert.equal(r.json.query, null);
    });

    it('alerts: the open alerts under the board’s unit only', async () => {
      const mine = await data('cb79', { panel: panel('alerts', { options: { limit: 5 } }) });
      assert.equal(mine.json.problem, null);
      assert.equal(mine.json.alerts.length, 1);
      assert.equal(mine.json.alerts[0].unit.code, '26740');
      const all = await data('admin', {
        panel: panel('alerts', { options: { limit: 5 } }),
        variables: { unit: 'VN' },
      });
      assert.deepEqual(
        all.json.alerts.map((a: { unit: { code: string } }) => a.unit.code).sort(),
        ['26740', ward48].sort(),
      );
      const one = await data('admin', {
        panel: panel('alerts', { options: { limit: 1 } }),
        variables: { unit: 'VN' },
      });
      assert.equal(one.json.alerts.length, 1);
    });

    it('a directive: its progress in the viewer’s scope; not addressed to it, a problem naming nothing', async () => {
      const title = 'Rà soát số ca dương tính cuối tháng';
      const d = await api('admin').post('/api/directives', {
        title,
        body: 'Các tỉnh rà soát và báo cáo.',
        dueDate: '2026-11-30',
        target: { kind: 'units', version: TREE, units: ['79'] },
      });
      assert.equal(d.status, 201, d.text);
      const id = d.json.directive.id;
      const p = panel('directive', { options: { directive: id } });
      const seen = await data('cb79', { panel: p });
      assert.equal(seen.json.problem, null);
      assert.equal(seen.json.directive.title, title);
      assert.equal(seen.json.directive.total, 1);
      assert.equal(seen.json.directive.done, 0);
      const hidden = await data('cb48', { panel: p });
      assert.equal(hidden.json.problem.code, 'unknown_directive');
      assert.equal(hidden.json.directive, null);
      assert.doesNotMatch(hidden.text, /Rà soát/);
      const missing = await data('cb48', {
        panel: panel('directive', { options: { directive: 987654 } }),
      });
      assert.equal(missing.json.problem.code, 'unknown_directive');
    });

    it('a saved board’s panel: read as the board is, its variables overridable', async () => {
      const b = await api('ld79').post('/api/boards', {
        name: 'Bảng ca dương tính',
        variables: { unit: 'my_unit', period: '202611' },
        panels: [panel('tile', { id: 'ca', figures: ['POSITIVE_CASES'] })],
      });
      assert.equal(b.status, 201, b.text);
      const id = b.json.id;
      const saved = await api('ld79').get(`/api/boards/${id}/panels/ca/data`);
      assert.equal(saved.status, 200, saved.text);
      assert.equal(saved.json.cells[0].value, cases('79', '2026-11'));
      const oct = await api('ld79').get(`/api/boards/${id}/panels/ca/data?period=202610`);
      assert.equal(oct.json.cells[0].value, cases('79', '2026-10'));
      assert.equal((await api('cb48').get(`/api/boards/${id}/panels/ca/data`)).status, 404);
      assert.equal((await api('ld79').get(`/api/boards/${id}/panels/khong/data`)).status, 404);
      const bad = await api('ld79').get(`/api/boards/${id}/panels/ca/data?period=thang-11`);
      assert.equal(bad.status, 400);
    });

    it('a tile over LAST_7_DAYS: one value for the seven days, compared with the seven before', async () => {
      const r = await data('admin', {
        panel: panel('tile', { figures: ['TESTS_DONE'], units: ['79'], periods: ['LAST_7_DAYS'] }),
        variables: {},
        version: TREE,
      });
      const week = DAYS.slice(7); // 2026-11-16 … 2026-11-22
      const before = DAYS.slice(0, 7);
      const sum = (ds: string[]) => ds.reduce((a, d) => a + tests(d), 0);
      assert.equal(r.json.periods.length, 1, r.text);
      assert.equal(r.json.cells.length, 1, r.text);
      assert.equal(r.json.cells[0].value, sum(week));
      assert.equal(r.json.cells[0].pop.previous, sum(before), r.text);
    });

    it('a value saved is in the next read of a panel asked a moment before (answers are shared, never stale)', async () => {
      const ask = {
        panel: panel('tile', { figures: ['TESTS_DONE'], units: ['79'], periods: ['20261122'] }),
        variables: {},
        version: TREE,
      };
      const before = (await data('cb79', ask)).json.cells[0].value as number;
      assert.equal(before, tests('2026-11-22'));
      // Asked again by a second viewer of the same scope: the same answer.
      assert.equal((await data('ld79', ask)).json.cells[0].value, before);
      const saved = await api('admin').post('/api/data/import', {
        dataValues: [
          {
            dataElement: 'TESTS_DONE',
            period: '20261122',
            orgUnit: '79',
            value: String(before + 5),
          },
        ],
      });
      assert.equal(saved.status, 200, saved.text);
      // At once, without waiting for the live event: both viewers see the new value.
      assert.equal((await data('cb79', ask)).json.cells[0].value, before + 5);
      assert.equal((await data('ld79', ask)).json.cells[0].value, before + 5);
      const back = await api('admin').post('/api/data/import', {
        dataValues: [
          { dataElement: 'TESTS_DONE', period: '20261122', orgUnit: '79', value: String(before) },
        ],
      });
      assert.equal(back.status, 200, back.text);
      assert.equal((await data('ld79', ask)).json.cells[0].value, before);
    });

    /** A board's panels in one answer: its lines, each checked against the contract. */
    const boardData = async (who: string, path: string, headers: Record<string, string> = {}) => {
      const r = await api(who).request('GET', path, undefined, headers);
      assert.equal(r.status, 200, r.text);
      assert.match(r.headers.get('content-type') ?? '', /^application\/x-ndjson/);
      assert.ok(r.text.endsWith('\n'), 'every line ends');
      return r.text
        .trimEnd()
        .split('\n')
        .map((line) => BoardDataFrame.parse(JSON.parse(line)));
    };
    const monthlyBoard = async () => {
      await loadDemoBoard(t.services);
      const list = await api('admin').get('/api/boards?limit=100');
      const monthly = list.json.items.find((b: { uid: string }) => b.uid === 'opsroom-monthly');
      assert.ok(monthly, list.text);
      return monthly.id as number;
    };

    it('a board’s panels in one answer: each as its own route answers it, in reading order', async () => {
      const id = await monthlyBoard();
      const board = await api('admin').get(`/api/boards/${id}`);
      type Grid = { panel: { id: string; grid: { x: number; y: number } } };
      const order = (board.json.panels as Grid[])
        .map((p) => p.panel)
        .sort((a, b) => a.grid.y - b.grid.y || a.grid.x - b.grid.x)
        .map((p) => p.id);
      assert.equal(order.length, 12);
      for (const [who, query] of [
        ['admin', ''],
        ['cb79', ''],
        ['ld79', '?period=202611'],
      ] as const) {
        const frames = await boardData(who, `/api/boards/${id}/data${query}`);
        const ids = frames.map((f) => f.panel);
        // In reading order on the embedded engine; as each is ready on a server.
        if (engine === 'pglite') assert.deepEqual(ids, order, who);
        else assert.deepEqual([...ids].sort(), [...order].sort(), who);
        // Each read afresh by its own route (no shared answer): the same data.
        t.services.boards.forgetAnswers();
        for (const f of frames) {
          assert.ok('data' in f, JSON.stringify(f));
          const one = await api(who).get(`/api/boards/${id}/panels/${f.panel}/data${query}`);
          assert.equal(one.status, 200, one.text);
          assert.deepEqual(f.data, one.json, `${who} ${f.panel}`);
        }
        // Each figure says how it is written, as the catalogue does: no need to wait for it.
        if (who === 'admin') {
          const meta = (await api('admin').get('/api/metadata')).json;
          type Meta = { code: string; unit?: string; valueType?: string; decimals?: number };
          const el = new Map<string, Meta>(meta.dataElements.map((e: Meta) => [e.code, e]));
          const ind = new Map<string, Meta>(meta.indicators.map((i: Meta) => [i.code, i]));
          let checked = 0;
          for (const f of frames)
            for (const fig of 'data' in f ? f.data.figures : []) {
              const e = el.get(fig.code);
              const i = ind.get(fig.code);
              if (e) {
                assert.equal(fig.unit, e.valueType === 'percentage' ? '%' : (e.unit ?? null));
                assert.equal(fig.valueType, e.valueType);
              } else {
                assert.ok(i, fig.code);
                assert.equal(fig.unit, i.unit ?? null, fig.code);
                assert.equal(fig.decimals, i.decimals, fig.code);
              }
              checked++;
            }
          assert.ok(checked >= 9, String(checked));
        }
        const tile = frames.find((f) => f.panel === 'tile-positive_cases')!;
        assert.ok('data' in tile);
        const month = query ? '2026-11' : '2026-10';
        const expected =
          who === 'admin' ? PROVINCES.reduce((a, p) => a + cases(p, month), 0) : cases('79', month);
        assert.equal(tile.data.cells[0]?.value, expected, who);
      }
    });

    it('a province officer’s board answer holds their province only, as each panel’s route', async () => {
      const id = await monthlyBoard();
      for (const [who, own] of [
        ['cb79', '79'],
        ['cb48', '48'],
      ] as const) {
        const frames = await boardData(who, `/api/boards/${id}/data`);
        assert.equal(frames.length, 12);
        for (const f of frames) {
          assert.ok('data' in f, JSON.stringify(f));
          if (f.data.kind === 'text') continue;
          assert.equal(f.data.problem, null, f.panel);
          assert.equal(f.data.unit?.code, own, f.panel);
          // Every unit shown is the province or under it: none of another province.
          for (const u of f.data.units)
            assert.ok(u.code === own || !PROVINCES.includes(u.code), `${who} ${f.panel} ${u.code}`);
          for (const c of f.data.cells)
            assert.ok(!PROVINCES.filter((p) => p !== own).includes(c.ou ?? ''), f.panel);
        }
        // Another province's unit as the variable: every figure panel says out_of_scope.
        const other = own === '79' ? '48' : '79';
        const outside = await boardData(who, `/api/boards/${id}/data?unit=${other}`);
        for (const f of outside) {
          assert.ok('data' in f);
          if (f.data.kind !== 'text') assert.equal(f.data.problem?.code, 'out_of_scope', f.panel);
        }
        const single = await api(who).get(`/api/boards/${id}/panels/map/data?unit=${other}`);
        assert.equal(single.json.problem.code, 'out_of_scope');
      }
    });

    it('a missing board, one not shared with the viewer, a bad period: as the panel route answers', async () => {
      const b = await api('ld79').post('/api/boards', {
        name: 'Bảng riêng của 79',
        panels: [panel('tile', { id: 'ca', figures: ['POSITIVE_CASES'] })],
      });
      assert.equal(b.status, 201, b.text);
      const id = b.json.id as number;
      assert.equal((await boardData('ld79', `/api/boards/${id}/data`)).length, 1);
      // Not shared with 48: the same 404 as a board that does not exist.
      const hidden = await api('cb48').get(`/api/boards/${id}/data`);
      const missing = await api('cb48').get(`/api/boards/999999/data`);
      const missingPanel = await api('cb48').get(`/api/boards/${id}/panels/ca/data`);
      for (const r of [hidden, missing, missingPanel]) {
        assert.equal(r.status, 404, r.text);
        assert.equal(r.json.error.code, 'not_found');
      }
      assert.equal(hidden.json.error.messages.en, `Not found: board ${id}`);
      const bad = await api('ld79').get(`/api/boards/${id}/data?period=thang-11`);
      assert.equal(bad.status, 400, bad.text);
      assert.equal((await api('ld79').get(`/api/boards/abc/data`)).status, 400);
      // Not signed in.
      const anonymous = ApiClient.for(t.services);
      assert.equal((await anonymous.get(`/api/boards/${id}/data`)).status, 401);
    });

    it('a panel that fails is its own error line, the others still come; a client that leaves stops the reading', async () => {
      const id = await monthlyBoard();
      const s = t.services;
      // The alerts panel's source fails as a database down would; the rest reads as always.
      const broken = {
        list: () => Promise.reject(new Error('alerts unreachable')),
      } as unknown as AlertService;
      const boards = new BoardService(s.store, s.hierarchy, s.clock, {
        analytics: s.analytics,
        alerts: broken,
        directives: s.directives,
      });
      const actor: Actor = {
        kind: 'user',
        id: 'test',
        name: 'test',
        role: 'admin',
        permissions: actionsOfRole('admin'),
        scope: { version: TREE, code: 'VN', path: '/VN/' },
      };
      const got: { panel: string; error?: unknown }[] = [];
      const { run } = await boards.savedBoardData(actor, id, {});
      await run((f) => got.push(f));
      assert.equal(got.length, 12);
      const failed = got.filter((f) => 'error' in f);
      assert.deepEqual(
        failed.map((f) => f.panel),
        ['alerts'],
      );
      assert.match(String((failed[0]!.error as Error).message), /alerts unreachable/);

      // The client leaves after the first panel: no panel is started after that.
      const stop = new AbortController();
      const seen: string[] = [];
      const second = await t.services.boards.savedBoardData(actor, id, {});
      t.services.boards.forgetAnswers();
      await second.run((f) => {
        seen.push(f.panel);
        stop.abort();
      }, stop.signal);
      // Those already started finish (one at a time on the embedded engine, four on a server).
      if (engine === 'pglite') assert.deepEqual(seen, ['tile-positive_cases']);
      else assert.ok(seen.length <= 4, seen.join(','));

      // Over HTTP: the answer cancelled after its first line; the server answers the next.
      const res = await api('admin').raw('GET', `/api/boards/${id}/data`);
      assert.equal(res.status, 200);
      const reader = res.body!.getReader();
      const first = await reader.read();
      assert.match(new TextDecoder().decode(first.value), /^\{"panel":"[a-z_-]+","data":/);
      await reader.cancel();
      assert.equal((await boardData('admin', `/api/boards/${id}/data`)).length, 12);
    });

    it('a text panel answers its kind; a bad body is refused with the bad field’s path', async () => {
      const text = await data('cb79', {
        panel: panel('text', { options: { text: 'Ghi chú' } }),
      });
      assert.equal(text.json.kind, 'text');
      assert.deepEqual(text.json.cells, []);

      const body = {
        panel: panel('pivot', {
          figures: ['POSITIVE_CASES'],
          options: { rows: ['ou'], columns: ['ou'] },
        }),
      };
      const r = await api('cb79').post('/api/boards/panel-data', body);
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.error.code, 'validation_failed');
      assert.match(r.json.error.message, /panel\.options/);
      assert.match(r.json.error.message, /Một chiều nằm cả ở hàng và cột/);
      const en = await api('cb79').request('POST', '/api/boards/panel-data', body, {
        'accept-language': 'en',
      });
      assert.match(
        en.json.error.message,
        /panel\.options.*A dimension is in both rows and columns/,
      );
      const period = await api('cb79').post('/api/boards/panel-data', {
        panel: panel('tile', { figures: ['POSITIVE_CASES'], periods: ['thang-11'] }),
      });
      assert.equal(period.status, 400);
      assert.match(period.json.error.message, /panel\.periods\.0/);
    });
  });
}
