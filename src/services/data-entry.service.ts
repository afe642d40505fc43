import type {
  DataEntryField as EntryField,
  DataEntryForm as EntryForm,
  DataEntryPeriod as EntryPeriod,
  DataEntrySaved as SaveResult,
  DataEntryUnit as EntryUnit,
  DataSetBrief,
  EntryFieldProblem,
} from '../contract/data-entry.ts';
import type { Store } from '../db/store.ts';
import { can, isRootScope, type Actor } from '../domain/access.ts';
import type { RawDataValue } from '../domain/data-value-set.ts';
import type { ValueType } from '../domain/data-value.ts';
import {
  compileRule,
  type ElementItem,
  type MissingValueStrategy,
  type ValidationOperator,
} from '../domain/validation.ts';
import { viDate } from '../domain/dates.ts';
import { AppError, errors, type Message } from '../domain/errors.ts';
import { pathCodes, type OrgUnit } from '../domain/hierarchy.ts';
import {
  addDays,
  formatPeriodEn,
  formatPeriodVi,
  nextPeriod,
  parsePeriod,
  previousPeriod,
  PERIOD_TYPE_NAMES,
  type Period,
  type PeriodType,
} from '../domain/period.ts';
import type { DataValueService } from './data-value.service.ts';
import type { HierarchyService } from './hierarchy.service.ts';

/**
 * The data entry form: what a commune officer fills in for one data set, one unit and one
 * period. Reading checks everything a save would (the unit is in the caller's scope, at the
 * data set's level of the data set's tree; the period is of the data set's type, within the
 * tree's time and not in the future) so the form never shows what cannot be saved; saving goes
 * through the one import path, all or nothing, and answers each field's problem by its key.
 */

const PERIOD_TYPE_VI = Object.fromEntries(
  Object.entries(PERIOD_TYPE_NAMES).map(([t, n]) => [t, n.vi]),
) as Record<PeriodType, string>;
const PERIOD_TYPE_EN = Object.fromEntries(
  Object.entries(PERIOD_TYPE_NAMES).map(([t, n]) => [t, n.en]),
) as Record<PeriodType, string>;
const LEVEL_VI = ['quốc gia', 'cấp tỉnh', 'cấp huyện/xã', 'cấp xã'];
const LEVEL_EN = ['nation', 'province level', 'district/commune level', 'commune level'];

/** How many units of the caller's scope a data set lists; beyond that the web app searches. */
export const UNITS_LISTED = 200;

/** What the routes answer (src/contract/data-entry.ts). */
export type { DataSetBrief, EntryField, EntryForm, EntryPeriod, EntryUnit, SaveResult };

export interface SaveInput {
  dataSet: string;
  orgUnit: string;
  period: string;
  /** By field key; an empty string removes the stored value. */
  values: Record<string, string>;
  /** By field key; a field left out keeps its stored comment. */
  comments?: Record<string, string>;
}

const bad = (vi: string, en: string, details?: unknown) =>
  new AppError('validation_failed', { vi, en }, details);

interface DataSetRow {
  id: number;
  code: string;
  name_vi: string;
  name_en: string;
  period_type: string;
  version: string;
  level: number;
  due_days: number;
  expiry_days: number;
}

const brief = (d: DataSetRow): DataSetBrief => ({
  code: d.code,
  nameVi: d.name_vi,
  nameEn: d.name_en,
  periodType: d.period_type as PeriodType,
  version: d.version,
  level: d.level,
  dueDays: d.due_days,
  expiryDays: d.expiry_days,
});

export class DataEntryService {
  constructor(
    private readonly store: Store,
    private readonly hierarchy: HierarchyService,
    private readonly dataValues: DataValueService,
  ) {}

