import { sql, type RawBuilder } from 'kysely';
import type { Db } from './client.ts';

/**
 * Outlier detection (issue 17): every statistic is computed here, in SQL, in one pass of grouped
 * aggregates over the values of the asked elements at the units under one unit
 * (org_unit_ancestor), so that a year of daily values of every commune (millions of values)
 * never reaches JavaScript; only the outliers, ordered and limited, come back. The numbers are
 * those of domain/outlier.ts (the definition, tested against simple-statistics).
 */

export interface OutlierElementRow {
  id: number;
  code: string;
  uid: string | null;
  name_vi: string;
  name_en: string;
  value_type: string;
}

export interface OutlierUnitRow {
  id: number;
  code: string;
  uid: string | null;
  version: string;
  path: string;
  valid_from: string;
}

export type OutlierMethod = 'Z_SCORE' | 'MOD_Z_SCORE' | 'MIN_MAX' | 'SEASONAL';
export type OutlierOrder = 'Z_SCORE' | 'MEAN_ABS_DEV';

export interface OutlierQuery {
  elementIds: number[];
  /** the unit whose subtree (itself included) is searched */
  unitId: number;
  /** candidate values: periods within [start, end] */
  start: string;
  end: string;
  /** the values the statistics are computed on: periods within, or every stored value */
  dataStart?: string;
  dataEnd?: string;
  algorithm: OutlierMethod;
  threshold: number;
  maxResults: number;
  orderBy: OutlierOrder;
  descending: boolean;
  /** a value this many times above or below its series' other values is a scale slip */
  slipRatio: number;
}

export interface OutlierRow {
  de: string;
  de_name_vi: string;
  de_name_en: string;
  pid: string;
  type: string;
  start_date: string;
  ou: string;
  ou_name: string;
  coc: string;
  coc_name: string;
  aoc: string;
  aoc_name: string;
  value: number;
  middle: number | null;
  std_dev: number | null;
  abs_dev: number | null;
  z_score: number | null;
  lower_bound: number | null;
  upper_bound: number | null;
  followup: boolean;
  scale_slip: boolean;
  baseline: number | null;
}

const dateOnly = (v: unknown): string =>
  v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);

/** Elements named by uid or code. */
export async function elementsNamed(db: Db, ids: string[]): Promise<OutlierElementRow[]> {
  if (ids.length === 0) return [];
  const r = await sql<OutlierElementRow>`
    select id, code, uid, name_vi, name_en, value_type from data_element
    where uid = any(${ids}::text[]) or code = any(${ids}::text[])
    order by id`.execute(db);
  return r.rows;
}

/** Elements by id. */
export async function elementsById(db: Db, ids: number[]): Promise<OutlierElementRow[]> {
  if (ids.length === 0) return [];
  const r = await sql<OutlierElementRow>`
    select id, code, uid, name_vi, name_en, value_type from data_element
    where id = any(${ids}::int[]) order by id`.execute(db);
  return r.rows;
}

/** The elements of data sets named by uid or code; which sets were found. */
export async function dataSetElements(
  db: Db,
  ids: string[],
): Promise<{ set: string; uid: string | null; element_id: number | null }[]> {
  if (ids.length === 0) return [];
  const r = await sql<{ set: string; uid: string | null; element_id: number | null }>`
    select s.code as set, s.uid, m.element_id
    from data_set s left join data_set_element m on m.data_set_id = s.id
    where s.uid = any(${ids}::text[]) or s.code = any(${ids}::text[])`.execute(db);
  return r.rows;
}

/** Units named by uid or code, in every tree, with the date their tree came into force. */
export async function unitsNamed(db: Db, id: string): Promise<OutlierUnitRow[]> {
  const r = await sql<OutlierUnitRow>`
    select u.id, u.code, u.uid, u.version, u.path, h.valid_from::text as valid_from
    from org_unit u join hierarchy_version h on h.id = u.version
    where u.uid = ${id} or u.code = ${id}
    order by h.valid_from desc`.execute(db);
  return r.rows.map((u) => ({ ...u, valid_from: dateOnly(u.valid_from) }));
}

// ---------------------------------------------------------------------------------------------
// The query

const KEYS = sql.raw('element_id, unit_id, option_id, attribute_id');

