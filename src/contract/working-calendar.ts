import { z } from '@hono/zod-openapi';
import { WorkingCalendarSpecInput as SpecSchema } from '../domain/working-calendar.ts';

/**
 * Offices' working calendars (issue 20): the hours and days off that deadlines for citizens'
 * reports are counted in. A unit sets its own or inherits the nearest ancestor's; the nation's
 * is everyone's default.
 */

// `.clone()` first, as contract/citizen.ts does: the domain's schema may be made before
// @hono/zod-openapi is loaded.
export const WorkingCalendarSpec = SpecSchema.clone().openapi('WorkingCalendarSpec');
export type WorkingCalendarSpecInput = z.input<typeof WorkingCalendarSpec>;

const UnitName = z.object({ code: z.string(), name: z.string() });

export const WorkingCalendarView = z
  .object({
    version: z.string().openapi({ description: 'The tree the unit belongs to', example: '2025' }),
    unit: UnitName,
    inheritedFrom: UnitName.nullable().openapi({
      description:
        'The unit whose calendar applies when the unit has none of its own (an ancestor, or the nation); null when it is its own',
    }),
    spec: z.object({
      week: z.record(z.string(), z.array(z.tuple([z.string(), z.string()]))),
      holidays: z.array(z.string()),
      extraWorkingDays: z.array(z.string()),
      extraDayHours: z.array(z.tuple([z.string(), z.string()])).optional(),
    }),
    updatedBy: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .openapi('WorkingCalendar');
export type WorkingCalendarView = z.infer<typeof WorkingCalendarView>;
