import { sql, type Selectable } from 'kysely';
import type { Db } from './client.ts';
import type { CitizenCategoryTable } from './schema.ts';

export type CitizenCategoryRow = Selectable<CitizenCategoryTable>;

/** A category as stored, without its times. */
export interface CitizenCategoryValues {
  code: string;
  nameVi: string;
  nameEn: string;
  descriptionVi: string;
  descriptionEn: string;
  groupVi: string;
  groupEn: string;
  keywords: string[];
  handlerLevel: 'commune' | 'province' | 'unit';
  handlerUnit: string | null;
  acknowledgeWithin: { hours: number } | { days: number };
  answerWithin: { hours: number } | { days: number };
  photoRequired: boolean;
  active: boolean;
}

const columns = (v: CitizenCategoryValues) => ({
  name_vi: v.nameVi,
  name_en: v.nameEn,
  description_vi: v.descriptionVi,
  description_en: v.descriptionEn,
  group_vi: v.groupVi,
  group_en: v.groupEn,
  keywords: JSON.stringify(v.keywords),
  handler_level: v.handlerLevel,
  handler_unit: v.handlerUnit,
  acknowledge_within: JSON.stringify(v.acknowledgeWithin),
  answer_within: JSON.stringify(v.answerWithin),
  photo_required: v.photoRequired,
  active: v.active,
});

/** Citizens' report categories (migration 0034), Open311's services. */
export class CitizenCategoryRepo {
  constructor(private readonly db: Db) {}

  /** Every category, or only the active ones, by code. */
  async list(opts: { activeOnly?: boolean } = {}): Promise<CitizenCategoryRow[]> {
    let q = this.db.selectFrom('citizen_category').selectAll();
    if (opts.activeOnly) q = q.where('active', '=', true);
    return q.orderBy('code').execute();
  }

  async byCode(code: string): Promise<CitizenCategoryRow | undefined> {
    return this.db
      .selectFrom('citizen_category')
      .selectAll()
      .where('code', '=', code)
      .executeTakeFirst();
  }

  /** Inserts a new category; false when its code is taken (nothing written). */
  async insert(v: CitizenCategoryValues, at: Date): Promise<boolean> {
    const r = await this.db
      .insertInto('citizen_category')
      .values({ code: v.code, ...columns(v), created_at: at, updated_at: at })
      .onConflict((oc) => oc.column('code').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async update(v: CitizenCategoryValues, at: Date): Promise<void> {
    await this.db
      .updateTable('citizen_category')
      .set({ ...columns(v), updated_at: at })
      .where('code', '=', v.code)
      .execute();
  }

  async remove(code: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('citizen_category')
      .where('code', '=', code)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /**
   * The last time the categories changed (Open311 discovery's changeset): the newest write, or
   * the newest deletion recorded in the audit log.
   */
  async changedAt(): Promise<Date | null> {
    const r = await sql<{ at: Date | string | null }>`
      select greatest(
        (select max(updated_at) from citizen_category),
        (select max(at) from audit_event where entity_type = 'citizen_category')
      ) as at`.execute(this.db);
    const at = r.rows[0]?.at;
    return at === null || at === undefined ? null : new Date(at);
  }

  /** Whether any category was ever written (the shipped ones are installed only before). */
  async everWritten(): Promise<boolean> {
    const r = await sql<{ n: number }>`
      select 1 as n where exists (select 1 from citizen_category)
        or exists (select 1 from audit_event where entity_type = 'citizen_category')`.execute(
      this.db,
    );
    return r.rows.length > 0;
  }
}
