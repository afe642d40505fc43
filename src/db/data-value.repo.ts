import { sql } from 'kysely';
import type { Db } from './client.ts';
import { insertMany } from './bulk.ts';
import type { Period } from '../domain/period.ts';
import type { ImportStrategy } from '../domain/data-value.ts';

export interface ElementInfo {
  id: number;
  code: string;
  valueType: string;
  breakdownId: number;
  zeroSignificant: boolean;
}

/**
 * Checked values of one batch, column by column: they travel to the database as one array
 * parameter per column and come back as a table through `unnest`, which is several times
 * cheaper than one JSON document per batch and needs no per-row object.
 */
export class ValueColumns {
  idx: number[] = [];
  unit_id: number[] = [];
  element_id: number[] = [];
  period_id: number[] = [];
  option_id: number[] = [];
  attribute_id: number[] = [];
  value: (number | null)[] = [];
  text_value: string[] = [];
  comment: (string | null)[] = [];
  followup: boolean[] = [];
  deleted: boolean[] = [];
  estimate: boolean[] = [];
  reported_yoy_pct: (number | null)[] = [];
  reported_prev_pct: (number | null)[] = [];

  get length(): number {
    return this.idx.length;
  }

  push(
    idx: number,
    unit: number,
    element: number,
    period: number,
    option: number,
    attribute: number,
    value: number | null,
    text: string,
    comment: string | null,
    followup: boolean,
    deleted: boolean,
    estimate: boolean,
    yoy: number | null,
    prev: number | null,
  ): void {
    this.idx.push(idx);
    this.unit_id.push(unit);
    this.element_id.push(element);
    this.period_id.push(period);
    this.option_id.push(option);
    this.attribute_id.push(attribute);
    this.value.push(value);
    this.text_value.push(text);
    this.comment.push(comment);
    this.followup.push(followup);
    this.deleted.push(deleted);
    this.estimate.push(estimate);
    this.reported_yoy_pct.push(yoy);
    this.reported_prev_pct.push(prev);
  }

  /** `unnest(...) as s(...)` over these columns; a column that is all null or all false is sent once. */
  table() {
    const col = <T>(name: string, type: string, values: T[], blank: T) =>
      values.every((v) => v === blank)
        ? sql`${sql.raw(`(${blank === null ? 'null' : 'false'})::${type}`)} as ${sql.raw(name)}`
        : null;
    const cols: [string, string, unknown[], unknown][] = [
      ['comment', 'text', this.comment, null],
      ['followup', 'boolean', this.followup, false],
      ['deleted', 'boolean', this.deleted, false],
      ['estimate', 'boolean', this.estimate, false],
      ['reported_yoy_pct', 'double precision', this.reported_yoy_pct, null],
      ['reported_prev_pct', 'double precision', this.reported_prev_pct, null],
    ];
    const arrays = [
      ['idx', 'int'],
      ['unit_id', 'int'],
      ['element_id', 'int'],
      ['period_id', 'int'],
      ['option_id', 'int'],
      ['attribute_id', 'int'],
      ['value', 'double precision'],
      ['text_value', 'text'],
    ].map(([n, t]) => ({ n: n!, t: t!, v: this[n as keyof ValueColumns] as unknown[] }));
    const constants = [];
    for (const [n, t, v, blank] of cols) {
      const c = col(n, t, v, blank);
      if (c) constants.push(c);
      else arrays.push({ n, t, v });
    }
    return sql`(select u.*${constants.length ? sql`, ${sql.join(constants)}` : sql``}
      from unnest(${sql.join(arrays.map((a) => sql`${a.v}::${sql.raw(a.t)}[]`))})
      as u(${sql.raw(arrays.map((a) => a.n).join(', '))}))`;
  }
}

