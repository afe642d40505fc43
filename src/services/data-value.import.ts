import { FreshCells } from './fresh-cells.ts';
import type { PreparedChecks } from './validation.service.ts';
import {
  ArrivalOutliers,
  rangeIndex,
  SCALE_SLIP_MAX_ON_ARRIVAL,
  type RangeIndex,
} from './value-outlier.service.ts';
import { BinaryRows } from '../db/copy-binary.ts';
import {
  COPY_COLUMNS,
  DataValueRepo,
  PERIOD_BLOCK,
  ValueColumns,
  emptyDeltas,
  type DataSetRules,
  type ElementInfo,
  type RollupDeltas,
} from '../db/data-value.repo.ts';
import { copyText, type Session } from '../db/session.ts';
import type { Repos, Store } from '../db/store.ts';
import { KeyIndex } from '../domain/byte-codes.ts';
import { inScope, type Actor } from '../domain/access.ts';
import {
  elementOptionKey,
  CONFLICT,
  MAX_STORED_BY,
  checkValue,
  isNumericType,
  parseFlag,
  zeroNotStored,
  type ImportStrategy,
  type ImportSummary,
  type ImportValidation,
  type ImportViolation,
  type RowConflict,
  type ValueType,
} from '../domain/data-value.ts';
import type { RawDataValue } from '../domain/data-value-set.ts';
import {
  attributeByCategories,
  comboByCategories,
  emptyCategoryModel,
  type CategoryAnswer,
  type CategoryModel,
} from '../domain/adx.ts';
import { AppError, errors, type Message } from '../domain/errors.ts';
import { fieldTextProblem, visibleText } from '../domain/text-hygiene.ts';
import { versionAt } from '../domain/hierarchy.ts';
import { addDays, parsePeriod, type Period } from '../domain/period.ts';
import { SCALE_SLIP_RATIO } from '../domain/outlier.ts';
import { completionDate, type SetHeader } from '../domain/data-value-set-complete.ts';
import { auditActor } from './audit.ts';
import { registerIn } from './registration.service.ts';

export interface ImportOptions {
  /** All or nothing (Opsroom's own imports); DHIS2's routes default to per-row. */
  atomic: boolean;
  dryRun?: boolean;
  strategy?: ImportStrategy;
  /** Resolve unit codes in this tree instead of the tree in force at each value's period. */
  version?: string;
  /**
   * How the file names data elements (DHIS2's `dataElementIdScheme`/`idScheme`): by name
   * (English or Vietnamese) with 'name'; otherwise by code or uid, whichever is given.
   */
  dataElementIdScheme?: 'uid' | 'code' | 'name';
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
  /**
   * The data set the values are for (DHIS2's `dataSet` parameter), when the file does not say
   * it (CSV has no header); a `dataSet` in the file itself comes first. Values are then checked
   * against it (`rules`).
   */
  dataSet?: string;
  /**
   * Register the data set complete (`true`, `false` or a date), as a set's `completeDate` does
   * when the file gives none: see `ValueImport.complete`.
   */
  dataSetComplete?: string;
  /**
   * Refuse the whole import when its values break a HIGH validation rule (issue 17); by
   * default violations are only reported in the summary and the values are kept.
   */
  refuseOnHighViolation?: boolean;
}

/**
 * An import's summary and, when it registered its data set complete (or would have, in a dry
 * run), the day it did: DHIS2's `dataSetComplete` (else `false`).
 */
export type ImportAnswer = ImportSummary & { dataSetComplete?: string };

/** From this many rows on, an import loads the values of new periods in bulk. */
export const BULK_MIN_ROWS = 500_000;
/** Rows per batch: checked in JS, then written in a few statements. */
export const BATCH = 20_000;
/** Conflicts reported one by one; beyond this many they are only counted. */
const MAX_CONFLICTS = 10_000;
/** Roll-up slots are numbered `group × 2^22 + unit id`. */
const UNIT_SPACE = 4_194_304;

export type UnitMap = Awaited<ReturnType<DataValueRepo['units']>>;

/** The data set an import names: the file's own, else the `dataSet` option (CSV has no header). */
function dataSetNamed(meta: { dataSet?: string }, opts: ImportOptions): string | undefined {
  return meta.dataSet?.trim() || opts.dataSet?.trim() || undefined;
}

/** Rows in a file of `size` bytes, from the `rows` found in its first `read` bytes. */
export function rowsInFile(rows: number, read: number, size: number | undefined): number {
  return read > 0 && size ? Math.round((rows * size) / read) : rows;
}

/** What an import needs from the service that runs it. */
export interface ImportHost {
  /** Bulk loads need one that holds sessions (COPY on one connection), else rows take the ordinary path. */
  store: Store;
  /** The units of a tree by code and uid (cached by the service). */
  units(version: string, refresh: boolean, repo: DataValueRepo): Promise<UnitMap>;
  today(): string;
  /**
   * The validation rules over what the import wrote, in its transaction (issue 17); none when
   * no rule is stored. Returns the violations, for the summary.
   */
  checks?: {
    /** Whether any validation rule is stored. */
    any(): Promise<boolean>;
    /** Whether any min–max range is stored (outlier checks on arrival). */
    anyRange(): Promise<boolean>;
    /** Every range (a bulk load checks its rows as they stream by). */
    ranges(): Promise<RangeIndex>;
    /** Stores what the outlier checks found, with follow-ups; how many values are flagged. */
    outliers(tx: Repos, found: ArrivalOutliers): Promise<number>;
    /** The (element id → option ids, TOTAL for all options) the rules read: kept in `fresh`. */
    tracked(): Promise<Map<number, Set<number>>>;
    prepare(
      trx: Repos,
      q: { unitIds: number[]; periodIds: number[]; elementIds: number[]; fresh?: FreshCells },
    ): Promise<{ prepared: PreparedChecks; compute(): void } | undefined>;
    run(
      trx: Repos,
      q: {
        unitIds: number[];
        periodIds: number[];
        elementIds: number[];
        fresh?: FreshCells;
        prepared?: PreparedChecks;
      },
    ): Promise<ImportViolation[]>;
  };
}

/**
 * A set of unit ids for a bulk load's every row: a byte per id instead of a hash lookup (the
 * load adds 5 million times what is a few thousand units).
 */
class UnitIds {
  private seen = new Uint8Array(1 << 16);
  private readonly ids: number[] = [];

  add(id: number): void {
    if (id >= this.seen.length) {
      const grown = new Uint8Array(Math.max(id + 1, this.seen.length * 2));
      grown.set(this.seen);
      this.seen = grown;
    }
    if (this.seen[id] === 0) {
      this.seen[id] = 1;
      this.ids.push(id);
    }
  }

  get size(): number {
    return this.ids.length;
  }

  [Symbol.iterator](): Iterator<number> {
    return this.ids[Symbol.iterator]();
  }
}

/** Violations listed in an import's summary; beyond this many they are only counted. */
const MAX_VIOLATIONS_LISTED = 100;

/** Element, period, breakdown option and attribute of a row: what its key holds besides the unit. */
export interface Resolved {
  element: ElementInfo;
  period: Period;
  version: string;
  option: { id: number; code: string };
  attribute: { id: number };
  /** element id|period|option id|attribute id */
  group: string;
  /** Number of `group`, for the keys seen. */
  keyGroup: number;
}

