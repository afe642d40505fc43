import { sql } from 'kysely';
import type { Db } from './client.ts';
import type { AlertRuleTable } from './schema.ts';

export type Operator = AlertRuleTable['operator'];
export type RulePeriodType = AlertRuleTable['period_type'];
export type SubjectType = AlertRuleTable['subject_type'];

export interface RuleRow {
  id: number;
  name_vi: string;
  name_en: string;
  subject_type: SubjectType;
  subject: string;
  unit_version: string;
  unit_code: string;
  level: number;
  period_type: RulePeriodType;
  operator: Operator;
  threshold: number;
  active: boolean;
  created_at: Date;
  created_by: string | null;
  unit_path: string;
  unit_name: string;
}

export interface NewRule {
  name_vi: string;
  name_en: string;
  subject_type: SubjectType;
  subject: string;
  unit_version: string;
  unit_code: string;
  level: number;
  period_type: RulePeriodType;
  operator: Operator;
  threshold: number;
  active: boolean;
  created_by: string | null;
}

export interface AlertRow {
  id: number;
  rule_id: number;
  unit_version: string;
  unit_code: string;
  period: string;
  value: number | null;
  threshold: number;
  state: 'open' | 'resolved';
  opened_at: Date;
  updated_at: Date;
  resolved_at: Date | null;
}

/** An alert with its rule and unit, as lists and live events show it. */
export interface AlertView extends AlertRow {
  rule_name_vi: string;
  rule_name_en: string;
  rule_subject: string;
  rule_subject_type: SubjectType;
  rule_operator: Operator;
  rule_period_type: RulePeriodType;
  unit_name: string;
  unit_full_name: string;
  unit_level: number;
  unit_path: string;
}

/** A change to write: a new alert, or a new state/value for an existing one. */
export interface AlertWrite {
  id?: number;
  rule_id: number;
  unit_version: string;
  unit_code: string;
  period: string;
  value: number | null;
  threshold: number;
  state: 'open' | 'resolved';
  /** An alert that opens again starts a new "since". */
  reopened?: boolean;
}

export class AlertRepo {
  constructor(private readonly db: Db) {}

  private rules() {
    return this.db
      .selectFrom('alert_rule as r')
      .innerJoin('org_unit as u', (j) =>
        j.onRef('u.version', '=', 'r.unit_version').onRef('u.code', '=', 'r.unit_code'),
      )
      .selectAll('r')
      .select(['u.path as unit_path', 'u.full_name as unit_name']);
  }

