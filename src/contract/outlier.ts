import { z } from '@hono/zod-openapi';

/**
 * DHIS2's outlier detection (`GET /api/outlierDetection`, issue 17) with its parameters and its
 * answer, plus Opsroom's `algorithm=SEASONAL` and the scale-slip flag (domain/outlier.ts).
 * Numbers arrive as text and are checked by the service, which refuses an impossible one with
 * `outlier_query_invalid` in Vietnamese and English.
 */

const Text = z.string().max(2000);

export const OutlierQuery = z.object({
  ds: Text.optional().openapi({
    description: 'Data set uid or code (repeatable or comma-separated): all its elements',
  }),
  de: Text.optional().openapi({
    description: 'Data element uid or code (repeatable or comma-separated); ds or de is required',
  }),
  ou: Text.optional().openapi({
    description:
      'Unit uid or code (repeatable): the unit and everything under it; default your scope',
  }),
  startDate: Text.optional().openapi({
    description: 'Values of periods starting on or after (yyyy-MM-dd); required with endDate',
    example: '2025-01-01',
  }),
  endDate: Text.optional().openapi({ example: '2025-12-31' }),
  algorithm: Text.optional().openapi({
    description:
      'Z_SCORE (default) | MOD_Z_SCORE | MIN_MAX | SEASONAL (Opsroom: the same season of every year and the neighbouring periods, median and MAD)',
  }),
  threshold: Text.optional().openapi({ description: 'Above 0, at most 100; default 3.0' }),
  maxResults: Text.optional().openapi({ description: '1 to 10,000; default 500' }),
  dataStartDate: Text.optional().openapi({
    description: 'The statistics use values from this date (default: every stored value)',
  }),
  dataEndDate: Text.optional(),
  orderBy: Text.optional().openapi({ description: 'Z_SCORE (default) | MEAN_ABS_DEV' }),
  sortOrder: Text.optional().openapi({ description: 'DESC (default) | ASC' }),
});
export type OutlierQuery = z.infer<typeof OutlierQuery>;

export const OutlierValue = z
  .object({
    de: z.string(),
    deName: z.string(),
    pe: z.string().openapi({ description: "DHIS2's period id", example: '20250120' }),
    ou: z.string(),
    ouName: z.string(),
    coc: z.string(),
    cocName: z.string(),
    aoc: z.string(),
    aocName: z.string(),
    value: z.number(),
    mean: z.number().optional(),
    median: z.number().optional(),
    stdDev: z.number().optional().openapi({
      description: 'Z_SCORE: the population SD; MOD_Z_SCORE and SEASONAL: the MAD',
    }),
    absDev: z.number(),
    zScore: z.number().optional(),
    lowerBound: z.number().optional(),
    upperBound: z.number().optional(),
    followup: z.boolean(),
    scaleSlip: z.boolean().openapi({
      description:
        'Opsroom: 100× or more above or below the geometric mean of the same series’ other values — a likely unit or scale error',
    }),
    baseline: z.number().optional().openapi({
      description: 'SEASONAL: how many values the seasonal baseline holds',
    }),
  })
  .openapi('OutlierValue');
export type OutlierValue = z.infer<typeof OutlierValue>;

/** The seasonal baseline of one value: the "why" of a SEASONAL outlier, drawn as a chart. */
export const OutlierBaselineQuery = z.object({
  de: Text.openapi({ description: 'Data element uid or code, as in an outlier' }),
  ou: Text.openapi({ description: 'The unit holding the value (uid or code)' }),
  pe: Text.openapi({ description: "The value's period, DHIS2's id", example: '20250120' }),
  coc: Text.optional().openapi({ description: 'Breakdown option (uid or code); default total' }),
  aoc: Text.optional().openapi({ description: 'Attribute option (uid or code); default none' }),
  dataStartDate: Text.optional().openapi({ description: 'As asked of outlierDetection' }),
  dataEndDate: Text.optional(),
  threshold: Text.optional().openapi({ description: 'As asked of outlierDetection; 3.0' }),
});
export type OutlierBaselineQuery = z.infer<typeof OutlierBaselineQuery>;

export const OutlierBaseline = z
  .object({
    value: z.number(),
    median: z.number().nullable().openapi({ description: 'null: fewer than 5 values to compare' }),
    lowerBound: z.number().nullable(),
    upperBound: z.number().nullable(),
    zScore: z.number().nullable(),
    points: z
      .array(
        z.object({
          pe: z.string().openapi({ description: "DHIS2's period id" }),
          start: z.string(),
          value: z.number(),
          self: z.boolean().openapi({ description: 'The value asked about' }),
        }),
      )
      .openapi({
        description:
          'The baseline: the same season of every year and its neighbouring periods, oldest first',
      }),
  })
  .openapi('OutlierBaseline');
export type OutlierBaseline = z.infer<typeof OutlierBaseline>;

export const OutlierResponse = z
  .object({
    outlierValues: z.array(OutlierValue),
    metadata: z.object({
      algorithm: z.string(),
      threshold: z.number(),
      orderBy: z.string(),
      sortOrder: z.string(),
      maxResults: z.number(),
      count: z.number(),
      startDate: z.string(),
      endDate: z.string(),
      dataStartDate: z.string().optional(),
      dataEndDate: z.string().optional(),
    }),
  })
  .openapi('OutlierDetection');
export type OutlierResponse = z.infer<typeof OutlierResponse>;

/** DHIS2's minMaxDataElements: one range of one element at one unit. */
export const MinMaxBody = z
  .object({
    source: z.object({ id: Text }),
    dataElement: z.object({ id: Text }),
    optionCombo: z.object({ id: Text }).optional(),
    min: z.number(),
    max: z.number(),
    generated: z.boolean().optional(),
  })
  .openapi('MinMaxDataElement');
export type MinMaxBody = z.infer<typeof MinMaxBody>;
