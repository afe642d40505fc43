import { sql, type RawBuilder } from 'kysely';
import type { Db } from './client.ts';

/**
 * Which stored values are flagged (issue 17: "a flagged value shows its flag wherever it is
 * read"), read for services/value-flag.service.ts. Today from stored validation results: a value
 * is flagged when a broken rule reads its element (and option, when the rule names one), at the
 * result's own unit, in a stored period within the result's period — unless a reviewer confirmed
 * the result correct (validation_followup.state 'confirmed', as analytics' `resultsUnder` and the
 * data quality screen's `open` read it).
 */

/** A rule's element item, resolved: the rule reads this element (this option, or any). */
export interface FlagRuleRef {
  rule_id: number;
  element_id: number;
  /** null: every option of the element */
  option_id: number | null;
}

/** One stored value read by one unconfirmed broken rule. */
export interface ValidationFlagRow {
  element_id: number;
  unit_id: number;
  period_id: number;
  option_id: number;
  attribute_id: number;
  rule_id: number;
  importance: 'HIGH' | 'MEDIUM' | 'LOW';
  /** the result's period (canonical id): the value's own, or one it lies within */
  period: string;
  left_value: number | null;
  right_value: number | null;
}

/** Which units' values are asked about: those passing every condition given. */
export interface FlagUnits {
  /** under this unit of its tree (the reader's scope) */
  scope?: { version: string; path: string } | null;
  /** of this tree */
  version?: string;
  /** these units */
  ids?: number[];
  /** under one of these units of their trees (an empty list: none) */
  anyUnder?: { version: string; path: string }[];
}

/** Stored values by their key, as the export's SQL tests them (`followupOrFlaggedSql`). */
export interface FlaggedKeys {
  elements: number[];
  units: number[];
  periods: number[];
  options: number[];
  attributes: number[];
}

/** Results no reviewer confirmed correct (`r` a validation_result). */
const UNCONFIRMED = sql`not exists (select 1 from validation_followup f
  where f.rule_id = r.rule_id and f.unit_id = r.unit_id and f.period = r.period
    and f.state = 'confirmed')`;

export class ValueFlagRepo {
  constructor(private readonly db: Db) {}

  /** The periods (canonical ids) of stored results no reviewer confirmed: none, nothing flagged. */
  async openResultPeriods(): Promise<string[]> {
    const r = await sql<{ period: string }>`select distinct r.period from validation_result r
      where ${UNCONFIRMED}`.execute(this.db);
    return r.rows.map((x) => x.period);
  }

  /**
   * The stored values of these (element, period) pairs read by an unconfirmed broken rule: one
   * row per value and rule result. `refs`: what each rule reads; `periods`: the results' periods
   * with their dates (a stored period within one is read by it); `units`: only results at units
   * that pass it (all its conditions).
   */
  async validationFlags(q: {
    elementIds: number[];
    periodIds: number[];
    refs: FlagRuleRef[];
    periods: { pid: string; start: string; end: string }[];
    units?: FlagUnits;
  }): Promise<ValidationFlagRow[]> {
    if (q.elementIds.length === 0 || q.refs.length === 0 || q.periods.length === 0) return [];
    const u = q.units ?? {};
    const path = (p: { version: string; path: string }) =>
      sql`(u.version = ${p.version} and u.path like ${p.path + '%'})`;
    const conditions = [
      u.scope ? path(u.scope) : undefined,
      u.version ? sql`u.version = ${u.version}` : undefined,
      u.ids ? sql`u.id = any(${u.ids}::int[])` : undefined,
      u.anyUnder
        ? u.anyUnder.length
          ? sql`(${sql.join(u.anyUnder.map(path), sql` or `)})`
          : sql`false`
        : undefined,
    ].filter((c) => c !== undefined);
    // From the results (few) to the values they flag, never through every value of the pairs:
    // `k` the pairs with the results' periods they lie within, `r` the unconfirmed results of
    // those periods and rules, then one primary key probe per result and pair of its elements.
    const r = await sql<ValidationFlagRow>`
      with k as materialized (
        select k.element_id, k.period_id, rp.pid
        from unnest(${q.elementIds}::int[], ${q.periodIds}::int[]) as k(element_id, period_id)
        join period sp on sp.id = k.period_id
        join unnest(${q.periods.map((p) => p.pid)}::text[],
            ${q.periods.map((p) => p.start)}::date[], ${q.periods.map((p) => p.end)}::date[])
            as rp(pid, start_date, end_date)
          on sp.start_date >= rp.start_date and sp.end_date <= rp.end_date),
      x as materialized (
        select * from json_to_recordset(${JSON.stringify(q.refs)}::json)
          as x(rule_id int, element_id int, option_id int)),
      r as materialized (
        select r.rule_id, r.unit_id, r.period, r.importance, r.left_value, r.right_value
        from validation_result r
        ${
          conditions.length
            ? sql`join org_unit u on u.id = r.unit_id and ${sql.join(conditions, sql` and `)}`
            : sql``
        }
        where r.period in (select pid from k) and r.rule_id in (select rule_id from x)
          and ${UNCONFIRMED})
      select d.element_id, d.unit_id, d.period_id, d.option_id, d.attribute_id,
        r.rule_id, r.importance, r.period, r.left_value, r.right_value
      from r
      join x on x.rule_id = r.rule_id
      join k on k.pid = r.period and k.element_id = x.element_id
      join data_value d on d.period_id = k.period_id and d.element_id = k.element_id
        and d.unit_id = r.unit_id and (x.option_id is null or d.option_id = x.option_id)`.execute(
      this.db,
    );
    return r.rows;
  }
}

/**
 * An export's `followup` (data-value.repo.ts, `d` a stored or deleted value): the stored flag,
 * or the value is among `flagged` (a deleted value is not: the flag concerns the stored one).
 * The same expression on both export paths, so the server's COPY lines stay byte for byte the
 * row path's.
 */
export function followupOrFlaggedSql(flagged: FlaggedKeys | undefined): RawBuilder<boolean> {
  if (!flagged || flagged.elements.length === 0) return sql<boolean>`d.followup`;
  return sql<boolean>`(d.followup or (not d.deleted
    and (d.element_id, d.unit_id, d.period_id, d.option_id, d.attribute_id) in (
      select * from unnest(${flagged.elements}::int[], ${flagged.units}::int[],
        ${flagged.periods}::int[], ${flagged.options}::int[], ${flagged.attributes}::int[]))))`;
}
