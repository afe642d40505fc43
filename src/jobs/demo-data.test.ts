import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';
import { addDays, parsePeriod, previousPeriod, samePeriodLastYear } from '../domain/period.ts';
import { DEFAULT_PRESET, DEFAULT_TILES, resolvePeriod } from '../../web/src/features/room/state.ts';
import {
  BEFORE_REFORM_TREE,
  DAILY_ELEMENTS,
  DEFAULT_DAILY_ELEMENTS,
  DEFAULT_PROVINCE_DAYS,
  communeDayValues,
  generateCommuneDays,
  listCommunes,
  loadDemoData,
  loadSeedFigures,
  provinceDayValues,
  provinceMonthValues,
  readDemoFigures,
  type Commune,
  type PlacedCommune,
} from './demo-data.ts';

interface SeedFigure {
  id: string;
  value: number | null;
  period: { start: string | null; end: string };
  compare?: { basis: string; value?: number; change_pct?: number }[];
}
const seed = JSON.parse(
  readFileSync(new URL('../../data/seed-figures/figures.json', import.meta.url), 'utf8'),
) as { figures: SeedFigure[] };

const decimalsOf = (n: number) => (String(n).split('.')[1] ?? '').length;
const roundTo = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;

async function collect(gen: AsyncIterable<{ orgUnit?: string; value?: string }[]>) {
  const all = [];
  for await (const batch of gen) all.push(...batch);
  return all;
}

describe('demo figures file', () => {
  it('prints, for every figure with both values and a change, the change the values give', () => {
    const checked: string[] = [];
    const wrong: string[] = [];
    for (const f of seed.figures) {
      for (const c of f.compare ?? []) {
        if (f.value === null || c.value === undefined || c.change_pct === undefined) continue;
        const computed = roundTo(((f.value - c.value) / c.value) * 100, decimalsOf(c.change_pct));
        checked.push(f.id);
        if (computed !== c.change_pct) wrong.push(`${f.id}: ${computed} ≠ printed ${c.change_pct}`);
      }
    }
    assert.deepEqual(wrong, []);
    assert.deepEqual(checked.sort(), [
      'press.pay_tv_subscribers',
      'security.public_certificates_active',
      'security.public_certificates_issued',
    ]);
  });

  it('maps every seed figure to values or gives a reason for leaving it out', () => {
    const demo = readDemoFigures();
    const placed = new Set(demo.values.map((v) => v.figure));
    const left = new Set(demo.leftOut.map((l) => l.figure));
    for (const f of seed.figures)
      assert.ok(placed.has(f.id) !== left.has(f.id), `${f.id}: exactly one of value / left out`);
  });
});

describe('commune day generator (pure)', () => {
  const communes: Commune[] = [
    { code: '00001', type: 'phuong' },
    { code: '00004', type: 'phuong' },
    { code: '00007', type: 'xa' },
    { code: '00010', type: 'thi_tran' },
  ];
  const all = (opts: Parameters<typeof communeDayValues>[1]) =>
    [...communeDayValues(communes, opts)].flat();

  it('gives the same values for the same seed, whatever the range, elements or batch size', () => {
    const a = all({ from: '2025-08-01', to: '2025-08-10', seed: 7 });
    const b = all({ from: '2025-08-01', to: '2025-08-10', seed: 7, batchSize: 13 });
    const key = (v: { dataElement?: string; period?: string; orgUnit?: string; value?: string }) =>
      `${v.dataElement} ${v.period} ${v.orgUnit} ${v.value}`;
    assert.deepEqual(a.map(key), b.map(key));
    assert.equal(a.length, 4 * 10 * DAILY_ELEMENTS.length);
    const part = all({ from: '2025-08-05', to: '2025-08-06', seed: 7, elements: ['TESTS_DONE'] });
    const whole = new Set(a.map(key));
    for (const v of part) assert.ok(whole.has(key(v)), key(v));
    const other = all({ from: '2025-08-01', to: '2025-08-10', seed: 8 });
    assert.notDeepEqual(other.map(key), a.map(key));
  });

  it('writes non-negative integers, never more positives than tests, batches indexed from 0', () => {
    const batches = [
      ...communeDayValues(communes, { from: '2024-01-01', to: '2024-03-31', batchSize: 100 }),
    ];
    for (const b of batches) b.forEach((v, i) => assert.equal(v.index, i));
    const values = batches.flat();
    for (const v of values) assert.match(v.value!, /^\d+$/);
    const at = new Map(
      values.map((v) => [`${v.dataElement} ${v.period} ${v.orgUnit}`, Number(v.value)]),
    );
    for (const v of values.filter((x) => x.dataElement === 'POSITIVE_CASES'))
      assert.ok(Number(v.value) <= at.get(`TESTS_DONE ${v.period} ${v.orgUnit}`)!);
  });
});