/** A row that passed the checks that need no database. */
export interface Checked {
  raw: RawDataValue;
  /** The file's storedBy, or the importing actor's name. */
  storedBy: string;
  unitId: number;
  version: string;
  group: string;
  element: ElementInfo;
  period: Period;
  optionId: number;
  attributeId: number;
  number: number | null;
  text: string;
  remove: boolean;
}

class Rollback extends Error {
  constructor(readonly summary: ImportAnswer) {
    super('rolled back');
  }
}

/**
 * Fields of a row whose text is stored or looked up, checked for characters that cannot be
 * stored (NUL…) before anything else: the row gets a conflict instead of failing the whole
 * import in the database. The value and the comment may span lines.
 */
const TEXT_FIELDS = [
  ['dataElement', false],
  ['period', false],
  ['orgUnit', false],
  ['categoryOptionCombo', false],
  ['attributeOptionCombo', false],
  ['value', true],
  ['comment', true],
  ['storedBy', false],
  ['annotation', true],
] as const;

/** What one committed import changed, for listeners (live screens, alerts). */
export interface Touched {
  elements: Set<string>;
  periods: Set<string>;
  versions: Set<string>;
}

/**
 * One import of data values: each row checked (element, period, unit of the tree in force at
 * the period, breakdown and attribute options, value type, the caller's scope, locked periods,
 * and the period type, elements and units of the data set the import names, if any),
 * the good rows written in one transaction with their history, and the roll-ups of the units
 * above moved by the sums of what changed.
 *
 * Rows come in batches of `RawDataValue` (`batch`), or, for large CSV files, straight from the
 * file's bytes (`CsvBulkLoad`), which shares this state and hands back the rows it cannot take.
 */
export class ValueImport {
  readonly strategy: ImportStrategy;
  readonly storedBy: string;
  readonly today: string;
  /** Rows seen so far. */
  rows = 0;
  readonly counts: Record<string, number> = {};
  zeros = 0;
  /** Values the bulk CSV path copied (the ordinary path counts in `counts`). */
  created = 0;
  /** Values the ordinary path copied into the block (the bulk path's are `created`). */
  private copiedRows = 0;
  get blockRows(): number {
    return this.created + this.copiedRows;
  }
  duplicates = false;
  checkCount = 0;
  lockCount = 0;
  readonly checkConflicts: RowConflict[] = [];
  readonly lockConflicts: RowConflict[] = [];
  /** Why the data set was not registered complete (no row: index -1). */
  readonly setConflicts: RowConflict[] = [];
  /** The data set the import names: the file's, else the `dataSet` option. */
  readonly dataSetName: string | undefined;
  /** The day to register the data set complete on (DHIS2's `completeDate`), if asked. */
  readonly completeOn: string | undefined;
  /** The day it was registered complete on, once it was (or would be, in a dry run). */
  private completedOn: string | undefined;
  readonly touched: Touched = { elements: new Set(), periods: new Set(), versions: new Set() };
  /** Ids of what the import wrote, for the validation rules (kept only when some rule exists). */
  readonly wrote = {
    units: new UnitIds(),
    elements: new Set<number>(),
    periods: new Set<number>(),
  };
  /** Whether to keep `wrote` (set when the import opens: some validation rule is stored). */
  checking = false;
  /** What the rules read in periods new to the database, summed as rows stream by. */
  fresh: FreshCells | undefined;
  /** Whether any validation rule is stored (the rules run after the writes). */
  hasRules = false;
  /** Values outside their min–max range, found as rows go by (when some range is stored). */
  outliers: ArrivalOutliers | undefined;

  private readonly unitMaps = new Map<string, UnitMap>();
  private readonly refreshed = new Set<string>();
  private readonly periods = new Map<string, { period: Period; version?: string } | AppError>();
  /** Period ids known to this import: pid → id. */
  readonly periodIds = new Map<string, number>();
  /** Whether an (element id, period id) pair had stored values when this import began. */
  private readonly pairStored = new Map<string, boolean>();
  /** DHIS2's categories, read when an ADX row first names a combo by them. */
  private categoryModel: CategoryModel | undefined;
  private codesById: { options: Map<number, string>; attributes: Map<number, string> } | undefined;
  /** Resolved key parts by the codes given (codes and uids of the same thing resolve alike). */
  private readonly groups = new Map<string, Resolved>();
  private readonly keyGroups = new Map<string, number>();
  /** The row that had each (group, unit) key first. */
  readonly keys = new KeyIndex();
  /** Units above a unit, nearest first (the unit itself first when units lie below it). */
  readonly ancestorsOf = new Map<number, number[]>();

  // Sums of new values for the units above theirs, per (element, period, option, attribute)
  // group: added up per group and nearest roll-up unit (one slot per row instead of one per
  // ancestor), then spread over that unit's own chain once, at the end.
  private readonly groupIds = new Map<string, number>();
  private readonly groupParts: [number, number, number, number][] = [];
  private readonly slots = new Map<number, number>();
  private lastSlotKey = -1;
  private lastSlot = -1;
  private readonly direct = {
    g: [] as number[],
    chain: [] as number[][],
    sum: [] as number[],
    n: [] as number[],
  };

  /** Bulk mode: the block of period ids this import took, and which of its ids are used. */
  bulk = false;
  block: { first: number; table: string; used: number } | undefined;
  readonly bulkPeriods = new Set<number>();
  /** Period rows of the block not written yet (the bulk CSV path writes them at the end). */
  readonly pendingPeriods: { period: Period; id: number }[] = [];

  private pending: Promise<void> = Promise.resolve();
  private written = 0;

  private constructor(
    private readonly host: ImportHost,
    readonly actor: Actor | 'system',
    readonly meta: {
      dataSet?: string;
      /** The set's `completeDate` and the header fields a completion registers. */
      completeDate?: string;
      header?: SetHeader;
      total?: number;
      size?: number;
      bytesRead?: () => number;
    },
    readonly opts: ImportOptions,
    readonly lookups: Awaited<ReturnType<DataValueRepo['lookups']>>,
    private readonly versions: { id: string; validFrom: string; validUntil: string | null }[],
    /**
     * The data set the import names (DHIS2's `dataSet`): each value's period type, element and
     * unit are checked against it. `unknown` holds the name given when there is no such set.
     */
    readonly dataSet: DataSetRules | { unknown: string } | undefined,
  ) {
    this.strategy = opts.strategy ?? 'CREATE_AND_UPDATE';
    this.storedBy = actor === 'system' ? 'system' : actor.name;
    this.today = host.today();
    this.dataSetName = dataSetNamed(meta, opts);
    // A date that is none is refused before anything is read or written.
    this.completeOn = completionDate(meta.completeDate?.trim() || opts.dataSetComplete, this.today);
  }

