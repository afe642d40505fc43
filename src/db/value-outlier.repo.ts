import { sql } from 'kysely';
import type { Db } from './client.ts';

/** A stored value's key. */
export interface ValueKey {
  element_id: number;
  unit_id: number;
  period_id: number;
  option_id: number;
  attribute_id: number;
}

/** What flagged a value as it arrived: its min–max range, or its recent values' magnitude. */
export type OutlierKind = 'min_max' | 'scale_slip';

/** A value flagged as an import found it: outside [low, high] (its range, or the slip's band). */
export interface NewOutlier extends ValueKey {
  value: number;
  low: number;
  high: number;
  /** Default 'min_max'. */
  kind?: OutlierKind;
}

export interface RangeRow {
  element_id: number;
  option_id: number;
  unit_id: number;
  min_value: number;
  max_value: number;
}

/**
 * Keys travel as JSON, one parameter whatever their number (a bulk load flags thousands):
 * [element, unit, period, option, attribute] and, with `extra`, one more field.
 */
const keysJson = <K extends ValueKey>(keys: K[], extra?: (k: K) => unknown) =>
  JSON.stringify(
    keys.map((k) => [
      k.element_id,
      k.unit_id,
      k.period_id,
      k.option_id,
      k.attribute_id,
      ...(extra ? [extra(k)] : []),
    ]),
  );

/** Values flagged as they arrive (issue 17, migrations 0026, 0030): min–max ranges, scale slips. */
export class ValueOutlierRepo {
  constructor(private readonly db: Db) {}

  async anyRange(): Promise<boolean> {
    const r = await this.db.selectFrom('min_max_value').select('unit_id').limit(1).execute();
    return r.length > 0;
  }

  /** Every stored range (a bulk load checks its rows against them as they stream by). */
  async allRanges(): Promise<RangeRow[]> {
    return this.db
      .selectFrom('min_max_value')
      .select(['element_id', 'option_id', 'unit_id', 'min_value', 'max_value'])
      .execute();
  }

  /** The ranges of these (element, unit, option) triples. */
  async rangesOf(keys: { element_id: number; unit_id: number; option_id: number }[]) {
    if (keys.length === 0) return [];
    const json = JSON.stringify(keys.map((k) => [k.element_id, k.unit_id, k.option_id]));
    const r = await sql<RangeRow>`
      select m.element_id, m.option_id, m.unit_id, m.min_value, m.max_value
      from min_max_value m
      join (select distinct (k->>0)::int as e, (k->>1)::int as u, (k->>2)::int as o
            from json_array_elements(${json}::json) as k) k
        on k.e = m.element_id and k.u = m.unit_id and k.o = m.option_id`.execute(this.db);
    return r.rows;
  }

  /**
   * After values were written again: their flags that no longer hold go (the value changed or
   * came back in range). Returns the tasks of the flags removed.
   */
  async dropStale(
    written: (ValueKey & { value: number | null })[],
    still: (ValueKey & { kind?: OutlierKind })[],
    slipsChecked = true,
  ): Promise<number[]> {
    if (written.length === 0) return [];
    const writtenJson = keysJson(written, (k) => k.value);
    const stillJson = keysJson(still, (k) => k.kind ?? 'min_max');
    const r = await sql<{ task_id: number | null }>`
      delete from value_outlier f
      using (select (k->>0)::int as element_id, (k->>1)::int as unit_id,
          (k->>2)::int as period_id, (k->>3)::int as option_id, (k->>4)::int as attribute_id,
          (k->>5)::float8 as value
        from json_array_elements(${writtenJson}::json) as k) w
      where f.element_id = w.element_id and f.unit_id = w.unit_id and f.period_id = w.period_id
        and f.option_id = w.option_id and f.attribute_id = w.attribute_id
        -- A write too large to be checked for slips drops a slip's flag only when the value
        -- changed (the flag no longer describes it); one re-sent keeps it.
        and (${slipsChecked} or f.kind <> 'scale_slip' or w.value is distinct from f.value)
        and not exists (
          select 1 from json_array_elements(${stillJson}::json) as s
          where (s->>0)::int = f.element_id and (s->>1)::int = f.unit_id
            and (s->>2)::int = f.period_id and (s->>3)::int = f.option_id
            and (s->>4)::int = f.attribute_id and s->>5 = f.kind)
      returning f.task_id`.execute(this.db);
    return [...new Set(r.rows.flatMap((x) => (x.task_id === null ? [] : [x.task_id])))];
  }

