import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { ErrorResponse, errorResponses, json } from '../contract/common.ts';
import {
  LinkWeightList,
  LinkWeightsBody,
  LinkWeightsQuery,
  LinkWeightsResult,
} from '../contract/carry.ts';
import { actorOf, type AppEnv } from './context.ts';

const refused = {
  description:
    'The weights are refused (link_weights_invalid): each problem in details.problems (the first 100, details.total in all); nothing changed',
  content: { 'application/json': { schema: ErrorResponse } },
};

/** The weights of split links across the 2025 reform (issue 16): read, set, back to defaults. */
export function carryRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/link-weights',
      tags: ['hierarchy'],
      summary:
        'The split links from one tree to another with the share each carries: the one set, or the default (equal shares)',
      request: { query: LinkWeightsQuery },
      responses: { 200: json(LinkWeightList, 'Split links, by unit'), ...errorResponses },
    }),
    async (c) => {
      const list = await c.get('services').carry.list(actorOf(c), c.req.valid('query'));
      return c.json(list, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/link-weights',
      tags: ['hierarchy'],
      summary:
        'Replace the shares of every unit named (each gives all of its split links, summing to 1); the carry map is rebuilt in the same transaction (national admin)',
      request: {
        body: { content: { 'application/json': { schema: LinkWeightsBody } }, required: true },
      },
      responses: {
        200: json(LinkWeightsResult, 'Set, and the carry map rebuilt'),
        ...errorResponses,
        422: refused,
      },
    }),
    async (c) => {
      const r = await c
        .get('services')
        .carry.set(actorOf(c), c.req.valid('json'), { requestId: c.get('requestId') });
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/link-weights',
      tags: ['hierarchy'],
      summary:
        'Back to the default shares: every unit from one tree to another, or one unit (national admin)',
      request: { query: LinkWeightsQuery },
      responses: { 200: json(LinkWeightsResult, 'Reset'), ...errorResponses },
    }),
    async (c) => {
      const r = await c
        .get('services')
        .carry.reset(actorOf(c), c.req.valid('query'), { requestId: c.get('requestId') });
      return c.json(r, 200);
    },
  );

  return app;
}
