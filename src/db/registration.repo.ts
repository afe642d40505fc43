import { sql } from 'kysely';
import type { Db } from './client.ts';

/** DHIS2's complete data set registrations (migration 0016). */

export interface RegistrationKey {
  dataSetId: number;
  periodId: number;
  unitId: number;
  attributeId: number;
}

export interface RegistrationRow {
  data_set: string;
  data_set_uid: string | null;
  period: string;
  unit_code: string;
  unit_uid: string | null;
  attribute_code: string;
  attribute_uid: string | null;
  completed: boolean;
  stored_by: string;
  created_at: Date;
  last_updated_by: string;
  last_updated: Date;
}

/** The units a data set is assigned to (none: it goes by its level). */
export async function assignedUnits(db: Db, dataSetId: number): Promise<Set<number>> {
  const r = await db
    .selectFrom('data_set_unit')
    .select('unit_id')
    .where('data_set_id', '=', dataSetId)
    .execute();
  return new Set(r.map((x) => x.unit_id));
}

/** Units of one tree named by code, uid or (for added units) their source code. */
export async function unitsOfVersion(db: Db, version: string, names: string[]) {
  if (names.length === 0) return [];
  return db
    .selectFrom('org_unit')
    .select(['id', 'code', 'uid', 'source_code', 'path', 'level', 'version'])
    .where('version', '=', version)
    .where((eb) =>
      eb.or([eb('code', 'in', names), eb('uid', 'in', names), eb('source_code', 'in', names)]),
    )
    .execute();
}

/** An attribute option by code or uid. */
export function attributeByKey(db: Db, key: string) {
  return db
    .selectFrom('attribute_option')
    .select(['id', 'code', 'uid'])
    .where((eb) => eb.or([eb('code', '=', key), eb('uid', '=', key)]))
    .executeTakeFirst();
}

/**
 * DHIS2's `cc` and `cp`: the attribute option of an attribute category combo (by uid or code)
 * made of exactly these category options (by uid or code).
 */
export async function attributeByOptions(
  db: Db,
  combo: string,
  options: string[],
): Promise<{ id: number; code: string; uid: string | null } | undefined> {
  const r = await sql<{ id: number; code: string; uid: string | null }>`
    select a.id, a.code, a.uid
    from attribute_option a
    join breakdown b on b.id = a.breakdown_id
    where (b.code = ${combo} or b.uid = ${combo})
      and (select count(*) from attribute_option_part p where p.attribute_id = a.id) = ${options.length}
      and (select count(*) from attribute_option_part p join category_option o on o.id = p.category_option_id
           where p.attribute_id = a.id and (o.uid = any(${options}::text[]) or o.code = any(${options}::text[])))
          = ${options.length}
    limit 1`.execute(db);
  return r.rows[0];
}

/** Whether writes to the data set for this period are locked (Opsroom's period locks). */
export async function periodLocked(db: Db, periodId: number, dataSetId: number): Promise<boolean> {
  const r = await db
    .selectFrom('period_lock')
    .select('id')
    .where('period_id', '=', periodId)
    .where((eb) => eb.or([eb('data_set_id', 'is', null), eb('data_set_id', '=', dataSetId)]))
    .executeTakeFirst();
  return r !== undefined;
}

export class RegistrationRepo {
  constructor(private readonly db: Db) {}

  assignedUnits(dataSetId: number) {
    return assignedUnits(this.db, dataSetId);
  }
  unitsOfVersion(version: string, names: string[]) {
    return unitsOfVersion(this.db, version, names);
  }
  attributeByKey(key: string) {
    return attributeByKey(this.db, key);
  }
  attributeByOptions(combo: string, options: string[]) {
    return attributeByOptions(this.db, combo, options);
  }
  periodLocked(periodId: number, dataSetId: number) {
    return periodLocked(this.db, periodId, dataSetId);
  }

  get(k: RegistrationKey) {
    return this.db
      .selectFrom('complete_registration')
      .selectAll()
      .where('data_set_id', '=', k.dataSetId)
      .where('period_id', '=', k.periodId)
      .where('unit_id', '=', k.unitId)
      .where('attribute_id', '=', k.attributeId)
      .executeTakeFirst();
  }

  /** Creates or updates a registration; `by` is who stores it. */
  async put(k: RegistrationKey, completed: boolean, by: string): Promise<void> {
    await sql`
      insert into complete_registration
        (data_set_id, period_id, unit_id, attribute_id, completed, stored_by, last_updated_by)
      values (${k.dataSetId}, ${k.periodId}, ${k.unitId}, ${k.attributeId}, ${completed}, ${by}, ${by})
      on conflict (data_set_id, period_id, unit_id, attribute_id) do update
        set completed = excluded.completed, last_updated_by = excluded.last_updated_by,
            last_updated = now()`.execute(this.db);
  }

  async remove(k: RegistrationKey): Promise<boolean> {
    const r = await this.db
      .deleteFrom('complete_registration')
      .where('data_set_id', '=', k.dataSetId)
      .where('period_id', '=', k.periodId)
      .where('unit_id', '=', k.unitId)
      .where('attribute_id', '=', k.attributeId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /**
   * Registrations of these data sets, of periods that are these or lie within the dates, at
   * these units (or under their paths), within the scope path (null: everywhere).
   */
  async list(q: {
    dataSetIds: number[];
    periodPids?: string[];
    startDate?: string;
    endDate?: string;
    unitIds?: number[];
    underPaths?: { version: string; path: string }[];
    scope: { version: string; path: string } | null;
  }): Promise<RegistrationRow[]> {
    let s = this.db
      .selectFrom('complete_registration as r')
      .innerJoin('data_set as d', 'd.id', 'r.data_set_id')
      .innerJoin('period as p', 'p.id', 'r.period_id')
      .innerJoin('org_unit as u', 'u.id', 'r.unit_id')
      .innerJoin('attribute_option as a', 'a.id', 'r.attribute_id')
      .select([
        'd.code as data_set',
        'd.uid as data_set_uid',
        'p.pid as period',
        'u.code as unit_code',
        'u.uid as unit_uid',
        'a.code as attribute_code',
        'a.uid as attribute_uid',
        'r.completed',
        'r.stored_by',
        'r.created_at',
        'r.last_updated_by',
        'r.last_updated',
      ])
      .where('r.data_set_id', 'in', q.dataSetIds);
    if (q.periodPids) s = s.where('p.pid', 'in', q.periodPids);
    if (q.startDate) s = s.where('p.start_date', '>=', q.startDate);
    if (q.endDate) s = s.where('p.end_date', '<=', q.endDate);
    if (q.unitIds) s = s.where('r.unit_id', 'in', q.unitIds);
    const under = q.underPaths;
    if (under)
      s = s.where((eb) =>
        eb.or(
          under.map((x) =>
            eb.and([eb('u.version', '=', x.version), eb('u.path', 'like', x.path + '%')]),
          ),
        ),
      );
    if (q.scope)
      s = s.where('u.version', '=', q.scope.version).where('u.path', 'like', q.scope.path + '%');
    return s.orderBy('p.start_date').orderBy('u.path').orderBy('d.code').execute();
  }
}
