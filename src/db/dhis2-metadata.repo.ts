import { sql, type RawBuilder } from 'kysely';
import type { Db } from './client.ts';

/**
 * What DHIS2's metadata routes read (services/dhis2-metadata.service.ts). Definitions — elements,
 * indicators, breakdowns, attribute options, data sets — are small and read whole (the service
 * filters them in memory); units are many, so they are read narrowed: by tree, by the caller's
 * scope, and by the filters that say exactly which units (ids, codes, levels, parents).
 *
 * A unit's DHIS2 id is its uid, or its code where it has none; its DHIS2 path is the ids of the
 * units on its path (`/VN/79/26740`).
 */

export interface ElementRow {
  id: number;
  code: string;
  uid: string | null;
  name_vi: string;
  name_en: string;
  value_type: string;
  agg_time: string;
  agg_units: string;
  zero_significant: boolean;
  description: string | null;
  min_value: number | null;
  max_value: number | null;
  breakdown_id: number;
  created_at: Date | string;
  updated_at: Date | string;
}

export interface IndicatorRow {
  id: number;
  code: string;
  uid: string | null;
  name_vi: string;
  name_en: string;
  formula: string;
  /** DHIS2's parts, as a DHIS2 import gave them (migration 0012); null for Opsroom's own. */
  numerator: string | null;
  denominator: string | null;
  indicator_type_id: number | null;
  decimals: number;
  description: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export interface NamedRow {
  id: number;
  code: string;
  uid: string | null;
  name_vi: string;
  name_en: string;
}

export interface BreakdownRow extends NamedRow {
  dimension_type: 'DISAGGREGATION' | 'ATTRIBUTE';
  /** Uids of its categories, in order (migration 0012); empty for Opsroom's own breakdowns. */
  categories: string[];
}

export interface OptionRow extends NamedRow {
  breakdown_id: number;
  /** Uids of the category options it is made of; empty for Opsroom's own. */
  parts: string[];
}

export interface AttributeOptionRow extends NamedRow {
  /** The attribute combo it came from (a DHIS2 import), or null (Opsroom's own). */
  breakdown_id: number | null;
  parts: string[];
}

export interface CategoryRow {
  id: number;
  uid: string;
  code: string | null;
  name: string;
  dimension_type: 'DISAGGREGATION' | 'ATTRIBUTE';
  /** Uids of its options, in order. */
  options: string[];
}

export interface CategoryOptionRow {
  id: number;
  uid: string;
  code: string | null;
  name: string;
  short_name: string | null;
}

export interface IndicatorTypeRow {
  id: number;
  uid: string;
  code: string | null;
  name: string;
  factor: number;
  number: boolean;
}

export interface DataSetRow extends NamedRow {
  period_type: string;
  version: string;
  level: number;
  due_days: number;
  expiry_days: number;
  /** Element ids (data_element.id), by code. */
  elements: number[];
  /** Whether it is assigned to units (data_set_unit); else it is for the units of its level. */
  assigned: boolean;
}

export interface Definitions {
  elements: ElementRow[];
  indicators: IndicatorRow[];
  indicatorTypes: IndicatorTypeRow[];
  breakdowns: BreakdownRow[];
  options: OptionRow[];
  attributeOptions: AttributeOptionRow[];
  categories: CategoryRow[];
  categoryOptions: CategoryOptionRow[];
  dataSets: DataSetRow[];
}

export interface UnitRow {
  code: string;
  uid: string | null;
  /** 'added' units (a DHIS2 import) are keyed by uid; their DHIS2 code is `source_code`. */
  origin: 'official' | 'added';
  source_code: string | null;
  level: number;
  name: string;
  full_name: string;
  short_name: string | null;
  name_en: string | null;
  opening_date: string | null;
  closed_date: string | null;
  path: string;
  /** DHIS2 ids of the units on the path, the nation first and the unit last. */
  path_ids: string[];
  /** DHIS2 ids of the children the caller may see; null unless asked for. */
  children: string[] | null;
}

export interface UnitNarrowing {
  /** DHIS2 ids: uids or codes. */
  ids?: string[];
  codes?: string[];
  /** Opsroom levels (the nation is 0). */
  levels?: number[];
  minLevel?: number;
  maxLevel?: number;
  /** DHIS2 ids of parents. */
  parentIds?: string[];
}

export interface GroupRow {
  code: string;
  name: string;
  description: string | null;
  owner_code: string;
  created_at: Date | string;
  /** DHIS2 ids of the members the caller may see; null unless asked for. */
  members: string[] | null;
}

/** `x` LIKE-escaped, for a prefix match. */
const prefix = (path: string) => path.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';

/** Units in the caller's scope (under `scopePath`); null is the nation, every unit. */
function inScope(alias: string, scopePath: string | null): RawBuilder<unknown> {
  return scopePath === null
    ? sql`true`
    : sql`${sql.ref(`${alias}.path`)} like ${prefix(scopePath)}`;
}

/** …or above it: the units on the scope's own path, which callers see as parents and ancestors. */
function visible(alias: string, scopePath: string | null): RawBuilder<unknown> {
  if (scopePath === null) return sql`true`;
  const path = sql.ref(`${alias}.path`);
  return sql`(${path} like ${prefix(scopePath)} or starts_with(${scopePath}, ${path}))`;
}

/** An option combo's options in the order of their categories in its combo (Sex, then Age). */
function categoryOrder(combo: string, option: string): RawBuilder<unknown> {
  return sql`(select min(bc.sort_order) from breakdown_category bc
    join category_member m on m.category_id = bc.category_id
    where bc.breakdown_id = ${sql.ref(`${combo}.breakdown_id`)} and m.option_id = ${sql.ref(`${option}.id`)})`;
}

export class Dhis2MetadataRepo {
  constructor(private readonly db: Db) {}

