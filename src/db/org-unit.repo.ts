import { sql, type RawBuilder } from 'kysely';
import type { Db } from './client.ts';
import type { OrgUnitTable } from './schema.ts';
import { insertMany } from './bulk.ts';
import {
  ROOT_CODE,
  ROOT_NAME,
  pathCodes,
  type HierarchyVersion,
  type OrgUnit,
  type ParsedUnit,
} from '../domain/hierarchy.ts';
import { searchText } from '../domain/text.ts';

type UnitRow = Omit<OrgUnitTable, 'region' | 'id'> & {
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
    ...(r.renamed_by && r.renamed_on
      ? { renamedBy: { decree: r.renamed_by, effective: r.renamed_on } }
      : {}),
  };
}

/**
 * Units as of a date: the latest dated change on or before `asOf` gives the type and name.
 * Every read of units goes through this one select.
 */
function unitsAsOf(asOf: string): RawBuilder<unknown> {
  return sql`select u.version, u.code, u.level, u.kind,
      coalesce(c.type_after, u.type) as type, u.name,
      coalesce(c.full_name_after, u.full_name) as full_name,
      u.name_en, u.parent_code, u.path,
      c.decree as renamed_by, c.effective as renamed_on
    from org_unit u
    left join lateral (
      select c.type_after, c.full_name_after, c.decree, c.effective
      from org_unit_change c
      where c.version = u.version and c.code = u.code and c.effective <= ${asOf}::date
      order by c.effective desc limit 1
    ) c on true`;
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
        and ${q.underPath === undefined ? sql`true` : sql`u.path like ${q.underPath + '_%'}`}`.execute(
      this.db,
    );
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
      where l.from_version = ${version} and l.from_code = ${code} order by l.to_code`.execute(
      this.db,
    );
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
    const before = await sql<{
      code: string;
    }>`select code from org_unit where version = ${version.id}`.execute(db);
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
      await sql`delete from org_unit where version = ${version.id} and code = any(${gone}::text[])`.execute(
        db,
      );
    }
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

  /** Each unit with itself and the units above it, from the paths. */
  async rebuildAncestors(version: string): Promise<void> {
    await sql`delete from org_unit_ancestor
      where unit_id in (select id from org_unit where version = ${version})`.execute(this.db);
    await sql`insert into org_unit_ancestor (unit_id, ancestor_id, depth)
      select u.id, a.id, u.level - a.level
      from org_unit u
      cross join lateral unnest(string_to_array(trim(both '/' from u.path), '/')) as p (code)
      join org_unit a on a.version = u.version and a.code = p.code
      where u.version = ${version}`.execute(this.db);
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
      where l.to_version = ${version}`.execute(db);
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
