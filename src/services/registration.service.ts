import type { Registration } from '../contract/dhis2.ts';
import type { Repos, Store } from '../db/store.ts';
import { can, inScope, isRootScope, type Actor } from '../domain/access.ts';
import { CONFLICT, parseFlag, type ConflictCode } from '../domain/data-value.ts';
import { AppError, errors, type Message } from '../domain/errors.ts';
import { versionAt, type VersionSpan } from '../domain/hierarchy.ts';
import { addDays, parsePeriod, toDhis2Id, type Period } from '../domain/period.ts';
import { auditActor } from './audit.ts';
import type { HierarchyService } from './hierarchy.service.ts';

/**
 * DHIS2's complete data set registrations: a unit says it has finished a data set for a
 * period. A registration counts in completeness as a value of the data set does
 * (reporting.repo.ts `reportsUnder`). Each row is checked as a data value is (the data set,
 * a period of its type, the unit in the tree in force at the period, assigned to the data set
 * or at its level when it has no assignments, the caller's scope, locks and expiry); good rows
 * are written in one transaction, each change audited in it.
 */

/** One registration as DHIS2 sends it. */
export interface RegistrationInput {
  dataSet?: string;
  period?: string;
  organisationUnit?: string;
  attributeOptionCombo?: string;
  /** DHIS2's attribute as category combo and options (`cc`/`cp`), instead of the combo. */
  attribute?: { combo: string; options: string[] };
  completed?: boolean | string;
}

export interface RegistrationConflict {
  index: number;
  object: string;
  property: string;
  errorCode: ConflictCode;
  reason: Message;
}

export interface RegistrationSummary {
  status: 'SUCCESS' | 'WARNING' | 'ERROR';
  importCount: { imported: number; updated: number; ignored: number; deleted: number };
  conflicts: RegistrationConflict[];
  dryRun: boolean;
  strategy: RegistrationStrategy;
}

export type RegistrationStrategy = 'CREATE_AND_UPDATE' | 'CREATE' | 'UPDATE' | 'DELETE';

/** A data set's unknown (DHIS2: "Data set not found or not accessible"). */
const UNKNOWN_DATA_SET = CONFLICT.unknownDataSet;

export interface RegistrationQuery {
  dataSets: string[];
  periods?: string[];
  startDate?: string;
  endDate?: string;
  orgUnits: string[];
  children?: boolean;
}

/** A registration as DHIS2 answers it: uids where the metadata has them. */
export type RegistrationOut = Registration;

export class RegistrationService {
  constructor(
    private readonly store: Store,
    private readonly hierarchy: HierarchyService,
  ) {}

  /** Registers (or, with DELETE, removes) each row; rows that fail are reported, not written. */
  async import(
    actor: Actor,
    rows: RegistrationInput[],
    opts: { strategy?: RegistrationStrategy; dryRun?: boolean } = {},
  ): Promise<RegistrationSummary> {
    if (!can(actor, 'data.write')) throw errors.forbidden('data.write');
    const spans = await this.hierarchy.versionDates();
    const today = this.hierarchy.today();
    return this.store.transaction((tx) => registerIn(tx, actor, rows, opts, { spans, today }));
  }

  /**
   * Removes the registrations of these data sets and periods at a unit (DHIS2's uncomplete).
   * Refused whole when a row fails: out of scope 403, anything else 409.
   */
  async remove(
    actor: Actor,
    q: {
      dataSets: string[];
      periods: string[];
      orgUnit: string;
      attributeOptionCombo?: string;
      attribute?: { combo: string; options: string[] };
    },
  ): Promise<number> {
    if (!can(actor, 'data.write')) throw errors.forbidden('data.write');
    // The unit in scope first: a caller outside learns nothing of what is registered there.
    const found = await this.store.repos.dataValues.unitsNamed([q.orgUnit]);
    if (found.length && !found.some((u) => inScope(actor.scope, u)))
      throw errors.outOfScope(q.orgUnit);
    const rows: RegistrationInput[] = q.dataSets.flatMap((dataSet) =>
      q.periods.map((period) => ({
        dataSet,
        period,
        organisationUnit: q.orgUnit,
        attributeOptionCombo: q.attributeOptionCombo,
        attribute: q.attribute,
      })),
    );
    // Checked first, written only when every row passes.
    const check = await this.import(actor, rows, { strategy: 'DELETE', dryRun: true });
    const first = check.conflicts[0];
    if (first) {
      if (first.errorCode === CONFLICT.outOfScope) throw errors.outOfScope(q.orgUnit);
      throw new AppError('conflict', first.reason, {
        errorCode: first.errorCode,
        [first.property]: first.object,
      });
    }
    return (await this.import(actor, rows, { strategy: 'DELETE' })).importCount.deleted;
  }

