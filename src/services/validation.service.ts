import type { z } from 'zod';
import type { Repos, Store } from '../db/store.ts';
import type { NewResult, RuleRow, RuleValues } from '../db/validation.repo.ts';
import { can, inScope, isRootScope, type Actor } from '../domain/access.ts';
import { AppError, errors, schemaProblems } from '../domain/errors.ts';
import type { ImportViolation } from '../domain/data-value.ts';
import type { ItemRef } from '../domain/expression.ts';
import { versionAt } from '../domain/hierarchy.ts';
import {
  isFixedPeriodType,
  parsePeriod,
  periodContaining,
  periodsWithin,
  periodTypeOrder,
  type FixedPeriodType,
  type Period,
} from '../domain/period.ts';
import {
  checkSideExpression,
  compileRule,
  evaluateCompiled,
  ValidationRuleGroupInput,
  ValidationRuleInput,
  validationRuleInvalid,
  type ElementItem,
  type Importance,
  type MissingValueStrategy,
  type RuleProblem,
  type ValidationOperator,
} from '../domain/validation.ts';
import { ruled, type AnalyticsService } from './analytics.service.ts';
import { auditActor } from './audit.ts';
import { FreshCheck, TOTAL, type FreshCells } from './fresh-cells.ts';
import {
  closeFollowUpTask,
  DEFER_FOLLOW_UPS,
  inPendingBatches,
  openFollowUpTasks,
  PENDING_BATCH,
  type FollowUpTask,
} from './follow-up.ts';
import type { HierarchyService } from './hierarchy.service.ts';
import type { UnitMap } from './unit-cache.ts';

/** A stored rule in Opsroom's shape (ValidationRuleInput) with its id. */
export interface StoredRule extends ValidationRuleInput {
  id: number;
}

export interface StoredGroup extends ValidationRuleGroupInput {
  id: number;
}

export interface RunRequest {
  /** Unit code (or uid): the rules run at every unit under it, itself included. */
  unit: string;
  version?: string;
  startDate: string;
  endDate: string;
  /** A rule group's code or uid; none = every rule. */
  ruleGroup?: string;
  persist?: boolean;
}

export interface Violation {
  rule: {
    id: number;
    code: string;
    uid: string | null;
    nameVi: string;
    nameEn: string;
    instructionVi: string | null;
    instructionEn: string | null;
    operator: ValidationOperator;
  };
  unit: { id: number; code: string; uid: string | null; name: string; path: string };
  version: string;
  period: string;
  left: number | null;
  right: number | null;
  importance: Importance;
}

/** Most unit × period cells one run may check (summed over its rules). */
export const MAX_RUN_CELLS = 200_000;

const write = (actor: Actor | 'system') => {
  if (actor === 'system') return;
  if (!can(actor, 'metadata.manage')) throw errors.forbidden('metadata.manage');
  if (!isRootScope(actor.scope)) throw errors.outOfScope();
};
const read = (actor: Actor) => {
  if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
};

function toStored(r: RuleRow): StoredRule {
  const opt = <T>(v: T | null) => (v === null ? undefined : v);
  const side = (p: 'left' | 'right') => {
    const s: StoredRule['left'] = {
      expression: r[`${p}_expression`],
      missingValueStrategy: r[`${p}_strategy`] as MissingValueStrategy,
    };
    const vi = opt(r[`${p}_description_vi`]);
    const en = opt(r[`${p}_description_en`]);
    if (vi !== undefined) s.descriptionVi = vi;
    if (en !== undefined) s.descriptionEn = en;
    return s;
  };
  const out: StoredRule = {
    id: r.id,
    code: r.code,
    nameVi: r.name_vi,
    nameEn: r.name_en,
    importance: r.importance as Importance,
    periodType: r.period_type as FixedPeriodType,
    levels: r.levels,
    operator: r.operator as ValidationOperator,
    left: side('left'),
    right: side('right'),
  };
  if (r.uid) out.uid = r.uid;
  if (r.instruction_vi) out.instructionVi = r.instruction_vi;
  if (r.instruction_en) out.instructionEn = r.instruction_en;
  return out;
}

function toValues(r: ValidationRuleInput): RuleValues {
  return {
    code: r.code,
    uid: r.uid ?? null,
    name_vi: r.nameVi,
    name_en: r.nameEn,
    instruction_vi: r.instructionVi ?? null,
    instruction_en: r.instructionEn ?? null,
    importance: r.importance,
    period_type: r.periodType,
    levels: [...new Set(r.levels)].sort((a, b) => a - b),
    operator: r.operator,
    left_expression: r.left.expression,
    left_strategy: r.left.missingValueStrategy,
    left_description_vi: r.left.descriptionVi ?? null,
    left_description_en: r.left.descriptionEn ?? null,
    right_expression: r.right.expression,
    right_strategy: r.right.missingValueStrategy,
    right_description_vi: r.right.descriptionVi ?? null,
    right_description_en: r.right.descriptionEn ?? null,
  };
}

/** Parses with the schema; problems prefixed with the rule's place in the document. */
function parseAll<S extends z.ZodType>(
  schema: S,
  inputs: unknown[],
  prefix: string,
  problems: RuleProblem[],
): z.output<S>[] {
  const out: z.output<S>[] = [];
  inputs.forEach((x, i) => {
    const r = schema.safeParse(x);
    if (r.success) out.push(r.data);
    else
      for (const p of schemaProblems(r.error))
        problems.push({ path: `${prefix}.${i}${p.path ? `.${p.path}` : ''}`, vi: p.vi, en: p.en });
  });
  return out;
}

/** A document of rules and groups, as `apply` takes it (and /api/metadata will). */
export interface ValidationDocument {
  validationRules?: unknown[];
  validationRuleGroups?: unknown[];
}

export interface ApplySummary {
  validationRules: { created: number; updated: number; unchanged: number };
  validationRuleGroups: { created: number; updated: number; unchanged: number };
}

/**
 * Validation rules (issue 17): stored, checked and run in DHIS2's model. Writes need
 * 'metadata.manage' at the national scope, as other metadata; reads and runs 'data.read'.
 */
