import { z } from '@hono/zod-openapi';
import { DIRECTIONS } from '../domain/direction.ts';
import { ALL_PERIOD_TYPES } from '../domain/period.ts';
import { SECTOR_PAGES } from '../domain/sector.ts';

/** How a source qualifies a printed number (printed_figure, issue 18). */
export const PRINTED_QUALIFIERS = ['about', 'nearly', 'over', 'under'] as const;

/** The monthly briefing pages of each sector. */

export const SectorPeriod = z
  .object({
    id: z.string().openapi({ example: '2022-01' }),
    type: z.enum(ALL_PERIOD_TYPES),
    start: z.string(),
    end: z.string(),
    labelVi: z.string().openapi({ example: 'tháng 01/2022' }),
    labelEn: z.string().openapi({ example: 'January 2022' }),
  })
  .openapi('SectorPeriod');

export const SectorComparison = z
  .object({
    period: z.string().openapi({ example: '2021-01' }),
    comparable: z.boolean().openapi({
      description:
        "Whether analytics' computed change is like for like: a value stored for exactly this earlier span, or a complete month",
    }),
    reported: z
      .number()
      .nullable()
      .openapi({ description: 'The change the source printed, in percent' }),
    qualifier: z.enum(PRINTED_QUALIFIERS).nullable().openapi({
      description:
        'How the source qualified its printed change: about ("khoảng"), nearly ("gần"), over ("hơn", "trên"), under',
    }),
  })
  .openapi('SectorComparison');

export const SectorNamed = { code: z.string(), nameVi: z.string(), nameEn: z.string() };

export const SectorDetail = z
  .object({
    sector: z.object(SectorNamed),
    orgUnit: z.string().openapi({ description: 'The unit the figures are of: the nation' }),
    months: z
      .array(
        z.object({ id: z.string(), labelVi: z.string(), labelEn: z.string(), figures: z.number() }),
      )
      .openapi({ description: 'Months holding values, newest first' }),
    // A union, not `.nullable()`: a nullable registered schema is written as the component itself,
    // which would make every SectorPeriod (each figure's period too) nullable in the document.
    month: z.union([SectorPeriod, z.null()]).openapi({
      description: 'The month shown: the one asked for, else the newest with values',
    }),
    elements: z.array(
      z.object({
        ...SectorNamed,
        unit: z.string().nullable(),
        valueType: z.string(),
        aggTime: z.string(),
        direction: z.enum(DIRECTIONS).openapi({
          description: 'What a rise means: rise_good, rise_bad or neutral',
        }),
        description: z.string().nullable(),
        breakdown: z.object({ ...SectorNamed, options: z.array(z.object(SectorNamed)) }).nullable(),
      }),
    ),
    figures: z.array(
      z.object({
        element: z.string(),
        period: SectorPeriod,
        placement: z.enum(['month', 'within', 'span']).openapi({
          description:
            'month: values within the month, aggregated to it; within: the one shorter period inside the month the value was reported for; span: a period reaching beyond the month (8 months to date, a week across its edge), shown with its own period',
        }),
        through: z.string().nullable().openapi({
          description: 'For a month still being reported: the last day with values',
        }),
        options: z.array(z.string()).openapi({ description: 'Breakdown options with values' }),
        estimate: z.boolean(),
        qualifier: z.enum(PRINTED_QUALIFIERS).nullable().openapi({
          description: 'How the source qualified the printed value ("hơn 700.000", "khoảng 9,6")',
        }),
        notes: z.array(z.string()).openapi({ description: 'Comments stored with the values' }),
        yoy: SectorComparison.openapi({ description: 'Against the same period last year' }),
        prev: SectorComparison.openapi({ description: 'Against the previous period' }),
      }),
    ),
  })
  .openapi('SectorDetail');

export const SectorList = z
  .object({
    items: z.array(
      z.object({
        code: z.enum(SECTOR_PAGES),
        nameVi: z.string(),
        nameEn: z.string(),
        elements: z.number(),
        latestMonth: z.string().nullable(),
        months: z.number(),
      }),
    ),
  })
  .openapi('SectorList');

export type SectorPeriod = z.infer<typeof SectorPeriod>;
export type SectorComparison = z.infer<typeof SectorComparison>;
export type SectorDetail = z.infer<typeof SectorDetail>;
export type SectorList = z.infer<typeof SectorList>;
