import type { Store } from '../db/store.ts';
import { can, isRootScope, type Actor } from '../domain/access.ts';
import { AppError, errors } from '../domain/errors.ts';
import { ROOT_CODE } from '../domain/hierarchy.ts';
import { addDays, formatPeriodEn, formatPeriodVi, parsePeriod } from '../domain/period.ts';
import { vnTime } from '../domain/dates.ts';
import { auditActor } from './audit.ts';
import type { HierarchyService } from './hierarchy.service.ts';

/** Who reported, who is late, and which periods are locked. */
export class ReportingService {
  constructor(
    private readonly store: Store,
    private readonly hierarchy: HierarchyService,
  ) {}

  private async dataSet(code: string) {
    const ds = await this.store.repos.reporting.dataSetByCode(code);
    if (!ds) {
      throw new AppError(
        'validation_failed',
        { vi: `Không có bộ dữ liệu "${code}"`, en: `No data set "${code}"` },
        { dataSet: code },
      );
    }
    return ds;
  }

  /**
   * Completeness and timeliness of a data set for one period under a unit: how many units of
   * the data set's level were expected, how many reported (any of its elements), how many on
   * time (first value no later than `due_days` after the period ends), per child unit, with
   * the units still missing.
   */
  async completeness(actor: Actor, q: { dataSet: string; period: string; orgUnit?: string }) {
    if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
    const ds = await this.dataSet(q.dataSet);
    const period = parsePeriod(q.period);
    if (period.type !== ds.period_type) {
      throw new AppError(
        'validation_failed',
        {
          vi: `Bộ dữ liệu ${ds.code} báo cáo theo ${ds.period_type}; kỳ ${period.id} không khớp`,
          en: `Data set ${ds.code} reports by ${ds.period_type}; period ${period.id} does not fit`,
        },
        { period: q.period },
      );
    }
    const code = q.orgUnit ?? (isRootScope(actor.scope) ? ROOT_CODE : actor.scope.code);
    const unit = await this.store.repos.orgUnits.get(ds.version, code, this.hierarchy.today());
    if (!unit) throw errors.unknownUnit(code, ds.version);
    if (!can(actor, 'data.read', unit)) throw errors.outOfScope(code, ds.version);
    const rows = await this.store.repos.reporting.reportsUnder({
      version: ds.version,
      level: ds.level,
      underPath: unit.path,
      periodPid: period.id,
      elementIds: await this.store.repos.reporting.dataSetElementIds(ds.id),
      dataSetId: ds.id,
      assigned: await this.store.repos.reporting.hasAssignments(ds.id),
    });
    const due = addDays(period.end, ds.due_days);
    const dueAt = vnTime(addDays(due, 1)); // end of the due day in Viet Nam
    const onTime = (r: { first_at: Date | null }) =>
      r.first_at !== null && new Date(r.first_at) < dueAt;
    // Group by the child of `unit` each reporting unit lies under.
    const childLevelCodes = new Map<
      string,
      { expected: number; reported: number; onTime: number }
    >();
    for (const r of rows) {
      const child = r.path.slice(unit.path.length).split('/')[0] || r.code;
      const c = childLevelCodes.get(child) ?? { expected: 0, reported: 0, onTime: 0 };
      c.expected++;
      if (r.first_at) c.reported++;
      if (onTime(r)) c.onTime++;
      childLevelCodes.set(child, c);
    }
    const children = await this.store.repos.orgUnits.byCodes(
      ds.version,
      [...childLevelCodes.keys()],
      this.hierarchy.today(),
    );
    const reported = rows.filter((r) => r.first_at).length;
    const timely = rows.filter(onTime).length;
    const rate = (a: number, b: number) => (b === 0 ? null : (a / b) * 100);
    return {
      dataSet: {
        code: ds.code,
        nameVi: ds.name_vi,
        nameEn: ds.name_en,
        version: ds.version,
        level: ds.level,
      },
      period: {
        id: period.id,
        labelVi: formatPeriodVi(period),
        labelEn: formatPeriodEn(period),
        due,
      },
      unit: { code: unit.code, fullName: unit.fullName },
      expected: rows.length,
      reported,
      onTime: timely,
      completeness: rate(reported, rows.length),
      timeliness: rate(timely, rows.length),
      children: [...childLevelCodes].map(([c, x]) => ({
        code: c,
        fullName: children.get(c)?.fullName ?? c,
        ...x,
        completeness: rate(x.reported, x.expected),
        timeliness: rate(x.onTime, x.expected),
      })),
      late: rows
        .filter((r) => r.first_at && !onTime(r))
        .slice(0, 500)
        .map((r) => ({ code: r.code, fullName: r.full_name })),
      missing: rows
        .filter((r) => !r.first_at)
        .slice(0, 500)
        .map((r) => ({ code: r.code, fullName: r.full_name })),
    };
  }

  async locks(actor: Actor) {
    if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
    return this.store.repos.reporting.listLocks();
  }

  /** Locks a period for writes: for one data set's elements, or for everything. Audited. */
  async lock(actor: Actor, q: { period: string; dataSet?: string }) {
    if (!can(actor, 'metadata.manage') || !isRootScope(actor.scope))
      throw errors.forbidden('metadata.manage');
    const period = parsePeriod(q.period);
    const ds = q.dataSet ? await this.dataSet(q.dataSet) : undefined;
    return this.store.transaction(async (tx) => {
      const ids = await tx.dataValues.ensurePeriods([period]);
      const row = await tx.reporting.insertLock({
        periodId: ids.get(period.id)!,
        dataSetId: ds?.id ?? null,
        lockedBy: actor.name,
      });
      await tx.audit.record({
        ...auditActor(actor),
        action: 'period.lock',
        entityType: 'period_lock',
        entityId: String(row.id),
        after: { period: period.id, dataSet: ds?.code ?? null },
      });
      return { id: row.id, period: period.id, dataSet: ds?.code ?? null };
    });
  }

  async unlock(actor: Actor, id: number) {
    if (!can(actor, 'metadata.manage') || !isRootScope(actor.scope))
      throw errors.forbidden('metadata.manage');
    await this.store.transaction(async (tx) => {
      const gone = await tx.reporting.deleteLock(id);
      if (!gone) throw errors.notFound(`lock ${id}`);
      await tx.audit.record({
        ...auditActor(actor),
        action: 'period.unlock',
        entityType: 'period_lock',
        entityId: String(id),
        before: { periodId: gone.period_id, dataSetId: gone.data_set_id },
      });
    });
  }
}
