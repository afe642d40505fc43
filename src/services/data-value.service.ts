import type { Db } from '../db/client.ts';
import { AuditRepo } from '../db/audit.repo.ts';
import { DataValueRepo, exportValues, type StagedValue } from '../db/data-value.repo.ts';
import { can, inScope, isRootScope, type Actor } from '../domain/access.ts';
import {
  CONFLICT,
  checkValue,
  parseFlag,
  type ImportStrategy,
  type ImportSummary,
  type RowConflict,
  type ValueType,
} from '../domain/data-value.ts';
import type { DataValueOut, DataValueSetInput, RawDataValue } from '../domain/data-value-set.ts';
import { AppError, errors, type Message } from '../domain/errors.ts';
import { versionAt } from '../domain/hierarchy.ts';
import { parsePeriod, toDhis2Id, type Period } from '../domain/period.ts';
import { auditActor } from './audit.ts';
import type { HierarchyService } from './hierarchy.service.ts';

export interface ImportOptions {
  /** All or nothing (Opsroom's own imports); DHIS2's routes default to per-row. */
  atomic: boolean;
  dryRun?: boolean;
  strategy?: ImportStrategy;
  /** Resolve unit codes in this tree instead of the tree in force at each value's period. */
  version?: string;
  /** Long imports report their progress: checking rows, then writing them. */
  onProgress?: (step: 'check' | 'write', done: number, total: number) => void;
}

interface Resolved {
  raw: RawDataValue;
  staged: StagedValue;
  period: Period;
  elementDataSets: { id: number; expiryDays: number }[];
}

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

class Rollback extends Error {
  constructor(readonly summary: ImportSummary) {
    super('rolled back');
  }
}

type UnitMap = Awaited<ReturnType<DataValueRepo['units']>>;

export class DataValueService {
  constructor(
    private readonly db: Db,
    private readonly hierarchy: HierarchyService,
  ) {}

  // Units of a tree change only by import; reading 10,000 of them for every small import is waste.
  private unitCache = new Map<string, { at: number; units: Promise<UnitMap> }>();

  private units(version: string, refresh = false): Promise<UnitMap> {
    const hit = this.unitCache.get(version);
    if (!refresh && hit && Date.now() - hit.at < 60_000) return hit.units;
    const units = new DataValueRepo(this.db).units(version);
    this.unitCache.set(version, { at: Date.now(), units });
    units.catch(() => this.unitCache.delete(version));
    return units;
  }

