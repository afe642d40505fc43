import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { CarryRepo } from './carry.repo.ts';
import { CarryService, type CarryStore } from '../services/carry.service.ts';
import { checkWeights } from '../domain/carry.ts';

/** The Store's shape for the carry service, until Repos.carry is wired in db/store.ts. */
function carryStore(t: TestDb): CarryStore {
  const db = t.database.db;
  return {
    repos: { carry: new CarryRepo(db) },
    transaction: (fn) => db.transaction().execute((tx) => fn({ carry: new CarryRepo(tx) })),
  };
}

for (const engine of testEngines()) {
  describe(`carry map on the real trees (${engine})`, () => {
    let t: TestDb;
    let carry: CarryService;
    const q = async <T>(query: ReturnType<typeof sql<T>>) =>
      (await query.execute(t.database.db)).rows;
    const idOf = async (version: string, code: string) =>
      (
        await q(
          sql<{
            id: number;
          }>`select id from org_unit where version = ${version} and code = ${code}`,
        )
      )[0]!.id;

    before(async () => {
      t = await openTestDb(engine);
      carry = new CarryService(carryStore(t));
    });
    after(() => t.close());

    it('derives the 2022 → 2025-03 links once, leaves the file links alone', async () => {
      assert.deepEqual(await carry.deriveLinks(), [{ from: '2022', to: '2025-03', links: 10_667 }]);
      const byBasis = await q(sql<{ basis: string; part: string; n: number }>`
        select basis, part, count(*)::int as n from org_unit_link group by 1, 2 order by 1, 2`);
      assert.deepEqual(byBasis, [
        { basis: 'code', part: 'full', n: 10_100 },
        { basis: 'file', part: 'full', n: 9_656 },
        { basis: 'file', part: 'partial', n: 1_010 },
        { basis: 'province', part: 'within', n: 567 },
      ]);
      // Again: the same links, not twice.
      await carry.deriveLinks();
      const n = await q(
        sql<{ n: number }>`select count(*)::int as n from org_unit_link where basis <> 'file'`,
      );
      assert.equal(n[0]!.n, 10_667);
    });

    it('rebuilds every pair in one transaction and sets the roll-up units', async () => {
      const r = await carry.rebuild();
      console.log(`carry rebuild (${engine}): ${r.rows} cover rows, 9 pairs, ${r.ms} ms`);
      assert.ok(r.rows > 100_000);
      // Its time is measured in bench/carry.bench.ts, not asserted here.
      const pairs = await new CarryRepo(t.database.db).pairCounts();
      assert.equal(pairs.length, 9);
      assert.equal(
        pairs.reduce((s, p) => s + p.rows, 0),
        r.rows,
      );
      const flags = await q(sql<{ version: string; n: number }>`
        select version, count(*)::int as n from org_unit where rollup and level >= 2 group by 1 order by 1`);
      // Only districts with >= 64 units below keep roll-ups beside the roots and provinces.
      assert.ok(flags.every((f) => f.version !== '2025'));
      // Again: the same map.
      const again = await carry.rebuild();
      assert.equal(again.rows, r.rows);
    });

    it('each stored leaf is covered once per level; splits sum to 1', async () => {
      // 2025 communes from 2025-03 data: per old commune, its shares over new communes sum to 1.
      const bad = await q(sql<{ code: string; total: number }>`
        select s.code, sum(c.share) as total
        from carry_cover c
        join org_unit a on a.id = c.asked_id and a.level = 2
        join org_unit s on s.id = c.stored_id
        where c.asked_version = '2025' and c.stored_version = '2025-03' and s.kind = 'commune'
        group by s.code having abs(sum(c.share) - 1) > 1e-9`);
      assert.deepEqual(bad, []);
      // The nation is the stored nation's roll-ups, exact, on every pair.
      const nations = await q(sql<{ n: number }>`
        select count(*)::int as n from carry_cover c
        join org_unit a on a.id = c.asked_id and a.level = 0
        join org_unit s on s.id = c.stored_id and s.level = 0
        where c.whole and c.exact and c.share = 1`);
      assert.equal(nations[0]!.n, 9);
      // A merged province: its old provinces, whole and exact (Tuyên Quang 08 = 02 + 08).
      const tq = await q(sql<{ code: string; whole: boolean; exact: boolean }>`
        select s.code, c.whole, c.exact from carry_cover c join org_unit s on s.id = c.stored_id
        where c.asked_id = ${await idOf('2025', '08')} and c.stored_version = '2025-03' order by 1`);
      assert.deepEqual(tq, [
        { code: '02', whole: true, exact: true },
        { code: '08', whole: true, exact: true },
      ]);
      assert.equal(await carry.span(await idOf('2025-03', '02'), '2025'), await idOf('2025', '08'));
      // Gaps: 2025 communes over 2022 data where gone communes sit at province level.
      const gaps = await carry.gapOf([await idOf('2025', '08')]);
      assert.deepEqual(gaps, []);
    });

    it('refresh: derived links and the whole map in one transaction', async () => {
      assert.equal(await carry.built(), true);
      const r = await carry.refresh();
      console.log(`carry refresh (${engine}): ${r.rows} cover rows in ${r.ms} ms`);
      assert.deepEqual(r.derived, [{ from: '2022', to: '2025-03', links: 10_667 }]);
      assert.equal(r.rows, 142_376);
    });

    it('weights: a split commune takes the shares set, only the crossing pairs are rebuilt', async () => {
      const repo = new CarryRepo(t.database.db);
      const split = await q(sql<{ from_code: string; to_code: string }>`
        select from_code, to_code from org_unit_link
        where from_version = '2025-03' and part = 'partial'
          and from_code = (select min(from_code) from org_unit_link where part = 'partial')
        order by to_code`);
      const rows = split.map((s, i) => ({
        fromVersion: '2025-03',
        fromCode: s.from_code,
        toVersion: '2025',
        toCode: s.to_code,
        share: i === 0 ? 1 : 0,
      }));
      assert.deepEqual(checkWeights(await repo.links(), rows), []);
      await repo.setWeights(rows, 'test', 'thử');
      const pairs = await carry.pairsCrossing('2025-03', '2025');
      assert.equal(pairs.length, 4);
      await carry.rebuild(pairs);
      const from = await idOf('2025-03', split[0]!.from_code);
      const got = await q(sql<{ code: string; share: number }>`
        select a.code, c.share from carry_cover c join org_unit a on a.id = c.asked_id and a.level = 2
        where c.asked_version = '2025' and c.stored_id = ${from}`);
      assert.deepEqual(got, [{ code: split[0]!.to_code, share: 1 }]);
      assert.equal(
        await repo.resetWeights({ fromVersion: '2025-03', toVersion: '2025' }),
        split.length,
      );
    });
  });
}