  /** Registrations of data sets for periods at units (or under them), within the scope. */
  async list(actor: Actor, q: RegistrationQuery): Promise<RegistrationOut[]> {
    if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
    const missing = [
      q.dataSets.length === 0 ? 'dataSet' : undefined,
      q.orgUnits.length === 0 ? 'orgUnit' : undefined,
      !q.periods?.length && !(q.startDate && q.endDate)
        ? 'period or startDate and endDate'
        : undefined,
    ].filter(Boolean);
    if (missing.length) {
      throw new AppError(
        'validation_failed',
        {
          vi: `Cần tham số: ${missing.join(', ')}`,
          en: `Parameters required: ${missing.join(', ')}`,
        },
        { missing },
      );
    }
    const dataSetIds: number[] = [];
    for (const key of q.dataSets) {
      const ds = await this.store.repos.reporting.dataSetByCode(key);
      if (!ds)
        throw new AppError(
          'validation_failed',
          { vi: `Không có bộ dữ liệu "${key}"`, en: `Data set not found: "${key}"` },
          { dataSet: key, errorCode: UNKNOWN_DATA_SET },
        );
      dataSetIds.push(ds.id);
    }
    const periodPids = q.periods?.length ? q.periods.map((p) => parsePeriod(p).id) : undefined;
    // Each unit named, in every tree that has it; kept where it lies in the scope.
    const found = await this.store.repos.dataValues.unitsNamed(q.orgUnits);
    for (const name of q.orgUnits) {
      const named = found.filter(
        (u) => u.code === name || u.uid === name || u.source_code === name,
      );
      if (named.length === 0)
        throw new AppError(
          'unknown_unit',
          {
            vi: `Không có đơn vị mã "${name}" trong cây nào`,
            en: `No unit with code or uid "${name}" in any tree`,
          },
          { code: name },
        );
      if (!named.some((u) => inScope(actor.scope, u))) throw errors.outOfScope(name);
    }
    const units = found.filter((u) => inScope(actor.scope, u));
    const root = isRootScope(actor.scope);
    const rows = await this.store.repos.registrations.list({
      dataSetIds,
      periodPids,
      startDate: q.startDate,
      endDate: q.endDate,
      ...(q.children
        ? { underPaths: units.map((u) => ({ version: u.version, path: u.path })) }
        : { unitIds: units.map((u) => u.id) }),
      scope: root ? null : { version: actor.scope.version, path: actor.scope.path },
    });
    return rows.map((r) => ({
      dataSet: r.data_set_uid ?? r.data_set,
      period: toDhis2Id(parsePeriod(r.period)),
      organisationUnit: r.unit_uid ?? r.unit_code,
      attributeOptionCombo: r.attribute_uid ?? r.attribute_code,
      date: new Date(r.created_at).toISOString(),
      storedBy: r.stored_by,
      completed: r.completed,
      lastUpdatedBy: r.last_updated_by,
      lastUpdated: new Date(r.last_updated).toISOString(),
    }));
  }
}

/** What registering needs besides the rows: the trees' spans and today (for expiry). */
export interface RegistrationContext {
  spans: VersionSpan[];
  today: string;
  /** Units named in this tree instead of the one in force at each period (an import's `version`). */
  version?: string;
}

/**
 * Registers (or, with DELETE, removes) each row through `tx`, a transaction's repositories, each change
 * audited in it; rows that fail are reported, not written. The caller checked the actor's
 * permission. A data value import registers its set complete through this, in its own
 * transaction, so that the registration commits with the values or not at all.
 */
