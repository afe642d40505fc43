import { sql } from 'kysely';
import type { Db } from './client.ts';
import { refreshRollups } from './org-unit.repo.ts';
import type {
  CarryLink,
  CarryTree,
  CarryUnit,
  Covers,
  DerivedLink,
  WeightRow,
} from '../domain/carry.ts';

/** A unit keeps roll-up rows (org_unit.rollup): a root, a province, or >= 64 units below it. */
export const ROLLUP_MIN_BELOW = 64;

/** A stored weight with who set it. */
export interface StoredWeight extends WeightRow {
  basis: string;
  setBy: string;
  setAt: Date;
}

/** The advisory lock changes of weights take in turn (Opsroom's locks are 7_420_0xx). */
const WEIGHTS_LOCK = 7_420_016;

/** A unit found by its code in one of the trees. */
export interface CodedUnit {
  version: string;
  code: string;
  fullName: string;
  leaf: boolean;
}

/** Rows per statement when writing the carry map (arrays travel as parameters). */
const CHUNK = 20_000;

/**
 * The carry map's tables (migration 0018): carry_cover, carry_gap, carry_span, the weights of
 * split links, derived links, and org_unit.rollup.
 */
export class CarryRepo {
  constructor(private readonly db: Db) {}

  /** Every tree with what domain/carry.ts needs of its units. */
  async trees(versions?: string[]): Promise<CarryTree[]> {
    const only = versions ? sql`where v.id = any(${versions}::text[])` : sql``;
    const v = await sql<{ id: string; valid_from: string }>`
      select v.id, v.valid_from::text as valid_from from hierarchy_version v ${only}
      order by v.valid_from, v.id`.execute(this.db);
    const u = await sql<CarryUnit & { version: string }>`
      select u.version, u.id, u.code, u.parent_code as parent, u.level, u.kind, u.rollup
      from org_unit u join hierarchy_version v on v.id = u.version ${only}`.execute(this.db);
    const byVersion = new Map(
      v.rows.map((r) => [
        r.id,
        { version: r.id, validFrom: r.valid_from, units: [] as CarryUnit[] } satisfies CarryTree,
      ]),
    );
    const roots = new Map<string, string>();
    for (const r of u.rows) if (r.level === 0) roots.set(r.version, r.code);
    for (const r of u.rows)
      byVersion.get(r.version)!.units.push({
        id: r.id,
        code: r.code,
        // Provinces may leave the root implicit.
        parent: r.parent ?? (r.level > 0 ? (roots.get(r.version) ?? null) : null),
        level: r.level,
        kind: r.kind,
        rollup: r.rollup,
      });
    return [...byVersion.values()].filter((t) => t.units.length > 0);
  }

  /** The trees that hold units. */
  async versions(): Promise<string[]> {
    const r = await sql<{ id: string }>`select v.id from hierarchy_version v
      where exists (select 1 from org_unit u where u.version = v.id) order by v.id`.execute(
      this.db,
    );
    return r.rows.map((x) => x.id);
  }

  /** Every link that is not stale (stale links start from no unit of a tree we hold). */
  async links(): Promise<CarryLink[]> {
    const r = await sql<CarryLink>`
      select from_version as "fromVersion", from_code as "fromCode", to_version as "toVersion",
        to_code as "toCode", part
      from org_unit_link where not stale`.execute(this.db);
    return r.rows;
  }

  /** The links (not stale) between two trees, in either direction. */
  async linksBetween(a: string, b: string): Promise<CarryLink[]> {
    const r = await sql<CarryLink>`
      select from_version as "fromVersion", from_code as "fromCode", to_version as "toVersion",
        to_code as "toCode", part
      from org_unit_link where not stale
        and ((from_version = ${a} and to_version = ${b})
          or (from_version = ${b} and to_version = ${a}))`.execute(this.db);
    return r.rows;
  }

  /** How many links a file gave between two trees (basis 'file'). */
  async fileLinkCount(fromVersion: string, toVersion: string): Promise<number> {
    const r = await sql<{ n: number }>`select count(*)::int as n from org_unit_link
      where from_version = ${fromVersion} and to_version = ${toVersion} and basis = 'file'`.execute(
      this.db,
    );
    return r.rows[0]?.n ?? 0;
  }