  /**
   * The data sets the caller can enter data for, each with the units of the caller's scope at
   * its level (the first UNITS_LISTED of them, and how many there are). Data sets of the tree
   * in force today come first.
   */
  async dataSets(actor: Actor) {
    if (!can(actor, 'data.write')) throw errors.forbidden('data.write');
    const today = this.hierarchy.today();
    const current = await this.hierarchy.resolveVersion(undefined, today).catch(() => undefined);
    const root = isRootScope(actor.scope);
    const scopeLevel = pathCodes(actor.scope.path).length - 1;
    const rows = await this.store.repos.reporting.dataSets();
    const usable = rows.filter(
      (d) => root || (d.version === actor.scope.version && d.level >= scopeLevel),
    );
    usable.sort(
      (a, b) =>
        Number(b.version === current) - Number(a.version === current) ||
        b.level - a.level ||
        a.code.localeCompare(b.code),
    );
    const repo = this.store.repos.orgUnits;
    const items = [];
    for (const d of usable) {
      // A data set assigned to units is entered for those; otherwise for its level.
      const assigned = await this.store.repos.reporting.hasAssignments(d.id);
      const found = await repo.list({
        version: d.version,
        asOf: today,
        scope: root ? { all: true, path: '/' } : { all: false, path: actor.scope.path },
        level: assigned ? undefined : d.level,
        assignedTo: assigned ? d.id : undefined,
        limit: UNITS_LISTED,
        offset: 0,
      });
      if (found.total === 0) continue;
      const elementCount = await this.store.repos.reporting.elementCount(d.id);
      items.push({
        ...brief(d),
        elementCount,
        unitsTotal: found.total,
        units: found.items.map((u) => ({ code: u.code, name: u.name, fullName: u.fullName })),
      });
    }
    return { today, items };
  }

  /** The form of one data set for one unit and period, with the stored values. */
  async form(actor: Actor, q: { dataSet: string; orgUnit: string; period: string }) {
    if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
    const ctx = await this.context(actor, q);
    return this.read(actor, ctx);
  }

  /**
   * Saves the values of a form, all or nothing, through the import path. Problems come back
   * per field (409 import_conflicts, details.fields), in Vietnamese and English.
   */
  async save(actor: Actor, input: SaveInput): Promise<SaveResult> {
    if (!can(actor, 'data.write')) throw errors.forbidden('data.write');
    const ctx = await this.context(actor, input);
    const before = await this.read(actor, ctx);
    if (before.period.locked) {
      throw new AppError(
        'period_locked',
        before.period.lockedReason ?? {
          vi: `Kỳ ${before.period.labelVi} đã khoá sổ; không thể ghi`,
          en: `${before.period.labelEn} is locked; it cannot be written`,
        },
      );
    }
    const byKey = new Map(before.fields.map((f) => [f.key, f]));
    const problems: EntryFieldProblem[] = [];
    const keys = Object.keys(input.values);
    if (keys.length === 0) {
      throw bad('Chưa có chỉ tiêu nào để lưu', 'There is no value to save', { fields: [] });
    }
    const rows: RawDataValue[] = [];
    const keyOfRow: string[] = [];
    for (const key of keys) {
      const field = byKey.get(key);
      const value = input.values[key] ?? '';
      if (!field) {
        problems.push({
          key,
          dataElement: null,
          categoryOptionCombo: null,
          value,
          errorCode: 'E7610',
          vi: `Bộ dữ liệu ${ctx.dataSet.code} không có chỉ tiêu "${key}"`,
          en: `Data set ${ctx.dataSet.code} has no field "${key}"`,
        });
        continue;
      }
      const given = input.comments?.[key];
      const empty = value.trim() === '';
      // An emptied field removes the value (and its comment) unless a comment is given now.
      const comment = given !== undefined ? given || undefined : empty ? undefined : field.comment;
      keyOfRow.push(key);
      rows.push({
        index: rows.length,
        dataElement: field.dataElement,
        categoryOptionCombo: field.categoryOptionCombo,
        period: ctx.period.id,
        orgUnit: ctx.unit.code,
        value: field.valueType === 'text' ? value : value.trim(),
        ...(comment ? { comment } : {}),
      });
    }
    if (problems.length) throw conflicts(problems);
    const summary = await this.dataValues.import(
      actor,
      { dataSet: ctx.dataSet.code, values: rows },
      { atomic: true, version: ctx.dataSet.version },
    );
    if (summary.status === 'ERROR') {
      for (const c of summary.conflicts) {
        const key = keyOfRow[c.index] ?? String(c.index);
        const field = byKey.get(key);
        problems.push({
          key,
          dataElement: field?.dataElement ?? null,
          categoryOptionCombo: field?.categoryOptionCombo ?? null,
          value: input.values[key] ?? c.value,
          errorCode: c.errorCode,
          vi: c.reason.vi,
          en: c.reason.en,
        });
      }
      throw conflicts(problems);
    }
    const n = summary.importCount;
    const saved = n.imported + n.updated;
    const parts = (vi: boolean) =>
      [
        vi ? `Đã lưu ${saved} chỉ tiêu` : `Saved ${saved} value${saved === 1 ? '' : 's'}`,
        n.deleted ? (vi ? `xoá ${n.deleted}` : `removed ${n.deleted}`) : '',
        n.ignored ? (vi ? `${n.ignored} không đổi` : `${n.ignored} unchanged`) : '',
      ]
        .filter(Boolean)
        .join(', ');
    // Saved with the rules they break, which the data quality screens then list (issue 17).
    const v = summary.validation?.violations ?? 0;
    return {
      status: 'SUCCESS',
      saved,
      importCount: n,
      message: {
        vi: `${parts(true)} — ${ctx.unit.fullName}, ${before.period.labelVi}${v ? `; ${v} vi phạm quy tắc kiểm tra đã được ghi nhận để rà soát` : ''}`,
        en: `${parts(false)} — ${ctx.unit.fullName}, ${before.period.labelEn}${v ? `; ${v} validation rule violation(s) recorded for review` : ''}`,
      },
      form: await this.read(actor, ctx),
    };
  }

