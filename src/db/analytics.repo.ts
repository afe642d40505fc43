import { sql } from 'kysely';
import type { Db } from './client.ts';
import { PERIOD_TYPES_FINEST_FIRST } from '../domain/period.ts';

export interface AggregateRequest {
  elementId: number;
  /** Only these breakdown options / attribute options; all when absent. */
  optionIds?: number[];
  attributeIds?: number[];
  /**
   * The units to total, each a group of units (of any version) counted as one: a unit alone,
   * or the units of a filter (`filter=ou:A;B`), totalled as their parent would be. A group's
   * units must not hold one another (the caller drops those under another).
   */
  units: { key: number; ids: number[] }[];
  /**
   * The periods to total, each the date ranges of its `pid` counted as one: a period alone, or
   * the periods of a filter (`filter=pe:202201;202202`). A stored period inside two ranges of
   * one pid counts once.
   */
  periods: { pid: string; start: string; end: string }[];
  /**
   * A stock: `last` is each unit's own last value in the period (of those under the unit that
   * hold values), summed, as DHIS2 does, instead of the sum at the last stored period, which
   * misses the units that did not report that day.
   */
  stock?: boolean;
  /**
   * The tree the units are of: values stored on the other trees are carried to them along the
   * carry map (carry_cover, issue 16), each stored unit's roll-up rows or own values times its
   * share. Without it only values stored on the units' own tree are read.
   */
  carryTo?: string;
}

export interface AggregateRow {
  pid: string;
  /** The group's key (AggregateRequest.units). */
  unit_id: number;
  /** Sum over the stored periods within the requested one. */
  total: number;
  /** The sum at the latest stored period within it (for stocks). */
  last: number;
  /** How many stored periods had values. */
  periods: number;
  /** How many values the sums hold (for averages over units); carried values count by share. */
  n: number;
  /** Of `total`, what was carried from other trees (0 without `carryTo`). */
  carried: number;
  /** Of `total`, what came through estimated shares (split links, not exact). */
  estimated: number;
  /** The other trees values were carried from, comma-joined (a tree may repeat), if any. */
  carried_from: string | null;
}

/** Values of the breakdown options and attribute options asked for (all when none is named). */
function optionFilter(table: string, only: { optionIds?: number[]; attributeIds?: number[] }) {
  return sql`${only.optionIds ? sql`${sql.ref(`${table}.option_id`)} = any(${only.optionIds}::int[])` : sql`true`}
    and ${only.attributeIds ? sql`${sql.ref(`${table}.attribute_id`)} = any(${only.attributeIds}::int[])` : sql`true`}`;
}

/** Groups of units as rows of a `grp` CTE: `g` the group's key, `unit_id` a unit in it. */
function groupRows(units: AggregateRequest['units']) {
  const rows = units.flatMap((u) => u.ids.map((id) => ({ g: u.key, unit_id: id })));
  return sql`select * from json_to_recordset(${JSON.stringify(rows)}::json) as t(g int, unit_id int)`;
}

/**
 * For a question on a few units, each branch reads the value tables unit by unit through their
 * keys: `offset 0` keeps a lateral subquery from being flattened into a join the planner may
 * turn into a scan of every roll-up row of the element (its guess for the JSON-built unit list
 * is 100 rows: 34 ms instead of 1 ms for the nation's year). Many units (the all-commune map)
 * are left to the planner, which reads them period by period.
 */
const FEW_UNITS = 64;
function fence(q: AggregateRequest) {
  const units = q.units.reduce((n, u) => n + u.ids.length, 0);
  return units <= FEW_UNITS ? sql`offset 0` : sql``;
}

/**
 * Values of other trees carried to a group's units (issue 16) as rows of (g, period_id, sum, n,
 * exact, stored_version): roll-up rows of stored units wholly inside (whole) and own values of
 * the rest, times their share. Reads `grp` and `reqp` of the query it is placed in.
 */