/** Season slot, slot count and window reach of a period (domain/outlier.ts `seasonSlot`). */
const SLOT = sql.raw(`case p.type
    when 'day' then ((extract(doy from p.start_date)::int - 1) / 7)
    when 'week' then extract(week from p.start_date)::int - 1
    when 'month' then extract(month from p.start_date)::int - 1
    else 0 end`);
const SLOTS = sql.raw(
  `case p.type when 'day' then 53 when 'week' then 53 when 'month' then 12 else 1 end`,
);
const REACH = sql.raw(
  `case p.type when 'day' then 1 when 'week' then 2 when 'month' then 1 else 0 end`,
);

/** What `findOutliers` looks up first: the units under the unit, and the periods' ids. */
interface Resolved {
  unitIds: number[];
  /** candidate periods (within start–end) */
  rangePeriods: number[];
  /** periods the statistics use; undefined = every stored value */
  dataPeriods?: number[];
}

/**
 * The values searched: at the units under the unit, of the elements, numeric; `in_range` = a
 * candidate, `in_data` = counted in the statistics. Units and periods come as arrays of ids
 * (hashed by the planner) rather than joins: a third of the time of a scan of millions.
 */
function values(q: OutlierQuery, k: Resolved, seasonal: boolean): RawBuilder<unknown> {
  const inRange = sql`d.period_id = any(${k.rangePeriods}::int[])`;
  const inData =
    k.dataPeriods === undefined ? sql`true` : sql`d.period_id = any(${k.dataPeriods}::int[])`;
  return sql`
    select d.element_id, d.unit_id, d.option_id, d.attribute_id, d.period_id, d.value,
      d.followup, ${inRange} as in_range, ${inData} as in_data
      ${seasonal ? sql`, p.type, ${SLOT} as slot, ${SLOTS} as nslots, ${REACH} as reach` : sql``}
    from data_value d
    ${seasonal ? sql`join period p on p.id = d.period_id` : sql``}
    where d.element_id = any(${q.elementIds}::int[]) and d.unit_id = any(${k.unitIds}::int[])
      and d.value is not null and (${inRange} or ${inData})`;
}

/**
 * Per series, what the scale-slip check needs: the sum of ln |x| and the count of the non-zero
 * values counted in the statistics (each value is then compared with the others' geometric mean).
 */
const LOGS = sql`
  select ${KEYS},
    sum(ln(abs(nullif(value, 0)))) filter (where in_data) as sum_ln,
    count(nullif(value, 0)) filter (where in_data) as n_nz
  from v group by ${KEYS}`;

/** Whether v's value is a scale slip against its series' other non-zero values (`g`: LOGS). */
function slip(q: OutlierQuery, g = sql.raw('g')): RawBuilder<boolean> {
  // The others' mean ln: the series' sum less the value's own when it was counted.
  // (nullif: ln(0) is an error, and SQL does not promise to test v.value <> 0 first.)
  const own = sql`ln(abs(nullif(v.value, 0)))`;
  const n = sql`(${g}.n_nz - case when v.in_data then 1 else 0 end)`;
  const others = sql`((${g}.sum_ln - case when v.in_data then ${own} else 0 end) / nullif(${n}, 0))`;
  return sql<boolean>`coalesce(abs(${own} - ${others}) >= ln(${q.slipRatio}::float8), false)`;
}

/** The units under the unit and the periods' ids (see `values`). */
export async function resolve(db: Db, q: OutlierQuery): Promise<Resolved> {
  const units = await sql<{ id: number }>`select unit_id as id from org_unit_ancestor
    where ancestor_id = ${q.unitId}`.execute(db);
  const periods = (from: string | undefined, to: string | undefined) =>
    sql<{ id: number }>`select id from period where
      ${from === undefined ? sql`true` : sql`start_date >= ${from}::date`}
      and ${to === undefined ? sql`true` : sql`end_date <= ${to}::date`}`
      .execute(db)
      .then((r) => r.rows.map((x) => x.id));
  return {
    unitIds: units.rows.map((u) => u.id),
    rangePeriods: await periods(q.start, q.end),
    dataPeriods:
      q.dataStart === undefined && q.dataEnd === undefined
        ? undefined
        : await periods(q.dataStart, q.dataEnd),
  };
}

/**
 * A cheap first sieve over every value of a series `s` (mid, sd, sum_ln, n_nz; `w` = the width
 * of the flagged band in units of sd): outside mid ± w, or beyond the scale-slip bounds. The
 * slip bounds are the exact rearrangement of |ln|x| − mean ln of the others| ≥ ln(ratio): for a
 * value counted in the sum S of n logs, ln|x| ≥ (S + (n − 1)·L) / n or ≤ (S − (n − 1)·L) / n;
 * for one not counted, S/n ± L. Comparisons only, no logarithm per value; the exact scores are
 * computed for what passes.
 */