  // -------------------------------------------------------------------------------------------

  private async context(actor: Actor, q: { dataSet: string; orgUnit: string; period: string }) {
    const ds = await this.store.repos.reporting.dataSetByCode(q.dataSet);
    if (!ds) {
      throw bad(`Không có bộ dữ liệu "${q.dataSet}"`, `No data set "${q.dataSet}"`, {
        field: 'dataSet',
      });
    }
    const dataSet = brief(ds);

    // The unit: in the data set's tree, in the caller's scope, at the data set's level.
    const version = ds.version;
    if (!isRootScope(actor.scope) && actor.scope.version !== version) {
      throw new AppError(
        'out_of_scope',
        {
          vi: `Bộ dữ liệu ${ds.code} dùng cây ${version}, nằm ngoài phạm vi của bạn (phạm vi của bạn thuộc cây ${actor.scope.version})`,
          en: `Data set ${ds.code} uses the ${version} tree, outside your scope (your scope belongs to the ${actor.scope.version} tree)`,
        },
        { version, scopeVersion: actor.scope.version },
      );
    }
    const today = this.hierarchy.today();
    const unit = await this.store.repos.orgUnits.get(version, q.orgUnit, today);
    if (!unit) {
      throw bad(
        `Không có đơn vị mã "${q.orgUnit}" trong cây ${version} mà bộ dữ liệu ${ds.code} dùng`,
        `No unit with code "${q.orgUnit}" in the ${version} tree that data set ${ds.code} uses`,
        { field: 'orgUnit', code: q.orgUnit, version },
      );
    }
    if (!can(actor, 'data.read', unit)) {
      throw new AppError(
        'out_of_scope',
        {
          vi: `${unit.fullName} (mã ${unit.code}) nằm ngoài phạm vi được giao cho tài khoản của bạn`,
          en: `${unit.fullName} (code ${unit.code}) is outside the scope of your account`,
        },
        { code: unit.code, version },
      );
    }
    if (await this.store.repos.reporting.hasAssignments(ds.id)) {
      if (!(await this.store.repos.reporting.isAssigned(ds.id, version, unit.code))) {
        throw bad(
          `${unit.fullName} không được giao báo cáo bộ dữ liệu ${ds.code}`,
          `${unit.fullName} is not assigned to report data set ${ds.code}`,
          { field: 'orgUnit', code: unit.code },
        );
      }
    } else if (unit.level !== ds.level) {
      throw bad(
        `${unit.fullName} là đơn vị ${LEVEL_VI[unit.level] ?? `cấp ${unit.level}`}; bộ dữ liệu ${ds.code} do đơn vị ${LEVEL_VI[ds.level] ?? `cấp ${ds.level}`} báo cáo`,
        `${unit.fullName} is a ${LEVEL_EN[unit.level] ?? `level ${unit.level}`} unit; data set ${ds.code} is reported by ${LEVEL_EN[ds.level] ?? `level ${ds.level}`} units`,
        { field: 'orgUnit', level: unit.level, expected: ds.level },
      );
    }

    // The period: of the data set's type, not in the future, within the tree's time.
    const period = parsePeriod(q.period);
    if (period.type !== ds.period_type) {
      throw bad(
        `Bộ dữ liệu ${ds.code} báo cáo theo ${PERIOD_TYPE_VI[dataSet.periodType]}; "${q.period}" là kỳ ${PERIOD_TYPE_VI[period.type]}`,
        `Data set ${ds.code} is reported ${PERIOD_TYPE_EN[dataSet.periodType]}; "${q.period}" is a ${period.type} period`,
        { field: 'period', periodType: ds.period_type },
      );
    }
    if (period.start > today) {
      throw bad(
        `Chưa đến kỳ ${formatPeriodVi(period)}: chỉ nhập số liệu cho kỳ đã bắt đầu (hôm nay ${viDate(today)})`,
        `${formatPeriodEn(period)} has not begun: enter data only for periods that have started (today is ${today})`,
        { field: 'period' },
      );
    }
    const span = await this.store.repos.orgUnits.versionSpan(version);
    if (
      span &&
      (period.end < span.valid_from || (span.valid_until && period.start > span.valid_until))
    ) {
      const range = span.valid_until
        ? {
            vi: `${viDate(span.valid_from)} – ${viDate(span.valid_until)}`,
            en: `${span.valid_from} – ${span.valid_until}`,
          }
        : { vi: `từ ${viDate(span.valid_from)}`, en: `from ${span.valid_from}` };
      throw bad(
        `Kỳ ${formatPeriodVi(period)} nằm ngoài thời gian hiệu lực của cây ${version} (${range.vi})`,
        `${formatPeriodEn(period)} is outside the time of the ${version} tree (${range.en})`,
        { field: 'period', validFrom: span.valid_from, validUntil: span.valid_until },
      );
    }
    return { ds, dataSet, unit, period, today, span };
  }

