import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  carryAll,
  checkWeights,
  covers,
  deriveLinks,
  mapBetween,
  normaliseWeights,
  pairsCrossing,
  weightKey,
  weightsOf,
  type CarryLink,
  type CarryTree,
  type Covers,
} from './carry.ts';

const DATA = new URL('../../data/vn-admin/', import.meta.url);

let nextId = 1;
/** A tree from `code parent kind` triples (root 'VN'); roll-up units: root and provinces. */
function toy(version: string, validFrom: string, rows: [string, string, string][]): CarryTree {
  const level = new Map<string, number>([['VN', 0]]);
  const units: CarryTree['units'] = [
    { id: nextId++, code: 'VN', parent: null, level: 0, kind: 'nation', rollup: true },
  ];
  for (const [code, parent, kind] of rows) {
    level.set(code, level.get(parent)! + 1);
    units.push({
      id: nextId++,
      code,
      parent,
      level: level.get(code)!,
      kind,
      rollup: level.get(code)! <= 1,
    });
  }
  return { version, validFrom, units };
}

function realTree(version: string): CarryTree {
  const file = JSON.parse(readFileSync(new URL(`units-${version}.json`, DATA), 'utf8')) as {
    validFrom: string;
    units: { code: string; parent: string | null; level: number; kind: string }[];
  };
  const units = [
    {
      id: nextId++,
      code: 'VN',
      parent: null as string | null,
      level: 0,
      kind: 'nation',
      rollup: true,
    },
    ...file.units.map((u) => ({
      id: nextId++,
      code: u.code,
      parent: u.parent ?? 'VN',
      level: u.level,
      kind: u.kind,
      rollup: false,
    })),
  ];
  // Roll-up units as migration 0018 sets them: level <= 1 or >= 64 units below.
  const below = new Map<string, number>();
  const byCode = new Map(units.map((u) => [u.code, u]));
  for (const u of units)
    for (let p = u.parent; p !== null; p = byCode.get(p)!.parent)
      below.set(p, (below.get(p) ?? 0) + 1);
  for (const u of units) u.rollup = u.level <= 1 || (below.get(u.code) ?? 0) >= 64;
  return { version, validFrom: file.validFrom, units };
}

function fileLinks(): CarryLink[] {
  type Row = { old: string; new: string; part?: 'full' | 'partial' };
  const m = JSON.parse(readFileSync(new URL('mapping-2025.json', DATA), 'utf8')) as {
    provinces: Row[];
    districts: Row[];
    communes: Row[];
  };
  return [...m.provinces, ...m.districts, ...m.communes].map((r) => ({
    fromVersion: '2025-03',
    fromCode: r.old,
    toVersion: '2025',
    toCode: r.new,
    part: r.part ?? 'full',
  }));
}

/** asked code → entries, with stored codes. */
function byAsked(c: Covers, asked: CarryTree, stored: CarryTree) {
  const a = new Map(asked.units.map((u) => [u.id, u.code]));
  const s = new Map(stored.units.map((u) => [u.id, u.code]));
  const out = new Map<string, { code: string; whole: boolean; share: number; exact: boolean }[]>();
  for (const e of c.cover) {
    const k = a.get(e.askedId)!;
    const list = out.get(k) ?? [];
    list.push({ code: s.get(e.storedId)!, whole: e.whole, share: e.share, exact: e.exact });
    out.set(k, list);
  }
  for (const l of out.values()) l.sort((x, y) => (x.code < y.code ? -1 : 1));
  return out;
}