  /** Every definition, in nine small statements. */
  async definitions(): Promise<Definitions> {
    const run = <T>(q: RawBuilder<T>) => q.execute(this.db).then((r) => r.rows);
    const [elements, indicators, indicatorTypes, breakdowns, options, attributeOptions] =
      await Promise.all([
        run(sql<ElementRow>`select e.id, e.code, e.uid, e.name_vi, e.name_en, e.value_type,
            e.agg_time, e.agg_units, e.zero_significant, e.description, e.min_value, e.max_value,
            e.breakdown_id, e.created_at, e.updated_at
          from data_element e order by e.code`),
        run(sql<IndicatorRow>`select i.id, i.code, i.uid, i.name_vi, i.name_en, i.formula,
            i.numerator, i.denominator, i.indicator_type_id, i.decimals, i.description,
            i.created_at, i.updated_at
          from indicator i order by i.code`),
        run(sql<IndicatorTypeRow>`select t.id, t.uid, t.code, t.name, t.factor, t.number
          from indicator_type t order by t.uid`),
        run(sql<BreakdownRow>`select b.id, b.code, b.uid, b.name_vi, b.name_en, b.dimension_type,
            array(select c.uid from breakdown_category bc join category c on c.id = bc.category_id
              where bc.breakdown_id = b.id order by bc.sort_order) as categories
          from breakdown b order by b.code`),
        run(sql<OptionRow>`select o.id, o.breakdown_id, o.code, o.uid, o.name_vi, o.name_en,
            array(select co.uid from breakdown_option_part p
              join category_option co on co.id = p.category_option_id
              where p.option_id = o.id order by ${categoryOrder('o', 'co')}, co.uid) as parts
          from breakdown_option o order by o.breakdown_id, o.sort_order, o.code`),
        run(sql<AttributeOptionRow>`select a.id, a.code, a.uid, a.name_vi, a.name_en, a.breakdown_id,
            array(select co.uid from attribute_option_part p
              join category_option co on co.id = p.category_option_id
              where p.attribute_id = a.id order by ${categoryOrder('a', 'co')}, co.uid) as parts
          from attribute_option a order by a.code`),
      ]);
    const [categories, categoryOptions, dataSets] = await Promise.all([
      run(sql<CategoryRow>`select c.id, c.uid, c.code, c.name, c.dimension_type,
          array(select o.uid from category_member m join category_option o on o.id = m.option_id
            where m.category_id = c.id order by m.sort_order) as options
        from category c order by c.uid`),
      run(sql<CategoryOptionRow>`select o.id, o.uid, o.code, o.name, o.short_name
        from category_option o order by o.uid`),
      run(sql<DataSetRow>`select d.id, d.code, d.uid, d.name_vi, d.name_en, d.period_type,
          d.version, d.level, d.due_days, d.expiry_days,
          coalesce((select json_agg(e.id order by e.code) from data_set_element de
            join data_element e on e.id = de.element_id where de.data_set_id = d.id), '[]') as elements,
          exists (select 1 from data_set_unit du where du.data_set_id = d.id) as assigned
        from data_set d order by d.code`),
    ]);
    return {
      elements,
      indicators,
      indicatorTypes,
      breakdowns,
      options,
      attributeOptions,
      categories,
      categoryOptions,
      dataSets,
    };
  }

