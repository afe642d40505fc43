import { z } from '@hono/zod-openapi';
import { listOf } from './common.ts';

/** Completeness of reporting and period locks. */

export const CompletenessCounts = {
  expected: z.number(),
  reported: z.number(),
  onTime: z.number(),
  completeness: z.number().nullable().openapi({ description: 'Reported, % of expected' }),
  timeliness: z.number().nullable().openapi({ description: 'Reported on time, % of expected' }),
};

export const Completeness = z
  .object({
    dataSet: z.object({
      code: z.string(),
      nameVi: z.string(),
      nameEn: z.string(),
      version: z.string(),
      level: z.number(),
    }),
    period: z.object({ id: z.string(), labelVi: z.string(), labelEn: z.string(), due: z.string() }),
    unit: z.object({ code: z.string(), fullName: z.string() }),
    ...CompletenessCounts,
    children: z.array(z.object({ code: z.string(), fullName: z.string(), ...CompletenessCounts })),
    late: z
      .array(z.object({ code: z.string(), fullName: z.string() }))
      .openapi({ description: 'Units that reported after the due date (at most 500)' }),
    missing: z.array(z.object({ code: z.string(), fullName: z.string() })),
  })
  .openapi('Completeness');

export const PeriodLock = z
  .object({
    id: z.number(),
    period: z.string(),
    data_set: z.string().nullable(),
    locked_at: z.date(),
    locked_by: z.string(),
  })
  .openapi('PeriodLock');

export const PeriodLockList = listOf(PeriodLock, 'PeriodLockList');

export type Completeness = z.infer<typeof Completeness>;
export type PeriodLock = z.infer<typeof PeriodLock>;