describe('carry on toy trees', () => {
  // Old: province 10 with communes 101, 102, 103; province 20 with 201. New: province 30 = 10 + 20
  // with communes 301 (= 101 + half of 102) and 302 (= other half of 102 + 103 + 201).
  const old = toy('old', '2020-01-01', [
    ['10', 'VN', 'province'],
    ['101', '10', 'commune'],
    ['102', '10', 'commune'],
    ['103', '10', 'commune'],
    ['20', 'VN', 'province'],
    ['201', '20', 'commune'],
    ['40', 'VN', 'province'],
    ['401', '40', 'commune'],
  ]);
  const neu = toy('new', '2025-07-01', [
    ['30', 'VN', 'province'],
    ['301', '30', 'commune'],
    ['302', '30', 'commune'],
    ['50', 'VN', 'province'],
    ['501', '50', 'commune'],
  ]);
  const link = (from: string, to: string, part: 'full' | 'partial'): CarryLink => ({
    fromVersion: 'old',
    fromCode: from,
    toVersion: 'new',
    toCode: to,
    part,
  });
  const links = [
    link('10', '30', 'full'),
    link('20', '30', 'full'),
    link('101', '301', 'full'),
    link('102', '301', 'partial'),
    link('102', '302', 'partial'),
    link('103', '302', 'full'),
    link('201', '302', 'full'),
    link('40', '50', 'full'),
    link('401', '501', 'full'),
  ];

  it('forward: provinces whole and exact, split communes by equal shares, then by weights', () => {
    const c = covers(neu, old, mapBetween([old, neu], links, new Map(), 'new', 'old'));
    const m = byAsked(c, neu, old);
    assert.deepEqual(m.get('VN'), [{ code: 'VN', whole: true, share: 1, exact: true }]);
    assert.deepEqual(m.get('30'), [
      { code: '10', whole: true, share: 1, exact: true },
      { code: '20', whole: true, share: 1, exact: true },
    ]);
    assert.deepEqual(m.get('301'), [
      { code: '101', whole: false, share: 1, exact: true },
      { code: '102', whole: false, share: 0.5, exact: false },
    ]);
    assert.deepEqual(m.get('302'), [
      { code: '102', whole: false, share: 0.5, exact: false },
      { code: '103', whole: false, share: 1, exact: true },
      // Old province 20 lies wholly in 302: its roll-up rows.
      { code: '20', whole: true, share: 1, exact: true },
    ]);
    assert.deepEqual(c.gap, []);
    const w = weightsOf([
      { fromVersion: 'old', fromCode: '102', toVersion: 'new', toCode: '301', share: 0.25 },
      { fromVersion: 'old', fromCode: '102', toVersion: 'new', toCode: '302', share: 0.75 },
    ]);
    const m2 = byAsked(covers(neu, old, mapBetween([old, neu], links, w, 'new', 'old')), neu, old);
    assert.equal(m2.get('301')!.find((e) => e.code === '102')!.share, 0.25);
    assert.equal(m2.get('302')!.find((e) => e.code === '102')!.share, 0.75);
  });

  it('reverse: new communes go back to their sources by f/Σf', () => {
    const c = covers(old, neu, mapBetween([old, neu], links, new Map(), 'old', 'new'));
    const m = byAsked(c, old, neu);
    // 301 ← 101 (1) + 102 (0.5): 2/3 to 101, 1/3 to 102. 302 ← 102 (.5), 103 (1), 201 (1): .2/.4/.4.
    const near = (x: number, y: number) => assert.ok(Math.abs(x - y) < 1e-12, `${x} ≠ ${y}`);
    near(m.get('101')![0]!.share, 2 / 3);
    near(m.get('102')!.find((e) => e.code === '301')!.share, 1 / 3);
    near(m.get('102')!.find((e) => e.code === '302')!.share, 0.2);
    near(m.get('20')![0]!.share, 0.4);
    assert.equal(m.get('20')![0]!.exact, false);
    // 301 lies wholly in old province 10: exact there.
    assert.deepEqual(m.get('10'), [
      { code: '301', whole: false, share: 1, exact: true },
      { code: '302', whole: false, share: 0.6000000000000001, exact: false },
    ]);
    assert.deepEqual(m.get('VN'), [{ code: 'VN', whole: true, share: 1, exact: true }]);
  });

  it('identity: each unit is itself, whole when it keeps roll-ups', () => {
    const m = byAsked(covers(old, old, 'identity'), old, old);
    assert.deepEqual(m.get('10'), [{ code: '10', whole: true, share: 1, exact: true }]);
    assert.deepEqual(m.get('102'), [{ code: '102', whole: false, share: 1, exact: true }]);
    assert.equal(m.size, old.units.length);
  });

  it('weights: every refusal', () => {
    const w = (from: string, to: string, share: number) => ({
      fromVersion: 'old',
      fromCode: from,
      toVersion: 'new',
      toCode: to,
      share,
    });
    assert.deepEqual(checkWeights(links, [w('102', '301', 0.4), w('102', '302', 0.6)]), []);
    assert.deepEqual(
      checkWeights(links, [w('102', '303', 0.4)]).map((p) => p.problem),
      ['no_link'],
    );
    assert.deepEqual(
      checkWeights(links, [w('101', '301', 1)]).map((p) => p.problem),
      ['not_split'],
    );
    assert.deepEqual(
      checkWeights(links, [w('102', '301', -0.2), w('102', '302', 1.2)]).map((p) => p.problem),
      ['negative', 'above_one'],
    );
    assert.deepEqual(checkWeights(links, [w('102', '301', 0.5), w('102', '302', 0.6)]), [
      { from: '102', problem: 'sum', sum: 1.1 },
    ]);
    assert.deepEqual(checkWeights(links, [w('102', '301', 1)]), [
      { from: '102', to: '302', problem: 'missing_links' },
    ]);
    assert.deepEqual(
      checkWeights(links, [w('102', '301', 0.5), w('102', '301', 0.5), w('102', '302', 0.5)]).map(
        (p) => p.problem,
      ),
      ['duplicate'],
    );
    // Reverse direction along a stored link: 302's sources.
    const r = (to: string, share: number) => ({
      fromVersion: 'new',
      fromCode: '302',
      toVersion: 'old',
      toCode: to,
      share,
    });
    assert.deepEqual(checkWeights(links, [r('102', 0.1), r('103', 0.5), r('201', 0.4)]), []);
    const n = normaliseWeights([w('102', '301', 0.5000001), w('102', '302', 0.5)]);
    assert.equal(n[0]!.share + n[1]!.share, 1);
  });
});

