import { ValueOutlierRepo } from './value-outlier.repo.ts';
import { sql, type RawBuilder } from 'kysely';
import type pg from 'pg';
import { copyTextColumn, inlineParameters } from './copy-out.ts';
import { csvCellSql, csvCellsSql, csvJoinSql, isoTimeSql, jsNumberSql } from './csv-cell.sql.ts';
import type { Db } from './client.ts';
import { insertMany } from './bulk.ts';
import type { Period } from '../domain/period.ts';
import type { CategoryModel } from '../domain/adx.ts';
import type { ImportStrategy } from '../domain/data-value.ts';
import { followupOrFlaggedSql, type FlaggedKeys } from './value-flag.repo.ts';

export interface ElementInfo {
  id: number;
  code: string;
  valueType: string;
  breakdownId: number;
  zeroSignificant: boolean;
  /** Over time: sum, last or average (zeros of averaged elements are kept, as DHIS2 does). */
  aggTime: string;
  /** Bounds of its values (migration 0009); null = none. */
  min: number | null;
  max: number | null;
}

/** A data set named by an import, as its values are checked against it (`dataSetRules`). */
export interface DataSetRules {
  id: number;
  code: string;
  uid: string | null;
  periodType: string;
  level: number;
  version: string;
  elementIds: Set<number>;
  /** Codes of the units it is assigned to; undefined: none, every unit of its level reports it. */
  assigned: Set<string> | undefined;
}

/**
 * Checked values of one batch, column by column: they travel to the database as one array
 * parameter per column and come back as a table through `unnest`, which is several times
 * cheaper than one JSON document per batch and needs no per-row object.
 */
/** The columns of `ValueColumns`, not its methods. */
type ColumnName = Exclude<keyof ValueColumns, 'length' | 'push' | 'table'>;

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
  /** As the file gives it (DHIS2's storedBy), or the importing actor's name. */
  stored_by: string[] = [];

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
    storedBy: string,
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
    this.stored_by.push(storedBy);
  }

  /**
   * `unnest(...) as s(...)` over these columns; a column that is all null or all false is sent
   * once, and so is a storedBy that every row shares (the importer's, or the file's one name).
   */
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
    const arrays: { n: string; t: string; v: unknown[] }[] = [
      ['idx', 'int'],
      ['unit_id', 'int'],
      ['element_id', 'int'],
      ['period_id', 'int'],
      ['option_id', 'int'],
      ['attribute_id', 'int'],
      ['value', 'double precision'],
      ['text_value', 'text'],
    ].map(([n, t]) => ({ n: n!, t: t!, v: this[n as ColumnName] }));
    const constants = [];
    const by = this.stored_by[0];
    if (by !== undefined && this.stored_by.every((x) => x === by)) {
      constants.push(sql`${by}::text as stored_by`);
    } else arrays.push({ n: 'stored_by', t: 'text', v: this.stored_by });
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
/**
 * The units that keep roll-up rows, as a derived table of `id`s: roll-up units (org_unit.rollup:
 * a root, a province, a unit with >= 64 units below) that have units below them. Other units
 * total their subtree's own values when asked (analytics.repo.ts). Read as
 * `ancestor_id = any(array(select k.id from ROLLUP_UNITS k))`: the ~100 ids found once, then a
 * filter, whatever the plan — a per-row `exists` cost 100 s on PGlite and a join to the derived
 * table 345 s on the server for a bench's 330,000 values (bench/carry.bench.ts).
 */
export const ROLLUP_UNITS = sql.raw(
  `(select u.id from org_unit u where u.rollup
    and exists (select 1 from org_unit_ancestor c where c.ancestor_id = u.id and c.depth > 0))`,
);
/** data_value's primary key, period first: a period's values lie together, in one partition. */
/** The columns of data_value and data_value_deleted, which an export reads from both. */
const VALUE_COLUMNS = `${KEY}, value, text_value, estimate, comment, followup, reported_yoy_pct,
  reported_prev_pct, stored_by, created_at, updated_at`;
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
const STAGE = `idx, ${KEY}, value, text_value, comment, followup, deleted, estimate, reported_yoy_pct, reported_prev_pct, stored_by`;
const KEY_MATCH = sql.raw(
  KEY.split(', ')
    .map((k) => `d.${k} = s.${k}`)
    .join(' and '),
);