  /**
   * Stores the flags: new ones open; one already stored keeps its review when its value is
   * the same, and is open again when the value changed. Returns those open without a task.
   */
  async upsert(flags: NewOutlier[]): Promise<(ValueKey & { value: number; kind: OutlierKind })[]> {
    const out: (ValueKey & { value: number; kind: OutlierKind })[] = [];
    for (let i = 0; i < flags.length; i += 1000) {
      const rows = await this.db
        .insertInto('value_outlier')
        .values(flags.slice(i, i + 1000).map((f) => ({ ...f, kind: f.kind ?? 'min_max' })))
        .onConflict((oc) =>
          oc
            .columns(['element_id', 'unit_id', 'period_id', 'option_id', 'attribute_id', 'kind'])
            .doUpdateSet({
              state: sql`case when value_outlier.value = excluded.value then value_outlier.state else 'open' end`,
              low: (eb) => eb.ref('excluded.low'),
              high: (eb) => eb.ref('excluded.high'),
              value: (eb) => eb.ref('excluded.value'),
            }),
        )
        .returning([
          'element_id',
          'unit_id',
          'period_id',
          'option_id',
          'attribute_id',
          'value',
          'kind',
          'state',
          'task_id',
        ])
        .execute();
      for (const r of rows) if (r.state === 'open' && r.task_id === null) out.push(r);
    }
    return out;
  }

  /**
   * Open flags a bulk load left without a task (migration 0029), a batch of whole (unit,
   * element) pairs at most `limit` rows long, locked so that two drains do not both open them.
   */
  async pending(limit: number): Promise<(ValueKey & { value: number; kind: OutlierKind })[]> {
    const r = await sql<ValueKey & { value: number; kind: OutlierKind }>`
      select element_id, unit_id, period_id, option_id, attribute_id, value, kind
      from value_outlier
      where task_id is null and state = 'open'
      order by unit_id, element_id
      limit ${limit}
      for update skip locked`.execute(this.db);
    return r.rows;
  }

  /**
   * The typical magnitude of each written value's recent series (issue 17, scale slips on
   * arrival): exp(mean(ln |y|)) over the non-zero values of the same element, unit, option and
   * attribute in the `recent` stored periods of the same type just before the value's own, the
   * standard deviation of their ln |y| (`sd_ln`), and `n` how many there were. Values without
   * any such earlier value are not answered.
   */
  async recentMagnitudes(values: (ValueKey & { value: number })[], recent: number) {
    if (values.length === 0) return [];
    const json = keysJson(values);
    const r = await sql<ValueKey & { typical: number; sd_ln: number; n: number }>`
      with k as (
        select distinct (k->>0)::int as element_id, (k->>1)::int as unit_id,
          (k->>2)::int as period_id, (k->>3)::int as option_id, (k->>4)::int as attribute_id
        from json_array_elements(${json}::json) as k)
      select k.element_id, k.unit_id, k.period_id, k.option_id, k.attribute_id,
        exp(avg(ln(abs(d.value)))) as typical, stddev_pop(ln(abs(d.value))) as sd_ln,
        count(*)::int as n
      from k
      join period p on p.id = k.period_id
      cross join lateral (
        select q.id from period q
        where q.type = p.type and q.start_date < p.start_date
        order by q.start_date desc
        limit ${recent}) q
      join data_value d on d.period_id = q.id and d.element_id = k.element_id
        and d.unit_id = k.unit_id and d.option_id = k.option_id
        and d.attribute_id = k.attribute_id
      where d.value <> 0
        -- A value still flagged as a slip is not part of its series' usual magnitude.
        and not exists (select 1 from value_outlier f
          where f.kind = 'scale_slip' and f.state = 'open' and f.period_id = d.period_id
            and f.element_id = d.element_id and f.unit_id = d.unit_id
            and f.option_id = d.option_id and f.attribute_id = d.attribute_id)
      group by k.element_id, k.unit_id, k.period_id, k.option_id, k.attribute_id`.execute(this.db);
    return r.rows.map((x) => ({ ...x, typical: Number(x.typical), sd_ln: Number(x.sd_ln) }));
  }

