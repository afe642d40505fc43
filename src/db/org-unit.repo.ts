import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Db } from './client.ts';
import type { OrgUnitTable } from './schema.ts';
import { insertMany } from './bulk.ts';
import { ROLLUP_UNITS } from './data-value.repo.ts';
import {
  ADDED_KIND,
  ROOT_CODE,
  ROOT_NAME,
  pathCodes,
  type HierarchyVersion,
  type OrgUnit,
  type ParsedUnit,
} from '../domain/hierarchy.ts';
import { searchText } from '../domain/text.ts';
import { AppError } from '../domain/errors.ts';

type UnitRow = Pick<
  Selectable<OrgUnitTable>,
  | 'version'
  | 'code'
  | 'level'
  | 'kind'
  | 'type'
  | 'name'
  | 'full_name'
  | 'name_en'
  | 'parent_code'
  | 'path'
  | 'uid'
  | 'origin'
  | 'source_code'
> & {
  renamed_by: string | null;
  renamed_on: string | null;
};

function toUnit(r: UnitRow): OrgUnit {
  return {
    version: r.version,
    code: r.code,
    level: r.level,
    kind: r.kind,
    type: r.type,
    name: r.name,
    fullName: r.full_name,
    nameEn: r.name_en,
    parentCode: r.parent_code,
    path: r.path,
    ...(r.uid ? { uid: r.uid } : {}),
    ...(r.origin === 'added' ? { origin: 'added' as const } : {}),
    ...(r.source_code ? { sourceCode: r.source_code } : {}),
    ...(r.renamed_by && r.renamed_on
      ? { renamedBy: { decree: r.renamed_by, effective: r.renamed_on } }
      : {}),
  };
}

/**
 * Units as of a date: the latest dated change on or before `asOf` gives the type and name.
 * Every read of units goes through this one select.
 */
/** Units (aliased `u`) a data set is assigned to, or every unit when no data set is given. */
function assignedSql(dataSetId: number | undefined): RawBuilder<unknown> {
  if (dataSetId === undefined) return sql`true`;
  return sql`exists (select 1 from data_set_unit du join org_unit a on a.id = du.unit_id
    where du.data_set_id = ${dataSetId} and a.version = u.version and a.code = u.code)`;
}

function unitsAsOf(asOf: string): RawBuilder<unknown> {
  return sql`select u.version, u.code, u.level, u.kind,
      coalesce(c.type_after, u.type) as type, u.name,
      coalesce(c.full_name_after, u.full_name) as full_name,
      u.name_en, u.parent_code, u.path, u.uid, u.origin, u.source_code,
      c.decree as renamed_by, c.effective as renamed_on
    from org_unit u
    left join lateral (
      select c.type_after, c.full_name_after, c.decree, c.effective
      from org_unit_change c
      where c.version = u.version and c.code = u.code and c.effective <= ${asOf}::date
      order by c.effective desc limit 1
    ) c on true`;
}

/** A unit as `treeOf` reads it. */
export interface TreeRow {
  id: number;
  code: string;
  uid: string | null;
  source_code: string | null;
  origin: 'official' | 'added';
  parent_code: string | null;
  level: number;
  path: string;
  name: string;
  short_name: string | null;
  opening_date: string | null;
  closed_date: string | null;
  has_children: boolean;
}

/** An added unit to write, placed by `placeUnits` (its code is its uid). */
export interface AddedUnitRow {
  code: string;
  sourceCode: string | null;
  name: string;
  shortName: string | null;
  parent: string | null;
  level: number;
  path: string;
  openingDate: string | null;
  closedDate: string | null;
}

/** `true` when the scope is the whole nation; otherwise units must lie under `scopePath`. */
export interface ScopeFilter {
  all: boolean;
  path: string;
}

function scopeSql(scope: ScopeFilter): RawBuilder<unknown> {
  return scope.all ? sql`true` : sql`u.path like ${scope.path + '%'}`;
}

