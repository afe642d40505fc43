import { sql } from 'kysely';
import type { Db } from './client.ts';
import type { WeeklyPlanTable } from './schema.ts';

export class PlanRepo {
  constructor(private readonly db: Db) {}

  get(version: string, code: string, week: string) {
    return this.db
      .selectFrom('weekly_plan')
      .selectAll()
      .where('version', '=', version)
      .where('unit_code', '=', code)
      .where('week', '=', week)
      .executeTakeFirst();
  }

  /**
   * The plans of a week of the units under a path (all units when null, the unit at the path
   * itself excluded: a unit does not decide on its own plan), those awaiting a decision first.
   */
  list(q: { version: string; underPath: string | null; week: string; status?: string }) {
    let query = this.db
      .selectFrom('weekly_plan as p')
      .innerJoin('org_unit as u', (j) =>
        j.onRef('u.version', '=', 'p.version').onRef('u.code', '=', 'p.unit_code'),
      )
      .select([
        'p.unit_code',
        'p.version',
        'u.name',
        'u.level',
        'p.status',
        'p.submitted_by',
        'p.submitted_at',
        'p.decided_by',
        'p.decided_at',
      ])
      .where('p.version', '=', q.version)
      .where('p.week', '=', q.week);
    if (q.underPath !== null)
      query = query.where('p.path', 'like', `${q.underPath}%`).where('p.path', '<>', q.underPath);
    if (q.status) query = query.where('p.status', '=', q.status as WeeklyPlanTable['status']);
    return query
      .orderBy(sql`p.status = 'submitted'`, 'desc')
      .orderBy('p.submitted_at')
      .orderBy('u.name')
      .limit(5000)
      .execute();
  }

  /** Creates or updates the plan of a unit and week (one row per unit and week). */
  async save(p: {
    version: string;
    code: string;
    path: string;
    week: string;
    status: WeeklyPlanTable['status'];
    note?: string | null;
    submittedBy?: string;
    submittedAt?: Date;
    decidedBy?: string;
    decidedAt?: Date;
    decisionNote?: string | null;
  }) {
    const values = {
      version: p.version,
      unit_code: p.code,
      path: p.path,
      week: p.week,
      status: p.status,
      ...(p.note !== undefined ? { note: p.note } : {}),
      ...(p.submittedBy !== undefined
        ? { submitted_by: p.submittedBy, submitted_at: p.submittedAt ?? null }
        : {}),
      ...(p.decidedBy !== undefined
        ? {
            decided_by: p.decidedBy,
            decided_at: p.decidedAt ?? null,
            decision_note: p.decisionNote ?? null,
          }
        : {}),
    };
    const { version: _v, unit_code: _c, week: _w, path: _p, ...update } = values;
    return this.db
      .insertInto('weekly_plan')
      .values(values)
      .onConflict((oc) => oc.columns(['version', 'unit_code', 'week']).doUpdateSet(update))
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
