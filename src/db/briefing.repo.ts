import { sql } from 'kysely';
import type { Db } from './client.ts';

/** Briefing templates and briefings (issue 18, migration 0027). */
export class BriefingRepo {
  constructor(private readonly db: Db) {}

  templates() {
    return this.db
      .selectFrom('briefing_template')
      .select(['id', 'code', 'body', 'updated_by', 'updated_at'])
      .orderBy('code')
      .execute();
  }

  template(code: string) {
    return this.db
      .selectFrom('briefing_template')
      .select(['id', 'code', 'body', 'updated_by', 'updated_at'])
      .where('code', '=', code)
      .executeTakeFirst();
  }

  templateById(id: number) {
    return this.db
      .selectFrom('briefing_template')
      .select(['id', 'code', 'body', 'updated_by', 'updated_at'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Creates or replaces a template by code; its id is kept (briefings point at it). */
  async saveTemplate(code: string, body: unknown, by: string): Promise<number> {
    const r = await this.db
      .insertInto('briefing_template')
      .values({ code, body: JSON.stringify(body), updated_by: by })
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({
          body: (eb) => eb.ref('excluded.body'),
          updated_by: (eb) => eb.ref('excluded.updated_by'),
          updated_at: sql`now()`,
        }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  private briefings() {
    return this.db
      .selectFrom('briefing as b')
      .innerJoin('briefing_template as t', 't.id', 'b.template_id')
      .select([
        'b.id',
        'b.series_id',
        'b.revision',
        'b.template_id',
        't.code as template_code',
        'b.period',
        'b.version',
        'b.unit_code',
        'b.path',
        'b.status',
        'b.number',
        'b.edits',
        'b.created_by',
        'b.created_at',
        'b.issued_by',
        'b.issued_at',
      ]);
  }

  /** The briefings whose scope unit lies under one of `paths` (all when null), newest first. */
  list(q: { underPaths: { version: string; path: string }[] | null; limit: number }) {
    let query = this.briefings();
    if (q.underPaths !== null) {
      const scopes = q.underPaths;
      if (scopes.length === 0) return Promise.resolve([]);
      query = query.where((eb) =>
        eb.or(
          scopes.map((s) =>
            eb.and([eb('b.version', '=', s.version), eb('b.path', 'like', `${s.path}%`)]),
          ),
        ),
      );
    }
    return query.orderBy('b.created_at', 'desc').orderBy('b.id', 'desc').limit(q.limit).execute();
  }

  byId(id: number) {
    return this.briefings().where('b.id', '=', id).executeTakeFirst();
  }

  /** Every revision of a series, oldest first. */
  series(seriesId: number) {
    return this.briefings()
      .where((eb) => eb.or([eb('b.id', '=', seriesId), eb('b.series_id', '=', seriesId)]))
      .orderBy('b.revision')
      .execute();
  }

  async snapshot(id: number): Promise<unknown> {
    const r = await this.db
      .selectFrom('briefing')
      .select('snapshot')
      .where('id', '=', id)
      .executeTakeFirst();
    return r?.snapshot ?? null;
  }

  async create(b: {
    seriesId: number | null;
    revision: number;
    templateId: number;
    period: string;
    version: string;
    unitCode: string;
    path: string;
    number: string | null;
    edits: unknown;
    by: string;
  }): Promise<number> {
    const r = await this.db
      .insertInto('briefing')
      .values({
        series_id: b.seriesId,
        revision: b.revision,
        template_id: b.templateId,
        period: b.period,
        version: b.version,
        unit_code: b.unitCode,
        path: b.path,
        number: b.number,
        edits: JSON.stringify(b.edits),
        created_by: b.by,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async setEdits(id: number, edits: unknown): Promise<void> {
    await this.db
      .updateTable('briefing')
      .set({ edits: JSON.stringify(edits) })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .execute();
  }

  /**
   * Issues a draft: its snapshot, number, issuer and time; false when it is no longer a draft
   * (another request issued it first).
   */
  async issue(
    id: number,
    q: { snapshot: unknown; number: string; by: string; at: Date },
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('briefing')
      .set({
        status: 'issued',
        snapshot: JSON.stringify(q.snapshot),
        number: q.number,
        issued_by: q.by,
        issued_at: q.at,
      })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** The next number of a year: one more than the highest first issue's (revisions keep theirs). */
  async nextNumber(year: number, suffix: string): Promise<number> {
    const r = await sql<{ n: number | null }>`
      select max(split_part(number, '/', 1)::int) as n from briefing
      where status = 'issued' and revision = 0 and extract(year from issued_at) = ${year}
        and number like ${`%/${suffix}`}`.execute(this.db);
    return (r.rows[0]?.n ?? 0) + 1;
  }

  /** Whether any value of the elements is an estimate at the unit, in periods within [start, end]. */
  async estimates(
    elementIds: number[],
    version: string,
    code: string,
    start: string,
    end: string,
  ): Promise<Set<number>> {
    if (elementIds.length === 0) return new Set();
    const r = await sql<{ element_id: number }>`
      select distinct v.element_id from data_value v
      join period p on p.id = v.period_id
      join org_unit u on u.id = v.unit_id and u.version = ${version} and u.code = ${code}
      where v.element_id = any(${elementIds}::int[])
        and v.estimate and p.start_date >= ${start} and p.end_date <= ${end}`.execute(this.db);
    return new Set(r.rows.map((x) => x.element_id));
  }
  /** The elements and indicators a template may name, with what its lines print. */
  async items(codes: string[]) {
    if (codes.length === 0) return [];
    const r = await sql<{
      kind: 'element' | 'indicator';
      id: number;
      code: string;
      name_vi: string;
      name_en: string;
      unit: string | null;
      agg_time: string | null;
      sector: string;
      breakdown: string | null;
    }>`
      select 'element' as kind, e.id, e.code, e.name_vi, e.name_en, e.unit, e.agg_time, e.sector,
        case when b.code = 'default' then null else b.code end as breakdown
      from data_element e join breakdown b on b.id = e.breakdown_id
      where e.code = any(${codes}::text[])
      union all
      select 'indicator', i.id, i.code, i.name_vi, i.name_en, i.unit, null, i.sector, null
      from indicator i where i.code = any(${codes}::text[])`.execute(this.db);
    return r.rows;
  }

  /** The options of breakdowns, in their order. */
  async options(breakdowns: string[]) {
    if (breakdowns.length === 0) return [];
    const r = await sql<{ breakdown: string; code: string; name_vi: string; name_en: string }>`
      select b.code as breakdown, o.code, o.name_vi, o.name_en
      from breakdown_option o join breakdown b on b.id = o.breakdown_id
      where b.code = any(${breakdowns}::text[])
      order by b.code, o.sort_order, o.id`.execute(this.db);
    return r.rows;
  }

  /** Every element of the sectors, in their order, for the default template. */
  async sectorElements(sectors: readonly string[]) {
    const r = await sql<{
      code: string;
      sector: string;
      unit: string | null;
      agg_time: string;
      breakdown: boolean;
    }>`
      select e.code, e.sector, e.unit, e.agg_time, b.code <> 'default' as breakdown
      from data_element e join breakdown b on b.id = e.breakdown_id
      where e.sector = any(${[...sectors]}::text[])
        and exists (select 1 from data_value v where v.element_id = e.id)
      order by e.id`.execute(this.db);
    return r.rows;
  }
}