describe('province days and months (pure)', () => {
  // 1,200 communes in three provinces, national-average people: enough outbreaks that their
  // communes' draws add up close to the expected sums (a province alone: ±10 % of positives).
  const communes: PlacedCommune[] = Array.from({ length: 1200 }, (_, i) => ({
    code: String(20000 + i),
    type: ['phuong', 'xa', 'xa', 'thi_tran'][i % 4]!,
    province: ['01', '31', '79'][i % 3]!,
  }));
  const totals = (values: { dataElement?: string; value?: string }[]) => {
    const out = new Map<string, number>();
    for (const v of values)
      out.set(v.dataElement!, (out.get(v.dataElement!) ?? 0) + Number(v.value));
    return out;
  };

  it('writes the totals the communes’ days add up to, by province day or month', () => {
    const range = { from: '2026-01-01', to: '2026-03-31' };
    const drawn = totals([...communeDayValues(communes, range)].flat());
    const days = provinceDayValues(communes, range);
    assert.equal(days.length, 3 * 90 * DAILY_ELEMENTS.length);
    const byDay = totals(days);
    const byMonth = totals(
      provinceMonthValues(communes, { months: ['2026-01', '2026-02', '2026-03'] }),
    );
    // Positives count an outbreak twice (more tests, more of them positive): their expected
    // sums would be a fifth short of the draws with E[X]² for E[X²].
    const off: string[] = [];
    for (const [e, n] of drawn)
      for (const [how, x] of [
        ['days', byDay.get(e)!],
        ['months', byMonth.get(e)!],
      ] as const)
        if (!(Math.abs(x / n - 1) < 0.05)) off.push(`${e}: ${how} ${x} vs communes ${n}`);
    assert.deepEqual(off, []);
  });

  it('draws the same days whatever the range, never more positives than tests', () => {
    const key = (v: { dataElement?: string; period?: string; orgUnit?: string; value?: string }) =>
      `${v.dataElement} ${v.period} ${v.orgUnit} ${v.value}`;
    const whole = new Set(
      provinceDayValues(communes, { from: '2025-12-01', to: '2025-12-31' }).map(key),
    );
    const part = provinceDayValues(communes, {
      from: '2025-12-10',
      to: '2025-12-11',
      elements: ['TESTS_DONE'],
    });
    assert.equal(part.length, 2 * 3);
    for (const v of part) assert.ok(whole.has(key(v)), key(v));
    const values = provinceDayValues(communes, { from: '2025-12-01', to: '2025-12-31' });
    const at = new Map(values.map((v) => [`${v.dataElement} ${v.period} ${v.orgUnit}`, v.value]));
    for (const v of values) {
      assert.match(v.value!, /^\d+$/);
      if (v.dataElement === 'POSITIVE_CASES')
        assert.ok(Number(v.value) <= Number(at.get(`TESTS_DONE ${v.period} ${v.orgUnit}`)));
    }
  });
});