  static async open(
    host: ImportHost,
    actor: Actor | 'system',
    meta: ValueImport['meta'],
    opts: ImportOptions,
  ): Promise<ValueImport> {
    const repo = host.store.repos.dataValues;
    const lookups = await repo.lookups();
    const named = dataSetNamed(meta, opts);
    const dataSet = named ? ((await repo.dataSetRules(named)) ?? { unknown: named }) : undefined;
    const versions = await repo.versionSpans();
    const run = new ValueImport(host, actor, meta, opts, lookups, versions, dataSet);
    const rules = (await host.checks?.any()) ?? false;
    const ranges = (await host.checks?.anyRange()) ?? false;
    run.checking = rules || ranges;
    if (rules && host.checks) {
      const tracked = await host.checks.tracked();
      if (tracked.size) run.fresh = new FreshCells(tracked);
    }
    // Every import checks its values on arrival: against their ranges when some are stored,
    // and for scale slips against their recent values (the ordinary path's stored periods).
    if (host.checks) run.outliers = new ArrivalOutliers();
    run.hasRules = rules;
    return run;
  }

  time(phase: string, since: number): void {
    const timings = this.opts.timings;
    if (timings) timings[phase] = (timings[phase] ?? 0) + (performance.now() - since);
  }

  /** Whether the import may load new periods in bulk, given how many rows it expects. */
  canBulk(expected: number): boolean {
    const { opts, strategy } = this;
    const bulk =
      this.host.store.holdsSessions &&
      !opts.dryRun &&
      (strategy === 'CREATE' || strategy === 'CREATE_AND_UPDATE') &&
      (opts.bulk === 'always' || ((opts.bulk ?? 'auto') === 'auto' && expected >= BULK_MIN_ROWS));
    // A cell per row at most: room for them at once rather than copies as they come.
    if (bulk) this.fresh?.reserve(expected);
    return bulk;
  }

  conflict(
    list: RowConflict[],
    raw: RawDataValue,
    errorCode: RowConflict['errorCode'],
    property: string,
    object: string | undefined,
    reason: Message,
  ): void {
    if (list === this.checkConflicts) this.checkCount++;
    else this.lockCount++;
    if (this.checkConflicts.length + this.lockConflicts.length >= MAX_CONFLICTS) return;
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
  }

  /**
   * Element, period, option and attribute of a row, checked once per combination of the codes
   * given. With `raw`, a failure is reported as its conflict; without, it is only undefined.
   */
  resolve(
    dataElement: string,
    period: string,
    option: string | undefined,
    attribute: string | undefined,
    raw?: RawDataValue,
  ): Resolved | undefined {
    const key = `${dataElement}\u0001${period}\u0001${option ?? ''}\u0001${attribute ?? ''}`;
    const hit = this.groups.get(key);
    if (hit) return hit;
    const fail = (
      code: RowConflict['errorCode'],
      property: string,
      object: string | undefined,
      reason: Message,
    ) => {
      if (raw) this.conflict(this.checkConflicts, raw, code, property, object, reason);
      return undefined;
    };
    const element = this.element(dataElement);
    if (!element) {
      return fail(CONFLICT.unknownElement, 'dataElement', dataElement, {
        vi: `Không có chỉ tiêu "${dataElement}"`,
        en: `Unknown data element "${dataElement}"`,
      });
    }
    let p = this.periods.get(period);
    if (!p) {
      try {
        const parsed = parsePeriod(period);
        p = {
          period: parsed,
          version: this.opts.version ?? versionAt(this.versions, parsed.start)?.id,
        };
      } catch (e) {
        p =
          e instanceof AppError
            ? e
            : new AppError('validation_failed', { vi: String(e), en: String(e) });
      }
      this.periods.set(period, p);
    }
    if (p instanceof AppError) return fail(CONFLICT.badPeriod, 'period', period, p.messages);
    if (!p.version) throw errors.unknownVersion('(none loaded)');
    const opt = this.lookups.options.get(option || 'default');
    if (!opt) {
      return fail(CONFLICT.unknownOption, 'categoryOptionCombo', option, {
        vi: `Không có phân tổ "${option}"`,
        en: `Unknown category option combo "${option}"`,
      });
    }
    if (opt.breakdown_id !== element.breakdownId) {
      return fail(CONFLICT.optionNotInElement, 'categoryOptionCombo', option || 'default', {
        vi: `Phân tổ "${opt.code}" không thuộc chỉ tiêu ${element.code}`,
        en: `Category option combo "${opt.code}" does not belong to data element ${element.code}`,
      });
    }
    const attr = this.lookups.attributes.get(attribute || 'default');
    if (!attr) {
      return fail(CONFLICT.unknownAttribute, 'attributeOptionCombo', attribute, {
        vi: `Không có thuộc tính "${attribute}"`,
        en: `Unknown attribute option combo "${attribute}"`,
      });
    }
    const ds = this.rules(raw);
    if (ds && p.period.type !== ds.periodType) {
      return fail(CONFLICT.periodTypeNotInDataSet, 'period', period, {
        vi: `Kỳ ${p.period.id} (${p.period.type}) không thuộc loại kỳ ${ds.periodType} của bộ dữ liệu ${ds.code}`,
        en: `Period ${p.period.id} (${p.period.type}) is not of the period type ${ds.periodType} of data set ${ds.code}`,
      });
    }
    if (ds && !ds.elementIds.has(element.id)) {
      return fail(CONFLICT.elementNotInDataSet, 'dataElement', dataElement, {
        vi: `Chỉ tiêu ${element.code} không thuộc bộ dữ liệu ${ds.code}`,
        en: `Data element ${element.code} is not part of data set ${ds.code}`,
      });
    }
    const group = `${element.id}|${p.period.id}|${opt.id}|${attr.id}`;
    // Another spelling (a uid instead of a code) of the same key shares its keys seen.
    let keyGroup = this.keyGroups.get(group);
    if (keyGroup === undefined) this.keyGroups.set(group, (keyGroup = this.keyGroups.size));
    const resolved: Resolved = {
      element,
      period: p.period,
      version: p.version,
      option: opt,
      attribute: attr,
      group,
      keyGroup,
    };
    this.groups.set(key, resolved);
    return resolved;
  }

  /**
   * The data set a row is checked against: the one the import names. ADX rows are not
   * checked: each ADX group names its own data set, and the file's first one stands for all in
   * `meta.dataSet`. Without `raw` (the bulk CSV path), the import's.
   */
  rules(raw?: RawDataValue): DataSetRules | undefined {
    const ds = this.dataSet;
    return ds && !('unknown' in ds) && !raw?.adx ? ds : undefined;
  }

  /**
   * Whether a unit may report the data set the import names: one it is assigned to (by code,
   * the same in every tree), or without assignments any unit of its level.
   */
  assigned(ds: DataSetRules, unit: { code: string; level: number }): boolean {
    return ds.assigned ? ds.assigned.has(unit.code) : unit.level === ds.level;
  }

  /** An element as the file names it (by name under DHIS2's idScheme=NAME). */
  element(given: string): ElementInfo | undefined {
    return this.opts.dataElementIdScheme === 'name'
      ? this.lookups.elementsByName.get(given)
      : this.lookups.elements.get(given);
  }

