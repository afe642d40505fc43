import { randomInt } from 'node:crypto';
import { AppError, type Message } from './errors.ts';
import { itemsOf, parseExpression, type ItemRef } from './expression.ts';
import {
  MAX_SOURCE_CODE,
  placeUnits,
  UID_PATTERN,
  type TreeUnit,
  type UnitPlacement,
} from './hierarchy.ts';
import { Code, VALUE_TYPES } from './metadata.ts';
import { periodTypeFromDhis2 } from './period.ts';
import { textProblem } from './text-hygiene.ts';
import { textOf } from './text.ts';

/**
 * DHIS2's metadata import (`POST /api/metadata` with a DHIS2 export: organisation units,
 * category options, categories and combos, data elements, indicator types and indicators,
 * data sets with their elements and unit assignments, unit groups), read, checked and turned
 * into what Opsroom stores — pure: the caller loads what exists, and writes the plan.
 *
 * As in DHIS2 (dhis2-core's metadata import, read for its behaviour): objects are matched by
 * uid (`id`), references may point to objects anywhere in the file (in any order) or stored;
 * `importStrategy` CREATE_AND_UPDATE (default), CREATE or UPDATE; `atomicMode` ALL (default:
 * one error and nothing is written) or NONE (the objects without errors are written); the
 * answer is DHIS2's importReport — stats and typeReports with objectReports and errorReports
 * carrying DHIS2's error codes (E4000 a required property missing, E5002 an unknown reference,
 * E5003 a code taken…). Opsroom's own choices are in docs/decisions.md.
 */

export type Strategy = 'CREATE_AND_UPDATE' | 'CREATE' | 'UPDATE';
export type AtomicMode = 'ALL' | 'NONE';
export type ReportMode = 'ERRORS' | 'FULL' | 'DEBUG';

export interface ImportParams {
  importStrategy: Strategy;
  atomicMode: AtomicMode;
  /** `importMode=VALIDATE` or `dryRun=true`: checked and counted, nothing written. */
  validateOnly: boolean;
  importReportMode: ReportMode;
}

/** The import's parameters from a request's query, DHIS2's defaults for the absent ones. */
export function importParams(q: Record<string, string | undefined>): ImportParams {
  const pick = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const v = q[name];
    if (v === undefined || v === '') return fallback;
    const up = v.toUpperCase() as T;
    if (allowed.includes(up)) return up;
    throw new AppError(
      'validation_failed',
      {
        vi: `Tham số ${name}=${v} không hợp lệ: dùng ${allowed.join(', ')}`,
        en: `Invalid ${name}=${v}: use ${allowed.join(', ')}`,
      },
      { parameter: name, allowed },
    );
  };
  const strategy = pick(
    'importStrategy',
    ['CREATE_AND_UPDATE', 'CREATE', 'UPDATE', 'NEW_AND_UPDATES', 'NEW', 'UPDATES', 'DELETE'],
    'CREATE_AND_UPDATE',
  );
  if (strategy === 'DELETE') {
    throw new AppError(
      'validation_failed',
      {
        vi: 'importStrategy=DELETE chưa được hỗ trợ: Opsroom không xoá siêu dữ liệu qua tệp nhập',
        en: 'importStrategy=DELETE is not supported: Opsroom does not delete metadata through an import',
      },
      { parameter: 'importStrategy' },
    );
  }
  const legacy: Record<string, Strategy> = {
    NEW_AND_UPDATES: 'CREATE_AND_UPDATE',
    NEW: 'CREATE',
    UPDATES: 'UPDATE',
  };
  const mode = pick('importMode', ['COMMIT', 'VALIDATE'], 'COMMIT');
  const dryRun = pick('dryRun', ['TRUE', 'FALSE'], 'FALSE');
  return {
    importStrategy: legacy[strategy] ?? (strategy as Strategy),
    atomicMode: pick('atomicMode', ['ALL', 'NONE'], 'ALL'),
    validateOnly: mode === 'VALIDATE' || dryRun === 'TRUE',
    importReportMode: pick('importReportMode', ['ERRORS', 'FULL', 'DEBUG'], 'ERRORS'),
  };
}

// ---------------------------------------------------------------------------------------------
// Types DHIS2 exports, and which of them Opsroom holds.

export const DHIS2_TYPES = {
  categoryOptions: { klass: 'org.hisp.dhis.category.CategoryOption', simple: 'CategoryOption' },
  categories: { klass: 'org.hisp.dhis.category.Category', simple: 'Category' },
  categoryCombos: { klass: 'org.hisp.dhis.category.CategoryCombo', simple: 'CategoryCombo' },
  categoryOptionCombos: {
    klass: 'org.hisp.dhis.category.CategoryOptionCombo',
    simple: 'CategoryOptionCombo',
  },
  indicatorTypes: { klass: 'org.hisp.dhis.indicator.IndicatorType', simple: 'IndicatorType' },
  dataElements: { klass: 'org.hisp.dhis.dataelement.DataElement', simple: 'DataElement' },
  organisationUnits: {
    klass: 'org.hisp.dhis.organisationunit.OrganisationUnit',
    simple: 'OrganisationUnit',
  },
  organisationUnitGroups: {
    klass: 'org.hisp.dhis.organisationunit.OrganisationUnitGroup',
    simple: 'OrganisationUnitGroup',
  },
  dataSets: { klass: 'org.hisp.dhis.dataset.DataSet', simple: 'DataSet' },
  indicators: { klass: 'org.hisp.dhis.indicator.Indicator', simple: 'Indicator' },
} as const;
export type Dhis2Type = keyof typeof DHIS2_TYPES;
/** The order objects are checked and written in: what is referred to comes first. */
export const TYPE_ORDER = Object.keys(DHIS2_TYPES) as Dhis2Type[];

/** Keys of a DHIS2 export that describe the export itself, not objects. */
const EXPORT_HEADER = new Set(['system', 'date', 'package']);

/** Keys only DHIS2's format has (Opsroom's own: breakdowns, attributeOptions, targets, unitGroups). */
const DHIS2_ONLY = new Set<string>([
  'organisationUnits',
  'organisationUnitGroups',
  'organisationUnitGroupSets',
  'organisationUnitLevels',
  'categoryOptions',
  'categories',
  'categoryCombos',
  'categoryOptionCombos',
  'indicatorTypes',
  'optionSets',
  'options',
  'system',
]);

/**
 * Whether a metadata document is in DHIS2's shape rather than Opsroom's own: a key only DHIS2
 * has, or items of the shared keys (dataElements, indicators, dataSets) written as DHIS2 writes
 * them (`name`, `valueType: "INTEGER"`, `numerator`, `dataSetElements`, `periodType: "Monthly"`).
 */
export function isDhis2Metadata(body: unknown): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const doc = body as Record<string, unknown>;
  if (Object.keys(doc).some((k) => DHIS2_ONLY.has(k))) return true;
  const items = (k: string) => (Array.isArray(doc[k]) ? (doc[k] as unknown[]) : []);
  const looks = (k: string, test: (o: Record<string, unknown>) => boolean) =>
    items(k).some((o) => o !== null && typeof o === 'object' && test(o as Record<string, unknown>));
  return (
    looks(
      'dataElements',
      (o) =>
        'aggregationType' in o ||
        'domainType' in o ||
        'categoryCombo' in o ||
        (typeof o.valueType === 'string' && o.valueType === o.valueType.toUpperCase()) ||
        ('name' in o && !('nameVi' in o)),
    ) ||
    looks('indicators', (o) => 'numerator' in o || 'indicatorType' in o) ||
    looks(
      'dataSets',
      (o) =>
        'dataSetElements' in o ||
        'organisationUnits' in o ||
        (typeof o.periodType === 'string' && /^[A-Z]/.test(o.periodType)),
    )
  );
}

// ---------------------------------------------------------------------------------------------
// What the caller loads from the database.