function sieve(q: OutlierQuery, w: RawBuilder<unknown>): RawBuilder<boolean> {
  const L = sql`ln(${q.slipRatio}::float8)`;
  const hiIn = sql`exp((s.sum_ln + (s.n_nz - 1) * ${L}) / s.n_nz)`;
  const loIn = sql`exp((s.sum_ln - (s.n_nz - 1) * ${L}) / s.n_nz)`;
  const hiOut = sql`exp(s.sum_ln / s.n_nz + ${L})`;
  const loOut = sql`exp(s.sum_ln / s.n_nz - ${L})`;
  return sql<boolean>`((s.sd > 0 and (v.value <= s.mid - ${w} or v.value >= s.mid + ${w}))
    or (v.value <> 0 and case when v.in_data then s.n_nz > 1
      and (abs(v.value) >= ${hiIn} or abs(v.value) <= ${loIn})
      else s.n_nz > 0 and (abs(v.value) >= ${hiOut} or abs(v.value) <= ${loOut}) end))`;
}

/** Z_SCORE's statistics of each series, one grouped pass over v. */
function zStats(q: OutlierQuery, candidatesOnly = false): RawBuilder<unknown> {
  const L = sql`ln(${q.slipRatio}::float8)`;
  const w = sql`stddev_pop(value) filter (where in_data) * ${q.threshold}::float8`;
  const mid = sql`avg(value) filter (where in_data)`;
  const sumLn = sql`sum(ln(abs(nullif(value, 0)))) filter (where in_data)`;
  const n = sql`count(nullif(value, 0)) filter (where in_data)`;
  // Only the series that can hold an outlier: a value beyond mid ± w, or a magnitude beyond
  // the loosest scale-slip bounds (those of a value counted in the sum, see \`sieve\`).
  // (Over every value, not only the candidates: a superset, one evaluation fewer per value.)
  const having = sql`having (${w} > 0 and (max(value) >= ${mid} + ${w} or min(value) <= ${mid} - ${w}))
    or (${n} > 0 and (greatest(max(value), -min(value)) >= exp((${sumLn} + (${n} - 1) * ${L}) / ${n})
      or min(abs(nullif(value, 0))) <= exp((${sumLn} - (${n} - 1) * ${L}) / ${n})))`;
  return sql`select ${KEYS}, ${mid} as mid, stddev_pop(value) filter (where in_data) as sd,
      ${sumLn} as sum_ln, ${n}::int as n_nz
    from v group by ${KEYS} ${candidatesOnly ? having : sql``}`;
}

/** Z_SCORE's statistics of the series that can hold an outlier, as arrays (for unnest). */
export interface ZStats {
  element_id: number[];
  unit_id: number[];
  option_id: number[];
  attribute_id: number[];
  mid: number[];
  sd: number[];
  sum_ln: number[];
  n_nz: number[];
}

