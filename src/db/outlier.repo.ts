import { sql, type RawBuilder } from 'kysely';
import type { Db } from './client.ts';
import { MOD_Z_FACTOR, medianAndMadPg } from '../domain/outlier.ts';

/**
 * Outlier detection (issue 17): the statistics are computed in grouped aggregates over the values
 * of the asked elements at the units under one unit (org_unit_ancestor), so that a year of daily
 * values of every commune (millions of values) never reaches JavaScript one row at a time; only
 * the outliers, ordered and limited, come back. Z_SCORE and MOD_Z_SCORE read the values twice
 * (`findOutliers`): each series' statistics, then the values beyond per-unit bounds; MOD_Z_SCORE
 * takes each series' values as one binary array and computes its median and MAD in JavaScript,
 * to the bit as `percentile_cont` would. The numbers are those of domain/outlier.ts (the
 * definition, tested against simple-statistics).
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

/**
 * Pass 1 of Z_SCORE and MOD_Z_SCORE: one grouped pass over the values counted in the statistics
 * (`in_data`), parallel on the server engine for Z_SCORE. Z_SCORE: the mean and population SD
 * (PostgreSQL's `avg` and `stddev_pop`, DHIS2's numbers). MOD_Z_SCORE: each series' values as
 * 8-byte floats (`array_send`: binary, 12 bytes a value on the wire, no text to parse), whose median
 * and MAD are computed in JavaScript exactly as `percentile_cont(0.5)` (domain/outlier.ts
 * `medianAndMadPg`): two sorts per series in SQL took ten times as long. Both: the sum of ln |x|
 * and the count of non-zero values (the scale-slip check).
 */
export function seriesStatement(q: OutlierQuery, k: Resolved): RawBuilder<unknown> {
  const inData =
    k.dataPeriods === undefined ? sql`true` : sql`d.period_id = any(${k.dataPeriods}::int[])`;
  const stats =
    q.algorithm === 'MOD_Z_SCORE'
      ? sql`array_send(array_agg(d.value)) as xs`
      : sql`avg(d.value) as mid, stddev_pop(d.value) as sd`;
  // One element (the usual question): grouped by three keys, the element a constant; each
  // grouping key costs a hash and a comparison per value read.
  const one = q.elementIds.length === 1 ? q.elementIds[0]! : undefined;
  return sql`select ${one === undefined ? sql`d.element_id` : sql`${one}::int`} as element_id,
      d.unit_id, d.option_id, d.attribute_id, ${stats},
      sum(ln(abs(nullif(d.value, 0)))) as sum_ln, count(nullif(d.value, 0))::int as n_nz
    from data_value d
    where ${elementIs(q)} and ${unitIn(k.unitIds)} and d.value is not null and ${inData}
    group by ${one === undefined ? sql`d.element_id, ` : sql``}d.unit_id, d.option_id,
      d.attribute_id`;
}

/** `d.element_id` among the asked elements (an equality for one). */
function elementIs(q: OutlierQuery): RawBuilder<boolean> {
  return q.elementIds.length === 1
    ? sql<boolean>`d.element_id = ${q.elementIds[0]!}::int`
    : sql<boolean>`d.element_id = any(${q.elementIds}::int[])`;
}

/** Unit ids spread wider than this: a hashed list rather than a lookup array. */
const UNIT_ARRAY_SPAN = 1 << 20;

/**
 * `d.unit_id` among the units: a constant boolean array indexed by unit id (one lookup per
 * value, cheaper than hashing it against a list of 10,000 ids; NULL, so false, outside it), or
 * the hashed list when the ids spread too wide.
 */
function unitIn(ids: number[]): RawBuilder<boolean> {
  let min = Infinity;
  let max = -Infinity;
  for (const u of ids) {
    if (u < min) min = u;
    if (u > max) max = u;
  }
  if (ids.length === 0 || max - min >= UNIT_ARRAY_SPAN)
    return sql<boolean>`d.unit_id = any(${ids}::int[])`;
  const member = new Array<boolean>(max - min + 1).fill(false);
  for (const u of ids) member[u - min] = true;
  return sql<boolean>`(${member}::bool[])[d.unit_id - ${min - 1}::int]`;
}

/** Each series' statistics (pass 1), as arrays (for unnest in pass 2). */
export interface SeriesStats {
  element_id: number[];
  unit_id: number[];
  option_id: number[];
  attribute_id: number[];
  /** mean (Z_SCORE) or median (MOD_Z_SCORE) */
  mid: number[];
  /** population SD (Z_SCORE) or MAD (MOD_Z_SCORE) */
  sd: number[];
  sum_ln: (number | null)[];
  n_nz: number[];
}