export type PreparedChecks = NonNullable<Awaited<ReturnType<ValidationService['prepareChecks']>>>;

export class ValidationService {
  constructor(
    private readonly store: Store,
    private readonly hierarchy: HierarchyService,
    private readonly analytics: AnalyticsService,
  ) {}

  // -------------------------------------------------------------------------------------------
  // Rules and groups

  /** Every rule and group, in Opsroom's shape (what an export writes). */
  async list(repos: Repos = this.store.repos) {
    const rules = (await repos.validation.listRules()).map(toStored);
    const groups: StoredGroup[] = (await repos.validation.listGroups()).map((g) => {
      const out: StoredGroup = {
        id: g.id,
        code: g.code,
        nameVi: g.name_vi,
        nameEn: g.name_en,
        rules: g.rules,
      };
      if (g.uid) out.uid = g.uid;
      return out;
    });
    return { validationRules: rules, validationRuleGroups: groups };
  }

  async rules(actor: Actor): Promise<StoredRule[]> {
    read(actor);
    return (await this.list()).validationRules;
  }

  async groups(actor: Actor): Promise<StoredGroup[]> {
    read(actor);
    return (await this.list()).validationRuleGroups;
  }

  async rule(actor: Actor, key: string): Promise<StoredRule> {
    read(actor);
    const r = await this.store.repos.validation.ruleByKey(key);
    if (!r) throw errors.notFound(`validation rule ${key}`);
    return toStored(r);
  }

  /** Creates a rule; one with its code (or uid) already is a conflict. */
  async create(actor: Actor | 'system', input: unknown, ctx: { requestId?: string } = {}) {
    write(actor);
    const code = (input as { code?: unknown } | null)?.code;
    const uid = (input as { uid?: unknown } | null)?.uid;
    for (const key of [code, uid])
      if (typeof key === 'string' && (await this.store.repos.validation.ruleByKey(key)))
        throw new AppError(
          'conflict',
          {
            vi: `Đã có quy tắc kiểm tra "${key}"`,
            en: `A validation rule "${key}" already exists`,
          },
          { code: key },
        );
    await this.apply(actor, { validationRules: [input] }, ctx);
    return toStored((await this.store.repos.validation.ruleByKey(String(code)))!);
  }

  /** Replaces the rule `key` (code or uid); its code stays. */
  async update(
    actor: Actor | 'system',
    key: string,
    input: unknown,
    ctx: { requestId?: string } = {},
  ) {
    write(actor);
    const before = await this.store.repos.validation.ruleByKey(key);
    if (!before) throw errors.notFound(`validation rule ${key}`);
    const given = { ...(input as object), code: before.code };
    await this.apply(actor, { validationRules: [given] }, ctx);
    return toStored((await this.store.repos.validation.ruleByKey(before.code))!);
  }

  async remove(actor: Actor | 'system', key: string, ctx: { requestId?: string } = {}) {
    write(actor);
    await this.store.transaction(async (tx) => {
      const before = await tx.validation.ruleByKey(key);
      if (!before) throw errors.notFound(`validation rule ${key}`);
      await tx.validation.deleteRule(before.id);
      await tx.audit.record({
        ...auditActor(actor),
        action: 'validation_rule.delete',
        entityType: 'validation_rule',
        entityId: before.code,
        before: toStored(before),
        requestId: ctx.requestId,
      });
    });
  }

  /**
   * Creates or replaces rules and groups (by code), all or nothing: everything is checked
   * first (schema, expressions, elements and options, period types, uids, group members);
   * any problem refuses the whole document with `validation_rule_invalid` listing them all.
   * Runs in `tx` when given (the metadata import's transaction), else in its own. One audit
   * row per rule or group written.
   */
  async apply(
    actor: Actor | 'system',
    doc: ValidationDocument,
    ctx: { requestId?: string; tx?: Repos } = {},
  ): Promise<ApplySummary> {
    write(actor);
    const problems: RuleProblem[] = [];
    const rules = parseAll(
      ValidationRuleInput,
      doc.validationRules ?? [],
      'validationRules',
      problems,
    );
    const groups = parseAll(
      ValidationRuleGroupInput,
      doc.validationRuleGroups ?? [],
      'validationRuleGroups',
      problems,
    );
    if (problems.length) throw validationRuleInvalid(problems);
    const run = async (tx: Repos): Promise<ApplySummary> => {
      await this.check(tx, rules, groups, problems);
      if (problems.length) throw validationRuleInvalid(problems);
      const summary: ApplySummary = {
        validationRules: { created: 0, updated: 0, unchanged: 0 },
        validationRuleGroups: { created: 0, updated: 0, unchanged: 0 },
      };
      for (const r of rules) {
        const before = await tx.validation.ruleByKey(r.code);
        if (before && sameRule(toStored(before), r)) {
          // The same rule again (a document applied twice): nothing written, nothing audited.
          summary.validationRules.unchanged++;
          continue;
        }
        const { change } = await tx.validation.upsertRule(toValues(r));
        summary.validationRules[change]++;
        await tx.audit.record({
          ...auditActor(actor),
          action: `validation_rule.${change === 'created' ? 'create' : 'update'}`,
          entityType: 'validation_rule',
          entityId: r.code,
          before: before ? toStored(before) : undefined,
          after: r,
          requestId: ctx.requestId,
        });
      }
      const storedGroups = new Map(
        (await this.list(tx)).validationRuleGroups.map((x) => [x.code, x]),
      );
      for (const g of groups) {
        const was = storedGroups.get(g.code);
        if (
          was &&
          (was.uid ?? null) === (g.uid ?? null) &&
          was.nameVi === g.nameVi &&
          was.nameEn === g.nameEn &&
          [...was.rules].sort().join() === [...g.rules].sort().join()
        ) {
          summary.validationRuleGroups.unchanged++;
          continue;
        }
        const members = await tx.validation.rulesByKeys(g.rules);
        const { change } = await tx.validation.upsertGroup(
          { code: g.code, uid: g.uid ?? null, name_vi: g.nameVi, name_en: g.nameEn },
          members.map((m) => m.id),
        );
        summary.validationRuleGroups[change]++;
        await tx.audit.record({
          ...auditActor(actor),
          action: `validation_rule_group.${change === 'created' ? 'create' : 'update'}`,
          entityType: 'validation_rule_group',
          entityId: g.code,
          after: g,
          requestId: ctx.requestId,
        });
      }
      return summary;
    };
    return ctx.tx ? run(ctx.tx) : this.store.transaction(run);
  }

