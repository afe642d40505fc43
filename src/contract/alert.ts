import { z } from '@hono/zod-openapi';
import { CALENDAR_PERIOD_TYPES } from '../domain/period.ts';
import { listOf, plainText } from './common.ts';

/** Alert rules and the alerts they open. */

export const AlertPeriodType = z.enum(CALENDAR_PERIOD_TYPES);

export const OperatorOut = z.enum(['>', '>=', '<', '<=']);

/** What a rule watches: an element, an indicator, or validation violations (issue 17). */
export const SubjectType = z.enum(['element', 'indicator', 'violations']);

export const AlertRuleInput = z
  .object({
    nameVi: plainText().min(1).max(200).openapi({ example: 'Ca truy vết trong ngày vượt 50' }),
    nameEn: plainText().min(1).max(200).openapi({ example: 'Cases traced in a day above 50' }),
    subject: plainText().min(1).max(120).openapi({
      description:
        'An element code, ELEMENT.OPTION, or an indicator code; with subjectType "violations", an importance: HIGH, MEDIUM or LOW',
      example: 'CASES_TRACED',
    }),
    subjectType: z.enum(['element', 'indicator', 'violations']).optional().openapi({
      description:
        'Default: an element or an indicator, from the subject. "violations": the count of stored, unconfirmed validation violations of the importance given as subject under each unit of the level (operator > or >=, default > 0)',
    }),
    unit: z
      .object({ version: plainText().min(1).max(20), code: plainText().min(1).max(40) })
      .openapi({
        description: 'The unit whose subtree the rule watches',
        example: { version: '2025', code: '79' },
      }),
    level: z.number().int().min(0).max(9).openapi({
      description:
        'The level of the units evaluated under it: 0 nation, 1 province, 2 district (2022) or commune (2025), 3 commune (2022)',
      example: 2,
    }),
    periodType: AlertPeriodType.openapi({ example: 'day' }),
    operator: z
      .enum(['>', '>=', '<', '<=', '≥', '≤'])
      .optional()
      .openapi({ description: 'Required but for violations (default >)', example: '>' }),
    threshold: z
      .number()
      .optional()
      .openapi({ description: 'Required but for violations (default 0)', example: 50 }),
    active: z.boolean().optional().openapi({ description: 'Default true' }),
  })
  .openapi('AlertRuleInput');

export const AlertRule = z
  .object({
    id: z.number(),
    nameVi: z.string(),
    nameEn: z.string(),
    subject: z.string(),
    subjectType: SubjectType,
    unit: z.object({ version: z.string(), code: z.string(), name: z.string(), path: z.string() }),
    level: z.number(),
    periodType: AlertPeriodType,
    operator: OperatorOut,
    threshold: z.number(),
    active: z.boolean(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
  })
  .openapi('AlertRule');

export const Alert = z
  .object({
    id: z.number(),
    state: z.enum(['open', 'resolved']),
    period: z.string().openapi({ example: '2026-11-22' }),
    periodLabel: z.object({ vi: z.string(), en: z.string() }),
    value: z.number().nullable(),
    threshold: z.number(),
    operator: OperatorOut,
    openedAt: z.string(),
    updatedAt: z.string(),
    resolvedAt: z.string().nullable(),
    rule: z.object({
      id: z.number(),
      nameVi: z.string(),
      nameEn: z.string(),
      subject: z.string(),
      subjectType: SubjectType,
      periodType: AlertPeriodType,
    }),
    unit: z.object({
      version: z.string(),
      code: z.string(),
      name: z.string(),
      fullName: z.string(),
      level: z.number(),
      path: z.string(),
    }),
  })
  .openapi('Alert', {
    description: 'Also the payload of the `alert` live event',
  });

export const AlertRuleList = listOf(AlertRule, 'AlertRuleList');

export const AlertList = listOf(Alert, 'AlertList');

export type AlertRuleInput = z.infer<typeof AlertRuleInput>;
export type AlertRule = z.infer<typeof AlertRule>;
export type Alert = z.infer<typeof Alert>;
