import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { IdPathParam, errorResponses, json } from '../contract/common.ts';
import { Completeness, PeriodLockList } from '../contract/reporting.ts';
import { actorOf, type AppEnv } from './context.ts';

export function reportingRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/reporting/completeness',
      tags: ['reporting'],
      summary: 'Which units reported a data set for a period, and on time, rolled up under a unit',
      request: {
        query: z.object({
          dataSet: z.string().openapi({ example: 'COMMUNE_DAILY_2025' }),
          period: z.string().openapi({ example: '2026-11-20' }),
          orgUnit: z.string().optional().openapi({ description: 'Default: your scope' }),
        }),
      },
      responses: { 200: json(Completeness, 'Completeness and timeliness'), ...errorResponses },
    }),
    async (c) =>
      c.json(await c.get('services').reporting.completeness(actorOf(c), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/periodLocks',
      tags: ['reporting'],
      summary: 'Periods locked for writes',
      responses: {
        200: json(PeriodLockList, 'Locks'),
        ...errorResponses,
      },
    }),
    async (c) => c.json({ items: await c.get('services').reporting.locks(actorOf(c)) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/periodLocks',
      tags: ['reporting'],
      summary: 'Lock a period: writes to it are refused (for one data set, or for all data)',
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({ period: z.string(), dataSet: z.string().optional() }),
            },
          },
          required: true,
        },
      },
      responses: {
        201: json(
          z.object({ id: z.number(), period: z.string(), dataSet: z.string().nullable() }),
          'Locked',
        ),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(await c.get('services').reporting.lock(actorOf(c), c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/periodLocks/{id}',
      tags: ['reporting'],
      summary: 'Unlock a period',
      request: {
        params: IdPathParam,
      },
      responses: { 204: { description: 'Unlocked' }, ...errorResponses },
    }),
    async (c) => {
      await c.get('services').reporting.unlock(actorOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
  return app;
}