export interface UnitQuery {
  version: string;
  asOf: string;
  scope: ScopeFilter;
  level?: number;
  /** Only units under this path (strictly below). */
  underPath?: string;
  parentCode?: string;
  /** Only units a data set is assigned to (its id; data_set_unit, migration 0012). */
  assignedTo?: number;
  limit: number;
  offset: number;
}

export interface SearchHit {
  unit: OrgUnit;
  matched: {
    name: string;
    source: 'own' | 'renamed' | 'former';
    formerCode: string | null;
    formerVersion: string | null;
  };
}

export class OrgUnitRepo {
  constructor(private readonly db: Db) {}

  async versions(): Promise<HierarchyVersion[]> {
    const rows = await sql<{
      id: string;
      name: string;
      valid_from: string;
      valid_until: string | null;
      counts: Record<string, number> | null;
    }>`select v.id, v.name, v.valid_from, v.valid_until,
        (select json_object_agg(level, n) from (
           select level, count(*)::int as n from org_unit u where u.version = v.id group by level) c) as counts
      from hierarchy_version v order by v.valid_from`.execute(this.db);
    return rows.rows.map((r) => ({
      id: r.id,
      name: r.name,
      validFrom: r.valid_from,
      validUntil: r.valid_until,
      counts: r.counts ?? {},
    }));
  }

  async get(version: string, code: string, asOf: string): Promise<OrgUnit | undefined> {
    const r = await sql<UnitRow>`select * from (${unitsAsOf(asOf)}) u
      where u.version = ${version} and u.code = ${code}`.execute(this.db);
    return r.rows[0] && toUnit(r.rows[0]);
  }

  /** Units whose codes appear in the given paths: the ancestors, for display. */
  /** The ancestors of units, by their paths (the last code of a path, the unit itself, is left out). */
  async byPaths(version: string, paths: string[], asOf: string): Promise<Map<string, OrgUnit>> {
    return this.byCodes(
      version,
      [...new Set(paths.flatMap((p) => pathCodes(p).slice(0, -1)))],
      asOf,
    );
  }

  async byCodes(version: string, codes: string[], asOf: string): Promise<Map<string, OrgUnit>> {
    if (codes.length === 0) return new Map();
    const r = await sql<UnitRow>`select * from (${unitsAsOf(asOf)}) u
      where u.version = ${version} and u.code = any(${codes}::text[])`.execute(this.db);
    return new Map(r.rows.map((row) => [row.code, toUnit(row)]));
  }

  async list(
    q: UnitQuery,
  ): Promise<{ items: (OrgUnit & { childCount: number })[]; total: number }> {
    const r = await sql<
      UnitRow & { total: number; child_count: number }
    >`select u.*, count(*) over ()::int as total,
        (select count(*)::int from org_unit c where c.version = u.version and c.parent_code = u.code) as child_count
      from (${unitsAsOf(q.asOf)}) u
      where u.version = ${q.version}
        and ${scopeSql(q.scope)}
        and ${q.level === undefined ? sql`true` : sql`u.level = ${q.level}`}
        and ${q.parentCode === undefined ? sql`true` : sql`u.parent_code = ${q.parentCode}`}
        and ${q.underPath === undefined ? sql`true` : sql`u.path like ${q.underPath + '_%'}`}
        and ${assignedSql(q.assignedTo)}
      order by u.level, u.code
      limit ${q.limit} offset ${q.offset}`.execute(this.db);
    const total = r.rows[0]?.total ?? (q.offset > 0 ? await this.count(q) : 0);
    return { items: r.rows.map((row) => ({ ...toUnit(row), childCount: row.child_count })), total };
  }

  private async count(q: UnitQuery): Promise<number> {
    const r = await sql<{ n: number }>`select count(*)::int as n from org_unit u
      where u.version = ${q.version} and ${scopeSql(q.scope)}
        and ${q.level === undefined ? sql`true` : sql`u.level = ${q.level}`}
        and ${q.parentCode === undefined ? sql`true` : sql`u.parent_code = ${q.parentCode}`}
        and ${q.underPath === undefined ? sql`true` : sql`u.path like ${q.underPath + '_%'}`}
        and ${assignedSql(q.assignedTo)}`.execute(this.db);
    return r.rows[0]?.n ?? 0;
  }

