/**
 * Hierarchy reads on the real administrative units, on each engine: what the API does
 * (HierarchyService), the repository's own query, and plain SQL baselines, in one run.
 *
 * Every case rotates over many real units (or search phrases) rather than repeating one.
 * Each engine gets two databases: one as the harness hands it over (freshly imported, never
 * analysed: PGlite runs no autovacuum, and the local server runs with autovacuum off), and one
 * after an explicit ANALYZE, since the plans differ. All variants of a case, on both databases,
 * are measured interleaved in one loop.
 */
import { sql } from 'kysely';
import type { Db, Engine } from '../src/db/client.ts';
import { OrgUnitRepo, type ScopeFilter } from '../src/db/org-unit.repo.ts';
import { vnDate } from '../src/domain/dates.ts';
import { searchWords } from '../src/domain/text.ts';
import type { HierarchyService } from '../src/services/hierarchy.service.ts';
import { openTestDb } from '../src/test/harness.ts';
import {
  benchAdmin,
  measureInterleaved,
  type Bench,
  type BenchOptions,
  type Measurement,
} from './lib.ts';

/** A fixed "now", so that names as of today (renames after 2025-07) do not drift. */
const NOW = new Date('2026-11-23T03:00:00Z');
const AS_OF = vnDate(NOW);

const ADMIN = benchAdmin('2025');
const ALL: ScopeFilter = { all: true, path: '/' };

/** The API's default page for a search; a province's communes fit in one page of 1000. */
const SEARCH_LIMIT = 100;
const LIST_LIMIT = 1000;

/** Typed the way people type them: no diacritics, lower case. */
const SEARCHES: Record<string, string[]> = {
  '2022': [
    'ha noi',
    'phuong 1',
    'ben nghe',
    'tan phu',
    'hoa binh',
    'xa an',
    'thanh xuan',
    'quan 1',
    'an phu',
    'long',
    'hai chau',
    'thu duc',
    'can tho',
    'vinh',
    'son la',
    'binh thanh',
    'ninh kieu',
    'phu my',
    'dong',
    'xuan',
  ],
  '2025': [
    'ha noi',
    'phuong 1',
    'ben nghe',
    'tan phu',
    'hoa binh',
    'xa an',
    'sai gon',
    'hoan kiem',
    'an phu',
    'long',
    'hai chau',
    'thu duc',
    'can tho',
    'vinh',
    'son la',
    'binh thanh',
    'ninh kieu',
    'phu my',
    'dong',
    'xuan',
  ],
};

/** About this many different communes are visited by the ancestors case. */
const COMMUNE_SAMPLE = 250;

type Case = { case: string; variant: string; fn: (i: number) => Promise<number> };

function at<T>(list: readonly T[], i: number): T {
  const v = list[i % list.length];
  if (v === undefined) throw new Error('empty rotation');
  return v;
}

async function rowCount(q: { execute(db: Db): Promise<{ rows: unknown[] }> }, db: Db) {
  return (await q.execute(db)).rows.length;
}

async function fixtures(db: Db) {
  const provinces = await sql<{ code: string; path: string }>`
    select code, path from org_unit where version = '2022' and level = 1 order by code`.execute(db);
  const communes = await sql<{ code: string }>`
    select code from org_unit where version = '2022' and level = 3 order by code`.execute(db);
  const step = Math.max(1, Math.floor(communes.rows.length / COMMUNE_SAMPLE));
  return {
    provinces: provinces.rows,
    // Spread over the whole country: every step-th commune by code.
    communes: communes.rows.filter((_, i) => i % step === 0).map((r) => r.code),
  };
}