  /**
   * The breakdown option (or attribute option) an ADX row names by its categories, as the
   * option's code; undefined when it names none, 'refused' when the row got a conflict. With
   * DHIS2's categories behind the breakdown (metadata imported from DHIS2), each category is
   * read (`comboByCategories`); Opsroom's own breakdowns are lists of combos without
   * categories, so such a combo is named by one category whose option is the combo. Categories
   * given to an element without breakdown are left aside, as DHIS2 leaves them for its default
   * combo.
   */
  private byCategories(
    raw: RawDataValue,
    categories: Record<string, string> | undefined,
    attribute: boolean,
  ): string | undefined {
    const given = categories ? Object.entries(categories) : [];
    if (given.length === 0) return undefined;
    const model = this.categoryModel ?? emptyCategoryModel();
    const { options, attributes } = this.lookups;
    let answer: CategoryAnswer;
    if (attribute) answer = attributeByCategories(model, categories!);
    else {
      const element = raw.dataElement ? this.element(raw.dataElement) : undefined;
      // An unknown element is reported as such (`resolve`).
      if (!element) return undefined;
      answer = comboByCategories(model, element.breakdownId, categories!);
      if (answer === undefined && element.breakdownId === options.get('default')?.breakdown_id) {
        return undefined;
      }
    }
    const field = attribute ? 'attributeOptionCombo' : 'categoryOptionCombo';
    const code = attribute ? CONFLICT.unknownAttribute : CONFLICT.unknownOption;
    const named = given.map(([k, v]) => `${k}="${v}"`).join(' ');
    if (answer && 'id' in answer) {
      this.codesById ??= {
        options: new Map([...options.values()].map((o) => [o.id, o.code])),
        attributes: new Map([...attributes.values()].map((a) => [a.id, a.code])),
      };
      return (attribute ? this.codesById.attributes : this.codesById.options).get(answer.id);
    }
    if (answer) {
      this.conflict(this.checkConflicts, raw, code, field, named, answer.problem);
      return 'refused';
    }
    if (given.length === 1) return given[0]![1];
    this.conflict(this.checkConflicts, raw, code, field, named, {
      vi: `Không xác định được ${attribute ? 'thuộc tính' : 'phân tổ'} từ nhiều nhóm (${named}): phân tổ này không có các nhóm của DHIS2; hãy ghi ${field}`,
      en: `Cannot tell the ${attribute ? 'attribute option combo' : 'category option combo'} from several categories (${named}): this breakdown has no DHIS2 categories; give ${field} instead`,
    });
    return 'refused';
  }

  /** The units of a tree; inside a transaction on PGlite (one connection) `tx` must be its. */
  async unitsOf(tx: DataValueRepo, version: string): Promise<UnitMap> {
    let units = this.unitMaps.get(version);
    if (!units) this.unitMaps.set(version, (units = await this.host.units(version, false, tx)));
    return units;
  }