/**
 * Pass 2's first sieve, per unit: a value can be flagged only if value ≥ hi, value ≤ lo, or
 * |value| ≤ near (a scale slip towards zero) of its unit; each bound the loosest over the unit's
 * series (several elements or options may share a unit), widened by a relative 1e-9 so that
 * rounding here can only let more values through. The bounds are constant arrays indexed by unit
 * id (`slot`), each tried only when the value passes the loosest bound of all units (`all`), so
 * that most values cost three comparisons with constants and no lookup; only the few that pass
 * meet their series' statistics (a hash join) for the exact test.
 */
export interface UnitSieve {
  /** slot of unit u (1-based): u − base when the ids fit, else (u − base) mod size + 1 */
  base: number;
  size: number;
  wraps: boolean;
  hi: number[];
  lo: number[];
  near: number[];
  all: { hi: number; lo: number; near: number };
}

/** At most this many slots (units sharing a slot share the loosest bounds). */
const SIEVE_SLOTS = 1 << 16;
const WIDEN = 1e-9;

export function unitSieve(q: OutlierQuery, st: SeriesStats, allCounted: boolean): UnitSieve {
  const n = st.unit_id.length;
  let min = Infinity;
  let max = -Infinity;
  for (const u of st.unit_id) {
    if (u < min) min = u;
    if (u > max) max = u;
  }
  if (n === 0) min = max = 0;
  const wraps = max - min + 1 > SIEVE_SLOTS;
  const size = wraps ? SIEVE_SLOTS : Math.max(1, max - min + 1);
  const hi = new Array<number>(size).fill(Number.MAX_VALUE);
  const lo = new Array<number>(size).fill(-Number.MAX_VALUE);
  const near = new Array<number>(size).fill(-1);
  const width = q.algorithm === 'MOD_Z_SCORE' ? q.threshold / MOD_Z_FACTOR : q.threshold;
  const L = Math.log(q.slipRatio);
  for (let i = 0; i < n; i++) {
    const u = (st.unit_id[i]! - min) % size;
    const mid = st.mid[i]!;
    const sd = st.sd[i]!;
    // The method's band: |x − mid| ≥ width · sd.
    if (sd > 0) {
      const w = sd * width;
      const slack = WIDEN * (Math.abs(mid) + w);
      hi[u] = Math.min(hi[u]!, mid + w - slack);
      lo[u] = Math.max(lo[u]!, mid - w + slack);
    }
    // The scale slip (see `sieve`): |x| beyond the bounds of a value counted in the sum S of
    // nz logs, or (when a data range leaves values out of the statistics) of one not counted.
    const S = st.sum_ln[i];
    const nz = st.n_nz[i]!;
    if (S === null || S === undefined || nz === 0) continue;
    let up = Infinity;
    let down = 0;
    if (nz > 1) {
      up = Math.exp((S + (nz - 1) * L) / nz);
      down = Math.exp((S - (nz - 1) * L) / nz);
    }
    if (!allCounted) {
      up = Math.min(up, Math.exp(S / nz + L));
      down = Math.max(down, Math.exp(S / nz - L));
    }
    if (up < Infinity) {
      const a = up * (1 - WIDEN);
      hi[u] = Math.min(hi[u]!, a);
      lo[u] = Math.max(lo[u]!, -a);
    }
    if (down > 0) near[u] = Math.max(near[u]!, down * (1 + WIDEN));
  }
  const all = { hi: Number.MAX_VALUE, lo: -Number.MAX_VALUE, near: -1 };
  for (let u = 0; u < size; u++) {
    all.hi = Math.min(all.hi, hi[u]!);
    all.lo = Math.max(all.lo, lo[u]!);
    all.near = Math.max(all.near, near[u]!);
  }
  return { base: wraps ? min : min - 1, size, wraps, hi, lo, near, all };
}

/**
 * Pass 2's values: the candidates (periods within start–end) of the elements that pass the unit
 * sieve; `in_data` = counted in the statistics. (Units outside the subtree may pass the sieve:
 * the join with the series of pass 1 leaves them out.)
 */