function carriedRows(q: AggregateRequest, only: (table: string) => ReturnType<typeof sql>) {
  return sql`
      select grp.g, r.period_id, r.sum * c.share as sum, r.n * c.share as n, c.exact,
        c.stored_version
      from grp
      join carry_cover c on c.asked_id = grp.unit_id and c.whole
        and c.stored_version <> ${q.carryTo!}
      cross join lateral (
        select r.period_id, r.sum, r.n from data_value_rollup r
        where r.ancestor_id = c.stored_id and r.element_id = ${q.elementId}
          and r.period_id = any(array(select distinct period_id from reqp)) and ${only('r')}
        ${fence(q)}) r
      union all
      select grp.g, d.period_id, coalesce(d.value, 0) * c.share, c.share, c.exact,
        c.stored_version
      from grp
      join carry_cover c on c.asked_id = grp.unit_id and not c.whole
        and c.stored_version <> ${q.carryTo!}
      cross join lateral (
        select d.period_id, d.value from data_value d
        where d.unit_id = c.stored_id and d.element_id = ${q.elementId}
          and d.period_id = any(array(select distinct period_id from reqp)) and ${only('d')}
        ${fence(q)}) d`;
}

/**
 * The units whose own values make up a group, with their share: the group's units and all below
 * them, and (with `carryTo`) the stored units carried to it. Reads `grp`.
 */
function reachRows(q: AggregateRequest) {
  return sql`
      select grp.g, h.unit_id, 1::float8 as share
      from grp join org_unit_ancestor h on h.ancestor_id = grp.unit_id
      ${
        q.carryTo
          ? sql`union all
      select grp.g, coalesce(h.unit_id, c.stored_id), c.share
      from grp
      join carry_cover c on c.asked_id = grp.unit_id and c.stored_version <> ${q.carryTo}
      left join org_unit_ancestor h on c.whole and h.ancestor_id = c.stored_id`
          : sql``
      }`;
}

/** Requested periods as rows of a `req` CTE: `pid` and the range of each of its parts. */
function periodRows(periods: AggregateRequest['periods']) {
  return sql`select * from json_to_recordset(${JSON.stringify(periods)}::json) as t(pid text, start date, "end" date)`;
}

/** Of these units, those that keep roll-up rows (org_unit.rollup with units below them). */
async function rollupUnits(db: Db, unitIds: number[]): Promise<number[]> {
  const r = await sql<{ id: number }>`select u.id from org_unit u
    where u.id = any(${unitIds}::int[]) and u.rollup
      and exists (select 1 from org_unit_ancestor c where c.ancestor_id = u.id and c.depth > 0)`.execute(
    db,
  );
  return r.rows.map((x) => x.id);
}

/**
 * Totals of an element for units and periods, read from the roll-up table at roll-up units (any
 * other unit's from its subtree's own values, fewer than 64 units): one row per (stored period,
 * unit) instead of every commune's values. A requested period gathers the stored periods of one
 * kind that lie within it (see `chosen`); the caller applies the element's rule over time (sum,
 * last, average).
 */