/** The statement of `findOutliers` (exported for EXPLAIN in benches). */
export function outlierStatement(
  q: OutlierQuery,
  k: Resolved,
  stats?: ZStats,
): RawBuilder<OutlierRow> {
  const thr = q.threshold;
  const seasonal = q.algorithm === 'SEASONAL';
  let scored: RawBuilder<unknown>;
  if (q.algorithm === 'Z_SCORE') {
    scored = sql`
      s as (${
        stats
          ? sql`select * from unnest(${stats.element_id}::int[], ${stats.unit_id}::int[],
              ${stats.option_id}::int[], ${stats.attribute_id}::int[], ${stats.mid}::float8[],
              ${stats.sd}::float8[], ${stats.sum_ln}::float8[], ${stats.n_nz}::int[])
              as s (element_id, unit_id, option_id, attribute_id, mid, sd, sum_ln, n_nz)`
          : sql`${zStats(q)}`
      }),
      r as (
        select v.element_id, v.unit_id, v.option_id, v.attribute_id, v.period_id, v.value,
          v.followup, s.mid as middle, s.sd as std_dev, abs(v.value - s.mid) as abs_dev,
          case when s.sd > 0 then abs(v.value - s.mid) / s.sd end as z_score,
          s.mid - s.sd * ${thr}::float8 as lower_bound, s.mid + s.sd * ${thr}::float8 as upper_bound,
          ${slip(q, sql.raw('s'))} as scale_slip, null::int as baseline
        from v join s using (element_id, unit_id, option_id, attribute_id)
        where v.in_range and ${sieve(q, sql`s.sd * ${thr}::float8`)})`;
  } else if (q.algorithm === 'MOD_Z_SCORE') {
    scored = sql`
      m as (select ${KEYS},
          percentile_cont(0.5) within group (order by value) filter (where in_data) as mid,
          sum(ln(abs(nullif(value, 0)))) filter (where in_data) as sum_ln,
          count(nullif(value, 0)) filter (where in_data) as n_nz
        from v group by ${KEYS}),
      s as (select v.element_id, v.unit_id, v.option_id, v.attribute_id, m.mid, m.sum_ln,
          m.n_nz, percentile_cont(0.5) within group (order by abs(v.value - m.mid))
            filter (where v.in_data) as sd
        from v join m using (element_id, unit_id, option_id, attribute_id)
        group by v.element_id, v.unit_id, v.option_id, v.attribute_id, m.mid, m.sum_ln, m.n_nz),
      r as (
        select v.element_id, v.unit_id, v.option_id, v.attribute_id, v.period_id, v.value,
          v.followup, s.mid as middle, s.sd as std_dev, abs(v.value - s.mid) as abs_dev,
          case when s.sd > 0 then 0.6745 * abs(v.value - s.mid) / s.sd end as z_score,
          s.mid - s.sd * ${thr}::float8 / 0.6745 as lower_bound,
          s.mid + s.sd * ${thr}::float8 / 0.6745 as upper_bound,
          ${slip(q, sql.raw('s'))} as scale_slip, null::int as baseline
        from v join s using (element_id, unit_id, option_id, attribute_id)
        where v.in_range and ${sieve(q, sql`s.sd * ${thr}::float8 / 0.6745`)})`;
  } else if (q.algorithm === 'MIN_MAX') {
    scored = sql`
      r as (
        select v.element_id, v.unit_id, v.option_id, v.attribute_id, v.period_id, v.value,
          v.followup, null::float8 as middle, null::float8 as std_dev,
          case when v.value < mm.min_value then mm.min_value - v.value
            when v.value > mm.max_value then v.value - mm.max_value else 0 end as abs_dev,
          null::float8 as z_score, mm.min_value as lower_bound, mm.max_value as upper_bound,
          ${slip(q)} as scale_slip, null::int as baseline
        from v join g using (element_id, unit_id, option_id, attribute_id)
        left join min_max_value mm on mm.element_id = v.element_id and mm.unit_id = v.unit_id
          and mm.option_id = v.option_id
        where v.in_range)`;
  } else {
    // Each value counted in the statistics joins the baseline of every slot within its reach.
    scored = sql`
      e as (select v.element_id, v.unit_id, v.option_id, v.attribute_id, v.type,
          (((v.slot + o.o) % v.nslots) + v.nslots) % v.nslots as center, v.value
        from v cross join lateral generate_series(-v.reach, v.reach) as o (o)
        where v.in_data),
      b as (select element_id, unit_id, option_id, attribute_id, type, center,
          percentile_cont(0.5) within group (order by value) as mid, count(*)::int as n
        from e group by element_id, unit_id, option_id, attribute_id, type, center),
      s as (select b.element_id, b.unit_id, b.option_id, b.attribute_id, b.type, b.center,
          b.mid, b.n, percentile_cont(0.5) within group (order by abs(e.value - b.mid)) as mad
        from e join b using (element_id, unit_id, option_id, attribute_id, type, center)
        group by b.element_id, b.unit_id, b.option_id, b.attribute_id, b.type, b.center,
          b.mid, b.n),
      k as (select s.*, greatest(1.4826 * s.mad, 0.1 * abs(s.mid)) as spread from s
        where s.n >= 5),
      r as (
        select v.element_id, v.unit_id, v.option_id, v.attribute_id, v.period_id, v.value,
          v.followup, k.mid as middle, k.mad as std_dev, abs(v.value - k.mid) as abs_dev,
          case when k.spread > 0 then abs(v.value - k.mid) / k.spread end as z_score,
          k.mid - k.spread * ${thr}::float8 as lower_bound,
          k.mid + k.spread * ${thr}::float8 as upper_bound,
          ${slip(q)} as scale_slip, k.n as baseline
        from v join g using (element_id, unit_id, option_id, attribute_id)
        left join k on k.element_id = v.element_id and k.unit_id = v.unit_id
          and k.option_id = v.option_id and k.attribute_id = v.attribute_id
          and k.type = v.type and k.center = v.slot
        where v.in_range)`;
  }
  const flagged =
    q.algorithm === 'MIN_MAX'
      ? sql`(r.lower_bound is not null and (r.value < r.lower_bound or r.value > r.upper_bound))`
      : sql`(r.z_score >= ${thr}::float8)`;
  const key =
    q.orderBy === 'MEAN_ABS_DEV' || q.algorithm === 'MIN_MAX'
      ? sql.raw('r.abs_dev')
      : sql.raw('r.z_score');
  const dir = sql.raw(q.descending ? 'desc nulls last' : 'asc nulls first');
  return sql<OutlierRow>`
    with v as ${sql.raw(q.algorithm === 'Z_SCORE' ? 'not materialized' : 'materialized')} (
      ${values(q, k, seasonal)}),
    ${q.algorithm === 'MIN_MAX' || seasonal ? sql`g as (${LOGS}),` : sql``}
    ${scored},
    o as (select r.* from r where ${flagged} or r.scale_slip
      order by ${key} ${dir}, r.abs_dev desc, r.unit_id, r.period_id limit ${q.maxResults})
    select coalesce(de.uid, de.code) as de, de.name_vi as de_name_vi, de.name_en as de_name_en,
      p.pid, p.type, p.start_date::text as start_date,
      coalesce(u.uid, u.code) as ou, u.full_name as ou_name,
      coalesce(bo.uid, bo.code) as coc, bo.name_en as coc_name,
      coalesce(ao.uid, ao.code) as aoc, ao.name_en as aoc_name,
      o.value, o.middle, o.std_dev, o.abs_dev, o.z_score, o.lower_bound, o.upper_bound,
      o.followup, o.scale_slip, o.baseline
    from o
    join data_element de on de.id = o.element_id
    join period p on p.id = o.period_id
    join org_unit u on u.id = o.unit_id
    join breakdown_option bo on bo.id = o.option_id
    join attribute_option ao on ao.id = o.attribute_id
    order by ${
      q.orderBy === 'MEAN_ABS_DEV' || q.algorithm === 'MIN_MAX'
        ? sql.raw('o.abs_dev')
        : sql.raw('o.z_score')
    } ${dir}, o.abs_dev desc, o.unit_id, o.period_id`;
}

