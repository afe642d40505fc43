import type { Database, Db } from '../db/client.ts';
import { copyText, withSession, type Session } from '../db/session.ts';
import { AuditRepo } from '../db/audit.repo.ts';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import {
  COPY_COLUMNS,
  DataValueRepo,
  PERIOD_BLOCK,
  ValueColumns,
  exportValues,
  type ElementInfo,
  type RollupDeltas,
} from '../db/data-value.repo.ts';
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
import {
  formatOf,
  parseDataValueSet,
  readCsvBatches,
  type DataValueFormat,
  type DataValueOut,
  type DataValueSetInput,
  type RawDataValue,
} from '../domain/data-value-set.ts';
import { AppError, errors, type Message } from '../domain/errors.ts';
import { versionAt } from '../domain/hierarchy.ts';
import { addDays, parsePeriod, toDhis2Id, type Period } from '../domain/period.ts';
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
  /** Milliseconds spent in each phase are added here (benchmarks). */
  timings?: Record<string, number>;
  /**
   * Values of periods never seen before go to a partition of their own, copied and indexed
   * at the end (`always`), or so when the import holds at least BULK_MIN_ROWS rows (`auto`,
   * the default); `never` writes every row through the ordinary path.
   */
  bulk?: 'auto' | 'always' | 'never';
}

/** From this many rows on, an import loads the values of new periods in bulk. */
export const BULK_MIN_ROWS = 500_000;

/** Rows per batch: checked in JS, then written in a few statements. */
const BATCH = 20_000;
/** Conflicts reported one by one; beyond this many they are only counted. */
const MAX_CONFLICTS = 10_000;

/** A row that passed the checks that need no database. */
interface Checked {
  raw: RawDataValue;
  unitId: number;
  version: string;
  /** element id|period|option id|attribute id */
  group: string;
  element: ElementInfo;
  period: Period;
  optionId: number;
  attributeId: number;
  number: number | null;
  text: string;
  remove: boolean;
}

/** Rows in the whole file, from a first batch of `n` rows and the bytes read so far. */
function estimateFromBytes(n: number, meta: { size?: number; bytesRead?: () => number }): number {
  const read = meta.bytesRead?.() ?? 0;
  return read > 0 && meta.size ? Math.round((n * meta.size) / read) : n;
}

class Rollback extends Error {
  constructor(readonly summary: ImportSummary) {
    super('rolled back');
  }
}

type UnitMap = Awaited<ReturnType<DataValueRepo['units']>>;

/** What one committed import changed: told to listeners after the commit (live screens, alerts). */
export interface DataChange {
  /** Codes of the data elements written. */
  elements: string[];
  /** Period ids written (ours: 2022-01-20, 2022-01, 2022-W05…). */
  periods: string[];
  /** Tree versions of the units written. */
  versions: string[];
  /** How many values were created, updated or deleted. */
  count: number;
  /** Who wrote them. */
  by: string;
}

export type DataChangeListener = (change: DataChange) => void;

export class DataValueService {
  constructor(
    private readonly db: Db,
    private readonly hierarchy: HierarchyService,
    /** For bulk loads (COPY on one connection); without it every row takes the ordinary path. */
    private readonly database?: Database,
  ) {}

  private listeners: DataChangeListener[] = [];