export async function registerIn(
  tx: Repos,
  actor: Actor | 'system',
  rows: RegistrationInput[],
  opts: { strategy?: RegistrationStrategy; dryRun?: boolean },
  ctx: RegistrationContext,
): Promise<RegistrationSummary> {
  const strategy = opts.strategy ?? 'CREATE_AND_UPDATE';
  const dryRun = opts.dryRun ?? false;
  const { spans, today } = ctx;
  const by = actor === 'system' ? 'system' : actor.name;
  const conflicts: RegistrationConflict[] = [];
  const count = { imported: 0, updated: 0, ignored: 0, deleted: 0 };
  const conflict = (
    index: number,
    property: string,
    object: string,
    errorCode: ConflictCode,
    reason: Message,
  ) => {
    conflicts.push({ index, property, object, errorCode, reason });
    count.ignored++;
  };
  const repo = tx.registrations;
  const audit = tx.audit;
  const assigned = new Map<number, Set<number>>();
  for (const [index, row] of rows.entries()) {
    const dsKey = row.dataSet ?? '';
    const ds = dsKey ? await tx.reporting.dataSetByCode(dsKey) : undefined;
    if (!ds) {
      conflict(index, 'dataSet', dsKey, UNKNOWN_DATA_SET, {
        vi: `Không có bộ dữ liệu "${dsKey}"`,
        en: `Data set not found or not accessible: "${dsKey}"`,
      });
      continue;
    }
    let period: Period;
    try {
      period = parsePeriod(row.period ?? '');
    } catch {
      conflict(index, 'period', row.period ?? '', CONFLICT.badPeriod, {
        vi: `Kỳ không hợp lệ: "${row.period ?? ''}"`,
        en: `Invalid period: "${row.period ?? ''}"`,
      });
      continue;
    }
    if (period.type !== ds.period_type) {
      conflict(index, 'period', row.period!, CONFLICT.badPeriod, {
        vi: `Bộ dữ liệu ${ds.code} báo cáo theo ${ds.period_type}; kỳ ${row.period} không khớp`,
        en: `Period type of period ${row.period} is not valid for data set ${ds.code} (${ds.period_type})`,
      });
      continue;
    }
    const version = ctx.version ?? versionAt(spans, period.start)?.id ?? ds.version;
    const ouKey = row.organisationUnit ?? '';
    const [unit] = ouKey ? await repo.unitsOfVersion(version, [ouKey]) : [];
    if (!unit) {
      conflict(index, 'organisationUnit', ouKey, CONFLICT.unknownUnit, {
        vi: `Không có đơn vị "${ouKey}" trong cây ${version} (cây áp dụng cho kỳ ${period.id})`,
        en: `Organisation unit not found: "${ouKey}" in the ${version} tree (the tree for period ${period.id})`,
      });
      continue;
    }
    if (actor !== 'system' && !inScope(actor.scope, { version, path: unit.path })) {
      conflict(index, 'organisationUnit', ouKey, CONFLICT.outOfScope, {
        vi: `Đơn vị "${ouKey}" nằm ngoài phạm vi của bạn`,
        en: `Organisation unit "${ouKey}" is outside your scope`,
      });
      continue;
    }
    let units = assigned.get(ds.id);
    if (!units) assigned.set(ds.id, (units = await repo.assignedUnits(ds.id)));
    if (units.size ? !units.has(unit.id) : unit.level !== ds.level) {
      conflict(index, 'organisationUnit', ouKey, CONFLICT.unknownUnit, {
        vi: `Đơn vị "${ouKey}" không được giao bộ dữ liệu ${ds.code}`,
        en: `Organisation unit "${ouKey}" is not assigned to data set ${ds.code}`,
      });
      continue;
    }
    const aocKey = row.attributeOptionCombo;
    const attribute = row.attribute
      ? await repo.attributeByOptions(row.attribute.combo, row.attribute.options)
      : await repo.attributeByKey(aocKey && aocKey !== OLD_DEFAULT ? aocKey : 'default');
    if (!attribute) {
      const given = row.attribute
        ? `${row.attribute.combo} ${row.attribute.options.join(';')}`
        : (aocKey ?? '');
      conflict(index, 'attributeOptionCombo', given, CONFLICT.unknownAttribute, {
        vi: `Không có tổ hợp thuộc tính "${given}"`,
        en: `Attribute option combo not found: "${given}"`,
      });
      continue;
    }
    const completed =
      row.completed === undefined
        ? true
        : typeof row.completed === 'boolean'
          ? row.completed
          : parseFlag(row.completed);
    const periodId = (await tx.dataValues.ensurePeriods([period])).get(period.id)!;
    const expired = ds.expiry_days > 0 && today > addDays(period.end, ds.expiry_days);
    if (expired || (await repo.periodLocked(periodId, ds.id))) {
      conflict(index, 'period', row.period!, expired ? CONFLICT.expired : CONFLICT.locked, {
        vi: `Kỳ ${period.id} của bộ dữ liệu ${ds.code} đã khoá sổ; không thể ghi`,
        en: `Period ${period.id} of data set ${ds.code} is locked; it cannot be written`,
      });
      continue;
    }
    const key = { dataSetId: ds.id, periodId, unitId: unit.id, attributeId: attribute.id };
    const before = await repo.get(key);
    const entity = {
      dataSet: ds.code,
      period: period.id,
      orgUnit: unit.code,
      attributeOptionCombo: attribute.code,
    };
    let action: string;
    if (strategy === 'DELETE') {
      if (!before) {
        count.ignored++;
        continue;
      }
      if (!dryRun) await repo.remove(key);
      count.deleted++;
      action = 'registration.delete';
    } else if (before) {
      if (strategy === 'CREATE' || before.completed === completed) {
        count.ignored++;
        continue;
      }
      if (!dryRun) await repo.put(key, completed, by);
      count.updated++;
      action = 'registration.update';
    } else {
      if (strategy === 'UPDATE') {
        count.ignored++;
        continue;
      }
      if (!dryRun) await repo.put(key, completed, by);
      count.imported++;
      action = 'registration.create';
    }
    if (dryRun) continue;
    await audit.record({
      ...auditActor(actor),
      action,
      entityType: 'complete_registration',
      entityId: `${ds.code}/${period.id}/${unit.code}/${attribute.code}`,
      unit: { version, code: unit.code },
      before: before ? { ...entity, completed: before.completed } : undefined,
      after: strategy === 'DELETE' ? undefined : { ...entity, completed },
    });
  }
  const applied = count.imported + count.updated + count.deleted;
  return {
    status: conflicts.length === 0 ? 'SUCCESS' : applied > 0 ? 'WARNING' : 'ERROR',
    importCount: count,
    conflicts,
    dryRun,
    strategy,
  };
}

/** The default category option's uid, which Opsroom once wrote for the default attribute. */
const OLD_DEFAULT = 'xYerKDKCefk';
