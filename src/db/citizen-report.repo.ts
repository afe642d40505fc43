import { sql, type Selectable, type Updateable } from 'kysely';
import type { Db } from './client.ts';
import type {
  CitizenReportEventTable,
  CitizenReportStatusColumn,
  CitizenReportTable,
} from './schema.ts';

export type CitizenReportRow = Selectable<CitizenReportTable>;
export type CitizenReportEventRow = Selectable<CitizenReportEventTable>;

/** A report with the names screens show: its category, its commune and its handling unit. */
export interface CitizenReportListRow extends CitizenReportRow {
  category_name_vi: string;
  category_name_en: string;
  handler_name: string | null;
  place_name: string | null;
}

export interface NewReport {
  code: string;
  categoryCode: string;
  description: string;
  lat: number | null;
  lon: number | null;
  place: { version: string; code: string; path: string };
  handler: { version: string; code: string; path: string };
  contactPhone: string | null;
  contactEmail: string | null;
  source: 'web' | 'open311' | 'api';
  acknowledgeDue: Date;
  answerDue: Date;
  at: Date;
  /** SHA-256 of the description's fingerprint, to find the same text sent again. */
  descriptionHash?: string | null;
  /** Flagged at intake by an automatic rule (domain/citizen-report-moderation.ts). */
  flag?: { rule: 'link' | 'repeat' | 'gibberish' | 'insult'; reason: string } | null;
}

export interface NewReportEvent {
  reportId: number;
  at: Date;
  kind: CitizenReportEventTable['kind'];
  status: CitizenReportStatusColumn;
  publicNote?: string | null;
  internalNote?: string | null;
  from?: { code: string; name: string } | null;
  to?: { code: string; name: string } | null;
  actorName: string;
}

/** Citizens' reports and their history (migration 0035). */
export class CitizenReportRepo {
  constructor(private readonly db: Db) {}

  /** Inserts a report; undefined when its code is taken (the caller draws another). */
  async insert(r: NewReport): Promise<number | undefined> {
    const row = await this.db
      .insertInto('citizen_report')
      .values({
        code: r.code,
        category_code: r.categoryCode,
        description: r.description,
        lat: r.lat,
        lon: r.lon,
        place_version: r.place.version,
        place_code: r.place.code,
        place_path: r.place.path,
        handler_version: r.handler.version,
        handler_code: r.handler.code,
        handler_path: r.handler.path,
        task_id: null,
        status: 'received',
        contact_phone: r.contactPhone,
        contact_email: r.contactEmail,
        source: r.source,
        acknowledge_due: r.acknowledgeDue,
        answer_due: r.answerDue,
        created_at: r.at,
        updated_at: r.at,
        description_hash: r.descriptionHash ?? null,
        ...(r.flag
          ? {
              moderation: 'flagged' as const,
              moderation_rule: r.flag.rule,
              moderation_reason: r.flag.reason,
              moderation_by: 'system',
              moderation_at: r.at,
            }
          : {}),
      })
      .onConflict((oc) => oc.column('code').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row?.id;
  }

  /** Whether any report was ever received (the demo's reports are made on a database without). */
  async any(): Promise<boolean> {
    return (
      (await this.db.selectFrom('citizen_report').select('id').limit(1).executeTakeFirst()) !==
      undefined
    );
  }

  async byCode(code: string, lock = false): Promise<CitizenReportRow | undefined> {
    let q = this.db.selectFrom('citizen_report').selectAll().where('code', '=', code);
    if (lock) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  async byId(id: number, lock = false): Promise<CitizenReportRow | undefined> {
    let q = this.db.selectFrom('citizen_report').selectAll().where('id', '=', id);
    if (lock) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  async update(id: number, set: Updateable<CitizenReportTable>): Promise<void> {
    await this.db.updateTable('citizen_report').set(set).where('id', '=', id).execute();
  }

  async addEvent(e: NewReportEvent): Promise<number> {
    const r = await this.db
      .insertInto('citizen_report_event')
      .values({
        report_id: e.reportId,
        at: e.at,
        kind: e.kind,
        status: e.status,
        public_note: e.publicNote ?? null,
        internal_note: e.internalNote ?? null,
        from_unit_code: e.from?.code ?? null,
        from_unit_name: e.from?.name ?? null,
        to_unit_code: e.to?.code ?? null,
        to_unit_name: e.to?.name ?? null,
        actor_name: e.actorName,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  events(reportId: number): Promise<CitizenReportEventRow[]> {
    return this.db
      .selectFrom('citizen_report_event')
      .selectAll()
      .where('report_id', '=', reportId)
      .orderBy('id')
      .execute();
  }

  /** Reports handled in a subtree (path null: everywhere), newest first, with their names. */
  async list(q: {
    version: string | null;
    path: string | null;
    status?: CitizenReportStatusColumn;
    category?: string;
    limit: number;
  }): Promise<CitizenReportListRow[]> {
    const r = await sql<CitizenReportListRow>`
      select r.*, c.name_vi as category_name_vi, c.name_en as category_name_en,
        h.name as handler_name, p.name as place_name
      from citizen_report r
      join citizen_category c on c.code = r.category_code
      left join org_unit h on h.version = r.handler_version and h.code = r.handler_code
      left join org_unit p on p.version = r.place_version and p.code = r.place_code
      where ${q.version === null ? sql`true` : sql`r.handler_version = ${q.version}`}
        and ${q.path === null ? sql`true` : sql`r.handler_path like ${q.path + '%'}`}
        and ${q.status ? sql`r.status = ${q.status}` : sql`true`}
        and ${q.category ? sql`r.category_code = ${q.category}` : sql`true`}
      order by r.id desc limit ${q.limit}`.execute(this.db);
    return r.rows;
  }

  /**
   * The 'escalated' event of the reports whose current task the escalation job just marked,
   * in its transaction: the public history shows that the report went up a level.
   */
  async escalated(taskIds: number[], at: Date, note: string): Promise<number> {
    if (!taskIds.length) return 0;
    const r = await sql<{ id: number }>`
      insert into citizen_report_event (report_id, at, kind, status, public_note, actor_name)
      select r.id, ${at}, 'escalated', r.status, ${note}, 'system'
      from citizen_report r
      where r.task_id = any(${taskIds}::bigint[])
      returning id`.execute(this.db);
    return r.rows.length;
  }

  /** Whether a report with this description hash was received since `since`. */
  async sameTextSince(hash: string, since: Date): Promise<boolean> {
    const r = await this.db
      .selectFrom('citizen_report')
      .select('id')
      .where('description_hash', '=', hash)
      .where('created_at', '>=', since)
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** The moderation queue: flagged reports handled in a subtree (path null: everywhere). */
  async flagged(q: {
    version: string | null;
    path: string | null;
    limit: number;
  }): Promise<CitizenReportListRow[]> {
    const r = await sql<CitizenReportListRow>`
      select r.*, c.name_vi as category_name_vi, c.name_en as category_name_en,
        h.name as handler_name, p.name as place_name
      from citizen_report r
      join citizen_category c on c.code = r.category_code
      left join org_unit h on h.version = r.handler_version and h.code = r.handler_code
      left join org_unit p on p.version = r.place_version and p.code = r.place_code
      where r.moderation = 'flagged'
        and ${q.version === null ? sql`true` : sql`r.handler_version = ${q.version}`}
        and ${q.path === null ? sql`true` : sql`r.handler_path like ${q.path + '%'}`}
      order by r.moderation_at, r.id limit ${q.limit}`.execute(this.db);
    return r.rows;
  }
}