  /** Number of units per level under a path (the unit itself excluded). */
  async countsUnder(version: string, path: string): Promise<Record<string, number>> {
    const r = await sql<{ level: number; n: number }>`select level, count(*)::int as n from org_unit
      where version = ${version} and path like ${path + '_%'} group by level order by level`.execute(
      this.db,
    );
    return Object.fromEntries(r.rows.map((x) => [String(x.level), x.n]));
  }

  /**
   * Search by name without diacritics or case: every typed word must start a word of the
   * name; names that contain the typed words whole come first, then shorter names.
   */
  async search(q: UnitQuery & { words: string[] }): Promise<{ items: SearchHit[]; total: number }> {
    const words = q.words.slice(0, 8);
    const padded = sql`(' ' || n.search_text || ' ')`;
    const matchAll = sql.join(
      words.map((w) => sql`${padded} like ${'% ' + w + '%'}`),
      sql` and `,
    );
    const exact = sql.join(
      words.map((w) => sql`(case when ${padded} like ${'% ' + w + ' %'} then 1 else 0 end)`),
      sql` + `,
    );
    const r = await sql<
      UnitRow & {
        total: number;
        exact: number;
        m_source: 'own' | 'renamed' | 'former';
        m_name: string;
        m_former_code: string | null;
        m_former_version: string | null;
      }
    >`with hits as (
        select n.code, n.source, n.display_name, n.former_code, n.former_version,
               ${exact} as exact, length(n.search_text) as len
        from org_unit_name n
        where n.version = ${q.version} and ${matchAll}
      ), best as (
        select distinct on (code) * from hits
        order by code, exact desc, (source = 'former'), len
      )
      select u.*, b.exact, b.source as m_source, b.display_name as m_name,
             b.former_code as m_former_code, b.former_version as m_former_version,
             count(*) over ()::int as total
      from best b
      join (${unitsAsOf(q.asOf)}) u on u.version = ${q.version} and u.code = b.code
      where ${scopeSql(q.scope)}
        and ${q.level === undefined ? sql`true` : sql`u.level = ${q.level}`}
        and ${q.underPath === undefined ? sql`true` : sql`u.path like ${q.underPath + '_%'}`}
      order by b.exact desc, (b.source = 'former'), b.len, u.level, u.code
      limit ${q.limit} offset ${q.offset}`.execute(this.db);
    return {
      total: r.rows[0]?.total ?? 0,
      items: r.rows.map((row) => ({
        unit: toUnit(row),
        matched: {
          name: row.m_name,
          source: row.m_source,
          formerCode: row.m_former_code,
          formerVersion: row.m_former_version,
        },
      })),
    };
  }

  /** The old units a unit was formed from (links into it), and the new units it went into. */
  async links(version: string, code: string) {
    const from = await this.db
      .selectFrom('org_unit_link')
      .select(['from_version', 'from_code', 'from_name', 'part', 'stale'])
      .where('to_version', '=', version)
      .where('to_code', '=', code)
      .where('basis', '=', 'file') // derived links (issue 16) say nothing a reader needs here
      .orderBy('from_code')
      .execute();
    const into = await sql<{
      to_version: string;
      to_code: string;
      part: string;
      full_name: string;
    }>`
      select l.to_version, l.to_code, l.part, u.full_name from org_unit_link l
      join org_unit u on u.version = l.to_version and u.code = l.to_code
      where l.from_version = ${version} and l.from_code = ${code} and l.basis = 'file'
      order by l.to_code`.execute(this.db);
    return {
      formedFrom: from.map((l) => ({
        version: l.from_version,
        code: l.from_code,
        fullName: l.from_name,
        part: l.part,
        stale: l.stale,
      })),
      wentInto: into.rows.map((l) => ({
        version: l.to_version,
        code: l.to_code,
        fullName: l.full_name,
        part: l.part,
      })),
    };
  }

  /** Every version's dates, for choosing the tree in force on a date. */
  versionSpans() {
    return this.db
      .selectFrom('hierarchy_version')
      .select(['id', 'valid_from', 'valid_until'])
      .execute();
  }