const KEY = 'unit_id, element_id, period_id, option_id, attribute_id';
/** For a row `a` of org_unit_ancestor: whether its unit has units below it (is not a leaf). */
const HAS_UNITS_BELOW = sql.raw(
  'exists (select 1 from org_unit_ancestor c where c.ancestor_id = a.unit_id and c.depth > 0)',
);
/** data_value's primary key, period first: a period's values lie together, in one partition. */
const PARTITION_KEY = 'period_id, element_id, unit_id, option_id, attribute_id';
/** Period ids from 2^30 up go to bulk loads, a block of this many each (0004_value_partitions.sql). */
export const PERIOD_BLOCK = 100_000;
const FIRST_BLOCK = 1_073_741_824;
const BLOCK_LOCK = 7_401_004;
/** The columns a bulk load copies, in the order `copyLine` writes them. */
export const COPY_COLUMNS = [
  'unit_id',
  'element_id',
  'period_id',
  'option_id',
  'attribute_id',
  'value',
  'text_value',
  'estimate',
  'comment',
  'followup',
  'reported_yoy_pct',
  'reported_prev_pct',
  'stored_by',
];
const STAGE = `idx, ${KEY}, value, text_value, comment, followup, deleted, estimate, reported_yoy_pct, reported_prev_pct`;
const KEY_MATCH = sql.raw(
  KEY.split(', ')
    .map((k) => `d.${k} = s.${k}`)
    .join(' and '),
);

/** A block's rows hold the same key twice: found when its primary key is built. */
export class DuplicateKeysInBlock extends Error {
  constructor() {
    super('a bulk load holds the same key twice');
  }
}

/** Data values and what an import needs to resolve identifiers and write them. */
export class DataValueRepo {
  constructor(private readonly db: Db) {}

  /** Elements, breakdown options and attribute options by code and by uid. */
  async lookups() {
    const [elements, options, attributes, sets, locks] = await Promise.all([
      this.db
        .selectFrom('data_element')
        .select(['id', 'code', 'uid', 'value_type', 'breakdown_id', 'zero_significant'])
        .execute(),
      this.db
        .selectFrom('breakdown_option')
        .select(['id', 'code', 'uid', 'breakdown_id'])
        .execute(),
      this.db.selectFrom('attribute_option').select(['id', 'code', 'uid']).execute(),
      sql<{ element_id: number; data_set_id: number; expiry_days: number }>`
        select de.element_id, d.id as data_set_id, d.expiry_days
        from data_set_element de join data_set d on d.id = de.data_set_id`.execute(this.db),
      sql<{ period_id: number; data_set_id: number | null }>`
        select period_id, data_set_id from period_lock`.execute(this.db),
    ]);
    const byKey = <T extends { code: string; uid: string | null }>(rows: T[]) => {
      const m = new Map<string, T>();
      for (const r of rows) {
        m.set(r.code, r);
        if (r.uid) m.set(r.uid, r);
      }
      return m;
    };
    return {
      elements: byKey(
        elements.map((e) => ({
          id: e.id,
          code: e.code,
          uid: e.uid,
          valueType: e.value_type,
          breakdownId: e.breakdown_id,
          zeroSignificant: e.zero_significant,
        })),
      ),
      options: byKey(options),
      attributes: byKey(attributes),
      dataSetsOf: sets.rows.reduce((m, r) => {
        m.set(r.element_id, [
          ...(m.get(r.element_id) ?? []),
          { id: r.data_set_id, expiryDays: r.expiry_days },
        ]);
        return m;
      }, new Map<number, { id: number; expiryDays: number }[]>()),
      locks: new Set(locks.rows.map((l) => `${l.period_id}:${l.data_set_id ?? '*'}`)),
    };
  }

  /** The units of a version by code and by uid. */
  async units(version: string) {
    const rows = await this.db
      .selectFrom('org_unit')
      .select(['id', 'code', 'uid', 'path', 'level', 'full_name'])
      .where('version', '=', version)
      .execute();
    const m = new Map<
      string,
      { id: number; code: string; path: string; level: number; full_name: string }
    >();
    for (const r of rows) {
      m.set(r.code, r);
      if (r.uid) m.set(r.uid, r);
    }
    return m;
  }