export async function aggregate(db: Db, q: AggregateRequest): Promise<AggregateRow[]> {
  if (q.units.length === 0 || q.periods.length === 0) return [];
  const only = (table: string) => optionFilter(table, q);
  const unitIds = [...new Set(q.units.flatMap((u) => u.ids))];
  // Roll-up units read their roll-up rows, the others their subtree's values: found first, so
  // that a question reads (and plans) only the branch it needs (the all-commune map probed
  // the roll-ups 3,321 times for nothing).
  const rolled = await rollupUnits(db, unitIds);
  const kept = new Set(rolled);
  const loose = unitIds.filter((id) => !kept.has(id));
  const branches = [];
  if (rolled.length)
    branches.push(sql`
      select grp.g as unit_id, r.period_id, r.sum, r.n::float8 as n, 0::float8 as moved,
        0::float8 as est, null::text as from_v
      from grp
      cross join lateral (
        select r.period_id, r.sum, r.n from data_value_rollup r
        where r.ancestor_id = grp.unit_id and r.element_id = ${q.elementId}
          and r.period_id = any(array(select distinct period_id from reqp)) and ${only('r')}
        ${fence(q)}) r
      where grp.unit_id = any(${rolled}::int[])`);
  if (loose.length)
    // The other units (leaves; districts and wards with fewer than 64 units below): their
    // subtree's own values, read from data_value unit by unit.
    branches.push(sql`
      select grp.g as unit_id, d.period_id, coalesce(d.value, 0) as sum, 1::float8 as n,
        0::float8 as moved, 0::float8 as est, null::text as from_v
      from grp
      join org_unit_ancestor h on h.ancestor_id = grp.unit_id
      cross join lateral (
        select d.period_id, d.value from data_value d
        where d.unit_id = h.unit_id and d.element_id = ${q.elementId}
          and d.period_id = any(array(select distinct period_id from reqp)) and ${only('d')}
        ${fence(q)}) d
      where grp.unit_id = any(${loose}::int[])`);
  if (q.carryTo)
    branches.push(sql`
      select c.g, c.period_id, c.sum, c.n, c.sum, case when c.exact then 0 else c.sum end,
        c.stored_version
      from (${carriedRows(q, only)}) c`);
  const r = await sql<AggregateRow>`
    with req as (
      ${periodRows(q.periods)}
    ), grp as (
      ${groupRows(q.units)}
    ), reqp as (
      -- Each stored period within a requested one, once (the ranges of a filter may overlap).
      select distinct req.pid, p.id as period_id, p.pid = req.pid as exact
      from req join period p on p.start_date between req.start and req."end" and p.end_date <= req."end"
    ), stored as (
      -- Each group's total at each stored period: its units' totals added. Each branch starts
      -- from the group's units (joined by index): a join of their rows with the groups planned
      -- afterwards compared every row with every unit on the all-commune map (77 M, 30 s).
      ${sql.join(
        branches,
        sql`
      union all
`,
      )}
    ), per as (
      -- Each stored period within the requested one, with the group's sum there.
      select rp.pid, r.unit_id, p.id as period_id, p.type, p.end_date, rp.exact,
        p.end_date - p.start_date + 1 as days, sum(r.sum) as s, sum(r.n) as n,
        sum(r.moved) as moved, sum(r.est) as est, string_agg(distinct r.from_v, ',') as froms
      from reqp rp
      join period p on p.id = rp.period_id
      join stored r on r.period_id = p.id
      group by rp.pid, r.unit_id, p.id, rp.exact, p.type, p.start_date, p.end_date
      having sum(r.n) > 0
    ), kinds as (
      select pid, unit_id, type, bool_or(exact) as exact, sum(days) as covered
      from per where exact or type <> 'range'
      group by pid, unit_id, type
    ), chosen as (
      -- One kind of stored period per requested period and unit, so that nothing is counted
      -- twice (a month's value and its days', 8 months and 6 months of the same year): the
      -- period itself when stored, else the calendar type covering most of it, the finest on a
      -- tie. A range counts only for itself.
      select distinct on (pid, unit_id) pid, unit_id, type, exact
      from kinds
      order by pid, unit_id, exact desc, covered desc,
        array_position(${sql.raw(`array[${FINEST_FIRST.map((t) => `'${t}'`).join(', ')}]`)}, type)
    ), kept as (
      select per.* from per join chosen c on c.pid = per.pid and c.unit_id = per.unit_id
      where (c.exact and per.exact) or (not c.exact and per.type = c.type)
    )${
      q.stock
        ? sql`, multi as materialized (
      -- A stock over one stored period is its total there; only the others need each unit's
      -- own last value (computed for every group at once: the correlated form recomputed the
      -- whole CTE per group, 140 ms for the 63 provinces instead of 12).
      select pid, unit_id from kept group by pid, unit_id having count(*) > 1
    ), reach as (
      select g, unit_id, sum(share) as share from (${reachRows(q)}) x
      where g in (select unit_id from multi)
      group by g, unit_id
    ), lasts as (
      -- Each unit under the group's that holds values (or carried to it, by its share): its
      -- value at its own last period.
      select distinct on (k.pid, k.unit_id, d.unit_id, d.option_id, d.attribute_id)
        k.pid, k.unit_id, coalesce(d.value, 0) * h.share as v
      from kept k
      join multi m on m.pid = k.pid and m.unit_id = k.unit_id
      join reach h on h.g = k.unit_id
      join data_value d on d.period_id = k.period_id and d.unit_id = h.unit_id
        and d.element_id = ${q.elementId} and ${only('d')}
      order by k.pid, k.unit_id, d.unit_id, d.option_id, d.attribute_id, k.end_date desc
    ), last_sums as materialized (
      select pid, unit_id, sum(v) as last from lasts group by pid, unit_id
    )`
        : sql``
    }
    select k.pid, k.unit_id, sum(s)::float as total,
      ${
        q.stock
          ? sql`(case when count(*) = 1 then sum(s)
              else (select l.last from last_sums l where l.pid = k.pid and l.unit_id = k.unit_id) end)::float`
          : sql`(array_agg(s order by end_date desc))[1]::float`
      } as last,
      count(*)::int as periods, sum(n)::float as n, sum(moved)::float as carried,
      sum(est)::float as estimated, string_agg(froms, ',') as carried_from
    from kept k
    group by k.pid, k.unit_id`.execute(db);
  return r.rows;
}