export interface KnownObject {
  id: number;
  uid: string | null;
  code: string | null;
  name: string;
}
export interface KnownCategory extends KnownObject {
  dimensionType: 'DISAGGREGATION' | 'ATTRIBUTE';
  /** Uids of its options, in order. */
  options: string[];
}
export interface KnownComboOption extends KnownObject {
  /** Uids of the category options it is made of. */
  parts: string[];
}
export interface KnownCombo extends KnownObject {
  dimensionType: 'DISAGGREGATION' | 'ATTRIBUTE';
  /** Uids of its categories, in order. */
  categories: string[];
  /** Breakdown options (or attribute options of an attribute combo). */
  options: KnownComboOption[];
}
export interface KnownIndicatorType extends KnownObject {
  factor: number;
  number: boolean;
}
export interface KnownUnit {
  id: number;
  /** Opsroom's key: the official code, or an added unit's uid. */
  code: string;
  uid: string | null;
  sourceCode: string | null;
  origin: 'official' | 'added';
  parent: string | null;
  level: number;
  path: string;
  name: string;
}

export interface Known {
  /** The tree the units go into. */
  version: string;
  units: KnownUnit[];
  categoryOptions: KnownObject[];
  categories: KnownCategory[];
  combos: KnownCombo[];
  /** Attribute options not tied to a combo (Opsroom's own, and the default). */
  attributeOptions: KnownObject[];
  indicatorTypes: KnownIndicatorType[];
  elements: KnownObject[];
  indicators: KnownObject[];
  dataSets: KnownObject[];
  /** Codes of the version's unit groups. */
  groups: KnownObject[];
}

// ---------------------------------------------------------------------------------------------
// The plan: what to write, and the report.

export type Action = 'create' | 'update';

export interface Named {
  action: Action;
  /** The stored row, when it exists. */
  id?: number;
  uid: string;
  /** DHIS2's code as given. */
  code: string | null;
  /** The code Opsroom keys the row by: DHIS2's code when it is one Opsroom takes, else the uid. */
  key: string;
  name: string;
  shortName: string;
}
export interface PlannedComboOption {
  /** The stored row, when it exists. */
  id?: number;
  uid: string;
  key: string;
  name: string;
  /** Uids of its category options. */
  parts: string[];
}
export interface Plan {
  categoryOptions: Named[];
  categories: (Named & { dimensionType: 'DISAGGREGATION' | 'ATTRIBUTE'; options: string[] })[];
  combos: (Named & {
    dimensionType: 'DISAGGREGATION' | 'ATTRIBUTE';
    categories: string[];
    options: PlannedComboOption[];
  })[];
  indicatorTypes: (Named & { factor: number; number: boolean })[];
  dataElements: (Named & {
    valueType: string;
    aggTime: string;
    aggUnits: string;
    min: number | null;
    max: number | null;
    zeroSignificant: boolean;
    description: string | null;
    /** Uid of its combo (the default combo's when none). */
    combo: string;
  })[];
  /** Added units to write, placed: key (uid), level, path. Official units are never written. */
  organisationUnits: (Named & {
    parent: string | null;
    level: number;
    path: string;
    openingDate: string | null;
    closedDate: string | null;
  })[];
  organisationUnitGroups: (Named & { members: string[]; owner: string })[];
  dataSets: (Named & {
    periodType: string;
    elements: string[];
    /** Unit keys. */
    units: string[];
    level: number;
    dueDays: number;
    expiryDays: number;
  })[];
  indicators: (Named & {
    numerator: string;
    denominator: string;
    indicatorType: string;
    formula: string;
    decimals: number;
    unit: string | null;
    description: string | null;
  })[];
}

export interface ErrorReport {
  message: string;
  mainKlass: string;
  mainId?: string;
  errorCode: string;
  errorProperty?: string;
  errorProperties: string[];
  args: string[];
  value?: string;
}
export interface ObjectReport {
  klass: string;
  index: number;
  uid?: string;
  displayName?: string;
  errorReports: ErrorReport[];
}
export interface Stats {
  created: number;
  updated: number;
  deleted: number;
  ignored: number;
  total: number;
}
export interface TypeReport {
  klass: string;
  stats: Stats;
  objectReports: ObjectReport[];
}
export interface ImportReport {
  responseType: 'ImportReport';
  status: 'OK' | 'WARNING' | 'ERROR';
  stats: Stats;
  typeReports: TypeReport[];
}

/** One object's outcome while planning. */
interface Outcome {
  type: Dhis2Type;
  index: number;
  uid?: string;
  name?: string;
  action: Action | 'ignore';
  errors: LocalizedError[];
}
interface LocalizedError {
  code: string;
  vi: string;
  en: string;
  property?: string;
  args: string[];
  value?: string;
}

export interface PlanResult {
  plan: Plan;
  outcomes: Outcome[];
  /** Keys of the export Opsroom does not hold, with how many objects each had. */
  ignoredTypes: Record<string, number>;
}

// ---------------------------------------------------------------------------------------------
// DHIS2's error messages (ErrorCode.java), in English and Vietnamese.

const E = {
  E3000: (user: string, type: string) => ({
    en: `User \`${user}\` is not allowed to create objects of type ${type}.`,
    vi: `Người dùng \`${user}\` không được tạo đối tượng loại ${type}.`,
  }),
  E3001: (user: string, obj: string) => ({
    en: `User \`${user}\` is not allowed to update object \`${obj}\`.`,
    vi: `Người dùng \`${user}\` không được sửa đối tượng \`${obj}\`.`,
  }),
  E4000: (p: string) => ({
    en: `Missing required property \`${p}\`.`,
    vi: `Thiếu thuộc tính bắt buộc \`${p}\`.`,
  }),
  E4001: (p: string, max: number, len: number) => ({
    en: `Maximum length of property \`${p}\`is ${max}, but given length was ${len}.`,
    vi: `Thuộc tính \`${p}\` dài tối đa ${max} ký tự, nhưng giá trị gửi lên dài ${len}.`,
  }),
  E4008: (p: string, min: number, max: number, given: string) => ({
    en: `Allowed range for numeric property \`${p}\` is [${min} to ${max}], but number given was ${given}.`,
    vi: `Thuộc tính số \`${p}\` phải trong khoảng [${min} đến ${max}], nhưng giá trị gửi lên là ${given}.`,
  }),
  E4013: (closed: string, opening: string) => ({
    en: `Invalid Closing date \`${closed}\`, must be after Opening date \`${opening}\``,
    vi: `Ngày đóng \`${closed}\` không hợp lệ: phải sau ngày mở \`${opening}\``,
  }),
  E4014: (uid: string, p: string) => ({
    en: `Invalid UID \`${uid}\` for property \`${p}\``,
    vi: `UID \`${uid}\` của thuộc tính \`${p}\` không hợp lệ (một chữ cái rồi 10 chữ cái hoặc chữ số)`,
  }),
  E4015: (p: string, what: string) => ({
    en: `Property \`${p}\` refers to an object that does not exist, could not find \`${what}\``,
    vi: `Thuộc tính \`${p}\` trỏ tới đối tượng không có: không tìm thấy \`${what}\``,
  }),
  E4027: (value: string, p: string, why: Message) => ({
    en: `Value \`${value}\` is not a valid for property \`${p}\`: ${why.en}`,
    vi: `Giá trị \`${value}\` không hợp lệ cho thuộc tính \`${p}\`: ${why.vi}`,
  }),
  E5000: (id: string, obj: string) => ({
    en: `Found matching object for reference, but import mode is CREATE. Identifier was ${id}, and object was ${obj}.`,
    vi: `Đối tượng đã có mà chế độ nhập là CREATE (chỉ tạo mới). Định danh ${id}, đối tượng ${obj}.`,
  }),
  E5001: (id: string, obj: string) => ({
    en: `No matching object for reference. Identifier was ${id}, and object was ${obj}.`,
    vi: `Không có đối tượng để cập nhật (chế độ UPDATE). Định danh ${id}, đối tượng ${obj}.`,
  }),
  E5002: (ref: string, obj: string, assoc: string) => ({
    en: `Invalid reference ${ref} on object ${obj} for association \`${assoc}\`.`,
    vi: `Tham chiếu ${ref} của ${obj} (liên kết \`${assoc}\`) trỏ tới đối tượng không có.`,
  }),
  E5003: (p: string, value: string, obj: string, other: string) => ({
    en: `Property \`${p}\` with value \`${value}\` on object ${obj} already exists on object ${other}.`,
    vi: `Thuộc tính \`${p}\` = \`${value}\` của ${obj} đã thuộc về đối tượng ${other}.`,
  }),
  E5004: (id: string, type: string) => ({
    en: `Id \`${id}\` for type \`${type}\` exists on more than 1 object in the payload, removing all but the first found.`,
    vi: `Id \`${id}\` (loại \`${type}\`) xuất hiện nhiều lần trong tệp; chỉ lần đầu được tính.`,
  }),
  E5005: (p: string, objs: string) => ({
    en: `Properties \`${p}\` in objects \`${objs}\` must be unique within the payload`,
    vi: `Thuộc tính \`${p}\` của các đối tượng \`${objs}\` phải khác nhau trong tệp`,
  }),
};