for (const engine of testEngines()) {
  describe(`demo data on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;

    before(async () => {
      t = await openTestDb(engine, { clock: () => new Date('2025-09-15T03:00:00Z') });
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
    });
    after(() => t.close());

    it('generates values for every commune of the 2025 tree, wards bigger than rural communes', async () => {
      const communes = await listCommunes(t.services, '2025');
      assert.equal(communes.length, 3321);
      const opts = { version: '2025', from: '2025-08-04', to: '2025-08-10', seed: 42 };
      const a = await collect(generateCommuneDays(t.services, opts));
      const b = await collect(generateCommuneDays(t.services, opts));
      assert.deepEqual(a, b);
      assert.equal(a.length, 3321 * 7 * DAILY_ELEMENTS.length);
      assert.deepEqual(
        [...new Set(a.map((v) => v.orgUnit))].sort(),
        communes.map((c) => c.code).sort(),
      );
      const type = new Map(communes.map((c) => [c.code, c.type]));
      const mean = (t: string) => {
        const xs = a
          .filter((v) => (v as { dataElement?: string }).dataElement === 'HEALTH_DECLARATIONS')
          .filter((v) => type.get(v.orgUnit!) === t)
          .map((v) => Number(v.value));
        return xs.reduce((s, x) => s + x, 0) / xs.length;
      };
      assert.ok(mean('phuong') > 1.5 * mean('xa'), `${mean('phuong')} vs ${mean('xa')}`);
    });

    it('imports the seed figures: January 2022 cyberattacks 1,383 = 197 + 125 + 1,061 at VN', async () => {
      const r = await loadSeedFigures(t.services);
      // Loaded as printed: the articles' 1.992 tỷ đồng beside ~86,1 tỷ USD (and 1.765 beside
      // ~76,3) break the exchange-rate rules, which the import reports and keeps (issue 17).
      assert.equal(r.values.status, 'WARNING');
      assert.deepEqual(
        r.values.validation?.list.map((v) => [v.rule, v.unit, v.period, Math.round(v.left!)]),
        [
          ['ICT_HARDWARE_RATE_LOW', 'VN', '2021-01-01/2021-08-31', 23],
          ['ICT_REVENUE_RATE_LOW', 'VN', '2021-01-01/2021-08-31', 23],
        ],
      );
      assert.equal(r.values.importCount.imported, readDemoFigures().values.length);
      const res = await admin.get(
        '/api/dataValueSets?dataElement=CYBERATTACKS&period=202201&version=2022',
      );
      assert.equal(res.status, 200, res.text);
      const rows = (res.json.dataValues as Record<string, string>[]).map((v) => [
        v.orgUnit,
        v.period,
        v.categoryOptionCombo,
        Number(v.value),
      ]);
      assert.deepEqual(
        rows.sort((x, y) => String(x[2]).localeCompare(String(y[2]))),
        [
          ['VN', '202201', 'DEFACE', 125],
          ['VN', '202201', 'MALWARE', 1061],
          ['VN', '202201', 'PHISHING', 197],
        ],
      );
      assert.equal(
        rows.reduce((s, r) => s + Number(r[3]), 0),
        1383,
      );
      const rollup = await sql<{ sum: number }>`
        select sum(r.sum)::float as sum from data_value_total r
        join org_unit u on u.id = r.unit_id join data_element e on e.id = r.element_id
        join period p on p.id = r.period_id
        where u.version = '2022' and u.code = 'VN' and e.code = 'CYBERATTACKS' and p.pid = '2022-01'`.execute(
        t.database.db,
      );
      assert.equal(rollup.rows[0]!.sum, 1383);
    });

    it('stores both values where an article prints both, and they give the printed change', async () => {
      const res = await t.database.db
        .selectFrom('data_value as d')
        .innerJoin('data_element as e', 'e.id', 'd.element_id')
        .innerJoin('period as p', 'p.id', 'd.period_id')
        .innerJoin('org_unit as u', 'u.id', 'd.unit_id')
        .select(['e.code as element', 'p.pid as period', 'd.value', 'd.reported_yoy_pct'])
        .where('u.code', '=', 'VN')
        .execute();
      const stored = new Map(res.map((r) => [`${r.element} ${r.period}`, r]));
      const demo = readDemoFigures();
      const checked: string[] = [];
      const wrong: string[] = [];
      for (const f of seed.figures) {
        const yoy = f.compare?.find((c) => c.basis === 'same period previous year');
        if (!yoy || yoy.value === undefined || yoy.change_pct === undefined) continue;
        const v = demo.values.find((x) => x.figure === f.id && x.reportedYoyPct !== undefined)!;
        const now = stored.get(`${v.dataElement} ${v.period}`);
        const earlier = stored.get(
          `${v.dataElement} ${samePeriodLastYear(parsePeriod(v.period!)).id}`,
        );
        assert.ok(now && earlier, `${f.id}: both values stored`);
        const change = roundTo(
          ((now.value! - earlier.value!) / earlier.value!) * 100,
          decimalsOf(yoy.change_pct),
        );
        assert.equal(now.reported_yoy_pct, yoy.change_pct, `${f.id}: reported change kept`);
        checked.push(f.id);
        if (change !== yoy.change_pct) wrong.push(`${f.id}: ${change} ≠ ${yoy.change_pct}`);
      }
      assert.deepEqual(wrong, []);
      assert.equal(checked.length, 3);
      // 4,581,000 against 4,014,701 is 'tăng 14,1%'.
      assert.equal(stored.get('SECURITY_PUBLIC_CERTS_ISSUED 2021-01')?.value, 4014701);
      // An absolute change gives the earlier value: 634 = 628 + 6 ('tăng 06 đài').
      const p = previousPeriod(parsePeriod('2022-01')).id;
      assert.equal(stored.get(`PRESS_COMMUNE_RADIO_STATIONS_ICT ${p}`)?.value, 628);
    });

    it('changes nothing on a second load of the seed figures', async () => {
      const history = async () =>
        (
          await sql<{ n: number }>`select count(*)::int as n from data_value_history`.execute(
            t.database.db,
          )
        ).rows[0]!.n;
      const before = await history();
      const r = await loadSeedFigures(t.services);
      for (const [kind, c] of Object.entries(r.metadata))
        assert.deepEqual([c.created, c.updated], [0, 0], kind);
      assert.deepEqual(r.values.importCount, {
        imported: 0,
        updated: 0,
        ignored: readDemoFigures().values.length,
        deleted: 0,
      });
      assert.equal(await history(), before);
    });

    it('loads the demo: generated commune days before today, in batches, with progress', async () => {
      const steps: [string, number, number][] = [];
      const r = await loadDemoData(t.services, {
        days: 2,
        elements: ['TESTS_DONE', 'SPAM_REPORTS'],
        batchSize: 5000,
        history: 'none',
        onProgress: (s, d, n) => steps.push([s, d, n]),
      });
      assert.deepEqual([r.from, r.to, r.communes], ['2025-09-13', '2025-09-14', 3321]);
      assert.equal(r.values, 3321 * 2 * 2);
      assert.equal(r.imported, r.values);
      assert.deepEqual(steps.at(-1), ['communes', r.values, r.values]);
      const n = await sql<{ n: number; sum: number }>`
        select sum(r.n)::int as n, sum(r.sum)::float as sum from data_value_total r
        join org_unit u on u.id = r.unit_id join data_element e on e.id = r.element_id
        where u.version = '2025' and u.code = 'VN' and e.code = 'TESTS_DONE'`.execute(
        t.database.db,
      );
      assert.equal(n.rows[0]!.n, 3321 * 2);
      assert.ok(n.rows[0]!.sum > 0);
      const again = await loadDemoData(t.services, {
        days: 2,
        elements: ['TESTS_DONE', 'SPAM_REPORTS'],
        history: 'none',
      });
      assert.equal(again.imported + again.updated, 0, 'a second load changes nothing');
    });
  });
}

interface Cell {
  pe: string;
  ou: string;
  value: number | null;
  yoy?: { pct: number | null; previous: number | null; source: string; period: string };
  carried?: { from: string[]; exact: boolean; estimatedShare: number };
}

// Issue 16: one series across the reform, on the 2025 tree, whatever tree a value was written on.
for (const engine of testEngines()) {
  describe(`demo data across the reform on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    const cells = async (q: string): Promise<Cell[]> => {
      const r = await admin.get(`/api/analytics/query?${q}`);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      return (r.json as { items: Cell[] }).items;
    };
    const one = async (q: string): Promise<Cell> => {
      const items = await cells(q);
      assert.equal(items.length, 1, JSON.stringify(items));
      return items[0]!;
    };
    const storedOn = async (period: string) =>
      (
        await sql<{ version: string }>`select distinct u.version from data_value d
          join org_unit u on u.id = d.unit_id join period p on p.id = d.period_id
          join data_element e on e.id = d.element_id
          where p.pid = ${period} and e.code = 'TESTS_DONE'`.execute(t.database.db)
      ).rows.map((r) => r.version);

    before(async () => {
      t = await openTestDb(engine, { clock: () => new Date('2026-03-10T03:00:00Z') });
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
    });
    after(() => t.close());

    it('writes monthly provincial history on the 2025-03 tree before July 2025, on 2025 after', async () => {
      const r = await loadDemoData(t.services, {
        days: 2,
        elements: ['TESTS_DONE', 'SPAM_REPORTS'],
      });
      // 18 months on 63 provinces, then 2025-07 … 2026-02 on 34, two elements.
      assert.deepEqual(
        [r.history.mode, r.history.from, r.history.to],
        ['monthly', '2024-01-01', '2026-02-28'],
      );
      assert.equal(r.history.values, (18 * 63 + 8 * 34) * 2);
      assert.equal(r.history.imported, r.history.values);
      assert.deepEqual(await storedOn('2025-06'), [BEFORE_REFORM_TREE]);
      assert.deepEqual(await storedOn('2025-07'), ['2025']);
      const again = await loadDemoData(t.services, {
        days: 2,
        elements: ['TESTS_DONE', 'SPAM_REPORTS'],
      });
      assert.equal(again.imported + again.updated + again.history.imported, 0);
    });

    it('gives a month before the reform the same national total on the 2025 tree as where it is stored', async () => {
      for (const pe of ['2024-01', '2025-03', '2025-06']) {
        const stored = await one(`dx=TESTS_DONE&pe=${pe}&ou=VN&version=${BEFORE_REFORM_TREE}`);
        const asked = await one(`dx=TESTS_DONE&pe=${pe}&ou=VN&version=2025`);
        assert.ok(stored.value !== null && stored.value > 0, `${pe}: ${stored.value}`);
        assert.equal(asked.value, stored.value, pe);
        assert.deepEqual(asked.carried?.from, [BEFORE_REFORM_TREE]);
        assert.equal(asked.carried?.exact, true);
      }
    });

    it('computes a 2026 month’s year-over-year on the 2025 tree from values of the old tree', async () => {
      const jan = await one('dx=TESTS_DONE&pe=2026-01&ou=VN&version=2025');
      assert.equal(jan.yoy?.source, 'computed');
      assert.equal(jan.yoy?.period, '2025-01');
      const before = await one(`dx=TESTS_DONE&pe=2025-01&ou=VN&version=${BEFORE_REFORM_TREE}`);
      assert.equal(jan.yoy?.previous, before.value);
      // A merged province (Tuyên Quang = Hà Giang + Tuyên Quang): computed as well.
      const merged = await one('dx=SPAM_REPORTS&pe=2026-02&ou=08&version=2025');
      assert.equal(merged.yoy?.source, 'computed');
      assert.ok(merged.yoy.pct !== null && Math.abs(merged.yoy.pct) < 60, `${merged.yoy.pct}`);
    });

    it('draws one continuous monthly line for the nation and a merged province', async () => {
      const months = Array.from({ length: 24 }, (_, i) => {
        const m = 2024 * 12 + 2 + i; // 2024-03 … 2026-02
        return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
      });
      for (const ou of ['VN', '08', '79']) {
        // Spam reports: no national 120-day wave (tests swing ±30 % from month to month).
        const line = await cells(`dx=SPAM_REPORTS&pe=${months.join(',')}&ou=${ou}&version=2025`);
        assert.equal(line.length, 24, ou);
        const values = line.map((c) => c.value);
        assert.ok(
          values.every((v) => v !== null && v > 0),
          `${ou}: ${values.join(', ')}`,
        );
        // No step at the reform: June to July 2025 moves like any other month.
        const at = (pe: string) => line.find((c) => c.pe === pe)!.value!;
        const step = at('2025-07') / at('2025-06');
        assert.ok(step > 0.8 && step < 1.25, `${ou}: 2025-06 → 07 × ${step}`);
      }
    });

    it('writes daily history on the 2025-03 tree before the reform and the 2025 tree after', async () => {
      const r = await loadDemoData(t.services, {
        today: '2025-07-03',
        days: 2,
        history: 'daily',
        historyFrom: '2025-06-29',
        elements: ['TESTS_DONE'],
      });
      assert.deepEqual([r.from, r.to], ['2025-07-01', '2025-07-02']);
      assert.deepEqual([r.history.from, r.history.to], ['2025-06-29', '2025-06-30']);
      const communes0325 = (await listCommunes(t.services, BEFORE_REFORM_TREE)).length;
      assert.equal(r.history.values, communes0325 * 2);
      assert.deepEqual(await storedOn('2025-06-30'), [BEFORE_REFORM_TREE]);
      assert.deepEqual(await storedOn('2025-07-01'), ['2025']);
      const june = await one(`dx=TESTS_DONE&pe=2025-06-30&ou=VN&version=${BEFORE_REFORM_TREE}`);
      const carried = await one('dx=TESTS_DONE&pe=2025-06-30&ou=VN&version=2025');
      assert.equal(carried.value, june.value);
      const july = await one('dx=TESTS_DONE&pe=2025-07-01&ou=VN&version=2025');
      const step = july.value! / june.value!;
      assert.ok(step > 0.75 && step < 1.33, `2025-06-30 → 07-01 × ${step}`);
    });
  });
}

