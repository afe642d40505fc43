import type { Selectable } from 'kysely';
import type { Db } from './client.ts';
import type { WorkingCalendarTable } from './schema.ts';
import type { WorkingCalendarSpec } from '../domain/working-time.ts';

export type WorkingCalendarRow = Selectable<WorkingCalendarTable>;

/** The version of the nation's row: the nation is the same in every tree. */
export const EVERY_VERSION = '*';

/** Offices' working calendars (migration 0038), by (version, unit code). */
export class WorkingCalendarRepo {
  constructor(private readonly db: Db) {}

  async get(version: string, code: string): Promise<WorkingCalendarRow | undefined> {
    return this.db
      .selectFrom('working_calendar')
      .selectAll()
      .where('version', '=', version)
      .where('unit_code', '=', code)
      .executeTakeFirst();
  }

  /** The rows of `codes` in `version` (a unit and its ancestors), any order. */
  async byCodes(version: string, codes: readonly string[]): Promise<WorkingCalendarRow[]> {
    if (codes.length === 0) return [];
    return this.db
      .selectFrom('working_calendar')
      .selectAll()
      .where('version', '=', version)
      .where('unit_code', 'in', codes)
      .execute();
  }

  /** Every row of a tree (and the nation's), by path: what an export holds. */
  async list(version: string): Promise<WorkingCalendarRow[]> {
    return this.db
      .selectFrom('working_calendar')
      .selectAll()
      .where('version', 'in', [version, EVERY_VERSION])
      .orderBy('path')
      .execute();
  }

  async put(
    row: {
      version: string;
      code: string;
      path: string;
      spec: WorkingCalendarSpec;
      by: string | null;
    },
    at: Date,
  ): Promise<void> {
    const values = {
      path: row.path,
      spec: JSON.stringify(row.spec),
      updated_by: row.by,
      updated_at: at,
    };
    await this.db
      .insertInto('working_calendar')
      .values({ version: row.version, unit_code: row.code, ...values })
      .onConflict((oc) => oc.columns(['version', 'unit_code']).doUpdateSet(values))
      .execute();
  }

  /** Inserts the row unless one is there; whether it did. */
  async insertMissing(
    row: { version: string; code: string; path: string; spec: WorkingCalendarSpec },
    at: Date,
  ): Promise<boolean> {
    const r = await this.db
      .insertInto('working_calendar')
      .values({
        version: row.version,
        unit_code: row.code,
        path: row.path,
        spec: JSON.stringify(row.spec),
        updated_by: null,
        updated_at: at,
      })
      .onConflict((oc) => oc.columns(['version', 'unit_code']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async remove(version: string, code: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('working_calendar')
      .where('version', '=', version)
      .where('unit_code', '=', code)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
