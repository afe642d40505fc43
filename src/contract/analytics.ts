import { z } from '@hono/zod-openapi';

/** Opsroom's analytics query (DHIS2's analytics answers are in dhis2.ts). */

export const Change = z
  .object({
    pct: z.number().nullable(),
    previous: z.number().nullable(),
    source: z.enum(['computed', 'reported']).openapi({
      description: 'computed from two values in the system, or as the source reported it',
    }),
    period: z.string(),
  })
  .openapi('Change');

export const AnalyticsCell = z
  .object({
    dx: z.string(),
    pe: z.string(),
    ou: z.string(),
    version: z.string(),
    value: z.number().nullable(),
    yoy: Change.optional().openapi({ description: 'Against the same period last year' }),
    pop: Change.optional().openapi({ description: 'Against the previous period' }),
    target: z
      .object({ value: z.number(), due: z.string(), share: z.number().nullable() })
      .optional(),
    rank: z.number().optional(),
  })
  .openapi('AnalyticsCell');

/** `GET /api/analytics`: the cells, and the periods they cover with their labels. */
export const AnalyticsCells = z
  .object({
    items: z.array(AnalyticsCell),
    periods: z.array(z.object({ id: z.string(), label: z.string() })),
  })
  .openapi('AnalyticsCells');

export type Change = z.infer<typeof Change>;
export type AnalyticsCell = z.infer<typeof AnalyticsCell>;
export type AnalyticsCells = z.infer<typeof AnalyticsCells>;
