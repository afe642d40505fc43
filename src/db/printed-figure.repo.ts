import { sql } from 'kysely';
import type { Db } from './client.ts';
import type { PrintedQualifier } from './schema.ts';

/**
 * What a source printed about a figure beyond its stored value (issue 18, migration 0028):
 * qualifiers ("khoảng", "gần", "hơn") and printed changes where no stored value carries them (a
 * breakdown's total; a figure printed with no value). `option_id` null is the element's total.
 */

/** A row's key and what it says, by ids. */
export interface PrintedFigureKey {
  element_id: number;
  unit_id: number;
  period_id: number;
  /** null: the element's total */
  option_id: number | null;
}
export interface PrintedFigureFields {
  qualifier: PrintedQualifier | null;
  reported_yoy_pct: number | null;
  reported_prev_pct: number | null;
  yoy_qualifier: PrintedQualifier | null;
  prev_qualifier: PrintedQualifier | null;
  source: string | null;
}
export type PrintedFigureWrite = PrintedFigureKey & PrintedFigureFields;

/** A stored row with the codes it is asked and answered by. */
export interface PrintedFigureRow extends PrintedFigureWrite {
  element: string;
  pid: string;
  version: string;
  unit_code: string;
  /** null: the element's total */
  option: string | null;
  updated_by: string;
  updated_at: Date;
}

const sameKey = (a: PrintedFigureKey, b: PrintedFigureKey) =>
  a.element_id === b.element_id &&
  a.unit_id === b.unit_id &&
  a.period_id === b.period_id &&
  a.option_id === b.option_id;

export class PrintedFigureRepo {
  constructor(private readonly db: Db) {}

  /** Elements by code, with whether they have a breakdown (and which). */
  async elements(codes: string[]) {
    if (codes.length === 0) return [];
    const r = await sql<{ id: number; code: string; breakdown_id: number; breakdown: string }>`
      select e.id, e.code, e.breakdown_id, b.code as breakdown
      from data_element e join breakdown b on b.id = e.breakdown_id
      where e.code = any(${codes}::text[])`.execute(this.db);
    return r.rows;
  }

  /** Breakdown options by code. */
  async options(codes: string[]) {
    if (codes.length === 0) return [];
    return this.db
      .selectFrom('breakdown_option')
      .select(['id', 'code', 'breakdown_id'])
      .where('code', 'in', codes)
      .execute();
  }

  /** Units by (tree, code). */
  async units(keys: { version: string; code: string }[]) {
    if (keys.length === 0) return [];
    const r = await sql<{ id: number; version: string; code: string; path: string }>`
      select u.id, u.version, u.code, u.path
      from json_to_recordset(${JSON.stringify(keys)}::json) as k(version text, code text)
      join org_unit u on u.version = k.version and u.code = k.code`.execute(this.db);
    return r.rows;
  }

  /** The rows stored at these keys (the before-images of a write). */
  async at(keys: PrintedFigureKey[]): Promise<PrintedFigureRow[]> {
    if (keys.length === 0) return [];
    const found = await this.read({
      elementIds: [...new Set(keys.map((k) => k.element_id))],
      unitIds: [...new Set(keys.map((k) => k.unit_id))],
      periodIds: [...new Set(keys.map((k) => k.period_id))],
    });
    return found.filter((r) => keys.some((k) => sameKey(k, r)));
  }

  /** Writes rows by key: new keys inserted, known ones replaced. */
  async upsert(rows: PrintedFigureWrite[], by: string): Promise<void> {
    if (rows.length === 0) return;
    await sql`
      insert into printed_figure (element_id, unit_id, period_id, option_id, qualifier,
        reported_yoy_pct, reported_prev_pct, yoy_qualifier, prev_qualifier, source, updated_by)
      select element_id, unit_id, period_id, option_id, qualifier, reported_yoy_pct,
        reported_prev_pct, yoy_qualifier, prev_qualifier, source, ${by}
      from json_to_recordset(${JSON.stringify(rows)}::json) as x(element_id int, unit_id int,
        period_id int, option_id int, qualifier text, reported_yoy_pct float8,
        reported_prev_pct float8, yoy_qualifier text, prev_qualifier text, source text)
      on conflict (element_id, unit_id, period_id, (coalesce(option_id, 0))) do update set
        qualifier = excluded.qualifier, reported_yoy_pct = excluded.reported_yoy_pct,
        reported_prev_pct = excluded.reported_prev_pct, yoy_qualifier = excluded.yoy_qualifier,
        prev_qualifier = excluded.prev_qualifier, source = excluded.source,
        updated_by = excluded.updated_by, updated_at = now()`.execute(this.db);
  }

  /**
   * The rows of these elements at these units and periods (by id or canonical period id); of
   * these options when given (null in the list: the total).
   */
  async read(q: {
    elementIds: number[];
    unitIds: number[];
    periodIds?: number[];
    pids?: string[];
    optionIds?: (number | null)[];
  }): Promise<PrintedFigureRow[]> {
    if (q.elementIds.length === 0 || q.unitIds.length === 0) return [];
    if ((q.periodIds && q.periodIds.length === 0) || (q.pids && q.pids.length === 0)) return [];
    const options = q.optionIds?.filter((o): o is number => o !== null);
    const total = q.optionIds?.includes(null) ?? false;
    const r = await sql<PrintedFigureRow>`
      select f.element_id, f.unit_id, f.period_id, f.option_id, f.qualifier, f.reported_yoy_pct,
        f.reported_prev_pct, f.yoy_qualifier, f.prev_qualifier, f.source, f.updated_by,
        f.updated_at, e.code as element, p.pid, u.version, u.code as unit_code, o.code as option
      from printed_figure f
      join data_element e on e.id = f.element_id
      join period p on p.id = f.period_id
      join org_unit u on u.id = f.unit_id
      left join breakdown_option o on o.id = f.option_id
      where f.element_id = any(${q.elementIds}::int[]) and f.unit_id = any(${q.unitIds}::int[])
        and ${q.periodIds ? sql`f.period_id = any(${q.periodIds}::int[])` : sql`true`}
        and ${q.pids ? sql`p.pid = any(${q.pids}::text[])` : sql`true`}
        and ${
          q.optionIds
            ? sql`(f.option_id = any(${options ?? []}::int[]) or (${total} and f.option_id is null))`
            : sql`true`
        }
      order by e.code, p.start_date, p.end_date, u.version, u.code, o.code nulls first`.execute(
      this.db,
    );
    return r.rows;
  }
}