describe('carry on the real trees (data/vn-admin)', () => {
  const t2022 = realTree('2022');
  const t202503 = realTree('2025-03');
  const t2025 = realTree('2025');
  const trees = [t2022, t202503, t2025];
  const file = fileLinks();
  const derived = deriveLinks(t2022, t202503);
  const links: CarryLink[] = [...file, ...derived];
  const started = performance.now();
  const all = carryAll(trees, links, new Map());
  const ms = performance.now() - started;
  const pair = (asked: string, stored: string) =>
    all.find((p) => p.asked === asked && p.stored === stored)!.covers;
  const kind = (t: CarryTree) => new Map(t.units.map((u) => [u.id, u]));

  it('derives 2022 → 2025-03 links: 63 provinces, 10,032 communes + 5 islands by code, 567 within', () => {
    const count = (f: (l: (typeof derived)[number]) => boolean) => derived.filter(f).length;
    assert.equal(
      count((l) => l.basis === 'code' && l.fromCode.length === 2),
      63,
    );
    assert.equal(
      count((l) => l.basis === 'code' && l.fromCode.length === 5),
      10_032,
    );
    assert.equal(
      count((l) => l.basis === 'code' && l.fromCode.length === 3),
      5,
    );
    assert.equal(
      count((l) => l.basis === 'province' && l.part === 'within'),
      567,
    );
  });

  it('the mapping: 459 split old communes, 445 new communes receiving a split link', () => {
    const partial = file.filter((l) => l.part === 'partial');
    assert.equal(new Set(partial.map((l) => l.fromCode)).size, 459);
    assert.equal(new Set(partial.map((l) => l.toCode)).size, 445);
  });

  // The design counted 2,871 among new communes with commune sources; the 5 đặc khu made of
  // island districts without communes are exact too.
  it('forward 2025-03 → 2025: 2,871 + 5 of 3,321 new communes exact, every province exact', () => {
    const c = pair('2025', '2025-03');
    const units = kind(t2025);
    const inexact = new Set(c.cover.filter((e) => !e.exact).map((e) => e.askedId));
    const communes = t2025.units.filter((u) => u.kind === 'commune');
    assert.equal(communes.length, 3321);
    const islands = new Set(file.filter((l) => l.fromCode.length === 3).map((l) => l.toCode));
    const exact = communes.filter((u) => !inexact.has(u.id));
    assert.equal(exact.filter((u) => !islands.has(u.code)).length, 2871);
    assert.equal(exact.length, 2876);
    assert.equal([...inexact].filter((id) => units.get(id)!.level <= 1).length, 0);
    assert.deepEqual(c.gap, []);
  });

  it('reverse 2025 → 2025-03: 52 of 63 old provinces, 366 of 691 districts with communes exact', () => {
    const c = pair('2025-03', '2025');
    const inexact = new Set(c.cover.filter((e) => !e.exact).map((e) => e.askedId));
    const provinces = t202503.units.filter((u) => u.kind === 'province');
    assert.equal(provinces.filter((u) => !inexact.has(u.id)).length, 52);
    const withCommunes = new Set(
      t202503.units.filter((u) => u.kind === 'commune').map((u) => u.parent),
    );
    const districts = t202503.units.filter(
      (u) => u.kind === 'district' && withCommunes.has(u.code),
    );
    assert.equal(districts.length, 691);
    assert.equal(districts.filter((u) => !inexact.has(u.id)).length, 366);
  });

  it('2025 from 2022 data: communes of provinces with gone communes are gaps, provinces exact', () => {
    const c = pair('2025', '2022');
    const units = kind(t2025);
    assert.ok(c.gap.length > 0);
    assert.ok(c.gap.every((id) => units.get(id)!.kind === 'commune'));
    const inexact = new Set(c.cover.filter((e) => !e.exact).map((e) => e.askedId));
    assert.equal([...inexact].filter((id) => units.get(id)!.level <= 1).length, 0);
  });

  it('identity covers: each unit is itself, whole at roll-up units', () => {
    for (const t of trees) {
      const c = pair(t.version, t.version);
      const units = kind(t);
      for (const e of c.cover) assert.equal(e.share, 1);
      const self = c.cover.filter((e) => e.askedId === e.storedId);
      assert.equal(self.length, t.units.length);
      assert.equal(c.gap.length, 0);
      assert.ok(
        self.every(
          (e) => e.whole === (units.get(e.askedId)!.rollup && units.get(e.askedId)!.level < 3),
        ),
      );
    }
  });

  it('every pair: shares per entry in (0, 1], covers checked per level (in covers), one line of timing', () => {
    let rows = 0;
    for (const p of all) {
      for (const e of p.covers.cover) assert.ok(e.share > 0 && e.share <= 1 + 1e-12);
      rows += p.covers.cover.length;
    }
    console.log(
      `carry: 9 pairs, ${rows} cover rows, ${all.reduce((s, p) => s + p.covers.gap.length, 0)} gaps in ${ms.toFixed(0)} ms`,
    );
    assert.ok(ms < 10_000);
  });

  it('a weight changes the split shares, and only the pairs crossing the link are rebuilt', () => {
    const first = file.find((x) => x.part === 'partial')!;
    const split = file.filter((l) => l.part === 'partial' && l.fromCode === first.fromCode);
    const w = new Map([[weightKey('2025-03', first.fromCode, '2025', first.toCode), 1]]);
    for (const l of split.slice(1)) w.set(weightKey('2025-03', l.fromCode, '2025', l.toCode), 0);
    const c = covers(t2025, t202503, mapBetween(trees, links, w, '2025', '2025-03'));
    const from = t202503.units.find((u) => u.code === first.fromCode)!.id;
    const to = t2025.units.find((u) => u.code === first.toCode)!.id;
    assert.equal(c.cover.find((e) => e.askedId === to && e.storedId === from)!.share, 1);
    assert.deepEqual(pairsCrossing(trees, '2025-03', '2025').sort(), [
      ['2022', '2025'],
      ['2025', '2022'],
      ['2025', '2025-03'],
      ['2025-03', '2025'],
    ]);
  });
});