  /** The open task of each (unit, element) among these, if any. */
  async openTasks(pairs: { unit_id: number; element_id: number }[]) {
    if (pairs.length === 0) return [];
    const json = JSON.stringify(pairs.map((p) => [p.unit_id, p.element_id]));
    const r = await sql<{ unit_id: number; element_id: number; task_id: number }>`
      select distinct f.unit_id, f.element_id, f.task_id
      from value_outlier f
      join (select distinct (k->>0)::int as u, (k->>1)::int as e
            from json_array_elements(${json}::json) as k) k on k.u = f.unit_id and k.e = f.element_id
      join task t on t.id = f.task_id and t.status <> 'done'
      where f.state = 'open'`.execute(this.db);
    return r.rows;
  }

  /** Attaches the open flags without a task of each (unit, element) to its task. */
  async setTasks(list: { unit_id: number; element_id: number; task_id: number }[]): Promise<void> {
    for (let i = 0; i < list.length; i += 5000) {
      const json = JSON.stringify(
        list.slice(i, i + 5000).map((x) => [x.unit_id, x.element_id, x.task_id]),
      );
      await sql`
        update value_outlier f set task_id = k.t
        from (select (k->>0)::int as u, (k->>1)::int as e, (k->>2)::int as t
              from json_array_elements(${json}::json) as k) k
        where f.unit_id = k.u and f.element_id = k.e and f.state = 'open' and f.task_id is null`.execute(
        this.db,
      );
    }
  }

  /** Of these tasks, those with no open flag left. */
  async tasksDone(taskIds: number[]): Promise<number[]> {
    if (taskIds.length === 0) return [];
    const r = await sql<{ id: number }>`
      select t.id from task t
      where t.id = any(${taskIds}::int[]) and t.status <> 'done'
        and not exists (select 1 from value_outlier f where f.task_id = t.id and f.state = 'open')`.execute(
      this.db,
    );
    return r.rows.map((x) => x.id);
  }

  /** Marks one flag confirmed correct; its task, or undefined when there is no such flag. */
  async confirm(
    key: ValueKey,
    by: string,
    comment: string,
    at: Date,
  ): Promise<{ task_id: number | null; value: number } | undefined> {
    return this.db
      .updateTable('value_outlier')
      .set({ state: 'confirmed', reviewed_by: by, reviewed_at: at, comment })
      .where('element_id', '=', key.element_id)
      .where('unit_id', '=', key.unit_id)
      .where('period_id', '=', key.period_id)
      .where('option_id', '=', key.option_id)
      .where('attribute_id', '=', key.attribute_id)
      .returning(['task_id', 'value'])
      .executeTakeFirst();
  }

  /** Flags at units under a path (newest first), with names, for the data quality screen. */
  async list(q: { version: string; path: string; state?: 'open' | 'confirmed'; limit: number }) {
    const r = await sql<{
      element_id: number;
      element: string;
      element_name: string;
      unit_id: number;
      unit: string;
      unit_name: string;
      path: string;
      period_id: number;
      period: string;
      option_id: number;
      option: string;
      attribute_id: number;
      value: number;
      low: number | null;
      high: number | null;
      kind: OutlierKind;
      state: 'open' | 'confirmed';
      task_id: number | null;
      comment: string | null;
      reviewed_by: string | null;
      found_at: string;
    }>`
      select f.element_id, e.code as element, e.name_vi as element_name, f.unit_id, u.code as unit,
        u.full_name as unit_name, u.path, f.period_id, p.pid as period, f.option_id,
        o.code as option, f.attribute_id, f.value, f.low, f.high, f.kind, f.state, f.task_id, f.comment,
        f.reviewed_by, to_char(f.found_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as found_at
      from value_outlier f
      join org_unit u on u.id = f.unit_id
      join data_element e on e.id = f.element_id
      join period p on p.id = f.period_id
      join breakdown_option o on o.id = f.option_id
      where u.version = ${q.version} and u.path like ${`${q.path}%`}
        ${q.state ? sql`and f.state = ${q.state}` : sql``}
      order by f.found_at desc, u.code, p.pid
      limit ${q.limit}`.execute(this.db);
    return r.rows;
  }