  private async read(
    actor: Actor,
    ctx: {
      ds: DataSetRow;
      dataSet: DataSetBrief;
      unit: OrgUnit;
      period: Period;
      today: string;
      span?: { valid_from: string; valid_until: string | null };
    },
  ): Promise<EntryForm> {
    const { ds, unit, period, today } = ctx;
    const elements = await this.store.repos.reporting.formFields(ds.id);
    const ranges = new Map(
      (await this.store.repos.reporting.formRanges(ds.id, ds.version, unit.code)).map((m) => [
        `${m.code}|${m.option_code}`,
        { min: m.min_value, max: m.max_value },
      ]),
    );

    const stored = await this.dataValues.export(actor, {
      dataSet: ds.code,
      periods: [period.id],
      orgUnits: [unit.code],
      version: ds.version,
      idScheme: 'code',
    });
    const values = new Map(
      stored
        .filter((v) => (v.attributeOptionCombo ?? 'default') === 'default')
        .map((v) => [`${v.dataElement}|${v.categoryOptionCombo}`, v]),
    );
    const fields: EntryField[] = elements.map((e) => {
      const broken = e.breakdown !== 'default';
      const v = values.get(`${e.code}|${e.option_code}`);
      return {
        key: broken ? `${e.code}.${e.option_code}` : e.code,
        dataElement: e.code,
        categoryOptionCombo: e.option_code,
        nameVi: e.name_vi,
        nameEn: e.name_en,
        optionVi: broken ? e.option_vi : null,
        optionEn: broken ? e.option_en : null,
        valueType: e.value_type as ValueType,
        min: e.min_value,
        max: e.max_value,
        minMax: ranges.get(`${e.code}|${e.option_code}`) ?? null,
        unit: e.unit,
        description: e.description,
        value: v?.value ?? null,
        comment: v?.comment ?? null,
        storedBy: v?.storedBy ?? null,
        lastUpdated: v?.lastUpdated ?? null,
      };
    });

    const locks = await this.store.repos.reporting.locksOn(period.id, ds.id);
    const expiresAfter = ds.expiry_days > 0 ? addDays(period.end, ds.expiry_days) : null;
    let lockedReason: Message | null = null;
    if (locks > 0) {
      lockedReason = {
        vi: `Kỳ ${formatPeriodVi(period)} đã khoá sổ; không thể sửa số liệu`,
        en: `${formatPeriodEn(period)} is locked; its data cannot be changed`,
      };
    } else if (expiresAfter && today > expiresAfter) {
      lockedReason = {
        vi: `Kỳ ${formatPeriodVi(period)} đã hết hạn nhập (sau ngày ${viDate(expiresAfter)}); không thể sửa số liệu`,
        en: `${formatPeriodEn(period)} closed for entry after ${expiresAfter}; its data cannot be changed`,
      };
    }
    const dueDate = addDays(period.end, ds.due_days);
    const prev = previousPeriod(period);
    const next = nextPeriod(period);
    const inTree = (p: Period) =>
      !ctx.span ||
      (p.end >= ctx.span.valid_from && (!ctx.span.valid_until || p.start <= ctx.span.valid_until));
    const parents = await this.hierarchy.withAncestors(ds.version, [unit], today);
    return {
      dataSet: ctx.dataSet,
      period: {
        id: period.id,
        type: period.type,
        start: period.start,
        end: period.end,
        labelVi: formatPeriodVi(period),
        labelEn: formatPeriodEn(period),
        dueDate,
        pastDue: today > dueDate,
        locked: lockedReason !== null,
        lockedReason,
        previous: inTree(prev) ? prev.id : null,
        next: next.start <= today && inTree(next) ? next.id : null,
      },
      orgUnit: {
        code: unit.code,
        name: unit.name,
        fullName: unit.fullName,
        level: unit.level,
        version: ds.version,
        parents: (parents[0]?.ancestors ?? [])
          .filter((a) => a.level > 0)
          .map((a) => ({ code: a.code, fullName: a.fullName })),
      },
      editable: can(actor, 'data.write', unit) && lockedReason === null,
      fields,
      filled: fields.filter((f) => f.value !== null).length,
      rules: await this.rulesFor(fields, period.type, unit.level),
    };
  }