  /** Checks one batch: what needs no database. */
  async check(tx: DataValueRepo, batch: RawDataValue[]): Promise<Checked[]> {
    const { actor, strategy } = this;
    const out: Checked[] = [];
    rows: for (const raw of batch) {
      for (const [field, multiline] of TEXT_FIELDS) {
        const problem = fieldTextProblem(field, raw[field], { multiline });
        if (problem) {
          const given = visibleText(raw[field]!);
          this.conflict(this.checkConflicts, raw, CONFLICT.badText, field, given, problem);
          continue rows;
        }
      }
      const deleting =
        strategy === 'DELETE' || (raw.deleted !== undefined && parseFlag(raw.deleted));
      if (!raw.dataElement || !raw.period || !raw.orgUnit) {
        // As DHIS2 reports it: the first field missing, as not found.
        const missing = (['dataElement', 'period', 'orgUnit'] as const).filter((f) => !raw[f]);
        const code = {
          dataElement: CONFLICT.unknownElement,
          period: CONFLICT.badPeriod,
          orgUnit: CONFLICT.unknownUnit,
        }[missing[0]!];
        this.conflict(this.checkConflicts, raw, code, missing[0]!, '', {
          vi: `Thiếu ${missing.join(', ')}`,
          en: `Missing ${missing.join(', ')}`,
        });
        continue;
      }
      const storedBy = raw.storedBy?.trim() ? raw.storedBy : this.storedBy;
      if (storedBy.length > MAX_STORED_BY) {
        this.conflict(this.checkConflicts, raw, CONFLICT.badStoredBy, 'storedBy', storedBy, {
          vi: `storedBy dài quá ${MAX_STORED_BY} ký tự`,
          en: `storedBy is longer than ${MAX_STORED_BY} characters`,
        });
        continue;
      }
      if ((raw.categories || raw.attributeCategories) && !this.categoryModel) {
        this.categoryModel = await tx.categoryModel();
      }
      const coc = raw.categoryOptionCombo ?? this.byCategories(raw, raw.categories, false);
      const aoc = raw.attributeOptionCombo ?? this.byCategories(raw, raw.attributeCategories, true);
      if (coc === 'refused' || aoc === 'refused') continue;
      const resolved = this.resolve(raw.dataElement, raw.period, coc, aoc, raw);
      if (!resolved) continue;
      const { element, period, version, option, attribute, group } = resolved;
      let units = await this.unitsOf(tx, version);
      let unit = units.get(raw.orgUnit);
      if (!unit && !this.refreshed.has(version)) {
        // The tree may have been imported since it was read: read it once more.
        this.refreshed.add(version);
        this.unitMaps.set(version, (units = await this.host.units(version, true, tx)));
        unit = units.get(raw.orgUnit);
      }
      if (!unit) {
        this.conflict(this.checkConflicts, raw, CONFLICT.unknownUnit, 'orgUnit', raw.orgUnit, {
          vi: `Không có đơn vị "${raw.orgUnit}" trong cây ${version} (cây áp dụng cho kỳ ${period.id})`,
          en: `No unit "${raw.orgUnit}" in the ${version} tree (the tree for period ${period.id})`,
        });
        continue;
      }
      if (actor !== 'system' && !inScope(actor.scope, { version, path: unit.path })) {
        this.conflict(this.checkConflicts, raw, CONFLICT.outOfScope, 'orgUnit', raw.orgUnit, {
          vi: `Đơn vị "${raw.orgUnit}" nằm ngoài phạm vi của bạn`,
          en: `Unit "${raw.orgUnit}" is outside your scope`,
        });
        continue;
      }
      const ds = this.rules(raw);
      if (ds && !this.assigned(ds, unit)) {
        this.conflict(this.checkConflicts, raw, CONFLICT.unitNotAssigned, 'orgUnit', raw.orgUnit, {
          vi: ds.assigned
            ? `Đơn vị "${raw.orgUnit}" không được giao bộ dữ liệu ${ds.code}`
            : `Đơn vị "${raw.orgUnit}" (cấp ${unit.level}) không báo cáo bộ dữ liệu ${ds.code} (do đơn vị cấp ${ds.level} báo cáo)`,
          en: ds.assigned
            ? `Unit "${raw.orgUnit}" is not assigned to data set ${ds.code}`
            : `Unit "${raw.orgUnit}" (level ${unit.level}) does not report data set ${ds.code} (reported by level ${ds.level} units)`,
        });
        continue;
      }
      // ADX carries the values of non-numeric elements in <annotation> (its value is "0").
      let value = raw.value;
      if (raw.adx && !isNumericType(element.valueType) && !deleting) {
        if (raw.annotation === undefined) {
          this.conflict(this.checkConflicts, raw, CONFLICT.badValue, 'value', raw.value, {
            vi: `Chỉ tiêu ${element.code} không phải số: ADX ghi giá trị trong <annotation>`,
            en: `Data element ${element.code} is not numeric: ADX carries its value in <annotation>`,
          });
          continue;
        }
        value = raw.annotation;
      }
      // DHIS2: a value left empty without a comment removes the stored one.
      const empty = value === undefined || value === '';
      let remove = deleting || (empty && !raw.comment);
      let text: string | null = null;
      let number: number | null = null;
      if (!remove && !empty) {
        const range =
          element.min !== null || element.max !== null
            ? { element: element.code, min: element.min, max: element.max }
            : undefined;
        const checked = checkValue(element.valueType as ValueType, value!, range);
        if (!checked.ok) {
          this.conflict(
            this.checkConflicts,
            raw,
            CONFLICT.badValue,
            'value',
            value,
            checked.reason,
          );
          continue;
        }
        text = checked.text;
        number = checked.number;
        if (zeroNotStored(element, number)) {
          // DHIS2 (≤ 2.42) does not store such a zero: a new one is ignored, and one sent for
          // a stored value removes that value (CREATE leaves stored values alone).
          if (strategy === 'CREATE') {
            this.zeros++;
            continue;
          }
          remove = true;
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
          this.conflict(this.checkConflicts, raw, CONFLICT.badValue, badPct[0], raw[badPct[0]], {
            vi: `"${raw[badPct[0]]}" không phải phần trăm thay đổi`,
            en: `"${raw[badPct[0]]}" is not a percentage change`,
          });
          continue;
        }
      }
      const first = this.keys.claim(resolved.keyGroup, unit.id, raw.index);
      if (first !== -1) {
        this.duplicates = true;
        this.conflict(
          this.checkConflicts,
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
      out.push({
        raw,
        storedBy,
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
  }

  /** The import will not be applied: rows are still checked, nothing more is written. */
  refused(): boolean {
    return this.duplicates || (this.opts.atomic && this.checkCount + this.lockCount > 0);
  }

  /** Number of the roll-up group (element, period id, option, attribute). */
  groupOf(element: number, periodId: number, option: number, attribute: number): number {
    const key = `${element}|${periodId}|${option}|${attribute}`;
    let g = this.groupIds.get(key);
    if (g === undefined) {
      g = this.groupParts.length;
      this.groupIds.set(key, g);
      this.groupParts.push([element, periodId, option, attribute]);
    }
    return g;
  }

  /** Adds a new value to its nearest roll-up unit's sum in group `g`. */
  addAbove(g: number, value: number, ancestors: number[] | undefined): void {
    if (!ancestors || ancestors.length === 0) return;
    const parent = ancestors[0]!;
    if (parent >= UNIT_SPACE) throw new Error(`unit id ${parent} beyond the roll-up key space`);
    const k = g * UNIT_SPACE + parent;
    const direct = this.direct;
    let slot = k === this.lastSlotKey ? this.lastSlot : this.slots.get(k);
    if (slot === undefined) {
      slot = direct.sum.length;
      this.slots.set(k, slot);
      direct.g.push(g);
      direct.chain.push(ancestors);
      direct.sum.push(value);
      direct.n.push(1);
    } else {
      direct.sum[slot]! += value;
      direct.n[slot]!++;
    }
    this.lastSlotKey = k;
    this.lastSlot = slot;
  }

  /** The sums per group and unit above, every ancestor of each nearest roll-up unit included. */
  private spreadAbove(): RollupDeltas {
    const above = emptyDeltas();
    const final = new Map<number, number>();
    const direct = this.direct;
    for (let i = 0; i < direct.g.length; i++) {
      const g = direct.g[i]!;
      for (const a of direct.chain[i]!) {
        const k = g * UNIT_SPACE + a;
        const slot = final.get(k);
        if (slot === undefined) {
          const [element, period, option, attribute] = this.groupParts[g]!;
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
    return above;
  }

  /** Whether values of this element may no longer be written for this period. */
  locked(element: ElementInfo, period: Period, periodId: number): boolean {
    return this.lockOf(element, period, periodId) !== undefined;
  }

  /** Why values of this element may no longer be written for this period: a lock, or expiry. */
  lockOf(element: ElementInfo, period: Period, periodId: number): 'locked' | 'expired' | undefined {
    const { locks, dataSetsOf } = this.lookups;
    const sets = dataSetsOf.get(element.id) ?? [];
    if (locks.has(`${periodId}:*`) || sets.some((ds) => locks.has(`${periodId}:${ds.id}`))) {
      return 'locked';
    }
    return sets.some((ds) => ds.expiryDays > 0 && this.today > addDays(period.end, ds.expiryDays))
      ? 'expired'
      : undefined;
  }

  /** Takes a block of period ids for this import (once), with its table. */
  async reserveBlock(tx: DataValueRepo): Promise<void> {
    if (!this.block) this.block = { ...(await tx.reserveBlock(this.storedBy)), used: 0 };
  }

  /** As `blockPeriod`, once the block is reserved; the period row is written later. */
  takeBlockId(period: Period): number | undefined {
    const block = this.block!;
    if (block.used === PERIOD_BLOCK) return undefined;
    const id = block.first + block.used++;
    this.periodIds.set(period.id, id);
    this.bulkPeriods.add(id);
    return id;
  }

  /**
   * Periods, locks and whether a key may be stored already, which need the database (within
   * the transaction), then the rows split into sure creations and rows to compare.
   */
  private async prepare(tx: DataValueRepo, checked: Checked[]) {
    const { periodIds, pairStored, strategy } = this;
    // One row of each group stands for it.
    const batchGroups = new Map<string, Checked>();
    for (const r of checked) if (!batchGroups.has(r.group)) batchGroups.set(r.group, r);
    const newPeriods = new Map<string, Period>();
    for (const r of batchGroups.values())
      if (!periodIds.has(r.period.id)) newPeriods.set(r.period.id, r.period);
    if (newPeriods.size && this.bulk) {
      // Periods never seen take ids in this load's block: their values go to its partition.
      for (const [pid, id] of await tx.periodIds([...newPeriods.keys()])) {
        periodIds.set(pid, id);
        newPeriods.delete(pid);
      }
      const fresh: { period: Period; id: number }[] = [];
      for (const period of newPeriods.values()) {
        await this.reserveBlock(tx);
        const id = this.takeBlockId(period);
        if (id === undefined) break;
        fresh.push({ period, id });
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
      if (this.bulkPeriods.has(periodId)) pairStored.set(pair, false);
      else if (!pairStored.has(pair)) newPairs.set(pair, [r.element.id, periodId]);
    }
    const newUnits = new Set<number>();
    for (const r of checked) if (!this.ancestorsOf.has(r.unitId)) newUnits.add(r.unitId);
    if (this.checking) for (const u of newUnits) this.wrote.units.add(u);
    for (const [unit, list] of await tx.ancestors([...newUnits])) this.ancestorsOf.set(unit, list);
    if (newPairs.size) {
      const stored = await tx.storedPairs([...newPairs.values()]);
      for (const pair of newPairs.keys()) pairStored.set(pair, stored.has(pair));
    }
    const fresh = new ValueColumns();
    const compare = new ValueColumns();
    const copied: string[] = [];
    // The min–max ranges of the batch's values (all of them, loaded once, in a bulk load).
    const ranges =
      this.outliers &&
      (this.outliers.all ??
        rangeIndex(
          await tx.rangesOf(
            checked.map((r) => ({
              element_id: r.element.id,
              unit_id: r.unitId,
              option_id: r.optionId,
            })),
          ),
        ));
    // What depends only on the row's group (element, period, option, attribute), once per group.
    const infos = new Map<
      string,
      { periodId: number; locked: 'locked' | 'expired' | undefined; stored: boolean; g: number }
    >();
    for (const r of checked) {
      let info = infos.get(r.group);
      if (!info) {
        const periodId = periodIds.get(r.period.id)!;
        info = {
          periodId,
          locked: this.lockOf(r.element, r.period, periodId),
          stored: pairStored.get(`${r.element.id}:${periodId}`)!,
          g: this.groupOf(r.element.id, periodId, r.optionId, r.attributeId),
        };
        infos.set(r.group, info);
        this.touch(r.element, r.period.id, periodId, r.version);
      }
      const { periodId, stored } = info;
      if (info.locked) {
        const expired = info.locked === 'expired';
        this.conflict(
          this.lockConflicts,
          r.raw,
          expired ? CONFLICT.expired : CONFLICT.locked,
          'period',
          r.raw.period,
          expired
            ? {
                vi: `Kỳ ${r.period.id} đã khoá sổ (quá hạn nhập của bộ dữ liệu); không thể ghi`,
                en: `Period ${r.period.id} is locked (past the data set's expiry days); it cannot be written`,
              }
            : {
                vi: `Kỳ ${r.period.id} đã khoá sổ; không thể ghi`,
                en: `Period ${r.period.id} is locked; it cannot be written`,
              },
        );
        continue;
      }
      if (!stored && (r.remove || strategy === 'UPDATE')) {
        this.counts.ignore = (this.counts.ignore ?? 0) + 1;
        continue;
      }
      const raw = r.raw;
      if (!stored) this.addAbove(info.g, r.number ?? 0, this.ancestorsOf.get(r.unitId));
      const outliers = this.outliers;
      if (outliers) {
        if (!this.bulkPeriods.has(periodId))
          outliers.written.push({
            element_id: r.element.id,
            unit_id: r.unitId,
            period_id: periodId,
            option_id: r.optionId,
            attribute_id: r.attributeId,
            value: r.remove ? null : r.number,
          });
        if (
          r.number !== null &&
          r.number !== 0 &&
          !r.remove &&
          !this.bulkPeriods.has(periodId) &&
          outliers.numbers.length <= SCALE_SLIP_MAX_ON_ARRIVAL
        )
          outliers.numbers.push({
            element_id: r.element.id,
            unit_id: r.unitId,
            period_id: periodId,
            option_id: r.optionId,
            attribute_id: r.attributeId,
            value: r.number,
          });
        if (r.number !== null && !r.remove)
          outliers.check(
            ranges?.get(elementOptionKey(r.element.id, r.optionId)),
            r.element.id,
            r.unitId,
            periodId,
            r.optionId,
            r.attributeId,
            r.number,
          );
      }
      if (this.fresh && this.bulkPeriods.has(periodId)) {
        if (stored || r.remove || r.number === null) this.fresh.unsafe.add(periodId);
        else
          this.fresh.add(this.fresh.group(r.element.id, r.optionId, periodId), r.unitId, r.number);
      }
      if (this.bulkPeriods.has(periodId)) {
        copied.push(
          `${r.unitId}\t${r.element.id}\t${periodId}\t${r.optionId}\t${r.attributeId}\t${copyText(r.number)}\t${copyText(r.text)}\t${raw.estimate !== undefined && parseFlag(raw.estimate)}\t${copyText(raw.comment)}\t${raw.followup !== undefined && parseFlag(raw.followup)}\t${copyText(raw.reportedYoyPct ? Number(raw.reportedYoyPct) : null)}\t${copyText(raw.reportedPrevPct ? Number(raw.reportedPrevPct) : null)}\t${copyText(r.storedBy)}\n`,
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
        r.storedBy,
      );
    }
    return { fresh, compare, copied };
  }

  touch(
    element: { code: string; id: number },
    period: string,
    periodId: number,
    version: string,
  ): void {
    this.touched.elements.add(element.code);
    this.touched.periods.add(period);
    this.touched.versions.add(version);
    if (this.checking) {
      this.wrote.elements.add(element.id);
      this.wrote.periods.add(periodId);
    }
  }

  /** Rows in the whole import, as far as can be told yet. */
  estimate(): number {
    const { meta, rows } = this;
    if (meta.total !== undefined) return meta.total;
    return Math.max(rows, rowsInFile(rows, meta.bytesRead?.() ?? 0, meta.size));
  }

  /**
   * Checks a batch, then prepares and writes it while the next one is read and checked (the
   * write of one batch overlaps the checks of the next; `settle` waits for the last).
   */
  async batch(tx: DataValueRepo, batch: RawDataValue[], copy?: Session['copy']): Promise<void> {
    this.rows += batch.length;
    let t = performance.now();
    const checked = await this.check(tx, batch);
    this.time('check', t);
    this.opts.onProgress?.('check', this.rows, this.estimate());
    t = performance.now();
    await this.pending;
    this.time('wait', t);
    if (this.refused()) return;
    t = performance.now();
    const { fresh, compare, copied } = await this.prepare(tx, checked);
    this.time('prepare', t);
    if (this.refused()) return;
    const write = async () => {
      if (copied.length) {
        const started = performance.now();
        await copy!(this.block!.table, COPY_COLUMNS, copied.join(''));
        this.add('create', copied.length);
        this.copiedRows += copied.length;
        this.time('copy new periods', started);
      }
      const started = performance.now();
      await tx.create(fresh);
      this.add('create', fresh.length);
      this.time('write new', started);
      const middle = performance.now();
      for (const [action, n] of Object.entries(
        await tx.apply(compare, this.strategy, this.storedBy),
      ))
        this.add(action, n);
      this.time('write compared', middle);
      this.written += checked.length;
      this.opts.onProgress?.('write', this.written, this.estimate());
    };
    this.pending = write();
    this.pending.catch(() => {});
  }

  /** Waits for the last batch's writes. */
  async settle(): Promise<void> {
    const t = performance.now();
    await this.pending;
    this.time('wait', t);
  }

  add(action: string, n: number): void {
    this.counts[action] = (this.counts[action] ?? 0) + n;
  }

  summarize(conflicts: RowConflict[], rejectedCount: number, applied: boolean): ImportAnswer {
    const { counts, opts, setConflicts, completedOn } = this;
    conflicts.sort((a, b) => a.index - b.index);
    const rejected = [...new Set(conflicts.map((c) => c.index))];
    // The completion's conflicts name no row; they come first, as DHIS2 reports them.
    const all = [...setConflicts, ...conflicts];
    const importCount = {
      imported: applied ? (counts.create ?? 0) + this.created : 0,
      updated: applied ? (counts.update ?? 0) : 0,
      deleted: applied ? (counts.delete ?? 0) : 0,
      ignored: applied ? (counts.ignore ?? 0) + this.zeros + rejectedCount : this.rows,
    };
    const status = !applied
      ? 'ERROR'
      : rejectedCount || setConflicts.length
        ? 'WARNING'
        : 'SUCCESS';
    const c = importCount;
    const ds = this.dataSetName;
    const completion =
      completedOn !== undefined
        ? {
            vi: `; bộ dữ liệu ${ds} được ghi nhận hoàn thành ngày ${completedOn}`,
            en: `; data set ${ds} registered complete on ${completedOn}`,
          }
        : setConflicts.length
          ? {
              vi: '; bộ dữ liệu không được ghi nhận hoàn thành',
              en: '; the data set was not registered complete',
            }
          : { vi: '', en: '' };
    return {
      status,
      description: applied
        ? {
            vi: `${opts.dryRun ? 'Chạy thử: ' : ''}nhập mới ${c.imported}, cập nhật ${c.updated}, bỏ qua ${c.ignored}, xoá ${c.deleted}${rejectedCount ? `; ${rejectedCount} dòng bị từ chối` : ''}${completion.vi}`,
            en: `${opts.dryRun ? 'Dry run: ' : ''}imported ${c.imported}, updated ${c.updated}, ignored ${c.ignored}, deleted ${c.deleted}${rejectedCount ? `; ${rejectedCount} row(s) rejected` : ''}${completion.en}`,
          }
        : rejectedCount
          ? {
              vi: `Không nhập gì: ${rejectedCount} dòng có lỗi và tệp được nhập theo kiểu tất cả hoặc không`,
              en: `Nothing imported: ${rejectedCount} row(s) have errors and the import is all or nothing`,
            }
          : {
              vi: 'Không nhập gì: không ghi nhận được bộ dữ liệu hoàn thành và tệp được nhập theo kiểu tất cả hoặc không',
              en: 'Nothing imported: the data set cannot be registered complete and the import is all or nothing',
            },
      importCount,
      conflicts: all,
      rejectedIndexes: rejected,
      dryRun: opts.dryRun ?? false,
      atomic: opts.atomic,
      ...(applied && completedOn !== undefined ? { dataSetComplete: completedOn } : {}),
    };
  }

  /**
   * Registers the data set complete for the set's period and unit when the import asks
   * (DHIS2's `completeDate`), inside the import's transaction: it commits with the values or
   * not at all, and a dry run writes nothing. DHIS2 needs the data set, period and unit of the
   * set's header; the registration is checked as `POST /api/completeDataSetRegistrations`
   * checks one (scope, assignment, period type, locks and expiry) and audited. Its conflicts
   * name no row and leave the values as they are, unless the import is all or nothing. A
   * registration already complete is left as it is. Not when the import deletes.
   */
  private async complete(trx: Repos): Promise<void> {
    if (this.completeOn === undefined || this.strategy === 'DELETE') return;
    const { period, orgUnit, attributeOptionCombo } = this.meta.header ?? {};
    const ds = this.dataSetName;
    const refused = (
      errorCode: RowConflict['errorCode'],
      property: string,
      object: string,
      reason: Message,
    ) =>
      this.setConflicts.push({
        index: -1,
        errorCode,
        property,
        value: object,
        object,
        reason: {
          vi: `Không ghi nhận được bộ dữ liệu hoàn thành: ${reason.vi}`,
          en: `Data set not registered complete: ${reason.en}`,
        },
      });
    const missing = !ds ? 'dataSet' : !period ? 'period' : !orgUnit ? 'orgUnit' : undefined;
    if (missing) {
      const code = {
        dataSet: CONFLICT.unknownDataSet,
        period: CONFLICT.badPeriod,
        orgUnit: CONFLICT.unknownUnit,
      }[missing];
      refused(code, missing, '', {
        vi: `completeDate cần dataSet, period và orgUnit ở đầu tệp; thiếu ${missing}`,
        en: `completeDate needs the set's dataSet, period and orgUnit; ${missing} is missing`,
      });
      return;
    }
    const r = await registerIn(
      trx,
      this.actor,
      [{ dataSet: ds, period, organisationUnit: orgUnit, attributeOptionCombo }],
      { strategy: 'CREATE_AND_UPDATE', dryRun: this.opts.dryRun },
      { spans: this.versions, today: this.today, version: this.opts.version },
    );
    for (const x of r.conflicts) {
      const property = x.property === 'organisationUnit' ? 'orgUnit' : x.property;
      refused(x.errorCode, property, x.object, x.reason);
    }
    if (r.conflicts.length === 0) this.completedOn = this.completeOn;
  }

  /**
   * An import naming a data set that does not exist is refused whole, before any row is read,
   * as DHIS2 aborts it (E7600): nothing counted, one conflict about the data set (index -1: no row).
   */
  private unknownDataSet(given: string): ImportAnswer {
    return {
      status: 'ERROR',
      description: {
        vi: `Không nhập gì: không có bộ dữ liệu "${given}"`,
        en: `Import aborted: no data set "${given}"`,
      },
      importCount: { imported: 0, updated: 0, ignored: 0, deleted: 0 },
      conflicts: [
        {
          index: -1,
          errorCode: CONFLICT.unknownDataSet,
          property: 'dataSet',
          value: given,
          object: given,
          reason: {
            vi: `Không có bộ dữ liệu "${given}"`,
            en: `Data set not found: "${given}"`,
          },
        },
      ],
      rejectedIndexes: [],
      dryRun: this.opts.dryRun ?? false,
      atomic: this.opts.atomic,
    };
  }

  /**
   * Runs `body` (which feeds rows to `batch`, or loads them in bulk) in one transaction, on
   * one held connection when loading in bulk, then ends the import: refused as a whole, or its
   * block attached, its roll-ups moved and its audit row written, and committed.
   */
  async execute(
    body: (tx: DataValueRepo, session: Session | undefined) => Promise<void>,
  ): Promise<ImportAnswer> {
    if (this.dataSet && 'unknown' in this.dataSet) return this.unknownDataSet(this.dataSet.unknown);
    // A bulk load checks its rows against every range as they stream by: read them once.
    if (this.bulk && this.outliers && !this.outliers.all)
      this.outliers.all = await this.host.checks!.ranges();
    let returned = 0;
    const run = async (trx: Repos, session?: Session) => {
      const tx = trx.dataValues;
      await body(tx, session);
      await this.settle();
      if (this.duplicates || (this.opts.atomic && this.checkCount)) {
        throw new Rollback(this.summarize(this.checkConflicts, this.checkCount, false));
      }
      const conflicts = [...this.checkConflicts, ...this.lockConflicts];
      const rejected = this.checkCount + this.lockCount;
      if (this.opts.atomic && this.lockCount) {
        throw new Rollback(this.summarize(conflicts, rejected, false));
      }
      let t: number;
      if (this.block && this.blockRows === 0) {
        // Nothing went into the block: it is given back rather than attached empty.
        await tx.releaseBlock(this.block);
      } else if (this.block) {
        if (this.pendingPeriods.length) await tx.insertPeriods(this.pendingPeriods);
        // The rules over the new periods are evaluated from the load's own sums while the
        // database builds the partition's index: the two cores work at once.
        const early = await this.prepareChecks(trx);
        t = performance.now();
        const attaching = tx.attachBlock(this.block);
        attaching.catch(() => undefined); // awaited below; handled there
        if (early) {
          await new Promise((resolve) => setImmediate(resolve)); // the query is on its way
          early.compute();
        }
        await attaching;
        this.time('index and attach', t);
      }
      t = performance.now();
      await this.moveRollups(tx, session);
      this.time('roll-ups above units', t);
      await this.complete(trx);
      if (this.opts.atomic && this.setConflicts.length) {
        throw new Rollback(this.summarize(conflicts, rejected, false));
      }
      const violations = await this.validate(trx);
      if (violations && this.opts.refuseOnHighViolation && violations.high > 0) {
        throw new Rollback(this.refusedByRules(violations));
      }
      const summary = this.summarize(conflicts, rejected, true);
      if (violations) this.withViolations(summary, violations);
      await trx.audit.record({
        ...auditActor(this.actor),
        action: 'data.import',
        entityType: 'data_value_set',
        entityId: this.dataSetName ?? '-',
        after: {
          ...summary.importCount,
          conflicts: rejected,
          strategy: this.strategy,
          atomic: this.opts.atomic,
          ...(summary.dataSetComplete ? { dataSetComplete: summary.dataSetComplete } : {}),
        },
      });
      if (this.opts.dryRun) throw new Rollback(summary);
      returned = performance.now();
      return summary;
    };
    try {
      const store = this.host.store;
      const summary =
        this.bulk && store.holdsSessions
          ? await store.sessionTransaction((trx, session) => run(trx, session))
          : await store.transaction((trx) => run(trx));
      this.time('commit', returned);
      return summary;
    } catch (e) {
      if (e instanceof Rollback) return e.summary;
      throw e;
    }
  }

  /**
   * The validation rules over the units, periods and elements written, in the import's
   * transaction; undefined when none applies.
   */
  private async validate(trx: Repos): Promise<ImportValidation | undefined> {
    const checks = this.host.checks;
    if (!checks) return undefined;
    let t = performance.now();
    const all =
      this.checking && this.hasRules && this.wrote.units.size
        ? await checks.run(trx, {
            ...this.checkedIds(),
            ...(this.prepared ? { prepared: this.prepared } : {}),
          })
        : [];
    if (this.checking) this.time('validation rules', t);
    t = performance.now();
    const o = this.outliers;
    // Without ranges, only values written in stored periods are checked (for scale slips).
    const arrival = o && (this.checking || o.numbers.length > 0 || o.written.length > 0);
    const flagged = arrival ? await checks.outliers(trx, o) : 0;
    if (arrival) this.time('outlier checks', t);
    const slips = o?.slips ?? 0;
    const outliers = flagged - slips;
    if (all.length === 0 && flagged === 0) return undefined;
    return {
      violations: all.length,
      high: all.filter((v) => v.importance === 'HIGH').length,
      list: all.slice(0, MAX_VIOLATIONS_LISTED),
      ...(outliers ? { outliers } : {}),
      ...(slips ? { scaleSlips: slips } : {}),
    };
  }

  /** What the rules check: the ids written, and the new periods' sums. */
  private checkedIds() {
    return {
      unitIds: [...this.wrote.units],
      periodIds: [...this.wrote.periods],
      elementIds: [...this.wrote.elements],
      ...(this.fresh ? { fresh: this.fresh } : {}),
    };
  }

  /** The rules' reads and their evaluation from the new periods' sums, ahead of `validate`. */
  private prepared: PreparedChecks | undefined;

  private async prepareChecks(trx: Repos) {
    const checks = this.host.checks;
    if (!checks || !this.hasRules || !this.fresh || this.wrote.units.size === 0) return undefined;
    const t = performance.now();
    const early = await checks.prepare(trx, this.checkedIds());
    this.prepared = early?.prepared;
    this.time('validation rules', t);
    return early;
  }

  /** The summary says how many rules the values break (they are kept: a rule only reports). */
  private withViolations(summary: ImportAnswer, v: ImportValidation): void {
    summary.validation = v;
    const vi: string[] = [];
    const en: string[] = [];
    if (v.violations) {
      vi.push(`${v.violations} vi phạm quy tắc kiểm tra (${v.high} mức cao)`);
      en.push(`${v.violations} validation rule violation(s) (${v.high} HIGH)`);
    }
    if (v.outliers) {
      vi.push(`${v.outliers} giá trị ngoài khoảng tối thiểu–tối đa (đã gắn cờ, vẫn lưu)`);
      en.push(`${v.outliers} value(s) outside their min–max range (flagged, kept)`);
    }
    if (v.scaleSlips) {
      vi.push(
        `${v.scaleSlips} giá trị lệch từ ${SCALE_SLIP_RATIO} lần trở lên so với các kỳ gần đây, nghi nhầm đơn vị hoặc thang đo (đã gắn cờ, vẫn lưu)`,
      );
      en.push(
        `${v.scaleSlips} value(s) ${SCALE_SLIP_RATIO}× or more away from the unit's recent values, a likely unit or scale slip (flagged, kept)`,
      );
    }
    summary.description = {
      vi: [summary.description.vi, ...vi].join('; '),
      en: [summary.description.en, ...en].join('; '),
    };
    if (summary.status === 'SUCCESS') summary.status = 'WARNING';
  }

  /** Nothing imported: the values break a HIGH rule and the caller asked to refuse them. */
  private refusedByRules(v: ImportValidation): ImportAnswer {
    const summary = this.summarize([], 0, false);
    summary.importCount = { imported: 0, updated: 0, ignored: this.rows, deleted: 0 };
    summary.validation = v;
    summary.description = {
      vi: `Không nhập gì: dữ liệu vi phạm ${v.high} quy tắc kiểm tra mức cao (refuseOnHighViolation)`,
      en: `Nothing imported: the values break ${v.high} HIGH validation rule(s) (refuseOnHighViolation)`,
    };
    return summary;
  }

  /**
   * Roll-ups of the units above the new values. Those of the block's periods are new rows,
   * copied; the others are added to the stored sums.
   */
  private async moveRollups(tx: DataValueRepo, session: Session | undefined): Promise<void> {
    let t = performance.now();
    const above = this.spreadAbove();
    if (above.sum.length >= 2 ** 24) throw new Error('too many roll-up sums for one import');
    this.time('roll-ups: sums', t);
    if (!session || this.bulkPeriods.size === 0) return tx.finish(above);
    const rest = emptyDeltas();
    // In the order of the roll-up table's key (unit first), so that each index is written
    // from one end to the other rather than all over: several times faster.
    const order = new Float64Array(above.sum.length);
    for (let i = 0; i < order.length; i++) order[i] = above.ancestor_id[i]! * 2 ** 24 + i;
    order.sort();
    const rows = new BinaryRows();
    for (const key of order) {
      const i = key % 2 ** 24;
      if (!this.bulkPeriods.has(above.period_id[i]!)) {
        for (const k of Object.keys(rest) as (keyof RollupDeltas)[]) rest[k].push(above[k][i]!);
        continue;
      }
      rows.reserve(2 + 6 * 8 + 12);
      rows.row(7);
      rows.int4(above.ancestor_id[i]!);
      rows.int4(above.element_id[i]!);
      rows.int4(above.period_id[i]!);
      rows.int4(above.option_id[i]!);
      rows.int4(above.attribute_id[i]!);
      rows.float8(above.sum[i]!);
      rows.int4(above.n[i]!);
    }
    const copy = session.copyIn('data_value_rollup', [
      'ancestor_id',
      'element_id',
      'period_id',
      'option_id',
      'attribute_id',
      'sum',
      'n',
    ]);
    t = performance.now();
    for (const chunk of rows.take()) await copy.write(chunk);
    await copy.end();
    this.time('roll-ups: copy', t);
    await tx.finish(rest);
  }
}
