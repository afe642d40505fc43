import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { ALL_PERIOD_TYPES } from '../domain/period.ts';
import type { Services } from '../services/index.ts';
import { SectorService, SECTOR_PAGES } from '../services/sector.service.ts';
import { actorOf, type AppEnv } from './context.ts';
import { errorResponses, json } from './schemas.ts';

const PeriodInfo = z
  .object({
    id: z.string().openapi({ example: '2022-01' }),
    type: z.enum(ALL_PERIOD_TYPES),
    start: z.string(),
    end: z.string(),
    labelVi: z.string().openapi({ example: 'tháng 01/2022' }),
    labelEn: z.string().openapi({ example: 'January 2022' }),
  })
  .openapi('SectorPeriod');

const Comparison = z
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
  })
  .openapi('SectorComparison');

const Named = { code: z.string(), nameVi: z.string(), nameEn: z.string() };

const SectorDetail = z
  .object({
    sector: z.object(Named),
    orgUnit: z.string().openapi({ description: 'The unit the figures are of: the nation' }),
    months: z
      .array(
        z.object({ id: z.string(), labelVi: z.string(), labelEn: z.string(), figures: z.number() }),
      )
      .openapi({ description: 'Months holding values, newest first' }),
    month: PeriodInfo.nullable().openapi({
      description: 'The month shown: the one asked for, else the newest with values',
    }),
    elements: z.array(
      z.object({
        ...Named,
        unit: z.string().nullable(),
        valueType: z.string(),
        aggTime: z.string(),
        description: z.string().nullable(),
        breakdown: z.object({ ...Named, options: z.array(z.object(Named)) }).nullable(),
      }),
    ),
    figures: z.array(
      z.object({
        element: z.string(),
        period: PeriodInfo,
        placement: z.enum(['month', 'within', 'span']).openapi({
          description:
            'month: values within the month, aggregated to it; within: the one shorter period inside the month the value was reported for; span: a period reaching beyond the month (8 months to date, a week across its edge), shown with its own period',
        }),
        through: z.string().nullable().openapi({
          description: 'For a month still being reported: the last day with values',
        }),
        options: z.array(z.string()).openapi({ description: 'Breakdown options with values' }),
        estimate: z.boolean(),
        notes: z.array(z.string()).openapi({ description: 'Comments stored with the values' }),
        yoy: Comparison.openapi({ description: 'Against the same period last year' }),
        prev: Comparison.openapi({ description: 'Against the previous period' }),
      }),
    ),
  })
  .openapi('SectorDetail');

const SectorList = z
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

// A service per running instance: it holds nothing but the database handle.
const cache = new WeakMap<Services, SectorService>();
function sectors(services: Services): SectorService {
  let s = cache.get(services);
  if (!s) cache.set(services, (s = new SectorService(services.database.db)));
  return s;
}

/**
 * The sector pages of the monthly briefing: the sectors, and for one sector the months with
 * values and the figures of a month. The values themselves come from /api/analytics/query.
 */
export function sectorRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/sectors',
      tags: ['sectors'],
      summary: 'The sectors of the monthly briefing, each with its newest month holding values',
      responses: { 200: json(SectorList, 'Sectors'), ...errorResponses },
    }),
    async (c) => c.json({ items: await sectors(c.get('services')).list(actorOf(c)) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/sectors/{sector}',
      tags: ['sectors'],
      summary:
        "A sector's elements, the months holding national values and the figures of a month, each at the period it was reported for",
      request: {
        params: z.object({
          sector: z.string().openapi({
            param: { name: 'sector', in: 'path' },
            example: 'security',
            description: SECTOR_PAGES.join(', '),
          }),
        }),
        query: z.object({
          month: z.string().optional().openapi({
            description: 'A month (2022-01); default the newest month with values',
            example: '2022-01',
          }),
        }),
      },
      responses: { 200: json(SectorDetail, 'The sector page'), ...errorResponses },
    }),
    async (c) => {
      const { sector } = c.req.valid('param');
      const { month } = c.req.valid('query');
      return c.json(await sectors(c.get('services')).detail(actorOf(c), sector, month), 200);
    },
  );

  return app;
}