/** The outliers of a query, ordered and limited, with names and DHIS2 identifiers. */
export async function findOutliers(db: Db, q: OutlierQuery): Promise<OutlierRow[]> {
  const k = await resolve(db, q);
  if (k.unitIds.length === 0 || k.rangePeriods.length === 0) return [];
  // Every join is on equal keys between millions of values and thousands of series, but the
  // planner guesses a grouped CTE at 200 rows and would loop over it for each value (minutes on
  // 200 communes × 3 years): hash joins only, and memory for the sorts of percentile_cont.
  const res = await db.transaction().execute(async (tx) => {
    await sql`set local enable_nestloop = off`.execute(tx);
    await sql`set local work_mem = '128MB'`.execute(tx);
    if (q.algorithm !== 'Z_SCORE') return outlierStatement(q, k).execute(tx);
    // Z_SCORE in two passes: the series that can hold an outlier (a parallel grouped pass on
    // the server engine), then their values, the statistics given as constants so that each
    // worker sieves its share of the scan and only outliers are gathered (PostgreSQL, 1.2 M
    // values: 850 → 600 ms). No candidate series: no second pass.
    const found = await sql<{
      element_id: number;
      unit_id: number;
      option_id: number;
      attribute_id: number;
      mid: number;
      sd: number;
      sum_ln: number | null;
      n_nz: number;
    }>`with v as (${values(q, k, false)}) ${zStats(q, true)}`.execute(tx);
    if (found.rows.length === 0) return { rows: [] as OutlierRow[] };
    const col = <K extends keyof ZStats>(key: K) => found.rows.map((r) => r[key] as number);
    const stats: ZStats = {
      element_id: col('element_id'),
      unit_id: col('unit_id'),
      option_id: col('option_id'),
      attribute_id: col('attribute_id'),
      mid: col('mid'),
      sd: col('sd'),
      sum_ln: col('sum_ln'),
      n_nz: col('n_nz'),
    };
    await sql`set local parallel_setup_cost = 100`.execute(tx);
    await sql`set local parallel_tuple_cost = 0.001`.execute(tx);
    return outlierStatement(q, { ...k, unitIds: [...new Set(stats.unit_id)] }, stats).execute(tx);
  });
  return res.rows.map((r) => ({ ...r, start_date: dateOnly(r.start_date) }));
}