/**
 * The smallest and largest value of an element stored within each requested period under each
 * group of units (DHIS2's MIN and MAX aggregation): every stored value counts, whatever its
 * period's kind.
 */
export async function extremes(
  db: Db,
  q: AggregateRequest,
): Promise<{ pid: string; unit_id: number; min: number; max: number }[]> {
  if (q.units.length === 0 || q.periods.length === 0) return [];
  const r = await sql<{ pid: string; unit_id: number; min: number; max: number }>`
    with req as (
      ${periodRows(q.periods)}
    ), grp as (
      ${groupRows(q.units)}
    ), reach as (
      select g, unit_id, sum(share) as share from (${reachRows(q)}) x group by g, unit_id
    )
    select req.pid, h.g as unit_id, min(d.value * h.share)::float as min,
      max(d.value * h.share)::float as max
    from req
    join period p on p.start_date between req.start and req."end" and p.end_date <= req."end"
    join data_value d on d.period_id = p.id and d.element_id = ${q.elementId}
      and ${optionFilter('d', q)}
    join reach h on h.unit_id = d.unit_id
    where d.value is not null
    group by req.pid, h.g`.execute(db);
  return r.rows;
}

export interface RawValueRow {
  element_id: number;
  pid: string;
  /** The stored period's own kind and dates (its DHIS2 id is made from them). */
  type: string;
  start_date: string;
  end_date: string;
  unit_code: string;
  unit_uid: string | null;
  option_code: string;
  option_uid: string | null;
  value: number | null;
  text_value: string;
}

/**
 * Stored values, not aggregated (DHIS2's analytics `rawData`): of these elements, at the units
 * under any of `unitIds` (themselves included), in stored periods within the requested ranges.
 * At most `limit` rows, in a stable order; the caller asks for one more to know if there are
 * more.
 */
export async function rawValues(
  db: Db,
  q: {
    elementIds: number[];
    unitIds: number[];
    ranges: { start: string; end: string }[];
    optionIds?: number[];
    limit: number;
  },
): Promise<RawValueRow[]> {
  if (!q.elementIds.length || !q.unitIds.length || !q.ranges.length) return [];
  const r = await sql<RawValueRow>`
    with req as (
      select * from json_to_recordset(${JSON.stringify(q.ranges)}::json) as t(start date, "end" date)
    ), pids as (
      select distinct p.id from req
      join period p on p.start_date between req.start and req."end" and p.end_date <= req."end"
    ), under as (
      select distinct h.unit_id from org_unit_ancestor h
      where h.ancestor_id = any(${q.unitIds}::int[])
    )
    select d.element_id, p.pid, p.type, to_char(p.start_date, 'YYYY-MM-DD') as start_date,
      to_char(p.end_date, 'YYYY-MM-DD') as end_date, u.code as unit_code, u.uid as unit_uid,
      o.code as option_code, o.uid as option_uid, d.value::float as value, d.text_value
    from data_value d
    join period p on p.id = d.period_id
    join org_unit u on u.id = d.unit_id
    join breakdown_option o on o.id = d.option_id
    where d.element_id = any(${q.elementIds}::int[])
      and d.period_id = any(array(select id from pids))
      and d.unit_id = any(array(select unit_id from under))
      and ${q.optionIds ? sql`d.option_id = any(${q.optionIds}::int[])` : sql`true`}
    order by d.element_id, p.start_date, p.end_date, u.code, o.code
    limit ${q.limit}`.execute(db);
  return r.rows;
}