// ---------------------------------------------------------------------------------------------
// Mappings from DHIS2's vocabulary to Opsroom's.

const TRUE_ONLY_HELD = (VALUE_TYPES as readonly string[]).includes('true_only');

/** DHIS2 value type → Opsroom's type, with the bounds DHIS2's name implies. */
export function valueTypeFromDhis2(
  t: string,
): { valueType: string; min: number | null; max: number | null } | undefined {
  const simple = (valueType: string, min: number | null = null, max: number | null = null) => ({
    valueType,
    min,
    max,
  });
  switch (t) {
    case 'INTEGER':
      return simple('integer');
    case 'INTEGER_POSITIVE':
      return simple('integer', 1);
    case 'INTEGER_NEGATIVE':
      return simple('integer', null, -1);
    case 'INTEGER_ZERO_OR_POSITIVE':
      return simple('integer', 0);
    case 'NUMBER':
      return simple('number');
    case 'UNIT_INTERVAL':
      return simple('number', 0, 1);
    case 'PERCENTAGE':
      return simple('percentage');
    case 'BOOLEAN':
      return simple('boolean');
    case 'TRUE_ONLY':
      return simple(TRUE_ONLY_HELD ? 'true_only' : 'boolean');
    case 'DATE':
    case 'AGE':
      return simple('date');
    case 'TEXT':
    case 'LONG_TEXT':
    case 'LETTER':
    case 'PHONE_NUMBER':
    case 'EMAIL':
    case 'USERNAME':
    case 'URL':
    case 'DATETIME':
    case 'TIME':
      return simple('text');
    default:
      return undefined;
  }
}

/** DHIS2 aggregation type → Opsroom's rules over time and across units. */
export function aggregationFromDhis2(t: string): { aggTime: string; aggUnits: string } | undefined {
  switch (t) {
    case 'SUM':
    case 'DEFAULT':
      return { aggTime: 'sum', aggUnits: 'sum' };
    case 'AVERAGE':
      return { aggTime: 'average', aggUnits: 'average' };
    case 'AVERAGE_SUM_ORG_UNIT':
      return { aggTime: 'average', aggUnits: 'sum' };
    case 'LAST':
    case 'LAST_SUM_ORG_UNIT':
      return { aggTime: 'last', aggUnits: 'sum' };
    case 'LAST_AVERAGE_ORG_UNIT':
      return { aggTime: 'last', aggUnits: 'average' };
    case 'NONE':
      return { aggTime: 'sum', aggUnits: 'none' };
    default:
      return undefined;
  }
}

/** The uids DHIS2 gives its default category option, category, combo and option combo. */
export const DHIS2_DEFAULTS = {
  categoryOption: 'xYerKDKCefk',
  category: 'GLevLNI9wkl',
  combo: 'bjDvmb4bfuf',
  optionCombo: 'HllvX50cXC0',
} as const;

