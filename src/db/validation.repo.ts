import { sql, type Selectable } from 'kysely';
import type { Db } from './client.ts';
import type { ValidationRuleTable } from './schema.ts';

/** A stored validation rule (levels parsed). */
export type RuleRow = Omit<
  Selectable<ValidationRuleTable>,
  'id' | 'levels' | 'created_at' | 'updated_at'
> & {
  id: number;
  levels: number[];
  created_at: Date;
  updated_at: Date;
};

/** A rule's columns as written. */
export type RuleValues = Omit<RuleRow, 'id' | 'created_at' | 'updated_at'>;

export interface GroupRow {
  id: number;
  code: string;
  uid: string | null;
  name_vi: string;
  name_en: string;
  rules: string[];
}

export interface ElementInfo {
  id: number;
  code: string;
  uid: string | null;
  breakdown_id: number;
  agg_time: string;
  agg_units: string;
}

export interface ResultRow {
  id: number;
  rule_id: number;
  rule_code: string;
  rule_uid: string | null;
  unit_id: number;
  unit_code: string;
  unit_uid: string | null;
  unit_version: string;
  unit_path: string;
  unit_name: string;
  period: string;
  left_value: number | null;
  right_value: number | null;
  importance: string;
  found_at: Date;
  rule_name_vi: string;
  rule_name_en: string;
  instruction_vi: string | null;
  instruction_en: string | null;
  operator: string;
  followup_state: 'open' | 'confirmed' | 'corrected' | null;
  task_id: number | null;
  followup_comment: string | null;
}

export interface NewResult {
  rule_id: number;
  unit_id: number;
  period: string;
  left_value: number | null;
  right_value: number | null;
  importance: string;
}

const levelsOf = (v: unknown): number[] =>
  (typeof v === 'string' ? JSON.parse(v) : (v ?? [])) as number[];

/** Validation rules, their groups and stored results (migration 0020). */
export class ValidationRepo {
  constructor(private readonly db: Db) {}

  private rules() {
    return this.db.selectFrom('validation_rule').selectAll();
  }

  async listRules(): Promise<RuleRow[]> {
    const rows = await this.rules().orderBy('code').execute();
    return rows.map((r) => ({ ...r, levels: levelsOf(r.levels) }));
  }

  /** By code or DHIS2 uid. */
  async ruleByKey(key: string): Promise<RuleRow | undefined> {
    const r = await this.rules()
      .where((eb) => eb.or([eb('code', '=', key), eb('uid', '=', key)]))
      .executeTakeFirst();
    return r ? { ...r, levels: levelsOf(r.levels) } : undefined;
  }

  async rulesByKeys(keys: string[]): Promise<RuleRow[]> {
    if (keys.length === 0) return [];
    const rows = await this.rules()
      .where((eb) => eb.or([eb('code', 'in', keys), eb('uid', 'in', keys)]))
      .execute();
    return rows.map((r) => ({ ...r, levels: levelsOf(r.levels) }));
  }