interface RoomCell extends Cell {
  dx: string;
}

// Issue 19: the room a newcomer opens on the first start shows a change on last year on every
// tile, for the period it opens on and the other recent ones, asked as the room asks.
for (const engine of testEngines()) {
  describe(`the room's year-over-year changes on the first start's demo, ${engine}`, () => {
    const today = '2026-12-07';
    let t: TestDb;
    let admin: ApiClient;
    const cells = async (dx: string[], pe: string[], ou: string[]): Promise<RoomCell[]> => {
      const q = new URLSearchParams({
        dx: dx.join(','),
        pe: pe.join(','),
        ou: ou.join(','),
        version: '2025',
      });
      const r = await admin.get(`/api/analytics/query?${q}`);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      return (r.json as { items: RoomCell[] }).items;
    };

    before(async () => {
      t = await openTestDb(engine, { clock: () => new Date(`${today}T03:00:00Z`) });
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
    });
    after(() => t.close());

    it('writes over a year of daily values per province before the commune days, once', async () => {
      const r = await loadDemoData(t.services, { days: 7 });
      assert.deepEqual([r.from, r.to], ['2026-11-30', '2026-12-06']);
      const last = addDays(r.from, -1);
      assert.deepEqual(
        [r.provinceDays.from, r.provinceDays.to],
        [addDays(last, -(DEFAULT_PROVINCE_DAYS - 1)), last],
      );
      assert.equal(
        r.provinceDays.values,
        34 * DEFAULT_PROVINCE_DAYS * DEFAULT_DAILY_ELEMENTS.length,
      );
      assert.equal(r.provinceDays.imported, r.provinceDays.values);
      const again = await loadDemoData(t.services, { days: 7 });
      assert.equal(
        again.imported + again.updated + again.history.imported + again.provinceDays.imported,
        0,
      );
    });

    it('gives every default tile a computed change on last year at the nation, rises and falls', async () => {
      for (const preset of [DEFAULT_PRESET, '1d', '30d', 'lastmonth']) {
        const period = resolvePeriod(preset, today);
        const tiles = await cells(DEFAULT_TILES, [period.id], ['VN']);
        assert.deepEqual(tiles.map((c) => c.dx).sort(), [...DEFAULT_TILES].sort(), preset);
        for (const c of tiles) {
          const what = `${preset} ${c.dx}: ${c.value}, ${JSON.stringify(c.yoy)}`;
          assert.ok(c.value !== null && c.value > 0, what);
          assert.equal(c.yoy?.source, 'computed', what);
          assert.equal(c.yoy.period, samePeriodLastYear(period.period).id, what);
          assert.ok(c.yoy.pct !== null && Math.abs(c.yoy.pct) < 60, what);
        }
        if (preset === DEFAULT_PRESET) {
          const pcts = tiles.map((c) => c.yoy!.pct!);
          assert.ok(
            pcts.some((p) => p > 1) && pcts.some((p) => p < -1),
            `some up, some down: ${pcts.join(', ')}`,
          );
        }
      }
    });

    it('gives each province on the map a change on last year too', async () => {
      const period = resolvePeriod(DEFAULT_PRESET, today);
      const map = await cells(['TESTS_DONE'], [period.id], ['VN', 'LEVEL-2']);
      const provinces = map.filter((c) => c.ou !== 'VN');
      assert.equal(provinces.length, 34);
      for (const c of provinces) assert.equal(c.yoy?.source, 'computed', c.ou);
    });

    it('draws the room’s 30-day trend whole, with no step where the commune days begin', async () => {
      const period = resolvePeriod(DEFAULT_PRESET, today);
      assert.equal(period.trendKind, 'days');
      const line = await cells(
        [DEFAULT_TILES[0]!],
        period.trend.map((p) => p.id),
        ['VN'],
      );
      const value = new Map(line.map((c) => [c.pe, c.value]));
      const values = period.trend.map((p) => value.get(p.id) ?? null);
      assert.ok(
        values.every((v) => v !== null && v > 0),
        values.join(', '),
      );
      // The last week (communes' days) against the week before it (provinces' days).
      const sum = (xs: (number | null)[]) => xs.reduce((a: number, b) => a + (b ?? 0), 0);
      const step = sum(values.slice(-7)) / sum(values.slice(-14, -7));
      assert.ok(step > 0.85 && step < 1.18, `× ${step}`);
    });
  });
}
