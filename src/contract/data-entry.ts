import { z } from '@hono/zod-openapi';
import { VALUE_TYPES } from '../domain/metadata.ts';
import { ALL_PERIOD_TYPES } from '../domain/period.ts';
import { ErrorResponse, ImportCountSchema, plainText } from './common.ts';
import {
  IMPORTANCES,
  MISSING_VALUE_STRATEGIES,
  VALIDATION_OPERATORS,
} from '../domain/validation.ts';

/** The data entry form of a data set, a unit and a period. */

export const Messages = z.object({ vi: z.string(), en: z.string() });

export const EntryPeriodType = z.enum(ALL_PERIOD_TYPES);

export const DataSetBrief = z.object({
  code: z.string().openapi({ example: 'COMMUNE_DAILY_2025' }),
  nameVi: z.string(),
  nameEn: z.string(),
  periodType: EntryPeriodType,
  version: z.string(),
  level: z.number(),
  dueDays: z.number(),
  expiryDays: z.number(),
});

export const DataEntryDataSets = z
  .object({
    today: z.string().openapi({ description: 'Today in Viet Nam, YYYY-MM-DD' }),
    items: z.array(
      DataSetBrief.extend({
        elementCount: z.number(),
        unitsTotal: z.number().openapi({
          description: 'Units of your scope at the data set’s level (more than listed: search)',
        }),
        units: z.array(z.object({ code: z.string(), name: z.string(), fullName: z.string() })),
      }),
    ),
  })
  .openapi('DataEntryDataSets');

export const DataEntryField = z.object({
  key: z.string().openapi({
    description: 'The element code, or ELEMENT.OPTION for one option of a breakdown',
    example: 'TESTS_DONE',
  }),
  dataElement: z.string(),
  categoryOptionCombo: z.string(),
  nameVi: z.string(),
  nameEn: z.string(),
  optionVi: z.string().nullable(),
  optionEn: z.string().nullable(),
  valueType: z.enum(VALUE_TYPES),
  min: z.number().nullable().openapi({ description: 'Smallest value accepted (0: not negative)' }),
  max: z.number().nullable().openapi({ description: 'Largest value accepted' }),
  minMax: z.object({ min: z.number(), max: z.number() }).nullable().openapi({
    description:
      'The usual range of this field at this unit (a min–max range, /api/minMaxDataElements): a value outside it is flagged in the form, not refused; null: no range stored',
  }),
  unit: z.string().nullable(),
  description: z.string().nullable(),
  value: z.string().nullable(),
  comment: z.string().nullable(),
  storedBy: z.string().nullable(),
  lastUpdated: z.string().nullable(),
});

export const DataEntryPeriod = z.object({
  id: z.string().openapi({ example: '2026-11-22' }),
  type: EntryPeriodType,
  start: z.string(),
  end: z.string(),
  labelVi: z.string().openapi({ example: 'ngày 22/11/2026' }),
  labelEn: z.string(),
  /** The last day a report counts as on time. */
  dueDate: z.string(),
  pastDue: z.boolean(),
  locked: z.boolean(),
  lockedReason: Messages.nullable(),
  previous: z.string().nullable(),
  next: z.string().nullable(),
});

export const DataEntryUnit = z.object({
  code: z.string(),
  name: z.string(),
  fullName: z.string(),
  level: z.number(),
  version: z.string(),
  /** The units above it, from the province down (the nation left out). */
  parents: z.array(z.object({ code: z.string(), fullName: z.string() })),
});

/**
 * A validation rule the form checks as the officer types (issue 17): one whose elements are
 * all in the form, of the form's period type, at the unit's level. The browser evaluates it with
 * the server's code (src/domain/validation.ts).
 */
export const EntryRule = z
  .object({
    code: z.string(),
    nameVi: z.string(),
    nameEn: z.string(),
    instructionVi: z.string().nullable(),
    instructionEn: z.string().nullable(),
    importance: z.enum(IMPORTANCES),
    operator: z.enum(VALIDATION_OPERATORS),
    left: z.object({
      expression: z.string(),
      missingValueStrategy: z.enum(MISSING_VALUE_STRATEGIES),
    }),
    right: z.object({
      expression: z.string(),
      missingValueStrategy: z.enum(MISSING_VALUE_STRATEGIES),
    }),
  })
  .openapi('EntryRule');

export const DataEntryForm = z
  .object({
    dataSet: DataSetBrief,
    period: DataEntryPeriod,
    orgUnit: DataEntryUnit,
    /** The caller may write here now: the role allows it and the period is open. */
    editable: z.boolean(),
    fields: z.array(DataEntryField),
    filled: z.number(),
    rules: z.array(EntryRule).openapi({
      description: 'Validation rules checked in the form before saving (and again on save)',
    }),
  })
  .openapi('DataEntryForm');

export const DataEntryFormQuery = z.object({
  dataSet: plainText().min(1).openapi({ example: 'COMMUNE_DAILY_2025' }),
  orgUnit: plainText().min(1).openapi({ description: 'Unit code in the data set’s tree' }),
  period: plainText()
    .min(1)
    .openapi({ description: 'Period id of the data set’s type', example: '2026-11-22' }),
});

export const DataEntrySave = DataEntryFormQuery.extend({
  values: z
    .record(z.string(), z.string().max(50_000))
    .openapi({ description: 'By field key; an empty string removes the stored value' }),
  comments: z
    .record(z.string(), z.string().max(5_000))
    .optional()
    .openapi({ description: 'By field key; a field left out keeps its stored comment' }),
}).openapi('DataEntrySave');

export const DataEntrySaved = z
  .object({
    status: z.literal('SUCCESS'),
    saved: z.number(),
    importCount: ImportCountSchema,
    message: Messages,
    form: DataEntryForm,
  })
  .openapi('DataEntrySaved');

/** One problem of a refused save: a field's value and why it was refused, in both languages. */
export const EntryFieldProblem = z
  .object({
    key: z.string().openapi({ description: 'The field key (DataEntryField.key)' }),
    dataElement: z.string().nullable().openapi({ description: 'null: the form has no such field' }),
    categoryOptionCombo: z.string().nullable(),
    value: z.string().openapi({ description: 'The value as sent' }),
    errorCode: z.string().openapi({ description: "DHIS2's conflict code", example: 'E7619' }),
    vi: z.string(),
    en: z.string(),
  })
  .openapi('EntryFieldProblem');

/**
 * A save refused with 409: `import_conflicts` names each field's problem (`details.fields`);
 * `period_locked` (or another conflict) says why in its message.
 */
export const DataEntryConflict = ErrorResponse.extend({
  error: ErrorResponse.shape.error.extend({
    details: z
      .looseObject({ fields: z.array(EntryFieldProblem).optional() })
      .optional()
      .openapi({ description: 'import_conflicts: `fields`, the problems by field' }),
  }),
}).openapi('DataEntryConflict');

export type DataSetBrief = z.infer<typeof DataSetBrief>;
export type DataEntryField = z.infer<typeof DataEntryField>;
export type DataEntryPeriod = z.infer<typeof DataEntryPeriod>;
export type DataEntryUnit = z.infer<typeof DataEntryUnit>;
export type DataEntryDataSets = z.infer<typeof DataEntryDataSets>;
export type DataEntryForm = z.infer<typeof DataEntryForm>;
export type DataEntrySave = z.infer<typeof DataEntrySave>;
export type DataEntrySaved = z.infer<typeof DataEntrySaved>;
export type EntryFieldProblem = z.infer<typeof EntryFieldProblem>;
