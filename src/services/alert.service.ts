import { z } from 'zod';
import type { Alert, AlertRule } from '../contract/alert.ts';
import type { Store } from '../db/store.ts';
import type { AlertRow, AlertView, AlertWrite, RuleRow } from '../db/alert.repo.ts';
import { ACTIONS, allows, can, inScope, isRootScope, type Actor } from '../domain/access.ts';
import { AppError, errors, schemaProblems } from '../domain/errors.ts';
import { dependencyOrder, itemsOf } from '../domain/expression.ts';
import { ROOT_CODE } from '../domain/hierarchy.ts';
import {
  CALENDAR_PERIOD_TYPES,
  formatPeriodEn,
  formatPeriodVi,
  parsePeriod,
  periodContaining,
  periodsWithin,
  periodTypeOrder,
  PERIOD_TYPES_FINEST_FIRST,
  previousPeriod,
  type Period,
} from '../domain/period.ts';
import type { LiveBus } from '../live/bus.ts';
import type { AnalyticsService } from './analytics.service.ts';
import { auditActor } from './audit.ts';
import type { DataChange } from './data-value.service.ts';
import type { HierarchyService } from './hierarchy.service.ts';

/** What a rule compares: written ≥ and ≤ are accepted and stored as >= and <=. */
export const OPERATORS = ['>', '>=', '<', '<='] as const;
export type Operator = (typeof OPERATORS)[number];

export const AlertRuleInput = z.object({
  nameVi: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().min(1).max(200),
  subject: z.string().trim().min(1).max(120),
  /** Default: an element or an indicator, from the subject; 'violations' must be said. */
  subjectType: z.enum(['element', 'indicator', 'violations']).optional(),
  unit: z.object({ version: z.string().min(1).max(20), code: z.string().min(1).max(40) }),
  level: z.number().int().min(0).max(9),
  periodType: z.enum(CALENDAR_PERIOD_TYPES),
  /** Required but for a violations rule (default > 0). */
  operator: z
    .enum(['>', '>=', '<', '<=', '≥', '≤'])
    .transform((o): Operator => (o === '≥' ? '>=' : o === '≤' ? '<=' : o))
    .optional(),
  threshold: z.number().optional(),
  active: z.boolean().default(true),
});
export type AlertRuleInput = z.input<typeof AlertRuleInput>;

export const AlertRulePatch = z
  .object({
    nameVi: z.string().trim().min(1).max(200),
    nameEn: z.string().trim().min(1).max(200),
    threshold: z.number(),
    active: z.boolean(),
  })
  .partial();
export type AlertRulePatch = z.input<typeof AlertRulePatch>;

/** What the routes answer (src/contract/alert.ts); `Alert` is also the `alert` live event. */
export type { Alert, AlertRule } from '../contract/alert.ts';

export interface AlertListQuery {
  state?: 'open' | 'resolved';
  unit?: string;
  version?: string;
  rule?: number;
  limit?: number;
}

/** Importances a violations rule may count (its subject). */
export const IMPORTANCES = ['HIGH', 'MEDIUM', 'LOW'] as const;

/** Periods evaluated in one analytics query. */
const PERIOD_CHUNK = 31;
/** Outbox rows handed on at once. */
const OUTBOX_BATCH = 200;
/** How often the outbox is looked at besides after each import (a review, a crash's leftovers). */
export const OUTBOX_POLL_MS = 2_000;
/** A change touching more periods of a rule's type than this evaluates the newest ones only. */
const MAX_PERIODS = 400;

const iso = (d: Date | string | null) =>
  d === null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString();

/**
 * A violations rule counts violations: it may only ask for "more than n" (n ≥ 0) or "at least
 * n" (n ≥ 1), so that a unit without violations never has an alert.
 */
function violationThreshold(op: Operator, threshold: number): AppError | undefined {
  if ((op === '>' && threshold >= 0) || (op === '>=' && threshold >= 1)) return undefined;
  return new AppError(
    'validation_failed',
    {
      vi: 'Cảnh báo theo vi phạm đếm số vi phạm: dùng "> n" (n ≥ 0) hoặc "≥ n" (n ≥ 1), mặc định "> 0"',
      en: 'A violations alert counts violations: use "> n" (n ≥ 0) or ">= n" (n ≥ 1); the default is "> 0"',
    },
    { operator: op, threshold },
  );
}