  /** Adds the problems of rules and groups against the database (and each other). */
  private async check(
    tx: Repos,
    rules: ValidationRuleInput[],
    groups: ValidationRuleGroupInput[],
    problems: RuleProblem[],
  ): Promise<void> {
    const codes = new Set<string>();
    const items: { at: number; path: string; ref: ElementItem }[] = [];
    rules.forEach((r, i) => {
      const at = `validationRules.${i}`;
      if (codes.has(r.code))
        problems.push({
          path: `${at}.code`,
          vi: `Mã quy tắc "${r.code}" bị trùng`,
          en: `Duplicate rule code "${r.code}"`,
        });
      codes.add(r.code);
      for (const side of ['left', 'right'] as const) {
        const path = `${at}.${side}.expression`;
        const c = checkSideExpression(r[side].expression, path);
        if ('problems' in c) problems.push(...c.problems);
        else for (const ref of c.items) items.push({ at: i, path, ref });
      }
    });
    const elements = await tx.validation.elementsByKeys([
      ...new Set(items.map((x) => x.ref.element)),
    ]);
    const elementOf = new Map<string, (typeof elements)[number]>();
    for (const e of elements) {
      elementOf.set(e.code, e);
      if (e.uid) elementOf.set(e.uid, e);
    }
    const options = await tx.validation.optionsByKeys([
      ...new Set(items.flatMap((x) => (x.ref.option ? [x.ref.option] : []))),
    ]);
    const setTypes = await tx.validation.dataSetPeriodTypes(elements.map((e) => e.id));
    const usedBy = new Map<number, Set<number>>(); // rule index → element ids
    for (const { at, path, ref } of items) {
      const el = elementOf.get(ref.element);
      if (!el) {
        problems.push({
          path,
          vi: `Không có chỉ tiêu dữ liệu mã "${ref.element}"`,
          en: `There is no data element "${ref.element}"`,
        });
        continue;
      }
      if (ref.option !== undefined) {
        const opt = options.find((o) => o.code === ref.option || o.uid === ref.option);
        if (!opt || opt.breakdown_id !== el.breakdown_id)
          problems.push({
            path,
            vi: `Chỉ tiêu ${el.code} không có phương án phân tổ "${ref.option}"`,
            en: `Data element ${el.code} has no breakdown option "${ref.option}"`,
          });
      }
      const used = usedBy.get(at) ?? new Set<number>();
      used.add(el.id);
      usedBy.set(at, used);
    }
    // A rule's period type must fit its elements: an element reported in data sets must be
    // reported in at least one whose period type is the rule's or finer (a monthly rule over
    // an element reported yearly would read nothing). An element in no data set may be
    // reported in any period, so it fits every type.
    rules.forEach((r, i) => {
      for (const id of usedBy.get(i) ?? []) {
        const sets = setTypes.filter((s) => s.element_id === id);
        if (sets.length === 0) continue;
        const fits = sets.some(
          (s) =>
            isFixedPeriodType(s.period_type) &&
            periodTypeOrder(s.period_type) <= periodTypeOrder(r.periodType),
        );
        if (!fits) {
          const el = elements.find((e) => e.id === id)!;
          const types = [...new Set(sets.map((s) => s.period_type))].join(', ');
          problems.push({
            path: `validationRules.${i}.periodType`,
            vi: `Kỳ "${r.periodType}" không hợp với chỉ tiêu ${el.code}, được báo cáo theo kỳ ${types}: kỳ của quy tắc phải bằng hoặc dài hơn`,
            en: `Period type "${r.periodType}" does not fit data element ${el.code}, reported ${types}: the rule's period type must be the same or longer`,
          });
        }
      }
    });
    for (const [i, r] of rules.entries()) {
      if (r.uid) {
        const taken = await tx.validation.uidTaken('validation_rule', r.uid, r.code);
        if (taken)
          problems.push({
            path: `validationRules.${i}.uid`,
            vi: `uid ${r.uid} đã thuộc quy tắc ${taken}`,
            en: `uid ${r.uid} already belongs to rule ${taken}`,
          });
      }
    }
    for (const [i, g] of groups.entries()) {
      const found = await tx.validation.rulesByKeys(g.rules);
      for (const key of g.rules)
        if (!codes.has(key) && !found.some((f) => f.code === key || f.uid === key))
          problems.push({
            path: `validationRuleGroups.${i}.rules`,
            vi: `Không có quy tắc kiểm tra "${key}"`,
            en: `There is no validation rule "${key}"`,
          });
      if (g.uid) {
        const taken = await tx.validation.uidTaken('validation_rule_group', g.uid, g.code);
        if (taken)
          problems.push({
            path: `validationRuleGroups.${i}.uid`,
            vi: `uid ${g.uid} đã thuộc nhóm ${taken}`,
            en: `uid ${g.uid} already belongs to group ${taken}`,
          });
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Running

  /**
   * Runs the rules (of a group, or all) at every unit under `unit` at each rule's levels, for
   * every period of the rule's type within [startDate, endDate]. Totals are read through the
   * analytics service (each element totalled for a unit and period by its own aggregation
   * rules, as the room shows it). Returns the violations; with `persist`, stores them and
   * removes stored results at the cells checked that no longer fail.
   */
  async run(actor: Actor, q: RunRequest, ctx: { requestId?: string } = {}): Promise<Violation[]> {
    read(actor);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(q.startDate) || !/^\d{4}-\d{2}-\d{2}$/.test(q.endDate))
      throw new AppError('validation_failed', {
        vi: 'Ngày bắt đầu và kết thúc phải có dạng YYYY-MM-DD',
        en: 'Start and end dates must be YYYY-MM-DD',
      });
    if (q.startDate > q.endDate)
      throw new AppError('validation_failed', {
        vi: 'Ngày bắt đầu phải trước ngày kết thúc',
        en: 'The start date must be before the end date',
      });
    const version =
      q.version !== undefined
        ? await this.hierarchy.resolveVersion(q.version)
        : (versionAt(await this.hierarchy.versionDates(), q.endDate)?.id ??
          (await this.hierarchy.resolveVersion()));
    const { byKey, all } = await this.hierarchy.unitMap(version);
    const top = byKey.get(q.unit);
    if (!top) throw errors.unknownUnit(q.unit, version);
    if (!inScope(actor.scope, { version, path: top.path }))
      throw errors.outOfScope(q.unit, version);
    const under = all.filter((u) => u.path.startsWith(top.path));

    let stored = await this.store.repos.validation.listRules();
    if (q.ruleGroup !== undefined) {
      const g = await this.store.repos.validation.groupByKey(q.ruleGroup);
      if (!g) throw errors.notFound(`validation rule group ${q.ruleGroup}`);
      stored = stored.filter((r) => g.rules.includes(r.code));
    }
    const range: Period = { type: 'range', id: '', start: q.startDate, end: q.endDate };
    const plans = stored.map((r) => {
      const units = atLevels(under, r.levels);
      const periods = periodsWithin(range, r.period_type as FixedPeriodType);
      return { r, units, periods };
    });
    const cells = plans.reduce((n, p) => n + p.units.length * p.periods.length, 0);
    if (cells > MAX_RUN_CELLS)
      throw new AppError(
        'validation_too_large',
        {
          vi: `Lượt kiểm tra này gồm ${cells} ô (đơn vị × kỳ × quy tắc), quá giới hạn ${MAX_RUN_CELLS}; hãy chọn đơn vị nhỏ hơn, khoảng thời gian ngắn hơn hoặc một nhóm quy tắc`,
          en: `This run covers ${cells} cells (units × periods × rules), over the limit of ${MAX_RUN_CELLS}; choose a smaller unit, a shorter range or a rule group`,
        },
        { cells, limit: MAX_RUN_CELLS },
      );

    const { violations, found } = await this.evaluatePlans(actor, plans, version, byKey, top);
    if (q.persist) {
      await this.store.transaction(async (tx) => {
        await tx.validation.replaceResults(
          plans.map((p) => ({
            ruleId: p.r.id,
            unitIds: p.units.map((u) => u.id),
            periods: p.periods.map((x) => x.id),
          })),
          found,
        );
        await tx.audit.record({
          ...auditActor(actor),
          action: 'validation_result.replace',
          entityType: 'validation_result',
          entityId: `${version}:${top.code}:${q.startDate}/${q.endDate}`,
          unit: { version, code: top.code },
          after: { rules: plans.map((p) => p.r.code), violations: found.length },
          requestId: ctx.requestId,
        });
      });
    }
    return violations;
  }

  /**
   * Evaluates each rule at its units and periods (units of `version` under or at `top`),
   * reading totals through the analytics service: one question per rule and unit level.
   */
  private async evaluatePlans(
    actor: Actor,
    plans: { r: RuleRow; units: UnitMap['all']; periods: Period[] }[],
    version: string,
    byKey: UnitMap['byKey'],
    top: { code: string; level: number },
  ): Promise<{ violations: Violation[]; found: NewResult[] }> {
    const violations: Violation[] = [];
    const found: NewResult[] = [];
    for (const { r, units, periods } of plans) {
      if (units.length === 0 || periods.length === 0) continue;
      const compiled = compileStored(r);
      const dxOf = (ref: ItemRef) =>
        ref.kind === 'element' ? (ref.option ? `${ref.element}.${ref.option}` : ref.element) : '';
      const dx = [...new Set([...compiled.left.items, ...compiled.right.items].map(dxOf))];
      const values = new Map<string, number | null>();
      if (dx.length) {
        // One analytics question per level: LEVEL-n under the unit (DHIS2 counts from 1).
        for (const level of new Set(units.map((u) => u.level))) {
          const ou = level === top.level ? [top.code] : [top.code, `LEVEL-${level + 1}`];
          const answer = await this.analytics.query(actor, {
            dx,
            pe: periods.map((p) => p.id),
            ou,
            version,
          });
          for (const c of answer.cells) values.set(`${c.dx}|${c.pe}|${c.ou}`, c.value);
        }
      }
      for (const u of units)
        for (const p of periods) {
          const out = evaluateCompiled(compiled, (ref) =>
            ref.kind === 'element' ? (values.get(`${dxOf(ref)}|${p.id}|${u.code}`) ?? null) : null,
          );
          if (out.status !== 'violated') continue;
          const unit = byKey.get(u.code);
          violations.push(
            violationOf(r, { ...u, uid: unit?.uid ?? null }, version, p.id, out.left, out.right),
          );
          found.push({
            rule_id: r.id,
            unit_id: u.id,
            period: p.id,
            left_value: out.left,
            right_value: out.right,
            importance: r.importance,
          });
        }
    }
    return { violations, found };
  }

  /**
   * DHIS2's `GET /api/validation/dataSet/{ds}?pe=&ou=`: the rules whose every element is in the
   * data set, at one unit (if its level is among the rule's) for the period of each rule's
   * type containing `period`. Nothing stored.
   */
  async validateDataSet(
    actor: Actor,
    q: { dataSet: string; period: string; unit: string },
  ): Promise<Violation[]> {
    read(actor);
    const ds = await this.store.repos.validation.dataSetByKey(q.dataSet);
    if (!ds) throw errors.notFound(`data set ${q.dataSet}`);
    const period = parsePeriod(q.period);
    const version = ds.version;
    const { byKey } = await this.hierarchy.unitMap(version);
    const unit = byKey.get(q.unit);
    if (!unit) throw errors.unknownUnit(q.unit, version);
    if (!inScope(actor.scope, { version, path: unit.path }))
      throw errors.outOfScope(q.unit, version);
    const inSet = new Set(ds.elementIds);
    const rules = await this.store.repos.validation.listRules();
    const keys = new Set<string>();
    const itemsOf = new Map<number, ElementItem[]>();
    for (const r of rules) {
      const items: ElementItem[] = [];
      for (const e of [r.left_expression, r.right_expression]) {
        const c = checkSideExpression(e, '');
        if (!('problems' in c)) items.push(...c.items);
      }
      itemsOf.set(r.id, items);
      for (const i of items) keys.add(i.element);
    }
    const elements = await this.store.repos.validation.elementsByKeys([...keys]);
    const idOf = new Map<string, number>();
    for (const e of elements) {
      idOf.set(e.code, e.id);
      if (e.uid) idOf.set(e.uid, e.id);
    }
    const self = {
      id: unit.id,
      code: unit.code,
      path: unit.path,
      level: unit.level,
      full_name: unit.full_name,
    };
    const plans = rules
      .filter((r) => {
        const items = itemsOf.get(r.id) ?? [];
        return items.length > 0 && items.every((i) => inSet.has(idOf.get(i.element) ?? -1));
      })
      .map((r) => ({
        r,
        units: r.levels.length === 0 || r.levels.includes(unit.level) ? [self] : [],
        periods: [periodContaining(period.start, r.period_type as FixedPeriodType)],
      }));
    return (await this.evaluatePlans(actor, plans, version, byKey, unit)).violations;
  }

  /**
   * The rules after a write, in the writer's transaction (`tx` sees its uncommitted values):
   * every rule reading one of `elementIds`, at each of `unitIds` its levels take, for each
   * period of the rule's type containing one of `periodIds` (stored periods). Totals are read
   * with the analytics repository's `aggregate` (what /api/analytics totals), each element by
   * its own rules over time and units. With `persist`, the stored results of those cells are
   * replaced by what is found (no audit row: the write that called it has its own). Returns
   * the violations, for an import summary; it refuses nothing.
   */
  /**
   * The first half of `checkValues`: what it reads (the rules reading the elements written,
   * the units, periods and options) and, for an import's new periods, the rules' cells
   * (`FreshCheck`). Undefined when no rule applies. `quickResults` then evaluates the rules
   * from those cells without the database, so an import runs it while the database builds the
   * new partition's index.
   */
  async prepareChecks(
    tx: Repos,
    q: { unitIds: number[]; periodIds: number[]; elementIds: number[]; fresh?: FreshCells },
  ) {
    if (!q.unitIds.length || !q.periodIds.length || !q.elementIds.length) return undefined;
    const touched = new Set(q.elementIds);
    const rules = (await tx.validation.listRules()).map((r) => ({
      r,
      compiled: compileStored(r),
    }));
    const keys = new Set<string>();
    for (const { compiled } of rules)
      for (const ref of [...compiled.left.items, ...compiled.right.items]) keys.add(ref.element);
    const elements = await tx.validation.elementsByKeys([...keys]);
    const elementOf = new Map<string, (typeof elements)[number]>();
    for (const e of elements) {
      elementOf.set(e.code, e);
      if (e.uid) elementOf.set(e.uid, e);
    }
    const itemsOfRule = (c: (typeof rules)[number]['compiled']) => [
      ...c.left.items,
      ...c.right.items,
    ];
    const relevant = rules.filter(({ compiled }) =>
      itemsOfRule(compiled).some((ref) => touched.has(elementOf.get(ref.element)?.id ?? -1)),
    );
    if (relevant.length === 0) return undefined;
    const units = await tx.validation.unitsByIds(q.unitIds);
    const storedRows = await tx.validation.periodsByIds(q.periodIds);
    const stored = storedRows.map((p) => parsePeriod(p.pid));
    const optionKeys = new Set<string>();
    for (const { compiled } of relevant)
      for (const ref of itemsOfRule(compiled)) if (ref.option) optionKeys.add(ref.option);
    const options = await tx.validation.optionsByKeys([...optionKeys]);
    // The import's own sums, where they are the whole (FreshCheck): one tree written, periods
    // new to the database, and the stored periods around them to tell which longer ones are.
    const freshSpans = q.fresh
      ? stored.filter((p, i) => q.fresh!.periods.includes(storedRows[i]!.id))
      : [];
    const around = freshSpans.length
      ? await tx.validation.periodsAround(
          `${Number(freshSpans.reduce((a, p) => (p.start < a ? p.start : a), '9999').slice(0, 4)) - 1}-01-01`,
          `${Number(freshSpans.reduce((a, p) => (p.end > a ? p.end : a), '0000').slice(0, 4)) + 1}-12-31`,
        )
      : [];
    const cells =
      q.fresh && freshSpans.length && new Set(units.map((u) => u.version)).size === 1
        ? new FreshCheck(
            q.fresh,
            units,
            new Map(storedRows.map((p, i) => [p.id, stored[i]!])),
            around,
            elementOf,
            (key) => options.find((o) => o.code === key || o.uid === key),
          )
        : undefined;

    return {
      relevant,
      units,
      stored,
      elementOf,
      options,
      itemsOfRule,
      cells,
      quick: undefined as Map<number, ReturnType<NonNullable<typeof cells>['rule']>> | undefined,
    };
  }

  /** The rules evaluated from the import's cells (pure computation, no database). */
  quickResults(p: PreparedChecks) {
    const out = new Map<number, ReturnType<FreshCheck<(typeof p.units)[number]>['rule']>>();
    if (!p.cells) return out;
    for (const { r, compiled } of p.relevant) {
      const at = atLevels(p.units, r.levels);
      if (at.length) out.set(r.id, p.cells.rule(r, compiled, at));
    }
    return out;
  }

  async checkValues(
    tx: Repos,
    q: {
      unitIds: number[];
      periodIds: number[];
      elementIds: number[];
      /** The import's sums in periods new to the database (checked from memory). */
      fresh?: FreshCells;
      /** What `prepareChecks` read and computed ahead (an import's, while its index builds). */
      prepared?: PreparedChecks;
    },
    opts: { persist?: boolean; followUp?: boolean } = {},
  ): Promise<Violation[]> {
    const prepared = q.prepared ?? (await this.prepareChecks(tx, q));
    if (!prepared) return [];
    const { relevant, units, stored, elementOf, options, itemsOfRule } = prepared;
    const quickOf = prepared.quick ?? this.quickResults(prepared);
    const violations: Violation[] = [];
    const found: NewResult[] = [];
    const checked: { ruleId: number; unitIds: number[]; periods: string[] }[] = [];
    for (const { r, compiled } of relevant) {
      const at = atLevels(units, r.levels);
      const type = r.period_type as FixedPeriodType;
      // A date range ("8 tháng đầu năm") has no fixed type: a rule reading what was written
      // there is checked at the range itself, as the figures were printed.
      const all = [
        ...new Map(
          stored
            .map((p) => (p.type === 'range' ? p : periodContaining(p.start, type)))
            .map((p) => [p.id, p] as const),
        ).values(),
      ];
      if (at.length === 0 || all.length === 0) continue;
      checked.push({
        ruleId: r.id,
        unitIds: at.map((u) => u.id),
        periods: all.map((p) => p.id),
      });
      // Periods new to the database, of the rule's own type: from the import's sums.
      const quick = quickOf.get(r.id);
      const periods = quick ? all.filter((p) => !quick.periods.has(p.id)) : all;
      if (quick)
        for (const v of quick.violations) {
          violations.push(violationOf(r, v.unit, v.unit.version, v.period, v.left, v.right));
          found.push({
            rule_id: r.id,
            unit_id: v.unit.id,
            period: v.period,
            left_value: v.left,
            right_value: v.right,
            importance: r.importance,
          });
        }
      if (periods.length === 0) continue;
      const values = new Map<string, number | null>(); // `${itemKey}|${pid}|${unitId}`
      const keyOf = (ref: ElementItem) =>
        ref.option ? `${ref.element}.${ref.option}` : ref.element;
      for (const ref of new Map(itemsOfRule(compiled).map((x) => [keyOf(x), x])).values()) {
        const el = elementOf.get(ref.element);
        if (!el) continue;
        const option = ref.option
          ? options.find((o) => o.code === ref.option || o.uid === ref.option)
          : undefined;
        if (ref.option && !option) continue;
        for (const version of new Set(at.map((u) => u.version))) {
          const group = at.filter((u) => u.version === version);
          const rows = await tx.analytics.aggregate({
            elementId: el.id,
            ...(option ? { optionIds: [option.id] } : {}),
            units: group.map((u) => ({ key: u.id, ids: [u.id] })),
            periods: periods.map((p) => ({ pid: p.id, start: p.start, end: p.end })),
            stock: el.agg_time === 'last',
            carryTo: version,
          });
          for (const x of rows)
            values.set(
              `${keyOf(ref)}|${x.pid}|${x.unit_id}`,
              ruled({ time: el.agg_time, units: el.agg_units }, x),
            );
        }
      }
      for (const u of at)
        for (const p of periods) {
          const out = evaluateCompiled(compiled, (ref) =>
            ref.kind === 'element' ? (values.get(`${keyOf(ref)}|${p.id}|${u.id}`) ?? null) : null,
          );
          if (out.status !== 'violated') continue;
          violations.push(violationOf(r, u, u.version, p.id, out.left, out.right));
          found.push({
            rule_id: r.id,
            unit_id: u.id,
            period: p.id,
            left_value: out.left,
            right_value: out.right,
            importance: r.importance,
          });
        }
    }
    if (opts.persist) await tx.validation.replaceResults(checked, found);
    if (opts.persist && opts.followUp) await this.followUp(tx, checked, found, violations);
    return violations;
  }

  /**
   * What an import's transaction calls (`DataValueService.checkWith`): the rules over the
   * units written and every unit above them, results stored; violations as the summary lists
   * them.
   */
  readonly importChecks = {
    any: () => this.store.repos.validation.anyRule(),
    tracked: async (): Promise<Map<number, Set<number>>> => {
      const repos = this.store.repos;
      const out = new Map<number, Set<number>>();
      for (const ref of await ruleItemIds(repos, await repos.validation.listRules())) {
        const set = out.get(ref.element_id) ?? new Set<number>();
        set.add(ref.option_id ?? TOTAL);
        out.set(ref.element_id, set);
      }
      return out;
    },
    /**
     * What `run` reads, read ahead, and the rules over a bulk load's new periods evaluated by
     * `compute` (no database: an import calls it while the database builds its index).
     */
    prepare: async (
      tx: Repos,
      q: { unitIds: number[]; periodIds: number[]; elementIds: number[]; fresh?: FreshCells },
    ) => {
      const unitIds = await tx.validation.withUnitsAbove(q.unitIds);
      const prepared = await this.prepareChecks(tx, { ...q, unitIds });
      if (!prepared) return undefined;
      return {
        prepared,
        compute: () => {
          prepared.quick = this.quickResults(prepared);
        },
      };
    },
    run: async (
      tx: Repos,
      q: {
        unitIds: number[];
        periodIds: number[];
        elementIds: number[];
        fresh?: FreshCells;
        prepared?: PreparedChecks;
      },
    ): Promise<ImportViolation[]> => {
      const unitIds = q.prepared ? q.unitIds : await tx.validation.withUnitsAbove(q.unitIds);
      const found = await this.checkValues(
        tx,
        { ...q, unitIds },
        { persist: true, followUp: true },
      );
      return found.map((v) => ({
        rule: v.rule.code,
        nameVi: v.rule.nameVi,
        nameEn: v.rule.nameEn,
        importance: v.importance,
        unit: v.unit.code,
        version: v.version,
        period: v.period,
        left: v.left,
        right: v.right,
      }));
    },
  };

  /**
   * After a check wrote its results: each HIGH violation without a follow-up opens one task for
   * the unit where the rule is broken (one per rule, unit and period, however often the values
   * are checked again; not again once confirmed); an open follow-up whose violation is gone (the
   * value corrected) is closed with its task. In the writer's transaction.
   */
  private async followUp(
    tx: Repos,
    checked: { ruleId: number; unitIds: number[]; periods: string[] }[],
    found: NewResult[],
    violations: Violation[],
  ): Promise<void> {
    const at = new Date();
    const high = found.filter((f) => f.importance === 'HIGH');
    const known = new Map(
      (
        await tx.validation.followups(
          high.map((f) => ({ ruleId: f.rule_id, unitId: f.unit_id, period: f.period })),
        )
      ).map((f) => [`${f.rule_id}|${f.unit_id}|${f.period}`, f]),
    );
    // One task per new HIGH violation, written in batches (a bulk load can break a rule
    // thousands of times).
    const byCell = new Map(violations.map((v) => [`${v.rule.id}|${v.unit.id}|${v.period}`, v]));
    const fresh = high.filter((f) => !known.has(`${f.rule_id}|${f.unit_id}|${f.period}`));
    const unitOf = new Map(
      (await tx.validation.unitsByIds([...new Set(fresh.map((f) => f.unit_id))])).map((u) => [
        u.id,
        u,
      ]),
    );
    const opening = fresh.flatMap((f) => {
      const v = byCell.get(`${f.rule_id}|${f.unit_id}|${f.period}`);
      const unit = unitOf.get(f.unit_id);
      return v && unit ? [{ f, v, unit }] : [];
    });
    // A bulk load's tasks are opened after its commit, from the outbox (openPendingTasks).
    const defer = opening.length > DEFER_FOLLOW_UPS;
    const taskIds = defer
      ? []
      : await openFollowUpTasks(
          tx,
          opening.map(({ f, v, unit }) => violationTask(unit, v.rule, f.period, v.left, v.right)),
          at,
        );
    await tx.validation.openFollowupMany(
      opening.map(({ f }, i) => ({
        rule_id: f.rule_id,
        unit_id: f.unit_id,
        period: f.period,
        task_id: defer ? null : taskIds[i]!,
      })),
    );
    if (defer) await tx.alerts.queueFollowUps();
    const still = new Set(found.map((f) => `${f.rule_id}|${f.unit_id}|${f.period}`));
    for (const o of await tx.validation.openFollowups(checked)) {
      if (still.has(`${o.rule_id}|${o.unit_id}|${o.period}`)) continue;
      await tx.validation.closeFollowup(
        { rule_id: o.rule_id, unit_id: o.unit_id, period: o.period },
        'corrected',
        'system',
        null,
      );
      if (o.task_id !== null)
        await this.closeTask(
          tx,
          o.task_id,
          at,
          'Số liệu đã được sửa: quy tắc không còn bị vi phạm',
        );
    }
  }

  /**
   * Opens the tasks of the follow-ups a bulk load left for after its commit (migration 0029),
   * a batch per transaction, each with its event, audit row and live event. Called by the
   * outbox drain; returns how many it opened.
   */
  openPendingTasks(): Promise<number> {
    return inPendingBatches(this.store, async (tx) => {
      const rows = await tx.validation.pendingFollowups(PENDING_BATCH);
      const units = new Map(
        (await tx.validation.unitsByIds([...new Set(rows.map((r) => r.unit_id))])).map((u) => [
          u.id,
          u,
        ]),
      );
      const ready = rows.flatMap((r) => {
        const unit = units.get(r.unit_id);
        return unit ? [{ r, unit }] : [];
      });
      const ids = await openFollowUpTasks(
        tx,
        ready.map(({ r, unit }) =>
          violationTask(
            unit,
            { code: r.rule_code, nameVi: r.name_vi, instructionVi: r.instruction_vi },
            r.period,
            r.left_value,
            r.right_value,
          ),
        ),
        new Date(),
      );
      await tx.validation.setFollowupTasks(
        ready.map(({ r }, i) => ({
          rule_id: r.rule_id,
          unit_id: r.unit_id,
          period: r.period,
          task_id: ids[i]!,
        })),
      );
      return rows.length;
    });
  }

  /** Marks a follow-up task done, with why, unless it already is. */
  private async closeTask(tx: Repos, taskId: number, at: Date, note: string): Promise<void> {
    await closeFollowUpTask(tx, taskId, at, note);
  }

  /**
   * A reviewer's word on a broken rule at a unit and period (issue 17): the value is correct as
   * it is (`confirm`: the flag goes, a re-check does not raise it again, its task is closed).
   * Audited; in the caller's scope.
   */
  async review(
    actor: Actor,
    q: { rule: string; unit: string; version: string; period: string; comment?: string },
    ctx: { requestId?: string } = {},
  ): Promise<{ state: 'confirmed' }> {
    if (!can(actor, 'data.write')) throw errors.forbidden('data.write');
    const rule = await this.store.repos.validation.ruleByKey(q.rule);
    if (!rule) throw errors.notFound(`validation rule ${q.rule}`);
    const unit = await this.store.repos.tasks.unit(q.version, q.unit);
    if (!unit) throw errors.unknownUnit(q.unit, q.version);
    if (!inScope(actor.scope, { version: q.version, path: unit.path }))
      throw errors.outOfScope(q.unit, q.version);
    await this.store.transaction(async (tx) => {
      const [f] = await tx.validation.followups([
        { ruleId: rule.id, unitId: unit.id, period: q.period },
      ]);
      await tx.validation.closeFollowup(
        { rule_id: rule.id, unit_id: unit.id, period: q.period },
        'confirmed',
        actor.name,
        q.comment ?? null,
      );
      if (f?.task_id)
        await this.closeTask(
          tx,
          f.task_id,
          new Date(),
          `Đã xác nhận số liệu đúng: ${q.comment ?? ''}`.trim(),
        );
      await tx.audit.record({
        ...auditActor(actor),
        action: 'validation_result.confirm',
        entityType: 'validation_result',
        entityId: `${rule.code}|${q.version}:${unit.code}|${q.period}`,
        unit: { version: q.version, code: unit.code },
        after: { comment: q.comment ?? null },
        requestId: ctx.requestId,
      });
    });
    return { state: 'confirmed' };
  }

  /**
   * Stored results at units in the caller's scope, most important then newest first; `state`
   * filters by follow-up (`open`: not confirmed by a reviewer).
   */
  async results(
    actor: Actor,
    q: {
      limit: number;
      offset: number;
      rule?: string;
      period?: string[];
      state?: 'open' | 'confirmed' | 'corrected';
      /** A unit code: its subtree (in the caller's scope). */
      unit?: string;
      version?: string;
    },
  ) {
    read(actor);
    let scope = isRootScope(actor.scope)
      ? null
      : { version: actor.scope.version, path: actor.scope.path };
    // The caller's own scope unit is the default: no narrowing (a root scope spans versions).
    const own =
      q.unit === actor.scope.code && (q.version ?? actor.scope.version) === actor.scope.version;
    if (q.unit !== undefined && !own) {
      const version = q.version ?? actor.scope.version;
      const unit = await this.store.repos.tasks.unit(version, q.unit);
      if (!unit) throw errors.unknownUnit(q.unit, version);
      if (!inScope(actor.scope, { version, path: unit.path }))
        throw errors.outOfScope(q.unit, version);
      scope = { version, path: unit.path };
    }
    let ruleIds: number[] | undefined;
    if (q.rule !== undefined) {
      const r = await this.store.repos.validation.ruleByKey(q.rule);
      ruleIds = r ? [r.id] : [];
    }
    const repos = this.store.repos;
    const { rows, total } = await repos.validation.listResults({
      scope,
      ruleIds,
      periods: q.period,
      ...(q.state !== undefined ? { state: q.state } : {}),
      limit: q.limit,
      offset: q.offset,
    });
    // The values each result's rule reads that are stored at its unit and period: what the
    // reviewer sees and may correct from the card.
    const ids = new Set(rows.map((r) => r.rule_id));
    const items = await ruleItemIds(
      repos,
      (await repos.validation.listRules()).filter((r) => ids.has(r.id)),
    );
    const stored = await repos.validation.storedItems(
      rows.flatMap((r) =>
        items
          .filter((i) => i.rule_id === r.rule_id)
          .map((i) => ({ ...i, unit_id: r.unit_id, period: r.period })),
      ),
    );
    const cell = (x: { rule_id: number; unit_id: number; period: string }) =>
      `${x.rule_id}|${x.unit_id}|${x.period}`;
    const byCell = new Map<string, typeof stored>();
    for (const v of stored) byCell.set(cell(v), [...(byCell.get(cell(v)) ?? []), v]);
    return { total, rows: rows.map((r) => ({ ...r, values: byCell.get(cell(r)) ?? [] })) };
  }
}

/**
 * An element's total for a unit and period from `aggregate`'s row, by its own rules: over time
 * the sum, the last stored period's (stocks) or the average of stored periods; across units an
 * average divides by the units reporting. As analytics.service.ts `ruled` for an element's own
 * rules (rules take no aggregationType modifier, so MIN/MAX/COUNT never arise).
 */
/** A stored rule's two sides parsed once, as the domain evaluates them. */
function compileStored(r: RuleRow) {
  return compileRule({
    operator: r.operator as ValidationOperator,
    left: {
      expression: r.left_expression,
      missingValueStrategy: r.left_strategy as MissingValueStrategy,
    },
    right: {
      expression: r.right_expression,
      missingValueStrategy: r.right_strategy as MissingValueStrategy,
    },
  });
}

/** The task a HIGH violation opens for the unit where the rule is broken. */
function violationTask(
  unit: FollowUpTask['unit'],
  rule: { code: string; nameVi: string; instructionVi: string | null },
  period: string,
  left: number | null,
  right: number | null,
): FollowUpTask {
  return {
    unit,
    title: `Kiểm tra số liệu: ${rule.nameVi} — kỳ ${period}`,
    note: `${rule.instructionVi ?? rule.nameVi} (vế trái ${left ?? '—'}, vế phải ${right ?? '—'})`,
    audit: {
      action: 'validation_result.follow_up',
      after: { rule: rule.code, period, left, right },
    },
  };
}

/**
 * The element items of these rules as ids, once each: (rule, element, option — null for every
 * option). An item naming an element, or an option of its breakdown, that no longer exists is
 * left out.
 */
export async function ruleItemIds(
  repos: Repos,
  rules: RuleRow[],
): Promise<{ rule_id: number; element_id: number; option_id: number | null }[]> {
  const items = rules.flatMap((r) => {
    const c = compileStored(r);
    return [...c.left.items, ...c.right.items].map((i) => ({ ruleId: r.id, ...i }));
  });
  const elements = await repos.validation.elementsByKeys([...new Set(items.map((i) => i.element))]);
  const options = await repos.validation.optionsByKeys([
    ...new Set(items.flatMap((i) => (i.option ? [i.option] : []))),
  ]);
  const seen = new Set<string>();
  const out: { rule_id: number; element_id: number; option_id: number | null }[] = [];
  for (const i of items) {
    const el = elements.find((e) => e.code === i.element || e.uid === i.element);
    if (!el) continue;
    let option: number | null = null;
    if (i.option) {
      const o = options.find(
        (x) => (x.code === i.option || x.uid === i.option) && x.breakdown_id === el.breakdown_id,
      );
      if (!o) continue;
      option = o.id;
    }
    const key = `${i.ruleId}|${el.id}|${option}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ rule_id: i.ruleId, element_id: el.id, option_id: option });
  }
  return out;
}

/** The units at a rule's levels (all of them when the rule names none). */
function atLevels<U extends { level: number }>(units: U[], levels: number[]): U[] {
  if (levels.length === 0) return units;
  const at = new Set(levels);
  return units.filter((u) => at.has(u.level));
}

function violationOf(
  r: RuleRow,
  u: { id: number; code: string; uid: string | null; full_name: string; path: string },
  version: string,
  period: string,
  left: number | null,
  right: number | null,
): Violation {
  return {
    rule: {
      id: r.id,
      code: r.code,
      uid: r.uid,
      nameVi: r.name_vi,
      nameEn: r.name_en,
      instructionVi: r.instruction_vi,
      instructionEn: r.instruction_en,
      operator: r.operator as ValidationOperator,
    },
    unit: { id: u.id, code: u.code, uid: u.uid, name: u.full_name, path: u.path },
    version,
    period,
    left,
    right,
    importance: r.importance as Importance,
  };
}

/** Whether a stored rule says what an input says (both read through the input's schema). */
function sameRule(stored: StoredRule, input: ValidationRuleInput): boolean {
  const { id: _id, ...rest } = stored;
  const a = ValidationRuleInput.safeParse(rest);
  return a.success && JSON.stringify(a.data) === JSON.stringify(input);
}