  /** Calls `listener` after each committed import that changed values (never inside its transaction). */
  onChange(listener: DataChangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  private emit(change: DataChange): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (e) {
        console.error('data change listener failed', e);
      }
    }
  }

  // Units of a tree change only by import; reading 10,000 of them for every small import is waste.
  private unitCache = new Map<string, { at: number; units: Promise<UnitMap> }>();

  /** Inside a transaction on PGlite (one connection), `repo` must be the transaction's. */
  private units(version: string, refresh = false, repo?: DataValueRepo): Promise<UnitMap> {
    const hit = this.unitCache.get(version);
    if (!refresh && hit && Date.now() - hit.at < 60_000) return hit.units;
    const units = (repo ?? new DataValueRepo(this.db)).units(version);
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
    const values = input.values;
    async function* batches() {
      for (let i = 0; i < values.length; i += BATCH) yield values.slice(i, i + BATCH);
    }
    return this.importBatches(
      actor,
      batches(),
      { dataSet: input.dataSet, total: values.length },
      opts,
    );
  }

  /**
   * Imports a file as `import` does. CSV is read piece by piece in batches, so the memory an
   * import takes does not grow with the file (beyond one small entry per value to find
   * duplicate keys); JSON and XML are read whole.
   */
  async importFile(
    actor: Actor | 'system',
    path: string,
    opts: ImportOptions & { format?: DataValueFormat },
  ): Promise<ImportSummary> {
    const format = opts.format ?? formatOf(undefined, path);
    if (format !== 'csv') {
      return this.import(actor, parseDataValueSet(await readFile(path), format), opts);
    }
    const size = (await stat(path)).size;
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    try {
      return await this.importBatches(
        actor,
        readCsvBatches(stream, BATCH),
        { size, bytesRead: () => stream.bytesRead },
        opts,
      );
    } finally {
      stream.destroy();
    }
  }

  private async importBatches(
    actor: Actor | 'system',
    source: AsyncIterable<RawDataValue[]>,
    meta: { dataSet?: string; total?: number; size?: number; bytesRead?: () => number },
    opts: ImportOptions,
  ): Promise<ImportSummary> {
    if (actor !== 'system' && !can(actor, 'data.write')) throw errors.forbidden('data.write');
    const strategy = opts.strategy ?? 'CREATE_AND_UPDATE';
    const storedBy = actor === 'system' ? 'system' : actor.name;
    const timings = opts.timings;
    const time = (phase: string, since: number) => {
      if (timings) timings[phase] = (timings[phase] ?? 0) + (performance.now() - since);
    };
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
    const periods = new Map<string, { period: Period; version?: string } | AppError>();
    const periodIds = new Map<string, number>();
    /** Whether an (element id, period id) pair had stored values when this import began. */
    const pairStored = new Map<string, boolean>();
    /** Keys seen so far: element|period|option|attribute → unit id → row index. */
    const seen = new Map<string, Map<number, number>>();
    const checkConflicts: RowConflict[] = [];
    const lockConflicts: RowConflict[] = [];
    let checkCount = 0;
    let lockCount = 0;
    let duplicates = false;
    let zeros = 0;
    let rows = 0;
    const counts: Record<string, number> = {};
    // Sums of new values for the units above theirs, per (element, period, option, attribute)
    // group and ancestor: a slot per `group × 2^22 + ancestor id`, written once at the end.
    const ancestorsOf = new Map<number, number[]>();
    const groupIds = new Map<string, number>();
    const groupParts: [number, number, number, number][] = [];
    const slots = new Map<number, number>();
    const above: RollupDeltas = {
      ancestor_id: [],
      element_id: [],
      period_id: [],
      option_id: [],
      attribute_id: [],
      sum: [],
      n: [],
    };
    const groupOf = (r: Checked, periodId: number) => {
      const key = `${r.element.id}|${periodId}|${r.optionId}|${r.attributeId}`;
      let g = groupIds.get(key);
      if (g === undefined) {
        g = groupParts.length;
        groupIds.set(key, g);
        groupParts.push([r.element.id, periodId, r.optionId, r.attributeId]);
      }
      return g;
    };
    // New values are first added up per group and nearest roll-up unit (the parent, or the unit
    // itself when units lie below it: one slot per row instead of one per ancestor), then spread
    // over that unit's own chain once, at the end.
    const direct = {
      g: [] as number[],
      chain: [] as number[][],
      sum: [] as number[],
      n: [] as number[],
    };
    const addAbove = (g: number, value: number, ancestors: number[] | undefined) => {
      if (!ancestors || ancestors.length === 0) return;
      const parent = ancestors[0]!;
      if (parent >= 4_194_304) throw new Error(`unit id ${parent} beyond the roll-up key space`);
      const k = g * 4_194_304 + parent;
      const slot = slots.get(k);
      if (slot === undefined) {
        slots.set(k, direct.sum.length);
        direct.g.push(g);
        direct.chain.push(ancestors);
        direct.sum.push(value);
        direct.n.push(1);
      } else {
        direct.sum[slot]! += value;
        direct.n[slot]!++;
      }
    };
    const spreadAbove = () => {
      const final = new Map<number, number>();
      for (let i = 0; i < direct.g.length; i++) {
        const g = direct.g[i]!;
        for (const a of direct.chain[i]!) {
          const k = g * 4_194_304 + a;
          const slot = final.get(k);
          if (slot === undefined) {
            const [element, period, option, attribute] = groupParts[g]!;
            final.set(k, above.sum.length);
            above.ancestor_id.push(a);
            above.element_id.push(element);
            above.period_id.push(period);
            above.option_id.push(option);
            above.attribute_id.push(attribute);
            above.sum.push(direct.sum[i]!);
            above.n.push(direct.n[i]!);
          } else {
            above.sum[slot]! += direct.sum[i]!;
            above.n[slot]! += direct.n[i]!;
          }
        }
      }
    };
    const today = this.hierarchy.today();
    const copyStoredBy = copyText(storedBy);
    /** Bulk mode: the block of period ids this import took, and which of its ids are used. */
    let bulk = false;
    let block: { first: number; table: string; used: number } | undefined;
    const bulkPeriods = new Set<number>();
    const touched = {
      elements: new Set<string>(),
      periods: new Set<string>(),
      versions: new Set<string>(),
    };

    const conflict = (
      list: RowConflict[],
      raw: RawDataValue,
      errorCode: RowConflict['errorCode'],
      property: string,
      object: string | undefined,
      reason: Message,
    ) => {
      if (list === checkConflicts) checkCount++;
      else lockCount++;
      if (checkConflicts.length + lockConflicts.length >= MAX_CONFLICTS) return;
      const given = object ?? '';
      list.push({
        index: raw.index,
        ...(raw.line ? { line: raw.line } : {}),
        errorCode,
        property,
        value: given,
        object: property === 'value' ? (raw.dataElement ?? '') : given,
        reason,
      });
    };

    /** Checks one batch against the metadata: what needs no database. */
    /** Element, period, option and attribute of each combination seen, with its keys seen so far. */
    const groups = new Map<
      string,
      {
        element: ElementInfo;
        period: Period;
        version: string;
        option: { id: number; code: string };
        attribute: { id: number };
        group: string;
        /** unit id → index of the row that had this key first */
        seen: Map<number, number>;
      }
    >();
    const check = async (tx: DataValueRepo, batch: RawDataValue[]): Promise<Checked[]> => {
      const out: Checked[] = [];
      for (const raw of batch) {
        const deleting =
          strategy === 'DELETE' || (raw.deleted !== undefined && parseFlag(raw.deleted));
        if (!raw.dataElement || !raw.period || !raw.orgUnit) {
          const missing = (['dataElement', 'period', 'orgUnit'] as const).filter((f) => !raw[f]);
          conflict(checkConflicts, raw, CONFLICT.missing, missing[0]!, '', {
            vi: `Thiếu ${missing.join(', ')}`,
            en: `Missing ${missing.join(', ')}`,
          });
          continue;
        }
        // Element, period, option and attribute are checked once per combination of them.
        const key = `${raw.dataElement}\u0001${raw.period}\u0001${raw.categoryOptionCombo ?? ''}\u0001${raw.attributeOptionCombo ?? ''}`;
        let resolved = groups.get(key);
        if (!resolved) {
          const element = lookups.elements.get(raw.dataElement);
          if (!element) {
            conflict(checkConflicts, raw, CONFLICT.unknownElement, 'dataElement', raw.dataElement, {
              vi: `Không có chỉ tiêu "${raw.dataElement}"`,
              en: `Unknown data element "${raw.dataElement}"`,
            });
            continue;
          }
          let p = periods.get(raw.period);
          if (!p) {
            try {
              const period = parsePeriod(raw.period);
              p = { period, version: opts.version ?? versionAt(versions, period.start)?.id };
            } catch (e) {
              p =
                e instanceof AppError
                  ? e
                  : new AppError('validation_failed', { vi: String(e), en: String(e) });
            }
            periods.set(raw.period, p);
          }
          if (p instanceof AppError) {
            conflict(checkConflicts, raw, CONFLICT.badPeriod, 'period', raw.period, p.messages);
            continue;
          }
          if (!p.version) throw errors.unknownVersion('(none loaded)');
          const option = lookups.options.get(raw.categoryOptionCombo || 'default');
          if (!option) {
            conflict(
              checkConflicts,
              raw,
              CONFLICT.unknownOption,
              'categoryOptionCombo',
              raw.categoryOptionCombo,
              {
                vi: `Không có phân tổ "${raw.categoryOptionCombo}"`,
                en: `Unknown category option combo "${raw.categoryOptionCombo}"`,
              },
            );
            continue;
          }
          if (option.breakdown_id !== element.breakdownId) {
            conflict(
              checkConflicts,
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
            conflict(
              checkConflicts,
              raw,
              CONFLICT.unknownAttribute,
              'attributeOptionCombo',
              raw.attributeOptionCombo,
              {
                vi: `Không có thuộc tính "${raw.attributeOptionCombo}"`,
                en: `Unknown attribute option combo "${raw.attributeOptionCombo}"`,
              },
            );
            continue;
          }
          resolved = {
            element,
            period: p.period,
            version: p.version,
            option,
            attribute,
            group: `${element.id}|${p.period.id}|${option.id}|${attribute.id}`,
            seen: new Map(),
          };
          // Another spelling (a uid instead of a code) of the same key shares its keys seen.
          const shared = seen.get(resolved.group);
          if (shared) resolved.seen = shared;
          else seen.set(resolved.group, resolved.seen);
          groups.set(key, resolved);
        }
        const { element, period, version, option, attribute, group } = resolved;
        let units = unitMaps.get(version);
        if (!units) unitMaps.set(version, (units = await this.units(version, false, tx)));
        let unit = units.get(raw.orgUnit);
        if (!unit && !refreshed.has(version)) {
          // The tree may have been imported since it was read: read it once more.
          refreshed.add(version);
          unitMaps.set(version, (units = await this.units(version, true, tx)));
          unit = units.get(raw.orgUnit);
        }
        if (!unit) {
          conflict(checkConflicts, raw, CONFLICT.unknownUnit, 'orgUnit', raw.orgUnit, {
            vi: `Không có đơn vị "${raw.orgUnit}" trong cây ${version} (cây áp dụng cho kỳ ${period.id})`,
            en: `No unit "${raw.orgUnit}" in the ${version} tree (the tree for period ${period.id})`,
          });
          continue;
        }
        if (actor !== 'system' && !inScope(actor.scope, { version, path: unit.path })) {
          conflict(checkConflicts, raw, CONFLICT.outOfScope, 'orgUnit', raw.orgUnit, {
            vi: `Đơn vị "${raw.orgUnit}" nằm ngoài phạm vi của bạn`,
            en: `Unit "${raw.orgUnit}" is outside your scope`,
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
            conflict(checkConflicts, raw, CONFLICT.badValue, 'value', raw.value, checked.reason);
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
        if (reportedYoy !== null || reportedPrev !== null) {
          const badPct = (
            [
              ['reportedYoyPct', reportedYoy],
              ['reportedPrevPct', reportedPrev],
            ] as const
          ).find(([, n]) => n !== null && !Number.isFinite(n));
          if (badPct) {
            conflict(checkConflicts, raw, CONFLICT.badValue, badPct[0], raw[badPct[0]], {
              vi: `"${raw[badPct[0]]}" không phải phần trăm thay đổi`,
              en: `"${raw[badPct[0]]}" is not a percentage change`,
            });
            continue;
          }
        }
        const units2 = resolved.seen;
        const first = units2.get(unit.id);
        if (first !== undefined) {
          duplicates = true;
          conflict(
            checkConflicts,
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
        units2.set(unit.id, raw.index);
        out.push({
          raw,
          unitId: unit.id,
          version,
          group,
          element,
          period,
          optionId: option.id,
          attributeId: attribute.id,
          number,
          text: text ?? '',
          remove,
        });
      }
      return out;
    };

    /** The import will not be applied: rows are still checked, nothing more is written. */
    const refused = () => duplicates || (opts.atomic && checkCount + lockCount > 0);

    /**
     * Periods, locks and whether a key may be stored already, which need the database (within
     * the transaction), then the rows split into sure creations and rows to compare.
     */
    const prepare = async (tx: DataValueRepo, checked: Checked[]) => {
      // One row of each group stands for it.
      const batchGroups = new Map<string, Checked>();
      for (const r of checked) if (!batchGroups.has(r.group)) batchGroups.set(r.group, r);
      const newPeriods = new Map<string, Period>();
      for (const r of batchGroups.values())
        if (!periodIds.has(r.period.id)) newPeriods.set(r.period.id, r.period);
      if (newPeriods.size && bulk) {
        // Periods never seen take ids in this load's block: their values go to its partition.
        for (const [pid, id] of await tx.periodIds([...newPeriods.keys()])) {
          periodIds.set(pid, id);
          newPeriods.delete(pid);
        }
        const fresh: { period: Period; id: number }[] = [];
        for (const period of newPeriods.values()) {
          if (!block) block = { ...(await tx.reserveBlock(storedBy)), used: 0 };
          if (block.used === PERIOD_BLOCK) break;
          const id = block.first + block.used++;
          fresh.push({ period, id });
          periodIds.set(period.id, id);
          bulkPeriods.add(id);
          newPeriods.delete(period.id);
        }
        if (fresh.length) await tx.insertPeriods(fresh);
      }
      if (newPeriods.size) {
        for (const [pid, id] of await tx.ensurePeriods([...newPeriods.values()]))
          periodIds.set(pid, id);
      }
      const newPairs = new Map<string, [number, number]>();
      for (const r of batchGroups.values()) {
        const periodId = periodIds.get(r.period.id)!;
        const pair = `${r.element.id}:${periodId}`;
        if (bulkPeriods.has(periodId)) pairStored.set(pair, false);
        else if (!pairStored.has(pair)) newPairs.set(pair, [r.element.id, periodId]);
      }
      const newUnits = new Set<number>();
      for (const r of checked) if (!ancestorsOf.has(r.unitId)) newUnits.add(r.unitId);
      for (const [unit, list] of await tx.ancestors([...newUnits])) ancestorsOf.set(unit, list);
      if (newPairs.size) {
        const stored = await tx.storedPairs([...newPairs.values()]);
        for (const pair of newPairs.keys()) pairStored.set(pair, stored.has(pair));
      }
      const fresh = new ValueColumns();
      const compare = new ValueColumns();
      const copied: string[] = [];
      // What depends only on the row's group (element, period, option, attribute), once per group.
      const infos = new Map<
        string,
        { periodId: number; locked: boolean; stored: boolean; g: number }
      >();
      for (const r of checked) {
        let info = infos.get(r.group);
        if (!info) {
          const periodId = periodIds.get(r.period.id)!;
          const dataSets = lookups.dataSetsOf.get(r.element.id) ?? [];
          info = {
            periodId,
            locked:
              lookups.locks.has(`${periodId}:*`) ||
              dataSets.some(
                (ds) =>
                  lookups.locks.has(`${periodId}:${ds.id}`) ||
                  (ds.expiryDays > 0 && today > addDays(r.period.end, ds.expiryDays)),
              ),
            stored: pairStored.get(`${r.element.id}:${periodId}`)!,
            g: groupOf(r, periodId),
          };
          infos.set(r.group, info);
          touched.elements.add(r.element.code);
          touched.periods.add(r.period.id);
          touched.versions.add(r.version);
        }
        const { periodId, stored } = info;
        if (info.locked) {
          conflict(lockConflicts, r.raw, CONFLICT.locked, 'period', r.raw.period, {
            vi: `Kỳ ${r.period.id} đã khoá sổ; không thể ghi`,
            en: `Period ${r.period.id} is locked; it cannot be written`,
          });
          continue;
        }
        if (!stored && (r.remove || strategy === 'UPDATE')) {
          counts.ignore = (counts.ignore ?? 0) + 1;
          continue;
        }
        const raw = r.raw;
        if (!stored) addAbove(info.g, r.number ?? 0, ancestorsOf.get(r.unitId));
        if (bulkPeriods.has(periodId)) {
          copied.push(
            `${r.unitId}\t${r.element.id}\t${periodId}\t${r.optionId}\t${r.attributeId}\t${copyText(r.number)}\t${copyText(r.text)}\t${raw.estimate !== undefined && parseFlag(raw.estimate)}\t${copyText(raw.comment)}\t${raw.followup !== undefined && parseFlag(raw.followup)}\t${copyText(raw.reportedYoyPct ? Number(raw.reportedYoyPct) : null)}\t${copyText(raw.reportedPrevPct ? Number(raw.reportedPrevPct) : null)}\t${copyStoredBy}\n`,
          );
          continue;
        }
        (stored ? compare : fresh).push(
          raw.index,
          r.unitId,
          r.element.id,
          periodId,
          r.optionId,
          r.attributeId,
          r.number,
          r.text,
          raw.comment ?? null,
          raw.followup !== undefined && parseFlag(raw.followup),
          r.remove,
          raw.estimate !== undefined && parseFlag(raw.estimate),
          raw.reportedYoyPct ? Number(raw.reportedYoyPct) : null,
          raw.reportedPrevPct ? Number(raw.reportedPrevPct) : null,
        );
      }
      return { fresh, compare, copied };
    };

    const summarize = (
      conflicts: RowConflict[],
      rejectedCount: number,
      applied: boolean,
    ): ImportSummary => {
      const rejected = [...new Set(conflicts.map((c) => c.index))].sort((a, b) => a - b);
      const importCount = {
        imported: applied ? (counts.create ?? 0) : 0,
        updated: applied ? (counts.update ?? 0) : 0,
        deleted: applied ? (counts.delete ?? 0) : 0,
        ignored: applied ? (counts.ignore ?? 0) + zeros + rejectedCount : rows,
      };
      const status = !applied ? 'ERROR' : rejectedCount ? 'WARNING' : 'SUCCESS';
      const c = importCount;
      return {
        status,
        description: applied
          ? {
              vi: `${opts.dryRun ? 'Chạy thử: ' : ''}nhập mới ${c.imported}, cập nhật ${c.updated}, bỏ qua ${c.ignored}, xoá ${c.deleted}${rejectedCount ? `; ${rejectedCount} dòng bị từ chối` : ''}`,
              en: `${opts.dryRun ? 'Dry run: ' : ''}imported ${c.imported}, updated ${c.updated}, ignored ${c.ignored}, deleted ${c.deleted}${rejectedCount ? `; ${rejectedCount} row(s) rejected` : ''}`,
            }
          : {
              vi: `Không nhập gì: ${rejectedCount} dòng có lỗi và tệp được nhập theo kiểu tất cả hoặc không`,
              en: `Nothing imported: ${rejectedCount} row(s) have errors and the import is all or nothing`,
            },
        importCount,
        conflicts,
        rejectedIndexes: rejected,
        dryRun: opts.dryRun ?? false,
        atomic: opts.atomic,
      };
    };

    const estimate = () => meta.total ?? Math.max(rows, estimateFromBytes(rows, meta));

    let returned = 0;
    const iterator = source[Symbol.asyncIterator]();
    const t0 = performance.now();
    let first: IteratorResult<RawDataValue[]> | undefined = await iterator.next();
    time('read', t0);
    if (!first.done) {
      const expected = meta.total ?? estimateFromBytes(first.value.length, meta);
      bulk =
        this.database !== undefined &&
        !opts.dryRun &&
        (strategy === 'CREATE' || strategy === 'CREATE_AND_UPDATE') &&
        (opts.bulk === 'always' || ((opts.bulk ?? 'auto') === 'auto' && expected >= BULK_MIN_ROWS));
    }
    const run = (db: Db, copy?: Session['copy']) =>
      db.transaction().execute(async (tx) => {
        const txRepo = new DataValueRepo(tx);
        let written = 0;
        let pending: Promise<void> = Promise.resolve();
        for (;;) {
          let t = performance.now();
          const next = first ?? (await iterator.next());
          first = undefined;
          time('read', t);
          if (next.done) break;
          const batch = next.value;
          rows += batch.length;
          t = performance.now();
          const checked = await check(txRepo, batch);
          time('check', t);
          opts.onProgress?.('check', rows, estimate());
          t = performance.now();
          await pending;
          time('wait', t);
          if (refused()) continue;
          t = performance.now();
          const { fresh, compare, copied } = await prepare(txRepo, checked);
          time('prepare', t);
          if (refused()) continue;
          const write = async () => {
            if (copied.length) {
              const started = performance.now();
              await copy!(block!.table, COPY_COLUMNS, copied.join(''));
              counts.create = (counts.create ?? 0) + copied.length;
              time('copy new periods', started);
            }
            const started = performance.now();
            await txRepo.create(fresh, storedBy);
            counts.create = (counts.create ?? 0) + fresh.length;
            time('write new', started);
            const middle = performance.now();
            for (const [action, n] of Object.entries(
              await txRepo.apply(compare, strategy, storedBy),
            ))
              counts[action] = (counts[action] ?? 0) + n;
            time('write compared', middle);
            written += checked.length;
            opts.onProgress?.('write', written, estimate());
          };
          pending = write();
          pending.catch(() => {});
        }
        let t = performance.now();
        await pending;
        time('wait', t);
        if (duplicates || (opts.atomic && checkCount)) {
          throw new Rollback(summarize(checkConflicts, checkCount, false));
        }
        const conflicts = [...checkConflicts, ...lockConflicts];
        if (opts.atomic && lockCount) {
          throw new Rollback(summarize(conflicts, checkCount + lockCount, false));
        }
        if (block) {
          t = performance.now();
          await txRepo.attachBlock(block);
          time('index and attach', t);
        }
        t = performance.now();
        spreadAbove();
        await txRepo.finish(above);
        time('roll-ups above units', t);
        const summary = summarize(conflicts, checkCount + lockCount, true);
        await new AuditRepo(tx).record({
          ...auditActor(actor),
          action: 'data.import',
          entityType: 'data_value_set',
          entityId: meta.dataSet ?? '-',
          after: {
            ...summary.importCount,
            conflicts: checkCount + lockCount,
            strategy,
            atomic: opts.atomic,
          },
        });
        if (opts.dryRun) throw new Rollback(summary);
        returned = performance.now();
        return summary;
      });
    try {
      const summary =
        bulk && this.database
          ? await withSession(this.database, (session) => run(session.db, session.copy))
          : await run(this.db);
      time('commit', returned);
      const c = summary.importCount;
      const count = c.imported + c.updated + c.deleted;
      if (count > 0)
        this.emit({
          elements: [...touched.elements],
          periods: [...touched.periods],
          versions: [...touched.versions],
          count,
          by: storedBy,
        });
      return summary;
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
