import { sql } from 'kysely';
import type { Db } from './client.ts';
import type { CitizenReportStatusColumn } from './schema.ts';

/**
 * Citizens' reports as Open311's `GET requests` lists them (issue 20): public fields only, with
 * the names a list shows (category, commune, province, handling unit), the note the citizen was
 * last told and the first photo, in one query for a page of up to 1000. Never the contact.
 */
export interface Open311RequestRow {
  id: number;
  code: string;
  status: CitizenReportStatusColumn;
  category_code: string;
  category_name_vi: string;
  category_name_en: string;
  description: string;
  lat: number | null;
  lon: number | null;
  place_code: string;
  place_name: string | null;
  province_code: string;
  province_name: string | null;
  handler_code: string;
  handler_name: string | null;
  answer: string | null;
  refused_reason: string | null;
  /** The last public note of the unit (a transfer's reason, a question, an escalation). */
  last_note: string | null;
  first_photo: number | null;
  rating: number | null;
  created_at: Date;
  updated_at: Date;
  acknowledge_due: Date;
  answer_due: Date;
  acknowledged_at: Date | null;
  answered_at: Date | null;
  closed_at: Date | null;
  reopen_until: Date | null;
}

export interface Open311EventRow {
  report_id: number;
  at: Date;
  kind: string;
  status: string;
  public_note: string | null;
  to_unit_name: string | null;
}

/** The unit's notes to the citizen (not the citizen's own words: additions, reopen reasons). */
const UNIT_NOTES = ['forwarded', 'info_requested', 'answered', 'closed', 'refused', 'escalated'];

export class Open311Repo {
  constructor(private readonly db: Db) {}

  /**
   * A page of reports, newest first: by tracking codes (every other filter then ignored, as
   * the spec says), or by category, status and the time they were received.
   */
  async requests(q: {
    codes?: string[];
    services?: string[];
    statuses?: CitizenReportStatusColumn[];
    start: Date;
    end: Date;
    limit: number;
    offset: number;
  }): Promise<Open311RequestRow[]> {
    // Moderation (migration 0040): lists show only reports not flagged; by code, a flagged one
    // shows as on its public page, a hidden one (refused as abusive) not at all.
    const where = q.codes
      ? sql`r.code = any(${q.codes}::text[]) and r.moderation <> 'hidden'`
      : sql`r.moderation = 'none' and r.created_at >= ${q.start} and r.created_at <= ${q.end}
          and ${q.services ? sql`r.category_code = any(${q.services}::text[])` : sql`true`}
          and ${q.statuses ? sql`r.status = any(${q.statuses}::text[])` : sql`true`}`;
    const r = await sql<Open311RequestRow>`
      select r.id, r.code, r.status, r.category_code, c.name_vi as category_name_vi,
        c.name_en as category_name_en, r.description, r.lat, r.lon,
        r.place_code, p.full_name as place_name,
        split_part(r.place_path, '/', 3) as province_code, pv.full_name as province_name,
        r.handler_code, h.full_name as handler_name, r.answer, r.refused_reason,
        (select e.public_note from citizen_report_event e
          where e.report_id = r.id and e.public_note is not null
            and e.kind = any(${UNIT_NOTES}::text[])
          order by e.id desc limit 1) as last_note,
        (select min(a.id) from attachment a
          where a.owner_kind = 'citizen_report' and a.owner_id = r.id) as first_photo,
        r.rating, r.created_at, r.updated_at, r.acknowledge_due, r.answer_due,
        r.acknowledged_at, r.answered_at, r.closed_at, r.reopen_until
      from citizen_report r
      join citizen_category c on c.code = r.category_code
      left join org_unit h on h.version = r.handler_version and h.code = r.handler_code
      left join org_unit p on p.version = r.place_version and p.code = r.place_code
      left join org_unit pv on pv.version = r.place_version
        and pv.code = split_part(r.place_path, '/', 3)
      where ${where}
      order by r.created_at desc, r.id desc
      limit ${q.limit} offset ${q.offset}`.execute(this.db);
    return r.rows.map((x) => ({
      ...x,
      id: Number(x.id),
      first_photo: x.first_photo === null ? null : Number(x.first_photo),
    }));
  }

  /** The public history of these reports, oldest first: for the `notes` extension. */
  async events(reportIds: number[]): Promise<Open311EventRow[]> {
    if (!reportIds.length) return [];
    const r = await sql<Open311EventRow>`
      select report_id, at, kind, status, public_note, to_unit_name
      from citizen_report_event
      where report_id = any(${reportIds}::bigint[])
      order by report_id, id`.execute(this.db);
    return r.rows.map((x) => ({ ...x, report_id: Number(x.report_id) }));
  }

  /** The ids of each report's own photos, for the `photos` extension. */
  async photos(reportIds: number[]): Promise<{ report_id: number; id: number }[]> {
    if (!reportIds.length) return [];
    const r = await sql<{ report_id: number; id: number }>`
      select owner_id as report_id, id from attachment
      where owner_kind = 'citizen_report' and owner_id = any(${reportIds}::bigint[])
      order by id`.execute(this.db);
    return r.rows.map((x) => ({ report_id: Number(x.report_id), id: Number(x.id) }));
  }
}
