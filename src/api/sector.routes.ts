import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { errorResponses, json } from '../contract/common.ts';
import { SectorDetail, SectorList } from '../contract/sector.ts';
import { SECTOR_PAGES } from '../domain/sector.ts';
import { actorOf, type AppEnv } from './context.ts';

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
    async (c) => c.json({ items: await c.get('services').sectors.list(actorOf(c)) }, 200),
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
      return c.json(await c.get('services').sectors.detail(actorOf(c), sector, month), 200);
    },
  );

  return app;
}