  async insertRule(rule: NewRule): Promise<number> {
    const r = await this.db
      .insertInto('alert_rule')
      .values(rule)
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async updateRule(
    id: number,
    set: Partial<Pick<NewRule, 'name_vi' | 'name_en' | 'threshold' | 'active'>>,
  ): Promise<void> {
    await this.db.updateTable('alert_rule').set(set).where('id', '=', id).execute();
  }

  async rule(id: number): Promise<RuleRow | undefined> {
    return this.rules().where('r.id', '=', id).executeTakeFirst();
  }

  /**
   * Rules, newest first. With a scope: those on units in it, and those above it that cover it
   * (a province's rule reaches its communes).
   */
  async listRules(opts: {
    scope: { version: string; path: string } | null;
    activeOnly?: boolean;
  }): Promise<RuleRow[]> {
    let q = this.rules().orderBy('r.id', 'desc');
    if (opts.activeOnly) q = q.where('r.active', '=', true);
    const s = opts.scope;
    if (s)
      q = q
        .where('r.unit_version', '=', s.version)
        .where((eb) =>
          eb.or([
            eb('u.path', 'like', `${s.path}%`),
            eb(sql.val(s.path), 'like', sql<string>`u.path || '%'`),
          ]),
        );
    return q.execute();
  }

  /** The stored alerts of a rule for some periods. */
  async forRule(ruleId: number, periods: string[]): Promise<AlertRow[]> {
    if (periods.length === 0) return [];
    return this.db
      .selectFrom('alert')
      .selectAll()
      .where('rule_id', '=', ruleId)
      .where('period', 'in', periods)
      .execute();
  }

  /** Creates and updates alerts; returns the ids written, in the order given. */
  async write(changes: AlertWrite[]): Promise<number[]> {
    const ids: number[] = [];
    for (const c of changes) {
      if (c.id === undefined) {
        const r = await this.db
          .insertInto('alert')
          .values({
            rule_id: c.rule_id,
            unit_version: c.unit_version,
            unit_code: c.unit_code,
            period: c.period,
            value: c.value,
            threshold: c.threshold,
            state: c.state,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        ids.push(r.id);
        continue;
      }
      await this.db
        .updateTable('alert')
        .set({
          value: c.value,
          threshold: c.threshold,
          state: c.state,
          updated_at: sql<Date>`now()`,
          resolved_at: c.state === 'resolved' ? sql<Date>`now()` : null,
          ...(c.reopened ? { opened_at: sql<Date>`now()` } : {}),
        })
        .where('id', '=', c.id)
        .execute();
      ids.push(c.id);
    }
    return ids;
  }

  private views() {
    return this.db
      .selectFrom('alert as a')
      .innerJoin('alert_rule as r', 'r.id', 'a.rule_id')
      .innerJoin('org_unit as u', (j) =>
        j.onRef('u.version', '=', 'a.unit_version').onRef('u.code', '=', 'a.unit_code'),
      )
      .selectAll('a')
      .select([
        'r.name_vi as rule_name_vi',
        'r.name_en as rule_name_en',
        'r.subject as rule_subject',
        'r.subject_type as rule_subject_type',
        'r.operator as rule_operator',
        'r.period_type as rule_period_type',
        'u.name as unit_name',
        'u.full_name as unit_full_name',
        'u.level as unit_level',
        'u.path as unit_path',
      ]);
  }

  async byIds(ids: number[]): Promise<AlertView[]> {
    if (ids.length === 0) return [];
    return this.views().where('a.id', 'in', ids).execute();
  }

  /** Newest change first, within a subtree (null = everywhere). */
  async list(opts: {
    state?: 'open' | 'resolved';
    under: { version: string; path: string } | null;
    ruleId?: number;
    limit: number;
  }): Promise<AlertView[]> {
    let q = this.views().orderBy('a.updated_at', 'desc').orderBy('a.id', 'desc').limit(opts.limit);
    if (opts.state) q = q.where('a.state', '=', opts.state);
    if (opts.ruleId !== undefined) q = q.where('a.rule_id', '=', opts.ruleId);
    if (opts.under)
      q = q
        .where('a.unit_version', '=', opts.under.version)
        .where('u.path', 'like', `${opts.under.path}%`);
    return q.execute();
  }

  /**
   * Violations rules (issue 17): the stored violations of one importance that no reviewer
   * confirmed, counted under each unit of `level` under `path` (the unit itself included), per
   * violation period among `periods`.
   */
  async violationCounts(q: {
    version: string;
    path: string;
    level: number;
    importance: string;
    periods: string[];
  }): Promise<{ unit_code: string; period: string; n: number }[]> {
    if (q.periods.length === 0) return [];
    const r = await sql<{ unit_code: string; period: string; n: number | string }>`
      select a.code as unit_code, r.period, count(*) as n
      from validation_result r
      join org_unit_ancestor x on x.unit_id = r.unit_id
      join org_unit a on a.id = x.ancestor_id
      where r.importance = ${q.importance}
        and r.period = any(${q.periods}::text[])
        and a.version = ${q.version} and a.level = ${q.level} and a.path like ${`${q.path}%`}
        and not exists (select 1 from validation_followup f where f.rule_id = r.rule_id
          and f.unit_id = r.unit_id and f.period = r.period and f.state = 'confirmed')
      group by a.code, r.period`.execute(this.db);
    return r.rows.map((x) => ({ ...x, n: Number(x.n) }));
  }

  /** Units by id: their tree and path (the cells of a violations outbox row). */
  async unitsByIds(ids: number[]) {
    if (ids.length === 0) return [];
    return this.db
      .selectFrom('org_unit')
      .select(['id', 'version', 'path'])
      .where('id', 'in', ids)
      .execute();
  }

  // The outbox (migration 0024): what a transaction leaves to be done after its commit.

  /** Live events to publish once the transaction writing them commits. */
  async queueLive(
    events: { topic: string; scope: { version: string; path: string }; payload: unknown }[],
  ): Promise<void> {
    // One JSON parameter per 5,000 events: a check can open thousands of tasks.
    for (let i = 0; i < events.length; i += 5000) {
      const rows = events.slice(i, i + 5000).map((e) => ({
        topic: e.topic,
        version: e.scope.version,
        path: e.scope.path,
        payload: e.payload ?? null,
      }));
      await sql`
        insert into outbox (kind, topic, version, path, payload)
        select 'live', topic, version, path, coalesce(payload, 'null'::jsonb)
        from json_to_recordset(${JSON.stringify(rows)}::json)
          as x(topic text, version text, path text, payload jsonb)`.execute(this.db);
    }
  }

  /** Follow-ups left for after the commit (migration 0029): the drain opens their tasks. */
  async queueFollowUps(): Promise<void> {
    await this.db.insertInto('outbox').values({ kind: 'follow_ups', payload: '{}' }).execute();
  }

  /** The oldest rows of the outbox. */
  async outbox(limit: number) {
    const rows = await this.db
      .selectFrom('outbox')
      .select(['id', 'kind', 'topic', 'version', 'path', 'payload'])
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  async outboxDone(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.deleteFrom('outbox').where('id', 'in', ids).execute();
  }

  // What a rule may watch: elements, their breakdown options and indicators, by code or uid.

  elementByKey(key: string) {
    return this.db
      .selectFrom('data_element')
      .select(['code', 'breakdown_id'])
      .where((eb) => eb.or([eb('code', '=', key), eb('uid', '=', key)]))
      .executeTakeFirst();
  }

  optionByKey(breakdownId: number, key: string) {
    return this.db
      .selectFrom('breakdown_option')
      .select('code')
      .where('breakdown_id', '=', breakdownId)
      .where((eb) => eb.or([eb('code', '=', key), eb('uid', '=', key)]))
      .executeTakeFirst();
  }

  indicatorByKey(key: string) {
    return this.db
      .selectFrom('indicator')
      .select('code')
      .where((eb) => eb.or([eb('code', '=', key), eb('uid', '=', key)]))
      .executeTakeFirst();
  }

  /** Every indicator's formula, and every element's code and uid (formulas may name either). */
  async formulas() {
    const indicators = await this.db
      .selectFrom('indicator')
      .select(['code', 'uid', 'formula'])
      .execute();
    const elements = await this.db.selectFrom('data_element').select(['code', 'uid']).execute();
    return { indicators, elements };
  }
}