function sievedValues(q: OutlierQuery, k: Resolved, f: UnitSieve): RawBuilder<unknown> {
  const inData =
    k.dataPeriods === undefined ? sql`true` : sql`d.period_id = any(${k.dataPeriods}::int[])`;
  const slot = f.wraps
    ? sql`(d.unit_id - ${f.base}::int) % ${f.size}::int + 1`
    : sql`d.unit_id - ${f.base}::int`;
  const at = (xs: number[]) => sql`(${xs}::float8[])[${slot}]`;
  const tests = [
    sql`(d.value >= ${f.all.hi}::float8 and d.value >= ${at(f.hi)})`,
    sql`(d.value <= ${f.all.lo}::float8 and d.value <= ${at(f.lo)})`,
  ];
  if (f.all.near >= 0)
    tests.push(sql`(abs(d.value) <= ${f.all.near}::float8 and abs(d.value) <= ${at(f.near)})`);
  return sql`
    select d.element_id, d.unit_id, d.option_id, d.attribute_id, d.period_id, d.value,
      d.followup, ${inData} as in_data
    from data_value d
    where ${elementIs(q)}
      -- (a case, so that the planner keeps the cheap sieve before the test of the period)
      and case when ${sql.join(tests, sql` or `)}
        then d.period_id = any(${k.rangePeriods}::int[]) else false end`;
}

/** What pass 1 gives pass 2 (Z_SCORE and MOD_Z_SCORE). */
interface Given {
  stats: SeriesStats;
  sieve: UnitSieve;
}

/**
 * The statement of `findOutliers`: for Z_SCORE and MOD_Z_SCORE pass 2, given pass 1's statistics
 * (exported for EXPLAIN in benches).
 */
