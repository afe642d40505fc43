import { z } from '@hono/zod-openapi';
import { ImportCountSchema } from './common.ts';
import { Dhis2Conflict } from './dhis2.ts';

/** Data values as DHIS2 exchanges them (routes: api/data-value.routes.ts, dhis2-data-value.routes.ts). */

/** The fields of one value as DHIS2 gives it, alone or in a set. */
const dataValueFields = {
  dataElement: z.string(),
  period: z.string(),
  orgUnit: z.string(),
  categoryOptionCombo: z.string(),
  attributeOptionCombo: z.string(),
  value: z.string(),
  storedBy: z.string(),
  created: z.string(),
  lastUpdated: z.string(),
  comment: z.string().optional(),
  followup: z.boolean(),
};

/** `GET /api/dataValues`: one value. */
export const Dhis2DataValue = z.object(dataValueFields).openapi('Dhis2DataValue');

/** One value of an export (domain/data-value-set.ts `DataValueOut`). */
export const ExportedDataValue = z
  .object({
    ...dataValueFields,
    estimate: z.boolean().optional(),
    reportedYoyPct: z.number().optional(),
    reportedPrevPct: z.number().optional(),
    deleted: z.boolean().optional().openapi({ description: 'With includeDeleted' }),
  })
  .openapi('ExportedDataValue');

/** `GET /api/dataValueSets` in JSON (streamed; `limit` and `truncated` when a limit was asked). */
export const DataValueSetExport = z
  .object({
    dataValues: z.array(ExportedDataValue),
    limit: z.number().optional(),
    truncated: z.boolean().optional().openapi({ description: 'The limit was reached; more match' }),
  })
  .openapi('DataValueSetExport');

/** A conflict of a data value import, with each row it stands for (Opsroom's `rows`). */
export const ImportConflict = Dhis2Conflict.extend({
  rows: z.array(
    z.object({
      index: z.number(),
      line: z.number().optional(),
      field: z.string(),
      value: z.string(),
      vi: z.string(),
      en: z.string(),
    }),
  ),
});

/** DHIS2's web message around the import summary of a data value set (200 or 409). */
/** A validation rule broken by an import's values (issue 17). */
export const ImportValidationSchema = z
  .object({
    violations: z.number().int(),
    high: z.number().int(),
    list: z.array(
      z.object({
        rule: z.string(),
        nameVi: z.string(),
        nameEn: z.string(),
        importance: z.enum(['HIGH', 'MEDIUM', 'LOW']),
        unit: z.string(),
        version: z.string(),
        period: z.string(),
        left: z.number().nullable(),
        right: z.number().nullable(),
      }),
    ),
    outliers: z.number().int().optional().openapi({
      description: 'Values outside their min–max range: flagged (value_outlier), kept',
    }),
    scaleSlips: z.number().int().optional().openapi({
      description:
        "Values 100× or more away from the same unit's recent values (a likely unit or scale slip): flagged (value_outlier), kept",
    }),
  })
  .openapi('ImportValidation');

export const ImportSummaryWebMessage = z
  .object({
    httpStatus: z.string(),
    httpStatusCode: z.number(),
    status: z.enum(['OK', 'WARNING', 'ERROR']),
    message: z.string(),
    response: z.object({
      responseType: z.literal('ImportSummary'),
      status: z.enum(['SUCCESS', 'WARNING', 'ERROR']),
      description: z.string(),
      importCount: ImportCountSchema,
      conflicts: z.array(ImportConflict),
      rejectedIndexes: z.array(z.number()),
      dataSetComplete: z.string(),
      validationViolations: ImportValidationSchema.optional().describe(
        "Opsroom's: the validation rules the imported values break (kept unless refuseOnHighViolation=true)",
      ),
      importOptions: z.object({
        dryRun: z.boolean(),
        atomic: z.boolean(),
        importStrategy: z.string(),
        dataSet: z.string().optional(),
        dataSetComplete: z.string().optional(),
      }),
    }),
  })
  .openapi('ImportSummaryWebMessage');

export type Dhis2DataValue = z.infer<typeof Dhis2DataValue>;
export type ExportedDataValue = z.infer<typeof ExportedDataValue>;
export type DataValueSetExport = z.infer<typeof DataValueSetExport>;
export type ImportConflict = z.infer<typeof ImportConflict>;
export type ImportSummaryWebMessage = z.infer<typeof ImportSummaryWebMessage>;
