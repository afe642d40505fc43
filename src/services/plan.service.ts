import type { Store } from '../db/store.ts';
import type { UnitRow } from '../db/task.repo.ts';
import { actorLabel, allows, can, inScope, isRootScope, type Actor } from '../domain/access.ts';
import { vnDate, type Clock } from '../domain/dates.ts';
import { AppError, errors } from '../domain/errors.ts';
import { addDays, parsePeriod, periodContaining } from '../domain/period.ts';
import { parentPath } from '../domain/task.ts';
import type { LiveBus } from '../live/bus.ts';
import type { HierarchyService } from './hierarchy.service.ts';
import { auditActor } from './audit.ts';
import { presentTask } from './task.service.ts';

interface Ctx {
  requestId?: string;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** Weekly work plans (submitted by a unit, decided by its superior) and the Office's follow-up. */
export class PlanService {
  constructor(
    private readonly store: Store,
    private readonly hierarchy: HierarchyService,
    private readonly live: LiveBus,
    private readonly clock: Clock,
  ) {}

  today() {
    return vnDate(this.clock());
  }

  private week(input: string) {
    let p;
    try {
      p = parsePeriod(input);
    } catch {
      p = undefined;
    }
    if (!p || p.type !== 'week')
      throw new AppError(
        'validation_failed',
        {
          vi: `Tuần "${input}" không hợp lệ: dùng dạng năm-W số tuần ISO, ví dụ 2026-W48`,
          en: `Invalid week "${input}": use the ISO form year-Wnn, e.g. 2026-W48`,
        },
        { week: input },
      );
    return p;
  }

  private async unit(actor: Actor, code: string, version?: string): Promise<UnitRow> {
    const v = await this.hierarchy.versionFor(actor, version);
    const unit = await this.store.repos.tasks.unit(v, code);
    if (!unit) throw errors.unknownUnit(code, v);
    return unit;
  }

  async get(actor: Actor, code: string, week: string, version?: string) {
    if (!allows(actor, 'task.read')) throw errors.forbidden('task.read');
    const p = this.week(week);
    const unit = await this.unit(actor, code, version);
    if (!can(actor, 'task.read', unit)) throw errors.outOfScope(code, unit.version);
    return this.view(unit, p.id, p.start, p.end);
  }

  /**
   * The week's plans of the units below the caller's (all units for a national scope): for a
   * leader, which units submitted and await a decision. The current week when none is given.
   */
  async list(actor: Actor, q: { week?: string; status?: string; version?: string }) {
    if (!allows(actor, 'task.read')) throw errors.forbidden('task.read');
    const p = q.week ? this.week(q.week) : periodContaining(this.today(), 'week');
    const root = isRootScope(actor.scope);
    const version = await this.hierarchy.versionFor(actor, q.version);
    if (!root && version !== actor.scope.version)
      throw errors.outOfScope(actor.scope.code, version);
    const rows = await this.store.repos.plans.list({
      version,
      underPath: root ? null : actor.scope.path,
      week: p.id,
      status: q.status,
    });
    return {
      week: p.id,
      start: p.start,
      end: p.end,
      items: rows.map((r) => ({
        unit: { version: r.version, code: r.unit_code, name: r.name, level: r.level },
        status: r.status,
        submittedBy: r.submitted_by,
        submittedAt: iso(r.submitted_at),
        decidedBy: r.decided_by,
        decidedAt: iso(r.decided_at),
      })),
    };
  }

  private async view(unit: UnitRow, week: string, start: string, end: string) {
    const [plan, tasks] = await Promise.all([
      this.store.repos.plans.get(unit.version, unit.code, week),
      this.store.repos.tasks.ofUnitDue(unit.version, unit.code, start, end),
    ]);
    const today = this.today();
    return {
      unit: { version: unit.version, code: unit.code, name: unit.name, level: unit.level },
      week,
      start,
      end,
      status: plan?.status ?? ('draft' as const),
      note: plan?.note ?? null,
      submittedBy: plan?.submitted_by ?? null,
      submittedAt: iso(plan?.submitted_at ?? null),
      decidedBy: plan?.decided_by ?? null,
      decidedAt: iso(plan?.decided_at ?? null),
      decisionNote: plan?.decision_note ?? null,
      tasks: tasks.map((t) => presentTask(t, today)),
    };
  }

  async submit(
    actor: Actor,
    code: string,
    week: string,
    input: { note?: string; version?: string },
    ctx: Ctx = {},
  ) {
    if (!allows(actor, 'task.report')) throw errors.forbidden('task.report');
    const p = this.week(week);
    const unit = await this.unit(actor, code, input.version);
    if (!can(actor, 'task.report', unit)) throw errors.outOfScope(code, unit.version);
    const at = this.clock();
    await this.store.transaction(async (tx) => {
      const repo = tx.plans;
      const before = await repo.get(unit.version, unit.code, p.id);
      if (before && before.status !== 'draft' && before.status !== 'returned')
        throw new AppError(
          'invalid_transition',
          {
            vi:
              before.status === 'approved'
                ? 'Kế hoạch tuần đã được duyệt'
                : 'Kế hoạch tuần đã được gửi, đang chờ duyệt',
            en:
              before.status === 'approved'
                ? 'The weekly plan is already approved'
                : 'The weekly plan was already submitted and awaits a decision',
          },
          { status: before.status },
        );
      await repo.save({
        version: unit.version,
        code: unit.code,
        path: unit.path,
        week: p.id,
        status: 'submitted',
        note: input.note ?? null,
        submittedBy: actorLabel(actor),
        submittedAt: at,
      });
      await tx.audit.record({
        ...auditActor(actor),
        action: 'plan.submit',
        entityType: 'weekly_plan',
        entityId: `${unit.version}/${unit.code}/${p.id}`,
        unit: { version: unit.version, code: unit.code },
        before: before ? { status: before.status } : undefined,
        after: { status: 'submitted', note: input.note },
        requestId: ctx.requestId,
      });
    });
    this.publish(unit, p.id, 'submitted');
    return this.view(unit, p.id, p.start, p.end);
  }