  /**
   * Imports a data value set. Every row is checked (element, period, unit of the tree in force
   * at the period, breakdown and attribute options, value type, the caller's scope, locked
   * periods); good rows are written in one transaction with their history and roll-ups, so
   * they are in analytics when this returns. Unchanged rows are ignored: a retry changes nothing.
   */
  async import(
    actor: Actor | 'system',
    input: DataValueSetInput,
    opts: ImportOptions,
  ): Promise<ImportSummary> {
    if (actor !== 'system' && !can(actor, 'data.write')) throw errors.forbidden('data.write');
    const strategy = opts.strategy ?? 'CREATE_AND_UPDATE';
    const repo = new DataValueRepo(this.db);
    const lookups = await repo.lookups();
    const spans = await this.db
      .selectFrom('hierarchy_version')
      .select(['id', 'valid_from', 'valid_until'])
      .execute();
    const versions = spans.map((s) => ({
      id: s.id,
      validFrom: s.valid_from,
      validUntil: s.valid_until,
    }));
    const unitMaps = new Map<string, UnitMap>();
    const refreshed = new Set<string>();
    const periods = new Map<string, Period | AppError>();
    const conflicts: RowConflict[] = [];
    const resolved: Resolved[] = [];
    const seen = new Map<string, number>();
    let zeros = 0;

    const conflict = (
      raw: RawDataValue,
      errorCode: RowConflict['errorCode'],
      property: string,
      object: string | undefined,
      reason: Message,
    ) => {
      const given = object ?? '';
      conflicts.push({
        index: raw.index,
        ...(raw.line ? { line: raw.line } : {}),
        errorCode,
        property,
        value: given,
        object: property === 'value' ? (raw.dataElement ?? '') : given,
        reason,
      });
    };

    const total = input.values.length;
    for (const raw of input.values) {
      if (opts.onProgress && raw.index % 10_000 === 0) opts.onProgress('check', raw.index, total);
      const deleting = parseFlag(raw.deleted) || strategy === 'DELETE';
      const missing = (['dataElement', 'period', 'orgUnit'] as const).filter((f) => !raw[f]);
      if (missing.length) {
        conflict(raw, CONFLICT.missing, missing[0]!, '', {
          vi: `Thiếu ${missing.join(', ')}`,
          en: `Missing ${missing.join(', ')}`,
        });
        continue;
      }
      const element = lookups.elements.get(raw.dataElement!);
      if (!element) {
        conflict(raw, CONFLICT.unknownElement, 'dataElement', raw.dataElement, {
          vi: `Không có chỉ tiêu "${raw.dataElement}"`,
          en: `Unknown data element "${raw.dataElement}"`,
        });
        continue;
      }
      let period = periods.get(raw.period!);
      if (!period) {
        try {
          period = parsePeriod(raw.period!);
        } catch (e) {
          period =
            e instanceof AppError
              ? e
              : new AppError('validation_failed', { vi: String(e), en: String(e) });
        }
        periods.set(raw.period!, period);
      }
      if (period instanceof AppError) {
        conflict(raw, CONFLICT.badPeriod, 'period', raw.period, period.messages);
        continue;
      }
      const version = opts.version ?? versionAt(versions, period.start)?.id;
      if (!version) throw errors.unknownVersion('(none loaded)');
      let units = unitMaps.get(version);
      if (!units) unitMaps.set(version, (units = await this.units(version)));
      let unit = units.get(raw.orgUnit!);
      if (!unit && !refreshed.has(version)) {
        // The tree may have been imported since it was read: read it once more.
        refreshed.add(version);
        unitMaps.set(version, (units = await this.units(version, true)));
        unit = units.get(raw.orgUnit!);
      }
      if (!unit) {
        conflict(raw, CONFLICT.unknownUnit, 'orgUnit', raw.orgUnit, {
          vi: `Không có đơn vị "${raw.orgUnit}" trong cây ${version} (cây áp dụng cho kỳ ${period.id})`,
          en: `No unit "${raw.orgUnit}" in the ${version} tree (the tree for period ${period.id})`,
        });
        continue;
      }
      if (actor !== 'system' && !inScope(actor.scope, { version, path: unit.path })) {
        conflict(raw, CONFLICT.outOfScope, 'orgUnit', raw.orgUnit, {
          vi: `Đơn vị "${raw.orgUnit}" nằm ngoài phạm vi của bạn`,
          en: `Unit "${raw.orgUnit}" is outside your scope`,
        });
        continue;
      }
      const option = lookups.options.get(raw.categoryOptionCombo || 'default');
      if (!option) {
        conflict(raw, CONFLICT.unknownOption, 'categoryOptionCombo', raw.categoryOptionCombo, {
          vi: `Không có phân tổ "${raw.categoryOptionCombo}"`,
          en: `Unknown category option combo "${raw.categoryOptionCombo}"`,
        });
        continue;
      }
      if (option.breakdown_id !== element.breakdownId) {
        conflict(
          raw,
          CONFLICT.optionNotInElement,
          'categoryOptionCombo',
          raw.categoryOptionCombo || 'default',
          {
            vi: `Phân tổ "${option.code}" không thuộc chỉ tiêu ${element.code}`,
            en: `Category option combo "${option.code}" does not belong to data element ${element.code}`,
          },
        );
        continue;
      }
      const attribute = lookups.attributes.get(raw.attributeOptionCombo || 'default');
      if (!attribute) {
        conflict(raw, CONFLICT.unknownAttribute, 'attributeOptionCombo', raw.attributeOptionCombo, {
          vi: `Không có thuộc tính "${raw.attributeOptionCombo}"`,
          en: `Unknown attribute option combo "${raw.attributeOptionCombo}"`,
        });
        continue;
      }
      // DHIS2: a value left empty without a comment removes the stored one.
      const empty = raw.value === undefined || raw.value === '';
      const remove = deleting || (empty && !raw.comment);
      let text: string | null = null;
      let number: number | null = null;
      if (!remove && !empty) {
        const checked = checkValue(element.valueType as ValueType, raw.value!);
        if (!checked.ok) {
          conflict(raw, CONFLICT.badValue, 'value', raw.value, checked.reason);
          continue;
        }
        text = checked.text;
        number = checked.number;
        if (number === 0 && !element.zeroSignificant) {
          zeros++;
          continue;
        }
      }
      const reportedYoy = raw.reportedYoyPct ? Number(raw.reportedYoyPct) : null;
      const reportedPrev = raw.reportedPrevPct ? Number(raw.reportedPrevPct) : null;
      const badPct = (
        [
          ['reportedYoyPct', reportedYoy],
          ['reportedPrevPct', reportedPrev],
        ] as const
      ).find(([, n]) => n !== null && !Number.isFinite(n));
      if (badPct) {
        conflict(raw, CONFLICT.badValue, badPct[0], raw[badPct[0]], {
          vi: `"${raw[badPct[0]]}" không phải phần trăm thay đổi`,
          en: `"${raw[badPct[0]]}" is not a percentage change`,
        });
        continue;
      }
      const key = `${unit.id}|${element.id}|${period.id}|${option.id}|${attribute.id}`;
      const first = seen.get(key);
      if (first !== undefined) {
        conflict(
          raw,
          CONFLICT.duplicate,
          'dataValue',
          `${raw.dataElement} ${raw.period} ${raw.orgUnit}`,
          {
            vi: `Trùng khoá với dòng ${first}: cùng chỉ tiêu, kỳ, đơn vị, phân tổ và thuộc tính`,
            en: `Same key as row ${first}: the same element, period, unit, option and attribute`,
          },
        );
        continue;
      }
      seen.set(key, raw.index);
      resolved.push({
        raw,
        period,
        elementDataSets: lookups.dataSetsOf.get(element.id) ?? [],
        staged: {
          idx: raw.index,
          unit_id: unit.id,
          element_id: element.id,
          period_id: 0,
          option_id: option.id,
          attribute_id: attribute.id,
          value: number,
          text_value: text ?? '',
          comment: raw.comment ?? null,
          followup: parseFlag(raw.followup),
          deleted: remove,
          estimate: parseFlag(raw.estimate),
          reported_yoy_pct: reportedYoy,
          reported_prev_pct: reportedPrev,
        },
      });
    }

    const today = this.hierarchy.today();
    const summarize = (counts: Record<string, number>, applied: boolean): ImportSummary => {
      const rejected = [...new Set(conflicts.map((c) => c.index))].sort((a, b) => a - b);
      const importCount = {
        imported: applied ? (counts.create ?? 0) : 0,
        updated: applied ? (counts.update ?? 0) : 0,
        deleted: applied ? (counts.delete ?? 0) : 0,
        ignored: applied ? (counts.ignore ?? 0) + zeros + rejected.length : input.values.length,
      };
      const status = !applied ? 'ERROR' : conflicts.length ? 'WARNING' : 'SUCCESS';
      const c = importCount;
      return {
        status,
        description: applied
          ? {
              vi: `${opts.dryRun ? 'Chạy thử: ' : ''}nhập mới ${c.imported}, cập nhật ${c.updated}, bỏ qua ${c.ignored}, xoá ${c.deleted}${conflicts.length ? `; ${rejected.length} dòng bị từ chối` : ''}`,
              en: `${opts.dryRun ? 'Dry run: ' : ''}imported ${c.imported}, updated ${c.updated}, ignored ${c.ignored}, deleted ${c.deleted}${conflicts.length ? `; ${rejected.length} row(s) rejected` : ''}`,
            }
          : {
              vi: `Không nhập gì: ${rejected.length} dòng có lỗi và tệp được nhập theo kiểu tất cả hoặc không`,
              en: `Nothing imported: ${rejected.length} row(s) have errors and the import is all or nothing`,
            },
        importCount,
        conflicts,
        rejectedIndexes: rejected,
        dryRun: opts.dryRun ?? false,
        atomic: opts.atomic,
      };
    };
    if (conflicts.some((c) => c.errorCode === CONFLICT.duplicate)) return summarize({}, false);
    if (opts.atomic && conflicts.length) return summarize({}, false);

    try {
      return await this.db.transaction().execute(async (tx) => {
        const txRepo = new DataValueRepo(tx);
        const ids = await txRepo.ensurePeriods([
          ...new Map(resolved.map((r) => [r.period.id, r.period])).values(),
        ]);
        const good: StagedValue[] = [];
        for (const r of resolved) {
          const periodId = ids.get(r.period.id)!;
          const lockedBy =
            lookups.locks.has(`${periodId}:*`) ||
            r.elementDataSets.some(
              (ds) =>
                lookups.locks.has(`${periodId}:${ds.id}`) ||
                (ds.expiryDays > 0 && today > addDays(r.period.end, ds.expiryDays)),
            );
          if (lockedBy) {
            conflict(r.raw, CONFLICT.locked, 'period', r.raw.period, {
              vi: `Kỳ ${r.period.id} đã khoá sổ; không thể ghi`,
              en: `Period ${r.period.id} is locked; it cannot be written`,
            });
            continue;
          }
          good.push({ ...r.staged, period_id: periodId });
        }
        if (opts.atomic && conflicts.length) throw new Rollback(summarize({}, false));
        opts.onProgress?.('check', total, total);
        const counts = await txRepo.apply(
          good,
          strategy,
          actor === 'system' ? 'system' : actor.name,
          (done) => opts.onProgress?.('write', done, good.length),
        );
        const summary = summarize(counts, true);
        await new AuditRepo(tx).record({
          ...auditActor(actor),
          action: 'data.import',
          entityType: 'data_value_set',
          entityId: input.dataSet ?? '-',
          after: {
            ...summary.importCount,
            conflicts: conflicts.length,
            strategy,
            atomic: opts.atomic,
          },
        });
        if (opts.dryRun) throw new Rollback(summary);
        return summary;
      });
    } catch (e) {
      if (e instanceof Rollback) return e.summary;
      throw e;
    }
  }

