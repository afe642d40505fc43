import { sql } from 'kysely';
import type { Db } from './client.ts';

export interface QueuedCell {
  version: string;
  unit_code: string;
  month: string;
  seq: number;
}

export interface PublicAnswerRow {
  id: number;
  category_code: string;
  category_name_vi: string;
  category_name_en: string;
  description: string;
  answer: string | null;
  status: string;
  created_at: Date;
  answered_at: Date;
  closed_at: Date | null;
  rating: number | null;
  place_code: string;
  place_name: string | null;
  province_code: string | null;
  province_name: string | null;
  handler_code: string;
  handler_name: string | null;
}

/** The statuses a report is public in: answered, and closed after (or with) an answer. */
const PUBLIC = ['answered', 'closed'] as const;

/**
 * Response-time figures of citizens' reports (migration 0039): the job's queue and what it
 * reads; the public answers and their photos.
 */
export class CitizenFiguresRepo {
  constructor(private readonly db: Db) {}

  /** The cells waiting, oldest change first. */
  async queued(limit: number): Promise<QueuedCell[]> {
    const rows = await this.db
      .selectFrom('citizen_report_figure_queue')
      .select(['version', 'unit_code', 'month', 'seq'])
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  /** Takes the cells off the queue unless they changed again since they were read. */
  async dequeue(cells: readonly QueuedCell[]): Promise<void> {
    if (cells.length === 0) return;
    await sql`
      delete from citizen_report_figure_queue q
      using json_to_recordset(${JSON.stringify(cells)}::json)
        as c(version text, unit_code text, month text, seq bigint)
      where q.version = c.version and q.unit_code = c.unit_code and q.month = c.month
        and q.seq <= c.seq`.execute(this.db);
  }

  /**
   * Marks the reports unanswered past their deadline at `now`, once each: the update's trigger
   * queues their cells in this statement's transaction (migrations 0039, 0044).
   */
  async markOverdue(now: Date): Promise<number> {
    const r = await this.db
      .updateTable('citizen_report')
      .set({ overdue_at: now })
      .where('answered_at', 'is', null)
      .where('overdue_at', 'is', null)
      .where('answer_due', '<', now)
      .where('status', 'not in', ['refused', 'closed'])
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Reports of a tree received or answered between two instants (a month). */
  monthReports(version: string, from: Date, to: Date) {
    return this.db
      .selectFrom('citizen_report')
      .select([
        'category_code',
        'handler_code',
        'handler_path',
        'status',
        'created_at',
        'answered_at',
        'answer_due',
        'rating',
      ])
      .where('handler_version', '=', version)
      .where((eb) =>
        eb.or([
          eb.and([eb('created_at', '>=', from), eb('created_at', '<', to)]),
          eb.and([eb('answered_at', '>=', from), eb('answered_at', '<', to)]),
        ]),
      )
      .execute();
  }

  /** The figure values stored at these units for a period: what a new computation replaces. */
  async stored(version: string, units: string[], pid: string, elements: readonly string[]) {
    if (units.length === 0) return [];
    const r = await sql<{ unit: string; element: string; option: string }>`
      select u.code as unit, e.code as element, o.code as option
      from data_value v
      join org_unit u on u.id = v.unit_id
      join data_element e on e.id = v.element_id
      join period p on p.id = v.period_id
      join breakdown_option o on o.id = v.option_id
      where u.version = ${version} and u.code = any(${units}::text[])
        and e.code = any(${elements}::text[]) and p.pid = ${pid}`.execute(this.db);
    return r.rows;
  }

  /**
   * Public answers under a unit's path (its tree's reports placed there), newest answer first;
   * `words` each found in the folded question and answer. One more row than `limit` says
   * there is a next page.
   */
  async publicAnswers(q: {
    version: string;
    path: string;
    /** One report (a permalink): public or nothing. */
    id?: number;
    category?: string;
    words: string[];
    limit: number;
    offset: number;
  }): Promise<PublicAnswerRow[]> {
    const nation = q.path.split('/').filter(Boolean).length <= 1;
    // The page first (an index walk newest first), then the names of its 21 rows.
    const r = await sql<PublicAnswerRow>`
      select r.id::int as id, r.category_code, c.name_vi as category_name_vi,
        c.name_en as category_name_en, r.description, r.answer, r.status, r.created_at,
        r.answered_at, r.closed_at, r.rating, r.place_code, pu.full_name as place_name,
        pv.code as province_code, pv.full_name as province_name,
        r.handler_code, h.full_name as handler_name
      from (
        select * from citizen_report r
        where r.status in (${sql.join(PUBLIC)}) and r.answered_at is not null
          and r.moderation = 'none'
          and r.place_version = ${q.version}
          ${nation ? sql`` : sql`and r.place_path like ${q.path + '%'}`}
          ${q.id === undefined ? sql`` : sql`and r.id = ${q.id}`}
          ${q.category ? sql`and r.category_code = ${q.category}` : sql``}
          ${sql.join(
            // Each word at the start of a word ("ga" finds "gà", not "ngày"); the words are
            // searchWords', [a-z0-9] only, so nothing in them is a pattern.
            q.words.map((w) => sql`and r.search_text ~ ${'(^|[^a-z0-9])' + w}`),
            sql` `,
          )}
        order by r.answered_at desc, r.id desc
        limit ${q.limit + 1} offset ${q.offset}) r
      join citizen_category c on c.code = r.category_code
      left join org_unit pu on pu.version = r.place_version and pu.code = r.place_code
      left join org_unit pv on pv.version = r.place_version
        and pv.code = split_part(r.place_path, '/', 3)
      left join org_unit h on h.version = r.handler_version and h.code = r.handler_code
      order by r.answered_at desc, r.id desc`.execute(this.db);
    return r.rows;
  }

  /** The photos of the answers (and closes) of these reports. */
  async answerPhotos(reportIds: number[]) {
    if (reportIds.length === 0) return [];
    const r = await sql<{ report_id: number; id: number; content_type: string; size: number }>`
      select e.report_id::int as report_id, a.id::int as id, a.content_type, a.size
      from citizen_report_event e
      join attachment a on a.owner_kind = 'citizen_report_event' and a.owner_id = e.id
      where e.report_id = any(${reportIds}::bigint[]) and e.kind in ('answered', 'closed')
      order by a.id`.execute(this.db);
    return r.rows;
  }

  /**
   * A file that belongs to a public report (answered or closed): the report's own photo or a
   * photo of its history; undefined for any other attachment.
   */
  async publicPhoto(id: number) {
    const r = await sql<{ id: number; content_type: string; bytes: Uint8Array }>`
      select a.id::int as id, a.content_type, a.bytes
      from attachment a
      left join citizen_report_event e
        on a.owner_kind = 'citizen_report_event' and e.id = a.owner_id
      join citizen_report r on r.id = case when a.owner_kind = 'citizen_report'
        then a.owner_id else e.report_id end
      where a.id = ${id} and a.owner_kind in ('citizen_report', 'citizen_report_event')
        and r.status in (${sql.join(PUBLIC)}) and r.answered_at is not null
        and r.moderation = 'none'`.execute(this.db);
    return r.rows[0];
  }
}
