import { z } from '@hono/zod-openapi';
import { plainText } from './common.ts';
import { Task } from './task.ts';

/** Weekly plans of a unit and the follow-up board. */

export const WeeklyPlan = z
  .object({
    unit: z.object({ version: z.string(), code: z.string(), name: z.string(), level: z.number() }),
    week: z.string().openapi({ example: '2026-W48' }),
    start: z.string(),
    end: z.string(),
    status: z.enum(['draft', 'submitted', 'approved', 'returned']),
    note: z.string().nullable(),
    submittedBy: z.string().nullable(),
    submittedAt: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionNote: z.string().nullable(),
    tasks: z.array(Task).openapi({ description: 'The unit’s tasks due that week' }),
  })
  .openapi('WeeklyPlan');

export const PlanParams = z.object({
  unit: plainText().min(1).max(40).openapi({ example: '26740' }),
  week: plainText().min(1).max(10).openapi({ example: '2026-W48' }),
});

export const PlanVersionQuery = z.object({ version: plainText().max(20).optional() });

export const Followup = z
  .object({
    unit: z.object({ version: z.string(), code: z.string(), name: z.string(), level: z.number() }),
    today: z.string(),
    week: z.string(),
    overdue: z.array(Task),
    dueThisWeek: z.array(Task),
    onTime: z.array(
      z.object({
        unit: z.object({ code: z.string(), name: z.string() }),
        weeks: z.array(
          z.object({
            week: z.string(),
            due: z.number(),
            onTime: z.number(),
            rate: z.number().nullable().openapi({ description: '0–1; null when nothing was due' }),
          }),
        ),
      }),
    ),
  })
  .openapi('Followup');

export const WeeklyPlanList = z
  .object({
    week: z.string(),
    start: z.string(),
    end: z.string(),
    items: z.array(
      z.object({
        unit: z.object({
          version: z.string(),
          code: z.string(),
          name: z.string(),
          level: z.number(),
        }),
        status: z.enum(['draft', 'submitted', 'approved', 'returned']),
        submittedBy: z.string().nullable(),
        submittedAt: z.string().nullable(),
        decidedBy: z.string().nullable(),
        decidedAt: z.string().nullable(),
      }),
    ),
  })
  .openapi('WeeklyPlanList');

export const PlanListQuery = z.object({
  week: plainText().min(1).max(10).optional().openapi({ example: '2026-W48' }),
  status: z.enum(['draft', 'submitted', 'approved', 'returned']).optional(),
  version: plainText().max(20).optional(),
});

export type WeeklyPlan = z.infer<typeof WeeklyPlan>;
export type Followup = z.infer<typeof Followup>;
export type WeeklyPlanList = z.infer<typeof WeeklyPlanList>;
