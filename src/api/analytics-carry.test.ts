/**
 * Figures across the 2025 reform (issue 16): values stored on one tree answered on another along
 * the carry map, on the real trees (2022, 2025-03, 2025) and the reform's real links.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

const metadata = {
  dataElements: [
    {
      code: 'CARRY_FLOW',
      nameVi: 'Số hồ sơ tiếp nhận',
      nameEn: 'Applications received',
      sector: 'ict',
      valueType: 'integer',
      aggTime: 'sum',
    },
    {
      code: 'CARRY_STOCK',
      nameVi: 'Số trạm phát sóng',
      nameEn: 'Base stations',
      sector: 'telecom',
      valueType: 'integer',
      aggTime: 'last',
    },
  ],
  indicators: [
    {
      code: 'CARRY_PER_STATION',
      nameVi: 'Hồ sơ trên một trạm',
      nameEn: 'Applications per station',
      sector: 'ict',
      formula: '#{CARRY_FLOW} / #{CARRY_STOCK}',
      unit: '',
    },
  ],
};

const v = (dataElement: string, period: string, orgUnit: string, value: number) => ({
  dataElement,
  period,
  orgUnit,
  value: String(value),
});

// Tuyên Quang (new, 08) = Hà Giang (02) + Tuyên Quang (08), whole provinces (the reform's file).
// Commune 00007 of 2025-03 was split between 00008 and 00025 of 2025 (`partial` links).
const SPLIT_OLD = '00007';
const SPLIT_NEW = ['00008', '00025'];

interface Cell {
  dx: string;
  pe: string;
  ou: string;
  version: string;
  value: number | null;
  yoy?: { pct: number | null; previous: number | null; source: string; period: string };
  carried?: { from: string[]; exact: boolean; estimatedShare: number; gap?: boolean };
}

for (const engine of testEngines()) {
  describe(`analytics across the reform on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    const query = async (q: string): Promise<Cell[]> => {
      const r = await admin.get(`/api/analytics/query?${q}`);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      return (r.json as { items: Cell[] }).items;
    };
    const one = async (q: string): Promise<Cell> => {
      const items = await query(q);
      assert.equal(items.length, 1, JSON.stringify(items));
      return items[0]!;
    };

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      assert.equal((await admin.post('/api/metadata', metadata)).status, 200);
      const r = await admin.post('/api/data/import', {
        dataValues: [
          // Before 2025-03-01 values are stored on the 2022 tree, from 2025-03 on 2025-03's,
          // from 2025-07 on 2025's.
          v('CARRY_FLOW', '202401', '02', 100),
          v('CARRY_FLOW', '202401', '08', 300),
          v('CARRY_FLOW', '202501', '02', 150),
          v('CARRY_FLOW', '202501', '08', 250),
          v('CARRY_FLOW', '202601', '08', 500),
          v('CARRY_STOCK', '202411', '02', 7),
          v('CARRY_STOCK', '202412', '02', 10),
          v('CARRY_STOCK', '202412', '08', 20),
          v('CARRY_STOCK', '202601', '08', 40),
          v('CARRY_FLOW', '202412', '02', 60),
          v('CARRY_FLOW', '202412', '08', 90),
          // A split commune's value (2025-03 tree), and communes around the country.
          v('CARRY_FLOW', '202505', SPLIT_OLD, 100),
          v('CARRY_FLOW', '202505', '26734', 11),
          v('CARRY_FLOW', '202505', '00004', 13),
          // Phường Nguyễn Trung Trực (00010, Ba Đình) is gone from the 2025-03 tree: its value
          // lies within Hà Nội there, not in any district; Phúc Xá (00001) persists.
          v('CARRY_FLOW', '202402', '00010', 5),
          v('CARRY_FLOW', '202402', '00001', 7),
        ],
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
    });
    after(() => t.close());

    it('adds the old provinces merged into a new one, exactly, marked as carried', async () => {
      const c = await one('dx=CARRY_FLOW&pe=2024-01&ou=08&version=2025');
      assert.equal(c.value, 400);
      assert.deepEqual(c.carried, { from: ['2022'], exact: true, estimatedShare: 0 });
      // On the tree it was stored on, nothing is carried.
      const own = await one('dx=CARRY_FLOW&pe=2024-01&ou=08&version=2022');
      assert.equal(own.value, 300);
      assert.equal(own.carried, undefined);
    });

    it('computes a merged province’s year-over-year for 2026-01 from old data', async () => {
      const jan = await one('dx=CARRY_FLOW&pe=2026-01&ou=08&version=2025');
      assert.equal(jan.value, 500);
      assert.equal(jan.carried, undefined, 'stored on the 2025 tree');
      assert.deepEqual(jan.yoy, {
        pct: ((500 - 400) / 400) * 100,
        previous: 400,
        source: 'computed',
        period: '2025-01',
      });
      // Against 2024-01, two years back: the same carrying.
      const back = await one('dx=CARRY_FLOW&pe=2025-01&ou=08&version=2025');
      assert.equal(back.value, 400);
      assert.equal(back.yoy?.previous, 400);
      assert.equal(back.yoy?.source, 'computed');
      // Without `version`, a 2026 period is answered on the tree in force then (2025).
      const plain = await one('dx=CARRY_FLOW&pe=2026-01&ou=08');
      assert.equal(plain.yoy?.source, 'computed');
    });

    it('keeps the nation’s total of a flow the same on every tree', async () => {
      for (const pe of ['2024-01', '2024-02', '2025-01', '2025-05', '2026-01']) {
        const totals: (number | null)[] = [];
        for (const version of ['2022', '2025-03', '2025'])
          totals.push((await one(`dx=CARRY_FLOW&pe=${pe}&ou=VN&version=${version}`)).value);
        assert.ok(
          totals.every((x) => x !== null && Math.abs(x - totals[0]!) < 1e-9),
          `${pe}: ${totals.join(', ')}`,
        );
      }
      // The year of 2025 on the 2025 tree: January (2022 tree) and May (2025-03 tree) carried.
      const year = await one('dx=CARRY_FLOW&pe=2025&ou=VN&version=2025');
      assert.equal(year.value, 400 + 124);
      assert.deepEqual(year.carried?.from, ['2022', '2025-03']);
    });

    it('divides a split commune by equal shares by default, then by the weights set', async () => {
      const cells = await query(`dx=CARRY_FLOW&pe=2025-05&ou=${SPLIT_NEW.join(',')}&version=2025`);
      for (const code of SPLIT_NEW) {
        const c = cells.find((x) => x.ou === code)!;
        assert.ok(c, code);
        assert.ok(c.value !== null && c.value >= 50, `${code}: ${c.value}`);
        assert.equal(c.carried?.exact, false, 'estimated');
        assert.ok(c.carried.estimatedShare > 0);
      }
      const at = (code: string) => cells.find((x) => x.ou === code)!.value!;
      // Equal shares: half of 100 each, over what else each received whole.
      const whole = (code: string) => at(code) - 50;
      await t.services.store.transaction((tx) =>
        tx.carry.setWeights(
          [
            {
              fromVersion: '2025-03',
              fromCode: SPLIT_OLD,
              toVersion: '2025',
              toCode: SPLIT_NEW[0]!,
              share: 0.7,
            },
            {
              fromVersion: '2025-03',
              fromCode: SPLIT_OLD,
              toVersion: '2025',
              toCode: SPLIT_NEW[1]!,
              share: 0.3,
            },
          ],
          'test',
          'dân số 2024',
        ),
      );
      await t.services.carry.rebuild(await t.services.carry.pairsCrossing('2025-03', '2025'));
      const after = await query(`dx=CARRY_FLOW&pe=2025-05&ou=${SPLIT_NEW.join(',')}&version=2025`);
      const now = (code: string) => after.find((x) => x.ou === code)!.value!;
      assert.ok(Math.abs(now(SPLIT_NEW[0]!) - (whole(SPLIT_NEW[0]!) + 70)) < 1e-9);
      assert.ok(Math.abs(now(SPLIT_NEW[1]!) - (whole(SPLIT_NEW[1]!) + 30)) < 1e-9);
      // The nation is unchanged by weights.
      assert.equal((await one('dx=CARRY_FLOW&pe=2025-05&ou=VN&version=2025')).value, 124);
    });

    it('carries a stock as each old unit’s last value, and an indicator after aggregation', async () => {
      const stock = await one('dx=CARRY_STOCK&pe=2024&ou=08&version=2025');
      assert.equal(stock.value, 30, 'Hà Giang’s December (10), not November, plus Tuyên Quang’s');
      assert.equal(stock.carried?.exact, true);
      const ratio = await one('dx=CARRY_PER_STATION&pe=2026-01&ou=08&version=2025');
      assert.equal(ratio.value, 500 / 40);
      // December 2024, all on the old tree: (60 + 90) / (10 + 20), each input carried first.
      const carriedRatio = await one('dx=CARRY_PER_STATION&pe=2024-12&ou=08&version=2025');
      assert.equal(carriedRatio.value, 150 / 30);
      assert.deepEqual(carriedRatio.carried, { from: ['2022'], exact: true, estimatedShare: 0 });
      // Not the average of the old provinces' own ratios (60/10 and 90/20).
      assert.notEqual(carriedRatio.value, (60 / 10 + 90 / 20) / 2);
    });

    it('answers DHIS2’s analytics route on the asked tree, with its codes', async () => {
      const r = await admin.get(
        '/api/analytics?dimension=dx:CARRY_FLOW&dimension=pe:202401&dimension=ou:08;02&version=2022',
      );
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const json = r.json as { headers: { name: string }[]; rows: string[][] };
      const ou = json.headers.findIndex((h) => h.name === 'ou');
      const val = json.headers.findIndex((h) => h.name === 'value');
      const rows = Object.fromEntries(json.rows.map((x) => [x[ou], Number(x[val])]));
      assert.deepEqual(rows, { '02': 100, '08': 300 });
      const r25 = await admin.get(
        '/api/analytics?dimension=dx:CARRY_FLOW&dimension=pe:202401&dimension=ou:08&version=2025',
      );
      assert.equal(r25.status, 200, JSON.stringify(r25.json));
      const j25 = r25.json as {
        rows: string[][];
        metaData: { opsroom: { trees: string[]; carried: unknown[] } };
      };
      assert.deepEqual(
        j25.rows.map((x) => Number(x.at(-1))),
        [400],
      );
      assert.deepEqual(j25.metaData.opsroom, {
        trees: ['2025'],
        carried: [
          {
            dx: 'CARRY_FLOW',
            pe: '202401',
            ou: '08',
            from: ['2022'],
            exact: true,
            estimatedShare: 0,
          },
        ],
      });
    });

    it('says when a unit may miss values of a commune gone from the tree asked', async () => {
      const district = await one('dx=CARRY_FLOW&pe=2024-02&ou=001&version=2025-03');
      assert.equal(district.value, 7, 'Phúc Xá only');
      assert.equal(district.carried?.gap, true);
      const province = await one('dx=CARRY_FLOW&pe=2024-02&ou=01&version=2025-03');
      assert.equal(province.value, 12, 'the gone ward is within Hà Nội');
      assert.equal(province.carried?.gap, undefined);
      assert.equal(province.carried?.exact, true);
    });

    it('answers a period filter across the reform on the newest of its trees', async () => {
      // January 2025 is stored on the 2022 tree, May 2025 on the 2025-03 tree.
      const r = await admin.get(
        '/api/analytics?dimension=dx:CARRY_FLOW&filter=pe:202501;202505&dimension=ou:VN;08',
      );
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const json = r.json as { headers: { name: string }[]; rows: string[][] };
      const ou = json.headers.findIndex((h) => h.name === 'ou');
      const val = json.headers.findIndex((h) => h.name === 'value');
      const rows = Object.fromEntries(json.rows.map((x) => [x[ou], Number(x[val])]));
      assert.equal(rows.VN, 400 + 124);
      // 08 of the 2025-03 tree (Tuyên Quang before the merger): its own January value.
      assert.equal(rows['08'], 250);
    });

    it('refuses a tree that does not exist and a unit of another tree', async () => {
      const r = await admin.get('/api/analytics/query?dx=CARRY_FLOW&pe=2024-01&ou=08&version=2019');
      assert.equal(r.status, 404, JSON.stringify(r.json));
      // Commune 00007 of 2025-03 does not exist on the 2025 tree.
      const other = await admin.get(
        `/api/analytics/query?dx=CARRY_FLOW&pe=2025-05&ou=${SPLIT_OLD}&version=2025`,
      );
      assert.ok(other.status >= 400 && other.status < 500, JSON.stringify(other.json));
    });
  });
}

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

for (const engine of testEngines()) {
  describe(`invariants across the reform on generated data, ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    // Monthly values 2024-01 … 2026-11 at random communes of the tree in force each month.
    const months = Array.from({ length: 35 }, (_, i) => {
      const y = 2024 + Math.floor(i / 12);
      return `${y}${String((i % 12) + 1).padStart(2, '0')}`;
    });
    const treeOf = (m: string) => (m < '202503' ? '2022' : m < '202507' ? '2025-03' : '2025');
    const sums = new Map<string, number>();

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      assert.equal((await admin.post('/api/metadata', metadata)).status, 200);
      const communes = new Map<string, string[]>();
      for (const version of ['2022', '2025-03', '2025']) {
        const units = await t.services.hierarchy.unitMap(version);
        // The leaves: units no other unit lies under.
        const parents = new Set(units.all.map((u) => u.path.replace(/[^/]+\/$/, '')));
        communes.set(
          version,
          units.all.filter((u) => !parents.has(u.path)).map((u) => u.code),
        );
      }
      const random = rng(2025_07_01);
      const values = months.flatMap((m) => {
        const pool = communes.get(treeOf(m))!;
        const seen = new Set<string>();
        return Array.from({ length: 60 }, () => pool[Math.floor(random() * pool.length)]!)
          .filter((c) => !seen.has(c) && seen.add(c))
          .map((c) => {
            const value = 1 + Math.floor(random() * 1000);
            sums.set(m, (sums.get(m) ?? 0) + value);
            return v('CARRY_FLOW', m, c, value);
          });
      });
      const r = await admin.post('/api/data/import', { dataValues: values });
      assert.equal(r.status, 200, JSON.stringify(r.json));
    });
    after(() => t.close());

    it('keeps the nation’s total of every month the same on every tree', async () => {
      const pe = months.map((m) => `${m.slice(0, 4)}-${m.slice(4)}`).join(',');
      for (const version of ['2022', '2025-03', '2025']) {
        const r = await admin.get(
          `/api/analytics/query?dx=CARRY_FLOW&pe=${pe}&ou=VN&version=${version}`,
        );
        assert.equal(r.status, 200, JSON.stringify(r.json));
        const items = (r.json as { items: Cell[] }).items;
        for (const m of months) {
          const cell = items.find((c) => c.pe === `${m.slice(0, 4)}-${m.slice(4)}`)!;
          assert.ok(
            Math.abs(cell.value! - sums.get(m)!) < 1e-6,
            `${version} ${m}: ${cell.value} ≠ ${sums.get(m)}`,
          );
        }
      }
    });

    it('makes each new province exactly the sum of the old provinces merged into it', async () => {
      const { readFileSync } = await import('node:fs');
      const { SHIPPED_DATA } = await import('../services/bootstrap.ts');
      const mapping = JSON.parse(readFileSync(`${SHIPPED_DATA}/mapping-2025.json`, 'utf8')) as {
        provinces: { old: string; new: string }[];
      };
      const pe = ['2024-06', '2025-04', '2025'].join(',');
      const read = async (version: string) => {
        const r = await admin.get(
          `/api/analytics/query?dx=CARRY_FLOW&pe=${pe}&ou=VN,LEVEL-2&version=${version}`,
        );
        assert.equal(r.status, 200, JSON.stringify(r.json));
        return (r.json as { items: Cell[] }).items;
      };
      const [old, now] = [await read('2025-03'), await read('2025')];
      for (const p of ['2024-06', '2025-04', '2025']) {
        for (const code of new Set(mapping.provinces.map((x) => x.new))) {
          const parts = mapping.provinces.filter((x) => x.new === code).map((x) => x.old);
          const expected = parts.reduce(
            (s, o) => s + (old.find((c) => c.pe === p && c.ou === o)?.value ?? 0),
            0,
          );
          const cell = now.find((c) => c.pe === p && c.ou === code);
          assert.ok(
            Math.abs((cell?.value ?? 0) - expected) < 1e-6,
            `${p} ${code}: ${cell?.value} ≠ ${expected}`,
          );
          if (cell?.carried) assert.equal(cell.carried.exact, true, `${p} ${code} exact`);
        }
      }
    });
  });
}