  /** Creates or replaces the rule with this code; 'created' or 'updated'. */
  async upsertRule(v: RuleValues): Promise<{ id: number; change: 'created' | 'updated' }> {
    const values = { ...v, levels: JSON.stringify(v.levels) };
    const before = await this.db
      .selectFrom('validation_rule')
      .select('id')
      .where('code', '=', v.code)
      .executeTakeFirst();
    if (before) {
      await this.db
        .updateTable('validation_rule')
        .set({ ...values, updated_at: sql<Date>`now()` })
        .where('id', '=', before.id)
        .execute();
      return { id: before.id, change: 'updated' };
    }
    const r = await this.db
      .insertInto('validation_rule')
      .values(values)
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: r.id, change: 'created' };
  }

  async deleteRule(id: number): Promise<void> {
    await this.db.deleteFrom('validation_rule').where('id', '=', id).execute();
  }

  /** Another rule (or group) holding this uid, if any. */
  async uidTaken(table: 'validation_rule' | 'validation_rule_group', uid: string, code: string) {
    const r = await this.db
      .selectFrom(table)
      .select('code')
      .where('uid', '=', uid)
      .where('code', '!=', code)
      .executeTakeFirst();
    return r?.code;
  }

  async listGroups(): Promise<GroupRow[]> {
    const groups = await this.db
      .selectFrom('validation_rule_group')
      .select(['id', 'code', 'uid', 'name_vi', 'name_en'])
      .orderBy('code')
      .execute();
    const members = await this.db
      .selectFrom('validation_rule_group_member as m')
      .innerJoin('validation_rule as r', 'r.id', 'm.rule_id')
      .select(['m.group_id', 'r.code'])
      .orderBy('r.code')
      .execute();
    return groups.map((g) => ({
      ...g,
      rules: members.filter((m) => m.group_id === g.id).map((m) => m.code),
    }));
  }

  async groupByKey(key: string): Promise<GroupRow | undefined> {
    return (await this.listGroups()).find((g) => g.code === key || g.uid === key);
  }

  async upsertGroup(
    g: { code: string; uid: string | null; name_vi: string; name_en: string },
    ruleIds: number[],
  ): Promise<{ id: number; change: 'created' | 'updated' }> {
    const before = await this.db
      .selectFrom('validation_rule_group')
      .select('id')
      .where('code', '=', g.code)
      .executeTakeFirst();
    let id: number;
    if (before) {
      id = before.id;
      await this.db
        .updateTable('validation_rule_group')
        .set({ ...g, updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .execute();
      await this.db.deleteFrom('validation_rule_group_member').where('group_id', '=', id).execute();
    } else {
      id = (
        await this.db
          .insertInto('validation_rule_group')
          .values(g)
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    }
    if (ruleIds.length)
      await this.db
        .insertInto('validation_rule_group_member')
        .values([...new Set(ruleIds)].map((rule_id) => ({ group_id: id, rule_id })))
        .execute();
    return { id, change: before ? 'updated' : 'created' };
  }

  // -------------------------------------------------------------------------------------------
  // What rules refer to

  /** Data elements by code or uid. */
  async elementsByKeys(keys: string[]): Promise<ElementInfo[]> {
    if (keys.length === 0) return [];
    return this.db
      .selectFrom('data_element')
      .select(['id', 'code', 'uid', 'breakdown_id', 'agg_time', 'agg_units'])
      .where((eb) => eb.or([eb('code', 'in', keys), eb('uid', 'in', keys)]))
      .execute();
  }

  /**
   * Stored violations at these units or under them, with their rule: what marks a figure made
   * of the values they concern (analytics' `flags`).
   */
  async resultsUnder(unitIds: number[]) {
    if (unitIds.length === 0) return [];
    const r = await sql<{
      rule: string;
      name_vi: string;
      name_en: string;
      instruction_vi: string | null;
      instruction_en: string | null;
      importance: 'HIGH' | 'MEDIUM' | 'LOW';
      left_expression: string;
      right_expression: string;
      unit: string;
      path: string;
      version: string;
      period: string;
      left_value: number | null;
      right_value: number | null;
    }>`select vr.code as rule, vr.name_vi, vr.name_en, vr.instruction_vi, vr.instruction_en,
        r.importance, vr.left_expression, vr.right_expression, u.code as unit, u.path, u.version,
        r.period, r.left_value, r.right_value
      from validation_result r
      join validation_rule vr on vr.id = r.rule_id
      join org_unit u on u.id = r.unit_id
      where exists (select 1 from org_unit_ancestor a
        where a.unit_id = r.unit_id and a.ancestor_id = any(${unitIds}::int[]))
        and not exists (select 1 from validation_followup f where f.rule_id = r.rule_id
          and f.unit_id = r.unit_id and f.period = r.period and f.state = 'confirmed')
      order by r.importance, r.found_at desc
      limit 10000`.execute(this.db);
    return r.rows;
  }

  /** Whether any rule is stored (an import keeps what it wrote for the rules only then). */
  async anyRule(): Promise<boolean> {
    const r = await this.db.selectFrom('validation_rule').select('id').limit(1).execute();
    return r.length > 0;
  }

  /** These units and every unit above them (a rule may apply at any level of the chain). */
  async withUnitsAbove(ids: number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const r = await this.db
      .selectFrom('org_unit_ancestor')
      .select('ancestor_id')
      .distinct()
      .where('unit_id', '=', (eb) => eb.fn.any(eb.val(ids)))
      .execute();
    return r.map((x) => x.ancestor_id);
  }

  /** Units by id, with what a run needs of them. */
  async unitsByIds(ids: number[]) {
    if (ids.length === 0) return [];
    return this.db
      .selectFrom('org_unit')
      .select(['id', 'code', 'uid', 'version', 'level', 'path', 'full_name', 'name'])
      .where('id', 'in', ids)
      .execute();
  }

  /** Stored periods lying within [start, end] or overlapping it, with their spans. */
  async periodsAround(start: string, end: string) {
    const r = await sql<{ id: number; pid: string; start: string; end: string }>`
      select id, pid, to_char(start_date, 'YYYY-MM-DD') as start, to_char(end_date, 'YYYY-MM-DD') as "end"
      from period where start_date <= ${end}::date and end_date >= ${start}::date`.execute(this.db);
    return r.rows;
  }

  /** Stored periods by id. */
  async periodsByIds(ids: number[]) {
    if (ids.length === 0) return [];
    return this.db
      .selectFrom('period')
      .select(['id', 'pid', 'type'])
      .where('id', 'in', ids)
      .execute();
  }

  /**
   * The values stored at each (rule item, unit, period) asked: what a reviewer can correct from
   * a broken rule's card (nothing where the rule reads totals of the units below or of shorter
   * periods). `option_id` null asks for every option of the element.
   */
  async storedItems(
    cells: {
      rule_id: number;
      element_id: number;
      option_id: number | null;
      unit_id: number;
      period: string;
    }[],
  ) {
    if (cells.length === 0) return [];
    const r = await sql<{
      rule_id: number;
      unit_id: number;
      period: string;
      element: string;
      element_name_vi: string;
      element_name_en: string;
      option: string;
      value: number | null;
    }>`
      select distinct c.rule_id, c.unit_id, c.period, e.code as element,
        e.name_vi as element_name_vi, e.name_en as element_name_en, o.code as option, d.value
      from json_to_recordset(${JSON.stringify(cells)}::json)
        as c(rule_id int, element_id int, option_id int, unit_id int, period text)
      join period p on p.pid = c.period
      join data_value d on d.period_id = p.id and d.element_id = c.element_id
        and d.unit_id = c.unit_id and (c.option_id is null or d.option_id = c.option_id)
      join data_element e on e.id = d.element_id
      join breakdown_option o on o.id = d.option_id
      join attribute_option a on a.id = d.attribute_id and a.code = 'default'
      order by c.rule_id, c.unit_id, c.period, e.code, o.code`.execute(this.db);
    return r.rows;
  }

  /** Breakdown options by code or uid, with the breakdown they belong to. */
  async optionsByKeys(keys: string[]) {
    if (keys.length === 0) return [];
    return this.db
      .selectFrom('breakdown_option')
      .select(['id', 'code', 'uid', 'breakdown_id'])
      .where((eb) => eb.or([eb('code', 'in', keys), eb('uid', 'in', keys)]))
      .execute();
  }

  /** A data set by code or uid, with its elements' ids. */
  async dataSetByKey(key: string) {
    const ds = await this.db
      .selectFrom('data_set')
      .select(['id', 'code', 'uid', 'version', 'period_type'])
      .where((eb) => eb.or([eb('code', '=', key), eb('uid', '=', key)]))
      .executeTakeFirst();
    if (!ds) return undefined;
    const members = await this.db
      .selectFrom('data_set_element')
      .select('element_id')
      .where('data_set_id', '=', ds.id)
      .execute();
    return { ...ds, elementIds: members.map((m) => m.element_id) };
  }

  /** The period types of the data sets each element is reported in. */
  async dataSetPeriodTypes(elementIds: number[]) {
    if (elementIds.length === 0) return [];
    return this.db
      .selectFrom('data_set_element as e')
      .innerJoin('data_set as d', 'd.id', 'e.data_set_id')
      .select(['e.element_id', 'd.code', 'd.period_type'])
      .where('e.element_id', 'in', elementIds)
      .execute();
  }

  // -------------------------------------------------------------------------------------------
  // Results

  /**
   * Stores what a run found: for each rule run, the results it had stored at the units and
   * periods it checked are replaced by `found` ("stored until the values change").
   */
  async replaceResults(
    checked: { ruleId: number; unitIds: number[]; periods: string[] }[],
    found: NewResult[],
  ): Promise<void> {
    // Only periods holding results can lose some (a bulk load's new periods hold none).
    const asked = [
      ...new Set([...checked.flatMap((c) => c.periods), ...found.map((f) => f.period)]),
    ];
    const held = new Set(
      asked.length
        ? (
            await this.db
              .selectFrom('validation_result')
              .select('period')
              .distinct()
              .where('period', '=', (eb) => eb.fn.any(eb.val(asked)))
              .execute()
          ).map((r) => r.period)
        : [],
    );
    for (const c of checked) {
      const periods = c.periods.filter((p) => held.has(p));
      if (c.unitIds.length === 0 || periods.length === 0) continue;
      await this.db
        .deleteFrom('validation_result')
        .where('rule_id', '=', c.ruleId)
        .where('unit_id', '=', (eb) => eb.fn.any(eb.val(c.unitIds)))
        .where('period', '=', (eb) => eb.fn.any(eb.val(periods)))
        .execute();
    }
    // As one JSON parameter per 10,000 results: a bulk load can break rules 20,000 times. A
    // period that held no result takes a plain insert (a third faster than the upsert).
    const upsert = found.filter((f) => held.has(f.period));
    const insert = upsert.length ? found.filter((f) => !held.has(f.period)) : found;
    for (const [rows, conflict] of [
      [insert, sql``],
      [
        upsert,
        sql`on conflict (rule_id, unit_id, period) do update set left_value = excluded.left_value,
          right_value = excluded.right_value, importance = excluded.importance, found_at = now()`,
      ],
    ] as const)
      for (let i = 0; i < rows.length; i += 10_000)
        await sql`
          insert into validation_result (rule_id, unit_id, period, left_value, right_value, importance)
          select rule_id, unit_id, period, left_value, right_value, importance
          from json_to_recordset(${JSON.stringify(rows.slice(i, i + 10_000))}::json)
            as x(rule_id int, unit_id int, period text, left_value float8, right_value float8, importance text)
          ${conflict}`.execute(this.db);
  }

  /** The follow-ups of these cells (rule, unit, period), whatever their state. */
  async followups(cells: { ruleId: number; unitId: number; period: string }[]) {
    if (cells.length === 0) return [];
    const r = await sql<{
      rule_id: number;
      unit_id: number;
      period: string;
      task_id: number | null;
      state: 'open' | 'confirmed' | 'corrected';
    }>`select f.rule_id, f.unit_id, f.period, f.task_id, f.state
      from validation_followup f
      join json_to_recordset(${JSON.stringify(cells)}::json) as c("ruleId" int, "unitId" int, period text)
        on c."ruleId" = f.rule_id and c."unitId" = f.unit_id and c.period = f.period`.execute(
      this.db,
    );
    return r.rows;
  }

  /** Open follow-ups of rules among the checked cells (rule, units, periods). */
  async openFollowups(checked: { ruleId: number; unitIds: number[]; periods: string[] }[]) {
    const out = [];
    for (const c of checked) {
      if (c.unitIds.length === 0 || c.periods.length === 0) continue;
      out.push(
        ...(await this.db
          .selectFrom('validation_followup')
          .select(['rule_id', 'unit_id', 'period', 'task_id'])
          .where('rule_id', '=', c.ruleId)
          // One array each, not a parameter per id: 10,599 units × 236 days for a bulk load.
          .where('unit_id', '=', (eb) => eb.fn.any(eb.val(c.unitIds)))
          .where('period', '=', (eb) => eb.fn.any(eb.val(c.periods)))
          .where('state', '=', 'open')
          .execute()),
      );
    }
    return out;
  }

  /**
   * New open follow-ups (cells without one; `openFollowup` reopens). A null task is one a bulk
   * load leaves for after its commit (migration 0029).
   */
  async openFollowupMany(
    fs: { rule_id: number; unit_id: number; period: string; task_id: number | null }[],
  ): Promise<void> {
    for (let i = 0; i < fs.length; i += 5000)
      await sql`
        insert into validation_followup (rule_id, unit_id, period, task_id, state)
        select rule_id, unit_id, period, task_id, 'open'
        from json_to_recordset(${JSON.stringify(fs.slice(i, i + 5000))}::json)
          as x(rule_id int, unit_id int, period text, task_id int)`.execute(this.db);
  }

  /**
   * Follow-ups a bulk load left without a task (migration 0029), with the violation they follow
   * (the rule's words and both sides), at most `limit`, locked so that two drains do not both
   * open them. A follow-up whose violation is gone has nothing to ask: left out.
   */
  async pendingFollowups(limit: number) {
    const r = await sql<{
      rule_id: number;
      unit_id: number;
      period: string;
      rule_code: string;
      name_vi: string;
      instruction_vi: string | null;
      left_value: number | null;
      right_value: number | null;
    }>`
      select f.rule_id, f.unit_id, f.period, r.code as rule_code, r.name_vi, r.instruction_vi,
        v.left_value, v.right_value
      from validation_followup f
      join validation_rule r on r.id = f.rule_id
      join lateral (
        select v.left_value, v.right_value from validation_result v
        where v.rule_id = f.rule_id and v.unit_id = f.unit_id and v.period = f.period
        limit 1) v on true
      where f.task_id is null and f.state = 'open'
      order by f.rule_id, f.unit_id, f.period
      limit ${limit}
      for update of f skip locked`.execute(this.db);
    return r.rows;
  }

  /** Gives pending follow-ups their tasks (those still without one). */
  async setFollowupTasks(
    fs: { rule_id: number; unit_id: number; period: string; task_id: number }[],
  ): Promise<void> {
    for (let i = 0; i < fs.length; i += 5000)
      await sql`
        update validation_followup f set task_id = x.task_id
        from json_to_recordset(${JSON.stringify(fs.slice(i, i + 5000))}::json)
          as x(rule_id int, unit_id int, period text, task_id int)
        where f.rule_id = x.rule_id and f.unit_id = x.unit_id and f.period = x.period
          and f.task_id is null`.execute(this.db);
  }

  async openFollowup(f: {
    rule_id: number;
    unit_id: number;
    period: string;
    task_id: number | null;
  }) {
    await this.db
      .insertInto('validation_followup')
      .values({ ...f, state: 'open' })
      .onConflict((oc) =>
        oc.columns(['rule_id', 'unit_id', 'period']).doUpdateSet({
          state: 'open',
          task_id: f.task_id,
          comment: null,
          reviewed_by: null,
          reviewed_at: null,
        }),
      )
      .execute();
  }

  async closeFollowup(
    key: { rule_id: number; unit_id: number; period: string },
    state: 'confirmed' | 'corrected',
    by: string,
    comment: string | null,
  ) {
    await this.db
      .insertInto('validation_followup')
      .values({ ...key, state, reviewed_by: by, comment, reviewed_at: sql<Date>`now()` })
      .onConflict((oc) =>
        oc.columns(['rule_id', 'unit_id', 'period']).doUpdateSet({
          state,
          reviewed_by: by,
          comment,
          reviewed_at: sql<Date>`now()`,
        }),
      )
      .execute();
  }

  /** Stored results at units under the scope's unit (null = all), newest first, paged. */
  /**
   * Stored results (issue 17's data quality screen): with the rule's names, instruction and
   * operator and the follow-up's state and task; `open` leaves out those a reviewer confirmed.
   * Most important first (HIGH, MEDIUM, LOW), then newest.
   */
  async listResults(opts: {
    scope: { version: string; path: string } | null;
    ruleIds?: number[];
    periods?: string[];
    state?: 'open' | 'confirmed' | 'corrected';
    limit: number;
    offset: number;
  }): Promise<{ rows: ResultRow[]; total: number }> {
    let q = this.db
      .selectFrom('validation_result as v')
      .innerJoin('validation_rule as r', 'r.id', 'v.rule_id')
      .innerJoin('org_unit as u', 'u.id', 'v.unit_id')
      .leftJoin('validation_followup as f', (j) =>
        j
          .onRef('f.rule_id', '=', 'v.rule_id')
          .onRef('f.unit_id', '=', 'v.unit_id')
          .onRef('f.period', '=', 'v.period'),
      );
    if (opts.scope !== null)
      q = q
        .where('u.version', '=', opts.scope.version)
        .where('u.path', 'like', `${opts.scope.path}%`);
    if (opts.ruleIds) q = q.where('v.rule_id', 'in', opts.ruleIds.length ? opts.ruleIds : [-1]);
    if (opts.periods) q = q.where('v.period', 'in', opts.periods.length ? opts.periods : ['']);
    if (opts.state === 'open')
      q = q.where((eb) => eb.or([eb('f.state', 'is', null), eb('f.state', '<>', 'confirmed')]));
    else if (opts.state !== undefined) q = q.where('f.state', '=', opts.state);
    const total = await q
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    const rows = await q
      .select([
        'v.id',
        'v.rule_id',
        'r.code as rule_code',
        'r.uid as rule_uid',
        'r.name_vi as rule_name_vi',
        'r.name_en as rule_name_en',
        'r.instruction_vi',
        'r.instruction_en',
        'r.operator',
        'v.unit_id',
        'u.code as unit_code',
        'u.uid as unit_uid',
        'u.version as unit_version',
        'u.path as unit_path',
        'u.full_name as unit_name',
        'v.period',
        'v.left_value',
        'v.right_value',
        'v.importance',
        'v.found_at',
        'f.state as followup_state',
        'f.task_id',
        'f.comment as followup_comment',
      ])
      .orderBy(
        sql`case v.importance when 'HIGH' then 0 when 'MEDIUM' then 1 when 'LOW' then 2 else 3 end`,
      )
      .orderBy('v.found_at', 'desc')
      .orderBy('v.id', 'desc')
      .limit(opts.limit)
      .offset(opts.offset)
      .execute();
    return { rows, total: Number(total.n) };
  }
}
