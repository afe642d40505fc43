import { sql } from 'kysely';
import type { Db } from './client.ts';

/**
 * Which units of a data set's level (or, when it has assignments, its assigned units) reported
 * for a period, and when they first did: a unit reported when it has a value of the data set's
 * elements or registered the data set complete (DHIS2's complete registration, migration 0016),
 * at the earlier of the two.
 */
export async function reportsUnder(
  db: Db,
  q: {
    version: string;
    level: number;
    underPath: string;
    periodPid: string;
    elementIds: number[];
    dataSetId?: number;
    /** The data set is assigned to units (migration 0012): those are expected, not its level. */
    assigned?: boolean;
  },
) {
  const r = await sql<{ code: string; full_name: string; path: string; first_at: Date | null }>`
    select u.code, u.full_name, u.path, least(min(d.created_at), min(cr.created_at)) as first_at
    from org_unit u
    left join period p on p.pid = ${q.periodPid}
    left join data_value d on d.unit_id = u.id and d.period_id = p.id and d.element_id = any(${q.elementIds}::int[])
    left join complete_registration cr on cr.unit_id = u.id and cr.period_id = p.id
      and cr.data_set_id = ${q.dataSetId ?? null}::int and cr.completed
    where u.version = ${q.version} and u.path like ${q.underPath + '%'}
      and ${
        q.assigned
          ? sql`exists (select 1 from data_set_unit du where du.data_set_id = ${q.dataSetId ?? null}::int and du.unit_id = u.id)`
          : sql`u.level = ${q.level}`
      }
    group by u.code, u.full_name, u.path
    order by u.code`.execute(db);
  return r.rows;
}

/** Whether a data set is assigned to a unit of a tree (by its code there). */
export async function isAssigned(
  db: Db,
  dataSetId: number,
  version: string,
  code: string,
): Promise<boolean> {
  const r = await db
    .selectFrom('data_set_unit as du')
    .innerJoin('org_unit as u', 'u.id', 'du.unit_id')
    .select('du.unit_id')
    .where('du.data_set_id', '=', dataSetId)
    .where('u.version', '=', version)
    .where('u.code', '=', code)
    .executeTakeFirst();
  return r !== undefined;
}

/** Whether a data set is assigned to units (then those report it, not its level). */
export async function hasAssignments(db: Db, dataSetId: number): Promise<boolean> {
  const r = await db
    .selectFrom('data_set_unit')
    .select('unit_id')
    .where('data_set_id', '=', dataSetId)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

export function dataSetByCode(db: Db, code: string) {
  return db
    .selectFrom('data_set')
    .selectAll()
    .where((eb) => eb.or([eb('code', '=', code), eb('uid', '=', code)]))
    .executeTakeFirst();
}

export async function dataSetElementIds(db: Db, dataSetId: number): Promise<number[]> {
  const r = await db
    .selectFrom('data_set_element')
    .select('element_id')
    .where('data_set_id', '=', dataSetId)
    .execute();
  return r.map((x) => x.element_id);
}

export function listLocks(db: Db) {
  return sql<{
    id: number;
    period: string;
    data_set: string | null;
    locked_at: Date;
    locked_by: string;
  }>`
    select l.id, p.pid as period, d.code as data_set, l.locked_at, l.locked_by
    from period_lock l join period p on p.id = l.period_id left join data_set d on d.id = l.data_set_id
    order by p.start_date, l.id`
    .execute(db)
    .then((r) => r.rows);
}

/** The queries above bound to one handle, as services reach them (db/store.ts). */
export class ReportingRepo {
  constructor(private readonly db: Db) {}

  reportsUnder(q: Parameters<typeof reportsUnder>[1]) {
    return reportsUnder(this.db, q);
  }
  isAssigned(dataSetId: number, version: string, code: string) {
    return isAssigned(this.db, dataSetId, version, code);
  }
  hasAssignments(dataSetId: number) {
    return hasAssignments(this.db, dataSetId);
  }
  dataSetByCode(code: string) {
    return dataSetByCode(this.db, code);
  }
  dataSetElementIds(dataSetId: number) {
    return dataSetElementIds(this.db, dataSetId);
  }
  listLocks() {
    return listLocks(this.db);
  }

  /** Every data set, by code (the data entry's list). */
  dataSets() {
    return this.db
      .selectFrom('data_set')
      .select([
        'id',
        'code',
        'name_vi',
        'name_en',
        'period_type',
        'version',
        'level',
        'due_days',
        'expiry_days',
      ])
      .orderBy('code')
      .execute();
  }

  /** How many elements a data set has. */
  async elementCount(dataSetId: number): Promise<number> {
    const r = await this.db
      .selectFrom('data_set_element')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('data_set_id', '=', dataSetId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** A data set's fields: each element with each option of its breakdown, in form order. */
  async formFields(dataSetId: number) {
    const r = await sql<{
      code: string;
      name_vi: string;
      name_en: string;
      value_type: string;
      min_value: number | null;
      max_value: number | null;
      unit: string | null;
      description: string | null;
      breakdown: string;
      option_code: string;
      option_vi: string;
      option_en: string;
    }>`select e.code, e.name_vi, e.name_en, e.value_type, e.min_value, e.max_value, e.unit,
        e.description, b.code as breakdown,
        o.code as option_code, o.name_vi as option_vi, o.name_en as option_en
      from data_set_element de
      join data_element e on e.id = de.element_id
      join breakdown b on b.id = e.breakdown_id
      join breakdown_option o on o.breakdown_id = b.id
      where de.data_set_id = ${dataSetId}
      order by e.id, o.sort_order, o.id`.execute(this.db);
    return r.rows;
  }

  /**
   * The min–max ranges stored for a data set's elements at one unit (issue 17, migration 0021),
   * by element and option code: the data entry form warns of a value typed outside its range.
   */
  async formRanges(dataSetId: number, version: string, unitCode: string) {
    const r = await sql<{
      code: string;
      option_code: string;
      min_value: number;
      max_value: number;
    }>`
      select e.code, o.code as option_code, m.min_value, m.max_value
      from org_unit u
      join min_max_value m on m.unit_id = u.id
      join data_set_element de on de.data_set_id = ${dataSetId} and de.element_id = m.element_id
      join data_element e on e.id = m.element_id
      join breakdown_option o on o.id = m.option_id
      where u.version = ${version} and u.code = ${unitCode}`.execute(this.db);
    return r.rows;
  }

  /** How many locks hold a period for a data set (its own, or locks of everything). */
  async locksOn(pid: string, dataSetId: number): Promise<number> {
    const r = await sql<{ n: number }>`select count(*)::int as n from period_lock l
      join period p on p.id = l.period_id
      where p.pid = ${pid} and (l.data_set_id is null or l.data_set_id = ${dataSetId})`.execute(
      this.db,
    );
    return r.rows[0]?.n ?? 0;
  }

  /** Locks a period for writes: of one data set's elements, or of everything (null). */
  insertLock(lock: { periodId: number; dataSetId: number | null; lockedBy: string }) {
    return this.db
      .insertInto('period_lock')
      .values({
        period_id: lock.periodId,
        data_set_id: lock.dataSetId,
        locked_by: lock.lockedBy,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
  }

  /** Removes a lock; the row it was, or undefined when there is none. */
  deleteLock(id: number) {
    return this.db.deleteFrom('period_lock').where('id', '=', id).returningAll().executeTakeFirst();
  }
}