  /**
   * Replaces the derived links between two trees (basis 'code' and 'province'); the file's are
   * left as they are. `from_name` is the older unit's full name.
   */
  async replaceDerivedLinks(
    fromVersion: string,
    toVersion: string,
    links: DerivedLink[],
  ): Promise<void> {
    await sql`delete from org_unit_link where from_version = ${fromVersion}
      and to_version = ${toVersion} and basis <> 'file'`.execute(this.db);
    for (let i = 0; i < links.length; i += CHUNK) {
      const c = links.slice(i, i + CHUNK);
      await sql`insert into org_unit_link
          (from_version, from_code, from_name, to_version, to_code, part, stale, basis)
        select ${fromVersion}, l.from_code, coalesce(u.full_name, l.from_code), ${toVersion},
          l.to_code, l.part, false, l.basis
        from unnest(${c.map((l) => l.fromCode)}::text[], ${c.map((l) => l.toCode)}::text[],
          ${c.map((l) => l.part)}::text[], ${c.map((l) => l.basis)}::text[])
          as l (from_code, to_code, part, basis)
        left join org_unit u on u.version = ${fromVersion} and u.code = l.from_code
        on conflict (from_version, from_code, to_version, to_code) do nothing`.execute(this.db);
    }
  }

  /**
   * Sets org_unit.rollup where it is not what the tree says: a root, a province, or a unit with
   * >= 64 units below it, and sums the roll-up rows of the units that changed again (only
   * roll-up units keep them, issue 16 "cheaper roll-ups"). Returns the ids that changed (gained
   * or lost the flag).
   */
  async refreshRollupFlags(version?: string): Promise<number[]> {
    const only = version === undefined ? sql`` : sql`and u.version = ${version}`;
    const r = await sql<{ id: number }>`
      update org_unit u set rollup = w.rollup
      from (select u.id, u.level <= 1 or coalesce(b.n, 0) >= ${ROLLUP_MIN_BELOW} as rollup
            from org_unit u
            left join (select ancestor_id, count(*) as n from org_unit_ancestor where depth > 0
                       group by ancestor_id) b on b.ancestor_id = u.id
            where true ${only}) w
      where w.id = u.id and u.rollup <> w.rollup
      returning u.id`.execute(this.db);
    const changed = r.rows.map((x) => x.id);
    await refreshRollups(this.db, changed);
    return changed;
  }

  /**
   * Every unit holding one of these codes, in any tree: its name and whether units hang under
   * it (a unit with units under it is carried whole, its links take no weights).
   */
  async unitsByCode(codes: string[], versions?: string[]): Promise<CodedUnit[]> {
    if (codes.length === 0) return [];
    const only = versions ? sql`and u.version = any(${versions}::text[])` : sql``;
    const r = await sql<CodedUnit>`
      select u.version, u.code, u.full_name as "fullName",
        not exists (select 1 from org_unit c
                    where c.version = u.version and c.parent_code = u.code) as leaf
      from org_unit u where u.code = any(${codes}::text[]) ${only}
      order by u.version, u.code`.execute(this.db);
    return r.rows;
  }

  /**
   * Changes of weights take turns until their transaction ends: each rebuilds the map from the
   * weights it reads, so a second one must read the first one's, committed.
   */
  async lockWeights(): Promise<void> {
    await sql`select pg_advisory_xact_lock(${WEIGHTS_LOCK})`.execute(this.db);
  }

  async weights(): Promise<StoredWeight[]> {
    const r = await sql<StoredWeight>`
      select from_version as "fromVersion", from_code as "fromCode", to_version as "toVersion",
        to_code as "toCode", share, basis, set_by as "setBy", set_at as "setAt"
      from org_unit_link_weight
      order by from_version, from_code, to_version, to_code`.execute(this.db);
    return r.rows;
  }

  /** Each unit named replaces all of its shares toward the other tree. */
  async setWeights(rows: WeightRow[], by: string, basis: string): Promise<void> {
    if (rows.length === 0) return;
    const units = [...new Set(rows.map((r) => `${r.fromVersion}|${r.fromCode}|${r.toVersion}`))];
    const [fv, fc, tv] = [0, 1, 2].map((i) => units.map((u) => u.split('|')[i]));
    await sql`delete from org_unit_link_weight w
      using unnest(${fv}::text[], ${fc}::text[], ${tv}::text[]) as x (fv, fc, tv)
      where w.from_version = x.fv and w.from_code = x.fc and w.to_version = x.tv`.execute(this.db);
    for (let i = 0; i < rows.length; i += CHUNK) {
      const c = rows.slice(i, i + CHUNK);
      await sql`insert into org_unit_link_weight
          (from_version, from_code, to_version, to_code, share, basis, set_by)
        select x.fv, x.fc, x.tv, x.tc, x.share, ${basis}, ${by}
        from unnest(${c.map((r) => r.fromVersion)}::text[], ${c.map((r) => r.fromCode)}::text[],
          ${c.map((r) => r.toVersion)}::text[], ${c.map((r) => r.toCode)}::text[],
          ${c.map((r) => r.share)}::float8[]) as x (fv, fc, tv, tc, share)`.execute(this.db);
    }
  }

