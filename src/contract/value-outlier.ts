import { z } from '@hono/zod-openapi';

/** Values flagged as they arrive (issue 17): outside their unit's min–max range. */

export const ValueOutliersQuery = z.object({
  ou: z.string().min(1).max(100).optional().openapi({
    description: 'A unit code: its subtree only (in your scope); default your scope',
  }),
  ouVersion: z.string().min(1).max(20).optional(),
  state: z.enum(['all', 'open', 'confirmed']).default('open'),
  pageSize: z.coerce.number().int().min(1).max(1000).default(100),
});

export const ValueOutlier = z
  .object({
    dataElement: z.string(),
    dataElementName: z.string(),
    orgUnit: z.string(),
    orgUnitName: z.string(),
    path: z.string(),
    period: z.string(),
    categoryOptionCombo: z.string(),
    value: z.number(),
    kind: z.enum(['min_max', 'scale_slip']).openapi({
      description:
        "min_max: outside the unit's range [min, max]; scale_slip: 100× or more away from the unit's recent values (a likely unit or scale slip), outside [min, max] = their typical magnitude ÷ 100 and × 100",
    }),
    min: z.number().nullable(),
    max: z.number().nullable(),
    state: z.enum(['open', 'confirmed']),
    taskId: z.number().nullable(),
    comment: z.string().nullable(),
    reviewedBy: z.string().nullable(),
    foundAt: z.string(),
  })
  .openapi('ValueOutlier');

export const ValueOutlierList = z
  .object({ valueOutliers: z.array(ValueOutlier) })
  .openapi('ValueOutlierList');

export const ValueOutlierReviewBody = z
  .object({
    dataElement: z.string().min(1).max(100),
    orgUnit: z.string().min(1).max(100),
    version: z.string().min(1).max(20),
    period: z.string().min(1).max(60),
    categoryOptionCombo: z.string().min(1).max(100).optional(),
    action: z.literal('confirm'),
    comment: z.string().trim().min(1).max(2000).openapi({
      description: 'Why the value is correct as it is (required: the review is audited)',
    }),
  })
  .openapi('ValueOutlierReview');