/** Stored period kinds, finest first: on a tie of coverage the finer kind is read. */
const FINEST_FIRST: readonly string[] = PERIOD_TYPES_FINEST_FIRST;

/**
 * The change the source reported for values stored exactly at these periods; of one breakdown
 * option or attribute option when asked (a part's printed change is not the whole's). With
 * `printed`, a change the values do not carry is taken from what was printed of that option
 * (null: the element's total; printed_figure, migration 0028): "1.383 sự cố, tăng 10,29%" is
 * of the total of parts stored one by one.
 */
export async function reportedChanges(
  db: Db,
  elementId: number,
  unitIds: number[],
  pids: string[],
  only: {
    optionIds?: number[];
    attributeIds?: number[];
    printed?: { optionId: number | null };
  } = {},
) {
  if (unitIds.length === 0 || pids.length === 0) return [];
  const printed = only.printed;
  const r = await sql<{ pid: string; unit_id: number; yoy: number | null; prev: number | null }>`
    with own as (
      select p.pid, d.unit_id, max(d.reported_yoy_pct) as yoy, max(d.reported_prev_pct) as prev
      from data_value d join period p on p.id = d.period_id
      where d.element_id = ${elementId} and d.unit_id = any(${unitIds}::int[]) and p.pid = any(${pids}::text[])
        and (d.reported_yoy_pct is not null or d.reported_prev_pct is not null)
        and ${optionFilter('d', only)}
      group by p.pid, d.unit_id
    ), printed as (
      select p.pid, f.unit_id, f.reported_yoy_pct as yoy, f.reported_prev_pct as prev
      from printed_figure f join period p on p.id = f.period_id
      where ${printed ? sql`true` : sql`false`} and f.element_id = ${elementId}
        and f.unit_id = any(${unitIds}::int[]) and p.pid = any(${pids}::text[])
        and f.option_id is not distinct from ${printed?.optionId ?? null}::int
        and (f.reported_yoy_pct is not null or f.reported_prev_pct is not null)
    )
    select coalesce(o.pid, f.pid) as pid, coalesce(o.unit_id, f.unit_id) as unit_id,
      coalesce(o.yoy, f.yoy) as yoy, coalesce(o.prev, f.prev) as prev
    from own o full join printed f on f.pid = o.pid and f.unit_id = o.unit_id`.execute(db);
  return r.rows;
}

/** The target nearest after each period end, for subjects at units. */
export async function targets(db: Db, subjectType: 'element' | 'indicator', code: string) {
  return db
    .selectFrom('target')
    .select(['unit_version', 'unit_code', 'value', 'due', 'label_vi', 'label_en'])
    .where('subject_type', '=', subjectType)
    .where('subject_code', '=', code)
    .orderBy('due')
    .execute();
}

export interface OwnTotalRow extends Omit<AggregateRow, 'carried' | 'estimated' | 'carried_from'> {
  /** The unit holding the values (under the group `unit_id`). */
  holder_id: number;
  /** The smallest and largest single value stored within the period (every kind counts). */
  min: number | null;
  max: number | null;
}

/**
 * An element's totals per unit holding values, under each group of units (DHIS2's
 * `subExpression`, evaluated at each unit before totalling): one row per requested period, group
 * and unit whose own stored values (data_value, never the roll-ups, so that a unit's values are
 * not counted again at the units above it) lie within the period. Stored periods are chosen as
 * `aggregate` chooses them, per unit; the caller applies the element's rule over time.
 */