/** The uid Opsroom gave its default attribute before migration 0011 (DHIS2's default category option). */
const OLD_DEFAULT_ATTRIBUTE_UID = 'xYerKDKCefk';

/** A block's rows hold the same key twice: found when its primary key is built. */
export class DuplicateKeysInBlock extends Error {
  constructor() {
    super('a bulk load holds the same key twice');
  }
}

/** Data values and what an import needs to resolve identifiers and write them. */
export class DataValueRepo {
  constructor(private readonly db: Db) {}

  /** The min–max ranges of these (element, unit, option) triples (an import's batch). */
  rangesOf(keys: { element_id: number; unit_id: number; option_id: number }[]) {
    return new ValueOutlierRepo(this.db).rangesOf(keys);
  }

  /** The trees' spans, as an import reads each period's tree. */
  versionSpans(): Promise<{ id: string; validFrom: string; validUntil: string | null }[]> {
    return this.db
      .selectFrom('hierarchy_version')
      .select(['id', 'valid_from as validFrom', 'valid_until as validUntil'])
      .execute();
  }

  /** A data set's id by code or uid. */
  async dataSetId(key: string): Promise<number | undefined> {
    const ds = await this.db
      .selectFrom('data_set')
      .select('id')
      .where((eb) => eb.or([eb('code', '=', key), eb('uid', '=', key)]))
      .executeTakeFirst();
    return ds?.id;
  }

  unitsNamed(names: string[]): Promise<NamedUnit[]> {
    return unitsNamed(this.db, names);
  }
  exportKeys(f: ExportFilter): Promise<ExportKeys> {
    return exportKeys(this.db, f);
  }
  exportPages(
    f: ExportFilter,
    keys: ExportKeys,
    opts: { pageSize: number; limit?: number; flags?: PageFlags },
  ): AsyncGenerator<ExportRow[]> {
    return exportPages(this.db, f, keys, opts);
  }
  /** The CSV export copied out by the server (`exportCsvPages`), on connections of `pool`. */
  exportCsvPages(
    pool: pg.Pool,
    f: ExportFilter,
    keys: ExportKeys,
    opts: CsvExportOptions,
  ): AsyncGenerator<Buffer> {
    return exportCsvPages(this.db, pool, f, keys, opts);
  }

  /**
   * DHIS2's categories behind the breakdowns and attribute options (migration 0012), for ADX
   * files that name a combo by its categories.
   */
  async categoryModel(): Promise<CategoryModel> {
    const [categories, options, breakdowns, combos, attributes] = await Promise.all([
      sql<{ id: number; uid: string; code: string | null; name: string }>`
        select id, uid, code, name from category`.execute(this.db),
      sql<{ id: number; uid: string; code: string | null; name: string; categories: number[] }>`
        select o.id, o.uid, o.code, o.name,
          coalesce(array_agg(m.category_id) filter (where m.category_id is not null), '{}') as categories
        from category_option o left join category_member m on m.option_id = o.id
        group by o.id`.execute(this.db),
      sql<{ breakdown_id: number; categories: number[] }>`
        select breakdown_id, array_agg(category_id order by sort_order) as categories
        from breakdown_category group by breakdown_id`.execute(this.db),
      sql<{ id: number; breakdown_id: number; parts: string }>`
        select o.id, o.breakdown_id,
          string_agg(p.category_option_id::text, ',' order by p.category_option_id) as parts
        from breakdown_option o join breakdown_option_part p on p.option_id = o.id
        group by o.id`.execute(this.db),
      sql<{ id: number; parts: string }>`
        select p.attribute_id as id,
          string_agg(p.category_option_id::text, ',' order by p.category_option_id) as parts
        from attribute_option_part p group by p.attribute_id`.execute(this.db),
    ]);
    return {
      categories: new Map(categories.rows.map((c) => [c.id, c])),
      options: new Map(options.rows.map((o) => [o.id, o])),
      breakdownCategories: new Map(breakdowns.rows.map((b) => [b.breakdown_id, b.categories])),
      combos: new Map(combos.rows.map((c) => [`${c.breakdown_id}:${c.parts}`, c.id])),
      attributes: new Map(attributes.rows.map((a) => [a.parts, a.id])),
    };
  }

