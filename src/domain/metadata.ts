import { z } from 'zod';

/**
 * Metadata as it crosses the boundary (API, CLI file): data elements, breakdowns, attribute
 * options, indicators, targets and data sets. Codes are what users type; a DHIS2 uid may be
 * given too, so that a DHIS2 file imports unchanged once the metadata carries the uids.
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
  'other',
] as const;
export const VALUE_TYPES = ['integer', 'number', 'percentage', 'boolean', 'date', 'text'] as const;
export const AGG_TIME = ['sum', 'last', 'average'] as const;
export const AGG_UNITS = ['sum', 'average', 'none'] as const;
export const PERIOD_TYPES = ['day', 'week', 'month', 'quarter', 'half', 'year'] as const;

const names = {
  code: Code,
  uid: Uid.optional(),
  nameVi: z.string().min(1).max(300),
  nameEn: z.string().min(1).max(300),
};

export const BreakdownInput = z.object({
  ...names,
  options: z.array(z.object(names)).min(1).max(200),
});
export type BreakdownInput = z.infer<typeof BreakdownInput>;

export const AttributeOptionInput = z.object(names);
export type AttributeOptionInput = z.infer<typeof AttributeOptionInput>;

export const DataElementInput = z.object({
  ...names,
  sector: z.enum(SECTORS),
  valueType: z.enum(VALUE_TYPES),
  unit: z.string().max(50).optional(),
  aggTime: z.enum(AGG_TIME).describe('over time: sum for flows, last for stocks, average'),
  aggUnits: z.enum(AGG_UNITS).default('sum').describe('across units'),
  breakdown: Code.optional().describe('code of a breakdown; none = default'),
  zeroSignificant: z.boolean().default(true),
  description: z.string().max(2000).optional(),
});
export type DataElementInput = z.infer<typeof DataElementInput>;

export const IndicatorInput = z.object({
  ...names,
  sector: z.enum(SECTORS),
  formula: z.string().min(1).max(2000).describe('e.g. #{SMARTPHONE_SUBS} / #{MOBILE_SUBS} * 100'),
  unit: z.string().max(50).optional(),
  decimals: z.number().int().min(0).max(6).default(1),
  description: z.string().max(2000).optional(),
});
export type IndicatorInput = z.infer<typeof IndicatorInput>;

export const TargetInput = z.object({
  subject: z.object({ type: z.enum(['element', 'indicator']), code: Code }),
  unit: z.object({ version: z.string(), code: z.string() }),
  value: z.number().finite(),
  due: z.iso.date(),
  labelVi: z.string().max(500).optional(),
  labelEn: z.string().max(500).optional(),
});
export type TargetInput = z.infer<typeof TargetInput>;

export const DataSetInput = z.object({
  ...names,
  periodType: z.enum(PERIOD_TYPES),
  version: z.string(),
  level: z.number().int().min(0).max(3),
  dueDays: z.number().int().min(0).max(366).default(10),
  expiryDays: z.number().int().min(0).max(3650).default(0),
  elements: z.array(Code).min(1).max(1000),
});
export type DataSetInput = z.infer<typeof DataSetInput>;

export const UnitGroupInput = z.object({
  version: z.string(),
  code: z.string().regex(/^[a-z0-9-]{2,100}$/, 'lowercase letters, digits and -'),
  name: z.string().min(1).max(300),
  description: z.string().max(2000).optional(),
  owner: z.string().max(10).describe('the unit the group belongs to; members must lie under it'),
  definition: z
    .object({
      codes: z.array(z.string().max(10)).max(20000).optional(),
      under: z
        .array(z.object({ code: z.string().max(10), level: z.number().int().min(1).max(3) }))
        .max(100)
        .optional(),
      groups: z.array(z.string().max(100)).max(50).optional(),
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
});
export type MetadataDocument = z.infer<typeof MetadataDocument>;
export type MetadataDocumentInput = z.input<typeof MetadataDocument>;