  /**
   * Units of a tree as of a date (renames applied), with their DHIS2 path, narrowed: `list`
   * keeps the units in scope; `refs` (looking references up) also the units above the scope.
   */
  async units(q: {
    version: string;
    asOf: string;
    scopePath: string | null;
    mode: 'list' | 'refs';
    narrow?: UnitNarrowing;
    withChildren: boolean;
  }): Promise<UnitRow[]> {
    const n = q.narrow ?? {};
    const where: RawBuilder<unknown>[] = [
      sql`u.version = ${q.version}`,
      q.mode === 'list' ? inScope('u', q.scopePath) : visible('u', q.scopePath),
    ];
    if (n.ids)
      where.push(
        sql`(u.uid = any(${n.ids}::text[]) or (u.uid is null and u.code = any(${n.ids}::text[])))`,
      );
    if (n.codes)
      where.push(
        sql`(u.code = any(${n.codes}::text[]) or u.source_code = any(${n.codes}::text[]))`,
      );
    if (n.levels) where.push(sql`u.level = any(${n.levels}::int[])`);
    if (n.minLevel !== undefined) where.push(sql`u.level >= ${n.minLevel}`);
    if (n.maxLevel !== undefined) where.push(sql`u.level <= ${n.maxLevel}`);
    if (n.parentIds)
      where.push(sql`u.parent_code in (select p.code from org_unit p where p.version = ${q.version}
        and (p.uid = any(${n.parentIds}::text[]) or (p.uid is null and p.code = any(${n.parentIds}::text[]))))`);
    const children = q.withChildren
      ? sql`array(select coalesce(c.uid, c.code) from org_unit c
          where c.version = u.version and c.parent_code = u.code and ${visible('c', q.scopePath)}
          order by c.code)`
      : sql`null::text[]`;
    // A tree without uids (Opsroom's own) has its DHIS2 path in its codes already.
    const uids = await sql<{ any: boolean }>`select exists (select 1 from org_unit
      where version = ${q.version} and uid is not null) as any`.execute(this.db);
    const pathIds = uids.rows[0]?.any
      ? sql`array(select coalesce(a.uid, a.code)
          from unnest(string_to_array(trim(both '/' from u.path), '/')) with ordinality as p(code, n)
          join org_unit a on a.version = u.version and a.code = p.code order by p.n)`
      : sql`string_to_array(trim(both '/' from u.path), '/')`;
    const r = await sql<UnitRow>`select u.code, u.uid, u.origin, u.source_code, u.level, u.name,
        coalesce(ch.full_name_after, u.full_name) as full_name, u.short_name, u.name_en,
        u.opening_date, u.closed_date, u.path,
        ${pathIds} as path_ids, ${children} as children
      from org_unit u
      left join lateral (
        select c.full_name_after from org_unit_change c
        where c.version = u.version and c.code = u.code and c.effective <= ${q.asOf}::date
        order by c.effective desc limit 1
      ) ch on true
      where ${sql.join(where, sql` and `)}
      order by u.code`.execute(this.db);
    return r.rows;
  }