/** Postgres' "relation does not exist": the outbox before the migrations ran. */
const undefinedTable = (e: unknown) => (e as { code?: unknown } | null)?.code === '42P01';

const breaches = (value: number, op: Operator, threshold: number) =>
  op === '>'
    ? value > threshold
    : op === '>='
      ? value >= threshold
      : op === '<'
        ? value < threshold
        : value <= threshold;

function presentRule(r: RuleRow): AlertRule {
  return {
    id: r.id,
    nameVi: r.name_vi,
    nameEn: r.name_en,
    subject: r.subject,
    subjectType: r.subject_type,
    unit: { version: r.unit_version, code: r.unit_code, name: r.unit_name, path: r.unit_path },
    level: r.level,
    periodType: r.period_type,
    operator: r.operator,
    threshold: r.threshold,
    active: r.active,
    createdAt: iso(r.created_at)!,
    createdBy: r.created_by,
  };
}

export function presentAlert(a: AlertView): Alert {
  let label = { vi: a.period, en: a.period };
  try {
    const p = parsePeriod(a.period);
    label = { vi: formatPeriodVi(p), en: formatPeriodEn(p) };
  } catch {
    // a stored id always parses; keep the id otherwise
  }
  return {
    id: a.id,
    state: a.state,
    period: a.period,
    periodLabel: label,
    value: a.value,
    threshold: a.threshold,
    operator: a.rule_operator,
    openedAt: iso(a.opened_at)!,
    updatedAt: iso(a.updated_at)!,
    resolvedAt: iso(a.resolved_at),
    rule: {
      id: a.rule_id,
      nameVi: a.rule_name_vi,
      nameEn: a.rule_name_en,
      subject: a.rule_subject,
      subjectType: a.rule_subject_type,
      periodType: a.rule_period_type,
    },
    unit: {
      version: a.unit_version,
      code: a.unit_code,
      name: a.unit_name,
      fullName: a.unit_full_name,
      level: a.unit_level,
      path: a.unit_path,
    },
  };
}

/**
 * Alert rules and the alerts they raise. After each committed import that wrote a rule's
 * elements, the rule is evaluated for the periods written (outside the import's transaction,
 * one evaluation at a time): a unit whose value crosses the threshold gets an open alert, one
 * whose value falls back has its alert resolved. Alerts are never deleted. Every change is
 * published as an `alert` live event, scoped to the unit.
 *
 * A violations rule (issue 17) counts the stored, unconfirmed validation violations of one
 * importance under each unit of its level. Violations are written in the writer's transaction,
 * and so is their trace in the outbox (migration 0024's triggers), with the live events of the
 * follow-up tasks they open; the outbox is handed on after each import, every few seconds, and
 * after a restart: a crash between a commit and its evaluation delays it, never loses it.
 */