export function outlierStatement(
  q: OutlierQuery,
  k: Resolved,
  given?: Given,
): RawBuilder<OutlierRow> {
  const thr = q.threshold;
  const seasonal = q.algorithm === 'SEASONAL';
  const scoredByStats = q.algorithm === 'Z_SCORE' || q.algorithm === 'MOD_Z_SCORE';
  if (scoredByStats && !given) throw new Error(`${q.algorithm}: pass 1's statistics are needed`);
  let scored: RawBuilder<unknown>;
  if (scoredByStats && given) {
    const st = given.stats;
    // The numbers as DHIS2 computes them: z = |x − mid| / sd, bounds mid ± thr · sd (Z_SCORE);
    // z = 0.6745 · |x − median| / MAD, bounds median ± thr · MAD / 0.6745 (MOD_Z_SCORE).
    const mod = q.algorithm === 'MOD_Z_SCORE';
    const w = mod ? sql`s.sd * ${thr}::float8 / 0.6745` : sql`s.sd * ${thr}::float8`;
    const z = mod ? sql`0.6745 * abs(v.value - s.mid) / s.sd` : sql`abs(v.value - s.mid) / s.sd`;
    const bound = (sign: '-' | '+') =>
      mod
        ? sql`s.mid ${sql.raw(sign)} s.sd * ${thr}::float8 / 0.6745`
        : sql`s.mid ${sql.raw(sign)} s.sd * ${thr}::float8`;
    scored = sql`
      s as (select * from unnest(${st.element_id}::int[], ${st.unit_id}::int[],
          ${st.option_id}::int[], ${st.attribute_id}::int[], ${st.mid}::float8[],
          ${st.sd}::float8[], ${st.sum_ln}::float8[], ${st.n_nz}::int[])
          as s (element_id, unit_id, option_id, attribute_id, mid, sd, sum_ln, n_nz)),
      r as (
        select v.element_id, v.unit_id, v.option_id, v.attribute_id, v.period_id, v.value,
          v.followup, s.mid as middle, s.sd as std_dev, abs(v.value - s.mid) as abs_dev,
          case when s.sd > 0 then ${z} end as z_score,
          ${bound('-')} as lower_bound, ${bound('+')} as upper_bound,
          ${slip(q, sql.raw('s'))} as scale_slip, null::int as baseline
        from v join s using (element_id, unit_id, option_id, attribute_id)
        where ${sieve(q, w)})`;
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
    with v as ${sql.raw(scoredByStats ? 'not materialized' : 'materialized')} (
      ${given ? sievedValues(q, k, given.sieve) : values(q, k, seasonal)}),
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

/**
 * A one-dimensional float8[] without NULLs in PostgreSQL's binary form (`array_send`): ndim,
 * has-nulls flag, element type, then per dimension its length and lower bound, then per element
 * a 4-byte length (8) and the 8-byte big-endian value.
 */
function float8ArrayFromBinary(b: Uint8Array): Float64Array {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ndim = view.getInt32(0);
  if (ndim === 0) return new Float64Array(0);
  if (ndim !== 1 || view.getInt32(4) !== 0) throw new Error('float8[]: one dimension, no NULLs');
  const n = view.getInt32(12);
  const xs = new Float64Array(n);
  for (let i = 0, at = 20; i < n; i++, at += 12) xs[i] = view.getFloat64(at + 4);
  return xs;
}

/** Pass 1 (`seriesStatement`) read into arrays; MOD_Z_SCORE's median and MAD computed here. */
export async function seriesStats(tx: Db, q: OutlierQuery, k: Resolved): Promise<SeriesStats> {
  const st: SeriesStats = {
    element_id: [],
    unit_id: [],
    option_id: [],
    attribute_id: [],
    mid: [],
    sd: [],
    sum_ln: [],
    n_nz: [],
  };
  const rows = await seriesStatement(q, k)
    .$castTo<{
      element_id: number;
      unit_id: number;
      option_id: number;
      attribute_id: number;
      mid?: number;
      sd?: number;
      xs?: Uint8Array;
      sum_ln: number | null;
      n_nz: number;
    }>()
    .execute(tx);
  for (const r of rows.rows) {
    let mid = r.mid;
    let sd = r.sd;
    if (r.xs) {
      const m = medianAndMadPg(float8ArrayFromBinary(r.xs));
      mid = m.median;
      sd = m.mad;
    }
    if (mid === undefined || sd === undefined || mid === null || sd === null) continue;
    st.element_id.push(r.element_id);
    st.unit_id.push(r.unit_id);
    st.option_id.push(r.option_id);
    st.attribute_id.push(r.attribute_id);
    st.mid.push(Number(mid));
    st.sd.push(Number(sd));
    st.sum_ln.push(r.sum_ln === null ? null : Number(r.sum_ln));
    st.n_nz.push(r.n_nz);
  }
  return st;
}

/** The outliers of a query, ordered and limited, with names and DHIS2 identifiers. */
export async function findOutliers(db: Db, q: OutlierQuery): Promise<OutlierRow[]> {
  const k = await resolve(db, q);
  if (k.unitIds.length === 0 || k.rangePeriods.length === 0) return [];
  const res = await db.transaction().execute(async (tx) => {
    // Every join is on equal keys between millions of values and thousands of series, but the
    // planner guesses a grouped CTE at 200 rows and would loop over it for each value (minutes on
    // 200 communes × 3 years): hash joins only, and memory for sorts and grouping.
    await sql`set local enable_nestloop = off`.execute(tx);
    await sql`set local work_mem = '128MB'`.execute(tx);
    if (q.algorithm !== 'Z_SCORE' && q.algorithm !== 'MOD_Z_SCORE')
      return outlierStatement(q, k).execute(tx);
    // Z_SCORE and MOD_Z_SCORE in two reads of the values (docs/benchmarks.md, "Outlier
    // detection"): pass 1, each series' statistics (one grouped pass); pass 2, the candidates
    // compared with per-unit bounds derived from them (constants, no join, parallel on the
    // server engine), the few that pass then scored exactly in SQL against their series.
    const stats = await seriesStats(tx, q, k);
    if (stats.unit_id.length === 0) return { rows: [] as OutlierRow[] };
    await sql`set local parallel_setup_cost = 100`.execute(tx);
    await sql`set local parallel_tuple_cost = 0.001`.execute(tx);
    const given = { stats, sieve: unitSieve(q, stats, k.dataPeriods === undefined) };
    return outlierStatement(q, k, given).execute(tx);
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

/** An attribute option by uid or code; the default (none) when not named. */
export async function attributeNamed(db: Db, id: string | undefined): Promise<number | undefined> {
  const r = await sql<{ id: number }>`select id from attribute_option
    where ${id === undefined ? sql`code = 'default'` : sql`uid = ${id} or code = ${id}`}
    order by id limit 1`.execute(db);
  return r.rows[0]?.id;
}

/**
 * One series: the values of an element, option and attribute stored at one unit for periods of
 * one type (within the data range, when given), oldest first — what the seasonal baseline of a
 * value is drawn from.
 */
export async function series(
  db: Db,
  q: {
    elementId: number;
    unitId: number;
    optionId: number;
    attributeId: number;
    type: string;
    dataStart?: string;
    dataEnd?: string;
  },
) {
  const r = await sql<{ pid: string; type: string; start_date: string; value: number }>`
    select p.pid, p.type, p.start_date, d.value
    from data_value d join period p on p.id = d.period_id
    where d.element_id = ${q.elementId} and d.unit_id = ${q.unitId}
      and d.option_id = ${q.optionId} and d.attribute_id = ${q.attributeId}
      and p.type = ${q.type} and d.value is not null
      and ${q.dataStart === undefined ? sql`true` : sql`p.start_date >= ${q.dataStart}::date`}
      and ${q.dataEnd === undefined ? sql`true` : sql`p.end_date <= ${q.dataEnd}::date`}
    order by p.start_date`.execute(db);
  return r.rows.map((x) => ({ ...x, value: Number(x.value) }));
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
  attributeNamed(id: string | undefined) {
    return attributeNamed(this.db, id);
  }
  series(q: Parameters<typeof series>[1]) {
    return series(this.db, q);
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