  /** Ids of those of these periods that have a row already. */
  async periodIds(pids: string[]): Promise<Map<string, number>> {
    if (pids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('period')
      .select(['id', 'pid'])
      .where('pid', 'in', pids)
      .execute();
    return new Map(rows.map((r) => [r.pid, r.id]));
  }

  /** Every period's id (a few thousand rows: days, weeks, months… of the years held). */
  async allPeriodIds(): Promise<Map<string, number>> {
    const rows = await this.db.selectFrom('period').select(['id', 'pid']).execute();
    return new Map(rows.map((r) => [r.pid, r.id]));
  }

  /** Ids of periods, creating the rows of those not seen before. */
  async ensurePeriods(periods: Period[]): Promise<Map<string, number>> {
    if (periods.length === 0) return new Map();
    const known = await this.periodIds(periods.map((p) => p.id));
    periods = periods.filter((p) => !known.has(p.id));
    if (periods.length === 0) return known;
    await insertMany(
      this.db,
      'period',
      { pid: 'text', type: 'text', start_date: 'date', end_date: 'date' },
      periods.map((p) => ({ pid: p.id, type: p.type, start_date: p.start, end_date: p.end })),
      { onConflict: 'on conflict (pid) do nothing' },
    );
    for (const [pid, id] of await this.periodIds(periods.map((p) => p.id))) known.set(pid, id);
    return known;
  }

  /**
   * A block of period ids for a bulk load, and the table its values are copied into: a future
   * partition of data_value, without index until `attachBlock`. Bulk loads take their blocks
   * one at a time (an advisory lock held to the end of the transaction).
   */
  async reserveBlock(loadedBy: string): Promise<{ first: number; table: string }> {
    await sql`select pg_advisory_xact_lock(${BLOCK_LOCK})`.execute(this.db);
    const r = await sql<{ first: number }>`
      insert into period_block (first_period_id, loaded_by)
      select coalesce(max(first_period_id) + ${PERIOD_BLOCK}, ${FIRST_BLOCK}), ${loadedBy} from period_block
      returning first_period_id as first`.execute(this.db);
    const first = r.rows[0]!.first;
    const table = `data_value_b${first}`;
    await sql`create table ${sql.raw(table)} (like data_value including defaults,
        check (period_id >= ${sql.lit(first)} and period_id < ${sql.lit(first + PERIOD_BLOCK)}))`.execute(
      this.db,
    );
    return { first, table };
  }

  /** Period rows with the ids given (a block's). */
  async insertPeriods(periods: { period: Period; id: number }[]): Promise<void> {
    await insertMany(
      this.db,
      'period',
      { id: 'int', pid: 'text', type: 'text', start_date: 'date', end_date: 'date' },
      periods.map(({ period: p, id }) => ({
        id,
        pid: p.id,
        type: p.type,
        start_date: p.start,
        end_date: p.end,
      })),
    );
  }

  /** A block this transaction reserved and left empty: its table, periods and row go. */
  async releaseBlock(block: { first: number; table: string }): Promise<void> {
    await sql`drop table ${sql.raw(block.table)}`.execute(this.db);
    await sql`delete from period where id >= ${block.first} and id < ${block.first + PERIOD_BLOCK}`.execute(
      this.db,
    );
    await sql`delete from period_block where first_period_id = ${block.first}`.execute(this.db);
  }

  /** A block's table, filled, gets its key and becomes data_value's partition for the block. */
  async attachBlock(block: { first: number; table: string }): Promise<void> {
    try {
      await sql`alter table ${sql.raw(block.table)} add primary key (${sql.raw(PARTITION_KEY)})`.execute(
        this.db,
      );
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw new DuplicateKeysInBlock();
      throw e;
    }
    await sql`alter table data_value attach partition ${sql.raw(block.table)}
      for values from (${sql.lit(block.first)}) to (${sql.lit(block.first + PERIOD_BLOCK)})`.execute(
      this.db,
    );
  }

  private staging = false;

  /** Temporary tables of one import, made when first needed; they go with its transaction. */
  private async begin(): Promise<void> {
    if (this.staging) return;
    this.staging = true;
    await sql`create temp table if not exists dv_stage (
        idx integer, unit_id integer, element_id integer, period_id integer, option_id integer,
        attribute_id integer, value double precision, text_value text, comment text, followup boolean,
        deleted boolean, estimate boolean, reported_yoy_pct double precision, reported_prev_pct double precision,
        existed boolean not null default false, old_value double precision, old_text text, old_comment text,
        old_followup boolean, old_estimate boolean, old_yoy double precision, old_prev double precision, action text
      ) on commit drop`.execute(this.db);
    await sql`create temp table if not exists dv_delta (
        ancestor_id integer, element_id integer, period_id integer, option_id integer, attribute_id integer,
        sum double precision, n integer
      ) on commit drop`.execute(this.db);
    await sql`truncate dv_stage, dv_delta`.execute(this.db);
  }

  /** Of these (element, period) pairs, those with at least one stored value. */
  async storedPairs(pairs: [number, number][]): Promise<Set<string>> {
    if (pairs.length === 0) return new Set();
    const r = await sql<{ element_id: number; period_id: number }>`
      select p.element_id, p.period_id
      from unnest(${pairs.map((x) => x[0])}::int[], ${pairs.map((x) => x[1])}::int[]) as p(element_id, period_id)
      where exists (select 1 from data_value d where d.element_id = p.element_id and d.period_id = p.period_id)`.execute(
      this.db,
    );
    return new Set(r.rows.map((x) => `${x.element_id}:${x.period_id}`));
  }

  /**
   * New values whose keys are known not to be stored (their element and period have no value
   * yet), in one statement. Their creation is the row itself (created_at, stored_by): no
   * history row. The caller adds them to the units above (see `finish`).
   */
  async create(rows: ValueColumns, storedBy: string): Promise<void> {
    if (rows.length === 0) return;
    // In key order: each batch then walks the indexes once from left to right instead of
    // jumping about them, which keeps a large import's speed when they outgrow the cache.
    await sql`insert into data_value (${sql.raw(KEY)}, value, text_value, comment, followup, estimate,
        reported_yoy_pct, reported_prev_pct, stored_by)
      select ${sql.raw(KEY)}, value, text_value, comment, followup, estimate, reported_yoy_pct, reported_prev_pct, ${storedBy}
      from ${rows.table()} t order by ${sql.raw(PARTITION_KEY)}`.execute(this.db);
  }

  /**
   * Values that may be stored already: compared with what is stored, then inserted, updated,
   * deleted or ignored, with the history of updates and deletions; the roll-up differences of
   * the units above go to dv_delta.
   * Returns how many rows were created, updated, deleted and ignored.
   */
  async apply(
    rows: ValueColumns,
    strategy: ImportStrategy,
    storedBy: string,
  ): Promise<Record<string, number>> {
    if (rows.length === 0) return {};
    const db = this.db;
    await this.begin();
    await sql`truncate dv_stage`.execute(db);
    await sql`insert into dv_stage (${sql.raw(STAGE)}) select ${sql.raw(STAGE)} from ${rows.table()} s`.execute(
      db,
    );
    await sql`update dv_stage s set existed = true, old_value = d.value, old_text = d.text_value,
        old_comment = d.comment, old_followup = d.followup, old_estimate = d.estimate,
        old_yoy = d.reported_yoy_pct, old_prev = d.reported_prev_pct
      from data_value d where ${KEY_MATCH}`.execute(db);
    await sql`update dv_stage set action = case
        when deleted or ${strategy} = 'DELETE' then case when existed then 'delete' else 'ignore' end
        when not existed then case when ${strategy} = 'UPDATE' then 'ignore' else 'create' end
        when text_value = old_text and comment is not distinct from old_comment
             and followup = old_followup and estimate = old_estimate
             and reported_yoy_pct is not distinct from old_yoy
             and reported_prev_pct is not distinct from old_prev then 'ignore'
        when ${strategy} = 'CREATE' then 'ignore'
        else 'update' end`.execute(db);
    await sql`insert into data_value (${sql.raw(KEY)}, value, text_value, comment, followup, estimate,
        reported_yoy_pct, reported_prev_pct, stored_by)
      select ${sql.raw(KEY)}, value, text_value, comment, followup, estimate, reported_yoy_pct, reported_prev_pct, ${storedBy}
      from dv_stage where action in ('create', 'update')
      on conflict (${sql.raw(KEY)}) do update set value = excluded.value, text_value = excluded.text_value,
        comment = excluded.comment, followup = excluded.followup, estimate = excluded.estimate,
        reported_yoy_pct = excluded.reported_yoy_pct, reported_prev_pct = excluded.reported_prev_pct,
        stored_by = excluded.stored_by, updated_at = now()`.execute(db);
    await sql`delete from data_value d using dv_stage s where s.action = 'delete' and ${KEY_MATCH}`.execute(
      db,
    );
    await sql`insert into data_value_history (${sql.raw(KEY)}, change, before_value, after_value, changed_by)
      select ${sql.raw(KEY)}, action, old_text, case when action = 'delete' then null else text_value end, ${storedBy}
      from dv_stage where action in ('update', 'delete')`.execute(db);
    await sql`insert into dv_delta
      select a.ancestor_id, s.element_id, s.period_id, s.option_id, s.attribute_id,
        sum(case s.action when 'delete' then -coalesce(s.old_value, 0)
                          when 'update' then coalesce(s.value, 0) - coalesce(s.old_value, 0)
                          else coalesce(s.value, 0) end),
        sum(case s.action when 'create' then 1 when 'delete' then -1 else 0 end)::int
      from dv_stage s join org_unit_ancestor a on a.unit_id = s.unit_id and (a.depth > 0 or ${HAS_UNITS_BELOW})
      where s.action <> 'ignore'
      group by 1, 2, 3, 4, 5`.execute(db);
    const result = await sql<{ action: string; n: number }>`
      select action, count(*)::int as n from dv_stage group by action`.execute(db);
    return Object.fromEntries(result.rows.map((r) => [r.action, r.n]));
  }

  /**
   * The roll-up rows a value at each of these units moves, nearest first: the units above it,
   * and the unit itself when units lie below it (a leaf unit's own values are read from
   * data_value, see data_value_total).
   */
  async ancestors(unitIds: number[]): Promise<Map<number, number[]>> {
    const m = new Map<number, number[]>(unitIds.map((id) => [id, []]));
    if (unitIds.length === 0) return m;
    const r = await sql<{ unit_id: number; ancestor_id: number }>`
      select a.unit_id, a.ancestor_id from org_unit_ancestor a
      where a.unit_id = any(${unitIds}::int[]) and (a.depth > 0 or ${HAS_UNITS_BELOW})
      order by unit_id, depth`.execute(this.db);
    for (const x of r.rows) m.get(x.unit_id)!.push(x.ancestor_id);
    return m;
  }

  /**
   * Moves the roll-up sums by the differences gathered in dv_delta and by `above` (sums of new
   * values for the units above theirs, added up by the caller), in one statement.
   */
  async finish(above: RollupDeltas): Promise<void> {
    if (!this.staging && above.sum.length === 0) return;
    await sql`insert into data_value_rollup (ancestor_id, element_id, period_id, option_id, attribute_id, sum, n)
      select ancestor_id, element_id, period_id, option_id, attribute_id, sum(sum), sum(n)::int
      from (
        ${this.staging ? sql`select * from dv_delta union all` : sql``}
        select * from unnest(${above.ancestor_id}::int[], ${above.element_id}::int[], ${above.period_id}::int[],
          ${above.option_id}::int[], ${above.attribute_id}::int[], ${above.sum}::double precision[], ${above.n}::int[])
          as u(ancestor_id, element_id, period_id, option_id, attribute_id, sum, n)
      ) d
      group by 1, 2, 3, 4, 5
      on conflict (ancestor_id, element_id, period_id, option_id, attribute_id)
      do update set sum = data_value_rollup.sum + excluded.sum, n = data_value_rollup.n + excluded.n`.execute(
      this.db,
    );
  }
}

/** Roll-up differences, column by column. */
export interface RollupDeltas {
  ancestor_id: number[];
  element_id: number[];
  period_id: number[];
  option_id: number[];
  attribute_id: number[];
  sum: number[];
  n: number[];
}

export const emptyDeltas = (): RollupDeltas => ({
  ancestor_id: [],
  element_id: [],
  period_id: [],
  option_id: [],
  attribute_id: [],
  sum: [],
  n: [],
});

export interface ExportFilter {
  elementIds?: number[];
  periodFrom?: string;
  periodTo?: string;
  periodIds?: string[];
  version?: string;
  /** Units under (and including) these paths. */
  underPaths?: string[];
  /** Only these units. */
  unitCodes?: string[];
  scopePath?: string | null;
  scopeVersion?: string | null;
  limit: number;
}

export interface ExportRow {
  data_element: string;
  period: string;
  period_type: string;
  org_unit: string;
  version: string;
  category_option_combo: string;
  attribute_option_combo: string;
  data_element_uid: string | null;
  org_unit_uid: string | null;
  category_option_combo_uid: string | null;
  attribute_option_combo_uid: string | null;
  value: string;
  stored_by: string;
  created: Date;
  last_updated: Date;
  comment: string | null;
  followup: boolean;
  estimate: boolean;
  reported_yoy_pct: number | null;
  reported_prev_pct: number | null;
}

export async function exportValues(db: Db, f: ExportFilter): Promise<ExportRow[]> {
  const r = await sql<ExportRow>`
    select e.code as data_element, p.pid as period, p.type as period_type, u.code as org_unit, u.version,
      o.code as category_option_combo, a.code as attribute_option_combo, d.text_value as value,
      e.uid as data_element_uid, u.uid as org_unit_uid, o.uid as category_option_combo_uid,
      a.uid as attribute_option_combo_uid,
      d.stored_by, d.created_at as created, d.updated_at as last_updated, d.comment, d.followup,
      d.estimate, d.reported_yoy_pct, d.reported_prev_pct
    from data_value d
    join data_element e on e.id = d.element_id
    join period p on p.id = d.period_id
    join org_unit u on u.id = d.unit_id
    join breakdown_option o on o.id = d.option_id
    join attribute_option a on a.id = d.attribute_id
    where ${f.elementIds ? sql`d.element_id = any(${f.elementIds}::int[])` : sql`true`}
      and ${f.periodIds ? sql`p.pid = any(${f.periodIds}::text[])` : sql`true`}
      and ${f.periodFrom ? sql`p.start_date >= ${f.periodFrom}::date` : sql`true`}
      and ${f.periodTo ? sql`p.end_date <= ${f.periodTo}::date` : sql`true`}
      and ${f.version ? sql`u.version = ${f.version}` : sql`true`}
      and ${f.unitCodes ? sql`u.code = any(${f.unitCodes}::text[])` : sql`true`}
      and ${
        f.underPaths
          ? sql`(${sql.join(
              f.underPaths.map((p) => sql`u.path like ${p + '%'}`),
              sql` or `,
            )})`
          : sql`true`
      }
      and ${f.scopePath ? sql`u.version = ${f.scopeVersion} and u.path like ${f.scopePath + '%'}` : sql`true`}
    order by e.code, p.start_date, p.pid, u.code, o.code, a.code
    limit ${f.limit}`.execute(db);
  return r.rows;
}