export class AlertService {
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  /** A drain of the outbox is queued and has not started. */
  private drainQueued = false;
  private readonly poll: NodeJS.Timeout;
  /** Opens the follow-up tasks bulk loads left for after their commit (outbox `follow_ups`). */
  private openFollowUps: () => Promise<unknown> = () => Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly hierarchy: HierarchyService,
    private readonly analytics: AnalyticsService,
    private readonly live: LiveBus,
    private readonly log: (message: string, error?: unknown) => void = (m, e) =>
      console.error(m, e ?? ''),
  ) {
    this.poll = setInterval(() => this.drainSoon(), OUTBOX_POLL_MS);
    this.poll.unref();
  }

  /**
   * Evaluates the rules a data change touches, after the evaluations already queued; then hands
   * on the outbox (the import's violations and follow-up tasks).
   */
  onDataChange(change: DataChange): void {
    this.enqueue(() => this.evaluateChange(change));
    this.drainSoon();
  }

  /** What opens the follow-up tasks a bulk load left pending (set by createServices). */
  followUpsWith(open: () => Promise<unknown>): void {
    this.openFollowUps = open;
  }

  /** Resolves when every queued evaluation has run (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Hands on the outbox now, after what is queued; resolves when done (tests). */
  flush(): Promise<void> {
    this.drainSoon();
    return this.queue;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.poll);
    await this.queue;
  }

  /** Queues one drain of the outbox unless one is already waiting. */
  private drainSoon() {
    if (this.closed || this.drainQueued) return;
    this.drainQueued = true;
    this.enqueue(async () => {
      this.drainQueued = false;
      try {
        await this.drainOutbox();
      } catch (e) {
        if (!undefinedTable(e)) throw e;
      }
    });
  }

  /**
   * Hands on what committed transactions left in the outbox (migration 0024), oldest first:
   * live events are published, changed violations evaluated by the violations rules; a row is
   * deleted once done, so a crash in between does it again rather than never.
   */
  private async drainOutbox(): Promise<void> {
    const repo = this.store.repos.alerts;
    for (;;) {
      if (this.live.isClosed) return;
      const rows = await repo.outbox(OUTBOX_BATCH);
      if (rows.length === 0) return;
      const events = rows.flatMap((r) =>
        r.kind === 'live' && r.topic
          ? [
              {
                topic: r.topic,
                payload: r.payload,
                scope: r.version && r.path ? { version: r.version, path: r.path } : undefined,
              },
            ]
          : [],
      );
      // Tasks first: their own live events reach the outbox behind these rows. A failure keeps
      // the row, so that the next drain tries again.
      let keep = false;
      const followUps = rows.some((r) => r.kind === 'follow_ups');
      if (followUps)
        await this.openFollowUps().catch((e: unknown) => {
          keep = true;
          this.log('opening follow-up tasks failed', e);
        });
      if (events.length) await this.live.publishMany(events);
      const cells = rows.flatMap((r) =>
        r.kind === 'violations' ? ((r.payload as { cells?: [number, string][] }).cells ?? []) : [],
      );
      // An evaluation that fails is logged, as after an import; it must not hold back the
      // rows behind it (an unreachable database fails the delete too, and keeps them).
      if (cells.length)
        await this.evaluateViolationCells(cells).catch((e: unknown) =>
          this.log('violations alert evaluation failed', e),
        );
      await repo.outboxDone(
        rows.filter((r) => !(keep && r.kind === 'follow_ups')).map((r) => r.id),
      );
      // The tasks just opened left their live events behind these rows: one more round.
      if (keep || (rows.length < OUTBOX_BATCH && !followUps)) return;
    }
  }

  private enqueue(fn: () => Promise<unknown>) {
    if (this.closed) return;
    this.queue = this.queue.then(async () => {
      if (this.live.isClosed) return;
      try {
        await fn();
      } catch (e) {
        this.log('alert evaluation failed', e);
      }
    });
  }

  async listRules(actor: Actor): Promise<AlertRule[]> {
    if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
    const rows = await this.store.repos.alerts.listRules({
      scope: isRootScope(actor.scope) ? null : actor.scope,
    });
    return rows.map(presentRule);
  }

  /** Creates a rule (audited in the same transaction), then evaluates its latest two periods. */
  async createRule(
    actor: Actor,
    input: AlertRuleInput,
    opts: { requestId?: string } = {},
  ): Promise<AlertRule> {
    if (!allows(actor, 'metadata.manage')) throw errors.forbidden('metadata.manage');
    const parsed = AlertRuleInput.safeParse(input);
    if (!parsed.success)
      throw new AppError(
        'validation_failed',
        { vi: 'Quy tắc cảnh báo không hợp lệ', en: 'Invalid alert rule' },
        {
          issues: schemaProblems(parsed.error),
        },
      );
    const r = parsed.data;
    const subject =
      r.subjectType === 'violations'
        ? { type: 'violations' as const, code: this.importance(r.subject) }
        : await this.resolveSubject(r.subject);
    if (r.subjectType !== undefined && r.subjectType !== subject.type)
      throw new AppError(
        'validation_failed',
        {
          vi: `"${r.subject}" không phải ${r.subjectType === 'element' ? 'chỉ tiêu dữ liệu' : 'chỉ số'}`,
          en: `"${r.subject}" is not ${r.subjectType === 'element' ? 'a data element' : 'an indicator'}`,
        },
        { subject: r.subject, subjectType: r.subjectType },
      );
    let operator: Operator;
    let threshold: number;
    if (subject.type === 'violations') {
      operator = r.operator ?? '>';
      threshold = r.threshold ?? 0;
      const bad = violationThreshold(operator, threshold);
      if (bad) throw bad;
    } else {
      if (r.operator === undefined || r.threshold === undefined)
        throw new AppError(
          'validation_failed',
          {
            vi: 'Quy tắc cảnh báo theo chỉ tiêu hay chỉ số cần phép so sánh và ngưỡng',
            en: 'An alert rule on an element or an indicator needs an operator and a threshold',
          },
          { operator: r.operator ?? null, threshold: r.threshold ?? null },
        );
      operator = r.operator;
      threshold = r.threshold;
    }
    const version = await this.hierarchy.resolveVersion(r.unit.version);
    const { byKey, all } = await this.hierarchy.unitMap(version);
    const unit = byKey.get(r.unit.code);
    if (!unit) throw errors.unknownUnit(r.unit.code, version);
    if (!inScope(actor.scope, { version, path: unit.path }))
      throw errors.outOfScope(unit.code, version);
    if (
      r.level < unit.level ||
      !all.some((u) => u.level === r.level && u.path.startsWith(unit.path))
    )
      throw new AppError(
        'validation_failed',
        {
          vi: `Không có đơn vị cấp ${r.level} thuộc ${unit.full_name} (cây ${version}); cấp 0 là cả nước, 1 là tỉnh, rồi huyện và xã`,
          en: `No units of level ${r.level} under ${unit.full_name} (${version} tree); level 0 is the nation, 1 a province, then districts and communes`,
        },
        { level: r.level, unit: unit.code, version },
      );
    const id = await this.store.transaction(async (tx) => {
      const rule = {
        name_vi: r.nameVi,
        name_en: r.nameEn,
        subject_type: subject.type,
        subject: subject.code,
        unit_version: version,
        unit_code: unit.code,
        level: r.level,
        period_type: r.periodType,
        operator,
        threshold,
        active: r.active,
        created_by: actor.name,
      };
      const id = await tx.alerts.insertRule(rule);
      await tx.audit.record({
        ...auditActor(actor),
        action: 'alert_rule.create',
        entityType: 'alert_rule',
        entityId: String(id),
        unit: { version, code: unit.code },
        after: rule,
        requestId: opts.requestId,
      });
      return id;
    });
    const created = (await this.store.repos.alerts.rule(id))!;
    if (created.active) {
      // The screen shows what is over the threshold now, not only after the next import.
      const current = periodContaining(this.hierarchy.today(), created.period_type);
      this.enqueue(() => this.evaluateRule(created, [previousPeriod(current), current]));
    }
    return presentRule(created);
  }

  /**
   * Renames a rule, moves its threshold, or switches it off or on (audited). Its alerts are
   * kept; an active rule is evaluated again for its latest two periods.
   */
  async updateRule(
    actor: Actor,
    id: number,
    patch: AlertRulePatch,
    opts: { requestId?: string } = {},
  ): Promise<AlertRule> {
    if (!allows(actor, 'metadata.manage')) throw errors.forbidden('metadata.manage');
    const parsed = AlertRulePatch.safeParse(patch);
    if (!parsed.success)
      throw new AppError(
        'validation_failed',
        { vi: 'Thay đổi quy tắc cảnh báo không hợp lệ', en: 'Invalid change to an alert rule' },
        {
          issues: schemaProblems(parsed.error),
        },
      );
    const p = parsed.data;
    const updated = await this.store.transaction(async (tx) => {
      const repo = tx.alerts;
      const before = await repo.rule(id);
      if (!before)
        throw new AppError(
          'not_found',
          { vi: `Không có quy tắc cảnh báo số ${id}`, en: `No alert rule ${id}` },
          { id },
        );
      if (!inScope(actor.scope, { version: before.unit_version, path: before.unit_path }))
        throw errors.outOfScope(before.unit_code, before.unit_version);
      if (before.subject_type === 'violations' && p.threshold !== undefined) {
        const bad = violationThreshold(before.operator, p.threshold);
        if (bad) throw bad;
      }
      const set = {
        ...(p.nameVi !== undefined ? { name_vi: p.nameVi } : {}),
        ...(p.nameEn !== undefined ? { name_en: p.nameEn } : {}),
        ...(p.threshold !== undefined ? { threshold: p.threshold } : {}),
        ...(p.active !== undefined ? { active: p.active } : {}),
      };
      if (Object.keys(set).length === 0) return before;
      await repo.updateRule(id, set);
      await tx.audit.record({
        ...auditActor(actor),
        action: 'alert_rule.update',
        entityType: 'alert_rule',
        entityId: String(id),
        unit: { version: before.unit_version, code: before.unit_code },
        before: {
          name_vi: before.name_vi,
          name_en: before.name_en,
          threshold: before.threshold,
          active: before.active,
        },
        after: set,
        requestId: opts.requestId,
      });
      return (await repo.rule(id))!;
    });
    if (updated.active) {
      const current = periodContaining(this.hierarchy.today(), updated.period_type);
      this.enqueue(() => this.evaluateRule(updated, [previousPeriod(current), current]));
    }
    return presentRule(updated);
  }

  /** Alerts in the caller's scope (and under `unit` when given), newest change first. */
  async list(actor: Actor, q: AlertListQuery): Promise<Alert[]> {
    if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
    const root = isRootScope(actor.scope);
    let under: { version: string; path: string } | null = root ? null : actor.scope;
    if (q.unit) {
      const version = await this.hierarchy.versionFor(actor, q.version);
      const u = (await this.hierarchy.unitMap(version)).byKey.get(q.unit);
      if (!u) throw errors.unknownUnit(q.unit, version);
      const ref = { version, path: u.path };
      if (inScope(actor.scope, ref)) under = ref;
      // A unit above the caller's own (the nation, for a commune officer): the scope is narrower.
      else if (!(actor.scope.version === version && actor.scope.path.startsWith(u.path)))
        throw errors.outOfScope(q.unit, version);
    } else if (q.version) {
      const version = await this.hierarchy.resolveVersion(q.version);
      if (root) under = { version, path: '/' };
      else if (version !== actor.scope.version) throw errors.outOfScope(undefined, version);
    }
    const rows = await this.store.repos.alerts.list({
      state: q.state,
      under,
      ruleId: q.rule,
      limit: Math.min(Math.max(q.limit ?? 100, 1), 1000),
    });
    return rows.map(presentAlert);
  }

  /** A violations rule's subject: an importance, in any case. */
  private importance(s: string): (typeof IMPORTANCES)[number] {
    const up = s.toUpperCase();
    const found = IMPORTANCES.find((i) => i === up);
    if (found) return found;
    throw new AppError(
      'validation_failed',
      {
        vi: `Mức quan trọng "${s}" không có: dùng HIGH (cao), MEDIUM (trung bình) hoặc LOW (thấp)`,
        en: `No importance "${s}": use HIGH, MEDIUM or LOW`,
      },
      { subject: s },
    );
  }

  /** An element code (or uid), ELEMENT.OPTION, or an indicator code (or uid), as codes. */
  private async resolveSubject(
    s: string,
  ): Promise<{ type: 'element' | 'indicator'; code: string }> {
    const [first, option, extra] = s.split('.');
    const repo = this.store.repos.alerts;
    const el = await repo.elementByKey(first!);
    if (el && extra === undefined) {
      if (option === undefined) return { type: 'element', code: el.code };
      const opt = await repo.optionByKey(el.breakdown_id, option);
      if (opt) return { type: 'element', code: `${el.code}.${opt.code}` };
    }
    if (option === undefined) {
      const ind = await repo.indicatorByKey(s);
      if (ind) return { type: 'indicator', code: ind.code };
    }
    throw new AppError(
      'validation_failed',
      {
        vi: `Không có chỉ tiêu hay chỉ số "${s}" (dùng mã chỉ tiêu, CHỈ_TIÊU.PHÂN_TỔ hoặc mã chỉ số)`,
        en: `No data element or indicator "${s}" (use an element code, ELEMENT.OPTION or an indicator code)`,
      },
      { subject: s },
    );
  }

  /** Element codes each indicator depends on, through other indicators too. */
  private async indicatorElements(): Promise<Map<string, Set<string>>> {
    // Formulas may name elements by uid; the written elements are codes.
    const { indicators: rows, elements } = await this.store.repos.alerts.formulas();
    const codeOf = new Map(elements.flatMap((e) => (e.uid ? [[e.uid, e.code] as const] : [])));
    const out = new Map<string, Set<string>>();
    for (const ind of dependencyOrder(rows)) {
      const els = new Set<string>();
      for (const ref of itemsOf(ind.expr))
        if (ref.kind === 'element') els.add(codeOf.get(ref.element) ?? ref.element);
      for (const d of ind.dependsOn) for (const e of out.get(d) ?? []) els.add(e);
      out.set(ind.code, els);
    }
    return out;
  }

  private async evaluateChange(change: DataChange): Promise<void> {
    const rules = await this.store.repos.alerts.listRules({ scope: null, activeOnly: true });
    if (rules.length === 0) return;
    const written = new Set(change.elements);
    const versions = new Set(change.versions);
    const indicators = rules.some((r) => r.subject_type === 'indicator')
      ? await this.indicatorElements()
      : new Map<string, Set<string>>();
    const periods = change.periods.flatMap((id) => {
      try {
        return [parsePeriod(id)];
      } catch {
        return [];
      }
    });
    for (const rule of rules) {
      if (rule.subject_type === 'violations') continue; // evaluated from the outbox
      if (!versions.has(rule.unit_version)) continue;
      const needs =
        rule.subject_type === 'element'
          ? [rule.subject.split('.')[0]!]
          : [...(indicators.get(rule.subject) ?? [])];
      if (!needs.some((e) => written.has(e))) continue;
      // Values of a period land in the rule's periods that contain it; a coarser value (a
      // month, for a daily rule) is in none of them.
      const ruleOrder = periodTypeOrder(rule.period_type);
      const affected = new Map<string, Period>();
      for (const p of periods) {
        if (periodTypeOrder(p.type) > ruleOrder) continue;
        for (const d of [p.start, p.end]) {
          const x = periodContaining(d, rule.period_type);
          affected.set(x.id, x);
        }
      }
      if (affected.size === 0) continue;
      const sorted = [...affected.values()].sort((a, b) => a.start.localeCompare(b.start));
      await this.evaluateRule(rule, sorted.slice(-MAX_PERIODS));
    }
  }

  /** Evaluates one rule for some of its periods; returns how many alerts changed. */
  async evaluateRule(rule: RuleRow, periods: Period[]): Promise<number> {
    if (rule.subject_type === 'violations') return this.evaluateViolations(rule, periods);
    const system: Actor = {
      kind: 'user',
      id: '0',
      name: 'system',
      role: 'admin',
      permissions: ACTIONS,
      scope: { version: rule.unit_version, code: ROOT_CODE, path: `/${ROOT_CODE}/` },
    };
    const repo = this.store.repos.alerts;
    let changed = 0;
    for (let i = 0; i < periods.length; i += PERIOD_CHUNK) {
      const chunk = periods.slice(i, i + PERIOD_CHUNK);
      const { cells } = await this.analytics.query(system, {
        dx: [rule.subject],
        pe: chunk.map((p) => p.id),
        ou: [rule.unit_code, `LEVEL-${rule.level + 1}`],
        version: rule.unit_version,
      });
      changed += await this.apply(
        rule,
        cells.map((c) => ({ pe: c.pe, ou: c.ou, value: c.value })),
        await repo.forRule(
          rule.id,
          chunk.map((p) => p.id),
        ),
      );
    }
    return changed;
  }

  /**
   * The violations cells of committed transactions (unit id, violation period): each active
   * violations rule whose subtree holds the unit is evaluated for its periods containing them.
   */
  private async evaluateViolationCells(cells: [number, string][]): Promise<void> {
    const repo = this.store.repos.alerts;
    const rules = (await repo.listRules({ scope: null, activeOnly: true })).filter(
      (r) => r.subject_type === 'violations',
    );
    if (rules.length === 0) return;
    const units = new Map(
      (await repo.unitsByIds([...new Set(cells.map((c) => c[0]))])).map((u) => [u.id, u]),
    );
    const periods = new Map<string, Period | null>();
    const parsed = (id: string) => {
      if (!periods.has(id))
        try {
          periods.set(id, parsePeriod(id));
        } catch {
          periods.set(id, null);
        }
      return periods.get(id)!;
    };
    for (const rule of rules) {
      const ruleOrder = periodTypeOrder(rule.period_type);
      const affected = new Map<string, Period>();
      for (const [unitId, pid] of cells) {
        const u = units.get(unitId);
        if (!u || u.version !== rule.unit_version || !u.path.startsWith(rule.unit_path)) continue;
        const p = parsed(pid);
        if (!p || p.type === 'range' || periodTypeOrder(p.type) > ruleOrder) continue;
        for (const d of [p.start, p.end]) {
          const x = periodContaining(d, rule.period_type);
          affected.set(x.id, x);
        }
      }
      if (affected.size === 0) continue;
      const sorted = [...affected.values()].sort((a, b) => a.start.localeCompare(b.start));
      await this.evaluateViolations(rule, sorted.slice(-MAX_PERIODS));
    }
  }

  /**
   * A violations rule for some of its periods: under each unit of its level, the stored
   * violations of its importance that no reviewer confirmed, in periods of the rule's type or
   * finer within each period (a week in the month of its fourth day, as DHIS2 places it).
   */
  private async evaluateViolations(rule: RuleRow, periods: Period[]): Promise<number> {
    const repo = this.store.repos.alerts;
    const ruleOrder = periodTypeOrder(rule.period_type);
    const types = PERIOD_TYPES_FINEST_FIRST.filter((t) => periodTypeOrder(t) <= ruleOrder);
    let changed = 0;
    for (let i = 0; i < periods.length; i += PERIOD_CHUNK) {
      const chunk = periods.slice(i, i + PERIOD_CHUNK);
      const within = new Map<string, string>(); // a violation's period → the rule's period
      for (const p of chunk)
        for (const t of types) for (const x of periodsWithin(p, t)) within.set(x.id, p.id);
      const counts = await repo.violationCounts({
        version: rule.unit_version,
        path: rule.unit_path,
        level: rule.level,
        importance: rule.subject,
        periods: [...within.keys()],
      });
      const total = new Map<string, { pe: string; ou: string; value: number }>();
      for (const c of counts) {
        const pe = within.get(c.period)!;
        const key = `${pe}|${c.unit_code}`;
        const cell = total.get(key) ?? { pe, ou: c.unit_code, value: 0 };
        cell.value += c.n;
        total.set(key, cell);
      }
      const stored = await repo.forRule(
        rule.id,
        chunk.map((p) => p.id),
      );
      // A unit with an alert and no violations left counts 0, and its alert resolves.
      for (const a of stored) {
        const key = `${a.period}|${a.unit_code}`;
        if (!total.has(key)) total.set(key, { pe: a.period, ou: a.unit_code, value: 0 });
      }
      changed += await this.apply(rule, [...total.values()], stored);
    }
    return changed;
  }

  /**
   * Opens, updates and resolves a rule's alerts from the values of its cells (units and
   * periods), against its stored alerts; publishes each change after the commit.
   */
  private async apply(
    rule: RuleRow,
    cells: { pe: string; ou: string; value: number | null }[],
    alerts: AlertRow[],
  ): Promise<number> {
    const stored = new Map(alerts.map((a) => [`${a.period}|${a.unit_code}`, a]));
    const writes: AlertWrite[] = [];
    for (const c of cells) {
      const over = c.value !== null && breaches(c.value, rule.operator, rule.threshold);
      const before = stored.get(`${c.pe}|${c.ou}`);
      const base = {
        rule_id: rule.id,
        unit_version: rule.unit_version,
        unit_code: c.ou,
        period: c.pe,
        value: c.value,
        threshold: rule.threshold,
      };
      if (over) {
        if (!before) writes.push({ ...base, state: 'open' });
        else if (before.state === 'resolved')
          writes.push({ ...base, id: before.id, state: 'open', reopened: true });
        else if (before.value !== c.value || before.threshold !== rule.threshold)
          writes.push({ ...base, id: before.id, state: 'open' });
      } else if (before?.state === 'open') {
        writes.push({ ...base, id: before.id, state: 'resolved' });
      }
    }
    if (writes.length === 0) return 0;
    const ids = await this.store.transaction((tx) => tx.alerts.write(writes));
    // After the commit: screens see only what is stored.
    const views = await this.store.repos.alerts.byIds(ids);
    await this.live.publishMany(
      views.map((v) => ({
        topic: 'alert',
        payload: presentAlert(v),
        scope: { version: v.unit_version, path: v.unit_path },
      })),
    );
    return ids.length;
  }
}