// ---------------------------------------------------------------------------------------------
// Min–max ranges

export interface MinMaxRow {
  unit_id: number;
  element_id: number;
  option_id: number;
  min_value: number;
  max_value: number;
  generated: boolean;
}

/** Sets (or replaces) one range by hand. */
export async function setMinMax(
  db: Db,
  r: Omit<MinMaxRow, 'generated'> & { generated?: boolean },
  by: string,
): Promise<void> {
  await sql`insert into min_max_value (unit_id, element_id, option_id, min_value, max_value,
      generated, updated_by)
    values (${r.unit_id}, ${r.element_id}, ${r.option_id}, ${r.min_value}, ${r.max_value},
      ${r.generated ?? false}, ${by})
    on conflict (element_id, unit_id, option_id) do update set min_value = excluded.min_value,
      max_value = excluded.max_value, generated = excluded.generated,
      updated_by = excluded.updated_by, updated_at = now()`.execute(db);
}

/** Removes one range; whether there was one. */
export async function deleteMinMax(
  db: Db,
  k: { unit_id: number; element_id: number; option_id: number },
): Promise<boolean> {
  const r = await sql`delete from min_max_value where unit_id = ${k.unit_id}
    and element_id = ${k.element_id} and option_id = ${k.option_id}`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

/**
 * Generates ranges, DHIS2's way: mean ± factor · SD (population) of each series' stored values,
 * for the elements at every unit under the unit; ranges set by hand are kept. Returns how many
 * were written.
 */
export async function generateMinMax(
  db: Db,
  q: { elementIds: number[]; unitId: number; factor: number },
  by: string,
): Promise<number> {
  const r = await sql`insert into min_max_value (unit_id, element_id, option_id, min_value,
      max_value, generated, updated_by)
    select d.unit_id, d.element_id, d.option_id,
      avg(d.value) - ${q.factor}::float8 * stddev_pop(d.value),
      avg(d.value) + ${q.factor}::float8 * stddev_pop(d.value), true, ${by}
    from org_unit_ancestor a join data_value d on d.unit_id = a.unit_id
    where a.ancestor_id = ${q.unitId} and d.element_id = any(${q.elementIds}::int[])
      and d.value is not null
    group by d.unit_id, d.element_id, d.option_id
    on conflict (element_id, unit_id, option_id) do update set min_value = excluded.min_value,
      max_value = excluded.max_value, updated_by = excluded.updated_by, updated_at = now()
      where min_max_value.generated`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** Breakdown options by uid or code (a range names one; default when none). */
export async function optionNamed(db: Db, id: string | undefined): Promise<number | undefined> {
  const r = await sql<{ id: number }>`select id from breakdown_option
    where ${id === undefined ? sql`code = 'default'` : sql`uid = ${id} or code = ${id}`}
    order by id limit 1`.execute(db);
  return r.rows[0]?.id;
}

/** The outlier queries bound to one handle (db/store.ts `Repos.outliers`). */
export class OutlierRepo {
  constructor(private readonly db: Db) {}
  elementsNamed(ids: string[]) {
    return elementsNamed(this.db, ids);
  }
  elementsById(ids: number[]) {
    return elementsById(this.db, ids);
  }
  dataSetElements(ids: string[]) {
    return dataSetElements(this.db, ids);
  }
  unitsNamed(id: string) {
    return unitsNamed(this.db, id);
  }
  find(q: OutlierQuery) {
    return findOutliers(this.db, q);
  }
  optionNamed(id: string | undefined) {
    return optionNamed(this.db, id);
  }
  setMinMax(r: Omit<MinMaxRow, 'generated'> & { generated?: boolean }, by: string) {
    return setMinMax(this.db, r, by);
  }
  deleteMinMax(k: { unit_id: number; element_id: number; option_id: number }) {
    return deleteMinMax(this.db, k);
  }
  generateMinMax(q: { elementIds: number[]; unitId: number; factor: number }, by: string) {
    return generateMinMax(this.db, q, by);
  }
}
