import type { Message } from './errors.ts';
import { NUMERIC_TYPES } from './metadata.ts';

/** Rules for single data values: their types, and the conflicts an import reports. */

/**
 * DHIS2's value types that Opsroom holds: `true_only` is DHIS2's TRUE_ONLY (a box that is
 * ticked or left empty: only "true" is a value).
 */
export type ValueType =
  'integer' | 'number' | 'percentage' | 'boolean' | 'true_only' | 'date' | 'text';

/** Whether values of this type are numbers (DHIS2's numeric types): ranges and zero significance apply to them only. */
export const isNumericType = (type: string): boolean => NUMERIC_TYPES.includes(type);

/**
 * Whether a value is a zero that is not stored, as DHIS2 has it: a zero of a numeric element
 * whose zeros are not significant, unless the element is averaged (DHIS2 keeps zeros of
 * AVERAGE and AVERAGE_SUM_ORG_UNIT elements: they count in the average). A boolean `false`
 * (stored as 0) is never such a zero.
 */
export function zeroNotStored(
  element: { valueType: string; zeroSignificant: boolean; aggTime: string },
  number: number | null,
): boolean {
  return (
    number === 0 &&
    !element.zeroSignificant &&
    element.aggTime !== 'average' &&
    isNumericType(element.valueType)
  );
}

export const MAX_TEXT = 50_000;

const TRUE = new Set(['true', 't', '1', 'yes', 'y', 'có', 'co']);
const FALSE = new Set(['false', 'f', '0', 'no', 'n', 'không', 'khong']);

/** The bounds an element declares for its values (null = none), and its code for messages. */
export interface ValueRange {
  element: string;
  min: number | null;
  max: number | null;
}

/** Why a number is outside its element's range, or undefined when it is inside. */
export function rangeProblem(n: number, range: ValueRange): Message | undefined {
  if (range.min !== null && n < range.min) {
    return {
      vi: `Giá trị ${n} nhỏ hơn mức tối thiểu ${range.min} của chỉ tiêu ${range.element}`,
      en: `The value ${n} is below the minimum ${range.min} of data element ${range.element}`,
    };
  }
  if (range.max !== null && n > range.max) {
    return {
      vi: `Giá trị ${n} lớn hơn mức tối đa ${range.max} của chỉ tiêu ${range.element}`,
      en: `The value ${n} is above the maximum ${range.max} of data element ${range.element}`,
    };
  }
  return undefined;
}

/**
 * The value as stored (text kept as given, numbers as numbers), or why it does not fit: its
 * type, then the element's range when it has one.
 */
export function checkValue(
  type: ValueType,
  raw: string,
  range?: ValueRange,
): { ok: true; text: string; number: number | null } | { ok: false; reason: Message } {
  const checked = checkType(type, raw);
  if (checked.ok && range && checked.number !== null && isNumericType(type)) {
    const reason = rangeProblem(checked.number, range);
    if (reason) return { ok: false, reason };
  }
  return checked;
}

function checkType(
  type: ValueType,
  raw: string,
): { ok: true; text: string; number: number | null } | { ok: false; reason: Message } {
  const s = raw.trim();
  const bad = (vi: string, en: string) => ({ ok: false as const, reason: { vi, en } });
  switch (type) {
    case 'integer':
      if (!/^[-+]?\d+$/.test(s))
        return bad(`"${raw}" không phải số nguyên`, `"${raw}" is not an integer`);
      return { ok: true, text: s, number: Number(s) };
    case 'number':
    case 'percentage': {
      const n = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : NaN;
      if (!Number.isFinite(n)) return bad(`"${raw}" không phải số`, `"${raw}" is not a number`);
      if (type === 'percentage' && (n < 0 || n > 100)) {
        return bad(
          `"${raw}" không phải tỷ lệ phần trăm từ 0 đến 100`,
          `"${raw}" is not a percentage from 0 to 100`,
        );
      }
      return { ok: true, text: s, number: n };
    }
    case 'boolean': {
      const l = s.toLowerCase();
      if (TRUE.has(l)) return { ok: true, text: 'true', number: 1 };
      if (FALSE.has(l)) return { ok: true, text: 'false', number: 0 };
      return bad(
        `"${raw}" không phải có/không (true/false)`,
        `"${raw}" is not a yes/no value (true/false)`,
      );
    }
    case 'true_only': {
      // DHIS2: only "true" (or a spelling of it); an untick is an empty value, which removes.
      if (TRUE.has(s.toLowerCase())) return { ok: true, text: 'true', number: 1 };
      return bad(
        `"${raw}" không hợp lệ: chỉ tiêu chỉ nhận "true" (có) hoặc để trống`,
        `"${raw}" is not valid: the element takes only "true" (yes) or nothing`,
      );
    }
    case 'date': {
      const d = /^\d{4}-\d{2}-\d{2}$/.test(s) ? new Date(`${s}T00:00:00Z`) : undefined;
      if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) {
        return bad(
          `"${raw}" không phải ngày dạng YYYY-MM-DD`,
          `"${raw}" is not a date (YYYY-MM-DD)`,
        );
      }
      return { ok: true, text: s, number: null };
    }
    case 'text':
      if (raw.length > MAX_TEXT)
        return bad(`Văn bản dài quá ${MAX_TEXT} ký tự`, `Text longer than ${MAX_TEXT} characters`);
      return { ok: true, text: raw, number: null };
  }
}