export async function ownTotals(db: Db, q: AggregateRequest): Promise<OwnTotalRow[]> {
  if (q.units.length === 0 || q.periods.length === 0) return [];
  const only = (table: string) => optionFilter(table, q);
  const r = await sql<OwnTotalRow>`
    with req as (
      ${periodRows(q.periods)}
    ), grp as (
      ${groupRows(q.units)}
    ), reqp as (
      select distinct req.pid, p.id as period_id, p.pid = req.pid as exact
      from req join period p on p.start_date between req.start and req."end" and p.end_date <= req."end"
    ), own as (
      -- Each value stored at a unit under a group's units (themselves included).
      select grp.g, d.unit_id as holder, d.period_id, coalesce(d.value, 0) as v, d.value as raw
      from data_value d
      join org_unit_ancestor h on h.unit_id = d.unit_id
      join grp on grp.unit_id = h.ancestor_id
      where d.element_id = ${q.elementId}
        and d.period_id = any(array(select distinct period_id from reqp))
        and ${only('d')}
    ), per as (
      select rp.pid, o.g, o.holder, p.id as period_id, p.type, p.end_date, rp.exact,
        p.end_date - p.start_date + 1 as days, sum(o.v) as s, count(*)::int as n,
        min(o.raw) as lo, max(o.raw) as hi
      from reqp rp
      join period p on p.id = rp.period_id
      join own o on o.period_id = p.id
      group by rp.pid, o.g, o.holder, p.id, rp.exact, p.type, p.start_date, p.end_date
    ), kinds as (
      select pid, g, holder, type, bool_or(exact) as exact, sum(days) as covered
      from per where exact or type <> 'range'
      group by pid, g, holder, type
    ), chosen as (
      select distinct on (pid, g, holder) pid, g, holder, type, exact
      from kinds
      order by pid, g, holder, exact desc, covered desc,
        array_position(${sql.raw(`array[${FINEST_FIRST.map((t) => `'${t}'`).join(', ')}]`)}, type)
    ), kept as (
      select per.* from per
      join chosen c on c.pid = per.pid and c.g = per.g and c.holder = per.holder
      where (c.exact and per.exact) or (not c.exact and per.type = c.type)
    ), ext as (
      select pid, g, holder, min(lo) as lo, max(hi) as hi from per group by pid, g, holder
    )
    select k.pid, k.g as unit_id, k.holder as holder_id, sum(k.s)::float as total,
      (array_agg(k.s order by k.end_date desc))[1]::float as last,
      count(*)::int as periods, sum(k.n)::int as n,
      min(e.lo)::float as min, max(e.hi)::float as max
    from kept k
    join ext e on e.pid = k.pid and e.g = k.g and e.holder = k.holder
    group by k.pid, k.g, k.holder`.execute(db);
  return r.rows;
}

export interface ReportingRequest {
  dataSetId: number;
  /** The data set's elements: a unit reported a period when it holds a value of any of them. */
  elementIds: number[];
  /** The units expected to report: those assigned to the data set, else those of its level in
   *  its tree. */
  version: string;
  level: number;
  assigned: boolean;
  /** Groups of units (as in AggregateRequest), each counted as one. */
  units: { key: number; ids: number[] }[];
  /**
   * Per requested period (`pid`), the data set's periods within it (their ids) and the instant
   * until which a report is on time.
   */
  periods: { pid: string; dsPid: string; dueBefore: string }[];
}

/**
 * A data set's reports under groups of units, the way reporting completeness counts them
 * (services/reporting.service.ts): the units expected to report under each group, and for each
 * requested period how many (unit, data set period) pairs hold a value of the data set's
 * elements (`actual`) and how many had their first such value before the due instant
 * (`on_time`). Expected reports are `units` × the number of data set periods.
 */