  /** Elements, breakdown options and attribute options by code and by uid. */
  async lookups() {
    const [elements, options, attributes, sets, locks] = await Promise.all([
      this.db
        .selectFrom('data_element')
        .select([
          'id',
          'code',
          'uid',
          'name_en',
          'name_vi',
          'value_type',
          'agg_time',
          'breakdown_id',
          'zero_significant',
          'min_value',
          'max_value',
        ])
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
    const infos = elements.map((e) => ({
      id: e.id,
      code: e.code,
      uid: e.uid,
      valueType: e.value_type,
      aggTime: e.agg_time,
      breakdownId: e.breakdown_id,
      zeroSignificant: e.zero_significant,
      min: e.min_value,
      max: e.max_value,
    }));
    // DHIS2's idScheme=NAME: an element by its English or Vietnamese name (DHIS2 has one name).
    const elementsByName = new Map<string, (typeof infos)[number]>();
    elements.forEach((e, i) => {
      elementsByName.set(e.name_en, infos[i]!);
      if (!elementsByName.has(e.name_vi)) elementsByName.set(e.name_vi, infos[i]!);
    });
    const attributesByKey = byKey(attributes);
    // Files Opsroom exported before migration 0011 name the default attribute by the default
    // category option's uid.
    const fallback = attributesByKey.get('default');
    if (fallback && !attributesByKey.has(OLD_DEFAULT_ATTRIBUTE_UID)) {
      attributesByKey.set(OLD_DEFAULT_ATTRIBUTE_UID, fallback);
    }
    return {
      elements: byKey(infos),
      elementsByName,
      options: byKey(options),
      attributes: attributesByKey,
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

  /**
   * The data set an import names (by code or uid) with what its values are checked against:
   * its period type, its elements, and the codes of the units it is assigned to (migration
   * 0012), or `assigned` undefined when it has none (then every unit of its level reports it).
   */
  async dataSetRules(given: string): Promise<DataSetRules | undefined> {
    const ds = await this.db
      .selectFrom('data_set')
      .select(['id', 'code', 'uid', 'period_type', 'level', 'version'])
      .where((eb) => eb.or([eb('code', '=', given), eb('uid', '=', given)]))
      .executeTakeFirst();
    if (!ds) return undefined;
    const [elements, units] = await Promise.all([
      this.db
        .selectFrom('data_set_element')
        .select('element_id')
        .where('data_set_id', '=', ds.id)
        .execute(),
      this.db
        .selectFrom('data_set_unit as du')
        .innerJoin('org_unit as u', 'u.id', 'du.unit_id')
        .select('u.code')
        .where('du.data_set_id', '=', ds.id)
        .execute(),
    ]);
    return {
      id: ds.id,
      code: ds.code,
      uid: ds.uid,
      periodType: ds.period_type,
      level: ds.level,
      version: ds.version,
      elementIds: new Set(elements.map((e) => e.element_id)),
      assigned: units.length ? new Set(units.map((u) => u.code)) : undefined,
    };
  }

  /**
   * The units of a version by code and by uid, and units added from DHIS2 also by the code
   * they have there (DHIS2 files, ADX's by default, name units by that code).
   */
  async units(version: string) {
    const rows = await this.db
      .selectFrom('org_unit')
      .select(['id', 'code', 'uid', 'source_code', 'path', 'level', 'full_name'])
      .where('version', '=', version)
      .execute();
    const m = new Map<
      string,
      {
        id: number;
        code: string;
        uid: string | null;
        path: string;
        level: number;
        full_name: string;
      }
    >();
    for (const r of rows) {
      m.set(r.code, r);
      if (r.uid) m.set(r.uid, r);
    }
    for (const r of rows) if (r.source_code && !m.has(r.source_code)) m.set(r.source_code, r);
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
        stored_by text, existed boolean not null default false, old_value double precision, old_text text, old_comment text,
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
      where exists (select 1 from data_value d where d.element_id = p.element_id and d.period_id = p.period_id)
        -- A deleted value's key too: storing it again must take it out of data_value_deleted.
        or exists (select 1 from data_value_deleted d
          where d.element_id = p.element_id and d.period_id = p.period_id)`.execute(this.db);
    return new Set(r.rows.map((x) => `${x.element_id}:${x.period_id}`));
  }

  /**
   * New values whose keys are known not to be stored (their element and period have no value
   * yet), in one statement. Their creation is the row itself (created_at, stored_by): no
   * history row. The caller adds them to the units above (see `finish`).
   */
  async create(rows: ValueColumns): Promise<void> {
    if (rows.length === 0) return;
    // In key order: each batch then walks the indexes once from left to right instead of
    // jumping about them, which keeps a large import's speed when they outgrow the cache.
    await sql`insert into data_value (${sql.raw(KEY)}, value, text_value, comment, followup, estimate,
        reported_yoy_pct, reported_prev_pct, stored_by)
      select ${sql.raw(KEY)}, value, text_value, comment, followup, estimate, reported_yoy_pct, reported_prev_pct, stored_by
      from ${rows.table()} t order by ${sql.raw(PARTITION_KEY)}`.execute(this.db);
  }

  /**
   * Values that may be stored already: compared with what is stored, then inserted, updated,
   * deleted or ignored, with the history of updates and deletions; the roll-up differences of
   * the units above go to dv_delta. Values keep the `storedBy` they came with; the history
   * names who changed them (`changedBy`, the importing actor).
   * Returns how many rows were created, updated, deleted and ignored.
   */
  async apply(
    rows: ValueColumns,
    strategy: ImportStrategy,
    changedBy: string,
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
      select ${sql.raw(KEY)}, value, text_value, comment, followup, estimate, reported_yoy_pct, reported_prev_pct, stored_by
      from dv_stage where action in ('create', 'update')
      on conflict (${sql.raw(KEY)}) do update set value = excluded.value, text_value = excluded.text_value,
        comment = excluded.comment, followup = excluded.followup, estimate = excluded.estimate,
        reported_yoy_pct = excluded.reported_yoy_pct, reported_prev_pct = excluded.reported_prev_pct,
        stored_by = excluded.stored_by, updated_at = now()`.execute(db);
    // A value stored again at a deleted value's key is no longer deleted.
    await sql`delete from data_value_deleted d using dv_stage s where s.action = 'create' and ${KEY_MATCH}`.execute(
      db,
    );
    // Deleted values are kept (soft deletion): moved to data_value_deleted, stamped now.
    await sql`insert into data_value_deleted (${sql.raw(KEY)}, value, text_value, estimate, comment, followup,
        reported_yoy_pct, reported_prev_pct, stored_by, created_at, updated_at)
      select ${sql.raw(KEY.replace(/(\w+)/g, 'd.$1'))}, d.value, d.text_value, d.estimate, d.comment, d.followup,
        d.reported_yoy_pct, d.reported_prev_pct, d.stored_by, d.created_at, now()
      from data_value d join dv_stage s on ${KEY_MATCH} and s.action = 'delete'
      on conflict (${sql.raw(PARTITION_KEY)}) do update set value = excluded.value,
        text_value = excluded.text_value, estimate = excluded.estimate, comment = excluded.comment,
        followup = excluded.followup, reported_yoy_pct = excluded.reported_yoy_pct,
        reported_prev_pct = excluded.reported_prev_pct, stored_by = excluded.stored_by,
        created_at = excluded.created_at, updated_at = excluded.updated_at`.execute(db);
    await sql`delete from data_value d using dv_stage s where s.action = 'delete' and ${KEY_MATCH}`.execute(
      db,
    );
    await sql`insert into data_value_history (${sql.raw(KEY)}, change, before_value, after_value, changed_by)
      select ${sql.raw(KEY)}, action, old_text, case when action = 'delete' then null else text_value end, ${changedBy}
      from dv_stage where action in ('update', 'delete')`.execute(db);
    await sql`insert into dv_delta
      select a.ancestor_id, s.element_id, s.period_id, s.option_id, s.attribute_id,
        sum(case s.action when 'delete' then -coalesce(s.old_value, 0)
                          when 'update' then coalesce(s.value, 0) - coalesce(s.old_value, 0)
                          else coalesce(s.value, 0) end),
        sum(case s.action when 'create' then 1 when 'delete' then -1 else 0 end)::int
      from dv_stage s join org_unit_ancestor a on a.unit_id = s.unit_id
        and a.ancestor_id = any(array(select k.id from ${ROLLUP_UNITS} k))
      where s.action <> 'ignore'
      group by 1, 2, 3, 4, 5`.execute(db);
    const result = await sql<{ action: string; n: number }>`
      select action, count(*)::int as n from dv_stage group by action`.execute(db);
    return Object.fromEntries(result.rows.map((r) => [r.action, r.n]));
  }

  /**
   * The roll-up rows a value at each of these units moves, nearest first: the roll-up units
   * above it, and the unit itself when it is one (`ROLLUP_UNITS`); the other units read their
   * subtree's values from data_value (see data_value_total).
   */
  async ancestors(unitIds: number[]): Promise<Map<number, number[]>> {
    const m = new Map<number, number[]>(unitIds.map((id) => [id, []]));
    if (unitIds.length === 0) return m;
    const r = await sql<{ unit_id: number; ancestor_id: number }>`
      select a.unit_id, a.ancestor_id from org_unit_ancestor a
      where a.unit_id = any(${unitIds}::int[])
        and a.ancestor_id = any(array(select k.id from ${ROLLUP_UNITS} k))
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
  /** Only units of this tree. */
  version?: string;
  /**
   * The tree in force at each period (by period id): a value is kept only at a unit of the
   * tree of its period, so that units asked for are read in that tree, as imports read them.
   */
  periodVersions?: Map<number, string>;
  /** Units under (and including) these paths of their trees. */
  underPaths?: { version: string; path: string }[];
  /** Only these units (ids: a unit of each tree it was found in). */
  unitIds?: number[];
  scopePath?: string | null;
  scopeVersion?: string | null;
  /** Deleted values too (DHIS2's includeDeleted), marked `deleted`. */
  includeDeleted?: boolean;
  /** Only values stored, changed or deleted at or after this time (DHIS2's lastUpdated). */
  updatedSince?: Date;
}

export interface ExportRow {
  element_id: number;
  period_id: number;
  org_unit: string;
  category_option_combo: string;
  attribute_option_combo: string;
  org_unit_uid: string | null;
  category_option_combo_uid: string | null;
  attribute_option_combo_uid: string | null;
  value: string;
  stored_by: string;
  /** Milliseconds since 1970 (cheaper to read than a timestamp, and exact to the ms). */
  created_ms: number;
  last_updated_ms: number;
  comment: string | null;
  followup: boolean;
  estimate: boolean;
  reported_yoy_pct: number | null;
  reported_prev_pct: number | null;
  /** A deleted value (only with `includeDeleted`). */
  deleted: boolean;
}

/**
 * What an export reads, in the order it writes it: the elements by code and the periods by
 * start (then id) that the filter keeps. The values are read pair by pair of these
 * (`exportPage`), so the export needs no sort of all its rows and no transaction held open.
 */
export interface ExportKeys {
  elements: { id: number; code: string; uid: string | null; value_type: string }[];
  periods: { id: number; pid: string; type: string; start: string }[];
}

export async function exportKeys(db: Db, f: ExportFilter): Promise<ExportKeys> {
  const [elements, periods] = await Promise.all([
    sql<ExportKeys['elements'][number]>`select id, code, uid, value_type from data_element
      where ${f.elementIds ? sql`id = any(${f.elementIds}::int[])` : sql`true`}
      order by code`.execute(db),
    sql<
      ExportKeys['periods'][number]
    >`select id, pid, type, to_char(start_date, 'YYYY-MM-DD') as start from period
      where ${f.periodIds ? sql`pid = any(${f.periodIds}::text[])` : sql`true`}
        and ${f.periodFrom ? sql`start_date >= ${f.periodFrom}::date` : sql`true`}
        and ${f.periodTo ? sql`end_date <= ${f.periodTo}::date` : sql`true`}
      order by start_date, pid`.execute(db),
  ]);
  return { elements: elements.rows, periods: periods.rows };
}

/**
 * The values of some (element, period) pairs, in the pairs' order, then by unit, breakdown
 * option and attribute code: each pair is a range of the primary key (period, element, …), so
 * the pairs are probed through it and only this page's rows are sorted.
 */
export async function exportPage(
  db: Db,
  f: ExportFilter,
  pairs: { elements: number[]; periods: number[] },
  limit: number,
  flagged?: FlaggedKeys,
): Promise<ExportRow[]> {
  const r = await sql<ExportRow>`
    select d.element_id, d.period_id, u.code as org_unit,
      o.code as category_option_combo, a.code as attribute_option_combo, d.text_value as value,
      u.uid as org_unit_uid, o.uid as category_option_combo_uid,
      a.uid as attribute_option_combo_uid, d.stored_by,
      floor(extract(epoch from d.created_at) * 1000)::int8 as created_ms,
      floor(extract(epoch from d.updated_at) * 1000)::int8 as last_updated_ms,
      d.comment, ${followupOrFlaggedSql(flagged)} as followup, d.estimate, d.reported_yoy_pct,
      d.reported_prev_pct, d.deleted
    ${exportSource(f, pairs)}
    order by k.ord, u.code, o.code, a.code
    limit ${limit}`.execute(db);
  return r.rows;
}

/** A unit as `unitsNamed` finds it. */
export interface NamedUnit {
  id: number;
  version: string;
  code: string;
  uid: string | null;
  source_code: string | null;
  path: string;
}

/**
 * Units named by code or uid, in every tree that has them (an export reads each in the tree
 * in force at each period).
 */
export async function unitsNamed(db: Db, names: string[]): Promise<NamedUnit[]> {
  const r = await sql<NamedUnit>`select id, version, code, uid, source_code, path from org_unit
    where code = any(${names}::text[]) or uid = any(${names}::text[])
      or source_code = any(${names}::text[])`.execute(db);
  return r.rows;
}

/** (Element, period) pairs of a page, and for CSV the texts the file writes for them. */
export interface Pairs {
  elements: number[];
  periods: number[];
  elementIds?: string[];
  periodIds?: string[];
}

/**
 * The rows of an export page: the pairs (element_id, period_id[, element_text, period_text]
 * [, version: the tree in force at the period]) in the export's order, numbered `k.ord`; the
 * values are `d`, their unit `u`, option `o` and attribute `a`.
 */
function exportSource(f: ExportFilter, pairs: Pairs) {
  const arrays = [sql`${pairs.elements}::int[]`, sql`${pairs.periods}::int[]`];
  const columns = ['element_id', 'period_id'];
  if (pairs.elementIds && pairs.periodIds) {
    arrays.push(sql`${pairs.elementIds}::text[]`, sql`${pairs.periodIds}::text[]`);
    columns.push('element_text', 'period_text');
  }
  const versions = f.periodVersions;
  if (versions) {
    arrays.push(sql`${pairs.periods.map((p) => versions.get(p) ?? '')}::text[]`);
    columns.push('version');
  }
  columns.push('ord');
  return sql`from unnest(${sql.join(arrays)}) with ordinality as k(${sql.raw(columns.join(', '))})
    -- One probe of the primary key per pair (offset 0 keeps the planner from turning the
    -- pairs into a hash table over a scan of every value).
    cross join lateral (
      (select ${sql.raw(VALUE_COLUMNS)}, false as deleted from data_value
        where period_id = k.period_id and element_id = k.element_id
        offset 0)
      ${
        f.includeDeleted
          ? sql`union all
      (select ${sql.raw(VALUE_COLUMNS)}, true from data_value_deleted
        where period_id = k.period_id and element_id = k.element_id)`
          : sql``
      }) d
    join org_unit u on u.id = d.unit_id
    join breakdown_option o on o.id = d.option_id
    join attribute_option a on a.id = d.attribute_id
    where ${f.version ? sql`u.version = ${f.version}` : sql`true`}
      and ${f.updatedSince ? sql`d.updated_at >= ${f.updatedSince.toISOString()}::timestamptz` : sql`true`}
      and ${versions ? sql`u.version = k.version` : sql`true`}
      and ${f.unitIds ? sql`u.id = any(${f.unitIds}::int[])` : sql`true`}
      and ${
        f.underPaths
          ? sql`(${sql.join(
              f.underPaths.map(
                (p) => sql`(u.version = ${p.version} and u.path like ${p.path + '%'})`,
              ),
              sql` or `,
            )})`
          : sql`true`
      }
      and ${f.scopePath ? sql`u.version = ${f.scopeVersion} and u.path like ${f.scopePath + '%'}` : sql`true`}`;
}

/** Pairs of an export page written as CSV: the element's and period's ids as the file has them. */
export interface CsvPairs extends Pairs {
  elementIds: string[];
  periodIds: string[];
}

/**
 * One page of an export as CSV lines, the columns of `DataValueSetWriter` after its header,
 * built in SQL (csv-cell.sql.ts) so the bytes pass straight through: one text column, one line
 * per value, in the order of `exportPage`. `scheme` 'uid' names units, options and attributes
 * by uid where they have one, as the row path does (the element and period ids come with the
 * pairs). Run it with `copyTextColumn`.
 */
export function exportCsvPage(
  f: ExportFilter,
  pairs: CsvPairs,
  limit: number,
  scheme: 'code' | 'uid',
  flagged?: FlaggedKeys,
): RawBuilder<{ line: string }> {
  const id = (code: string, uid: string) =>
    scheme === 'uid' ? sql`coalesce(nullif(${sql.ref(uid)}, ''), ${sql.ref(code)})` : sql.ref(code);
  const cell = (name: string) => csvCellSql(sql.ref(`r.${name}`));
  const number = (name: string) => csvCellSql(jsNumberSql(sql.ref(`r.${name}`)));
  // The texts up to the time, checked at once (most lines need no quote at all).
  const texts = ['element', 'period', 'unit', 'option', 'attribute', 'value', 'stored_by'].map(
    (name) => sql.ref(`r.${name}`),
  );
  return sql<{ line: string }>`
    select ${csvCellsSql(sql.ref('r.joined'), texts)} || ','
      || ${isoTimeSql(sql.ref('r.updated_at'))} || ','
      || coalesce(${cell('comment')}, '') || ','
      || case when r.followup then 'true' else 'false' end || ','
      || case when r.estimate then 'true' else '' end || ','
      || coalesce(${number('reported_yoy_pct')}, '') || ','
      || coalesce(${number('reported_prev_pct')}, '')
      ${f.includeDeleted ? sql`|| case when r.deleted then ',true' else ',false' end` : sql``} || chr(10) as line
    from (
      select r.*, ${csvJoinSql(texts)} as joined
      from (
        select k.element_text as element, k.period_text as period,
          ${id('u.code', 'u.uid')} as unit, ${id('o.code', 'o.uid')} as option,
          ${id('a.code', 'a.uid')} as attribute, d.text_value as value,
          coalesce(d.stored_by, '') as stored_by, d.updated_at, d.comment,
          ${followupOrFlaggedSql(flagged)} as followup, d.estimate, d.reported_yoy_pct, d.reported_prev_pct, d.deleted
        ${exportSource(f, pairs)}
        order by k.ord, u.code, o.code, a.code
        limit ${limit}) r
      -- offset 0: the joined texts are made once, not once per use.
      offset 0) r`;
}

/**
 * Whether the pairs hold a value past the first `skip` in the export's order (skip 0: any
 * value, found without sorting).
 */
export async function exportHasMore(
  db: Db,
  f: ExportFilter,
  pairs: { elements: number[]; periods: number[] },
  skip: number,
): Promise<boolean> {
  const r = await sql<{ one: number }>`select 1 as one
    ${exportSource(f, pairs)}
    ${skip > 0 ? sql`order by k.ord, u.code, o.code, a.code offset ${skip}` : sql``}
    limit 1`.execute(db);
  return r.rows.length > 0;
}

export interface CsvExportOptions {
  pageSize: number;
  limit?: number;
  scheme: 'code' | 'uid';
  periodId: (id: number) => string;
  counted: (rows: number) => void;
  truncated: () => void;
  /** The flagged values of a page's pairs (their `followup` is true), read before the page. */
  flags?: PageFlags;
}

/** What an export reads before each page: the flagged values of its (element, period) pairs. */
export type PageFlags = (pairs: {
  elements: number[];
  periods: number[];
}) => Promise<FlaggedKeys | undefined>;

/**
 * The CSV export on the server: the pages of `exportPages` (the same pairs, the same order),
 * each one `COPY (exportCsvPage) TO STDOUT` on one connection held for the export, its lines
 * passed on as the bytes arrive (memory stays that of a socket read, whatever the page).
 * `counted` is told the rows of each page; `truncated` is called when `limit` rows were
 * written and more match.
 */
export async function* exportCsvPages(
  db: Db,
  pool: pg.Pool,
  f: ExportFilter,
  keys: ExportKeys,
  opts: CsvExportOptions,
): AsyncGenerator<Buffer> {
  const uid = opts.scheme === 'uid';
  const elementIds = keys.elements.map((e) => e.id);
  const elementTexts = keys.elements.map((e) => (uid && e.uid ? e.uid : e.code));
  const periods = keys.periods.map((p) => p.id);
  const total = elementIds.length * periods.length;
  const pairsOf = (from: number, to: number) => {
    const batch: CsvPairs = { elements: [], periods: [], elementIds: [], periodIds: [] };
    for (let i = from; i < to; i++) {
      const e = Math.floor(i / periods.length);
      const p = periods[i % periods.length]!;
      batch.elements.push(elementIds[e]!);
      batch.periods.push(p);
      batch.elementIds.push(elementTexts[e]!);
      batch.periodIds.push(opts.periodId(p));
    }
    return batch;
  };
  let left = opts.limit ?? Number.MAX_SAFE_INTEGER;
  if (total === 0 || left <= 0) return;
  const client = await pool.connect();
  let broken = true;
  try {
    // JIT would compile the lines' long expressions for every page (seconds each).
    await client.query('set jit = off');
    let next = 0;
    let pairs = 1;
    while (next < total && left > 0) {
      const from = next;
      next = Math.min(total, from + pairs);
      let rows = 0;
      const batch = pairsOf(from, next);
      const flagged = await opts.flags?.(batch);
      const page = exportCsvPage(f, batch, left, opts.scheme, flagged);
      yield* copyTextColumn(client, inlineParameters(page.compile(db)), (n) => (rows = n));
      left -= rows;
      opts.counted(rows);
      if (left === 0 && opts.limit !== undefined) {
        // Cut at the limit: more values in this page's pairs, or any in the rest?
        let more = await exportHasMore(db, f, pairsOf(from, next), rows);
        for (let i = next; !more && i < total; i += MAX_PAIRS) {
          more = await exportHasMore(db, f, pairsOf(i, Math.min(total, i + MAX_PAIRS)), 0);
        }
        if (more) opts.truncated();
      }
      pairs = nextPairCount(pairs, rows, opts.pageSize);
    }
    await client.query('reset jit');
    broken = false;
  } finally {
    // A connection left mid-COPY (the reader stopped) is closed, not given to anyone else.
    client.release(broken ? true : undefined);
  }
}

/** Most pairs one page asks for (pairs without values cost an index probe each). */
const MAX_PAIRS = 50_000;

/**
 * How many (element, period) pairs the next page asks for, from the rows the last `asked`
 * pairs found: aimed at `pageSize` rows, growing or shrinking at most fourfold a page.
 */
function nextPairCount(asked: number, rows: number, pageSize: number): number {
  const aimed =
    rows === 0 ? asked * 4 : Math.max(Math.ceil(asked / 4), Math.floor((asked * pageSize) / rows));
  return Math.max(1, Math.min(MAX_PAIRS, asked * 4, aimed));
}

/**
 * Every value the filter keeps, in pages of about `pageSize` rows (a pair's values are never
 * split, so a page can be larger: at most the units × options × attributes of one element and
 * period). How many pairs a page asks for follows the rows the last page found. The next page
 * is asked for while the caller writes this one. Stops after `limit` rows when given.
 */
export async function* exportPages(
  db: Db,
  f: ExportFilter,
  keys: ExportKeys,
  opts: { pageSize: number; limit?: number; flags?: PageFlags },
): AsyncGenerator<ExportRow[]> {
  const elements = keys.elements.map((e) => e.id);
  const periods = keys.periods.map((p) => p.id);
  const total = elements.length * periods.length;
  let next = 0;
  let pairs = 1;
  let left = opts.limit ?? Number.MAX_SAFE_INTEGER;
  const ask = (from: number, n: number) => {
    const to = Math.min(total, from + n);
    const batch = { elements: [] as number[], periods: [] as number[] };
    for (let i = from; i < to; i++) {
      batch.elements.push(elements[Math.floor(i / periods.length)]!);
      batch.periods.push(periods[i % periods.length]!);
    }
    next = to;
    if (!opts.flags) return exportPage(db, f, batch, left);
    const limit = left;
    return opts.flags(batch).then((flagged) => exportPage(db, f, batch, limit, flagged));
  };
  if (total === 0 || left <= 0) return;
  let pending: Promise<ExportRow[]> | undefined = ask(0, pairs);
  try {
    while (pending) {
      const rows = await pending;
      pending = undefined;
      left -= rows.length;
      pairs = nextPairCount(pairs, rows.length, opts.pageSize);
      if (next < total && left > 0) pending = ask(next, pairs);
      if (rows.length) yield rows;
    }
  } finally {
    // A caller that stops early (a client gone, a limit reached) leaves no query running.
    await pending?.catch(() => undefined);
  }
}