  /** Approve or return: by a leader whose scope holds the unit's parent (a superior). */
  async decide(
    actor: Actor,
    code: string,
    week: string,
    input: { approve: boolean; note?: string; version?: string },
    ctx: Ctx = {},
  ) {
    if (!allows(actor, 'plan.decide')) throw errors.forbidden('plan.decide');
    const p = this.week(week);
    const unit = await this.unit(actor, code, input.version);
    if (
      unit.level === 0 ||
      !inScope(actor.scope, { version: unit.version, path: parentPath(unit.path) })
    )
      throw new AppError(
        'out_of_scope',
        {
          vi: `Chỉ cấp trên của ${unit.name} mới duyệt được kế hoạch tuần của đơn vị này`,
          en: `Only a superior of ${unit.name} may decide on its weekly plan`,
        },
        { code, version: unit.version },
      );
    if (!input.approve && !input.note?.trim())
      throw new AppError('validation_failed', {
        vi: 'Cần ghi lý do khi trả lại kế hoạch',
        en: 'A note is required to return a plan',
      });
    const at = this.clock();
    const status = input.approve ? ('approved' as const) : ('returned' as const);
    await this.store.transaction(async (tx) => {
      const repo = tx.plans;
      const before = await repo.get(unit.version, unit.code, p.id);
      if (before?.status !== 'submitted')
        throw new AppError(
          'invalid_transition',
          {
            vi: 'Kế hoạch tuần chưa được gửi duyệt',
            en: 'The weekly plan has not been submitted',
          },
          { status: before?.status ?? 'draft' },
        );
      await repo.save({
        version: unit.version,
        code: unit.code,
        path: unit.path,
        week: p.id,
        status,
        decidedBy: actorLabel(actor),
        decidedAt: at,
        decisionNote: input.note ?? null,
      });
      await tx.audit.record({
        ...auditActor(actor),
        action: 'plan.decide',
        entityType: 'weekly_plan',
        entityId: `${unit.version}/${unit.code}/${p.id}`,
        unit: { version: unit.version, code: unit.code },
        before: { status: before.status },
        after: { status, note: input.note },
        requestId: ctx.requestId,
      });
    });
    this.publish(unit, p.id, status);
    return this.view(unit, p.id, p.start, p.end);
  }

  private publish(unit: UnitRow, week: string, status: string) {
    this.live
      .publish(
        'plan',
        { unit: { version: unit.version, code: unit.code, name: unit.name }, week, status },
        // at the unit: its superiors (above) and the unit itself both see the decision
        { version: unit.version, path: unit.path },
      )
      .catch((e: unknown) => {
        if (!this.live.isClosed) console.error('live plan event not stored', e);
      });
  }

  /**
   * The Office's follow-up board for a unit's subtree: tasks overdue, tasks due this week,
   * and for each child unit the share of tasks done by their due date, per week.
   */
  async followup(
    actor: Actor,
    q: { unit?: string; weeks: number; version?: string; limit?: number },
  ) {
    if (!allows(actor, 'task.read')) throw errors.forbidden('task.read');
    const unit = await this.unit(actor, q.unit ?? actor.scope.code, q.version);
    if (!can(actor, 'task.read', unit)) throw errors.outOfScope(unit.code, unit.version);
    const today = this.today();
    const thisWeek = periodContaining(today, 'week');
    const firstWeekStart = addDays(thisWeek.start, -7 * (q.weeks - 1));
    const repo = this.store.repos.tasks;
    const limit = q.limit ?? 200;
    const [overdue, dueThisWeek, rates] = await Promise.all([
      repo.openUnder({ version: unit.version, path: unit.path, dueBefore: today, limit }),
      repo.openUnder({
        version: unit.version,
        path: unit.path,
        dueFrom: today,
        dueTo: thisWeek.end,
        limit,
      }),
      repo.onTime(unit, firstWeekStart, thisWeek.end),
    ]);
    const weeks = Array.from({ length: q.weeks }, (_, i) => {
      const start = addDays(firstWeekStart, 7 * i);
      return { id: periodContaining(start, 'week').id, start };
    });
    const byUnit = new Map<
      string,
      { name: string; cells: Map<string, { due: number; onTime: number }> }
    >();
    for (const r of rates) {
      const u = byUnit.get(r.code) ?? { name: r.name ?? r.code, cells: new Map() };
      u.cells.set(r.week_start, { due: r.due, onTime: r.on_time });
      byUnit.set(r.code, u);
    }
    return {
      unit: { version: unit.version, code: unit.code, name: unit.name, level: unit.level },
      today,
      week: thisWeek.id,
      overdue: overdue.map((t) => presentTask(t, today)),
      dueThisWeek: dueThisWeek.map((t) => presentTask(t, today)),
      onTime: [...byUnit].map(([code, u]) => ({
        unit: { code, name: u.name },
        weeks: weeks.map((w) => {
          const c = u.cells.get(w.start) ?? { due: 0, onTime: 0 };
          return {
            week: w.id,
            due: c.due,
            onTime: c.onTime,
            rate: c.due ? Math.round((c.onTime / c.due) * 1000) / 1000 : null,
          };
        }),
      })),
    };
  }
}