  async elementNames(ids: number[]) {
    if (ids.length === 0) return [];
    return this.db
      .selectFrom('data_element')
      .select(['id', 'code', 'name_vi'])
      .where('id', 'in', ids)
      .execute();
  }

  /** A flag's key from the codes a reviewer gives (element code or uid, pid, option code). */
  async keyOf(q: {
    element: string;
    unitId: number;
    period: string;
    option?: string;
  }): Promise<ValueKey | undefined> {
    const r = await sql<ValueKey>`
      select f.element_id, f.unit_id, f.period_id, f.option_id, f.attribute_id
      from value_outlier f
      join data_element e on e.id = f.element_id
      join period p on p.id = f.period_id
      join breakdown_option o on o.id = f.option_id
      where f.unit_id = ${q.unitId} and (e.code = ${q.element} or e.uid = ${q.element})
        and p.pid = ${q.period}
        ${q.option !== undefined ? sql`and (o.code = ${q.option} or o.uid = ${q.option})` : sql``}
      order by f.option_id, f.attribute_id
      limit 1`.execute(this.db);
    return r.rows[0];
  }

  async anyStored(): Promise<boolean> {
    const r = await this.db.selectFrom('value_outlier').select('unit_id').limit(1).execute();
    return r.length > 0;
  }

  async anyOpen(): Promise<boolean> {
    const r = await this.db
      .selectFrom('value_outlier')
      .select('unit_id')
      .where('state', '=', 'open')
      .limit(1)
      .execute();
    return r.length > 0;
  }

  /** Open flags of the values of these (element, period) pairs (`elementIds[i]`, `periodIds[i]`). */
  async openOfPairs(elementIds: number[], periodIds: number[]) {
    if (elementIds.length === 0) return [];
    const json = JSON.stringify(elementIds.map((e, i) => [e, periodIds[i]]));
    const r = await sql<NewOutlier & { pid: string; kind: OutlierKind }>`
      select f.element_id, f.unit_id, f.period_id, f.option_id, f.attribute_id, f.value, f.low,
        f.high, f.kind, p.pid
      from value_outlier f
      join (select distinct (k->>0)::int as e, (k->>1)::int as p
            from json_array_elements(${json}::json) as k) k
        on k.e = f.element_id and k.p = f.period_id
      join period p on p.id = f.period_id
      where f.state = 'open'`.execute(this.db);
    return r.rows;
  }

  /** Open flags at these units or under them (analytics' flags), elements by code. */
  async openUnder(unitIds: number[]) {
    if (unitIds.length === 0) return [];
    const r = await sql<{
      element: string;
      unit: string;
      path: string;
      version: string;
      period: string;
      value: number;
      low: number | null;
      high: number | null;
      kind: OutlierKind;
    }>`
      select e.code as element, u.code as unit, u.path, u.version, p.pid as period, f.value,
        f.low, f.high, f.kind
      from value_outlier f
      join data_element e on e.id = f.element_id
      join org_unit u on u.id = f.unit_id
      join period p on p.id = f.period_id
      where f.state = 'open' and exists (select 1 from org_unit_ancestor a
        where a.unit_id = f.unit_id and a.ancestor_id = any(${unitIds}::int[]))
      order by f.found_at desc
      limit 10000`.execute(this.db);
    return r.rows;
  }
}