  /**
   * The validation rules the form can check itself: of its period type, at the unit's level,
   * every element they read in the form (an option named, in its fields).
   */
  private async rulesFor(fields: EntryField[], type: string, level: number) {
    const keys = new Set(fields.flatMap((f) => [f.dataElement, f.key]));
    const out: EntryForm['rules'] = [];
    for (const r of await this.store.repos.validation.listRules()) {
      if (r.period_type !== type || (r.levels.length && !r.levels.includes(level))) continue;
      let items: ElementItem[];
      try {
        const c = compileRule({
          operator: r.operator as ValidationOperator,
          left: { expression: r.left_expression, missingValueStrategy: 'NEVER_SKIP' },
          right: { expression: r.right_expression, missingValueStrategy: 'NEVER_SKIP' },
        });
        items = [...c.left.items, ...c.right.items];
      } catch {
        continue;
      }
      if (!items.every((i) => keys.has(i.option ? `${i.element}.${i.option}` : i.element)))
        continue;
      out.push({
        code: r.code,
        nameVi: r.name_vi,
        nameEn: r.name_en,
        instructionVi: r.instruction_vi,
        instructionEn: r.instruction_en,
        importance: r.importance as EntryForm['rules'][number]['importance'],
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
    return out;
  }
}

function conflicts(fields: EntryFieldProblem[]): AppError {
  const n = new Set(fields.map((f) => f.key)).size;
  return new AppError(
    'import_conflicts',
    {
      vi: `Chưa lưu: ${n} chỉ tiêu có lỗi, hãy sửa rồi lưu lại`,
      en: `Nothing saved: ${n} field${n === 1 ? ' has an error' : 's have errors'}; fix and save again`,
    },
    { fields },
  );
}
