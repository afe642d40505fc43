import { z } from 'zod';
import { CitizenCategoryInput } from './citizen-category.ts';
import { DEFAULT_DIRECTION, DIRECTIONS } from './direction.ts';
import { PERIOD_TYPES_FINEST_FIRST } from './period.ts';
import { multilineText, plainText } from './text-hygiene.ts';

/**
 * Metadata as it crosses the boundary (API, CLI file): data elements, breakdowns, attribute
 * options, indicators, targets, data sets, unit groups and citizens' report categories. Codes
 * are what users type; a DHIS2 uid may be given too, so that a DHIS2 file imports unchanged
 * once the metadata carries the uids.
 */

export const Code = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'letters, digits, _ . - (at most 100)');
export const Uid = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]{10}$/, 'a DHIS2 uid: a letter then 10 letters or digits');

export const SECTORS = [
  'postal',
  'telecom',
  'it',
  'security',
  'ict',
  'press',
  'covid',
  'government',
  // Citizens' reports and their response times (issue 20).
  'citizen',
  'other',
] as const;
export const VALUE_TYPES = [
  'integer',
  'number',
  'percentage',
  'boolean',
  'true_only',
  'date',
  'text',
] as const;
export const AGG_TIME = ['sum', 'last', 'average'] as const;
export const AGG_UNITS = ['sum', 'average', 'none'] as const;
/** A data set reports by any fixed period type DHIS2 has (not a date range). */
export const PERIOD_TYPES = PERIOD_TYPES_FINEST_FIRST;

const names = {
  code: Code,
  uid: Uid.optional(),
  nameVi: plainText().min(1).max(300),
  nameEn: plainText().min(1).max(300),
};

export const BreakdownInput = z.object({
  ...names,
  options: z.array(z.object(names)).min(1).max(200),
});
export type BreakdownInput = z.infer<typeof BreakdownInput>;

export const AttributeOptionInput = z.object(names);
export type AttributeOptionInput = z.infer<typeof AttributeOptionInput>;

/** What a rise means: tiles, tables, rankings and the map colour a change by it (issue 19). */
const direction = z
  .enum(DIRECTIONS)
  .default(DEFAULT_DIRECTION)
  .describe(
    'what a rise means: rise_good (tests done, revenue), rise_bad (positive cases, cyberattacks) or neutral (default)',
  );

/** Value types that hold a number, and so may be given a range. */
export const NUMERIC_TYPES: readonly string[] = ['integer', 'number', 'percentage'];

export const DataElementInput = z
  .object({
    ...names,
    sector: z.enum(SECTORS),
    valueType: z.enum(VALUE_TYPES),
    unit: plainText().max(50).optional(),
    aggTime: z.enum(AGG_TIME).describe('over time: sum for flows, last for stocks, average'),
    aggUnits: z.enum(AGG_UNITS).default('sum').describe('across units'),
    breakdown: Code.optional().describe('code of a breakdown; none = default'),
    zeroSignificant: z.boolean().default(true),
    direction,
    description: multilineText().max(2000).optional(),
    // DHIS2 says it with value types (INTEGER_ZERO_OR_POSITIVE, INTEGER_POSITIVE…); a range
    // says that and more (a share of 0–1, a temperature), and min 0 is "cannot be negative".
    min: z.number().finite().optional().describe('smallest value accepted; 0 = not negative'),
    max: z.number().finite().optional().describe('largest value accepted'),
  })
  .refine((e) => e.min === undefined || e.max === undefined || e.min <= e.max, {
    message: 'min must not be above max',
    params: { vi: 'Giá trị tối thiểu (min) không được lớn hơn tối đa (max)' },
    path: ['min'],
  })
  .refine(
    (e) => (e.min === undefined && e.max === undefined) || NUMERIC_TYPES.includes(e.valueType),
    {
      message: 'only a numeric element (integer, number, percentage) may have a min or max',
      params: { vi: 'Chỉ chỉ tiêu kiểu số (integer, number, percentage) mới có min/max' },
      path: ['min'],
    },
  );
export type DataElementInput = z.infer<typeof DataElementInput>;

export const IndicatorInput = z.object({
  ...names,
  sector: z.enum(SECTORS),
  formula: multilineText()
    .min(1)
    .max(2000)
    .describe('e.g. #{SMARTPHONE_SUBS} / #{MOBILE_SUBS} * 100'),
  unit: plainText().max(50).optional(),
  decimals: z.number().int().min(0).max(6).default(1),
  direction,
  description: multilineText().max(2000).optional(),
});
export type IndicatorInput = z.infer<typeof IndicatorInput>;

export const TargetInput = z.object({
  subject: z.object({ type: z.enum(['element', 'indicator']), code: Code }),
  unit: z.object({ version: plainText(), code: plainText() }),
  value: z.number().finite(),
  due: z.iso.date(),
  labelVi: plainText().max(500).optional(),
  labelEn: plainText().max(500).optional(),
});
export type TargetInput = z.infer<typeof TargetInput>;

export const DataSetInput = z.object({
  ...names,
  periodType: z.enum(PERIOD_TYPES),
  version: plainText(),
  level: z.number().int().min(0).max(50),
  dueDays: z.number().int().min(0).max(366).default(10),
  expiryDays: z.number().int().min(0).max(3650).default(0),
  elements: z.array(Code).min(1).max(1000),
  units: z
    .array(plainText().max(50))
    .max(100000)
    .optional()
    .describe(
      'the units it is assigned to (codes, or uids of added units); none = every unit of its level',
    ),
});
export type DataSetInput = z.infer<typeof DataSetInput>;

export const UnitGroupInput = z.object({
  version: plainText(),
  code: z
    .string()
    .regex(
      /^([a-z0-9-]{2,100}|[A-Za-z][A-Za-z0-9]{10})$/,
      'lowercase letters, digits and -, or a DHIS2 uid',
    ),
  name: plainText().min(1).max(300),
  description: multilineText().max(2000).optional(),
  owner: plainText().max(50).describe('the unit the group belongs to; members must lie under it'),
  definition: z
    .object({
      codes: z.array(plainText().max(50)).max(20000).optional(),
      under: z
        .array(z.object({ code: plainText().max(50), level: z.number().int().min(1).max(50) }))
        .max(100)
        .optional(),
      groups: z.array(plainText().max(100)).max(50).optional(),
    })
    .refine(
      (d) => d.codes?.length || d.under?.length || d.groups?.length,
      'name codes, a level under a unit, or groups',
    ),
});
export type UnitGroupInput = z.infer<typeof UnitGroupInput>;

/** One document with any of the kinds; applied all or nothing, in dependency order. */
export const MetadataDocument = z.object({
  breakdowns: z.array(BreakdownInput).max(1000).default([]),
  attributeOptions: z.array(AttributeOptionInput).max(1000).default([]),
  dataElements: z.array(DataElementInput).max(10000).default([]),
  indicators: z.array(IndicatorInput).max(10000).default([]),
  targets: z.array(TargetInput).max(10000).default([]),
  dataSets: z.array(DataSetInput).max(1000).default([]),
  unitGroups: z.array(UnitGroupInput).max(1000).default([]),
  /** Citizens' report categories (issue 20), by code; the same schema as their own routes. */
  citizenCategories: z.array(CitizenCategoryInput).max(1000).default([]),
});
export type MetadataDocument = z.infer<typeof MetadataDocument>;
export type MetadataDocumentInput = z.input<typeof MetadataDocument>;