const UID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** A new DHIS2 uid: a letter, then 10 letters or digits. */
export function randomUid(): string {
  let s = UID_CHARS[randomInt(52)]!;
  for (let i = 0; i < 10; i++) s += UID_CHARS[randomInt(62)]!;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Planning.

type Obj = Record<string, unknown>;
interface Ref {
  id?: string;
  code?: string;
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
const refOf = (v: unknown): Ref | undefined => {
  if (typeof v === 'string') return { id: v };
  if (v === null || typeof v !== 'object') return undefined;
  const o = v as Obj;
  const r: Ref = {};
  if (str(o.id)) r.id = str(o.id);
  if (str(o.code)) r.code = str(o.code);
  return r.id || r.code ? r : undefined;
};
const refsOf = (v: unknown): Ref[] | undefined =>
  Array.isArray(v) ? v.map(refOf).filter((r): r is Ref => r !== undefined) : undefined;
const refText = (r: Ref) => `[${r.id ?? r.code}]`;
const isCode = (s: string) => Code.safeParse(s).success;

/** A table of objects by uid and by code: those in the file first, then the stored ones. */
class Index<T> {
  private byUid = new Map<string, T>();
  private byCode = new Map<string, T>();
  add(uid: string | null | undefined, code: string | null | undefined, v: T) {
    if (uid && !this.byUid.has(uid)) this.byUid.set(uid, v);
    if (code && !this.byCode.has(code)) this.byCode.set(code, v);
  }
  find(r: Ref | string | undefined): T | undefined {
    if (r === undefined) return undefined;
    if (typeof r === 'string') return this.byUid.get(r) ?? this.byCode.get(r);
    return (
      (r.id !== undefined ? (this.byUid.get(r.id) ?? this.byCode.get(r.id)) : undefined) ??
      (r.code !== undefined ? this.byCode.get(r.code) : undefined)
    );
  }
}

export interface PlanOptions {
  params: ImportParams;
  /** The caller's name, for E3000/E3001. */
  user: string;
  /** Whether the caller may add or change a unit at this path (parent's scope), and metadata. */
  mayPlaceUnit: (path: string) => boolean;
  mayWriteMetadata: boolean;
  /** Objects left out (atomicMode NONE: those that failed an earlier round), as "type:index". */
  skip?: ReadonlySet<string>;
  newUid?: () => string;
}

/**
 * Checks a DHIS2 metadata document against itself and what is stored, and plans its writes.
 * Every object gets an outcome (create, update, or ignore with its errors).
 */
export function planDhis2Import(doc: Obj, known: Known, opts: PlanOptions): PlanResult {
  const newUid = opts.newUid ?? randomUid;
  const strategy = opts.params.importStrategy;
  const outcomes: Outcome[] = [];
  const plan: Plan = {
    categoryOptions: [],
    categories: [],
    combos: [],
    indicatorTypes: [],
    dataElements: [],
    organisationUnits: [],
    organisationUnitGroups: [],
    dataSets: [],
    indicators: [],
  };
  const ignoredTypes: Record<string, number> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k in DHIS2_TYPES || EXPORT_HEADER.has(k)) continue;
    ignoredTypes[k] = Array.isArray(v) ? v.length : 1;
  }
  const listOf = (type: Dhis2Type): Obj[] => {
    const v = doc[type];
    return Array.isArray(v) ? (v as Obj[]) : [];
  };
  const skipped = (type: Dhis2Type, i: number) => opts.skip?.has(`${type}:${i}`) ?? false;

  // ---- The file's objects, indexed for references: by id and by code, before the stored.
  type Entry = { type: Dhis2Type; index: number; obj: Obj; uid: string; code: string | null };
  const entries = new Map<Dhis2Type, Entry[]>();
  const fileIndex = new Map<Dhis2Type, Index<Entry>>();
  for (const type of TYPE_ORDER) {
    const idx = new Index<Entry>();
    const list: Entry[] = [];
    listOf(type).forEach((obj, index) => {
      if (skipped(type, index)) return;
      const o = obj !== null && typeof obj === 'object' && !Array.isArray(obj) ? obj : {};
      const e: Entry = {
        type,
        index,
        obj: o,
        uid: str(o.id) ?? '',
        code: str(o.code) ?? null,
      };
      list.push(e);
      idx.add(e.uid || null, e.code, e);
    });
    entries.set(type, list);
    fileIndex.set(type, idx);
  }

  const outcome = (e: Entry): Outcome => {
    const o: Outcome = {
      type: e.type,
      index: e.index,
      uid: e.uid || undefined,
      name: str(e.obj.name),
      action: 'ignore',
      errors: [],
    };
    outcomes.push(o);
    return o;
  };
  const err = (
    o: Outcome,
    code: keyof typeof E,
    m: Message,
    extra: { property?: string; args?: string[]; value?: string } = {},
  ) =>
    o.errors.push({
      code,
      ...m,
      property: extra.property,
      args: extra.args ?? [],
      value: extra.value,
    });
  const describe = (type: Dhis2Type, e: Entry) =>
    `${str(e.obj.name) ? `${str(e.obj.name)} ` : ''}[${e.uid}] (${DHIS2_TYPES[type].simple})`;

  /**
   * What every object has: a valid uid (one is made when absent), a name, lengths within
   * DHIS2's limits, clean text; matched to a stored object by uid (or by code when it has no
   * uid of its own, or the file gives none), checked against the strategy and unique codes.
   */
  const common = <K extends KnownObject>(
    type: Dhis2Type,
    e: Entry,
    o: Outcome,
    stored: K[],
    required: string[] = ['name'],
  ): { match?: K; name: string; shortName: string; key: string } => {
    const idGiven = str(e.obj.id);
    // Official units have no uid: DHIS2's readers give their code as their id.
    const byUid = idGiven
      ? stored.find(
          (s) =>
            s.uid === idGiven ||
            (type === 'organisationUnits' && s.uid === null && s.code === idGiven),
        )
      : undefined;
    if (idGiven !== undefined && !UID_PATTERN.test(idGiven) && byUid === undefined) {
      err(o, 'E4014', E.E4014(idGiven, 'id'), { property: 'id', args: [idGiven, 'id'] });
    }
    for (const p of required) {
      const v = e.obj[p];
      if (v === undefined || v === null || (typeof v === 'string' && v.trim() === ''))
        err(o, 'E4000', E.E4000(p), { property: p, args: [p] });
    }
    const limits: [string, number][] = [
      ['name', 230],
      ['shortName', 50],
      ['code', MAX_SOURCE_CODE],
    ];
    for (const [p, max] of limits) {
      const v = e.obj[p];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string') {
        err(
          o,
          'E4027',
          E.E4027(textOf(v), p, { vi: 'phải là một chuỗi', en: 'must be a string' }),
          { property: p, args: [textOf(v), p] },
        );
        continue;
      }
      if (v.length > max)
        err(o, 'E4001', E.E4001(p, max, v.length), {
          property: p,
          args: [p, String(max), String(v.length)],
        });
      const bad = textProblem(v);
      if (bad) err(o, 'E4027', E.E4027(v, p, bad), { property: p, args: [v, p] });
    }
    const name = str(e.obj.name) ?? '';
    const shortName = str(e.obj.shortName) ?? name.slice(0, 50);
    // Matching: by uid, else by code (a stored object without a uid is linked to the file's).
    const byCode = e.code ? stored.find((s) => s.code === e.code) : undefined;
    let match: K | undefined = byUid;
    if (!match && byCode && (byCode.uid === null || !idGiven)) match = byCode;
    if (byCode && match !== byCode) {
      err(
        o,
        'E5003',
        E.E5003('code', e.code!, describe(type, e), `[${byCode.uid ?? byCode.code}]`),
        { property: 'code', args: ['code', e.code!], value: e.code! },
      );
    }
    if (!e.uid) e.uid = match?.uid ?? newUid();
    o.uid = e.uid;
    if (match && strategy === 'CREATE')
      err(o, 'E5000', E.E5000('UID', describe(type, e)), { args: ['UID', e.uid] });
    if (!match && strategy === 'UPDATE')
      err(o, 'E5001', E.E5001('UID', describe(type, e)), { args: ['UID', e.uid] });
    // The code Opsroom keys the row by, unique among the stored rows of its kind.
    const key =
      match?.code && match.uid === null ? match.code : e.code && isCode(e.code) ? e.code : e.uid;
    const taken = stored.find((s) => s !== match && s.code === key);
    if (taken && !(byCode && match !== byCode)) {
      err(o, 'E5003', E.E5003('code', key, describe(type, e), `[${taken.uid ?? taken.code}]`), {
        property: 'code',
        args: ['code', key],
        value: key,
      });
    }
    if (!opts.mayWriteMetadata && type !== 'organisationUnits' && type !== 'organisationUnitGroups')
      err(
        o,
        match ? 'E3001' : 'E3000',
        match ? E.E3001(opts.user, e.uid) : E.E3000(opts.user, DHIS2_TYPES[type].simple),
        { args: [opts.user] },
      );
    o.action = match ? 'update' : 'create';
    return { match, name, shortName, key };
  };

  /** Duplicate ids and codes within the file (E5004, E5005). */
  const duplicates = (type: Dhis2Type, list: Entry[], outs: Outcome[]) => {
    const ids = new Map<string, number>();
    const codes = new Map<string, number>();
    list.forEach((e, i) => {
      if (e.uid) {
        if (ids.has(e.uid))
          err(outs[i]!, 'E5004', E.E5004(e.uid, DHIS2_TYPES[type].simple), {
            args: [e.uid, DHIS2_TYPES[type].simple],
          });
        else ids.set(e.uid, i);
      }
      if (e.code) {
        const first = codes.get(e.code);
        if (first !== undefined)
          err(outs[i]!, 'E5005', E.E5005('code', `${list[first]!.uid}, ${e.uid}`), {
            property: 'code',
            args: ['code', e.code],
          });
        else codes.set(e.code, i);
      }
    });
  };

  /** Runs `each` over a type's objects, with their outcomes; duplicates checked first. */
  const forType = (type: Dhis2Type, each: (e: Entry, o: Outcome) => void) => {
    const list = entries.get(type)!;
    const outs = list.map(outcome);
    list.forEach((e, i) => each(e, outs[i]!));
    duplicates(type, list, outs);
  };
  const ok = (o: Outcome) => o.errors.length === 0;

  // Stored objects, indexed like the file's.
  const storedIndex = <K extends KnownObject>(rows: K[]) => {
    const idx = new Index<K>();
    for (const r of rows) idx.add(r.uid, r.code, r);
    return idx;
  };
  const isDefault = (e: Entry, uid: string) => e.uid === uid || str(e.obj.name) === 'default';

  // ---- Category options.
  const optionIdx = storedIndex(known.categoryOptions);
  const optionNames = new Map<string, string>();
  for (const k of known.categoryOptions) if (k.uid) optionNames.set(k.uid, k.name);
  forType('categoryOptions', (e, o) => {
    if (isDefault(e, DHIS2_DEFAULTS.categoryOption)) {
      e.uid = DHIS2_DEFAULTS.categoryOption;
      o.uid = e.uid;
      o.action = 'update';
      return;
    }
    const c = common('categoryOptions', e, o, known.categoryOptions);
    optionNames.set(e.uid, c.name);
    if (ok(o))
      plan.categoryOptions.push({
        action: o.action as Action,
        id: c.match?.id,
        uid: e.uid,
        code: e.code,
        key: e.code ?? e.uid,
        name: c.name,
        shortName: c.shortName,
      });
  });
  const optionUid = (r: Ref): string | undefined =>
    fileIndex.get('categoryOptions')!.find(r)?.uid ?? optionIdx.find(r)?.uid ?? undefined;

  // ---- Categories.
  const categoryIdx = storedIndex(known.categories);
  const categoryOptions = new Map<string, { dim: string; options: string[] }>();
  for (const k of known.categories)
    if (k.uid) categoryOptions.set(k.uid, { dim: k.dimensionType, options: k.options });
  forType('categories', (e, o) => {
    if (isDefault(e, DHIS2_DEFAULTS.category)) {
      e.uid = DHIS2_DEFAULTS.category;
      o.uid = e.uid;
      o.action = 'update';
      return;
    }
    const c = common('categories', e, o, known.categories);
    const dim = dimensionOf(e.obj, o, err);
    const refs = refsOf(e.obj.categoryOptions) ?? [];
    if (refs.length === 0)
      err(o, 'E4000', E.E4000('categoryOptions'), {
        property: 'categoryOptions',
        args: ['categoryOptions'],
      });
    const options: string[] = [];
    for (const r of refs) {
      const uid = optionUid(r);
      if (!uid)
        err(
          o,
          'E5002',
          E.E5002(`${refText(r)} (CategoryOption)`, describe('categories', e), 'categoryOptions'),
          { property: 'categoryOptions', args: [refText(r)], value: r.id ?? r.code },
        );
      else options.push(uid);
    }
    categoryOptions.set(e.uid, { dim, options });
    if (ok(o))
      plan.categories.push({
        action: o.action as Action,
        id: c.match?.id,
        uid: e.uid,
        code: e.code,
        key: e.code ?? e.uid,
        name: c.name,
        shortName: c.shortName,
        dimensionType: dim,
        options,
      });
  });
  const categoryUid = (r: Ref): string | undefined =>
    fileIndex.get('categories')!.find(r)?.uid ?? categoryIdx.find(r)?.uid ?? undefined;

  // ---- Category combos and their option combos (generated where the file has none).
  const comboIdx = storedIndex(known.combos);
  const fileCocs = entries.get('categoryOptionCombos')!;
  const cocOutcomes = new Map<Entry, Outcome>();
  const comboOf = new Map<string, { dim: string; options: PlannedComboOption[] }>();
  for (const k of known.combos)
    if (k.uid)
      comboOf.set(k.uid, {
        dim: k.dimensionType,
        options: k.options.map((x) => ({
          id: x.id,
          uid: x.uid ?? '',
          key: x.code ?? '',
          name: x.name,
          parts: x.parts,
        })),
      });
  const comboUid = (r: Ref): string | undefined =>
    fileIndex.get('categoryCombos')!.find(r)?.uid ?? comboIdx.find(r)?.uid ?? undefined;
  const comboOutcomes = new Map<string, Outcome>();
  forType('categoryCombos', (e, o) => {
    if (isDefault(e, DHIS2_DEFAULTS.combo)) {
      e.uid = DHIS2_DEFAULTS.combo;
      o.uid = e.uid;
      o.action = 'update';
      return;
    }
    const c = common('categoryCombos', e, o, known.combos);
    const dim = dimensionOf(e.obj, o, err);
    const refs = refsOf(e.obj.categories) ?? [];
    if (refs.length === 0)
      err(o, 'E4000', E.E4000('categories'), { property: 'categories', args: ['categories'] });
    const cats: string[] = [];
    for (const r of refs) {
      const uid = categoryUid(r);
      if (!uid) {
        err(
          o,
          'E5002',
          E.E5002(`${refText(r)} (Category)`, describe('categoryCombos', e), 'categories'),
          { property: 'categories', args: [refText(r)], value: r.id ?? r.code },
        );
        continue;
      }
      if (categoryOptions.get(uid)?.dim !== dim)
        err(
          o,
          'E4027',
          E.E4027(uid, 'categories', {
            vi: `danh mục này không thuộc loại ${dim} như tổ hợp`,
            en: `the category is not of the combo's dimension type ${dim}`,
          }),
          { property: 'categories', args: [uid, 'categories'] },
        );
      cats.push(uid);
    }
    // Every combination of the categories' options, in DHIS2's order (the first category varies slowest).
    let tuples: string[][] = [[]];
    for (const cat of cats) {
      const opts2 = categoryOptions.get(cat)?.options ?? [];
      tuples = tuples.flatMap((t) => opts2.map((x) => [...t, x]));
    }
    const stored = c.match ? (comboOf.get(c.match.uid ?? '')?.options ?? []) : [];
    const setKey = (parts: string[]) => [...parts].sort().join(',');
    const mine = fileCocs.filter((x) => {
      const r = refOf(x.obj.categoryCombo);
      return (
        r !== undefined &&
        (r.id === e.uid || (e.code !== null && r.code === e.code) || r.id === str(e.obj.id))
      );
    });
    const fromFile = new Map<string, Entry>();
    for (const x of mine) {
      const parts = (refsOf(x.obj.categoryOptions) ?? []).map(
        (r) => optionUid(r) ?? `?${r.id ?? r.code}`,
      );
      fromFile.set(setKey(parts), x);
    }
    const options: PlannedComboOption[] = tuples.map((t) => {
      const k = setKey(t);
      const file = fromFile.get(k);
      const old = stored.find((s) => setKey(s.parts) === k);
      const name = t.map((u) => optionNames.get(u) ?? u).join(', ');
      if (file) {
        fromFile.delete(k);
        const uid = str(file.obj.id) ?? old?.uid ?? newUid();
        const code = str(file.obj.code);
        return {
          id: old?.id,
          uid,
          key: old?.key || (code && isCode(code) ? code : uid),
          name: str(file.obj.name) ?? name,
          parts: t,
        };
      }
      if (old) return { ...old, name: old.name || name };
      const uid = newUid();
      return { uid, key: uid, name, parts: t };
    });
    // Option combos of the file that are no combination of this combo's categories.
    for (const x of fromFile.values()) {
      const xo = outcome(x);
      cocOutcomes.set(x, xo);
      err(
        xo,
        'E4027',
        E.E4027(x.uid, 'categoryOptions', {
          vi: `không phải một tổ hợp các phương án của ${e.uid}`,
          en: `not a combination of the options of ${e.uid}`,
        }),
        { property: 'categoryOptions', args: [x.uid, 'categoryOptions'] },
      );
    }
    comboOf.set(e.uid, { dim, options });
    comboOutcomes.set(e.uid, o);
    if (ok(o))
      plan.combos.push({
        action: o.action as Action,
        id: c.match?.id,
        uid: e.uid,
        code: e.code,
        key: c.key,
        name: c.name,
        shortName: c.shortName,
        dimensionType: dim,
        categories: cats,
        options,
      });
  });
  // The file's option combos: each must belong to a combo (of the file or stored).
  const cocIdx = new Index<{ uid: string; key: string }>();
  for (const [, combo] of comboOf) for (const x of combo.options) cocIdx.add(x.uid, x.key, x);
  for (const k of known.attributeOptions)
    if (k.uid) cocIdx.add(k.uid, k.code, { uid: k.uid, key: k.code ?? k.uid });
  for (const x of fileCocs) {
    if (cocOutcomes.has(x)) continue;
    const o = outcome(x);
    if (isDefault(x, DHIS2_DEFAULTS.optionCombo)) {
      o.uid = DHIS2_DEFAULTS.optionCombo;
      o.action = 'update';
      continue;
    }
    if (x.uid && !UID_PATTERN.test(x.uid))
      err(o, 'E4014', E.E4014(x.uid, 'id'), { property: 'id', args: [x.uid, 'id'] });
    const r = refOf(x.obj.categoryCombo);
    const cu = r && comboUid(r);
    if (!r)
      err(o, 'E4000', E.E4000('categoryCombo'), {
        property: 'categoryCombo',
        args: ['categoryCombo'],
      });
    else if (!cu)
      err(
        o,
        'E5002',
        E.E5002(
          `${refText(r)} (CategoryCombo)`,
          describe('categoryOptionCombos', x),
          'categoryCombo',
        ),
        { property: 'categoryCombo', args: [refText(r)], value: r.id ?? r.code },
      );
    else if (comboOutcomes.has(cu) && !ok(comboOutcomes.get(cu)!))
      // Written with its combo: a combo that fails takes its option combos along.
      err(
        o,
        'E5002',
        E.E5002(
          `${refText(r)} (CategoryCombo)`,
          describe('categoryOptionCombos', x),
          'categoryCombo',
        ),
        { property: 'categoryCombo', args: [refText(r)], value: r.id ?? r.code },
      );
    else if (!comboOf.get(cu)?.options.some((p) => p.uid === x.uid)) {
      // A combo only stored: the file's option combo must be one of its own.
      err(
        o,
        'E4027',
        E.E4027(x.uid, 'categoryCombo', {
          vi: `không phải một tổ hợp phương án của ${cu}`,
          en: `not an option combination of ${cu}`,
        }),
        { property: 'categoryCombo', args: [x.uid, 'categoryCombo'] },
      );
    }
    for (const ref of refsOf(x.obj.categoryOptions) ?? [])
      if (!optionUid(ref))
        err(
          o,
          'E5002',
          E.E5002(
            `${refText(ref)} (CategoryOption)`,
            describe('categoryOptionCombos', x),
            'categoryOptions',
          ),
          { property: 'categoryOptions', args: [refText(ref)], value: ref.id ?? ref.code },
        );
    if (!opts.mayWriteMetadata)
      err(o, 'E3000', E.E3000(opts.user, 'CategoryOptionCombo'), { args: [opts.user] });
    o.action = known.combos.some((c) => c.options.some((p) => p.uid === x.uid))
      ? 'update'
      : 'create';
  }

  // ---- Indicator types.
  const typeIdx = storedIndex(known.indicatorTypes);
  const factors = new Map<string, number>();
  for (const k of known.indicatorTypes) if (k.uid) factors.set(k.uid, k.factor);
  forType('indicatorTypes', (e, o) => {
    const c = common('indicatorTypes', e, o, known.indicatorTypes, ['name', 'factor']);
    const f = e.obj.factor;
    const factor = typeof f === 'number' ? f : typeof f === 'string' ? Number(f) : NaN;
    if (f !== undefined && (!Number.isInteger(factor) || factor === 0))
      err(
        o,
        'E4027',
        E.E4027(textOf(f), 'factor', {
          vi: 'phải là số nguyên khác 0',
          en: 'must be a whole number other than 0',
        }),
        { property: 'factor', args: [textOf(f), 'factor'] },
      );
    factors.set(e.uid, factor);
    if (ok(o))
      plan.indicatorTypes.push({
        action: o.action as Action,
        id: c.match?.id,
        uid: e.uid,
        code: e.code,
        key: e.code ?? e.uid,
        name: c.name,
        shortName: c.shortName,
        factor,
        number: e.obj.number === true,
      });
  });

  // ---- Data elements.
  const elementIdx = storedIndex(known.elements);
  forType('dataElements', (e, o) => {
    if (e.obj.domainType === 'TRACKER') {
      // Opsroom holds aggregate data only: a tracker element is left out, without an error.
      o.uid = e.uid || undefined;
      return;
    }
    const c = common('dataElements', e, o, known.elements, [
      'name',
      'shortName',
      'valueType',
      'aggregationType',
    ]);
    const vt = str(e.obj.valueType);
    const mapped = vt ? valueTypeFromDhis2(vt) : undefined;
    if (vt && !mapped)
      err(
        o,
        'E4027',
        E.E4027(vt, 'valueType', {
          vi: 'Opsroom chưa lưu kiểu giá trị này',
          en: 'Opsroom does not hold values of this type',
        }),
        { property: 'valueType', args: [vt, 'valueType'] },
      );
    const at = str(e.obj.aggregationType);
    const agg = at ? aggregationFromDhis2(at) : undefined;
    if (at && !agg)
      err(
        o,
        'E4027',
        E.E4027(at, 'aggregationType', {
          vi: 'Opsroom chưa có cách tổng hợp này',
          en: 'Opsroom does not aggregate this way yet',
        }),
        { property: 'aggregationType', args: [at, 'aggregationType'] },
      );
    const cr = refOf(e.obj.categoryCombo);
    let combo: string = DHIS2_DEFAULTS.combo;
    if (cr && cr.id !== DHIS2_DEFAULTS.combo) {
      const cu = comboUid(cr);
      if (!cu)
        err(
          o,
          'E5002',
          E.E5002(`${refText(cr)} (CategoryCombo)`, describe('dataElements', e), 'categoryCombo'),
          { property: 'categoryCombo', args: [refText(cr)], value: cr.id ?? cr.code },
        );
      else if (comboOf.get(cu)?.dim === 'ATTRIBUTE')
        err(
          o,
          'E4027',
          E.E4027(cu, 'categoryCombo', {
            vi: 'tổ hợp thuộc tính không dùng để phân tổ chỉ tiêu',
            en: 'an attribute combo cannot disaggregate a data element',
          }),
          { property: 'categoryCombo', args: [cu, 'categoryCombo'] },
        );
      else combo = cu;
    }
    if (ok(o) && mapped && agg)
      plan.dataElements.push({
        action: o.action as Action,
        id: c.match?.id,
        uid: e.uid,
        code: e.code,
        key: c.key,
        name: c.name,
        shortName: c.shortName,
        valueType: mapped.valueType,
        min: mapped.min,
        max: mapped.max,
        aggTime: agg.aggTime,
        aggUnits: agg.aggUnits,
        zeroSignificant: e.obj.zeroIsSignificant === true,
        description: str(e.obj.description) ?? null,
        combo,
      });
  });
  const elementUid = (r: Ref | string): string | undefined => {
    const f = fileIndex.get('dataElements')!.find(r);
    if (f && f.obj.domainType !== 'TRACKER') return f.uid;
    const k = elementIdx.find(r);
    return k ? (k.uid ?? k.code ?? undefined) : undefined;
  };

  // ---- Organisation units: placed in the tree (parents anywhere in the file, any depth).
  const unitsByCode = new Map(known.units.map((u) => [u.code, u]));
  const unitIdx = new Index<KnownUnit>();
  for (const u of known.units) {
    unitIdx.add(u.uid, u.code, u);
    if (u.sourceCode) unitIdx.add(null, u.sourceCode, u);
  }
  const unitOuts = new Map<Entry, Outcome>();
  const unitInfo = new Map<
    Entry,
    {
      match?: KnownUnit;
      name: string;
      shortName: string;
      /** A stored parent's key, or the parent's entry in the file (its key known at the end). */
      parent: string | Entry | null;
      opening: string | null;
      closed: string | null;
    }
  >();
  const visibleCode = (u: KnownUnit) => (u.origin === 'official' ? u.code : u.sourceCode);
  forType('organisationUnits', (e, o) => {
    unitOuts.set(e, o);
    const idGiven = str(e.obj.id);
    const byUid = idGiven ? unitIdx.find({ id: idGiven }) : undefined;
    const byCode = e.code ? unitIdx.find({ code: e.code }) : undefined;
    const candidates = [...new Set([byUid, byCode])].filter((u): u is KnownUnit => !!u);
    const c = common(
      'organisationUnits',
      e,
      o,
      candidates.map((u) => ({ id: u.id, uid: u.uid, code: visibleCode(u), name: u.name })),
      ['name', 'shortName', 'openingDate'],
    );
    const match = c.match && candidates.find((u) => u.id === c.match!.id);
    // An added unit's key is its uid; an official unit keeps its code.
    if (match) e.uid = match.origin === 'official' ? (match.uid ?? match.code) : match.code;
    o.uid = e.uid;
    const date = (p: string): string | null => {
      const v = str(e.obj[p]);
      if (v === undefined) return null;
      const d = /^(\d{4}-\d{2}-\d{2})/.exec(v)?.[1];
      if (!d || Number.isNaN(Date.parse(d))) {
        err(o, 'E4027', E.E4027(v, p, { vi: 'không phải một ngày', en: 'not a date' }), {
          property: p,
          args: [v, p],
        });
        return null;
      }
      return d;
    };
    const opening = date('openingDate');
    const closed = date('closedDate');
    if (opening && closed && closed < opening)
      err(o, 'E4013', E.E4013(closed, opening), {
        property: 'closedDate',
        args: [closed, opening],
      });
    const pr = refOf(e.obj.parent);
    let parent: string | Entry | null = null;
    if (pr) {
      const inFile = fileIndex.get('organisationUnits')!.find(pr);
      const stored = unitIdx.find(pr);
      if (inFile) parent = inFile;
      else if (stored) parent = stored.code;
      else
        err(
          o,
          'E5002',
          E.E5002(`${refText(pr)} (OrganisationUnit)`, describe('organisationUnits', e), 'parent'),
          { property: 'parent', args: [refText(pr)], value: pr.id ?? pr.code },
        );
    }
    unitInfo.set(e, { match, name: c.name, shortName: c.shortName, parent, opening, closed });
  });
  const keyOfEntry = (e: Entry) => unitInfo.get(e)?.match?.code ?? e.uid;
  const parentKey = (p: string | Entry | null): string | null =>
    p === null ? null : typeof p === 'string' ? p : keyOfEntry(p);
  const tree = new Map<string, TreeUnit>(
    known.units.map((u) => [u.code, { code: u.code, parent: u.parent, origin: u.origin }]),
  );
  const placements: UnitPlacement[] = [];
  for (const [e, info] of unitInfo) {
    if (!ok(unitOuts.get(e)!)) continue;
    placements.push({ code: keyOfEntry(e), parent: parentKey(info.parent) });
  }
  const placed = placeUnits(placements, tree);
  const entryOfKey = new Map<string, Entry>();
  for (const e of unitInfo.keys()) entryOfKey.set(keyOfEntry(e), e);
  for (const p of placed.problems) {
    const e = entryOfKey.get(p.code)!;
    const o = unitOuts.get(e)!;
    if (p.kind === 'unknown_parent')
      err(
        o,
        'E5002',
        E.E5002(`[${p.parent}] (OrganisationUnit)`, describe('organisationUnits', e), 'parent'),
        { property: 'parent', args: [p.parent], value: p.parent },
      );
    else if (p.kind === 'cycle')
      err(
        o,
        'E4027',
        E.E4027(String(parentKey(unitInfo.get(e)!.parent)), 'parent', {
          vi: `tạo vòng lặp cha-con ${p.chain.join(' → ')}`,
          en: `makes a cycle in the parent chain ${p.chain.join(' → ')}`,
        }),
        { property: 'parent', args: [String(parentKey(unitInfo.get(e)!.parent)), 'parent'] },
      );
    else
      err(
        o,
        'E4027',
        E.E4027(String(p.parent), 'parent', {
          vi: `đơn vị hành chính chính thức giữ nguyên vị trí trong cây chính thức (đơn vị cha ${p.official ?? 'không có'})`,
          en: `an official unit keeps its place in the official tree (parent ${p.official ?? 'none'})`,
        }),
        { property: 'parent', args: [String(p.parent), 'parent'] },
      );
  }
  const placedByKey = new Map(placed.placed.map((p) => [p.code, p]));
  const pathOfKey = (key: string): string | undefined =>
    placedByKey.get(key)?.path ?? unitsByCode.get(key)?.path;
  for (const [e, info] of unitInfo) {
    const o = unitOuts.get(e)!;
    if (!ok(o)) continue;
    if (info.match?.origin === 'official') continue; // matched, never written
    const p = placedByKey.get(e.uid);
    if (!p) continue;
    // The caller's scope must hold the parent (a new root needs the whole nation), and the
    // unit's place before a move.
    const parentPath = p.parent === null ? '/' : (pathOfKey(p.parent) ?? '/');
    const before = info.match ? unitsByCode.get(info.match.code)?.path : undefined;
    if (!opts.mayPlaceUnit(parentPath) || (before !== undefined && !opts.mayPlaceUnit(before))) {
      err(
        o,
        info.match ? 'E3001' : 'E3000',
        info.match ? E.E3001(opts.user, e.uid) : E.E3000(opts.user, 'OrganisationUnit'),
        { args: [opts.user] },
      );
      continue;
    }
    plan.organisationUnits.push({
      action: o.action as Action,
      id: info.match?.id,
      uid: e.uid,
      code: e.code,
      key: e.uid,
      name: info.name,
      shortName: info.shortName,
      parent: p.parent,
      level: p.level,
      path: p.path,
      openingDate: info.opening,
      closedDate: info.closed,
    });
  }
  const unitKey = (r: Ref): string | undefined => {
    const f = fileIndex.get('organisationUnits')!.find(r);
    if (f) return keyOfEntry(f);
    return unitIdx.find(r)?.code;
  };
  const levelOfKey = (key: string): number | undefined =>
    placedByKey.get(key)?.level ?? unitsByCode.get(key)?.level;

  // ---- Unit groups: members anywhere in the tree; the group belongs to their lowest common unit.
  forType('organisationUnitGroups', (e, o) => {
    const c = common('organisationUnitGroups', e, o, known.groups);
    const members: string[] = [];
    for (const r of refsOf(e.obj.organisationUnits) ?? []) {
      const k = unitKey(r);
      if (!k)
        err(
          o,
          'E5002',
          E.E5002(
            `${refText(r)} (OrganisationUnit)`,
            describe('organisationUnitGroups', e),
            'organisationUnits',
          ),
          { property: 'organisationUnits', args: [refText(r)], value: r.id ?? r.code },
        );
      else members.push(k);
    }
    const paths = members.map((m) => pathOfKey(m) ?? '/');
    let owner = '';
    if (paths.length > 0) {
      const split = paths.map((p) => p.split('/').filter(Boolean));
      const first = split[0]!;
      let n = 0;
      while (n < first.length && split.every((s) => s[n] === first[n])) n++;
      owner = first[n - 1] ?? '';
      if (!owner)
        err(
          o,
          'E4027',
          E.E4027(String(members.length), 'organisationUnits', {
            vi: 'các đơn vị thuộc nhiều cây khác nhau',
            en: 'the units belong to more than one tree',
          }),
          { property: 'organisationUnits', args: [String(members.length), 'organisationUnits'] },
        );
    }
    if (ok(o) && owner && !opts.mayPlaceUnit(pathOfKey(owner) ?? '/'))
      err(
        o,
        c.match ? 'E3001' : 'E3000',
        c.match ? E.E3001(opts.user, e.uid) : E.E3000(opts.user, 'OrganisationUnitGroup'),
        { args: [opts.user] },
      );
    if (ok(o))
      plan.organisationUnitGroups.push({
        action: o.action as Action,
        id: c.match?.id,
        uid: e.uid,
        code: e.code,
        key: e.uid,
        name: c.name,
        shortName: c.shortName,
        members: [...new Set(members)],
        owner,
      });
  });

  // ---- Data sets: period type, elements and assigned units.
  forType('dataSets', (e, o) => {
    const c = common('dataSets', e, o, known.dataSets, ['name', 'periodType']);
    const pt = str(e.obj.periodType);
    const periodType = pt ? periodTypeFromDhis2(pt) : undefined;
    if (pt && !periodType)
      err(
        o,
        'E4027',
        E.E4027(pt, 'periodType', {
          vi: 'không phải một loại kỳ của DHIS2',
          en: 'not a DHIS2 period type',
        }),
        { property: 'periodType', args: [pt, 'periodType'] },
      );
    const elements: string[] = [];
    const elementRefs = [
      ...(Array.isArray(e.obj.dataSetElements)
        ? (e.obj.dataSetElements as Obj[]).map((d) => refOf(d?.dataElement))
        : []),
      ...(refsOf(e.obj.dataElements) ?? []),
    ];
    for (const r of elementRefs) {
      if (!r) continue;
      const u = elementUid(r);
      if (!u)
        err(
          o,
          'E5002',
          E.E5002(`${refText(r)} (DataElement)`, describe('dataSets', e), 'dataSetElements'),
          { property: 'dataSetElements', args: [refText(r)], value: r.id ?? r.code },
        );
      else elements.push(u);
    }
    const units: string[] = [];
    for (const r of refsOf(e.obj.organisationUnits) ?? []) {
      const k = unitKey(r);
      if (!k)
        err(
          o,
          'E5002',
          E.E5002(`${refText(r)} (OrganisationUnit)`, describe('dataSets', e), 'organisationUnits'),
          { property: 'organisationUnits', args: [refText(r)], value: r.id ?? r.code },
        );
      else units.push(k);
    }
    const ar = refOf(e.obj.categoryCombo);
    if (ar && ar.id !== DHIS2_DEFAULTS.combo) {
      const cu = comboUid(ar);
      if (!cu)
        err(
          o,
          'E5002',
          E.E5002(`${refText(ar)} (CategoryCombo)`, describe('dataSets', e), 'categoryCombo'),
          { property: 'categoryCombo', args: [refText(ar)], value: ar.id ?? ar.code },
        );
    }
    const num = (p: string, fallback: number, min: number, max: number) => {
      const v = e.obj[p];
      if (v === undefined || v === null) return fallback;
      const n = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(n) || n < min || n > max) {
        err(o, 'E4008', E.E4008(p, min, max, textOf(v)), {
          property: p,
          args: [p, String(min), String(max), textOf(v)],
        });
        return fallback;
      }
      return Math.round(n);
    };
    const dueDays = num('timelyDays', 10, 0, 366);
    const expiryDays = num('expiryDays', 0, 0, 3650);
    // The level most of its units are at: for the readers that still go by level.
    const counts = new Map<number, number>();
    for (const u of units) {
      const l = levelOfKey(u);
      if (l !== undefined) counts.set(l, (counts.get(l) ?? 0) + 1);
    }
    const level = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? 0;
    if (ok(o) && periodType)
      plan.dataSets.push({
        action: o.action as Action,
        id: c.match?.id,
        uid: e.uid,
        code: e.code,
        key: c.key,
        name: c.name,
        shortName: c.shortName,
        periodType,
        elements: [...new Set(elements)],
        units: [...new Set(units)],
        level,
        dueDays,
        expiryDays,
      });
  });

  // ---- Indicators: numerator / denominator × the factor of their type; references checked.
  const indicatorIdx = storedIndex(known.indicators);
  const dataSetIdx = storedIndex(known.dataSets);
  const optionKnown = (r: string) => cocIdx.find(r) !== undefined;
  forType('indicators', (e, o) => {
    const c = common('indicators', e, o, known.indicators, [
      'name',
      'numerator',
      'denominator',
      'indicatorType',
    ]);
    const tr = refOf(e.obj.indicatorType);
    let factor = 1;
    let typeUid = '';
    if (tr) {
      const f = fileIndex.get('indicatorTypes')!.find(tr);
      const k = typeIdx.find(tr);
      typeUid = f?.uid ?? k?.uid ?? '';
      if (!typeUid)
        err(
          o,
          'E5002',
          E.E5002(`${refText(tr)} (IndicatorType)`, describe('indicators', e), 'indicatorType'),
          { property: 'indicatorType', args: [refText(tr)], value: tr.id ?? tr.code },
        );
      else factor = factors.get(typeUid) ?? 1;
    }
    const parts: Record<'numerator' | 'denominator', string> = { numerator: '', denominator: '' };
    for (const p of ['numerator', 'denominator'] as const) {
      const text = typeof e.obj[p] === 'string' ? e.obj[p].trim() : '';
      if (!text) continue;
      parts[p] = text;
      let refs: ItemRef[];
      try {
        refs = itemsOf(parseExpression(text));
      } catch (x) {
        const m = x instanceof AppError ? x.messages : { vi: String(x), en: String(x) };
        err(o, 'E4027', E.E4027(text, p, m), { property: p, args: [text, p] });
        continue;
      }
      const missing = (what: string) =>
        err(o, 'E4015', E.E4015(p, what), { property: p, args: [p, what], value: what });
      for (const r of refs) {
        if (r.kind === 'element') {
          if (!elementUid(r.element)) missing(r.element);
          if (r.option && r.option !== '*' && !optionKnown(r.option)) missing(r.option);
          if (r.attribute && r.attribute !== '*' && !optionKnown(r.attribute)) missing(r.attribute);
        } else if (r.kind === 'indicator') {
          if (!fileIndex.get('indicators')!.find(r.code) && !indicatorIdx.find(r.code))
            missing(r.code);
        } else if (r.kind === 'reportingRate') {
          if (!fileIndex.get('dataSets')!.find(r.dataSet) && !dataSetIdx.find(r.dataSet))
            missing(r.dataSet);
        } else if (r.kind === 'constant') {
          // Opsroom holds no constants: the value would never be found.
          missing(`C{${r.code}}`);
        }
      }
    }
    const decimals = e.obj.decimals;
    let dec = 1;
    if (decimals !== undefined && decimals !== null) {
      const n = Number(decimals);
      if (!Number.isInteger(n) || n < 0 || n > 6)
        err(o, 'E4008', E.E4008('decimals', 0, 6, textOf(decimals)), {
          property: 'decimals',
          args: ['decimals', '0', '6', textOf(decimals)],
        });
      else dec = n;
    }
    if (ok(o))
      plan.indicators.push({
        action: o.action as Action,
        id: c.match?.id,
        uid: e.uid,
        code: e.code,
        key: c.key,
        name: c.name,
        shortName: c.shortName,
        numerator: parts.numerator,
        denominator: parts.denominator,
        indicatorType: typeUid,
        formula: indicatorFormula(parts.numerator, parts.denominator, factor),
        decimals: dec,
        unit: factor === 100 ? '%' : null,
        description: str(e.obj.description) ?? null,
      });
  });

  return { plan, outcomes, ignoredTypes };
}

