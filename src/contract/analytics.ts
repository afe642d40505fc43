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

/** How a value was carried across the 2025 reform (issue 16, docs/decisions.md "carry map"). */
export const Carried = z
  .object({
    from: z
      .array(z.string())
      .openapi({ description: 'The trees the carried values were stored on' }),
    exact: z.boolean().openapi({
      description: 'Every carried value went whole into this unit (no split commune divided)',
    }),
    estimatedShare: z.number().openapi({
      description:
        'Share of the value that came through the weights of split communes (ước tính theo tỷ lệ), 0–1',
    }),
    gap: z.boolean().optional().openapi({
      description:
        'The unit may miss values of units of the stored tree that lie only in a larger unit of this one (a commune gone between 2022 and 2025-03 is placed within its province)',
    }),
  })
  .openapi('Carried');

/** A validation rule broken by values the figure is made of (issue 17): why to check it. */
export const DataQualityFlag = z
  .object({
    rule: z.string(),
    nameVi: z.string(),
    nameEn: z.string(),
    instructionVi: z.string().nullable(),
    instructionEn: z.string().nullable(),
    importance: z.enum(['HIGH', 'MEDIUM', 'LOW']),
    unit: z
      .string()
      .openapi({ description: 'Where the rule is broken (this unit or one under it)' }),
    period: z.string(),
    left: z.number().nullable(),
    right: z.number().nullable(),
    kind: z.enum(['validation', 'outlier']).optional().openapi({
      description:
        "'outlier': a value outside its unit's min–max range (left: the value; min, max); else a rule",
    }),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .openapi('DataQualityFlag');

/**
 * Why a stored value (or a figure made of stored values) is flagged (issue 17): one reason per
 * source. Today a validation rule broken at the value's unit (or, for a figure, at a unit under
 * it) in a period the value lies within, not confirmed correct by a reviewer.
 */
export const ValueFlagReason = z
  .object({
    kind: z.enum(['validation', 'outlier']).openapi({
      description:
        "'validation': a rule broken; 'outlier': the value lies outside its min–max range",
    }),
    rule: z.string().openapi({ description: "The rule's code; MIN_MAX for an outlier" }),
    importance: z.enum(['HIGH', 'MEDIUM', 'LOW']),
    nameVi: z.string(),
    nameEn: z.string(),
    left: z.number().nullable(),
    right: z.number().nullable(),
    unit: z.string().optional().openapi({ description: 'Where the rule is broken' }),
    period: z.string().openapi({ description: 'The period the rule is broken in' }),
    min: z.number().optional().openapi({ description: "An outlier's range" }),
    max: z.number().optional(),
  })
  .openapi('ValueFlagReason');

/**
 * The flagged cells of DHIS2's analytics answer (`metaData.opsroom.flags`, a key DHIS2's clients
 * ignore): each cell named as its row names it, with the reasons.
 */
export const AnalyticsFlaggedCell = z
  .object({
    dx: z.string(),
    pe: z.string(),
    ou: z.string(),
    co: z.string().optional(),
    reasons: z.array(ValueFlagReason),
  })
  .openapi('AnalyticsFlaggedCell');

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
    carried: Carried.optional().openapi({
      description:
        'Present when part of the value was stored on another tree and carried to this one',
    }),
    flags: z.array(DataQualityFlag).optional().openapi({
      description:
        'Validation rules broken by values this figure is made of (at its unit or under it, in its period); the most important first, at most 5',
    }),
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
export type Carried = z.infer<typeof Carried>;
export type DataQualityFlag = z.infer<typeof DataQualityFlag>;
export type AnalyticsCell = z.infer<typeof AnalyticsCell>;
export type ValueFlagReason = z.infer<typeof ValueFlagReason>;
export type AnalyticsFlaggedCell = z.infer<typeof AnalyticsFlaggedCell>;
export type AnalyticsCells = z.infer<typeof AnalyticsCells>;
