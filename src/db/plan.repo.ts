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