function dimensionOf(
  obj: Obj,
  o: Outcome,
  err: (
    o: Outcome,
    code: keyof typeof E,
    m: Message,
    extra?: { property?: string; args?: string[] },
  ) => void,
): 'DISAGGREGATION' | 'ATTRIBUTE' {
  const d = obj.dataDimensionType;
  if (d === undefined || d === null || d === 'DISAGGREGATION') return 'DISAGGREGATION';
  if (d === 'ATTRIBUTE') return 'ATTRIBUTE';
  err(
    o,
    'E4027',
    E.E4027(textOf(d), 'dataDimensionType', {
      vi: 'dùng DISAGGREGATION hoặc ATTRIBUTE',
      en: 'use DISAGGREGATION or ATTRIBUTE',
    }),
    { property: 'dataDimensionType', args: [textOf(d), 'dataDimensionType'] },
  );
  return 'DISAGGREGATION';
}

/** The formula analytics evaluates: (numerator) / (denominator) × factor, without the needless parts. */
export function indicatorFormula(numerator: string, denominator: string, factor: number): string {
  const den = denominator.trim();
  const times = factor === 1 ? '' : ` * ${factor}`;
  if (den === '1') return times ? `(${numerator})${times}` : numerator;
  return `(${numerator}) / (${den})${times}`;
}