  /** Back to the default shares: the weights from one tree to another (of one unit). */
  async resetWeights(f: {
    fromVersion: string;
    toVersion: string;
    code?: string;
  }): Promise<number> {
    const code = f.code === undefined ? sql`` : sql`and from_code = ${f.code}`;
    const r = await sql`delete from org_unit_link_weight
      where from_version = ${f.fromVersion} and to_version = ${f.toVersion} ${code}`.execute(
      this.db,
    );
    return Number(r.numAffectedRows ?? 0);
  }

  /** Replaces the carry map of one (asked, stored) pair of trees. Returns the cover rows written. */
  async replacePair(asked: string, stored: string, c: Covers): Promise<number> {
    await sql`delete from carry_cover where asked_version = ${asked} and stored_version = ${stored}`.execute(
      this.db,
    );
    await sql`delete from carry_gap where stored_version = ${stored}
      and asked_id in (select id from org_unit where version = ${asked})`.execute(this.db);
    await sql`delete from carry_span where other_version = ${asked}
      and unit_id in (select id from org_unit where version = ${stored})`.execute(this.db);
    for (let i = 0; i < c.cover.length; i += CHUNK) {
      const e = c.cover.slice(i, i + CHUNK);
      await sql`insert into carry_cover
          (asked_id, asked_version, stored_version, stored_id, whole, share, exact)
        select x.a, ${asked}, ${stored}, x.s, x.w, x.sh, x.e
        from unnest(${e.map((r) => r.askedId)}::int[], ${e.map((r) => r.storedId)}::int[],
          ${e.map((r) => r.whole)}::bool[], ${e.map((r) => r.share)}::float8[],
          ${e.map((r) => r.exact)}::bool[]) as x (a, s, w, sh, e)`.execute(this.db);
    }
    for (let i = 0; i < c.gap.length; i += CHUNK)
      await sql`insert into carry_gap (asked_id, stored_version)
        select a, ${stored} from unnest(${c.gap.slice(i, i + CHUNK)}::int[]) as a`.execute(this.db);
    const span = [...c.span];
    for (let i = 0; i < span.length; i += CHUNK) {
      const s = span.slice(i, i + CHUNK);
      await sql`insert into carry_span (unit_id, other_version, span_id)
        select x.u, ${asked}, x.s
        from unnest(${s.map(([u]) => u)}::int[], ${s.map(([, t]) => t)}::int[]) as x (u, s)`.execute(
        this.db,
      );
    }
    return c.cover.length;
  }

  /** The deepest unit of `otherVersion` holding everything unit `unitId` maps to. */
  async span(unitId: number, otherVersion: string): Promise<number | undefined> {
    const r = await sql<{ span_id: number }>`select span_id from carry_span
      where unit_id = ${unitId} and other_version = ${otherVersion}`.execute(this.db);
    return r.rows[0]?.span_id;
  }

  /** Of the asked units, those that may miss territory of a stored tree, with that tree. */
  async gapOf(
    askedIds: number[],
    storedVersion?: string,
  ): Promise<{ askedId: number; storedVersion: string }[]> {
    const only = storedVersion === undefined ? sql`` : sql`and stored_version = ${storedVersion}`;
    const r = await sql<{ askedId: number; storedVersion: string }>`
      select asked_id as "askedId", stored_version as "storedVersion" from carry_gap
      where asked_id = any(${askedIds}::int[]) ${only}
      order by asked_id, stored_version`.execute(this.db);
    return r.rows;
  }

  /** Statistics for the planner after the map changed (analytics joins carry_cover). */
  async analyze(): Promise<void> {
    await sql`analyze carry_cover, carry_gap, carry_span`.execute(this.db);
  }

  /** Cover rows per (asked, stored) pair, for checks and reports. */
  async pairCounts(): Promise<{ asked: string; stored: string; rows: number }[]> {
    const r = await sql<{ asked: string; stored: string; rows: number }>`
      select asked_version as asked, stored_version as stored, count(*)::int as rows
      from carry_cover group by asked_version, stored_version order by 1, 2`.execute(this.db);
    return r.rows;
  }
}