export async function reportingCounts(
  db: Db,
  q: ReportingRequest,
): Promise<{
  units: Map<number, number>;
  rows: { pid: string; unit_id: number; actual: number; on_time: number }[];
}> {
  const units = new Map<number, number>();
  if (q.units.length === 0) return { units, rows: [] };
  const expected = sql`
    grp as (
      ${groupRows(q.units)}
    ), expected as (
      select distinct grp.g, u.id
      from grp
      join org_unit_ancestor h on h.ancestor_id = grp.unit_id
      join org_unit u on u.id = h.unit_id
      where u.version = ${q.version}
        and ${
          q.assigned
            ? sql`exists (select 1 from data_set_unit du where du.data_set_id = ${q.dataSetId} and du.unit_id = u.id)`
            : sql`u.level = ${q.level}`
        }
    )`;
  const counted = await sql<{ g: number; n: number }>`
    with ${expected}
    select g, count(*)::int as n from expected group by g`.execute(db);
  for (const r of counted.rows) units.set(r.g, r.n);
  if (q.periods.length === 0) return { units, rows: [] };
  const rows = await sql<{ pid: string; unit_id: number; actual: number; on_time: number }>`
    with ${expected}, req as (
      select * from json_to_recordset(${JSON.stringify(q.periods)}::json)
        as t(pid text, "dsPid" text, "dueBefore" timestamptz)
    ), firsts as (
      -- A unit reported when it holds a value of the set's elements or registered the set
      -- complete (DHIS2's complete registration), at the earlier of the two.
      select req.pid, req."dsPid", req."dueBefore", d.unit_id, d.created_at
      from req
      join period p on p.pid = req."dsPid"
      join data_value d on d.period_id = p.id and d.element_id = any(${q.elementIds}::int[])
      union all
      select req.pid, req."dsPid", req."dueBefore", cr.unit_id, cr.created_at
      from req
      join period p on p.pid = req."dsPid"
      join complete_registration cr on cr.period_id = p.id
        and cr.data_set_id = ${q.dataSetId}::int and cr.completed
    ), reports as (
      select f.pid, e.g, e.id, f."dsPid", min(f.created_at) < f."dueBefore" as on_time
      from firsts f
      join expected e on e.id = f.unit_id
      group by f.pid, e.g, e.id, f."dsPid", f."dueBefore"
    )
    select pid, g as unit_id, count(*)::int as actual, count(*) filter (where on_time)::int as on_time
    from reports group by pid, g`.execute(db);
  return { units, rows: rows.rows };
}

/**
 * The queries above bound to one handle, as services reach them (db/store.ts); the functions
 * stay exported for the benches.
 */
export class AnalyticsRepo {
  constructor(private readonly db: Db) {}

  aggregate(q: AggregateRequest) {
    return aggregate(this.db, q);
  }
  extremes(q: AggregateRequest) {
    return extremes(this.db, q);
  }
  rawValues(q: Parameters<typeof rawValues>[1]) {
    return rawValues(this.db, q);
  }
  reportedChanges(
    elementId: number,
    unitIds: number[],
    pids: string[],
    only: {
      optionIds?: number[];
      attributeIds?: number[];
      printed?: { optionId: number | null };
    } = {},
  ) {
    return reportedChanges(this.db, elementId, unitIds, pids, only);
  }
  targets(subjectType: 'element' | 'indicator', code: string) {
    return targets(this.db, subjectType, code);
  }
  ownTotals(q: AggregateRequest) {
    return ownTotals(this.db, q);
  }
  reportingCounts(q: ReportingRequest) {
    return reportingCounts(this.db, q);
  }

  /** Whether any value is stored (the demo data is loaded into a database without any). */
  async anyValue(): Promise<boolean> {
    const r = await this.db.selectFrom('data_value').select('unit_id').limit(1).executeTakeFirst();
    return r !== undefined;
  }

  /** Data sets with their elements and whether they are assigned to units (R{…} in formulas). */
  async dataSets() {
    const [sets, members, assigned] = await Promise.all([
      this.db.selectFrom('data_set').selectAll().execute(),
      this.db.selectFrom('data_set_element').select(['data_set_id', 'element_id']).execute(),
      this.db.selectFrom('data_set_unit').select('data_set_id').distinct().execute(),
    ]);
    return { sets, members, assigned };
  }

  /** Everything a question may name: elements, breakdown options, attributes, indicators. */
  async catalogue() {
    const [elements, options, attributes, indicators, breakdowns] = await Promise.all([
      this.db.selectFrom('data_element').selectAll().execute(),
      this.db
        .selectFrom('breakdown_option')
        .select(['id', 'code', 'uid', 'name_vi', 'name_en', 'breakdown_id'])
        .orderBy('sort_order')
        .orderBy('id')
        .execute(),
      this.db.selectFrom('attribute_option').select(['id', 'code', 'uid']).execute(),
      this.db.selectFrom('indicator').selectAll().execute(),
      this.db.selectFrom('breakdown').select(['id', 'code', 'uid']).execute(),
    ]);
    return { elements, options, attributes, indicators, breakdowns };
  }
}