// ---------------------------------------------------------------------------------------------
// The report.

/**
 * DHIS2's importReport from the outcomes: per type, stats and the object reports (only those
 * with errors unless the mode is FULL or DEBUG). With `atomicMode=ALL`, one error ignores
 * everything (status ERROR); with NONE the objects with errors are ignored (status WARNING).
 */
export function importReport(
  outcomes: readonly Outcome[],
  opts: { atomicMode: AtomicMode; mode: ReportMode; lang: 'vi' | 'en' },
): ImportReport {
  const anyError = outcomes.some((o) => o.errors.length > 0);
  const failed = anyError && opts.atomicMode === 'ALL';
  const typeReports: TypeReport[] = [];
  for (const type of TYPE_ORDER) {
    const mine = outcomes.filter((o) => o.type === type).sort((a, b) => a.index - b.index);
    if (mine.length === 0) continue;
    const stats: Stats = { created: 0, updated: 0, deleted: 0, ignored: 0, total: mine.length };
    for (const o of mine) {
      if (failed || o.errors.length > 0 || o.action === 'ignore') stats.ignored++;
      else stats[o.action === 'create' ? 'created' : 'updated']++;
    }
    const klass = DHIS2_TYPES[type].klass;
    const objectReports = mine
      .filter((o) => opts.mode !== 'ERRORS' || o.errors.length > 0)
      .map((o) => ({
        klass,
        index: o.index,
        ...(o.uid ? { uid: o.uid } : {}),
        ...(opts.mode === 'DEBUG' && o.name ? { displayName: o.name } : {}),
        errorReports: o.errors.map((x) => ({
          message: x[opts.lang],
          mainKlass: klass,
          ...(o.uid ? { mainId: o.uid } : {}),
          errorCode: x.code,
          ...(x.property ? { errorProperty: x.property } : {}),
          errorProperties: x.args,
          args: x.args,
          ...(x.value !== undefined ? { value: x.value } : {}),
        })),
      }));
    typeReports.push({ klass, stats, objectReports });
  }
  const stats: Stats = { created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 };
  for (const t of typeReports)
    for (const k of Object.keys(stats) as (keyof Stats)[]) stats[k] += t.stats[k];
  return {
    responseType: 'ImportReport',
    status: failed ? 'ERROR' : anyError ? 'WARNING' : 'OK',
    stats,
    typeReports,
  };
}

/** Keys "type:index" of the objects with errors (to leave out in the next round, atomicMode NONE). */
export function failedKeys(outcomes: readonly Outcome[]): string[] {
  return outcomes.filter((o) => o.errors.length > 0).map((o) => `${o.type}:${o.index}`);
}

export type { Outcome };