  /**
   * DHIS2 ids of the units in scope a data set is for: those it is assigned to (data_set_unit),
   * or, without assignments, the units of its tree at its level.
   */
  async dataSetUnitIds(
    set: { id: number; version: string; level: number; assigned: boolean },
    scopePath: string | null,
  ) {
    const r = set.assigned
      ? await sql<{ id: string }>`select coalesce(u.uid, u.code) as id from data_set_unit du
          join org_unit u on u.id = du.unit_id
          where du.data_set_id = ${set.id} and u.version = ${set.version} and ${inScope('u', scopePath)}
          order by u.code`.execute(this.db)
      : await sql<{ id: string }>`select coalesce(u.uid, u.code) as id from org_unit u
          where u.version = ${set.version} and u.level = ${set.level} and ${inScope('u', scopePath)}
          order by u.code`.execute(this.db);
    return r.rows.map((x) => x.id);
  }

  /**
   * The data sets (ids) a caller may enter data for, as data entry offers them: one assigned to
   * units when an assigned unit lies in the scope; one without assignments when a unit of its
   * tree at its level does. `version` keeps one tree (a scoped caller's); null, every tree.
   */
  async enterableDataSets(scopePath: string | null, version: string | null): Promise<number[]> {
    const r = await sql<{ id: number }>`select d.id from data_set d
      where ${version === null ? sql`true` : sql`d.version = ${version}`}
        and case when exists (select 1 from data_set_unit du where du.data_set_id = d.id)
          then exists (select 1 from data_set_unit du join org_unit u on u.id = du.unit_id
            where du.data_set_id = d.id and u.version = d.version and ${inScope('u', scopePath)})
          else exists (select 1 from org_unit u
            where u.version = d.version and u.level = d.level and ${inScope('u', scopePath)})
        end
      order by d.code`.execute(this.db);
    return r.rows.map((x) => x.id);
  }

  /** The data sets (ids) assigned to each of these units, by unit code. */
  async assignedSets(version: string, codes: string[]) {
    if (codes.length === 0) return new Map<string, number[]>();
    const r = await sql<{ code: string; sets: number[] }>`select u.code,
        array_agg(du.data_set_id order by du.data_set_id) as sets
      from data_set_unit du join org_unit u on u.id = du.unit_id
      where u.version = ${version} and u.code = any(${codes}::text[])
      group by u.code`.execute(this.db);
    return new Map(r.rows.map((x) => [x.code, x.sets]));
  }

  /** Groups of a tree whose owner lies in scope, with the members the caller may see. */
  async groups(version: string, scopePath: string | null, withMembers: boolean) {
    const members = withMembers
      ? sql`array(select coalesce(u.uid, u.code) from unit_group_member m
          join org_unit u on u.version = m.version and u.code = m.unit_code
          where m.group_id = g.id and ${inScope('u', scopePath)} order by u.code)`
      : sql`null::text[]`;
    const r = await sql<GroupRow>`select g.code, g.name, g.description, g.owner_code, g.created_at,
        ${members} as members
      from unit_group g join org_unit o on o.version = g.version and o.code = g.owner_code
      where g.version = ${version} and ${inScope('o', scopePath)}
      order by g.code`.execute(this.db);
    return r.rows;
  }

  /** The groups (codes, owners in scope) each of these units belongs to, by unit code. */
  async groupsOfUnits(version: string, codes: string[], scopePath: string | null) {
    if (codes.length === 0) return new Map<string, string[]>();
    const r = await sql<{ unit_code: string; groups: string[] }>`select m.unit_code,
        array_agg(g.code order by g.code) as groups
      from unit_group_member m
      join unit_group g on g.id = m.group_id
      join org_unit o on o.version = g.version and o.code = g.owner_code
      where m.version = ${version} and m.unit_code = any(${codes}::text[]) and ${inScope('o', scopePath)}
      group by m.unit_code`.execute(this.db);
    return new Map(r.rows.map((x) => [x.unit_code, x.groups]));
  }
}
