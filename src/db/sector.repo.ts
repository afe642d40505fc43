import { sql } from 'kysely';
import type { Db } from './client.ts';
import type { FigureDirection } from '../domain/direction.ts';

export interface SectorElementRow {
  code: string;
  name_vi: string;
  name_en: string;
  unit: string | null;
  value_type: string;
  agg_time: string;
  direction: FigureDirection;
  description: string | null;
  /** null for the default breakdown (no parts) */
  breakdown_code: string | null;
  breakdown_name_vi: string | null;
  breakdown_name_en: string | null;
}

/** The data elements of a sector, in the order they were defined. */
export async function sectorElements(db: Db, sector: string): Promise<SectorElementRow[]> {
  const r = await sql<SectorElementRow>`
    select e.code, e.name_vi, e.name_en, e.unit, e.value_type, e.agg_time, e.direction, e.description,
      case when b.code = 'default' then null else b.code end as breakdown_code,
      case when b.code = 'default' then null else b.name_vi end as breakdown_name_vi,
      case when b.code = 'default' then null else b.name_en end as breakdown_name_en
    from data_element e join breakdown b on b.id = e.breakdown_id
    where e.sector = ${sector}
    order by e.id`.execute(db);
  return r.rows;
}

export interface BreakdownOptionRow {
  breakdown_code: string;
  code: string;
  name_vi: string;
  name_en: string;
}

export async function breakdownOptions(db: Db, codes: string[]): Promise<BreakdownOptionRow[]> {
  if (codes.length === 0) return [];
  const r = await sql<BreakdownOptionRow>`
    select b.code as breakdown_code, o.code, o.name_vi, o.name_en
    from breakdown_option o join breakdown b on b.id = o.breakdown_id
    where b.code = any(${codes}::text[])
    order by b.code, o.sort_order, o.id`.execute(db);
  return r.rows;
}

/** The nation in every tree: the same code, one unit per hierarchy version. */
export async function nationalUnitIds(db: Db, code: string): Promise<number[]> {
  const r = await db.selectFrom('org_unit').select('id').where('code', '=', code).execute();
  return r.map((x) => x.id);
}

export interface StoredPeriodRow {
  sector: string;
  element: string;
  pid: string;
  type: string;
  start_date: string;
  end_date: string;
  /** the breakdown options that hold values at this period */
  options: string[];
}

/**
 * Every period at which an element of the sectors has values at or under these units: the
 * roll-ups of what lies below them (one row per stored period, so a year of commune days under
 * the nation is a few hundred rows, not millions) and the values stored at the units themselves
 * (and under those that keep no roll-ups, fewer than 64 units), looked up period by period
 * through the primary key (period, element, unit).
 */
export async function storedPeriods(
  db: Db,
  sectors: string[],
  unitIds: number[],
): Promise<StoredPeriodRow[]> {
  if (unitIds.length === 0 || sectors.length === 0) return [];
  const r = await sql<StoredPeriodRow>`
    with el as (
      select id, code, sector from data_element where sector = any(${sectors}::text[])
    ), mine as (
      -- The units whose own values are read: the asked units, and every unit under those that
      -- keep no roll-up rows (org_unit.rollup with units below, migration 0019).
      select h.unit_id from org_unit_ancestor h join org_unit u on u.id = h.ancestor_id
      where h.ancestor_id = any(${unitIds}::int[])
        and (h.depth = 0 or not u.rollup or not exists (
          select 1 from org_unit_ancestor c where c.ancestor_id = u.id and c.depth > 0))
    ), held as (
      select r.element_id, r.period_id, r.option_id
      from data_value_rollup r
      where r.element_id in (select id from el) and r.ancestor_id = any(${unitIds}::int[])
        and r.n > 0
      union
      select d.element_id, d.period_id, d.option_id
      from period p cross join lateral (
        select d.element_id, d.period_id, d.option_id from data_value d
        where d.period_id = p.id and d.element_id in (select id from el)
          and d.unit_id = any(array(select unit_id from mine))
      ) d
    )
    select el.sector, el.code as element, p.pid, p.type, p.start_date, p.end_date,
      array_agg(distinct o.code order by o.code) as options
    from held h
    join el on el.id = h.element_id
    join period p on p.id = h.period_id
    join breakdown_option o on o.id = h.option_id
    group by el.sector, el.code, p.pid, p.type, p.start_date, p.end_date`.execute(db);
  return r.rows;
}

/**
 * The periods at which a source printed a change of a sector's element at these units
 * ("doanh thu, sản lượng … tăng trưởng khoảng 30%"); where nothing is stored there, the sector
 * page shows the change alone (sector.service.ts `withPrintedOnly`).
 */
export async function printedOnlyPeriods(
  db: Db,
  sectors: string[],
  unitIds: number[],
): Promise<StoredPeriodRow[]> {
  if (unitIds.length === 0 || sectors.length === 0) return [];
  const r = await sql<StoredPeriodRow>`
    select distinct e.sector, e.code as element, p.pid, p.type, p.start_date, p.end_date,
      '{}'::text[] as options
    from printed_figure f
    join data_element e on e.id = f.element_id
    join period p on p.id = f.period_id
    where e.sector = any(${sectors}::text[]) and f.unit_id = any(${unitIds}::int[])
      and f.option_id is null
      and (f.reported_yoy_pct is not null or f.reported_prev_pct is not null)`.execute(db);
  return r.rows;
}

export interface ValueNoteRow {
  element: string;
  pid: string;
  /** any value of the element at that period is an estimate ("ước đạt") */
  estimate: boolean;
  comments: string[];
  /** the changes the source printed, stored with the value */
  reported_yoy: number | null;
  reported_prev: number | null;
}

/**
 * What the values stored at these units (not below them) say about themselves: estimates,
 * comments (for the seed figures, the words of the article they come from) and the changes the
 * source printed.
 */
export async function valueNotes(
  db: Db,
  sector: string,
  unitIds: number[],
  pids: string[],
): Promise<ValueNoteRow[]> {
  if (unitIds.length === 0 || pids.length === 0) return [];
  const r = await sql<ValueNoteRow>`
    select e.code as element, p.pid, bool_or(d.estimate) as estimate,
      max(d.reported_yoy_pct) as reported_yoy, max(d.reported_prev_pct) as reported_prev,
      coalesce(array_agg(distinct d.comment) filter (where d.comment is not null and d.comment <> ''),
        '{}') as comments
    from data_value d
    join data_element e on e.id = d.element_id
    join period p on p.id = d.period_id
    where e.sector = ${sector} and d.unit_id = any(${unitIds}::int[]) and p.pid = any(${pids}::text[])
    group by e.code, p.pid`.execute(db);
  return r.rows;
}

/** The queries above bound to one handle, as services reach them (db/store.ts). */
export class SectorRepo {
  constructor(private readonly db: Db) {}

  sectorElements(sector: string) {
    return sectorElements(this.db, sector);
  }
  breakdownOptions(codes: string[]) {
    return breakdownOptions(this.db, codes);
  }
  nationalUnitIds(code: string) {
    return nationalUnitIds(this.db, code);
  }
  storedPeriods(sectors: string[], unitIds: number[]) {
    return storedPeriods(this.db, sectors, unitIds);
  }
  printedOnlyPeriods(sectors: string[], unitIds: number[]) {
    return printedOnlyPeriods(this.db, sectors, unitIds);
  }
  valueNotes(sector: string, unitIds: number[], pids: string[]) {
    return valueNotes(this.db, sector, unitIds, pids);
  }
}
