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

export interface StagedValue {
  idx: number;
  unit_id: number;
  element_id: number;
  period_id: number;
  option_id: number;
  attribute_id: number;
  value: number | null;
  text_value: string | null;
  comment: string | null;
  followup: boolean;
  deleted: boolean;
  estimate: boolean;
  reported_yoy_pct: number | null;
  reported_prev_pct: number | null;
}

const STAGE_COLUMNS = {
  idx: 'integer',
  unit_id: 'integer',
  element_id: 'integer',
  period_id: 'integer',
  option_id: 'integer',
  attribute_id: 'integer',
  value: 'double precision',
  text_value: 'text',
  comment: 'text',
  followup: 'boolean',
  deleted: 'boolean',
  estimate: 'boolean',
  reported_yoy_pct: 'double precision',
  reported_prev_pct: 'double precision',
};

const KEY = 'unit_id, element_id, period_id, option_id, attribute_id';
const KEY_MATCH = sql.raw(
  KEY.split(', ')
    .map((k) => `d.${k} = s.${k}`)
    .join(' and '),
);

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

  /** Ids of periods, creating the rows of those not seen before. */
  async ensurePeriods(periods: Period[]): Promise<Map<string, number>> {
    if (periods.length === 0) return new Map();
    await insertMany(
      this.db,
      'period',
      { pid: 'text', type: 'text', start_date: 'date', end_date: 'date' },
      periods.map((p) => ({ pid: p.id, type: p.type, start_date: p.start, end_date: p.end })),
      { onConflict: 'on conflict (pid) do nothing' },
    );
    const rows = await this.db
      .selectFrom('period')
      .select(['id', 'pid'])
      .where(
        'pid',
        'in',
        periods.map((p) => p.id),
      )
      .execute();
    return new Map(rows.map((r) => [r.pid, r.id]));
  }

  /**
   * Writes staged values in a few set-based statements: compare with what is stored, then
   * insert, update or delete, keep the history, and move the roll-up sums by the difference.
   * Returns how many rows were created, updated, deleted and ignored.
   */
  async apply(
    rows: StagedValue[],
    strategy: ImportStrategy,
    storedBy: string,
    onProgress?: (done: number) => void,
  ): Promise<Record<string, number>> {
    const db = this.db;
    await sql`create temp table if not exists dv_stage (
        idx integer, unit_id integer, element_id integer, period_id integer, option_id integer,
        attribute_id integer, value double precision, text_value text, comment text, followup boolean,
        deleted boolean, estimate boolean, reported_yoy_pct double precision, reported_prev_pct double precision,
        existed boolean not null default false, old_value double precision, old_text text, old_comment text,
        old_followup boolean, old_estimate boolean, old_yoy double precision, old_prev double precision, action text
      ) on commit drop`.execute(db);
    await sql`truncate dv_stage`.execute(db);
    await insertMany(db, 'dv_stage', STAGE_COLUMNS, rows as unknown as Record<string, unknown>[], {
      onProgress,
    });
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
      from dv_stage where action <> 'ignore'`.execute(db);
    await sql`insert into data_value_rollup (ancestor_id, element_id, period_id, option_id, attribute_id, sum, n)
      select a.ancestor_id, s.element_id, s.period_id, s.option_id, s.attribute_id,
        sum(case s.action when 'delete' then -coalesce(s.old_value, 0)
                          when 'update' then coalesce(s.value, 0) - coalesce(s.old_value, 0)
                          else coalesce(s.value, 0) end),
        sum(case s.action when 'create' then 1 when 'delete' then -1 else 0 end)::int
      from dv_stage s join org_unit_ancestor a on a.unit_id = s.unit_id
      where s.action <> 'ignore'
      group by 1, 2, 3, 4, 5
      on conflict (ancestor_id, element_id, period_id, option_id, attribute_id)
      do update set sum = data_value_rollup.sum + excluded.sum, n = data_value_rollup.n + excluded.n`.execute(
      db,
    );
    const result = await sql<{ action: string; n: number }>`
      select action, count(*)::int as n from dv_stage group by action`.execute(db);
    return Object.fromEntries(result.rows.map((r) => [r.action, r.n]));
  }
}

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