function cases(db: Db, hierarchy: HierarchyService, fx: Awaited<ReturnType<typeof fixtures>>) {
  const repo = new OrgUnitRepo(db);
  const list: Case[] = [];
  const add = (c: string, variant: string, fn: (i: number) => Promise<number>) =>
    list.push({ case: c, variant, fn });

  // All communes (level 3) under a province of the 2022 tree.
  const under = 'communes under a province (2022)';
  add(under, 'service: HierarchyService.list', async (i) => {
    const r = await hierarchy.list(ADMIN, {
      version: '2022',
      parent: at(fx.provinces, i).code,
      level: 3,
      limit: LIST_LIMIT,
      offset: 0,
    });
    return r.items.length;
  });
  add(under, 'query: OrgUnitRepo.list (names as of date)', async (i) => {
    const r = await repo.list({
      version: '2022',
      asOf: AS_OF,
      scope: ALL,
      level: 3,
      underPath: at(fx.provinces, i).path,
      limit: LIST_LIMIT,
      offset: 0,
    });
    return r.items.length;
  });
  add(under, 'baseline: path LIKE prefix, plain columns', (i) =>
    rowCount(
      sql`select u.* from org_unit u
        where u.version = '2022' and u.level = 3 and u.path like ${at(fx.provinces, i).path + '_%'}
        order by u.code limit ${LIST_LIMIT}`,
      db,
    ),
  );
  add(under, 'baseline: self-join by parent_code', (i) =>
    rowCount(
      sql`select c.* from org_unit p
        join org_unit d on d.version = p.version and d.parent_code = p.code
        join org_unit c on c.version = d.version and c.parent_code = d.code
        where p.version = '2022' and p.code = ${at(fx.provinces, i).code}
        order by c.code limit ${LIST_LIMIT}`,
      db,
    ),
  );
  add(under, 'baseline: recursive CTE on parent_code', (i) =>
    rowCount(
      sql`with recursive t as (
          select u.* from org_unit u where u.version = '2022' and u.code = ${at(fx.provinces, i).code}
          union all
          select u.* from org_unit u join t on u.version = t.version and u.parent_code = t.code
        )
        select * from t where level = 3 order by code limit ${LIST_LIMIT}`,
      db,
    ),
  );

  // A commune with its path to the nation.
  const up = 'ancestors of a commune (2022)';
  add(up, 'service: HierarchyService.get', async (i) => {
    const r = await hierarchy.get(ADMIN, at(fx.communes, i), '2022');
    return 1 + r.ancestors.length;
  });
  add(up, 'query: OrgUnitRepo.get + byPaths', async (i) => {
    const unit = await repo.get('2022', at(fx.communes, i), AS_OF);
    if (!unit) throw new Error(`no unit ${at(fx.communes, i)}`);
    return (await repo.byPaths('2022', [unit.path], AS_OF)).size;
  });
  add(up, 'baseline: recursive CTE on parent_code', (i) =>
    rowCount(
      sql`with recursive a as (
          select u.*, 0 as depth from org_unit u where u.version = '2022' and u.code = ${at(fx.communes, i)}
          union all
          select p.*, a.depth + 1 from org_unit p
          join a on p.version = a.version and p.code = a.parent_code
        )
        select * from a order by depth desc`,
      db,
    ),
  );

  // Search by name, typed without diacritics.
  for (const version of ['2022', '2025']) {
    const phrases = SEARCHES[version]!;
    const s = `search without diacritics (${version})`;
    add(s, 'service: HierarchyService.list q', async (i) => {
      const r = await hierarchy.list(ADMIN, {
        version,
        q: at(phrases, i),
        limit: SEARCH_LIMIT,
        offset: 0,
      });
      return r.items.length;
    });
    add(s, 'query: OrgUnitRepo.search', async (i) => {
      const r = await repo.search({
        version,
        asOf: AS_OF,
        scope: ALL,
        words: searchWords(at(phrases, i)),
        limit: SEARCH_LIMIT,
        offset: 0,
      });
      return r.items.length;
    });
    add(s, 'baseline: full_name ILIKE (misses diacritics)', (i) =>
      rowCount(
        sql`select u.* from org_unit u
          where u.version = ${version} and u.full_name ilike ${'%' + at(phrases, i) + '%'}
          order by u.level, u.code limit ${SEARCH_LIMIT}`,
        db,
      ),
    );
    add(s, 'baseline: search_text LIKE substring', (i) =>
      rowCount(
        sql`select distinct on (n.code) n.code, n.display_name from org_unit_name n
          where n.version = ${version} and n.search_text like ${'%' + at(phrases, i) + '%'}
          order by n.code limit ${SEARCH_LIMIT}`,
        db,
      ),
    );
  }
  return list;
}

/** Whether the planner has statistics for the unit tables (reltuples is -1 before ANALYZE). */
async function statsState(db: Db): Promise<string> {
  const r = await sql<{ relname: string; reltuples: number }>`
    select relname, reltuples::float8 as reltuples from pg_class
    where relname in ('org_unit', 'org_unit_name', 'org_unit_change') order by relname`.execute(db);
  return 'reltuples ' + r.rows.map((x) => `${x.relname}=${x.reltuples}`).join(', ');
}

async function runEngine(engine: Engine, opts: BenchOptions): Promise<Measurement[]> {
  opts.log(`${engine}: opening two test databases`);
  const plain = await openTestDb(engine, { clock: () => NOW });
  const out: Measurement[] = [];
  try {
    const analyzed = await openTestDb(engine, { clock: () => NOW });
    try {
      await sql`analyze`.execute(analyzed.database.db);
      const fx = await fixtures(plain.database.db);
      // Both states side by side, interleaved in one loop, so that load from elsewhere on the
      // machine cannot favour one of them.
      const sets = [
        { section: 'As imported (no planner statistics)', t: plain },
        { section: 'After ANALYZE', t: analyzed },
      ].map((x) => ({ ...x, cases: cases(x.t.database.db, x.t.services.hierarchy, fx) }));
      for (const set of sets)
        opts.log(`${engine} | ${set.section} | ${await statsState(set.t.database.db)}`);
      const groups = [...new Set(sets.flatMap((x) => x.cases.map((c) => c.case)))];
      for (const group of groups) {
        const inGroup = sets.flatMap((x) =>
          x.cases.filter((c) => c.case === group).map((c) => ({ ...c, section: x.section })),
        );
        const started = performance.now();
        const stats = await measureInterleaved(
          inGroup.map((c) => c.fn),
          opts,
        );
        opts.log(`${engine} | ${group}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
        inGroup.forEach((c, k) =>
          out.push({ engine, section: c.section, case: c.case, variant: c.variant, ...stats[k]! }),
        );
      }
    } finally {
      await analyzed.close();
    }
  } finally {
    await plain.close();
  }
  return out;
}

export const bench: Bench = {
  name: 'hierarchy',
  title: 'Hierarchy reads: communes under a province, ancestors, search',
  async run(opts) {
    const results: Measurement[] = [];
    for (const engine of opts.engines) results.push(...(await runEngine(engine, opts)));
    return results;
  },
};