export function parseFlag(v: string | undefined): boolean {
  return v !== undefined && TRUE.has(v.trim().toLowerCase());
}

/**
 * Conflict codes, DHIS2 2.42's numbers (`ErrorCode`, `DataValueImportConflict`) so that its
 * clients read them; each conflict names the field and the value that caused it. A missing
 * element, period or unit is reported as DHIS2 does, as not found.
 */
export const CONFLICT = {
  /** The data set the import names does not exist: the whole import is refused. */
  unknownDataSet: 'E7600',
  unknownElement: 'E7610',
  badPeriod: 'E7611',
  unknownUnit: 'E7612',
  unknownOption: 'E7613',
  unknownAttribute: 'E7615',
  outOfScope: 'E7617',
  /** Also a value outside its element's range, as DHIS2 reports INTEGER_POSITIVE and the like. */
  badValue: 'E7619',
  /** Ours: text that cannot be stored (NUL, other control characters, a lone surrogate). */
  badText: 'E7622',
  /** The value's period is not of the period type of the data set the import names. */
  periodTypeNotInDataSet: 'E7632',
  /** The element is not in the data set the import names. */
  elementNotInDataSet: 'E7633',
  optionNotInElement: 'E7634',
  /** The unit is not assigned to the data set the import names (nor of its level, without assignments). */
  unitNotAssigned: 'E7636',
  badStoredBy: 'E7637',
  /** The data set's expiry days have passed since the period ended. */
  expired: 'E7640',
  /** The period is locked (Opsroom's period locks). */
  locked: 'E7641',
  duplicate: 'E8128',
} as const;

/** DHIS2's longest `storedBy`. */
export const MAX_STORED_BY = 255;
export type ConflictCode = (typeof CONFLICT)[keyof typeof CONFLICT];

export interface RowConflict {
  index: number;
  line?: number;
  errorCode: ConflictCode;
  /** The field at fault, in DHIS2's names (dataElement, period, orgUnit, value, ...). */
  property: string;
  /** What was given there. */
  value: string;
  /** The object the conflict is about, as DHIS2 groups conflicts: the data element for a bad
   *  value, otherwise what was given in the field. */
  object: string;
  reason: Message;
}

export type ImportStrategy = 'CREATE' | 'UPDATE' | 'CREATE_AND_UPDATE' | 'DELETE';

export interface ImportCount {
  imported: number;
  updated: number;
  ignored: number;
  deleted: number;
}

export interface ImportSummary {
  status: 'SUCCESS' | 'WARNING' | 'ERROR';
  description: Message;
  importCount: ImportCount;
  conflicts: RowConflict[];
  rejectedIndexes: number[];
  dryRun: boolean;
  atomic: boolean;
  /** The validation rules the import's values break (issue 17), when any rule read them. */
  validation?: ImportValidation;
}

/** A rule broken by an import's values: which, where, and both sides. */
export interface ImportViolation {
  rule: string;
  nameVi: string;
  nameEn: string;
  importance: 'HIGH' | 'MEDIUM' | 'LOW';
  unit: string;
  version: string;
  period: string;
  left: number | null;
  right: number | null;
}

/** The rules broken by an import: how many (HIGH among them), the first MAX of them listed. */
export interface ImportValidation {
  violations: number;
  high: number;
  list: ImportViolation[];
  /** Values outside their min–max range (flagged, kept). */
  outliers?: number;
  /** Values 100× or more away from the unit's recent values: likely scale slips (flagged, kept). */
  scaleSlips?: number;
}

/** A stored value's key (element, unit, period, option, attribute ids) as one string. */
export const valueKey = (
  elementId: number,
  unitId: number,
  periodId: number,
  optionId: number,
  attributeId: number,
) => `${elementId}|${unitId}|${periodId}|${optionId}|${attributeId}`;

/**
 * An element's breakdown option as one number (element id × 2²⁰ + option id), for lookups a
 * bulk load makes per row: no string built each time.
 */
export const elementOptionKey = (elementId: number, optionId: number): number =>
  elementId * 1_048_576 + optionId;