  /** One version's dates; undefined when there is no such version. */
  versionSpan(id: string) {
    return this.db
      .selectFrom('hierarchy_version')
      .select(['valid_from', 'valid_until'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Every unit's full name in a version, by code. */
  async fullNames(version: string): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('org_unit')
      .select(['code', 'full_name'])
      .where('version', '=', version)
      .execute();
    return new Map(rows.map((r) => [r.code, r.full_name]));
  }

  /** How many renames a version holds. */
  async changeCount(version: string): Promise<number> {
    const r = await sql<{
      n: number;
    }>`select count(*)::int as n from org_unit_change where version = ${version}`.execute(this.db);
    return r.rows[0]?.n ?? 0;
  }

  /** How many links between trees are stored. */
  async linkCount(): Promise<number> {
    const r = await sql<{
      n: number;
    }>`select count(*)::int as n from org_unit_link where basis = 'file'`.execute(this.db);
    return r.rows[0]?.n ?? 0;
  }

  async unitCount(version: string): Promise<number> {
    const r = await sql<{
      n: number;
    }>`select count(*)::int as n from org_unit where version = ${version}`.execute(this.db);
    return r.rows[0]?.n ?? 0;
  }

  /** The communes of a tree, by code (the demo data's generator). */
  communes(version: string) {
    return this.db
      .selectFrom('org_unit')
      .select(['code', 'type'])
      .where('version', '=', version)
      .where('kind', '=', 'commune')
      .orderBy('code')
      .execute();
  }

  async hasVersion(id: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('hierarchy_version')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    return r !== undefined;
  }

  /**
   * Writes a whole tree for a version: new units are added, changed ones updated, units no
   * longer in the file removed. Call inside a transaction: a failure leaves nothing behind.
   */
  async replaceTree(
    version: {
      id: string;
      name: string;
      validFrom: string;
      validUntil: string | null;
      source: string;
    },
    units: ParsedUnit[],
    onProgress?: (done: number) => void,
  ): Promise<{ inserted: number; updated: number; removed: number }> {
    const db = this.db;
    await db
      .insertInto('hierarchy_version')
      .values({
        id: version.id,
        name: version.name,
        valid_from: version.validFrom,
        valid_until: version.validUntil,
        source: version.source,
      })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          name: version.name,
          valid_from: version.validFrom,
          valid_until: version.validUntil,
          source: version.source,
          imported_at: new Date(),
        }),
      )
      .execute();
    // Only the official units are the file's: units added below them stay.
    const before = await sql<{
      code: string;
    }>`select code from org_unit where version = ${version.id} and origin = 'official'`.execute(db);
    const existing = new Set(before.rows.map((r) => r.code));
    const rows = [
      {
        version: version.id,
        code: ROOT_CODE,
        level: 0,
        kind: 'nation',
        type: 'quoc_gia',
        name: ROOT_NAME,
        full_name: ROOT_NAME,
        name_en: 'Viet Nam',
        parent_code: null,
        path: `/${ROOT_CODE}/`,
        region: null,
        uid: null,
      },
      ...units.map((u) => ({
        version: version.id,
        code: u.code,
        level: u.level,
        kind: u.kind,
        type: u.type,
        name: u.name,
        full_name: u.fullName,
        name_en: u.nameEn ?? null,
        parent_code: u.parent ?? ROOT_CODE,
        path: u.path,
        region: u.region ?? null,
        uid: u.uid ?? null,
      })),
    ];
    await insertMany(
      db,
      'org_unit',
      {
        version: 'text',
        code: 'text',
        level: 'smallint',
        kind: 'text',
        type: 'text',
        name: 'text',
        full_name: 'text',
        name_en: 'text',
        parent_code: 'text',
        path: 'text',
        region: 'smallint',
        uid: 'text',
      },
      rows,
      {
        onConflict: `on conflict (version, code) do update set level = excluded.level, kind = excluded.kind,
          type = excluded.type, name = excluded.name, full_name = excluded.full_name, name_en = excluded.name_en,
          parent_code = excluded.parent_code, path = excluded.path, region = excluded.region, uid = excluded.uid`,
        onProgress,
      },
    );
    const keep = new Set(rows.map((r) => r.code));
    const gone = [...existing].filter((c) => !keep.has(c));
    if (gone.length > 0) {
      const orphans = await sql<{ code: string; parent_code: string }>`
        select code, parent_code from org_unit
        where version = ${version.id} and origin = 'added' and parent_code = any(${gone}::text[])
        order by code limit 20`.execute(db);
      if (orphans.rows.length > 0) {
        throw new AppError(
          'units_file_invalid',
          {
            vi: `Tệp bỏ các đơn vị còn có đơn vị được thêm bên dưới (${orphans.rows.map((o) => `${o.parent_code} ← ${o.code}`).join(', ')}); hãy chuyển hoặc xoá các đơn vị đó trước; không có gì thay đổi`,
            en: `The file drops units that still have added units below them (${orphans.rows.map((o) => `${o.parent_code} ← ${o.code}`).join(', ')}); move or delete those first; nothing was changed`,
          },
          { orphans: orphans.rows },
        );
      }
      await sql`delete from org_unit where version = ${version.id} and code = any(${gone}::text[])`.execute(
        db,
      );
    }
    // An official unit that moved takes the units added below it along.
    await this.repathAdded(version.id);
    await this.rebuildAncestors(version.id);
    await this.rebuildNames(version.id);
    const inserted = rows.filter((r) => !existing.has(r.code)).length;
    return { inserted, updated: rows.length - inserted, removed: gone.length };
  }

  async replaceChanges(
    version: string,
    changes: {
      code: string;
      effective: string | null;
      decree: string;
      typeBefore: string;
      typeAfter: string;
      fullNameBefore: string;
      fullNameAfter: string;
    }[],
  ): Promise<void> {
    await sql`delete from org_unit_change where version = ${version}`.execute(this.db);
    await insertMany(
      this.db,
      'org_unit_change',
      {
        version: 'text',
        code: 'text',
        effective: 'date',
        decree: 'text',
        type_before: 'text',
        type_after: 'text',
        full_name_before: 'text',
        full_name_after: 'text',
      },
      changes.map((c) => ({
        version,
        code: c.code,
        effective: c.effective,
        decree: c.decree,
        type_before: c.typeBefore,
        type_after: c.typeAfter,
        full_name_before: c.fullNameBefore,
        full_name_after: c.fullNameAfter,
      })),
    );
    await this.rebuildNames(version);
  }

  async replaceLinks(
    fromVersion: string,
    toVersion: string,
    links: {
      fromCode: string;
      fromName: string;
      toCode: string;
      part: 'full' | 'partial';
      stale: boolean;
    }[],
  ): Promise<void> {
    await sql`delete from org_unit_link where from_version = ${fromVersion} and to_version = ${toVersion}`.execute(
      this.db,
    );
    await insertMany(
      this.db,
      'org_unit_link',
      {
        from_version: 'text',
        from_code: 'text',
        from_name: 'text',
        to_version: 'text',
        to_code: 'text',
        part: 'text',
        stale: 'boolean',
      },
      links.map((l) => ({
        from_version: fromVersion,
        from_code: l.fromCode,
        from_name: l.fromName,
        to_version: toVersion,
        to_code: l.toCode,
        part: l.part,
        stale: l.stale,
      })),
    );
    await this.rebuildNames(toVersion);
  }

  /** Fresh planner statistics after a bulk load (PGlite never runs autovacuum). */
  async analyze(): Promise<void> {
    await sql`analyze hierarchy_version, org_unit, org_unit_name, org_unit_change, org_unit_link, org_unit_ancestor`.execute(
      this.db,
    );
  }

  /** Each unit with itself and the units above it, from the paths (of `unitIds` only, if given). */
  async rebuildAncestors(version: string, unitIds?: number[]): Promise<void> {
    if (unitIds?.length === 0) return;
    const only = unitIds ? sql`and u.id = any(${unitIds}::int[])` : sql``;
    await sql`delete from org_unit_ancestor
      where unit_id in (select u.id from org_unit u where u.version = ${version} ${only})`.execute(
      this.db,
    );
    await sql`insert into org_unit_ancestor (unit_id, ancestor_id, depth)
      select u.id, a.id, u.level - a.level
      from org_unit u
      cross join lateral unnest(string_to_array(trim(both '/' from u.path), '/')) as p (code)
      join org_unit a on a.version = u.version and a.code = p.code
      where u.version = ${version} ${only}`.execute(this.db);
  }

  /**
   * Every unit of a version with what placing units and resolving references need. Keys: the
   * code (an added unit's uid), the uid, and an added unit's source code.
   */
  async treeOf(version: string): Promise<TreeRow[]> {
    const r = await sql<TreeRow>`select u.id, u.code, u.uid, u.source_code, u.origin, u.parent_code,
        u.level, u.path, u.name, u.short_name, u.opening_date::text as opening_date,
        u.closed_date::text as closed_date,
        exists (select 1 from org_unit c where c.version = u.version and c.parent_code = u.code) as has_children
      from org_unit u where u.version = ${version}`.execute(this.db);
    return r.rows;
  }

  /**
   * Writes added units (created or changed) placed by `placeUnits`, then keeps everything that
   * hangs on the tree true in the same transaction: the paths and levels of units below a unit
   * that moved, org_unit_ancestor, the search names, and the roll-up sums — a roll-up unit that
   * gains its first unit below it gets roll-up rows holding its own values, and the units above
   * a unit that moved are summed again (only roll-up units keep rows; a unit whose flag the
   * carry refresh then changes is summed again there, carry.repo.ts). Call inside a transaction.
   */
  async placeAdded(
    version: string,
    units: AddedUnitRow[],
  ): Promise<{ ids: Map<string, number>; changed: Set<string> }> {
    const db = this.db;
    if (units.length === 0) return { ids: new Map(), changed: new Set() };
    const codes = units.map((u) => u.code);
    const before = await sql<{
      id: number;
      code: string;
      parent_code: string | null;
      source_code: string | null;
      name: string;
      short_name: string | null;
      opening_date: string | null;
      closed_date: string | null;
    }>`
      select id, code, parent_code, source_code, name, short_name,
        opening_date::text as opening_date, closed_date::text as closed_date
      from org_unit where version = ${version} and code = any(${codes}::text[])`.execute(db);
    const old = new Map(before.rows.map((r) => [r.code, r]));
    const changed = new Set(
      units
        .filter((u) => {
          const o = old.get(u.code);
          return (
            !o ||
            o.parent_code !== u.parent ||
            o.source_code !== u.sourceCode ||
            o.name !== u.name ||
            o.short_name !== u.shortName ||
            o.opening_date !== u.openingDate ||
            o.closed_date !== u.closedDate
          );
        })
        .map((u) => u.code),
    );
    const moved = units.filter((u) => old.has(u.code) && old.get(u.code)!.parent_code !== u.parent);
    const movedIds = moved.map((u) => old.get(u.code)!.id);
    const oldAbove = await this.ancestorsOf(movedIds);
    // Parents that hold no unit yet: their own values enter a roll-up row of their own.
    const parents = [...new Set(units.flatMap((u) => (u.parent === null ? [] : [u.parent])))];
    const leavesBefore = await sql<{ id: number; code: string }>`
      select p.id, p.code from org_unit p
      where p.version = ${version} and p.code = any(${parents}::text[])
        and not exists (select 1 from org_unit c where c.version = p.version and c.parent_code = p.code)`.execute(
      db,
    );
    const oldParents = [
      ...new Set(moved.flatMap((u) => old.get(u.code)!.parent_code ?? [])),
    ] as string[];

    await insertMany(
      db,
      'org_unit',
      {
        version: 'text',
        code: 'text',
        uid: 'text',
        origin: 'text',
        source_code: 'text',
        level: 'smallint',
        kind: 'text',
        type: 'text',
        name: 'text',
        full_name: 'text',
        short_name: 'text',
        parent_code: 'text',
        path: 'text',
        opening_date: 'date',
        closed_date: 'date',
      },
      units.map((u) => ({
        version,
        code: u.code,
        uid: u.code,
        origin: 'added',
        source_code: u.sourceCode,
        level: u.level,
        kind: ADDED_KIND,
        type: ADDED_KIND,
        name: u.name,
        full_name: u.name,
        short_name: u.shortName,
        parent_code: u.parent,
        path: u.path,
        opening_date: u.openingDate,
        closed_date: u.closedDate,
      })),
      {
        onConflict: `on conflict (version, code) do update set source_code = excluded.source_code,
          level = excluded.level, name = excluded.name, full_name = excluded.full_name,
          short_name = excluded.short_name, parent_code = excluded.parent_code, path = excluded.path,
          opening_date = excluded.opening_date, closed_date = excluded.closed_date`,
      },
    );
    const after = await sql<{ id: number; code: string }>`
      select id, code from org_unit where version = ${version} and code = any(${codes}::text[])`.execute(
      db,
    );
    const ids = new Map(after.rows.map((r) => [r.code, r.id]));
    const below = await this.repathAdded(version);
    await this.rebuildAncestors(version, [...new Set([...ids.values(), ...below])]);
    await sql`delete from org_unit_name where version = ${version} and source = 'own'
      and code = any(${codes}::text[])`.execute(db);
    await insertMany(
      db,
      'org_unit_name',
      { version: 'text', code: 'text', search_text: 'text', display_name: 'text', source: 'text' },
      units.map((u) => ({
        version,
        code: u.code,
        search_text: searchText(u.name),
        display_name: u.name,
        source: 'own',
      })),
    );

    // Roll-ups: the units above a moved unit change on both sides of the move (those above
    // both keep their sums); a former leaf now above units sums its own values too; a parent
    // left with no unit below reads its values from data_value again (no roll-up row). Units
    // that are not roll-up units get no rows (`refreshRollups`).
    const newAbove = await this.ancestorsOf(movedIds);
    const refresh = new Set<number>();
    for (const id of movedIds) {
      const o = new Set(oldAbove.get(id) ?? []);
      const n = new Set(newAbove.get(id) ?? []);
      for (const a of o) if (!n.has(a)) refresh.add(a);
      for (const a of n) if (!o.has(a)) refresh.add(a);
    }
    for (const p of leavesBefore.rows) refresh.add(p.id);
    if (oldParents.length > 0) {
      const left = await sql<{ id: number }>`select id from org_unit
        where version = ${version} and code = any(${oldParents}::text[])`.execute(db);
      for (const p of left.rows) refresh.add(p.id);
    }
    await this.refreshRollups([...refresh]);
    return { ids, changed };
  }

  /** The units above each of these (not the unit itself). */
  private async ancestorsOf(unitIds: number[]): Promise<Map<number, number[]>> {
    const m = new Map<number, number[]>();
    if (unitIds.length === 0) return m;
    const r = await sql<{ unit_id: number; ancestor_id: number }>`
      select unit_id, ancestor_id from org_unit_ancestor
      where unit_id = any(${unitIds}::int[]) and depth > 0`.execute(this.db);
    for (const x of r.rows) m.set(x.unit_id, [...(m.get(x.unit_id) ?? []), x.ancestor_id]);
    return m;
  }

  /**
   * The paths and levels of added units from their parents, down from the official units and
   * the roots of added trees; returns the ids of the units whose path changed.
   */
  async repathAdded(version: string): Promise<number[]> {
    const r = await sql<{ id: number }>`
      with recursive t (code, path, level) as (
        select u.code, coalesce(p.path, '/') || u.code || '/', coalesce(p.level + 1, 0)
        from org_unit u
        left join org_unit p on p.version = u.version and p.code = u.parent_code
        where u.version = ${version} and u.origin = 'added' and (p.code is null or p.origin = 'official')
        union all
        select c.code, t.path || c.code || '/', t.level + 1
        from t join org_unit c on c.version = ${version} and c.parent_code = t.code and c.origin = 'added'
      )
      update org_unit u set path = t.path, level = t.level
      from t where u.version = ${version} and u.code = t.code and (u.path <> t.path or u.level <> t.level)
      returning u.id`.execute(this.db);
    return r.rows.map((x) => x.id);
  }

  /**
   * Sums the roll-up rows of these units again from the values below them and their own, as
   * the imports keep them: only at units that keep roll-ups (`ROLLUP_UNITS`); the others lose
   * theirs.
   */
  async refreshRollups(unitIds: number[]): Promise<void> {
    await refreshRollups(this.db, unitIds);
  }

  /** The names a person may search a version's units by: own, later official, and former. */
  async rebuildNames(version: string): Promise<void> {
    const db = this.db;
    await sql`delete from org_unit_name where version = ${version}`.execute(db);
    const own = await sql<{
      code: string;
      full_name: string;
    }>`select code, full_name from org_unit where version = ${version}`.execute(db);
    const renamed = await sql<{ code: string; full_name_after: string }>`
      select code, full_name_after from org_unit_change where version = ${version}`.execute(db);
    const former = await sql<{
      to_code: string;
      from_code: string;
      from_version: string;
      from_name: string;
      full_name: string;
    }>`
      select l.to_code, l.from_code, l.from_version, l.from_name, u.full_name from org_unit_link l
      join org_unit u on u.version = l.to_version and u.code = l.to_code
      where l.to_version = ${version} and l.basis = 'file'`.execute(db);
    const rows = [
      ...own.rows.map((r) => ({
        code: r.code,
        name: r.full_name,
        source: 'own',
        fc: null,
        fv: null,
      })),
      ...renamed.rows.map((r) => ({
        code: r.code,
        name: r.full_name_after,
        source: 'renamed',
        fc: null,
        fv: null,
      })),
      ...former.rows
        .filter((r) => searchText(r.from_name) !== searchText(r.full_name))
        .map((r) => ({
          code: r.to_code,
          name: r.from_name,
          source: 'former',
          fc: r.from_code,
          fv: r.from_version,
        })),
    ];
    await insertMany(
      db,
      'org_unit_name',
      {
        version: 'text',
        code: 'text',
        search_text: 'text',
        display_name: 'text',
        source: 'text',
        former_code: 'text',
        former_version: 'text',
      },
      rows.map((r) => ({
        version,
        code: r.code,
        search_text: searchText(r.name),
        display_name: r.name,
        source: r.source,
        former_code: r.fc,
        former_version: r.fv,
      })),
    );
  }

  async changes(version: string) {
    return this.db
      .selectFrom('org_unit_change')
      .selectAll()
      .where('version', '=', version)
      .orderBy('id')
      .execute();
  }

  async setChangeDate(id: number, effective: string) {
    return this.db
      .updateTable('org_unit_change')
      .set({ effective })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  async getChange(id: number) {
    return this.db
      .selectFrom('org_unit_change')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
  }
}

/**
 * The roll-up rows of these units summed again from data_value: rows only at units that keep
 * roll-ups (org_unit.rollup with units below), none at the others. Also what a unit whose
 * roll-up flag changed needs (carry.repo.ts `refreshRollupFlags`).
 */
export async function refreshRollups(db: Db, unitIds: number[]): Promise<void> {
  if (unitIds.length === 0) return;
  await sql`delete from data_value_rollup where ancestor_id = any(${unitIds}::int[])`.execute(db);
  await sql`insert into data_value_rollup (ancestor_id, element_id, period_id, option_id, attribute_id, sum, n)
    select a.ancestor_id, d.element_id, d.period_id, d.option_id, d.attribute_id,
      sum(coalesce(d.value, 0)), count(*)::int
    from org_unit_ancestor a
    join data_value d on d.unit_id = a.unit_id
    where a.ancestor_id = any(${unitIds}::int[])
      and a.ancestor_id = any(array(select k.id from ${ROLLUP_UNITS} k))
    group by 1, 2, 3, 4, 5`.execute(db);
}