  /**
   * Values as DHIS2 exports them, limited to the caller's scope. Periods are written with
   * DHIS2's ids (202201, 2022W5), so that DHIS2 and Opsroom both read the file back.
   */
  async export(
    actor: Actor,
    q: {
      dataElements?: string[];
      dataSet?: string;
      periods?: string[];
      startDate?: string;
      endDate?: string;
      orgUnits?: string[];
      children?: boolean;
      version?: string;
      limit?: number;
      /** 'uid' writes DHIS2 uids where the metadata has them (DHIS2's default), 'code' our codes. */
      idScheme?: 'code' | 'uid';
    },
  ): Promise<DataValueOut[]> {
    if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
    const repo = new DataValueRepo(this.db);
    const lookups = await repo.lookups();
    let elementIds: number[] | undefined;
    if (q.dataElements?.length) {
      elementIds = q.dataElements.map((c) => {
        const e = lookups.elements.get(c);
        if (!e)
          throw new AppError('validation_failed', {
            vi: `Không có chỉ tiêu "${c}"`,
            en: `Unknown data element "${c}"`,
          });
        return e.id;
      });
    }
    if (q.dataSet) {
      const ds = await this.db
        .selectFrom('data_set')
        .select('id')
        .where((eb) => eb.or([eb('code', '=', q.dataSet!), eb('uid', '=', q.dataSet!)]))
        .executeTakeFirst();
      if (!ds)
        throw new AppError('validation_failed', {
          vi: `Không có bộ dữ liệu "${q.dataSet}"`,
          en: `Unknown data set "${q.dataSet}"`,
        });
      const ids = [...lookups.dataSetsOf]
        .filter(([, sets]) => sets.some((x) => x.id === ds.id))
        .map(([id]) => id);
      elementIds = elementIds ? elementIds.filter((id) => ids.includes(id)) : ids;
    }
    const periodIds = q.periods?.map((p) => parsePeriod(p).id);
    let underPaths: string[] | undefined;
    let unitCodes: string[] | undefined;
    if (q.orgUnits?.length) {
      const version = q.version ?? (await this.hierarchy.resolveVersion());
      const units = await repo.units(version);
      const found = q.orgUnits.map((c) => {
        const u = units.get(c);
        if (!u) throw errors.unknownUnit(c, version);
        return u;
      });
      if (q.children) underPaths = found.map((u) => u.path);
      else unitCodes = found.map((u) => u.code);
    }
    const root = isRootScope(actor.scope);
    const rows = await exportValues(this.db, {
      elementIds,
      periodIds,
      periodFrom: q.startDate,
      periodTo: q.endDate,
      version: q.version,
      underPaths,
      unitCodes,
      scopePath: root ? null : actor.scope.path,
      scopeVersion: root ? null : actor.scope.version,
      limit: q.limit ?? 1_000_000,
    });
    return rows.map((r) => {
      let period = r.period;
      if (r.period_type !== 'range') period = toDhis2Id(parsePeriod(r.period));
      const id = (code: string, uid: string | null) => (q.idScheme === 'uid' && uid ? uid : code);
      return {
        dataElement: id(r.data_element, r.data_element_uid),
        period,
        orgUnit: id(r.org_unit, r.org_unit_uid),
        categoryOptionCombo: id(r.category_option_combo, r.category_option_combo_uid),
        attributeOptionCombo: id(r.attribute_option_combo, r.attribute_option_combo_uid),
        value: r.value,
        storedBy: r.stored_by,
        created: new Date(r.created).toISOString(),
        lastUpdated: new Date(r.last_updated).toISOString(),
        ...(r.comment === null ? {} : { comment: r.comment }),
        followup: r.followup,
        ...(r.estimate ? { estimate: true } : {}),
        ...(r.reported_yoy_pct === null ? {} : { reportedYoyPct: r.reported_yoy_pct }),
        ...(r.reported_prev_pct === null ? {} : { reportedPrevPct: r.reported_prev_pct }),
      };
    });
  }
}
