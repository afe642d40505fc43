import { z } from '@hono/zod-openapi';

/** Data values as DHIS2 exchanges them (routes: api/data-value.routes.ts, dhis2-data-value.routes.ts). */

/** `GET /api/dataValues`: one value. */
export const Dhis2DataValue = z
  .object({
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
  })
  .openapi('Dhis2DataValue');

/** One value of an export (domain/data-value-set.ts `DataValueOut`). */
export const ExportedDataValue = z
  .object({
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

export type Dhis2DataValue = z.infer<typeof Dhis2DataValue>;
export type ExportedDataValue = z.infer<typeof ExportedDataValue>;
export type DataValueSetExport = z.infer<typeof DataValueSetExport>;
